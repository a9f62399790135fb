// blob: URLs (File API "blob URL store") and their fetch (Fetch "scheme fetch", blob).
'use strict';

const uuidPath = /^null\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('createObjectURL: blob:<origin>/<uuid>, the origin opaque ("null") without a base URL', () => {
  const url = URL.createObjectURL(new Blob(['x']));
  assertEqual(typeof url, 'string');
  assert(url.startsWith('blob:null/'), url);
  const rec = new URL(url);
  assertEqual([rec.protocol, rec.host, rec.port, rec.origin, rec.href], ['blob:', '', '', 'null', url]);
  assert(uuidPath.test(rec.pathname), rec.pathname);
  assert(URL.createObjectURL(new File(['x'], 'f.txt')).startsWith('blob:null/'), 'a File is a Blob');
});

test('createObjectURL: every URL is new, also for the same Blob', () => {
  const blob = new Blob(['x']);
  const seen = new Set();
  for (let i = 0; i < 1000; i++) seen.add(URL.createObjectURL(blob));
  assertEqual(seen.size, 1000);
});

test('createObjectURL takes a Blob only; both statics need their argument', () => {
  for (const v of [undefined, null, 'blob', {}, new Uint8Array(1), { size: 1, type: '' }]) {
    assertThrows(() => URL.createObjectURL(v), TypeError, String(v));
  }
  assertThrows(() => URL.createObjectURL(), TypeError);
  assertThrows(() => URL.revokeObjectURL(), TypeError);
  for (const name of ['createObjectURL', 'revokeObjectURL']) {
    const d = Object.getOwnPropertyDescriptor(URL, name);
    assertEqual([typeof d.value, d.writable, d.enumerable, d.configurable], ['function', true, true, true], name);
    assertEqual(URL[name].length, 1, name);
  }
});

test('fetch of a blob: URL: 200, the bytes, Content-Length and Content-Type of the Blob', async () => {
  const bytes = new Uint8Array([0, 1, 2, 250, 255]);
  const url = URL.createObjectURL(new Blob(['hi ', bytes], { type: 'Application/Octet-Stream' }));
  const r = await fetch(url);
  assertEqual([r.status, r.statusText, r.ok, r.type, r.url, r.redirected], [200, 'OK', true, 'basic', url, false]);
  assertEqual([...r.headers], [['content-length', '8'], ['content-type', 'application/octet-stream']]);
  assertEqual(Array.from(await r.bytes()), [104, 105, 32, 0, 1, 2, 250, 255]);
});

test('fetch of a blob: URL: an empty type is an empty Content-Type; text and blob read it', async () => {
  const url = URL.createObjectURL(new Blob(['h\u00e9llo']));
  const r = await fetch(url);
  assertEqual(r.headers.get('content-type'), '');
  assertEqual(r.headers.get('content-length'), '6');
  assertEqual(await r.text(), 'h\u00e9llo');
  const b = await (await fetch(URL.createObjectURL(new Blob(['abc'], { type: 'text/plain' })))).blob();
  assertEqual([b.size, b.type, await b.text()], [3, 'text/plain', 'abc']);
});

test('a fragment is ignored when fetching; a query or a longer path is another URL', async () => {
  const url = URL.createObjectURL(new Blob(['frag']));
  const r = await fetch(url + '#part');
  assertEqual(await r.text(), 'frag');
  assertEqual(r.url, url, 'a response URL has no fragment');
  await assertRejects(fetch(url + '?q'), TypeError);
  await assertRejects(fetch(url + '/more'), TypeError);
});

test('revokeObjectURL: a revoked or unknown URL is a network error; only an exact match revokes', async () => {
  const blob = new Blob(['gone']);
  const url = URL.createObjectURL(blob);
  URL.revokeObjectURL(url + '#x');
  assertEqual(await (await fetch(url)).text(), 'gone', 'a fragment makes another URL');
  URL.revokeObjectURL(url);
  const e = await assertRejects(fetch(url), TypeError);
  assertEqual(e.message, 'fetch failed');
  await assertRejects(fetch('blob:null/00000000-0000-4000-8000-000000000000'), TypeError);
  await assertRejects(fetch('blob:nonsense'), TypeError);
  URL.revokeObjectURL(url); // twice: nothing
  URL.revokeObjectURL('not a URL');
  URL.revokeObjectURL('https://example.com/');
});

test('the URL is resolved when the Request is made: revoking afterwards does not fail the fetch', async () => {
  const url = URL.createObjectURL(new Blob(['kept']));
  const req = new Request(url);
  URL.revokeObjectURL(url);
  assertEqual(await (await fetch(req)).text(), 'kept');
  assertEqual(await (await fetch(new Request(req))).text(), 'kept', 'a Request made from it too');
  await assertRejects(fetch(url), TypeError, 'a new fetch of the URL fails');
});

test('methods other than GET are network errors', async () => {
  const url = URL.createObjectURL(new Blob(['m']));
  for (const method of ['HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'CUSTOM']) {
    await assertRejects(fetch(url, { method }), TypeError, method);
  }
  assertEqual(await (await fetch(url, { method: 'get' })).text(), 'm', 'get is normalized to GET');
});

test('a single byte range: 206 Partial Content with Content-Range', async () => {
  const url = URL.createObjectURL(new Blob(['0123456789'], { type: 'text/plain' }));
  const cases = [
    ['bytes=2-5', '2345', 'bytes 2-5/10'],
    ['bytes=7-', '789', 'bytes 7-9/10'],
    ['bytes=-3', '789', 'bytes 7-9/10'],
    ['bytes=-30', '0123456789', 'bytes 0-9/10'],
    ['bytes=4-400', '456789', 'bytes 4-9/10'],
    ['bytes=9-9', '9', 'bytes 9-9/10'],
    ['bytes \t=\t 1 - 2', '12', 'bytes 1-2/10'],
  ];
  for (const [range, body, contentRange] of cases) {
    const r = await fetch(url, { headers: { Range: range } });
    assertEqual([r.status, r.statusText], [206, 'Partial Content'], range);
    assertEqual([...r.headers], [['content-length', String(body.length)], ['content-range', contentRange],
      ['content-type', 'text/plain']], range);
    assertEqual(await r.text(), body, range);
  }
});

test('a range that does not parse or is not satisfiable is a network error', async () => {
  const url = URL.createObjectURL(new Blob(['0123456789']));
  for (const range of ['', 'bytes=', 'bytes=-', 'bytes=5-2', 'bytes=10-', 'bytes=100-', 'bytes=-0',
    'bytes=0-1,3-4', 'bytes=0-1,', 'Bytes=0-1', 'bytes 0-1', '0-1', 'bytes=x-1', 'bytes=1-x', 'bytes=1']) {
    await assertRejects(fetch(url, { headers: { Range: range } }), TypeError, JSON.stringify(range));
  }
  await assertRejects(fetch(URL.createObjectURL(new Blob([])), { headers: { Range: 'bytes=-5' } }), TypeError,
    'nothing to send of an empty Blob');
});

test('each fetch gets its own copy of the bytes', async () => {
  const url = URL.createObjectURL(new Blob(['abc']));
  const a = await (await fetch(url)).bytes();
  a[0] = 0x7a;
  assertEqual(await (await fetch(url)).text(), 'abc');
});
