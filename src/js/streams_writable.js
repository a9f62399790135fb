(function (native, internal) {
  'use strict';

  // WHATWG Streams: WritableStream, its default writer and controller (streams_base.js says how
  // the streams files share the abstract operations).

  const { requireArgs } = internal;
  const apply = Reflect.apply;
  const core = internal.streamsCore;
  const { DequeueValue, EnqueueValueWithSize, ExtractHighWaterMark, ExtractSizeAlgorithm,
    PeekQueueValue, ResetQueue, callbackMember, convertStrategy, isObject, kCreate, newPromise,
    promiseCall, promiseRejectedWith, promiseResolvedWith, rejectedCap, resolvedCap, setHandled,
    transformPromise, uponPromise } = core;

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
    SetWriteReactions(c);
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
    transformPromise(c.writeAlgorithm(chunk), c.writeFulfilled, c.writeRejected);
  }

  // The reactions to each write's promise, made once per controller rather than for every
  // chunk. They never throw, so their derived promise needs no mark as handled.
  function SetWriteReactions(c) {
    const stream = c.stream;
    c.writeFulfilled = () => {
      WritableStreamFinishInFlightWrite(stream);
      const state = stream.state;
      DequeueValue(c);
      if (!WritableStreamCloseQueuedOrInFlight(stream) && state === 'writable') {
        WritableStreamUpdateBackpressure(stream, WritableStreamDefaultControllerGetBackpressure(c));
      }
      WritableStreamDefaultControllerAdvanceQueueIfNeeded(c);
    };
    c.writeRejected = (reason) => {
      if (stream.state === 'writable') WritableStreamDefaultControllerClearAlgorithms(c);
      WritableStreamFinishInFlightWriteWithError(stream, reason);
    };
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

  Object.assign(core, { AcquireWritableStreamDefaultWriter, CreateWritableStream,
    IsWritableStreamLocked, WritableStream, WritableStreamAbort,
    WritableStreamCloseQueuedOrInFlight, WritableStreamDefaultController,
    WritableStreamDefaultControllerErrorIfNeeded, WritableStreamDefaultWriter,
    WritableStreamDefaultWriterCloseWithErrorPropagation, WritableStreamDefaultWriterRelease,
    WritableStreamDefaultWriterWrite, isWS, wsOf });
  // For transferable streams (streams_transfer.js).
  Object.assign(core, { InitializeWritableStream, SetUpWritableStreamDefaultController, newWS, newWSDC });
})
