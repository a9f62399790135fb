// Shape of small globals the conformance suites check: self, navigator, console's class string.
'use strict';

test('self is the global object, a replaceable attribute', () => {
  assert(self === globalThis);
  const d = Object.getOwnPropertyDescriptor(globalThis, 'self');
  assertEqual([typeof d.get, typeof d.set, d.enumerable, d.configurable], ['function', 'function', true, true]);
  assert(self.self === self && self.structuredClone === structuredClone);
  globalThis.self = 42;
  const after = Object.getOwnPropertyDescriptor(globalThis, 'self');
  assertEqual([after.value, after.writable, after.enumerable, after.configurable], [42, true, true, true]);
  globalThis.self = globalThis;
});

test('navigator: userAgent (what fetch sends), language(s), hardwareConcurrency', () => {
  assertEqual(typeof navigator, 'object');
  assert(navigator instanceof Navigator);
  assertEqual(Object.prototype.toString.call(navigator), '[object Navigator]');
  assertEqual(navigator.userAgent, `eddy/${eddy.version}`);
  assertEqual(typeof navigator.language, 'string');
  assert(navigator.language.length > 0);
  assertEqual(navigator.language, new Intl.DateTimeFormat().resolvedOptions().locale);
  assertEqual(navigator.languages, [navigator.language]);
  assert(navigator.languages === navigator.languages, 'the same FrozenArray each time');
  assert(Object.isFrozen(navigator.languages));
  const n = navigator.hardwareConcurrency;
  assert(Number.isInteger(n) && n >= 1, String(n));
  assertThrows(() => new Navigator(), TypeError);
  assertThrows(() => Object.getOwnPropertyDescriptor(Navigator.prototype, 'userAgent').get.call({}), TypeError);
  for (const name of ['userAgent', 'language', 'languages', 'hardwareConcurrency']) {
    assertEqual(Object.getOwnPropertyDescriptor(Navigator.prototype, name).enumerable, true, name);
  }
});

test("navigator: NavigatorID's worker members, and none of its Window-only ones", () => {
  assertEqual([navigator.appCodeName, navigator.appName, navigator.product], ['Mozilla', 'Netscape', 'Gecko']);
  assertEqual(navigator.appVersion, eddy.version);
  assertEqual(typeof navigator.platform, 'string');
  assert(navigator.platform === navigator.platform);
  for (const name of ['productSub', 'vendor', 'vendorSub', 'taintEnabled', 'oscpu']) {
    assert(!(name in navigator), name);
  }
  for (const name of ['appCodeName', 'appName', 'appVersion', 'platform', 'product']) {
    const d = Object.getOwnPropertyDescriptor(Navigator.prototype, name);
    assertEqual([typeof d.get, d.set, d.enumerable, d.configurable], ['function', undefined, true, true], name);
    assertThrows(() => d.get.call({}), TypeError);
  }
});

test('console is a namespace: its own @@toStringTag, an empty object as its prototype', () => {
  const d = Object.getOwnPropertyDescriptor(console, Symbol.toStringTag);
  assertEqual([d.value, d.writable, d.enumerable, d.configurable], ['console', false, false, true]);
  assertEqual(console[Symbol.toStringTag], 'console');
  assertEqual(Object.prototype.toString.call(console), '[object console]');
  const proto = Object.getPrototypeOf(console);
  assertEqual(Object.getOwnPropertyNames(proto).length + Object.getOwnPropertySymbols(proto).length, 0);
  assert(Object.getPrototypeOf(proto) === Object.prototype);
});

test('setTimeout with a string handler: converted when called, run as global script code when due', async () => {
  const order = [];
  globalThis.recordTimer = (s) => order.push(s);
  try {
    const handler = {
      toString() {
        // Runs inside the outer setTimeout call, so this timer is created (and fires) first.
        setTimeout("recordTimer('inner')", 5);
        return "recordTimer('outer'); var declaredByTimer = 1;";
      },
    };
    setTimeout(handler, 5);
    assertEqual(order, []);
    await new Promise((resolve) => setTimeout(resolve, 40));
    assertEqual(order, ['inner', 'outer']);
    assertEqual(globalThis.declaredByTimer, 1);
    assertThrows(() => setTimeout(), TypeError);
    assertThrows(() => setTimeout(Symbol('s')), TypeError);
  } finally {
    delete globalThis.recordTimer;
    delete globalThis.declaredByTimer;
  }
});
