(function (native, internal) {
  'use strict';

  // AES-CTR, AES-CBC, AES-GCM and AES-KW for subtle.js, installed on the first use of one of them
  // (subtle.js's implOf()).

  const {
    algs, run, OP, arrayIncludes, notSupported, dataError, operationError, byteLength, USAGES,
    intersect, checkUsages, newKey, base64url, unbase64url, checkJwkCommon,
  } = internal.subtleParts;

  // AES (WebCrypto sections 27-30)
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
})
