(function (native, internal) {
  'use strict';

  // WHATWG Streams: ReadableStreamPipeTo, the standard's piping of a ReadableStream into a
  // WritableStream (pipeTo, pipeThrough). streams_readable.js installs this file on the first
  // pipe: an engine that never pipes never compiles it.

  const core = internal.streamsCore;
  const { AcquireReadableStreamDefaultReader, AcquireWritableStreamDefaultWriter,
    ReadableStreamCancel, ReadableStreamDefaultReaderRead, ReadableStreamDefaultReaderRelease,
    WritableStreamAbort, WritableStreamCloseQueuedOrInFlight,
    WritableStreamDefaultWriterCloseWithErrorPropagation, WritableStreamDefaultWriterRelease,
    WritableStreamDefaultWriterWrite, newPromise, promiseResolvedWith, pullResolved, setHandled,
    signalAborted, signalReason, transformPromise, uponPromise, waitForAll } = core;
  const { PromiseCtor, reflectApply: apply } = internal.intrinsics;

  function ReadableStreamPipeTo(source, dest, preventClose, preventAbort, preventCancel, signal) {
    const reader = AcquireReadableStreamDefaultReader(source);
    const writer = AcquireWritableStreamDefaultWriter(dest);
    source.disturbed = true;
    let shuttingDown = false;
    const promise = newPromise();
    let abortAlgorithm;

    function finalize(isError, error) {
      WritableStreamDefaultWriterRelease(writer);
      ReadableStreamDefaultReaderRelease(reader);
      if (signal !== undefined) internal.removeAbortAlgorithm(signal, abortAlgorithm);
      if (isError) promise.reject(error);
      else promise.resolve(undefined);
    }

    // The standard's currentWrite, without a promise per chunk: writes are numbered as their
    // chunks come (writeSeq), and currentWrite, the latest write, is settled (currentSettled) a
    // job after its write's promise settles. Only a shutdown waits for it: then it becomes a
    // promise (waiter), resolved when currentWrite would have been.
    let writeSeq = 0;
    let currentSettled = true;
    let waiter = null;
    let waiterSeq = 0;

    function writeSettled(seq) {
      if (seq === writeSeq) currentSettled = true;
      if (waiter !== null && seq === waiterSeq) {
        const w = waiter;
        waiter = null;
        w.resolve(undefined);
      }
    }

    function currentWrite() {
      if (currentSettled) return pullResolved;
      if (waiter === null || waiterSeq !== writeSeq) {
        waiter = newPromise();
        waiterSeq = writeSeq;
      }
      return waiter.promise;
    }

    function waitForWritesToFinish() {
      const oldSeq = writeSeq;
      return transformPromise(currentWrite(), () => (oldSeq !== writeSeq ? waitForWritesToFinish() : undefined));
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

    // The pipe loop, one chunk a step, with the jobs of the standard's loop of promises (each
    // step a reaction to writer.ready that reads; the read's promise resolves the step's with
    // itself: a job to take its then, one to settle, one for the next step) but no promise or
    // closure of its own per chunk: the read request is made once, and the loop awaits
    // undefined for each of those jobs (a job as a reaction is, with no then call nor a promise's
    // constructor looked up). Only a chunk that had not come when the read's then was taken is
    // awaited as a promise.
    // readPhase: 0 no read or it ended, 1 read requested, 2 its chunk came, 3 awaited (wake).
    let readPhase = 0;
    let wake = null;
    const captureWake = (resolve) => { wake = resolve; };
    const wakeLoop = (more) => {
      const w = wake;
      wake = null;
      w(more);
    };
    const readRequest = {
      chunk(chunk) {
        // The write waits one microtask: a source's enqueue() must not run the sink's write
        // synchronously (whatwg/streams#1243, WPT piping/general-addition). currentWrite
        // stands for it at once, so a shutdown meanwhile still waits for this chunk.
        currentSettled = false;
        writeChunk(chunk, ++writeSeq);
        if (readPhase === 3) wakeLoop(true);
        readPhase = 2;
      },
      close() { readEnded(); },
      error() { readEnded(); },
    };
    function readEnded() {
      if (readPhase === 3) wakeLoop(false);
      readPhase = 0;
    }

    async function pipeLoop() {
      for (;;) {
        if (shuttingDown) return;
        await writer.readyPromise.promise; // a rejection ends the loop (its promise is handled)
        if (reader.stream === undefined) return; // released by a shutdown meanwhile
        readPhase = 1;
        ReadableStreamDefaultReaderRead(reader, readRequest);
        if (readPhase === 0) return;
        await undefined; // the read promise's then is taken
        if (readPhase === 1) {
          readPhase = 3;
          if (!await new PromiseCtor(captureWake)) return; // the chunk settles the step's promise
        } else {
          if (readPhase === 0) return;
          await undefined; // the step's promise settles
        }
        await undefined; // the next step
      }
    }

    // The write of a chunk, a job after it came; currentWrite settles a job after the write's
    // promise, as a reaction to it would (a rejected write settles it too).
    async function writeChunk(chunk, seq) {
      await undefined;
      // A shutdown that found dest no longer open has released the writer already.
      if (writer.stream !== undefined) {
        try {
          await WritableStreamDefaultWriterWrite(writer, chunk);
        } catch {
          // the pipe learns of it through dest's closed promise
        }
      }
      writeSettled(seq);
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

  core.PipeTo = ReadableStreamPipeTo;
})
