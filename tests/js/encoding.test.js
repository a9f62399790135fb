// TextEncoder and TextDecoder (UTF-8).
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
  for (const label of ['latin1', 'utf-16le', 'utf-16', 'ascii', '', 'utf_8', 'utf-8x']) {
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
