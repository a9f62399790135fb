// Minimal test harness for eddy's JavaScript tests.
//
//   eddy --preload tests/js/harness.js tests/js/x.test.js [args]
//
// Test files call test(name, fn) at top level; fn may be async. When the main script is done,
// a timer runs the tests one after another (10 s deadline each), prints "ok - name" or
// "not ok - name: error", then "N passed, N failed". If any failed, a timer throws so that
// eddy exits with status 1.
(function () {
  'use strict';

  const tests = [];
  const DEADLINE_MS = 10000;

  function show(v) {
    if (typeof v === 'string') return JSON.stringify(v);
    if (typeof v === 'bigint') return `${v}n`;
    if (typeof v === 'function') return `[function ${v.name}]`;
    if (typeof v === 'symbol' || v === undefined) return String(v);
    try {
      return JSON.stringify(v);
    } catch {
      return String(v);
    }
  }

  function isObjectLike(v) {
    return (typeof v === 'object' && v !== null) || typeof v === 'function';
  }

  function describeError(e) {
    if (e instanceof Error || (isObjectLike(e) && 'message' in e)) {
      const head = `${e.name}: ${e.message}`;
      const stack = typeof e.stack === 'string' ? e.stack : '';
      // V8 stacks start with "Name: message"; JSC stacks are only frames.
      return stack.startsWith(head) ? stack : stack ? `${head}\n${stack}` : head;
    }
    return show(e);
  }

  function test(name, fn) {
    if (typeof fn !== 'function') throw new TypeError('test(name, fn): fn must be a function');
    tests.push({ name: String(name), fn });
  }

  function assert(cond, msg) {
    if (!cond) throw new Error(msg || 'assertion failed');
  }

  // Deep (via JSON) for objects and arrays, Object.is for everything else.
  function assertEqual(actual, expected, msg) {
    const same = isObjectLike(actual) || isObjectLike(expected)
      ? show(actual) === show(expected) && isObjectLike(actual) === isObjectLike(expected)
      : Object.is(actual, expected);
    if (!same) {
      throw new Error(`${msg ? msg + ': ' : ''}expected ${show(expected)}, got ${show(actual)}`);
    }
  }

  function checkError(e, ErrorCtor, msg) {
    if (ErrorCtor !== undefined && !(e instanceof ErrorCtor)) {
      const got = isObjectLike(e) ? `${e.name}: ${e.message}` : show(e);
      throw new Error(`${msg ? msg + ': ' : ''}expected ${ErrorCtor.name}, got ${got}`);
    }
    return e;
  }

  function assertThrows(fn, ErrorCtor, msg) {
    try {
      fn();
    } catch (e) {
      return checkError(e, ErrorCtor, msg);
    }
    throw new Error(`${msg ? msg + ': ' : ''}expected ${ErrorCtor ? ErrorCtor.name : 'an exception'}, nothing was thrown`);
  }

  // Accepts a promise or a function returning one; resolves to the rejection reason.
  async function assertRejects(promise, ErrorCtor, msg) {
    try {
      await (typeof promise === 'function' ? promise() : promise);
    } catch (e) {
      return checkError(e, ErrorCtor, msg);
    }
    throw new Error(`${msg ? msg + ': ' : ''}expected a rejection with ${ErrorCtor ? ErrorCtor.name : 'an error'}, but it fulfilled`);
  }

  async function runOne(t) {
    let timer;
    const deadline = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${DEADLINE_MS / 1000} s`)), DEADLINE_MS);
    });
    try {
      await Promise.race([Promise.resolve().then(() => t.fn()), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function run() {
    let passed = 0;
    let failed = 0;
    for (const t of tests) {
      try {
        await runOne(t);
        passed++;
        console.log(`ok - ${t.name}`);
      } catch (e) {
        failed++;
        console.log(`not ok - ${t.name}: ${describeError(e)}`);
      }
    }
    console.log(`${passed} passed, ${failed} failed`);
    if (failed > 0) {
      setTimeout(() => {
        throw new Error(`${failed} test${failed === 1 ? '' : 's'} failed`);
      }, 0);
    }
  }

  for (const [name, value] of Object.entries({ test, assert, assertEqual, assertThrows, assertRejects })) {
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true });
  }

  setTimeout(() => {
    run().catch((e) => {
      console.log(`not ok - harness: ${describeError(e)}`);
      console.log('0 passed, 1 failed');
      setTimeout(() => { throw e; }, 0);
    });
  }, 0);
})();
