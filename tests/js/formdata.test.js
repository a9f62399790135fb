// FormData (XHR), its multipart/form-data encoding (HTML) and Body.formData() parsing (Fetch).
'use strict';

const fd = (...entries) => {
  const f = new FormData();
  for (const e of entries) f.append(...e);
  return f;
};

test('FormData is an interface; the form argument must be an HTMLFormElement (there is none)', () => {
  assertEqual(FormData.length, 0);
  assertThrows(() => FormData(), TypeError);
  assertEqual(String(new FormData()), '[object FormData]');
  assertEqual([...new FormData(undefined)], []);
  for (const form of [null, {}, 'form']) assertThrows(() => new FormData(form), TypeError, String(form));
  for (const name of ['append', 'delete', 'get', 'getAll', 'has', 'set', 'entries', 'keys', 'values', 'forEach']) {
    assertEqual(Object.getOwnPropertyDescriptor(FormData.prototype, name).enumerable, true, name);
  }
  assert(FormData.prototype[Symbol.iterator] === FormData.prototype.entries);
  assertEqual(FormData.prototype.append.length, 2);
  assertEqual(FormData.prototype.set.length, 2);
});

test('append, get, getAll, has, delete', () => {
  const f = fd(['key', 'value1'], ['key', 'value2'], ['other', 'x']);
  assertEqual(f.get('key'), 'value1');
  assertEqual(f.getAll('key'), ['value1', 'value2']);
  assertEqual(f.get('nil'), null);
  assertEqual(f.getAll('nil'), []);
  assertEqual([f.has('key'), f.has('nil')], [true, false]);
  f.delete('key');
  assertEqual([f.get('key'), f.has('key'), f.get('other')], [null, false, 'x']);
  f.delete('nil');
  assertEqual([...f.keys()], ['other']);
  assertThrows(() => f.append('only'), TypeError);
  assertThrows(() => f.get(), TypeError);
  assertThrows(() => f.has(), TypeError);
  assertThrows(() => f.delete(), TypeError);
  assertThrows(() => f.getAll(), TypeError);
});

test('names and string values are USVStrings', () => {
  const f = fd([undefined, null], [1, { toString: () => 'obj' }], ['\uD800', 'v\uDC00']);
  assertEqual([...f], [['undefined', 'null'], ['1', 'obj'], ['\uFFFD', 'v\uFFFD']]);
  assertEqual(f.get('\uDBFF'), 'v\uFFFD', 'the name looked up is converted too');
  assertThrows(() => f.append(Symbol('s'), 'v'), TypeError);
});

test('set replaces the first entry of that name and removes the others, in place', () => {
  const f = fd(['a', '1'], ['b', '2'], ['a', '3'], ['c', '4']);
  f.set('a', 'x');
  assertEqual([...f], [['a', 'x'], ['b', '2'], ['c', '4']]);
  f.set('d', 'y');
  assertEqual([...f.keys()], ['a', 'b', 'c', 'd']);
  f.set('key', undefined);
  assertEqual(f.get('key'), 'undefined');
  f.set('key', null);
  assertEqual(f.get('key'), 'null');
  const blank = new FormData();
  blank.set('key', new Blob([]), 'blank.txt');
  assert(blank.get('key') instanceof File);
  assertEqual(blank.get('key').name, 'blank.txt');
});

test('Blob values become Files named "blob"; a File keeps itself unless a filename is given', async () => {
  const blob = new Blob(['abc'], { type: 'text/x' });
  const file = new File(['def'], 'orig.txt', { type: 'text/y', lastModified: 7 });
  const f = fd(['b', blob], ['f', file], ['g', file, 'renamed.txt'], ['h', blob, 'named.bin']);
  const b = f.get('b');
  assert(b instanceof File && b !== blob);
  assertEqual([b.name, b.type, b.size, await b.text()], ['blob', 'text/x', 3, 'abc']);
  assert(f.get('f') === file, 'the same File object');
  const g = f.get('g');
  assert(g !== file);
  assertEqual([g.name, g.type, g.lastModified, await g.text()], ['renamed.txt', 'text/y', 7, 'def']);
  assertEqual(f.get('h').name, 'named.bin');
  // With three arguments, only the Blob overload exists.
  assertThrows(() => new FormData().append('a', 'b', 'c'), TypeError);
  assertThrows(() => new FormData().set('a', 'b', 'c'), TypeError);
  assertThrows(() => new FormData().append('a', 'b', undefined), TypeError);
  assertEqual(fd(['n', blob, undefined]).get('n').name, 'undefined');
});

test('iteration: entries in order with duplicates, live, and forEach', () => {
  const file = new File(['hello'], 'hello.txt');
  const f = fd(['n1', 'v1'], ['n2', 'v2'], ['n3', 'v3'], ['n1', 'v4'], ['n2', 'v5'], ['n3', 'v6']);
  f.delete('n2');
  f.append('f1', file);
  const pairs = [...f];
  assertEqual(pairs.map((p) => p[0]), ['n1', 'n3', 'n1', 'n3', 'f1']);
  assert(pairs[4][1] === file);
  assertEqual([...f.values()].slice(0, 4), ['v1', 'v3', 'v4', 'v6']);
  const it = f.entries();
  assertEqual(Object.prototype.toString.call(it), '[object FormData Iterator]');
  it.next();
  f.delete('n1');
  assertEqual(it.next().value, ['n3', 'v6'], 'iteration sees the list as it is now');
  const seen = [];
  fd(['a', '1'], ['b', '2']).forEach(function (value, key, target) {
    seen.push([key, value, target instanceof FormData, this.tag]);
  }, { tag: 't' });
  assertEqual(seen, [['a', '1', true, 't'], ['b', '2', true, 't']]);
  assertThrows(() => new FormData().forEach(), TypeError);
  assertThrows(() => FormData.prototype.entries.call({}), TypeError);
});

function multipartParts(text, boundary) {
  assert(text.endsWith(`--${boundary}--\r\n`), 'closing delimiter');
  return text.slice(0, -(boundary.length + 6)).split(`--${boundary}\r\n`).slice(1);
}

test('a FormData body is multipart/form-data with a fresh boundary', async () => {
  const f = fd(['text', 'value'], ['file', new Blob(['<bytes>'], { type: 'image/png' }), 'pic.png'],
    ['blob', new Blob(['b'])]);
  const r1 = new Request('http://a.example/', { method: 'POST', body: f });
  const r2 = new Response(f);
  const ct1 = r1.headers.get('content-type');
  const ct2 = r2.headers.get('content-type');
  const m = /^multipart\/form-data; boundary=(.+)$/.exec(ct1);
  assert(m !== null, ct1);
  assert(ct1 !== ct2, 'a new boundary for each body');
  assert(/^[0-9A-Za-z'()+_,\-./:=?]{1,70}$/.test(m[1]), 'a valid RFC 2046 boundary');
  const parts = multipartParts(await r1.text(), m[1]);
  assertEqual(parts, [
    'Content-Disposition: form-data; name="text"\r\n\r\nvalue\r\n',
    'Content-Disposition: form-data; name="file"; filename="pic.png"\r\nContent-Type: image/png\r\n\r\n<bytes>\r\n',
    'Content-Disposition: form-data; name="blob"; filename="blob"\r\nContent-Type: application/octet-stream\r\n\r\nb\r\n',
  ]);
  const empty = new Response(new FormData());
  const eb = /boundary=(.+)$/.exec(empty.headers.get('content-type'))[1];
  assertEqual(await empty.text(), `--${eb}--\r\n`);
});

test('multipart escaping: newlines normalized in names and values; LF, CR and " escaped in names and filenames', async () => {
  const f = fd(['a\nb\rc\r\nd"e', 'x\ny\rz\r\n'], ['f\n', new Blob(['raw\n\r']), 'n"a\r\nme\n.txt'],
    ['é%0A', 'ünï']);
  const r = new Response(f);
  const boundary = /boundary=(.+)$/.exec(r.headers.get('content-type'))[1];
  const bytes = new Uint8Array(await r.clone().arrayBuffer());
  const parts = multipartParts(new TextDecoder().decode(bytes), boundary);
  assertEqual(parts[0], 'Content-Disposition: form-data; name="a%0D%0Ab%0D%0Ac%0D%0Ad%22e"\r\n\r\nx\r\ny\r\nz\r\n\r\n');
  assertEqual(parts[1], 'Content-Disposition: form-data; name="f%0D%0A"; filename="n%22a%0D%0Ame%0A.txt"\r\n' +
    'Content-Type: application/octet-stream\r\n\r\nraw\n\r\r\n', 'file contents as they are');
  assertEqual(parts[2], 'Content-Disposition: form-data; name="é%0A"\r\n\r\nünï\r\n', 'UTF-8, nothing else escaped');
  // And back: the escaping is one way, so the parser keeps the percent sequences as they are.
  const back = await r.formData();
  assertEqual([...back.keys()], ['a%0D%0Ab%0D%0Ac%0D%0Ad%22e', 'f%0D%0A', 'é%0A']);
  assertEqual(back.get('f%0D%0A').name, 'n%22a%0D%0Ame%0A.txt');
  assertEqual(await back.get('f%0D%0A').text(), 'raw\n\r');
});

test('formData() of multipart: strings, Files with type (text/plain by default) and name', async () => {
  const body = '--b0undary\r\n' +
    'Content-Disposition: form-data; name="a"\r\n\r\nv1\r\n' +
    '--b0undary\r\n' +
    'content-disposition: form-data; name="f"; filename="x.txt"\r\n\r\nfile\r\ndata\r\n' +
    '--b0undary\r\n' +
    'Content-Type: Application/JSON; charset=utf-8\r\n' +
    'Content-Disposition: form-data; name="j"; filename="j.json"\r\n\r\n{}\r\n' +
    '--b0undary\r\n' +
    'Content-Disposition: form-data; name="a"\r\nContent-Type: text/html; charset=latin1\r\n\r\n\uFEFFé\r\n' +
    '--b0undary\r\n' +
    'Content-Disposition: form-data; name="empty"\r\n\r\n\r\n' +
    '--b0undary--\r\n';
  const res = new Response(body, { headers: { 'content-type': 'multipart/form-data; boundary=b0undary' } });
  const f = await res.formData();
  assert(f instanceof FormData);
  assertEqual([...f.keys()], ['a', 'f', 'j', 'a', 'empty']);
  assertEqual(f.getAll('a'), ['v1', '\uFEFFé'], 'UTF-8 without BOM handling, whatever the charset says');
  const file = f.get('f');
  assert(file instanceof File);
  assertEqual([file.name, file.type, await file.text()], ['x.txt', 'text/plain', 'file\r\ndata']);
  assertEqual(f.get('j').type, 'application/json;charset=utf-8', 'extracted and serialized as a MIME type');
  assertEqual(f.get('empty'), '');
});

test('formData() of multipart: headers case-insensitive, an epilogue allowed', async () => {
  const form = fd(['foo', new Blob([JSON.stringify({ bar: 'baz' })], { type: 'application/json' })]);
  const blob = await new Response(form).blob();
  const lower = new Blob([(await blob.text()).toLowerCase()], { type: blob.type.toLowerCase() });
  const back = await new Response(lower).formData();
  assert(back.has('foo'));
  assertEqual(back.get('foo').type, 'application/json');
  const withExtras = '--X\r\nContent-Disposition: form-data; name=n\r\n\r\nv\r\n--X-- \t\r\nepilogue';
  const f = await new Response(withExtras, { headers: { 'content-type': 'multipart/form-data; boundary="X"' } }).formData();
  assertEqual([...f], [['n', 'v']]);
});

test('formData() of a malformed multipart body, or of another type, rejects with TypeError', async () => {
  const type = { 'content-type': 'multipart/form-data; boundary=B' };
  const bad = [
    '', // no delimiter
    '--B\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end', // no closing delimiter
    '--B\r\nContent-Type: text/plain\r\n\r\nx\r\n--B--\r\n', // no Content-Disposition
    '--B\r\nContent-Disposition: attachment; name="a"\r\n\r\nx\r\n--B--\r\n',
    '--B\r\nContent-Disposition: form-data; filename="f"\r\n\r\nx\r\n--B--\r\n', // no name
    '--B\r\nContent-Disposition: form-data; name="a\r\n\r\nx\r\n--B--\r\n',
    '--B\r\nbad header\r\n\r\nx\r\n--B--\r\n',
    '--Bx\r\n',
    'preamble\r\n--B\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n--B--\r\n', // no preamble
    '--B\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n--B--junk\r\n', // junk after "--"
    '--B\r\nContent-Disposition: form-data; name="a\0b"\r\n\r\nx\r\n--B--\r\n', // NUL in a header
    '--B\r\nContent-Disposition: form-data; name="a"; filename="f"\r\nContent-Type: text/\nhtml\r\n\r\nx\r\n--B--\r\n', // bare LF
  ];
  for (const body of bad) {
    await assertRejects(new Response(body, { headers: type }).formData(), TypeError, JSON.stringify(body));
  }
  await assertRejects(new Response('--B--\r\n', { headers: { 'content-type': 'multipart/form-data' } }).formData(),
    TypeError, 'no boundary parameter');
  await assertRejects(new Response('a=1').formData(), TypeError, 'text/plain');
  await assertRejects(new Response('a=1', { headers: { 'content-type': 'application/json' } }).formData(), TypeError);
  const noType = new Response(new Uint8Array([1]));
  await assertRejects(noType.formData(), TypeError, 'no Content-Type');
});

test('formData() of application/x-www-form-urlencoded', async () => {
  const res = new Response('a=1&b=%20x+y&a=%E2%82%AC&&=e&novalue&%FF=bad', {
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
  });
  const f = await res.formData();
  assertEqual([...f], [['a', '1'], ['b', ' x y'], ['a', '€'], ['', 'e'], ['novalue', ''], ['\uFFFD', 'bad']]);
  const fromParams = await new Request('http://a.example/', {
    method: 'POST', body: new URLSearchParams([['k', 'v w'], ['k', 'é']]),
  }).formData();
  assertEqual(fromParams.getAll('k'), ['v w', 'é']);
  assertEqual([...await new Response(new URLSearchParams()).formData()], []);
});

test('formData() and blob() use the body once, like the other readers', async () => {
  const r = new Response(new FormData());
  await r.formData();
  assertEqual(r.bodyUsed, true);
  await assertRejects(r.formData(), TypeError);
  await assertRejects(r.blob(), TypeError);
  await assertRejects(Response.prototype.formData.call({}), TypeError);
  await assertRejects(Request.prototype.blob.call({}), TypeError);
  const empty = await new Request('http://a.example/', { method: 'POST', body: new FormData() }).formData();
  assert(empty instanceof FormData);
});

test('formData() of multipart: a File part\'s type is the extracted MIME type, its lastModified 0', async () => {
  const part = (ct) => `--B\r\nContent-Disposition: form-data; name="f"; filename="x"\r\n${ct}\r\nbody\r\n--B--\r\n`;
  const typeOf = async (ct) => {
    const r = new Response(part(ct), { headers: { 'content-type': 'multipart/form-data; boundary=B' } });
    return (await r.formData()).get('f');
  };
  assertEqual((await typeOf('')).type, 'text/plain', 'no Content-Type: text/plain');
  assertEqual((await typeOf('Content-Type: text\r\n')).type, '', 'not a MIME type');
  assertEqual((await typeOf('Content-Type: TEXT/HTML;;x="y"\r\n')).type, 'text/html;x=y');
  assertEqual((await typeOf('Content-Type: text/html, text/plain\r\n')).type, 'text/plain', 'the last valid one');
  assertEqual((await typeOf('Content-Type: image/png\r\nContent-Type: bogus\r\n')).type, 'image/png');
  assertEqual((await typeOf('')).lastModified, 0);
});
