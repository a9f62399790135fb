(function (native, internal) {
  'use strict';

  // WHATWG Streams: byte streams (type: 'bytes'): ReadableByteStreamController, BYOB readers and
  // requests, and tee of byte streams. Installed after streams.js, by the first byte stream, BYOB
  // reader or use of one of its globals.

  const { toDictionary, requireArgs } = internal;
  const { getPrototypeOf, getOwnPropertyDescriptor } = Object;
  const apply = Reflect.apply;
  const queueMicrotask = globalThis.queueMicrotask;
  const core = internal.streamsCore;
  const { AcquireReadableStreamDefaultReader, InitializeReadableStream, IsReadableStreamLocked,
    ReadableStreamAddReadRequest, ReadableStreamCancel, ReadableStreamClose,
    ReadableStreamDefaultReaderRead, ReadableStreamDefaultReaderRelease, ReadableStreamError,
    ReadableStreamFulfillReadRequest, ReadableStreamGetNumReadRequests,
    ReadableStreamHasDefaultReader, ReadableStreamReaderGenericCancel, ReadRequest,
    ReadableStreamReaderGenericInitialize, ReadableStreamReaderGenericRelease, ResetQueue,
    call0, fnCall, isObject, kCreate, newPromise, newRS, promiseCall, promiseRejectedWith,
    promiseResolvedWith, pullCall, pullResolved, rsOf, SetPullReactions, transformPromise,
    uponPromise } = core;

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

  const isView = ArrayBuffer.isView;

  // An ArrayBufferView's slots, read through the intrinsic getters; null if v is not a view.
  function viewSlots(v) {
    if (!isView(v)) return null;
    const tag = call0(taTag, v);
    if (tag !== undefined) {
      // Uint8Array without the table: the getter's string is a new one, hashed by each lookup.
      const ctor = tag === 'Uint8Array' ? Uint8Array : typedArrayCtors[tag];
      return {
        buffer: call0(taBuffer, v), byteOffset: call0(taByteOffset, v),
        byteLength: call0(taByteLength, v), length: call0(taLength, v),
        ctor, elementSize: ctor.BYTES_PER_ELEMENT, typed: true,
      };
    }
    const byteLength = call0(dvByteLength, v);
    return {
      buffer: call0(dvBuffer, v), byteOffset: call0(dvByteOffset, v), byteLength,
      length: byteLength, ctor: DataView, elementSize: 1, typed: false,
    };
  }

  // The part of a view's slots an enqueue reads (a chunk's): three getter calls, not five.
  function viewRange(v) {
    if (!isView(v)) return null;
    if (call0(taTag, v) !== undefined) return typedArrayRange(v);
    return { buffer: call0(dvBuffer, v), byteOffset: call0(dvByteOffset, v),
      byteLength: call0(dvByteLength, v) };
  }

  function typedArrayRange(v) {
    if (taBuffer.call === fnCall && taByteOffset.call === fnCall && taByteLength.call === fnCall) {
      // call0 inlined: an enqueue's most frequent calls
      return { buffer: taBuffer.call(v), byteOffset: taByteOffset.call(v), byteLength: taByteLength.call(v) };
    }
    return { buffer: call0(taBuffer, v), byteOffset: call0(taByteOffset, v),
      byteLength: call0(taByteLength, v) };
  }

  function IsDetachedBuffer(buffer) {
    return call0(abDetached, buffer);
  }

  function TransferArrayBuffer(buffer) {
    return call0(abTransfer, buffer);
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
    transformPromise(c.pullAlgorithm(), c.pullFulfilled, c.pullRejected);
  }

  function ReadableByteStreamControllerShouldCallPull(c) {
    const stream = c.stream;
    if (stream.state !== 'readable') return false;
    if (c.closeRequested) return false;
    if (!c.started) return false;
    // Runs twice a chunk: the reader's requests and the desired size (the stream is readable)
    // are read in place, not through four more calls.
    const reader = stream.reader;
    if (reader !== undefined) {
      const requests = reader.kind === 'default' ? reader.readRequests : reader.readIntoRequests;
      if (requests.length > 0) return true;
    }
    return c.strategyHWM - c.queueTotalSize > 0;
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
    if (fresh && c.queueTotalSize === 0 && c.pendingPullIntos.length === 0) {
      // What the steps below come to for a fresh chunk while a default reader's read waits and
      // nothing is queued: the read takes the chunk itself (no slots read, no transfer).
      const stream = c.stream;
      const reader = stream.reader;
      if (c.closeRequested || stream.state !== 'readable') return;
      if (reader !== undefined && reader.kind === 'default' && reader.readRequests.length > 0) {
        ReadableStreamFulfillReadRequest(stream, chunk, false);
        ReadableByteStreamControllerCallPullIfNeeded(c);
        return;
      }
    }
    const range = fresh ? typedArrayRange(chunk) : viewRange(chunk);
    ReadableByteStreamControllerEnqueueRange(c, chunk, range, fresh, fresh);
  }

  // The enqueue of a chunk whose viewRange the caller read already (the public enqueue's checks).
  // `attached`: the buffer cannot be detached (a fresh one, or one whose byte length the caller
  // found not 0), so the IsDetachedBuffer step is skipped.
  function ReadableByteStreamControllerEnqueueRange(c, chunk, range, fresh, attached) {
    const stream = c.stream;
    if (c.closeRequested || stream.state !== 'readable') return;
    const { buffer, byteOffset, byteLength } = range;
    if (!attached && IsDetachedBuffer(buffer)) throw new TypeError('The chunk\'s buffer is detached');
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
      buffer, bufferByteLength: call0(abByteLength, buffer), byteOffset, byteLength, bytesFilled: 0,
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
    if (first.bufferByteLength !== call0(abByteLength, slots.buffer)) throw new RangeError('The view\'s buffer length does not match the request');
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
    SetPullReactions(c, ReadableByteStreamControllerCallPullIfNeeded,
      ReadableByteStreamControllerError);
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
    let pullAlgorithm = () => pullResolved;
    let cancelAlgorithm = () => promiseResolvedWith(undefined);
    if (dict.start !== undefined) startAlgorithm = () => apply(dict.start, source, [c.pub]);
    if (dict.pull !== undefined) pullAlgorithm = () => pullCall(dict.pull, source, c.pub);
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
        return pullResolved;
      }
      reading = true;
      const byobRequest = ReadableByteStreamControllerGetBYOBRequest(branch1.controller);
      if (byobRequest === null) pullWithDefaultReader();
      else pullWithBYOBReader(byobRequest.view, false);
      return pullResolved;
    }

    function pull2Algorithm() {
      if (reading) {
        readAgainForBranch2 = true;
        return pullResolved;
      }
      reading = true;
      const byobRequest = ReadableByteStreamControllerGetBYOBRequest(branch2.controller);
      if (byobRequest === null) pullWithDefaultReader();
      else pullWithBYOBReader(byobRequest.view, true);
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
    branch1 = CreateReadableByteStream(startAlgorithm, pull1Algorithm, cancel1Algorithm);
    branch2 = CreateReadableByteStream(startAlgorithm, pull2Algorithm, cancel2Algorithm);
    forwardReaderError(reader);
    return [branch1, branch2];
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
      const range = viewRange(chunk);
      if (range === null) throw new TypeError('ReadableByteStreamController.enqueue: chunk is not an ArrayBufferView');
      if (range.byteLength === 0) throw new TypeError('ReadableByteStreamController.enqueue: chunk is empty');
      if (call0(abByteLength, range.buffer) === 0) throw new TypeError('ReadableByteStreamController.enqueue: the chunk\'s buffer is empty or detached');
      if (c.closeRequested) throw new TypeError('The stream is already closing');
      if (c.stream.state !== 'readable') throw new TypeError('The stream is not readable');
      ReadableByteStreamControllerEnqueueRange(c, chunk, range, false, true);
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
      if (call0(abByteLength, slots.buffer) === 0) return promiseRejectedWith(new TypeError('The view\'s buffer is empty'));
      if (IsDetachedBuffer(slots.buffer)) return promiseRejectedWith(new TypeError('The view\'s buffer is detached'));
      if (min === 0) return promiseRejectedWith(new TypeError('min must be greater than 0'));
      if (min > slots.length) return promiseRejectedWith(new RangeError('min is larger than the view'));
      if (reader.stream === undefined) return promiseRejectedWith(new TypeError('The reader is released'));
      const p = newPromise();
      ReadableStreamBYOBReaderRead(reader, view, min, new ReadRequest(p));
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

  Object.assign(core, { AcquireReadableStreamBYOBReader, CreateReadableByteStream,
    ReadableByteStreamController, ReadableByteStreamControllerClose,
    ReadableByteStreamControllerEnqueue, ReadableByteStreamControllerError,
    ReadableByteStreamControllerGetBYOBRequest, ReadableByteStreamControllerGetDesiredSize,
    ReadableByteStreamControllerRespond, ReadableByteStreamTee, ReadableStreamBYOBReader,
    ReadableStreamBYOBReaderErrorReadIntoRequests, ReadableStreamBYOBRequest,
    SetUpReadableByteStreamControllerFromUnderlyingSource, rbscMethods });

  const interfaces = [ReadableByteStreamController, ReadableStreamBYOBReader, ReadableStreamBYOBRequest];
  for (const ctor of interfaces) internal.makeInterface(ctor);
  Object.assign(internal.streams, { ReadableByteStreamControllerEnqueue, ReadableByteStreamControllerClose,
    ReadableByteStreamControllerError, ReadableByteStreamControllerGetDesiredSize,
    ReadableByteStreamControllerGetBYOBRequest, ReadableByteStreamControllerRespond });
  for (const ctor of interfaces) internal.defineGlobal(ctor.name, ctor);
})
