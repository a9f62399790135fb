(function (native, internal) {
  'use strict';

  // WebSocketStream (the WHATWG WebSockets draft as Chrome and Deno ship it): a WebSocket whose
  // messages are a ReadableStream and a WritableStream. The connection is websocket.c's, as for
  // WebSocket (same URL and protocol checks, same events); what differs is backpressure both
  // ways: while the readable's queue is full the socket is not read (native.wsPause), so the
  // server's TCP window closes instead of memory growing, and a write resolves only once the
  // socket took what was buffered (native.wsWatchDrain) when more than WRITE_HWM is waiting.

  const {
    requireArgs, toUSVString, toDictionary, makeInterface, DOMException, isAbortSignal,
    addAbortAlgorithm, removeAbortAlgorithm, wsPrepareConnection, wsHandshakeHeaders,
    wsCloseArguments,
  } = internal;
  const S = internal.streams;
  const PromiseCtor = Promise;
  const resolved = PromiseCtor.resolve(undefined);

  const EV_OPEN = 1;
  const EV_TEXT = 2;
  const EV_BINARY = 3;
  const EV_CLOSE = 4;
  const EV_DRAIN = 6;
  // Messages the readable queues before the socket stops being read.
  const READ_HWM = 16;
  // Bytes buffered for the socket below which a write resolves at once.
  const WRITE_HWM = 1 << 20;

  function deferred() {
    let resolve, reject;
    const promise = new PromiseCtor((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  }

  function handled(d) {
    d.promise.then(undefined, () => {});
    return d;
  }

  // Web IDL [EnforceRange] unsigned short.
  function toEnforcedUnsignedShort(v, what) {
    const n = +v;
    if (!Number.isFinite(n)) throw new TypeError(`${what}: closeCode must be a finite number`);
    const t = Math.trunc(n);
    if (t < 0 || t > 65535) throw new TypeError(`${what}: closeCode ${t} is out of range`);
    return t === 0 ? 0 : t;
  }

  function networkError(message) {
    return new DOMException(message, 'NetworkError');
  }

  class WebSocketStream {
    #url;
    #id = 0;
    #opened = handled(deferred());
    #closed = handled(deferred());
    #isOpen = false;
    #done = false;
    #closing = false;
    #readable = null; // the readable's controller record
    #writable = null;
    #paused = false;
    #drain = null; // deferred of a write waiting for the socket
    #writerClose = null; // deferred of the writable's close, settled with the connection
    #signal = null;
    #onAbort = null;

    constructor(url, options = undefined) {
      requireArgs(arguments.length, 1, 'WebSocketStream constructor');
      url = toUSVString(url);
      const opts = toDictionary(options, 'WebSocketStreamOptions');
      const list = [];
      let signal = null, headers;
      if (opts !== null) {
        // Deno's member, as the WebSocket options' (websocket.js); first in Web IDL's order.
        if (opts.headers !== undefined) headers = wsHandshakeHeaders(opts.headers, 'WebSocketStream');
        const protocols = opts.protocols;
        if (protocols !== undefined) {
          if (protocols === null || typeof protocols !== 'object' ||
              typeof protocols[Symbol.iterator] !== 'function') {
            throw new TypeError("WebSocketStream: 'protocols' must be a sequence");
          }
          for (const p of protocols) list.push(toUSVString(p));
        }
        if (opts.signal !== undefined) {
          if (!isAbortSignal(opts.signal)) {
            throw new TypeError("WebSocketStream: 'signal' must be an AbortSignal");
          }
          signal = opts.signal;
        }
      }
      const t = wsPrepareConnection(url, list, 'WebSocketStream');
      this.#url = t.href;
      if (signal !== null && signal.aborted) {
        this.#done = true;
        this.#opened.reject(signal.reason);
        this.#closed.reject(signal.reason);
        return;
      }
      const onEvent = (kind, a, b, c, d) => this.#onEvent(kind, a, b, c, d);
      this.#id = native.wsConnect(t.curlURL, t.host, t.target, t.protocols, onEvent, t.blocked,
        headers);
      if (signal !== null) {
        // Aborting only matters while connecting: it fails the connection with the reason.
        this.#signal = signal;
        this.#onAbort = () => {
          this.#detachSignal();
          if (this.#isOpen || this.#done) return;
          this.#done = true;
          this.#opened.reject(signal.reason);
          this.#closed.reject(signal.reason);
          if (this.#id !== 0) native.wsClose(this.#id, -1, '');
        };
        addAbortAlgorithm(signal, this.#onAbort);
      }
    }

    get url() { return this.#url; }
    get opened() { return this.#opened.promise; }
    get closed() { return this.#closed.promise; }

    close(closeInfo = undefined) {
      const info = toDictionary(closeInfo, 'WebSocketCloseInfo');
      let code;
      let reason;
      if (info !== null) {
        if (info.closeCode !== undefined) code = toEnforcedUnsignedShort(info.closeCode, 'WebSocketStream.close');
        reason = info.reason;
      }
      const [c, reasonText] = wsCloseArguments(code, reason, 'WebSocketStream.close');
      this.#startClosing(c, reasonText);
    }

    #detachSignal() {
      if (this.#signal !== null) removeAbortAlgorithm(this.#signal, this.#onAbort);
      this.#signal = null;
      this.#onAbort = null;
    }

    #startClosing(code, reason) {
      if (this.#closing || this.#done) return;
      this.#closing = true;
      // Still connecting: websocket.c fails the connection, the close event rejects opened.
      if (this.#id !== 0) native.wsClose(this.#id, code, reason);
    }

    #onEvent(kind, a, b, c, d) {
      if (kind === EV_TEXT || kind === EV_BINARY) {
        const rc = this.#readable;
        if (rc === null) return;
        S.ReadableStreamDefaultControllerEnqueue(rc, kind === EV_TEXT ? a : new Uint8Array(a));
        if (!this.#paused && S.ReadableStreamDefaultControllerGetDesiredSize(rc) <= 0) {
          this.#paused = true;
          native.wsPause(this.#id, true);
        }
      } else if (kind === EV_DRAIN) {
        const dr = this.#drain;
        this.#drain = null;
        if (dr !== null) dr.resolve();
      } else if (kind === EV_OPEN) {
        this.#open(a, b);
      } else if (kind === EV_CLOSE) {
        this.#finish(a, b, c, d);
      }
    }

    #open(protocol, extensions) {
      this.#detachSignal();
      if (this.#done) return;
      this.#isOpen = true;
      const readable = S.CreateReadableStream(() => undefined, () => {
        if (this.#paused && !this.#done) {
          this.#paused = false;
          native.wsPause(this.#id, false);
        }
        return resolved;
      }, () => {
        this.#startClosing(-1, '');
        return resolved;
      }, READ_HWM);
      this.#readable = S.readableRecord(readable).controller;
      const writable = S.CreateWritableStream(() => undefined, (chunk) => this.#write(chunk), () => {
        this.#startClosing(-1, '');
        this.#writerClose ??= deferred();
        return this.#writerClose.promise;
      }, () => {
        this.#startClosing(-1, '');
        return resolved;
      }, 1, () => 1);
      this.#writable = writable;
      this.#opened.resolve({ readable, writable, extensions, protocol });
    }

    #write(chunk) {
      if (this.#done || this.#closing) {
        return PromiseCtor.reject(new DOMException('WebSocketStream: the connection is closing', 'InvalidStateError'));
      }
      let payload;
      if (chunk instanceof ArrayBuffer || (typeof SharedArrayBuffer === 'function' && chunk instanceof SharedArrayBuffer)) {
        payload = new Uint8Array(chunk);
      } else if (ArrayBuffer.isView(chunk)) {
        payload = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      } else {
        payload = toUSVString(chunk);
      }
      native.wsSend(this.#id, payload);
      if (native.wsBufferedAmount(this.#id) <= WRITE_HWM) return resolved;
      this.#drain = deferred();
      native.wsWatchDrain(this.#id);
      return this.#drain.promise;
    }

    #finish(code, reason, wasClean, error) {
      this.#detachSignal();
      this.#id = 0;
      const wasOpen = this.#isOpen;
      const aborted = this.#done; // the signal rejected the promises already
      this.#done = true;
      const clean = wasOpen && reason !== undefined && wasClean;
      const failure = clean ? null : networkError(
        error !== undefined ? `WebSocketStream: ${error}` : `WebSocketStream: the connection closed uncleanly (${code})`);
      if (this.#drain !== null) {
        const dr = this.#drain;
        this.#drain = null;
        if (clean) dr.resolve();
        else dr.reject(failure);
      }
      if (!aborted) {
        if (!wasOpen) this.#opened.reject(failure);
        if (clean) this.#closed.resolve({ closeCode: code, reason });
        else this.#closed.reject(failure);
      }
      const rc = this.#readable;
      if (rc !== null) {
        if (clean) S.ReadableStreamDefaultControllerClose(rc);
        else S.ReadableStreamDefaultControllerError(rc, failure);
      }
      if (this.#writerClose !== null) {
        if (clean) this.#writerClose.resolve();
        else this.#writerClose.reject(failure);
      } else if (this.#writable !== null) {
        const w = S.writableRecord(this.#writable);
        if (w.state === 'writable') {
          const pub = w.controller.pub;
          Reflect.apply(Object.getPrototypeOf(pub).error, pub,
            [failure ?? new DOMException('WebSocketStream: the connection is closed', 'InvalidStateError')]);
        }
      }
    }
  }
  makeInterface(WebSocketStream);

  internal.defineGlobal('WebSocketStream', WebSocketStream);
})
