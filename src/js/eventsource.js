(function (native, internal) {
  'use strict';

  // EventSource (HTML's server-sent events) on fetch with a streaming response body: the event
  // stream is parsed as it arrives, each event dispatched as soon as the blank line that ends it
  // has been read. An EventSource that is not CLOSED is pending work (keeps `eddy file.js`
  // alive); so are its fetch and its reconnection timer.

  const { Event, EventTarget, DOMException } = internal;
  const { promiseThen } = internal.intrinsics;
  const { apply } = Reflect;
  const fetchFn = globalThis.fetch;
  const setTimeoutFn = internal.intrinsics.setTimeout || globalThis.setTimeout;
  const clearTimeoutFn = globalThis.clearTimeout;
  const Decoder = internal.TextDecoder || globalThis.TextDecoder;
  const decode = Decoder.prototype.decode;
  const streamOption = { __proto__: null, stream: true };

  const CONNECTING = 0;
  const OPEN = 1;
  const CLOSED = 2;
  // The reconnection time an event stream starts with (implementation-defined), in ms.
  const DEFAULT_RECONNECTION_MS = 3000;

  // MessageEvent comes from websocket.js where it is there; otherwise a local one, not a global.
  let MessageEventCtor = internal.MessageEvent;
  if (typeof MessageEventCtor !== 'function') {
    MessageEventCtor = class MessageEvent extends Event {
      #data;
      #origin;
      #lastEventId;

      constructor(type, init = undefined) {
        super(type, init);
        const d = internal.toDictionary(init, 'MessageEventInit');
        this.#data = d !== null && d.data !== undefined ? d.data : null;
        this.#origin = d !== null && d.origin !== undefined ? internal.toUSVString(d.origin) : '';
        this.#lastEventId = d !== null && d.lastEventId !== undefined ? internal.toDOMString(d.lastEventId) : '';
      }

      get data() { return this.#data; }
      get origin() { return this.#origin; }
      get lastEventId() { return this.#lastEventId; }
      get source() { return null; }
      get ports() { return []; }
    };
    internal.makeInterface(MessageEventCtor);
  }

  function then(promise, onFulfilled, onRejected) {
    return apply(promiseThen, promise, [onFulfilled, onRejected]);
  }

  // The event stream interpreter: bytes in, fields out, events dispatched through `source`.
  class Parser {
    constructor(source) {
      this.source = source;
      this.decoder = new Decoder('utf-8'); // UTF-8 decode: strips one leading BOM
      this.line = '';
      this.afterCR = false; // the last chunk ended with CR: a LF starting the next one is its pair
      // The stream's buffers, empty at the start of each connection's stream.
      this.data = '';
      this.eventType = '';
      this.lastEventId = '';
    }

    push(bytes) {
      this.text(apply(decode, this.decoder, [bytes, streamOption]));
    }

    text(s) {
      let i = 0;
      const n = s.length;
      if (this.afterCR && n > 0) {
        this.afterCR = false;
        if (s.charCodeAt(0) === 10) i = 1;
      }
      while (i < n) {
        let j = i;
        while (j < n) {
          const c = s.charCodeAt(j);
          if (c === 10 || c === 13) break;
          j++;
        }
        if (j === n) {
          this.line += s.slice(i);
          return;
        }
        const line = this.line === '' ? s.slice(i, j) : this.line + s.slice(i, j);
        this.line = '';
        if (s.charCodeAt(j) === 13) {
          if (j + 1 === n) this.afterCR = true;
          else if (s.charCodeAt(j + 1) === 10) j++;
        }
        i = j + 1;
        this.processLine(line);
        if (this.source.closedByScript()) return;
      }
    }

    processLine(line) {
      if (line === '') {
        this.dispatch();
        return;
      }
      if (line.charCodeAt(0) === 58) return; // ':' starts a comment
      const colon = line.indexOf(':');
      let field = line;
      let value = '';
      if (colon >= 0) {
        field = line.slice(0, colon);
        value = line.slice(line.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1);
      }
      switch (field) {
        case 'event':
          this.eventType = value;
          break;
        case 'data':
          this.data += value + '\n';
          break;
        case 'id':
          if (value.indexOf('\u0000') < 0) this.lastEventId = value;
          break;
        case 'retry':
          // Beyond what a timer takes, the same as never.
          if (/^[0-9]+$/.test(value)) this.source.reconnectionTime = Math.min(Number(value), 0x7FFFFFFF);
          break;
        default:
          break;
      }
    }

    dispatch() {
      const source = this.source;
      source.lastEventId = this.lastEventId;
      if (this.data === '') {
        this.eventType = '';
        return;
      }
      const data = this.data.charCodeAt(this.data.length - 1) === 10 ? this.data.slice(0, -1) : this.data;
      const type = this.eventType === '' ? 'message' : this.eventType;
      this.data = '';
      this.eventType = '';
      source.fire(new MessageEventCtor(type, {
        __proto__: null, data, origin: source.origin, lastEventId: source.lastEventId,
      }));
    }
  }

  class EventSource extends EventTarget {
    #s;

    constructor(url, eventSourceInitDict = undefined) {
      internal.requireArgs(arguments.length, 1, 'EventSource constructor');
      super();
      const href = internal.toUSVString(url);
      const init = internal.toDictionary(eventSourceInitDict, 'EventSourceInit');
      const withCredentials = init !== null && !!init.withCredentials;
      const base = native.baseURL;
      const rec = internal.parseURL(href, base === undefined || base === null ? undefined : String(base));
      if (rec === null) throw new DOMException(`EventSource: '${href}' is not a valid URL`, 'SyntaxError');
      const target = this;
      const s = {
        __proto__: null,
        url: rec.href,
        withCredentials,
        readyState: CONNECTING,
        origin: internal.urlOrigin(rec),
        lastEventId: '', // the last event ID string: sent as Last-Event-ID on reconnection
        reconnectionTime: DEFAULT_RECONNECTION_MS,
        controller: null, // the AbortController of the fetch in flight
        timer: undefined,
        held: true,
        closedByScript: () => s.readyState === CLOSED,
        fire: (event) => {
          if (s.readyState !== CLOSED) internal.fireEvent(target, event);
        },
      };
      this.#s = s;
      native.holdPending(1);
      connect(s, target);
    }

    get url() { return this.#s.url; }
    get withCredentials() { return this.#s.withCredentials; }
    get readyState() { return this.#s.readyState; }

    close() {
      close(this.#s);
    }
  }

  function release(s) {
    if (s.held) {
      s.held = false;
      native.holdPending(-1);
    }
  }

  function close(s) {
    if (s.readyState === CLOSED) return;
    s.readyState = CLOSED;
    if (s.timer !== undefined) {
      clearTimeoutFn(s.timer);
      s.timer = undefined;
    }
    const c = s.controller;
    s.controller = null;
    if (c !== null) c.abort();
    release(s);
  }

  // Fails the connection: CLOSED, then `error`.
  function fail(s, target) {
    if (s.readyState === CLOSED) return;
    s.readyState = CLOSED;
    s.controller = null;
    internal.fireEvent(target, new Event('error'));
    release(s);
  }

  // Reestablishes the connection: CONNECTING, `error`, then a new fetch after the reconnection
  // time.
  function reestablish(s, target) {
    if (s.readyState === CLOSED) return;
    s.controller = null;
    s.readyState = CONNECTING;
    internal.fireEvent(target, new Event('error'));
    if (s.readyState !== CONNECTING) return;
    s.timer = setTimeoutFn(() => {
      s.timer = undefined;
      if (s.readyState === CONNECTING) connect(s, target);
    }, s.reconnectionTime);
  }

  function connect(s, target) {
    const controller = new AbortController();
    s.controller = controller;
    const headers = [['Accept', 'text/event-stream']];
    if (s.lastEventId !== '') headers.push(['Last-Event-ID', s.lastEventId]);
    let response;
    try {
      response = apply(fetchFn, globalThis, [s.url, {
        __proto__: null,
        headers,
        cache: 'no-store',
        credentials: s.withCredentials ? 'include' : 'same-origin',
        signal: controller.signal,
      }]);
    } catch {
      queueMicrotask(() => { if (s.controller === controller) reestablish(s, target); });
      return;
    }
    then(response, (res) => {
      if (s.controller !== controller) return;
      const type = res.headers.get('content-type');
      const mime = type === null ? null : internal.parseMimeType(type);
      if (res.status !== 200 || mime === null || mime.essence !== 'text/event-stream' || res.body === null) {
        controller.abort();
        fail(s, target);
        return;
      }
      s.origin = internal.urlOrigin(internal.parseURL(res.url || s.url, undefined) || { protocol: '' });
      s.readyState = OPEN;
      internal.fireEvent(target, new Event('open'));
      if (s.controller !== controller) return;
      read(s, target, controller, res.body.getReader());
    }, () => {
      if (s.controller === controller) reestablish(s, target);
    });
  }

  function read(s, target, controller, reader) {
    const parser = new Parser(s);
    const step = () => then(reader.read(), ({ value, done }) => {
      if (s.controller !== controller) return;
      if (done) {
        reestablish(s, target);
        return;
      }
      parser.push(value);
      if (s.controller === controller) step();
    }, () => {
      if (s.controller === controller) reestablish(s, target);
    });
    step();
  }

  internal.makeInterface(EventSource);
  internal.defineConstants(EventSource, { CONNECTING, OPEN, CLOSED });
  for (const type of ['open', 'message', 'error']) internal.defineEventHandler(EventSource.prototype, type);
  internal.defineGlobal('EventSource', EventSource);
})
