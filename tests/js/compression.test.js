// CompressionStream and DecompressionStream (src/js/compression.js, src/web/compression.c):
// round trips of every format and chunking, data made by Python's zlib and gzip modules, and
// the errors the Compression standard gives for bad input.
const formats = ['deflate', 'deflate-raw', 'gzip', 'brotli', 'zstd'];
const fromBase64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const text = 'The quick brown fox jumps over the lazy dog. '.repeat(20);
const textBytes = new TextEncoder().encode(text);

// Made by Python 3: zlib.compress(text, 9), a raw compressobj(6, DEFLATED, -15),
// gzip.compress(text, mtime=0), and a gzip member with FEXTRA, FNAME, FCOMMENT and FHCRC set.
const py = {
  deflate: 'eNoLyUhVKCzNTM5WSCrKL89TSMuvUMgqzS0oVsgvSy1SKAFK5yRWVSqk5KfrKYSMKh5VPKqY2ooBR6VDHA==',
  'deflate-raw': 'C8lIVSgszUzOVkgqyi/PU0jLr1DIKs0tKFbIL0stUigBSuckVlUqpOSn6ymEjCoeVTyqmNqKAQ==',
  gzip: 'H4sIAAAAAAACAwvJSFUoLM1MzlZIKsovz1NIy69QyCrNLShWyC9LLVIoAUrnJFZVKqTkp+sphIwqHlU8qpjaigHmSmawhAMAAA==',
  gzipFields: 'H4sIHgAAAAAAAwQAYWIAAG5hbWUudHh0AGEgY29tbWVudAD5WQvJSFUoLM1MzlZIKsovz1NIy69QyCrNLShWyC9LLVIoAUrnJFZVKqTkp+sphIwqHlU8qpjaigHmSmawhAMAAA==',
  // zstd -19 (with a checksum) and zstd -3 --no-check of the same text (the zstd command 1.5.4).
  zstd: 'KLUv/WSEArUBANQCVGhlIHF1aWNrIGJyb3duIGZveCBqdW1wcyBvdmVyIHRoZSBsYXp5IGRvZy4gAQClCitVBlkT+oU=',
  zstdNoCheck: 'KLUv/WCEArUBANQCVGhlIHF1aWNrIGJyb3duIGZveCBqdW1wcyBvdmVyIHRoZSBsYXp5IGRvZy4gAQClCitVBg==',
  gzipBadHeaderCrc: 'H4sIHgAAAAAAAwQAYWIAAG5hbWUudHh0AGEgY29tbWVudAD5pgvJSFUoLM1MzlZIKsovz1NIy69QyCrNLShWyC9LLVIoAUrnJFZVKqTkp+sphIwqHlU8qpjaigHmSmawhAMAAA==',
};

function concat(chunks) {
  let n = 0;
  for (const c of chunks) n += c.byteLength;
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

// Writes the chunks through the transform while reading its output; → [pieces, all bytes].
async function through(transform, chunks) {
  const writer = transform.writable.getWriter();
  const pump = (async () => {
    for (const c of chunks) await writer.write(c);
    await writer.close();
  })();
  const pieces = [];
  const read = (async () => {
    for await (const p of transform.readable) pieces.push(p);
  })();
  await Promise.all([read, pump]);
  return [pieces, concat(pieces)];
}

function split(bytes, size) {
  const out = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

function sameBytes(a, b, what) {
  assertEqual(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) throw new Error(`${what}: byte ${i} is ${a[i]}, expected ${b[i]}`);
  }
}

// Pseudo-random bytes that compress somewhat (a small alphabet), made without Math.random.
function sample(n) {
  const out = new Uint8Array(n);
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = 97 + ((x >>> 16) % 13);
  }
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

// Writes one chunk without closing and reads until the stream errors: the output that came
// before the error (asserted a TypeError, on the write's promise too).
async function outputBeforeError(ds, bytes) {
  const write = ds.writable.getWriter().write(bytes);
  const reader = ds.readable.getReader();
  const got = [];
  let error = null;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      got.push(value);
    }
  } catch (e) {
    error = e;
  }
  assert(error instanceof TypeError, String(error));
  await assertRejects(write, TypeError);
  return concat(got);
}

for (const format of formats) {
  for (const size of [textBytes.length, 1, 7, 100]) {
    test(`${format}: a round trip written in chunks of ${size} bytes`, async () => {
      const [pieces, packed] = await through(new CompressionStream(format), split(textBytes, size));
      for (const p of pieces) {
        assertEqual(Object.prototype.toString.call(p), '[object Uint8Array]');
        assert(p.byteLength > 0, 'no empty chunks');
      }
      assert(packed.length < textBytes.length, `compressed ${packed.length} bytes`);
      const [, back] = await through(new DecompressionStream(format), split(packed, size));
      sameBytes(back, textBytes, format);
    });
  }

  test(`${format}: a round trip of an empty input`, async () => {
    const [, packed] = await through(new CompressionStream(format), []);
    assert(packed.length > 0, 'an empty stream still has its framing');
    const [pieces] = await through(new DecompressionStream(format), [packed]);
    assertEqual(pieces.length, 0);
  });

  test(`${format}: a 3 MiB chunk (coded on the thread pool) comes back intact`, async () => {
    const big = sample(3 * 1024 * 1024);
    const [, packed] = await through(new CompressionStream(format), [big]);
    const [, back] = await through(new DecompressionStream(format), [packed]);
    sameBytes(back, big, format);
  });

  test(`${format}: truncated input is a TypeError at the end`, async () => {
    const [, packed] = await through(new CompressionStream(format), [textBytes]);
    const e = await errorOf(new DecompressionStream(format), [packed.subarray(0, packed.length - 3)]);
    assert(e instanceof TypeError, String(e));
  });

  test(`${format}: data after the end is a TypeError, after the output before it`, async () => {
    if (format === 'zstd') return; // more frames may follow: the zstd tests below
    const [, packed] = await through(new CompressionStream(format), [textBytes]);
    const got = await outputBeforeError(new DecompressionStream(format),
      concat([packed, new Uint8Array([1, 2, 3])]));
    sameBytes(got, textBytes, 'the output before the trailing data');
  });

  test(`${format}: a later chunk after the end is a TypeError`, async () => {
    const [, packed] = await through(new CompressionStream(format), [textBytes]);
    const e = await errorOf(new DecompressionStream(format), [packed, new Uint8Array([0])]);
    assert(e instanceof TypeError, String(e));
  });

  test(`${format}: an ArrayBuffer, a DataView and other typed arrays are accepted`, async () => {
    const copy = textBytes.slice();
    const chunks = [copy.buffer.slice(0, 100), new DataView(copy.buffer, 100, 100),
      new Uint16Array(copy.buffer, 200, 100), new Float64Array(copy.buffer.slice(400, 896)),
      copy.subarray(896)];
    const [, packed] = await through(new CompressionStream(format), chunks);
    const [, back] = await through(new DecompressionStream(format), [packed]);
    sameBytes(back, textBytes, format);
  });
}

for (const format of ['deflate', 'deflate-raw', 'gzip', 'zstd']) {
  test(`${format}: data compressed by Python (zstd: the zstd command) decompresses, in one chunk and byte by byte`, async () => {
    const packed = fromBase64(py[format]);
    const [, whole] = await through(new DecompressionStream(format), [packed]);
    sameBytes(whole, textBytes, format);
    const [, bytewise] = await through(new DecompressionStream(format), split(packed, 1));
    sameBytes(bytewise, textBytes, format);
  });

  test(`${format}: corrupt data is a TypeError`, async () => {
    const packed = fromBase64(py[format]).slice();
    packed[Math.floor(packed.length / 2)] ^= 0x55;
    packed[packed.length - 2] ^= 0x55; // the checksum too, for the formats that have one
    const e = await errorOf(new DecompressionStream(format), [packed]);
    assert(e instanceof TypeError, String(e));
  });
}

test('zstd: frames one after the other decode as one stream, skippable frames give nothing', async () => {
  const a = fromBase64(py.zstd);
  const b = fromBase64(py.zstdNoCheck);
  // RFC 8878 section 3.1.2: magic 0x184D2A5?, a 4-byte little-endian size, that many bytes.
  const skippable = new Uint8Array([0x5a, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 9, 9, 9]);
  const [, out] = await through(new DecompressionStream('zstd'), [concat([a, skippable, b]), a]);
  sameBytes(out, concat([textBytes, textBytes, textBytes]), 'three frames');
  const [, bytewise] = await through(new DecompressionStream('zstd'), split(concat([b, a]), 1));
  sameBytes(bytewise, concat([textBytes, textBytes]), 'two frames byte by byte');
});

test('zstd: bytes after a frame that are no frame are a TypeError, after the output before them', async () => {
  const got = await outputBeforeError(new DecompressionStream('zstd'),
    concat([fromBase64(py.zstd), new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])]));
  sameBytes(got, textBytes, 'the output before the bad bytes');
  // The start of a frame that never ends fails at close.
  const e = await errorOf(new DecompressionStream('zstd'), [fromBase64(py.zstd), fromBase64(py.zstd).subarray(0, 9)]);
  assert(e instanceof TypeError, String(e));
});

test('our zstd framing is RFC 8878\'s', async () => {
  const [, z] = await through(new CompressionStream('zstd'), [textBytes]);
  assertEqual([z[0], z[1], z[2], z[3]], [0x28, 0xb5, 0x2f, 0xfd], 'magic number');
});

test('our gzip and deflate framing is what RFC 1952 and RFC 1950 say', async () => {
  const [, gz] = await through(new CompressionStream('gzip'), [textBytes]);
  assertEqual([gz[0], gz[1], gz[2]], [0x1f, 0x8b, 8]);
  const size = gz[gz.length - 4] | (gz[gz.length - 3] << 8) | (gz[gz.length - 2] << 16);
  assertEqual(size, textBytes.length, 'ISIZE');
  const [, z] = await through(new CompressionStream('deflate'), [textBytes]);
  assertEqual(z[0] & 0x0f, 8, 'CM');
  assertEqual(((z[0] << 8) | z[1]) % 31, 0, 'FCHECK');
});

test('gzip: a header with FEXTRA, FNAME, FCOMMENT and FHCRC decompresses', async () => {
  const [, out] = await through(new DecompressionStream('gzip'), [fromBase64(py.gzipFields)]);
  sameBytes(out, textBytes, 'gzip with header fields');
});

test('gzip: a wrong header CRC is a TypeError', async () => {
  const e = await errorOf(new DecompressionStream('gzip'), [fromBase64(py.gzipBadHeaderCrc)]);
  assert(e instanceof TypeError, String(e));
});

test('gzip: a second member is data after the end', async () => {
  const member = fromBase64(py.gzip);
  const e = await errorOf(new DecompressionStream('gzip'), [concat([member, member])]);
  assert(e instanceof TypeError, String(e));
});

test('each format refuses the others\' framing', async () => {
  const e1 = await errorOf(new DecompressionStream('gzip'), [fromBase64(py.deflate)]);
  assert(e1 instanceof TypeError, String(e1));
  const e2 = await errorOf(new DecompressionStream('deflate'), [fromBase64(py.gzip)]);
  assert(e2 instanceof TypeError, String(e2));
  const e3 = await errorOf(new DecompressionStream('brotli'), [fromBase64(py.gzip)]);
  assert(e3 instanceof TypeError, String(e3));
  const e4 = await errorOf(new DecompressionStream('zstd'), [fromBase64(py.gzip)]);
  assert(e4 instanceof TypeError, String(e4));
  const e5 = await errorOf(new DecompressionStream('gzip'), [fromBase64(py.zstd)]);
  assert(e5 instanceof TypeError, String(e5));
});

test('a chunk that is not a BufferSource errors the stream with a TypeError', async () => {
  const bads = ['text', 42, null, undefined, [1, 2], {}];
  if (typeof SharedArrayBuffer === 'function') bads.push(new SharedArrayBuffer(4));
  for (const bad of bads) {
    for (const Ctor of [CompressionStream, DecompressionStream]) {
      const e = await errorOf(new Ctor('gzip'), [bad]);
      assert(e instanceof TypeError, `${Ctor.name} ${String(bad)}: ${e}`);
    }
  }
});

test('the constructors take a CompressionFormat and nothing else', () => {
  for (const Ctor of [CompressionStream, DecompressionStream]) {
    assertThrows(() => new Ctor(), TypeError);
    assertThrows(() => new Ctor('zip'), TypeError);
    assertThrows(() => new Ctor('GZIP'), TypeError);
    assertThrows(() => Ctor('gzip'), TypeError);
    const s = new Ctor({ toString: () => 'deflate' });
    assert(s.readable instanceof ReadableStream && s.writable instanceof WritableStream);
    assertEqual(Object.prototype.toString.call(s), `[object ${Ctor.name}]`);
    assertThrows(() => Object.getOwnPropertyDescriptor(Ctor.prototype, 'readable').get.call({}), TypeError);
  }
});

test('pipeThrough works with both', async () => {
  const source = new ReadableStream({
    start(c) {
      for (const part of split(textBytes, 64)) c.enqueue(part);
      c.close();
    },
  });
  const out = source.pipeThrough(new CompressionStream('gzip')).pipeThrough(new DecompressionStream('gzip'));
  const got = [];
  for await (const chunk of out) got.push(chunk);
  sameBytes(concat(got), textBytes, 'piped');
});

test('cancelling the readable side mid-stream errors the writable side', async () => {
  const cs = new CompressionStream('deflate');
  const writer = cs.writable.getWriter();
  await cs.readable.cancel(new Error('stop'));
  await assertRejects(writer.write(textBytes), Error);
});

// A decompression bomb, small: 16 MiB of zeros, which each format packs into at most 16 KiB.
const BOMB = 16 * 1024 * 1024;
const STEP = 1024 * 1024; // what compression.c makes before it waits for the reader
async function bomb(format) {
  const [, packed] = await through(new CompressionStream(format), [new Uint8Array(BOMB)]);
  assert(packed.length <= 16 * 1024, `${format}: ${packed.length} bytes`);
  return packed;
}

for (const format of formats) {
  test(`${format}: a small chunk that inflates to 16 MiB is made as it is read, a megabyte at a time`, async () => {
    const packed = await bomb(format);
    const ds = new DecompressionStream(format);
    const writer = ds.writable.getWriter();
    let read = 0;
    let readWhenWritten = -1;
    const written = writer.write(packed).then(() => { readWhenWritten = read; });
    writer.close();
    const reader = ds.readable.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      assert(value.byteLength <= STEP, `a piece of ${value.byteLength} bytes`);
      for (let i = 0; i < value.length; i += 4093) {
        if (value[i] !== 0) throw new Error(`byte ${read + i} is ${value[i]}`);
      }
      read += value.byteLength;
    }
    await written;
    assertEqual(read, BOMB);
    // The write waited for the reader: when it finished, all but the last step had been read
    // (the standard's enqueue-everything would finish it before the first read).
    assert(readWhenWritten >= BOMB - 2 * STEP, `the write finished with ${readWhenWritten} bytes read`);
  });
}

test('cancelling the readable side while a chunk is still inflating ends that chunk\'s write', async () => {
  const packed = await bomb('gzip');
  const ds = new DecompressionStream('gzip');
  const writer = ds.writable.getWriter();
  const written = writer.write(packed).then(() => 'resolved', () => 'rejected');
  const reader = ds.readable.getReader();
  const first = await reader.read();
  assert(!first.done && first.value.byteLength > 0);
  await reader.cancel(new Error('enough'));
  assert(['resolved', 'rejected'].includes(await written));
  await assertRejects(writer.write(packed), Error);
});

test('a chunk whose reader stops reading waits with the rest of its output unmade', async () => {
  // The first read starts the transform; nothing reads after it, so the write stays pending,
  // and the engine's close at the end of this file frees the codec with the rest of its chunk
  // (the leak check would see it otherwise).
  const packed = await bomb('zstd');
  const ds = new DecompressionStream('zstd');
  let settled = false;
  ds.writable.getWriter().write(packed).finally(() => { settled = true; });
  const first = await ds.readable.getReader().read();
  assert(!first.done && first.value.byteLength > 0);
  for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0));
  assert(!settled, 'the write waits for the reader');
});

test('gzip: a bad CRC at the end of a chunk that inflates to megabytes errors after that output is read', async () => {
  const big = sample(4 * STEP);
  const [, packed] = await through(new CompressionStream('gzip'), [big]);
  const bad = packed.slice();
  bad[bad.length - 8] ^= 0xff; // the trailer's CRC-32
  const got = await outputBeforeError(new DecompressionStream('gzip'), bad);
  // All but the last step at least (it is made before the check fails), and as it was.
  assert(got.length >= 3 * STEP, `${got.length} bytes before the error`);
  sameBytes(got, big.subarray(0, got.length), 'the output before the error');
});
