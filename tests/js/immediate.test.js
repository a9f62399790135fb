// setImmediate / clearImmediate as Node and Bun have them (there is no web specification): the
// callbacks run after the current task and its microtasks, in the loop's check phase, first in
// first out, each a task of its own; those queued while immediates run wait for the next turn.
'use strict';

// Resolves once `cond()` holds, checked after each loop turn; rejects after `ms`.
function until(cond, ms = 2000) {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (cond()) resolve();
      else if (performance.now() - start > ms) reject(new Error('condition not met in time'));
      else setTimeout(poll, 1);
    };
    poll();
  });
}

test('shape: global functions; an Immediate object with ref, unref and hasRef', () => {
  for (const name of ['setImmediate', 'clearImmediate']) {
    const d = Object.getOwnPropertyDescriptor(globalThis, name);
    assertEqual(typeof d.value, 'function', name);
    assertEqual([d.writable, d.configurable], [true, true], name);
  }
  const im = setImmediate(() => {});
  assertEqual(typeof im, 'object');
  assertEqual(Object.prototype.toString.call(im), '[object Immediate]');
  assertEqual([typeof im.ref, typeof im.unref, typeof im.hasRef], ['function', 'function', 'function']);
  assertEqual(Object.keys(im), [], 'the methods are not enumerable own properties');
  assertEqual(im.hasRef(), true);
  assert(im.unref() === im, 'unref returns the Immediate');
  assertEqual(im.hasRef(), false);
  assert(im.ref() === im, 'ref returns the Immediate');
  assertEqual(im.hasRef(), true);
  clearImmediate(im);
  assertEqual(im.hasRef(), false, 'a cleared immediate keeps nothing alive');
});

test('a callback that is not a function is a TypeError (no string form, unlike setTimeout)', () => {
  assertThrows(() => setImmediate(), TypeError);
  assertThrows(() => setImmediate('globalThis.x = 1'), TypeError);
  assertThrows(() => setImmediate({}), TypeError);
  assertThrows(() => setImmediate(null), TypeError);
});

test('runs after the current task and its microtasks, in FIFO order, with its arguments', async () => {
  const order = [];
  setImmediate((a, b) => order.push(`first:${a}${b}`), 'x', 'y');
  setImmediate(() => order.push('second'));
  Promise.resolve().then(() => order.push('microtask'));
  order.push('sync');
  await until(() => order.length === 4);
  assertEqual(order, ['sync', 'microtask', 'first:xy', 'second']);
});

test('each immediate is a task: its microtasks run before the next immediate', async () => {
  const order = [];
  setImmediate(() => {
    order.push('a');
    Promise.resolve().then(() => order.push('a-micro'));
    queueMicrotask(() => order.push('a-queued'));
  });
  setImmediate(() => order.push('b'));
  await until(() => order.length === 4);
  assertEqual(order, ['a', 'a-micro', 'a-queued', 'b']);
});

test('immediates queued while immediates run wait for the next loop turn (a due timer runs first)', async () => {
  const order = [];
  setImmediate(() => {
    order.push('i1');
    setTimeout(() => order.push('timer'), 1);
    // The timer is due before this check phase ends: the next turn's I/O phase runs it, then
    // the check phase runs i3. i2 was queued before this phase began, so it runs in it.
    const start = performance.now();
    while (performance.now() - start < 3);
    setImmediate(() => order.push('i3'));
  });
  setImmediate(() => order.push('i2'));
  await until(() => order.length === 4);
  assertEqual(order, ['i1', 'i2', 'timer', 'i3']);
});

test('a setImmediate chain lets timers in between', async () => {
  let timerFired = false;
  let links = 0;
  setTimeout(() => { timerFired = true; }, 2);
  await new Promise((resolve) => {
    const link = () => {
      links++;
      if (timerFired) resolve();
      else setImmediate(link);
    };
    setImmediate(link);
  });
  assert(links > 1, `${links}`);
});

test('clearImmediate cancels, also from an earlier immediate of the same turn', async () => {
  const order = [];
  const a = setImmediate(() => order.push('a'));
  clearImmediate(a);
  let c;
  setImmediate(() => {
    order.push('b');
    clearImmediate(c);
  });
  c = setImmediate(() => order.push('c'));
  setImmediate(() => order.push('d'));
  await until(() => order.length === 2);
  await new Promise((resolve) => setImmediate(resolve));
  assertEqual(order, ['b', 'd']);
  clearImmediate(a); // twice: ignored
});

test('clearImmediate ignores anything but an Immediate; clearTimeout ignores an Immediate', async () => {
  for (const v of [undefined, null, 0, 1, 'x', {}, setTimeout(() => {}, 0)]) clearImmediate(v);
  let ran = false;
  const im = setImmediate(() => { ran = true; });
  clearTimeout(im);
  clearInterval(im);
  clearTimeout(+im);
  await until(() => ran);
});

test('an immediate and a timer do not share a cancel: clearImmediate(timer id) leaves the timer', async () => {
  let fired = false;
  const id = setTimeout(() => { fired = true; }, 0);
  clearImmediate(id);
  await until(() => fired);
});

test('an error thrown by an immediate is reported like a timer\'s and later immediates run', async () => {
  const seen = [];
  const l = (e) => {
    if (e.message === 'immediate boom') {
      seen.push(e.error);
      e.preventDefault();
    }
  };
  addEventListener('error', l);
  try {
    let after = false;
    setImmediate(() => { throw new Error('immediate boom'); });
    setImmediate(() => { after = true; });
    await until(() => after);
    assertEqual(seen.length, 1);
    assert(seen[0] instanceof Error);
  } finally {
    removeEventListener('error', l);
  }
});

test('an unref\'d immediate still runs while other work keeps the loop alive', async () => {
  let ran = false;
  setImmediate(() => { ran = true; }).unref();
  await until(() => ran);
});

test('many immediates: each runs once, in order', async () => {
  const seen = [];
  for (let i = 0; i < 10000; i++) setImmediate(() => seen.push(i));
  await until(() => seen.length === 10000);
  for (let i = 0; i < seen.length; i++) if (seen[i] !== i) throw new Error(`at ${i}: ${seen[i]}`);
});
