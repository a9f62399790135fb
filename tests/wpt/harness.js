// A testharness.js-compatible harness for running web-platform-tests' .any.js files in a shell
// (eddy, Node, Bun), written from the testharness API documentation
// (https://web-platform-tests.org/writing-tests/testharness-api.html). run.py loads it when the
// WPT checkout given to it has no resources/testharness.js, or with --own-harness: the same
// harness then runs every engine, so the figures compare like with like.
//
// Semantics kept from the documentation: test() runs at once; async_test()s run side by side;
// promise_test()s run one after another, each after the previous one's cleanups; an assertion
// outside a test step is a harness error; the harness completes when the file has been run and
// every test has a result, or at the harness timeout, where unfinished tests are TIMEOUT and
// tests never started NOTRUN.
(function (global) {
  'use strict';

  const PASS = 0, FAIL = 1, TIMEOUT = 2, NOTRUN = 3, PRECONDITION_FAILED = 4;
  const INITIAL = 0, STARTED = 1, HAS_RESULT = 2, COMPLETE = 3;

  const allTests = [];
  const resultCallbacks = [];
  const completionCallbacks = [];
  const harness = { status: 0, message: null, stack: null, OK: 0, ERROR: 1, TIMEOUT: 2, PRECONDITION_FAILED: 3 };
  let pending = 0;
  let loaded = false;
  let doneCalled = false;
  let waitForDone = false;
  let completed = false;
  let allowUncaught = false;
  let singleTest = null; // setup({single_test: true}): the file is one test, passed by done()
  let timeoutMultiplier = 1;
  let harnessTimer = null;
  let promiseQueue = null;
  let nameCounter = 0;

  function AssertionError(message) {
    this.message = message;
    this.stack = new Error().stack;
  }
  AssertionError.prototype = Object.create(Error.prototype);
  AssertionError.prototype.name = 'AssertionError';
  AssertionError.prototype.constructor = AssertionError;

  function OptionalFeatureUnsupportedError(message) {
    AssertionError.call(this, message);
  }
  OptionalFeatureUnsupportedError.prototype = Object.create(AssertionError.prototype);

  function sameValue(x, y) {
    return Object.is(x, y);
  }

  const escapes = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f', '\v': '\\v', '\0': '\\0' };
  function formatValue(val, seen) {
    seen = seen || [];
    if (typeof val === 'object' && val !== null) {
      if (seen.indexOf(val) >= 0) return '[...]';
      seen.push(val);
    }
    if (Array.isArray(val)) {
      let out = '[' + val.slice(0, 100).map((x) => formatValue(x, seen)).join(', ');
      return out + (val.length > 100 ? ', …]' : ']');
    }
    switch (typeof val) {
      case 'string':
        return '"' + val.replace(/[\\"\n\r\t\b\f\v\0]/g, (c) => escapes[c])
          .replace(/[\x01-\x1f\ufffd-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) + '"';
      case 'number':
        return Object.is(val, -0) ? '-0' : String(val);
      case 'bigint':
        return String(val) + 'n';
      case 'symbol':
        return val.toString();
      case 'boolean':
      case 'undefined':
        return String(val);
      case 'object':
        if (val === null) return 'null';
      // falls through
      default:
        try {
          let s = String(val);
          if (s.length > 1000) s = s.slice(0, 997) + '...';
          return typeof val + ' "' + s + '"';
        } catch (e) {
          return '[stringifying object threw ' + String(e) + ' with type ' + String(typeof e) + ']';
        }
    }
  }

  function fail(fn, description, message) {
    throw new AssertionError(fn + ': ' + (description ? description + ' ' : '') + message);
  }

  function assert(condition, fn, description, message) {
    if (!allTests.length) {
      throw new Error('Called ' + fn + '() without creating a test');
    }
    if (condition !== true) fail(fn, description, typeof message === 'function' ? message() : message);
  }

  // ---- assertions

  function assert_true(actual, description) {
    assert(actual === true, 'assert_true', description, () => 'expected true got ' + formatValue(actual));
  }
  function assert_false(actual, description) {
    assert(actual === false, 'assert_false', description, () => 'expected false got ' + formatValue(actual));
  }
  function assert_equals(actual, expected, description) {
    if (typeof actual !== typeof expected) {
      assert(false, 'assert_equals', description, () => 'expected (' + typeof expected + ') ' +
        formatValue(expected) + ' but got (' + typeof actual + ') ' + formatValue(actual));
    }
    assert(sameValue(actual, expected), 'assert_equals', description,
      () => 'expected ' + formatValue(expected) + ' but got ' + formatValue(actual));
  }
  function assert_not_equals(actual, expected, description) {
    assert(!sameValue(actual, expected), 'assert_not_equals', description,
      () => 'got disallowed value ' + formatValue(actual));
  }
  function assert_in_array(actual, expected, description) {
    assert(expected.indexOf(actual) !== -1, 'assert_in_array', description,
      () => 'value ' + formatValue(actual) + ' not in array ' + formatValue(expected));
  }
  function assert_object_equals(actual, expected, description) {
    assert(typeof actual === 'object' && actual !== null, 'assert_object_equals', description,
      () => 'value is ' + formatValue(actual) + ', expected object');
    (function check(a, e, stack) {
      stack.push(a);
      for (const p in a) {
        assert(Object.prototype.hasOwnProperty.call(e, p), 'assert_object_equals', description, () => 'unexpected property ' + formatValue(p));
        if (typeof a[p] === 'object' && a[p] !== null) {
          if (stack.indexOf(a[p]) === -1) check(a[p], e[p], stack);
        } else {
          assert(sameValue(a[p], e[p]), 'assert_object_equals', description,
            () => 'property ' + formatValue(p) + ' expected ' + formatValue(e[p]) + ' got ' + formatValue(a[p]));
        }
      }
      for (const p in e) {
        assert(Object.prototype.hasOwnProperty.call(a, p), 'assert_object_equals', description, () => 'expected property ' + formatValue(p) + ' missing');
      }
      stack.pop();
    })(actual, expected, []);
  }
  function assert_array_equals(actual, expected, description) {
    assert(typeof actual === 'object' && actual !== null && 'length' in actual, 'assert_array_equals', description,
      () => 'value is ' + formatValue(actual) + ', expected array');
    assert(actual.length === expected.length, 'assert_array_equals', description,
      () => 'lengths differ, expected array ' + formatValue(expected) + ' length ' + expected.length +
        ', got ' + formatValue(actual) + ' length ' + actual.length);
    for (let i = 0; i < actual.length; i++) {
      const has = Object.prototype.hasOwnProperty;
      assert(has.call(actual, i) === has.call(expected, i), 'assert_array_equals', description,
        () => 'expected property ' + i + ' to be ' + (has.call(expected, i) ? 'present' : 'missing'));
      assert(sameValue(expected[i], actual[i]), 'assert_array_equals', description,
        () => 'expected property ' + i + ' to be ' + formatValue(expected[i]) + ' but got ' + formatValue(actual[i]) +
          ' (expected array ' + formatValue(expected) + ' got ' + formatValue(actual) + ')');
    }
  }
  function assert_array_approx_equals(actual, expected, epsilon, description) {
    assert(actual.length === expected.length, 'assert_array_approx_equals', description,
      () => 'lengths differ, expected ' + expected.length + ' got ' + actual.length);
    for (let i = 0; i < actual.length; i++) {
      assert(typeof actual[i] === 'number', 'assert_array_approx_equals', description,
        () => 'property ' + i + ', expected a number but got a ' + typeof actual[i]);
      assert(Math.abs(actual[i] - expected[i]) <= epsilon, 'assert_array_approx_equals', description,
        () => 'property ' + i + ', expected ' + formatValue(expected[i]) + ' +/- ' + epsilon + ' but got ' + formatValue(actual[i]));
    }
  }
  function assert_approx_equals(actual, expected, epsilon, description) {
    assert(typeof actual === 'number', 'assert_approx_equals', description, () => 'expected a number but got a ' + typeof actual);
    assert(Math.abs(actual - expected) <= epsilon || sameValue(actual, expected), 'assert_approx_equals', description,
      () => 'expected ' + formatValue(expected) + ' +/- ' + epsilon + ' but got ' + formatValue(actual));
  }
  function compare(name, test, what) {
    return function (actual, expected, description) {
      assert(typeof actual === typeof expected || typeof actual === 'number', name, description,
        () => 'expected a ' + typeof expected + ' but got a ' + typeof actual);
      assert(test(actual, expected), name, description,
        () => 'expected a number ' + what + ' ' + formatValue(expected) + ' but got ' + formatValue(actual));
    };
  }
  function between(name, test, what) {
    return function (actual, lower, upper, description) {
      assert(typeof actual === 'number', name, description, () => 'expected a number but got a ' + typeof actual);
      assert(test(actual, lower, upper), name, description,
        () => 'expected a number ' + what + ' ' + formatValue(lower) + ' and ' + formatValue(upper) + ' but got ' + formatValue(actual));
    };
  }
  function assert_regexp_match(actual, expected, description) {
    assert(expected.test(actual), 'assert_regexp_match', description,
      () => 'expected ' + formatValue(expected) + ' but got ' + formatValue(actual));
  }
  function assert_class_string(object, classString, description) {
    const actual = Object.prototype.toString.call(object);
    const expected = '[object ' + classString + ']';
    assert(actual === expected, 'assert_class_string', description,
      () => 'expected ' + formatValue(expected) + ' but got ' + formatValue(actual));
  }
  function ownProperty(name) {
    return function (object, property, description) {
      assert(Object.prototype.hasOwnProperty.call(object, property), name, description,
        () => 'expected property ' + formatValue(property) + ' missing');
    };
  }
  function assert_not_own_property(object, property, description) {
    assert(!Object.prototype.hasOwnProperty.call(object, property), 'assert_not_own_property', description,
      () => 'unexpected property ' + formatValue(property) + ' is found on object');
  }
  function inherits(name) {
    return function (object, property, description) {
      assert((typeof object === 'object' && object !== null) || typeof object === 'function', name, description,
        'provided value is not an object');
      assert(!Object.prototype.hasOwnProperty.call(object, property), name, description,
        () => 'property ' + formatValue(property) + ' found on object expected in prototype chain');
      assert(property in object, name, description,
        () => 'property ' + formatValue(property) + ' not found in prototype chain');
    };
  }
  function assert_readonly(object, property, description) {
    const initial = object[property];
    try {
      object[property] = initial + 'a';
      assert(sameValue(object[property], initial), 'assert_readonly', description,
        () => 'changing property ' + formatValue(property) + ' succeeded');
    } finally {
      object[property] = initial;
    }
  }
  function assert_unreached(description) {
    assert(false, 'assert_unreached', description, 'Reached unreachable code');
  }
  function assert_any(assertFunc, actual, expectedArray, ...rest) {
    const errors = [];
    for (const expected of expectedArray) {
      try {
        assertFunc.apply(this, [actual, expected].concat(rest));
        return;
      } catch (e) {
        errors.push(e.message);
      }
    }
    throw new AssertionError(errors.join('\n\n'));
  }
  function assert_implements(condition, description) {
    assert(!!condition, 'assert_implements', description, '');
  }
  function assert_implements_optional(condition, description) {
    if (!condition) throw new OptionalFeatureUnsupportedError(description);
  }

  function isErrorConstructor(ctor) {
    for (let obj = ctor; obj; obj = Object.getPrototypeOf(obj)) {
      if (typeof obj === 'function' && obj.name === 'Error') return true;
    }
    return false;
  }
  function throwsJs(fn, constructor, func, description) {
    try {
      func.call(this);
    } catch (e) {
      if (e instanceof AssertionError) throw e;
      assert(typeof e === 'object' && e !== null, fn, description,
        () => formatValue(func) + ' threw ' + formatValue(e) + ' with type ' + typeof e + ', not an object');
      assert(typeof constructor === 'function' && isErrorConstructor(constructor), fn, description,
        () => formatValue(constructor) + ' is not an Error subtype');
      assert(e.constructor === constructor && e.name === constructor.name, fn, description,
        () => formatValue(func) + ' threw ' + formatValue(e) + ' (' + e.name + ') expected instance of ' + constructor.name);
      return;
    }
    assert(false, fn, description, () => formatValue(func) + ' did not throw');
  }

  const codeNames = {
    INDEX_SIZE_ERR: 'IndexSizeError', HIERARCHY_REQUEST_ERR: 'HierarchyRequestError',
    WRONG_DOCUMENT_ERR: 'WrongDocumentError', INVALID_CHARACTER_ERR: 'InvalidCharacterError',
    NO_MODIFICATION_ALLOWED_ERR: 'NoModificationAllowedError', NOT_FOUND_ERR: 'NotFoundError',
    NOT_SUPPORTED_ERR: 'NotSupportedError', INUSE_ATTRIBUTE_ERR: 'InUseAttributeError',
    INVALID_STATE_ERR: 'InvalidStateError', SYNTAX_ERR: 'SyntaxError',
    INVALID_MODIFICATION_ERR: 'InvalidModificationError', NAMESPACE_ERR: 'NamespaceError',
    INVALID_ACCESS_ERR: 'InvalidAccessError', TYPE_MISMATCH_ERR: 'TypeMismatchError',
    SECURITY_ERR: 'SecurityError', NETWORK_ERR: 'NetworkError', ABORT_ERR: 'AbortError',
    URL_MISMATCH_ERR: 'URLMismatchError', QUOTA_EXCEEDED_ERR: 'QuotaExceededError',
    TIMEOUT_ERR: 'TimeoutError', INVALID_NODE_TYPE_ERR: 'InvalidNodeTypeError',
    DATA_CLONE_ERR: 'DataCloneError',
  };
  const nameCodes = {
    IndexSizeError: 1, HierarchyRequestError: 3, WrongDocumentError: 4, InvalidCharacterError: 5,
    NoModificationAllowedError: 7, NotFoundError: 8, NotSupportedError: 9, InUseAttributeError: 10,
    InvalidStateError: 11, SyntaxError: 12, InvalidModificationError: 13, NamespaceError: 14,
    InvalidAccessError: 15, TypeMismatchError: 17, SecurityError: 18, NetworkError: 19,
    AbortError: 20, URLMismatchError: 21, QuotaExceededError: 22, TimeoutError: 23,
    InvalidNodeTypeError: 24, DataCloneError: 25,
    EncodingError: 0, NotReadableError: 0, UnknownError: 0, ConstraintError: 0, DataError: 0,
    TransactionInactiveError: 0, ReadOnlyError: 0, VersionError: 0, OperationError: 0,
    NotAllowedError: 0, OptOutError: 0,
  };
  function throwsDom(fn, type, constructor, func, description) {
    try {
      func.call(this);
    } catch (e) {
      if (e instanceof AssertionError) throw e;
      assert(typeof e === 'object' && e !== null, fn, description,
        () => formatValue(func) + ' threw ' + formatValue(e) + ' with type ' + typeof e + ', not an object');
      let name = type;
      if (typeof type === 'number') {
        name = Object.keys(nameCodes).find((n) => nameCodes[n] === type && type !== 0);
      } else if (type in codeNames) {
        name = codeNames[type];
      }
      if (!(name in nameCodes)) throw new AssertionError('Test bug: unrecognized DOMException code "' + type + '" passed to ' + fn + '()');
      assert(e.name === name && e.code === nameCodes[name], fn, description,
        () => formatValue(func) + ' threw ' + formatValue(e) + ' that is not a DOMException ' + name +
          ': name ' + formatValue(e.name) + ', code ' + formatValue(e.code));
      assert(e.constructor === constructor, fn, description,
        () => formatValue(func) + ' threw an exception from the wrong global');
      return;
    }
    assert(false, fn, description, () => formatValue(func) + ' did not throw');
  }
  function throwsExactly(fn, exception, func, description) {
    try {
      func.call(this);
    } catch (e) {
      if (e instanceof AssertionError) throw e;
      assert(sameValue(e, exception), fn, description,
        () => formatValue(func) + ' threw ' + formatValue(e) + ' but we expected it to throw ' + formatValue(exception));
      return;
    }
    assert(false, fn, description, () => formatValue(func) + ' did not throw');
  }
  function assert_throws_js(constructor, func, description) {
    throwsJs('assert_throws_js', constructor, func, description);
  }
  function domArgs(type, funcOrConstructor, descriptionOrFunc, maybeDescription) {
    if (typeof funcOrConstructor === 'function' && funcOrConstructor.name === 'DOMException') {
      return [type, funcOrConstructor, descriptionOrFunc, maybeDescription];
    }
    return [type, global.DOMException, funcOrConstructor, descriptionOrFunc];
  }
  function assert_throws_dom(type, funcOrConstructor, descriptionOrFunc, maybeDescription) {
    const [t, ctor, func, description] = domArgs(type, funcOrConstructor, descriptionOrFunc, maybeDescription);
    throwsDom('assert_throws_dom', t, ctor, func, description);
  }
  // QuotaExceededError is its own interface (WebIDL), with requested and quota attributes.
  function assert_throws_quotaexceedederror(func, requested, quota, description) {
    const fn = 'assert_throws_quotaexceedederror';
    try {
      func.call(this);
    } catch (e) {
      if (e instanceof AssertionError) throw e;
      const ctor = global.QuotaExceededError;
      assert(typeof e === 'object' && e !== null, fn, description,
        () => formatValue(func) + ' threw ' + formatValue(e) + ', not an object');
      assert(typeof ctor === 'function' && e.constructor === ctor && e.name === 'QuotaExceededError', fn, description,
        () => formatValue(func) + ' threw ' + formatValue(e) + ' that is not a QuotaExceededError');
      assert(sameValue(e.requested, requested) && sameValue(e.quota, quota), fn, description,
        () => 'requested ' + formatValue(e.requested) + ', quota ' + formatValue(e.quota) +
          '; expected ' + formatValue(requested) + ', ' + formatValue(quota));
      return;
    }
    assert(false, fn, description, () => formatValue(func) + ' did not throw');
  }
  function assert_throws_exactly(exception, func, description) {
    throwsExactly('assert_throws_exactly', exception, func, description);
  }

  // The older form still in some stored tests: an exception object (compared by name) or a
  // DOMException name or code name.
  function assert_throws(code, func, description) {
    try {
      func.call(this);
    } catch (e) {
      if (e instanceof AssertionError) throw e;
      if (typeof code === 'object' && code !== null) {
        assert(typeof e === 'object' && e !== null && e.name == code.name, 'assert_throws', description,
          () => formatValue(func) + ' threw ' + formatValue(e) + ' expected ' + formatValue(code) + ' (' + code.name + ')');
        return;
      }
      throwsDom('assert_throws', code, global.DOMException, () => { throw e; }, description);
      return;
    }
    assert(false, 'assert_throws', description, () => formatValue(func) + ' did not throw');
  }
  function promise_rejects(test, expected, promise, description) {
    return rejects(test, promise, description, (e) => assert_throws(expected, () => { throw e; }, description));
  }

  function rejects(test, promise, description, check) {
    return Promise.resolve(promise).then(test.unreached_func('Should have rejected: ' + description), (e) => check(e));
  }
  function promise_rejects_js(test, constructor, promise, description) {
    return rejects(test, promise, description,
      (e) => throwsJs('promise_rejects_js', constructor, () => { throw e; }, description));
  }
  function promise_rejects_dom(test, type, promiseOrConstructor, descriptionOrPromise, maybeDescription) {
    let ctor = global.DOMException, promise = promiseOrConstructor, description = descriptionOrPromise;
    if (typeof promiseOrConstructor === 'function' && promiseOrConstructor.name === 'DOMException') {
      ctor = promiseOrConstructor;
      promise = descriptionOrPromise;
      description = maybeDescription;
    }
    return rejects(test, promise, description,
      (e) => throwsDom('promise_rejects_dom', type, ctor, () => { throw e; }, description));
  }
  function promise_rejects_exactly(test, exception, promise, description) {
    return rejects(test, promise, description,
      (e) => throwsExactly('promise_rejects_exactly', exception, () => { throw e; }, description));
  }

  // ---- tests

  function Test(name, properties) {
    this.name = name;
    this.properties = properties || {};
    this.phase = completed ? COMPLETE : INITIAL;
    this.status = NOTRUN;
    this.message = null;
    this.stack = null;
    this.cleanups = [];
    this.timer = null;
    this.index = allTests.length;
    allTests.push(this);
    pending++;
    const timeout = this.properties.timeout;
    if (timeout) {
      this.timer = setTimeout(() => this.timeout(), timeout * timeoutMultiplier);
    }
  }
  Object.assign(Test, { statuses: { PASS, FAIL, TIMEOUT, NOTRUN, PRECONDITION_FAILED } });
  Object.assign(Test.prototype, { PASS, FAIL, TIMEOUT, NOTRUN, PRECONDITION_FAILED },
    { phases: { INITIAL, STARTED, HAS_RESULT, COMPLETE } });

  Test.prototype.step = function (func, thisObj, ...args) {
    if (this.phase > STARTED) return undefined;
    this.phase = STARTED;
    this.status = TIMEOUT;
    this.message = 'Test timed out';
    if (arguments.length === 1) thisObj = this;
    try {
      return func.apply(thisObj, args);
    } catch (e) {
      if (this.phase >= HAS_RESULT) return undefined;
      this.status = e instanceof OptionalFeatureUnsupportedError ? PRECONDITION_FAILED : FAIL;
      this.message = String((typeof e === 'object' && e !== null) ? e.message : e);
      this.stack = e && e.stack ? String(e.stack) : null;
      this.phase = HAS_RESULT;
      this.done();
      return undefined;
    }
  };
  Test.prototype.step_func = function (func, thisObj) {
    const test = this;
    if (arguments.length === 1) thisObj = test;
    return function (...args) { return test.step(func, thisObj, ...args); };
  };
  Test.prototype.step_func_done = function (func, thisObj) {
    const test = this;
    if (arguments.length === 1) thisObj = test;
    return function (...args) {
      let result;
      if (func) result = test.step(func, thisObj, ...args);
      test.done();
      return result;
    };
  };
  Test.prototype.unreached_func = function (description) {
    return this.step_func(function () { assert_unreached(description); });
  };
  Test.prototype.step_timeout = function (func, timeout, ...args) {
    const test = this;
    return setTimeout(this.step_func(function () { return func.apply(test, args); }), timeout * timeoutMultiplier);
  };
  Test.prototype.step_wait_func = function (cond, func, description, timeout = 3000, interval = 100) {
    const test = this;
    const start = Date.now();
    (function wait() {
      if (test.phase > STARTED) return;
      test.step(() => {
        if (cond()) func();
        else if (Date.now() - start > timeout * timeoutMultiplier) assert(false, 'step_wait_func', description, 'Timed out waiting on condition');
        else test.step_timeout(wait, interval);
      });
    })();
  };
  Test.prototype.step_wait_func_done = function (cond, func, description, timeout, interval) {
    this.step_wait_func(cond, () => { if (func) func(); this.done(); }, description, timeout, interval);
  };
  Test.prototype.step_wait = function (cond, description, timeout, interval) {
    return new Promise((resolve) => this.step_wait_func(cond, resolve, description, timeout, interval));
  };
  Test.prototype.add_cleanup = function (callback) {
    this.cleanups.push(callback);
  };
  Test.prototype._add_cleanup = Test.prototype.add_cleanup;
  Test.prototype.get_signal = function () {
    if (!this.controller) {
      this.controller = new AbortController();
      this.add_cleanup(() => this.controller.abort());
    }
    return this.controller.signal;
  };
  Test.prototype.timeout = function () {
    this.timer = null;
    if (this.phase >= HAS_RESULT) return;
    this.status = TIMEOUT;
    this.message = 'Test timed out';
    this.phase = HAS_RESULT;
    this.done();
  };
  Test.prototype.force_timeout = Test.prototype.timeout;
  Test.prototype.done = function () {
    if (this.phase === COMPLETE) return;
    if (this.phase <= STARTED) {
      this.status = PASS;
      this.message = null;
    }
    this.phase = COMPLETE;
    if (this.timer !== null) clearTimeout(this.timer);
    const waits = [];
    for (const cleanup of this.cleanups) {
      try {
        const r = cleanup();
        if (r && typeof r.then === 'function') waits.push(r);
      } catch (e) {
        harnessError("Test named '" + this.name + "' specified a cleanup function that threw: " + e, e);
      }
    }
    if (waits.length) {
      Promise.all(waits).then(() => this.report(), (e) => { harnessError('cleanup rejected: ' + e, e); this.report(); });
    } else {
      this.report();
    }
  };
  Test.prototype.report = function () {
    if (this.reported) return;
    this.reported = true;
    pending--;
    for (const callback of resultCallbacks) callback(this, harness);
    if (this.onReported) this.onReported();
    maybeComplete();
  };
  Test.prototype.structured_clone = function () {
    return { name: this.name, status: this.status, message: this.message, stack: this.stack };
  };

  function nextName() {
    return 'Untitled' + (nameCounter++ ? ' ' + (nameCounter - 1) : '');
  }

  function test(func, name, properties) {
    const t = new Test(name || nextName(), properties);
    if (t.phase === COMPLETE) return;
    t.step(func, t, t);
    if (t.phase === STARTED) t.done();
  }
  function async_test(func, name, properties) {
    if (typeof func !== 'function') {
      properties = name;
      name = func;
      func = null;
    }
    const t = new Test(name || nextName(), properties);
    if (func && t.phase !== COMPLETE) t.step(func, t, t);
    return t;
  }
  function promise_test(func, name, properties) {
    const t = new Test(name || nextName(), properties);
    promiseQueue = (promiseQueue || Promise.resolve()).then(() => new Promise((resolve) => {
      if (t.phase === COMPLETE) {
        resolve();
        return;
      }
      t.onReported = resolve;
      const promise = t.step(func, t, t);
      if (t.phase === COMPLETE) return;
      t.step(() => {
        assert(promise !== undefined && promise !== null && typeof promise.then === 'function', 'promise_test', null,
          'test body did not return a promise: ' + formatValue(promise));
      });
      Promise.resolve(promise).then(() => t.done(), t.step_func((value) => {
        if (value instanceof AssertionError) throw value;
        assert(false, 'promise_test', null, 'Unhandled rejection with value: ' + formatValue(value));
      }));
    }));
  }

  function setup(funcOrProperties, maybeProperties) {
    let func = null, properties = {};
    if (arguments.length === 2) {
      func = funcOrProperties;
      properties = maybeProperties || {};
    } else if (typeof funcOrProperties === 'function') {
      func = funcOrProperties;
    } else if (funcOrProperties) {
      properties = funcOrProperties;
    }
    if (properties.allow_uncaught_exception) allowUncaught = true;
    if (properties.explicit_done) waitForDone = true;
    if (properties.timeout_multiplier) timeoutMultiplier = properties.timeout_multiplier;
    if (properties.single_test && singleTest === null) singleTest = new Test(nextName(), {});
    if (func) {
      try {
        func();
      } catch (e) {
        harnessError(String(e), e);
      }
    }
  }
  function done() {
    if (singleTest !== null && singleTest.phase < COMPLETE) singleTest.done();
    waitForDone = false;
    doneCalled = true;
    maybeComplete();
  }
  function generate_tests(func, args, properties) {
    args.forEach((x, i) => test(function () { func.apply(this, x.slice(1)); }, x[0],
      Array.isArray(properties) ? properties[i] : properties));
  }
  function step_timeout(func, timeout, ...args) {
    return setTimeout(() => func.apply(this, args), timeout * timeoutMultiplier);
  }
  function on_event(object, event, callback) {
    object.addEventListener(event, callback, false);
  }

  function EventWatcher(test, watchedNode, eventTypes, timeoutPromise) {
    if (typeof eventTypes === 'string') eventTypes = [eventTypes];
    let waitingFor = null;
    let recorded = null;
    const handler = test.step_func(function (evt) {
      assert_true(!!waitingFor, 'Not expecting event, but got ' + evt.type + ' event');
      assert_equals(evt.type, waitingFor.types[0], 'Expected ' + waitingFor.types[0] + ' event, but got ' + evt.type + ' event instead');
      if (recorded) recorded.push(evt);
      if (waitingFor.types.length > 1) {
        waitingFor.types.shift();
        return;
      }
      const resolve = waitingFor.resolve;
      waitingFor = null;
      const result = recorded || evt;
      recorded = null;
      resolve(result);
    });
    for (const type of eventTypes) watchedNode.addEventListener(type, handler, false);
    this.wait_for = function (types, options) {
      if (waitingFor) return Promise.reject('Already waiting for an event or events');
      if (typeof types === 'string') types = [types];
      if (options && options.record === 'all') recorded = [];
      return new Promise((resolve, reject) => {
        waitingFor = { types: types.slice(), resolve, reject };
        if (timeoutPromise) {
          timeoutPromise().then(() => { if (waitingFor) reject('Timed out waiting for ' + types.join(', ')); });
        }
      });
    };
    this.stop_watching = function () {
      for (const type of eventTypes) watchedNode.removeEventListener(type, handler, false);
    };
    test.add_cleanup(this.stop_watching);
  }

  // ---- completion

  function harnessError(message, error) {
    if (harness.status === harness.OK) {
      harness.status = harness.ERROR;
      harness.message = message;
      harness.stack = error && error.stack ? String(error.stack) : null;
    }
  }

  function maybeComplete() {
    if (completed || !loaded || waitForDone || pending > 0) return;
    // As testharness.js's all_done(): a file that defines its tests later (after key
    // generation, say) is waited for until it does, calls done() or times out.
    if (!allTests.length && !doneCalled) return;
    if (!allTests.length) harnessError('no tests');
    complete();
  }

  function complete() {
    if (completed) return;
    completed = true;
    if (harnessTimer !== null) clearTimeout(harnessTimer);
    for (const t of allTests) {
      if (t.phase < COMPLETE) {
        if (t.phase === INITIAL) {
          t.status = NOTRUN;
          t.message = null;
        }
        t.phase = COMPLETE;
        if (t.timer !== null) clearTimeout(t.timer);
        t.reported = true;
        for (const callback of resultCallbacks) callback(t, harness);
      }
    }
    const names = new Set(), duplicates = new Set();
    for (const t of allTests) (names.has(t.name) ? duplicates : names).add(t.name);
    if (duplicates.size) harnessError(duplicates.size + ' duplicate test names: "' + [...duplicates].join('", "') + '"');
    for (const callback of completionCallbacks) callback(allTests, harness);
  }

  // Called by the runner: the test file and its META scripts have run; complete once every
  // test has a result, and at the latest after timeoutMs.
  function loadedAll(timeoutMs) {
    loaded = true;
    harnessTimer = setTimeout(() => {
      harnessTimer = null;
      if (harness.status === harness.OK) harness.status = harness.TIMEOUT;
      complete();
    }, timeoutMs);
    // Settle after the current job, as testharness's shell environment does.
    Promise.resolve().then(maybeComplete);
  }

  // An exception or rejection no test step caught: a harness error, as in a browser's onerror.
  function uncaught(error) {
    if (singleTest !== null && singleTest.phase < COMPLETE) {
      singleTest.step(() => { throw error; });
      singleTest.done();
      return;
    }
    if (allowUncaught) return;
    harnessError('Uncaught ' + (error && error.message !== undefined ? error.name + ': ' + error.message : String(error)), error);
  }

  const exposed = {
    test, async_test, promise_test, setup, done, generate_tests, step_timeout, on_event, format_value: formatValue,
    EventWatcher, AssertionError, OptionalFeatureUnsupportedError,
    assert_true, assert_false, assert_equals, assert_not_equals, assert_in_array, assert_object_equals,
    assert_array_equals, assert_array_approx_equals, assert_approx_equals,
    assert_less_than: compare('assert_less_than', (a, e) => a < e, 'less than'),
    assert_greater_than: compare('assert_greater_than', (a, e) => a > e, 'greater than'),
    assert_less_than_equal: compare('assert_less_than_equal', (a, e) => a <= e, 'less than or equal to'),
    assert_greater_than_equal: compare('assert_greater_than_equal', (a, e) => a >= e, 'greater than or equal to'),
    assert_between_exclusive: between('assert_between_exclusive', (a, l, u) => a > l && a < u, 'between'),
    assert_between_inclusive: between('assert_between_inclusive', (a, l, u) => a >= l && a <= u, 'between (inclusive)'),
    assert_regexp_match, assert_class_string,
    assert_own_property: ownProperty('assert_own_property'), assert_exists: ownProperty('assert_exists'),
    assert_not_own_property, assert_not_exists: assert_not_own_property,
    assert_inherits: inherits('assert_inherits'), assert_idl_attribute: inherits('assert_idl_attribute'),
    assert_readonly, assert_unreached, assert_any, assert_implements, assert_implements_optional,
    assert_throws_js, assert_throws_dom, assert_throws_exactly, assert_throws_quotaexceedederror,
    assert_throws, promise_rejects,
    promise_rejects_js, promise_rejects_dom, promise_rejects_exactly,
    // A resource's JSON, relative to the test (the global's fetch resolves it against location).
    fetch_json: (resource) => fetch(resource).then((response) => response.json()),
    add_result_callback: (cb) => resultCallbacks.push(cb),
    add_completion_callback: (cb) => completionCallbacks.push(cb),
    add_start_callback: () => {},
    add_test_state_callback: () => {},
    fetch_tests_from_worker: () => Promise.reject(new Error('workers are not supported')),
    timeout: () => { if (harness.status === harness.OK) harness.status = harness.TIMEOUT; complete(); },
  };
  for (const name of Object.keys(exposed)) global[name] = exposed[name];
  global.__wptHarness = { loaded: loadedAll, uncaught, harnessError, complete };
})(globalThis);
