// WebSocket against tests/servers/ws_server.py (its URLs arrive as a JSON line in the last
// argument; its certificate is trusted through SSL_CERT_FILE).
const srv = JSON.parse(eddy.args[eddy.args.length - 1]);
const WS = srv.ws;
const WSS = srv.wss;

// Resolves with the events of one socket up to its close event: [['open'], ['message', data],
// ['error'], ['close', code, reason, wasClean]].
function run(ws, onOpen, onMessage) {
  return new Promise((resolve) => {
    const log = [];
    ws.onopen = () => {
      log.push(['open']);
      if (onOpen) onOpen(ws);
    };
    ws.onmessage = (e) => {
      log.push(['message', e.data]);
      if (onMessage) onMessage(ws, e.data, log);
    };
    ws.onerror = (e) => log.push(['error', e.constructor.name]);
    ws.onclose = (e) => {
      log.push(['close', e.code, e.reason, e.wasClean]);
      resolve(log);
    };
  });
}

function waitFor(cond, ms = 5000) {
  const end = Date.now() + ms;
  return new Promise((resolve, reject) => {
    (function poll() {
      if (cond()) return resolve();
      if (Date.now() > end) return reject(new Error('condition not met in time'));
      setTimeout(poll, 5);
    })();
  });
}

test('the interface: constants, attributes, event handlers, CloseEvent and MessageEvent', () => {
  assertEqual(typeof WebSocket, 'function');
  assertEqual(WebSocket.CONNECTING, 0);
  assertEqual(WebSocket.CLOSED, 3);
  assertEqual(WebSocket.prototype.OPEN, 1);
  assertEqual(Object.prototype.toString.call(WebSocket.prototype), '[object WebSocket]');
  const ce = new CloseEvent('close', { code: 4000, reason: 'r', wasClean: true });
  assertEqual([ce.code, ce.reason, ce.wasClean, ce instanceof Event], [4000, 'r', true, true]);
  const me = new MessageEvent('message', { data: 1, origin: 'ws://x' });
  assertEqual([me.data, me.origin, me.lastEventId, me.source, me.ports.length], [1, 'ws://x', '', null, 0]);
  assertThrows(() => new WebSocket(), TypeError);
});

test('constructor: invalid URLs, schemes, fragments and protocols are SyntaxErrors', () => {
  const bad = ['not a url', 'ftp://127.0.0.1/', 'ws://127.0.0.1/#frag', 'ws://127.0.0.1/#', 'file:///x'];
  for (const url of bad) {
    const e = assertThrows(() => new WebSocket(url), DOMException, url);
    assertEqual(e.name, 'SyntaxError', url);
  }
  for (const protocols of [['a', 'a'], ['a', 'A'], [''], ['a b'], ['a,b'], 'x\u00e9']) {
    const e = assertThrows(() => new WebSocket(`${WS}/echo`, protocols), DOMException, String(protocols));
    assertEqual(e.name, 'SyntaxError');
  }
});

test("Fetch's bad ports fail the connection: error, then close 1006, never open", async () => {
  // The handshake is a fetch, and fetch blocks these ports ("block bad port") before any
  // connection: no exception, the same events as a server that cannot be reached. Port 0 and
  // http:/wss: URLs too; fetch's list is the same one (url.js).
  const urls = ['ws://127.0.0.1:1/', 'ws://127.0.0.1:22/x', 'http://127.0.0.1:6667/', 'wss://localhost:993/',
    'ws://127.0.0.1:0/', 'ws://[::1]:10080/'];
  for (const url of urls) {
    const ws = new WebSocket(url);
    assertEqual(ws.readyState, WebSocket.CONNECTING, url);
    assertEqual(ws.url, url.replace('http:', 'ws:'), url);
    const log = await run(ws);
    assertEqual(log, [['error', 'Event'], ['close', 1006, '', false]], url);
    assertEqual(ws.readyState, WebSocket.CLOSED, url);
  }
  const err = await fetch('http://127.0.0.1:6667/').then(() => null, (e) => e);
  assert(err instanceof TypeError && /bad port/.test(String(err.cause && err.cause.message)), String(err));
});

test('constructor: the URL rules (scheme mapping, default ports, protocols as a string or any iterable)', () => {
  const close = (ws) => { ws.onerror = () => {}; ws.close(); return ws; };
  assertEqual(close(new WebSocket('https://127.0.0.1:443/a?b')).url, 'wss://127.0.0.1/a?b');
  assertEqual(close(new WebSocket('HTTP://127.0.0.1:80')).url, 'ws://127.0.0.1/');
  assertEqual(close(new WebSocket('ws://127.0.0.1:443/')).url, 'ws://127.0.0.1:443/');
  // Web IDL's union: a String object is iterable (a sequence of its characters); a number is
  // the DOMString '1', a valid token.
  assertEqual(close(new WebSocket(`${WS}/echo`, 1)).readyState, WebSocket.CLOSING);
  const e = assertThrows(() => new WebSocket(`${WS}/echo`, new String('aa')), DOMException);
  assertEqual(e.name, 'SyntaxError', 'duplicate "a" from the String object');
  const f = Object.assign(function () {}, { [Symbol.iterator]: function* () { yield 'x'; yield 'x'; } });
  assertEqual(assertThrows(() => new WebSocket(`${WS}/echo`, f), DOMException).name, 'SyntaxError');
  // The URL is checked before the protocols.
  assertEqual(assertThrows(() => new WebSocket('ws://127.0.0.1/#', ['a', 'a']), DOMException).name, 'SyntaxError');
});

test('http: URLs become ws:, the URL is serialised, readyState starts CONNECTING', async () => {
  const ws = new WebSocket(WS.replace('ws:', 'http:') + '/echo?x=1');
  assertEqual(ws.url, `${WS}/echo?x=1`);
  assertEqual(ws.readyState, WebSocket.CONNECTING);
  assertEqual(ws.binaryType, 'blob');
  assertEqual(ws.bufferedAmount, 0);
  assertEqual(ws.protocol, '');
  const e = assertThrows(() => ws.send('x'), DOMException);
  assertEqual(e.name, 'InvalidStateError');
  const log = await run(ws, (s) => s.close());
  assertEqual(log, [['open'], ['close', 1005, '', true]]);
});

test('echo: text and binary, in order, with binaryType blob and arraybuffer', async () => {
  const ws = new WebSocket(`${WS}/echo`);
  const got = [];
  const log = await run(ws, (s) => {
    s.send('héllo ☃ 😀');
    s.send(new Uint8Array([1, 2, 3]));
    s.send(new Uint16Array([0x0201]).buffer);
    s.send(new DataView(new Uint8Array([9, 8, 7, 6]).buffer, 1, 2));
    s.send(new Blob(['blob ', 'text']));
    s.send('');
  }, async (s, data, l) => {
    got.push(data);
    if (got.length === 2) s.binaryType = 'arraybuffer';
    if (got.length === 6) s.close(1000, 'done');
  });
  assertEqual(log[log.length - 1], ['close', 1000, 'done', true]);
  assertEqual(got[0], 'héllo ☃ 😀');
  assert(got[1] instanceof Blob, 'a Blob');
  assertEqual([...new Uint8Array(await got[1].arrayBuffer())], [1, 2, 3]);
  assert(got[2] instanceof ArrayBuffer, 'an ArrayBuffer');
  assertEqual([...new Uint8Array(got[2])], [1, 2]);
  assertEqual([...new Uint8Array(got[3])], [8, 7]);
  assertEqual(new TextDecoder().decode(got[4]), 'blob text'); // a Blob is sent as binary
  assertEqual(got[5], '');
});

// Large frames are read into one buffer of their size, stopping at their end: frames that
// follow one another closely, sizes around the thresholds, text and binary, plain and TLS.
async function largeEchoes(url) {
  const sizes = [65535, 65536, 65537, 200001, 1 << 20, (3 << 20) + 7, 10];
  const pattern = (n) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 255);
  const text = 'é☃'.repeat(40000) + 'end';
  const got = [];
  const log = await run(new WebSocket(url), (s) => {
    s.binaryType = 'arraybuffer';
    for (const n of sizes) s.send(pattern(n));
    s.send(text);
    s.send(new Uint8Array(1 << 20)); // a large frame right after a large text message
  }, (s, data) => {
    got.push(data);
    if (got.length === sizes.length + 2) s.close(1000);
  });
  assertEqual(log[log.length - 1], ['close', 1000, '', true]);
  sizes.forEach((n, i) => {
    const a = new Uint8Array(got[i]);
    assertEqual(a.length, n, `message ${i}`);
    const want = pattern(n);
    let same = true;
    for (let j = 0; j < n; j++) if (a[j] !== want[j]) { same = false; break; }
    assert(same, `message ${i} (${n} bytes) came back intact`);
  });
  assertEqual(got[sizes.length], text);
  assertEqual(new Uint8Array(got[sizes.length + 1]).length, 1 << 20);
}

test('large messages come back intact, back to back and around the read sizes', () => largeEchoes(`${WS}/echo`));
test('large messages come back intact over wss:', () => largeEchoes(`${WSS}/echo`));

test("a message event: trusted, timeStamp the time it was made, ports one frozen empty array", async () => {
  let before = 0;
  const seen = [];
  const ws2 = new WebSocket(`${WS}/echo`);
  await new Promise((resolve) => {
    ws2.onopen = () => {
      before = performance.now();
      ws2.send('t');
    };
    ws2.onmessage = (e) => {
      seen.push([e.isTrusted, e.type, e.timeStamp, performance.now(), e.ports, e.ports, e.origin, e.lastEventId,
        e.source, e.bubbles, e.cancelable, e.target === ws2, e instanceof MessageEvent]);
      ws2.close();
    };
    ws2.onclose = resolve;
  });
  const [trusted, type, stamp, at, p1, p2, origin, lastEventId, source, bubbles, cancelable, target, isME] = seen[0];
  assertEqual([trusted, type, origin, lastEventId, source, bubbles, cancelable, target, isME],
    [true, 'message', WS, '', null, false, false, true, true]);
  assert(typeof stamp === 'number' && stamp >= before && stamp <= at, `${before} <= ${stamp} <= ${at}`);
  assert(p1 === p2 && Object.isFrozen(p1) && p1.length === 0, 'ports');
});

test('many messages stay in order', async () => {
  const ws = new WebSocket(`${WS}/echo`);
  ws.binaryType = 'arraybuffer';
  const got = [];
  const N = 2000;
  await run(ws, (s) => {
    for (let i = 0; i < N; i++) s.send(i % 2 ? `m${i}` : new Uint32Array([i]));
  }, (s, data) => {
    got.push(typeof data === 'string' ? +data.slice(1) : new Uint32Array(data)[0]);
    if (got.length === N) s.close();
  });
  assertEqual(got.length, N);
  for (let i = 0; i < N; i++) if (got[i] !== i) throw new Error(`message ${i} was ${got[i]}`);
});

// What the server recorded of a connection's close (ws_server.py's /report). The server records it
// on that connection's own thread, which may still be at it when the client's close event has
// fired: ask again until it is there, within a deadline.
async function closeReport(tag) {
  const deadline = Date.now() + 10000;
  for (;;) {
    const report = await run(new WebSocket(`${WS}/report?tag=${tag}`), null, (s) => s.close());
    const value = JSON.parse(report[1][1]);
    if (value !== null || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('fragmented messages with a ping in between are reassembled', async () => {
  const ws = new WebSocket(`${WS}/fragments`);
  ws.binaryType = 'arraybuffer';
  const got = [];
  await run(ws, null, (s, data) => {
    got.push(data);
    if (got.length === 2) s.close();
  });
  assertEqual(got[0], 'Hello, world');
  assertEqual([...new Uint8Array(got[1])], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('a ping is answered with a pong carrying its payload', async () => {
  const ws = new WebSocket(`${WS}/ping`);
  const log = await run(ws, null, (s) => s.close());
  assertEqual(log[1], ['message', 'pong:p1']);
});

test('a server-initiated close: its code and reason, wasClean, the echo the server got', async () => {
  const tag = 'srvclose' + Math.random();
  const log = await run(new WebSocket(`${WS}/close?code=4001&reason=bye%20now&tag=${tag}`));
  assertEqual(log, [['open'], ['close', 4001, 'bye now', true]]);
  const report = await closeReport(tag);
  assertEqual(report, { code: 4001, reason: '' });
});

test('close(code, reason) from the client: validation, then the server sees them', async () => {
  const tag = 'cliclose' + Math.random();
  const ws = new WebSocket(`${WS}/echo?tag=${tag}`);
  for (const code of [0, 999, 1001, 1005, 2999, 5000, 65535]) {
    const e = assertThrows(() => ws.close(code), DOMException, String(code));
    assertEqual(e.name, 'InvalidAccessError');
  }
  const e = assertThrows(() => ws.close(1000, 'x'.repeat(124)), DOMException);
  assertEqual(e.name, 'SyntaxError');
  const log = await run(ws, (s) => {
    s.close(4321, 'bye ☃');
    assertEqual(s.readyState, WebSocket.CLOSING);
    s.close(1000); // ignored while closing
  });
  assertEqual(log, [['open'], ['close', 4321, 'bye ☃', true]]);
  assertEqual(ws.readyState, WebSocket.CLOSED);
  const report = await closeReport(tag);
  assertEqual(report, { code: 4321, reason: 'bye ☃' });
});

test('readyState is CLOSING from close() until the close completes, while the server delays its answer', async () => {
  const ws = new WebSocket(`${WS}/echo?closedelay=300`);
  const states = [];
  const log = await run(ws, (s) => {
    s.close(1000, 'slow');
    states.push(s.readyState);
    setTimeout(() => states.push(s.readyState), 100);
  });
  states.push(ws.readyState);
  assertEqual(states, [WebSocket.CLOSING, WebSocket.CLOSING, WebSocket.CLOSED]);
  assertEqual(log, [['open'], ['close', 1000, 'slow', true]]);
});

test("the server's close frame makes readyState CLOSING until the server closes TCP", async () => {
  const ws = new WebSocket(`${WS}/close?code=4002&reason=later&linger=600`);
  let closed = false;
  const done = run(ws).then((log) => {
    closed = true;
    return log;
  });
  await waitFor(() => ws.readyState === WebSocket.CLOSING);
  assert(!closed, 'the close event came with CLOSING');
  const log = await done;
  assertEqual(log, [['open'], ['close', 4002, 'later', true]]);
  assertEqual(ws.readyState, WebSocket.CLOSED);
});

test('a server that never closes TCP after the closing handshake: the close event comes anyway, clean', async () => {
  const t0 = Date.now();
  const log = await run(new WebSocket(`${WS}/close?code=4003&linger=4000`));
  assertEqual(log, [['open'], ['close', 4003, '', true]]);
  assert(Date.now() - t0 < 3500, 'the client closed TCP itself after its wait');
});

test('close() while connecting fails the connection: error, then close 1006', async () => {
  const ws = new WebSocket(`${WS}/echo`);
  ws.close();
  assertEqual(ws.readyState, WebSocket.CLOSING);
  const log = await run(ws);
  assertEqual(log, [['error', 'Event'], ['close', 1006, '', false]]);
});

test('an abrupt TCP reset: error, then close 1006 not clean', async () => {
  const log = await run(new WebSocket(`${WS}/reset`));
  assertEqual(log, [['open'], ['message', 'bye'], ['error', 'Event'], ['close', 1006, '', false]]);
});

test('invalid UTF-8 in a text message fails the connection and tells the server 1007', async () => {
  const tag = 'utf8' + Math.random();
  const log = await run(new WebSocket(`${WS}/badutf8?tag=${tag}`));
  assertEqual(log, [['open'], ['error', 'Event'], ['close', 1006, '', false]]);
  const report = await closeReport(tag);
  assertEqual(report.code, 1007);
});

test('handshake failures: refused, HTTP 404, a wrong Accept, an unrequested subprotocol', async () => {
  for (const url of [`${WS}/status`, `${WS}/badaccept`, `${WS}/proto?pick=zzz`,
    `${WS}/proto?pick=zzz&x=1`, 'ws://127.0.0.1:2/']) {
    const protocols = url.includes('x=1') ? ['a', 'b'] : [];
    const log = await run(new WebSocket(url, protocols));
    assertEqual(log, [['error', 'Event'], ['close', 1006, '', false]], url);
  }
});

test('subprotocols: the server picks one of those offered', async () => {
  const ws = new WebSocket(`${WS}/proto`, ['chat.v2', 'chat.v1']);
  const log = await run(ws, (s) => {
    assertEqual(s.protocol, 'chat.v2');
    s.close();
  });
  assertEqual(log[0], ['open']);
  const ws2 = new WebSocket(`${WS}/proto`, 'single');
  await run(ws2, (s) => {
    assertEqual(s.protocol, 'single');
    s.close();
  });
});

test('permessage-deflate: negotiated, both directions compressed, contexts kept or not', async () => {
  for (const q of ['', '?snc=1&cnc=1', '?smwb=10&cmwb=12', '?cmwb=8']) {
    const ws = new WebSocket(`${WS}/deflate${q}`);
    const text = 'compress me '.repeat(200);
    const got = [];
    await run(ws, (s) => {
      assert(s.extensions.startsWith('permessage-deflate'), s.extensions);
      s.send(text);
      s.send(text + '!');
      s.send(new Uint8Array(5000).fill(7));
      s.send('__stats');
    }, (s, data) => {
      got.push(data);
      if (got.length === 4) s.close();
    });
    assertEqual(got[0], text, q);
    assertEqual(got[1], text + '!', q);
    assertEqual(got[2].size, 5000);
    const stats = JSON.parse(got[3]);
    assertEqual(stats.messages, 3, q);
    assertEqual(stats.compressed, q === '?cmwb=8' ? 0 : 3, q); // zlib has no 256-byte window
  }
  const log = await run(new WebSocket(`${WS}/deflate?bogus=1`));
  assertEqual(log, [['error', 'Event'], ['close', 1006, '', false]]);
});

test('a handshake response with a NUL byte fails; an extensions field of commas is none', async () => {
  const log = await run(new WebSocket(`${WS}/echo?rawhead=${encodeURIComponent('X-Note: a\\0b')}`));
  assertEqual(log, [['error', 'Event'], ['close', 1006, '', false]]);
  let extensions;
  await run(new WebSocket(`${WS}/echo?rawhead=${encodeURIComponent('Sec-WebSocket-Extensions: ,')}`), (s) => {
    extensions = s.extensions;
    s.close();
  });
  assertEqual(extensions, '');
});

test('permessage-deflate: messages flushed with a BFINAL block (RFC 7692 7.2.3.4) keep the window', async () => {
  const got = [];
  await run(new WebSocket(`${WS}/deflate?bfinal=1`), undefined, (s, data) => {
    got.push(data);
    if (got.length === 2) s.close();
  });
  assertEqual(got[0], 'Hello');
  assertEqual(got[1], 'Hello, again'); // its back-references reach into the first message
});

test('wss: through the test CA, echo and a clean close', async () => {
  const got = [];
  const log = await run(new WebSocket(`${WSS}/echo`), (s) => {
    s.send('over tls');
    s.send(new Uint8Array(300000).fill(3));
  }, (s, data) => {
    got.push(data);
    if (got.length === 2) s.close(1000);
  });
  assertEqual(log[log.length - 1], ['close', 1000, '', true]);
  assertEqual(got[0], 'over tls');
  assertEqual(got[1].size, 300000);
});

test('bufferedAmount: exact while the server does not read, 0 once written, grows after close', async () => {
  const ws = new WebSocket(`${WS}/sink?delay=400`);
  ws.binaryType = 'arraybuffer';
  const N = 16 << 20;
  let echoed = 0;
  const done = run(ws, (s) => {
    s.send(new Uint8Array(N));
    s.send('abc');
    // Nothing reads: 16 MiB cannot all be in the kernel's buffers yet.
    assertEqual(s.bufferedAmount, N + 3);
  }, (s, data) => {
    echoed++;
    if (echoed === 2) s.close();
  });
  await waitFor(() => ws.readyState === WebSocket.OPEN);
  await waitFor(() => ws.bufferedAmount === 0, 20000);
  await done;
  ws.send('12345');
  ws.send(new Uint8Array(10));
  assertEqual(ws.bufferedAmount, 15);
});

test('events are never dispatched before the script could add listeners', async () => {
  const ws = new WebSocket('ws://127.0.0.1:2/');
  // Spin a while: a synchronous failure must still wait for the task.
  const until = Date.now() + 50;
  while (Date.now() < until);
  const log = await run(ws);
  assertEqual(log, [['error', 'Event'], ['close', 1006, '', false]]);
});

test('addEventListener and on* attributes both see events, in order', async () => {
  const ws = new WebSocket(`${WS}/echo`);
  const seen = [];
  ws.addEventListener('open', () => seen.push('listener:open'));
  ws.addEventListener('message', (e) => seen.push(`listener:${e.data}`));
  const log = await run(ws, (s) => s.send('m'), (s) => s.close());
  assertEqual(seen, ['listener:open', 'listener:m']);
  assertEqual(log.length, 3);
});

test('send() never writes synchronously: bufferedAmount is the message size right after it', async () => {
  const ws = new WebSocket(`${WS}/echo`);
  const sizes = [];
  const log = await run(ws, (s) => {
    s.send('\uD801\uDC07'); // a paired surrogate: 4 bytes
    sizes.push(s.bufferedAmount);
    setTimeout(() => {
      s.send('from a timer');
      sizes.push(s.bufferedAmount);
    }, 0);
  }, (s, data, l) => {
    if (l.length === 3) s.close();
  });
  assertEqual(sizes, [4, 12]);
  assertEqual(log.slice(1, 3), [['message', '\uD801\uDC07'], ['message', 'from a timer']]);
});

test("send()s from message listeners and their microtasks go in call order, bytes as sent", async () => {
  // Text sent by a message event's listeners may be written as the dispatch returns (C takes it
  // back from the event's callback): still in order with binary, with a second listener's sends
  // and with those of the microtasks that run after the listeners.
  const ws = new WebSocket(`${WS}/echo`);
  ws.binaryType = 'arraybuffer';
  const sizes = [];
  const bytes = new Uint8Array([7]);
  ws.addEventListener('message', (e) => {
    if (e.data !== 'go') return;
    ws.send('b');
    ws.send(bytes);
    bytes[0] = 9; // send() took the bytes it was given
    ws.send('c');
  });
  const log = await run(ws, (s) => s.send('go'), (s, data, l) => {
    if (data === 'go') {
      s.send('a');
      sizes.push(s.bufferedAmount);
      Promise.resolve().then(() => s.send('e'));
      queueMicrotask(() => s.send('f'));
    }
    if (l.length === 8) s.close();
  });
  assertEqual(sizes, [4]); // b, [7], c and a: none written yet
  // The listener added first runs first (onmessage is added when it is set, after it).
  const got = log.slice(2, 8).map((x) => (typeof x[1] === 'string' ? x[1] : [...new Uint8Array(x[1])]));
  assertEqual(got, ['b', [7], 'c', 'a', 'e', 'f']);
  assertEqual(log.length, 9); // open, go, six echoes, close
});

test('bufferedAmount counts down within a large message as its bytes are written', async () => {
  const ws = new WebSocket(`${WS}/sink?delay=300`);
  ws.binaryType = 'arraybuffer';
  const N = 16 << 20;
  const seen = new Set();
  const done = run(ws, (s) => s.send(new Uint8Array(N)), (s) => s.close());
  await waitFor(() => ws.readyState === WebSocket.OPEN);
  await waitFor(() => {
    const b = ws.bufferedAmount;
    seen.add(b);
    return b === 0;
  }, 20000);
  await done;
  // A per-message count would only ever show N, then 0: a value in between is the countdown.
  // (How many values a poll catches depends on how fast the socket drains.)
  assert([...seen].some((b) => b > 0 && b < N), `values seen: ${[...seen].join(', ')}`);
  for (const b of seen) assert(b >= 0 && b <= N, String(b));
});

// Not the standard's (a page cannot set headers): the options object Node, Bun and Deno take
// in the protocols' place, for the handshake's Authorization, cookies and the like.
test('options { protocols, headers }: the headers go with the upgrade request', async () => {
  const first = async (ws) => {
    const log = await run(ws, null, (s) => s.close());
    assertEqual(log[0], ['open']);
    return JSON.parse(log[1][1]);
  };
  let h = await first(new WebSocket(`${WS}/headers`, {
    protocols: ['chat'],
    headers: { Authorization: 'Bearer t0k', 'X-Trace': '  padded ' },
  }));
  assertEqual(h.authorization, 'Bearer t0k');
  assertEqual(h['x-trace'], 'padded', 'values are normalized as Headers does');
  assertEqual(h['sec-websocket-protocol'], 'chat');
  assertEqual(h['sec-websocket-version'], '13');
  assert(h['user-agent'].startsWith('eddy/'), h['user-agent']);
  // A Headers object or pairs; the script's User-Agent replaces eddy's; protocols may be absent.
  h = await first(new WebSocket(`${WS}/headers`, { headers: new Headers([['User-Agent', 'app/1']]) }));
  assertEqual([h['user-agent'], h['sec-websocket-protocol']], ['app/1', undefined]);
  h = await first(new WebSocket(`${WS}/headers`, { headers: [['x-a', '1'], ['x-a', '2']] }));
  assertEqual(h['x-a'], '1, 2');
  // A value is a byte string, sent as its bytes (the server reads the head as Latin-1), as fetch does.
  h = await first(new WebSocket(`${WS}/headers`, { headers: { 'x-b': 'caf\u00e9' } }));
  assertEqual(h['x-b'], 'caf\u00e9');
  assertThrows(() => new WebSocket(`${WS}/echo`, { headers: { 'x-b': '\u20ac' } }), TypeError);
  h = await first(new WebSocket(`${WS}/headers`, { headers: { Host: 'example.test' } }));
  assertEqual(h.host, 'example.test', 'one Host, the script\'s');
  h = await first(new WebSocket(`${WS}/headers`, {}));
  assert(h.host.startsWith('127.0.0.1:'), h.host);
  assertEqual(h.authorization, undefined);
  // An iterable is still the protocols' sequence, a string the one protocol.
  h = await first(new WebSocket(`${WS}/headers`, 'one'));
  assertEqual(h['sec-websocket-protocol'], 'one');
});

test('options { protocols, headers }: bad headers are a TypeError, bad protocols a SyntaxError', () => {
  for (const name of ['Upgrade', 'Connection', 'Sec-WebSocket-Key', 'sec-websocket-version',
    'Sec-WebSocket-Extensions', 'Sec-WebSocket-Protocol', 'Content-Length', 'Transfer-Encoding']) {
    const e = assertThrows(() => new WebSocket(`${WS}/echo`, { headers: { [name]: 'x' } }), TypeError, name);
    assert(e.message.includes(name.toLowerCase()), e.message);
  }
  assertThrows(() => new WebSocket(`${WS}/echo`, { headers: { 'bad name': 'x' } }), TypeError);
  assertThrows(() => new WebSocket(`${WS}/echo`, { headers: { a: 'x\r\nInjected: 1' } }), TypeError);
  assertThrows(() => new WebSocket(`${WS}/echo`, { headers: 5 }), TypeError);
  const e = assertThrows(() => new WebSocket(`${WS}/echo`, { protocols: ['a', 'a'] }), DOMException);
  assertEqual(e.name, 'SyntaxError');
});
