(function (native, internal) {
  'use strict';

  // WebSocket (WHATWG WebSockets) and CloseEvent (HTML). The connection, framing,
  // permessage-deflate and the close handshake are C's (src/web/websocket.c): it reports what
  // happened as events in order, dispatched from the loop after the script that caused them, so
  // no event can come before the script could add its listeners. MessageEvent is
  // message_event.js's.

  const {
    requireArgs, toDOMString, toUSVString, toDictionary, makeInterface, defineConstants,
    DOMException, Event, EventTarget, fireEvent, defineEventHandler, parseURL, urlOrigin,
    isArrayBuffer, isBlob, blobChunks, blobConcat, blobSize, blobFromBytes, isBadPort,
  } = internal;
  const encoder = (s) => native.utf8Encode(s);

  const { makeMessageEvent } = internal;

  // --- CloseEvent --------------------------------------------------------------------------------

  class CloseEvent extends Event {
    #wasClean = false;
    #code = 0;
    #reason = '';

    constructor(type, eventInitDict = undefined) {
      requireArgs(arguments.length, 1, 'CloseEvent constructor');
      super(type, eventInitDict);
      const init = toDictionary(eventInitDict, 'CloseEventInit');
      if (init !== null) {
        if (init.code !== undefined) this.#code = toUnsignedShort(init.code);
        if (init.reason !== undefined) this.#reason = toUSVString(init.reason);
        if (init.wasClean !== undefined) this.#wasClean = !!init.wasClean;
      }
    }

    get wasClean() { return this.#wasClean; }
    get code() { return this.#code; }
    get reason() { return this.#reason; }
  }
  makeInterface(CloseEvent);

  function toUnsignedShort(v) {
    const n = +v;
    if (!Number.isFinite(n)) return 0;
    const r = Math.trunc(n) % 65536;
    return r < 0 ? r + 65536 : r;
  }

  // Web IDL [Clamp] unsigned short: clamped, then rounded half to even.
  function toClampedUnsignedShort(v) {
    let n = +v;
    if (Number.isNaN(n)) return 0;
    n = Math.min(Math.max(n, 0), 65535);
    const f = Math.floor(n);
    const d = n - f;
    return d > 0.5 || (d === 0.5 && f % 2 === 1) ? f + 1 : f;
  }

  // --- WebSocket -----------------------------------------------------------------------------------

  const CONNECTING = 0;
  const OPEN = 1;
  const CLOSING = 2;
  const CLOSED = 3;
  const EV_OPEN = 1;
  const EV_TEXT = 2;
  const EV_BINARY = 3;
  const EV_CLOSE = 4;
  const EV_CLOSING = 5; // the server's close frame arrived: the closing handshake started

  // RFC 2616 token characters (a subprotocol must be one).
  const tokenRe = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

  function baseURL() {
    const b = native.baseURL;
    return b === undefined || b === null ? undefined : String(b);
  }

  function syntaxError(message) {
    return new DOMException(message, 'SyntaxError');
  }

  // The WebSocket constructor's URL and protocol steps, shared with WebSocketStream: what
  // native.wsConnect takes, or a SyntaxError / SecurityError.
  function prepareConnection(url, list, what) {
    let rec = parseURL(url, baseURL());
    if (rec === null) throw syntaxError(`${what}: invalid URL '${url}'`);
    if (rec.protocol === 'http:' || rec.protocol === 'https:') {
      rec = parseURL('ws' + rec.href.slice(4), undefined);
    }
    if (rec === null || (rec.protocol !== 'ws:' && rec.protocol !== 'wss:')) {
      throw syntaxError(`${what}: the URL's scheme must be ws: or wss: ('${url}')`);
    }
    if (rec.hash !== '' || rec.href.endsWith('#')) {
      throw syntaxError(`${what}: the URL must not have a fragment ('${url}')`);
    }
    const seen = new Set();
    for (const p of list) {
      if (!tokenRe.test(p)) throw syntaxError(`${what}: invalid subprotocol '${p}'`);
      const lower = p.toLowerCase();
      if (seen.has(lower)) throw syntaxError(`${what}: duplicate subprotocol '${p}'`);
      seen.add(lower);
    }
    const host = rec.port === '' ? rec.hostname : `${rec.hostname}:${rec.port}`;
    const target = (rec.pathname === '' ? '/' : rec.pathname) + rec.search;
    return {
      href: rec.href,
      origin: urlOrigin(rec),
      curlURL: (rec.protocol === 'wss:' ? 'https://' : 'http://') + host + target,
      host,
      target,
      protocols: list.join(', '),
      // Fetch's "block bad port" makes the handshake's fetch a network error: the connection
      // fails (error, then close 1006) without one, as any failure to connect, not a throw.
      blocked: isBadPort(rec) ? `port ${rec.port} is blocked (a bad port)` : undefined,
    };
  }

  // The handshake's own request headers (RFC 6455 section 4.1), which options' headers may not
  // set; the rest go after them (a host or user-agent instead of eddy's, as with fetch).
  const handshakeHeaderNames = new Set(['upgrade', 'connection', 'sec-websocket-key',
    'sec-websocket-version', 'sec-websocket-extensions', 'sec-websocket-protocol',
    'content-length', 'transfer-encoding']);

  // `headers` of the options Node, Bun and Deno take in the protocols' place (not the
  // standard's: a page cannot set them): a HeadersInit, as request lines for native.wsConnect.
  function handshakeHeaders(init, what) {
    internal.require('headers.js');
    const list = internal.headersInitToList(init, what);
    let lines = '';
    for (let i = 0; i < list.length; i += 2) {
      if (handshakeHeaderNames.has(list[i])) {
        throw new TypeError(`${what}: the '${list[i]}' header is the handshake's own`);
      }
      lines += `${list[i]}: ${list[i + 1]}\r\n`;
    }
    return lines;
  }

  // A protocols value as the list of the Web IDL union (DOMString or sequence<DOMString>).
  function protocolList(protocols) {
    if (protocols === undefined) return [];
    if (isIterableObject(protocols)) {
      const list = [];
      for (const p of protocols) list.push(toDOMString(p));
      return list;
    }
    return [toDOMString(protocols)];
  }

  // Web IDL's union: an object (a function too) with an @@iterator is the sequence.
  const isIterableObject = (v) => v !== null && (typeof v === 'object' || typeof v === 'function') &&
    typeof v[Symbol.iterator] === 'function';

  // close()'s checks of a code (already an unsigned short, or undefined) and reason: the code
  // native.wsClose takes (-1: a close frame without a body) and the reason as a string.
  function closeArguments(code, reason, what) {
    if (code !== undefined && code !== 1000 && !(code >= 3000 && code <= 4999)) {
      throw new DOMException(`${what}: invalid code ${code}`, 'InvalidAccessError');
    }
    let reasonText = '';
    if (reason !== undefined) {
      reasonText = toUSVString(reason);
      if (encoder(reasonText).length > 123) {
        throw syntaxError(`${what}: the reason is longer than 123 bytes`);
      }
    }
    return [code !== undefined ? code : reasonText !== '' ? 1000 : -1, reasonText];
  }

  class WebSocket extends EventTarget {
    #url;
    #origin;
    #id = 0;
    #state = CONNECTING;
    #protocol = '';
    #extensions = '';
    #binaryType = 'blob';
    #final = 0; // bufferedAmount once the connection is gone
    #extra = 0; // bytes send() was given after the closing began
    // Text send()s made while this socket's open or message event is dispatched, when C said
    // it takes them back (#onEvent's `defer`): undefined, a string, or an array of them. C
    // writes them as the handlers return, before their microtasks run: one native call fewer
    // per message (a string is immutable: sending it later sends what send() was given).
    #pending = undefined;
    #deferring = false;

    constructor(url, protocols = undefined) {
      requireArgs(arguments.length, 1, 'WebSocket constructor');
      super();
      url = toUSVString(url);
      let list, headers;
      if (protocols !== null && typeof protocols === 'object' && !isIterableObject(protocols)) {
        // An object that is no sequence: Node's, Bun's and Deno's options, { protocols, headers }
        // (the standard would make it the subprotocol '[object Object]', a SyntaxError).
        const { protocols: p, headers: h } = protocols;
        list = protocolList(p);
        if (h !== undefined) headers = handshakeHeaders(h, 'WebSocket');
      } else {
        list = protocolList(protocols);
      }
      const t = prepareConnection(url, list, 'WebSocket');
      this.#url = t.href;
      this.#origin = t.origin;
      const onEvent = (kind, a, b, c, d, e) => this.#onEvent(kind, a, b, c, d, e);
      this.#id = native.wsConnect(t.curlURL, t.host, t.target, t.protocols, onEvent, t.blocked,
        headers);
    }

    #onEvent(kind, a, b, c, d, e) {
      if (this.#deferring) {
        // The last dispatch threw past its listeners (out of memory, no more than that: they
        // report their own exceptions): what it deferred goes first. No try/finally here, which
        // cost more than the native call deferring saves.
        this.#deferring = false;
        this.#sendPending();
      }
      if (c !== true || kind === EV_CLOSE) return this.#handle(kind, a, b, c, d, e);
      this.#deferring = true;
      if (kind === EV_TEXT || kind === EV_BINARY) this.#message(kind, a, b);
      else this.#handle(kind, a, b);
      this.#deferring = false;
      const p = this.#pending;
      this.#pending = undefined;
      return p;
    }

    // What was deferred, sent now: something needs it sent first (a send() of another kind or
    // from a microtask, close(), bufferedAmount), or the dispatch threw.
    #sendPending() {
      const p = this.#pending;
      if (p === undefined) return;
      this.#pending = undefined;
      if (this.#id === 0) return;
      if (typeof p === 'string') native.wsSend(this.#id, p);
      else for (const m of p) native.wsSend(this.#id, m);
    }

    #handle(kind, a, b, c, d, e) {
      if (kind === EV_OPEN) {
        if (this.#state !== CONNECTING) return;
        this.#state = OPEN;
        this.#protocol = a;
        this.#extensions = b;
        fireEvent(this, new Event('open'));
      } else if (kind === EV_TEXT || kind === EV_BINARY) {
        this.#message(kind, a, b);
      } else if (kind === EV_CLOSING) {
        if (this.#state === OPEN) this.#state = CLOSING;
      } else if (kind === EV_CLOSE) {
        this.#state = CLOSED;
        this.#final = e;
        this.#id = 0;
        // Why it failed went to the host's log (C); the event itself is a plain one.
        if (d !== undefined) fireEvent(this, new Event('error'));
        fireEvent(this, new CloseEvent('close', { wasClean: b === undefined ? false : c, code: a, reason: b }));
      }
    }

    // A received message: its own method, so that the JIT compiles the hot path without the
    // other events' steps.
    #message(kind, data, timeStamp) {
      if (this.#state !== OPEN) return;
      if (kind === EV_BINARY && this.#binaryType === 'blob') data = blobFromBytes(new Uint8Array(data), '');
      fireEvent(this, makeMessageEvent(data, this.#origin, timeStamp));
    }

    get url() { return this.#url; }
    get readyState() { return this.#state; }
    get bufferedAmount() {
      this.#sendPending();
      return (this.#id !== 0 ? native.wsBufferedAmount(this.#id) : this.#final) + this.#extra;
    }
    get extensions() { return this.#extensions; }
    get protocol() { return this.#protocol; }
    get binaryType() { return this.#binaryType; }
    set binaryType(v) {
      const s = toDOMString(v);
      if (s === 'blob' || s === 'arraybuffer') this.#binaryType = s; // others are ignored
    }

    send(data) {
      requireArgs(arguments.length, 1, 'WebSocket.send');
      let payload;
      if (typeof data === 'string') {
        payload = toUSVString(data);
      } else if (isBlob(data)) {
        payload = blobConcat(blobChunks(data), blobSize(data));
      } else if (isArrayBuffer(data)) {
        payload = new Uint8Array(data);
      } else if (ArrayBuffer.isView(data)) {
        payload = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      } else {
        payload = toUSVString(data);
      }
      if (this.#state === CONNECTING) {
        throw new DOMException('WebSocket.send: the connection is not open yet', 'InvalidStateError');
      }
      if (this.#state !== OPEN || this.#id === 0) {
        this.#extra += typeof payload === 'string' ? encoder(payload).length : payload.byteLength;
        return;
      }
      if (this.#deferring && typeof payload === 'string') {
        const p = this.#pending;
        if (p === undefined) this.#pending = payload;
        else if (typeof p === 'string') this.#pending = [p, payload];
        else p.push(payload);
        return;
      }
      this.#sendPending();
      native.wsSend(this.#id, payload);
    }

    close(code = undefined, reason = undefined) {
      if (code !== undefined) code = toClampedUnsignedShort(code);
      const [c, reasonText] = closeArguments(code, reason, 'WebSocket.close');
      if (this.#state === CLOSING || this.#state === CLOSED) return;
      this.#sendPending();
      this.#state = CLOSING;
      if (this.#id === 0) return;
      native.wsClose(this.#id, c, reasonText);
    }
  }
  makeInterface(WebSocket);
  defineConstants(WebSocket, { CONNECTING, OPEN, CLOSING, CLOSED });
  for (const type of ['open', 'error', 'close', 'message']) defineEventHandler(WebSocket.prototype, type);

  internal.wsPrepareConnection = prepareConnection;
  internal.wsHandshakeHeaders = handshakeHeaders;
  internal.wsCloseArguments = closeArguments;
  internal.defineGlobal('WebSocket', WebSocket);
  internal.defineGlobal('CloseEvent', CloseEvent);
})
