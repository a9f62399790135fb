// WHATWG Streams: the order of promise jobs around each chunk (when pull runs again, when a
// read or an iteration step settles), which the streams' per-chunk shortcuts must keep: one
// shared promise for pulls that return no object, one reaction per pull promise, read requests
// as classes. The read() traces are Node 20's too (Bun 1.4 settles a pull's promise two jobs
// early); the for await one is Bun's and the standard's, worked by hand (Node 20 starts a job
// later). eddy gave the same traces before those shortcuts (f449609).

// Resolves after every queued microtask and promise job has run (a macrotask boundary).
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

// Logs t0, t1, ... one per promise job, each queued by the one before: a ruler for the jobs the
// stream's own steps take in between.
function ticks(log, n) {
  let i = 0;
  const step = () => {
    log.push(`t${i}`);
    if (++i < n) Promise.resolve().then(step);
  };
  Promise.resolve().then(step);
}

// A stream whose pull logs itself, then enqueues a chunk (the pull's number) or, at the
// count-th pull, closes, and returns result(); the high-water mark is 0 for both types.
function countingStream(type, log, count, result = () => undefined) {
  let n = 0;
  return new ReadableStream({
    type,
    pull(c) {
      log.push(`pull${n}`);
      if (n === count) c.close();
      else c.enqueue(new Uint8Array([n++]));
      return result();
    },
  }, type === 'bytes' ? undefined : { highWaterMark: 0 });
}

// Two reads in a row: the second waits for the first pull's promise to settle, then pulls again.
async function twoReads(type, result) {
  const log = [];
  const rs = countingStream(type, log, Infinity, result);
  const reader = rs.getReader();
  reader.read().then((r) => log.push(`read ${r.value[0]}`));
  reader.read().then((r) => log.push(`read ${r.value[0]}`));
  ticks(log, 6);
  await settle();
  return log;
}

const sameJob = ['pull0', 't0', 'read 0', 'pull1', 't1', 'read 1', 't2', 't3', 't4', 't5'];
const twoJobs = ['pull0', 't0', 'read 0', 't1', 'pull1', 't2', 'read 1', 't3', 't4', 't5'];
const threeJobs = ['pull0', 't0', 'read 0', 't1', 't2', 'pull1', 't3', 'read 1', 't4', 't5'];

test('a pull that returns no object is settled one job later, as a new promise would be', async () => {
  for (const type of [undefined, 'bytes']) {
    assertEqual(await twoReads(type, () => undefined), sameJob, `${type}: undefined`);
    assertEqual(await twoReads(type, () => 42), sameJob, `${type}: a number`);
  }
});

test('a pull that returns an object or a promise is resolved with it (its then is looked up)', async () => {
  for (const type of [undefined, 'bytes']) {
    assertEqual(await twoReads(type, () => ({})), sameJob, `${type}: an object`);
    assertEqual(await twoReads(type, () => Promise.resolve()), threeJobs, `${type}: a promise`);
    let thenCalls = 0;
    const thenable = () => ({ then(resolve) { thenCalls++; resolve(); } });
    assertEqual(await twoReads(type, thenable), twoJobs, `${type}: a thenable`);
    assertEqual(thenCalls, 2, `${type}: the thenable's then, once a pull`);
  }
});

// start's promise settles a job after the stream is made, so the first read waits for it; each
// chunk then takes three jobs: the read's promise, the iterator's reaction to it, the await.
test('for await takes a job more a chunk than read(): the iterator reacts to the read', async () => {
  for (const type of [undefined, 'bytes']) {
    const log = [];
    const rs = countingStream(type, log, 2);
    ticks(log, 8);
    for await (const chunk of rs) log.push(`chunk ${chunk[0]}`);
    log.push('end');
    assertEqual(log, ['pull0', 't0', 't1', 'chunk 0', 'pull1', 't2', 't3', 'chunk 1', 'pull2', 't4',
      't5', 'end'], String(type));
  }
});

test('a rejected pull errors the stream, and no promise of the stream\'s own goes unhandled', async () => {
  const unhandled = [];
  const onUnhandled = (e) => unhandled.push(e.reason);
  addEventListener('unhandledrejection', onUnhandled);
  try {
    for (const type of [undefined, 'bytes']) {
      const error = new Error(`pull of ${type}`);
      const rs = new ReadableStream({ type, pull() { return Promise.reject(error); } });
      const reader = rs.getReader();
      const settled = await reader.read().then(() => 'fulfilled', (e) => e);
      assertEqual(settled, error, String(type));
      assertEqual(await reader.closed.catch((e) => e), error, String(type));
    }
    await settle();
    await settle();
  } finally {
    removeEventListener('unhandledrejection', onUnhandled);
  }
  assertEqual(unhandled.length, 0);
});

test('read() resolves { value, done } for default and BYOB readers, close included', async () => {
  let controller;
  const rs = new ReadableStream({ type: 'bytes', start(c) { controller = c; } });
  const byob = rs.getReader({ mode: 'byob' });
  const first = byob.read(new Uint8Array(4));
  controller.enqueue(new Uint8Array([1, 2]));
  const r1 = await first;
  assertEqual([r1.done, Array.from(r1.value)], [false, [1, 2]]);
  const last = byob.read(new Uint8Array(3));
  controller.close();
  controller.byobRequest.respond(0);
  const r2 = await last;
  assertEqual([r2.done, r2.value instanceof Uint8Array, r2.value.byteLength, r2.value.buffer.byteLength],
    [true, true, 0, 3]);
  const reader = new ReadableStream({ start(c) { c.enqueue('a'); c.close(); } }).getReader();
  assertEqual([await reader.read(), await reader.read()],
    [{ value: 'a', done: false }, { value: undefined, done: true }]);
  assert('value' in (await reader.read()), 'done results have a value property');
});

test('streams read on when a script replaced Function.prototype.call or a getter\'s call', async () => {
  const call = Function.prototype.call;
  const thrower = () => { throw new Error('a replaced call was called'); };
  const bufferGetter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), 'buffer').get;
  const read = async (type) => {
    const got = [];
    for await (const chunk of countingStream(type, [], 3)) got.push(chunk[0]);
    const reader = countingStream(type, [], 1).getReader();
    got.push((await reader.read()).value[0], (await reader.read()).done);
    return got;
  };
  for (const patch of ['prototype', 'getter']) {
    if (patch === 'prototype') Function.prototype.call = thrower;
    else Object.defineProperty(bufferGetter, 'call', { value: thrower, configurable: true });
    let got;
    try {
      got = [await read(undefined), await read('bytes')];
    } finally {
      if (patch === 'prototype') Function.prototype.call = call;
      else delete bufferGetter.call;
    }
    assertEqual(got, [[0, 1, 2, 0, true], [0, 1, 2, 0, true]], patch);
  }
});

// pipeTo: the jobs between a chunk's pull, its write and the next pull (writer.ready's reaction
// reads; the read's promise settles the step three jobs later, or two after a chunk that comes
// late; the write waits a job), and when a shutdown's close, abort or cancel runs. Traces of
// eddy's pipe loop of promises before it kept no promise per chunk (77ac803).
function loggingSink(log, result = () => undefined, highWaterMark = 1) {
  return new WritableStream({
    write(chunk) {
      log.push(`write ${chunk[0]}`);
      return result();
    },
    close() { log.push('close'); },
    abort(r) { log.push(`abort ${r}`); },
  }, { highWaterMark });
}

// A source whose pull logs itself and runs step(c, n, log) (n: the pull's number).
function steppingStream(type, log, step, extra = {}) {
  let n = 0;
  return new ReadableStream({
    type,
    pull(c) {
      log.push(`pull${n}`);
      return step(c, n++, log);
    },
    ...extra,
  }, type === 'bytes' ? undefined : { highWaterMark: 0 });
}

async function pipeTrace(rs, sink, options) {
  const log = [];
  ticks(log, 30);
  const promise = rs(log).pipeTo(sink(log), options);
  await promise.then(() => log.push('done'), (e) => log.push(`rejected ${e}`));
  await settle();
  return log.filter((e) => !/^t(2[2-9])$/.test(e)).join(' ');
}

const twoJobsLater = () => (async () => { await null; await null; })();
const chunkOrClose = (last) => (c, n) => {
  if (n === last) c.close();
  else c.enqueue(new Uint8Array([n]));
};

test('pipeTo: a chunk each four jobs; a write\'s promise, a late chunk, close', async () => {
  for (const type of [undefined, 'bytes']) {
    const counting = (log) => steppingStream(type, log, chunkOrClose(3));
    assertEqual(await pipeTrace(counting, (log) => loggingSink(log)),
      't0 pull0 t1 write 0 t2 t3 t4 pull1 t5 write 1 t6 t7 t8 pull2 t9 write 2 t10 t11 t12 pull3 ' +
      't13 t14 t15 close t16 t17 t18 done t19 t20 t21', String(type));
    assertEqual(await pipeTrace(counting, (log) => loggingSink(log, () => Promise.resolve())),
      't0 pull0 t1 write 0 t2 t3 t4 t5 pull1 t6 write 1 t7 t8 t9 t10 pull2 t11 write 2 t12 t13 t14 ' +
      't15 pull3 t16 t17 t18 close t19 t20 t21 done', String(type));
    assertEqual(await pipeTrace(counting, (log) => loggingSink(log, undefined, 4), { preventClose: true }),
      't0 pull0 t1 write 0 t2 t3 t4 pull1 t5 write 1 t6 t7 t8 pull2 t9 write 2 t10 t11 t12 pull3 ' +
      't13 t14 t15 t16 done t17 t18 t19 t20 t21', String(type));
    const late = (log) => steppingStream(type, log, async (c, n) => {
      await null;
      await null;
      chunkOrClose(2)(c, n);
    });
    assertEqual(await pipeTrace(late, (log) => loggingSink(log)),
      't0 pull0 t1 t2 t3 write 0 t4 t5 pull1 t6 t7 t8 write 1 t9 t10 pull2 t11 t12 t13 t14 t15 close ' +
      't16 t17 t18 done t19 t20 t21', String(type));
  }
});

test('pipeTo: an abort waits for the write in flight; a write or source error', async () => {
  for (const type of [undefined, 'bytes']) {
    const endless = (log) => steppingStream(type, log, chunkOrClose(-1));
    let ac = new AbortController();
    const abortAt1 = (log) => loggingSink(log, () => {
      if (log.includes('write 1')) ac.abort('stop');
      return twoJobsLater();
    });
    assertEqual(await pipeTrace(endless, abortAt1, { signal: ac.signal }),
      't0 pull0 t1 write 0 t2 t3 t4 t5 t6 pull1 t7 write 1 t8 t9 t10 t11 t12 t13 t14 abort stop t15 ' +
      't16 t17 t18 rejected stop t19 t20 t21', String(type));
    ac = new AbortController();
    const abortInPull = (log) => steppingStream(type, log, (c, n) => {
      if (n === 1) ac.abort('stop');
      c.enqueue(new Uint8Array([n]));
    }, { cancel(r) { log.push(`cancel ${r}`); } });
    assertEqual(await pipeTrace(abortInPull, (log) => loggingSink(log, twoJobsLater), { signal: ac.signal }),
      't0 pull0 t1 write 0 t2 t3 t4 t5 t6 pull1 t7 write 1 t8 t9 t10 t11 t12 t13 t14 t15 abort stop ' +
      'cancel stop t16 t17 t18 t19 rejected stop t20 t21', String(type));
    const throwAt1 = (log) => loggingSink(log, () => {
      if (log.includes('write 1')) throw 'bad';
    });
    assertEqual(await pipeTrace(endless, throwAt1),
      't0 pull0 t1 write 0 t2 t3 t4 pull1 t5 write 1 t6 t7 t8 t9 t10 rejected bad t11 t12 t13 t14 t15 ' +
      't16 t17 t18 t19 t20 t21', String(type));
    const errorAt2 = (log) => steppingStream(type, log, (c, n) => {
      if (n === 2) c.error('boom');
      else c.enqueue(new Uint8Array([n]));
    });
    assertEqual(await pipeTrace(errorAt2, (log) => loggingSink(log)),
      't0 pull0 t1 write 0 t2 t3 t4 pull1 t5 write 1 t6 t7 t8 pull2 t9 t10 t11 abort boom t12 t13 t14 ' +
      'rejected boom t15 t16 t17 t18 t19 t20 t21', String(type));
  }
  const queued = () => new ReadableStream({
    start(c) {
      for (let i = 0; i < 3; i++) c.enqueue(new Uint8Array([i]));
      c.close();
    },
  });
  assertEqual(await pipeTrace(queued, (log) => loggingSink(log)),
    't0 t1 write 0 t2 t3 t4 t5 write 1 t6 t7 t8 t9 write 2 t10 t11 t12 t13 close t14 t15 t16 done t17 ' +
    't18 t19 t20 t21');
});
