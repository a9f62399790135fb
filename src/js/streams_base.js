(function (native, internal) {
  'use strict';

  // WHATWG Streams (https://streams.spec.whatwg.org/), shared part: the promise helpers of Web
  // IDL the algorithms use, and queue-with-sizes. The standard's abstract operations live in
  // the streams_*.js files under its names, sharing them through `internal.streamsCore` (each
  // file destructures what earlier files put there; streams.js installs them all).
  //
  // State lives in plain records (null-prototype objects, fields named as the spec's internal
  // slots); each interface object holds its record in a private field, and each record points
  // back at its interface object (`pub`).

  const { toDictionary } = internal;
  const { PromiseCtor, promiseThen, promiseResolve } = internal.intrinsics;
  const apply = Reflect.apply;
  const { getPrototypeOf, getOwnPropertyDescriptor } = Object;

  const kCreate = Symbol('streams.create');
  const noop = () => {};

  // AbortSignal accessors, taken from a signal of our own (the global may have been replaced).
  const signalProto = getPrototypeOf(internal.newAbortSignal());
  const signalAborted = getOwnPropertyDescriptor(signalProto, 'aborted').get;
  const signalReason = getOwnPropertyDescriptor(signalProto, 'reason').get;

  // --- Promises (Web IDL "a new promise", "upon fulfillment", "mark as handled") -----------------

  // One executor for every promise, not three closures each: the constructor calls it at once,
  // and PromiseCap takes the resolving functions it left.
  let newResolve;
  let newReject;
  function captureResolvers(resolve, reject) {
    newResolve = resolve;
    newReject = reject;
  }

  class PromiseCap {
    constructor() {
      this.promise = new PromiseCtor(captureResolvers);
      this.res = newResolve;
      this.rej = newReject;
      this.state = 'pending';
      newResolve = newReject = undefined;
    }

    resolve(v) {
      if (this.state !== 'pending') return;
      this.state = 'fulfilled';
      this.res(v);
    }

    reject(e) {
      if (this.state !== 'pending') return;
      this.state = 'rejected';
      this.rej(e);
    }
  }

  function newPromise() {
    return new PromiseCap();
  }

  // The read request of reader.read() (default and BYOB readers): its steps settle p.
  class ReadRequest {
    constructor(p) {
      this.p = p;
    }

    chunk(chunk) { this.p.resolve({ value: chunk, done: false }); }

    close(chunk) { this.p.resolve({ value: chunk, done: true }); }

    error(e) { this.p.reject(e); }
  }

  function resolvedCap(v) {
    const cap = newPromise();
    cap.resolve(v);
    return cap;
  }

  function rejectedCap(e) {
    const cap = newPromise();
    cap.reject(e);
    setHandled(cap.promise);
    return cap;
  }

  // Web IDL's "a promise resolved with": always a new promise, so one resolved with another
  // promise settles the ticks later the standard's algorithms count on (not Promise.resolve,
  // which hands a promise back as it is).
  function promiseResolvedWith(v) {
    if ((typeof v === 'object' && v !== null) || typeof v === 'function') {
      return new PromiseCtor((resolve) => resolve(v));
    }
    return apply(promiseResolve, PromiseCtor, [v]);
  }

  function promiseRejectedWith(e) {
    return new PromiseCtor((_, reject) => reject(e));
  }

  // Function.prototype.call, taken at install as the other intrinsics here. While a function's
  // `call` is still that one, JSC runs f.call(x, ...) as a direct call of f (its bytecode checks
  // for it): a quarter of what Reflect.apply costs in the interpreter that runs a short stream's
  // chunks. Where a script replaced it (on Function.prototype or on f), Reflect.apply.
  const fnCall = Function.prototype.call;

  // An intrinsic getter (or method without arguments) on v.
  function call0(f, v) {
    return f.call === fnCall ? f.call(v) : apply(f, v, []);
  }

  function transformPromise(p, onFulfilled, onRejected) {
    if (promiseThen.call === fnCall) return promiseThen.call(p, onFulfilled, onRejected);
    return apply(promiseThen, p, [onFulfilled, onRejected]);
  }

  function setHandled(p) {
    apply(promiseThen, p, [undefined, noop]);
  }

  // "React to": the derived promise never reports an unhandled rejection.
  function uponPromise(p, onFulfilled, onRejected) {
    setHandled(apply(promiseThen, p, [onFulfilled, onRejected]));
  }

  // A callback that returns a promise: a throw becomes a rejection.
  function promiseCall(fn, thisArg, args) {
    try {
      return promiseResolvedWith(apply(fn, thisArg, args));
    } catch (e) {
      return promiseRejectedWith(e);
    }
  }

  // A pull algorithm's promise is only reacted to (CallPullIfNeeded), never handed to a script,
  // nor is an identity transform's (PerformTransform): one fulfilled promise serves every one
  // that settles at once, as a new one would (the reaction is a job either way), and spares a
  // promise per chunk. pipeTo reacts to it for a microtask.
  const pullResolved = apply(promiseResolve, PromiseCtor, [undefined]);

  // promiseCall for an underlying source's pull(controller): a result that is no object (pull
  // returned nothing) needs no promise of its own.
  function pullCall(fn, source, controller) {
    let r;
    try {
      r = fn.call === fnCall ? fn.call(source, controller) : apply(fn, source, [controller]);
    } catch (e) {
      return promiseRejectedWith(e);
    }
    return isObject(r) ? promiseResolvedWith(r) : pullResolved;
  }

  // Web IDL "wait for all": fulfils when every promise did, rejects with the first rejection.
  function waitForAll(promises) {
    if (promises.length === 0) return promiseResolvedWith(undefined);
    const cap = newPromise();
    let left = promises.length;
    for (const p of promises) {
      uponPromise(p, () => {
        if (--left === 0) cap.resolve(undefined);
      }, (e) => cap.reject(e));
    }
    return cap.promise;
  }

  function isObject(v) {
    return (typeof v === 'object' && v !== null) || typeof v === 'function';
  }

  function callbackMember(dict, name, where) {
    const v = dict[name];
    if (v !== undefined && typeof v !== 'function') {
      throw new TypeError(`${where}: '${name}' is not a function`);
    }
    return v;
  }

  // --- Queuing strategies and queue-with-sizes ---------------------------------------------------

  // A QueuingStrategy dictionary, converted at the binding (before the underlying source).
  function convertStrategy(strategy, where) {
    const dict = toDictionary(strategy, `${where}: strategy`);
    if (dict === null) return { highWaterMark: undefined, size: undefined };
    const hwm = dict.highWaterMark;
    const highWaterMark = hwm === undefined ? undefined : +hwm;
    const size = callbackMember(dict, 'size', where);
    return { highWaterMark, size };
  }

  function ExtractHighWaterMark(strategy, defaultHWM) {
    if (strategy.highWaterMark === undefined) return defaultHWM;
    const hwm = strategy.highWaterMark;
    if (Number.isNaN(hwm) || hwm < 0) throw new RangeError('highWaterMark must be a non-negative number');
    return hwm;
  }

  function ExtractSizeAlgorithm(strategy) {
    const size = strategy.size;
    if (size === undefined) return () => 1;
    return (chunk) => +apply(size, undefined, [chunk]);
  }

  function IsNonNegativeNumber(v) {
    return typeof v === 'number' && v >= 0; // NaN >= 0 is false: no Number.isNaN lookup and call
  }

  // A FIFO with O(1) shift (Array.prototype.shift is linear in the length): items before
  // `head` are consumed, and the array is compacted once they are half of it.
  // `length` is a field, not a getter: pullSteps reads it twice a chunk.
  class Queue {
    constructor() {
      this.items = [];
      this.head = 0;
      this.length = 0;
    }

    push(v) {
      this.items.push(v);
      this.length++;
    }

    peek() {
      return this.items[this.head];
    }

    shift() {
      const items = this.items;
      const v = items[this.head];
      items[this.head++] = undefined;
      this.length--;
      if (this.head === items.length) {
        this.items = [];
        this.head = 0;
      } else if (this.head >= 1024 && this.head * 2 >= items.length) {
        this.items = items.slice(this.head);
        this.head = 0;
      }
      return v;
    }
  }

  function DequeueValue(c) {
    const pair = c.queue.shift();
    c.queueTotalSize -= pair.size;
    if (c.queueTotalSize < 0) c.queueTotalSize = 0;
    return pair.value;
  }

  function EnqueueValueWithSize(c, value, size) {
    if (!IsNonNegativeNumber(size) || size === Infinity) {
      throw new RangeError('The chunk size must be a finite, non-negative number');
    }
    c.queue.push({ value, size });
    c.queueTotalSize += size;
  }

  function PeekQueueValue(c) {
    return c.queue.peek().value;
  }

  function ResetQueue(c) {
    c.queue = new Queue();
    c.queueTotalSize = 0;
  }

  internal.streamsCore = { __proto__: null, DequeueValue, EnqueueValueWithSize, ExtractHighWaterMark,
    ExtractSizeAlgorithm, PeekQueueValue, ReadRequest, ResetQueue, call0, callbackMember,
    convertStrategy, fnCall, isObject, kCreate, newPromise, noop, promiseCall, promiseRejectedWith,
    promiseResolvedWith, pullCall, pullResolved, rejectedCap, resolvedCap, setHandled, signalAborted,
    signalReason, transformPromise, uponPromise, waitForAll };
})
