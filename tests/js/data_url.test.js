// fetch() of data: URLs and the fetch() checks that need no network.
'use strict';

async function fetchData(url) {
  const r = await fetch(url);
  return { type: r.headers.get('content-type'), text: await r.text() };
}

test('plain data: URL', async () => {
  const r = await fetch('data:,Hello%2C%20World!');
  assertEqual(r.status, 200);
  assertEqual(r.statusText, 'OK');
  assertEqual(r.ok, true);
  assertEqual(r.type, 'basic');
  assertEqual(r.redirected, false);
  assertEqual(r.url, 'data:,Hello%2C%20World!');
  assertEqual(r.headers.get('content-type'), 'text/plain;charset=US-ASCII');
  assertEqual(await r.text(), 'Hello, World!');
});

test('base64 data: URLs', async () => {
  assertEqual(await fetchData('data:text/plain;base64,SGVsbG8sIFdvcmxkIQ=='),
    { type: 'text/plain', text: 'Hello, World!' });
  assertEqual((await fetchData('data:;BASE64,aGk=')).text, 'hi', 'case-insensitive');
  assertEqual((await fetchData('data:text/plain; base64,aGk')).text, 'hi', 'space before base64, no padding');
  assertEqual((await fetchData('data:text/plain;base64,aG k=')).text, 'hi', 'whitespace ignored');
  const bin = await (await fetch('data:application/octet-stream;base64,AAEC/f7/')).bytes();
  assertEqual(Array.from(bin), [0, 1, 2, 253, 254, 255]);
});

test('invalid base64 is a network error', async () => {
  for (const url of ['data:;base64,a', 'data:;base64,aGk=x', 'data:;base64,a===', 'data:;base64,*']) {
    const e = await assertRejects(fetch(url), TypeError, url);
    assertEqual(e.message, 'fetch failed');
  }
});

test('data: URL without a comma is a network error', async () => {
  await assertRejects(fetch('data:text/plain'), TypeError);
});

test('media types', async () => {
  assertEqual((await fetchData('data:text/html;charset=utf-8,<b>x</b>')).type, 'text/html;charset=utf-8');
  assertEqual((await fetchData('data:TEXT/HTML;Charset="UTF-8",x')).type, 'text/html;charset=UTF-8');
  assertEqual((await fetchData('data:;charset=utf-8,x')).type, 'text/plain;charset=utf-8');
  assertEqual((await fetchData('data:image/png,x')).type, 'image/png');
  assertEqual((await fetchData('data:nonsense,x')).type, 'text/plain;charset=US-ASCII');
  assertEqual((await fetchData('data:text/plain;a=1;a=2;b="q\\"d",x')).type, 'text/plain;a=1;b="q\\"d"');
  assertEqual((await fetchData('data:application/json,{"a":1}')).text, '{"a":1}');
});

test('percent-encoded bodies are decoded as bytes', async () => {
  const r = await fetch('data:text/plain;charset=utf-8,%E2%82%AC%20%zz');
  assertEqual(await r.text(), '€ %zz');
  const b = await (await fetch('data:,%00%FF')).bytes();
  assertEqual(Array.from(b), [0, 255]);
});

test('the fragment is not part of the body or the response URL', async () => {
  const r = await fetch('data:,abc#frag');
  assertEqual(await r.text(), 'abc');
  assertEqual(r.url, 'data:,abc');
});

test('data: responses have immutable headers and single-use bodies', async () => {
  const r = await fetch('data:,x');
  assertThrows(() => r.headers.append('a', 'b'), TypeError);
  const c = r.clone();
  assertEqual(await r.text(), 'x');
  await assertRejects(r.text(), TypeError);
  assertEqual(await c.text(), 'x');
});

test('data: fetch accepts Request and URL inputs', async () => {
  assertEqual(await (await fetch(new URL('data:,u'))).text(), 'u');
  assertEqual(await (await fetch(new Request('data:,r'))).text(), 'r');
  assertEqual(await (await fetch('data:,p', { method: 'POST', body: 'ignored' })).text(), 'p');
});

test('fetch argument errors reject with TypeError', async () => {
  await assertRejects(fetch(), TypeError);
  await assertRejects(fetch('http://x.org/', { method: 'CONNECT' }), TypeError);
  await assertRejects(fetch('http://x.org/', { method: 'bad method' }), TypeError);
  await assertRejects(fetch('http://x.org/', { body: 'x' }), TypeError);
  await assertRejects(fetch('http://x.org/', { method: 'HEAD', body: 'x' }), TypeError);
  await assertRejects(fetch('http://[broken/'), TypeError);
  await assertRejects(fetch('http://x.org/', { headers: { 'a b': 'c' } }), TypeError);
  await assertRejects(fetch('http://x.org/', { redirect: 'nope' }), TypeError);
});

test('unsupported schemes fail with "fetch failed"', async () => {
  for (const url of ['about:blank', 'file:///etc/hostname', 'ftp://example.com/', 'blob:http://x.org/id', 'mailto:a@b.c']) {
    const e = await assertRejects(fetch(url), TypeError, url);
    assertEqual(e.message, 'fetch failed', url);
    assert(e.cause instanceof Error, 'has a cause');
  }
});

test('an aborted signal rejects before anything starts', async () => {
  const e = await assertRejects(fetch('data:,x', { signal: AbortSignal.abort() }), DOMException);
  assertEqual(e.name, 'AbortError');
  const reason = new Error('custom');
  const ac = new AbortController();
  ac.abort(reason);
  let got;
  try {
    await fetch('http://127.0.0.1:9/', { signal: ac.signal });
  } catch (err) {
    got = err;
  }
  assert(got === reason, 'rejects with signal.reason');
  const req = new Request('http://127.0.0.1:9/', { signal: AbortSignal.abort('r') });
  let fromRequest;
  try {
    await fetch(req);
  } catch (err) {
    fromRequest = err;
  }
  assertEqual(fromRequest, 'r');
});

test('fetch() of a used Request rejects', async () => {
  const req = new Request('data:,x', { method: 'POST', body: 'b' });
  await req.text();
  await assertRejects(fetch(req), TypeError);
});
