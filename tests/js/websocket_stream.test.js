// WebSocketStream against tests/servers/ws_server.py (its URLs arrive as a JSON line in the last
// argument; its certificate is trusted through SSL_CERT_FILE).
const srv = JSON.parse(eddy.args[eddy.args.length - 1]);
const WS = srv.ws;
const WSS = srv.wss;

async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('the promise fulfilled');
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// What one more connection tells: the text message a /progress or /report path sends.
async function ask(path) {
  const wss = new WebSocketStream(`${WS}${path}`);
  const { readable } = await wss.opened;
  const reader = readable.getReader();
  const { value } = await reader.read();
  wss.close();
  await wss.closed;
  return value;
}

test('the interface: a lazily installed global, url, opened and closed promises', async () => {
  assertEqual(typeof WebSocketStream, 'function');
  assertEqual(Object.prototype.toString.call(WebSocketStream.prototype), '[object WebSocketStream]');
  assertThrows(() => new WebSocketStream(), TypeError);
  const wss = new WebSocketStream(WS.replace('ws:', 'http:') + '/echo?a=1');
  assertEqual(wss.url, `${WS}/echo?a=1`);
  assert(wss.opened instanceof Promise && wss.closed instanceof Promise, 'promises');
  assertEqual(wss.opened, wss.opened);
  const info = await wss.opened;
  assert(info.readable instanceof ReadableStream, 'readable');
  assert(info.writable instanceof WritableStream, 'writable');
  assertEqual([info.protocol, info.extensions], ['', '']);
  wss.close();
  assertEqual(await wss.closed, { closeCode: 1005, reason: '' });
});

test('constructor: the URL and protocol checks of WebSocket, and bad options', () => {
  for (const url of ['not a url', 'ftp://127.0.0.1/', 'ws://127.0.0.1/#f']) {
    const e = assertThrows(() => new WebSocketStream(url), DOMException, url);
    assertEqual(e.name, 'SyntaxError', url);
  }
  assertEqual(assertThrows(() => new WebSocketStream(`${WS}/echo`, { protocols: ['a', 'a'] }), DOMException).name,
    'SyntaxError');
  assertThrows(() => new WebSocketStream(`${WS}/echo`, { protocols: 'ab' }), TypeError);
  assertThrows(() => new WebSocketStream(`${WS}/echo`, { signal: {} }), TypeError);
  assertThrows(() => new WebSocketStream(`${WS}/echo`, 5), TypeError);
});

test('echo: strings and bytes through the writable come back on the readable, in order', async () => {
  const wss = new WebSocketStream(`${WS}/proto`, { protocols: ['chat.v2', 'chat.v1'] });
  const { readable, writable, protocol } = await wss.opened;
  assertEqual(protocol, 'chat.v2');
  const writer = writable.getWriter();
  const reader = readable.getReader();
  await writer.write('héllo ☃');
  await writer.write(new Uint8Array([1, 2, 3]));
  await writer.write(new Uint16Array([0x0201]).buffer);
  await writer.write(new DataView(new Uint8Array([9, 8, 7, 6]).buffer, 1, 2));
  await writer.write(42); // anything else is a string
  const got = [];
  for (let i = 0; i < 5; i++) got.push((await reader.read()).value);
  assertEqual(got[0], 'héllo ☃');
  assert(got[1] instanceof Uint8Array, 'binary messages are Uint8Arrays');
  assertEqual([...got[1]], [1, 2, 3]);
  assertEqual([...got[2]], [1, 2]);
  assertEqual([...got[3]], [8, 7]);
  assertEqual(got[4], '42');
  wss.close({ closeCode: 3456, reason: 'pizza' });
  assertEqual(await wss.closed, { closeCode: 3456, reason: 'pizza' });
  assertEqual(await reader.read(), { value: undefined, done: true });
});

test('close(): codes and reasons as WebSocket.close checks them, sent and reflected', async () => {
  const cases = [[undefined, { closeCode: 1005, reason: '' }], [{}, { closeCode: 1005, reason: '' }],
    [{ reason: '' }, { closeCode: 1005, reason: '' }], [{ reason: 'non-empty' }, { closeCode: 1000, reason: 'non-empty' }],
    [{ closeCode: 1000 }, { closeCode: 1000, reason: '' }]];
  for (const [arg, want] of cases) {
    const wss = new WebSocketStream(`${WS}/echo`);
    await wss.opened;
    wss.close(arg);
    assertEqual(await wss.closed, want, JSON.stringify(arg));
  }
  const wss = new WebSocketStream(`${WS}/echo`);
  await wss.opened;
  assertThrows(() => wss.close(true), TypeError);
  for (const closeCode of [999, 1001, 2999, 5000]) {
    assertEqual(assertThrows(() => wss.close({ closeCode }), DOMException).name, 'InvalidAccessError');
  }
  assertThrows(() => wss.close({ closeCode: 70000 }), TypeError); // [EnforceRange]
  assertThrows(() => wss.close({ closeCode: NaN }), TypeError);
  assertEqual(assertThrows(() => wss.close({ reason: '.'.repeat(124) }), DOMException).name, 'SyntaxError');
  wss.close();
  await wss.closed;
});

test('close() during the handshake rejects opened and closed with a NetworkError', async () => {
  const wss = new WebSocketStream(`${WS}/echo`);
  wss.close();
  assertEqual((await rejection(wss.opened)).name, 'NetworkError');
  assertEqual((await rejection(wss.closed)).name, 'NetworkError');
});

test('a connection that fails rejects both promises', async () => {
  const wss = new WebSocketStream(`${WS}/status`);
  assertEqual((await rejection(wss.opened)).name, 'NetworkError');
  assertEqual((await rejection(wss.closed)).name, 'NetworkError');
});

test("a bad port fails the connection as fetch blocks it: both promises reject, nothing thrown", async () => {
  const wss = new WebSocketStream('ws://127.0.0.1:22/');
  assertEqual((await rejection(wss.opened)).name, 'NetworkError');
  assertEqual((await rejection(wss.closed)).name, 'NetworkError');
});

test('closing the writable, aborting it or canceling the readable closes cleanly', async () => {
  for (const how of ['close', 'abort', 'cancel']) {
    const wss = new WebSocketStream(`${WS}/echo?closedelay=200`);
    const { readable, writable } = await wss.opened;
    const t0 = Date.now();
    let settled;
    if (how === 'close') settled = writable.getWriter().close();
    else if (how === 'abort') settled = writable.abort({ code: 3456, reason: 'ignored' });
    else settled = readable.cancel({ code: 3456, reason: 'ignored' });
    await settled;
    if (how === 'close') assert(Date.now() - t0 >= 150, "the writer's close waits for the closing handshake");
    assertEqual(await wss.closed, { closeCode: 1005, reason: '' }, how);
  }
});

test("the server's close: the readable ends, closed has its code and reason, writes fail", async () => {
  const wss = new WebSocketStream(`${WS}/close?code=4001&reason=bye%20now`);
  const { readable, writable } = await wss.opened;
  const reader = readable.getReader();
  assertEqual(await reader.read(), { value: undefined, done: true });
  assertEqual(await wss.closed, { closeCode: 4001, reason: 'bye now' });
  const e = await rejection(writable.getWriter().write('late'));
  assert(e instanceof DOMException, String(e));
});

test('an abrupt TCP reset errors the readable and rejects closed', async () => {
  const wss = new WebSocketStream(`${WS}/reset`);
  const { readable } = await wss.opened;
  const reader = readable.getReader();
  assertEqual((await reader.read()).value, 'bye');
  assertEqual((await rejection(reader.read())).name, 'NetworkError');
  assertEqual((await rejection(wss.closed)).name, 'NetworkError');
});

test('signal: aborted before, or while connecting, rejects with the reason', async () => {
  const before = new WebSocketStream(`${WS}/echo`, { signal: AbortSignal.abort('early') });
  assertEqual(await rejection(before.opened), 'early');
  assertEqual(await rejection(before.closed), 'early');
  const ac = new AbortController();
  const during = new WebSocketStream(`${WS}/hang`, { signal: ac.signal });
  setTimeout(() => ac.abort(new RangeError('late')), 50);
  assert((await rejection(during.opened)) instanceof RangeError, 'the reason');
  assert((await rejection(during.closed)) instanceof RangeError, 'the reason');
  // After the opening, aborting the signal does nothing.
  const ac2 = new AbortController();
  const open = new WebSocketStream(`${WS}/echo`, { signal: ac2.signal });
  const { readable, writable } = await open.opened;
  ac2.abort();
  const writer = writable.getWriter();
  await writer.write('still open');
  assertEqual((await readable.getReader().read()).value, 'still open');
  open.close();
  await open.closed;
});

test('wss: through the test CA', async () => {
  const wss = new WebSocketStream(`${WSS}/echo`);
  const { readable, writable } = await wss.opened;
  await writable.getWriter().write(new Uint8Array(200000).fill(3));
  const { value } = await readable.getReader().read();
  assertEqual(value.length, 200000);
  wss.close();
  await wss.closed;
});

test('backpressure: while nothing reads the readable, the socket is not read and the server stalls', async () => {
  const tag = 'flood' + Math.random();
  const SIZE = 64 * 1024;
  const COUNT = 768; // 48 MiB
  const wss = new WebSocketStream(`${WS}/flood?tag=${tag}&size=${SIZE}&count=${COUNT}`);
  const { readable } = await wss.opened;
  const reader = readable.getReader();
  const first = await reader.read();
  assertEqual(new DataView(first.value.buffer).getUint32(0), 0);
  // Nothing reads for a while: what the server got out is bounded by the readable's queue
  // (16 messages), one receive buffer and the kernel's socket buffers, not the 48 MiB.
  let sent = 0;
  for (let i = 0; i < 3; i++) {
    await sleep(150);
    const now = +(await ask(`/progress?tag=${tag}`));
    assert(now >= sent, 'progress');
    sent = now;
  }
  assert(sent < 24 << 20, `the server sent ${sent} bytes to a reader that did not read`);
  await sleep(100);
  assertEqual(+(await ask(`/progress?tag=${tag}`)), sent, 'the server is stalled');
  // Reading again resumes: everything arrives, in order.
  for (let i = 1; i < COUNT; i++) {
    const { value } = await reader.read();
    if (value.length !== SIZE || new DataView(value.buffer, value.byteOffset).getUint32(0) !== i) {
      throw new Error(`message ${i}: ${value.length} bytes, index ${new DataView(value.buffer).getUint32(0)}`);
    }
  }
  assertEqual((await reader.read()).value, 'end');
  wss.close();
  assertEqual(await wss.closed, { closeCode: 1005, reason: '' });
});

test('a write resolves once the socket took it when much is buffered', async () => {
  const wss = new WebSocketStream(`${WS}/sink?delay=300`);
  const { readable, writable } = await wss.opened;
  const writer = writable.getWriter();
  const t0 = Date.now();
  await writer.write(new Uint8Array(16 << 20)); // more than the kernel buffers while the server sleeps
  assert(Date.now() - t0 >= 200, 'the write waited for the server to read');
  const { value } = await readable.getReader().read();
  assertEqual(value.length, 16 << 20);
  wss.close();
  await wss.closed;
});

test('options.headers (Deno\'s): the headers go with the upgrade request', async () => {
  const wss = new WebSocketStream(`${WS}/headers`, { headers: { Cookie: 'session=1' }, protocols: ['p'] });
  const { readable, protocol } = await wss.opened;
  assertEqual(protocol, '');
  const reader = readable.getReader();
  const h = JSON.parse((await reader.read()).value);
  assertEqual([h.cookie, h['sec-websocket-protocol']], ['session=1', 'p']);
  reader.releaseLock();
  wss.close();
  await wss.closed;
  assertThrows(() => new WebSocketStream(`${WS}/echo`, { headers: { Upgrade: 'h2c' } }), TypeError);
});
