// Blob and File (File API).
'use strict';

const bytesOf = async (blob) => Array.from(new Uint8Array(await blob.arrayBuffer()));

async function assertBlob(blob, text, type, msg) {
  assert(blob instanceof Blob, msg);
  assertEqual(blob.type, type, `${msg || ''} type`);
  assertEqual(await blob.text(), text, msg);
  assertEqual(blob.size, new TextEncoder().encode(text).length, `${msg || ''} size`);
}

test('Blob is an interface: constructor of no required argument, members on the prototype', () => {
  assertEqual(Blob.length, 0);
  assertThrows(() => Blob(), TypeError);
  const b = new Blob();
  assertEqual(String(b), '[object Blob]');
  assertEqual([b.size, b.type], [0, '']);
  for (const name of ['size', 'type', 'slice', 'text', 'arrayBuffer', 'bytes']) {
    assertEqual(Object.getOwnPropertyDescriptor(Blob.prototype, name).enumerable, true, name);
  }
  assertThrows(() => Object.getOwnPropertyDescriptor(Blob.prototype, 'size').get.call({}), TypeError);
  assertEqual(typeof b.stream, 'function');
});

test('blobParts must be a sequence: non-objects and non-iterables throw', () => {
  for (const arg of [null, true, false, 0, 1, 1.5, 'FAIL', new Date(), /re/, {}, { 0: 'FAIL', length: 1 }]) {
    assertThrows(() => new Blob(arg), TypeError, String(arg));
  }
  assertEqual(new Blob(undefined).size, 0);
});

test('any iterable is a sequence: custom iterators, String objects, typed arrays', async () => {
  let i = 0;
  const custom = { [Symbol.iterator]() { return { next: () => [{ value: 'ab' }, { value: 'cde' }, { done: true }][i++] }; } };
  await assertBlob(new Blob(custom), 'abcde', '');
  await assertBlob(new Blob(new String('xyz')), 'xyz', '');
  await assertBlob(new Blob(new Uint8Array([1, 2, 3])), '123', '', 'elements converted with ToString');
  await assertBlob(new Blob({ [Symbol.iterator]: Array.prototype[Symbol.iterator], 0: 'PASS', length: 1 }), 'PASS', '');
});

test('the sequence is read and converted element by element, until something throws', () => {
  const received = [];
  const err = new Error('stop');
  const obj = {
    get [Symbol.iterator]() { received.push('Symbol.iterator'); return Array.prototype[Symbol.iterator]; },
    get length() { received.push('length getter'); return { valueOf() { received.push('length valueOf'); return 3; } }; },
    get 0() { received.push('0 getter'); return { toString() { received.push('0 toString'); return 'a'; } }; },
    get 1() { received.push('1 getter'); throw err; },
    get 2() { received.push('2 getter'); return 'never'; },
  };
  assert(assertThrows(() => new Blob(obj)) === err);
  assertEqual(received, ['Symbol.iterator', 'length getter', 'length valueOf', '0 getter', '0 toString',
    'length getter', 'length valueOf', '1 getter']);
  // Changes to the array while it is read show.
  const arr = [{ toString() { arr.pop(); return 'PASS'; } }, { toString() { throw new Error('removed'); } }];
  assertEqual(new Blob(arr).size, 4);
});

test('elements: ToString for anything that is not a Blob or BufferSource', async () => {
  await assertBlob(new Blob([null, undefined, true, false, 0, 1, new String('stringobject'), [], ['x', 'y'], {},
    { 0: 'FAIL', length: 1 }, { toString() { return 'stringA'; } },
    { toString: undefined, valueOf() { return 'stringB'; } }]),
  'nullundefinedtruefalse01stringobjectx,y[object Object][object Object]stringAstringB', '');
  assertThrows(() => new Blob([{ toString: null, valueOf: null }]), TypeError);
  assertThrows(() => new Blob([Symbol('s')]), TypeError);
  // Strings are USVStrings: lone surrogates become U+FFFD.
  assertEqual(await bytesOf(new Blob(['\uD800a'])), [0xEF, 0xBF, 0xBD, 0x61]);
});

test('BufferSource elements: ArrayBuffer, every view, partial views; bytes copied', async () => {
  await assertBlob(new Blob([new ArrayBuffer(8)]), '\0'.repeat(8), '');
  await assertBlob(new Blob([new Uint8Array([0x50, 0x41, 0x53, 0x53]), new Int8Array([0x50, 0x41, 0x53, 0x53]),
    new Uint16Array([0x4150, 0x5353]), new Int16Array([0x4150, 0x5353]), new Uint32Array([0x53534150]),
    new Int32Array([0x53534150]), new Float32Array([0xD341500000])]), 'PASS'.repeat(7), '');
  const buf = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]);
  const b = new Blob([new Uint8Array(buf.buffer, 2, 3), new DataView(buf.buffer, 6), buf.buffer]);
  assertEqual(await bytesOf(b), [2, 3, 4, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7]);
  buf[2] = 99;
  assertEqual((await bytesOf(b))[0], 2, 'the blob keeps the bytes it was given');
  // The bytes are taken after the options are read (the constructor's steps come after the
  // conversion of every argument).
  const late = new Uint8Array([1]);
  const lb = new Blob([late], { get type() { late[0] = 2; return ''; } });
  assertEqual(await bytesOf(lb), [2]);
  const detached = new ArrayBuffer(4);
  detached.transfer();
  assertEqual(new Blob([detached]).size, 0);
  assertThrows(() => new Blob([new ArrayBuffer(1, { maxByteLength: 2 })]), TypeError, 'resizable');
  assertThrows(() => new Blob([new Uint8Array(new ArrayBuffer(1, { maxByteLength: 2 }))]), TypeError);
});

test('Blob elements share their bytes; mixed parts keep their order', async () => {
  const foo = new Blob(['foo']);
  await assertBlob(new Blob([foo, foo]), 'foofoo', '');
  await assertBlob(new Blob([new Uint8Array([0]).buffer, new Blob(['fo']), 'foo']), '\0fofoo', '');
  let nested = new Blob(['x']);
  for (let i = 0; i < 10; i++) nested = new Blob([nested, nested]);
  assertEqual(nested.size, 1024);
  assertEqual(await nested.text(), 'x'.repeat(1024));
});

test('options: endings and type, read in lexicographic order; non-objects throw', async () => {
  const accessed = [];
  new Blob([], { get type() { accessed.push('type'); }, get endings() { accessed.push('endings'); } });
  assertEqual(accessed, ['endings', 'type']);
  for (const arg of [null, undefined, {}, { unrecognized: true }, /regex/, function () {}]) {
    await assertBlob(new Blob(['\na\r\nb\n\rc\r'], arg), '\na\r\nb\n\rc\r', '', String(arg));
  }
  for (const arg of [123, 123.4, true, 'abc']) assertThrows(() => new Blob([], arg), TypeError, String(arg));
  assertThrows(() => new Blob([], { endings: 'invalid' }), TypeError);
  assertThrows(() => new Blob([], { endings: null }), TypeError);
  const err = new Error('first');
  assert(assertThrows(() => new Blob([{ toString() { throw err; } }],
    { get type() { throw new Error('not reached'); } })) === err, 'arguments left to right');
});

test('endings: "native" turns CR, LF and CR LF in strings into LF; buffers are left alone', async () => {
  await assertBlob(new Blob(['a\r\nb\rc\nd\n\r'], { endings: 'native' }), 'a\nb\nc\nd\n\n', '');
  await assertBlob(new Blob(['a\r\nb'], { endings: 'transparent' }), 'a\r\nb', '');
  const bytes = new TextEncoder().encode('x\r\ny');
  assertEqual(await bytesOf(new Blob([bytes], { endings: 'native' })), Array.from(bytes));
});

test('type: printable ASCII lower-cased, anything else the empty string; never sniffed', () => {
  const cases = [['', ''], ['a', 'a'], ['A', 'a'], ['text/html', 'text/html'], ['TEXT/HTML', 'text/html'],
    ['text/plain;charset=utf-8', 'text/plain;charset=utf-8'], ['\u00E5', ''], ['\uD801\uDC7E', ''],
    [' image/gif ', ' image/gif '], ['\timage/gif\t', ''], ['image/gif;\u007f', ''], ['\u0130mage/gif', ''],
    ['\u0131mage/gif', ''], ['image/gif\u0000', ''], ['nonparsable', 'nonparsable']];
  for (const [type, expected] of cases) assertEqual(new Blob([], { type }).type, expected, JSON.stringify(type));
  assertEqual(new Blob(['<HTML>'], { type: 'unknown/unknown' }).type, 'unknown/unknown');
  assertEqual(new Blob([], { type: { toString: () => 'X/Y' } }).type, 'x/y');
});

test('slice: negative and out-of-range positions, [Clamp] rounding, content type', async () => {
  const b = new Blob(['PASSSTRING']);
  const cases = [[[-6], 'STRING'], [[-12], 'PASSSTRING'], [[4], 'STRING'], [[12], ''], [[0, -6], 'PASS'],
    [[0, -12], ''], [[0, 4], 'PASS'], [[0, 12], 'PASSSTRING'], [[7, 4], ''], [[], 'PASSSTRING'],
    [[undefined, 2], 'PA'], [[8, undefined], 'NG'], [[NaN, NaN], ''], [[-Infinity, Infinity], 'PASSSTRING'],
    [['2', '4'], 'SS']];
  for (const [args, expected] of cases) assertEqual(await b.slice(...args).text(), expected, JSON.stringify(args));
  const abcd = new Blob(['abcd']);
  const halves = [[[0.5], 'abcd'], [[1.5], 'cd'], [[2.5], 'cd'], [[3.5], ''], [[0, 0.5], ''], [[0, 1.5], 'ab'],
    [[0, 2.5], 'ab'], [[0, 3.5], 'abcd'], [[1.5, 2.5], ''], [[1.5, 3.5], 'cd'], [[-1.5], 'cd'], [[-2.5], 'cd']];
  for (const [args, expected] of halves) assertEqual(await abcd.slice(...args).text(), expected, String(args));
  assertEqual(new Blob(['x'], { type: 'a/b' }).slice().type, '', 'the type is not inherited');
  assertEqual(abcd.slice(0, 4, 'Content/Type').type, 'content/type');
  assertEqual(abcd.slice(0, 0, null).type, 'null');
  for (const bad of ['\xFF', 'te\x09xt/plain', 'te\x00xt/plain', 'te\x1Fxt/plain', 'te\x7Fxt/plain']) {
    assertEqual(abcd.slice(0, 4, bad).type, '', JSON.stringify(bad));
  }
  assertEqual(abcd.slice(0, 4, 'text/plain;charset = UTF-8').type, 'text/plain;charset = utf-8');
  assertThrows(() => abcd.slice(0n), TypeError);
  const s = abcd.slice(1, 3);
  assert(s instanceof Blob && !(s instanceof File));
});

test('slice across parts, and slices of slices', async () => {
  const squiggle = new Blob(['squiggle']);
  const cases = [
    [['foo', squiggle, 'baz'], [[0, 3, 'foo'], [3, 11, 'squiggle'], [2, 4, 'os'], [10, 12, 'eb']]],
    [[squiggle, 'foo', squiggle], [[7, 9, 'ef'], [10, 12, 'os'], [1, 4, 'qui'], [12, 15, 'qui'], [40, 60, '']]],
    [[new Uint8Array([65, 66, 67, 68]), squiggle, 'foo'], [[0, 8, 'ABCDsqui'], [3, 13, 'Dsquigglef']]],
  ];
  for (const [parts, slices] of cases) {
    const b = new Blob(parts);
    for (const [start, end, expected] of slices) assertEqual(await b.slice(start, end).text(), expected);
  }
  const long = new Blob(['0123456789', new Blob(['abcdefghij']), 'KLMNOPQRST']);
  const inner = long.slice(5, 25).slice(3, -3).slice(-8);
  assertEqual(await inner.text(), 'efghijKL');
  assertEqual(inner.size, 8);
});

test('text(), arrayBuffer() and bytes() resolve with the contents; each read is a new copy', async () => {
  const b = new Blob(['\uFEFFhé', new Uint8Array([0xFF])]);
  assertEqual(await b.text(), 'hé\uFFFD', 'BOM stripped, invalid UTF-8 replaced');
  const p = b.arrayBuffer();
  assert(p instanceof Promise);
  const ab1 = await p;
  const ab2 = await b.arrayBuffer();
  assert(ab1 instanceof ArrayBuffer && ab1 !== ab2);
  new Uint8Array(ab1)[0] = 0;
  assertEqual(new Uint8Array(ab2)[0], 0xEF);
  const u8 = await b.bytes();
  assert(u8 instanceof Uint8Array);
  assertEqual(u8.length, b.size);
  assertEqual(await new Blob().text(), '');
  assertEqual((await new Blob().arrayBuffer()).byteLength, 0);
});

test('the read methods reject (not throw) when called on something else', async () => {
  for (const name of ['text', 'arrayBuffer', 'bytes']) {
    const p = Blob.prototype[name].call({});
    assert(p instanceof Promise, name);
    await assertRejects(p, TypeError, name);
  }
});

test('File: two required arguments; name as given; lastModified defaults to now', async () => {
  assertEqual(File.length, 2);
  assertThrows(() => new File(), TypeError);
  assertThrows(() => new File([]), TypeError);
  for (const bad of ['hello', 0, null]) assertThrows(() => new File(bad, 'x'), TypeError);
  const before = Date.now();
  const f = new File(['bits', new Blob(['!'])], 'dummy/foo');
  const after = Date.now();
  assert(f instanceof File && f instanceof Blob);
  assertEqual(String(f), '[object File]');
  assertEqual([f.name, f.size, f.type], ['dummy/foo', 5, '']);
  assert(f.lastModified >= before && f.lastModified <= after, String(f.lastModified));
  assertEqual(new File([], null).name, 'null');
  assertEqual(new File([], 1).name, '1');
  assertEqual(new File([], '\uD800').name, '\uFFFD');
  assertEqual(await new File([new File(['in'], 'inner')], 'outer').text(), 'in');
  assertThrows(() => Object.getOwnPropertyDescriptor(File.prototype, 'name').get.call(new Blob()), TypeError);
});

test('File options: endings, type, then lastModified (long long)', () => {
  const log = [];
  new File([], 'n', {
    get lastModified() { log.push('lastModified'); return 1; },
    get type() { log.push('type'); return ''; },
    get endings() { log.push('endings'); return 'native'; },
  });
  assertEqual(log, ['endings', 'type', 'lastModified']);
  assertEqual(new File([], 'n', { lastModified: 42 }).lastModified, 42);
  assertEqual(new File([], 'n', { lastModified: -42.9 }).lastModified, -42);
  assertEqual(new File([], 'n', { lastModified: NaN }).lastModified, 0);
  assertEqual(new File([], 'n', { lastModified: '7' }).lastModified, 7);
  assertEqual(new File([], 'n', { lastModified: new Date(5) }).lastModified, 5);
  assertEqual(new File([], 'n', { type: 'TEXT/PLAIN' }).type, 'text/plain');
  assertEqual(new File([], 'n', { name: 'ignored' }).name, 'n');
  for (const bad of [123, 'abc', true]) assertThrows(() => new File([], 'n', bad), TypeError);
  for (const ok of [null, undefined, [1, 2, 3], /regex/, function () {}]) assertEqual(new File(['x'], 'n', ok).size, 1);
});

test('structuredClone: Blob and File keep bytes, type, name and lastModified', async () => {
  const b = new Blob(['foo', new Uint8Array([0xD8, 0x00])], { type: 'text/x-bar' });
  const c = structuredClone(b);
  assert(c instanceof Blob && !(c instanceof File) && c !== b);
  assertEqual([c.size, c.type], [b.size, b.type]);
  assertEqual(await bytesOf(c), await bytesOf(b));
  const f = new File(['foo'], 'bar', { type: 'text/x-bar', lastModified: 42 });
  const [fc, again] = structuredClone([f, f]);
  assert(fc instanceof File && fc === again);
  assertEqual([fc.name, fc.lastModified, fc.type, await fc.text()], ['bar', 42, 'text/x-bar', 'foo']);
  class FileSubclass extends File {}
  assert(Object.getPrototypeOf(structuredClone(new FileSubclass([], ''))) === File.prototype);
  const BlobInterface = globalThis.Blob;
  delete globalThis.Blob;
  try {
    assert(structuredClone(b) instanceof BlobInterface, 'cloned without the global');
  } finally {
    globalThis.Blob = BlobInterface;
  }
});

test('a Blob body: its bytes, and its type as Content-Type unless empty or set already', async () => {
  const b = new Blob(['héllo'], { type: 'Text/Plain;Charset=UTF-8' });
  const r = new Response(b);
  assertEqual(r.headers.get('content-type'), 'text/plain;charset=utf-8');
  const bytes = new Uint8Array(await r.arrayBuffer());
  bytes[0] = 0;
  assertEqual(await b.text(), 'héllo', 'the body got a copy, not the blob\'s own bytes');
  assertEqual(new Response(new Blob([''])).headers.get('content-type'), null);
  assertEqual(new Response(b, { headers: [['Content-Type', 'Text/Html']] }).headers.get('content-type'), 'Text/Html');
  const req = new Request('http://a.example/', { method: 'POST', body: new File(['f'], 'f.txt', { type: 'a/b' }) });
  assertEqual(req.headers.get('content-type'), 'a/b');
  assertEqual(await req.text(), 'f');
});

test('blob(): the body as a Blob whose type is the MIME type of the headers at that time', async () => {
  const cases = [
    [() => new Response('', { headers: { 'Content-Type': 'text/plain' } }), (r) => r.headers.set('Content-Type', 'test/test'), 'test/test'],
    [() => new Request('about:blank', { headers: { 'Content-Type': 'text/plain' } }), (r) => r.headers.set('Content-Type', 'test/test'), 'test/test'],
    [() => new Response(new URLSearchParams()), (r) => r.headers.delete('Content-Type'), ''],
    [() => new Response(new ArrayBuffer()), () => {}, ''],
    [() => new Request('about:blank', { method: 'POST' }), () => {}, ''],
    [() => new Response(), () => {}, ''],
    [() => new Response('', { headers: [['Content-Type', 'Mytext/Plain']] }), () => {}, 'mytext/plain'],
    [() => new Response(new Blob([''], { type: 'Text/Plain' })), () => {}, 'text/plain'],
    [() => new Response(new Blob([], { type: 'text/plain' }), { headers: [['Content-Type', 'text/html']] }), () => {}, 'text/html'],
    [() => new Response('x', { headers: { 'content-type': 'Text/Plain; Charset="UTF-8"; A=B' } }), () => {}, 'text/plain;charset=UTF-8;a=B'],
    [() => new Response('x', { headers: [['content-type', 'text/plain;charset=gbk'], ['content-type', 'text/plain']] }), () => {}, 'text/plain;charset=gbk'],
    [() => new Response('x', { headers: [['content-type', 'text/html'], ['content-type', '*/*']] }), () => {}, 'text/html'],
    [() => new Response('x', { headers: { 'content-type': 'not a mime type' } }), () => {}, ''],
    [() => new Response('x', { headers: { 'content-type': 'text/plain;a="b,c", text/html' } }), () => {}, 'text/html'],
  ];
  for (const [make, change, expected] of cases) {
    const r = make();
    change(r);
    const blob = await r.blob();
    assert(blob instanceof Blob && !(blob instanceof File));
    assertEqual(blob.type, expected, expected);
  }
  const r = new Response(new Blob(['ab'], { type: 'text/plain' }), { headers: [['Content-Type', 'Text/Html']] });
  const c = r.clone();
  assertEqual([(await r.blob()).type, (await c.blob()).type], ['text/html', 'text/html']);
  const data = await new Response(new Uint8Array([1, 2, 3])).blob();
  assertEqual([data.size, ...new Uint8Array(await data.arrayBuffer())], [3, 1, 2, 3]);
});
