(function (native, internal) {
  'use strict';

  // `performance` (High Resolution Time) with the User Timing marks and measures: an
  // EventTarget whose now() and timeOrigin come from the engine's clock (src/web/timers.c:
  // native.performanceNow, native.timeOrigin), and the entry buffer of marks and measures
  // (Performance Timeline's getEntries*). The global is installed on first use.

  const { toDOMString, toDictionary, requireArgs, makeInterface, defineGlobal, EventTarget } = internal;
  // DOMException (dom_exception.js) is looked up only to throw one.
  const performanceNow = native.performanceNow;
  const timeOrigin = native.timeOrigin;
  const kInternal = Symbol('internal');

  // User Timing's detail: a structured clone of the caller's value (null when absent).
  function cloneDetail(detail) {
    if (detail === undefined || detail === null) return null;
    internal.require('clone.js');
    return internal.structuredDeserialize(internal.structuredSerialize(detail));
  }

  // Web IDL's DOMHighResTimeStamp (a double): finite or TypeError.
  function toTimeStamp(v, what) {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new TypeError(`${what} must be a finite number`);
    return n;
  }

  let entryFields; // PerformanceEntry's state, read by subclasses and the buffer

  class PerformanceEntry {
    #name;
    #entryType;
    #startTime;
    #duration;

    constructor(key, name, entryType, startTime, duration) {
      if (key !== kInternal) throw new TypeError('Illegal constructor');
      this.#name = name;
      this.#entryType = entryType;
      this.#startTime = startTime;
      this.#duration = duration;
    }

    static {
      entryFields = (e) => ({ name: e.#name, entryType: e.#entryType, startTime: e.#startTime });
    }

    get name() {
      return this.#name;
    }

    get entryType() {
      return this.#entryType;
    }

    get startTime() {
      return this.#startTime;
    }

    get duration() {
      return this.#duration;
    }

    toJSON() {
      return { name: this.#name, entryType: this.#entryType, startTime: this.#startTime, duration: this.#duration };
    }
  }
  makeInterface(PerformanceEntry);

  class PerformanceMark extends PerformanceEntry {
    #detail;

    // User Timing's PerformanceMark constructor, also what performance.mark() runs.
    constructor(markName, markOptions = undefined) {
      requireArgs(arguments.length, 1, 'PerformanceMark constructor');
      const name = toDOMString(markName);
      const opts = toDictionary(markOptions, 'PerformanceMarkOptions');
      let startTime;
      if (opts !== null && opts.startTime !== undefined) {
        startTime = toTimeStamp(opts.startTime, 'PerformanceMark: startTime');
        if (startTime < 0) throw new TypeError('PerformanceMark: startTime must not be negative');
      } else {
        startTime = performanceNow();
      }
      const detail = cloneDetail(opts === null ? undefined : opts.detail);
      super(kInternal, name, 'mark', startTime, 0);
      this.#detail = detail;
    }

    get detail() {
      return this.#detail;
    }
  }
  makeInterface(PerformanceMark);

  class PerformanceMeasure extends PerformanceEntry {
    #detail;

    constructor(key, name, startTime, duration, detail) {
      if (key !== kInternal) throw new TypeError('Illegal constructor');
      super(kInternal, name, 'measure', startTime, duration);
      this.#detail = detail;
    }

    get detail() {
      return this.#detail;
    }
  }
  makeInterface(PerformanceMeasure);

  const byStartTime = (a, b) => entryFields(a).startTime - entryFields(b).startTime;
  let bufferedEntries; // (performance, type) → its buffered entries of that type, in order

  class Performance extends EventTarget {
    #entries = []; // marks and measures in the order they were made

    constructor(key) {
      if (key !== kInternal) throw new TypeError('Illegal constructor');
      super();
    }

    #check() {
      // A brand check that works for every method (private fields throw on other objects).
      return this.#entries;
    }

    now() {
      this.#check();
      return performanceNow();
    }

    get timeOrigin() {
      this.#check();
      return timeOrigin;
    }

    toJSON() {
      this.#check();
      return { timeOrigin };
    }

    mark(markName, markOptions = undefined) {
      requireArgs(arguments.length, 1, 'Performance.mark');
      const entries = this.#check();
      const mark = new PerformanceMark(markName, markOptions);
      entries.push(mark);
      queueEntry(mark);
      return mark;
    }

    clearMarks(markName = undefined) {
      this.#clear('mark', markName);
    }

    clearMeasures(measureName = undefined) {
      this.#clear('measure', measureName);
    }

    #clear(type, name) {
      const entries = this.#check();
      const wanted = name === undefined ? undefined : toDOMString(name);
      this.#entries = entries.filter((e) => {
        const f = entryFields(e);
        return f.entryType !== type || (wanted !== undefined && f.name !== wanted);
      });
    }

    // User Timing's "convert a mark to a timestamp".
    #markTime(mark, what) {
      if (typeof mark === 'number') {
        if (mark < 0) throw new TypeError(`Performance.measure: ${what} must not be negative`);
        return mark;
      }
      const name = toDOMString(mark);
      const entries = this.#entries;
      for (let i = entries.length - 1; i >= 0; i--) {
        const f = entryFields(entries[i]);
        if (f.entryType === 'mark' && f.name === name) return f.startTime;
      }
      throw new internal.DOMException(`Performance.measure: no mark named '${name}'`, 'SyntaxError');
    }

    measure(measureName, startOrMeasureOptions = undefined, endMark = undefined) {
      requireArgs(arguments.length, 1, 'Performance.measure');
      this.#check();
      const name = toDOMString(measureName);
      // (DOMString or PerformanceMeasureOptions): an object is the dictionary.
      let opts = null;
      let startMark;
      const s = startOrMeasureOptions;
      if (s === undefined || s === null || typeof s === 'object' || typeof s === 'function') {
        const d = toDictionary(s, 'PerformanceMeasureOptions');
        if (d !== null) {
          const o = { start: d.start, duration: d.duration, end: d.end, detail: d.detail };
          if (o.start !== undefined || o.duration !== undefined || o.end !== undefined || o.detail !== undefined) opts = o;
        }
      } else {
        startMark = s;
      }
      const mark = (v) => (typeof v === 'number' ? v : toDOMString(v));
      if (opts !== null) {
        if (endMark !== undefined) {
          throw new TypeError('Performance.measure: an end mark cannot come with measure options');
        }
        if (opts.start === undefined && opts.end === undefined) {
          throw new TypeError('Performance.measure: the options need a start or an end');
        }
        if (opts.start !== undefined && opts.duration !== undefined && opts.end !== undefined) {
          throw new TypeError('Performance.measure: start, duration and end cannot all be given');
        }
      }
      let end;
      if (endMark !== undefined) {
        end = this.#markTime(mark(endMark), 'end');
      } else if (opts !== null && opts.end !== undefined) {
        end = this.#markTime(mark(opts.end), 'end');
      } else if (opts !== null && opts.start !== undefined && opts.duration !== undefined) {
        end = this.#markTime(mark(opts.start), 'start') +
          this.#markTime(toTimeStamp(opts.duration, 'Performance.measure: duration'), 'duration');
      } else {
        end = performanceNow();
      }
      let start;
      if (opts !== null && opts.start !== undefined) {
        start = this.#markTime(mark(opts.start), 'start');
      } else if (opts !== null && opts.duration !== undefined && opts.end !== undefined) {
        start = end - this.#markTime(toTimeStamp(opts.duration, 'Performance.measure: duration'), 'duration');
      } else if (startMark !== undefined) {
        start = this.#markTime(mark(startMark), 'start');
      } else {
        start = 0;
      }
      const detail = cloneDetail(opts === null ? undefined : opts.detail);
      const measure = new PerformanceMeasure(kInternal, name, start, end - start, detail);
      this.#entries.push(measure);
      queueEntry(measure);
      return measure;
    }

    getEntries() {
      return this.#check().slice().sort(byStartTime);
    }

    static {
      bufferedEntries = (p, type) => p.#entries.filter((e) => entryFields(e).entryType === type);
    }

    getEntriesByType(type) {
      requireArgs(arguments.length, 1, 'Performance.getEntriesByType');
      const t = toDOMString(type);
      return this.#check().filter((e) => entryFields(e).entryType === t).sort(byStartTime);
    }

    getEntriesByName(name, type = undefined) {
      requireArgs(arguments.length, 1, 'Performance.getEntriesByName');
      const n = toDOMString(name);
      const t = type === undefined ? undefined : toDOMString(type);
      return this.#check().filter((e) => {
        const f = entryFields(e);
        return f.name === n && (t === undefined || f.entryType === t);
      }).sort(byStartTime);
    }
  }
  makeInterface(Performance);

  // --- Performance Timeline: PerformanceObserver ----------------------------------------------------

  const supportedTypes = Object.freeze(['mark', 'measure']);
  const registered = []; // the registered performance observers, in registration order
  let taskQueued = false;
  const setTimeoutFn = internal.intrinsics.setTimeout;

  // The entries of a list sorted by startTime, filtered as getEntriesByName/Type ask.
  function filterEntries(list, name, type) {
    return list.filter((e) => {
      const f = entryFields(e);
      return (name === undefined || f.name === name) && (type === undefined || f.entryType === type);
    }).sort(byStartTime);
  }

  class PerformanceObserverEntryList {
    #entries;

    constructor(key, entries) {
      if (key !== kInternal) throw new TypeError('Illegal constructor');
      this.#entries = entries;
    }

    getEntries() {
      return filterEntries(this.#entries, undefined, undefined);
    }

    getEntriesByType(type) {
      requireArgs(arguments.length, 1, 'PerformanceObserverEntryList.getEntriesByType');
      return filterEntries(this.#entries, undefined, toDOMString(type));
    }

    getEntriesByName(name, type = undefined) {
      requireArgs(arguments.length, 1, 'PerformanceObserverEntryList.getEntriesByName');
      return filterEntries(this.#entries, toDOMString(name), type === undefined ? undefined : toDOMString(type));
    }
  }
  makeInterface(PerformanceObserverEntryList);

  let observerState; // PerformanceObserver's private state, for the queueing steps below

  class PerformanceObserver {
    #callback;
    #buffer = [];
    #type = undefined; // 'single' or 'multiple' once observe() decided
    #options = []; // the registered observer's options list: { types, buffered }
    #requiresDroppedEntries = false;

    constructor(callback) {
      requireArgs(arguments.length, 1, 'PerformanceObserver constructor');
      if (typeof callback !== 'function') {
        throw new TypeError('PerformanceObserver: the callback must be a function');
      }
      this.#callback = callback;
    }

    static get supportedEntryTypes() {
      return supportedTypes;
    }

    observe(options = undefined) {
      const o = toDictionary(options, 'PerformanceObserverInit');
      const buffered = o === null || o.buffered === undefined ? undefined : !!o.buffered;
      let entryTypes = o === null || o.entryTypes === undefined ? undefined : o.entryTypes;
      const type = o === null || o.type === undefined ? undefined : toDOMString(o.type);
      if (entryTypes !== undefined) {
        if (entryTypes === null || typeof entryTypes !== 'object' || typeof entryTypes[Symbol.iterator] !== 'function') {
          throw new TypeError('PerformanceObserver.observe: entryTypes must be a sequence');
        }
        entryTypes = Array.from(entryTypes, toDOMString);
      }
      if (entryTypes === undefined && type === undefined) {
        throw new TypeError('PerformanceObserver.observe: give entryTypes or type');
      }
      if (entryTypes !== undefined && (type !== undefined || buffered !== undefined)) {
        throw new TypeError('PerformanceObserver.observe: entryTypes cannot come with type or buffered');
      }
      if (this.#type === undefined) this.#type = entryTypes !== undefined ? 'multiple' : 'single';
      if (this.#type === 'single' && entryTypes !== undefined) {
        throw new internal.DOMException('PerformanceObserver.observe: this observer observes by type', 'InvalidModificationError');
      }
      if (this.#type === 'multiple' && type !== undefined) {
        throw new internal.DOMException('PerformanceObserver.observe: this observer observes by entryTypes', 'InvalidModificationError');
      }
      this.#requiresDroppedEntries = true;
      if (this.#type === 'multiple') {
        const types = entryTypes.filter((t) => supportedTypes.includes(t));
        if (types.length === 0) return;
        this.#options = [{ types, buffered: false }];
        if (!registered.includes(this)) registered.push(this);
        return;
      }
      if (!supportedTypes.includes(type)) return;
      const item = { types: [type], buffered: buffered === true };
      const i = this.#options.findIndex((x) => x.types[0] === type);
      if (i >= 0) this.#options[i] = item;
      else this.#options.push(item);
      if (!registered.includes(this)) registered.push(this);
      if (buffered === true) {
        for (const e of bufferedEntries(globalThis.performance, type)) this.#buffer.push(e);
        queueObserverTask();
      }
    }

    disconnect() {
      const i = registered.indexOf(this);
      if (i >= 0) registered.splice(i, 1);
      this.#buffer = [];
      this.#options = [];
    }

    takeRecords() {
      const records = this.#buffer;
      this.#buffer = [];
      return records;
    }

    static {
      observerState = {
        wants: (po, type) => po.#options.some((x) => x.types.includes(type)),
        push: (po, entry) => po.#buffer.push(entry),
        // The task's steps for one observer: its buffer goes to its callback.
        notify(po) {
          const entries = po.#buffer;
          if (entries.length === 0) return;
          po.#buffer = [];
          const list = new PerformanceObserverEntryList(kInternal, entries);
          const callbackOptions = {};
          if (po.#requiresDroppedEntries) {
            callbackOptions.droppedEntriesCount = 0; // mark and measure buffers are unbounded
            po.#requiresDroppedEntries = false;
          }
          try {
            po.#callback.call(po, list, po, callbackOptions);
          } catch (err) {
            native.reportError(err);
          }
        },
      };
    }
  }
  makeInterface(PerformanceObserver);

  // Performance Timeline's "queue the PerformanceObserver task": one task for all observers.
  function queueObserverTask() {
    if (taskQueued) return;
    taskQueued = true;
    setTimeoutFn(() => {
      taskQueued = false;
      for (const po of registered.slice()) observerState.notify(po);
    }, 0);
  }

  // "queue a PerformanceEntry" for a mark or measure just added to the buffer.
  function queueEntry(entry) {
    if (registered.length === 0) return;
    const type = entryFields(entry).entryType;
    let any = false;
    for (const po of registered) {
      if (observerState.wants(po, type)) {
        observerState.push(po, entry);
        any = true;
      }
    }
    if (any) queueObserverTask();
  }

  defineGlobal('performance', new Performance(kInternal));
  defineGlobal('PerformanceObserver', PerformanceObserver);
  defineGlobal('PerformanceObserverEntryList', PerformanceObserverEntryList);
  defineGlobal('Performance', Performance);
  defineGlobal('PerformanceEntry', PerformanceEntry);
  defineGlobal('PerformanceMark', PerformanceMark);
  defineGlobal('PerformanceMeasure', PerformanceMeasure);
})
