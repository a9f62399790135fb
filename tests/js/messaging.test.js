// MessageChannel, MessagePort and BroadcastChannel (HTML channel messaging and broadcasting).
'use strict';

function assertDOMException(fn, name, msg) {
  const e = assertThrows(fn, DOMException, msg);
  assertEqual(e.name, name, msg);
  return e;
}

// The next event of `type` on target, or a rejection after ms.
function nextEvent(target, type = 'message', ms = 2000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} event within ${ms} ms`)), ms);
    target.addEventListener(type, (e) => {
      clearTimeout(timer);
      resolve(e);
    }, { once: true });
  });
}

// Resolves after a few loop turns (several 0 ms timers), long enough for any queued message.
function turns(n = 5) {
  return new Promise((resolve) => {
    const step = () => (n-- > 0 ? setTimeout(step, 0) : resolve());
    step();
  });
}

// Runs first, before anything in this file touched WebSocket or URL.
test('channel messaging installs MessageEvent without WebSocket, URL or Blob', () => {
  const kind = (name) => ('get' in Object.getOwnPropertyDescriptor(globalThis, name) ? 'accessor' : 'data');
  assertEqual(kind('MessageChannel'), 'accessor');
  new MessageChannel().port1.close();
  assertEqual(kind('MessageChannel'), 'data');
  assertEqual(kind('BroadcastChannel'), 'data');
  assertEqual(kind('MessageEvent'), 'data');
  for (const name of ['WebSocket', 'URL', 'Blob']) assertEqual(kind(name), 'accessor', name);
});

test('the interfaces and their shapes', () => {
  assertEqual(typeof MessageChannel, 'function');
  assertEqual(typeof MessagePort, 'function');
  assertEqual(typeof BroadcastChannel, 'function');
  assertThrows(() => new MessagePort(), TypeError);
  assertThrows(() => MessageChannel(), TypeError);
  const { port1, port2 } = new MessageChannel();
  assert(port1 instanceof MessagePort && port1 instanceof EventTarget);
  assert(port1 !== port2);
  assertEqual(Object.prototype.toString.call(port1), '[object MessagePort]');
  assertEqual(Object.prototype.toString.call(new MessageChannel()), '[object MessageChannel]');
  for (const k of ['postMessage', 'start', 'close', 'onmessage', 'onmessageerror', 'onclose']) {
    assert(k in MessagePort.prototype, k);
  }
  assertEqual(port1.onmessage, null);
  assertThrows(() => port1.postMessage(), TypeError);
  port1.close();
  port2.close();
});

test('a message arrives as a MessageEvent with data, empty origin and no ports', async () => {
  const { port1, port2 } = new MessageChannel();
  port2.start();
  const got = nextEvent(port2);
  port1.postMessage({ a: [1, 2], d: new Date(5), m: new Map([[1, 'x']]) });
  const e = await got;
  assert(e instanceof MessageEvent);
  assertEqual(e.type, 'message');
  assertEqual(e.isTrusted, true);
  assertEqual(e.target, port2);
  assertEqual(e.origin, '');
  assertEqual(e.lastEventId, '');
  assertEqual(e.source, null);
  assert(Array.isArray(e.ports) && e.ports.length === 0 && Object.isFrozen(e.ports));
  assertEqual(e.data.a[1], 2);
  assertEqual(e.data.d.getTime(), 5);
  assertEqual(e.data.m.get(1), 'x');
  port1.close();
});

test('the data is a clone, serialized at post time', async () => {
  const { port1, port2 } = new MessageChannel();
  port2.start();
  const obj = { n: 1 };
  const got = nextEvent(port2);
  port1.postMessage(obj);
  obj.n = 2;
  const e = await got;
  assertEqual(e.data.n, 1);
  assert(e.data !== obj);
  port1.close();
});

test('the port message queue is disabled until start(): messages wait, in order', async () => {
  const { port1, port2 } = new MessageChannel();
  const seen = [];
  port2.addEventListener('message', (e) => seen.push(e.data));
  port1.postMessage(1);
  port1.postMessage(2);
  await turns();
  assertEqual(seen.length, 0, 'addEventListener does not start the port');
  port2.start();
  port2.start();
  await turns();
  assertEqual(seen.join(), '1,2');
  port1.close();
});

test('setting onmessage starts the port', async () => {
  const { port1, port2 } = new MessageChannel();
  port1.postMessage('early');
  const data = await new Promise((resolve) => { port2.onmessage = (e) => resolve(e.data); });
  assertEqual(data, 'early');
  port2.onmessage = null;
  port1.close();
});

test('each message is its own task: microtasks run between two messages', async () => {
  const { port1, port2 } = new MessageChannel();
  const log = [];
  let done;
  const finished = new Promise((resolve) => { done = resolve; });
  port2.onmessage = (e) => {
    log.push(`m${e.data}`);
    queueMicrotask(() => log.push(`u${e.data}`));
    if (e.data === 3) setTimeout(done, 0);
  };
  port1.postMessage(1);
  port1.postMessage(2);
  port1.postMessage(3);
  Promise.resolve().then(() => log.push('sync-microtask'));
  log.push('posted');
  await finished;
  assertEqual(log.join(), 'posted,sync-microtask,m1,u1,m2,u2,m3,u3');
  port1.close();
});

test('messages and 0 ms timers run in the order they were queued', async () => {
  const { port1, port2 } = new MessageChannel();
  const log = [];
  port2.onmessage = (e) => log.push(e.data);
  port1.postMessage('a');
  setTimeout(() => log.push('timer'), 0);
  port1.postMessage('b');
  await turns();
  assertEqual(log.join(), 'a,timer,b');
  port1.close();
});

test('postMessage(message, transfer) detaches an ArrayBuffer and moves it', async () => {
  const { port1, port2 } = new MessageChannel();
  port2.start();
  const buf = new Uint8Array([1, 2, 3]).buffer;
  const got = nextEvent(port2);
  port1.postMessage({ buf }, [buf]);
  assertEqual(buf.byteLength, 0);
  const e = await got;
  assertEqual(new Uint8Array(e.data.buf).join(), '1,2,3');
  assertEqual(e.ports.length, 0, 'an ArrayBuffer is not a port');
  port1.close();
});

test('postMessage(message, {transfer}) is the same', async () => {
  const { port1, port2 } = new MessageChannel();
  port2.start();
  const buf = new ArrayBuffer(8);
  const got = nextEvent(port2);
  port1.postMessage(buf, { transfer: [buf] });
  assertEqual(buf.byteLength, 0);
  assertEqual((await got).data.byteLength, 8);
  port1.postMessage(1, {});
  port1.postMessage(1, undefined);
  assertThrows(() => port1.postMessage(1, 5), TypeError);
  assertThrows(() => port1.postMessage(1, { transfer: 5 }), TypeError);
  assertThrows(() => port1.postMessage(1, [5]), TypeError);
  port1.close();
});

test('DataCloneError: uncloneable data, the port itself, duplicates, detached buffers, a closed port', () => {
  const { port1, port2 } = new MessageChannel();
  assertDOMException(() => port1.postMessage(() => {}), 'DataCloneError', 'a function');
  assertDOMException(() => port1.postMessage(Symbol('s')), 'DataCloneError', 'a symbol');
  assertDOMException(() => port1.postMessage(port2), 'DataCloneError', 'a port not transferred');
  assertDOMException(() => port1.postMessage(1, [port1]), 'DataCloneError', 'the source port');
  const buf = new ArrayBuffer(4);
  assertDOMException(() => port1.postMessage(1, [buf, buf]), 'DataCloneError', 'a duplicate');
  assertEqual(buf.byteLength, 4, 'a failed post detaches nothing');
  structuredClone(buf, { transfer: [buf] });
  assertDOMException(() => port1.postMessage(1, [buf]), 'DataCloneError', 'a detached buffer');
  const c = new MessageChannel();
  c.port1.close();
  assertDOMException(() => port1.postMessage(1, [c.port1]), 'DataCloneError', 'a closed port');
  assertDOMException(() => port1.postMessage(1, [{}]), 'DataCloneError', 'a plain object');
  port1.close();
  c.port2.close();
});

test('a port transferred by a getter during serialization cannot be transferred after it', () => {
  const { port1 } = new MessageChannel();
  const c = new MessageChannel();
  let seen = false;
  const message = {
    get a() {
      structuredClone(null, { transfer: [port1] });
      seen = true;
      return 1;
    },
  };
  assertDOMException(() => c.port1.postMessage(message, [port1]), 'DataCloneError');
  assert(seen);
  // An exception of the walk comes before the detached port is found.
  const custom = new Error('from a getter');
  const e = assertThrows(() => c.port1.postMessage({ get x() { throw custom; } }, [port1]), Error);
  assertEqual(e, custom);
  c.port1.close();
});

test('a transferred port arrives in ports, entangled with its old peer', async () => {
  const a = new MessageChannel();
  const b = new MessageChannel();
  b.port2.start();
  const got = nextEvent(b.port2);
  b.port1.postMessage({ p: a.port2 }, [a.port2]);
  // The old object is detached: it cannot be sent again, and posting from it goes nowhere.
  assertDOMException(() => b.port1.postMessage(1, [a.port2]), 'DataCloneError');
  const e = await got;
  assertEqual(e.ports.length, 1);
  const moved = e.ports[0];
  assert(moved instanceof MessagePort);
  assert(moved !== a.port2);
  assertEqual(e.data.p, moved, 'the data refers to the same new port');
  // It is entangled with a.port1, both ways.
  moved.start();
  const back = nextEvent(moved);
  a.port1.postMessage('to moved');
  assertEqual((await back).data, 'to moved');
  a.port1.start();
  const forth = nextEvent(a.port1);
  moved.postMessage('from moved');
  assertEqual((await forth).data, 'from moved');
  a.port1.close();
  b.port1.close();
});

test('messages posted to a port in transit wait for it', async () => {
  const a = new MessageChannel();
  const b = new MessageChannel();
  b.port2.start();
  a.port1.postMessage('before');
  const got = nextEvent(b.port2);
  b.port1.postMessage(null, [a.port2]);
  a.port1.postMessage('during');
  const moved = (await got).ports[0];
  const seen = [];
  moved.onmessage = (e) => seen.push(e.data);
  await turns();
  assertEqual(seen.join(), 'before,during');
  a.port1.close();
  b.port1.close();
});

test('structuredClone transfers a port too', async () => {
  const { port1, port2 } = new MessageChannel();
  const clone = structuredClone(port2, { transfer: [port2] });
  assert(clone instanceof MessagePort && clone !== port2);
  clone.start();
  const got = nextEvent(clone);
  port1.postMessage(7);
  assertEqual((await got).data, 7);
  port1.close();
});

test('transferring the target port dooms the message without an error', async () => {
  const { port1, port2 } = new MessageChannel();
  const seen = [];
  port2.onmessage = (e) => seen.push(e);
  port1.postMessage('doomed', [port2]);
  await turns();
  assertEqual(seen.length, 0);
  assertDOMException(() => port1.postMessage(1, [port2]), 'DataCloneError', 'port2 was shipped');
  port1.close();
});

test('close(): messages to or from a closed port are dropped; in-flight ones arrive', async () => {
  const c = new MessageChannel();
  c.port1.onmessage = () => { throw new Error('delivered to a closed port'); };
  c.port1.close();
  c.port2.postMessage('x');
  const d = new MessageChannel();
  d.port1.onmessage = () => { throw new Error('delivered from a closed port'); };
  d.port2.close();
  d.port2.postMessage('x');
  const f = new MessageChannel();
  const inflight = nextEvent(f.port1);
  f.port1.start();
  f.port2.postMessage('in flight');
  f.port2.close();
  assertEqual((await inflight).data, 'in flight');
  await turns();
  c.port1.close();
  f.port1.close();
});

test('closing one side fires close at the other, within close() (the disentangle steps)', async () => {
  const { port1, port2 } = new MessageChannel();
  const fired = [];
  port1.onclose = () => fired.push('port1');
  port2.onclose = (e) => {
    fired.push('port2');
    assertEqual(e.type, 'close');
    assertEqual(e.target, port2);
  };
  port1.close();
  assertEqual(fired.join(), 'port2', 'only the other port, at once');
  port1.close();
  port2.close();
  await turns();
  assertEqual(fired.join(), 'port2', 'once: both are disentangled now');
});

test('a listener that throws is reported and later messages still arrive', async () => {
  const { port1, port2 } = new MessageChannel();
  const errors = [];
  const onError = (e) => {
    errors.push(e.error);
    e.preventDefault();
  };
  addEventListener('error', onError);
  const seen = [];
  port2.onmessage = (e) => {
    seen.push(e.data);
    if (e.data === 1) throw new Error('boom');
  };
  port1.postMessage(1);
  port1.postMessage(2);
  await turns();
  removeEventListener('error', onError);
  assertEqual(seen.join(), '1,2');
  assertEqual(errors.length, 1);
  assertEqual(errors[0].message, 'boom');
  port1.close();
});

test('MessageEvent accepts MessagePorts in ports and as source', () => {
  const { port1, port2 } = new MessageChannel();
  const e = new MessageEvent('message', { ports: [port1], source: port2 });
  assertEqual(e.ports[0], port1);
  assertEqual(e.source, port2);
  assertThrows(() => new MessageEvent('message', { ports: [{}] }), TypeError);
  assertThrows(() => new MessageEvent('message', { source: {} }), TypeError);
  port1.close();
});

test('BroadcastChannel: other channels of the name get a clone, the sender does not', async () => {
  const a = new BroadcastChannel('news');
  const b = new BroadcastChannel('news');
  const c = new BroadcastChannel('news');
  const other = new BroadcastChannel('other');
  assertEqual(a.name, 'news');
  assertEqual(new BroadcastChannel(5).name, '5');
  const seen = [];
  a.onmessage = () => seen.push('a');
  other.onmessage = () => seen.push('other');
  const got = Promise.all([nextEvent(b), nextEvent(c)]);
  const payload = { list: [1, 2], buf: new Uint8Array([9]).buffer };
  a.postMessage(payload);
  const [eb, ec] = await got;
  assert(eb instanceof MessageEvent);
  assertEqual(eb.data.list.join(), '1,2');
  assertEqual(new Uint8Array(ec.data.buf)[0], 9);
  assert(eb.data !== ec.data && eb.data.buf !== ec.data.buf, 'each gets its own clone');
  assertEqual(typeof eb.origin, 'string');
  assertEqual(eb.ports.length, 0);
  await turns();
  assertEqual(seen.length, 0);
  for (const ch of [a, b, c, other]) ch.close();
});

test('BroadcastChannel: closed channels neither send nor receive', async () => {
  const a = new BroadcastChannel('c');
  const b = new BroadcastChannel('c');
  let got = 0;
  b.onmessage = () => got++;
  a.postMessage(1);
  b.close();
  b.close();
  await turns();
  assertEqual(got, 0, 'closed before the task ran');
  assertDOMException(() => b.postMessage(1), 'InvalidStateError');
  a.close();
  assertDOMException(() => a.postMessage(() => {}), 'InvalidStateError', 'closed comes first');
  const d = new BroadcastChannel('c');
  assertDOMException(() => d.postMessage(() => {}), 'DataCloneError');
  assertThrows(() => new BroadcastChannel(), TypeError);
  d.close();
});

test('BroadcastChannel: messages are tasks in posting order', async () => {
  const a = new BroadcastChannel('order');
  const b = new BroadcastChannel('order');
  const log = [];
  b.onmessage = (e) => {
    log.push(e.data);
    queueMicrotask(() => log.push(`u${e.data}`));
  };
  a.postMessage(1);
  a.postMessage(2);
  await turns();
  assertEqual(log.join(), '1,u1,2,u2');
  a.close();
  b.close();
});

test('a posted object is copied at once: later changes and getters do not reach the message', async () => {
  const { port1, port2 } = new MessageChannel();
  port2.start();
  const reads = [];
  const inner = { n: 1 };
  const obj = { inner, get g() { reads.push('g'); return inner; }, map: new Map([[1, inner]]) };
  const got = nextEvent(port2);
  port1.postMessage(obj);
  assertEqual(reads, ['g'], 'the getter ran during postMessage');
  inner.n = 2;
  obj.map.set(2, 'late');
  const e = await got;
  assertEqual(e.data.inner.n, 1);
  assert(e.data.g === e.data.inner && e.data.map.get(1) === e.data.inner, 'sharing kept');
  assertEqual(e.data.map.size, 1);
  assertEqual(reads, ['g']);
  port1.close();
});
