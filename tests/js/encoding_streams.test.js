// TextEncoderStream and TextDecoderStream (src/js/encoding_streams.js): streaming across chunk
// boundaries, the options, and the errors the Encoding standard gives.
async function through(transform, chunks) {
  const writer = transform.writable.getWriter();
  const pump = (async () => {
    for (const c of chunks) await writer.write(c);
    await writer.close();
  })();
  const out = [];
  const read = (async () => {
    for await (const p of transform.readable) out.push(p);
  })();
  await Promise.all([read, pump]);
  return out;
}

async function errorOf(transform, chunks) {
  try {
    await through(transform, chunks);
  } catch (e) {
    return e;
  }
  throw new Error('the stream did not error');
}

const bytesOf = (chunks) => chunks.flatMap((c) => {
  assertEqual(Object.prototype.toString.call(c), '[object Uint8Array]');
  return Array.from(c);
});

test('TextEncoderStream encodes each chunk to UTF-8 Uint8Arrays and skips empty ones', async () => {
  const out = await through(new TextEncoderStream(), ['a', '', 'é€', '😀']);
  assertEqual(out.length, 3);
  assertEqual(bytesOf(out), [0x61, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80]);
});

test('TextEncoderStream joins a surrogate pair split across chunks', async () => {
  const out = await through(new TextEncoderStream(), ['a\uD83D', '\uDE00b']);
  assertEqual(bytesOf(out), [0x61, 0xF0, 0x9F, 0x98, 0x80, 0x62]);
});

test('TextEncoderStream: a lead surrogate waits through empty chunks', async () => {
  const out = await through(new TextEncoderStream(), ['\uD83D', '', '\uDE00']);
  assertEqual(bytesOf(out), [0xF0, 0x9F, 0x98, 0x80]);
});

test('TextEncoderStream: lone surrogates become U+FFFD, also one left at the end', async () => {
  const fffd = [0xEF, 0xBF, 0xBD];
  assertEqual(bytesOf(await through(new TextEncoderStream(), ['\uD83Dx'])), [...fffd, 0x78]);
  assertEqual(bytesOf(await through(new TextEncoderStream(), ['\uDE00'])), fffd);
  assertEqual(bytesOf(await through(new TextEncoderStream(), ['\uD83D', '\uD83D', 'y'])), [...fffd, ...fffd, 0x79]);
  assertEqual(bytesOf(await through(new TextEncoderStream(), ['x\uD83D'])), [0x78, ...fffd]);
});

test('TextEncoderStream converts chunks to strings, and a Symbol is a TypeError', async () => {
  const out = await through(new TextEncoderStream(), [42, null, { toString: () => 'o' }]);
  assertEqual(bytesOf(out), Array.from(new TextEncoder().encode('42nullo')));
  const e = await errorOf(new TextEncoderStream(), [Symbol('s')]);
  assert(e instanceof TypeError, String(e));
});

test('TextEncoderStream has encoding utf-8 and the GenericTransformStream attributes', () => {
  const s = new TextEncoderStream();
  assertEqual(s.encoding, 'utf-8');
  assert(s.readable instanceof ReadableStream && s.writable instanceof WritableStream);
  assertEqual(Object.prototype.toString.call(s), '[object TextEncoderStream]');
  assertThrows(() => Object.getOwnPropertyDescriptor(TextEncoderStream.prototype, 'encoding').get.call({}), TypeError);
});

test('TextDecoderStream decodes sequences split at every byte', async () => {
  const bytes = new TextEncoder().encode('aé€😀z');
  const chunks = Array.from(bytes, (b) => new Uint8Array([b]));
  const out = await through(new TextDecoderStream(), chunks);
  assertEqual(out.join(''), 'aé€😀z');
  for (const s of out) assertEqual(typeof s, 'string');
  assert(!out.includes(''), 'no empty chunks');
});

test('TextDecoderStream strips one BOM, even split, unless ignoreBOM', async () => {
  const bom = [0xEF, 0xBB, 0xBF];
  const chunks = [new Uint8Array(bom.slice(0, 2)), new Uint8Array([bom[2], 0x61, ...bom])];
  assertEqual((await through(new TextDecoderStream(), chunks)).join(''), 'a\uFEFF');
  const keep = new TextDecoderStream('utf-8', { ignoreBOM: true });
  assertEqual(keep.ignoreBOM, true);
  assertEqual((await through(keep, [new Uint8Array([...bom, 0x61])])).join(''), '\uFEFFa');
});

test('TextDecoderStream: invalid bytes are U+FFFD, or a TypeError when fatal', async () => {
  assertEqual((await through(new TextDecoderStream(), [new Uint8Array([0x61, 0xFF, 0x62])])).join(''), 'a\uFFFDb');
  // An incomplete sequence at the end is flushed as U+FFFD.
  assertEqual((await through(new TextDecoderStream(), [new Uint8Array([0x61, 0xE2, 0x82])])).join(''), 'a\uFFFD');
  const fatal = new TextDecoderStream('utf-8', { fatal: true });
  assertEqual(fatal.fatal, true);
  const e = await errorOf(fatal, [new Uint8Array([0x61, 0xFF])]);
  assert(e instanceof TypeError, String(e));
  const e2 = await errorOf(new TextDecoderStream('utf-8', { fatal: true }), [new Uint8Array([0xE2, 0x82])]);
  assert(e2 instanceof TypeError, `incomplete at the end: ${e2}`);
});

test('TextDecoderStream takes ArrayBuffers and any view, and refuses other chunks', async () => {
  const b = new TextEncoder().encode('hello world!');
  const out = await through(new TextDecoderStream(), [b.buffer.slice(0, 2), new DataView(b.buffer, 2, 2),
    new Uint16Array(b.buffer, 4, 2), b.subarray(8)]);
  assertEqual(out.join(''), 'hello world!');
  for (const bad of ['text', 1, null, undefined, {}, [0x61]]) {
    const e = await errorOf(new TextDecoderStream(), [bad]);
    assert(e instanceof TypeError, `${String(bad)}: ${e}`);
  }
});

test('TextDecoderStream takes the labels TextDecoder takes, and its encoding attribute', async () => {
  assertEqual(new TextDecoderStream().encoding, 'utf-8');
  assertEqual(new TextDecoderStream(' UTF8 ').encoding, 'utf-8');
  assertThrows(() => new TextDecoderStream('no-such-encoding'), RangeError);
  assertThrows(() => new TextDecoderStream('replacement'), RangeError);
});

test('TextDecoderStream decodes every encoding TextDecoder does, split at every byte', async () => {
  const cases = [['windows-1252', [0x80, 0x41], '€A'], ['iso-8859-2', [0xA1], 'Ą'],
    ['shift_jis', [0x82, 0xA0], 'あ'], ['euc-kr', [0xB0, 0xA1], '가'], ['gbk', [0xC4, 0xE3], '你'],
    ['big5', [0xA4, 0x40], '一'], ['utf-16be', [0xD8, 0x3D, 0xDE, 0x00], '😀'],
    ['utf-16le', [0x61, 0x00, 0x3D, 0xD8, 0x00, 0xDE], 'a😀']];
  for (const [label, bytes, expected] of cases) {
    let direct;
    try {
      direct = new TextDecoder(label).decode(new Uint8Array(bytes));
    } catch {
      continue; // not (yet) an encoding of this TextDecoder
    }
    const stream = new TextDecoderStream(label);
    assertEqual(stream.encoding, new TextDecoder(label).encoding);
    const out = await through(stream, bytes.map((x) => new Uint8Array([x])));
    assertEqual(out.join(''), direct, label);
    if (label !== 'gbk' || direct === expected) assertEqual(direct, expected, label);
  }
});

test('TextDecoderStream: the attributes check their receiver', () => {
  for (const name of ['encoding', 'fatal', 'ignoreBOM', 'readable', 'writable']) {
    assertThrows(() => Object.getOwnPropertyDescriptor(TextDecoderStream.prototype, name).get.call({}), TypeError);
  }
  assertEqual(Object.prototype.toString.call(new TextDecoderStream()), '[object TextDecoderStream]');
});

test('pipeThrough an encoder and a decoder is the identity', async () => {
  const text = ['plain ', 'ünïcödé ', '\uD83D', '\uDE00', ' end'];
  const source = new ReadableStream({
    start(c) {
      for (const t of text) c.enqueue(t);
      c.close();
    },
  });
  const out = [];
  for await (const s of source.pipeThrough(new TextEncoderStream()).pipeThrough(new TextDecoderStream())) out.push(s);
  assertEqual(out.join(''), text.join(''));
});

test('TextDecoderStream: a detached buffer or a view on one is no bytes, not an error', async () => {
  const buffer = new ArrayBuffer(4);
  const view = new DataView(new ArrayBuffer(4), 1, 2);
  structuredClone([buffer, view.buffer], { transfer: [buffer, view.buffer] });
  const out = await through(new TextDecoderStream(), [buffer, view, new Uint8Array([0x61])]);
  assertEqual(out, ['a']);
});
