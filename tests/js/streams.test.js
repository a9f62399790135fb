// WHATWG Streams: ReadableStream, WritableStream, TransformStream, piping, queuing strategies.
// Expected values follow the standard's algorithms; the traces marked "Node 20" were checked
// against Node 20's implementation.

// Resolves after every queued microtask and promise job has run (a macrotask boundary).
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function collect(stream) {
  return (async () => {
    const out = [];
    for await (const chunk of stream) out.push(chunk);
    return out;
  })();
}

function recordingSink(log, extra = {}) {
  return {
    write(chunk) { log.push(['write', chunk]); },
    close() { log.push(['close']); },
    abort(reason) { log.push(['abort', reason]); },
    ...extra,
  };
}

// --- globals and interfaces ---------------------------------------------------------------

test('the stream interfaces are Web IDL globals', () => {
  for (const name of ['ReadableStream', 'ReadableStreamDefaultReader', 'ReadableStreamDefaultController',
    'WritableStream', 'WritableStreamDefaultWriter', 'WritableStreamDefaultController', 'TransformStream',
    'TransformStreamDefaultController', 'ByteLengthQueuingStrategy', 'CountQueuingStrategy',
    'ReadableByteStreamController', 'ReadableStreamBYOBReader', 'ReadableStreamBYOBRequest']) {
    assertEqual(typeof globalThis[name], 'function', name);
    const d = Object.getOwnPropertyDescriptor(globalThis, name);
    assertEqual(typeof d.value, 'function', name);
    assertEqual([d.writable, d.enumerable, d.configurable], [true, false, true], name);
    assertEqual(Object.prototype.toString.call(d.value.prototype), `[object ${name}]`, name);
  }
  assert(Object.getOwnPropertyDescriptor(ReadableStream.prototype, 'getReader').enumerable);
  assertEqual(ReadableStream.prototype[Symbol.asyncIterator], ReadableStream.prototype.values);
});

test('controllers cannot be constructed by scripts', () => {
  assertThrows(() => new ReadableStreamDefaultController(), TypeError);
  assertThrows(() => new WritableStreamDefaultController(), TypeError);
  assertThrows(() => new TransformStreamDefaultController(), TypeError);
  assertThrows(() => new ReadableByteStreamController(), TypeError);
  assertThrows(() => new ReadableStreamBYOBRequest(), TypeError);
});

test('a null underlying source, sink or transformer is no object: TypeError before the strategy is read', () => {
  let strategyRead = false;
  const strategy = { get highWaterMark() { strategyRead = true; return 1; } };
  assertThrows(() => new ReadableStream(null, strategy), TypeError);
  assertThrows(() => new WritableStream(null, strategy), TypeError);
  assertThrows(() => new TransformStream(null, strategy, strategy), TypeError);
  assertThrows(() => new ReadableStream(5), TypeError);
  assert(!strategyRead, 'the strategy is converted after the source');
  new ReadableStream(undefined);
  new WritableStream(undefined);
  new TransformStream(undefined);
});

test('the async iterator\'s return() takes one argument', () => {
  const it = new ReadableStream().values();
  assertEqual(Object.getPrototypeOf(it).next.length, 0);
  assertEqual(Object.getPrototypeOf(it).return.length, 1);
});

test('methods check their receiver', async () => {
  assertThrows(() => ReadableStream.prototype.getReader.call({}), TypeError);
  await assertRejects(ReadableStream.prototype.cancel.call({}), TypeError);
  await assertRejects(WritableStream.prototype.abort.call({}), TypeError);
  assertThrows(() => Object.getOwnPropertyDescriptor(ReadableStream.prototype, 'locked').get.call({}), TypeError);
});

// --- ReadableStream --------------------------------------------------------------------------

test('reads return enqueued chunks in order, then done', async () => {
  const rs = new ReadableStream({
    start(c) {
      c.enqueue('a');
      c.enqueue('b');
      c.close();
    },
  });
  const reader = rs.getReader();
  assertEqual(await reader.read(), { value: 'a', done: false });
  assertEqual(await reader.read(), { value: 'b', done: false });
  const end = await reader.read();
  assertEqual(end.done, true);
  assertEqual(end.value, undefined);
  assertEqual(await reader.closed, undefined);
});

test('a long queue is read back in order', async () => {
  const n = 5000;
  const rs = new ReadableStream({
    start(c) {
      for (let i = 0; i < n; i++) c.enqueue(i);
      c.close();
    },
  });
  const reader = rs.getReader();
  for (let i = 0; i < n; i++) {
    if (i === 3000) {
      for (let j = 0; j < 10; j++) reader.read();
      i += 10;
    }
    const { value } = await reader.read();
    if (value !== i) throw new Error(`expected ${i}, got ${value}`);
  }
  assertEqual((await reader.read()).done, true);
});

test('a read waiting on an empty queue is fulfilled by the next enqueue', async () => {
  let controller;
  const rs = new ReadableStream({ start(c) { controller = c; } });
  const reader = rs.getReader();
  const p = reader.read();
  controller.enqueue(42);
  assertEqual(await p, { value: 42, done: false });
});

test('start, pull and cancel are called with the source as this', async () => {
  const calls = [];
  const source = {
    start(c) { calls.push(['start', this === source, c instanceof ReadableStreamDefaultController]); },
    pull(c) { calls.push(['pull', this === source]); c.enqueue(1); },
    cancel(reason) { calls.push(['cancel', this === source, reason]); },
  };
  const rs = new ReadableStream(source);
  const reader = rs.getReader();
  await reader.read();
  await reader.cancel('why');
  assertEqual(calls.slice(0, 2), [['start', true, true], ['pull', true]]);
  assertEqual(calls[calls.length - 1], ['cancel', true, 'why']);
});

test('pull is not called before start settles, and then fills to the high-water mark', async () => {
  let resolveStart;
  let pulls = 0;
  const rs = new ReadableStream({
    start() { return new Promise((r) => { resolveStart = r; }); },
    pull(c) {
      pulls++;
      c.enqueue(pulls);
    },
  }, { highWaterMark: 3 });
  await settle();
  assertEqual(pulls, 0, 'before start settles');
  resolveStart();
  await settle();
  assertEqual(pulls, 3, 'pulled until desiredSize is 0');
  const reader = rs.getReader();
  assertEqual((await reader.read()).value, 1);
  await settle();
  assertEqual(pulls, 4, 'one read makes room for one pull');
});

test('pull is not called again while its promise is pending', async () => {
  let pulls = 0;
  let resolvePull;
  const rs = new ReadableStream({
    pull() {
      pulls++;
      return new Promise((r) => { resolvePull = r; });
    },
  }, { highWaterMark: 0 });
  await settle();
  assertEqual(pulls, 0, 'high-water mark 0: no pull without a read');
  const reader = rs.getReader();
  reader.read();
  reader.read();
  await settle();
  assertEqual(pulls, 1);
  resolvePull();
  await settle();
  assertEqual(pulls, 2, 'pullAgain: called once more after the first settles');
});

test('desiredSize follows the high-water mark, the size function, close and error', () => {
  let c;
  const rs = new ReadableStream({ start(controller) { c = controller; } },
    { highWaterMark: 10, size: (chunk) => chunk.length });
  assertEqual(c.desiredSize, 10);
  c.enqueue('abcd');
  assertEqual(c.desiredSize, 6);
  c.enqueue('abcdefghijkl');
  assertEqual(c.desiredSize, -6);
  c.close();
  assertEqual(c.desiredSize, -6, 'close requested with chunks queued: still readable');
  const rs2 = new ReadableStream({ start(controller) { controller.close(); c = controller; } });
  assertEqual(c.desiredSize, 0);
  const rs3 = new ReadableStream({ start(controller) { controller.error(new Error('x')); c = controller; } });
  assertEqual(c.desiredSize, null);
  void rs; void rs2; void rs3;
});

test('a size function that throws or returns a bad size errors the stream', async () => {
  const boom = new Error('size');
  let c;
  const rs = new ReadableStream({ start(controller) { c = controller; } }, { size() { throw boom; } });
  assertEqual(assertThrows(() => c.enqueue('x')), boom);
  assertEqual(await assertRejects(rs.getReader().closed), boom);
  const rs2 = new ReadableStream({ start(controller) { c = controller; } }, { size: () => -1 });
  assertThrows(() => c.enqueue('x'), RangeError);
  await assertRejects(rs2.getReader().read(), RangeError);
  new ReadableStream({ start(controller) { c = controller; } }, { size: () => Infinity });
  assertThrows(() => c.enqueue('x'), RangeError);
});

test('invalid constructor arguments throw', () => {
  assertThrows(() => new ReadableStream({ pull: 1 }), TypeError);
  assertThrows(() => new ReadableStream({ type: 'nope' }), TypeError);
  assertThrows(() => new ReadableStream({}, { highWaterMark: -1 }), RangeError);
  assertThrows(() => new ReadableStream({}, { highWaterMark: NaN }), RangeError);
  assertThrows(() => new ReadableStream({}, { size: 'no' }), TypeError);
  assertThrows(() => new ReadableStream(5), TypeError);
  assertThrows(() => new ReadableStream({ start() { throw new SyntaxError('s'); } }), SyntaxError);
});

test('BYOB readers need a byte stream; a byte stream\'s strategy has no size', () => {
  assertThrows(() => new ReadableStream().getReader({ mode: 'byob' }), TypeError);
  assertThrows(() => new ReadableStream({ type: 'bytes' }, { size: () => 1 }), RangeError);
  assertThrows(() => new ReadableStream({ type: 'bytes', autoAllocateChunkSize: 0 }), TypeError);
  assertThrows(() => new ReadableStream().getReader({ mode: 'nope' }), TypeError);
});

test('the strategy is read before the underlying source', () => {
  const order = [];
  new ReadableStream({
    get start() { order.push('start'); return undefined; },
  }, {
    get highWaterMark() { order.push('highWaterMark'); return 1; },
    get size() { order.push('size'); return undefined; },
  });
  assertEqual(order, ['highWaterMark', 'size', 'start']);
});

test('enqueue and close throw once the stream is closing or closed', () => {
  let c;
  new ReadableStream({ start(controller) { c = controller; } });
  c.enqueue(1);
  c.close();
  assertThrows(() => c.enqueue(2), TypeError);
  assertThrows(() => c.close(), TypeError);
});

test('an error rejects pending reads and closed, and drops the queue', async () => {
  let c;
  const rs = new ReadableStream({ start(controller) { c = controller; } });
  const reader = rs.getReader();
  const pending = reader.read();
  const e = new Error('broken');
  c.error(e);
  assertEqual(await assertRejects(pending), e);
  assertEqual(await assertRejects(reader.closed), e);
  assertEqual(await assertRejects(reader.read()), e);
  const rs2 = new ReadableStream({ start(controller) { controller.enqueue(1); controller.error(e); } });
  assertEqual(await assertRejects(rs2.getReader().read()), e, 'queued chunks are discarded');
});

test('a rejected pull or start errors the stream', async () => {
  const e = new Error('pull');
  const rs = new ReadableStream({ pull() { return Promise.reject(e); } });
  assertEqual(await assertRejects(rs.getReader().read()), e);
  const rs2 = new ReadableStream({ start() { return Promise.reject(e); } });
  assertEqual(await assertRejects(rs2.getReader().closed), e);
});

test('cancel closes the stream, empties the queue and resolves with undefined', async () => {
  const log = [];
  const rs = new ReadableStream({
    start(c) { c.enqueue(1); },
    cancel(reason) { log.push(reason); return 'ignored'; },
  });
  const reader = rs.getReader();
  assertEqual(await reader.cancel('stop'), undefined);
  assertEqual(log, ['stop']);
  assertEqual((await reader.read()).done, true);
  assertEqual(await reader.closed, undefined);
});

test('a rejecting cancel callback rejects cancel()', async () => {
  const e = new Error('c');
  const rs = new ReadableStream({ cancel() { throw e; } });
  assertEqual(await assertRejects(rs.cancel()), e);
});

test('cancel of an errored stream rejects with its error; of a closed one resolves', async () => {
  const e = new Error('e');
  await assertRejects(new ReadableStream({ start(c) { c.error(e); } }).cancel(), Error);
  assertEqual(await new ReadableStream({ start(c) { c.close(); } }).cancel(), undefined);
});

test('locking: one reader at a time; a locked stream cannot be cancelled or read again', async () => {
  const rs = new ReadableStream();
  const reader = rs.getReader();
  assert(rs.locked);
  assertThrows(() => rs.getReader(), TypeError);
  assertThrows(() => new ReadableStreamDefaultReader(rs), TypeError);
  await assertRejects(rs.cancel(), TypeError);
  reader.releaseLock();
  assert(!rs.locked);
  const reader2 = new ReadableStreamDefaultReader(rs);
  assert(rs.locked);
  reader2.releaseLock();
  reader2.releaseLock();
});

test('releaseLock rejects pending reads and closed with a TypeError', async () => {
  const rs = new ReadableStream();
  const reader = rs.getReader();
  const pending = reader.read();
  const closed = reader.closed;
  reader.releaseLock();
  await assertRejects(pending, TypeError);
  await assertRejects(closed, TypeError);
  assert(reader.closed !== closed || true);
  await assertRejects(reader.read(), TypeError);
  await assertRejects(reader.cancel(), TypeError);
});

test('a reader of a closed stream has closed resolved; the lock can still be taken', async () => {
  const rs = new ReadableStream({ start(c) { c.close(); } });
  const reader = rs.getReader();
  assertEqual(await reader.closed, undefined);
  assertEqual((await reader.read()).done, true);
});

// --- tee ------------------------------------------------------------------------------------

test('tee gives both branches every chunk, then close', async () => {
  const rs = ReadableStream.from(['a', 'b', 'c']);
  const [b1, b2] = rs.tee();
  assert(rs.locked);
  const [o1, o2] = await Promise.all([collect(b1), collect(b2)]);
  assertEqual(o1, ['a', 'b', 'c']);
  assertEqual(o2, ['a', 'b', 'c']);
});

test('tee: chunks are the same objects in both branches', async () => {
  const obj = {};
  const [b1, b2] = new ReadableStream({ start(c) { c.enqueue(obj); c.close(); } }).tee();
  assertEqual((await b1.getReader().read()).value === obj, true);
  assertEqual((await b2.getReader().read()).value === obj, true);
});

test('tee: an error reaches both branches', async () => {
  let c;
  const [b1, b2] = new ReadableStream({ start(controller) { c = controller; } }).tee();
  const e = new Error('tee');
  c.error(e);
  assertEqual(await assertRejects(b1.getReader().closed), e);
  assertEqual(await assertRejects(b2.getReader().closed), e);
});

test('tee: the source is cancelled only when both branches are, with both reasons', async () => {
  let reason;
  const rs = new ReadableStream({ cancel(r) { reason = r; } });
  const [b1, b2] = rs.tee();
  let firstDone = false;
  const p1 = b1.cancel('one').then(() => { firstDone = true; });
  await settle();
  assertEqual(firstDone, false, 'first cancel waits for the second');
  assertEqual(reason, undefined);
  await b2.cancel('two');
  await p1;
  assertEqual(reason, ['one', 'two']);
});

test('tee: a cancelled branch does not stop the other one', async () => {
  const [b1, b2] = ReadableStream.from([1, 2, 3]).tee();
  b1.cancel();
  assertEqual(await collect(b2), [1, 2, 3]);
});

// --- async iteration -----------------------------------------------------------------------

test('for await reads every chunk and releases the lock at the end', async () => {
  const rs = ReadableStream.from([1, 2, 3]);
  assertEqual(await collect(rs), [1, 2, 3]);
  assert(!rs.locked);
});

test('breaking out of for await cancels the stream', async () => {
  let cancelled;
  let n = 0;
  const rs = new ReadableStream({
    pull(c) { c.enqueue(n++); },
    cancel(reason) { cancelled = reason; },
  });
  for await (const chunk of rs) {
    if (chunk === 2) break;
  }
  assert(!rs.locked);
  assertEqual(cancelled, undefined);
  assertEqual((await rs.getReader().read()).done, true, 'cancelled: closed');
});

test('values({ preventCancel: true }): return() releases without cancelling', async () => {
  let cancelled = false;
  const rs = new ReadableStream({
    start(c) { c.enqueue(1); c.enqueue(2); },
    cancel() { cancelled = true; },
  });
  const it = rs.values({ preventCancel: true });
  assertEqual(await it.next(), { value: 1, done: false });
  const r = await it.return('v');
  assertEqual([r.value, r.done], ['v', true]);
  assert(!cancelled);
  assert(!rs.locked);
  assertEqual((await rs.getReader().read()).value, 2);
});

test('return() cancels with its argument; next() after it is done', async () => {
  let reason;
  const rs = new ReadableStream({ cancel(r) { reason = r; } });
  const it = rs[Symbol.asyncIterator]();
  const r = await it.return('bye');
  assertEqual([r.value, r.done], ['bye', true]);
  assertEqual(reason, 'bye');
  assertEqual(await it.next(), { value: undefined, done: true });
});

test('the async iterator inherits from %AsyncIteratorPrototype% and locks the stream', () => {
  const rs = new ReadableStream();
  const it = rs.values();
  assert(rs.locked);
  const AsyncIteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}.prototype));
  assertEqual(Object.getPrototypeOf(Object.getPrototypeOf(it)), AsyncIteratorPrototype);
  assertEqual(it[Symbol.asyncIterator](), it);
  assertThrows(() => rs.values(), TypeError);
});

test('iteration of an errored stream rejects, then reports done', async () => {
  const e = new Error('it');
  const rs = new ReadableStream({ start(c) { c.enqueue(1); c.error(e); } });
  const it = rs.values();
  assertEqual(await assertRejects(it.next()), e);
  assertEqual(await it.next(), { value: undefined, done: true });
});

test('next() calls queue behind one another', async () => {
  let c;
  const rs = new ReadableStream({ start(controller) { c = controller; } });
  const it = rs.values();
  const p1 = it.next();
  const p2 = it.next();
  c.enqueue('x');
  c.enqueue('y');
  c.close();
  assertEqual(await p1, { value: 'x', done: false });
  assertEqual(await p2, { value: 'y', done: false });
  assertEqual((await it.next()).done, true);
});

// --- ReadableStream.from -----------------------------------------------------------------------

test('ReadableStream.from a sync iterable, awaiting promise values', async () => {
  assertEqual(await collect(ReadableStream.from(new Set([1, Promise.resolve(2), 3]))), [1, 2, 3]);
  assertEqual(await collect(ReadableStream.from(new String('hé'))), ['h', 'é']);
});

test('ReadableStream.from an async generator pulls lazily', async () => {
  const produced = [];
  async function* gen() {
    for (let i = 0; i < 5; i++) {
      produced.push(i);
      yield i;
    }
  }
  const rs = ReadableStream.from(gen());
  await settle();
  assertEqual(produced, [], 'high-water mark 0: nothing pulled before a read');
  const reader = rs.getReader();
  assertEqual((await reader.read()).value, 0);
  assertEqual(produced, [0]);
  reader.releaseLock();
  assertEqual(await collect(rs), [1, 2, 3, 4]);
});

test('ReadableStream.from: cancel calls the iterator\'s return', async () => {
  let returned;
  const iterable = {
    [Symbol.iterator]() {
      return {
        next: () => ({ value: 1, done: false }),
        return(v) { returned = v; return { done: true }; },
      };
    },
  };
  const rs = ReadableStream.from(iterable);
  await rs.cancel('r');
  assertEqual(returned, 'r');
});

test('ReadableStream.from: a throwing iterator errors the stream', async () => {
  const e = new Error('next');
  const rs = ReadableStream.from({ [Symbol.asyncIterator]() { return { next() { throw e; } }; } });
  assertEqual(await assertRejects(rs.getReader().read()), e);
});

test('ReadableStream.from rejects non-iterables at once', () => {
  assertThrows(() => ReadableStream.from(5), TypeError);
  // async_sequence<any> takes objects only: a string primitive throws though it is iterable.
  assertThrows(() => ReadableStream.from('ab'), TypeError);
  assertThrows(() => ReadableStream.from({}), TypeError);
  assertThrows(() => ReadableStream.from(), TypeError);
});

// --- WritableStream ------------------------------------------------------------------------

test('writes reach the sink one at a time, in order, then close', async () => {
  const log = [];
  let resolveWrite;
  const ws = new WritableStream({
    write(chunk) {
      log.push(['write', chunk]);
      return new Promise((r) => { resolveWrite = r; });
    },
    close() { log.push(['close']); },
  });
  const writer = ws.getWriter();
  const w1 = writer.write('a');
  const w2 = writer.write('b');
  const closed = writer.close();
  await settle();
  assertEqual(log, [['write', 'a']], 'b waits for a');
  resolveWrite();
  await w1;
  await settle();
  assertEqual(log, [['write', 'a'], ['write', 'b']]);
  resolveWrite();
  await w2;
  await closed;
  assertEqual(log, [['write', 'a'], ['write', 'b'], ['close']]);
  assertEqual(await writer.closed, undefined);
});

test('the sink\'s methods get the sink as this and the controller', async () => {
  const seen = [];
  const sink = {
    start(c) { seen.push(['start', this === sink, c instanceof WritableStreamDefaultController]); },
    write(chunk, c) { seen.push(['write', this === sink, chunk, c instanceof WritableStreamDefaultController]); },
    close() { seen.push(['close', this === sink, arguments.length]); },
  };
  const writer = new WritableStream(sink).getWriter();
  await writer.write('x');
  await writer.close();
  assertEqual(seen, [['start', true, true], ['write', true, 'x', true], ['close', true, 0]]);
});

test('writer.desiredSize and ready follow backpressure (high-water mark 2)', async () => {
  const resolvers = [];
  const ws = new WritableStream({
    write() { return new Promise((r) => resolvers.push(r)); },
  }, new CountQueuingStrategy({ highWaterMark: 2 }));
  const writer = ws.getWriter();
  await settle();
  assertEqual(writer.desiredSize, 2);
  const ready0 = writer.ready;
  writer.write(1);
  assertEqual(writer.desiredSize, 1);
  assertEqual(writer.ready, ready0, 'no backpressure yet: same ready promise');
  writer.write(2);
  assertEqual(writer.desiredSize, 0);
  const ready1 = writer.ready;
  assert(ready1 !== ready0, 'backpressure: a new pending ready promise');
  let readyFired = false;
  ready1.then(() => { readyFired = true; });
  writer.write(3);
  assertEqual(writer.desiredSize, -1);
  await settle();
  assertEqual(readyFired, false);
  resolvers.shift()();
  await settle();
  assertEqual(writer.desiredSize, 0, 'one write done, two queued');
  assertEqual(readyFired, false);
  resolvers.shift()();
  await settle();
  assertEqual(writer.desiredSize, 1);
  assertEqual(readyFired, true);
});

test('ByteLengthQueuingStrategy counts bytes in a WritableStream', async () => {
  const ws = new WritableStream({ write() { return new Promise(() => {}); } },
    new ByteLengthQueuingStrategy({ highWaterMark: 16 }));
  const writer = ws.getWriter();
  writer.write(new Uint8Array(10));
  assertEqual(writer.desiredSize, 6);
  writer.write(new ArrayBuffer(10));
  assertEqual(writer.desiredSize, -4);
});

test('a write rejection errors the stream and rejects later writes and closed', async () => {
  const e = new Error('sink');
  const ws = new WritableStream({ write() { throw e; } });
  const writer = ws.getWriter();
  assertEqual(await assertRejects(writer.write('a')), e);
  assertEqual(await assertRejects(writer.write('b')), e);
  assertEqual(await assertRejects(writer.closed), e);
  assertEqual(writer.desiredSize, null);
});

test('abort rejects queued writes, calls the sink\'s abort and errors the stream', async () => {
  const log = [];
  let resolveWrite;
  const ws = new WritableStream(recordingSink(log, {
    write(chunk) { log.push(['write', chunk]); return new Promise((r) => { resolveWrite = r; }); },
  }));
  const writer = ws.getWriter();
  const w1 = writer.write(1);
  const w2 = writer.write(2);
  await settle();
  const reason = new Error('abort');
  const aborted = writer.abort(reason);
  assertEqual(writer.desiredSize, null, 'erroring');
  assertEqual(await assertRejects(writer.ready), reason);
  let w2Settled = false;
  w2.catch(() => { w2Settled = true; });
  await settle();
  assertEqual(w2Settled, false, 'queued writes are rejected only when the write in flight is done');
  resolveWrite();
  await w1;
  assertEqual(await assertRejects(w2), reason, 'queued write rejected');
  await aborted;
  assertEqual(log, [['write', 1], ['abort', reason]]);
  assertEqual(await assertRejects(writer.closed), reason);
});

test('controller.signal aborts with the abort reason', async () => {
  let signal;
  const ws = new WritableStream({ start(c) { signal = c.signal; } });
  assert(signal instanceof AbortSignal);
  assertEqual(signal.aborted, false);
  await ws.abort('why');
  assertEqual(signal.aborted, true);
  assertEqual(signal.reason, 'why');
});

test('controller.error errors a writable stream', async () => {
  let c;
  const ws = new WritableStream({ start(controller) { c = controller; } });
  const writer = ws.getWriter();
  const e = new Error('ctl');
  c.error(e);
  assertEqual(await assertRejects(writer.write(1)), e);
  assertEqual(await assertRejects(writer.closed), e);
});

test('writes after close and a second close reject with TypeError', async () => {
  const writer = new WritableStream().getWriter();
  const closed = writer.close();
  await assertRejects(writer.write(1), TypeError);
  await assertRejects(writer.close(), TypeError);
  await closed;
  assertEqual(writer.desiredSize, 0);
});

test('WritableStream locking and releaseLock', async () => {
  const ws = new WritableStream();
  const writer = ws.getWriter();
  assert(ws.locked);
  assertThrows(() => ws.getWriter(), TypeError);
  await assertRejects(ws.abort(), TypeError);
  await assertRejects(ws.close(), TypeError);
  writer.releaseLock();
  assert(!ws.locked);
  await assertRejects(writer.closed, TypeError);
  await assertRejects(writer.write(1), TypeError);
  assertThrows(() => writer.desiredSize, TypeError);
  const writer2 = new WritableStreamDefaultWriter(ws);
  await writer2.close();
});

test('a WritableStream sink type other than undefined is a RangeError', () => {
  assertThrows(() => new WritableStream({ type: 'bytes' }), RangeError);
  assertThrows(() => new WritableStream({ write: 1 }), TypeError);
});

test('write promise timing matches Node 20', async () => {
  const log = [];
  const ws = new WritableStream({
    start() { log.push('start'); },
    write(c) { log.push(`sink ${c}`); },
    close() { log.push('sink close'); },
  }, { highWaterMark: 1 });
  const w = ws.getWriter();
  w.ready.then(() => log.push('ready'));
  w.write('a').then(() => log.push('a done'));
  w.write('b').then(() => log.push('b done'));
  w.close().then(() => log.push('close done'));
  w.closed.then(() => log.push('closed'));
  log.push('sync end');
  await settle();
  assertEqual(log, ['start', 'sync end', 'sink a', 'ready', 'sink b', 'a done', 'sink close',
    'b done', 'close done', 'closed']);
});

// --- TransformStream -----------------------------------------------------------------------

// Web IDL's "a promise resolved with" a promise is a new promise that settles two jobs later:
// the writable side of a TransformStream starts (and finishes erroring) only after reactions
// queued right after the constructor, such as a cancel's.
test('a cancel during start fulfils though controller.error() follows it', async () => {
  let controller;
  const ts = new TransformStream({ start(c) { controller = c; } });
  const boom = new Error('boom');
  const cancelled = ts.readable.cancel(new Error('ignored'));
  controller.error(boom);
  assertEqual(await cancelled, undefined);
  let reason;
  try { await ts.writable.getWriter().closed; } catch (e) { reason = e; }
  assert(reason === boom, 'writer.closed rejects with the controller\'s error');
});

test('an abort before a cancel during start sets the writable\'s error; the cancel fulfils', async () => {
  const ts = new TransformStream();
  const writer = ts.writable.getWriter();
  const boom = new Error('boom');
  const aborted = writer.abort(boom);
  const cancelled = ts.readable.cancel(new Error('cancel reason'));
  assertEqual(await aborted, undefined);
  assertEqual(await cancelled, undefined);
  let reason;
  try { await writer.closed; } catch (e) { reason = e; }
  assert(reason === boom, 'writer.closed rejects with the abort reason');
});

test('a start() that returns a promise delays pull() by the jobs the standard counts', async () => {
  let pulls = 0;
  const started = Promise.resolve();
  new ReadableStream({ start: () => started, pull() { pulls++; } });
  await started;
  assertEqual(pulls, 0, 'not yet: the stream\'s own promise settles after start\'s');
  await settle();
  assertEqual(pulls, 1);
});

test('an identity TransformStream passes chunks through', async () => {
  const ts = new TransformStream();
  const writer = ts.writable.getWriter();
  writer.write('a');
  writer.write('b');
  writer.close();
  assertEqual(await collect(ts.readable), ['a', 'b']);
});

test('transform, flush and start get the controller; flush runs at close', async () => {
  const ts = new TransformStream({
    start(c) { c.enqueue('start'); },
    transform(chunk, c) { c.enqueue(chunk.toUpperCase()); c.enqueue(chunk.length); },
    flush(c) { c.enqueue('flushed'); },
  });
  const out = collect(ts.readable);
  const writer = ts.writable.getWriter();
  await writer.write('ab');
  await writer.close();
  assertEqual(await out, ['start', 'AB', 2, 'flushed']);
});

test('TransformStream backpressure: writes wait until the readable side is read', async () => {
  const transformed = [];
  const ts = new TransformStream({
    transform(chunk, c) { transformed.push(chunk); c.enqueue(chunk); },
  });
  const writer = ts.writable.getWriter();
  await settle();
  assertEqual(writer.desiredSize, 1);
  writer.write(1);
  writer.write(2);
  await settle();
  assertEqual(transformed, [], 'readable high-water mark 0: nothing is transformed before a read');
  assertEqual(writer.desiredSize, -1);
  const reader = ts.readable.getReader();
  assertEqual((await reader.read()).value, 1);
  await settle();
  assertEqual(transformed, [1], 'one read, one transform');
  assertEqual(writer.desiredSize, 0);
  assertEqual((await reader.read()).value, 2);
  await settle();
  assertEqual(transformed, [1, 2]);
  assertEqual(writer.desiredSize, 1);
});

test('TransformStream controller.desiredSize reflects the readable side', async () => {
  let c;
  const ts = new TransformStream({ start(controller) { c = controller; } }, undefined, { highWaterMark: 2 });
  assertEqual(c.desiredSize, 2);
  c.enqueue('x');
  assertEqual(c.desiredSize, 1);
  void ts;
});

test('a throwing transform errors both sides', async () => {
  const e = new Error('t');
  const ts = new TransformStream({ transform() { throw e; } });
  const read = ts.readable.getReader().read();
  const writer = ts.writable.getWriter();
  assertEqual(await assertRejects(writer.write(1)), e);
  assertEqual(await assertRejects(read), e);
  assertEqual(await assertRejects(writer.closed), e);
});

test('terminate closes the readable side and errors the writable side', async () => {
  const ts = new TransformStream({
    transform(chunk, c) {
      c.enqueue(chunk);
      c.terminate();
    },
  });
  const writer = ts.writable.getWriter();
  const out = collect(ts.readable);
  await writer.write('only');
  assertEqual(await out, ['only']);
  await assertRejects(writer.write('more'), TypeError);
});

test('cancelling the readable side calls transformer.cancel and errors the writable side', async () => {
  let reason;
  const ts = new TransformStream({ cancel(r) { reason = r; } });
  await ts.readable.cancel('stop');
  assertEqual(reason, 'stop');
  const writer = ts.writable.getWriter();
  assertEqual(await assertRejects(writer.closed), 'stop');
});

test('aborting the writable side errors the readable side', async () => {
  const ts = new TransformStream();
  const e = new Error('abort');
  await ts.writable.abort(e);
  assertEqual(await assertRejects(ts.readable.getReader().closed), e);
});

test('TransformStream rejects readableType/writableType', () => {
  assertThrows(() => new TransformStream({ readableType: 'bytes' }), RangeError);
  assertThrows(() => new TransformStream({ writableType: 'bytes' }), RangeError);
});

// --- pipeTo and pipeThrough --------------------------------------------------------------------

test('pipeTo writes every chunk and closes the destination', async () => {
  const log = [];
  await ReadableStream.from([1, 2]).pipeTo(new WritableStream(recordingSink(log)));
  assertEqual(log, [['write', 1], ['write', 2], ['close']]);
});

test('pipeTo locks both streams while piping and releases them after', async () => {
  let c;
  const rs = new ReadableStream({ start(controller) { c = controller; } });
  const ws = new WritableStream();
  const p = rs.pipeTo(ws);
  assert(rs.locked && ws.locked);
  c.close();
  await p;
  assert(!rs.locked && !ws.locked);
});

test('pipeTo with preventClose leaves the destination open', async () => {
  const log = [];
  const ws = new WritableStream(recordingSink(log));
  await ReadableStream.from(['x']).pipeTo(ws, { preventClose: true });
  assertEqual(log, [['write', 'x']]);
  const writer = ws.getWriter();
  await writer.write('y');
  assertEqual(log, [['write', 'x'], ['write', 'y']]);
});

test('a source error aborts the destination, unless preventAbort', async () => {
  const e = new Error('src');
  const log = [];
  const failing = () => new ReadableStream({ start(c) { c.enqueue(1); c.error(e); } });
  assertEqual(await assertRejects(failing().pipeTo(new WritableStream(recordingSink(log)))), e);
  assertEqual(log[log.length - 1], ['abort', e]);
  const log2 = [];
  const ws2 = new WritableStream(recordingSink(log2));
  assertEqual(await assertRejects(failing().pipeTo(ws2, { preventAbort: true })), e);
  assert(!log2.some((entry) => entry[0] === 'abort'));
  assert(!ws2.locked);
});

test('a destination error cancels the source, unless preventCancel', async () => {
  const e = new Error('dest');
  let cancelled;
  const rs = new ReadableStream({ pull(c) { c.enqueue(1); }, cancel(r) { cancelled = r; } });
  assertEqual(await assertRejects(rs.pipeTo(new WritableStream({ write() { throw e; } }))), e);
  assertEqual(cancelled, e);
  let cancelled2 = false;
  const rs2 = new ReadableStream({ pull(c) { c.enqueue(1); }, cancel() { cancelled2 = true; } });
  assertEqual(await assertRejects(rs2.pipeTo(new WritableStream({ write() { throw e; } }), { preventCancel: true })), e);
  assertEqual(cancelled2, false);
  assert(!rs2.locked);
});

test('pipeTo a closed destination cancels the source with a TypeError', async () => {
  const ws = new WritableStream();
  await ws.close();
  let reason;
  const rs = new ReadableStream({ cancel(r) { reason = r; } });
  await assertRejects(rs.pipeTo(ws), TypeError);
  assert(reason instanceof TypeError);
});

test('pipeTo stops on an abort signal, aborting and cancelling with its reason', async () => {
  let cancelled;
  const log = [];
  const rs = new ReadableStream({ pull(c) { c.enqueue('tick'); return new Promise((r) => setTimeout(r, 1)); }, cancel(r) { cancelled = r; } });
  const ws = new WritableStream(recordingSink(log));
  const ac = new AbortController();
  const p = rs.pipeTo(ws, { signal: ac.signal });
  await settle();
  const reason = new Error('stop');
  ac.abort(reason);
  assertEqual(await assertRejects(p), reason);
  assertEqual(cancelled, reason);
  assertEqual(log[log.length - 1], ['abort', reason]);
  assert(!rs.locked && !ws.locked);
});

test('pipeTo with an already aborted signal rejects without piping', async () => {
  const log = [];
  const reason = new Error('early');
  const rs = ReadableStream.from([1]);
  const p = rs.pipeTo(new WritableStream(recordingSink(log)), { signal: AbortSignal.abort(reason), preventCancel: true });
  assertEqual(await assertRejects(p), reason);
  assertEqual(log, [['abort', reason]]);
  assertEqual(await collect(rs), [1], 'preventCancel: the source still has its chunk');
});

test('pipeTo argument checks reject', async () => {
  const rs = new ReadableStream();
  await assertRejects(rs.pipeTo({}), TypeError);
  await assertRejects(rs.pipeTo(new WritableStream(), { signal: {} }), TypeError);
  const ws = new WritableStream();
  ws.getWriter();
  await assertRejects(rs.pipeTo(ws), TypeError);
  rs.getReader();
  await assertRejects(rs.pipeTo(new WritableStream()), TypeError);
});

test('pipeThrough returns the readable side and chains transforms', async () => {
  const double = () => new TransformStream({ transform(c, ctl) { ctl.enqueue(c * 2); } });
  const out = ReadableStream.from([1, 2, 3]).pipeThrough(double()).pipeThrough(double());
  assert(out instanceof ReadableStream);
  assertEqual(await collect(out), [4, 8, 12]);
});

test('pipeThrough checks its pair and locks synchronously', () => {
  const rs = new ReadableStream();
  assertThrows(() => rs.pipeThrough({ readable: new ReadableStream() }), TypeError);
  assertThrows(() => rs.pipeThrough({ writable: new WritableStream() }), TypeError);
  const ts = new TransformStream();
  rs.pipeThrough(ts);
  assert(rs.locked);
  assert(ts.writable.locked);
  assertThrows(() => rs.pipeThrough(new TransformStream()), TypeError);
});

test('pipeTo respects the destination\'s backpressure', async () => {
  let pulls = 0;
  const rs = new ReadableStream({ pull(c) { pulls++; c.enqueue(pulls); } }, { highWaterMark: 0 });
  const resolvers = [];
  const ws = new WritableStream({ write() { return new Promise((r) => resolvers.push(r)); } },
    { highWaterMark: 1 });
  rs.pipeTo(ws);
  await settle();
  const before = pulls;
  await settle();
  assertEqual(pulls, before, 'no further pulls while the sink is stuck');
  assert(pulls <= 3, `bounded reads, got ${pulls}`);
  resolvers.shift()();
  await settle();
  assert(pulls > before, 'resumes when the sink is done');
});

// --- queuing strategies ------------------------------------------------------------------------

test('CountQueuingStrategy and ByteLengthQueuingStrategy', () => {
  const count = new CountQueuingStrategy({ highWaterMark: 4 });
  assertEqual(count.highWaterMark, 4);
  assertEqual(count.size(), 1);
  assertEqual(count.size.length, 0);
  assertEqual(count.size.name, 'size');
  assertEqual(count.size, new CountQueuingStrategy({ highWaterMark: 1 }).size, 'one size function per realm');
  const bytes = new ByteLengthQueuingStrategy({ highWaterMark: '16' });
  assertEqual(bytes.highWaterMark, 16);
  assertEqual(bytes.size(new Uint8Array(5)), 5);
  assertEqual(bytes.size({ byteLength: 7 }), 7);
  assertEqual(bytes.size.length, 1);
  assertThrows(() => new bytes.size(), TypeError);
  assertThrows(() => new CountQueuingStrategy(), TypeError);
  assertThrows(() => new CountQueuingStrategy({}), TypeError);
  assertThrows(() => Object.getOwnPropertyDescriptor(CountQueuingStrategy.prototype, 'size').get.call({}), TypeError);
});

test('a strategy\'s highWaterMark is not validated until a stream uses it', () => {
  const s = new CountQueuingStrategy({ highWaterMark: -1 });
  assertEqual(s.highWaterMark, -1);
  assertThrows(() => new ReadableStream({}, s), RangeError);
});

// --- byte streams ------------------------------------------------------------------------------

test('a byte stream\'s BYOB read fills the caller\'s buffer, which is transferred', async () => {
  const rs = new ReadableStream({
    type: 'bytes',
    pull(c) {
      const view = c.byobRequest.view;
      assert(view instanceof Uint8Array);
      view[0] = 1;
      view[1] = 2;
      c.byobRequest.respond(2);
    },
  });
  const reader = rs.getReader({ mode: 'byob' });
  assert(reader instanceof ReadableStreamBYOBReader);
  const buffer = new ArrayBuffer(8);
  const { value, done } = await reader.read(new Uint8Array(buffer, 1, 4));
  assertEqual(done, false);
  assertEqual([...value], [1, 2]);
  assertEqual([value.byteOffset, value.buffer.byteLength], [1, 8]);
  assertEqual(buffer.byteLength, 0, 'the original buffer is detached');
});

test('enqueued bytes fill BYOB reads across chunks, honouring min and element size', async () => {
  const rs = new ReadableStream({
    type: 'bytes',
    start(c) {
      c.enqueue(new Uint8Array([1, 0, 2]));
      c.enqueue(new Uint8Array([0, 3]));
      c.close();
    },
  });
  const reader = rs.getReader({ mode: 'byob' });
  const first = await reader.read(new Uint16Array(8), { min: 2 });
  assertEqual(first.value.constructor, Uint16Array);
  assertEqual([...first.value], [1, 2]);
  await assertRejects(reader.read(new Uint16Array(4)), TypeError, 'one byte left: not a whole element');
});

test('a closed byte stream answers BYOB reads with an empty view and done', async () => {
  const rs = new ReadableStream({ type: 'bytes', start(c) { c.close(); } });
  const { value, done } = await rs.getReader({ mode: 'byob' }).read(new Uint8Array(4));
  assertEqual(done, true);
  assertEqual([value.constructor, value.byteLength, value.buffer.byteLength], [Uint8Array, 0, 4]);
});

test('a default reader of a byte stream gets Uint8Arrays; autoAllocateChunkSize makes a BYOB request', async () => {
  const rs = new ReadableStream({
    type: 'bytes',
    autoAllocateChunkSize: 16,
    pull(c) {
      const request = c.byobRequest;
      assertEqual(request.view.byteLength, 16);
      request.view[0] = 9;
      request.respond(1);
      assertEqual(c.byobRequest, null, 'responding invalidates the request');
      c.close();
    },
  });
  const reader = rs.getReader();
  const { value } = await reader.read();
  assertEqual([value.byteLength, value[0]], [1, 9]);
  assertEqual((await reader.read()).done, true);
});

test('byte stream enqueue checks its chunk and transfers it', () => {
  let c;
  new ReadableStream({ type: 'bytes', start(controller) { c = controller; } });
  assertThrows(() => c.enqueue('x'), TypeError);
  assertThrows(() => c.enqueue(new Uint8Array(0)), TypeError);
  const chunk = new Uint8Array([1, 2]);
  c.enqueue(chunk);
  assertEqual(chunk.buffer.byteLength, 0, 'detached');
  assertEqual(c.desiredSize, -2, 'default high-water mark 0');
  c.close();
  assertThrows(() => c.close(), TypeError);
});

test('respond checks bytesWritten', async () => {
  let request;
  const rs = new ReadableStream({ type: 'bytes', pull(c) { request = c.byobRequest; } });
  const read = rs.getReader({ mode: 'byob' }).read(new Uint8Array(2));
  await settle();
  assertThrows(() => request.respond(0), TypeError);
  assertThrows(() => request.respond(3), RangeError);
  request.view[0] = 5;
  request.respondWithNewView(new Uint8Array(request.view.buffer, 0, 1));
  assertEqual([...(await read).value], [5]);
  assertThrows(() => request.respond(1), TypeError, 'a used request');
});

test('tee of a byte stream gives each branch its own copy', async () => {
  const rs = new ReadableStream({
    type: 'bytes',
    start(c) {
      c.enqueue(new Uint8Array([1, 2, 3]));
      c.close();
    },
  });
  const [b1, b2] = rs.tee();
  const r1 = await b1.getReader().read();
  const r2 = await b2.getReader({ mode: 'byob' }).read(new Uint8Array(8));
  assertEqual([...r1.value], [1, 2, 3]);
  assertEqual([...r2.value], [1, 2, 3]);
  assert(r1.value.buffer !== r2.value.buffer);
});

test('releasing a BYOB reader rejects its pending reads; cancel closes them', async () => {
  const rs = new ReadableStream({ type: 'bytes' });
  const reader = rs.getReader({ mode: 'byob' });
  const pending = reader.read(new Uint8Array(4));
  reader.releaseLock();
  await assertRejects(pending, TypeError);
  const reader2 = rs.getReader({ mode: 'byob' });
  const pending2 = reader2.read(new Uint8Array(4));
  await reader2.cancel();
  const r = await pending2;
  assertEqual([r.done, r.value], [true, undefined]);
});

test('BYOB read argument checks reject', async () => {
  const reader = new ReadableStream({ type: 'bytes' }).getReader({ mode: 'byob' });
  await assertRejects(reader.read(), TypeError);
  await assertRejects(reader.read(new Uint8Array(0)), TypeError);
  await assertRejects(reader.read(new Uint8Array(2), { min: 0 }), TypeError);
  await assertRejects(reader.read(new Uint8Array(2), { min: 3 }), RangeError);
  await assertRejects(reader.read({}), TypeError);
});
