(function (native, internal) {
  'use strict';

  // SubtleCrypto and CryptoKey: W3C Web Cryptography API (Level 2 editor's draft) on OpenSSL 3
  // (src/web/crypto.c, crypto_ops.c). Installed by the first crypto.subtle, SubtleCrypto or
  // CryptoKey: crypto.js, which getRandomValues and randomUUID need, is far smaller.
  // This file is the core: Web IDL conversions, algorithm normalization, CryptoKey and the
  // SubtleCrypto methods. Each algorithm family's operations are a file of their own, installed
  // on the family's first use (subtle_aes.js, subtle_hmac.js, subtle_rsa.js, subtle_ec.js), and
  // so is JSON Web Key handling (subtle_jwk.js): a digest compiles none of them.
  //
  // Every SubtleCrypto method runs its synchronous steps (Web IDL conversions, normalizing the
  // algorithm) at once and returns an already-rejected promise when they throw, as the
  // specification's "return a promise rejected with" does. The steps the specification runs "in
  // parallel" also run at once (cheap operations) or on libuv's thread pool (long ones: RSA key
  // generation, many PBKDF2 iterations, inputs over 64 KiB; native.cryptoRun returns a promise
  // for those), but their outcome settles the returned promise no earlier than the next
  // microtask: no caller can see a result before the call returned. Running them at once is
  // what makes the specification's "get a copy of the bytes" free: nothing of the caller's can
  // change before the bytes are read (the thread pool works on its own copy).

  const {
    DOMException, toDOMString, requireArgs, isArrayBuffer, makeInterface, defineGlobal,
  } = internal;
  const { PromiseCtor } = internal.intrinsics;
  const { getOwnPropertyDescriptor, getPrototypeOf } = Object;
  const { isView } = ArrayBuffer;
  const jsonStringify = JSON.stringify;
  const { fromCharCode } = String;
  const run = native.cryptoRun;

  const typedArrayProto = getPrototypeOf(Uint8Array.prototype);
  const typedArrayTag = getOwnPropertyDescriptor(typedArrayProto, Symbol.toStringTag).get;
  const typedArrayBuffer = getOwnPropertyDescriptor(typedArrayProto, 'buffer').get;
  const dataViewBuffer = getOwnPropertyDescriptor(DataView.prototype, 'buffer').get;
  const dataViewOffset = getOwnPropertyDescriptor(DataView.prototype, 'byteOffset').get;
  const dataViewLength = getOwnPropertyDescriptor(DataView.prototype, 'byteLength').get;
  const resizableGetter = getOwnPropertyDescriptor(ArrayBuffer.prototype, 'resizable')?.get;
  const byteLengthGetter = getOwnPropertyDescriptor(typedArrayProto, 'byteLength').get;
  const byteOffsetGetter = getOwnPropertyDescriptor(typedArrayProto, 'byteOffset').get;
  const arrayBufferLength = getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength').get;
  const arrayBufferSlice = ArrayBuffer.prototype.slice;
  const u8Slice = Uint8Array.prototype.slice;
  const arrayIncludes = Array.prototype.includes;
  const setHas = Set.prototype.has;

  // Operation numbers and hashes shared with src/web/crypto.h (the algorithm files hold the
  // constants only they use).
  const OP = {
    DIGEST: 1, HMAC_SIGN: 2, HMAC_VERIFY: 3, SIGN: 4, VERIFY: 5, AES_CBC: 6, AES_CTR: 7,
    AES_GCM: 8, AES_KW: 9, RSA_OAEP: 10, PBKDF2: 11, HKDF: 12, DH: 13, GEN_SECRET: 14,
    GEN_RSA: 15, GEN_EC: 16, GEN_OKP: 17, IMPORT_SECRET: 18, IMPORT_SPKI: 19, IMPORT_PKCS8: 20,
    IMPORT_EC_RAW: 21, IMPORT_OKP_RAW: 22, IMPORT_RSA_JWK: 23, IMPORT_EC_JWK: 24,
    IMPORT_OKP_JWK: 25, EXPORT_SECRET: 26, EXPORT_SPKI: 27, EXPORT_PKCS8: 28, EXPORT_RAW: 29,
    EXPORT_JWK: 30,
  };
  const HASH = { 'SHA-1': 1, 'SHA-256': 2, 'SHA-384': 3, 'SHA-512': 4 };

  // --- errors and promises -------------------------------------------------------------------

  const err = (name, message) => new DOMException(message, name);
  const notSupported = (m) => err('NotSupportedError', m);
  const syntaxError = (m) => err('SyntaxError', m);
  const accessError = (m) => err('InvalidAccessError', m);
  const dataError = (m) => err('DataError', m);
  const operationError = (m) => err('OperationError', m);

  // An already-rejected promise (the async function throws before its first await).
  async function rejected(e) {
    throw e;
  }

  // A promise settled with fn's outcome no earlier than the next microtask; fn runs now.
  async function settleLater(value, threw) {
    await undefined;
    if (threw) throw value;
    return value;
  }
  function settle(fn) {
    let value, threw = false;
    try {
      value = fn();
    } catch (e) {
      value = e;
      threw = true;
    }
    return settleLater(value, threw);
  }

  // A native result is a value, or a promise when the job went to the thread pool.
  const isPromise = (v) => v instanceof PromiseCtor;
  async function chainAsync(p, f) {
    return f(await p);
  }
  const chain = (v, f) => (isPromise(v) ? chainAsync(v, f) : f(v));

  // --- Web IDL conversions -------------------------------------------------------------------

  // ASCII upper case only: String.prototype.toUpperCase would also map, say, U+017F to S.
  function asciiUpper(s) {
    let out = '';
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      out += c >= 0x61 && c <= 0x7a ? fromCharCode(c - 32) : s[i];
    }
    return out;
  }

  function isSharedOrResizable(buffer) {
    if (!isArrayBuffer(buffer)) return true; // a SharedArrayBuffer
    return resizableGetter !== undefined && resizableGetter.call(buffer) === true;
  }

  // BufferSource: an ArrayBuffer or a view on one (not shared, not resizable). Returns what
  // native.cryptoRun reads: the ArrayBuffer, a typed array, or a Uint8Array over a DataView.
  function toBufferSource(v, what) {
    if (isView(v)) {
      const tag = typedArrayTag.call(v);
      if (tag !== undefined) {
        if (isSharedOrResizable(typedArrayBuffer.call(v))) {
          throw new TypeError(`${what} must not be shared or resizable`);
        }
        return v;
      }
      const buffer = dataViewBuffer.call(v);
      if (isSharedOrResizable(buffer)) throw new TypeError(`${what} must not be shared or resizable`);
      try {
        return new Uint8Array(buffer, dataViewOffset.call(v), dataViewLength.call(v));
      } catch {
        return new Uint8Array(0); // detached: the empty byte sequence
      }
    }
    if (isArrayBuffer(v)) {
      if (isSharedOrResizable(v)) throw new TypeError(`${what} must not be shared or resizable`);
      return v;
    }
    throw new TypeError(`${what} is not an ArrayBuffer or an ArrayBuffer view`);
  }

  // A private copy of a BufferSource's bytes, as a Uint8Array (empty for a detached buffer).
  function copyBytes(v) {
    try {
      if (isArrayBuffer(v)) return new Uint8Array(arrayBufferSlice.call(v, 0));
      return u8Slice.call(typedArrayTag.call(v) === 'Uint8Array'
        ? v : new Uint8Array(typedArrayBuffer.call(v), byteOffsetGetter.call(v), byteLengthGetter.call(v)));
    } catch {
      return new Uint8Array(0);
    }
  }

  function byteLength(v) {
    return isArrayBuffer(v) ? arrayBufferLength.call(v) : byteLengthGetter.call(v);
  }

  function enforceRange(v, max, what) {
    const n = +v;
    if (!Number.isFinite(n)) throw new TypeError(`${what} must be a finite number`);
    const t = Math.trunc(n);
    if (t < 0 || t > max) throw new TypeError(`${what} is out of range`);
    return t;
  }

  function toAlgorithmIdentifier(v) {
    return v !== null && (typeof v === 'object' || typeof v === 'function') ? v : toDOMString(v);
  }

  const USAGES = ['encrypt', 'decrypt', 'sign', 'verify', 'deriveKey', 'deriveBits', 'wrapKey',
    'unwrapKey'];
  const USAGE_SET = new Set(USAGES);
  const FORMATS = new Set(['raw', 'spki', 'pkcs8', 'jwk']);

  function toSequence(v, what, convert) {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) {
      throw new TypeError(`${what} must be a sequence`);
    }
    const iter = v[Symbol.iterator];
    if (typeof iter !== 'function') throw new TypeError(`${what} must be iterable`);
    const out = [];
    for (const item of { [Symbol.iterator]: () => iter.call(v) }) out.push(convert(item));
    return out;
  }

  function toUsages(v) {
    return toSequence(v, 'keyUsages', (u) => {
      const s = toDOMString(u);
      if (!setHas.call(USAGE_SET, s)) throw new TypeError(`'${s}' is not a valid KeyUsage`);
      return s;
    });
  }

  function toFormat(v) {
    const s = toDOMString(v);
    if (!setHas.call(FORMATS, s)) throw new TypeError(`'${s}' is not a valid KeyFormat`);
    return s;
  }

  // The recognized usages of `usages` that are in `allowed`, each once, in the specification's
  // order (its "usage intersection").
  function intersect(usages, allowed) {
    const out = [];
    for (const u of USAGES) {
      if (arrayIncludes.call(usages, u) && arrayIncludes.call(allowed, u)) out.push(u);
    }
    return out;
  }

  function checkUsages(usages, allowed) {
    for (const u of usages) {
      if (!arrayIncludes.call(allowed, u)) throw syntaxError(`'${u}' is not a valid usage for this key`);
    }
  }

  // --- algorithm dictionaries and normalization ----------------------------------------------

  // Members of each params dictionary after Algorithm's `name`, inherited ones first, each
  // dictionary's own in lexicographic order (Web IDL's conversion order). Integer members are
  // all [EnforceRange].
  const U32 = 0xffffffff, U16 = 0xffff, U8 = 0xff;
  const dict = (...members) => members.map(([name, type, required]) => ({ name, type, required }));
  const D = {
    Algorithm: dict(),
    RsaHashedKeyGenParams: dict(['modulusLength', U32, true], ['publicExponent', 'BigInteger', true],
      ['hash', 'Hash', true]),
    RsaHashedImportParams: dict(['hash', 'Hash', true]),
    RsaPssParams: dict(['saltLength', U32, true]),
    RsaOaepParams: dict(['label', 'BufferSource', false]),
    EcdsaParams: dict(['hash', 'Hash', true]),
    EcKeyGenParams: dict(['namedCurve', 'DOMString', true]),
    EcKeyImportParams: dict(['namedCurve', 'DOMString', true]),
    EcdhKeyDeriveParams: dict(['public', 'CryptoKey', true]),
    AesCtrParams: dict(['counter', 'BufferSource', true], ['length', U8, true]),
    AesKeyGenParams: dict(['length', U16, true]),
    AesDerivedKeyParams: dict(['length', U16, true]),
    AesCbcParams: dict(['iv', 'BufferSource', true]),
    AesGcmParams: dict(['additionalData', 'BufferSource', false], ['iv', 'BufferSource', true],
      ['tagLength', U8, false]),
    HmacImportParams: dict(['hash', 'Hash', true], ['length', U32, false]),
    HmacKeyGenParams: dict(['hash', 'Hash', true], ['length', U32, false]),
    HkdfParams: dict(['hash', 'Hash', true], ['info', 'BufferSource', true],
      ['salt', 'BufferSource', true]),
    Pbkdf2Params: dict(['hash', 'Hash', true], ['iterations', U32, true],
      ['salt', 'BufferSource', true]),
    Ed448Params: dict(['context', 'BufferSource', false]),
  };

  const RSA = ['RSASSA-PKCS1-v1_5', 'RSA-PSS', 'RSA-OAEP'];
  const AES = ['AES-CTR', 'AES-CBC', 'AES-GCM', 'AES-KW'];
  const CFRG = ['Ed25519', 'X25519', 'Ed448', 'X448'];
  const table = (entries) => {
    const m = new Map();
    for (const [names, d] of entries) {
      for (const name of typeof names === 'string' ? [names] : names) {
        m.set(asciiUpper(name), [name, d]);
        m.set(name, [name, d]); // the canonical spelling, found without upper-casing
      }
    }
    return m;
  };
  // The specification's "supportedAlgorithms": operation -> algorithm -> params dictionary.
  // Each operation's table is made by its first normalization (a digest makes one of eleven).
  const SUPPORTED = {
    digest: [[['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'], D.Algorithm]],
    generateKey: [[RSA, D.RsaHashedKeyGenParams], [['ECDSA', 'ECDH'], D.EcKeyGenParams],
      [AES, D.AesKeyGenParams], ['HMAC', D.HmacKeyGenParams], [CFRG, D.Algorithm]],
    importKey: [[RSA, D.RsaHashedImportParams], [['ECDSA', 'ECDH'], D.EcKeyImportParams],
      ['HMAC', D.HmacImportParams], [[...AES, 'PBKDF2', 'HKDF', ...CFRG], D.Algorithm]],
    sign: [['RSASSA-PKCS1-v1_5', D.Algorithm], ['RSA-PSS', D.RsaPssParams],
      ['ECDSA', D.EcdsaParams], [['HMAC', 'Ed25519'], D.Algorithm], ['Ed448', D.Ed448Params]],
    encrypt: [['RSA-OAEP', D.RsaOaepParams], ['AES-CTR', D.AesCtrParams],
      ['AES-CBC', D.AesCbcParams], ['AES-GCM', D.AesGcmParams]],
    wrapKey: [['AES-KW', D.Algorithm]],
    deriveBits: [[['ECDH', 'X25519', 'X448'], D.EcdhKeyDeriveParams],
      ['HKDF', D.HkdfParams], ['PBKDF2', D.Pbkdf2Params]],
    getKeyLength: [[AES, D.AesDerivedKeyParams], ['HMAC', D.HmacImportParams],
      [['HKDF', 'PBKDF2'], D.Algorithm]],
  };
  SUPPORTED.verify = SUPPORTED.sign;
  SUPPORTED.decrypt = SUPPORTED.encrypt;
  SUPPORTED.unwrapKey = SUPPORTED.wrapKey;
  const supported = {};

  function convertMember(value, type, what) {
    if (typeof type === 'number') return enforceRange(value, type, what);
    switch (type) {
      case 'DOMString': return toDOMString(value);
      case 'BufferSource': return copyBytes(toBufferSource(value, what));
      // Normalized as it is converted, before later members: an unknown hash is a
      // NotSupportedError even when a required member after it is missing (as in the browsers).
      case 'Hash': return normalize('digest', toAlgorithmIdentifier(value));
      case 'BigInteger':
        if (!isView(value) || typedArrayTag.call(value) !== 'Uint8Array') {
          throw new TypeError(`${what} must be a Uint8Array`);
        }
        return copyBytes(value);
      default: // 'CryptoKey'
        if (!isCryptoKey(value)) throw new TypeError(`${what} must be a CryptoKey`);
        return value;
    }
  }

  // Web IDL's dictionary conversion of alg to Algorithm (its `name`).
  function convertAlgorithm(alg) {
    const name = alg.name;
    if (name === undefined) throw new TypeError("Algorithm: the member 'name' is required");
    return { name: toDOMString(name) };
  }

  // The conversion of alg to the params dictionary after `name`: `name` is read once for both
  // conversions the specification makes, as the browsers do (the web-platform-tests count on a
  // getter of `name` running once).
  function convertMembers(alg, out, members) {
    for (const { name: key, type, required } of members) {
      const value = alg[key];
      if (value === undefined) {
        if (required) throw new TypeError(`Algorithm: the member '${key}' is required`);
        continue;
      }
      out[key] = convertMember(value, type, `Algorithm.${key}`);
    }
    return out;
  }

  // WebCrypto section 18.4 "normalize an algorithm".
  function normalize(op, alg) {
    if (typeof alg === 'string') return normalize(op, { name: alg });
    const registered = (supported[op] ??= table(SUPPORTED[op]));
    const initial = convertAlgorithm(alg);
    const entry = registered.get(initial.name) ?? registered.get(asciiUpper(initial.name));
    if (entry === undefined) {
      throw notSupported(`Unrecognized algorithm name '${initial.name}' for ${op}`);
    }
    const [canonical, members] = entry;
    return convertMembers(alg, { name: canonical }, members);
  }

  // --- CryptoKey -----------------------------------------------------------------------------

  const kCreate = Symbol('CryptoKey.create');
  let isCryptoKey, keySlots;

  class CryptoKey {
    #type;
    #extractable;
    #algorithm; // the [[algorithm]] internal slot (never handed out)
    #usages; // the [[usages]] internal slot
    #handle; // the native key material
    #algorithmCache = undefined;
    #usagesCache = undefined;

    constructor(token = undefined, type, extractable, algorithm, usages, handle) {
      if (token !== kCreate) throw new TypeError('Illegal constructor');
      this.#type = type;
      this.#extractable = extractable;
      this.#algorithm = algorithm;
      this.#usages = usages;
      this.#handle = handle;
    }

    get type() {
      return this.#type;
    }

    get extractable() {
      return this.#extractable;
    }

    // "The cached ECMAScript object associated with the [[algorithm]] internal slot": the same
    // object every time, and changing it changes nothing of the key.
    get algorithm() {
      if (this.#algorithmCache === undefined) this.#algorithmCache = algorithmToJS(this.#algorithm);
      return this.#algorithmCache;
    }

    get usages() {
      if (this.#usagesCache === undefined) this.#usagesCache = [...this.#usages];
      return this.#usagesCache;
    }

    static {
      isCryptoKey = (v) => v !== null && typeof v === 'object' && #type in v;
      keySlots = (k) => ({
        type: k.#type, extractable: k.#extractable, algorithm: k.#algorithm, usages: k.#usages,
        handle: k.#handle,
      });
    }
  }
  makeInterface(CryptoKey);

  const newKey = (type, extractable, algorithm, usages, handle) =>
    new CryptoKey(kCreate, type, extractable, algorithm, usages, handle);

  // KeyAlgorithm dictionaries as JS objects, members in Web IDL order.
  function algorithmToJS(a) {
    const o = { name: a.name };
    if (a.modulusLength !== undefined) {
      o.modulusLength = a.modulusLength;
      o.publicExponent = new Uint8Array(a.publicExponent);
    }
    if (a.hash !== undefined) o.hash = { name: a.hash.name };
    if (a.length !== undefined) o.length = a.length;
    if (a.namedCurve !== undefined) o.namedCurve = a.namedCurve;
    return o;
  }

  function toCryptoKey(v, what) {
    if (!isCryptoKey(v)) throw new TypeError(`${what} is not a CryptoKey`);
    return keySlots(v);
  }

  // --- algorithms ----------------------------------------------------------------------------

  // name -> its operations, put there by the family's file, which implOf() installs. The
  // algorithm files and subtle_jwk.js are run by this file alone, once, through
  // native.installFile (as C runs memlimit.js): they are not in lazy_files.json, each of whose
  // entries costs every engine's creation.
  const algs = {};
  const ALG_FILE = {
    'AES-CTR': 'subtle_aes.js', 'AES-CBC': 'subtle_aes.js', 'AES-GCM': 'subtle_aes.js',
    'AES-KW': 'subtle_aes.js', HMAC: 'subtle_hmac.js', PBKDF2: 'subtle_hmac.js',
    HKDF: 'subtle_hmac.js', 'RSASSA-PKCS1-v1_5': 'subtle_rsa.js', 'RSA-PSS': 'subtle_rsa.js',
    'RSA-OAEP': 'subtle_rsa.js', ECDSA: 'subtle_ec.js', ECDH: 'subtle_ec.js',
    Ed25519: 'subtle_ec.js', X25519: 'subtle_ec.js', Ed448: 'subtle_ec.js', X448: 'subtle_ec.js',
  };
  // `name` is a canonical name, from normalize() or a key's [[algorithm]]: once its file ran,
  // every name of the family is in algs.
  function implOf(name) {
    let impl = algs[name];
    if (impl === undefined) {
      native.installFile(ALG_FILE[name]);
      impl = algs[name];
    }
    return impl;
  }

  // JSON Web Keys (subtle_jwk.js), installed by the first one converted, imported or exported.
  let jwkParts;
  function jwk() {
    if (jwkParts === undefined) {
      native.installFile('subtle_jwk.js');
      jwkParts = internal.subtleJwk;
    }
    return jwkParts;
  }

  const pairOf = ([privateHandle, publicHandle], algorithm, extractable, usages, privateUsages,
    publicUsages) => ({
    privateKey: newKey('private', extractable, algorithm, intersect(usages, privateUsages), privateHandle),
    publicKey: newKey('public', true, algorithm, intersect(usages, publicUsages), publicHandle),
  });

  function requireType(key, type) {
    if (key.type !== type) throw accessError(`the key must be a ${type} key`);
  }

  // Asymmetric keys from SPKI / PKCS#8: [handle, family, curve or bits, exponent].
  function importDer(format, data) {
    return run(format === 'spki' ? OP.IMPORT_SPKI : OP.IMPORT_PKCS8, data);
  }

  // What the algorithm files and subtle_jwk.js share with this file (only they read it).
  internal.subtleParts = {
    algs, run, OP, HASH, arrayIncludes, arrayBufferSlice, notSupported, syntaxError, accessError,
    dataError, operationError, chain, byteLength, toSequence, USAGES, intersect, checkUsages,
    newKey, keySlots, pairOf, requireType, importDer,
    base64url: (buffer) => jwk().base64url(buffer),
    unbase64url: (s, member) => jwk().unbase64url(s, member),
    checkJwkCommon: (data, kty, use, usages, extractable) =>
      jwk().checkJwkCommon(data, kty, use, usages, extractable),
  };

  // --- the "in parallel" steps shared by several methods ---------------------------------------

  function exportSteps(format, key) {
    const impl = implOf(key.algorithm.name);
    if (impl.exportKey === undefined) throw notSupported(`${key.algorithm.name} keys cannot be exported`);
    if (!key.extractable) throw accessError('the key is not extractable');
    return impl.exportKey(format, key);
  }

  function importSteps(format, keyData, alg, extractable, usages) {
    return chain(implOf(alg.name).importKey(format, keyData, alg, extractable, usages), (key) => {
      const k = keySlots(key);
      if ((k.type === 'secret' || k.type === 'private') && usages.length === 0) {
        throw syntaxError('a secret or private key needs at least one usage');
      }
      return key;
    });
  }

  function checkKeyFor(alg, key, usage) {
    if (alg.name !== key.algorithm.name) {
      throw accessError(`the key is for ${key.algorithm.name}, not ${alg.name}`);
    }
    if (!arrayIncludes.call(key.usages, usage)) throw accessError(`the key does not allow '${usage}'`);
  }

  function operation(alg, op) {
    const f = implOf(alg.name)[op];
    if (f === undefined) throw notSupported(`${alg.name} does not support ${op}`);
    return f;
  }

  // wrapKey/unwrapKey take the algorithm's own operation, or else encrypt/decrypt.
  function normalizeWrap(op, fallback, alg) {
    try {
      return normalize(op, alg);
    } catch {
      return normalize(fallback, alg);
    }
  }

  // --- SubtleCrypto --------------------------------------------------------------------------

  const kSubtle = Symbol('SubtleCrypto.create');
  let isSubtle;

  class SubtleCrypto {
    #brand = true;

    constructor(token = undefined) {
      if (token !== kSubtle) throw new TypeError('Illegal constructor');
    }

    static {
      isSubtle = (v) => v !== null && typeof v === 'object' && #brand in v;
    }

    encrypt(algorithm, key, data) {
      let alg, k, bytes;
      try {
        checkThis(this, 'encrypt', 3, arguments.length);
        algorithm = toAlgorithmIdentifier(algorithm);
        k = toCryptoKey(key, 'encrypt: key');
        bytes = toBufferSource(data, 'encrypt: data');
        alg = normalize('encrypt', algorithm);
      } catch (e) {
        return rejected(e);
      }
      return settle(() => {
        checkKeyFor(alg, k, 'encrypt');
        return operation(alg, 'encrypt')(alg, k, bytes);
      });
    }

    decrypt(algorithm, key, data) {
      let alg, k, bytes;
      try {
        checkThis(this, 'decrypt', 3, arguments.length);
        algorithm = toAlgorithmIdentifier(algorithm);
        k = toCryptoKey(key, 'decrypt: key');
        bytes = toBufferSource(data, 'decrypt: data');
        alg = normalize('decrypt', algorithm);
      } catch (e) {
        return rejected(e);
      }
      return settle(() => {
        checkKeyFor(alg, k, 'decrypt');
        return operation(alg, 'decrypt')(alg, k, bytes);
      });
    }

    sign(algorithm, key, data) {
      let alg, k, bytes;
      try {
        checkThis(this, 'sign', 3, arguments.length);
        algorithm = toAlgorithmIdentifier(algorithm);
        k = toCryptoKey(key, 'sign: key');
        bytes = toBufferSource(data, 'sign: data');
        alg = normalize('sign', algorithm);
      } catch (e) {
        return rejected(e);
      }
      return settle(() => {
        checkKeyFor(alg, k, 'sign');
        return operation(alg, 'sign')(alg, k, bytes);
      });
    }

    verify(algorithm, key, signature, data) {
      let alg, k, sig, bytes;
      try {
        checkThis(this, 'verify', 4, arguments.length);
        algorithm = toAlgorithmIdentifier(algorithm);
        k = toCryptoKey(key, 'verify: key');
        sig = toBufferSource(signature, 'verify: signature');
        bytes = toBufferSource(data, 'verify: data');
        alg = normalize('verify', algorithm);
      } catch (e) {
        return rejected(e);
      }
      return settle(() => {
        checkKeyFor(alg, k, 'verify');
        return operation(alg, 'verify')(alg, k, sig, bytes);
      });
    }

    digest(algorithm, data) {
      let alg, bytes;
      try {
        checkThis(this, 'digest', 2, arguments.length);
        algorithm = toAlgorithmIdentifier(algorithm);
        bytes = toBufferSource(data, 'digest: data');
        alg = normalize('digest', algorithm);
      } catch (e) {
        return rejected(e);
      }
      return settle(() => run(OP.DIGEST, HASH[alg.name], bytes));
    }

    generateKey(algorithm, extractable, keyUsages) {
      let alg, usages;
      try {
        checkThis(this, 'generateKey', 3, arguments.length);
        algorithm = toAlgorithmIdentifier(algorithm);
        extractable = !!extractable;
        usages = toUsages(keyUsages);
        alg = normalize('generateKey', algorithm);
        // Parameter checks of the generate key operations reject at once, as in the browsers
        // and the web-platform-tests; the usage checks come after a microtask.
        implOf(alg.name).checkGenerateParams?.(alg);
      } catch (e) {
        return rejected(e);
      }
      return settle(() => chain(implOf(alg.name).generateKey(alg, extractable, usages), (result) => {
        if (isCryptoKey(result)) {
          const k = keySlots(result);
          if ((k.type === 'secret' || k.type === 'private') && usages.length === 0) {
            throw syntaxError('a secret or private key needs at least one usage');
          }
        } else if (keySlots(result.privateKey).usages.length === 0) {
          throw syntaxError('the private key of the pair would have no usage');
        }
        return result;
      }));
    }

    deriveKey(algorithm, baseKey, derivedKeyType, extractable, keyUsages) {
      let alg, k, importAlg, lengthAlg, usages;
      try {
        checkThis(this, 'deriveKey', 5, arguments.length);
        algorithm = toAlgorithmIdentifier(algorithm);
        k = toCryptoKey(baseKey, 'deriveKey: baseKey');
        derivedKeyType = toAlgorithmIdentifier(derivedKeyType);
        extractable = !!extractable;
        usages = toUsages(keyUsages);
        alg = normalize('deriveBits', algorithm);
        importAlg = normalize('importKey', derivedKeyType);
        lengthAlg = normalize('getKeyLength', derivedKeyType);
      } catch (e) {
        return rejected(e);
      }
      return settle(() => {
        checkKeyFor(alg, k, 'deriveKey');
        const length = implOf(lengthAlg.name).getKeyLength(lengthAlg);
        const secret = operation(alg, 'deriveBits')(alg, k, length);
        return chain(secret, (bits) => importSteps('raw', bits, importAlg, extractable, usages));
      });
    }

    deriveBits(algorithm, baseKey, length = null) {
      let alg, k, bits;
      try {
        checkThis(this, 'deriveBits', 2, arguments.length);
        algorithm = toAlgorithmIdentifier(algorithm);
        k = toCryptoKey(baseKey, 'deriveBits: baseKey');
        bits = length === null || length === undefined ? null : internal.toUnsignedWrap(length, 32);
        alg = normalize('deriveBits', algorithm);
      } catch (e) {
        return rejected(e);
      }
      return settle(() => {
        checkKeyFor(alg, k, 'deriveBits');
        return operation(alg, 'deriveBits')(alg, k, bits);
      });
    }

    importKey(format, keyData, algorithm, extractable, keyUsages) {
      let alg, data, usages;
      try {
        checkThis(this, 'importKey', 5, arguments.length);
        format = toFormat(format);
        const isBuffer = isView(keyData) || isArrayBuffer(keyData);
        if (!isBuffer && keyData !== null && typeof keyData !== 'object' && typeof keyData !== 'function'
          && keyData !== undefined) {
          throw new TypeError('importKey: keyData must be a BufferSource or a JsonWebKey');
        }
        data = isBuffer ? toBufferSource(keyData, 'importKey: keyData') : jwk().toJsonWebKey(keyData);
        algorithm = toAlgorithmIdentifier(algorithm);
        extractable = !!extractable;
        usages = toUsages(keyUsages);
        if (format === 'jwk' && isBuffer) throw new TypeError("importKey: 'jwk' keyData must be a JsonWebKey");
        if (format !== 'jwk' && !isBuffer) throw new TypeError(`importKey: '${format}' keyData must be a BufferSource`);
        alg = normalize('importKey', algorithm);
      } catch (e) {
        return rejected(e);
      }
      return settle(() => importSteps(format, data, alg, extractable, usages));
    }

    exportKey(format, key) {
      let k;
      try {
        checkThis(this, 'exportKey', 2, arguments.length);
        format = toFormat(format);
        k = toCryptoKey(key, 'exportKey: key');
      } catch (e) {
        return rejected(e);
      }
      return settle(() => exportSteps(format, k));
    }

    wrapKey(format, key, wrappingKey, wrapAlgorithm) {
      let alg, k, wk;
      try {
        checkThis(this, 'wrapKey', 4, arguments.length);
        format = toFormat(format);
        k = toCryptoKey(key, 'wrapKey: key');
        wk = toCryptoKey(wrappingKey, 'wrapKey: wrappingKey');
        wrapAlgorithm = toAlgorithmIdentifier(wrapAlgorithm);
        alg = normalizeWrap('wrapKey', 'encrypt', wrapAlgorithm);
      } catch (e) {
        return rejected(e);
      }
      return settle(() => {
        checkKeyFor(alg, wk, 'wrapKey');
        const exported = exportSteps(format, k);
        const bytes = format === 'jwk' ? native.utf8Encode(jsonStringify(exported)) : exported;
        const impl = implOf(alg.name);
        if (impl.wrapKey !== undefined) return impl.wrapKey(alg, wk, bytes);
        return operation(alg, 'encrypt')(alg, wk, bytes);
      });
    }

    unwrapKey(format, wrappedKey, unwrappingKey, unwrapAlgorithm, unwrappedKeyAlgorithm, extractable,
      keyUsages) {
      let alg, importAlg, bytes, uk, usages;
      try {
        checkThis(this, 'unwrapKey', 7, arguments.length);
        format = toFormat(format);
        bytes = toBufferSource(wrappedKey, 'unwrapKey: wrappedKey');
        uk = toCryptoKey(unwrappingKey, 'unwrapKey: unwrappingKey');
        unwrapAlgorithm = toAlgorithmIdentifier(unwrapAlgorithm);
        unwrappedKeyAlgorithm = toAlgorithmIdentifier(unwrappedKeyAlgorithm);
        extractable = !!extractable;
        usages = toUsages(keyUsages);
        alg = normalizeWrap('unwrapKey', 'decrypt', unwrapAlgorithm);
        importAlg = normalize('importKey', unwrappedKeyAlgorithm);
      } catch (e) {
        return rejected(e);
      }
      return settle(() => {
        checkKeyFor(alg, uk, 'unwrapKey');
        const impl = implOf(alg.name);
        const key = impl.unwrapKey !== undefined ? impl.unwrapKey(alg, uk, bytes)
          : operation(alg, 'decrypt')(alg, uk, bytes);
        return chain(key, (b) => {
          const data = format === 'jwk' ? jwk().parseJwk(new Uint8Array(b)) : b;
          return importSteps(format, data, importAlg, extractable, usages);
        });
      });
    }
  }
  makeInterface(SubtleCrypto);

  function checkThis(self, method, need, got) {
    if (!isSubtle(self)) throw new TypeError(`SubtleCrypto.${method}: illegal invocation`);
    requireArgs(got, need, `SubtleCrypto.${method}`);
  }

  // crypto.subtle (crypto.js) is this one object: [SameObject].
  internal.subtle = new SubtleCrypto(kSubtle);

  // CryptoKey is [Serializable]: structured clone makes a key with the same internal slots
  // (the key material is shared: it never changes).
  internal.isCryptoKey = isCryptoKey;
  internal.cloneCryptoKey = (key) => {
    const k = keySlots(key);
    return newKey(k.type, k.extractable, k.algorithm, k.usages, k.handle);
  };

  defineGlobal('SubtleCrypto', SubtleCrypto);
  defineGlobal('CryptoKey', CryptoKey);
})
