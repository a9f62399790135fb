// Error reporting paths that end at the host (mock-only: __mock.hostErrors records what the
// host's error callback received).
'use strict';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
__mock.tolerateHostErrors = true;

test('an unprevented reported error reaches the host once', async () => {
  const before = __mock.hostErrors.length;
  let events = 0;
  const l = () => { events++; };
  addEventListener('error', l);
  try {
    const err = new Error('to host');
    reportError(err);
    await tick();
    assertEqual(events, 1);
    assertEqual(__mock.hostErrors.length, before + 1);
    assert(__mock.hostErrors[before].error === err);
  } finally {
    removeEventListener('error', l);
  }
});

test('a prevented error does not reach the host', async () => {
  const before = __mock.hostErrors.length;
  const l = (e) => e.preventDefault();
  addEventListener('error', l);
  try {
    reportError(new Error('handled'));
    await tick();
    assertEqual(__mock.hostErrors.length, before);
  } finally {
    removeEventListener('error', l);
  }
});

test('a throwing error listener goes to the host without recursion', async () => {
  const before = __mock.hostErrors.length;
  let calls = 0;
  const inner = new Error('from listener');
  const l = (e) => {
    calls++;
    e.preventDefault();
    throw inner;
  };
  const other = () => { calls++; };
  addEventListener('error', l);
  addEventListener('error', other);
  try {
    reportError(new Error('outer'));
    await tick();
    assertEqual(calls, 2, 'each listener ran once');
    assertEqual(__mock.hostErrors.length, before + 1);
    assert(__mock.hostErrors[before].error === inner, 'the listener error went to the host');
  } finally {
    removeEventListener('error', l);
    removeEventListener('error', other);
  }
});

test('reportError() inside an error listener goes to the host', async () => {
  const before = __mock.hostErrors.length;
  const nested = new Error('nested');
  let calls = 0;
  const l = (e) => {
    calls++;
    if (e.error !== nested) reportError(nested);
    e.preventDefault();
  };
  addEventListener('error', l);
  try {
    reportError(new Error('first'));
    await tick();
    assertEqual(calls, 1);
    assertEqual(__mock.hostErrors.length, before + 1);
    assert(__mock.hostErrors[before].error === nested);
  } finally {
    removeEventListener('error', l);
  }
});

test('an unprevented unhandled rejection reaches the host', async () => {
  const before = __mock.hostErrors.length;
  const reason = new Error('unhandled');
  Promise.reject(reason);
  await tick(20);
  assertEqual(__mock.hostErrors.length, before + 1);
  assertEqual(__mock.hostErrors[before].kind, 2);
  assert(__mock.hostErrors[before].error === reason);
});
