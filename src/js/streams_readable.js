(function (native, internal) {
  'use strict';

  // WHATWG Streams: ReadableStream with its default controller and reader, tee of default
  // streams, ReadableStream.from and async iteration. The byte-stream operations this part calls
  // are streams_bytes.js's, read from `core` when called: that file is installed by the first
  // byte stream or BYOB reader (an engine with none never compiles it); piping is
  // streams_pipe.js's, installed by the first pipe the same way.

  const { toDictionary, requireArgs, isAbortSignal } = internal;
  const { getPrototypeOf, setPrototypeOf, defineProperty } = Object;
  const apply = Reflect.apply;
  const queueMicrotask = globalThis.queueMicrotask;
  const SymbolAsyncIterator = Symbol.asyncIterator;
  const SymbolIterator = Symbol.iterator;
  const core = internal.streamsCore;
  const { DequeueValue, EnqueueValueWithSize, ExtractHighWaterMark, ExtractSizeAlgorithm,
    IsWritableStreamLocked, ReadRequest, ResetQueue, callbackMember, convertStrategy, isObject,
    isWS, kCreate, newPromise, promiseCall, promiseRejectedWith, promiseResolvedWith,
    pullCall, pullResolved, rejectedCap, resolvedCap, setHandled, transformPromise, uponPromise,
    wsOf } = core;

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
    else core.ReadableStreamBYOBReaderErrorReadIntoRequests(reader, e);
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
    transformPromise(c.pullAlgorithm(), c.pullFulfilled, c.pullRejected);
  }

  // The reactions to each pull's promise (default and byte controllers), made once rather than
  // for every chunk. They never throw, so their derived promise needs no mark as handled.
  function SetPullReactions(c, callPullIfNeeded, error) {
    c.pullFulfilled = () => {
      c.pulling = false;
      if (c.pullAgain) {
        c.pullAgain = false;
        callPullIfNeeded(c);
      }
    };
    c.pullRejected = (e) => error(c, e);
  }

  // Runs twice a chunk: its calls are inlined (the stream is readable for the desired size).
  function ReadableStreamDefaultControllerShouldCallPull(c) {
    const stream = c.stream;
    if (c.closeRequested || stream.state !== 'readable' || !c.started) return false;
    if (stream.reader !== undefined && stream.reader.readRequests.length > 0) return true;
    return c.strategyHWM - c.queueTotalSize > 0;
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
    SetPullReactions(c, ReadableStreamDefaultControllerCallPullIfNeeded,
      ReadableStreamDefaultControllerError);
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
    let pullAlgorithm = () => pullResolved;
    let cancelAlgorithm = () => promiseResolvedWith(undefined);
    if (dict.start !== undefined) startAlgorithm = () => apply(dict.start, source, [c.pub]);
    if (dict.pull !== undefined) pullAlgorithm = () => pullCall(dict.pull, source, c.pub);
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
        return pullResolved;
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
      return pullResolved;
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

  // Piping: streams_pipe.js's, installed by the first pipeTo or pipeThrough.
  function ReadableStreamPipeTo(source, dest, preventClose, preventAbort, preventCancel, signal) {
    if (core.PipeTo === undefined) internal.require('streams_pipe.js');
    return core.PipeTo(source, dest, preventClose, preventAbort, preventCancel, signal);
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
        internal.require('streams_bytes.js');
        core.SetUpReadableByteStreamControllerFromUnderlyingSource(stream, source, dict, highWaterMark);
        return;
      }
      const sizeAlgorithm = ExtractSizeAlgorithm(s);
      const highWaterMark = ExtractHighWaterMark(s, 1);
      SetUpReadableStreamDefaultControllerFromUnderlyingSource(stream, source, dict, highWaterMark, sizeAlgorithm);
    }

    static from(asyncIterable) {
      requireArgs(arguments.length, 1, 'ReadableStream.from');
      // Web IDL async_sequence<any>: a primitive is no sequence, even a string, which is iterable
      // (whatwg/streams#1372).
      if (!isObject(asyncIterable)) throw new TypeError('ReadableStream.from: the argument is not an object');
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
        internal.require('streams_bytes.js');
        return core.AcquireReadableStreamBYOBReader(stream).pub;
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
      const [a, b] = getPrototypeOf(stream.controller) === core.rbscMethods
        ? core.ReadableByteStreamTee(stream) : ReadableStreamDefaultTee(stream);
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

  // The iterator's read request: a class, not a literal with three closures, as one is made
  // for every chunk.
  class IteratorReadRequest {
    constructor(reader, p) {
      this.reader = reader;
      this.p = p;
    }

    chunk(chunk) { this.p.resolve({ value: chunk, done: false }); }

    close() {
      ReadableStreamDefaultReaderRelease(this.reader);
      this.p.resolve(null);
    }

    error(e) {
      ReadableStreamDefaultReaderRelease(this.reader);
      this.p.reject(e);
    }
  }

  function iteratorNextSteps(it) {
    if (it.isFinished) return promiseResolvedWith({ value: undefined, done: true });
    const reader = it.reader;
    const p = newPromise();
    ReadableStreamDefaultReaderRead(reader, new IteratorReadRequest(reader, p));
    return transformPromise(p.promise, it.onFulfilled, it.onRejected);
  }

  class ReadableStreamAsyncIterator {
    #it;

    constructor(reader, preventCancel) {
      const it = { reader, preventCancel, ongoingPromise: null, isFinished: false,
        onFulfilled: undefined, onRejected: undefined };
      // The reactions to each read's promise, made once for the iterator.
      it.onFulfilled = (result) => {
        it.ongoingPromise = null;
        if (result === null) {
          it.isFinished = true;
          return { value: undefined, done: true };
        }
        return result;
      };
      it.onRejected = (reason) => {
        it.ongoingPromise = null;
        it.isFinished = true;
        throw reason;
      };
      this.#it = it;
    }

    next() {
      let it;
      try {
        it = this.#it;
      } catch {
        return promiseRejectedWith(new TypeError('Not a ReadableStream async iterator'));
      }
      if (it.ongoingPromise !== null) {
        const nextSteps = () => iteratorNextSteps(it);
        it.ongoingPromise = transformPromise(it.ongoingPromise, nextSteps, nextSteps);
      } else {
        it.ongoingPromise = iteratorNextSteps(it);
      }
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
      ReadableStreamDefaultReaderRead(reader, new ReadRequest(p));
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

  Object.assign(core, { AcquireReadableStreamDefaultReader, CreateReadableStream,
    InitializeReadableStream, IsReadableStreamLocked, ReadableStream, ReadableStreamAddReadRequest,
    ReadableStreamCancel, ReadableStreamClose, ReadableStreamDefaultController,
    ReadableStreamDefaultControllerCanCloseOrEnqueue, ReadableStreamDefaultControllerClose,
    ReadableStreamDefaultControllerEnqueue, ReadableStreamDefaultControllerError,
    ReadableStreamDefaultControllerGetDesiredSize, ReadableStreamDefaultControllerHasBackpressure,
    ReadableStreamDefaultReader, ReadableStreamDefaultReaderRead,
    ReadableStreamDefaultReaderRelease, ReadableStreamDefaultTee, ReadableStreamError,
    ReadableStreamFulfillReadRequest, ReadableStreamGetNumReadRequests, SetPullReactions,
    ReadableStreamHasDefaultReader, ReadableStreamPipeTo, ReadableStreamReaderGenericCancel,
    ReadableStreamReaderGenericInitialize, ReadableStreamReaderGenericRelease, isRS, isReader,
    newRS, rsOf });
  // For transferable streams (streams_transfer.js).
  Object.assign(core, { SetUpReadableStreamDefaultController, newRSDC });
})
