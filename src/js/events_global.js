(function (native, internal) {
  'use strict';

  // globalThis as an event target (addEventListener, onerror, onunhandledrejection, ...) and
  // HTML's error reporting: reportError(), ErrorEvent, PromiseRejectionEvent, and the
  // internal.dispatchError that C calls for an uncaught error or an unhandled rejection.
  // Installed apart from events.js: until a script listens on the global, nothing can observe
  // those events, and C reports errors to the host directly (internal.js's stub).

  const { toDOMString, toDictionary, requireArgs, toUnsignedWrap, Event, EventTarget } = internal;
  const { reportToHostOnly, fireEvent, getEventHandler, setEventHandler } = internal;

  // --- ErrorEvent, PromiseRejectionEvent ------------------------------------------------------

  class ErrorEvent extends Event {
    #message = '';
    #filename = '';
    #lineno = 0;
    #colno = 0;
    #error = null;

    constructor(type, eventInitDict = undefined) {
      requireArgs(arguments.length, 1, 'ErrorEvent constructor');
      super(type, eventInitDict);
      const init = toDictionary(eventInitDict, 'ErrorEventInit');
      if (init !== null) {
        // Web IDL reads dictionary members in lexicographic order.
        if (init.colno !== undefined) this.#colno = toUnsignedWrap(init.colno, 32);
        if (init.error !== undefined) this.#error = init.error;
        if (init.filename !== undefined) this.#filename = internal.toUSVString(init.filename);
        if (init.lineno !== undefined) this.#lineno = toUnsignedWrap(init.lineno, 32);
        if (init.message !== undefined) this.#message = toDOMString(init.message);
      }
    }

    get message() { return this.#message; }
    get filename() { return this.#filename; }
    get lineno() { return this.#lineno; }
    get colno() { return this.#colno; }
    get error() { return this.#error; }
  }
  internal.makeInterface(ErrorEvent);

  class PromiseRejectionEvent extends Event {
    #promise;
    #reason;

    constructor(type, eventInitDict) {
      requireArgs(arguments.length, 2, 'PromiseRejectionEvent constructor');
      super(type, eventInitDict);
      const init = toDictionary(eventInitDict, 'PromiseRejectionEventInit');
      const promise = init === null ? undefined : init.promise;
      if (promise === null || (typeof promise !== 'object' && typeof promise !== 'function')) {
        throw new TypeError(
          "PromiseRejectionEvent constructor: 'promise' member is required and must be an object");
      }
      this.#promise = promise;
      this.#reason = init.reason;
    }

    get promise() { return this.#promise; }
    get reason() { return this.#reason; }
  }
  internal.makeInterface(PromiseRejectionEvent);

  // --- globalThis as an event target ---------------------------------------------------------

  // The global object is not an EventTarget instance (its prototype chain belongs to the
  // engine), so a hidden target stands in for it, showing globalThis as target/currentTarget.
  const globalTarget = new EventTarget();
  internal.setExposedTarget(globalTarget, globalThis);

  const globalMethods = {
    addEventListener(type, callback) {
      return EventTarget.prototype.addEventListener.apply(globalTarget, arguments);
    },
    removeEventListener(type, callback) {
      return EventTarget.prototype.removeEventListener.apply(globalTarget, arguments);
    },
    dispatchEvent(event) {
      return EventTarget.prototype.dispatchEvent.apply(globalTarget, arguments);
    },
    // HTML's reportError(): report an exception as if it were uncaught.
    reportError(error) {
      requireArgs(arguments.length, 1, 'reportError');
      // Where the script called reportError: the event's location when the value has none.
      callerLocation = scriptLocation(new Error().stack);
      try {
        internal.reportException(error);
      } finally {
        callerLocation = null;
      }
    },
  };
  for (const name of Object.keys(globalMethods)) {
    internal.defineGlobalProperty(name, {
      value: globalMethods[name], writable: true, enumerable: true, configurable: true,
    });
  }
  for (const type of ['error', 'unhandledrejection']) {
    internal.defineGlobalProperty(`on${type}`, {
      get() { return getEventHandler(globalTarget, type); },
      set(value) { setEventHandler(globalTarget, type, value); },
      enumerable: true,
      configurable: true,
    });
  }

  // Data properties only, own or inherited: reporting an exception must not run the script's
  // getters (HTML's "report an exception" reads no property of the value).
  function readErrorField(error, key) {
    if (error === null || (typeof error !== 'object' && typeof error !== 'function')) return undefined;
    try {
      for (let o = error; o !== null; o = Object.getPrototypeOf(o)) {
        const d = Object.getOwnPropertyDescriptor(o, key);
        if (d !== undefined) return 'value' in d ? d.value : undefined;
      }
    } catch {
      // A proxy's trap threw: nothing to read.
    }
    return undefined;
  }

  // The first frame of a JSC stack ("fn@url:line:column" lines) that is the script's, not
  // eddy's own (eddy:*.js) or native code: {filename, lineno, colno}, or null.
  function scriptLocation(stack) {
    if (typeof stack !== 'string') return null;
    for (const frame of stack.split('\n')) {
      const m = /@(.+):(\d+):(\d+)$/.exec(frame);
      if (m !== null && !m[1].startsWith('eddy:')) {
        return { filename: m[1], lineno: Number(m[2]), colno: Number(m[3]) };
      }
    }
    return null;
  }
  let callerLocation = null; // set while globalThis.reportError reports

  // The event's message, "an implementation-defined string describing the error": never empty,
  // and never from the script's code (no toString() of an object is called).
  function describeError(error) {
    if (error === null || (typeof error !== 'object' && typeof error !== 'function')) {
      return `Uncaught ${String(error)}`;
    }
    const message = readErrorField(error, 'message');
    if (typeof message === 'string' && message !== '') return message;
    const name = readErrorField(error, 'name');
    return typeof name === 'string' && name !== '' ? `Uncaught ${name}` : 'Uncaught exception';
  }

  // Called by C (see README "Hooks back to C"): kind 1 uncaught error, kind 2 unhandled
  // rejection. Returns true if a listener called preventDefault().
  //
  // Recursion guard: C's native.reportError(err) itself calls this function. While an error
  // event is being dispatched, listener exceptions go to native.reportError(err, true), which C
  // hands straight to the host without dispatching. As a second line of defence, a re-entrant
  // call (e.g. a listener calling reportError through some other path) returns false at once so
  // C reports it to the host.
  let dispatchingError = false;

  internal.dispatchError = function (kind, error, promise) {
    if (dispatchingError) return false;
    dispatchingError = true;
    const saved = internal.swapReportException(reportToHostOnly);
    try {
      let event;
      if (kind === 2) {
        event = new PromiseRejectionEvent('unhandledrejection', {
          cancelable: true,
          promise: promise !== null && typeof promise === 'object' ? promise : Promise.resolve(promise),
          reason: error,
        });
      } else {
        let filename = readErrorField(error, 'sourceURL');
        let line = readErrorField(error, 'line');
        let column = readErrorField(error, 'column');
        if (typeof filename !== 'string' || filename.startsWith('eddy:')) {
          // Made inside eddy's own code (a DOMException, say) or not an error at all: the
          // script's frame of its stack, else where reportError was called.
          const where = scriptLocation(readErrorField(error, 'stack')) || callerLocation;
          if (where !== null) ({ filename, lineno: line, colno: column } = where);
        }
        event = new ErrorEvent('error', {
          cancelable: true,
          message: describeError(error),
          filename: typeof filename === 'string' ? filename : '',
          lineno: typeof line === 'number' ? line : 0,
          colno: typeof column === 'number' ? column : 0,
          error,
        });
      }
      // fireEvent's result: whether the event was not canceled.
      return !fireEvent(globalTarget, event);
    } catch (err) {
      reportToHostOnly(err);
      return false;
    } finally {
      internal.swapReportException(saved);
      dispatchingError = false;
    }
  };

  internal.ErrorEvent = ErrorEvent;
  internal.globalEventTarget = globalTarget;

  internal.defineGlobal('ErrorEvent', ErrorEvent);
  internal.defineGlobal('PromiseRejectionEvent', PromiseRejectionEvent);
})
