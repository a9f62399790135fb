// Events and abort are installed on first use too (src/js/internal.js, lazyFiles): the global's
// event target, its event handler attributes, and the `internal` members other files use.
'use strict';

const descriptorKind = (name) => {
  const d = Object.getOwnPropertyDescriptor(globalThis, name);
  return d === undefined ? 'absent' : 'get' in d ? 'accessor' : 'data';
};

test('nothing installs events.js or abort.js until a script touches them', () => {
  // Nothing so far touched events.js: the global's listeners are accessors still.
  assertEqual(descriptorKind('addEventListener'), 'accessor');
  assertEqual(descriptorKind('EventTarget'), 'accessor');
  assertEqual(descriptorKind('AbortController'), 'accessor');
});

test('performance and EventTarget install Event and EventTarget alone', () => {
  performance.now();
  const target = new EventTarget();
  let seen = 0;
  target.addEventListener('x', () => seen++);
  target.dispatchEvent(new Event('x'));
  assertEqual(seen, 1);
  assertEqual(descriptorKind('EventTarget'), 'data');
  assertEqual(descriptorKind('Event'), 'data');
  // DOMException, CustomEvent and the global's event target come with their own first use.
  for (const name of ['DOMException', 'QuotaExceededError', 'CustomEvent', 'ErrorEvent',
    'PromiseRejectionEvent', 'addEventListener', 'reportError', 'onerror']) {
    assertEqual(descriptorKind(name), 'accessor', name);
  }
  assertEqual(new CustomEvent('y', { detail: 2 }).detail, 2);
  assertEqual(descriptorKind('CustomEvent'), 'data');
  assertEqual(descriptorKind('ErrorEvent'), 'accessor');
});

test('dispatching an event being dispatched throws an InvalidStateError', () => {
  const target = new EventTarget();
  const event = new Event('x');
  let error = null;
  target.addEventListener('x', () => {
    try {
      target.dispatchEvent(event);
    } catch (e) {
      error = e;
    }
  });
  target.dispatchEvent(event);
  assert(error instanceof DOMException, 'a DOMException');
  assertEqual(error.name, 'InvalidStateError');
});

test('the global operations are enumerable before and after installation', () => {
  const before = Object.keys(globalThis);
  for (const name of ['addEventListener', 'removeEventListener', 'dispatchEvent', 'reportError', 'onerror',
    'onunhandledrejection']) {
    assert(before.includes(name), name);
  }
  for (const name of ['Event', 'EventTarget', 'DOMException', 'AbortSignal']) assert(!before.includes(name), name);
});

test('an event handler assigned first installs events.js and is registered through its setter', () => {
  assertEqual(descriptorKind('onerror'), 'accessor');
  let seen = null;
  const handler = (message, filename, lineno, colno, error) => { seen = error; return true; };
  globalThis.onerror = handler;
  assert(onerror === handler, 'the getter returns the handler');
  const d = Object.getOwnPropertyDescriptor(globalThis, 'onerror');
  assert(typeof d.get === 'function' && typeof d.set === 'function', 'still the Web IDL accessor');
  const err = new Error('through onerror');
  reportError(err);
  assert(seen === err, 'the handler ran');
  globalThis.onerror = null;
  assertEqual(onerror, null);
  assertEqual(descriptorKind('EventTarget'), 'data');
});

test('abort.js installs with its first global and uses events.js', () => {
  assertEqual(descriptorKind('AbortController'), 'accessor');
  const c = new AbortController();
  let fired = 0;
  c.signal.addEventListener('abort', () => fired++);
  c.abort();
  assertEqual(fired, 1);
  assert(c.signal.reason instanceof DOMException);
  assertEqual(c.signal.reason.name, 'AbortError');
  assertEqual(descriptorKind('AbortSignal'), 'data');
});

test('AbortSignal.timeout uses the engine\'s setTimeout, not a replaced global', async () => {
  const original = globalThis.setTimeout;
  let replacedCalls = 0;
  globalThis.setTimeout = (...args) => { replacedCalls++; return original(...args); };
  try {
    const signal = AbortSignal.timeout(1);
    await new Promise((resolve) => signal.addEventListener('abort', resolve));
    assertEqual(signal.reason.name, 'TimeoutError');
  } finally {
    globalThis.setTimeout = original;
  }
  assertEqual(replacedCalls, 0);
});
