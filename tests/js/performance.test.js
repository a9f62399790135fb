// performance (High Resolution Time) with User Timing's marks and measures.
'use strict';

test('performance is an EventTarget with now, timeOrigin and toJSON', () => {
  assert(performance instanceof Performance);
  assert(performance instanceof EventTarget);
  assertEqual(Object.prototype.toString.call(performance), '[object Performance]');
  assertThrows(() => new Performance(), TypeError);
  const a = performance.now();
  const b = performance.now();
  assert(a >= 0 && b >= a, `${a} then ${b}`);
  assertEqual(typeof performance.timeOrigin, 'number');
  assert(Math.abs(performance.timeOrigin + performance.now() - Date.now()) < 1000);
  assertEqual(performance.toJSON(), { timeOrigin: performance.timeOrigin });
  assertThrows(() => Performance.prototype.now.call({}), TypeError);
  let fired = 0;
  performance.addEventListener('x', () => fired++);
  performance.dispatchEvent(new Event('x'));
  assertEqual(fired, 1);
});

test('mark: entries, detail cloned, startTime option', () => {
  performance.clearMarks();
  const detail = { n: 1 };
  const m = performance.mark('start', { detail });
  assert(m instanceof PerformanceMark && m instanceof PerformanceEntry);
  assertEqual([m.name, m.entryType, m.duration], ['start', 'mark', 0]);
  assertEqual(m.detail, { n: 1 });
  assert(m.detail !== detail, 'detail is a structured clone');
  assertEqual(performance.mark('none').detail, null);
  assertEqual(performance.mark('at', { startTime: 5 }).startTime, 5);
  assertThrows(() => performance.mark('neg', { startTime: -1 }), TypeError);
  assertThrows(() => performance.mark('fn', { detail: () => 1 }), DOMException);
  const own = new PerformanceMark('own', { startTime: 1 });
  assertEqual([own.name, own.startTime], ['own', 1]);
  assertEqual(performance.getEntriesByName('own').length, 0, 'the constructor does not buffer');
  assertEqual(m.toJSON(), { name: 'start', entryType: 'mark', startTime: m.startTime, duration: 0 });
  assertThrows(() => new PerformanceEntry(), TypeError);
  assertThrows(() => performance.mark(), TypeError);
});

test('measure: between marks, from options, errors', () => {
  performance.clearMarks();
  performance.clearMeasures();
  performance.mark('a', { startTime: 10 });
  performance.mark('b', { startTime: 25 });
  const ab = performance.measure('ab', 'a', 'b');
  assertEqual([ab.entryType, ab.startTime, ab.duration, ab.detail], ['measure', 10, 15, null]);
  const fromA = performance.measure('fromA', 'a');
  assertEqual(fromA.startTime, 10);
  assert(fromA.duration > 0);
  const zero = performance.measure('all');
  assertEqual(zero.startTime, 0);
  assertEqual(performance.measure('o1', { start: 'a', end: 30, detail: [1] }).duration, 20);
  assertEqual(performance.measure('o1', { start: 'a', end: 30, detail: [1] }).detail, [1]);
  const sd = performance.measure('o2', { start: 2, duration: 3 });
  assertEqual([sd.startTime, sd.duration], [2, 3]);
  const de = performance.measure('o3', { duration: 5, end: 'b' });
  assertEqual([de.startTime, de.duration], [20, 5]);
  assertThrows(() => performance.measure('x', 'nope'), DOMException);
  assertThrows(() => performance.measure('x', { start: 1 }, 'b'), TypeError);
  assertThrows(() => performance.measure('x', { duration: 1 }), TypeError);
  assertThrows(() => performance.measure('x', { start: 1, duration: 1, end: 3 }), TypeError);
  assertThrows(() => performance.measure('x', { start: -1, end: 2 }), TypeError);
  let err;
  try { performance.measure('x', 'nope'); } catch (e) { err = e; }
  assertEqual(err.name, 'SyntaxError');
});

test('getEntries* sort by startTime; clearMarks and clearMeasures', () => {
  performance.clearMarks();
  performance.clearMeasures();
  performance.mark('late', { startTime: 50 });
  performance.mark('early', { startTime: 5 });
  performance.measure('m', 'early', 'late');
  assertEqual(performance.getEntries().map((e) => e.name), ['early', 'm', 'late']);
  assertEqual(performance.getEntriesByType('mark').map((e) => e.name), ['early', 'late']);
  assertEqual(performance.getEntriesByType('measure').map((e) => e.name), ['m']);
  assertEqual(performance.getEntriesByName('late').length, 1);
  assertEqual(performance.getEntriesByName('late', 'measure').length, 0);
  performance.clearMarks('early');
  assertEqual(performance.getEntriesByType('mark').map((e) => e.name), ['late']);
  performance.clearMeasures();
  assertEqual(performance.getEntriesByType('measure'), []);
  performance.clearMarks();
  assertEqual(performance.getEntries(), []);
});

// Performance Timeline's PerformanceObserver, for mark and measure entries.

// Resolves with the next callback of a new observer, after observe(init).
function nextCallback(init) {
  return new Promise((resolve) => {
    const po = new PerformanceObserver((list, observer, options) => {
      po.disconnect();
      resolve({ list, observer, options, po });
    });
    po.observe(init);
  });
}

test('PerformanceObserver: supportedEntryTypes, constructor and observe() argument errors', () => {
  const types = PerformanceObserver.supportedEntryTypes;
  assertEqual(types, ['mark', 'measure']);
  assert(Object.isFrozen(types) && PerformanceObserver.supportedEntryTypes === types);
  assertThrows(() => new PerformanceObserver(), TypeError);
  assertThrows(() => new PerformanceObserver({}), TypeError);
  assertThrows(() => PerformanceObserver(() => {}), TypeError);
  assertThrows(() => new PerformanceObserverEntryList(), TypeError);
  const po = new PerformanceObserver(() => {});
  assertThrows(() => po.observe(), TypeError);
  assertThrows(() => po.observe({}), TypeError);
  assertThrows(() => po.observe({ entryTypes: ['mark'], type: 'mark' }), TypeError);
  assertThrows(() => po.observe({ entryTypes: ['mark'], buffered: true }), TypeError);
  po.observe({ type: 'mark' });
  let err;
  try { po.observe({ entryTypes: ['mark'] }); } catch (e) { err = e; }
  assert(err instanceof DOMException && err.name === 'InvalidModificationError', String(err));
  po.disconnect();
  const multi = new PerformanceObserver(() => {});
  multi.observe({ entryTypes: ['measure'] });
  err = undefined;
  try { multi.observe({ type: 'mark' }); } catch (e) { err = e; }
  assertEqual(err && err.name, 'InvalidModificationError');
  multi.disconnect();
  // Unsupported types are ignored, not errors.
  new PerformanceObserver(() => {}).observe({ type: 'resource' });
  new PerformanceObserver(() => {}).observe({ entryTypes: ['longtask'] });
});

test('PerformanceObserver: new marks and measures reach the callback in a later task', async () => {
  performance.clearMarks();
  performance.clearMeasures();
  let sync = true;
  const got = nextCallback({ entryTypes: ['mark', 'measure'] }).then((r) => ({ ...r, sync }));
  performance.mark('a', { startTime: 10 });
  performance.mark('b', { startTime: 5 });
  performance.measure('m', 'b', 'a');
  sync = false;
  const { list, observer, options, po } = await got;
  assertEqual(observer, po);
  assertEqual(list.getEntries().map((e) => e.name), ['b', 'm', 'a'], 'sorted by startTime');
  assertEqual(list.getEntriesByType('mark').map((e) => e.name), ['b', 'a']);
  assertEqual(list.getEntriesByName('m').map((e) => e.entryType), ['measure']);
  assertEqual(list.getEntriesByName('m', 'mark'), []);
  assertEqual(options.droppedEntriesCount, 0);
  assert(list instanceof PerformanceObserverEntryList);
});

test('PerformanceObserver: buffered delivers the marks made before observe()', async () => {
  performance.clearMarks();
  performance.mark('before');
  const { list } = await nextCallback({ type: 'mark', buffered: true });
  assertEqual(list.getEntries().map((e) => e.name), ['before']);
});

test('PerformanceObserver: takeRecords empties the buffer; disconnect stops delivery', async () => {
  let calls = 0;
  const po = new PerformanceObserver(() => calls++);
  po.observe({ type: 'mark' });
  performance.mark('t1');
  assertEqual(po.takeRecords().map((e) => e.name), ['t1']);
  assertEqual(po.takeRecords(), []);
  performance.mark('t2');
  po.disconnect();
  performance.mark('t3');
  await new Promise((r) => setTimeout(r, 10));
  assertEqual(calls, 0);
  assertEqual(po.takeRecords(), []);
});

test('PerformanceObserver: a throwing callback is reported and others still run', async () => {
  const reported = [];
  const onError = (e) => { reported.push(e.error); e.preventDefault(); };
  addEventListener('error', onError);
  const bad = new PerformanceObserver(() => { throw new Error('boom'); });
  bad.observe({ type: 'measure' });
  const good = nextCallback({ type: 'measure' });
  performance.measure('x');
  const { list } = await good;
  bad.disconnect();
  removeEventListener('error', onError);
  assertEqual(list.getEntries().map((e) => e.name), ['x']);
  assertEqual(reported.length, 1);
  assertEqual(reported[0].message, 'boom');
});
