// Request, Response and their bodies (no network).
'use strict';

const URL_A = 'http://example.com/a?b=c#frag';

test('Request defaults', () => {
  const r = new Request(URL_A);
  assertEqual(r.method, 'GET');
  assertEqual(r.url, URL_A);
  assertEqual(r.destination, '');
  assertEqual(r.referrer, 'about:client');
  assertEqual(r.referrerPolicy, '');
  assertEqual(r.mode, 'cors');
  assertEqual(r.credentials, 'same-origin');
  assertEqual(r.cache, 'default');
  assertEqual(r.redirect, 'follow');
  assertEqual(r.integrity, '');
  assertEqual(r.keepalive, false);
  assertEqual(r.isReloadNavigation, false);
  assertEqual(r.isHistoryNavigation, false);
  assertEqual(r.duplex, 'half');
  assertEqual(r.body, null);
  assertEqual(r.bodyUsed, false);
  assert(r.headers instanceof Headers);
  assert(r.headers === r.headers, 'same Headers object');
  assert(r.signal instanceof AbortSignal);
  assertEqual(r.signal.aborted, false);
  assertEqual(Object.prototype.toString.call(r), '[object Request]');
  assertEqual(new Request(new URL('http://example.com/u')).url, 'http://example.com/u');
  assertEqual(new Request({ toString: () => 'http://example.com/s' }).url, 'http://example.com/s');
});

test('Request init members', () => {
  const ac = new AbortController();
  const r = new Request('http://example.com/', {
    method: 'post',
    headers: { 'X-Test': '1' },
    body: 'hi',
    referrer: '',
    referrerPolicy: 'no-referrer',
    mode: 'same-origin',
    credentials: 'include',
    cache: 'no-store',
    redirect: 'manual',
    integrity: 'sha256-abc',
    keepalive: true,
    signal: ac.signal,
    window: null,
  });
  assertEqual(r.method, 'POST');
  assertEqual(r.headers.get('x-test'), '1');
  assertEqual(r.headers.get('content-type'), 'text/plain;charset=UTF-8');
  assertEqual(r.referrer, '');
  assertEqual(r.referrerPolicy, 'no-referrer');
  assertEqual(r.mode, 'same-origin');
  assertEqual(r.credentials, 'include');
  assertEqual(r.cache, 'no-store');
  assertEqual(r.redirect, 'manual');
  assertEqual(r.integrity, 'sha256-abc');
  assertEqual(r.keepalive, true);
  assertEqual(r.signal.aborted, false);
  ac.abort('stop');
  assertEqual(r.signal.aborted, true, 'request signal follows init.signal');
  assertEqual(r.signal.reason, 'stop');
  assertEqual(new Request('http://x.org/', { referrer: 'http://y.org/p' }).referrer, 'http://y.org/p');
  assertEqual(new Request('http://x.org/', { referrer: 'about:client' }).referrer, 'about:client');
});

test('Request method normalisation and validation', () => {
  for (const [given, expected] of [['get', 'GET'], ['Post', 'POST'], ['delete', 'DELETE'],
    ['head', 'HEAD'], ['options', 'OPTIONS'], ['put', 'PUT'], ['patch', 'patch'], ['PATCH', 'PATCH'],
    ['CUSTOM', 'CUSTOM']]) {
    assertEqual(new Request('http://x.org/', { method: given }).method, expected, given);
  }
  for (const bad of ['CONNECT', 'trace', 'Track']) {
    assertThrows(() => new Request('http://x.org/', { method: bad }), TypeError, bad);
  }
  for (const bad of ['', 'GE T', 'a,b', 'é']) {
    assertThrows(() => new Request('http://x.org/', { method: bad }), TypeError, JSON.stringify(bad));
  }
});

test('Request validation errors', () => {
  assertThrows(() => new Request(), TypeError);
  assertThrows(() => new Request('http://x.org/', { body: 'x' }), TypeError, 'GET with body');
  assertThrows(() => new Request('http://x.org/', { method: 'HEAD', body: 'x' }), TypeError, 'HEAD with body');
  new Request('http://x.org/', { body: null });
  assertThrows(() => new Request('http://u:p@x.org/'), TypeError, 'credentials in URL');
  assertThrows(() => new Request('http://x.org/', { mode: 'navigate' }), TypeError);
  assertThrows(() => new Request('http://x.org/', { mode: 'bogus' }), TypeError);
  assertThrows(() => new Request('http://x.org/', { redirect: 'bogus' }), TypeError);
  assertThrows(() => new Request('http://x.org/', { credentials: 'bogus' }), TypeError);
  assertThrows(() => new Request('http://x.org/', { cache: 'only-if-cached' }), TypeError);
  new Request('http://x.org/', { cache: 'only-if-cached', mode: 'same-origin' });
  assertThrows(() => new Request('http://x.org/', { referrerPolicy: 'bogus' }), TypeError);
  assertThrows(() => new Request('http://x.org/', { window: {} }), TypeError);
  assertThrows(() => new Request('http://x.org/', { signal: {} }), TypeError);
  assertThrows(() => new Request('http://x.org/', { mode: 'no-cors', method: 'PUT' }), TypeError);
  assertThrows(() => new Request('http://x.org/', { headers: { 'bad name': 'x' } }), TypeError);
  assertThrows(() => new Request('http://x.org/', { duplex: 'full' }), TypeError);
  assertThrows(() => new Request('http://x.org/', 5), TypeError);
});

test('Request bodies and content types', async () => {
  const post = (body, init) => new Request('http://x.org/', { method: 'POST', body, ...init });
  assertEqual(await post('text €').text(), 'text €');
  assertEqual(post('s').headers.get('content-type'), 'text/plain;charset=UTF-8');
  const params = post(new URLSearchParams({ a: '1 2', b: '&' }));
  assertEqual(params.headers.get('content-type'), 'application/x-www-form-urlencoded;charset=UTF-8');
  assertEqual(await params.text(), 'a=1+2&b=%26');
  const buf = post(new Uint8Array([1, 2, 3]).buffer);
  assertEqual(buf.headers.get('content-type'), null);
  assertEqual(Array.from(await buf.bytes()), [1, 2, 3]);
  const custom = post('{}', { headers: { 'Content-Type': 'application/json' } });
  assertEqual(custom.headers.get('content-type'), 'application/json');
  assertEqual(await custom.json(), {});
  assertEqual(await post({ toString: () => 'obj' }).text(), 'obj');
});

test('Request body can be read once', async () => {
  const r = new Request('http://x.org/', { method: 'POST', body: 'once' });
  assertEqual(r.bodyUsed, false);
  assertEqual(await r.text(), 'once');
  assertEqual(r.bodyUsed, true);
  await assertRejects(r.text(), TypeError);
  await assertRejects(r.arrayBuffer(), TypeError);
  assertThrows(() => r.clone(), TypeError);
  assertThrows(() => new Request(r), TypeError);
  const empty = new Request('http://x.org/');
  assertEqual(await empty.text(), '');
  assertEqual(await empty.text(), '', 'a null body is never used');
  assertEqual(empty.bodyUsed, false);
});

test('Request clone and Request from Request', async () => {
  const ac = new AbortController();
  const r = new Request('http://x.org/p', {
    method: 'PUT', body: 'data', headers: { a: '1' }, redirect: 'error', signal: ac.signal,
  });
  const c = r.clone();
  assertEqual([c.method, c.url, c.redirect, c.headers.get('a')], ['PUT', 'http://x.org/p', 'error', '1']);
  c.headers.set('a', '2');
  assertEqual(r.headers.get('a'), '1', 'clone headers are independent');
  assertEqual(await c.text(), 'data');
  assertEqual(await r.text(), 'data');

  const src = new Request('http://x.org/q', { method: 'POST', body: 'moved', headers: { b: '1' } });
  const next = new Request(src, { headers: { c: '2' } });
  assertEqual(src.bodyUsed, true, 'the body moved to the new request');
  assertEqual(next.method, 'POST');
  assertEqual(next.url, 'http://x.org/q');
  assertEqual(next.headers.get('b'), null);
  assertEqual(next.headers.get('c'), '2');
  assertEqual(await next.text(), 'moved');

  const plain = new Request('http://x.org/r', { headers: { d: '4' }, referrer: '' });
  const copy = new Request(plain);
  assertEqual(copy.headers.get('d'), '4');
  assertEqual(copy.referrer, '', 'no init: referrer kept');
  assertEqual(new Request(plain, { method: 'GET' }).referrer, 'about:client', 'init resets referrer');
  assertThrows(() => new Request(new Request('http://x.org/', { method: 'POST', body: 'x' }), { method: 'GET' }), TypeError);
  ac.abort();
  assertEqual(c.signal.aborted, true, 'clone follows the same signal');
});

test('Response defaults', async () => {
  const r = new Response();
  assertEqual(r.status, 200);
  assertEqual(r.ok, true);
  assertEqual(r.statusText, '');
  assertEqual(r.type, 'default');
  assertEqual(r.url, '');
  assertEqual(r.redirected, false);
  assertEqual(r.body, null);
  assertEqual(r.bodyUsed, false);
  assertEqual([...r.headers], []);
  assertEqual(await r.text(), '');
  assertEqual(Object.prototype.toString.call(r), '[object Response]');
});

test('Response init', async () => {
  const r = new Response('body', { status: 404, statusText: 'Not Found', headers: { 'X-A': 'b' } });
  assertEqual([r.status, r.ok, r.statusText], [404, false, 'Not Found']);
  assertEqual(r.headers.get('x-a'), 'b');
  assertEqual(r.headers.get('content-type'), 'text/plain;charset=UTF-8');
  assertEqual(await r.text(), 'body');
  assertEqual(new Response(null, { status: 299 }).ok, true);
  assertEqual(new Response(null, { status: 300 }).ok, false);
  assertEqual(new Response(null, { status: 204 }).status, 204);
  assertEqual(new Response('', { headers: { 'content-type': 'x/y' } }).headers.get('content-type'), 'x/y');
});

test('Response validation errors', () => {
  assertThrows(() => new Response(null, { status: 199 }), RangeError);
  assertThrows(() => new Response(null, { status: 600 }), RangeError);
  assertThrows(() => new Response(null, { status: 0 }), RangeError);
  for (const status of [101, 103, 204, 205, 304]) {
    if (status >= 200) assertThrows(() => new Response('x', { status }), TypeError, String(status));
  }
  assertThrows(() => new Response('', { statusText: 'bad\nreason' }), TypeError);
  assertThrows(() => new Response('', { statusText: '€' }), TypeError);
  assertThrows(() => new Response('', 5), TypeError);
  assertThrows(() => new Response('', { headers: [['a']] }), TypeError);
});

test('Response body types', async () => {
  const u8 = new Uint8Array([1, 2, 3, 4]);
  const fromView = new Response(u8.subarray(1, 3));
  u8[1] = 9;
  assertEqual(Array.from(await fromView.bytes()), [2, 3], 'the body is a copy');
  const ab = await new Response(new Uint8Array([5, 6]).buffer).arrayBuffer();
  assert(ab instanceof ArrayBuffer);
  assertEqual(Array.from(new Uint8Array(ab)), [5, 6]);
  const dv = new DataView(new Uint8Array([7, 8, 9]).buffer, 1);
  assertEqual(Array.from(await new Response(dv).bytes()), [8, 9]);
  const bytes = await new Response('ab').bytes();
  assert(bytes instanceof Uint8Array);
  assertEqual(Array.from(bytes), [0x61, 0x62]);
  assertEqual(await new Response('{"a":[1,2]}').json(), { a: [1, 2] });
  await assertRejects(new Response('{bad').json(), SyntaxError);
  assertEqual(await new Response(new Uint8Array([0xEF, 0xBB, 0xBF, 0x68, 0x69])).text(), 'hi', 'BOM stripped');
  assertEqual(await new Response(new Uint8Array([0x61, 0xFF])).text(), 'a\uFFFD');
  assertEqual(await new Response(new URLSearchParams('x=1')).text(), 'x=1');
});

test('Response body is read once; clone tees it', async () => {
  const r = new Response('tee');
  const c = r.clone();
  assertEqual(await r.text(), 'tee');
  assertEqual(r.bodyUsed, true);
  assertEqual(c.bodyUsed, false);
  const buf = await c.arrayBuffer();
  assertEqual(new TextDecoder().decode(buf), 'tee');
  await assertRejects(r.text(), TypeError);
  await assertRejects(r.json(), TypeError);
  await assertRejects(r.bytes(), TypeError);
  assertThrows(() => r.clone(), TypeError);
  const c2 = new Response('x', { status: 201, statusText: 'Made', headers: { h: 'v' } }).clone();
  assertEqual([c2.status, c2.statusText, c2.headers.get('h')], [201, 'Made', 'v']);
});

test('Response.error()', () => {
  const r = Response.error();
  assertEqual(r.type, 'error');
  assertEqual(r.status, 0);
  assertEqual(r.ok, false);
  assertEqual(r.statusText, '');
  assertEqual(r.body, null);
  assertThrows(() => r.headers.set('a', 'b'), TypeError);
});

test('Response.json()', async () => {
  const r = Response.json({ a: 1 }, { status: 201, headers: { 'x-y': 'z' } });
  assertEqual(r.status, 201);
  assertEqual(r.headers.get('content-type'), 'application/json');
  assertEqual(r.headers.get('x-y'), 'z');
  assertEqual(await r.json(), { a: 1 });
  assertEqual(Response.json('s').status, 200);
  assertEqual(Response.json(null, { headers: { 'content-type': 'text/x' } }).headers.get('content-type'), 'text/x');
  assertThrows(() => Response.json(undefined), TypeError);
  assertThrows(() => Response.json(() => 1), TypeError);
  assertThrows(() => Response.json(1n), TypeError);
  assertThrows(() => Response.json({}, { status: 204 }), TypeError);
});

test('Response.redirect()', () => {
  const r = Response.redirect('http://example.com/next');
  assertEqual(r.status, 302);
  assertEqual(r.headers.get('location'), 'http://example.com/next');
  assertThrows(() => r.headers.set('a', 'b'), TypeError);
  for (const status of [301, 302, 303, 307, 308]) {
    assertEqual(Response.redirect('http://example.com/', status).status, status);
  }
  assertThrows(() => Response.redirect('http://example.com/', 200), RangeError);
  assertThrows(() => Response.redirect('http://example.com/', 304), RangeError);
  assertThrows(() => Response.redirect('http://[bad'), TypeError);
});

test('Body methods check their receiver', async () => {
  await assertRejects(Response.prototype.text.call({}), TypeError);
  await assertRejects(Request.prototype.json.call(new Response('')), TypeError);
  assertThrows(() => Response.prototype.status, TypeError);
});

test('a body of a detached ArrayBuffer is empty (extracting copies the bytes it holds: none)', async () => {
  const buffer = new ArrayBuffer(8);
  const view = new Uint8Array(buffer, 2, 4);
  structuredClone(buffer, { transfer: [buffer] });
  assertEqual(await new Response(buffer).text(), '');
  assertEqual((await new Response(view).arrayBuffer()).byteLength, 0);
});
