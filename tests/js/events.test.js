// Event, EventTarget, CustomEvent, ErrorEvent, PromiseRejectionEvent, DOMException, and
// globalThis as an event target.
'use strict';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

test('Event defaults and init dictionary', () => {
  const e = new Event('foo');
  assertEqual(e.type, 'foo');
  assertEqual(e.bubbles, false);
  assertEqual(e.cancelable, false);
  assertEqual(e.composed, false);
  assertEqual(e.defaultPrevented, false);
  assertEqual(e.isTrusted, false);
  assertEqual(e.target, null);
  assertEqual(e.currentTarget, null);
  assertEqual(e.eventPhase, Event.NONE);
  assertEqual(typeof e.timeStamp, 'number');
  assertEqual(e.composedPath().length, 0);
  const f = new Event('bar', { bubbles: true, cancelable: true, composed: true });
  assert(f.bubbles && f.cancelable && f.composed);
  assertEqual(Object.prototype.toString.call(e), '[object Event]');
});

test('Event constants and argument checks', () => {
  assertEqual([Event.NONE, Event.CAPTURING_PHASE, Event.AT_TARGET, Event.BUBBLING_PHASE], [0, 1, 2, 3]);
  assertEqual(new Event('x').AT_TARGET, 2);
  assertThrows(() => new Event(), TypeError);
  assertThrows(() => Event('x'), TypeError);
  assertThrows(() => new Event('x', 5), TypeError);
});

test('preventDefault only works on cancelable events', () => {
  const a = new Event('a');
  a.preventDefault();
  assertEqual(a.defaultPrevented, false);
  const b = new Event('b', { cancelable: true });
  b.preventDefault();
  assertEqual(b.defaultPrevented, true);
  assertEqual(b.returnValue, false);
  const c = new Event('c', { cancelable: true });
  c.returnValue = false;
  assertEqual(c.defaultPrevented, true);
});

test('dispatchEvent calls listeners with target, currentTarget and this', () => {
  const t = new EventTarget();
  const seen = [];
  function listener(e) {
    seen.push([this === t, e.target === t, e.currentTarget === t, e.eventPhase]);
  }
  t.addEventListener('ping', listener);
  const e = new Event('ping');
  assertEqual(t.dispatchEvent(e), true);
  assertEqual(seen, [[true, true, true, 2]]);
  assertEqual(e.eventPhase, 0);
  assertEqual(e.currentTarget, null);
  assertEqual(e.target, t);
});

test('listeners run in order; duplicates are ignored; capture is a separate registration', () => {
  const t = new EventTarget();
  const order = [];
  const a = () => order.push('a');
  const b = () => order.push('b');
  t.addEventListener('x', a);
  t.addEventListener('x', b);
  t.addEventListener('x', a);
  t.addEventListener('x', a, true);
  t.dispatchEvent(new Event('x'));
  // Capture listeners at the target run first.
  assertEqual(order, ['a', 'a', 'b']);
  order.length = 0;
  t.removeEventListener('x', a, { capture: true });
  t.dispatchEvent(new Event('x'));
  assertEqual(order, ['a', 'b']);
  order.length = 0;
  t.removeEventListener('x', a);
  t.dispatchEvent(new Event('x'));
  assertEqual(order, ['b']);
});

test('once listeners are removed before they run', () => {
  const t = new EventTarget();
  let n = 0;
  t.addEventListener('x', () => {
    n++;
    t.dispatchEvent(new Event('x'));
  }, { once: true });
  t.dispatchEvent(new Event('x'));
  t.dispatchEvent(new Event('x'));
  assertEqual(n, 1);
});

test('passive listeners cannot cancel', () => {
  const t = new EventTarget();
  t.addEventListener('x', (e) => e.preventDefault(), { passive: true });
  const e = new Event('x', { cancelable: true });
  assertEqual(t.dispatchEvent(e), true);
  assertEqual(e.defaultPrevented, false);
  t.addEventListener('x', (ev) => ev.preventDefault());
  const f = new Event('x', { cancelable: true });
  assertEqual(t.dispatchEvent(f), false);
  assertEqual(f.defaultPrevented, true);
});

test('signal option removes the listener on abort', () => {
  const t = new EventTarget();
  const ac = new AbortController();
  let n = 0;
  t.addEventListener('x', () => n++, { signal: ac.signal });
  t.dispatchEvent(new Event('x'));
  ac.abort();
  t.dispatchEvent(new Event('x'));
  assertEqual(n, 1);
  t.addEventListener('x', () => n++, { signal: ac.signal });
  t.dispatchEvent(new Event('x'));
  assertEqual(n, 1, 'an aborted signal adds nothing');
  assertThrows(() => t.addEventListener('x', () => {}, { signal: {} }), TypeError);
});

test('handleEvent objects', () => {
  const t = new EventTarget();
  const obj = {
    calls: 0,
    handleEvent(e) {
      assert(this === obj);
      assertEqual(e.type, 'x');
      this.calls++;
    },
  };
  t.addEventListener('x', obj);
  t.dispatchEvent(new Event('x'));
  assertEqual(obj.calls, 1);
  t.removeEventListener('x', obj);
  t.dispatchEvent(new Event('x'));
  assertEqual(obj.calls, 1);
});

test('stopImmediatePropagation stops later listeners; stopPropagation does not at the target', () => {
  const t = new EventTarget();
  const order = [];
  t.addEventListener('x', (e) => { order.push(1); e.stopPropagation(); });
  t.addEventListener('x', (e) => { order.push(2); e.stopImmediatePropagation(); });
  t.addEventListener('x', () => order.push(3));
  t.dispatchEvent(new Event('x'));
  assertEqual(order, [1, 2]);
});

test('listeners added during dispatch do not run; removed ones do not run', () => {
  const t = new EventTarget();
  const order = [];
  const late = () => order.push('late');
  const removed = () => order.push('removed');
  t.addEventListener('x', () => {
    order.push('first');
    t.addEventListener('x', late);
    t.removeEventListener('x', removed);
  });
  t.addEventListener('x', removed);
  t.dispatchEvent(new Event('x'));
  assertEqual(order, ['first']);
  order.length = 0;
  t.dispatchEvent(new Event('x'));
  assertEqual(order, ['first', 'late']);
});

test('dispatchEvent rejects events being dispatched and non-events', () => {
  const t = new EventTarget();
  let inner;
  t.addEventListener('x', (e) => {
    try {
      t.dispatchEvent(e);
    } catch (err) {
      inner = err;
    }
  });
  t.dispatchEvent(new Event('x'));
  assert(inner instanceof DOMException, 'InvalidStateError expected');
  assertEqual(inner.name, 'InvalidStateError');
  assertThrows(() => t.dispatchEvent({ type: 'x' }), TypeError);
  assertThrows(() => t.addEventListener('x', 'nope'), TypeError);
  t.addEventListener('x', null);
});

test('a throwing listener does not stop the others and is reported as an error event', async () => {
  const t = new EventTarget();
  const order = [];
  const boom = new Error('listener boom');
  let reported = null;
  const onError = (e) => {
    if (e.error === boom) {
      reported = e;
      e.preventDefault();
    }
  };
  addEventListener('error', onError);
  try {
    t.addEventListener('x', () => { order.push(1); throw boom; });
    t.addEventListener('x', () => order.push(2));
    t.dispatchEvent(new Event('x'));
    assertEqual(order, [1, 2]);
    await tick();
    assert(reported !== null, 'error event dispatched');
    assert(reported instanceof ErrorEvent);
    assertEqual(reported.message, 'listener boom');
    assertEqual(reported.target, globalThis);
    assertEqual(reported.isTrusted, true);
  } finally {
    removeEventListener('error', onError);
  }
});

test('event handler attributes keep their position and cancel on false', () => {
  const ac = new AbortController();
  const order = [];
  ac.signal.addEventListener('abort', () => order.push('a'));
  ac.signal.onabort = () => order.push('handler-1');
  ac.signal.addEventListener('abort', () => order.push('b'));
  ac.signal.onabort = function (e) {
    assert(this === ac.signal);
    assertEqual(e.type, 'abort');
    order.push('handler-2');
  };
  assertEqual(typeof ac.signal.onabort, 'function');
  ac.abort();
  assertEqual(order, ['a', 'handler-2', 'b']);
  ac.signal.onabort = null;
  assertEqual(ac.signal.onabort, null);

  const e = new Event('abort', { cancelable: true });
  const s = AbortSignal.abort();
  s.onabort = () => false;
  assertEqual(s.dispatchEvent(e), false);
});

test('CustomEvent detail', () => {
  assertEqual(new CustomEvent('x').detail, null);
  const d = { a: 1 };
  const e = new CustomEvent('x', { detail: d, cancelable: true });
  assert(e.detail === d);
  assert(e.cancelable);
  assert(e instanceof Event);
  e.initCustomEvent('y', false, false, 5);
  assertEqual(e.type, 'y');
  assertEqual(e.detail, 5);
});

test('ErrorEvent and PromiseRejectionEvent', () => {
  const err = new Error('x');
  const e = new ErrorEvent('error', { message: 'm', filename: 'f.js', lineno: 3, colno: 4, error: err });
  assertEqual([e.message, e.filename, e.lineno, e.colno], ['m', 'f.js', 3, 4]);
  assert(e.error === err);
  const d = new ErrorEvent('error');
  assertEqual([d.message, d.filename, d.lineno, d.colno, d.error], ['', '', 0, 0, null]);
  const p = Promise.resolve(1);
  const r = new PromiseRejectionEvent('unhandledrejection', { promise: p, reason: 'why' });
  assert(r.promise === p);
  assertEqual(r.reason, 'why');
  assertThrows(() => new PromiseRejectionEvent('unhandledrejection', {}), TypeError);
  assertThrows(() => new PromiseRejectionEvent('unhandledrejection'), TypeError);
});

test('DOMException names, codes and Error-ness', () => {
  const e = new DOMException('gone', 'AbortError');
  assertEqual(e.name, 'AbortError');
  assertEqual(e.message, 'gone');
  assertEqual(e.code, 20);
  assert(e instanceof DOMException);
  assert(e instanceof Error);
  assertEqual(typeof e.stack, 'string');
  assertEqual(String(e), 'AbortError: gone');
  assertEqual(Object.prototype.toString.call(e), '[object DOMException]');
  const codes = {
    IndexSizeError: 1, NotFoundError: 8, NotSupportedError: 9, InvalidStateError: 11,
    SyntaxError: 12, NetworkError: 19, TimeoutError: 23, DataCloneError: 25,
    EncodingError: 0, NotAllowedError: 0, Whatever: 0,
  };
  for (const name of Object.keys(codes)) {
    assertEqual(new DOMException('', name).code, codes[name], name);
  }
  const d = new DOMException();
  assertEqual([d.name, d.message, d.code], ['Error', '', 0]);
  assertEqual(DOMException.ABORT_ERR, 20);
  assertEqual(DOMException.TIMEOUT_ERR, 23);
  assertEqual(DOMException.DATA_CLONE_ERR, 25);
  assertEqual(e.INVALID_STATE_ERR, 11);
  const cause = new Error('root');
  const withCause = new DOMException('m', { name: 'DataCloneError', cause });
  assertEqual(withCause.name, 'DataCloneError');
  assert(withCause.cause === cause);
  assertEqual(Object.keys(e).length, 0, 'no own enumerable properties');
});

test('globalThis is an event target', () => {
  assertEqual(typeof addEventListener, 'function');
  assertEqual(typeof removeEventListener, 'function');
  assertEqual(typeof dispatchEvent, 'function');
  let got = null;
  const l = function (e) {
    got = [this === globalThis, e.target === globalThis, e.currentTarget === globalThis];
  };
  addEventListener('custom', l);
  assertEqual(dispatchEvent(new Event('custom')), true);
  assertEqual(got, [true, true, true]);
  got = null;
  globalThis.removeEventListener('custom', l);
  dispatchEvent(new Event('custom'));
  assertEqual(got, null);
  assertEqual(onerror, null);
  assertEqual(onunhandledrejection, null);
});

test('an error thrown by a timer callback dispatches an error event', async () => {
  let seen = null;
  const l = (e) => {
    if (e.message === 'timer boom') {
      seen = e;
      e.preventDefault();
    }
  };
  addEventListener('error', l);
  try {
    setTimeout(() => { throw new Error('timer boom'); }, 0);
    await tick(20);
    assert(seen !== null, 'error event dispatched');
    assert(seen instanceof ErrorEvent);
    assertEqual(seen.cancelable, true);
    assertEqual(seen.error.message, 'timer boom');
    assertEqual(typeof seen.filename, 'string');
    assertEqual(typeof seen.lineno, 'number');
  } finally {
    removeEventListener('error', l);
  }
});

test('onerror gets (message, filename, lineno, colno, error) and cancels with true', async () => {
  let args = null;
  const err = new Error('handler boom');
  onerror = (...a) => {
    args = a;
    return true;
  };
  try {
    reportError(err);
    await tick();
    assert(args !== null, 'onerror called');
    assertEqual(args[0], 'handler boom');
    assert(args[4] === err);
  } finally {
    onerror = null;
  }
});

test('unhandled rejections dispatch a cancelable unhandledrejection event', async () => {
  let seen = null;
  const reason = new Error('nobody handles me');
  const l = (e) => {
    if (e.reason === reason) {
      seen = e;
      e.preventDefault();
    }
  };
  addEventListener('unhandledrejection', l);
  try {
    const p = Promise.reject(reason);
    await tick(20);
    // Without JSC's rejection callback (docs/porting.md) nothing reports them.
    if (!eddy.jscFeatures.includes('rejection_callback')) {
      assertEqual(seen, null);
      p.catch(() => {});
      return;
    }
    assert(seen !== null, 'unhandledrejection dispatched');
    assert(seen instanceof PromiseRejectionEvent);
    assert(seen.promise === p);
    assertEqual(seen.cancelable, true);
  } finally {
    removeEventListener('unhandledrejection', l);
  }
});

test('QuotaExceededError is the DOMException subclass with quota and requested', () => {
  assert(Object.getPrototypeOf(QuotaExceededError) === DOMException);
  assert(Object.getPrototypeOf(QuotaExceededError.prototype) === DOMException.prototype);
  const e = new QuotaExceededError('full', { quota: 10, requested: 12 });
  assert(e instanceof DOMException && e instanceof Error);
  assertEqual([e.name, e.message, e.code, e.quota, e.requested], ['QuotaExceededError', 'full', 22, 10, 12]);
  assertEqual(Object.prototype.toString.call(e), '[object QuotaExceededError]');
  const bare = new QuotaExceededError();
  assertEqual([bare.message, bare.quota, bare.requested], ['', null, null]);
  assertEqual(new QuotaExceededError('x', { requested: 0 }).requested, 0);
  assertThrows(() => new QuotaExceededError('x', { quota: -1 }), RangeError);
  assertThrows(() => new QuotaExceededError('x', { requested: -1 }), RangeError);
  assertThrows(() => new QuotaExceededError('x', { quota: 5, requested: 4 }), RangeError);
  assertThrows(() => new QuotaExceededError('x', { quota: Infinity }), TypeError);
  assertThrows(() => new QuotaExceededError('x', 5), TypeError);
  assertThrows(() => QuotaExceededError('x'), TypeError);
  const d = Object.getOwnPropertyDescriptor(globalThis, 'QuotaExceededError');
  assertEqual([d.writable, d.enumerable, d.configurable], [true, false, true]);
});
