// Small web-platform shape details: DOMException's legacy codes and cause, reportError's
// event location, console's tag, structuredClone of a CryptoKey.
'use strict';

test('DOMException: legacy codes by name, removed names give 0', () => {
  const codes = {
    IndexSizeError: 1, HierarchyRequestError: 3, WrongDocumentError: 4, InvalidCharacterError: 5,
    NoModificationAllowedError: 7, NotFoundError: 8, NotSupportedError: 9, InUseAttributeError: 10,
    InvalidStateError: 11, SyntaxError: 12, InvalidModificationError: 13, NamespaceError: 14,
    InvalidAccessError: 15, TypeMismatchError: 17, SecurityError: 18, NetworkError: 19,
    AbortError: 20, URLMismatchError: 21, QuotaExceededError: 22, TimeoutError: 23,
    InvalidNodeTypeError: 24, DataCloneError: 25,
    DOMStringSizeError: 0, NoDataAllowedError: 0, ValidationError: 0,
    EncodingError: 0, NotReadableError: 0, OperationError: 0, NotAllowedError: 0, foo: 0,
  };
  for (const name of Object.keys(codes)) {
    const e = new DOMException('m', name);
    assertEqual([e.name, e.message, e.code], [name, 'm', codes[name]], name);
  }
  assertEqual(new DOMException().code, 0);
  // The constants stay, on the constructor and the prototype, including removed ones.
  assertEqual([DOMException.DOMSTRING_SIZE_ERR, DOMException.prototype.VALIDATION_ERR], [2, 16]);
  assertEqual(Object.getOwnPropertyDescriptor(DOMException, 'ABORT_ERR'),
    { value: 20, writable: false, enumerable: true, configurable: false });
  assert(Object.getPrototypeOf(DOMException.prototype) === Error.prototype);
});

test('DOMException: the interface object inherits from Function.prototype, instances are Errors', () => {
  assert(Object.getPrototypeOf(DOMException) === Function.prototype);
  assertEqual([DOMException.length, DOMException.name], [0, 'DOMException']);
  const d = Object.getOwnPropertyDescriptor(DOMException, 'prototype');
  assertEqual([d.writable, d.enumerable, d.configurable], [false, false, false]);
  assert(DOMException.prototype.constructor === DOMException);
  assertThrows(() => DOMException('m'), TypeError);
  const e = new DOMException('m', 'AbortError');
  assert(e instanceof Error && e instanceof DOMException);
  assertEqual(typeof e.stack, 'string');
  assertEqual([String(e), Object.prototype.toString.call(e)], ['AbortError: m', '[object DOMException]']);
  class Sub extends DOMException {}
  const s = new Sub('x', 'DataCloneError');
  assert(s instanceof Sub && s instanceof DOMException);
  assertEqual([s.name, s.code], ['DataCloneError', 25]);
  assertThrows(() => Object.getOwnPropertyDescriptor(DOMException.prototype, 'code').get.call({}), TypeError);
});

test('DOMException: name, message and cause are inherited accessors', () => {
  const e = new DOMException('bar', { name: 'NotSupportedError', cause: 'foo' });
  assertEqual([e.name, e.code, e.cause], ['NotSupportedError', 9, 'foo']);
  for (const key of ['name', 'message', 'cause']) assert(!Object.hasOwn(e, key), key);
  assertEqual(new DOMException('x').cause, undefined);
  assertEqual(new DOMException('x', {}).name, 'Error');
  const c = structuredClone(new DOMException('cloned', 'DataCloneError'));
  assertEqual([c.name, c.message, c.code], ['DataCloneError', 'cloned', 25]);
});

test('reportError: the ErrorEvent has the script\'s filename, line and column', () => {
  const seen = [];
  const listener = (e) => {
    seen.push([e.filename, e.lineno, e.colno, e.error]);
    e.preventDefault();
  };
  addEventListener('error', listener);
  try {
    const err = new TypeError('t');
    reportError(err);
    reportError(new DOMException('d', 'AbortError'));
    reportError(42);
  } finally {
    removeEventListener('error', listener);
  }
  assertEqual(seen.length, 3);
  for (const [filename, lineno, colno] of seen) {
    assert(filename.endsWith('web_shape.test.js'), filename);
    assert(lineno > 0 && colno > 0, `${lineno}:${colno}`);
  }
  assertEqual(seen[2][3], 42);
});

test('reportError: the message is never empty and no getter of the value runs', () => {
  const seen = [];
  const listener = (e) => {
    seen.push(e.message);
    e.preventDefault();
  };
  let getterRan = false;
  const trap = {
    get message() { getterRan = true; return 'm'; },
    get name() { getterRan = true; return 'n'; },
    toString() { getterRan = true; return 's'; },
  };
  addEventListener('error', listener);
  try {
    reportError(new TypeError());
    reportError(new TypeError('boom'));
    reportError(1);
    reportError(undefined);
    reportError(trap);
  } finally {
    removeEventListener('error', listener);
  }
  assertEqual(getterRan, false);
  assertEqual(seen.length, 5);
  for (const message of seen) assert(typeof message === 'string' && message !== '', String(message));
  assertEqual(seen[1], 'boom');
});

test('console has the "console" tag', () => {
  assertEqual(console[Symbol.toStringTag], 'console');
  assertEqual(Object.prototype.toString.call(console), '[object console]');
});

test('structuredClone of a CryptoKey is a new key with the same slots', async () => {
  const key = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, true, ['sign', 'verify']);
  const copy = structuredClone(key);
  assert(copy instanceof CryptoKey);
  assert(copy !== key);
  assertEqual([copy.type, copy.extractable, copy.algorithm.name, copy.algorithm.hash.name],
    ['secret', true, 'HMAC', 'SHA-256']);
  assertEqual([...copy.usages].sort(), ['sign', 'verify']);
  const data = new Uint8Array([1, 2, 3]);
  const sig = await crypto.subtle.sign('HMAC', key, data);
  assert(await crypto.subtle.verify('HMAC', copy, sig, data));
});
