(function (native, internal) {
  'use strict';

  // WHATWG Streams (https://streams.spec.whatwg.org/): TransformStream, the queuing strategies,
  // and the installation of the streams interfaces. The standard's other parts are the files
  // installed before this one (internal.js's `needs`): streams_base.js (promise helpers,
  // queue-with-sizes), streams_writable.js, streams_readable.js (default streams, piping, async
  // iteration); and after it, on first use, streams_bytes.js (byte streams, BYOB readers and
  // requests) and streams_transfer.js (transferable streams).

  const { makeInterface, defineGlobal, toDictionary, requireArgs } = internal;
  const apply = Reflect.apply;
  const { defineProperty } = Object;
  const core = internal.streamsCore;
  const { AcquireReadableStreamDefaultReader, CreateReadableStream, CreateWritableStream,
    ExtractHighWaterMark, ExtractSizeAlgorithm, IsReadableStreamLocked, ReadableStream,
    ReadableStreamCancel, ReadableStreamDefaultController,
    ReadableStreamDefaultControllerCanCloseOrEnqueue, ReadableStreamDefaultControllerClose,
    ReadableStreamDefaultControllerEnqueue, ReadableStreamDefaultControllerError,
    ReadableStreamDefaultControllerGetDesiredSize, ReadableStreamDefaultControllerHasBackpressure,
    ReadableStreamDefaultReader, ReadableStreamDefaultReaderRead,
    ReadableStreamDefaultReaderRelease, ReadableStreamDefaultTee, ReadableStreamPipeTo,
    WritableStream, WritableStreamDefaultController, WritableStreamDefaultControllerErrorIfNeeded,
    WritableStreamDefaultWriter, callbackMember, convertStrategy, isObject, isRS, isReader, isWS,
    kCreate, newPromise, promiseCall, promiseRejectedWith, promiseResolvedWith, pullResolved, rsOf,
    transformPromise, uponPromise, wsOf } = core;

  // --- TransformStream ---------------------------------------------------------------------------

  let tsOf, isTS, newTS, tsdcOf, newTSDC;

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
    // PerformTransform's reaction to a rejected transform, made once rather than for every chunk.
    c.transformRejected = (r) => {
      TransformStreamError(stream, r);
      throw r;
    };
    c.finishPromise = undefined;
  }

  function SetUpTransformStreamDefaultControllerFromTransformer(stream, transformer, dict) {
    const c = newTSDC();
    let transformAlgorithm = (chunk) => {
      try {
        TransformStreamDefaultControllerEnqueue(c, chunk);
        return pullResolved;
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
    return transformPromise(c.transformAlgorithm(chunk), undefined, c.transformRejected);
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
      if (transformer === kCreate) { // a transferred one's (streams_transfer.js): no controller
        this.#r = { __proto__: null, pub: this, readable: undefined, writable: undefined };
        return;
      }
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
      isTS = (o) => isObject(o) && #r in o;
      newTS = () => new TransformStream(kCreate).#r;
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

  // The byte-stream interfaces are streams_bytes.js's (its own lazy globals).
  const interfaces = [ReadableStream, ReadableStreamDefaultReader, ReadableStreamDefaultController,
    WritableStream, WritableStreamDefaultWriter, WritableStreamDefaultController, TransformStream,
    TransformStreamDefaultController, ByteLengthQueuingStrategy, CountQueuingStrategy];
  for (const ctor of interfaces) makeInterface(ctor);
  // @@asyncIterator is the same function as values().
  defineProperty(ReadableStream.prototype, Symbol.asyncIterator, {
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
    promiseRejectedWith,
    pullResolved,
    // Byte streams: the first one installs streams_bytes.js, which fills in the rest (no byte
    // controller exists before).
    CreateReadableByteStream: (start, pull, cancel) => {
      if (core.CreateReadableByteStream === undefined) internal.require('streams_bytes.js');
      return core.CreateReadableByteStream(start, pull, cancel).pub;
    },
    ReadableByteStreamControllerEnqueue: undefined,
    ReadableByteStreamControllerClose: undefined,
    ReadableByteStreamControllerError: undefined,
    ReadableByteStreamControllerGetDesiredSize: undefined,
    ReadableByteStreamControllerGetBYOBRequest: undefined,
    ReadableByteStreamControllerRespond: undefined,
    // For the standards that "set up" a TransformStream and "enqueue" into it (compression.js,
    // encoding_streams.js): the constructor as installed, and enqueue on its public controller.
    TransformStream,
    TransformStreamEnqueue: (controller, chunk) =>
      TransformStreamDefaultControllerEnqueue(tsdcOf(controller), chunk),
    // compression.js, which goes on with a long output once the readable side wants more: a
    // promise that it may (check again then), undefined when it does now, null when it takes no
    // more (closed, cancelled or errored).
    TransformStreamBackpressure: (controller) => {
      const stream = tsdcOf(controller).stream;
      if (!ReadableStreamDefaultControllerCanCloseOrEnqueue(stream.readable.controller)) return null;
      return stream.backpressure ? stream.backpressureChangePromise.promise : undefined;
    },
    // clone.js: which transferable stream v is (1 readable, 2 writable, 3 transform) or 0; the
    // transfer itself is streams_transfer.js's, installed by the first one.
    transferKind: (v) => (isRS(v) ? 1 : isWS(v) ? 2 : isTS(v) ? 3 : 0),
  };
  Object.assign(core, { isTS, newTS, tsOf });

  for (const ctor of interfaces) defineGlobal(ctor.name, ctor);
})
