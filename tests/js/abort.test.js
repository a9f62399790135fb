// AbortController and AbortSignal.
'use strict';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('AbortController basics', () => {
  const ac = new AbortController();
  const s = ac.signal;
  assert(s instanceof AbortSignal);
  assert(s instanceof EventTarget);
  assert(ac.signal === s, 'same signal every time');
  assertEqual(s.aborted, false);
  assertEqual(s.reason, undefined);
  s.throwIfAborted();
  assertEqual(Object.prototype.toString.call(s), '[object AbortSignal]');
  assertEqual(Object.prototype.toString.call(ac), '[object AbortController]');
});

test('AbortSignal cannot be constructed', () => {
  assertThrows(() => new AbortSignal(), TypeError);
});

test('abort() without a reason uses an AbortError DOMException', () => {
  const ac = new AbortController();
  let events = 0;
  let event = null;
  ac.signal.addEventListener('abort', (e) => {
    events++;
    event = e;
    assertEqual(ac.signal.aborted, true, 'aborted is set before the event');
  });
  ac.abort();
  ac.abort(new Error('second'));
  assertEqual(events, 1);
  assertEqual(event.type, 'abort');
  assertEqual(event.isTrusted, true);
  assertEqual(event.cancelable, false);
  assert(event.target === ac.signal);
  const r = ac.signal.reason;
  assert(r instanceof DOMException);
  assertEqual(r.name, 'AbortError');
  assertEqual(r.code, 20);
  assertEqual(r.message, 'signal is aborted without reason');
  const e = assertThrows(() => ac.signal.throwIfAborted(), DOMException);
  assert(e === r, 'throwIfAborted throws the reason');
});

test('abort(reason) keeps any reason value', () => {
  const ac = new AbortController();
  ac.abort('because');
  assertEqual(ac.signal.reason, 'because');
  let thrown;
  try {
    ac.signal.throwIfAborted();
  } catch (e) {
    thrown = e;
  }
  assertEqual(thrown, 'because');
  const ac2 = new AbortController();
  const err = new RangeError('r');
  ac2.abort(err);
  assert(ac2.signal.reason === err);
});

test('onabort handler', () => {
  const ac = new AbortController();
  let called = 0;
  ac.signal.onabort = (e) => {
    called++;
    assertEqual(e.type, 'abort');
  };
  ac.abort();
  assertEqual(called, 1);
});

test('AbortSignal.abort()', () => {
  const s = AbortSignal.abort();
  assertEqual(s.aborted, true);
  assertEqual(s.reason.name, 'AbortError');
  const t = AbortSignal.abort(42);
  assertEqual(t.reason, 42);
});

test('AbortSignal.timeout() aborts with a TimeoutError', async () => {
  const s = AbortSignal.timeout(10);
  assertEqual(s.aborted, false);
  let fired = false;
  s.addEventListener('abort', () => { fired = true; });
  await sleep(60);
  assertEqual(s.aborted, true);
  assert(fired);
  assert(s.reason instanceof DOMException);
  assertEqual(s.reason.name, 'TimeoutError');
  assertEqual(s.reason.code, 23);
  assertEqual(s.reason.message, 'signal timed out');
});

test('AbortSignal.timeout() validates its argument', () => {
  assertThrows(() => AbortSignal.timeout(-1), TypeError);
  assertThrows(() => AbortSignal.timeout(NaN), TypeError);
  assertThrows(() => AbortSignal.timeout(Infinity), TypeError);
  assertThrows(() => AbortSignal.timeout(), TypeError);
  AbortSignal.timeout(0);
});

test('AbortSignal.any() follows its sources', () => {
  const a = new AbortController();
  const b = new AbortController();
  const any = AbortSignal.any([a.signal, b.signal]);
  assertEqual(any.aborted, false);
  const order = [];
  a.signal.addEventListener('abort', () => order.push('a'));
  any.addEventListener('abort', () => order.push('any'));
  a.abort('first');
  assertEqual(any.aborted, true);
  assertEqual(any.reason, 'first');
  assertEqual(order, ['a', 'any']);
  b.abort('second');
  assertEqual(any.reason, 'first');
});

test('AbortSignal.any() with an already aborted signal', () => {
  const a = new AbortController();
  const any = AbortSignal.any([a.signal, AbortSignal.abort('x'), AbortSignal.abort('y')]);
  assertEqual(any.aborted, true);
  assertEqual(any.reason, 'x');
  const empty = AbortSignal.any([]);
  assertEqual(empty.aborted, false);
  assertThrows(() => AbortSignal.any([{}]), TypeError);
  assertThrows(() => AbortSignal.any(5), TypeError);
});

test('AbortSignal.any() of a dependent signal follows the original sources', () => {
  const a = new AbortController();
  const first = AbortSignal.any([a.signal]);
  const second = AbortSignal.any([first]);
  const order = [];
  first.addEventListener('abort', () => order.push('first'));
  second.addEventListener('abort', () => order.push('second'));
  a.abort('why');
  assertEqual(second.aborted, true);
  assertEqual(second.reason, 'why');
  assertEqual(order, ['first', 'second']);
});

test('AbortSignal.any() with a timeout signal', async () => {
  const user = new AbortController();
  const s = AbortSignal.any([user.signal, AbortSignal.timeout(10)]);
  await sleep(60);
  assertEqual(s.aborted, true);
  assertEqual(s.reason.name, 'TimeoutError');
  assertEqual(user.signal.aborted, false);
});

test('a throwing abort listener does not stop the others', async () => {
  const ac = new AbortController();
  let second = false;
  const boom = new Error('abort listener boom');
  const onError = (e) => {
    if (e.error === boom) e.preventDefault();
  };
  addEventListener('error', onError);
  try {
    ac.signal.addEventListener('abort', () => { throw boom; });
    ac.signal.addEventListener('abort', () => { second = true; });
    ac.abort();
    assert(second);
    await sleep(0);
  } finally {
    removeEventListener('error', onError);
  }
});
