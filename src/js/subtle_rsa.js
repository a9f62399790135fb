(function (native, internal) {
  'use strict';

  // RSASSA-PKCS1-v1_5, RSA-PSS and RSA-OAEP for subtle.js, installed on the first use of one of
  // them (subtle.js's implOf()).

  const {
    algs, run, OP, HASH, notSupported, dataError, operationError, chain, USAGES, intersect,
    checkUsages, newKey, pairOf, requireType, importDer, base64url, unbase64url, checkJwkCommon,
  } = internal.subtleParts;
  // Shared with src/web/crypto.h.
  const KIND_RSA = 1;
  const SCHEME_RSASSA = 1, SCHEME_PSS = 2;

  // RSA (WebCrypto sections 20-22)
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
})
