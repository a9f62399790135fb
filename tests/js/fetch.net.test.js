// fetch against the local test server (tests/servers/httpserver.py): redirects, errors, aborts,
// attributes. The server's URLs arrive as a JSON line in the last argument (with_server.py).
const srv = JSON.parse(eddy.args[eddy.args.length - 1]);
const A = srv.http;   // origin A
const B = srv.http2;  // another port: another origin

async function echo(res) {
  assertEqual(res.status, 200);
  return res.json();
}

function header(e, name) {
  const h = e.headers.find(([n]) => n === name);
  return h ? h[1] : null;
}

test('GET: status, headers, body, url, default headers', async () => {
  const res = await fetch(`${A}/echo?x=1`);
  assertEqual(res.ok, true);
  assertEqual(res.statusText, 'OK');
  assertEqual(res.url, `${A}/echo?x=1`);
  assertEqual(res.redirected, false);
  assertEqual(res.type, 'basic');
  assert(res.headers.get('content-type').startsWith('application/json'));
  const e = await res.json();
  assertEqual(e.method, 'GET');
  assertEqual(header(e, 'user-agent'), `eddy/${eddy.version}`);
  assertEqual(header(e, 'accept'), '*/*');
  assertEqual(res.bodyUsed, true);
  await assertRejects(res.text(), TypeError);
});

test("a script's User-Agent and Accept replace the defaults, once each", async () => {
  const e = await (await fetch(`${A}/echo`, { headers: { 'User-Agent': 'app/2', accept: 'text/plain' } })).json();
  const names = e.headers.map(([n]) => n.toLowerCase());
  assertEqual(names.filter((n) => n === 'user-agent').length, 1);
  assertEqual(names.filter((n) => n === 'accept').length, 1);
  assertEqual(header(e, 'user-agent'), 'app/2');
  assertEqual(header(e, 'accept'), 'text/plain');
});

test("Accept-Encoding: the codings eddy decodes; a script's own is sent once, its response left encoded", async () => {
  let e = await (await fetch(`${A}/echo`)).json();
  const names = e.headers.map(([n]) => n.toLowerCase());
  assertEqual(names.filter((n) => n === 'accept-encoding').length, 1);
  assert(header(e, 'accept-encoding').split(', ').includes('gzip'), header(e, 'accept-encoding'));
  e = await (await fetch(`${A}/echo`, { headers: { 'accept-encoding': 'gzip' } })).json();
  assertEqual(e.headers.filter(([n]) => n.toLowerCase() === 'accept-encoding').length, 1);
  assertEqual(header(e, 'accept-encoding'), 'gzip');
  const plain = await (await fetch(`${A}/plain`)).text();
  const raw = new Uint8Array(await (await fetch(`${A}/gzip`, { headers: { 'Accept-Encoding': 'gzip' } })).arrayBuffer());
  assertEqual(raw[0], 0x1f); // still gzip: the script asked for the encoding, so it decodes it
  assertEqual(raw[1], 0x8b);
  // The same easy handle goes back to decoding for the next default fetch.
  for (let i = 0; i < 3; i++) assertEqual(await (await fetch(`${A}/gzip`)).text(), plain);
});

// Bytes in the given CompressionStream format (eddy's own encoders, zlib, brotli and zstd).
async function coded(format, bytes) {
  return new Uint8Array(await new Response(new Blob([bytes]).stream()
    .pipeThrough(new CompressionStream(format))).arrayBuffer());
}

// The server's /coded answers with the request's body and the Content-Encoding values given.
const codedFetch = (body, ...ce) =>
  fetch(`${A}/coded?${ce.map((v) => `ce=${encodeURIComponent(v)}`).join('&')}`, { method: 'POST', body });

test('Content-Encoding: every coding, stacked ones, raw deflate; bad data fails, unknown ones pass', async () => {
  const text = 'the quick brown fox jumps over the lazy dog\n'.repeat(2000);
  const bytes = new TextEncoder().encode(text);
  for (const [format, name] of [['gzip', 'gzip'], ['gzip', 'x-gzip'], ['deflate', 'deflate'],
    ['deflate-raw', 'deflate'], ['brotli', 'br'], ['zstd', 'zstd']]) {
    const res = await codedFetch(await coded(format, bytes), name);
    assertEqual(res.headers.get('content-encoding'), name);
    assertEqual(await res.text(), text, `${format} as ${name}`);
  }
  // Codings listed in the order they were applied, in one field or several; identity is none.
  const twice = await coded('brotli', await coded('gzip', bytes));
  assertEqual(await (await codedFetch(twice, 'gzip, br')).text(), text);
  assertEqual(await (await codedFetch(twice, 'gzip', 'identity', 'br')).text(), text);
  const rawThenBr = await coded('brotli', await coded('deflate-raw', bytes));
  assertEqual(await (await codedFetch(rawThenBr, 'deflate, br')).text(), text);
  // Two gzip members one after the other are one body, as Node's fetch reads them; what follows
  // a member that is no other member is ignored.
  const m1 = await coded('gzip', bytes.subarray(0, 7000));
  const m2 = await coded('gzip', bytes.subarray(7000));
  const members = new Uint8Array(m1.length + m2.length + 3);
  members.set(m1);
  members.set(m2, m1.length);
  members.set([1, 2, 3], m1.length + m2.length);
  assertEqual(await (await codedFetch(members, 'gzip')).text(), text);
  // Two zstd frames one after the other are one body.
  const a = await coded('zstd', bytes.subarray(0, 5000));
  const b = await coded('zstd', bytes.subarray(5000));
  const frames = new Uint8Array(a.length + b.length);
  frames.set(a);
  frames.set(b, a.length);
  assertEqual(await (await codedFetch(frames, 'zstd')).text(), text);
  // A zstd frame whose window is 8 MiB decodes; 16 MiB is over RFC 9659's limit, as browsers
  // have it (magic, a header without sizes, the window byte, one raw block of "hello").
  const frame = (windowByte) => new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0x00, windowByte, 0x29, 0, 0,
    0x68, 0x65, 0x6c, 0x6c, 0x6f]);
  assertEqual(await (await codedFetch(frame(13 << 3), 'zstd')).text(), 'hello');
  const big = await (await codedFetch(frame(14 << 3), 'zstd')).text().then(() => null, (e) => e);
  assertEqual(big && big.cause.code, 61);
  // Not what the coding says: the body fails as a network error, by the stream or whole.
  const bad = await coded('gzip', bytes);
  bad.fill(0x55, 20, 60);
  const err = await (await codedFetch(bad, 'gzip')).text().then(() => null, (e) => e);
  assert(err instanceof TypeError, String(err));
  assertEqual(err.cause.code, 61);
  const reader = (await codedFetch(bad, 'gzip')).body.getReader();
  const streamErr = await (async () => { for (;;) if ((await reader.read()).done) return null; })()
    .catch((e) => e);
  assert(streamErr instanceof TypeError, String(streamErr));
  // A coding eddy does not know: the body as it came (Node's fetch does the same).
  const raw = new Uint8Array(await (await codedFetch(bad, 'compress')).arrayBuffer());
  assertEqual(raw.length, bad.length);
  assertEqual(raw[30], 0x55);
});

test('a reused connection that the server closes under a request is retried on a new one', async () => {
  // Each response's connection is closed 2 ms later without reading: the next request, sent on it
  // at once, often meets the close before any byte of a response. GET and POST (with its body)
  // go out again on a fresh connection, as browsers do.
  const before = Number(await (await fetch(`${A}/connections`)).text());
  for (let i = 0; i < 40; i++) {
    assertEqual(await (await fetch(`${A}/close-after`)).text(), 'GET 0\n');
    assertEqual(await (await fetch(`${A}/close-after`, { method: 'POST', body: 'abc' })).text(),
      'POST 3\n');
  }
  const opened = Number(await (await fetch(`${A}/connections`)).text()) - before;
  assert(opened >= 40, `expected fresh connections, got ${opened}`);
});

test('POST with string, bytes and custom headers', async () => {
  let e = await echo(await fetch(`${A}/echo`, { method: 'post', body: 'héllo', headers: { 'X-A': '1' } }));
  assertEqual(e.method, 'POST');
  assertEqual(e.body, 'héllo');
  assertEqual(header(e, 'x-a'), '1');
  assertEqual(header(e, 'content-type'), 'text/plain;charset=UTF-8');
  e = await echo(await fetch(`${A}/echo`, { method: 'PUT', body: new Uint8Array([0, 1, 2, 255]).subarray(1, 3) }));
  assertEqual(e.bodyBase64, 'AQI=');
});

test('4xx and 5xx are responses, not errors', async () => {
  const res = await fetch(`${A}/status/404?text=Nope`);
  assertEqual(res.status, 404);
  assertEqual(res.ok, false);
  assertEqual(res.statusText, 'Nope');
  assertEqual((await fetch(`${A}/status/503`)).status, 503);
});

test('invalid requests are TypeErrors', async () => {
  await assertRejects(fetch(`${A}/echo`, { method: 'CONNECT' }), TypeError);
  await assertRejects(fetch(`${A}/echo`, { method: 'TRACE' }), TypeError);
  await assertRejects(fetch(`${A}/echo`, { method: 'GET', body: 'x' }), TypeError);
  await assertRejects(fetch('/relative/without/base'), TypeError);
  await assertRejects(fetch(`${A}/echo`, { headers: { 'bad name': 'x' } }), TypeError);
});

test('several Set-Cookie headers stay separate', async () => {
  const res = await fetch(`${A}/cookies`);
  assertEqual(res.headers.getSetCookie().length, 3);
  assertThrows(() => res.headers.set('x', 'y'), TypeError); // response headers are immutable
});

test('redirects: 301/302 turn POST into GET, drop body headers', async () => {
  for (const code of [301, 302]) {
    const res = await fetch(`${A}/redirect/${code}?to=/echo`, { method: 'POST', body: 'data' });
    assertEqual(res.redirected, true);
    assertEqual(res.url, `${A}/echo`);
    const e = await res.json();
    assertEqual(e.method, 'GET');
    assertEqual(e.body, '');
    assertEqual(header(e, 'content-type'), null);
  }
});

test('a bad port is blocked before any connection: the first request and a redirect to one', async () => {
  for (const port of [0, 25, 6667, 10080]) {
    const err = await assertRejects(fetch(`http://127.0.0.1:${port}/`), TypeError);
    assert(/bad port/.test(String(err.cause && err.cause.message)), String(err.cause && err.cause.message));
  }
  const err = await assertRejects(fetch(`${A}/redirect/302?to=${encodeURIComponent('http://127.0.0.1:25/x')}`), TypeError);
  assert(/bad port/.test(String(err.cause && err.cause.message)), 'a redirect to a bad port is blocked too');
  assertEqual((await fetch(`http://127.0.0.1:${new URL(A).port}/echo`)).status, 200, 'other ports are not');
});

test('redirects: 303 turns PUT into GET; 307/308 keep method and body', async () => {
  let e = await echo(await fetch(`${A}/redirect/303?to=/echo`, { method: 'PUT', body: 'x' }));
  assertEqual(e.method, 'GET');
  for (const code of [307, 308]) {
    e = await echo(await fetch(`${A}/redirect/${code}?to=/echo`, { method: 'POST', body: 'kept' }));
    assertEqual(e.method, 'POST');
    assertEqual(e.body, 'kept');
  }
});

test('redirects: Authorization kept same-origin, dropped cross-origin', async () => {
  const auth = { headers: { Authorization: 'Bearer t' } };
  let e = await echo(await fetch(`${A}/redirect/302?to=/echo`, auth));
  assertEqual(header(e, 'authorization'), 'Bearer t');
  const res = await fetch(`${A}/redirect/302?to=${encodeURIComponent(`${B}/echo`)}`, auth);
  assertEqual(res.url, `${B}/echo`);
  e = await echo(res);
  assertEqual(header(e, 'authorization'), null);
});

test('redirects: chains, loops, manual and error modes', async () => {
  const res = await fetch(`${A}/redirect-chain/5`);
  assertEqual(res.redirected, true);
  assert(res.url.endsWith('/echo'));
  const loop = await fetch(`${A}/redirect-loop`).then(() => null, (err) => err);
  assert(loop instanceof TypeError, 'redirect loop rejects');
  const manual = await fetch(`${A}/redirect/301?to=/echo`, { redirect: 'manual' });
  assertEqual(manual.status, 301);
  assertEqual(manual.headers.get('location'), '/echo');
  await assertRejects(fetch(`${A}/redirect/301?to=/echo`, { redirect: 'error' }), TypeError);
});

test('network errors carry curl\'s code in cause', async () => {
  // Port 2, not 1: 1 is a bad port, blocked before any connection.
  const refused = await fetch('http://127.0.0.1:2/').then(() => null, (err) => err);
  assert(refused instanceof TypeError);
  assertEqual(refused.message, 'fetch failed');
  assertEqual(refused.cause.code, 7);
  const tls = await fetch(`${srv.https}/echo`).then(() => null, (err) => err);
  assert(tls instanceof TypeError, 'self-signed certificate is refused by default');
  assertEqual(tls.cause.code, 60);
  const res = await fetch(`${A}/close-mid-body`);
  await assertRejects(res.text(), TypeError);
});

test('gzip is decoded; a large body arrives whole', async () => {
  const plain = await (await fetch(`${A}/plain`)).text();
  assertEqual(await (await fetch(`${A}/gzip`)).text(), plain);
  const buf = await (await fetch(`${A}/large?bytes=3000000`)).arrayBuffer();
  assertEqual(buf.byteLength, 3000000);
  const u8 = new Uint8Array(buf);
  assertEqual(u8[1000000], 1000000 % 251);
});

test('abort before start, while waiting for headers, and during the body', async () => {
  const before = AbortSignal.abort();
  await assertRejects(fetch(`${A}/echo`, { signal: before }), DOMException);
  let c = new AbortController();
  let p = fetch(`${A}/delay?ms=2000`, { signal: c.signal });
  setTimeout(() => c.abort(), 20);
  const err = await p.then(() => null, (e) => e);
  assertEqual(err.name, 'AbortError');
  c = new AbortController();
  const res = await fetch(`${A}/slow-body?ms=2000`, { signal: c.signal });
  p = res.text();
  c.abort(new Error('mine'));
  const bodyErr = await p.then(() => null, (e) => e);
  assertEqual(bodyErr.message, 'mine');
});

test('abort after the whole body arrived errors the unread body at once; a read or empty body is left alone', async () => {
  for (const method of ['arrayBuffer', 'blob', 'formData', 'json', 'text']) {
    const c = new AbortController();
    const res = await fetch(`${A}/echo`, { signal: c.signal });
    // Wait for the end of the transfer, so the body is held whole before the abort.
    const settled = res.clone().arrayBuffer();
    await settled;
    c.abort();
    const log = [];
    const p = res[method]();
    await Promise.all([p.catch(() => log.push('rejected')), Promise.resolve().then(() => log.push('next'))]);
    assertEqual(log.join(), 'rejected,next', method);
    assertEqual((await p.catch((e) => e)).name, 'AbortError', method);
  }
  const c = new AbortController();
  const res = await fetch(`${A}/echo`, { signal: c.signal });
  assertEqual((await res.json()).method, 'GET');
  c.abort(); // nothing left to error
  const empty = new AbortController();
  const r2 = await fetch(`${A}/large?bytes=0`, { signal: empty.signal });
  await r2.clone().text();
  empty.abort();
  assertEqual((await r2.body.getReader().read()).done, true);
});

test("the cache mode's request headers: no-cache, no-store and reload; a script's own are kept", async () => {
  const sent = async (init) => {
    const e = await (await fetch(`${A}/echo`, init)).json();
    return [header(e, 'cache-control'), header(e, 'pragma')];
  };
  assertEqual(await sent({}), [null, null]);
  assertEqual(await sent({ cache: 'force-cache' }), [null, null]);
  assertEqual(await sent({ cache: 'no-cache' }), ['max-age=0', null]);
  assertEqual(await sent({ cache: 'no-store' }), ['no-cache', 'no-cache']);
  assertEqual(await sent({ cache: 'reload' }), ['no-cache', 'no-cache']);
  assertEqual(await sent({ cache: 'no-cache', headers: { 'Cache-Control': 'foo' } }), ['foo', null]);
  assertEqual(await sent({ cache: 'no-store', headers: { Pragma: 'foo' } }), ['no-cache', 'foo']);
});

test('a 421 is sent once more on a new connection; a second 421 and a stream body\'s are returned', async () => {
  let key = `m${Math.random()}`;
  let res = await fetch(`${A}/misdirected?key=${key}`, { method: 'POST', body: 'again' });
  assertEqual(res.status, 200);
  assertEqual(await res.json(), { requests: 2, connections: 2, body: 'again' });
  key = `m${Math.random()}`;
  res = await fetch(`${A}/misdirected?key=${key}&times=5`);
  assertEqual(res.status, 421);
  assertEqual(await res.text(), 'misdirected 2\n');
  key = `m${Math.random()}`;
  const body = new ReadableStream({ start(c) { c.enqueue(new Uint8Array([1])); c.close(); } });
  res = await fetch(`${A}/misdirected?key=${key}`, { method: 'POST', body, duplex: 'half' });
  assertEqual(res.status, 421);
  assertEqual(await res.text(), 'misdirected 1\n');
});

test('a referrer URL is sent as Referer under its policy, stripped, and again for each redirect hop', async () => {
  const referer = async (url, init) => header(await (await fetch(url, init)).json(), 'referer');
  const page = `${A}/page?q=1`;
  const r = `http://user:pw@${page.slice(7)}#frag`;
  assertEqual(await referer(`${A}/echo`), null); // the client has no URL here
  assertEqual(await referer(`${A}/echo`, { referrer: r }), page);
  assertEqual(await referer(`${B}/echo`, { referrer: r }), `${A}/`);
  assertEqual(await referer(`${B}/echo`, { referrer: r, referrerPolicy: 'unsafe-url' }), page);
  assertEqual(await referer(`${A}/echo`, { referrer: r, referrerPolicy: 'no-referrer' }), null);
  assertEqual(await referer(`${A}/echo`, { referrer: r, referrerPolicy: 'origin' }), `${A}/`);
  assertEqual(await referer(`${B}/echo`, { referrer: r, referrerPolicy: 'same-origin' }), null);
  assertEqual(await referer(`${A}/echo`, { referrer: '' }), null);
  assertEqual(await referer(`${A}/redirect/302?to=${encodeURIComponent(`${B}/echo`)}`, { referrer: r }), `${A}/`);
  assertEqual(await referer(`${A}/echo`, { referrer: r, headers: { Referer: 'mine' } }), 'mine');
  assertEqual(new Request(`${A}/echo`, { referrer: r }).referrer, r); // the attribute keeps it whole
});

test('AbortSignal.timeout rejects with a TimeoutError', async () => {
  const t0 = performance.now();
  const err = await fetch(`${A}/hang`, { signal: AbortSignal.timeout(50) }).then(() => null, (e) => e);
  assertEqual(err.name, 'TimeoutError');
  assert(performance.now() - t0 < 2000);
});

test('clone reads the body twice; 50 concurrent fetches all complete', async () => {
  const res = await fetch(`${A}/echo`);
  const copy = res.clone();
  assertEqual((await res.json()).method, 'GET');
  assertEqual((await copy.json()).method, 'GET');
  const all = await Promise.all(Array.from({ length: 50 }, (_, i) =>
    fetch(`${A}/echo?i=${i}`).then((r) => r.json())));
  assertEqual(all.map((e) => e.query).join(), Array.from({ length: 50 }, (_, i) => `i=${i}`).join());
});

test('errors quote only the start of a huge URL or method', async () => {
  const huge = 'x'.repeat(1e6);
  let err = await fetch(huge).then(() => null, (e) => e);
  assert(err instanceof TypeError);
  assert(err.message.length < 300, `message of ${err.message.length} characters`);
  assertEqual(err.input, huge);
  err = await fetch(`${huge}:x`).then(() => null, (e) => e); // a valid URL of an unknown scheme
  assert(err.cause.message.length < 300);
  assertThrows(() => new Request(`${A}/echo`, { method: `${huge}(` }), TypeError);
  try { new Request(`${A}/echo`, { method: `${huge}(` }); } catch (e) { err = e; }
  assert(err.message.length < 300);
  try { Response.redirect(huge); } catch (e) { err = e; }
  assert(err.message.length < 300);
  assertEqual(err.input, huge);
});

test('a response header over libcurl\'s limit says so', async () => {
  const err = await fetch(`${A}/big-header?bytes=1048576`).then(() => null, (e) => e);
  assertEqual([err.message, err.cause.code, err.cause.message],
    ['fetch failed', 27, 'response headers too large']);
});
