(function (native, internal) {
  'use strict';

  // ECDSA, ECDH, Ed25519, X25519, Ed448 and X448 for subtle.js, installed on the first use of one
  // of them (subtle.js's implOf()).

  const {
    algs, run, OP, HASH, arrayBufferSlice, notSupported, accessError, dataError, operationError,
    chain, USAGES, intersect, checkUsages, newKey, keySlots, pairOf, requireType, importDer,
    base64url, unbase64url, checkJwkCommon,
  } = internal.subtleParts;
  // Shared with src/web/crypto.h.
  const CURVE = { 'P-256': 1, 'P-384': 2, 'P-521': 3 };
  const CURVE_NAME = [undefined, 'P-256', 'P-384', 'P-521'];
  const OKP = { Ed25519: 1, X25519: 2, Ed448: 3, X448: 4 };
  const KIND_EC = 2, KIND_OKP = 3;
  const SCHEME_ECDSA = 3, SCHEME_EDDSA = 4;

  function truncateBits(secret, length) {
    if (length === null) return secret;
    if (length > secret.byteLength * 8) throw operationError('the key cannot derive that many bits');
    const out = new Uint8Array(arrayBufferSlice.call(secret, 0, Math.ceil(length / 8)));
    if (length % 8) out[out.length - 1] &= (0xff << (8 - (length % 8))) & 0xff;
    return out.buffer;
  }

  // The 'spki', 'pkcs8' and 'raw' (the public point) exports of EC and CFRG keys.
  function exportBinary(format, key) {
    if (format === 'pkcs8') {
      requireType(key, 'private');
      return run(OP.EXPORT_PKCS8, key.handle);
    }
    requireType(key, 'public');
    return run(format === 'spki' ? OP.EXPORT_SPKI : OP.EXPORT_RAW, key.handle);
  }

  // ECDSA and ECDH (WebCrypto sections 23, 24)
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
        if (format !== 'jwk') return exportBinary(format, key);
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

  // Ed25519, Ed448, X25519, X448 (sections 25, 26 and Secure Curves)
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
        if (format !== 'jwk') return exportBinary(format, key);
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
})
