// atob() and btoa(): HTML's definitions over Infra's forgiving-base64 encode and decode.
'use strict';

const codes = (s) => Array.from(s, (c) => c.charCodeAt(0));

function assertInvalidCharacter(fn, msg) {
  const e = assertThrows(fn, DOMException, msg);
  assertEqual(e.name, 'InvalidCharacterError', msg);
  assertEqual(e.code, 5, msg);
}

test('btoa: RFC 4648 test vectors', () => {
  const vectors = [['', ''], ['f', 'Zg=='], ['fo', 'Zm8='], ['foo', 'Zm9v'], ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='], ['foobar', 'Zm9vYmFy']];
  for (const [input, out] of vectors) assertEqual(btoa(input), out, input);
});

test('btoa: code units 0-255 are the bytes, NUL included', () => {
  let all = '';
  for (let i = 0; i < 256; i++) all += String.fromCharCode(i);
  const encoded = btoa(all);
  assertEqual(encoded.length, 344);
  assertEqual(encoded.slice(0, 8), 'AAECAwQF');
  assertEqual(encoded.slice(-8), '/P3+/w==');
  assertEqual(atob(encoded), all);
  assertEqual(btoa('\0a'), 'AGE=');
  assertEqual(btoa('\xff\xff\xc0'), '///A');
});

test('btoa: a code unit above U+00FF is an InvalidCharacterError', () => {
  for (const s of ['\u0100', 'abc\u0100', 'עברית', '\uFFFF', '\uD800\uDC00', 'a'.repeat(1000) + '\u20AC']) {
    assertInvalidCharacter(() => btoa(s), JSON.stringify(s.slice(-3)));
  }
});

test('btoa and atob convert their argument with ToString', () => {
  assertEqual(btoa(undefined), 'dW5kZWZpbmVk');
  assertEqual(btoa(null), 'bnVsbA==');
  assertEqual(btoa(12), 'MTI=');
  assertEqual(btoa({ toString() { return 'foo'; } }), 'Zm9v');
  assertEqual(codes(atob(null)), [158, 233, 101]);
  assertEqual(codes(atob(12)), [215]);
  assertEqual(codes(atob(true)), [182, 187, 158]);
  assertEqual(codes(atob(NaN)), [53, 163]);
  assertEqual(codes(atob(Infinity)), [34, 119, 226, 158, 43, 114]);
  assertInvalidCharacter(() => atob(undefined)); // 9 letters
  assertInvalidCharacter(() => atob(7));
  assertInvalidCharacter(() => atob(-Infinity)); // '-' is not in the alphabet
  assertThrows(() => btoa(Symbol('s')), TypeError);
  assertThrows(() => atob(Symbol('s')), TypeError);
  assertThrows(() => btoa(), TypeError);
  assertThrows(() => atob(), TypeError);
});

test('atob: ASCII whitespace anywhere is removed, other spaces are invalid', () => {
  assertEqual(codes(atob(' abcd')), [105, 183, 29]);
  assertEqual(codes(atob('ab\t\n\f\r cd')), [105, 183, 29]);
  assertEqual(codes(atob(' \t\n\f\r ab\t\n\f\r cd\t\n\f\r ')), [105, 183, 29]);
  assertEqual(codes(atob('ab\t\n\f\r =\t\n\f\r =\t\n\f\r ')), [105]);
  for (const s of ['ab\u000Bcd', 'ab\u00A0cd', 'ab\u3000cd', 'ab\uFEFFcd']) {
    assertInvalidCharacter(() => atob(s), JSON.stringify(s));
  }
});

test('atob: padding only at the end of a length divisible by 4', () => {
  assertEqual(codes(atob('ab==')), [105]);
  assertEqual(codes(atob('abc=')), [105, 183]);
  assertEqual(codes(atob('ab')), [105]);
  assertEqual(codes(atob('abc')), [105, 183]);
  assertEqual(atob(''), '');
  for (const s of ['=', '==', '===', '====', 'a=', 'a==', 'ab=', 'ab===', 'abc==', 'abcd=',
    'abcd==', '=a', 'a=b', 'ab=c', 'abc=d', 'abcd====', 'ab=\n=x']) {
    assertInvalidCharacter(() => atob(s), JSON.stringify(s));
  }
});

test('atob: a remainder of one letter, or anything outside the alphabet, is invalid', () => {
  for (const s of ['a', 'abcde', '////A', 'AAAA/', '~~', '..', '--', '__', '\0nonsense',
    'abcd\0nonsense', '\u{10000}', 'YQ\u00E9']) {
    assertInvalidCharacter(() => atob(s), JSON.stringify(s));
  }
});

test('atob: leftover bits of the last letter are dropped, not checked', () => {
  assertEqual(codes(atob('YQ')), [97]);
  assertEqual(codes(atob('YR')), [97]);
  assertEqual(codes(atob('/A')), [252]);
  assertEqual(codes(atob('//A')), [255, 240]);
  assertEqual(codes(atob('///A')), [255, 255, 192]);
  assertEqual(codes(atob('A/')), [3]);
  assertEqual(codes(atob('AA/')), [0, 15]);
  assertEqual(codes(atob('AAA/')), [0, 0, 63]);
});

test('atob(btoa(s)) is s for every code unit 0-255 and large inputs', () => {
  for (let i = 0; i < 256; i++) {
    const s = String.fromCharCode(i, 255 - i, i ^ 0x55);
    assertEqual(atob(btoa(s)), s, String(i));
  }
  let big = '';
  for (let i = 0; i < 100000; i++) big += String.fromCharCode((i * 7) & 0xFF);
  const encoded = btoa(big);
  assertEqual(encoded.length, Math.ceil(big.length / 3) * 4);
  assertEqual(atob(encoded), big);
  // The same with line breaks every 76 letters, as MIME writes it.
  assertEqual(atob(encoded.replace(/.{76}/g, '$&\r\n')), big);
});

test('atob and btoa are installed like Web IDL operations of the global', () => {
  for (const [name, fn] of [['atob', atob], ['btoa', btoa]]) {
    const d = Object.getOwnPropertyDescriptor(globalThis, name);
    assertEqual([d.writable, d.enumerable, d.configurable], [true, false, true], name);
    assertEqual(fn.name, name);
    assertEqual(fn.length, 1);
  }
});
