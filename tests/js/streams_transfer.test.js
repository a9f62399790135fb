// Transferable streams (Streams standard, "Transferable streams"; HTML's transfer steps):
// ReadableStream, WritableStream and TransformStream through structuredClone's transfer list
// and MessagePort.postMessage.
'use strict';

function assertDOMException(fn, name, msg) {
  const e = assertThrows(fn, DOMException, msg);
  assertEqual(e.name, name, msg);
  return e;
}

const transfer = (v) => structuredClone(v, { transfer: [v] });

async function readAll(rs) {
  const out = [];
  for await (const c of rs) out.push(c);
  return out;
}

// Resolves once cond() holds, polled once a loop turn; rejects after ms.
function until(cond, ms = 2000) {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const check = () => {
      if (cond()) resolve();
      else if (Date.now() > deadline) reject(new Error('condition not met in time'));
      else setTimeout(check, 0);
    };
    check();
  });
}

const kind = (name) => ('value' in Object.getOwnPropertyDescriptor(globalThis, name) ? 'data' : 'accessor');

// First: no test before it may make a byte stream or transfer one.
test('default streams install neither the byte streams nor the transfer machinery', async () => {
  const rs = new ReadableStream({ start(c) { c.enqueue(1); c.close(); } });
  new WritableStream();
  new TransformStream();
  await rs.pipeTo(new WritableStream());
  assertEqual(kind('ReadableStream'), 'data');
  assertEqual(kind('ReadableByteStreamController'), 'accessor', 'streams_bytes.js not installed');
  assertEqual(kind('MessageChannel'), 'accessor', 'messaging.js not installed');
  const bytes = new ReadableStream({ type: 'bytes' });
  assertEqual(kind('ReadableByteStreamController'), 'data', 'the first byte stream installs them');
  assertEqual(kind('ReadableStreamBYOBReader'), 'data');
  assert(bytes.getReader({ mode: 'byob' }) instanceof ReadableStreamBYOBReader);
  const t = new ReadableStream();
  structuredClone(t, { transfer: [t] });
  assertEqual(kind('MessageChannel'), 'data', 'the first transfer installs messaging.js');
});

test('a transferred byte stream arrives as a default stream of its chunks', async () => {
  const rs = new ReadableStream({ type: 'bytes', start(c) { c.enqueue(new Uint8Array([5, 6])); c.close(); } });
  const rs2 = transfer(rs);
  assertThrows(() => rs2.getReader({ mode: 'byob' }), TypeError);
  const out = await readAll(rs2);
  assertEqual(out.length, 1);
  assertEqual([...out[0]].join(), '5,6');
});

test('a transferred ReadableStream delivers its chunks, cloned, then closes', async () => {
  const obj = { a: [1, 2] };
  const bytes = new Uint8Array([1, 2, 3]);
  const rs = new ReadableStream({
    start(c) {
      c.enqueue('one');
      c.enqueue(obj);
      c.enqueue(bytes);
      c.close();
    },
  });
  const rs2 = transfer(rs);
  assert(rs2 instanceof ReadableStream, 'a ReadableStream arrives');
  assert(rs2 !== rs);
  assertEqual(rs.locked, true, 'the original is locked (piped into the transform)');
  assertEqual(rs2.locked, false);
  const out = await readAll(rs2);
  assertEqual(out.length, 3);
  assertEqual(out[0], 'one');
  assert(out[1] !== obj, 'an object chunk is cloned');
  assertEqual(JSON.stringify(out[1]), '{"a":[1,2]}');
  assert(out[2] instanceof Uint8Array && out[2] !== bytes, 'a view is cloned');
  assertEqual([...out[2]].join(), '1,2,3');
  assertEqual(bytes.byteLength, 3, 'the chunk\'s buffer is copied, not transferred');
});

test('a transferred stream is detached: a second transfer is a DataCloneError', () => {
  const rs = new ReadableStream();
  transfer(rs);
  assertDOMException(() => transfer(rs), 'DataCloneError');
  const ws = new WritableStream();
  transfer(ws);
  assertDOMException(() => transfer(ws), 'DataCloneError');
  assertThrows(() => ws.getWriter(), TypeError, 'the original writable is locked');
  const ts = new TransformStream();
  transfer(ts);
  assertDOMException(() => transfer(ts), 'DataCloneError');
  assertEqual(ts.readable.locked, true);
  assertEqual(ts.writable.locked, true);
});

test('locked streams cannot be transferred', () => {
  const rs = new ReadableStream();
  rs.getReader();
  assertDOMException(() => transfer(rs), 'DataCloneError');
  const ws = new WritableStream();
  ws.getWriter();
  assertDOMException(() => transfer(ws), 'DataCloneError');
  const ts1 = new TransformStream();
  ts1.readable.getReader();
  assertDOMException(() => transfer(ts1), 'DataCloneError');
  const ts2 = new TransformStream();
  ts2.writable.getWriter();
  assertDOMException(() => transfer(ts2), 'DataCloneError');
});

test('a stream outside the transfer list is not serializable', () => {
  assertDOMException(() => structuredClone(new ReadableStream()), 'DataCloneError');
  assertDOMException(() => structuredClone({ s: new WritableStream() }), 'DataCloneError');
  const rs = new ReadableStream();
  assertDOMException(() => structuredClone(rs, { transfer: [rs, rs] }), 'DataCloneError');
  assertEqual(rs.locked, false, 'a failed serialization leaves the stream alone');
});

test('a stream inside the value is the transferred one', async () => {
  const rs = new ReadableStream({ start(c) { c.enqueue(7); c.close(); } });
  const copy = structuredClone({ rs, again: rs }, { transfer: [rs] });
  assert(copy.rs instanceof ReadableStream);
  assertEqual(copy.again, copy.rs, 'one stream, referred to twice');
  assertEqual((await readAll(copy.rs)).join(), '7');
});

test('a transferred WritableStream passes writes and close to the original sink', async () => {
  const got = [];
  let closed = false;
  const ws = new WritableStream({
    write(c) { got.push(c); },
    close() { closed = true; },
  });
  const ws2 = transfer(ws);
  assert(ws2 instanceof WritableStream);
  const w = ws2.getWriter();
  const obj = { k: 'v' };
  await w.write('a');
  await w.write(obj);
  await w.close();
  await until(() => closed);
  assertEqual(got.length, 2);
  assertEqual(got[0], 'a');
  assert(got[1] !== obj);
  assertEqual(got[1].k, 'v');
});

test('a transferred TransformStream transforms on the original side', async () => {
  const ts = new TransformStream({ transform(c, ctl) { ctl.enqueue(c * 2); } });
  const ts2 = transfer(ts);
  assert(ts2 instanceof TransformStream);
  assert(ts2.readable instanceof ReadableStream && ts2.writable instanceof WritableStream);
  const w = ts2.writable.getWriter();
  w.write(1);
  w.write(2);
  w.close();
  assertEqual((await readAll(ts2.readable)).join(), '2,4');
});

test('cancelling the transferred readable cancels the original with the reason, cloned', async () => {
  let reason;
  const rs = new ReadableStream({ cancel(r) { reason = r; } });
  const rs2 = transfer(rs);
  await rs2.cancel(new RangeError('stop'));
  await until(() => reason !== undefined);
  assert(reason instanceof RangeError, 'the reason arrives as the error it was');
  assertEqual(reason.message, 'stop');
});

test('an error of the original readable errors the transferred one', async () => {
  let ctl;
  const rs = new ReadableStream({ start(c) { ctl = c; } });
  const rs2 = transfer(rs);
  const reader = rs2.getReader();
  ctl.enqueue(1);
  assertEqual((await reader.read()).value, 1);
  ctl.error(new TypeError('boom'));
  const e = await assertRejects(reader.read(), TypeError);
  assertEqual(e.message, 'boom');
  await assertRejects(reader.closed, TypeError);
});

test('aborting the transferred writable aborts the original sink; a sink error reaches the writer', async () => {
  let reason;
  const ws = new WritableStream({ abort(r) { reason = r; } });
  const ws2 = transfer(ws);
  await ws2.abort('why');
  await until(() => reason !== undefined);
  assertEqual(reason, 'why');

  const failing = new WritableStream({ write() { throw new SyntaxError('sink failed'); } });
  const w = transfer(failing).getWriter();
  await w.write('first'); // resolves once handed over: the sink's answer comes later
  const e = await assertRejects(w.closed, SyntaxError);
  assertEqual(e.message, 'sink failed');
});

test('a chunk that cannot be cloned errors both sides with a DataCloneError', async () => {
  let cancelReason;
  const rs = new ReadableStream({
    start(c) { c.enqueue(() => {}); },
    cancel(r) { cancelReason = r; },
  });
  const reader = transfer(rs).getReader();
  const e = await assertRejects(reader.read(), DOMException);
  assertEqual(e.name, 'DataCloneError');
  await until(() => cancelReason !== undefined);
  assertEqual(cancelReason.name, 'DataCloneError');

  const w = transfer(new WritableStream()).getWriter();
  const e2 = await assertRejects(w.write(Symbol('no')), DOMException);
  assertEqual(e2.name, 'DataCloneError');
});

test('backpressure: the original is pulled only as the transferred readable is read', async () => {
  let pulls = 0;
  const rs = new ReadableStream({ pull(c) { c.enqueue(pulls++); } }, { highWaterMark: 0 });
  const reader = transfer(rs).getReader();
  for (let i = 0; i < 5; i++) assertEqual((await reader.read()).value, i);
  // Let every message in flight arrive: each hop is one loop task.
  for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0));
  // Read 5; ahead of them at most the pipe's pending read and the one chunk each queue holds.
  assert(pulls <= 5 + 3, `pulled ${pulls} times for 5 reads`);
  await reader.cancel();
});

test('a stream transferred twice still carries its data', async () => {
  const rs = new ReadableStream({ start(c) { c.enqueue('x'); c.enqueue('y'); c.close(); } });
  const twice = transfer(transfer(rs));
  assertEqual((await readAll(twice)).join(), 'x,y');
  const got = [];
  const ws = new WritableStream({ write(c) { got.push(c); } });
  const w = transfer(transfer(ws)).getWriter();
  await w.write(1);
  await w.close();
  await until(() => got.length === 1);
  assertEqual(got[0], 1);
});

test('postMessage transfers a stream to the other port', async () => {
  const { port1, port2 } = new MessageChannel();
  const rs = new ReadableStream({ start(c) { c.enqueue('hi'); c.close(); } });
  const event = await new Promise((resolve) => {
    port2.onmessage = resolve;
    port1.postMessage({ rs }, [rs]);
    assertEqual(rs.locked, true, 'transferred at postMessage');
  });
  assert(event.data.rs instanceof ReadableStream);
  assertEqual(event.ports.length, 0, 'a stream is not one of the event\'s ports');
  assertEqual((await readAll(event.data.rs)).join(), 'hi');
  port1.close();
});
