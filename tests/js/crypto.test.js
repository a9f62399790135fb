// crypto, SubtleCrypto and CryptoKey (W3C Web Cryptography API), with the published test vectors:
// FIPS 180-2 (SHA), RFC 4231 (HMAC), the GCM specification's test cases (McGrew & Viega, as NIST
// published them), NIST SP 800-38A (AES-CBC, AES-CTR), RFC 3394 (AES-KW), RFC 6070 and RFC 7914
// §11 (PBKDF2), RFC 5869 (HKDF), RFC 8032 (Ed25519), RFC 7748 (X25519), RFC 6979 (ECDSA P-256
// verification), and every DOMException name the specification gives a failure.
'use strict';

const subtle = crypto.subtle;
const enc = (s) => new TextEncoder().encode(s);
const hex = (b) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (s) => new Uint8Array(s.match(/../g)?.map((h) => parseInt(h, 16)) ?? []);
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
function unbase64(s) {
  const out = [];
  let acc = 0, bits = 0;
  for (const c of s.replace(/=+$/, '')) {
    acc = (acc << 6) | B64.indexOf(c);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  return new Uint8Array(out);
}
const repeat = (byte, n) => new Uint8Array(n).fill(byte);
const range = (from, to) => Uint8Array.from({ length: to - from }, (_, i) => from + i);

// Resolves to the DOMException (or TypeError) name the promise rejected with.
async function rejectsWith(promise, name, msg) {
  try {
    await promise;
  } catch (e) {
    assertEqual(e.name, name, msg);
    if (!/^(Type|Range)Error$/.test(name)) assert(e instanceof DOMException, `${msg || name}: not a DOMException`);
    return e;
  }
  throw new Error(`${msg ? msg + ': ' : ''}expected a rejection with ${name}, but it fulfilled`);
}

// Whether a promise settled before or after a microtask queued right after the call (as the
// web-platform-tests check it): argument and algorithm errors reject at once, the rest later.
function settleTiming(promise) {
  let microtask = false;
  const p = promise.then(() => (microtask ? 'fulfilled late' : 'fulfilled early'),
    () => (microtask ? 'rejected late' : 'rejected early'));
  Promise.resolve().then(() => {
    microtask = true;
  });
  return p;
}

// A 2048-bit RSA key and what Python's `cryptography` (OpenSSL underneath, but not eddy's code)
// made with it: PKCS#1 v1.5 / SHA-256 and PSS / SHA-384 (salt 48) signatures of "sample", and an
// RSA-OAEP / SHA-256 encryption of "hello" with the label "label".
const RSA = {
  pkcs8:
    'MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDSAEgN8k6cRGVcZuo89UDpH+5qbhQJKPJYwrdRzkDe' +
    'NxqID8M2b/oyRwLZDVOpvjMB1yHLqICbroZ2NHR+WoD64beONX+yneUP3ymIK5neakb4/Bq+Bo3iVzW36+Wxdi8xI9x6' +
    'kjATPv2J281MSRK8iDapVNqiTg5CMYVxgoSs+n28Y3ju1HUcHViYAeaWNOhKbqDzYuWfRGgYVGJ24GjXNT/O4i4oXMmo' +
    '50I/qwj7pyVzyCOn/zUpNCxfpwgGJlhaGfthHwDtiCalYN2Sm4+7g9daYiO+iXyJ00a4L0zLKDL1Qq4rgXSXyHbuXfms' +
    '2/60M2yX6if5EqhhCHpUutbvAgMBAAECggEACVNYsUEhWekSAfjGvMefjM8TbWHg2loCMXT3bqJvAaaBPvrslDNs5YF/' +
    'JI+UiPJQAI8lp3bY6n98iNwWeM6DzpqBiRh5vQUU0Gc2pYe232VpQ4bZDPz4KNlL9CugYjc2lQMzLG8tCXROVE05jAJh' +
    'cghSruj8bc/npkiX4JXHVs7kZ96zn/VuGOT0j0O45cMIQ2xZzOok9XrGn9srLgIqmihBwZDlp1clAX2ZVl3lp3tKVCr0' +
    'nnkuQzXgEg2MEWE8HUuLdPTHfMiHiR19y8wMj5z25xgU/J5UV3N9NgcvI48fnBK6RrOBOj4rRXKeuHziv0fjYHoJmYA3' +
    '1w81Y525dQKBgQD7MsO1fz/4ZNSDNh9azC5jJgcSu4EBv7uOFDKc13xh2M17wOFsRlN0X/ir0P5U5F6d+Qk9c/56rUli' +
    'bshOpQWM2rdXflgmjhedztGitQez1z403R1TffFMEkR2UO6WowVN0NipoAluuTqffzbc0imRk995Am+cGPYLOW2RRqbI' +
    'swKBgQDWA+tFo4mK+TAl4pLnx53ds2Tmpk393QHJlmNv5jHETCQU/wMFZMFMDIQo36FdzVHEGPtfWrI2ezehtlIDS249' +
    'HnjhcJaSAoRuGL/LE0fRzDQ0ZgxGM2+rgJ72A5JyRaMDoc/Bjy/BdNgBSEI+ERi/FcXA7Ndkew3wJbOe13u+1QKBgQCy' +
    'TMgprdcEQt2s/N+onUFX0wg2Pa1GRoekQ6XhOfrpoO/JpZDcP9bAxdZGbqP4MdkPHFN4sTqybQmnuqanW+7imeSFUALV' +
    '6wnMU57tdL2w41keQMyuFLkPm+/IY43WkoQTRehkDlpjo0p/J9cTSoGC+Ykn5Zi/HeCW+v5QneuIjQKBgQCi7pzhiZ2f' +
    'RhMX5KT+/IP9UyRQTPA3g1hnBq1xdYkR7v3RVkwQgSKAKU88ZvTNGxFS/8nwUHY48BnsbYeGppiow1g4GaUoR+5We1UY' +
    '3/bfjF16Pu69S0+K/AMJPLLzeHyguUIYFFDBMZl5cG+uHQoAAC1rsWRSRTTZTXqwRVEaeQKBgCzIfhNw1zo2CpYoEIoN' +
    '0NSeTULTunF2zKEN4fLOv6gpkhFBFP4I2E9s2zXEChOKML/PenKkyopq5WojHoiBUZjbjPofp0KRPYigeGoJ63/lt8f5' +
    'xtv0vbRdyQdAgQwWGRZTL7x4MPlNjwJ9FrEq06/myiEEicHzllYEY+ghFHjc',
  spki:
    'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA0gBIDfJOnERlXGbqPPVA6R/uam4UCSjyWMK3Uc5A3jcaiA/D' +
    'Nm/6MkcC2Q1Tqb4zAdchy6iAm66GdjR0flqA+uG3jjV/sp3lD98piCuZ3mpG+PwavgaN4lc1t+vlsXYvMSPcepIwEz79' +
    'idvNTEkSvIg2qVTaok4OQjGFcYKErPp9vGN47tR1HB1YmAHmljToSm6g82Lln0RoGFRiduBo1zU/zuIuKFzJqOdCP6sI' +
    '+6clc8gjp/81KTQsX6cIBiZYWhn7YR8A7YgmpWDdkpuPu4PXWmIjvol8idNGuC9Myygy9UKuK4F0l8h27l35rNv+tDNs' +
    'l+on+RKoYQh6VLrW7wIDAQAB',
  pkcs1Signature:
    'c8411bf8dda92634de89090de09f8e97dd9ec4bca58cda4be4104e951b0f5d52c3fee218cab6f39dcf61df82245e' +
    '43d5e7bf94b22c91318b3c004d4c128be59f2df8fa0e20b831d226846602bc6dcc0d28e362c0379f46059664941c' +
    'da4cd3cfdccc971cdc3e1b76996ede26907c8fcfa12d75bd6fd8a404a5607fc27bcb5f1cf50f2f5ec67d99748dfe' +
    '1bc03085df0ffa4c78a210202a508db1e7f88cb77909d39e81f76dbd9f5b1e91dc60dcb3f3b9052b681e21178bde' +
    'c95d590201ebcbd59b0fdf3374769a1b64beafeda52703b1e66865ac4e0addc1734a551771b1e84d6b320e4def92' +
    '8290dbecff4e029610b7d6d9951995ec4760865a41903050a0f7',
  pssSignature:
    'b4278ee675d0d3dee08bfcd187ad21f11aa9e6796e77df1719f1e14b29bec2ff7e3e285f80ac7d2a05bbb7c6265e' +
    'd1a1ef2de9703d38ac23fda55d68775c186ad31f1e345e1fa91180c177dc9c9934b5897be8623a48062b288fa1ae' +
    '8a0e1e0671faa7be9995cf29c4bac86098b877856a83e86519f85ecf567788ceec25309aa989c547f2e260a574bc' +
    '430459475bbd7115168edff19f4a0a7fec6fd8b492d9b485f3628bc5f0f4981685c4a6d35f53eaab904a116c9e47' +
    '0200a10b20110dfdc6d14047f294a4de962571f0e8d585c42b3d855eb63110798b898b577de7b3711a0649926d79' +
    'fdb12a131b31066f28d04b00b791af0ba4caf8e5714cb18987f0',
  oaepCiphertext:
    '50087d04a37597bde39fdc5417f1a4faafee6b546529ee09e30427852a4d0908919d27e1e3a46e8fab5ef40a3ce8' +
    '4d5020a37dd46974baea6f76faa317d52b9aea75742459c5a128e1c63bd31e463d64a5030218292989dc0727b96a' +
    '0c4c02b4172a42f568b66e7800878539b967ba66f7ecf3f9e6fd56eca5a3d16f06dce132d12a77af74d48861994b' +
    '3efdf2c9fd4e446b7cb72b35f0295341c20c06259228de0b70a5f21c43f94ac20d6b0723c8ff251c8ca766928c23' +
    '9d0273b01a76ab472a2b0f9c52078bea19b3b19bfc263e768eb9997331659bcc475f47a48695d9c7b61a2c25fe65' +
    'cdcf385a2cf843f12fe6bd251420452a34a9a1012d1d5e01aa29',
  jwk: {
    n:
      '0gBIDfJOnERlXGbqPPVA6R_uam4UCSjyWMK3Uc5A3jcaiA_DNm_6MkcC2Q1Tqb4zAdchy6iAm66GdjR0flqA-uG3jjV_' +
      'sp3lD98piCuZ3mpG-PwavgaN4lc1t-vlsXYvMSPcepIwEz79idvNTEkSvIg2qVTaok4OQjGFcYKErPp9vGN47tR1HB1Y' +
      'mAHmljToSm6g82Lln0RoGFRiduBo1zU_zuIuKFzJqOdCP6sI-6clc8gjp_81KTQsX6cIBiZYWhn7YR8A7YgmpWDdkpuP' +
      'u4PXWmIjvol8idNGuC9Myygy9UKuK4F0l8h27l35rNv-tDNsl-on-RKoYQh6VLrW7w',
    e:
      'AQAB',
    d:
      'CVNYsUEhWekSAfjGvMefjM8TbWHg2loCMXT3bqJvAaaBPvrslDNs5YF_JI-UiPJQAI8lp3bY6n98iNwWeM6DzpqBiRh5' +
      'vQUU0Gc2pYe232VpQ4bZDPz4KNlL9CugYjc2lQMzLG8tCXROVE05jAJhcghSruj8bc_npkiX4JXHVs7kZ96zn_VuGOT0' +
      'j0O45cMIQ2xZzOok9XrGn9srLgIqmihBwZDlp1clAX2ZVl3lp3tKVCr0nnkuQzXgEg2MEWE8HUuLdPTHfMiHiR19y8wM' +
      'j5z25xgU_J5UV3N9NgcvI48fnBK6RrOBOj4rRXKeuHziv0fjYHoJmYA31w81Y525dQ',
    p:
      '-zLDtX8_-GTUgzYfWswuYyYHEruBAb-7jhQynNd8YdjNe8DhbEZTdF_4q9D-VORenfkJPXP-eq1JYm7ITqUFjNq3V35Y' +
      'Jo4Xnc7RorUHs9c-NN0dU33xTBJEdlDulqMFTdDYqaAJbrk6n3823NIpkZPfeQJvnBj2CzltkUamyLM',
    q:
      '1gPrRaOJivkwJeKS58ed3bNk5qZN_d0ByZZjb-YxxEwkFP8DBWTBTAyEKN-hXc1RxBj7X1qyNns3obZSA0tuPR544XCW' +
      'kgKEbhi_yxNH0cw0NGYMRjNvq4Ce9gOSckWjA6HPwY8vwXTYAUhCPhEYvxXFwOzXZHsN8CWzntd7vtU',
    dp:
      'skzIKa3XBELdrPzfqJ1BV9MINj2tRkaHpEOl4Tn66aDvyaWQ3D_WwMXWRm6j-DHZDxxTeLE6sm0Jp7qmp1vu4pnkhVAC' +
      '1esJzFOe7XS9sONZHkDMrhS5D5vvyGON1pKEE0XoZA5aY6NKfyfXE0qBgvmJJ-WYvx3glvr-UJ3riI0',
    dq:
      'ou6c4Ymdn0YTF-Sk_vyD_VMkUEzwN4NYZwatcXWJEe790VZMEIEigClPPGb0zRsRUv_J8FB2OPAZ7G2HhqaYqMNYOBml' +
      'KEfuVntVGN_234xdej7uvUtPivwDCTyy83h8oLlCGBRQwTGZeXBvrh0KAAAta7FkUkU02U16sEVRGnk',
    qi:
      'LMh-E3DXOjYKligQig3Q1J5NQtO6cXbMoQ3h8s6_qCmSEUEU_gjYT2zbNcQKE4owv896cqTKimrlaiMeiIFRmNuM-h-n' +
      'QpE9iKB4agnrf-W3x_nG2_S9tF3JB0CBDBYZFlMvvHgw-U2PAn0WsSrTr-bKIQSJwfOWVgRj6CEUeNw',
  },
};

// --- crypto -------------------------------------------------------------------------------------

test('crypto is a Crypto with one SubtleCrypto; the interfaces cannot be constructed', () => {
  assert(crypto instanceof Crypto);
  assert(crypto.subtle instanceof SubtleCrypto);
  assert(crypto.subtle === crypto.subtle, 'subtle is [SameObject]');
  assertEqual(Object.prototype.toString.call(crypto), '[object Crypto]');
  assertEqual(Object.prototype.toString.call(crypto.subtle), '[object SubtleCrypto]');
  assertThrows(() => new Crypto(), TypeError);
  assertThrows(() => new SubtleCrypto(), TypeError);
  assertThrows(() => new CryptoKey(), TypeError);
  const d = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
  assert(d.writable && d.configurable && !d.enumerable, 'crypto is a Web IDL global');
  assertEqual(SubtleCrypto.prototype.deriveBits.length, 2);
  assertEqual(SubtleCrypto.prototype.unwrapKey.length, 7);
});

test('getRandomValues fills every integer typed array and returns it', () => {
  for (const C of [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array,
    Uint32Array, BigInt64Array, BigUint64Array]) {
    const a = new C(64);
    assert(crypto.getRandomValues(a) === a, C.name);
    assert(a.some((x) => x !== 0 && x !== 0n), `${C.name} stayed zero`);
  }
  class Sub extends Uint16Array {}
  crypto.getRandomValues(new Sub(8));
  assertEqual(crypto.getRandomValues(new Uint8Array(0)).length, 0);
  const view = new Uint8Array(new ArrayBuffer(32), 8, 8);
  crypto.getRandomValues(view);
  assert(new Uint8Array(view.buffer, 0, 8).every((x) => x === 0), 'bytes before the view untouched');
  assert(new Uint8Array(view.buffer, 16).every((x) => x === 0), 'bytes after the view untouched');
});

test('getRandomValues: 65536 bytes is the quota, more is a QuotaExceededError', () => {
  crypto.getRandomValues(new Uint8Array(65536));
  crypto.getRandomValues(new BigUint64Array(8192));
  for (const a of [new Uint8Array(65537), new Uint32Array(16385), new BigInt64Array(8193)]) {
    const e = assertThrows(() => crypto.getRandomValues(a), DOMException);
    assertEqual(e.name, 'QuotaExceededError');
    assertEqual(e.code, 22);
    assert(e.constructor === QuotaExceededError, 'the QuotaExceededError interface');
    assertEqual([e.quota, e.requested], [null, null]);
  }
});

test('getRandomValues: float arrays and DataView are a TypeMismatchError, non-views a TypeError', () => {
  const arrays = [new Float32Array(4), new Float64Array(4), new DataView(new ArrayBuffer(4)),
    new Float64Array(65536)];
  if (typeof Float16Array === 'function') arrays.push(new Float16Array(4));
  for (const a of arrays) {
    const e = assertThrows(() => crypto.getRandomValues(a), DOMException);
    assertEqual(e.name, 'TypeMismatchError', Object.prototype.toString.call(a));
    assertEqual(e.code, 17);
  }
  assertThrows(() => crypto.getRandomValues(new ArrayBuffer(8)), TypeError);
  assertThrows(() => crypto.getRandomValues([1, 2]), TypeError);
  assertThrows(() => crypto.getRandomValues(), TypeError);
  assertThrows(() => Crypto.prototype.getRandomValues.call({}, new Uint8Array(1)), TypeError);
});

test('randomUUID is a version 4 variant 1 UUID, different each time', () => {
  const seen = new Set();
  for (let i = 0; i < 100; i++) {
    const u = crypto.randomUUID();
    assert(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(u), u);
    seen.add(u);
  }
  assertEqual(seen.size, 100);
});

// --- digest -------------------------------------------------------------------------------------

const M448 = 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq';
const M896 = 'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu';
const FIPS180 = [
  ['SHA-1', 'abc', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
  ['SHA-1', M448, '84983e441c3bd26ebaae4aa1f95129e5e54670f1'],
  ['SHA-256', 'abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ['SHA-256', M448, '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
  ['SHA-256', '', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['SHA-384', 'abc', 'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7'],
  ['SHA-384', M896, '09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039'],
  ['SHA-512', 'abc', 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f'],
  ['SHA-512', M896, '8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909'],
];

test('digest: the FIPS 180-2 examples', async () => {
  for (const [alg, msg, expected] of FIPS180) {
    assertEqual(hex(await subtle.digest(alg, enc(msg))), expected, `${alg}(${msg.slice(0, 8)})`);
  }
});

test('digest: one million "a" (large inputs run on the thread pool)', async () => {
  const a = repeat(0x61, 1000000);
  const [s1, s256, s512] = await Promise.all([subtle.digest('SHA-1', a), subtle.digest({ name: 'sha-256' }, a),
    subtle.digest('SHA-512', a.buffer)]);
  assertEqual(hex(s1), '34aa973cd4c4daa4f61eeb2bdbad27316534016f');
  assertEqual(hex(s256), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  assertEqual(hex(s512), 'e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b');
});

test('digest reads the bytes at the call: changing them afterwards changes nothing', async () => {
  for (const size of [3, 200000]) {
    const data = repeat(0x61, size);
    const p = subtle.digest('SHA-256', data);
    data.fill(0);
    const expected = await subtle.digest('SHA-256', repeat(0x61, size));
    assertEqual(hex(await p), hex(expected), `${size} bytes`);
  }
});

test('digest takes every BufferSource: views at an offset, DataView, ArrayBuffer', async () => {
  const buf = enc('xxabcxx').buffer;
  const expected = FIPS180[2][2];
  assertEqual(hex(await subtle.digest('SHA-256', new Uint8Array(buf, 2, 3))), expected);
  assertEqual(hex(await subtle.digest('SHA-256', new DataView(buf, 2, 3))), expected);
  assertEqual(hex(await subtle.digest('SHA-256', enc('abc').buffer)), expected);
  await rejectsWith(subtle.digest('SHA-256', 'abc'), 'TypeError');
  if (typeof SharedArrayBuffer === 'function') {
    await rejectsWith(subtle.digest('SHA-256', new Uint8Array(new SharedArrayBuffer(4))), 'TypeError');
  }
  if (typeof ArrayBuffer.prototype.resize === 'function') {
    await rejectsWith(subtle.digest('SHA-256', new ArrayBuffer(4, { maxByteLength: 8 })), 'TypeError', 'resizable');
  }
});

test('algorithm names match ASCII case-insensitively, and only ASCII', async () => {
  assertEqual(hex(await subtle.digest('sHa-256', enc('abc'))), FIPS180[2][2]);
  await rejectsWith(subtle.digest('SHA-256\u0130', enc('abc')), 'NotSupportedError');
  // U+017F LATIN SMALL LETTER LONG S upper-cases to S in Unicode, not in ASCII.
  await rejectsWith(subtle.generateKey({ name: 'ECD\u017FA', namedCurve: 'P-256' }, true, ['sign']),
    'NotSupportedError');
});

// --- HMAC ---------------------------------------------------------------------------------------

const RFC4231 = [
  [repeat(0x0b, 20), enc('Hi There'), {
    'SHA-256': 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    'SHA-384': 'afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6',
    'SHA-512': '87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854',
  }],
  [enc('Jefe'), enc('what do ya want for nothing?'), {
    'SHA-256': '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    'SHA-384': 'af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649',
    'SHA-512': '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
  }],
  [repeat(0xaa, 20), repeat(0xdd, 50), {
    'SHA-256': '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe',
    'SHA-512': 'fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb',
  }],
  [range(1, 26), repeat(0xcd, 50), {
    'SHA-256': '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
  }],
  [repeat(0xaa, 131), enc('Test Using Larger Than Block-Size Key - Hash Key First'), {
    'SHA-256': '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    'SHA-384': '4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952',
    'SHA-512': '80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598',
  }],
  [repeat(0xaa, 131), enc('This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.'), {
    'SHA-256': '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
    'SHA-512': 'e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58',
  }],
];

test('HMAC: the RFC 4231 test cases sign and verify', async () => {
  for (const [i, [key, data, macs]] of RFC4231.entries()) {
    for (const [hash, expected] of Object.entries(macs)) {
      const k = await subtle.importKey('raw', key, { name: 'HMAC', hash }, false, ['sign', 'verify']);
      assertEqual(hex(await subtle.sign('HMAC', k, data)), expected, `case ${i + 1} ${hash}`);
      assertEqual(await subtle.verify('HMAC', k, unhex(expected), data), true);
      const wrong = unhex(expected);
      wrong[0] ^= 1;
      assertEqual(await subtle.verify('HMAC', k, wrong, data), false);
      assertEqual(await subtle.verify('HMAC', k, unhex(expected).slice(1), data), false, 'short MAC');
    }
  }
});

test('HMAC keys: generated length defaults to the block size; JWK round trip', async () => {
  const k = await subtle.generateKey({ name: 'HMAC', hash: 'SHA-384' }, true, ['sign']);
  assertEqual(k.algorithm, { name: 'HMAC', hash: { name: 'SHA-384' }, length: 1024 });
  assertEqual((await subtle.exportKey('raw', k)).byteLength, 128);
  const jwk = await subtle.exportKey('jwk', k);
  assertEqual(Object.keys(jwk), ['alg', 'ext', 'k', 'key_ops', 'kty']);
  assertEqual([jwk.alg, jwk.kty, jwk.ext, jwk.key_ops], ['HS384', 'oct', true, ['sign']]);
  const back = await subtle.importKey('jwk', jwk, { name: 'HMAC', hash: 'SHA-384' }, true, ['sign']);
  assertEqual(hex(await subtle.exportKey('raw', back)), hex(await subtle.exportKey('raw', k)));
  const short = await subtle.importKey('raw', repeat(1, 4), { name: 'HMAC', hash: 'SHA-1', length: 27 }, true, ['verify']);
  assertEqual(short.algorithm.length, 27);
  await rejectsWith(subtle.importKey('raw', repeat(1, 4), { name: 'HMAC', hash: 'SHA-1', length: 24 }, true, ['sign']), 'DataError');
  await rejectsWith(subtle.importKey('raw', repeat(1, 4), { name: 'HMAC', hash: 'SHA-1', length: 33 }, true, ['sign']), 'DataError');
  await rejectsWith(subtle.importKey('raw', new Uint8Array(0), { name: 'HMAC', hash: 'SHA-1' }, true, ['sign']), 'DataError');
  await rejectsWith(subtle.importKey('jwk', { ...jwk, alg: 'HS256' }, { name: 'HMAC', hash: 'SHA-384' }, true, ['sign']), 'DataError');
  await rejectsWith(subtle.generateKey({ name: 'HMAC', hash: 'SHA-1', length: 0 }, true, ['sign']), 'OperationError');
});

// --- AES ----------------------------------------------------------------------------------------

const GCM_P = 'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255';
const GCM_K = 'feffe9928665731c6d6a8f9467308308';
const GCM_A = 'feedfacedeadbeeffeedfacedeadbeefabaddad2';
// [test case, key, iv, plaintext, aad, ciphertext, tag]
const GCM = [
  [1, '0'.repeat(32), '0'.repeat(24), '', '', '', '58e2fccefa7e3061367f1d57a4e7455a'],
  [2, '0'.repeat(32), '0'.repeat(24), '0'.repeat(32), '', '0388dace60b6a392f328c2b971b2fe78', 'ab6e47d42cec13bdf53a67b21257bddf'],
  [3, GCM_K, 'cafebabefacedbaddecaf888', GCM_P, '', '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985', '4d5c2af327cd64a62cf35abd2ba6fab4'],
  [4, GCM_K, 'cafebabefacedbaddecaf888', GCM_P.slice(0, 120), GCM_A, '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091', '5bc94fbc3221a5db94fae95ae7121a47'],
  [5, GCM_K, 'cafebabefacedbad', GCM_P.slice(0, 120), GCM_A, '61353b4c2806934a777ff51fa22a4755699b2a714fcdc6f83766e5f97b6c742373806900e49f24b22b097544d4896b424989b5e1ebac0f07c23f4598', '3612d2e79e3b0785561be14aaca2fccb'],
  [6, GCM_K, '9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728c3c0c95156809539fcf0e2429a6b525416aedbf5a0de6a57a637b39b', GCM_P.slice(0, 120), GCM_A, '8ce24998625615b603a033aca13fb894be9112a5c3a211a8ba262a3cca7e2ca701e4a9a4fba43c90ccdcb281d48c7c6fd62875d2aca417034c34aee5', '619cc5aefffe0bfa462af43c1699d050'],
  [13, '0'.repeat(64), '0'.repeat(24), '', '', '', '530f8afbc74536b9a963b4f1c4cb738b'],
  [14, '0'.repeat(64), '0'.repeat(24), '0'.repeat(32), '', 'cea7403d4d606b6e074ec5d3baf39d18', 'd0d1c8a799996bf0265b98b5d48ab919'],
  [15, GCM_K + GCM_K, 'cafebabefacedbaddecaf888', GCM_P, '', '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad', 'b094dac5d93471bdec1a502270e3cc6c'],
];

test('AES-GCM: the GCM specification test cases encrypt and decrypt', async () => {
  for (const [n, k, iv, p, a, c, t] of GCM) {
    const key = await subtle.importKey('raw', unhex(k), 'AES-GCM', false, ['encrypt', 'decrypt']);
    const params = { name: 'AES-GCM', iv: unhex(iv) };
    if (a) params.additionalData = unhex(a);
    assertEqual(hex(await subtle.encrypt(params, key, unhex(p))), c + t, `test case ${n}`);
    assertEqual(hex(await subtle.decrypt(params, key, unhex(c + t))), p, `test case ${n} decrypt`);
    // A shorter tag is the tag's leading bytes.
    const short = { ...params, tagLength: 96 };
    assertEqual(hex(await subtle.encrypt(short, key, unhex(p))), c + t.slice(0, 24));
  }
});

test('AES-GCM: a wrong tag, AAD or truncated data is an OperationError', async () => {
  const [, k, iv, p, a, c, t] = GCM[3];
  const key = await subtle.importKey('raw', unhex(k), 'AES-GCM', false, ['decrypt', 'encrypt']);
  const params = { name: 'AES-GCM', iv: unhex(iv), additionalData: unhex(a) };
  const bad = unhex(c + t);
  bad[bad.length - 1] ^= 1;
  await rejectsWith(subtle.decrypt(params, key, bad), 'OperationError', 'tag');
  await rejectsWith(subtle.decrypt({ ...params, additionalData: enc('x') }, key, unhex(c + t)), 'OperationError', 'aad');
  await rejectsWith(subtle.decrypt(params, key, new Uint8Array(15)), 'OperationError', 'shorter than the tag');
  await rejectsWith(subtle.encrypt({ ...params, tagLength: 100 }, key, unhex(p)), 'OperationError', 'tagLength');
  await rejectsWith(subtle.encrypt({ ...params, tagLength: 256 }, key, unhex(p)), 'TypeError', 'octet range');
});

const SP800_38A_P = '6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710';
const AES128_K = '2b7e151628aed2a6abf7158809cf4f3c';
const AES256_K = '603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4';

test('AES-CBC: SP 800-38A F.2.1 and F.2.5 (with the PKCS#7 padding block after them)', async () => {
  const iv = unhex('000102030405060708090a0b0c0d0e0f');
  for (const [k, c] of [
    [AES128_K, '7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b273bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7'],
    [AES256_K, 'f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b'],
  ]) {
    const key = await subtle.importKey('raw', unhex(k), { name: 'AES-CBC' }, false, ['encrypt', 'decrypt']);
    const out = await subtle.encrypt({ name: 'AES-CBC', iv }, key, unhex(SP800_38A_P));
    assertEqual(out.byteLength, 80);
    assertEqual(hex(out).slice(0, 128), c);
    assertEqual(hex(await subtle.decrypt({ name: 'AES-CBC', iv }, key, out)), SP800_38A_P);
    await rejectsWith(subtle.decrypt({ name: 'AES-CBC', iv }, key, unhex(c)), 'OperationError', 'no valid padding');
    await rejectsWith(subtle.encrypt({ name: 'AES-CBC', iv: iv.slice(1) }, key, unhex(SP800_38A_P)), 'OperationError', 'iv length');
  }
});

test('AES-CTR: SP 800-38A F.5.1 and F.5.5', async () => {
  const counter = unhex('f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff');
  for (const [k, c] of [
    [AES128_K, '874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee'],
    [AES256_K, '601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c52b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6'],
  ]) {
    const key = await subtle.importKey('raw', unhex(k), 'AES-CTR', false, ['encrypt', 'decrypt']);
    const params = { name: 'AES-CTR', counter, length: 128 };
    assertEqual(hex(await subtle.encrypt(params, key, unhex(SP800_38A_P))), c);
    assertEqual(hex(await subtle.decrypt(params, key, unhex(c))), SP800_38A_P);
    assertEqual(hex(await subtle.encrypt(params, key, unhex(SP800_38A_P.slice(0, 38)))), c.slice(0, 38), 'partial block');
  }
});

test('AES-CTR: only the rightmost length bits count, and they wrap without touching the nonce', async () => {
  const key = await subtle.importKey('raw', unhex(AES128_K), 'AES-CTR', false, ['encrypt']);
  const nonce = 'f0f1f2f3f4f5f6f7';
  const data = new Uint8Array(48);
  const wrapped = await subtle.encrypt({ name: 'AES-CTR', counter: unhex(nonce + 'fffffffffffffffe'), length: 64 }, key, data);
  const fromZero = await subtle.encrypt({ name: 'AES-CTR', counter: unhex(nonce + '0000000000000000'), length: 64 }, key, data);
  assertEqual(hex(wrapped).slice(64), hex(fromZero).slice(0, 32), 'the third block uses counter 0');
  // length 1: two blocks at most.
  const c = unhex(nonce + '0000000000000001');
  await subtle.encrypt({ name: 'AES-CTR', counter: c, length: 1 }, key, new Uint8Array(32));
  await rejectsWith(subtle.encrypt({ name: 'AES-CTR', counter: c, length: 1 }, key, new Uint8Array(33)), 'OperationError');
  await rejectsWith(subtle.encrypt({ name: 'AES-CTR', counter: c, length: 0 }, key, data), 'OperationError');
  await rejectsWith(subtle.encrypt({ name: 'AES-CTR', counter: c, length: 129 }, key, data), 'OperationError');
  await rejectsWith(subtle.encrypt({ name: 'AES-CTR', counter: c.slice(1), length: 64 }, key, data), 'OperationError');
});

test('AES keys: generate, JWK round trip with alg, raw lengths', async () => {
  for (const [name, suffix] of [['AES-CBC', 'CBC'], ['AES-CTR', 'CTR'], ['AES-GCM', 'GCM'], ['AES-KW', 'KW']]) {
    for (const length of [128, 192, 256]) {
      const usages = name === 'AES-KW' ? ['wrapKey', 'unwrapKey'] : ['encrypt', 'decrypt'];
      const k = await subtle.generateKey({ name, length }, true, usages);
      assertEqual(k.algorithm, { name, length });
      const jwk = await subtle.exportKey('jwk', k);
      assertEqual(jwk.alg, `A${length}${suffix}`);
      assertEqual(unbase64(jwk.k.replace(/-/g, '+').replace(/_/g, '/')).length, length / 8);
      const back = await subtle.importKey('jwk', jwk, name, true, usages);
      assertEqual(hex(await subtle.exportKey('raw', back)), hex(await subtle.exportKey('raw', k)));
    }
  }
  await rejectsWith(subtle.importKey('raw', new Uint8Array(20), 'AES-GCM', true, ['encrypt']), 'DataError');
  await rejectsWith(subtle.generateKey({ name: 'AES-GCM', length: 64 }, true, ['encrypt']), 'OperationError');
  await rejectsWith(subtle.importKey('spki', new Uint8Array(16), 'AES-GCM', true, ['encrypt']), 'NotSupportedError');
});

test('AES-KW: RFC 3394 §4.1 and §4.6 through wrapKey and unwrapKey', async () => {
  for (const [kek, data, wrapped] of [
    ['000102030405060708090a0b0c0d0e0f', '00112233445566778899aabbccddeeff', '1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5'],
    ['000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', '00112233445566778899aabbccddeeff000102030405060708090a0b0c0d0e0f',
      '28c9f404c4b810f4cbccb35cfb87f8263f5786e2d80ed326cbc7f0e71a99f43bfb988b9b7a02dd21'],
  ]) {
    const wk = await subtle.importKey('raw', unhex(kek), 'AES-KW', false, ['wrapKey', 'unwrapKey']);
    const key = await subtle.importKey('raw', unhex(data), 'AES-GCM', true, ['encrypt']);
    assertEqual(hex(await subtle.wrapKey('raw', key, wk, 'AES-KW')), wrapped);
    const back = await subtle.unwrapKey('raw', unhex(wrapped), wk, 'AES-KW', 'AES-GCM', true, ['encrypt']);
    assertEqual(hex(await subtle.exportKey('raw', back)), data);
    const bad = unhex(wrapped);
    bad[3] ^= 1;
    await rejectsWith(subtle.unwrapKey('raw', bad, wk, 'AES-KW', 'AES-GCM', true, ['encrypt']), 'OperationError');
  }
});

// --- PBKDF2 and HKDF ----------------------------------------------------------------------------

const RFC6070 = [
  ['password', 'salt', 1, 20, '0c60c80f961f0e71f3a9b524af6012062fe037a6'],
  ['password', 'salt', 2, 20, 'ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957'],
  ['password', 'salt', 4096, 20, '4b007901b765489abead49d926f721d065a429c1'],
  ['passwordPASSWORDpassword', 'saltSALTsaltSALTsaltSALTsaltSALTsalt', 4096, 25, '3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038'],
  ['pass\0word', 'sa\0lt', 4096, 16, '56fa6aa75548099dcc37d7f03425e0c3'],
];

async function pbkdf2(hash, password, salt, iterations, bytes) {
  const key = await subtle.importKey('raw', enc(password), 'PBKDF2', false, ['deriveBits']);
  return hex(await subtle.deriveBits({ name: 'PBKDF2', hash, salt: enc(salt), iterations }, key, bytes * 8));
}

test('PBKDF2-HMAC-SHA1: the RFC 6070 test vectors', async () => {
  for (const [p, s, c, len, expected] of RFC6070) assertEqual(await pbkdf2('SHA-1', p, s, c, len), expected, `c=${c}`);
});

test('PBKDF2-HMAC-SHA256: the RFC 7914 §11 test vectors', async () => {
  assertEqual(await pbkdf2('SHA-256', 'passwd', 'salt', 1, 64),
    '55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783');
  assertEqual(await pbkdf2('SHA-256', 'Password', 'NaCl', 80000, 64),
    '4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d');
});

test('PBKDF2 with a million iterations runs off the JS thread: an interval keeps ticking', async () => {
  const key = await subtle.importKey('raw', enc('password'), 'PBKDF2', false, ['deriveBits']);
  const ticks = [];
  const id = setInterval(() => ticks.push(performance.now()), 5);
  const start = performance.now();
  let done = 0;
  const bits = await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: enc('salt'), iterations: 1e6 }, key, 256)
    .finally(() => { done = performance.now(); });
  clearInterval(id);
  assertEqual(hex(bits), '505112a590be61ac9d3a235bf0a8eecea40e54652ec0e3c257c227c9aa5e664c');
  const during = ticks.filter((t) => t < done);
  // A blocked JS thread would tick once at most, after the work. Here the interval runs all along.
  assert(during.length >= 3, `only ${during.length} ticks in ${Math.round(done - start)} ms of PBKDF2`);
  let gap = 0;
  for (let i = 1, prev = start; i <= during.length; prev = during[i - 1], i++) gap = Math.max(gap, (during[i] ?? done) - prev);
  assert(gap < (done - start) * 0.75, `the interval stalled for ${Math.round(gap)} of ${Math.round(done - start)} ms`);
});

test('PBKDF2: length 0 derives nothing; not a multiple of 8 or null, and 0 iterations are OperationErrors', async () => {
  const key = await subtle.importKey('raw', enc('p'), 'PBKDF2', false, ['deriveBits', 'deriveKey']);
  const alg = { name: 'PBKDF2', hash: 'SHA-256', salt: enc('s'), iterations: 1 };
  // w3c/webcrypto#380: an empty ArrayBuffer, as HKDF gives; 0 iterations are still an error first.
  const none = await subtle.deriveBits(alg, key, 0);
  assert(none instanceof ArrayBuffer && none.byteLength === 0, 'PBKDF2 of length 0 is an empty ArrayBuffer');
  await rejectsWith(subtle.deriveBits({ ...alg, iterations: 0 }, key, 0), 'OperationError');
  await rejectsWith(subtle.deriveBits(alg, key, 12), 'OperationError');
  await rejectsWith(subtle.deriveBits(alg, key), 'OperationError');
  await rejectsWith(subtle.deriveBits({ ...alg, iterations: 0 }, key, 256), 'OperationError');
  await rejectsWith(subtle.importKey('raw', enc('p'), 'PBKDF2', true, ['deriveBits']), 'SyntaxError', 'extractable');
  await rejectsWith(subtle.importKey('jwk', { kty: 'oct', k: 'cA' }, 'PBKDF2', false, ['deriveBits']), 'NotSupportedError');
  await rejectsWith(subtle.exportKey('raw', key), 'NotSupportedError');
  const derived = await subtle.deriveKey(alg, key, { name: 'AES-GCM', length: 256 }, true, ['encrypt']);
  assertEqual(hex(await subtle.exportKey('raw', derived)), await pbkdf2('SHA-256', 'p', 's', 1, 32));
  await rejectsWith(subtle.deriveKey(alg, key, { name: 'HMAC', hash: 'SHA-1', length: 0 }, true, ['sign']), 'TypeError');
  await rejectsWith(subtle.deriveKey(alg, key, { name: 'AES-GCM', length: 100 }, true, ['encrypt']), 'OperationError');
});

const RFC5869 = [
  ['SHA-256', repeat(0x0b, 22), range(0, 13), range(0xf0, 0xfa), 42, '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865'],
  ['SHA-256', range(0, 0x50), range(0x60, 0xb0), range(0xb0, 0x100), 82, 'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87'],
  ['SHA-256', repeat(0x0b, 22), new Uint8Array(0), new Uint8Array(0), 42, '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8'],
  ['SHA-1', repeat(0x0b, 11), range(0, 13), range(0xf0, 0xfa), 42, '085a01ea1b10f36933068b56efa5ad81a4f14b822f5b091568a9cdd4f155fda2c22e422478d305f3f896'],
  ['SHA-1', repeat(0x0c, 22), new Uint8Array(0), new Uint8Array(0), 42, '2c91117204d745f3500d636a62f64f0ab3bae548aa53d423b0d1f27ebba6f5e5673a081d70cce7acfc48'],
];

test('HKDF: the RFC 5869 test cases', async () => {
  for (const [hash, ikm, salt, info, len, okm] of RFC5869) {
    const key = await subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
    assertEqual(hex(await subtle.deriveBits({ name: 'HKDF', hash, salt, info }, key, len * 8)), okm, `${hash} ${len}`);
  }
});

test('HKDF: length 0 derives nothing; null, odd bits or more than 255 blocks are OperationErrors', async () => {
  const key = await subtle.importKey('raw', repeat(1, 16), 'HKDF', false, ['deriveBits']);
  const alg = { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new Uint8Array(0) };
  assertEqual((await subtle.deriveBits(alg, key, 0)).byteLength, 0);
  assertEqual((await subtle.deriveBits(alg, key, 255 * 256)).byteLength, 255 * 32);
  await rejectsWith(subtle.deriveBits(alg, key, 255 * 256 + 8), 'OperationError');
  await rejectsWith(subtle.deriveBits(alg, key, 7), 'OperationError');
  await rejectsWith(subtle.deriveBits(alg, key, null), 'OperationError');
  await rejectsWith(subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: alg.salt }, key, 8), 'TypeError', 'info is required');
  // hash comes before info in the dictionary, and is normalized as it is converted.
  await rejectsWith(subtle.deriveBits({ name: 'HKDF', hash: 'SHA256', salt: alg.salt }, key, 8), 'NotSupportedError', 'unknown hash first');
  await rejectsWith(subtle.deriveBits({ name: 'HKDF', hash: 'PBKDF2', salt: alg.salt, info: alg.info }, key, 8), 'NotSupportedError', 'not a digest');
});

// --- Ed25519 and X25519 -------------------------------------------------------------------------

const RFC8032 = [
  ['9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', '',
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b'],
  ['4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb', '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c', '72',
    '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00'],
  ['c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7', 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025', 'af82',
    '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a'],
];
const b64url = (b) => {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  const a = [];
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i] << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    const k = Math.min(3, b.length - i);
    a.push([18, 12, 6, 0].slice(0, k + 1).map((sh) => B64[(n >> sh) & 63]).join(''));
  }
  return a.join('').replace(/\+/g, '-').replace(/\//g, '_');
};

test('Ed25519: the RFC 8032 §7.1 tests sign (PKCS#8 and JWK keys) and verify', async () => {
  for (const [secret, pub, msg, sig] of RFC8032) {
    const pkcs8 = new Uint8Array([...unhex('302e020100300506032b657004220420'), ...unhex(secret)]);
    const priv = await subtle.importKey('pkcs8', pkcs8, 'Ed25519', true, ['sign']);
    assertEqual(hex(await subtle.sign('Ed25519', priv, unhex(msg))), sig);
    const jwk = await subtle.exportKey('jwk', priv);
    assertEqual(jwk, { alg: 'Ed25519', crv: 'Ed25519', d: b64url(unhex(secret)), ext: true, key_ops: ['sign'], kty: 'OKP', x: b64url(unhex(pub)) });
    const fromJwk = await subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', d: jwk.d, x: jwk.x }, { name: 'ed25519' }, false, ['sign']);
    assertEqual(hex(await subtle.sign('Ed25519', fromJwk, unhex(msg))), sig);
    const verifier = await subtle.importKey('raw', unhex(pub), 'Ed25519', true, ['verify']);
    assertEqual(await subtle.verify('Ed25519', verifier, unhex(sig), unhex(msg)), true);
    assertEqual(await subtle.verify('Ed25519', verifier, unhex(sig), enc('other')), false);
    assertEqual(await subtle.verify('Ed25519', verifier, unhex(sig).slice(1), unhex(msg)), false);
    assertEqual(hex(await subtle.exportKey('raw', verifier)), pub);
    assertEqual(hex(await subtle.exportKey('pkcs8', priv)), hex(pkcs8));
    assertEqual(hex(await subtle.exportKey('spki', verifier)), `302a300506032b6570032100${pub}`);
  }
});

test('Ed25519 JWK: a d that does not match x, a wrong crv, kty or alg are DataErrors', async () => {
  const [[s1, p1], [, p2]] = RFC8032;
  const jwk = { kty: 'OKP', crv: 'Ed25519', d: b64url(unhex(s1)), x: b64url(unhex(p1)) };
  await subtle.importKey('jwk', { ...jwk, alg: 'EdDSA' }, 'Ed25519', false, ['sign']);
  await rejectsWith(subtle.importKey('jwk', { ...jwk, x: b64url(unhex(p2)) }, 'Ed25519', false, ['sign']), 'DataError', 'mismatched pair');
  await rejectsWith(subtle.importKey('jwk', { ...jwk, crv: 'X25519' }, 'Ed25519', false, ['sign']), 'DataError', 'crv');
  await rejectsWith(subtle.importKey('jwk', { ...jwk, kty: 'EC' }, 'Ed25519', false, ['sign']), 'DataError', 'kty');
  await rejectsWith(subtle.importKey('jwk', { ...jwk, alg: 'ED25519' }, 'Ed25519', false, ['sign']), 'DataError', 'alg');
  await rejectsWith(subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', d: jwk.d }, 'Ed25519', false, ['sign']), 'DataError', 'no x');
  await rejectsWith(subtle.importKey('raw', unhex(p1).slice(1), 'Ed25519', false, ['verify']), 'DataError', 'raw length');
  await rejectsWith(subtle.importKey('raw', unhex(p1), 'Ed25519', false, ['sign']), 'SyntaxError', 'raw is public');
});

const RFC7748 = {
  alicePrivate: '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a',
  alicePublic: '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a',
  bobPrivate: '5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb',
  bobPublic: 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f',
  shared: '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742',
};
const x25519Pkcs8 = (secret) => new Uint8Array([...unhex('302e020100300506032b656e04220420'), ...unhex(secret)]);

test('X25519: the RFC 7748 §6.1 exchange, both ways, and §5.2 scalar multiplication', async () => {
  const alice = await subtle.importKey('pkcs8', x25519Pkcs8(RFC7748.alicePrivate), 'X25519', true, ['deriveBits']);
  const bob = await subtle.importKey('pkcs8', x25519Pkcs8(RFC7748.bobPrivate), 'X25519', false, ['deriveBits', 'deriveKey']);
  const alicePub = await subtle.importKey('raw', unhex(RFC7748.alicePublic), 'X25519', true, []);
  const bobPub = await subtle.importKey('raw', unhex(RFC7748.bobPublic), 'X25519', true, []);
  assertEqual(hex(await subtle.deriveBits({ name: 'X25519', public: bobPub }, alice, 256)), RFC7748.shared);
  assertEqual(hex(await subtle.deriveBits({ name: 'X25519', public: alicePub }, bob, null)), RFC7748.shared);
  assertEqual(hex(await subtle.deriveBits({ name: 'X25519', public: alicePub }, bob, 128)), RFC7748.shared.slice(0, 32));
  assertEqual((await subtle.exportKey('jwk', alice)).x, b64url(unhex(RFC7748.alicePublic)));
  const u = await subtle.importKey('raw', unhex('e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c'), 'X25519', true, []);
  const k = await subtle.importKey('pkcs8', x25519Pkcs8('a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4'), 'X25519', false, ['deriveBits']);
  assertEqual(hex(await subtle.deriveBits({ name: 'X25519', public: u }, k, 256)), 'c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552');
  const aes = await subtle.deriveKey({ name: 'X25519', public: alicePub }, bob, { name: 'AES-GCM', length: 128 }, true, ['encrypt']);
  assertEqual(hex(await subtle.exportKey('raw', aes)), RFC7748.shared.slice(0, 32));
});

test('X25519: a small-order public key (all-zero secret) is an OperationError; too many bits too', async () => {
  const priv = await subtle.importKey('pkcs8', x25519Pkcs8(RFC7748.alicePrivate), 'X25519', false, ['deriveBits']);
  const zero = await subtle.importKey('raw', new Uint8Array(32), 'X25519', false, []);
  await rejectsWith(subtle.deriveBits({ name: 'X25519', public: zero }, priv, 256), 'OperationError');
  const pub = await subtle.importKey('raw', unhex(RFC7748.bobPublic), 'X25519', false, []);
  await rejectsWith(subtle.deriveBits({ name: 'X25519', public: pub }, priv, 264), 'OperationError');
  await rejectsWith(subtle.importKey('raw', unhex(RFC7748.bobPublic), 'X25519', false, ['deriveBits']), 'SyntaxError');
});

test('Ed25519 and X25519 key pairs: generated, usages split, exported and imported again', async () => {
  const ed = await subtle.generateKey('Ed25519', false, ['sign', 'verify', 'sign']);
  assertEqual([ed.privateKey.type, ed.privateKey.extractable, ed.privateKey.usages], ['private', false, ['sign']]);
  assertEqual([ed.publicKey.type, ed.publicKey.extractable, ed.publicKey.usages], ['public', true, ['verify']]);
  assertEqual(Object.keys(ed), ['privateKey', 'publicKey']);
  const sig = await subtle.sign({ name: 'Ed25519' }, ed.privateKey, enc('m'));
  const spki = await subtle.exportKey('spki', ed.publicKey);
  const pub = await subtle.importKey('spki', spki, 'Ed25519', true, ['verify']);
  assertEqual(await subtle.verify('Ed25519', pub, sig, enc('m')), true);
  await rejectsWith(subtle.exportKey('pkcs8', ed.privateKey), 'InvalidAccessError', 'not extractable');
  await rejectsWith(subtle.exportKey('pkcs8', ed.publicKey), 'InvalidAccessError', 'pkcs8 of a public key');
  await rejectsWith(subtle.exportKey('raw', ed.privateKey), 'InvalidAccessError');
  await rejectsWith(subtle.importKey('spki', spki, 'X25519', true, []), 'DataError', 'an Ed25519 SPKI is not X25519');
  const x = await subtle.generateKey({ name: 'X25519' }, true, ['deriveKey']);
  assertEqual([x.privateKey.usages, x.publicKey.usages], [['deriveKey'], []]);
  const jwk = await subtle.exportKey('jwk', x.privateKey);
  assertEqual(Object.keys(jwk), ['crv', 'd', 'ext', 'key_ops', 'kty', 'x']);
  await subtle.importKey('jwk', { ...jwk, alg: 'anything' }, 'X25519', true, ['deriveKey']);
  await rejectsWith(subtle.generateKey('X25519', true, []), 'SyntaxError', 'no private usage');
});

// --- ECDSA and ECDH -----------------------------------------------------------------------------

const RFC6979_P256 = {
  d: 'c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721',
  x: '60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6',
  y: '7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299',
  spki: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEYP7UuiVanTHJYet0xjVtaMBJuJI7Yfps5mliLmDyn7Z5A/4QCLi8maQa6elWKLxk8vGyDC1+n1F3o8KU1EYimQ==',
  pkcs8: 'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgya+p2EW6dRZrXCFXZ7HWk05Qw9s26JsSe4piKxIPZyGhRANCAARg/tS6JVqdMclh63TGNW1owEm4kjth+mzmaWIuYPKftnkD/hAIuLyZpBrp6VYovGTy8bIMLX6fUXejwpTURiKZ',
  // RFC 6979 A.2.5, SHA-256: r || s for "sample" and "test"
  sample: 'efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8',
  test: 'f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083',
};

test('ECDSA P-256: the RFC 6979 key verifies its published signatures, in every import format', async () => {
  const jwk = { kty: 'EC', crv: 'P-256', x: b64url(unhex(RFC6979_P256.x)), y: b64url(unhex(RFC6979_P256.y)) };
  const alg = { name: 'ECDSA', namedCurve: 'P-256' };
  const keys = [
    await subtle.importKey('jwk', jwk, alg, true, ['verify']),
    await subtle.importKey('spki', unbase64(RFC6979_P256.spki), alg, true, ['verify']),
    await subtle.importKey('raw', unhex(`04${RFC6979_P256.x}${RFC6979_P256.y}`), alg, true, ['verify']),
  ];
  for (const key of keys) {
    const params = { name: 'ECDSA', hash: 'SHA-256' };
    assertEqual(await subtle.verify(params, key, unhex(RFC6979_P256.sample), enc('sample')), true);
    assertEqual(await subtle.verify(params, key, unhex(RFC6979_P256.test), enc('test')), true);
    assertEqual(await subtle.verify(params, key, unhex(RFC6979_P256.test), enc('sample')), false);
    assertEqual(await subtle.verify(params, key, unhex(RFC6979_P256.test).slice(1), enc('test')), false, 'short');
    assertEqual(await subtle.verify({ name: 'ECDSA', hash: 'SHA-384' }, key, unhex(RFC6979_P256.sample), enc('sample')), false);
    assertEqual(hex(await subtle.exportKey('spki', key)), hex(unbase64(RFC6979_P256.spki)));
    assertEqual(hex(await subtle.exportKey('raw', key)), `04${RFC6979_P256.x}${RFC6979_P256.y}`);
    assertEqual(await subtle.exportKey('jwk', key), { crv: 'P-256', ext: true, key_ops: ['verify'], kty: 'EC', x: jwk.x, y: jwk.y });
  }
  const priv = await subtle.importKey('pkcs8', unbase64(RFC6979_P256.pkcs8), alg, true, ['sign']);
  assertEqual(hex(await subtle.exportKey('pkcs8', priv)), hex(unbase64(RFC6979_P256.pkcs8)));
  assertEqual((await subtle.exportKey('jwk', priv)).d, b64url(unhex(RFC6979_P256.d)));
  const sig = await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, priv, enc('sample'));
  assertEqual(sig.byteLength, 64);
  assertEqual(await subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, keys[0], sig, enc('sample')), true);
});

test('ECDSA: a compressed point imports and exports uncompressed', async () => {
  const y = unhex(RFC6979_P256.y);
  const compressed = unhex(`${y[31] & 1 ? '03' : '02'}${RFC6979_P256.x}`);
  const key = await subtle.importKey('raw', compressed, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']);
  assertEqual(hex(await subtle.exportKey('raw', key)), `04${RFC6979_P256.x}${RFC6979_P256.y}`);
  const spki = await subtle.exportKey('spki', key);
  assertEqual(hex(spki), hex(unbase64(RFC6979_P256.spki)));
});

test('ECDSA and ECDH: every curve generates, signs or agrees, and round-trips every format', async () => {
  for (const [curve, bytes] of [['P-256', 32], ['P-384', 48], ['P-521', 66]]) {
    const pair = await subtle.generateKey({ name: 'ECDSA', namedCurve: curve }, true, ['sign', 'verify']);
    assertEqual(pair.publicKey.algorithm, { name: 'ECDSA', namedCurve: curve });
    for (const hash of ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']) {
      const sig = await subtle.sign({ name: 'ECDSA', hash }, pair.privateKey, enc('data'));
      assertEqual(sig.byteLength, 2 * bytes, `${curve} signature length`);
      assertEqual(await subtle.verify({ name: 'ECDSA', hash }, pair.publicKey, sig, enc('data')), true);
    }
    for (const format of ['pkcs8', 'jwk']) {
      const data = await subtle.exportKey(format, pair.privateKey);
      const back = await subtle.importKey(format, data, { name: 'ECDSA', namedCurve: curve }, true, ['sign']);
      const again = await subtle.exportKey(format, back);
      assertEqual(format === 'jwk' ? again : hex(again), format === 'jwk' ? data : hex(data), `${curve} ${format}`);
    }
    const jwk = await subtle.exportKey('jwk', pair.privateKey);
    assertEqual(unbase64(jwk.d.replace(/-/g, '+').replace(/_/g, '/')).length, bytes, 'd has the full length');
    const a = await subtle.generateKey({ name: 'ECDH', namedCurve: curve }, true, ['deriveBits']);
    const b = await subtle.generateKey({ name: 'ECDH', namedCurve: curve }, true, ['deriveBits']);
    const ab = await subtle.deriveBits({ name: 'ECDH', public: b.publicKey }, a.privateKey, null);
    const ba = await subtle.deriveBits({ name: 'ECDH', public: a.publicKey }, b.privateKey, bytes * 8);
    assertEqual(ab.byteLength, bytes);
    assertEqual(hex(ab), hex(ba));
    const odd = new Uint8Array(await subtle.deriveBits({ name: 'ECDH', public: a.publicKey }, b.privateKey, 13));
    assertEqual([odd.length, odd[0], odd[1]], [2, new Uint8Array(ab)[0], new Uint8Array(ab)[1] & 0xf8]);
    await rejectsWith(subtle.deriveBits({ name: 'ECDH', public: a.publicKey }, b.privateKey, bytes * 8 + 8), 'OperationError');
  }
});

test('EC import errors: wrong curve, a mismatched JWK pair, a point off the curve, bad usages', async () => {
  const alg = { name: 'ECDSA', namedCurve: 'P-256' };
  const jwk = { kty: 'EC', crv: 'P-256', x: b64url(unhex(RFC6979_P256.x)), y: b64url(unhex(RFC6979_P256.y)) };
  await rejectsWith(subtle.importKey('spki', unbase64(RFC6979_P256.spki), { name: 'ECDSA', namedCurve: 'P-384' }, true, ['verify']), 'DataError', 'curve');
  await rejectsWith(subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-384' }, true, ['verify']), 'DataError', 'crv');
  const other = await subtle.exportKey('jwk', (await subtle.generateKey(alg, true, ['sign'])).privateKey);
  await rejectsWith(subtle.importKey('jwk', { ...jwk, d: other.d }, alg, true, ['sign']), 'DataError', 'd of another key');
  const off = unhex(`04${RFC6979_P256.x}${RFC6979_P256.y}`);
  off[64] ^= 1;
  await rejectsWith(subtle.importKey('raw', off, alg, true, ['verify']), 'DataError', 'off the curve');
  await rejectsWith(subtle.importKey('jwk', { ...jwk, alg: 'ES384' }, alg, true, ['verify']), 'DataError', 'alg');
  await rejectsWith(subtle.importKey('jwk', { ...jwk, y: undefined }, alg, true, ['verify']), 'DataError', 'no y');
  await rejectsWith(subtle.importKey('jwk', { ...jwk, x: jwk.x + '*' }, alg, true, ['verify']), 'DataError', 'not base64url');
  await rejectsWith(subtle.importKey('spki', new Uint8Array([48, 3, 2, 1, 0]), alg, true, ['verify']), 'DataError', 'not an SPKI');
  await rejectsWith(subtle.importKey('spki', unbase64(RFC6979_P256.spki), alg, true, ['sign']), 'SyntaxError', 'sign on a public key');
  await rejectsWith(subtle.importKey('pkcs8', unbase64(RFC6979_P256.pkcs8), alg, true, []), 'SyntaxError', 'no usage');
  await rejectsWith(subtle.importKey('spki', unbase64(RFC6979_P256.spki), { name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']), 'SyntaxError', 'ECDH public keys have no usage');
  await rejectsWith(subtle.importKey('spki', unbase64(RSA.spki), alg, true, ['verify']), 'DataError', 'an RSA key');
  await rejectsWith(subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-512' }, true, ['sign']), 'NotSupportedError');
});

test('ECDH errors: mismatched curves, an ECDSA or private public member, a missing public', async () => {
  const a = await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
  const b384 = await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-384' }, true, ['deriveBits']);
  const ecdsa = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']);
  const aes = await subtle.generateKey({ name: 'AES-GCM', length: 128 }, true, ['encrypt']);
  await rejectsWith(subtle.deriveBits({ name: 'ECDH', public: b384.publicKey }, a.privateKey, 128), 'InvalidAccessError', 'curves');
  await rejectsWith(subtle.deriveBits({ name: 'ECDH', public: ecdsa.publicKey }, a.privateKey, 128), 'InvalidAccessError', 'ECDSA key');
  await rejectsWith(subtle.deriveBits({ name: 'ECDH', public: a.privateKey }, a.privateKey, 128), 'InvalidAccessError', 'private key');
  await rejectsWith(subtle.deriveBits({ name: 'ECDH', public: aes }, a.privateKey, 128), 'InvalidAccessError', 'secret key');
  await rejectsWith(subtle.deriveBits({ name: 'ECDH', public: a.publicKey }, a.publicKey, 128), 'InvalidAccessError', 'public base key');
  await rejectsWith(subtle.deriveBits({ name: 'ECDH' }, a.privateKey, 128), 'TypeError', 'public is required');
  await rejectsWith(subtle.deriveBits({ name: 'ECDH', public: {} }, a.privateKey, 128), 'TypeError', 'not a CryptoKey');
});

// --- RSA ----------------------------------------------------------------------------------------

test('RSA: a known key imports from PKCS#8, SPKI and JWK and verifies signatures made elsewhere', async () => {
  const pkcs8 = unbase64(RSA.pkcs8), spki = unbase64(RSA.spki);
  const pub = await subtle.importKey('spki', spki, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['verify']);
  assertEqual(pub.algorithm.modulusLength, 2048);
  assertEqual(hex(pub.algorithm.publicExponent), '010001');
  assertEqual(await subtle.verify('RSASSA-PKCS1-v1_5', pub, unhex(RSA.pkcs1Signature), enc('sample')), true);
  const priv = await subtle.importKey('pkcs8', pkcs8, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['sign']);
  assertEqual(hex(await subtle.sign('RSASSA-PKCS1-v1_5', priv, enc('sample'))), RSA.pkcs1Signature, 'PKCS#1 v1.5 is deterministic');
  assertEqual(hex(await subtle.exportKey('pkcs8', priv)), hex(pkcs8));
  assertEqual(hex(await subtle.exportKey('spki', pub)), hex(spki));
  const jwk = await subtle.exportKey('jwk', priv);
  assertEqual(Object.keys(jwk), ['alg', 'd', 'dp', 'dq', 'e', 'ext', 'key_ops', 'kty', 'n', 'p', 'q', 'qi']);
  for (const m of ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi']) assertEqual(jwk[m], RSA.jwk[m], m);
  assertEqual(jwk.alg, 'RS256');
  const fromJwk = await subtle.importKey('jwk', { ...RSA.jwk, kty: 'RSA' }, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  assertEqual(hex(await subtle.sign('RSASSA-PKCS1-v1_5', fromJwk, enc('sample'))), RSA.pkcs1Signature);

  const pss = await subtle.importKey('spki', spki, { name: 'RSA-PSS', hash: 'SHA-384' }, true, ['verify']);
  assertEqual(await subtle.verify({ name: 'RSA-PSS', saltLength: 48 }, pss, unhex(RSA.pssSignature), enc('sample')), true);
  assertEqual(await subtle.verify({ name: 'RSA-PSS', saltLength: 32 }, pss, unhex(RSA.pssSignature), enc('sample')), false);
  assertEqual((await subtle.exportKey('jwk', pss)).alg, 'PS384');

  const oaep = await subtle.importKey('pkcs8', pkcs8, { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['decrypt']);
  const label = enc('label');
  assertEqual(new TextDecoder().decode(await subtle.decrypt({ name: 'RSA-OAEP', label }, oaep, unhex(RSA.oaepCiphertext))), 'hello');
  await rejectsWith(subtle.decrypt({ name: 'RSA-OAEP' }, oaep, unhex(RSA.oaepCiphertext)), 'OperationError', 'wrong label');
});

test('RSA: generated pairs sign, verify, encrypt and decrypt; the modulus bounds the plaintext', async () => {
  const e = new Uint8Array([1, 0, 1]);
  const sig = await subtle.generateKey({ name: 'RSA-PSS', modulusLength: 1024, publicExponent: e, hash: 'SHA-256' }, true, ['sign', 'verify']);
  assertEqual(sig.privateKey.algorithm, { name: 'RSA-PSS', modulusLength: 1024, publicExponent: { 0: 1, 1: 0, 2: 1 }, hash: { name: 'SHA-256' } });
  assert(sig.privateKey.algorithm.publicExponent instanceof Uint8Array);
  const s = await subtle.sign({ name: 'RSA-PSS', saltLength: 32 }, sig.privateKey, enc('m'));
  assertEqual(await subtle.verify({ name: 'RSA-PSS', saltLength: 32 }, sig.publicKey, s, enc('m')), true);
  await rejectsWith(subtle.sign({ name: 'RSA-PSS', saltLength: 1000 }, sig.privateKey, enc('m')), 'OperationError', 'salt too long');
  const enc3 = await subtle.generateKey({ name: 'RSA-OAEP', modulusLength: 1024, publicExponent: new Uint8Array([3]), hash: 'SHA-1' }, true, ['encrypt', 'decrypt', 'wrapKey']);
  assertEqual([enc3.publicKey.usages, enc3.privateKey.usages], [['encrypt', 'wrapKey'], ['decrypt']]);
  const ct = await subtle.encrypt({ name: 'RSA-OAEP' }, enc3.publicKey, enc('secret'));
  assertEqual(new TextDecoder().decode(await subtle.decrypt({ name: 'RSA-OAEP' }, enc3.privateKey, ct)), 'secret');
  await subtle.encrypt({ name: 'RSA-OAEP' }, enc3.publicKey, new Uint8Array(128 - 42));
  await rejectsWith(subtle.encrypt({ name: 'RSA-OAEP' }, enc3.publicKey, new Uint8Array(128 - 41)), 'OperationError');
  await rejectsWith(subtle.encrypt({ name: 'RSA-OAEP' }, enc3.privateKey, enc('x')), 'InvalidAccessError', 'private key encrypts');
  const jwk = await subtle.exportKey('jwk', enc3.publicKey);
  assertEqual([jwk.alg, jwk.e, jwk.kty], ['RSA-OAEP', 'Aw', 'RSA']);
});

test('RSA errors: bad exponents, an RSA-OAEP JWK alg for PKCS#1, a broken private key', async () => {
  for (const publicExponent of [new Uint8Array([1]), new Uint8Array([1, 0, 0])]) {
    await rejectsWith(subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent, hash: 'SHA-256' }, true, ['sign']), 'OperationError');
  }
  await rejectsWith(subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: [1, 0, 1], hash: 'SHA-256' }, true, ['sign']), 'TypeError', 'publicExponent is a Uint8Array');
  const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  await rejectsWith(subtle.importKey('jwk', { ...RSA.jwk, kty: 'RSA', alg: 'RSA-OAEP' }, alg, true, ['sign']), 'DataError', 'alg');
  await rejectsWith(subtle.importKey('jwk', { ...RSA.jwk, kty: 'RSA', alg: 'RS384' }, alg, true, ['sign']), 'DataError', 'alg hash');
  await rejectsWith(subtle.importKey('jwk', { ...RSA.jwk, kty: 'RSA', qi: RSA.jwk.dp }, alg, true, ['sign']), 'DataError', 'inconsistent CRT');
  await rejectsWith(subtle.importKey('jwk', { ...RSA.jwk, kty: 'RSA', p: undefined }, alg, true, ['sign']), 'DataError', 'no p');
  await rejectsWith(subtle.importKey('jwk', { n: RSA.jwk.n, e: RSA.jwk.e, kty: 'RSA' }, alg, true, ['sign']), 'SyntaxError', 'public JWK');
  await rejectsWith(subtle.importKey('raw', unbase64(RSA.spki), alg, true, ['verify']), 'NotSupportedError');
  await rejectsWith(subtle.generateKey({ name: 'RSA-PSS', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA' }, true, ['sign']), 'NotSupportedError');
});

// --- wrapKey / unwrapKey ------------------------------------------------------------------------

test('wrapKey and unwrapKey round trips: JWK under AES-GCM, PKCS#8 under AES-KW, raw under RSA-OAEP', async () => {
  const gcm = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['wrapKey', 'unwrapKey']);
  const hmac = await subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, true, ['sign', 'verify']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const wrapped = await subtle.wrapKey('jwk', hmac, gcm, { name: 'AES-GCM', iv });
  const back = await subtle.unwrapKey('jwk', wrapped, gcm, { name: 'AES-GCM', iv }, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  assertEqual([back.extractable, back.usages], [false, ['verify']]);
  const sig = await subtle.sign('HMAC', hmac, enc('m'));
  assertEqual(await subtle.verify('HMAC', back, sig, enc('m')), true);

  const kw = await subtle.generateKey({ name: 'AES-KW', length: 128 }, false, ['wrapKey', 'unwrapKey']);
  const ec = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const pkcs8 = await subtle.exportKey('pkcs8', ec.privateKey);
  const padded = pkcs8.byteLength % 8 === 0;
  if (padded) {
    const w = await subtle.wrapKey('pkcs8', ec.privateKey, kw, 'AES-KW');
    const k = await subtle.unwrapKey('pkcs8', w, kw, 'AES-KW', { name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']);
    assertEqual(hex(await subtle.exportKey('pkcs8', k)), hex(pkcs8));
  } else {
    await rejectsWith(subtle.wrapKey('pkcs8', ec.privateKey, kw, 'AES-KW'), 'OperationError', 'AES-KW needs multiples of 8 bytes');
  }
  const raw = await subtle.generateKey({ name: 'AES-CBC', length: 128 }, true, ['encrypt']);
  const w2 = await subtle.wrapKey('raw', raw, kw, { name: 'aes-kw' });
  const k2 = await subtle.unwrapKey('raw', w2, kw, 'AES-KW', 'AES-CBC', true, ['encrypt']);
  assertEqual(hex(await subtle.exportKey('raw', k2)), hex(await subtle.exportKey('raw', raw)));

  const rsa = await subtle.importKey('spki', unbase64(RSA.spki), { name: 'RSA-OAEP', hash: 'SHA-256' }, true, ['wrapKey']);
  const rsaPriv = await subtle.importKey('pkcs8', unbase64(RSA.pkcs8), { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['unwrapKey']);
  const w3 = await subtle.wrapKey('raw', raw, rsa, { name: 'RSA-OAEP' });
  const k3 = await subtle.unwrapKey('raw', w3, rsaPriv, { name: 'RSA-OAEP' }, 'AES-CBC', true, ['encrypt']);
  assertEqual(hex(await subtle.exportKey('raw', k3)), hex(await subtle.exportKey('raw', raw)));
});

test('wrapKey/unwrapKey errors: unextractable key, missing usage, bad JWK bytes, empty usages', async () => {
  const gcm = await subtle.generateKey({ name: 'AES-GCM', length: 128 }, true, ['wrapKey', 'unwrapKey', 'encrypt']);
  const noWrap = await subtle.generateKey({ name: 'AES-GCM', length: 128 }, true, ['encrypt']);
  const secret = await subtle.generateKey({ name: 'AES-CBC', length: 128 }, false, ['encrypt']);
  const iv = new Uint8Array(12);
  await rejectsWith(subtle.wrapKey('raw', secret, gcm, { name: 'AES-GCM', iv }), 'InvalidAccessError', 'not extractable');
  await rejectsWith(subtle.wrapKey('raw', gcm, noWrap, { name: 'AES-GCM', iv }), 'InvalidAccessError', 'no wrapKey usage');
  await rejectsWith(subtle.wrapKey('raw', gcm, gcm, { name: 'AES-CBC', iv: new Uint8Array(16) }), 'InvalidAccessError', 'algorithm mismatch');
  await rejectsWith(subtle.wrapKey('raw', gcm, gcm, { name: 'AES-CMAC' }), 'NotSupportedError');
  const notJson = await subtle.encrypt({ name: 'AES-GCM', iv }, gcm, enc('not json'));
  await rejectsWith(subtle.unwrapKey('jwk', notJson, gcm, { name: 'AES-GCM', iv }, 'AES-CBC', true, ['encrypt']), 'DataError', 'not JSON');
  const noKty = await subtle.encrypt({ name: 'AES-GCM', iv }, gcm, enc('{"k":"AAAAAAAAAAAAAAAAAAAAAA"}'));
  await rejectsWith(subtle.unwrapKey('jwk', noKty, gcm, { name: 'AES-GCM', iv }, 'AES-CBC', true, ['encrypt']), 'DataError', 'no kty');
  const raw = await subtle.wrapKey('raw', gcm, gcm, { name: 'AES-GCM', iv });
  await rejectsWith(subtle.unwrapKey('raw', raw, gcm, { name: 'AES-GCM', iv }, 'AES-CBC', true, []), 'SyntaxError', 'empty usages');
});

// --- CryptoKey and the specification's steps ----------------------------------------------------

test('CryptoKey: algorithm and usages are cached objects; changing them changes nothing', async () => {
  const key = await subtle.generateKey({ name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['verify', 'sign', 'verify']);
  assert(key instanceof CryptoKey);
  assertEqual(Object.prototype.toString.call(key), '[object CryptoKey]');
  assert(key.algorithm === key.algorithm, 'algorithm is cached');
  assert(key.usages === key.usages, 'usages is cached');
  assertEqual(key.usages, ['sign', 'verify'], 'deduplicated, in the specification order');
  key.algorithm.name = 'AES-GCM';
  key.algorithm.hash.name = 'SHA-1';
  key.usages.length = 0;
  const sig = await subtle.sign('HMAC', key, enc('x'));
  assertEqual(sig.byteLength, 32, 'still HMAC-SHA-256');
  assertEqual(key.type, 'secret');
  assertEqual(key.extractable, false);
  const proto = CryptoKey.prototype;
  for (const name of ['type', 'extractable', 'algorithm', 'usages']) {
    const d = Object.getOwnPropertyDescriptor(proto, name);
    assert(d.get && !d.set && d.enumerable, `${name} is a read-only attribute`);
    assertThrows(() => d.get.call({}), TypeError);
  }
  // generateKey's public keys are always extractable; imported ones are as asked.
  const pair = await subtle.generateKey('Ed25519', false, ['sign', 'verify']);
  assertEqual([pair.publicKey.extractable, pair.privateKey.extractable], [true, false]);
  const pub = await subtle.importKey('raw', unhex(RFC8032[0][1]), 'Ed25519', false, ['verify']);
  assertEqual(pub.extractable, false);
  await rejectsWith(subtle.exportKey('raw', pub), 'InvalidAccessError');
});

test('usage and algorithm checks: InvalidAccessError', async () => {
  const key = await subtle.generateKey({ name: 'AES-GCM', length: 128 }, false, ['encrypt']);
  const iv = new Uint8Array(12);
  await rejectsWith(subtle.decrypt({ name: 'AES-GCM', iv }, key, new Uint8Array(32)), 'InvalidAccessError', 'no decrypt usage');
  await rejectsWith(subtle.encrypt({ name: 'AES-CBC', iv: new Uint8Array(16) }, key, enc('x')), 'InvalidAccessError', 'another algorithm');
  await rejectsWith(subtle.exportKey('raw', key), 'InvalidAccessError', 'not extractable');
  const pair = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  await rejectsWith(subtle.exportKey('spki', pair.privateKey), 'InvalidAccessError');
  await rejectsWith(subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.publicKey, enc('x')), 'InvalidAccessError');
  await rejectsWith(subtle.exportKey('raw', await subtle.importKey('raw', enc('k'), 'HKDF', false, ['deriveBits'])), 'NotSupportedError');
});

test('argument and algorithm errors reject at once; the algorithm steps reject after a microtask', async () => {
  assertEqual(await settleTiming(subtle.generateKey('AES', true, ['encrypt'])), 'rejected early');
  assertEqual(await settleTiming(subtle.generateKey({}, true, ['encrypt'])), 'rejected early');
  assertEqual(await settleTiming(subtle.generateKey({ name: 'HMAC', hash: 'MD5' }, true, ['sign'])), 'rejected early');
  assertEqual(await settleTiming(subtle.generateKey({ name: 'AES-GCM', length: 128 }, true, ['encrypt', 'sign'])), 'rejected late');
  assertEqual(await settleTiming(subtle.generateKey({ name: 'AES-GCM', length: 128 }, true, [])), 'rejected late');
  assertEqual(await settleTiming(subtle.generateKey({ name: 'AES-GCM', length: 128 }, true, ['encrypt'])), 'fulfilled late');
  assertEqual(await settleTiming(subtle.digest('SHA-256', new Uint8Array(1))), 'fulfilled late');
  assertEqual(await settleTiming(subtle.digest('SHA-256')), 'rejected early');
  assertEqual(await settleTiming(subtle.importKey('raw', new Uint8Array(16), 'AES-GCM', true, ['encrypt'])), 'fulfilled late');
  assertEqual(await settleTiming(subtle.importKey('jwk', new Uint8Array(16), 'AES-GCM', true, ['encrypt'])), 'rejected early');
});

test('Web IDL conversions: TypeErrors in promises, never thrown', async () => {
  const key = await subtle.generateKey({ name: 'AES-GCM', length: 128 }, true, ['encrypt']);
  await rejectsWith(subtle.encrypt({ name: 'AES-GCM' }, key, enc('x')), 'TypeError', 'iv is required');
  await rejectsWith(subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(12) }, {}, enc('x')), 'TypeError', 'key is not a CryptoKey');
  await rejectsWith(subtle.generateKey({ name: 'AES-GCM', length: 128 }, true, ['encrypt', 'bogus']), 'TypeError', 'not a KeyUsage');
  await rejectsWith(subtle.generateKey({ name: 'AES-GCM', length: 128 }, true, 'encrypt'), 'TypeError', 'usages is a sequence');
  await rejectsWith(subtle.generateKey({ name: 'AES-GCM', length: -1 }, true, ['encrypt']), 'TypeError', 'EnforceRange');
  await rejectsWith(subtle.generateKey({ name: 'AES-GCM', length: 2 ** 16 }, true, ['encrypt']), 'TypeError', 'unsigned short');
  await rejectsWith(subtle.importKey('bin', new Uint8Array(16), 'AES-GCM', true, ['encrypt']), 'TypeError', 'KeyFormat');
  await rejectsWith(subtle.importKey('raw', {}, 'AES-GCM', true, ['encrypt']), 'TypeError', 'raw needs bytes');
  await rejectsWith(subtle.importKey('raw', 'abc', 'AES-GCM', true, ['encrypt']), 'TypeError', 'a string is neither');
  await rejectsWith(subtle.digest(), 'TypeError');
  await rejectsWith(SubtleCrypto.prototype.digest.call({}, 'SHA-256', new Uint8Array(1)), 'TypeError', 'this');
  const algorithm = {
    get name() {
      throw new RangeError('from a getter');
    },
  };
  await rejectsWith(subtle.digest(algorithm, new Uint8Array(1)), 'RangeError');
});

test('generateKey: parameters are checked at once, then bad usages (SyntaxError), then empty ones', async () => {
  assertEqual(await settleTiming(subtle.generateKey({ name: 'AES-GCM', length: 64 }, true, ['sign'])), 'rejected early');
  await rejectsWith(subtle.generateKey({ name: 'AES-GCM', length: 64 }, true, ['sign']), 'OperationError');
  await rejectsWith(subtle.generateKey({ name: 'AES-GCM', length: 64 }, true, []), 'OperationError');
  await rejectsWith(subtle.generateKey({ name: 'ECDH', namedCurve: 'P-512' }, true, ['sign']), 'NotSupportedError');
  assertEqual(await settleTiming(subtle.generateKey({ name: 'RSA-PSS', modulusLength: 1024, publicExponent: new Uint8Array([1]), hash: 'SHA-256' }, true, ['sign'])), 'rejected early');
  await rejectsWith(subtle.generateKey({ name: 'AES-KW', length: 128 }, true, ['encrypt']), 'SyntaxError');
  await rejectsWith(subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['sign']), 'SyntaxError');
  await rejectsWith(subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']), 'SyntaxError', 'private key with no usage');
  await rejectsWith(subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, true, []), 'SyntaxError');
  await rejectsWith(subtle.generateKey({ name: 'AES-CMAC', length: 128 }, true, ['sign']), 'NotSupportedError');
  await rejectsWith(subtle.generateKey({ name: 'SHA-256' }, true, ['sign']), 'NotSupportedError', 'digest algorithms make no keys');
});

test('JWK import checks: ext, key_ops, use, kty, and base64url without padding', async () => {
  const k = b64url(new Uint8Array(16));
  const jwk = { kty: 'oct', k, alg: 'A128GCM' };
  await subtle.importKey('jwk', { ...jwk, key_ops: ['encrypt', 'decrypt'], use: 'enc', ext: true }, 'AES-GCM', true, ['encrypt']);
  await rejectsWith(subtle.importKey('jwk', { ...jwk, ext: false }, 'AES-GCM', true, ['encrypt']), 'DataError', 'ext');
  await subtle.importKey('jwk', { ...jwk, ext: false }, 'AES-GCM', false, ['encrypt']);
  await rejectsWith(subtle.importKey('jwk', { ...jwk, key_ops: ['decrypt'] }, 'AES-GCM', true, ['encrypt']), 'DataError', 'key_ops');
  await rejectsWith(subtle.importKey('jwk', { ...jwk, key_ops: ['encrypt', 'encrypt'] }, 'AES-GCM', true, ['encrypt']), 'DataError', 'duplicate key_ops');
  await rejectsWith(subtle.importKey('jwk', { ...jwk, use: 'sig' }, 'AES-GCM', true, ['encrypt']), 'DataError', 'use');
  await rejectsWith(subtle.importKey('jwk', { ...jwk, kty: 'RSA' }, 'AES-GCM', true, ['encrypt']), 'DataError', 'kty');
  await rejectsWith(subtle.importKey('jwk', { ...jwk, alg: 'A128CBC' }, 'AES-GCM', true, ['encrypt']), 'DataError', 'alg');
  await rejectsWith(subtle.importKey('jwk', { ...jwk, k: k + '==' }, 'AES-GCM', true, ['encrypt']), 'DataError', 'padding');
  await rejectsWith(subtle.importKey('jwk', { ...jwk, k: k.replace(/A/, '+') }, 'AES-GCM', true, ['encrypt']), 'DataError', 'base64, not base64url');
  await rejectsWith(subtle.importKey('jwk', { kty: 'oct' }, 'AES-GCM', true, ['encrypt']), 'DataError', 'no k');
  await rejectsWith(subtle.importKey('jwk', { ...jwk, key_ops: 'encrypt' }, 'AES-GCM', true, ['encrypt']), 'TypeError', 'key_ops is a sequence');
});

test('a garbage-collected key is still usable by the job that runs on it', async () => {
  let key = await subtle.importKey('raw', new Uint8Array(32), 'AES-GCM', false, ['encrypt']);
  const p = subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(12) }, key, new Uint8Array(100000));
  key = null;
  if (typeof gc === 'function') gc();
  assertEqual((await p).byteLength, 100016);
});
