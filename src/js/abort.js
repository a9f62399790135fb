(function (native, internal) {
  'use strict';

  // AbortController / AbortSignal (DOM §3.1–3.2).

  // DOMException (dom_exception.js) is looked up only when a signal aborts.
  const { requireArgs, toEnforcedULL, Event, EventTarget } = internal;
  // Captured at engine creation: user code may replace the global before this file runs.
  const { setTimeout } = internal.intrinsics;

  const kCreate = Symbol('AbortSignal.create');

  const defaultReason = () => new internal.DOMException('signal is aborted without reason', 'AbortError');

  let signalAbort;
  let link;

  class AbortSignal extends EventTarget {
    #aborted = false;
    #reason = undefined;
    // Abort algorithms (fetch, addEventListener's signal option), run before the abort event.
    #algorithms = null;
    // AbortSignal.any(): a dependent signal has sources; a source lists its dependents. Both
    // are strong sets (the DOM uses weak ones); a dependent unlinks itself when it aborts, so
    // only not-yet-aborted dependents stay reachable from a long-lived source.
    #dependent = false;
    #sources = null;
    #dependents = null;

    constructor(token = undefined) {
      if (token !== kCreate) throw new TypeError('Illegal constructor');
      super();
    }

    get aborted() {
      return this.#aborted;
    }

    get reason() {
      return this.#reason;
    }

    throwIfAborted() {
      if (this.#aborted) throw this.#reason;
    }

    static abort(reason = undefined) {
      const s = new AbortSignal(kCreate);
      s.#aborted = true;
      s.#reason = reason === undefined ? defaultReason() : reason;
      return s;
    }

    // The timer is an ordinary one: a pending AbortSignal.timeout() keeps the loop alive until
    // it fires, so `eddy script.js` may linger that long after its last fetch. If C ever offers
    // native.unrefTimer(id) (a timer that does not keep the loop alive), it is used.
    static timeout(milliseconds) {
      requireArgs(arguments.length, 1, 'AbortSignal.timeout');
      const ms = toEnforcedULL(milliseconds, 'AbortSignal.timeout: milliseconds');
      const s = new AbortSignal(kCreate);
      const id = setTimeout(() => {
        signalAbort(s, new internal.DOMException('signal timed out', 'TimeoutError'));
      }, ms);
      if (typeof native.unrefTimer === 'function') native.unrefTimer(id);
      return s;
    }

    static any(signals) {
      requireArgs(arguments.length, 1, 'AbortSignal.any');
      if (signals === null || typeof signals !== 'object' || typeof signals[Symbol.iterator] !== 'function') {
        throw new TypeError('AbortSignal.any: argument must be an iterable of AbortSignal');
      }
      const list = [];
      for (const s of signals) {
        if (!(s instanceof AbortSignal)) {
          throw new TypeError('AbortSignal.any: every element must be an AbortSignal');
        }
        list.push(s);
      }
      const result = new AbortSignal(kCreate);
      for (const s of list) {
        if (s.#aborted) {
          result.#aborted = true;
          result.#reason = s.#reason;
          return result;
        }
      }
      result.#dependent = true;
      result.#sources = new Set();
      for (const s of list) {
        if (!s.#dependent) {
          link(result, s);
        } else {
          for (const src of s.#sources) link(result, src);
        }
      }
      return result;
    }

    static {
      link = (dependent, source) => {
        dependent.#sources.add(source);
        (source.#dependents ??= new Set()).add(dependent);
      };

      const runAbortSteps = (signal) => {
        // Unlink from sources first: they no longer need to reach this signal.
        const sources = signal.#sources;
        if (sources !== null) {
          signal.#sources = null;
          for (const src of sources) src.#dependents?.delete(signal);
        }
        const algorithms = signal.#algorithms;
        if (algorithms !== null) {
          signal.#algorithms = null;
          for (const fn of algorithms) {
            try {
              fn();
            } catch (err) {
              internal.reportException(err);
            }
          }
        }
        internal.fireEvent(signal, new Event('abort'));
      };

      signalAbort = (signal, reason) => {
        if (signal.#aborted) return;
        signal.#aborted = true;
        signal.#reason = reason === undefined ? defaultReason() : reason;
        const toAbort = [];
        const dependents = signal.#dependents;
        if (dependents !== null) {
          signal.#dependents = null;
          for (const d of dependents) {
            if (d.#aborted) continue;
            d.#aborted = true;
            d.#reason = signal.#reason;
            toAbort.push(d);
          }
        }
        runAbortSteps(signal);
        for (const d of toAbort) runAbortSteps(d);
      };

      internal.isAbortSignal = (v) => v !== null && typeof v === 'object' && #aborted in v;
      internal.newAbortSignal = () => new AbortSignal(kCreate);
      internal.signalAbort = (signal, reason) => signalAbort(signal, reason);
      // For fetch and addEventListener: fn runs (once) when the signal aborts, before the event.
      internal.addAbortAlgorithm = (signal, fn) => {
        if (signal.#aborted) return;
        (signal.#algorithms ??= new Set()).add(fn);
      };
      internal.removeAbortAlgorithm = (signal, fn) => {
        signal.#algorithms?.delete(fn);
      };
    }
  }
  internal.makeInterface(AbortSignal);
  internal.defineEventHandler(AbortSignal.prototype, 'abort');

  class AbortController {
    #signal = new AbortSignal(kCreate);

    constructor() {}

    get signal() {
      return this.#signal;
    }

    abort(reason = undefined) {
      signalAbort(this.#signal, reason);
    }
  }
  internal.makeInterface(AbortController);

  internal.defineGlobal('AbortSignal', AbortSignal);
  internal.defineGlobal('AbortController', AbortController);
})
