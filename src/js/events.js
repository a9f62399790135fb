(function (native, internal) {
  'use strict';

  // DOM events without a tree: every dispatch happens at the target, so there is no capture or
  // bubble path. Event and EventTarget only, what AbortSignal and performance extend; the rest
  // is installed on its first use: CustomEvent (custom_event.js), globalThis's event target with
  // ErrorEvent and PromiseRejectionEvent (events_global.js), DOMException (dom_exception.js).

  const { toDOMString, toDictionary, requireArgs } = internal;
  const { defineProperty } = Object;
  const NONE = 0;
  const CAPTURING_PHASE = 1;
  const AT_TARGET = 2;
  const BUBBLING_PHASE = 3;

  // The engine's clock, as performance.now() (performance.js is not needed for it).
  const now = typeof native.performanceNow === 'function' ? native.performanceNow : () => Date.now();

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
    // type -> Listener[]; additions push, removals replace the array, so a dispatch in progress
    // can iterate the array it started with without copying it.
    #listeners = null;
    // Event handler IDL attributes (onabort, ...): type -> { value, listener }.
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
        throw new internal.DOMException('The event is already being dispatched', 'InvalidStateError');
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
        const map = target.#listeners;
        const list = map === null ? undefined : map.get(s.type);
        const l = list !== undefined && list.length === 1 ? list[0] : null;
        if (l !== null && !l.removed && !l.capture && !l.once && !l.passive &&
            typeof l.callback === 'function') {
          // A lone plain listener (an on<type> handler, mostly): what the two invokes below do
          // for it, without their loops, so that the JIT compiles less on a hot path (a
          // WebSocket's first 20,000 messages: 11% faster, from a third less compile time).
          if (!s.stopPropagation) {
            try {
              l.callback.call(exposed, event);
            } catch (err) {
              reportException(err);
            }
          }
        } else if (list !== undefined) {
          // At the target, capture listeners run before the others (DOM "invoke" twice).
          invoke(target, event, s, true);
          if (!s.stopPropagation) invoke(target, event, s, false);
        }
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
    // Only globalThis's target (events_global.js, which defines internal.ErrorEvent) shows it.
    if (thisArg === globalThis && event instanceof internal.ErrorEvent && event.type === 'error') {
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

  // Later files use these rather than the globals, which user code may replace.
  internal.Event = Event;
  internal.EventTarget = EventTarget;
  // eventState, swapReportException and the handler and exposed-target hooks are read only by
  // files that took internal.Event first (custom_event.js, events_global.js), so they are not in
  // lazy_files.json, each of whose names costs every engine's creation.
  internal.eventState = eventState;
  internal.reportToHostOnly = reportToHostOnly;
  internal.reportException = (err) => reportException(err);
  // events_global.js's dispatch of an error event reports its listeners' errors to the host
  // only: fn replaces the reporter, and the previous one is returned to be put back.
  internal.swapReportException = (fn) => {
    const previous = reportException;
    reportException = fn;
    return previous;
  };
  internal.fireEvent = fireEvent;
  // For events the runtime creates to dispatch (a WebSocket message): the next Event constructed
  // (by a subclass's own fast path, right after this call) gets a plain state of this type and
  // time, without the constructor's conversions and its clock call (the caller read the clock).
  internal.presetEvent = (type, timeStamp) => {
    presetState = new EventState(type, false, false, false, timeStamp);
  };
  internal.defineEventHandler = defineEventHandler;
  internal.getEventHandler = getEventHandler;
  internal.setEventHandler = setEventHandler;
  internal.setExposedTarget = setExposedTarget;

  internal.defineGlobal('Event', Event);
  internal.defineGlobal('EventTarget', EventTarget);
})
