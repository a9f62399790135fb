(function (native, internal) {
  'use strict';

  // DOM events without a tree: every dispatch happens at the target, so there is no capture or
  // bubble path. Also DOMException, and globalThis's event target (error, unhandledrejection).

  const { toDOMString, toDictionary, requireArgs, toUnsignedWrap } = internal;
  const { defineProperty } = Object;

  const NONE = 0;
  const CAPTURING_PHASE = 1;
  const AT_TARGET = 2;
  const BUBBLING_PHASE = 3;

  // The engine's clock, as performance.now() (performance.js is not needed for it).
  const now = typeof native.performanceNow === 'function' ? native.performanceNow : () => Date.now();

  // --- DOMException ----------------------------------------------------------------------------

  // Web IDL's error names table, the names with a legacy code. DOMStringSizeError (2),
  // NoDataAllowedError (6) and ValidationError (16) were removed from it: code 0, like names
  // that never had one (their constants stay on the interface).
  const legacyCodes = Object.assign(Object.create(null), {
    IndexSizeError: 1, HierarchyRequestError: 3, WrongDocumentError: 4,
    InvalidCharacterError: 5, NoModificationAllowedError: 7,
    NotFoundError: 8, NotSupportedError: 9, InUseAttributeError: 10, InvalidStateError: 11,
    SyntaxError: 12, InvalidModificationError: 13, NamespaceError: 14, InvalidAccessError: 15,
    TypeMismatchError: 17, SecurityError: 18, NetworkError: 19,
    AbortError: 20, URLMismatchError: 21, QuotaExceededError: 22, TimeoutError: 23,
    InvalidNodeTypeError: 24, DataCloneError: 25,
  });

  // Web IDL: a DOMException is an Error object (JSC records its stack) whose prototype chain
  // goes through Error.prototype, while the interface object itself inherits from
  // Function.prototype, not from Error. ErrorBase's constructor returns a real Error made for
  // new.target, so DOMExceptionImpl's private fields land on it; DOMException is a plain
  // function that constructs one for its new.target and shares DOMExceptionImpl's prototype.
  function ErrorBase() {
    return Reflect.construct(Error, [], new.target);
  }
  ErrorBase.prototype = Error.prototype;

  class DOMExceptionImpl extends ErrorBase {
    #name;
    #message;
    #cause = undefined;

    constructor(message = undefined, options = undefined) {
      // No message to super(): name/message/code are prototype accessors, not own properties.
      super();
      this.#message = message === undefined ? '' : toDOMString(message);
      if (options !== null && typeof options === 'object') {
        // The options-bag form ({name, cause}) that Node and newer Web IDL drafts accept.
        const name = options.name;
        this.#name = name === undefined ? 'Error' : toDOMString(name);
        // Inherited like name and message, not an own property.
        if ('cause' in options) this.#cause = options.cause;
      } else {
        this.#name = options === undefined ? 'Error' : toDOMString(options);
      }
    }

    get name() {
      return this.#name;
    }

    get message() {
      return this.#message;
    }

    get cause() {
      return this.#cause;
    }

    get code() {
      const c = legacyCodes[this.#name];
      return c === undefined ? 0 : c;
    }
  }
  const DOMException = function DOMException(message = undefined, options = undefined) {
    if (new.target === undefined) throw new TypeError("Constructor DOMException requires 'new'");
    return Reflect.construct(DOMExceptionImpl, [message, options], new.target);
  };
  defineProperty(DOMException, 'prototype', { value: DOMExceptionImpl.prototype, writable: false });
  defineProperty(DOMExceptionImpl.prototype, 'constructor', {
    value: DOMException, writable: true, enumerable: false, configurable: true,
  });
  internal.makeInterface(DOMException);
  internal.defineConstants(DOMException, {
    INDEX_SIZE_ERR: 1, DOMSTRING_SIZE_ERR: 2, HIERARCHY_REQUEST_ERR: 3, WRONG_DOCUMENT_ERR: 4,
    INVALID_CHARACTER_ERR: 5, NO_DATA_ALLOWED_ERR: 6, NO_MODIFICATION_ALLOWED_ERR: 7,
    NOT_FOUND_ERR: 8, NOT_SUPPORTED_ERR: 9, INUSE_ATTRIBUTE_ERR: 10, INVALID_STATE_ERR: 11,
    SYNTAX_ERR: 12, INVALID_MODIFICATION_ERR: 13, NAMESPACE_ERR: 14, INVALID_ACCESS_ERR: 15,
    VALIDATION_ERR: 16, TYPE_MISMATCH_ERR: 17, SECURITY_ERR: 18, NETWORK_ERR: 19, ABORT_ERR: 20,
    URL_MISMATCH_ERR: 21, QUOTA_EXCEEDED_ERR: 22, TIMEOUT_ERR: 23, INVALID_NODE_TYPE_ERR: 24,
    DATA_CLONE_ERR: 25,
  });

  // Web IDL's QuotaExceededError: a DOMException named so, with the quota and the amount
  // requested when the thrower knows them (null otherwise). Serializable (clone.js).
  const toOptionalDouble = (v, what) => {
    if (v === undefined) return null;
    const n = +v;
    if (!Number.isFinite(n)) throw new TypeError(`QuotaExceededError: ${what} is not a finite number`);
    return n;
  };

  class QuotaExceededError extends DOMException {
    #quota = null;
    #requested = null;

    constructor(message = undefined, options = undefined) {
      super(message === undefined ? '' : message, 'QuotaExceededError');
      if (options === undefined || options === null) return;
      if (typeof options !== 'object' && typeof options !== 'function') {
        throw new TypeError('QuotaExceededError: options must be an object');
      }
      // Dictionary members in lexicographic order.
      const quota = toOptionalDouble(options.quota, 'quota');
      const requested = toOptionalDouble(options.requested, 'requested');
      if (quota !== null && quota < 0) throw new RangeError('QuotaExceededError: quota is negative');
      if (requested !== null && requested < 0) throw new RangeError('QuotaExceededError: requested is negative');
      if (quota !== null && requested !== null && requested < quota) {
        throw new RangeError('QuotaExceededError: requested is less than quota');
      }
      this.#quota = quota;
      this.#requested = requested;
    }

    get quota() {
      return this.#quota;
    }

    get requested() {
      return this.#requested;
    }
  }
  internal.makeInterface(QuotaExceededError);

  // --- Event -------------------------------------------------------------------------------------

  // All per-event state in one plain object so the dispatcher (in EventTarget) can reach it with
  // a single accessor call.
  class EventState {
    constructor(type, bubbles, cancelable, composed, timeStamp = now()) {
      this.type = type;
      this.bubbles = bubbles;
      this.cancelable = cancelable;
      this.composed = composed;
      this.target = null;
      this.currentTarget = null;
      this.phase = NONE;
      this.stopPropagation = false;
      this.stopImmediate = false;
      this.canceled = false;
      this.inPassiveListener = false;
      this.dispatching = false;
      this.initialized = true;
      this.trusted = false;
      this.timeStamp = timeStamp;
    }
  }

  function cancel(s) {
    if (s.cancelable && !s.inPassiveListener) s.canceled = true;
  }

  let eventState;
  // internal.presetEvent's state for the next Event constructed, which takes it as it is.
  let presetState = null;

  class Event {
    #s;

    constructor(type, eventInitDict = undefined) {
      if (presetState !== null) {
        this.#s = presetState;
        presetState = null;
        return;
      }
      requireArgs(arguments.length, 1, 'Event constructor');
      type = toDOMString(type);
      const init = toDictionary(eventInitDict, 'EventInit');
      this.#s = init === null
        ? new EventState(type, false, false, false)
        : new EventState(type, !!init.bubbles, !!init.cancelable, !!init.composed);
    }

    get type() { return this.#s.type; }
    get target() { return this.#s.target; }
    get srcElement() { return this.#s.target; }
    get currentTarget() { return this.#s.currentTarget; }
    get eventPhase() { return this.#s.phase; }
    get bubbles() { return this.#s.bubbles; }
    get cancelable() { return this.#s.cancelable; }
    get composed() { return this.#s.composed; }
    get defaultPrevented() { return this.#s.canceled; }
    get isTrusted() { return this.#s.trusted; }
    get timeStamp() { return this.#s.timeStamp; }

    composedPath() {
      const t = this.#s.currentTarget;
      return t === null ? [] : [t];
    }

    stopPropagation() {
      this.#s.stopPropagation = true;
    }

    stopImmediatePropagation() {
      const s = this.#s;
      s.stopPropagation = true;
      s.stopImmediate = true;
    }

    preventDefault() {
      cancel(this.#s);
    }

    get cancelBubble() { return this.#s.stopPropagation; }
    set cancelBubble(v) { if (v) this.#s.stopPropagation = true; }

    get returnValue() { return !this.#s.canceled; }
    set returnValue(v) { if (!v) cancel(this.#s); }

    initEvent(type, bubbles = false, cancelable = false) {
      requireArgs(arguments.length, 1, 'Event.initEvent');
      const s = this.#s;
      if (s.dispatching) return;
      s.initialized = true;
      s.stopPropagation = false;
      s.stopImmediate = false;
      s.canceled = false;
      s.trusted = false;
      s.target = null;
      s.type = toDOMString(type);
      s.bubbles = !!bubbles;
      s.cancelable = !!cancelable;
    }

    static {
      eventState = (e) => e.#s;
    }
  }
  internal.makeInterface(Event);
  internal.defineConstants(Event, { NONE, CAPTURING_PHASE, AT_TARGET, BUBBLING_PHASE });

  class CustomEvent extends Event {
    #detail;

    constructor(type, eventInitDict = undefined) {
      requireArgs(arguments.length, 1, 'CustomEvent constructor');
      super(type, eventInitDict);
      const init = toDictionary(eventInitDict, 'CustomEventInit');
      const detail = init === null ? undefined : init.detail;
      this.#detail = detail === undefined ? null : detail;
    }

    get detail() { return this.#detail; }

    initCustomEvent(type, bubbles = false, cancelable = false, detail = null) {
      requireArgs(arguments.length, 1, 'CustomEvent.initCustomEvent');
      if (eventState(this).dispatching) return;
      this.initEvent(type, bubbles, cancelable);
      this.#detail = detail;
    }
  }
  internal.makeInterface(CustomEvent);

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

  // --- EventTarget ------------------------------------------------------------------------------

  // How listener exceptions are reported. Normally C's reportError, which dispatches an `error`
  // event on globalThis through internal.dispatchError; while that very dispatch runs it is
  // swapped for the host-only variant so a throwing error listener cannot recurse.
  const reportToHost = (err) => native.reportError(err);
  const reportToHostOnly = (err) => native.reportError(err, true);
  let reportException = reportToHost;

  class Listener {
    constructor(callback, capture, once, passive) {
      this.callback = callback;
      this.capture = capture;
      this.once = once;
      this.passive = passive;
      this.removed = false;
      this.signal = null;
      this.onAbort = null;
    }
  }

  function isCallbackObject(v) {
    return typeof v === 'function' || (typeof v === 'object' && v !== null);
  }

  let dispatch;
  let removeListener;
  let getEventHandler;
  let setEventHandler;
  let setExposedTarget;

  class EventTarget {
    // type → Listener[]; additions push, removals replace the array, so a dispatch in progress
    // can iterate the array it started with without copying it.
    #listeners = null;
    // Event handler IDL attributes (onabort, …): type → { value, listener }.
    #handlers = null;
    // What `target`/`currentTarget`/`this` show; globalThis for the hidden global target.
    #exposed = this;

    constructor() {}

    addEventListener(type, callback, options = undefined) {
      requireArgs(arguments.length, 2, 'EventTarget.addEventListener');
      type = toDOMString(type);
      let capture = false;
      let once = false;
      let passive = false;
      let signal = null;
      if (options !== null && typeof options === 'object') {
        capture = !!options.capture;
        once = !!options.once;
        passive = !!options.passive;
        const s = options.signal;
        if (s !== undefined) {
          if (!internal.isAbortSignal(s)) {
            throw new TypeError("EventTarget.addEventListener: 'signal' member must be an AbortSignal");
          }
          signal = s;
        }
      } else {
        capture = !!options;
      }
      if (callback === null) return;
      if (!isCallbackObject(callback)) {
        throw new TypeError('EventTarget.addEventListener: listener must be an object or a function');
      }
      if (signal !== null && signal.aborted) return;
      const map = this.#listeners ??= new Map();
      let list = map.get(type);
      if (list === undefined) {
        list = [];
        map.set(type, list);
      } else {
        for (let i = 0; i < list.length; i++) {
          if (list[i].callback === callback && list[i].capture === capture) return;
        }
      }
      const l = new Listener(callback, capture, once, passive);
      list.push(l);
      if (signal !== null) {
        l.signal = signal;
        l.onAbort = () => removeListener(this, type, l);
        internal.addAbortAlgorithm(signal, l.onAbort);
      }
    }

    removeEventListener(type, callback, options = undefined) {
      requireArgs(arguments.length, 2, 'EventTarget.removeEventListener');
      type = toDOMString(type);
      const capture = options !== null && typeof options === 'object' ? !!options.capture : !!options;
      if (callback === null) return;
      if (!isCallbackObject(callback)) {
        throw new TypeError('EventTarget.removeEventListener: listener must be an object or a function');
      }
      const list = this.#listeners?.get(type);
      if (list === undefined) return;
      for (let i = 0; i < list.length; i++) {
        const l = list[i];
        if (l.callback === callback && l.capture === capture) {
          removeListener(this, type, l);
          return;
        }
      }
    }

    dispatchEvent(event) {
      requireArgs(arguments.length, 1, 'EventTarget.dispatchEvent');
      if (!(event instanceof Event)) {
        throw new TypeError("EventTarget.dispatchEvent: parameter 1 is not of type 'Event'");
      }
      const s = eventState(event);
      if (s.dispatching || !s.initialized) {
        throw new DOMException('The event is already being dispatched', 'InvalidStateError');
      }
      s.trusted = false;
      return dispatch(this, event);
    }

    static {
      removeListener = (target, type, l) => {
        if (l.removed) return;
        l.removed = true;
        const map = target.#listeners;
        const list = map.get(type);
        const next = list.filter((x) => x !== l);
        if (next.length === 0) map.delete(type);
        else map.set(type, next);
        if (l.signal !== null) internal.removeAbortAlgorithm(l.signal, l.onAbort);
      };

      const invoke = (target, event, s, capture) => {
        const map = target.#listeners;
        const list = map === null ? undefined : map.get(s.type);
        if (list === undefined) return;
        const exposed = target.#exposed;
        // Listeners added during this dispatch are not called: stop at the current length.
        for (let i = 0, n = list.length; i < n; i++) {
          const l = list[i];
          if (l.removed || l.capture !== capture) continue;
          if (l.once) removeListener(target, s.type, l);
          if (l.passive) s.inPassiveListener = true;
          const cb = l.callback;
          try {
            if (typeof cb === 'function') {
              cb.call(exposed, event);
            } else {
              const handleEvent = cb.handleEvent;
              if (typeof handleEvent !== 'function') {
                throw new TypeError("The listener's handleEvent is not a function");
              }
              handleEvent.call(cb, event);
            }
          } catch (err) {
            s.inPassiveListener = false;
            reportException(err);
          }
          s.inPassiveListener = false;
          if (s.stopImmediate) return;
        }
      };

      dispatch = (target, event) => {
        const s = eventState(event);
        s.dispatching = true;
        const exposed = target.#exposed;
        s.target = exposed;
        s.currentTarget = exposed;
        s.phase = AT_TARGET;
        // At the target, capture listeners run before the others (DOM "invoke" twice).
        invoke(target, event, s, true);
        if (!s.stopPropagation) invoke(target, event, s, false);
        s.phase = NONE;
        s.currentTarget = null;
        s.dispatching = false;
        s.stopPropagation = false;
        s.stopImmediate = false;
        return !s.canceled;
      };

      getEventHandler = (target, type) => {
        const h = target.#handlers?.get(type);
        return h === undefined ? null : h.value;
      };

      setEventHandler = (target, type, value) => {
        // [LegacyTreatNonObjectAsNull]; only functions can ever be called, so keep just those.
        if (typeof value !== 'function') value = null;
        const handlers = target.#handlers ??= new Map();
        const h = handlers.get(type);
        if (value === null) {
          if (h !== undefined) {
            handlers.delete(type);
            removeListener(target, type, h.listener);
          }
          return;
        }
        if (h !== undefined) {
          h.value = value;
          return;
        }
        const entry = { value, listener: null };
        const callback = function (event) {
          return runEventHandler(entry, this, event);
        };
        entry.listener = new Listener(callback, false, false, false);
        handlers.set(type, entry);
        const map = target.#listeners ??= new Map();
        const list = map.get(type);
        if (list === undefined) map.set(type, [entry.listener]);
        else list.push(entry.listener);
      };

      setExposedTarget = (target, exposed) => {
        target.#exposed = exposed;
      };
    }
  }
  internal.makeInterface(EventTarget);

  function runEventHandler(entry, thisArg, event) {
    const fn = entry.value;
    // HTML's special case: onerror on a global gets (message, source, lineno, colno, error) and
    // cancels the event by returning true.
    if (thisArg === globalThis && event instanceof ErrorEvent && event.type === 'error') {
      const ret = fn.call(thisArg, event.message, event.filename, event.lineno, event.colno, event.error);
      if (ret === true) event.preventDefault();
      return;
    }
    const ret = fn.call(thisArg, event);
    if (ret === false) event.preventDefault();
  }

  // Defines `on<type>` on a prototype as an event handler IDL attribute.
  function defineEventHandler(proto, type) {
    defineProperty(proto, `on${type}`, {
      get() {
        if (!(this instanceof EventTarget)) throw new TypeError('Illegal invocation');
        return getEventHandler(this, type);
      },
      set(value) {
        if (!(this instanceof EventTarget)) throw new TypeError('Illegal invocation');
        setEventHandler(this, type, value);
      },
      enumerable: true,
      configurable: true,
    });
  }

  // Fires an event created by the runtime itself (isTrusted true), e.g. AbortSignal's abort.
  function fireEvent(target, event) {
    eventState(event).trusted = true;
    return dispatch(target, event);
  }

  // --- globalThis as an event target ---------------------------------------------------------

  // The global object is not an EventTarget instance (its prototype chain belongs to the
  // engine), so a hidden target stands in for it, showing globalThis as target/currentTarget.
  const globalTarget = new EventTarget();
  setExposedTarget(globalTarget, globalThis);

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
        reportException(error);
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
    const saved = reportException;
    reportException = reportToHostOnly;
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
      fireEvent(globalTarget, event);
      return eventState(event).canceled;
    } catch (err) {
      reportToHostOnly(err);
      return false;
    } finally {
      reportException = saved;
      dispatchingError = false;
    }
  };

  // Later files use these rather than the globals, which user code may replace.
  internal.DOMException = DOMException;
  internal.QuotaExceededError = QuotaExceededError;
  internal.Event = Event;
  internal.EventTarget = EventTarget;
  internal.reportToHostOnly = reportToHostOnly;
  internal.reportException = (err) => reportException(err);
  internal.fireEvent = fireEvent;
  // For events the runtime creates to dispatch (a WebSocket message): the next Event constructed
  // (by a subclass's own fast path, right after this call) gets a plain state of this type and
  // time, without the constructor's conversions and its clock call (the caller read the clock).
  internal.presetEvent = (type, timeStamp) => {
    presetState = new EventState(type, false, false, false, timeStamp);
  };
  internal.defineEventHandler = defineEventHandler;
  internal.globalEventTarget = globalTarget;

  internal.defineGlobal('DOMException', DOMException);
  internal.defineGlobal('QuotaExceededError', QuotaExceededError);
  internal.defineGlobal('Event', Event);
  internal.defineGlobal('CustomEvent', CustomEvent);
  internal.defineGlobal('ErrorEvent', ErrorEvent);
  internal.defineGlobal('PromiseRejectionEvent', PromiseRejectionEvent);
  internal.defineGlobal('EventTarget', EventTarget);
})
