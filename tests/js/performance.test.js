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
