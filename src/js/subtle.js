(function (native, internal) {
  'use strict';

  // SubtleCrypto and CryptoKey: W3C Web Cryptography API (Level 2 editor's draft) on OpenSSL 3
  // (src/web/crypto.c, crypto_ops.c). Installed by the first crypto.subtle, SubtleCrypto or
  // CryptoKey: crypto.js, which getRandomValues and randomUUID need, is a twentieth of this.
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
  const jsonParse = JSON.parse;
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

  // Operation numbers and constants shared with src/web/crypto.h.
  const OP = {
    DIGEST: 1, HMAC_SIGN: 2, HMAC_VERIFY: 3, SIGN: 4, VERIFY: 5, AES_CBC: 6, AES_CTR: 7,
    AES_GCM: 8, AES_KW: 9, RSA_OAEP: 10, PBKDF2: 11, HKDF: 12, DH: 13, GEN_SECRET: 14,
    GEN_RSA: 15, GEN_EC: 16, GEN_OKP: 17, IMPORT_SECRET: 18, IMPORT_SPKI: 19, IMPORT_PKCS8: 20,
    IMPORT_EC_RAW: 21, IMPORT_OKP_RAW: 22, IMPORT_RSA_JWK: 23, IMPORT_EC_JWK: 24,
    IMPORT_OKP_JWK: 25, EXPORT_SECRET: 26, EXPORT_SPKI: 27, EXPORT_PKCS8: 28, EXPORT_RAW: 29,
    EXPORT_JWK: 30,
  };
  const HASH = { 'SHA-1': 1, 'SHA-256': 2, 'SHA-384': 3, 'SHA-512': 4 };
  const HASH_BLOCK_BITS = { 'SHA-1': 512, 'SHA-256': 512, 'SHA-384': 1024, 'SHA-512': 1024 };
  const CURVE = { 'P-256': 1, 'P-384': 2, 'P-521': 3 };
  const CURVE_NAME = [undefined, 'P-256', 'P-384', 'P-521'];
  const OKP = { Ed25519: 1, X25519: 2, Ed448: 3, X448: 4 };
  const KIND_RSA = 1, KIND_EC = 2, KIND_OKP = 3;
  const SCHEME_RSASSA = 1, SCHEME_PSS = 2, SCHEME_ECDSA = 3, SCHEME_EDDSA = 4;

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
  const supported = {
    digest: table([[['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'], D.Algorithm]]),
    generateKey: table([[RSA, D.RsaHashedKeyGenParams], [['ECDSA', 'ECDH'], D.EcKeyGenParams],
      [AES, D.AesKeyGenParams], ['HMAC', D.HmacKeyGenParams], [CFRG, D.Algorithm]]),
    importKey: table([[RSA, D.RsaHashedImportParams], [['ECDSA', 'ECDH'], D.EcKeyImportParams],
      ['HMAC', D.HmacImportParams], [[...AES, 'PBKDF2', 'HKDF', ...CFRG], D.Algorithm]]),
    sign: table([['RSASSA-PKCS1-v1_5', D.Algorithm], ['RSA-PSS', D.RsaPssParams],
      ['ECDSA', D.EcdsaParams], [['HMAC', 'Ed25519'], D.Algorithm], ['Ed448', D.Ed448Params]]),
    encrypt: table([['RSA-OAEP', D.RsaOaepParams], ['AES-CTR', D.AesCtrParams],
      ['AES-CBC', D.AesCbcParams], ['AES-GCM', D.AesGcmParams]]),
    wrapKey: table([['AES-KW', D.Algorithm]]),
    deriveBits: table([[['ECDH', 'X25519', 'X448'], D.EcdhKeyDeriveParams],
      ['HKDF', D.HkdfParams], ['PBKDF2', D.Pbkdf2Params]]),
    getKeyLength: table([[AES, D.AesDerivedKeyParams], ['HMAC', D.HmacImportParams],
      [['HKDF', 'PBKDF2'], D.Algorithm]]),
  };
  supported.verify = supported.sign;
  supported.decrypt = supported.encrypt;
  supported.unwrapKey = supported.wrapKey;

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

  // WebCrypto §18.4 "normalize an algorithm".
  function normalize(op, alg) {
    if (typeof alg === 'string') return normalize(op, { name: alg });
    const registered = supported[op];
    const initial = convertAlgorithm(alg);
    const entry = registered.get(initial.name) ?? registered.get(asciiUpper(initial.name));
    if (entry === undefined) {
      throw notSupported(`Unrecognized algorithm name '${initial.name}' for ${op}`);
    }
    const [canonical, members] = entry;
    return convertMembers(alg, { name: canonical }, members);
  }

  // --- JWK -------------------------------------------------------------------------------------

  const JWK_MEMBERS = ['alg', 'crv', 'd', 'dp', 'dq', 'e', 'ext', 'k', 'key_ops', 'kty', 'n', 'oth',
    'p', 'q', 'qi', 'use', 'x', 'y'];

  // Web IDL conversion to the JsonWebKey dictionary.
  function toJsonWebKey(v) {
    const out = {};
    if (v === undefined || v === null) return out;
    if (typeof v !== 'object' && typeof v !== 'function') throw new TypeError('JsonWebKey must be an object');
    for (const key of JWK_MEMBERS) {
      const value = v[key];
      if (value === undefined) continue;
      if (key === 'ext') out.ext = !!value;
      else if (key === 'key_ops') out.key_ops = toSequence(value, 'JsonWebKey.key_ops', toDOMString);
      else if (key === 'oth') {
        out.oth = toSequence(value, 'JsonWebKey.oth', (o) => {
          if (o === null || o === undefined) return {};
          if (typeof o !== 'object' && typeof o !== 'function') throw new TypeError('RsaOtherPrimesInfo must be an object');
          const info = {};
          for (const k of ['d', 'r', 't']) if (o[k] !== undefined) info[k] = toDOMString(o[k]);
          return info;
        });
      } else out[key] = toDOMString(value);
    }
    return out;
  }

  // WebCrypto §16 "parse a JWK" (unwrapKey): errors are DataErrors.
  function parseJwk(bytes) {
    let jwk;
    try {
      jwk = toJsonWebKey(jsonParse(native.utf8Decode(bytes, false)));
    } catch {
      throw dataError('the unwrapped key is not a valid JSON Web Key');
    }
    if (jwk.kty === undefined) throw dataError("the JSON Web Key has no 'kty'");
    return jwk;
  }

  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const B64_INDEX = new Int8Array(128).fill(-1);
  for (let i = 0; i < 64; i++) B64_INDEX[B64.charCodeAt(i)] = i;

  function base64url(buffer) {
    const b = new Uint8Array(buffer);
    let s = '';
    let i = 0;
    for (; i + 2 < b.length; i += 3) {
      const n = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
      s += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
    }
    if (i + 1 === b.length) {
      s += B64[b[i] >> 2] + B64[(b[i] & 3) << 4];
    } else if (i + 2 === b.length) {
      const n = (b[i] << 8) | b[i + 1];
      s += B64[n >> 10] + B64[(n >> 4) & 63] + B64[(n & 15) << 2];
    }
    return s;
  }

  // RFC 7515 base64url, no padding; anything else is a DataError.
  function unbase64url(s, member) {
    if (s === undefined) throw dataError(`the JSON Web Key has no '${member}'`);
    const n = s.length;
    if (n % 4 === 1) throw dataError(`the JSON Web Key's '${member}' is not base64url`);
    const out = new Uint8Array(Math.floor((n * 3) / 4));
    let bits = 0, acc = 0, k = 0;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      const v = c < 128 ? B64_INDEX[c] : -1;
      if (v < 0) throw dataError(`the JSON Web Key's '${member}' is not base64url`);
      acc = (acc << 6) | v;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[k++] = (acc >> bits) & 0xff;
      }
    }
    return out;
  }

  function checkJwkCommon(jwk, kty, use, usages, extractable) {
    if (jwk.kty !== kty) throw dataError(`the JSON Web Key's 'kty' must be '${kty}'`);
    if (usages.length > 0 && jwk.use !== undefined && jwk.use !== use) {
      throw dataError(`the JSON Web Key's 'use' must be '${use}'`);
    }
    if (jwk.key_ops !== undefined) {
      const ops = jwk.key_ops;
      if (new Set(ops).size !== ops.length) throw dataError("the JSON Web Key's 'key_ops' has duplicates");
      for (const u of usages) {
        if (!arrayIncludes.call(ops, u)) throw dataError(`the JSON Web Key's 'key_ops' does not allow '${u}'`);
      }
    }
    if (jwk.ext === false && extractable) throw dataError('the JSON Web Key is not extractable');
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

  const pairOf = ([privateHandle, publicHandle], algorithm, extractable, usages, privateUsages,
    publicUsages) => ({
    privateKey: newKey('private', extractable, algorithm, intersect(usages, privateUsages), privateHandle),
    publicKey: newKey('public', true, algorithm, intersect(usages, publicUsages), publicHandle),
  });

  function requireType(key, type) {
    if (key.type !== type) throw accessError(`the key must be a ${type} key`);
  }

  function truncateBits(secret, length) {
    if (length === null) return secret;
    if (length > secret.byteLength * 8) throw operationError('the key cannot derive that many bits');
    const out = new Uint8Array(arrayBufferSlice.call(secret, 0, Math.ceil(length / 8)));
    if (length % 8) out[out.length - 1] &= (0xff << (8 - (length % 8))) & 0xff;
    return out.buffer;
  }

  const algs = {};

  // AES (§27-§30)
  function defineAes(name, suffix, allowed, ops) {
    algs[name] = {
      checkGenerateParams(alg) {
        if (alg.length !== 128 && alg.length !== 192 && alg.length !== 256) {
          throw operationError('the AES key length must be 128, 192 or 256 bits');
        }
      },
      generateKey(alg, extractable, usages) {
        checkUsages(usages, allowed);
        const handle = run(OP.GEN_SECRET, alg.length / 8);
        return newKey('secret', extractable, { name, length: alg.length }, intersect(usages, USAGES), handle);
      },
      importKey(format, data, alg, extractable, usages) {
        checkUsages(usages, allowed);
        let bytes;
        if (format === 'raw') {
          bytes = data;
        } else if (format === 'jwk') {
          if (data.kty !== 'oct') throw dataError("the JSON Web Key's 'kty' must be 'oct'");
          bytes = unbase64url(data.k, 'k');
          const expected = { 16: 'A128', 24: 'A192', 32: 'A256' }[bytes.length];
          if (expected === undefined) throw dataError('the AES key length must be 128, 192 or 256 bits');
          if (data.alg !== undefined && data.alg !== expected + suffix) {
            throw dataError(`the JSON Web Key's 'alg' must be '${expected + suffix}'`);
          }
          checkJwkCommon(data, 'oct', 'enc', usages, extractable);
        } else {
          throw notSupported(`${name} keys cannot be imported from '${format}'`);
        }
        const bits = byteLength(bytes) * 8;
        if (bits !== 128 && bits !== 192 && bits !== 256) {
          throw dataError('the AES key length must be 128, 192 or 256 bits');
        }
        return newKey('secret', extractable, { name, length: bits }, intersect(usages, USAGES),
          run(OP.IMPORT_SECRET, bytes));
      },
      exportKey(format, key) {
        if (format !== 'raw' && format !== 'jwk') throw notSupported(`${name} keys cannot be exported as '${format}'`);
        const raw = run(OP.EXPORT_SECRET, key.handle);
        if (format === 'raw') return raw;
        return {
          alg: `A${key.algorithm.length}${suffix}`, ext: key.extractable, k: base64url(raw),
          key_ops: [...key.usages], kty: 'oct',
        };
      },
      getKeyLength(alg) {
        if (alg.length !== 128 && alg.length !== 192 && alg.length !== 256) {
          throw operationError('the AES key length must be 128, 192 or 256 bits');
        }
        return alg.length;
      },
      ...ops,
    };
  }

  defineAes('AES-CBC', 'CBC', ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'], {
    encrypt(alg, key, data) {
      if (alg.iv.length !== 16) throw operationError('the AES-CBC iv must be 16 bytes');
      return run(OP.AES_CBC, 1, key.handle, data, alg.iv);
    },
    decrypt(alg, key, data) {
      if (alg.iv.length !== 16) throw operationError('the AES-CBC iv must be 16 bytes');
      return run(OP.AES_CBC, 0, key.handle, data, alg.iv);
    },
  });

  function aesCtr(alg, key, data) {
    if (alg.counter.length !== 16) throw operationError('the AES-CTR counter must be 16 bytes');
    if (alg.length === 0 || alg.length > 128) throw operationError('the AES-CTR length must be between 1 and 128');
    return run(OP.AES_CTR, 1, key.handle, alg.length, data, alg.counter);
  }
  defineAes('AES-CTR', 'CTR', ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'], {
    encrypt: aesCtr,
    decrypt: aesCtr,
  });

  const GCM_TAGS = [32, 64, 96, 104, 112, 120, 128];
  function gcmTagLength(alg) {
    const t = alg.tagLength === undefined ? 128 : alg.tagLength;
    if (!arrayIncludes.call(GCM_TAGS, t)) throw operationError(`${t} is not a valid AES-GCM tag length`);
    return t;
  }
  defineAes('AES-GCM', 'GCM', ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'], {
    encrypt(alg, key, data) {
      const tag = gcmTagLength(alg);
      return run(OP.AES_GCM, 1, key.handle, tag, data, alg.iv, alg.additionalData);
    },
    decrypt(alg, key, data) {
      const tag = gcmTagLength(alg);
      if (byteLength(data) * 8 < tag) throw operationError('the data is shorter than the tag');
      return run(OP.AES_GCM, 0, key.handle, tag, data, alg.iv, alg.additionalData);
    },
  });

  defineAes('AES-KW', 'KW', ['wrapKey', 'unwrapKey'], {
    wrapKey(alg, key, bytes) {
      if (byteLength(bytes) % 8 !== 0) throw operationError('AES-KW wraps multiples of 64 bits only');
      return run(OP.AES_KW, 1, key.handle, bytes);
    },
    unwrapKey(alg, key, bytes) {
      return run(OP.AES_KW, 0, key.handle, bytes);
    },
  });

  // HMAC (§31)
  const HMAC_JWK_ALG = { 'SHA-1': 'HS1', 'SHA-256': 'HS256', 'SHA-384': 'HS384', 'SHA-512': 'HS512' };
  algs.HMAC = {
    checkGenerateParams(alg) {
      if (alg.length === 0) throw operationError('the HMAC key length must not be zero');
    },
    generateKey(alg, extractable, usages) {
      checkUsages(usages, ['sign', 'verify']);
      const length = alg.length === undefined ? HASH_BLOCK_BITS[alg.hash.name] : alg.length;
      const handle = run(OP.GEN_SECRET, Math.ceil(length / 8));
      return newKey('secret', extractable, { name: 'HMAC', hash: { name: alg.hash.name }, length },
        intersect(usages, USAGES), handle);
    },
    importKey(format, data, alg, extractable, usages) {
      checkUsages(usages, ['sign', 'verify']);
      let bytes;
      const hash = alg.hash.name;
      if (format === 'raw') {
        bytes = data;
      } else if (format === 'jwk') {
        if (data.kty !== 'oct') throw dataError("the JSON Web Key's 'kty' must be 'oct'");
        bytes = unbase64url(data.k, 'k');
        if (data.alg !== undefined && data.alg !== HMAC_JWK_ALG[hash]) {
          throw dataError(`the JSON Web Key's 'alg' must be '${HMAC_JWK_ALG[hash]}'`);
        }
        checkJwkCommon(data, 'oct', 'sig', usages, extractable);
      } else {
        throw notSupported(`HMAC keys cannot be imported from '${format}'`);
      }
      const bits = byteLength(bytes) * 8;
      if (bits === 0) throw dataError('the HMAC key must not be empty');
      let length = bits;
      if (alg.length !== undefined) {
        if (alg.length > bits) throw dataError('length is longer than the key');
        if (alg.length <= bits - 8) throw dataError('length is shorter than the key');
        length = alg.length;
      }
      return newKey('secret', extractable, { name: 'HMAC', hash: { name: hash }, length },
        intersect(usages, USAGES), run(OP.IMPORT_SECRET, bytes));
    },
    exportKey(format, key) {
      if (format !== 'raw' && format !== 'jwk') throw notSupported(`HMAC keys cannot be exported as '${format}'`);
      const raw = run(OP.EXPORT_SECRET, key.handle);
      if (format === 'raw') return raw;
      return {
        alg: HMAC_JWK_ALG[key.algorithm.hash.name], ext: key.extractable, k: base64url(raw),
        key_ops: [...key.usages], kty: 'oct',
      };
    },
    sign(alg, key, data) {
      return run(OP.HMAC_SIGN, HASH[key.algorithm.hash.name], key.handle, data);
    },
    verify(alg, key, signature, data) {
      return run(OP.HMAC_VERIFY, HASH[key.algorithm.hash.name], key.handle, data, signature);
    },
    getKeyLength(alg) {
      if (alg.length === undefined) return HASH_BLOCK_BITS[alg.hash.name];
      if (alg.length !== 0) return alg.length;
      throw new TypeError('the HMAC key length must not be zero');
    },
  };

  // PBKDF2 and HKDF (§32, §33): raw import only, never extractable, no export.
  function defineKdf(name, deriveBits) {
    algs[name] = {
      importKey(format, data, alg, extractable, usages) {
        if (format !== 'raw') throw notSupported(`${name} keys can only be imported from 'raw'`);
        checkUsages(usages, ['deriveKey', 'deriveBits']);
        if (extractable !== false) throw syntaxError(`${name} keys cannot be extractable`);
        return newKey('secret', false, { name }, intersect(usages, USAGES), run(OP.IMPORT_SECRET, data));
      },
      deriveBits,
      getKeyLength() {
        return null;
      },
    };
  }
  // A length of 0 derives nothing (w3c/webcrypto#380, which undid the OperationError of #275),
  // after the check of the iterations.
  defineKdf('PBKDF2', (alg, key, length) => {
    if (length === null || length % 8 !== 0) throw operationError('PBKDF2 length must be a multiple of 8');
    if (alg.iterations === 0) throw operationError('PBKDF2 iterations must not be zero');
    if (length === 0) return new ArrayBuffer(0);
    return run(OP.PBKDF2, HASH[alg.hash.name], key.handle, alg.iterations, length / 8, alg.salt);
  });
  defineKdf('HKDF', (alg, key, length) => {
    if (length === null || length % 8 !== 0) throw operationError('HKDF length must be a multiple of 8');
    if (length === 0) return new ArrayBuffer(0);
    return run(OP.HKDF, HASH[alg.hash.name], key.handle, length / 8, alg.salt, alg.info);
  });

  // Asymmetric keys from SPKI / PKCS#8: [handle, family, curve or bits, exponent].
  function importDer(format, data) {
    return run(format === 'spki' ? OP.IMPORT_SPKI : OP.IMPORT_PKCS8, data);
  }

  // RSA (§20-§22)
  const RSA_JWK_ALG = {
    'RSASSA-PKCS1-v1_5': { 'SHA-1': 'RS1', 'SHA-256': 'RS256', 'SHA-384': 'RS384', 'SHA-512': 'RS512' },
    'RSA-PSS': { 'SHA-1': 'PS1', 'SHA-256': 'PS256', 'SHA-384': 'PS384', 'SHA-512': 'PS512' },
    'RSA-OAEP': {
      'SHA-1': 'RSA-OAEP', 'SHA-256': 'RSA-OAEP-256', 'SHA-384': 'RSA-OAEP-384', 'SHA-512': 'RSA-OAEP-512',
    },
  };
  const RSA_PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];
  function defineRsa(name, privateUsages, publicUsages, use, ops) {
    const algorithmOf = (bits, exponent, hash) => ({
      name, modulusLength: bits, publicExponent: new Uint8Array(exponent), hash: { name: hash },
    });
    algs[name] = {
      checkGenerateParams(alg) {
        const e = alg.publicExponent;
        let value = 0;
        for (const b of e) value = value * 256 + b;
        // An even exponent, or 1, has no key (and 3 is the smallest one in use).
        if (e.length === 0 || (e[e.length - 1] & 1) === 0 || value === 1) {
          throw operationError('the RSA public exponent must be odd and greater than 1');
        }
        if (alg.modulusLength < 512 || alg.modulusLength > 16384) {
          throw operationError('the RSA modulusLength must be between 512 and 16384 bits');
        }
      },
      generateKey(alg, extractable, usages) {
        checkUsages(usages, [...privateUsages, ...publicUsages]);
        const pair = run(OP.GEN_RSA, alg.modulusLength, alg.publicExponent);
        const algorithm = algorithmOf(alg.modulusLength, alg.publicExponent, alg.hash.name);
        return chain(pair, (p) => pairOf(p, algorithm, extractable, usages, privateUsages, publicUsages));
      },
      importKey(format, data, alg, extractable, usages) {
        let info, type;
        if (format === 'spki' || format === 'pkcs8') {
          type = format === 'spki' ? 'public' : 'private';
          checkUsages(usages, type === 'public' ? publicUsages : privateUsages);
          info = importDer(format, data);
          if (info[1] !== KIND_RSA) throw dataError('the key is not an RSA key (rsaEncryption)');
        } else if (format === 'jwk') {
          type = data.d !== undefined ? 'private' : 'public';
          checkUsages(usages, type === 'public' ? publicUsages : privateUsages);
          checkJwkCommon(data, 'RSA', use, usages, extractable);
          if (data.alg !== undefined) {
            const table = RSA_JWK_ALG[name];
            const hash = Object.keys(table).find((h) => table[h] === data.alg);
            if (hash === undefined) throw dataError(`the JSON Web Key's 'alg' '${data.alg}' is not for ${name}`);
            if (hash !== alg.hash.name) throw dataError(`the JSON Web Key's 'alg' does not match the hash ${alg.hash.name}`);
          }
          const parts = [unbase64url(data.n, 'n'), unbase64url(data.e, 'e')];
          if (type === 'private') {
            if (data.oth !== undefined) throw notSupported('multi-prime RSA keys are not supported');
            for (const m of RSA_PRIVATE_MEMBERS) parts.push(unbase64url(data[m], m));
          }
          info = run(OP.IMPORT_RSA_JWK, ...parts);
        } else {
          throw notSupported(`${name} keys cannot be imported from '${format}'`);
        }
        return newKey(type, extractable, algorithmOf(info[2], info[3], alg.hash.name),
          intersect(usages, USAGES), info[0]);
      },
      exportKey(format, key) {
        if (format === 'spki') {
          requireType(key, 'public');
          return run(OP.EXPORT_SPKI, key.handle);
        }
        if (format === 'pkcs8') {
          requireType(key, 'private');
          return run(OP.EXPORT_PKCS8, key.handle);
        }
        if (format !== 'jwk') throw notSupported(`${name} keys cannot be exported as '${format}'`);
        const v = run(OP.EXPORT_JWK, key.handle);
        const jwk = { alg: RSA_JWK_ALG[name][key.algorithm.hash.name] };
        if (key.type === 'private') {
          jwk.d = base64url(v[2]);
          if (v[5] !== null) {
            jwk.dp = base64url(v[5]);
            jwk.dq = base64url(v[6]);
          }
        }
        jwk.e = base64url(v[1]);
        jwk.ext = key.extractable;
        jwk.key_ops = [...key.usages];
        jwk.kty = 'RSA';
        jwk.n = base64url(v[0]);
        if (key.type === 'private' && v[3] !== null) {
          jwk.p = base64url(v[3]);
          jwk.q = base64url(v[4]);
          jwk.qi = base64url(v[7]);
        }
        return jwk;
      },
      ...ops,
    };
  }
  defineRsa('RSASSA-PKCS1-v1_5', ['sign'], ['verify'], 'sig', {
    sign(alg, key, data) {
      requireType(key, 'private');
      return run(OP.SIGN, SCHEME_RSASSA, HASH[key.algorithm.hash.name], key.handle, 0, data);
    },
    verify(alg, key, signature, data) {
      requireType(key, 'public');
      return run(OP.VERIFY, SCHEME_RSASSA, HASH[key.algorithm.hash.name], key.handle, 0, data, signature);
    },
  });
  defineRsa('RSA-PSS', ['sign'], ['verify'], 'sig', {
    sign(alg, key, data) {
      requireType(key, 'private');
      return run(OP.SIGN, SCHEME_PSS, HASH[key.algorithm.hash.name], key.handle, alg.saltLength, data);
    },
    verify(alg, key, signature, data) {
      requireType(key, 'public');
      return run(OP.VERIFY, SCHEME_PSS, HASH[key.algorithm.hash.name], key.handle, alg.saltLength, data,
        signature);
    },
  });
  defineRsa('RSA-OAEP', ['decrypt', 'unwrapKey'], ['encrypt', 'wrapKey'], 'enc', {
    encrypt(alg, key, data) {
      requireType(key, 'public');
      return run(OP.RSA_OAEP, 1, HASH[key.algorithm.hash.name], key.handle, data, alg.label);
    },
    decrypt(alg, key, data) {
      requireType(key, 'private');
      return run(OP.RSA_OAEP, 0, HASH[key.algorithm.hash.name], key.handle, data, alg.label);
    },
  });

  // ECDSA and ECDH (§23, §24)
  const ECDSA_JWK_ALG = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' };
  function defineEc(name, privateUsages, publicUsages, use, ops) {
    const isEcdsa = name === 'ECDSA';
    algs[name] = {
      checkGenerateParams(alg) {
        if (CURVE[alg.namedCurve] === undefined) throw notSupported(`the curve '${alg.namedCurve}' is not supported`);
      },
      generateKey(alg, extractable, usages) {
        checkUsages(usages, [...privateUsages, ...publicUsages]);
        return pairOf(run(OP.GEN_EC, CURVE[alg.namedCurve]), { name, namedCurve: alg.namedCurve }, extractable, usages,
          privateUsages, publicUsages);
      },
      importKey(format, data, alg, extractable, usages) {
        let handle, type;
        const curve = alg.namedCurve;
        if (format === 'spki' || format === 'pkcs8') {
          type = format === 'spki' ? 'public' : 'private';
          checkUsages(usages, type === 'public' ? publicUsages : privateUsages);
          const info = importDer(format, data);
          if (info[1] !== KIND_EC) throw dataError('the key is not an elliptic curve key');
          if (info[2] === 0) throw dataError('the key is not on a supported named curve');
          if (CURVE_NAME[info[2]] !== curve) throw dataError(`the key is not on the curve ${curve}`);
          handle = info[0];
        } else if (format === 'raw') {
          type = 'public';
          checkUsages(usages, publicUsages);
          if (CURVE[curve] === undefined) throw dataError(`the curve '${curve}' is not supported`);
          handle = run(OP.IMPORT_EC_RAW, CURVE[curve], data);
        } else if (format === 'jwk') {
          type = data.d !== undefined ? 'private' : 'public';
          checkUsages(usages, type === 'public' ? publicUsages : privateUsages);
          checkJwkCommon(data, 'EC', use, usages, extractable);
          if (data.crv !== curve) throw dataError(`the JSON Web Key's 'crv' must be '${curve}'`);
          if (CURVE[curve] === undefined) throw dataError(`the curve '${curve}' is not supported`);
          if (isEcdsa && data.alg !== undefined && data.alg !== ECDSA_JWK_ALG[curve]) {
            throw dataError(`the JSON Web Key's 'alg' must be '${ECDSA_JWK_ALG[curve]}'`);
          }
          const x = unbase64url(data.x, 'x'), y = unbase64url(data.y, 'y');
          const d = type === 'private' ? unbase64url(data.d, 'd') : null;
          handle = run(OP.IMPORT_EC_JWK, CURVE[curve], x, y, d);
        } else {
          throw notSupported(`${name} keys cannot be imported from '${format}'`);
        }
        return newKey(type, extractable, { name, namedCurve: curve }, intersect(usages, USAGES), handle);
      },
      exportKey(format, key) {
        if (format === 'spki' || format === 'raw') {
          requireType(key, 'public');
          return run(format === 'spki' ? OP.EXPORT_SPKI : OP.EXPORT_RAW, key.handle);
        }
        if (format === 'pkcs8') {
          requireType(key, 'private');
          return run(OP.EXPORT_PKCS8, key.handle);
        }
        const v = run(OP.EXPORT_JWK, key.handle);
        const jwk = { crv: key.algorithm.namedCurve };
        if (key.type === 'private') jwk.d = base64url(v[2]);
        jwk.ext = key.extractable;
        jwk.key_ops = [...key.usages];
        jwk.kty = 'EC';
        jwk.x = base64url(v[0]);
        jwk.y = base64url(v[1]);
        return jwk;
      },
      ...ops,
    };
  }
  defineEc('ECDSA', ['sign'], ['verify'], 'sig', {
    sign(alg, key, data) {
      requireType(key, 'private');
      return run(OP.SIGN, SCHEME_ECDSA, HASH[alg.hash.name], key.handle, 0, data);
    },
    verify(alg, key, signature, data) {
      requireType(key, 'public');
      return run(OP.VERIFY, SCHEME_ECDSA, HASH[alg.hash.name], key.handle, 0, data, signature);
    },
  });

  // ECDH, X25519, X448 deriveBits.
  function keyAgreement(alg, key, length) {
    requireType(key, 'private');
    const pub = keySlots(alg.public);
    if (pub.type !== 'public') throw accessError('the public member must be a public key');
    if (pub.algorithm.name !== key.algorithm.name) {
      throw accessError(`the public key is not an ${key.algorithm.name} key`);
    }
    if (pub.algorithm.namedCurve !== key.algorithm.namedCurve) {
      throw accessError('the public key is on another curve');
    }
    return chain(run(OP.DH, key.handle, pub.handle), (secret) => truncateBits(secret, length));
  }
  defineEc('ECDH', ['deriveKey', 'deriveBits'], [], 'enc', { deriveBits: keyAgreement });

  // Ed25519, Ed448, X25519, X448 (§25, §26 and Secure Curves)
  function defineCfrg(name, privateUsages, publicUsages, use, ops) {
    const isEd = name[0] === 'E';
    const type = OKP[name];
    algs[name] = {
      generateKey(alg, extractable, usages) {
        checkUsages(usages, [...privateUsages, ...publicUsages]);
        return pairOf(run(OP.GEN_OKP, type), { name }, extractable, usages, privateUsages, publicUsages);
      },
      importKey(format, data, alg, extractable, usages) {
        let handle, kind;
        if (format === 'spki' || format === 'pkcs8') {
          kind = format === 'spki' ? 'public' : 'private';
          checkUsages(usages, kind === 'public' ? publicUsages : privateUsages);
          const info = importDer(format, data);
          if (info[1] !== KIND_OKP || info[2] !== type) throw dataError(`the key is not an ${name} key`);
          handle = info[0];
        } else if (format === 'raw') {
          kind = 'public';
          checkUsages(usages, publicUsages);
          handle = run(OP.IMPORT_OKP_RAW, type, data);
        } else if (format === 'jwk') {
          kind = data.d !== undefined ? 'private' : 'public';
          checkUsages(usages, kind === 'public' ? publicUsages : privateUsages);
          if (data.kty !== 'OKP') throw dataError("the JSON Web Key's 'kty' must be 'OKP'");
          if (data.crv !== name) throw dataError(`the JSON Web Key's 'crv' must be '${name}'`);
          if (isEd && data.alg !== undefined && data.alg !== name && data.alg !== 'EdDSA') {
            throw dataError(`the JSON Web Key's 'alg' must be '${name}' or 'EdDSA'`);
          }
          checkJwkCommon(data, 'OKP', use, usages, extractable);
          const x = unbase64url(data.x, 'x');
          const d = kind === 'private' ? unbase64url(data.d, 'd') : null;
          handle = run(OP.IMPORT_OKP_JWK, type, x, d);
        } else {
          throw notSupported(`${name} keys cannot be imported from '${format}'`);
        }
        return newKey(kind, extractable, { name }, intersect(usages, USAGES), handle);
      },
      exportKey(format, key) {
        if (format === 'spki' || format === 'raw') {
          requireType(key, 'public');
          return run(format === 'spki' ? OP.EXPORT_SPKI : OP.EXPORT_RAW, key.handle);
        }
        if (format === 'pkcs8') {
          requireType(key, 'private');
          return run(OP.EXPORT_PKCS8, key.handle);
        }
        const v = run(OP.EXPORT_JWK, key.handle);
        const jwk = {};
        if (isEd) jwk.alg = name;
        jwk.crv = name;
        if (key.type === 'private') jwk.d = base64url(v[1]);
        jwk.ext = key.extractable;
        jwk.key_ops = [...key.usages];
        jwk.kty = 'OKP';
        jwk.x = base64url(v[0]);
        return jwk;
      },
      ...ops,
    };
  }
  function eddsa(name) {
    return {
      sign(alg, key, data) {
        requireType(key, 'private');
        if (alg.context !== undefined && alg.context.length > 0) {
          throw notSupported(`${name} contexts are not supported`);
        }
        return run(OP.SIGN, SCHEME_EDDSA, 0, key.handle, 0, data);
      },
      verify(alg, key, signature, data) {
        requireType(key, 'public');
        if (alg.context !== undefined && alg.context.length > 0) {
          throw notSupported(`${name} contexts are not supported`);
        }
        return run(OP.VERIFY, SCHEME_EDDSA, 0, key.handle, 0, data, signature);
      },
    };
  }
  defineCfrg('Ed25519', ['sign'], ['verify'], 'sig', eddsa('Ed25519'));
  defineCfrg('Ed448', ['sign'], ['verify'], 'sig', eddsa('Ed448'));
  defineCfrg('X25519', ['deriveKey', 'deriveBits'], [], 'enc', { deriveBits: keyAgreement });
  defineCfrg('X448', ['deriveKey', 'deriveBits'], [], 'enc', { deriveBits: keyAgreement });

  // --- the "in parallel" steps shared by several methods ---------------------------------------

  function exportSteps(format, key) {
    const impl = algs[key.algorithm.name];
    if (impl.exportKey === undefined) throw notSupported(`${key.algorithm.name} keys cannot be exported`);
    if (!key.extractable) throw accessError('the key is not extractable');
    return impl.exportKey(format, key);
  }

  function importSteps(format, keyData, alg, extractable, usages) {
    return chain(algs[alg.name].importKey(format, keyData, alg, extractable, usages), (key) => {
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
    const f = algs[alg.name][op];
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
        algs[alg.name].checkGenerateParams?.(alg);
      } catch (e) {
        return rejected(e);
      }
      return settle(() => chain(algs[alg.name].generateKey(alg, extractable, usages), (result) => {
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
        const length = algs[lengthAlg.name].getKeyLength(lengthAlg);
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
        data = isBuffer ? toBufferSource(keyData, 'importKey: keyData') : toJsonWebKey(keyData);
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
        const impl = algs[alg.name];
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
        const impl = algs[alg.name];
        const key = impl.unwrapKey !== undefined ? impl.unwrapKey(alg, uk, bytes)
          : operation(alg, 'decrypt')(alg, uk, bytes);
        return chain(key, (b) => {
          const data = format === 'jwk' ? parseJwk(new Uint8Array(b)) : b;
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
