// EventSource (src/js/eventsource.js) against the SSE endpoints of the local test server
// (tests/servers/sse.py): parsing across chunks, reconnection with retry and Last-Event-ID,
// failing on a wrong type or status, close().
const srv = JSON.parse(eddy.args[eddy.args.length - 1]);
const A = srv.http;
let keys = 0;
const newKey = () => `k${Date.now()}-${keys++}`;
const script = (chunks, extra = '') =>
  `${A}/sse/script?chunks=${encodeURIComponent(JSON.stringify(chunks))}${extra}`;
const log = async (key) => (await fetch(`${A}/sse/log?key=${key}`)).json();

// Records every event of es as [type, readyState, data?, lastEventId?] until until(record) says
// stop (then closes it); rejects after ms.
function record(es, types, until, ms = 8000) {
  return new Promise((resolve, reject) => {
    const got = [];
    const timer = setTimeout(() => {
      es.close();
      reject(new Error(`timed out after ${JSON.stringify(got)}`));
    }, ms);
    for (const type of types) {
      es.addEventListener(type, (e) => {
        const r = [e.type, es.readyState];
        if ('data' in e) r.push(e.data, e.lastEventId);
        got.push(r);
        if (until(r, got)) {
          clearTimeout(timer);
          es.close();
          resolve(got);
        }
      });
    }
  });
}

async function until(cond, what, ms = 5000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('the interface: constants, attributes, URL resolution and errors', () => {
  assertEqual([EventSource.CONNECTING, EventSource.OPEN, EventSource.CLOSED], [0, 1, 2]);
  assertEqual(EventSource.prototype.OPEN, 1);
  assertThrows(() => new EventSource('http://[bad'), DOMException);
  try {
    new EventSource('http://[bad');
  } catch (e) {
    assertEqual(e.name, 'SyntaxError');
  }
  assertThrows(() => new EventSource(), TypeError);
  assertThrows(() => EventSource(`${A}/sse/hold`), TypeError);
  const es = new EventSource(`${A}/sse/hold?key=${newKey()}`, { withCredentials: true });
  assert(es instanceof EventTarget);
  assertEqual(es.readyState, EventSource.CONNECTING);
  assertEqual(es.withCredentials, true);
  assert(es.url.startsWith(`${A}/sse/hold?key=`), es.url);
  assertEqual(es.onmessage, null);
  es.close();
  assertEqual(es.readyState, EventSource.CLOSED);
  es.close();
  const plain = new EventSource(`${A}/sse/hold`);
  assertEqual(plain.withCredentials, false);
  plain.close();
});

test('messages, fields and line ends split across chunks', async () => {
  const chunks = ['\uFEFFdata: a', '\r', '\ndata: b\r\n', '\r\n', 'data:c\n\n', 'id: 7\n',
    'data: d\rdata: e\r\r', ': a comment\n', 'event: ping\ndata\n\n', 'id: x\u0000y\ndata: f\n\n',
    'data:  two spaces\nunknown: field\nretry: soon\n\n', 'da', 'ta: \uFEFFé€', '😀\n\n',
    'id\ndata: g\n\n', 'event: lost\ndata: h'];
  const es = new EventSource(script(chunks, '&delay_ms=5'));
  const got = await record(es, ['open', 'message', 'ping', 'error'], (r) => r[0] === 'error');
  assertEqual(got, [
    ['open', 1],
    ['message', 1, 'a\nb', ''],
    ['message', 1, 'c', ''],
    ['message', 1, 'd\ne', '7'],
    ['ping', 1, '', '7'],
    ['message', 1, 'f', '7'],
    ['message', 1, ' two spaces', '7'],
    ['message', 1, '\uFEFFé€😀', '7'],
    ['message', 1, 'g', ''],
    ['error', 0], // the end of the stream: reconnecting
  ]);
});

test('MessageEvent carries origin and lastEventId; on* attributes work', async () => {
  const es = new EventSource(script(['id: 1\ndata: x\n\n']));
  const e = await new Promise((resolve) => {
    es.onmessage = resolve;
  });
  es.close();
  assertEqual(e.data, 'x');
  assertEqual(e.lastEventId, '1');
  assertEqual(e.origin, new URL(A).origin);
  assertEqual(e.type, 'message');
  assert(e.isTrusted, 'trusted');
  assert(typeof es.onmessage === 'function');
});

test('reconnects after the retry time, with Last-Event-ID, until a 204 fails it', async () => {
  const key = newKey();
  const es = new EventSource(`${A}/sse/reconnect?key=${key}&n=3&retry=80`);
  const times = [];
  es.addEventListener('error', () => times.push(['error', Date.now()]));
  es.addEventListener('open', () => times.push(['open', Date.now()]));
  const got = await record(es, ['open', 'message', 'error'], (r) => r[0] === 'error' && r[1] === 2, 15000);
  assertEqual(got, [
    ['open', 1], ['message', 1, '1', '1'], ['error', 0],
    ['open', 1], ['message', 1, '2', '2'], ['error', 0],
    ['open', 1], ['message', 1, '3', '3'], ['error', 0],
    ['error', 2],
  ]);
  for (let i = 0; i + 1 < times.length; i++) {
    if (times[i][0] === 'error' && times[i + 1][0] === 'open') {
      assert(times[i + 1][1] - times[i][1] >= 70, `reconnected after ${times[i + 1][1] - times[i][1]} ms`);
    }
  }
  const l = await log(key);
  assertEqual(l.connections, 4);
  assertEqual(l.lastEventIds, [null, '1', '2', '3']);
  assertEqual(l.accept, ['text/event-stream', 'text/event-stream', 'text/event-stream', 'text/event-stream']);
  // HTML fetches with cache mode no-store, which Fetch sends as these two headers.
  assertEqual(l.cacheControl, ['no-cache', 'no-cache', 'no-cache', 'no-cache']);
  assertEqual(l.pragma, ['no-cache', 'no-cache', 'no-cache', 'no-cache']);
});

test('a wrong Content-Type or a status other than 200 fails the connection: no reconnection', async () => {
  for (const extra of ['&ctype=text/plain', '&status=500', '&ctype=text/event-streams']) {
    const key = newKey();
    const es = new EventSource(script(['data: never\n\n'], `${extra}&key=${key}`));
    let opened = false;
    es.onopen = () => { opened = true; };
    await new Promise((resolve) => { es.onerror = resolve; });
    assertEqual(es.readyState, EventSource.CLOSED, extra);
    assert(!opened, 'no open event');
    assertEqual((await log(key)).connections, 1);
  }
  // Parameters and case do not matter.
  const es = new EventSource(script(['data: ok\n\n'], '&ctype=Text/Event-Stream;charset=utf-8'));
  const got = await record(es, ['message'], () => true);
  assertEqual(got, [['message', 1, 'ok', '']]);
});

test('close() from a listener stops at once and ends the transfer', async () => {
  const key = newKey();
  const es = new EventSource(`${A}/sse/hold?key=${key}`);
  await new Promise((resolve) => { es.onopen = resolve; });
  let after = 0;
  es.onmessage = es.onerror = () => after++;
  es.close();
  assertEqual(es.readyState, EventSource.CLOSED);
  await until(async () => (await log(key)).closed === 1, 'the server to see the client go away');
  assertEqual(after, 0);
});

test('close() stops the messages that came in the same chunk', async () => {
  const es = new EventSource(script(['data: 1\n\ndata: 2\n\ndata: 3\n\n']));
  const seen = [];
  await new Promise((resolve) => {
    es.onmessage = (e) => {
      seen.push(e.data);
      es.close();
      setTimeout(resolve, 50);
    };
  });
  assertEqual(seen, ['1']);
});

test('a refused connection is an error event and a reconnection', async () => {
  const es = new EventSource('http://127.0.0.1:1/never');
  await new Promise((resolve) => { es.onerror = resolve; });
  assertEqual(es.readyState, EventSource.CONNECTING);
  es.close();
});
