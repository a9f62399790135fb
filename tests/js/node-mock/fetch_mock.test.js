// fetch() over HTTP against the Node mock (native.js) and server.js. Mock-only: run with
//   node tests/js/node-mock/run.js --server tests/js/node-mock/fetch_mock.test.js
// __mock.requests lists what native.httpRequest was asked to send.
'use strict';

const base = eddy.args[0];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const lastRequest = () => __mock.requests[__mock.requests.length - 1];
const sentHeader = (req, name) => {
  for (let i = 0; i < req.headers.length; i += 2) if (req.headers[i] === name) return req.headers[i + 1];
  return null;
};

test('GET text', async () => {
  const r = await fetch(`${base}/text`);
  assertEqual([r.status, r.statusText, r.ok, r.type, r.redirected], [200, 'OK', true, 'basic', false]);
  assertEqual(r.url, `${base}/text`);
  assertEqual(r.headers.get('content-type'), 'text/plain');
  assertEqual(await r.text(), 'hello');
  assertThrows(() => r.headers.set('a', 'b'), TypeError);
});

test('default headers, fragment stripped', async () => {
  const r = await fetch(`${base}/echo#frag`);
  const echo = await r.json();
  assertEqual(echo.url, '/echo');
  const sent = lastRequest();
  assertEqual(sentHeader(sent, 'accept'), '*/*');
  assertEqual(sentHeader(sent, 'user-agent'), 'eddy/0.1.0');
  assertEqual(sent.url, `${base}/echo`);
  assertEqual(r.url, `${base}/echo`);
});

test('user headers win over defaults; accept-encoding disables decompress', async () => {
  await (await fetch(`${base}/echo`, { headers: { Accept: 'text/x', 'User-Agent': 'me', 'Accept-Encoding': 'identity' } })).text();
  const sent = lastRequest();
  assertEqual(sentHeader(sent, 'accept'), 'text/x');
  assertEqual(sentHeader(sent, 'user-agent'), 'me');
  assertEqual(sentHeader(sent, 'accept-encoding'), 'identity');
  const r = await fetch(`${base}/gzip`);
  assertEqual(await r.text(), 'compressed hello');
});

test('POST bodies', async () => {
  const echo = await (await fetch(`${base}/echo`, { method: 'post', body: 'payload €' })).json();
  assertEqual(echo.method, 'POST');
  assertEqual(echo.body, 'payload €');
  const ct = echo.headers[echo.headers.indexOf('content-type') + 1];
  assertEqual(ct, 'text/plain;charset=UTF-8');
  const echo2 = await (await fetch(new Request(`${base}/echo`, { method: 'PUT', body: new Uint8Array([104, 105]) }))).json();
  assertEqual([echo2.method, echo2.body], ['PUT', 'hi']);
});

test('fetch(Request) uses up its body', async () => {
  const req = new Request(`${base}/echo`, { method: 'POST', body: 'x' });
  await (await fetch(req)).text();
  assertEqual(req.bodyUsed, true);
  await assertRejects(fetch(req), TypeError);
});

test('redirects are followed hop by hop', async () => {
  const r = await fetch(`${base}/redirect/3`);
  assertEqual(r.redirected, true);
  assertEqual(r.url, `${base}/echo`);
  assertEqual((await r.json()).method, 'GET');
});

test('too many redirects', async () => {
  const e = await assertRejects(fetch(`${base}/redirect/21`), TypeError);
  assertEqual(e.message, 'fetch failed');
  const r = await fetch(`${base}/redirect/20`);
  assertEqual(r.status, 200);
});

test('redirect: manual and error', async () => {
  const r = await fetch(`${base}/redirect/1`, { redirect: 'manual' });
  assertEqual(r.status, 302);
  assertEqual(r.headers.get('location'), '/echo');
  assertEqual(r.redirected, false);
  assertEqual(await r.text(), 'redirecting');
  await assertRejects(fetch(`${base}/redirect/1`, { redirect: 'error' }), TypeError);
});

test('303 and 301/302 POST become GET without body headers', async () => {
  for (const status of [301, 302, 303]) {
    const url = `${base}/redirect-to?status=${status}&url=/echo`;
    const echo = await (await fetch(url, { method: 'POST', body: 'gone', headers: { 'content-language': 'en', 'x-keep': '1' } })).json();
    assertEqual(echo.method, 'GET', String(status));
    assertEqual(echo.body, '');
    assertEqual(echo.headers.includes('content-type'), false);
    assertEqual(echo.headers.includes('content-language'), false);
    assertEqual(echo.headers.includes('x-keep'), true);
  }
  const put = await (await fetch(`${base}/redirect-to?status=303&url=/echo`, { method: 'PUT', body: 'x' })).json();
  assertEqual(put.method, 'GET');
  const put301 = await (await fetch(`${base}/redirect-to?status=301&url=/echo`, { method: 'PUT', body: 'kept' })).json();
  assertEqual([put301.method, put301.body], ['PUT', 'kept']);
});

test('307/308 keep method and body', async () => {
  for (const status of [307, 308]) {
    const echo = await (await fetch(`${base}/redirect-to?status=${status}&url=/echo`, { method: 'POST', body: 'same' })).json();
    assertEqual([echo.method, echo.body], ['POST', 'same'], String(status));
  }
});

test('cross-origin redirects drop credentials headers', async () => {
  const other = base.replace('127.0.0.1', 'localhost');
  const url = `${base}/redirect-to?status=302&url=${encodeURIComponent(other + '/echo')}`;
  const echo = await (await fetch(url, { headers: { Authorization: 'secret', Cookie: 'c=1', 'X-Other': 'y' } })).json();
  assertEqual(echo.headers.includes('authorization'), false);
  assertEqual(echo.headers.includes('cookie'), false);
  assertEqual(echo.headers.includes('x-other'), true);
  const same = await (await fetch(`${base}/redirect-to?status=302&url=/echo`, { headers: { Authorization: 'secret' } })).json();
  assertEqual(same.headers.includes('authorization'), true);
});

test('redirect to a non-HTTP scheme fails', async () => {
  await assertRejects(fetch(`${base}/redirect-to?url=${encodeURIComponent('data:,x')}`), TypeError);
});

test('status codes and reason phrases', async () => {
  const r = await fetch(`${base}/status/404`);
  assertEqual([r.status, r.statusText, r.ok], [404, 'Custom Reason', false]);
  assertEqual(await r.text(), 'status 404');
  const n = await fetch(`${base}/status/204`);
  assertEqual(n.status, 204);
  assertEqual(await n.text(), '');
  const s = await fetch(`${base}/status/500`);
  assertEqual(s.ok, false);
});

test('response headers: set-cookie and repeats', async () => {
  const r = await fetch(`${base}/cookies`);
  assertEqual(r.headers.getSetCookie(), ['a=1', 'b=2']);
  assertEqual(r.headers.get('x-multi'), 'x, y');
  await r.text();
});

test('connection refused rejects with a curl cause', async () => {
  const e = await assertRejects(fetch('http://127.0.0.1:9/'), TypeError);
  assertEqual(e.message, 'fetch failed');
  assertEqual(e.cause.code, 7);
  assertEqual(typeof e.cause.message, 'string');
});

test('abort while waiting for the response', async () => {
  const ac = new AbortController();
  const p = fetch(`${base}/hang`, { signal: ac.signal });
  await sleep(50);
  ac.abort();
  const e = await assertRejects(p, DOMException);
  assertEqual(e.name, 'AbortError');
  assertEqual(__mock.openTransfers(), 0);
});

test('abort while the body is arriving rejects the body', async () => {
  const ac = new AbortController();
  const r = await fetch(`${base}/slow-body`, { signal: ac.signal });
  const body = r.text();
  ac.abort(new Error('stop'));
  const e = await assertRejects(body, Error);
  assertEqual(e.message, 'stop');
  assertEqual(__mock.openTransfers(), 0);
});

test('timeout signal', async () => {
  const e = await assertRejects(fetch(`${base}/hang`, { signal: AbortSignal.timeout(30) }), DOMException);
  assertEqual(e.name, 'TimeoutError');
});

test('abort after the body arrived has no effect', async () => {
  const ac = new AbortController();
  const r = await fetch(`${base}/text`, { signal: ac.signal });
  await sleep(50);
  ac.abort();
  assertEqual(await r.text(), 'hello');
});

test('body read before it arrives; clones share it', async () => {
  const r = await fetch(`${base}/slow-body`);
  const c = r.clone();
  const [a, b] = await Promise.all([r.text(), c.arrayBuffer()]);
  assertEqual(a, 'part1;part2');
  assertEqual(new TextDecoder().decode(b), 'part1;part2');
});

test('arrayBuffer() hands over the buffer; BOM stripped in text()', async () => {
  const big = await (await fetch(`${base}/big`)).arrayBuffer();
  assertEqual(big.byteLength, 1 << 20);
  assertEqual(await (await fetch(`${base}/bom`)).text(), 'x');
  const j = await (await fetch(`${base}/json`)).json();
  assertEqual(j, { a: 1 });
});

test('relative URLs without a base URL are a TypeError', async () => {
  await assertRejects(fetch('/relative'), TypeError);
});

test('300 sequential fetches', async () => {
  const t0 = Date.now();
  for (let i = 0; i < 300; i++) {
    const r = await fetch(`${base}/text`);
    if ((await r.text()) !== 'hello') throw new Error('bad body');
  }
  console.log(`# 300 fetches in ${Date.now() - t0} ms`);
});
