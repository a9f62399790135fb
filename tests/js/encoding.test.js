// TextEncoder and TextDecoder: UTF-8, and every other encoding of the Encoding Standard.
'use strict';

const bytes = (...b) => new Uint8Array(b);
const arr = (u8) => Array.from(u8);

test('TextEncoder.encode', () => {
  const enc = new TextEncoder();
  assertEqual(enc.encoding, 'utf-8');
  const out = enc.encode('aé€😀');
  assert(out instanceof Uint8Array);
  assertEqual(arr(out), [0x61, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80]);
  assertEqual(enc.encode().length, 0);
  assertEqual(enc.encode(undefined).length, 0);
  assertEqual(arr(enc.encode(12)), [0x31, 0x32]);
  // Lone surrogates become U+FFFD.
  assertEqual(arr(enc.encode('\uD800')), [0xEF, 0xBF, 0xBD]);
  assertEqual(arr(enc.encode('a\uDC00b')), [0x61, 0xEF, 0xBF, 0xBD, 0x62]);
  assertEqual(Object.prototype.toString.call(enc), '[object TextEncoder]');
});

test('TextEncoder.encodeInto', () => {
  const enc = new TextEncoder();
  const dst = new Uint8Array(5);
  const r = enc.encodeInto('a€b', dst);
  assertEqual([r.read, r.written], [3, 5]);
  assertEqual(arr(dst), [0x61, 0xE2, 0x82, 0xAC, 0x62]);
  // Never a partial sequence: '€' (3 bytes) does not fit after 'a' in 3 bytes of room.
  const small = new Uint8Array(3);
  const r2 = enc.encodeInto('a€', small);
  assertEqual([r2.read, r2.written], [1, 1]);
  // read counts UTF-16 code units.
  const r3 = enc.encodeInto('😀', new Uint8Array(4));
  assertEqual([r3.read, r3.written], [2, 4]);
  assertThrows(() => enc.encodeInto('a', new Uint16Array(2)), TypeError);
  assertThrows(() => enc.encodeInto('a', new ArrayBuffer(2)), TypeError);
  assertThrows(() => enc.encodeInto('a'), TypeError);
});

test('TextDecoder labels', () => {
  for (const label of ['utf-8', 'UTF-8', ' utf8 ', '\tunicode-1-1-utf-8\n', 'Utf8', 'unicode11utf8']) {
    assertEqual(new TextDecoder(label).encoding, 'utf-8', label);
  }
  assertEqual(new TextDecoder().encoding, 'utf-8');
  for (const label of ['', 'utf_8', 'utf-8x', 'utf-32', 'ebcdic', 'x-mac-roman2']) {
    assertThrows(() => new TextDecoder(label), RangeError, label);
  }
});

test('TextDecoder attributes', () => {
  const d = new TextDecoder();
  assertEqual([d.fatal, d.ignoreBOM], [false, false]);
  const f = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  assertEqual([f.fatal, f.ignoreBOM], [true, true]);
  assertEqual(Object.prototype.toString.call(d), '[object TextDecoder]');
});

test('TextDecoder.decode of buffer sources', () => {
  const d = new TextDecoder();
  const u8 = bytes(0x68, 0x69, 0xE2, 0x82, 0xAC);
  assertEqual(d.decode(u8), 'hi€');
  assertEqual(d.decode(u8.buffer), 'hi€');
  assertEqual(d.decode(new DataView(u8.buffer, 1, 1)), 'i');
  assertEqual(d.decode(u8.subarray(2)), '€');
  assertEqual(d.decode(), '');
  assertEqual(d.decode(new Uint8Array(0)), '');
  assertThrows(() => d.decode('abc'), TypeError);
  assertThrows(() => d.decode([1, 2]), TypeError);
});

test('TextDecoder strips one BOM unless ignoreBOM', () => {
  const withBom = bytes(0xEF, 0xBB, 0xBF, 0x41);
  assertEqual(new TextDecoder().decode(withBom), 'A');
  assertEqual(new TextDecoder().decode(bytes(0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF)), '\uFEFF');
  assertEqual(new TextDecoder('utf-8', { ignoreBOM: true }).decode(withBom), '\uFEFFA');
  const d = new TextDecoder();
  assertEqual(d.decode(withBom), 'A');
  assertEqual(d.decode(withBom), 'A', 'each non-streaming call starts afresh');
});

test('TextDecoder replacement and fatal mode', () => {
  const d = new TextDecoder();
  assertEqual(d.decode(bytes(0x61, 0xFF, 0x62)), 'a\uFFFDb');
  // Maximal subparts: F0 80 80 is three errors, E2 82 (truncated) is one.
  assertEqual(d.decode(bytes(0xF0, 0x80, 0x80)), '\uFFFD\uFFFD\uFFFD');
  assertEqual(d.decode(bytes(0xE2, 0x82)), '\uFFFD');
  assertEqual(d.decode(bytes(0xED, 0xA0, 0x80)), '\uFFFD\uFFFD\uFFFD', 'surrogates are invalid');
  const f = new TextDecoder('utf-8', { fatal: true });
  assertThrows(() => f.decode(bytes(0x61, 0xFF)), TypeError);
  assertThrows(() => f.decode(bytes(0xE2, 0x82)), TypeError);
  assertEqual(f.decode(bytes(0x61)), 'a', 'usable after an error');
});

test('TextDecoder streaming keeps incomplete sequences', () => {
  const d = new TextDecoder();
  const euro = [0xE2, 0x82, 0xAC];
  assertEqual(d.decode(bytes(0x61, euro[0]), { stream: true }), 'a');
  assertEqual(d.decode(bytes(euro[1]), { stream: true }), '');
  assertEqual(d.decode(bytes(euro[2], 0x62), { stream: true }), '€b');
  assertEqual(d.decode(), '');
  // A 4-byte character split into single bytes.
  const smile = [0xF0, 0x9F, 0x98, 0x80];
  let out = '';
  for (const b of smile) out += d.decode(bytes(b), { stream: true });
  out += d.decode();
  assertEqual(out, '😀');
  // Truncated at the end of the stream → U+FFFD on flush.
  assertEqual(d.decode(bytes(0x61, 0xE2, 0x82), { stream: true }), 'a');
  assertEqual(d.decode(), '\uFFFD');
  // Invalid sequences are reported in the call that received them.
  assertEqual(d.decode(bytes(0x61, 0xE0, 0x80), { stream: true }), 'a\uFFFD\uFFFD');
  assertEqual(d.decode(), '');
});

test('TextDecoder streaming BOM handling', () => {
  const d = new TextDecoder();
  assertEqual(d.decode(bytes(0xEF, 0xBB), { stream: true }), '');
  assertEqual(d.decode(bytes(0xBF, 0x41), { stream: true }), 'A');
  assertEqual(d.decode(bytes(0xEF, 0xBB, 0xBF), { stream: true }), '\uFEFF', 'only at the start');
  assertEqual(d.decode(), '');
  assertEqual(d.decode(bytes(0xEF, 0xBB, 0xBF, 0x42)), 'B', 'a new stream strips again');
});

test('TextDecoder streaming with a fatal decoder', () => {
  const f = new TextDecoder('utf-8', { fatal: true });
  assertEqual(f.decode(bytes(0xE2, 0x82), { stream: true }), '');
  assertThrows(() => f.decode(), TypeError);
  assertEqual(f.decode(bytes(0x41)), 'A');
});

test('TextDecoder does not keep a reference to the caller buffer', () => {
  const d = new TextDecoder();
  const buf = bytes(0x61, 0xE2);
  assertEqual(d.decode(buf, { stream: true }), 'a');
  buf[1] = 0x00;
  assertEqual(d.decode(bytes(0x82, 0xAC)), '€');
});

test('a decoded string longer than JavaScript allows is a RangeError', () => {
  // 2^31 bytes decode to 2^31 UTF-16 units, past JavaScriptCore's string limit (which aborted
  // the process). A resizable buffer costs no memory until written.
  const big = new Uint8Array(new ArrayBuffer(2 ** 31, { maxByteLength: 2 ** 31 }));
  assertThrows(() => new TextDecoder().decode(big), RangeError);
  // The decoder still works, and so does a large input within the limit.
  assertEqual(new TextDecoder().decode(bytes(0x68, 0x69)), 'hi');
  assertEqual(new TextDecoder().decode(big.subarray(0, 2 ** 20)).length, 2 ** 20);
});

test('a DataView whose getters lie is read within its buffer only', () => {
  const dv = new DataView(new ArrayBuffer(8), 2, 4);
  Object.defineProperty(dv, 'byteLength', { get: () => 1e9 });
  assertThrows(() => new TextDecoder().decode(dv), RangeError);
  const fake = Object.create(DataView.prototype);
  assertThrows(() => new TextDecoder().decode(fake));
  assertEqual(new TextDecoder().decode(new DataView(bytes(0x61, 0x62, 0x63).buffer, 1, 2)), 'bc');
});

test('an unsupported label is quoted short', () => {
  const label = 'x'.repeat(1e6);
  let err;
  try { new TextDecoder(label); } catch (e) { err = e; }
  assert(err instanceof RangeError);
  assert(err.message.length < 300, `message of ${err.message.length} characters`);
});

// --- The other encodings ------------------------------------------------------------------

test('every label of the standard names its encoding', () => {
  const cases = {
    'latin1': 'windows-1252', 'ASCII': 'windows-1252', 'iso-8859-1': 'windows-1252',
    'us-ascii': 'windows-1252', 'iso-8859-9': 'windows-1254', 'tis-620': 'windows-874',
    'utf-16': 'utf-16le', 'UTF-16LE': 'utf-16le', 'ucs-2': 'utf-16le', 'unicode': 'utf-16le',
    'unicodefffe': 'utf-16be', 'utf-16be': 'utf-16be', 'gb2312': 'gbk', 'x-gbk': 'gbk',
    'gb18030': 'gb18030', 'big5-hkscs': 'big5', 'cn-big5': 'big5', 'x-euc-jp': 'euc-jp',
    'csiso2022jp': 'iso-2022-jp', 'sjis': 'shift_jis', 'windows-31j': 'shift_jis',
    'ks_c_5601-1987': 'euc-kr', 'windows-949': 'euc-kr', 'koi8-ru': 'koi8-u', 'koi': 'koi8-r',
    'x-mac-ukrainian': 'x-mac-cyrillic', 'logical': 'iso-8859-8-i', 'visual': 'iso-8859-8',
    'x-user-defined': 'x-user-defined', ' \t\n\f\rcp1250\r\n': 'windows-1250',
  };
  for (const label of Object.keys(cases)) {
    assertEqual(new TextDecoder(label).encoding, cases[label], JSON.stringify(label));
  }
  // replacement (and its labels) is for documents only: TextDecoder refuses it.
  for (const label of ['replacement', 'iso-2022-kr', 'hz-gb-2312', 'iso-2022-cn', 'csiso2022kr']) {
    assertThrows(() => new TextDecoder(label), RangeError, label);
  }
  // Only ASCII case is folded, and only ASCII whitespace trimmed.
  assertThrows(() => new TextDecoder('\u212Aoi8-r'), RangeError, 'KELVIN SIGN');
  assertThrows(() => new TextDecoder('\u00A0utf-8'), RangeError, 'NO-BREAK SPACE');
});

const singleByte = ['ibm866', 'iso-8859-2', 'iso-8859-3', 'iso-8859-4', 'iso-8859-5', 'iso-8859-6',
  'iso-8859-7', 'iso-8859-8', 'iso-8859-8-i', 'iso-8859-10', 'iso-8859-13', 'iso-8859-14',
  'iso-8859-15', 'iso-8859-16', 'koi8-r', 'koi8-u', 'macintosh', 'windows-874', 'windows-1250',
  'windows-1251', 'windows-1252', 'windows-1253', 'windows-1254', 'windows-1255', 'windows-1256',
  'windows-1257', 'windows-1258', 'x-mac-cyrillic'];

test('single-byte encodings: all 256 bytes, undefined ones U+FFFD or fatal', () => {
  const all = new Uint8Array(256).map((_, i) => i);
  for (const enc of singleByte) {
    const out = new TextDecoder(enc).decode(all);
    assertEqual(out.length, 256, enc);
    for (let b = 0; b < 0x80; b++) assertEqual(out.charCodeAt(b), b, `${enc} ASCII ${b}`);
    const fatal = new TextDecoder(enc, { fatal: true });
    for (let b = 0x80; b < 0x100; b++) {
      const one = new Uint8Array([b]);
      if (out.charCodeAt(b) === 0xFFFD) assertThrows(() => fatal.decode(one), TypeError, `${enc} ${b}`);
      else assertEqual(fatal.decode(one), out[b], `${enc} ${b}`);
    }
  }
  // The standard's undefined bytes, where its index has none.
  const undefinedBytes = (enc) => {
    const out = new TextDecoder(enc).decode(all);
    return [...out].map((c, i) => (c === '\uFFFD' ? i.toString(16) : null)).filter((x) => x !== null);
  };
  assertEqual(undefinedBytes('windows-1252'), []);
  assertEqual(undefinedBytes('iso-8859-3'), ['a5', 'ae', 'be', 'c3', 'd0', 'e3', 'f0']);
  assertEqual(undefinedBytes('windows-1253'), ['aa', 'd2', 'ff']);
  assertEqual(undefinedBytes('windows-874'), ['db', 'dc', 'dd', 'de', 'fc', 'fd', 'fe', 'ff']);
  assertEqual(undefinedBytes('windows-1255'), ['d9', 'da', 'db', 'dc', 'dd', 'de', 'df', 'fb', 'fc', 'ff']);
});

test('single-byte encodings: the places where ICU tables differ from the standard', () => {
  const dec = (enc, ...b) => new TextDecoder(enc).decode(new Uint8Array(b));
  assertEqual(dec('windows-1252', 0x80, 0x81, 0x8D, 0x9F), '\u20AC\u0081\u008D\u0178');
  assertEqual(dec('koi8-u', 0xAE, 0xBE), '\u045E\u040E');
  assertEqual(dec('windows-1255', 0xCA), '\u05BA');
  assertEqual(dec('ibm866', 0x1A, 0x1C, 0x7F, 0x80), '\u001A\u001C\u007F\u0410');
  assertEqual(dec('iso-8859-16', 0xA1, 0xA4, 0xFF), '\u0104\u20AC\u00FF');
  assertEqual(dec('iso-8859-8-i', 0xE0), '\u05D0');
  assertEqual(dec('x-user-defined', 0x41, 0x80, 0xFF), 'A\uF780\uF7FF');
});

// Every pointer of an index in one buffer, each sequence followed by a newline; the digest of
// what comes back (count, defined pointers, a hash of the code points) was computed from the
// standard's index files, so it checks the whole table.
function tableBytes(kind) {
  const out = [];
  const push = (...b) => { out.push(...b, 0x0A); };
  const trail = (t, a, b) => t + (t < 0x3F ? a : b);
  if (kind === 'gbk') for (let p = 0; p < 23940; p++) push(Math.floor(p / 190) + 0x81, trail(p % 190, 0x40, 0x41));
  if (kind === 'gb18030-ranges') {
    for (let p = 0; p < 39420; p++) {
      let q = p;
      const b4 = 0x30 + q % 10;
      q = Math.floor(q / 10);
      const b3 = 0x81 + q % 126;
      q = Math.floor(q / 126);
      push(0x81 + Math.floor(q / 10), 0x30 + q % 10, b3, b4);
    }
  }
  if (kind === 'big5') for (let p = 0; p < 19782; p++) push(Math.floor(p / 157) + 0x81, trail(p % 157, 0x40, 0x62));
  if (kind === 'shift_jis') {
    for (let p = 0; p < 11280; p++) {
      const l = Math.floor(p / 188);
      push(l + (l < 0x1F ? 0x81 : 0xC1), trail(p % 188, 0x40, 0x41));
    }
  }
  if (kind === 'euc-jp') for (let p = 0; p < 8836; p++) push(Math.floor(p / 94) + 0xA1, p % 94 + 0xA1);
  if (kind === 'euc-jp-0212') for (let p = 0; p < 8836; p++) push(0x8F, Math.floor(p / 94) + 0xA1, p % 94 + 0xA1);
  if (kind === 'euc-kr') for (let p = 0; p < 23940; p++) push(Math.floor(p / 190) + 0x81, p % 190 + 0x41);
  return new Uint8Array(out);
}

function tableDigest(decoded) {
  const parts = decoded.split('\n');
  parts.pop();
  let h = 0;
  let defined = 0;
  for (const s of parts) {
    const v = s.charCodeAt(0) === 0xFFFD ? 0 : s.codePointAt(0);
    if (v) defined++;
    h = (Math.imul(h, 31) + v) >>> 0;
  }
  return [parts.length, defined, h];
}

test('multi-byte encodings: every pointer of every index is the standard\'s', () => {
  const expected = {
    'gbk': ['gbk', 23940, 23940, 1453256724],
    'gb18030-ranges': ['gb18030', 39420, 39419, 2675659054],
    'big5': ['big5', 19782, 18594, 898836420],
    'shift_jis': ['shift_jis', 11280, 9604, 2387612662],
    'euc-jp': ['euc-jp', 8836, 7336, 3875048750],
    'euc-jp-0212': ['euc-jp', 8836, 6067, 3782205270],
    'euc-kr': ['euc-kr', 23940, 17048, 381586371],
  };
  for (const kind of Object.keys(expected)) {
    const [enc, ...digest] = expected[kind];
    assertEqual(tableDigest(new TextDecoder(enc).decode(tableBytes(kind))), digest, kind);
  }
});

test('gb18030: the standard\'s special cases', () => {
  const dec = (...b) => new TextDecoder('gb18030').decode(new Uint8Array(b));
  assertEqual(dec(0x80), '\u20AC');
  assertEqual(dec(0xFF), '\uFFFD');
  assertEqual(dec(0xA3, 0xA0), '\u3000', '0xA3 0xA0 is IDEOGRAPHIC SPACE');
  assertEqual(dec(0xA6, 0xD9, 0xFE, 0x59), '\uFE10\u9FB4', 'GB18030-2022 two-byte mappings');
  assertEqual(dec(0x84, 0x31, 0x82, 0x36), '\uFE10', 'four-byte ranges are unchanged');
  assertEqual(dec(0x82, 0x35, 0x90, 0x37), '\u9FB4');
  assertEqual(dec(0x81, 0x35, 0xF4, 0x37), '\uE7C7', 'pointer 7457');
  assertEqual(dec(0x81, 0x30, 0x81, 0x30), '\u0080');
  assertEqual(dec(0x90, 0x30, 0x81, 0x30), '\u{10000}');
  assertEqual(dec(0xE3, 0x32, 0x9A, 0x35), '\u{10FFFF}');
  assertEqual(dec(0xE3, 0x32, 0x9A, 0x36), '\uFFFD2\uFFFD', 'past U+10FFFF: error, 3 bytes back');
  assertEqual(dec(0x84, 0x31, 0xA5, 0x30), '\uFFFD1\uFFFD', 'between the BMP and 189000');
  assertEqual(dec(0x81, 0x30, 0xFE), '\uFFFD', 'end of queue after three bytes: one error');
  assertEqual(dec(0x81, 0x7F), '\uFFFD\u007F', 'an ASCII trail is read again');
  assertEqual(dec(0x81, 0xFF), '\uFFFD', 'a non-ASCII trail is consumed');
  assertEqual(new TextDecoder('gbk').decode(new Uint8Array([0x80, 0x81, 0x30, 0x81, 0x30])), '\u20AC\u0080', 'GBK decodes as gb18030');
});

test('Big5: pairs that decode to two code points, errors', () => {
  const dec = (...b) => new TextDecoder('big5').decode(new Uint8Array(b));
  assertEqual(dec(0x88, 0x62, 0x88, 0x64, 0x88, 0xA3, 0x88, 0xA5), '\u00CA\u0304\u00CA\u030C\u00EA\u0304\u00EA\u030C');
  assertEqual(dec(0x87, 0x40), '\u43F0');
  assertEqual(dec(0xA4, 0x40), '\u4E00');
  assertEqual(dec(0x88, 0x40), '\u31C0', 'HKSCS, not the Private Use Area');
  assertEqual(dec(0xFE, 0xFE), '\u79D4');
  assertEqual(dec(0x87, 0x45), '\u{27267}', 'supplementary code points');
  assertEqual(dec(0x81, 0x40), '\uFFFD@', 'below pointer 942 nothing is defined');
  assertEqual(dec(0xA1, 0x80), '\uFFFD', 'a non-ASCII trail is consumed');
  assertEqual(dec(0xA1), '\uFFFD');
  assertEqual(dec(0x80), '\uFFFD');
});

test('EUC-JP, Shift_JIS and EUC-KR: the standard\'s special cases', () => {
  const dec = (enc, ...b) => new TextDecoder(enc).decode(new Uint8Array(b));
  assertEqual(dec('euc-jp', 0x8E, 0xA1, 0x8E, 0xDF), '\uFF61\uFF9F', 'half-width katakana');
  assertEqual(dec('euc-jp', 0x8F, 0xA2, 0xAF), '\u02D8', 'JIS X 0212');
  assertEqual(dec('euc-jp', 0x8F, 0xF3, 0xF3), '\uFFFD', 'no IBM extensions in jis0212');
  assertEqual(dec('euc-jp', 0xA4, 0xA2, 0xA1, 0x41), '\u3042\uFFFDA');
  assertEqual(dec('euc-jp', 0xA1, 0x8E, 0xA1), '\uFFFD\uFFFD', 'a non-ASCII trail is consumed');
  assertEqual(dec('shift_jis', 0x82, 0xA0, 0x80, 0xA1, 0xDF), '\u3042\u0080\uFF61\uFF9F');
  assertEqual(dec('shift_jis', 0xF0, 0x40, 0xF9, 0xFC), '\uE000\uE757', 'EUDC → Private Use');
  assertEqual(dec('shift_jis', 0x87, 0x40, 0xFA, 0x40), '\u2460\u2170', 'NEC and IBM extensions');
  assertEqual(dec('shift_jis', 0x81, 0x7F, 0xA0), '\uFFFD\u007F\uFFFD');
  assertEqual(dec('euc-kr', 0xB0, 0xA1, 0x81, 0x41), '\uAC00\uAC02');
  assertEqual(dec('euc-kr', 0xC9, 0xA1, 0xFE, 0xFE), '\uFFFD\uFFFD', 'user-defined rows are undefined');
  assertEqual(dec('euc-kr', 0x81, 0x20), '\uFFFD ');
});

test('ISO-2022-JP: escape sequences and states', () => {
  const dec = (...b) => new TextDecoder('iso-2022-jp').decode(new Uint8Array(b));
  const ESC = 0x1B;
  assertEqual(dec(0x41, ESC, 0x28, 0x4A, 0x5C, 0x7E, ESC, 0x28, 0x42, 0x5C), 'A\u00A5\u203E\\');
  assertEqual(dec(ESC, 0x28, 0x49, 0x21, 0x5F), '\uFF61\uFF9F', 'katakana');
  assertEqual(dec(ESC, 0x24, 0x42, 0x24, 0x22, ESC, 0x28, 0x42), '\u3042', 'JIS X 0208');
  assertEqual(dec(ESC, 0x24, 0x40, 0x30, 0x21), '\u4E9C');
  assertEqual(dec(ESC, 0x28, 0x42, ESC, 0x28, 0x42, 0x41), '\uFFFDA', 'two escapes in a row');
  assertEqual(dec(ESC, 0x41), '\uFFFDA', 'a bad escape puts its byte back');
  assertEqual(dec(ESC, 0x28, 0x41), '\uFFFD(A', 'and both of a two-byte one');
  assertEqual(dec(0x0E, 0x0F, 0x80), '\uFFFD\uFFFD\uFFFD');
  assertEqual(dec(ESC, 0x24, 0x42, 0x24), '\uFFFD', 'end of queue in a character');
  assertEqual(dec(ESC, 0x28, 0x49, 0x49, ESC, 0x00, 0x49), '\uFF89\uFFFD\uFFFD\uFF89', 'back to the output state');
  assertEqual(dec(ESC), '\uFFFD');
});

test('UTF-16LE and UTF-16BE: surrogates, odd lengths, BOM', () => {
  const le = (...b) => new TextDecoder('utf-16le').decode(new Uint8Array(b));
  const be = (...b) => new TextDecoder('utf-16be').decode(new Uint8Array(b));
  assertEqual(le(0x41, 0x00, 0x3D, 0xD8, 0x00, 0xDE), 'A\u{1F600}');
  assertEqual(be(0x00, 0x41, 0xD8, 0x3D, 0xDE, 0x00), 'A\u{1F600}');
  assertEqual(le(0x00, 0xDC, 0x41, 0x00), '\uFFFDA', 'a lone trail surrogate');
  assertEqual(le(0x00, 0xD8, 0x41, 0x00), '\uFFFDA', 'a lead surrogate not followed by a trail');
  assertEqual(le(0x00, 0xD8), '\uFFFD');
  assertEqual(le(0x41, 0x00, 0x42), 'A\uFFFD', 'an odd byte at the end');
  assertEqual(le(0xFF, 0xFE, 0x41, 0x00), 'A', 'the BOM is stripped');
  assertEqual(be(0xFE, 0xFF, 0x00, 0x41), 'A');
  assertEqual(le(0xFE, 0xFF, 0x41, 0x00), '\uFFFEA', 'no sniffing: a BE BOM is a character');
  assertEqual(new TextDecoder('utf-16le', { ignoreBOM: true }).decode(new Uint8Array([0xFF, 0xFE])), '\uFEFF');
  assertEqual(le(0xEF, 0xBB, 0xBF, 0x00), '\uBBEF\u00BF', 'nor a UTF-8 one');
  assertThrows(() => new TextDecoder('utf-16le', { fatal: true }).decode(new Uint8Array([0x00, 0xD8])), TypeError);
});

test('streaming: every encoding resumes across chunk boundaries', () => {
  const samples = {
    'utf-16le': [0x41, 0x00, 0x3D, 0xD8, 0x00, 0xDE, 0x00, 0xD8, 0x42, 0x00],
    'utf-16be': [0xFE, 0xFF, 0xD8, 0x3D, 0xDE, 0x00, 0x00, 0x41, 0x00],
    'gb18030': [0x41, 0x81, 0x30, 0x81, 0x30, 0xA3, 0xA0, 0x90, 0x30, 0x81, 0x30, 0x81, 0x30, 0xFE, 0x81],
    'gbk': [0x80, 0xB0, 0xA1, 0x81, 0x7F],
    'big5': [0x88, 0x62, 0xA4, 0x40, 0x87, 0x45, 0xA1, 0x41, 0xA1],
    'euc-jp': [0x8F, 0xA2, 0xAF, 0x8E, 0xA1, 0xA4, 0xA2, 0x8F, 0xA2, 0x41, 0xA4],
    'iso-2022-jp': [0x1B, 0x24, 0x42, 0x24, 0x22, 0x1B, 0x28, 0x49, 0x21, 0x1B, 0x28, 0x42, 0x41, 0x1B, 0x24],
    'shift_jis': [0x82, 0xA0, 0xF0, 0x40, 0x81, 0x7F, 0x82],
    'euc-kr': [0xB0, 0xA1, 0xC9, 0xA1, 0x81, 0x20, 0xB0],
    'windows-1252': [0x80, 0x41, 0x81],
    'x-user-defined': [0x80, 0x41],
  };
  for (const enc of Object.keys(samples)) {
    const input = new Uint8Array(samples[enc]);
    const whole = new TextDecoder(enc).decode(input);
    for (let cut1 = 0; cut1 <= input.length; cut1++) {
      for (let cut2 = cut1; cut2 <= input.length; cut2++) {
        const d = new TextDecoder(enc);
        const got = d.decode(input.subarray(0, cut1), { stream: true }) +
          d.decode(input.subarray(cut1, cut2), { stream: true }) + d.decode(input.subarray(cut2));
        assertEqual(got, whole, `${enc} cut at ${cut1}, ${cut2}`);
      }
    }
    // Byte by byte, then flushed by decode().
    const d = new TextDecoder(enc);
    let s = '';
    for (const b of input) s += d.decode(new Uint8Array([b]), { stream: true });
    assertEqual(s + d.decode(), whole, `${enc} byte by byte`);
    // A call without stream ends the stream: the next one starts afresh.
    d.decode(input.subarray(0, 1), { stream: true });
    d.decode();
    assertEqual(d.decode(input), whole, `${enc} after a flush`);
  }
});

test('fatal decoders throw on the first error and then start afresh', () => {
  const f = new TextDecoder('shift_jis', { fatal: true });
  assertThrows(() => f.decode(new Uint8Array([0x82, 0xA0, 0x81, 0x7F])), TypeError);
  assertEqual(f.decode(new Uint8Array([0x82, 0xA0])), '\u3042');
  assertEqual(f.decode(new Uint8Array([0x82]), { stream: true }), '');
  assertThrows(() => f.decode(), TypeError, 'end of stream in a character');
  assertEqual(f.decode(new Uint8Array([0x41])), 'A');
  assertEqual([f.fatal, f.encoding], [true, 'shift_jis']);
});

test('views on SharedArrayBuffer decode and encodeInto writes into them', () => {
  if (typeof SharedArrayBuffer !== 'function') return;
  const sab = new SharedArrayBuffer(8);
  const u8 = new Uint8Array(sab);
  const r = new TextEncoder().encodeInto('h\u00E9', u8);
  assertEqual([r.read, r.written], [2, 3]);
  assertEqual(new TextDecoder().decode(u8.subarray(0, 3)), 'h\u00E9');
  assertEqual(new TextDecoder().decode(sab).slice(0, 2), 'h\u00E9');
  assertEqual(new TextDecoder('utf-8').decode(u8.subarray(0, 3), { stream: true }), 'h\u00E9');
  assertEqual(new TextDecoder('windows-1252').decode(new DataView(sab, 0, 1)), 'h');
  assertEqual(new TextDecoder('utf-16le').decode(sab).length, 4);
});

test('a legacy decoder past the string limit is a RangeError', () => {
  const big = new Uint8Array(new ArrayBuffer(2 ** 31, { maxByteLength: 2 ** 31 }));
  assertThrows(() => new TextDecoder('windows-1252').decode(big), RangeError);
  assertEqual(new TextDecoder('windows-1252').decode(new Uint8Array([0xE9])), '\u00E9');
});

test('streaming UTF-8: every split of a sequence decodes as the whole does, fatal or not', () => {
  const samples = [[0xE2, 0x82, 0xAC, 0x41], [0xF0, 0x9F, 0x98, 0x80, 0x42], [0xE2, 0x41, 0xE2, 0x82, 0x82],
    [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC3], [0xE0, 0x80, 0xAF], [0xEF, 0xBB, 0xBF, 0x61],
    [0xF0, 0x9F, 0x41, 0x98], [0xC2, 0xC2, 0xA9], [0xF0, 0x90, 0x80], [0x80, 0xE2, 0x82], [0xE1, 0x80, 0xE1, 0x80, 0x80]];
  const outcome = (fatal, parts) => {
    const d = new TextDecoder('utf-8', { fatal });
    try {
      let s = '';
      for (let i = 0; i < parts.length; i++) s += d.decode(parts[i], { stream: i < parts.length - 1 });
      return s;
    } catch (e) {
      assert(e instanceof TypeError, String(e));
      return 'TypeError';
    }
  };
  let checked = 0;
  for (const sample of samples) {
    const u = new Uint8Array(sample);
    for (const fatal of [false, true]) {
      const whole = outcome(fatal, [u]);
      for (let a = 0; a <= u.length; a++) {
        for (let b = a; b <= u.length; b++) {
          const got = outcome(fatal, [u.subarray(0, a), u.subarray(a, b), u.subarray(b)]);
          assertEqual(got, whole, JSON.stringify([sample, a, b, fatal]));
          checked++;
        }
      }
      assertEqual(outcome(fatal, Array.from(u, (x) => new Uint8Array([x])).concat([new Uint8Array(0)])), whole);
    }
  }
  assert(checked > 300, `${checked} splits checked`);
  // A chunk may be reused by the caller once decode returned: the kept bytes are a copy.
  const d = new TextDecoder();
  const chunk = new Uint8Array([0x41, 0xE2, 0x82]);
  assertEqual(d.decode(chunk, { stream: true }), 'A');
  chunk.set([0xAC, 0x42, 0x43]);
  assertEqual(d.decode(chunk.subarray(0, 1), { stream: true }) + d.decode(), '\u20AC');
});
