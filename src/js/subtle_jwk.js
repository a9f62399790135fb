(function (native, internal) {
  'use strict';

  // JSON Web Keys for subtle.js: the JsonWebKey dictionary's conversion, "parse a JWK", base64url
  // and the checks every algorithm's JWK import makes. Installed by the first JSON Web Key
  // converted, imported or exported (subtle.js's jwk()), not by keys in other formats.

  const { toDOMString } = internal;
  const { toSequence, dataError, arrayIncludes } = internal.subtleParts;
  const jsonParse = JSON.parse;

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

  // WebCrypto section 16 "parse a JWK" (unwrapKey): errors are DataErrors.
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

  internal.subtleJwk = { toJsonWebKey, parseJwk, base64url, unbase64url, checkJwkCommon };
})
