(function (native, internal) {
  'use strict';

  // WHATWG Streams: transferable streams (the standard's "Transferable streams" and "Cross-realm
  // transforms"), for HTML's StructuredSerializeWithTransfer in clone_platform.js. A transferred
  // stream is piped into (or from) a cross-realm transform over a MessagePort pair: the receiving
  // side gets a new stream set up over the other port. Chunks are cloned, never transferred.
  //
  // Installed by the first transfer of a stream (clone.js reads `internal.streamTransfer`), so
  // that no other use of streams pays for it or for messaging.js. The ports are made here and
  // never reach a script: their messages go to a callback rather than to event listeners
  // (messaging.js's `crossRealmPorts`), which no script can tell apart.

  const { DOMException, structuredSerializeWithTransfer, structuredDeserializeWithTransfer } = internal;
  const ports = internal.crossRealmPorts;
  const { InitializeReadableStream, InitializeWritableStream, IsReadableStreamLocked,
    IsWritableStreamLocked, ReadableStreamDefaultControllerClose, ReadableStreamDefaultControllerEnqueue,
    ReadableStreamDefaultControllerError, ReadableStreamPipeTo, SetUpReadableStreamDefaultController,
    SetUpWritableStreamDefaultController, WritableStreamDefaultControllerErrorIfNeeded,
    newPromise, newRS, newRSDC, newTS, newWS, newWSDC, promiseRejectedWith, promiseResolvedWith, rsOf,
    setHandled, transformPromise, tsOf, wsOf } = internal.streamsCore;

  const KIND_READABLE = 1;
  const KIND_WRITABLE = 2;
  const KIND_TRANSFORM = 3;

  // HTML's [[Detached]] of the streams transferred away (a WeakSet: their records keep their shape).
  const detached = new WeakSet();

  const one = () => 1;
  const nothing = () => undefined;

  function dataCloneError(message) {
    return new DOMException(message, 'DataCloneError');
  }

  // --- Cross-realm transforms --------------------------------------------------------------------

  function PackAndPostMessage(port, type, value) {
    ports.post(port, { __proto__: null, type, value });
  }

  // Throws what PackAndPostMessage threw, after telling the other side.
  function PackAndPostMessageHandlingError(port, type, value) {
    try {
      PackAndPostMessage(port, type, value);
    } catch (e) {
      CrossRealmTransformSendError(port, e);
      throw e;
    }
  }

  function CrossRealmTransformSendError(port, error) {
    try {
      PackAndPostMessage(port, 'error', error);
    } catch {
      // discarded, as the standard says
    }
  }

  function SetUpCrossRealmTransformReadable(stream, port) {
    InitializeReadableStream(stream);
    const controller = newRSDC();
    ports.listen(port, (data) => {
      const type = data.type;
      const value = data.value;
      if (type === 'chunk') {
        ReadableStreamDefaultControllerEnqueue(controller, value);
      } else if (type === 'close') {
        ReadableStreamDefaultControllerClose(controller);
        ports.disentangle(port);
      } else if (type === 'error') {
        ReadableStreamDefaultControllerError(controller, value);
        ports.disentangle(port);
      }
    }, () => {
      const error = dataCloneError('A chunk of a transferred stream could not be deserialized.');
      CrossRealmTransformSendError(port, error);
      ReadableStreamDefaultControllerError(controller, error);
      ports.disentangle(port);
    });
    const pullAlgorithm = () => {
      PackAndPostMessage(port, 'pull', undefined);
      return promiseResolvedWith(undefined);
    };
    const cancelAlgorithm = (reason) => sendErrorAndDisentangle(port, reason);
    SetUpReadableStreamDefaultController(stream, controller, nothing, pullAlgorithm, cancelAlgorithm, 0, one);
  }

  // The readable side's cancel and the writable side's abort: the spec's steps are the same.
  function sendErrorAndDisentangle(port, reason) {
    try {
      PackAndPostMessageHandlingError(port, 'error', reason);
    } catch (e) {
      ports.disentangle(port);
      return promiseRejectedWith(e);
    }
    ports.disentangle(port);
    return promiseResolvedWith(undefined);
  }

  function SetUpCrossRealmTransformWritable(stream, port) {
    InitializeWritableStream(stream);
    const controller = newWSDC();
    // A capability while the other side has not asked for more, undefined once it has.
    let backpressurePromise = newPromise();
    const relieve = () => {
      if (backpressurePromise !== undefined) {
        backpressurePromise.resolve(undefined);
        backpressurePromise = undefined;
      }
    };
    ports.listen(port, (data) => {
      const type = data.type;
      const value = data.value;
      if (type === 'pull') {
        relieve();
      } else if (type === 'error') {
        WritableStreamDefaultControllerErrorIfNeeded(controller, value);
        relieve();
      }
    }, () => {
      const error = dataCloneError('A message of a transferred stream could not be deserialized.');
      CrossRealmTransformSendError(port, error);
      WritableStreamDefaultControllerErrorIfNeeded(controller, error);
      ports.disentangle(port);
    });
    const writeAlgorithm = (chunk) => {
      if (backpressurePromise === undefined) {
        backpressurePromise = newPromise();
        backpressurePromise.resolve(undefined);
      }
      return transformPromise(backpressurePromise.promise, () => {
        backpressurePromise = newPromise();
        try {
          PackAndPostMessageHandlingError(port, 'chunk', chunk);
        } catch (e) {
          ports.disentangle(port);
          return promiseRejectedWith(e);
        }
        return promiseResolvedWith(undefined);
      });
    };
    const closeAlgorithm = () => {
      PackAndPostMessage(port, 'close', undefined);
      ports.disentangle(port);
      return promiseResolvedWith(undefined);
    };
    const abortAlgorithm = (reason) => sendErrorAndDisentangle(port, reason);
    SetUpWritableStreamDefaultController(stream, controller, nothing, writeAlgorithm, closeAlgorithm,
      abortAlgorithm, 1, one);
  }

  // --- Transfer steps and transfer-receiving steps -----------------------------------------------

  // The port's half of a new entangled pair, serialized with itself transferred.
  function shipPort(port) {
    return structuredSerializeWithTransfer(port, [port]);
  }

  // The transfer steps of `value` (of `kind`) -> its data holder's contents; HTML's
  // [[Detached]] is set here, after them.
  function transfer(value, kind) {
    let data;
    if (kind === KIND_READABLE) {
      const stream = rsOf(value);
      if (IsReadableStreamLocked(stream)) throw dataCloneError('A locked ReadableStream could not be transferred.');
      const [port1, port2] = ports.pair();
      const writable = newWS();
      SetUpCrossRealmTransformWritable(writable, port1);
      setHandled(ReadableStreamPipeTo(stream, writable, false, false, false, undefined));
      data = shipPort(port2);
    } else if (kind === KIND_WRITABLE) {
      const stream = wsOf(value);
      if (IsWritableStreamLocked(stream)) throw dataCloneError('A locked WritableStream could not be transferred.');
      const [port1, port2] = ports.pair();
      const readable = newRS();
      SetUpCrossRealmTransformReadable(readable, port1);
      setHandled(ReadableStreamPipeTo(readable, stream, false, false, false, undefined));
      data = shipPort(port2);
    } else {
      const ts = tsOf(value);
      if (IsReadableStreamLocked(ts.readable)) {
        throw dataCloneError('A TransformStream whose readable is locked could not be transferred.');
      }
      if (IsWritableStreamLocked(ts.writable)) {
        throw dataCloneError('A TransformStream whose writable is locked could not be transferred.');
      }
      const readable = ts.readable.pub;
      const writable = ts.writable.pub;
      data = { readable: structuredSerializeWithTransfer(readable, [readable]),
        writable: structuredSerializeWithTransfer(writable, [writable]) };
    }
    detached.add(value);
    return data;
  }

  // The transfer-receiving steps: a new stream of `kind` from its data holder's contents.
  function receive(kind, data) {
    if (kind === KIND_TRANSFORM) {
      const ts = newTS();
      ts.readable = rsOf(structuredDeserializeWithTransfer(data.readable).deserialized);
      ts.writable = wsOf(structuredDeserializeWithTransfer(data.writable).deserialized);
      return ts.pub;
    }
    const port = structuredDeserializeWithTransfer(data).deserialized;
    if (kind === KIND_READABLE) {
      const stream = newRS();
      SetUpCrossRealmTransformReadable(stream, port);
      return stream.pub;
    }
    const stream = newWS();
    SetUpCrossRealmTransformWritable(stream, port);
    return stream.pub;
  }

  internal.streamTransfer = {
    detached: (v) => detached.has(v),
    transfer,
    receive,
  };
})
