(function (native, internal) {
  'use strict';

  // Fetch bodies as streams: what a Request or Response needs only once a script touches
  // `body`, makes one from a ReadableStream, or streams a request body. fetch.js hands over its
  // body records (internal.fetchCore); a plain fetch().then((r) => r.text()) never installs this
  // file, nor streams.js.

  const { Body, consumeBody, convertBody, KIND_BYTES } = internal.fetchCore;
  const S = internal.streams;
  const { promiseResolve, PromiseCtor, promiseThen } = internal.intrinsics;

  const none = () => promiseResolve.call(PromiseCtor, undefined);
  const teeMethod = Object.getPrototypeOf(S.CreateReadableStream(() => undefined, none, none, 0)).tee;

  const streamRecord = (stream) => S.readableRecord(stream);
  const isDisturbed = (stream) => streamRecord(stream).disturbed;
  const isLocked = (stream) => S.IsReadableStreamLocked(streamRecord(stream));
  const setHandledCancel = (p) => promiseThen.call(p, undefined, () => {});

  // "Close" a byte stream the way the Streams standard's fetch hooks do: a pending BYOB read
  // then completes with its bytes so far.
  function closeByteStream(c) {
    S.ReadableByteStreamControllerClose(c);
    if (S.ReadableByteStreamControllerGetBYOBRequest(c) !== null) S.ReadableByteStreamControllerRespond(c, 0);
  }

  const { promiseRejectedWith: rejected } = S;

  // The algorithms may return a value or a promise; the stream wants promises.
  const toPromise = (f) => (arg) => {
    try {
      return promiseResolve.call(PromiseCtor, f(arg));
    } catch (err) {
      return rejected(err);
    }
  };

  // The Fetch standard's pull wrapper answers a pull that returns no promise with a promise
  // resolved with undefined; the stream only reacts to it, so the streams' one settled promise
  // for pulls serves.
  const pulled = S.pullResolved;

  // pullAlgorithm returns a promise (toPromise(pull), or a response's own, once per chunk).
  function newByteStream(pullAlgorithm, cancel) {
    const stream = S.CreateReadableByteStream(() => undefined, pullAlgorithm, toPromise(cancel));
    return [stream, streamRecord(stream).controller];
  }

  // A stream over a source's bytes as they come whole (a constructed body, a shared one, or a
  // response that already arrived): one chunk, then the end.
  function bufferedStream(src) {
    let taken = false;
    let c = null;
    const pull = () => {
      if (taken) return undefined;
      taken = true;
      return promiseThen.call(consumeBody(src, KIND_BYTES), (u8) => {
        if (u8.byteLength > 0) S.ReadableByteStreamControllerEnqueue(c, u8);
        closeByteStream(c);
      }, (err) => S.ReadableByteStreamControllerError(c, err));
    };
    const cancel = () => {
      if (!taken) {
        taken = true;
        if (--src.readers === 0 && src.state === 1) {
          src.bytes = null;
          if (src.task !== null) src.task.released();
        }
      }
      return undefined;
    };
    let stream;
    [stream, c] = newByteStream(toPromise(pull), cancel);
    return stream;
  }

  // The ReadableStream of a body, made on first use.
  function bodyStream(b) {
    if (b.stream !== null) return b.stream;
    const src = b.src;
    if (b.used) {
      // Read whole already: the stream a consuming method would have read to its end, locked.
      const [stream, c] = newByteStream(() => pulled, () => undefined);
      closeByteStream(c);
      const rec = streamRecord(stream);
      S.AcquireReadableStreamDefaultReader(rec);
      rec.disturbed = true;
      b.stream = stream;
      return stream;
    }
    if (src.state === 0 && src.task !== null && src.readers === 1 && src.waiters === null) {
      b.stream = openResponseStream(src.task);
    } else {
      b.stream = bufferedStream(src);
    }
    return b.stream;
  }

  // Fetch's "fully read" of a stream → a promise of one Uint8Array. Chunks that are already
  // queued arrive synchronously: the loop then goes on instead of recursing.
  function readAllBytes(stream) {
    const reader = S.AcquireReadableStreamDefaultReader(streamRecord(stream));
    const chunks = [];
    let total = 0;
    return new PromiseCtor((resolve, reject) => {
      let inRead = false;
      let again = false;
      const request = {
        chunk(chunk) {
          if (!(chunk instanceof Uint8Array)) {
            reject(new TypeError('A body stream chunk is not a Uint8Array'));
            S.ReadableStreamCancel(reader.stream, undefined);
            return;
          }
          chunks.push(chunk);
          total += chunk.byteLength;
          if (inRead) again = true;
          else loop();
        },
        close() {
          if (chunks.length === 1) {
            const c = chunks[0];
            if (c.byteOffset === 0 && c.byteLength === c.buffer.byteLength) {
              resolve(c);
              return;
            }
          }
          const out = new Uint8Array(total);
          let at = 0;
          for (const c of chunks) {
            out.set(c, at);
            at += c.byteLength;
          }
          resolve(out);
        },
        error: reject,
      };
      function loop() {
        do {
          again = false;
          inRead = true;
          S.ReadableStreamDefaultReaderRead(reader, request);
          inRead = false;
        } while (again);
      }
      loop();
    });
  }

  // Fetch's "consume body" of a body that has a stream.
  const consumeStream = (b, kind) => promiseThen.call(readAllBytes(b.stream), (u8) => convertBody(u8, kind, true));

  // Fetch's "clone" of a streamed body: tee it.
  function cloneStream(b) {
    const pair = teeMethod.call(b.stream);
    b.stream = pair[0];
    return new Body(null, pair[1]);
  }

  // The response body of a FetchTask as a byte stream fed by its transfer: each pull asks C for
  // the next chunk (native.httpPull), so a reader that stops reading pauses the transfer (see
  // src/web/http.h's STREAM_HWM). A pull with a BYOB request pending hands C the request's view:
  // C copies curl's bytes straight into it and answers with their count (no chunk in between).
  // As in the Fetch standard, a pull only resumes the transfer and its promise is settled at
  // once: no promise and closure per chunk wait for the bytes. A pull while C's answer is still
  // due asks nothing more: the chunk's enqueue (or respond) pulls again if reads still wait.
  class ResponsePump {
    constructor(task) {
      this.task = task;
      this.controller = null;
      this.asked = false; // an httpPull awaits its onData
      this.onData = (data) => this.data(data);
      this.onPull = () => this.pull();
    }

    pull() {
      const t = this.task;
      if (t.done || this.asked) return pulled;
      try {
        const req = S.ReadableByteStreamControllerGetBYOBRequest(this.controller);
        if (req !== null) native.httpPull(t.id, this.onData, req.view);
        else native.httpPull(t.id, this.onData);
      } catch (err) {
        return rejected(err);
      }
      this.asked = true;
      return pulled;
    }

    // An ArrayBuffer of C's bytes, or the number of bytes C wrote into the BYOB request's view.
    data(data) {
      if (this.task.done) return;
      this.asked = false;
      if (typeof data === 'number') S.ReadableByteStreamControllerRespond(this.controller, data);
      else S.ReadableByteStreamControllerEnqueue(this.controller, new Uint8Array(data), true);
    }

    // Cancelling the body stream ends the transfer (and frees its connection) at once.
    cancel(reason) {
      const t = this.task;
      if (t.done) return undefined;
      if (t.active) {
        t.active = false;
        native.httpAbort(t.id);
      }
      t.finish();
      t.cancelUpload(reason);
      return undefined;
    }

    end(code, error) {
      if (code === 0) closeByteStream(this.controller);
      else S.ReadableByteStreamControllerError(this.controller, error);
    }
  }

  function openResponseStream(task) {
    task.src.state = 3;
    task.src.readers = 0;
    const pump = new ResponsePump(task);
    const [stream, c] = newByteStream(pump.onPull, (reason) => pump.cancel(reason));
    pump.controller = c;
    task.pump = pump;
    return stream;
  }

  // A request body from a ReadableStream, uploaded as it is read: C calls onNeed when curl took
  // the previous chunk, and the next one is read only then (native.httpSend).
  class Upload {
    constructor(task, stream) {
      this.task = task;
      this.reader = S.AcquireReadableStreamDefaultReader(streamRecord(stream));
      this.onNeed = () => this.need();
    }

    need() {
      const t = this.task;
      if (t.done || this.reader === null) return;
      const id = t.id;
      S.ReadableStreamDefaultReaderRead(this.reader, {
        chunk: (chunk) => {
          if (t.done || id !== t.id) return;
          if (!(chunk instanceof Uint8Array)) {
            t.fail(new TypeError('A request body stream chunk is not a Uint8Array'));
            return;
          }
          native.httpSend(id, chunk);
        },
        close: () => {
          this.reader = null; // sent whole
          if (!t.done && id === t.id) native.httpSend(id, null);
        },
        error: (err) => t.fail(err),
      });
    }

    cancel(reason) {
      const reader = this.reader;
      if (reader === null) return;
      this.reader = null;
      if (reader.stream !== undefined) setHandledCancel(S.ReadableStreamCancel(reader.stream, reason));
    }
  }

  internal.fetchBody = {
    isDisturbed,
    isLocked,
    bodyStream,
    consumeStream,
    cloneStream,
    newUpload: (task, b) => new Upload(task, bodyStream(b)),
  };
})
