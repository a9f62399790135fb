(function (native, internal) {
  'use strict';

  // WHATWG Streams (https://streams.spec.whatwg.org/): readable streams with default controllers
  // and readers, writable streams, transform streams, piping and the queuing strategies. Byte
  // streams (type: 'bytes') come with BYOB readers and requests.
  //
  // The functions below are the standard's abstract operations, under its names. Their state
  // lives in plain records (null-prototype objects, fields named as the spec's internal slots);
  // each interface object holds its record in a private field, and each record points back at
  // its interface object (`pub`).

  const { makeInterface, defineGlobal, toDictionary, requireArgs, isAbortSignal } = internal;
  const { PromiseCtor, promiseThen, promiseResolve } = internal.intrinsics;
  const apply = Reflect.apply;
  const { getPrototypeOf, setPrototypeOf, defineProperty, getOwnPropertyDescriptor } = Object;
  const queueMicrotask = globalThis.queueMicrotask;
  const SymbolAsyncIterator = Symbol.asyncIterator;
  const SymbolIterator = Symbol.iterator;

  const kCreate = Symbol('streams.create');
  const noop = () => {};

  // AbortSignal accessors, taken from a signal of our own (the global may have been replaced).
  const signalProto = getPrototypeOf(internal.newAbortSignal());
  const signalAborted = getOwnPropertyDescriptor(signalProto, 'aborted').get;
  const signalReason = getOwnPropertyDescriptor(signalProto, 'reason').get;

  // --- Promises (Web IDL "a new promise", "upon fulfillment", "mark as handled") -----------------

  function newPromise() {
    const cap = { promise: undefined, resolve: undefined, reject: undefined, state: 'pending' };
    cap.promise = new PromiseCtor((resolve, reject) => {
      cap.resolve = (v) => {
        if (cap.state !== 'pending') return;
        cap.state = 'fulfilled';
        resolve(v);
      };
      cap.reject = (e) => {
        if (cap.state !== 'pending') return;
        cap.state = 'rejected';
        reject(e);
      };
    });
    return cap;
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

  function transformPromise(p, onFulfilled, onRejected) {
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
    return typeof v === 'number' && !Number.isNaN(v) && v >= 0;
  }

  // A FIFO with O(1) shift (Array.prototype.shift is linear in the length): items before
  // `head` are consumed, and the array is compacted once they are half of it.
  class Queue {
    constructor() {
      this.items = [];
      this.head = 0;
    }

    get length() {
      return this.items.length - this.head;
    }

    push(v) {
      this.items.push(v);
    }

    peek() {
      return this.items[this.head];
    }

    shift() {
      const items = this.items;
      const v = items[this.head];
      items[this.head++] = undefined;
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

  // --- ReadableStream ----------------------------------------------------------------------------

  let rsOf, isRS, newRS, rsdcOf, readerOf, isReader, newReader, newRSDC;

  function InitializeReadableStream(stream) {
    stream.state = 'readable';
    stream.reader = undefined;
    stream.storedError = undefined;
    stream.disturbed = false;
    stream.controller = undefined;
  }

  function CreateReadableStream(startAlgorithm, pullAlgorithm, cancelAlgorithm,
    highWaterMark = 1, sizeAlgorithm = () => 1) {
    const stream = newRS();
    InitializeReadableStream(stream);
    const controller = newRSDC();
    SetUpReadableStreamDefaultController(stream, controller, startAlgorithm, pullAlgorithm,
      cancelAlgorithm, highWaterMark, sizeAlgorithm);
    return stream;
  }

  function IsReadableStreamLocked(stream) {
    return stream.reader !== undefined;
  }

  function AcquireReadableStreamDefaultReader(stream) {
    const reader = newReader();
    SetUpReadableStreamDefaultReader(reader, stream);
    return reader;
  }

  function ReadableStreamAddReadRequest(stream, readRequest) {
    stream.reader.readRequests.push(readRequest);
  }

  function ReadableStreamGetNumReadRequests(stream) {
    return stream.reader.readRequests.length;
  }

  function ReadableStreamHasDefaultReader(stream) {
    return stream.reader !== undefined && stream.reader.kind === 'default';
  }

  function ReadableStreamCancel(stream, reason) {
    stream.disturbed = true;
    if (stream.state === 'closed') return promiseResolvedWith(undefined);
    if (stream.state === 'errored') return promiseRejectedWith(stream.storedError);
    ReadableStreamClose(stream);
    const reader = stream.reader;
    if (reader !== undefined && reader.kind === 'byob') {
      const readIntoRequests = reader.readIntoRequests;
      reader.readIntoRequests = [];
      for (const r of readIntoRequests) r.close(undefined);
    }
    const sourceCancelPromise = stream.controller.cancelSteps(reason);
    return transformPromise(sourceCancelPromise, () => undefined);
  }

  function ReadableStreamClose(stream) {
    stream.state = 'closed';
    const reader = stream.reader;
    if (reader === undefined) return;
    reader.closedPromise.resolve(undefined);
    if (reader.kind !== 'default') return;
    const readRequests = reader.readRequests;
    reader.readRequests = [];
    for (const r of readRequests) r.close();
  }

  function ReadableStreamError(stream, e) {
    stream.state = 'errored';
    stream.storedError = e;
    const reader = stream.reader;
    if (reader === undefined) return;
    reader.closedPromise.reject(e);
    setHandled(reader.closedPromise.promise);
    if (reader.kind === 'default') ReadableStreamDefaultReaderErrorReadRequests(reader, e);
    else ReadableStreamBYOBReaderErrorReadIntoRequests(reader, e);
  }

  function ReadableStreamFulfillReadRequest(stream, chunk, done) {
    const readRequest = stream.reader.readRequests.shift();
    if (done) readRequest.close();
    else readRequest.chunk(chunk);
  }

  // Readers

  function ReadableStreamReaderGenericInitialize(reader, stream) {
    reader.stream = stream;
    stream.reader = reader;
    if (stream.state === 'readable') reader.closedPromise = newPromise();
    else if (stream.state === 'closed') reader.closedPromise = resolvedCap(undefined);
    else reader.closedPromise = rejectedCap(stream.storedError);
  }

  function ReadableStreamReaderGenericCancel(reader, reason) {
    return ReadableStreamCancel(reader.stream, reason);
  }

  function ReadableStreamReaderGenericRelease(reader) {
    const stream = reader.stream;
    const error = new TypeError('The reader was released');
    if (stream.state === 'readable') reader.closedPromise.reject(error);
    else reader.closedPromise = rejectedCap(error);
    setHandled(reader.closedPromise.promise);
    stream.controller.releaseSteps();
    stream.reader = undefined;
    reader.stream = undefined;
  }

  function ReadableStreamDefaultReaderErrorReadRequests(reader, e) {
    const readRequests = reader.readRequests;
    reader.readRequests = [];
    for (const r of readRequests) r.error(e);
  }

  function ReadableStreamDefaultReaderRead(reader, readRequest) {
    const stream = reader.stream;
    stream.disturbed = true;
    if (stream.state === 'closed') readRequest.close();
    else if (stream.state === 'errored') readRequest.error(stream.storedError);
    else stream.controller.pullSteps(readRequest);
  }

  function ReadableStreamDefaultReaderRelease(reader) {
    ReadableStreamReaderGenericRelease(reader);
    ReadableStreamDefaultReaderErrorReadRequests(reader, new TypeError('The reader was released'));
  }

  function SetUpReadableStreamDefaultReader(reader, stream) {
    if (IsReadableStreamLocked(stream)) throw new TypeError('The stream is locked to a reader');
    ReadableStreamReaderGenericInitialize(reader, stream);
    reader.readRequests = [];
  }

  // Default controllers

  function ReadableStreamDefaultControllerCallPullIfNeeded(c) {
    if (!ReadableStreamDefaultControllerShouldCallPull(c)) return;
    if (c.pulling) {
      c.pullAgain = true;
      return;
    }
    c.pulling = true;
    const pullPromise = c.pullAlgorithm();
    uponPromise(pullPromise, () => {
      c.pulling = false;
      if (c.pullAgain) {
        c.pullAgain = false;
        ReadableStreamDefaultControllerCallPullIfNeeded(c);
      }
    }, (e) => {
      ReadableStreamDefaultControllerError(c, e);
    });
  }

  function ReadableStreamDefaultControllerShouldCallPull(c) {
    const stream = c.stream;
    if (!ReadableStreamDefaultControllerCanCloseOrEnqueue(c)) return false;
    if (!c.started) return false;
    if (IsReadableStreamLocked(stream) && ReadableStreamGetNumReadRequests(stream) > 0) return true;
    return ReadableStreamDefaultControllerGetDesiredSize(c) > 0;
  }

  function ReadableStreamDefaultControllerClearAlgorithms(c) {
    c.pullAlgorithm = undefined;
    c.cancelAlgorithm = undefined;
    c.strategySizeAlgorithm = undefined;
  }

  function ReadableStreamDefaultControllerClose(c) {
    if (!ReadableStreamDefaultControllerCanCloseOrEnqueue(c)) return;
    c.closeRequested = true;
    if (c.queue.length === 0) {
      ReadableStreamDefaultControllerClearAlgorithms(c);
      ReadableStreamClose(c.stream);
    }
  }

  function ReadableStreamDefaultControllerEnqueue(c, chunk) {
    if (!ReadableStreamDefaultControllerCanCloseOrEnqueue(c)) return;
    const stream = c.stream;
    if (IsReadableStreamLocked(stream) && ReadableStreamGetNumReadRequests(stream) > 0) {
      ReadableStreamFulfillReadRequest(stream, chunk, false);
    } else {
      let chunkSize;
      try {
        chunkSize = c.strategySizeAlgorithm(chunk);
      } catch (e) {
        ReadableStreamDefaultControllerError(c, e);
        throw e;
      }
      try {
        EnqueueValueWithSize(c, chunk, chunkSize);
      } catch (e) {
        ReadableStreamDefaultControllerError(c, e);
        throw e;
      }
    }
    ReadableStreamDefaultControllerCallPullIfNeeded(c);
  }

  function ReadableStreamDefaultControllerError(c, e) {
    const stream = c.stream;
    if (stream.state !== 'readable') return;
    ResetQueue(c);
    ReadableStreamDefaultControllerClearAlgorithms(c);
    ReadableStreamError(stream, e);
  }

  function ReadableStreamDefaultControllerGetDesiredSize(c) {
    const state = c.stream.state;
    if (state === 'errored') return null;
    if (state === 'closed') return 0;
    return c.strategyHWM - c.queueTotalSize;
  }

  function ReadableStreamDefaultControllerHasBackpressure(c) {
    return !ReadableStreamDefaultControllerShouldCallPull(c);
  }

  function ReadableStreamDefaultControllerCanCloseOrEnqueue(c) {
    return !c.closeRequested && c.stream.state === 'readable';
  }

  function SetUpReadableStreamDefaultController(stream, c, startAlgorithm, pullAlgorithm,
    cancelAlgorithm, highWaterMark, sizeAlgorithm) {
    c.stream = stream;
    ResetQueue(c);
    c.started = false;
    c.closeRequested = false;
    c.pullAgain = false;
    c.pulling = false;
    c.strategySizeAlgorithm = sizeAlgorithm;
    c.strategyHWM = highWaterMark;
    c.pullAlgorithm = pullAlgorithm;
    c.cancelAlgorithm = cancelAlgorithm;
    stream.controller = c;
    const startResult = startAlgorithm();
    const startPromise = promiseResolvedWith(startResult);
    uponPromise(startPromise, () => {
      c.started = true;
      ReadableStreamDefaultControllerCallPullIfNeeded(c);
    }, (r) => {
      ReadableStreamDefaultControllerError(c, r);
    });
  }

  function SetUpReadableStreamDefaultControllerFromUnderlyingSource(stream, source, dict,
    highWaterMark, sizeAlgorithm) {
    const c = newRSDC();
    let startAlgorithm = () => undefined;
    let pullAlgorithm = () => promiseResolvedWith(undefined);
    let cancelAlgorithm = () => promiseResolvedWith(undefined);
    if (dict.start !== undefined) startAlgorithm = () => apply(dict.start, source, [c.pub]);
    if (dict.pull !== undefined) pullAlgorithm = () => promiseCall(dict.pull, source, [c.pub]);
    if (dict.cancel !== undefined) cancelAlgorithm = (reason) => promiseCall(dict.cancel, source, [reason]);
    SetUpReadableStreamDefaultController(stream, c, startAlgorithm, pullAlgorithm, cancelAlgorithm,
      highWaterMark, sizeAlgorithm);
  }

  // The default controller's [[CancelSteps]], [[PullSteps]] and [[ReleaseSteps]].
  const rsdcMethods = {
    cancelSteps(reason) {
      ResetQueue(this);
      const result = this.cancelAlgorithm(reason);
      ReadableStreamDefaultControllerClearAlgorithms(this);
      return result;
    },
    pullSteps(readRequest) {
      const stream = this.stream;
      if (this.queue.length > 0) {
        const chunk = DequeueValue(this);
        if (this.closeRequested && this.queue.length === 0) {
          ReadableStreamDefaultControllerClearAlgorithms(this);
          ReadableStreamClose(stream);
        } else {
          ReadableStreamDefaultControllerCallPullIfNeeded(this);
        }
        readRequest.chunk(chunk);
      } else {
        ReadableStreamAddReadRequest(stream, readRequest);
        ReadableStreamDefaultControllerCallPullIfNeeded(this);
      }
    },
    releaseSteps() {},
  };

  // Tee (default streams; cloneForBranch2 is false)

  function ReadableStreamDefaultTee(stream) {
    const reader = AcquireReadableStreamDefaultReader(stream);
    let reading = false;
    let readAgain = false;
    let canceled1 = false;
    let canceled2 = false;
    let reason1;
    let reason2;
    let branch1;
    let branch2;
    const cancelPromise = newPromise();

    function pullAlgorithm() {
      if (reading) {
        readAgain = true;
        return promiseResolvedWith(undefined);
      }
      reading = true;
      const readRequest = {
        chunk(chunk) {
          queueMicrotask(() => {
            readAgain = false;
            if (!canceled1) ReadableStreamDefaultControllerEnqueue(branch1.controller, chunk);
            if (!canceled2) ReadableStreamDefaultControllerEnqueue(branch2.controller, chunk);
            reading = false;
            if (readAgain) pullAlgorithm();
          });
        },
        close() {
          reading = false;
          if (!canceled1) ReadableStreamDefaultControllerClose(branch1.controller);
          if (!canceled2) ReadableStreamDefaultControllerClose(branch2.controller);
          if (!canceled1 || !canceled2) cancelPromise.resolve(undefined);
        },
        error() {
          reading = false;
        },
      };
      ReadableStreamDefaultReaderRead(reader, readRequest);
      return promiseResolvedWith(undefined);
    }

    function cancel1Algorithm(reason) {
      canceled1 = true;
      reason1 = reason;
      if (canceled2) cancelPromise.resolve(ReadableStreamCancel(stream, [reason1, reason2]));
      return cancelPromise.promise;
    }

    function cancel2Algorithm(reason) {
      canceled2 = true;
      reason2 = reason;
      if (canceled1) cancelPromise.resolve(ReadableStreamCancel(stream, [reason1, reason2]));
      return cancelPromise.promise;
    }

    const startAlgorithm = () => undefined;
    branch1 = CreateReadableStream(startAlgorithm, pullAlgorithm, cancel1Algorithm);
    branch2 = CreateReadableStream(startAlgorithm, pullAlgorithm, cancel2Algorithm);
    uponPromise(reader.closedPromise.promise, undefined, (r) => {
      ReadableStreamDefaultControllerError(branch1.controller, r);
      ReadableStreamDefaultControllerError(branch2.controller, r);
      if (!canceled1 || !canceled2) cancelPromise.resolve(undefined);
    });
    return [branch1, branch2];
  }

  // ReadableStream.from

  function CreateAsyncFromSyncIterator(iterator, nextMethod) {
    function unwrap(result) {
      if (!isObject(result)) throw new TypeError('The iterator result is not an object');
      const done = !!result.done;
      return transformPromise(promiseResolvedWith(result.value), (value) => ({ value, done }));
    }
    return {
      iterator: {
        next() {
          try {
            return unwrap(apply(nextMethod, iterator, []));
          } catch (e) {
            return promiseRejectedWith(e);
          }
        },
        return(value) {
          try {
            const ret = iterator.return;
            if (ret === undefined || ret === null) return promiseResolvedWith({ value, done: true });
            return unwrap(apply(ret, iterator, [value]));
          } catch (e) {
            return promiseRejectedWith(e);
          }
        },
      },
      nextMethod: null,
    };
  }

  function GetAsyncIterator(obj) {
    let method = obj == null ? undefined : obj[SymbolAsyncIterator];
    if (method === undefined || method === null) {
      const syncMethod = obj == null ? undefined : obj[SymbolIterator];
      if (syncMethod === undefined || syncMethod === null) {
        throw new TypeError('ReadableStream.from: the argument is not iterable');
      }
      const iterator = apply(syncMethod, obj, []);
      if (!isObject(iterator)) throw new TypeError('ReadableStream.from: the iterator is not an object');
      const record = CreateAsyncFromSyncIterator(iterator, iterator.next);
      record.nextMethod = record.iterator.next;
      return record;
    }
    if (typeof method !== 'function') throw new TypeError('ReadableStream.from: @@asyncIterator is not a function');
    const iterator = apply(method, obj, []);
    if (!isObject(iterator)) throw new TypeError('ReadableStream.from: the iterator is not an object');
    return { iterator, nextMethod: iterator.next };
  }

  function ReadableStreamFromIterable(asyncIterable) {
    let stream;
    const iteratorRecord = GetAsyncIterator(asyncIterable);
    const startAlgorithm = () => undefined;
    function pullAlgorithm() {
      let nextResult;
      try {
        nextResult = apply(iteratorRecord.nextMethod, iteratorRecord.iterator, []);
      } catch (e) {
        return promiseRejectedWith(e);
      }
      if (!isObject(nextResult)) return promiseRejectedWith(new TypeError('The iterator result is not an object'));
      const nextPromise = promiseResolvedWith(nextResult);
      return transformPromise(nextPromise, (iterResult) => {
        if (!isObject(iterResult)) throw new TypeError('The iterator result is not an object');
        if (iterResult.done) {
          ReadableStreamDefaultControllerClose(stream.controller);
        } else {
          ReadableStreamDefaultControllerEnqueue(stream.controller, iterResult.value);
        }
      });
    }
    function cancelAlgorithm(reason) {
      const iterator = iteratorRecord.iterator;
      let returnMethod;
      try {
        returnMethod = iterator.return;
        if (returnMethod === undefined || returnMethod === null) return promiseResolvedWith(undefined);
        if (typeof returnMethod !== 'function') throw new TypeError('The iterator\'s return is not a function');
      } catch (e) {
        return promiseRejectedWith(e);
      }
      let returnResult;
      try {
        returnResult = apply(returnMethod, iterator, [reason]);
      } catch (e) {
        return promiseRejectedWith(e);
      }
      return transformPromise(promiseResolvedWith(returnResult), (r) => {
        if (!isObject(r)) throw new TypeError('The iterator\'s return() result is not an object');
        return undefined;
      });
    }
    stream = CreateReadableStream(startAlgorithm, pullAlgorithm, cancelAlgorithm, 0);
    return stream;
  }

  // Piping

  function ReadableStreamPipeTo(source, dest, preventClose, preventAbort, preventCancel, signal) {
    const reader = AcquireReadableStreamDefaultReader(source);
    const writer = AcquireWritableStreamDefaultWriter(dest);
    source.disturbed = true;
    let shuttingDown = false;
    let currentWrite = promiseResolvedWith(undefined);
    const promise = newPromise();
    let abortAlgorithm;

    function finalize(isError, error) {
      WritableStreamDefaultWriterRelease(writer);
      ReadableStreamDefaultReaderRelease(reader);
      if (signal !== undefined) internal.removeAbortAlgorithm(signal, abortAlgorithm);
      if (isError) promise.reject(error);
      else promise.resolve(undefined);
    }

    function waitForWritesToFinish() {
      const oldCurrentWrite = currentWrite;
      return transformPromise(currentWrite,
        () => (oldCurrentWrite !== currentWrite ? waitForWritesToFinish() : undefined));
    }

    function destIsOpen() {
      return dest.state === 'writable' && !WritableStreamCloseQueuedOrInFlight(dest);
    }

    function shutdownWithAnAction(action, originalIsError, originalError) {
      if (shuttingDown) return;
      shuttingDown = true;
      const doTheRest = () => {
        uponPromise(action(), () => finalize(originalIsError, originalError),
          (newError) => finalize(true, newError));
      };
      if (destIsOpen()) uponPromise(waitForWritesToFinish(), doTheRest);
      else doTheRest();
    }

    function shutdown(isError, error) {
      if (shuttingDown) return;
      shuttingDown = true;
      if (destIsOpen()) uponPromise(waitForWritesToFinish(), () => finalize(isError, error));
      else finalize(isError, error);
    }

    if (signal !== undefined) {
      abortAlgorithm = () => {
        const error = apply(signalReason, signal, []);
        const actions = [];
        if (!preventAbort) {
          actions.push(() => (dest.state === 'writable'
            ? WritableStreamAbort(dest, error) : promiseResolvedWith(undefined)));
        }
        if (!preventCancel) {
          actions.push(() => (source.state === 'readable'
            ? ReadableStreamCancel(source, error) : promiseResolvedWith(undefined)));
        }
        shutdownWithAnAction(() => waitForAll(actions.map((a) => a())), true, error);
      };
      if (apply(signalAborted, signal, [])) {
        abortAlgorithm();
        return promise.promise;
      }
      internal.addAbortAlgorithm(signal, abortAlgorithm);
    }

    function pipeStep() {
      if (shuttingDown) return promiseResolvedWith(true);
      return transformPromise(writer.readyPromise.promise, () => new PromiseCtor((resolveRead, rejectRead) => {
        ReadableStreamDefaultReaderRead(reader, {
          chunk(chunk) {
            currentWrite = transformPromise(WritableStreamDefaultWriterWrite(writer, chunk), undefined, noop);
            resolveRead(false);
          },
          close() { resolveRead(true); },
          error: rejectRead,
        });
      }));
    }

    function pipeLoop() {
      return new PromiseCtor((resolveLoop, rejectLoop) => {
        const next = (done) => {
          if (done) resolveLoop();
          else transformPromise(pipeStep(), next, rejectLoop);
        };
        next(false);
      });
    }

    // Errors must be propagated forward.
    const sourceClosed = reader.closedPromise.promise;
    const destClosed = writer.closedPromise.promise;
    const onSourceError = (storedError) => {
      if (!preventAbort) shutdownWithAnAction(() => WritableStreamAbort(dest, storedError), true, storedError);
      else shutdown(true, storedError);
    };
    if (source.state === 'errored') onSourceError(source.storedError);
    else uponPromise(sourceClosed, undefined, onSourceError);
    // Errors must be propagated backward.
    const onDestError = (storedError) => {
      if (!preventCancel) shutdownWithAnAction(() => ReadableStreamCancel(source, storedError), true, storedError);
      else shutdown(true, storedError);
    };
    if (dest.state === 'errored') onDestError(dest.storedError);
    else uponPromise(destClosed, undefined, onDestError);
    // Closing must be propagated forward.
    const onSourceClosed = () => {
      if (!preventClose) shutdownWithAnAction(() => WritableStreamDefaultWriterCloseWithErrorPropagation(writer));
      else shutdown();
    };
    if (source.state === 'closed') onSourceClosed();
    else uponPromise(sourceClosed, onSourceClosed);
    // Closing must be propagated backward.
    if (WritableStreamCloseQueuedOrInFlight(dest) || dest.state === 'closed') {
      const error = new TypeError('The destination writable stream closed before all data could be piped to it');
      if (!preventCancel) shutdownWithAnAction(() => ReadableStreamCancel(source, error), true, error);
      else shutdown(true, error);
    }

    setHandled(pipeLoop());
    return promise.promise;
  }

  // StreamPipeOptions, members in lexicographic order.
  function convertPipeOptions(options) {
    const dict = toDictionary(options, 'options');
    if (dict === null) return { preventAbort: false, preventCancel: false, preventClose: false, signal: undefined };
    const preventAbort = !!dict.preventAbort;
    const preventCancel = !!dict.preventCancel;
    const preventClose = !!dict.preventClose;
    const signal = dict.signal;
    if (signal !== undefined && !isAbortSignal(signal)) throw new TypeError('options.signal is not an AbortSignal');
    return { preventAbort, preventCancel, preventClose, signal };
  }

  // --- Byte streams (ReadableByteStreamController, BYOB readers and requests) --------------------

  let rbscOf, newRBSC, byobReaderOf, newBYOBReader, byobRequestOf, newBYOBRequest;

  const abTransfer = ArrayBuffer.prototype.transfer;
  const abDetached = getOwnPropertyDescriptor(ArrayBuffer.prototype, 'detached').get;
  const abByteLength = getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength').get;
  const abSlice = ArrayBuffer.prototype.slice;
  const TypedArrayProto = getPrototypeOf(Uint8Array.prototype);
  const taBuffer = getOwnPropertyDescriptor(TypedArrayProto, 'buffer').get;
  const taByteOffset = getOwnPropertyDescriptor(TypedArrayProto, 'byteOffset').get;
  const taByteLength = getOwnPropertyDescriptor(TypedArrayProto, 'byteLength').get;
  const taLength = getOwnPropertyDescriptor(TypedArrayProto, 'length').get;
  const taTag = getOwnPropertyDescriptor(TypedArrayProto, Symbol.toStringTag).get;
  const dvBuffer = getOwnPropertyDescriptor(DataView.prototype, 'buffer').get;
  const dvByteOffset = getOwnPropertyDescriptor(DataView.prototype, 'byteOffset').get;
  const dvByteLength = getOwnPropertyDescriptor(DataView.prototype, 'byteLength').get;
  const typedArrayCtors = { __proto__: null };
  for (const C of [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array,
    Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array]) typedArrayCtors[C.name] = C;
  const u8Set = Uint8Array.prototype.set;

  // An ArrayBufferView's slots, read through the intrinsic getters; null if v is not a view.
  function viewSlots(v) {
    if (!ArrayBuffer.isView(v)) return null;
    const tag = apply(taTag, v, []);
    if (tag !== undefined) {
      const ctor = typedArrayCtors[tag];
      return {
        buffer: apply(taBuffer, v, []), byteOffset: apply(taByteOffset, v, []),
        byteLength: apply(taByteLength, v, []), length: apply(taLength, v, []),
        ctor, elementSize: ctor.BYTES_PER_ELEMENT, typed: true,
      };
    }
    const byteLength = apply(dvByteLength, v, []);
    return {
      buffer: apply(dvBuffer, v, []), byteOffset: apply(dvByteOffset, v, []), byteLength,
      length: byteLength, ctor: DataView, elementSize: 1, typed: false,
    };
  }

  function IsDetachedBuffer(buffer) {
    return apply(abDetached, buffer, []);
  }

  function TransferArrayBuffer(buffer) {
    return apply(abTransfer, buffer, []);
  }

  function CopyDataBlockBytes(dest, destStart, src, srcStart, n) {
    apply(u8Set, new Uint8Array(dest, destStart, n), [new Uint8Array(src, srcStart, n)]);
  }

  function ReadableStreamHasBYOBReader(stream) {
    return stream.reader !== undefined && stream.reader.kind === 'byob';
  }

  function ReadableStreamGetNumReadIntoRequests(stream) {
    return stream.reader.readIntoRequests.length;
  }

  function ReadableStreamAddReadIntoRequest(stream, readIntoRequest) {
    stream.reader.readIntoRequests.push(readIntoRequest);
  }

  function ReadableStreamFulfillReadIntoRequest(stream, chunk, done) {
    const readIntoRequest = stream.reader.readIntoRequests.shift();
    if (done) readIntoRequest.close(chunk);
    else readIntoRequest.chunk(chunk);
  }

  function ReadableByteStreamControllerCallPullIfNeeded(c) {
    if (!ReadableByteStreamControllerShouldCallPull(c)) return;
    if (c.pulling) {
      c.pullAgain = true;
      return;
    }
    c.pulling = true;
    uponPromise(c.pullAlgorithm(), () => {
      c.pulling = false;
      if (c.pullAgain) {
        c.pullAgain = false;
        ReadableByteStreamControllerCallPullIfNeeded(c);
      }
    }, (e) => {
      ReadableByteStreamControllerError(c, e);
    });
  }

  function ReadableByteStreamControllerShouldCallPull(c) {
    const stream = c.stream;
    if (stream.state !== 'readable') return false;
    if (c.closeRequested) return false;
    if (!c.started) return false;
    if (ReadableStreamHasDefaultReader(stream) && ReadableStreamGetNumReadRequests(stream) > 0) return true;
    if (ReadableStreamHasBYOBReader(stream) && ReadableStreamGetNumReadIntoRequests(stream) > 0) return true;
    return ReadableByteStreamControllerGetDesiredSize(c) > 0;
  }

  function ReadableByteStreamControllerClearAlgorithms(c) {
    c.pullAlgorithm = undefined;
    c.cancelAlgorithm = undefined;
  }

  function ReadableByteStreamControllerClearPendingPullIntos(c) {
    ReadableByteStreamControllerInvalidateBYOBRequest(c);
    c.pendingPullIntos = [];
  }

  function ReadableByteStreamControllerClose(c) {
    const stream = c.stream;
    if (c.closeRequested || stream.state !== 'readable') return;
    if (c.queueTotalSize > 0) {
      c.closeRequested = true;
      return;
    }
    if (c.pendingPullIntos.length > 0) {
      const first = c.pendingPullIntos[0];
      if (first.bytesFilled % first.elementSize !== 0) {
        const e = new TypeError('Insufficient bytes to fill the elements of the view before close');
        ReadableByteStreamControllerError(c, e);
        throw e;
      }
    }
    ReadableByteStreamControllerClearAlgorithms(c);
    ReadableStreamClose(stream);
  }

  function ReadableByteStreamControllerCommitPullIntoDescriptor(stream, d) {
    let done = false;
    if (stream.state === 'closed') done = true;
    const filledView = ReadableByteStreamControllerConvertPullIntoDescriptor(d);
    if (d.readerType === 'default') ReadableStreamFulfillReadRequest(stream, filledView, done);
    else ReadableStreamFulfillReadIntoRequest(stream, filledView, done);
  }

  function ReadableByteStreamControllerConvertPullIntoDescriptor(d) {
    const buffer = TransferArrayBuffer(d.buffer);
    return new d.viewConstructor(buffer, d.byteOffset, d.bytesFilled / d.elementSize);
  }

  // `fresh`: chunk is a Uint8Array over a buffer no script can reach yet (a fetch response's
  // bytes from C), so the transfer would only detach a buffer nobody holds. Skipping it saves an
  // ArrayBuffer per chunk, and JSC's eden collections never free a transferred buffer's bytes:
  // every other collection of a download became a full one.
  function ReadableByteStreamControllerEnqueue(c, chunk, fresh = false) {
    const stream = c.stream;
    if (c.closeRequested || stream.state !== 'readable') return;
    const slots = viewSlots(chunk);
    const { buffer, byteOffset, byteLength } = slots;
    if (IsDetachedBuffer(buffer)) throw new TypeError('The chunk\'s buffer is detached');
    const transferredBuffer = fresh ? buffer : TransferArrayBuffer(buffer);
    if (c.pendingPullIntos.length > 0) {
      const first = c.pendingPullIntos[0];
      if (IsDetachedBuffer(first.buffer)) throw new TypeError('The BYOB request\'s buffer is detached');
      ReadableByteStreamControllerInvalidateBYOBRequest(c);
      first.buffer = TransferArrayBuffer(first.buffer);
      if (first.readerType === 'none') ReadableByteStreamControllerEnqueueDetachedPullIntoToQueue(c, first);
    }
    if (ReadableStreamHasDefaultReader(stream)) {
      ReadableByteStreamControllerProcessReadRequestsUsingQueue(c);
      if (ReadableStreamGetNumReadRequests(stream) === 0) {
        ReadableByteStreamControllerEnqueueChunkToQueue(c, transferredBuffer, byteOffset, byteLength);
      } else {
        if (c.pendingPullIntos.length > 0) ReadableByteStreamControllerShiftPendingPullInto(c);
        const transferredView = fresh ? chunk : new Uint8Array(transferredBuffer, byteOffset, byteLength);
        ReadableStreamFulfillReadRequest(stream, transferredView, false);
      }
    } else if (ReadableStreamHasBYOBReader(stream)) {
      ReadableByteStreamControllerEnqueueChunkToQueue(c, transferredBuffer, byteOffset, byteLength);
      const filled = ReadableByteStreamControllerProcessPullIntoDescriptorsUsingQueue(c);
      for (const d of filled) ReadableByteStreamControllerCommitPullIntoDescriptor(stream, d);
    } else {
      ReadableByteStreamControllerEnqueueChunkToQueue(c, transferredBuffer, byteOffset, byteLength);
    }
    ReadableByteStreamControllerCallPullIfNeeded(c);
  }

  function ReadableByteStreamControllerEnqueueChunkToQueue(c, buffer, byteOffset, byteLength) {
    c.queue.push({ buffer, byteOffset, byteLength });
    c.queueTotalSize += byteLength;
  }

  function ReadableByteStreamControllerEnqueueClonedChunkToQueue(c, buffer, byteOffset, byteLength) {
    let clone;
    try {
      clone = apply(abSlice, buffer, [byteOffset, byteOffset + byteLength]);
    } catch (e) {
      ReadableByteStreamControllerError(c, e);
      throw e;
    }
    ReadableByteStreamControllerEnqueueChunkToQueue(c, clone, 0, byteLength);
  }

  function ReadableByteStreamControllerEnqueueDetachedPullIntoToQueue(c, d) {
    if (d.bytesFilled > 0) {
      ReadableByteStreamControllerEnqueueClonedChunkToQueue(c, d.buffer, d.byteOffset, d.bytesFilled);
    }
    ReadableByteStreamControllerShiftPendingPullInto(c);
  }

  function ReadableByteStreamControllerError(c, e) {
    const stream = c.stream;
    if (stream.state !== 'readable') return;
    ReadableByteStreamControllerClearPendingPullIntos(c);
    ResetQueue(c);
    ReadableByteStreamControllerClearAlgorithms(c);
    ReadableStreamError(stream, e);
  }

  function ReadableByteStreamControllerFillHeadPullIntoDescriptor(c, size, d) {
    d.bytesFilled += size;
  }

  function ReadableByteStreamControllerFillPullIntoDescriptorFromQueue(c, d) {
    const maxBytesToCopy = Math.min(c.queueTotalSize, d.byteLength - d.bytesFilled);
    const maxBytesFilled = d.bytesFilled + maxBytesToCopy;
    let totalBytesToCopyRemaining = maxBytesToCopy;
    let ready = false;
    const remainderBytes = maxBytesFilled % d.elementSize;
    const maxAlignedBytes = maxBytesFilled - remainderBytes;
    if (maxAlignedBytes >= d.minimumFill) {
      totalBytesToCopyRemaining = maxAlignedBytes - d.bytesFilled;
      ready = true;
    }
    const queue = c.queue;
    while (totalBytesToCopyRemaining > 0) {
      const head = queue.peek();
      const bytesToCopy = Math.min(totalBytesToCopyRemaining, head.byteLength);
      const destStart = d.byteOffset + d.bytesFilled;
      CopyDataBlockBytes(d.buffer, destStart, head.buffer, head.byteOffset, bytesToCopy);
      if (head.byteLength === bytesToCopy) {
        queue.shift();
      } else {
        head.byteOffset += bytesToCopy;
        head.byteLength -= bytesToCopy;
      }
      c.queueTotalSize -= bytesToCopy;
      ReadableByteStreamControllerFillHeadPullIntoDescriptor(c, bytesToCopy, d);
      totalBytesToCopyRemaining -= bytesToCopy;
    }
    return ready;
  }

  function ReadableByteStreamControllerFillReadRequestFromQueue(c, readRequest) {
    const entry = c.queue.shift();
    c.queueTotalSize -= entry.byteLength;
    ReadableByteStreamControllerHandleQueueDrain(c);
    readRequest.chunk(new Uint8Array(entry.buffer, entry.byteOffset, entry.byteLength));
  }

  function ReadableByteStreamControllerGetBYOBRequest(c) {
    if (c.byobRequest === null && c.pendingPullIntos.length > 0) {
      const first = c.pendingPullIntos[0];
      const view = new Uint8Array(first.buffer, first.byteOffset + first.bytesFilled,
        first.byteLength - first.bytesFilled);
      const request = newBYOBRequest();
      request.controller = c;
      request.view = view;
      c.byobRequest = request;
    }
    return c.byobRequest;
  }

  function ReadableByteStreamControllerGetDesiredSize(c) {
    const state = c.stream.state;
    if (state === 'errored') return null;
    if (state === 'closed') return 0;
    return c.strategyHWM - c.queueTotalSize;
  }

  function ReadableByteStreamControllerHandleQueueDrain(c) {
    if (c.queueTotalSize === 0 && c.closeRequested) {
      ReadableByteStreamControllerClearAlgorithms(c);
      ReadableStreamClose(c.stream);
    } else {
      ReadableByteStreamControllerCallPullIfNeeded(c);
    }
  }

  function ReadableByteStreamControllerInvalidateBYOBRequest(c) {
    if (c.byobRequest === null) return;
    c.byobRequest.controller = undefined;
    c.byobRequest.view = null;
    c.byobRequest = null;
  }

  function ReadableByteStreamControllerProcessPullIntoDescriptorsUsingQueue(c) {
    const filled = [];
    while (c.pendingPullIntos.length > 0) {
      if (c.queueTotalSize === 0) break;
      const d = c.pendingPullIntos[0];
      if (ReadableByteStreamControllerFillPullIntoDescriptorFromQueue(c, d)) {
        ReadableByteStreamControllerShiftPendingPullInto(c);
        filled.push(d);
      }
    }
    return filled;
  }

  function ReadableByteStreamControllerProcessReadRequestsUsingQueue(c) {
    const reader = c.stream.reader;
    while (reader.readRequests.length > 0) {
      if (c.queueTotalSize === 0) return;
      const readRequest = reader.readRequests.shift();
      ReadableByteStreamControllerFillReadRequestFromQueue(c, readRequest);
    }
  }

  function ReadableByteStreamControllerPullInto(c, view, min, readIntoRequest) {
    const stream = c.stream;
    const slots = viewSlots(view);
    const { elementSize, ctor, byteOffset, byteLength } = slots;
    const minimumFill = min * elementSize;
    let buffer;
    try {
      buffer = TransferArrayBuffer(slots.buffer);
    } catch (e) {
      readIntoRequest.error(e);
      return;
    }
    const d = {
      buffer, bufferByteLength: apply(abByteLength, buffer, []), byteOffset, byteLength, bytesFilled: 0,
      minimumFill, elementSize, viewConstructor: ctor, readerType: 'byob',
    };
    if (c.pendingPullIntos.length > 0) {
      c.pendingPullIntos.push(d);
      ReadableStreamAddReadIntoRequest(stream, readIntoRequest);
      return;
    }
    if (stream.state === 'closed') {
      readIntoRequest.close(new ctor(d.buffer, d.byteOffset, 0));
      return;
    }
    if (c.queueTotalSize > 0) {
      if (ReadableByteStreamControllerFillPullIntoDescriptorFromQueue(c, d)) {
        const filledView = ReadableByteStreamControllerConvertPullIntoDescriptor(d);
        ReadableByteStreamControllerHandleQueueDrain(c);
        readIntoRequest.chunk(filledView);
        return;
      }
      if (c.closeRequested) {
        const e = new TypeError('Insufficient bytes to fill the elements of the view before close');
        ReadableByteStreamControllerError(c, e);
        readIntoRequest.error(e);
        return;
      }
    }
    c.pendingPullIntos.push(d);
    ReadableStreamAddReadIntoRequest(stream, readIntoRequest);
    ReadableByteStreamControllerCallPullIfNeeded(c);
  }

  function ReadableByteStreamControllerRespond(c, bytesWritten) {
    const first = c.pendingPullIntos[0];
    const state = c.stream.state;
    if (state === 'closed') {
      if (bytesWritten !== 0) throw new TypeError('bytesWritten must be 0 once the stream is closed');
    } else {
      if (bytesWritten === 0) throw new TypeError('bytesWritten must be greater than 0');
      if (first.bytesFilled + bytesWritten > first.byteLength) throw new RangeError('bytesWritten is out of range');
    }
    first.buffer = TransferArrayBuffer(first.buffer);
    ReadableByteStreamControllerRespondInternal(c, bytesWritten);
  }

  function ReadableByteStreamControllerRespondInClosedState(c, first) {
    if (first.readerType === 'none') ReadableByteStreamControllerShiftPendingPullInto(c);
    const stream = c.stream;
    if (ReadableStreamHasBYOBReader(stream)) {
      const filled = [];
      while (filled.length < ReadableStreamGetNumReadIntoRequests(stream)) {
        filled.push(ReadableByteStreamControllerShiftPendingPullInto(c));
      }
      for (const d of filled) ReadableByteStreamControllerCommitPullIntoDescriptor(stream, d);
    }
  }

  function ReadableByteStreamControllerRespondInReadableState(c, bytesWritten, d) {
    ReadableByteStreamControllerFillHeadPullIntoDescriptor(c, bytesWritten, d);
    if (d.readerType === 'none') {
      ReadableByteStreamControllerEnqueueDetachedPullIntoToQueue(c, d);
      const filled = ReadableByteStreamControllerProcessPullIntoDescriptorsUsingQueue(c);
      for (const f of filled) ReadableByteStreamControllerCommitPullIntoDescriptor(c.stream, f);
      return;
    }
    if (d.bytesFilled < d.minimumFill) return;
    ReadableByteStreamControllerShiftPendingPullInto(c);
    const remainderSize = d.bytesFilled % d.elementSize;
    if (remainderSize > 0) {
      const end = d.byteOffset + d.bytesFilled;
      ReadableByteStreamControllerEnqueueClonedChunkToQueue(c, d.buffer, end - remainderSize, remainderSize);
    }
    d.bytesFilled -= remainderSize;
    const filled = ReadableByteStreamControllerProcessPullIntoDescriptorsUsingQueue(c);
    ReadableByteStreamControllerCommitPullIntoDescriptor(c.stream, d);
    for (const f of filled) ReadableByteStreamControllerCommitPullIntoDescriptor(c.stream, f);
  }

  function ReadableByteStreamControllerRespondInternal(c, bytesWritten) {
    const first = c.pendingPullIntos[0];
    ReadableByteStreamControllerInvalidateBYOBRequest(c);
    if (c.stream.state === 'closed') ReadableByteStreamControllerRespondInClosedState(c, first);
    else ReadableByteStreamControllerRespondInReadableState(c, bytesWritten, first);
    ReadableByteStreamControllerCallPullIfNeeded(c);
  }

  function ReadableByteStreamControllerRespondWithNewView(c, view) {
    const slots = viewSlots(view);
    const first = c.pendingPullIntos[0];
    const state = c.stream.state;
    if (state === 'closed') {
      if (slots.byteLength !== 0) throw new TypeError('The view must be empty once the stream is closed');
    } else if (slots.byteLength === 0) {
      throw new TypeError('The view must not be empty');
    }
    if (first.byteOffset + first.bytesFilled !== slots.byteOffset) throw new RangeError('The view\'s offset does not match the request');
    if (first.bufferByteLength !== apply(abByteLength, slots.buffer, [])) throw new RangeError('The view\'s buffer length does not match the request');
    if (first.bytesFilled + slots.byteLength > first.byteLength) throw new RangeError('The view is larger than the request');
    first.buffer = TransferArrayBuffer(slots.buffer);
    ReadableByteStreamControllerRespondInternal(c, slots.byteLength);
  }

  function ReadableByteStreamControllerShiftPendingPullInto(c) {
    return c.pendingPullIntos.shift();
  }

  function SetUpReadableByteStreamController(stream, c, startAlgorithm, pullAlgorithm, cancelAlgorithm,
    highWaterMark, autoAllocateChunkSize) {
    c.stream = stream;
    c.pullAgain = false;
    c.pulling = false;
    c.byobRequest = null;
    ResetQueue(c);
    c.closeRequested = false;
    c.started = false;
    c.strategyHWM = highWaterMark;
    c.pullAlgorithm = pullAlgorithm;
    c.cancelAlgorithm = cancelAlgorithm;
    c.autoAllocateChunkSize = autoAllocateChunkSize;
    c.pendingPullIntos = [];
    stream.controller = c;
    const startResult = startAlgorithm();
    uponPromise(promiseResolvedWith(startResult), () => {
      c.started = true;
      ReadableByteStreamControllerCallPullIfNeeded(c);
    }, (r) => {
      ReadableByteStreamControllerError(c, r);
    });
  }

  function SetUpReadableByteStreamControllerFromUnderlyingSource(stream, source, dict, highWaterMark) {
    const c = newRBSC();
    let startAlgorithm = () => undefined;
    let pullAlgorithm = () => promiseResolvedWith(undefined);
    let cancelAlgorithm = () => promiseResolvedWith(undefined);
    if (dict.start !== undefined) startAlgorithm = () => apply(dict.start, source, [c.pub]);
    if (dict.pull !== undefined) pullAlgorithm = () => promiseCall(dict.pull, source, [c.pub]);
    if (dict.cancel !== undefined) cancelAlgorithm = (reason) => promiseCall(dict.cancel, source, [reason]);
    const autoAllocateChunkSize = dict.autoAllocateChunkSize;
    if (autoAllocateChunkSize === 0) throw new TypeError('autoAllocateChunkSize must be greater than 0');
    SetUpReadableByteStreamController(stream, c, startAlgorithm, pullAlgorithm, cancelAlgorithm,
      highWaterMark, autoAllocateChunkSize);
  }

  // The byte controller's [[CancelSteps]], [[PullSteps]] and [[ReleaseSteps]].
  const rbscMethods = {
    cancelSteps(reason) {
      ReadableByteStreamControllerClearPendingPullIntos(this);
      ResetQueue(this);
      const result = this.cancelAlgorithm(reason);
      ReadableByteStreamControllerClearAlgorithms(this);
      return result;
    },
    pullSteps(readRequest) {
      const stream = this.stream;
      if (this.queueTotalSize > 0) {
        ReadableByteStreamControllerFillReadRequestFromQueue(this, readRequest);
        return;
      }
      const autoAllocateChunkSize = this.autoAllocateChunkSize;
      if (autoAllocateChunkSize !== undefined) {
        let buffer;
        try {
          buffer = new ArrayBuffer(autoAllocateChunkSize);
        } catch (e) {
          readRequest.error(e);
          return;
        }
        this.pendingPullIntos.push({
          buffer, bufferByteLength: autoAllocateChunkSize, byteOffset: 0, byteLength: autoAllocateChunkSize,
          bytesFilled: 0, minimumFill: 1, elementSize: 1, viewConstructor: Uint8Array, readerType: 'default',
        });
      }
      ReadableStreamAddReadRequest(stream, readRequest);
      ReadableByteStreamControllerCallPullIfNeeded(this);
    },
    releaseSteps() {
      if (this.pendingPullIntos.length > 0) {
        const first = this.pendingPullIntos[0];
        first.readerType = 'none';
        this.pendingPullIntos = [first];
      }
    },
  };

  // BYOB readers

  function AcquireReadableStreamBYOBReader(stream) {
    const reader = newBYOBReader();
    SetUpReadableStreamBYOBReader(reader, stream);
    return reader;
  }

  function SetUpReadableStreamBYOBReader(reader, stream) {
    if (IsReadableStreamLocked(stream)) throw new TypeError('The stream is locked to a reader');
    if (getPrototypeOf(stream.controller) !== rbscMethods) throw new TypeError('A BYOB reader needs a byte stream (type: \'bytes\')');
    ReadableStreamReaderGenericInitialize(reader, stream);
    reader.readIntoRequests = [];
  }

  function ReadableStreamBYOBReaderErrorReadIntoRequests(reader, e) {
    const requests = reader.readIntoRequests;
    reader.readIntoRequests = [];
    for (const r of requests) r.error(e);
  }

  function ReadableStreamBYOBReaderRead(reader, view, min, readIntoRequest) {
    const stream = reader.stream;
    stream.disturbed = true;
    if (stream.state === 'errored') readIntoRequest.error(stream.storedError);
    else ReadableByteStreamControllerPullInto(stream.controller, view, min, readIntoRequest);
  }

  function ReadableStreamBYOBReaderRelease(reader) {
    ReadableStreamReaderGenericRelease(reader);
    ReadableStreamBYOBReaderErrorReadIntoRequests(reader, new TypeError('The reader was released'));
  }

  function CreateReadableByteStream(startAlgorithm, pullAlgorithm, cancelAlgorithm) {
    const stream = newRS();
    InitializeReadableStream(stream);
    const controller = newRBSC();
    SetUpReadableByteStreamController(stream, controller, startAlgorithm, pullAlgorithm, cancelAlgorithm, 0, undefined);
    return stream;
  }

  function CloneAsUint8Array(view) {
    const slots = viewSlots(view);
    return new Uint8Array(apply(abSlice, slots.buffer, [slots.byteOffset, slots.byteOffset + slots.byteLength]));
  }

  function ReadableByteStreamTee(stream) {
    let reader = AcquireReadableStreamDefaultReader(stream);
    let reading = false;
    let readAgainForBranch1 = false;
    let readAgainForBranch2 = false;
    let canceled1 = false;
    let canceled2 = false;
    let reason1;
    let reason2;
    let branch1;
    let branch2;
    const cancelPromise = newPromise();

    function forwardReaderError(thisReader) {
      uponPromise(thisReader.closedPromise.promise, undefined, (r) => {
        if (thisReader !== reader) return;
        ReadableByteStreamControllerError(branch1.controller, r);
        ReadableByteStreamControllerError(branch2.controller, r);
        if (!canceled1 || !canceled2) cancelPromise.resolve(undefined);
      });
    }

    function errorBoth(e) {
      ReadableByteStreamControllerError(branch1.controller, e);
      ReadableByteStreamControllerError(branch2.controller, e);
      cancelPromise.resolve(ReadableStreamCancel(stream, e));
    }

    function readAgain() {
      if (readAgainForBranch1) pull1Algorithm();
      else if (readAgainForBranch2) pull2Algorithm();
    }

    function pullWithDefaultReader() {
      if (reader.kind === 'byob') {
        ReadableStreamBYOBReaderRelease(reader);
        reader = AcquireReadableStreamDefaultReader(stream);
        forwardReaderError(reader);
      }
      ReadableStreamDefaultReaderRead(reader, {
        chunk(chunk) {
          queueMicrotask(() => {
            readAgainForBranch1 = false;
            readAgainForBranch2 = false;
            const chunk1 = chunk;
            let chunk2 = chunk;
            if (!canceled1 && !canceled2) {
              try {
                chunk2 = CloneAsUint8Array(chunk);
              } catch (e) {
                errorBoth(e);
                return;
              }
            }
            if (!canceled1) ReadableByteStreamControllerEnqueue(branch1.controller, chunk1);
            if (!canceled2) ReadableByteStreamControllerEnqueue(branch2.controller, chunk2);
            reading = false;
            readAgain();
          });
        },
        close() {
          reading = false;
          if (!canceled1) ReadableByteStreamControllerClose(branch1.controller);
          if (!canceled2) ReadableByteStreamControllerClose(branch2.controller);
          if (branch1.controller.pendingPullIntos.length > 0) ReadableByteStreamControllerRespond(branch1.controller, 0);
          if (branch2.controller.pendingPullIntos.length > 0) ReadableByteStreamControllerRespond(branch2.controller, 0);
          if (!canceled1 || !canceled2) cancelPromise.resolve(undefined);
        },
        error() {
          reading = false;
        },
      });
    }

    function pullWithBYOBReader(view, forBranch2) {
      if (reader.kind === 'default') {
        ReadableStreamDefaultReaderRelease(reader);
        reader = AcquireReadableStreamBYOBReader(stream);
        forwardReaderError(reader);
      }
      const byobBranch = forBranch2 ? branch2 : branch1;
      const otherBranch = forBranch2 ? branch1 : branch2;
      ReadableStreamBYOBReaderRead(reader, view, 1, {
        chunk(chunk) {
          queueMicrotask(() => {
            readAgainForBranch1 = false;
            readAgainForBranch2 = false;
            const byobCanceled = forBranch2 ? canceled2 : canceled1;
            const otherCanceled = forBranch2 ? canceled1 : canceled2;
            if (!otherCanceled) {
              let clonedChunk;
              try {
                clonedChunk = CloneAsUint8Array(chunk);
              } catch (e) {
                errorBoth(e);
                return;
              }
              if (!byobCanceled) ReadableByteStreamControllerRespondWithNewView(byobBranch.controller, chunk);
              ReadableByteStreamControllerEnqueue(otherBranch.controller, clonedChunk);
            } else if (!byobCanceled) {
              ReadableByteStreamControllerRespondWithNewView(byobBranch.controller, chunk);
            }
            reading = false;
            readAgain();
          });
        },
        close(chunk) {
          reading = false;
          const byobCanceled = forBranch2 ? canceled2 : canceled1;
          const otherCanceled = forBranch2 ? canceled1 : canceled2;
          if (!byobCanceled) ReadableByteStreamControllerClose(byobBranch.controller);
          if (!otherCanceled) ReadableByteStreamControllerClose(otherBranch.controller);
          if (chunk !== undefined) {
            if (!byobCanceled) ReadableByteStreamControllerRespondWithNewView(byobBranch.controller, chunk);
            if (!otherCanceled && otherBranch.controller.pendingPullIntos.length > 0) {
              ReadableByteStreamControllerRespond(otherBranch.controller, 0);
            }
          }
          if (!byobCanceled || !otherCanceled) cancelPromise.resolve(undefined);
        },
        error() {
          reading = false;
        },
      });
    }

    function pull1Algorithm() {
      if (reading) {
        readAgainForBranch1 = true;
        return promiseResolvedWith(undefined);
      }
      reading = true;
      const byobRequest = ReadableByteStreamControllerGetBYOBRequest(branch1.controller);
      if (byobRequest === null) pullWithDefaultReader();
      else pullWithBYOBReader(byobRequest.view, false);
      return promiseResolvedWith(undefined);
    }

    function pull2Algorithm() {
      if (reading) {
        readAgainForBranch2 = true;
        return promiseResolvedWith(undefined);
      }
      reading = true;
      const byobRequest = ReadableByteStreamControllerGetBYOBRequest(branch2.controller);
      if (byobRequest === null) pullWithDefaultReader();
      else pullWithBYOBReader(byobRequest.view, true);
      return promiseResolvedWith(undefined);
    }

    function cancel1Algorithm(reason) {
      canceled1 = true;
      reason1 = reason;
      if (canceled2) cancelPromise.resolve(ReadableStreamCancel(stream, [reason1, reason2]));
      return cancelPromise.promise;
    }

    function cancel2Algorithm(reason) {
      canceled2 = true;
      reason2 = reason;
      if (canceled1) cancelPromise.resolve(ReadableStreamCancel(stream, [reason1, reason2]));
      return cancelPromise.promise;
    }

    const startAlgorithm = () => undefined;
    branch1 = CreateReadableByteStream(startAlgorithm, pull1Algorithm, cancel1Algorithm);
    branch2 = CreateReadableByteStream(startAlgorithm, pull2Algorithm, cancel2Algorithm);
    forwardReaderError(reader);
    return [branch1, branch2];
  }

  // --- The ReadableStream interfaces ----------------------------------------------------------

  class ReadableStream {
    #r;

    constructor(underlyingSource = undefined, strategy = undefined) {
      if (underlyingSource === kCreate) {
        this.#r = { __proto__: null, pub: this };
        return;
      }
      // Web IDL's `optional object`: null is no object either; checked before the strategy.
      if (underlyingSource !== undefined && !isObject(underlyingSource)) {
        throw new TypeError('ReadableStream: underlyingSource must be an object');
      }
      const s = convertStrategy(strategy, 'ReadableStream');
      let source = underlyingSource;
      if (source === undefined) source = null;
      const dict = { autoAllocateChunkSize: undefined, start: undefined, pull: undefined, cancel: undefined, type: undefined };
      if (source !== null) {
        // autoAllocateChunkSize, cancel, pull, start, type: the dictionary's order.
        const auto = source.autoAllocateChunkSize;
        if (auto !== undefined) dict.autoAllocateChunkSize = internal.toEnforcedULL(auto, 'autoAllocateChunkSize');
        dict.cancel = callbackMember(source, 'cancel', 'ReadableStream');
        dict.pull = callbackMember(source, 'pull', 'ReadableStream');
        dict.start = callbackMember(source, 'start', 'ReadableStream');
        const type = source.type;
        if (type !== undefined) {
          const t = internal.toDOMString(type);
          if (t !== 'bytes') throw new TypeError(`'${t}' is not a valid value for ReadableStream type`);
          dict.type = t;
        }
      }
      this.#r = { __proto__: null, pub: this };
      const stream = this.#r;
      InitializeReadableStream(stream);
      if (dict.type === 'bytes') {
        if (s.size !== undefined) throw new RangeError('ReadableStream: a byte stream\'s strategy cannot have a size');
        const highWaterMark = ExtractHighWaterMark(s, 0);
        SetUpReadableByteStreamControllerFromUnderlyingSource(stream, source, dict, highWaterMark);
        return;
      }
      const sizeAlgorithm = ExtractSizeAlgorithm(s);
      const highWaterMark = ExtractHighWaterMark(s, 1);
      SetUpReadableStreamDefaultControllerFromUnderlyingSource(stream, source, dict, highWaterMark, sizeAlgorithm);
    }

    static from(asyncIterable) {
      requireArgs(arguments.length, 1, 'ReadableStream.from');
      return ReadableStreamFromIterable(asyncIterable).pub;
    }

    get locked() {
      return IsReadableStreamLocked(rsOf(this));
    }

    cancel(reason = undefined) {
      let stream;
      try {
        stream = rsOf(this);
      } catch (e) {
        return promiseRejectedWith(e);
      }
      if (IsReadableStreamLocked(stream)) return promiseRejectedWith(new TypeError('The stream is locked to a reader'));
      return ReadableStreamCancel(stream, reason);
    }

    getReader(options = undefined) {
      const stream = rsOf(this);
      const dict = toDictionary(options, 'ReadableStream.getReader: options');
      const mode = dict === null ? undefined : dict.mode;
      if (mode !== undefined) {
        const m = internal.toDOMString(mode);
        if (m !== 'byob') throw new TypeError(`'${m}' is not a valid value for ReadableStreamReaderMode`);
        return AcquireReadableStreamBYOBReader(stream).pub;
      }
      return AcquireReadableStreamDefaultReader(stream).pub;
    }

    pipeThrough(transform, options = undefined) {
      const stream = rsOf(this);
      requireArgs(arguments.length, 1, 'ReadableStream.pipeThrough');
      const pair = toDictionary(transform, 'ReadableStream.pipeThrough: transform');
      if (pair === null) throw new TypeError('ReadableStream.pipeThrough: transform must be an object');
      const readable = pair.readable;
      if (!isRS(readable)) throw new TypeError('ReadableStream.pipeThrough: transform.readable is not a ReadableStream');
      const writable = pair.writable;
      if (!isWS(writable)) throw new TypeError('ReadableStream.pipeThrough: transform.writable is not a WritableStream');
      const o = convertPipeOptions(options);
      if (IsReadableStreamLocked(stream)) throw new TypeError('The stream is locked to a reader');
      const ws = wsOf(writable);
      if (IsWritableStreamLocked(ws)) throw new TypeError('The writable stream is locked to a writer');
      const promise = ReadableStreamPipeTo(stream, ws, o.preventClose, o.preventAbort, o.preventCancel, o.signal);
      setHandled(promise);
      return readable;
    }

    pipeTo(destination, options = undefined) {
      try {
        const stream = rsOf(this);
        requireArgs(arguments.length, 1, 'ReadableStream.pipeTo');
        if (!isWS(destination)) throw new TypeError('ReadableStream.pipeTo: destination is not a WritableStream');
        const o = convertPipeOptions(options);
        if (IsReadableStreamLocked(stream)) throw new TypeError('The stream is locked to a reader');
        const ws = wsOf(destination);
        if (IsWritableStreamLocked(ws)) throw new TypeError('The writable stream is locked to a writer');
        return ReadableStreamPipeTo(stream, ws, o.preventClose, o.preventAbort, o.preventCancel, o.signal);
      } catch (e) {
        return promiseRejectedWith(e);
      }
    }

    tee() {
      const stream = rsOf(this);
      const [a, b] = getPrototypeOf(stream.controller) === rbscMethods
        ? ReadableByteStreamTee(stream) : ReadableStreamDefaultTee(stream);
      return [a.pub, b.pub];
    }

    values(options = undefined) {
      const stream = rsOf(this);
      const dict = toDictionary(options, 'ReadableStream.values: options');
      const preventCancel = dict === null ? false : !!dict.preventCancel;
      const reader = AcquireReadableStreamDefaultReader(stream);
      return newAsyncIterator(reader, preventCancel);
    }

    static {
      rsOf = (o) => {
        if (!isObject(o) || !(#r in o)) throw new TypeError('Not a ReadableStream');
        return o.#r;
      };
      isRS = (o) => isObject(o) && #r in o;
      newRS = () => new ReadableStream(kCreate).#r;
    }
  }

  // Async iteration (Web IDL async iterable with the streams' next/return steps).

  const AsyncIteratorPrototype = getPrototypeOf(getPrototypeOf(async function* () {}.prototype));

  class ReadableStreamAsyncIterator {
    #it;

    constructor(reader, preventCancel) {
      this.#it = { reader, preventCancel, ongoingPromise: null, isFinished: false };
    }

    next() {
      let it;
      try {
        it = this.#it;
      } catch {
        return promiseRejectedWith(new TypeError('Not a ReadableStream async iterator'));
      }
      const nextSteps = () => {
        if (it.isFinished) return promiseResolvedWith({ value: undefined, done: true });
        const reader = it.reader;
        const p = newPromise();
        ReadableStreamDefaultReaderRead(reader, {
          chunk(chunk) { p.resolve({ value: chunk, done: false }); },
          close() {
            ReadableStreamDefaultReaderRelease(reader);
            p.resolve(null);
          },
          error(e) {
            ReadableStreamDefaultReaderRelease(reader);
            p.reject(e);
          },
        });
        return transformPromise(p.promise, (result) => {
          it.ongoingPromise = null;
          if (result === null) {
            it.isFinished = true;
            return { value: undefined, done: true };
          }
          return result;
        }, (reason) => {
          it.ongoingPromise = null;
          it.isFinished = true;
          throw reason;
        });
      };
      it.ongoingPromise = it.ongoingPromise !== null
        ? transformPromise(it.ongoingPromise, nextSteps, nextSteps) : nextSteps();
      return it.ongoingPromise;
    }

    return(value) {
      let it;
      try {
        it = this.#it;
      } catch {
        return promiseRejectedWith(new TypeError('Not a ReadableStream async iterator'));
      }
      const returnSteps = () => {
        if (it.isFinished) return promiseResolvedWith({ value, done: true });
        it.isFinished = true;
        const reader = it.reader;
        if (!it.preventCancel) {
          const result = ReadableStreamReaderGenericCancel(reader, value);
          ReadableStreamDefaultReaderRelease(reader);
          return result;
        }
        ReadableStreamDefaultReaderRelease(reader);
        return promiseResolvedWith(undefined);
      };
      it.ongoingPromise = it.ongoingPromise !== null
        ? transformPromise(it.ongoingPromise, returnSteps, returnSteps) : returnSteps();
      return transformPromise(it.ongoingPromise, () => ({ value, done: true }));
    }
  }
  const asyncIteratorProto = ReadableStreamAsyncIterator.prototype;
  setPrototypeOf(asyncIteratorProto, AsyncIteratorPrototype);
  for (const key of ['next', 'return']) defineProperty(asyncIteratorProto, key, { enumerable: true });
  delete asyncIteratorProto.constructor;
  defineProperty(asyncIteratorProto, Symbol.toStringTag, { value: 'ReadableStream AsyncIterator', configurable: true });
  const newAsyncIterator = (reader, preventCancel) => new ReadableStreamAsyncIterator(reader, preventCancel);

  class ReadableStreamDefaultReader {
    #r;

    constructor(stream) {
      if (stream === kCreate) {
        this.#r = { __proto__: null, pub: this, kind: 'default', stream: undefined, readRequests: [], closedPromise: undefined };
        return;
      }
      requireArgs(arguments.length, 1, 'ReadableStreamDefaultReader');
      const s = rsOf(stream);
      this.#r = { __proto__: null, pub: this, kind: 'default', stream: undefined, readRequests: [], closedPromise: undefined };
      SetUpReadableStreamDefaultReader(this.#r, s);
    }

    get closed() {
      let reader;
      try {
        reader = readerOf(this);
      } catch (e) {
        return promiseRejectedWith(e);
      }
      return reader.closedPromise.promise;
    }

    cancel(reason = undefined) {
      let reader;
      try {
        reader = readerOf(this);
      } catch (e) {
        return promiseRejectedWith(e);
      }
      if (reader.stream === undefined) return promiseRejectedWith(new TypeError('The reader is released'));
      return ReadableStreamReaderGenericCancel(reader, reason);
    }

    read() {
      let reader;
      try {
        reader = readerOf(this);
      } catch (e) {
        return promiseRejectedWith(e);
      }
      if (reader.stream === undefined) return promiseRejectedWith(new TypeError('The reader is released'));
      const p = newPromise();
      ReadableStreamDefaultReaderRead(reader, {
        chunk(chunk) { p.resolve({ value: chunk, done: false }); },
        close() { p.resolve({ value: undefined, done: true }); },
        error(e) { p.reject(e); },
      });
      return p.promise;
    }

    releaseLock() {
      const reader = readerOf(this);
      if (reader.stream === undefined) return;
      ReadableStreamDefaultReaderRelease(reader);
    }

    static {
      readerOf = (o) => {
        if (!isObject(o) || !(#r in o)) throw new TypeError('Not a ReadableStreamDefaultReader');
        return o.#r;
      };
      isReader = (o) => isObject(o) && #r in o;
      newReader = () => new ReadableStreamDefaultReader(kCreate).#r;
    }
  }

  class ReadableStreamDefaultController {
    #r;

    constructor(token = undefined) {
      if (token !== kCreate) throw new TypeError('Illegal constructor');
      this.#r = { __proto__: rsdcMethods, pub: this };
    }

    get desiredSize() {
      return ReadableStreamDefaultControllerGetDesiredSize(rsdcOf(this));
    }

    close() {
      const c = rsdcOf(this);
      if (!ReadableStreamDefaultControllerCanCloseOrEnqueue(c)) throw new TypeError('The stream is not in a state that permits close');
      ReadableStreamDefaultControllerClose(c);
    }

    enqueue(chunk = undefined) {
      const c = rsdcOf(this);
      if (!ReadableStreamDefaultControllerCanCloseOrEnqueue(c)) throw new TypeError('The stream is not in a state that permits enqueue');
      ReadableStreamDefaultControllerEnqueue(c, chunk);
    }

    error(e = undefined) {
      ReadableStreamDefaultControllerError(rsdcOf(this), e);
    }

    static {
      rsdcOf = (o) => {
        if (!isObject(o) || !(#r in o)) throw new TypeError('Not a ReadableStreamDefaultController');
        return o.#r;
      };
      newRSDC = () => new ReadableStreamDefaultController(kCreate).#r;
    }
  }

  class ReadableByteStreamController {
    #r;

    constructor(token = undefined) {
      if (token !== kCreate) throw new TypeError('Illegal constructor');
      this.#r = { __proto__: rbscMethods, pub: this };
    }

    get byobRequest() {
      const request = ReadableByteStreamControllerGetBYOBRequest(rbscOf(this));
      return request === null ? null : request.pub;
    }

    get desiredSize() {
      return ReadableByteStreamControllerGetDesiredSize(rbscOf(this));
    }

    close() {
      const c = rbscOf(this);
      if (c.closeRequested) throw new TypeError('The stream is already closing');
      if (c.stream.state !== 'readable') throw new TypeError('The stream is not readable');
      ReadableByteStreamControllerClose(c);
    }

    enqueue(chunk) {
      const c = rbscOf(this);
      requireArgs(arguments.length, 1, 'ReadableByteStreamController.enqueue');
      const slots = viewSlots(chunk);
      if (slots === null) throw new TypeError('ReadableByteStreamController.enqueue: chunk is not an ArrayBufferView');
      if (slots.byteLength === 0) throw new TypeError('ReadableByteStreamController.enqueue: chunk is empty');
      if (apply(abByteLength, slots.buffer, []) === 0) throw new TypeError('ReadableByteStreamController.enqueue: the chunk\'s buffer is empty or detached');
      if (c.closeRequested) throw new TypeError('The stream is already closing');
      if (c.stream.state !== 'readable') throw new TypeError('The stream is not readable');
      ReadableByteStreamControllerEnqueue(c, chunk);
    }

    error(e = undefined) {
      ReadableByteStreamControllerError(rbscOf(this), e);
    }

    static {
      rbscOf = (o) => {
        if (!isObject(o) || !(#r in o)) throw new TypeError('Not a ReadableByteStreamController');
        return o.#r;
      };
      newRBSC = () => new ReadableByteStreamController(kCreate).#r;
    }
  }

  class ReadableStreamBYOBRequest {
    #r;

    constructor(token = undefined) {
      if (token !== kCreate) throw new TypeError('Illegal constructor');
      this.#r = { __proto__: null, pub: this, controller: undefined, view: null };
    }

    get view() {
      return byobRequestOf(this).view;
    }

    respond(bytesWritten) {
      const request = byobRequestOf(this);
      requireArgs(arguments.length, 1, 'ReadableStreamBYOBRequest.respond');
      const n = internal.toEnforcedULL(bytesWritten, 'bytesWritten');
      if (request.controller === undefined) throw new TypeError('This BYOB request is no longer valid');
      if (IsDetachedBuffer(viewSlots(request.view).buffer)) throw new TypeError('The view\'s buffer is detached');
      ReadableByteStreamControllerRespond(request.controller, n);
    }

    respondWithNewView(view) {
      const request = byobRequestOf(this);
      requireArgs(arguments.length, 1, 'ReadableStreamBYOBRequest.respondWithNewView');
      const slots = viewSlots(view);
      if (slots === null) throw new TypeError('respondWithNewView: view is not an ArrayBufferView');
      if (request.controller === undefined) throw new TypeError('This BYOB request is no longer valid');
      if (IsDetachedBuffer(slots.buffer)) throw new TypeError('The view\'s buffer is detached');
      ReadableByteStreamControllerRespondWithNewView(request.controller, view);
    }

    static {
      byobRequestOf = (o) => {
        if (!isObject(o) || !(#r in o)) throw new TypeError('Not a ReadableStreamBYOBRequest');
        return o.#r;
      };
      newBYOBRequest = () => new ReadableStreamBYOBRequest(kCreate).#r;
    }
  }

  class ReadableStreamBYOBReader {
    #r;

    constructor(stream) {
      const record = { __proto__: null, pub: this, kind: 'byob', stream: undefined, readIntoRequests: [], closedPromise: undefined };
      if (stream === kCreate) {
        this.#r = record;
        return;
      }
      requireArgs(arguments.length, 1, 'ReadableStreamBYOBReader');
      const s = rsOf(stream);
      this.#r = record;
      SetUpReadableStreamBYOBReader(record, s);
    }

    get closed() {
      let reader;
      try {
        reader = byobReaderOf(this);
      } catch (e) {
        return promiseRejectedWith(e);
      }
      return reader.closedPromise.promise;
    }

    cancel(reason = undefined) {
      let reader;
      try {
        reader = byobReaderOf(this);
      } catch (e) {
        return promiseRejectedWith(e);
      }
      if (reader.stream === undefined) return promiseRejectedWith(new TypeError('The reader is released'));
      return ReadableStreamReaderGenericCancel(reader, reason);
    }

    read(view, options = undefined) {
      let reader;
      let min = 1;
      let slots;
      try {
        reader = byobReaderOf(this);
        requireArgs(arguments.length, 1, 'ReadableStreamBYOBReader.read');
        slots = viewSlots(view);
        if (slots === null) throw new TypeError('ReadableStreamBYOBReader.read: view is not an ArrayBufferView');
        const dict = toDictionary(options, 'ReadableStreamBYOBReader.read: options');
        if (dict !== null && dict.min !== undefined) min = internal.toEnforcedULL(dict.min, 'min');
      } catch (e) {
        return promiseRejectedWith(e);
      }
      if (slots.byteLength === 0) return promiseRejectedWith(new TypeError('The view is empty'));
      if (apply(abByteLength, slots.buffer, []) === 0) return promiseRejectedWith(new TypeError('The view\'s buffer is empty'));
      if (IsDetachedBuffer(slots.buffer)) return promiseRejectedWith(new TypeError('The view\'s buffer is detached'));
      if (min === 0) return promiseRejectedWith(new TypeError('min must be greater than 0'));
      if (min > slots.length) return promiseRejectedWith(new RangeError('min is larger than the view'));
      if (reader.stream === undefined) return promiseRejectedWith(new TypeError('The reader is released'));
      const p = newPromise();
      ReadableStreamBYOBReaderRead(reader, view, min, {
        chunk(chunk) { p.resolve({ value: chunk, done: false }); },
        close(chunk) { p.resolve({ value: chunk, done: true }); },
        error(e) { p.reject(e); },
      });
      return p.promise;
    }

    releaseLock() {
      const reader = byobReaderOf(this);
      if (reader.stream === undefined) return;
      ReadableStreamBYOBReaderRelease(reader);
    }

    static {
      byobReaderOf = (o) => {
        if (!isObject(o) || !(#r in o)) throw new TypeError('Not a ReadableStreamBYOBReader');
        return o.#r;
      };
      newBYOBReader = () => new ReadableStreamBYOBReader(kCreate).#r;
    }
  }

  // --- WritableStream ----------------------------------------------------------------------------

  let wsOf, isWS, newWS, writerOf, newWriter, wsdcOf, newWSDC;
  const closeSentinel = { __proto__: null };

  function InitializeWritableStream(stream) {
    stream.state = 'writable';
    stream.storedError = undefined;
    stream.writer = undefined;
    stream.controller = undefined;
    stream.inFlightWriteRequest = undefined;
    stream.closeRequest = undefined;
    stream.inFlightCloseRequest = undefined;
    stream.pendingAbortRequest = undefined;
    stream.writeRequests = [];
    stream.backpressure = false;
  }

  function CreateWritableStream(startAlgorithm, writeAlgorithm, closeAlgorithm, abortAlgorithm,
    highWaterMark, sizeAlgorithm) {
    const stream = newWS();
    InitializeWritableStream(stream);
    const controller = newWSDC();
    SetUpWritableStreamDefaultController(stream, controller, startAlgorithm, writeAlgorithm,
      closeAlgorithm, abortAlgorithm, highWaterMark, sizeAlgorithm);
    return stream;
  }

  function IsWritableStreamLocked(stream) {
    return stream.writer !== undefined;
  }

  function AcquireWritableStreamDefaultWriter(stream) {
    const writer = newWriter();
    SetUpWritableStreamDefaultWriter(writer, stream);
    return writer;
  }

  function WritableStreamAbort(stream, reason) {
    if (stream.state === 'closed' || stream.state === 'errored') return promiseResolvedWith(undefined);
    internal.signalAbort(stream.controller.abortSignal, reason);
    const state = stream.state;
    if (state === 'closed' || state === 'errored') return promiseResolvedWith(undefined);
    if (stream.pendingAbortRequest !== undefined) return stream.pendingAbortRequest.promise.promise;
    let wasAlreadyErroring = false;
    if (state === 'erroring') {
      wasAlreadyErroring = true;
      reason = undefined;
    }
    const promise = newPromise();
    stream.pendingAbortRequest = { promise, reason, wasAlreadyErroring };
    if (!wasAlreadyErroring) WritableStreamStartErroring(stream, reason);
    return promise.promise;
  }

  function WritableStreamClose(stream) {
    const state = stream.state;
    if (state === 'closed' || state === 'errored') {
      return promiseRejectedWith(new TypeError('The stream is closed or errored'));
    }
    const promise = newPromise();
    stream.closeRequest = promise;
    const writer = stream.writer;
    if (writer !== undefined && stream.backpressure && state === 'writable') writer.readyPromise.resolve(undefined);
    WritableStreamDefaultControllerClose(stream.controller);
    return promise.promise;
  }

  function WritableStreamAddWriteRequest(stream) {
    const promise = newPromise();
    stream.writeRequests.push(promise);
    return promise.promise;
  }

  function WritableStreamCloseQueuedOrInFlight(stream) {
    return stream.closeRequest !== undefined || stream.inFlightCloseRequest !== undefined;
  }

  function WritableStreamDealWithRejection(stream, error) {
    if (stream.state === 'writable') {
      WritableStreamStartErroring(stream, error);
      return;
    }
    WritableStreamFinishErroring(stream);
  }

  function WritableStreamFinishErroring(stream) {
    stream.state = 'errored';
    ResetQueue(stream.controller);
    const storedError = stream.storedError;
    for (const r of stream.writeRequests) r.reject(storedError);
    stream.writeRequests = [];
    if (stream.pendingAbortRequest === undefined) {
      WritableStreamRejectCloseAndClosedPromiseIfNeeded(stream);
      return;
    }
    const abortRequest = stream.pendingAbortRequest;
    stream.pendingAbortRequest = undefined;
    if (abortRequest.wasAlreadyErroring) {
      abortRequest.promise.reject(storedError);
      WritableStreamRejectCloseAndClosedPromiseIfNeeded(stream);
      return;
    }
    const promise = stream.controller.abortSteps(abortRequest.reason);
    uponPromise(promise, () => {
      abortRequest.promise.resolve(undefined);
      WritableStreamRejectCloseAndClosedPromiseIfNeeded(stream);
    }, (reason) => {
      abortRequest.promise.reject(reason);
      WritableStreamRejectCloseAndClosedPromiseIfNeeded(stream);
    });
  }

  function WritableStreamFinishInFlightClose(stream) {
    stream.inFlightCloseRequest.resolve(undefined);
    stream.inFlightCloseRequest = undefined;
    if (stream.state === 'erroring') {
      stream.storedError = undefined;
      if (stream.pendingAbortRequest !== undefined) {
        stream.pendingAbortRequest.promise.resolve(undefined);
        stream.pendingAbortRequest = undefined;
      }
    }
    stream.state = 'closed';
    const writer = stream.writer;
    if (writer !== undefined) writer.closedPromise.resolve(undefined);
  }

  function WritableStreamFinishInFlightCloseWithError(stream, error) {
    stream.inFlightCloseRequest.reject(error);
    stream.inFlightCloseRequest = undefined;
    if (stream.pendingAbortRequest !== undefined) {
      stream.pendingAbortRequest.promise.reject(error);
      stream.pendingAbortRequest = undefined;
    }
    WritableStreamDealWithRejection(stream, error);
  }

  function WritableStreamFinishInFlightWrite(stream) {
    stream.inFlightWriteRequest.resolve(undefined);
    stream.inFlightWriteRequest = undefined;
  }

  function WritableStreamFinishInFlightWriteWithError(stream, error) {
    stream.inFlightWriteRequest.reject(error);
    stream.inFlightWriteRequest = undefined;
    WritableStreamDealWithRejection(stream, error);
  }

  function WritableStreamHasOperationMarkedInFlight(stream) {
    return stream.inFlightWriteRequest !== undefined || stream.inFlightCloseRequest !== undefined;
  }

  function WritableStreamMarkCloseRequestInFlight(stream) {
    stream.inFlightCloseRequest = stream.closeRequest;
    stream.closeRequest = undefined;
  }

  function WritableStreamMarkFirstWriteRequestInFlight(stream) {
    stream.inFlightWriteRequest = stream.writeRequests.shift();
  }

  function WritableStreamRejectCloseAndClosedPromiseIfNeeded(stream) {
    if (stream.closeRequest !== undefined) {
      stream.closeRequest.reject(stream.storedError);
      stream.closeRequest = undefined;
    }
    const writer = stream.writer;
    if (writer !== undefined) {
      writer.closedPromise.reject(stream.storedError);
      setHandled(writer.closedPromise.promise);
    }
  }

  function WritableStreamStartErroring(stream, reason) {
    const controller = stream.controller;
    stream.state = 'erroring';
    stream.storedError = reason;
    const writer = stream.writer;
    if (writer !== undefined) WritableStreamDefaultWriterEnsureReadyPromiseRejected(writer, reason);
    if (!WritableStreamHasOperationMarkedInFlight(stream) && controller.started) {
      WritableStreamFinishErroring(stream);
    }
  }

  function WritableStreamUpdateBackpressure(stream, backpressure) {
    const writer = stream.writer;
    if (writer !== undefined && backpressure !== stream.backpressure) {
      if (backpressure) writer.readyPromise = newPromise();
      else writer.readyPromise.resolve(undefined);
    }
    stream.backpressure = backpressure;
  }

  // Writers

  function SetUpWritableStreamDefaultWriter(writer, stream) {
    if (IsWritableStreamLocked(stream)) throw new TypeError('The stream is locked to a writer');
    writer.stream = stream;
    stream.writer = writer;
    const state = stream.state;
    if (state === 'writable') {
      if (!WritableStreamCloseQueuedOrInFlight(stream) && stream.backpressure) writer.readyPromise = newPromise();
      else writer.readyPromise = resolvedCap(undefined);
      writer.closedPromise = newPromise();
    } else if (state === 'erroring') {
      writer.readyPromise = rejectedCap(stream.storedError);
      writer.closedPromise = newPromise();
    } else if (state === 'closed') {
      writer.readyPromise = resolvedCap(undefined);
      writer.closedPromise = resolvedCap(undefined);
    } else {
      writer.readyPromise = rejectedCap(stream.storedError);
      writer.closedPromise = rejectedCap(stream.storedError);
    }
  }

  function WritableStreamDefaultWriterCloseWithErrorPropagation(writer) {
    const stream = writer.stream;
    const state = stream.state;
    if (WritableStreamCloseQueuedOrInFlight(stream) || state === 'closed') return promiseResolvedWith(undefined);
    if (state === 'errored') return promiseRejectedWith(stream.storedError);
    return WritableStreamClose(stream);
  }

  function WritableStreamDefaultWriterEnsureClosedPromiseRejected(writer, error) {
    if (writer.closedPromise.state === 'pending') writer.closedPromise.reject(error);
    else writer.closedPromise = rejectedCap(error);
    setHandled(writer.closedPromise.promise);
  }

  function WritableStreamDefaultWriterEnsureReadyPromiseRejected(writer, error) {
    if (writer.readyPromise.state === 'pending') writer.readyPromise.reject(error);
    else writer.readyPromise = rejectedCap(error);
    setHandled(writer.readyPromise.promise);
  }

  function WritableStreamDefaultWriterGetDesiredSize(writer) {
    const state = writer.stream.state;
    if (state === 'errored' || state === 'erroring') return null;
    if (state === 'closed') return 0;
    return WritableStreamDefaultControllerGetDesiredSize(writer.stream.controller);
  }

  function WritableStreamDefaultWriterRelease(writer) {
    const releasedError = new TypeError('The writer was released');
    WritableStreamDefaultWriterEnsureReadyPromiseRejected(writer, releasedError);
    WritableStreamDefaultWriterEnsureClosedPromiseRejected(writer, releasedError);
    writer.stream.writer = undefined;
    writer.stream = undefined;
  }

  function WritableStreamDefaultWriterWrite(writer, chunk) {
    const stream = writer.stream;
    const controller = stream.controller;
    const chunkSize = WritableStreamDefaultControllerGetChunkSize(controller, chunk);
    if (stream !== writer.stream) return promiseRejectedWith(new TypeError('The writer was released'));
    const state = stream.state;
    if (state === 'errored') return promiseRejectedWith(stream.storedError);
    if (WritableStreamCloseQueuedOrInFlight(stream) || state === 'closed') {
      return promiseRejectedWith(new TypeError('The stream is closing or closed'));
    }
    if (state === 'erroring') return promiseRejectedWith(stream.storedError);
    const promise = WritableStreamAddWriteRequest(stream);
    WritableStreamDefaultControllerWrite(controller, chunk, chunkSize);
    return promise;
  }

  // Default controllers

  function SetUpWritableStreamDefaultController(stream, c, startAlgorithm, writeAlgorithm,
    closeAlgorithm, abortAlgorithm, highWaterMark, sizeAlgorithm) {
    c.stream = stream;
    stream.controller = c;
    ResetQueue(c);
    c.abortSignal = internal.newAbortSignal();
    c.started = false;
    c.strategySizeAlgorithm = sizeAlgorithm;
    c.strategyHWM = highWaterMark;
    c.writeAlgorithm = writeAlgorithm;
    c.closeAlgorithm = closeAlgorithm;
    c.abortAlgorithm = abortAlgorithm;
    WritableStreamUpdateBackpressure(stream, WritableStreamDefaultControllerGetBackpressure(c));
    const startResult = startAlgorithm();
    const startPromise = promiseResolvedWith(startResult);
    uponPromise(startPromise, () => {
      c.started = true;
      WritableStreamDefaultControllerAdvanceQueueIfNeeded(c);
    }, (r) => {
      c.started = true;
      WritableStreamDealWithRejection(stream, r);
    });
  }

  function SetUpWritableStreamDefaultControllerFromUnderlyingSink(stream, sink, dict, highWaterMark, sizeAlgorithm) {
    const c = newWSDC();
    let startAlgorithm = () => undefined;
    let writeAlgorithm = () => promiseResolvedWith(undefined);
    let closeAlgorithm = () => promiseResolvedWith(undefined);
    let abortAlgorithm = () => promiseResolvedWith(undefined);
    if (dict.start !== undefined) startAlgorithm = () => apply(dict.start, sink, [c.pub]);
    if (dict.write !== undefined) writeAlgorithm = (chunk) => promiseCall(dict.write, sink, [chunk, c.pub]);
    if (dict.close !== undefined) closeAlgorithm = () => promiseCall(dict.close, sink, []);
    if (dict.abort !== undefined) abortAlgorithm = (reason) => promiseCall(dict.abort, sink, [reason]);
    SetUpWritableStreamDefaultController(stream, c, startAlgorithm, writeAlgorithm, closeAlgorithm,
      abortAlgorithm, highWaterMark, sizeAlgorithm);
  }

  function WritableStreamDefaultControllerAdvanceQueueIfNeeded(c) {
    const stream = c.stream;
    if (!c.started) return;
    if (stream.inFlightWriteRequest !== undefined) return;
    if (stream.state === 'erroring') {
      WritableStreamFinishErroring(stream);
      return;
    }
    if (c.queue.length === 0) return;
    const value = PeekQueueValue(c);
    if (value === closeSentinel) WritableStreamDefaultControllerProcessClose(c);
    else WritableStreamDefaultControllerProcessWrite(c, value);
  }

  function WritableStreamDefaultControllerClearAlgorithms(c) {
    c.writeAlgorithm = undefined;
    c.closeAlgorithm = undefined;
    c.abortAlgorithm = undefined;
    c.strategySizeAlgorithm = undefined;
  }

  function WritableStreamDefaultControllerClose(c) {
    EnqueueValueWithSize(c, closeSentinel, 0);
    WritableStreamDefaultControllerAdvanceQueueIfNeeded(c);
  }

  function WritableStreamDefaultControllerError(c, error) {
    WritableStreamDefaultControllerClearAlgorithms(c);
    WritableStreamStartErroring(c.stream, error);
  }

  function WritableStreamDefaultControllerErrorIfNeeded(c, error) {
    if (c.stream.state === 'writable') WritableStreamDefaultControllerError(c, error);
  }

  function WritableStreamDefaultControllerGetBackpressure(c) {
    return WritableStreamDefaultControllerGetDesiredSize(c) <= 0;
  }

  function WritableStreamDefaultControllerGetChunkSize(c, chunk) {
    if (c.strategySizeAlgorithm === undefined) return 1;
    try {
      return c.strategySizeAlgorithm(chunk);
    } catch (e) {
      WritableStreamDefaultControllerErrorIfNeeded(c, e);
      return 1;
    }
  }

  function WritableStreamDefaultControllerGetDesiredSize(c) {
    return c.strategyHWM - c.queueTotalSize;
  }

  function WritableStreamDefaultControllerProcessClose(c) {
    const stream = c.stream;
    WritableStreamMarkCloseRequestInFlight(stream);
    DequeueValue(c);
    const sinkClosePromise = c.closeAlgorithm();
    WritableStreamDefaultControllerClearAlgorithms(c);
    uponPromise(sinkClosePromise, () => {
      WritableStreamFinishInFlightClose(stream);
    }, (reason) => {
      WritableStreamFinishInFlightCloseWithError(stream, reason);
    });
  }

  function WritableStreamDefaultControllerProcessWrite(c, chunk) {
    const stream = c.stream;
    WritableStreamMarkFirstWriteRequestInFlight(stream);
    const sinkWritePromise = c.writeAlgorithm(chunk);
    uponPromise(sinkWritePromise, () => {
      WritableStreamFinishInFlightWrite(stream);
      const state = stream.state;
      DequeueValue(c);
      if (!WritableStreamCloseQueuedOrInFlight(stream) && state === 'writable') {
        WritableStreamUpdateBackpressure(stream, WritableStreamDefaultControllerGetBackpressure(c));
      }
      WritableStreamDefaultControllerAdvanceQueueIfNeeded(c);
    }, (reason) => {
      if (stream.state === 'writable') WritableStreamDefaultControllerClearAlgorithms(c);
      WritableStreamFinishInFlightWriteWithError(stream, reason);
    });
  }

  function WritableStreamDefaultControllerWrite(c, chunk, chunkSize) {
    try {
      EnqueueValueWithSize(c, chunk, chunkSize);
    } catch (e) {
      WritableStreamDefaultControllerErrorIfNeeded(c, e);
      return;
    }
    const stream = c.stream;
    if (!WritableStreamCloseQueuedOrInFlight(stream) && stream.state === 'writable') {
      WritableStreamUpdateBackpressure(stream, WritableStreamDefaultControllerGetBackpressure(c));
    }
    WritableStreamDefaultControllerAdvanceQueueIfNeeded(c);
  }

  // The default controller's [[AbortSteps]].
  const wsdcMethods = {
    abortSteps(reason) {
      const result = this.abortAlgorithm(reason);
      WritableStreamDefaultControllerClearAlgorithms(this);
      return result;
    },
  };

  class WritableStream {
    #r;

    constructor(underlyingSink = undefined, strategy = undefined) {
      if (underlyingSink === kCreate) {
        this.#r = { __proto__: null, pub: this };
        return;
      }
      if (underlyingSink !== undefined && !isObject(underlyingSink)) {
        throw new TypeError('WritableStream: underlyingSink must be an object');
      }
      const s = convertStrategy(strategy, 'WritableStream');
      let sink = underlyingSink;
      if (sink === undefined) sink = null;
      const dict = { abort: undefined, close: undefined, start: undefined, write: undefined };
      let type;
      if (sink !== null) {
        dict.abort = callbackMember(sink, 'abort', 'WritableStream');
        dict.close = callbackMember(sink, 'close', 'WritableStream');
        dict.start = callbackMember(sink, 'start', 'WritableStream');
        type = sink.type;
        dict.write = callbackMember(sink, 'write', 'WritableStream');
      }
      if (type !== undefined) throw new RangeError('WritableStream: an underlying sink\'s type must be undefined');
      this.#r = { __proto__: null, pub: this };
      const stream = this.#r;
      InitializeWritableStream(stream);
      const sizeAlgorithm = ExtractSizeAlgorithm(s);
      const highWaterMark = ExtractHighWaterMark(s, 1);
      SetUpWritableStreamDefaultControllerFromUnderlyingSink(stream, sink, dict, highWaterMark, sizeAlgorithm);
    }

    get locked() {
      return IsWritableStreamLocked(wsOf(this));
    }

    abort(reason = undefined) {
      let stream;
      try {
        stream = wsOf(this);
      } catch (e) {
        return promiseRejectedWith(e);
      }
      if (IsWritableStreamLocked(stream)) return promiseRejectedWith(new TypeError('The stream is locked to a writer'));
      return WritableStreamAbort(stream, reason);
    }

    close() {
      let stream;
      try {
        stream = wsOf(this);
      } catch (e) {
        return promiseRejectedWith(e);
      }
      if (IsWritableStreamLocked(stream)) return promiseRejectedWith(new TypeError('The stream is locked to a writer'));
      if (WritableStreamCloseQueuedOrInFlight(stream)) return promiseRejectedWith(new TypeError('The stream is already closing'));
      return WritableStreamClose(stream);
    }

    getWriter() {
      return AcquireWritableStreamDefaultWriter(wsOf(this)).pub;
    }

    static {
      wsOf = (o) => {
        if (!isObject(o) || !(#r in o)) throw new TypeError('Not a WritableStream');
        return o.#r;
      };
      isWS = (o) => isObject(o) && #r in o;
      newWS = () => new WritableStream(kCreate).#r;
    }
  }

  function writerCall(self) {
    const writer = writerOf(self);
    if (writer.stream === undefined) throw new TypeError('The writer is released');
    return writer;
  }

  class WritableStreamDefaultWriter {
    #r;

    constructor(stream) {
      if (stream === kCreate) {
        this.#r = { __proto__: null, pub: this, stream: undefined, readyPromise: undefined, closedPromise: undefined };
        return;
      }
      requireArgs(arguments.length, 1, 'WritableStreamDefaultWriter');
      const s = wsOf(stream);
      this.#r = { __proto__: null, pub: this, stream: undefined, readyPromise: undefined, closedPromise: undefined };
      SetUpWritableStreamDefaultWriter(this.#r, s);
    }

    get closed() {
      let writer;
      try {
        writer = writerOf(this);
      } catch (e) {
        return promiseRejectedWith(e);
      }
      return writer.closedPromise.promise;
    }

    get desiredSize() {
      return WritableStreamDefaultWriterGetDesiredSize(writerCall(this));
    }

    get ready() {
      let writer;
      try {
        writer = writerOf(this);
      } catch (e) {
        return promiseRejectedWith(e);
      }
      return writer.readyPromise.promise;
    }

    abort(reason = undefined) {
      let writer;
      try {
        writer = writerCall(this);
      } catch (e) {
        return promiseRejectedWith(e);
      }
      return WritableStreamAbort(writer.stream, reason);
    }

    close() {
      let writer;
      try {
        writer = writerCall(this);
      } catch (e) {
        return promiseRejectedWith(e);
      }
      if (WritableStreamCloseQueuedOrInFlight(writer.stream)) {
        return promiseRejectedWith(new TypeError('The stream is already closing'));
      }
      return WritableStreamClose(writer.stream);
    }

    releaseLock() {
      const writer = writerOf(this);
      if (writer.stream === undefined) return;
      WritableStreamDefaultWriterRelease(writer);
    }

    write(chunk = undefined) {
      let writer;
      try {
        writer = writerCall(this);
      } catch (e) {
        return promiseRejectedWith(e);
      }
      return WritableStreamDefaultWriterWrite(writer, chunk);
    }

    static {
      writerOf = (o) => {
        if (!isObject(o) || !(#r in o)) throw new TypeError('Not a WritableStreamDefaultWriter');
        return o.#r;
      };
      newWriter = () => new WritableStreamDefaultWriter(kCreate).#r;
    }
  }

  class WritableStreamDefaultController {
    #r;

    constructor(token = undefined) {
      if (token !== kCreate) throw new TypeError('Illegal constructor');
      this.#r = { __proto__: wsdcMethods, pub: this };
    }

    get signal() {
      return wsdcOf(this).abortSignal;
    }

    error(e = undefined) {
      const c = wsdcOf(this);
      if (c.stream.state !== 'writable') return;
      WritableStreamDefaultControllerError(c, e);
    }

    static {
      wsdcOf = (o) => {
        if (!isObject(o) || !(#r in o)) throw new TypeError('Not a WritableStreamDefaultController');
        return o.#r;
      };
      newWSDC = () => new WritableStreamDefaultController(kCreate).#r;
    }
  }

  // --- TransformStream ---------------------------------------------------------------------------

  let tsOf, tsdcOf, newTSDC;

  function InitializeTransformStream(stream, startPromise, writableHighWaterMark, writableSizeAlgorithm,
    readableHighWaterMark, readableSizeAlgorithm) {
    const startAlgorithm = () => startPromise.promise;
    stream.writable = CreateWritableStream(startAlgorithm,
      (chunk) => TransformStreamDefaultSinkWriteAlgorithm(stream, chunk),
      () => TransformStreamDefaultSinkCloseAlgorithm(stream),
      (reason) => TransformStreamDefaultSinkAbortAlgorithm(stream, reason),
      writableHighWaterMark, writableSizeAlgorithm);
    stream.readable = CreateReadableStream(startAlgorithm,
      () => TransformStreamDefaultSourcePullAlgorithm(stream),
      (reason) => TransformStreamDefaultSourceCancelAlgorithm(stream, reason),
      readableHighWaterMark, readableSizeAlgorithm);
    stream.backpressure = undefined;
    stream.backpressureChangePromise = undefined;
    TransformStreamSetBackpressure(stream, true);
    stream.controller = undefined;
  }

  function TransformStreamError(stream, e) {
    ReadableStreamDefaultControllerError(stream.readable.controller, e);
    TransformStreamErrorWritableAndUnblockWrite(stream, e);
  }

  function TransformStreamErrorWritableAndUnblockWrite(stream, e) {
    TransformStreamDefaultControllerClearAlgorithms(stream.controller);
    WritableStreamDefaultControllerErrorIfNeeded(stream.writable.controller, e);
    TransformStreamUnblockWrite(stream);
  }

  function TransformStreamSetBackpressure(stream, backpressure) {
    if (stream.backpressureChangePromise !== undefined) stream.backpressureChangePromise.resolve(undefined);
    stream.backpressureChangePromise = newPromise();
    stream.backpressure = backpressure;
  }

  function TransformStreamUnblockWrite(stream) {
    if (stream.backpressure) TransformStreamSetBackpressure(stream, false);
  }

  function SetUpTransformStreamDefaultController(stream, c, transformAlgorithm, flushAlgorithm, cancelAlgorithm) {
    c.stream = stream;
    stream.controller = c;
    c.transformAlgorithm = transformAlgorithm;
    c.flushAlgorithm = flushAlgorithm;
    c.cancelAlgorithm = cancelAlgorithm;
    c.finishPromise = undefined;
  }

  function SetUpTransformStreamDefaultControllerFromTransformer(stream, transformer, dict) {
    const c = newTSDC();
    let transformAlgorithm = (chunk) => {
      try {
        TransformStreamDefaultControllerEnqueue(c, chunk);
        return promiseResolvedWith(undefined);
      } catch (e) {
        return promiseRejectedWith(e);
      }
    };
    let flushAlgorithm = () => promiseResolvedWith(undefined);
    let cancelAlgorithm = () => promiseResolvedWith(undefined);
    if (dict.transform !== undefined) transformAlgorithm = (chunk) => promiseCall(dict.transform, transformer, [chunk, c.pub]);
    if (dict.flush !== undefined) flushAlgorithm = () => promiseCall(dict.flush, transformer, [c.pub]);
    if (dict.cancel !== undefined) cancelAlgorithm = (reason) => promiseCall(dict.cancel, transformer, [reason]);
    SetUpTransformStreamDefaultController(stream, c, transformAlgorithm, flushAlgorithm, cancelAlgorithm);
  }

  function TransformStreamDefaultControllerClearAlgorithms(c) {
    c.transformAlgorithm = undefined;
    c.flushAlgorithm = undefined;
    c.cancelAlgorithm = undefined;
  }

  function TransformStreamDefaultControllerEnqueue(c, chunk) {
    const stream = c.stream;
    const readableController = stream.readable.controller;
    if (!ReadableStreamDefaultControllerCanCloseOrEnqueue(readableController)) {
      throw new TypeError('The readable side is not in a state that permits enqueue');
    }
    try {
      ReadableStreamDefaultControllerEnqueue(readableController, chunk);
    } catch (e) {
      TransformStreamErrorWritableAndUnblockWrite(stream, e);
      throw stream.readable.storedError;
    }
    const backpressure = ReadableStreamDefaultControllerHasBackpressure(readableController);
    if (backpressure !== stream.backpressure) TransformStreamSetBackpressure(stream, true);
  }

  function TransformStreamDefaultControllerError(c, e) {
    TransformStreamError(c.stream, e);
  }

  function TransformStreamDefaultControllerPerformTransform(c, chunk) {
    const transformPromiseResult = c.transformAlgorithm(chunk);
    return transformPromise(transformPromiseResult, undefined, (r) => {
      TransformStreamError(c.stream, r);
      throw r;
    });
  }

  function TransformStreamDefaultControllerTerminate(c) {
    const stream = c.stream;
    ReadableStreamDefaultControllerClose(stream.readable.controller);
    TransformStreamErrorWritableAndUnblockWrite(stream, new TypeError('The transform stream was terminated'));
  }

  function TransformStreamDefaultSinkWriteAlgorithm(stream, chunk) {
    const c = stream.controller;
    if (stream.backpressure) {
      return transformPromise(stream.backpressureChangePromise.promise, () => {
        const writable = stream.writable;
        if (writable.state === 'erroring') throw writable.storedError;
        return TransformStreamDefaultControllerPerformTransform(c, chunk);
      });
    }
    return TransformStreamDefaultControllerPerformTransform(c, chunk);
  }

  function TransformStreamDefaultSinkAbortAlgorithm(stream, reason) {
    const c = stream.controller;
    if (c.finishPromise !== undefined) return c.finishPromise.promise;
    const readable = stream.readable;
    c.finishPromise = newPromise();
    const cancelPromise = c.cancelAlgorithm(reason);
    TransformStreamDefaultControllerClearAlgorithms(c);
    uponPromise(cancelPromise, () => {
      if (readable.state === 'errored') {
        c.finishPromise.reject(readable.storedError);
      } else {
        ReadableStreamDefaultControllerError(readable.controller, reason);
        c.finishPromise.resolve(undefined);
      }
    }, (r) => {
      ReadableStreamDefaultControllerError(readable.controller, r);
      c.finishPromise.reject(r);
    });
    return c.finishPromise.promise;
  }

  function TransformStreamDefaultSinkCloseAlgorithm(stream) {
    const c = stream.controller;
    if (c.finishPromise !== undefined) return c.finishPromise.promise;
    const readable = stream.readable;
    c.finishPromise = newPromise();
    const flushPromise = c.flushAlgorithm();
    TransformStreamDefaultControllerClearAlgorithms(c);
    uponPromise(flushPromise, () => {
      if (readable.state === 'errored') {
        c.finishPromise.reject(readable.storedError);
      } else {
        ReadableStreamDefaultControllerClose(readable.controller);
        c.finishPromise.resolve(undefined);
      }
    }, (r) => {
      ReadableStreamDefaultControllerError(readable.controller, r);
      c.finishPromise.reject(r);
    });
    return c.finishPromise.promise;
  }

  function TransformStreamDefaultSourceCancelAlgorithm(stream, reason) {
    const c = stream.controller;
    if (c.finishPromise !== undefined) return c.finishPromise.promise;
    const writable = stream.writable;
    c.finishPromise = newPromise();
    const cancelPromise = c.cancelAlgorithm(reason);
    TransformStreamDefaultControllerClearAlgorithms(c);
    uponPromise(cancelPromise, () => {
      if (writable.state === 'errored') {
        c.finishPromise.reject(writable.storedError);
      } else {
        WritableStreamDefaultControllerErrorIfNeeded(writable.controller, reason);
        TransformStreamUnblockWrite(stream);
        c.finishPromise.resolve(undefined);
      }
    }, (r) => {
      WritableStreamDefaultControllerErrorIfNeeded(writable.controller, r);
      TransformStreamUnblockWrite(stream);
      c.finishPromise.reject(r);
    });
    return c.finishPromise.promise;
  }

  function TransformStreamDefaultSourcePullAlgorithm(stream) {
    TransformStreamSetBackpressure(stream, false);
    return stream.backpressureChangePromise.promise;
  }

  class TransformStream {
    #r;

    constructor(transformer = undefined, writableStrategy = undefined, readableStrategy = undefined) {
      if (transformer !== undefined && !isObject(transformer)) {
        throw new TypeError('TransformStream: transformer must be an object');
      }
      const ws = convertStrategy(writableStrategy, 'TransformStream');
      const rs = convertStrategy(readableStrategy, 'TransformStream');
      let t = transformer;
      if (t === undefined) t = null;
      const dict = { cancel: undefined, flush: undefined, start: undefined, transform: undefined };
      let readableType;
      let writableType;
      if (t !== null) {
        dict.cancel = callbackMember(t, 'cancel', 'TransformStream');
        dict.flush = callbackMember(t, 'flush', 'TransformStream');
        readableType = t.readableType;
        dict.start = callbackMember(t, 'start', 'TransformStream');
        dict.transform = callbackMember(t, 'transform', 'TransformStream');
        writableType = t.writableType;
      }
      if (readableType !== undefined) throw new RangeError('TransformStream: readableType must be undefined');
      if (writableType !== undefined) throw new RangeError('TransformStream: writableType must be undefined');
      const readableHighWaterMark = ExtractHighWaterMark(rs, 0);
      const readableSizeAlgorithm = ExtractSizeAlgorithm(rs);
      const writableHighWaterMark = ExtractHighWaterMark(ws, 1);
      const writableSizeAlgorithm = ExtractSizeAlgorithm(ws);
      const startPromise = newPromise();
      this.#r = { __proto__: null, pub: this };
      const stream = this.#r;
      InitializeTransformStream(stream, startPromise, writableHighWaterMark, writableSizeAlgorithm,
        readableHighWaterMark, readableSizeAlgorithm);
      SetUpTransformStreamDefaultControllerFromTransformer(stream, t, dict);
      if (dict.start !== undefined) startPromise.resolve(apply(dict.start, t, [stream.controller.pub]));
      else startPromise.resolve(undefined);
    }

    get readable() {
      return tsOf(this).readable.pub;
    }

    get writable() {
      return tsOf(this).writable.pub;
    }

    static {
      tsOf = (o) => {
        if (!isObject(o) || !(#r in o)) throw new TypeError('Not a TransformStream');
        return o.#r;
      };
    }
  }

  class TransformStreamDefaultController {
    #r;

    constructor(token = undefined) {
      if (token !== kCreate) throw new TypeError('Illegal constructor');
      this.#r = { __proto__: null, pub: this };
    }

    get desiredSize() {
      return ReadableStreamDefaultControllerGetDesiredSize(tsdcOf(this).stream.readable.controller);
    }

    enqueue(chunk = undefined) {
      TransformStreamDefaultControllerEnqueue(tsdcOf(this), chunk);
    }

    error(reason = undefined) {
      TransformStreamDefaultControllerError(tsdcOf(this), reason);
    }

    terminate() {
      TransformStreamDefaultControllerTerminate(tsdcOf(this));
    }

    static {
      tsdcOf = (o) => {
        if (!isObject(o) || !(#r in o)) throw new TypeError('Not a TransformStreamDefaultController');
        return o.#r;
      };
      newTSDC = () => new TransformStreamDefaultController(kCreate).#r;
    }
  }

  // --- Queuing strategies ------------------------------------------------------------------------

  // One size function per realm, shared by every instance (the spec's "size function" slots).
  const byteLengthSize = { size(chunk) { return chunk.byteLength; } }.size;
  const countSize = { size() { return 1; } }.size;

  function strategyInit(init, where) {
    requireArgs(init === undefined ? 0 : 1, 1, where);
    const dict = toDictionary(init, `${where}: init`);
    const hwm = dict === null ? undefined : dict.highWaterMark;
    if (hwm === undefined) throw new TypeError(`${where}: init.highWaterMark is required`);
    return +hwm;
  }

  class ByteLengthQueuingStrategy {
    #hwm;

    constructor(init) {
      this.#hwm = strategyInit(init, 'ByteLengthQueuingStrategy');
    }

    get highWaterMark() {
      if (!isObject(this) || !(#hwm in this)) throw new TypeError('Not a ByteLengthQueuingStrategy');
      return this.#hwm;
    }

    get size() {
      if (!isObject(this) || !(#hwm in this)) throw new TypeError('Not a ByteLengthQueuingStrategy');
      return byteLengthSize;
    }
  }

  class CountQueuingStrategy {
    #hwm;

    constructor(init) {
      this.#hwm = strategyInit(init, 'CountQueuingStrategy');
    }

    get highWaterMark() {
      if (!isObject(this) || !(#hwm in this)) throw new TypeError('Not a CountQueuingStrategy');
      return this.#hwm;
    }

    get size() {
      if (!isObject(this) || !(#hwm in this)) throw new TypeError('Not a CountQueuingStrategy');
      return countSize;
    }
  }

  // --- Installation ------------------------------------------------------------------------------

  const interfaces = [ReadableStream, ReadableStreamDefaultReader, ReadableStreamDefaultController,
    ReadableByteStreamController, ReadableStreamBYOBReader, ReadableStreamBYOBRequest,
    WritableStream, WritableStreamDefaultWriter, WritableStreamDefaultController, TransformStream,
    TransformStreamDefaultController, ByteLengthQueuingStrategy, CountQueuingStrategy];
  for (const ctor of interfaces) makeInterface(ctor);
  // @@asyncIterator is the same function as values().
  defineProperty(ReadableStream.prototype, SymbolAsyncIterator, {
    value: ReadableStream.prototype.values, writable: true, configurable: true,
  });

  // For the files that build on streams (fetch bodies, encoding and compression streams).
  internal.streams = {
    CreateReadableStream: (start, pull, cancel, hwm, size) => CreateReadableStream(start, pull, cancel, hwm, size).pub,
    CreateWritableStream: (start, write, close, abort, hwm, size) =>
      CreateWritableStream(start, write, close, abort, hwm, size).pub,
    readableRecord: rsOf,
    writableRecord: wsOf,
    isReadableStream: isRS,
    isWritableStream: isWS,
    isReader,
    ReadableStreamDefaultControllerEnqueue,
    ReadableStreamDefaultControllerClose,
    ReadableStreamDefaultControllerError,
    ReadableStreamDefaultControllerGetDesiredSize,
    ReadableStreamCancel,
    IsReadableStreamLocked,
    AcquireReadableStreamDefaultReader,
    ReadableStreamDefaultReaderRead,
    ReadableStreamDefaultReaderRelease,
    ReadableStreamDefaultTee,
    ReadableStreamPipeTo,
    CreateReadableByteStream: (start, pull, cancel) => CreateReadableByteStream(start, pull, cancel).pub,
    ReadableByteStreamControllerEnqueue,
    ReadableByteStreamControllerClose,
    ReadableByteStreamControllerError,
    ReadableByteStreamControllerGetDesiredSize,
    ReadableByteStreamControllerGetBYOBRequest,
    ReadableByteStreamControllerRespond,
    // For the standards that "set up" a TransformStream and "enqueue" into it (compression.js,
    // encoding_streams.js): the constructor as installed, and enqueue on its public controller.
    TransformStream,
    TransformStreamEnqueue: (controller, chunk) =>
      TransformStreamDefaultControllerEnqueue(tsdcOf(controller), chunk),
  };

  for (const ctor of interfaces) defineGlobal(ctor.name, ctor);
})
