(function (native, internal) {
  'use strict';

  // HMAC, PBKDF2 and HKDF for subtle.js, installed on the first use of one of them (subtle.js's
  // implOf()).

  const {
    algs, run, OP, HASH, notSupported, syntaxError, dataError, operationError, byteLength, USAGES,
    intersect, checkUsages, newKey, base64url, unbase64url, checkJwkCommon,
  } = internal.subtleParts;
  const HASH_BLOCK_BITS = { 'SHA-1': 512, 'SHA-256': 512, 'SHA-384': 1024, 'SHA-512': 1024 };

  // HMAC (WebCrypto section 31)
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

  // PBKDF2 and HKDF (sections 32, 33): raw import only, never extractable, no export.
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
})
