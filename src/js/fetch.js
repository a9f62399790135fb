(function (native, internal) {
  'use strict';

  // Fetch: Request, Response, their Body mixin, and fetch() over native.httpRequest. Redirects
  // are followed here, one native transfer per hop. data: URLs are answered without the network.

  const {
    toDOMString, toUSVString, toByteString, toEnum, toDictionary, toUnsignedWrap, requireArgs,
    isArrayBuffer, bufferSourceCopy, parseURL, urlOrigin, headersFromList, headersInitToList,
    headersListGet, headersListHas, headersListDelete,
  } = internal;

  // Captured now so user code replacing globals cannot change fetch's behaviour.
  const AbortSignalAny = AbortSignal.any;
  const URLSearchParamsToString = URLSearchParams.prototype.toString;

  const kInternal = Symbol('internal');

  // A script's or server's string in an error message: its start only (see url.js).
  const quoted = (s) => (s.length > 100 ? `'${s.slice(0, 100)}…' (${s.length} characters)` : `'${s}'`);

  const tokenRe = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
  const reasonPhraseRe = /^[\t\x20-\x7E\x80-\xFF]*$/;

  const stripFragment = (href) => {
    const i = href.indexOf('#');
    return i < 0 ? href : href.slice(0, i);
  };

  // A TypeError about an invalid URL, with the whole input as `input` (as Node's has it).
  function inputError(message, input) {
    const err = new TypeError(message);
    Object.defineProperty(err, 'input', { value: input, writable: true, configurable: true });
    err.code = 'ERR_INVALID_URL';
    return err;
  }

  function networkError(code, message) {
    const cause = new Error(message);
    if (code !== undefined) cause.code = code;
    return new TypeError('fetch failed', { cause });
  }

  function baseURL() {
    const b = native.baseURL;
    return b === undefined || b === null ? undefined : String(b);
  }

  // --- bodies ---------------------------------------------------------------------------------

  const KIND_ARRAY_BUFFER = 0;
  const KIND_BYTES = 1;
  const KIND_TEXT = 2;
  const KIND_JSON = 3;

  // The bytes of a body, shared by a Request/Response and its clones while nobody streams them:
  // a whole buffer (state 1), or one still arriving from the network (state 0) that its
  // FetchTask (`task`) delivers whole, unless the one owner asks for the stream (then the bytes
  // go to that stream as they arrive: state 3). This is the fast path of text(), json() & co.
  class BodySource {
    constructor(bytes) {
      this.state = bytes === null ? 0 : 1; // 0 pending, 1 done, 2 errored, 3 streamed
      this.bytes = bytes; // ArrayBuffer | Uint8Array | null
      this.error = undefined;
      this.waiters = null; // [{ kind, resolve, reject }] while pending
      // Owners that may still read it. The last reader gets the buffer itself (no copy) and the
      // source lets go of it.
      this.readers = 1;
      this.task = null; // FetchTask filling a pending source
    }
  }

  // The body of one Request or Response: its source (null when it was made from a stream), its
  // ReadableStream once someone asked for `body` (or it was made from one), and whether a
  // consuming method took the source without a stream.
  class Body {
    constructor(src, stream = null) {
      this.src = src;
      this.stream = stream;
      this.used = false;
    }
  }

  // streams.js is installed on first use of a stream only: fetch bodies that nobody streams
  // never load it.
  let S = null;
  let teeMethod = null;
  function streamsOps() {
    if (S === null) {
      internal.require('streams.js');
      S = internal.streams;
      const none = () => internal.intrinsics.promiseResolve.call(internal.intrinsics.PromiseCtor, undefined);
      const probe = S.CreateReadableStream(() => undefined, none, none, 0);
      teeMethod = Object.getPrototypeOf(probe).tee;
    }
    return S;
  }

  // No stream exists before streams.js is installed.
  const isStream = (v) => internal.streams !== undefined && streamsOps().isReadableStream(v);
  const streamRecord = (stream) => S.readableRecord(stream);
  const isDisturbed = (stream) => streamRecord(stream).disturbed;
  const isLocked = (stream) => S.IsReadableStreamLocked(streamRecord(stream));

  // "Close" a byte stream the way the Streams standard's fetch hooks do: a pending BYOB read
  // then completes with its bytes so far.
  function closeByteStream(c) {
    S.ReadableByteStreamControllerClose(c);
    if (S.ReadableByteStreamControllerGetBYOBRequest(c) !== null) S.ReadableByteStreamControllerRespond(c, 0);
  }

  // The algorithms may return a value or a promise; the stream wants promises.
  const promiseResolve = internal.intrinsics.promiseResolve;
  const PromiseCtor = internal.intrinsics.PromiseCtor;
  const toPromise = (f) => (arg) => {
    try {
      return promiseResolve.call(PromiseCtor, f(arg));
    } catch (err) {
      return new PromiseCtor((_, reject) => reject(err));
    }
  };

  function newByteStream(pull, cancel) {
    const stream = streamsOps().CreateReadableByteStream(() => undefined, toPromise(pull), toPromise(cancel));
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
        if (--src.readers === 0 && src.state === 1) src.bytes = null;
      }
      return undefined;
    };
    let stream;
    [stream, c] = newByteStream(pull, cancel);
    return stream;
  }

  // The ReadableStream of a body, made on first use.
  function bodyStream(b) {
    if (b.stream !== null) return b.stream;
    const src = b.src;
    if (b.used) {
      // Read whole already: the stream a consuming method would have read to its end, locked.
      const [stream, c] = newByteStream(() => undefined, () => undefined);
      closeByteStream(c);
      const rec = streamRecord(stream);
      S.AcquireReadableStreamDefaultReader(rec);
      rec.disturbed = true;
      b.stream = stream;
      return stream;
    }
    if (src.state === 0 && src.task !== null && src.readers === 1 && src.waiters === null) {
      b.stream = src.task.openStream();
    } else {
      b.stream = bufferedStream(src);
    }
    return b.stream;
  }

  const bodyUsed = (b) => b !== null && (b.used || (b.stream !== null && isDisturbed(b.stream)));
  const bodyUnusable = (b) => b !== null && (bodyUsed(b) || (b.stream !== null && isLocked(b.stream)));

  // Fetch's "fully read" of a stream → a promise of one Uint8Array. Chunks that are already
  // queued arrive synchronously: the loop then goes on instead of recursing.
  function readAllBytes(stream) {
    const reader = S.AcquireReadableStreamDefaultReader(streamRecord(stream));
    const chunks = [];
    let total = 0;
    return new internal.intrinsics.PromiseCtor((resolve, reject) => {
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

  // Fetch's "consume body" of a Request or Response.
  function consume(b, kind) {
    if (b === null) return consumeBody(null, kind);
    if (bodyUnusable(b)) return unusable();
    if (b.stream === null) {
      b.used = true;
      return consumeBody(b.src, kind);
    }
    return promiseThen.call(readAllBytes(b.stream), (u8) => convertBody(u8, kind, true));
  }

  // Fetch's "clone" of a body: a body nobody streams shares its source; a streamed one tees.
  function cloneBody(b) {
    if (b === null) return null;
    if (b.stream === null) {
      b.src.readers++;
      return new Body(b.src);
    }
    const pair = teeMethod.call(b.stream);
    b.stream = pair[0];
    return new Body(null, pair[1]);
  }

  function convertBody(bytes, kind, take) {
    if (kind === KIND_TEXT) return internal.utf8DecodeBody(bytes);
    if (kind === KIND_JSON) return JSON.parse(internal.utf8DecodeBody(bytes));
    let ab;
    if (ArrayBuffer.isView(bytes)) {
      ab = take && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
        ? bytes.buffer : bytes.slice().buffer;
    } else {
      ab = take ? bytes : bytes.slice(0);
    }
    return kind === KIND_BYTES ? new Uint8Array(ab) : ab;
  }

  function consumeBody(src, kind) {
    if (src === null) {
      try {
        return Promise.resolve(convertBody(new Uint8Array(0), kind, true));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    src.readers--;
    if (src.state === 1) {
      const take = src.readers === 0;
      const bytes = src.bytes;
      if (take) src.bytes = null;
      try {
        return Promise.resolve(convertBody(bytes, kind, take));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    if (src.state === 2) return Promise.reject(src.error);
    return new Promise((resolve, reject) => {
      (src.waiters ??= []).push({ kind, resolve, reject });
    });
  }

  // blob() and formData(): the bytes, then internal[convert](bytes, headerList) from `file` (which
  // defines the result's class, installed on first use), reading the MIME type only then.
  const promiseThen = internal.intrinsics.promiseThen;
  function consumeBodyAs(promise, file, convert, headerList) {
    return promiseThen.call(promise, (bytes) => {
      internal.require(file);
      return internal[convert](bytes, headerList);
    });
  }

  function bodyArrived(src, bytes) {
    src.state = 1;
    src.bytes = bytes;
    const waiters = src.waiters;
    if (waiters === null) return;
    src.waiters = null;
    const last = waiters.length - 1;
    const canTake = src.readers === 0;
    for (let i = 0; i <= last; i++) {
      const w = waiters[i];
      try {
        w.resolve(convertBody(bytes, w.kind, canTake && i === last));
      } catch (err) {
        w.reject(err);
      }
    }
    if (canTake) src.bytes = null;
  }

  function bodyFailed(src, error) {
    if (src.state !== 0) return;
    src.state = 2;
    src.error = error;
    const waiters = src.waiters;
    if (waiters === null) return;
    src.waiters = null;
    for (const w of waiters) w.reject(error);
  }

  // Bytes to send for a request body.
  function bodyBytes(src) {
    if (src.state !== 1 || src.bytes === null) throw new TypeError('Request body is not available');
    const b = src.bytes;
    return ArrayBuffer.isView(b) ? b : new Uint8Array(b);
  }

  // Fetch's "extract a body" → [bytes, content type or null]. Other files (Blob, FormData,
  // ReadableStream), installed before or after this one, push extractors onto
  // internal.bodyExtractors: (value) → pair or undefined.
  const bodyExtractors = internal.bodyExtractors ??= [];

  // A ReadableStream comes back as [stream, null], for the caller to check.
  function extractBody(body) {
    if (typeof body === 'string') return [native.utf8Encode(body), 'text/plain;charset=UTF-8'];
    if (body !== null && typeof body === 'object') {
      if (ArrayBuffer.isView(body)) return [bufferSourceCopy(body), null];
      if (isStream(body)) {
        if (isDisturbed(body) || isLocked(body)) {
          throw new TypeError('The body stream is disturbed or locked');
        }
        return [body, null];
      }
      if (internal.isURLSearchParams(body)) {
        return [native.utf8Encode(URLSearchParamsToString.call(body)),
          'application/x-www-form-urlencoded;charset=UTF-8'];
      }
      for (let i = 0; i < bodyExtractors.length; i++) {
        const r = bodyExtractors[i](body);
        if (r !== undefined) return r;
      }
      if (isArrayBuffer(body)) return [bufferSourceCopy(body), null];
    }
    // The USVString member of BodyInit: anything else is stringified.
    return [native.utf8Encode(toUSVString(body)), 'text/plain;charset=UTF-8'];
  }

  const setHandledCancel = (p) => promiseThen.call(p, undefined, () => {});

  const unusable = () => Promise.reject(new TypeError('Body is unusable: it has already been read'));
  const illegal = () => Promise.reject(new TypeError('Illegal invocation'));

  // --- Request --------------------------------------------------------------------------------

  const referrerPolicies = new Set(['', 'no-referrer', 'no-referrer-when-downgrade', 'same-origin',
    'origin', 'strict-origin', 'origin-when-cross-origin', 'strict-origin-when-cross-origin',
    'unsafe-url']);
  const modes = new Set(['same-origin', 'no-cors', 'cors', 'navigate']);
  const credentialsModes = new Set(['omit', 'same-origin', 'include']);
  const cacheModes = new Set(['default', 'no-store', 'reload', 'no-cache', 'force-cache', 'only-if-cached']);
  const redirectModes = new Set(['follow', 'error', 'manual']);
  const duplexModes = new Set(['half']);
  const priorities = new Set(['high', 'low', 'auto']);

  function normalizeMethod(m) {
    if (m === 'GET' || m === 'POST') return m;
    m = toByteString(m, 'method');
    if (!tokenRe.test(m)) throw new TypeError(`${quoted(m)} is not a valid HTTP method`);
    const upper = m.toUpperCase();
    switch (upper) {
      case 'CONNECT':
      case 'TRACE':
      case 'TRACK':
        throw new TypeError(`${quoted(m)} HTTP method is unsupported`);
      case 'DELETE':
      case 'GET':
      case 'HEAD':
      case 'OPTIONS':
      case 'POST':
      case 'PUT':
        return upper;
      default:
        return m;
    }
  }

  // Everything a request is, apart from the JS objects (Headers, AbortSignal) made on demand.
  class RequestState {
    constructor(rec) {
      this.rec = rec; // parsed URL record (internal.parseURL)
      this.method = 'GET';
      this.headerList = []; // flat [name, value, …]; a Headers object adopts this very array
      this.body = null; // Body
      this.signal = null; // the AbortSignal this request follows
      this.redirect = 'follow';
      this.mode = 'cors';
      this.credentials = 'same-origin';
      this.cache = 'default';
      this.referrer = 'client'; // 'client' | 'no-referrer' | URL
      this.referrerPolicy = '';
      this.integrity = '';
      this.keepalive = false;
    }
  }

  let buildRequest;

  class Request {
    #s;
    #headers = null;
    #signal = null;

    constructor(input, init = undefined) {
      if (input === kInternal) return;
      requireArgs(arguments.length, 1, 'Request constructor');
      this.#s = buildRequest(input, init, 'Request constructor');
    }

    get method() { return this.#s.method; }
    get url() { return this.#s.rec.href; }

    get headers() {
      return this.#headers ??= headersFromList(this.#s.headerList, 'request');
    }

    // Constant attributes still read #s: that is the brand check (TypeError on other objects).
    get destination() { this.#s; return ''; }

    get referrer() {
      const r = this.#s.referrer;
      return r === 'no-referrer' ? '' : r === 'client' ? 'about:client' : r;
    }

    get referrerPolicy() { return this.#s.referrerPolicy; }
    get mode() { return this.#s.mode; }
    get credentials() { return this.#s.credentials; }
    get cache() { return this.#s.cache; }
    get redirect() { return this.#s.redirect; }
    get integrity() { return this.#s.integrity; }
    get keepalive() { return this.#s.keepalive; }
    get isReloadNavigation() { this.#s; return false; }
    get isHistoryNavigation() { this.#s; return false; }

    get signal() {
      if (this.#signal === null) {
        const parent = this.#s.signal;
        this.#signal = parent === null ? internal.newAbortSignal() : AbortSignalAny([parent]);
      }
      return this.#signal;
    }

    get duplex() { this.#s; return 'half'; }

    get body() {
      const b = this.#s.body;
      return b === null ? null : bodyStream(b);
    }

    get bodyUsed() { return bodyUsed(this.#s.body); }

    clone() {
      const s = this.#s;
      if (bodyUnusable(s.body)) throw new TypeError('Request.clone: body has already been read');
      const r = new Request(kInternal);
      const c = Object.assign(new RequestState(s.rec), s);
      c.headerList = s.headerList.slice();
      c.body = cloneBody(s.body);
      r.#s = c;
      return r;
    }

    #consume(kind) {
      return consume(this.#s.body, kind);
    }

    arrayBuffer() { return #s in this ? this.#consume(KIND_ARRAY_BUFFER) : illegal(); }
    bytes() { return #s in this ? this.#consume(KIND_BYTES) : illegal(); }
    text() { return #s in this ? this.#consume(KIND_TEXT) : illegal(); }
    json() { return #s in this ? this.#consume(KIND_JSON) : illegal(); }

    blob() {
      if (!(#s in this)) return illegal();
      return consumeBodyAs(this.#consume(KIND_BYTES), 'blob.js', 'bodyToBlob', this.#s.headerList);
    }

    formData() {
      if (!(#s in this)) return illegal();
      return consumeBodyAs(this.#consume(KIND_BYTES), 'formdata.js', 'bodyToFormData', this.#s.headerList);
    }

    static {
      // The Request constructor's steps, also used by fetch() so that fetch(url, init) does not
      // have to create a Request object. Returns a RequestState the caller owns.
      buildRequest = (input, init, where) => {
        let s;
        let inputReq = null;
        if (input !== null && typeof input === 'object' && #s in input) {
          inputReq = input;
          const r = input.#s;
          s = Object.assign(new RequestState(r.rec), r);
          s.headerList = r.headerList.slice();
          s.body = null;
        } else {
          const href = toUSVString(input);
          const rec = parseURL(href, baseURL());
          if (rec === null) throw inputError(`${where}: invalid URL ${quoted(href)}`, href);
          if (rec.username !== '' || rec.password !== '') {
            throw new TypeError(`${where}: the URL includes credentials`);
          }
          s = new RequestState(rec);
        }
        const inputBody = inputReq === null ? null : inputReq.#s.body;

        let body;
        let duplexGiven = false;
        if (init !== undefined && init !== null) {
          if (typeof init !== 'object' && typeof init !== 'function') {
            throw new TypeError(`${where}: init must be an object`);
          }
          // Web IDL reads (and converts) dictionary members in lexicographic order.
          body = init.body;
          const cache = init.cache;
          const cacheMode = cache === undefined ? undefined : toEnum(cache, cacheModes, 'cache');
          const credentials = init.credentials;
          const cred = credentials === undefined ? undefined
            : toEnum(credentials, credentialsModes, 'credentials');
          const duplex = init.duplex;
          if (duplex !== undefined) {
            toEnum(duplex, duplexModes, 'duplex');
            duplexGiven = true;
          }
          const headers = init.headers;
          const integrity = init.integrity;
          const keepalive = init.keepalive;
          const method = init.method;
          const mode = init.mode;
          const modeValue = mode === undefined ? undefined : toEnum(mode, modes, 'mode');
          const priority = init.priority;
          if (priority !== undefined) toEnum(priority, priorities, 'priority');
          const redirect = init.redirect;
          const redirectMode = redirect === undefined ? undefined
            : toEnum(redirect, redirectModes, 'redirect');
          const referrer = init.referrer;
          const referrerPolicy = init.referrerPolicy;
          const policy = referrerPolicy === undefined ? undefined
            : toEnum(referrerPolicy, referrerPolicies, 'referrerPolicy');
          const signal = init.signal;
          const window = init.window;

          if (window !== undefined && window !== null) {
            throw new TypeError(`${where}: 'window' must be null`);
          }
          if (body !== undefined || cache !== undefined || credentials !== undefined ||
              duplex !== undefined || headers !== undefined || integrity !== undefined ||
              keepalive !== undefined || method !== undefined || mode !== undefined ||
              priority !== undefined || redirect !== undefined || referrer !== undefined ||
              referrerPolicy !== undefined || signal !== undefined || window !== undefined) {
            if (s.mode === 'navigate') s.mode = 'same-origin';
            s.referrer = 'client';
            s.referrerPolicy = '';
          }
          if (referrer !== undefined) {
            const r = toUSVString(referrer);
            if (r === '') {
              s.referrer = 'no-referrer';
            } else {
              const rec = parseURL(r, baseURL());
              if (rec === null) throw inputError(`${where}: invalid referrer URL ${quoted(r)}`, r);
              s.referrer = rec.protocol === 'about:' && rec.pathname === 'client' ? 'client' : rec.href;
            }
          }
          if (policy !== undefined) s.referrerPolicy = policy;
          if (modeValue === 'navigate') throw new TypeError(`${where}: mode 'navigate' is not allowed`);
          if (modeValue !== undefined) s.mode = modeValue;
          if (cred !== undefined) s.credentials = cred;
          if (cacheMode !== undefined) s.cache = cacheMode;
          if (s.cache === 'only-if-cached' && s.mode !== 'same-origin') {
            throw new TypeError(`${where}: cache 'only-if-cached' requires mode 'same-origin'`);
          }
          if (redirectMode !== undefined) s.redirect = redirectMode;
          if (integrity !== undefined) s.integrity = toDOMString(integrity);
          if (keepalive !== undefined) s.keepalive = !!keepalive;
          if (method !== undefined) s.method = normalizeMethod(method);
          if (signal !== undefined) {
            if (signal !== null && !internal.isAbortSignal(signal)) {
              throw new TypeError(`${where}: 'signal' must be an AbortSignal`);
            }
            s.signal = signal;
          }
          if (headers !== undefined) s.headerList = headersInitToList(headers, where);
        }

        if (s.mode === 'no-cors' && s.method !== 'GET' && s.method !== 'HEAD' && s.method !== 'POST') {
          throw new TypeError(`${where}: method '${s.method}' is not allowed in 'no-cors' mode`);
        }
        const hasInitBody = body !== undefined && body !== null;
        if ((hasInitBody || inputBody !== null) && (s.method === 'GET' || s.method === 'HEAD')) {
          throw new TypeError(`${where}: a request with method GET or HEAD cannot have a body`);
        }
        if (hasInitBody) {
          const [bytes, type] = extractBody(body);
          if (isStream(bytes)) {
            if (s.keepalive) throw new TypeError(`${where}: a keepalive request cannot have a stream body`);
            s.body = new Body(null, bytes);
          } else {
            s.body = new Body(new BodySource(bytes));
          }
          if (type !== null && !headersListHas(s.headerList, 'content-type')) {
            s.headerList.push('content-type', type);
          }
        }
        // A body made from a stream (its source is null) needs duplex: 'half'.
        const streamBody = hasInitBody ? s.body : inputBody;
        if (streamBody !== null && streamBody.src === null) {
          if (hasInitBody && !duplexGiven) {
            throw new TypeError(`${where}: a request with a ReadableStream body needs duplex: 'half'`);
          }
          if (s.mode !== 'same-origin' && s.mode !== 'cors') {
            throw new TypeError(`${where}: a ReadableStream body needs mode 'same-origin' or 'cors'`);
          }
        }
        if (!hasInitBody && inputBody !== null) {
          if (bodyUnusable(inputBody)) throw new TypeError(`${where}: the request's body has already been read`);
          // The new request takes the body over; the input request becomes unusable.
          s.body = new Body(inputBody.src, inputBody.stream);
          inputBody.used = true;
        }
        return s;
      };
    }
  }
  internal.makeInterface(Request);

  // --- Response -------------------------------------------------------------------------------

  const isNullBodyStatus = (s) => s === 101 || s === 103 || s === 204 || s === 205 || s === 304;
  const isRedirectStatus = (s) => s === 301 || s === 302 || s === 303 || s === 307 || s === 308;

  let makeResponse;
  let initResponse;

  class Response {
    #type = 'default';
    #status = 200;
    #statusText = '';
    #urlList = null; // every URL fetched, redirects included; null for constructed responses
    #headerList = null; // flat list; a Headers object is made from it on first access
    #guard = 'response';
    #headers = null;
    #body = null; // Body

    constructor(body = null, init = undefined) {
      if (body === kInternal) return;
      initResponse(this, init, body === null ? null : extractBody(body));
    }

    static error() {
      return makeResponse('error', 0, '', [], 'immutable', null, null);
    }

    static json(data, init = undefined) {
      requireArgs(arguments.length, 1, 'Response.json');
      const text = JSON.stringify(data);
      if (text === undefined) throw new TypeError('Response.json: data is not JSON-serializable');
      const r = new Response(kInternal);
      initResponse(r, init, [native.utf8Encode(text), 'application/json']);
      return r;
    }

    static redirect(url, status = 302) {
      requireArgs(arguments.length, 1, 'Response.redirect');
      const href = toUSVString(url);
      const rec = parseURL(href, baseURL());
      if (rec === null) throw inputError(`Response.redirect: invalid URL ${quoted(href)}`, href);
      status = toUnsignedWrap(status, 16);
      if (!isRedirectStatus(status)) throw new RangeError(`Response.redirect: invalid status ${status}`);
      return makeResponse('default', status, '', ['location', rec.href], 'immutable', null, null);
    }

    get type() { return this.#type; }

    get url() {
      const list = this.#urlList;
      return list === null || list.length === 0 ? '' : stripFragment(list[list.length - 1]);
    }

    get redirected() {
      const list = this.#urlList;
      return list !== null && list.length > 1;
    }

    get status() { return this.#status; }

    get ok() {
      const s = this.#status;
      return s >= 200 && s <= 299;
    }

    get statusText() { return this.#statusText; }

    get headers() {
      return this.#headers ??= headersFromList(this.#headerList, this.#guard);
    }

    get body() {
      const b = this.#body;
      return b === null ? null : bodyStream(b);
    }

    get bodyUsed() { return bodyUsed(this.#body); }

    clone() {
      if (bodyUnusable(this.#body)) throw new TypeError('Response.clone: body has already been read');
      return makeResponse(this.#type, this.#status, this.#statusText, this.#headerList.slice(),
        this.#guard, this.#urlList, cloneBody(this.#body));
    }

    #consume(kind) {
      return consume(this.#body, kind);
    }

    arrayBuffer() { return #body in this ? this.#consume(KIND_ARRAY_BUFFER) : illegal(); }
    bytes() { return #body in this ? this.#consume(KIND_BYTES) : illegal(); }
    text() { return #body in this ? this.#consume(KIND_TEXT) : illegal(); }
    json() { return #body in this ? this.#consume(KIND_JSON) : illegal(); }

    blob() {
      if (!(#body in this)) return illegal();
      return consumeBodyAs(this.#consume(KIND_BYTES), 'blob.js', 'bodyToBlob', this.#headerList);
    }

    formData() {
      if (!(#body in this)) return illegal();
      return consumeBodyAs(this.#consume(KIND_BYTES), 'formdata.js', 'bodyToFormData', this.#headerList);
    }

    static {
      makeResponse = (type, status, statusText, headerList, guard, urlList, body) => {
        const r = new Response(kInternal);
        r.#type = type;
        r.#status = status;
        r.#statusText = statusText;
        r.#headerList = headerList;
        r.#guard = guard;
        r.#urlList = urlList;
        r.#body = body;
        return r;
      };

      // Fetch's "initialize a response"; bodyWithType is [bytes, type] or null.
      initResponse = (r, init, bodyWithType) => {
        let status = 200;
        let statusText = '';
        let headers;
        const d = toDictionary(init, 'ResponseInit');
        if (d !== null) {
          headers = d.headers;
          const st = d.status;
          if (st !== undefined) status = toUnsignedWrap(st, 16);
          const text = d.statusText;
          if (text !== undefined) statusText = toByteString(text, 'statusText');
        }
        if (status < 200 || status > 599) {
          throw new RangeError(`Response: status ${status} is outside the range [200, 599]`);
        }
        if (!reasonPhraseRe.test(statusText)) throw new TypeError('Response: invalid statusText');
        r.#status = status;
        r.#statusText = statusText;
        r.#headerList = headers === undefined ? [] : headersInitToList(headers, 'Response');
        r.#guard = 'response';
        if (bodyWithType !== null) {
          if (isNullBodyStatus(status)) {
            throw new TypeError(`Response: a response with status ${status} cannot have a body`);
          }
          const bytes = bodyWithType[0];
          r.#body = isStream(bytes) ? new Body(null, bytes) : new Body(new BodySource(bytes));
          const type = bodyWithType[1];
          if (type !== null && !headersListHas(r.#headerList, 'content-type')) {
            r.#headerList.push('content-type', type);
          }
        }
      };
    }
  }
  internal.makeInterface(Response);

  // --- fetch() over HTTP ----------------------------------------------------------------------

  const requestBodyHeaders = ['content-type', 'content-length', 'content-encoding',
    'content-language', 'content-location'];

  // One fetch() call: a chain of native transfers (one per redirect hop). The transfer itself is
  // owned by C; dropping every JS reference to the response does not cancel it.
  //
  // The response body arrives whole with onEnd unless its owner asks for `body` first: then
  // openStream() makes a byte stream whose pulls ask C for the next chunk (native.httpPull), so
  // a reader that stops reading pauses the transfer (see src/web/http.c's STREAM_HWM). A request
  // body from a ReadableStream is uploaded as it is read: C calls onNeed when curl took the
  // previous chunk, and the next one is read only then (native.httpSend).
  class FetchTask {
    constructor(s, resolve, reject) {
      this.resolve = resolve;
      this.reject = reject;
      this.rec = s.rec;
      this.method = s.method;
      this.headers = s.headerList; // owned by this fetch (buildRequest made a fresh list)
      const b = s.body;
      this.body = null; // Uint8Array to send, or null
      this.upload = null; // ReadableStream to send as it is read
      this.uploadReader = null;
      if (b !== null) {
        const src = b.src;
        if (src !== null && src.state === 1 && src.bytes !== null &&
            (b.stream === null || !isDisturbed(b.stream))) {
          this.body = bodyBytes(src);
          b.used = true;
        } else {
          this.upload = bodyStream(b);
          this.uploadReader = S.AcquireReadableStreamDefaultReader(streamRecord(this.upload));
        }
      }
      this.redirectMode = s.redirect;
      this.signal = s.signal;
      this.urlList = [s.rec.href];
      this.redirects = 0;
      this.redirectStatus = 0;
      this.redirectTo = null; // Location of a redirect to follow once its body is drained
      this.id = 0;
      this.active = false; // a native transfer is running
      this.done = false; // settled: no more callbacks matter
      this.src = null; // BodySource of the final response, once resolved
      this.controller = null; // of the response body's byte stream, once streamed
      this.pulled = null; // resolves the stream's pending pull
      this.isHead = s.method === 'HEAD';

      const headers = this.headers;
      // Let libcurl negotiate and decode compression unless the script asked for an encoding.
      this.decompress = !headersListHas(headers, 'accept-encoding');

      this.onResponse = (status, statusText, list, url) => this.response(status, statusText, list, url);
      this.onEnd = (code, message, body) => this.end(code, message, body);
      this.onData = (ab) => this.data(ab);
      this.onNeed = () => this.need();
      this.onAbort = null;
      if (this.signal !== null) {
        this.onAbort = () => this.fail(this.signal.reason);
        internal.addAbortAlgorithm(this.signal, this.onAbort);
      }
      this.start();
    }

    start() {
      const spec = {
        method: this.method,
        url: stripFragment(this.rec.href),
        headers: this.headers,
        body: this.upload !== null ? this.onNeed : this.body,
        decompress: this.decompress,
      };
      this.active = true;
      try {
        this.id = native.httpRequest(spec, this.onResponse, this.onEnd);
      } catch (err) {
        this.active = false;
        this.fail(networkError(undefined, err instanceof Error ? err.message : String(err)));
      }
    }

    response(status, statusText, list, url) {
      if (this.done) return;
      if (isRedirectStatus(status) && this.redirectMode !== 'manual') {
        const location = headersListGet(list, 'location');
        if (location !== null) {
          if (this.redirectMode === 'error') {
            this.fail(networkError(undefined, 'unexpected redirect'));
            return;
          }
          // Follow once this hop ends, so its connection can be reused.
          this.redirectStatus = status;
          this.redirectTo = location;
          return;
        }
      }
      // redirect: 'manual' returns the 3xx response itself with type 'basic' (as Node and Deno
      // do) rather than the browsers' opaque-redirect filtered response. A HEAD request's and a
      // null body status's response has a null body (its transfer still ends as usual).
      let body = null;
      if (!this.isHead && !isNullBodyStatus(status)) {
        const src = new BodySource(null);
        src.task = this;
        this.src = src;
        body = new Body(src);
      }
      const resolve = this.resolve;
      this.resolve = null;
      this.reject = null;
      resolve(makeResponse('basic', status, statusText, list, 'immutable', this.urlList, body));
    }

    // The response body as a byte stream fed by the transfer (bodyStream, for the one owner of a
    // pending source).
    openStream() {
      this.src.state = 3;
      this.src.readers = 0;
      const [stream, c] = newByteStream(() => this.pull(), (reason) => this.cancelBody(reason));
      this.controller = c;
      return stream;
    }

    pull() {
      if (this.done) return undefined;
      native.httpPull(this.id, this.onData);
      return new internal.intrinsics.PromiseCtor((resolve) => { this.pulled = resolve; });
    }

    settlePull() {
      const r = this.pulled;
      this.pulled = null;
      if (r !== null) r();
    }

    data(ab) {
      if (this.done) return;
      S.ReadableByteStreamControllerEnqueue(this.controller, new Uint8Array(ab));
      this.settlePull();
    }

    // Cancelling the body stream ends the transfer (and frees its connection) at once.
    cancelBody(reason) {
      if (this.done) return undefined;
      if (this.active) {
        this.active = false;
        native.httpAbort(this.id);
      }
      this.finish();
      this.cancelUpload(reason);
      this.settlePull();
      return undefined;
    }

    // C wants the next chunk of a streamed request body.
    need() {
      if (this.done || this.uploadReader === null) return;
      const id = this.id;
      S.ReadableStreamDefaultReaderRead(this.uploadReader, {
        chunk: (chunk) => {
          if (this.done || id !== this.id) return;
          if (!(chunk instanceof Uint8Array)) {
            this.fail(new TypeError('A request body stream chunk is not a Uint8Array'));
            return;
          }
          native.httpSend(id, chunk);
        },
        close: () => {
          this.uploadReader = null; // sent whole
          if (!this.done && id === this.id) native.httpSend(id, null);
        },
        error: (err) => this.fail(err),
      });
    }

    cancelUpload(reason) {
      const reader = this.uploadReader;
      if (reader === null) return;
      this.uploadReader = null;
      if (reader.stream !== undefined) setHandledCancel(S.ReadableStreamCancel(reader.stream, reason));
    }

    end(code, message, body) {
      this.active = false;
      if (this.done) return;
      const location = this.redirectTo;
      if (location !== null) {
        this.redirectTo = null;
        this.follow(location);
        return;
      }
      const src = this.src;
      const reject = this.reject;
      const c = this.controller;
      this.finish();
      this.cancelUpload(undefined); // the server answered before it took the whole body
      if (src === null) {
        if (reject !== null) reject(networkError(code, message));
      } else if (c !== null) {
        if (code === 0) closeByteStream(c);
        else S.ReadableByteStreamControllerError(c, networkError(code, message));
        this.settlePull();
      } else if (code === 0) {
        bodyArrived(src, body);
      } else {
        bodyFailed(src, networkError(code, message));
      }
    }

    follow(location) {
      const rec = parseURL(location, this.rec.href);
      if (rec === null) {
        this.fail(networkError(undefined, `invalid redirect location ${quoted(location)}`));
        return;
      }
      if (rec.protocol !== 'http:' && rec.protocol !== 'https:') {
        this.fail(networkError(undefined, `redirect to unsupported URL scheme ${quoted(rec.protocol)}`));
        return;
      }
      if (this.redirects >= 20) {
        this.fail(networkError(undefined, 'redirect count exceeded'));
        return;
      }
      this.redirects++;
      const crossOrigin = urlOrigin(rec) !== urlOrigin(this.rec);
      if (crossOrigin && (rec.username !== '' || rec.password !== '')) {
        this.fail(networkError(undefined, 'cross-origin redirect to a URL with credentials'));
        return;
      }
      const status = this.redirectStatus;
      const method = this.method;
      if (((status === 301 || status === 302) && method === 'POST') ||
          (status === 303 && method !== 'GET' && method !== 'HEAD')) {
        this.method = 'GET';
        this.isHead = false;
        this.body = null;
        this.cancelUpload(undefined);
        this.upload = null;
        for (const name of requestBodyHeaders) headersListDelete(this.headers, name);
      } else if (this.upload !== null && status !== 303) {
        // A stream body cannot be sent again (Fetch's HTTP-redirect fetch, step 11).
        this.fail(networkError(undefined, `cannot follow a ${status} redirect with a ReadableStream body`));
        return;
      }
      if (crossOrigin) {
        // Fetch removes Authorization; Cookie and Proxy-Authorization are credentials too.
        headersListDelete(this.headers, 'authorization');
        headersListDelete(this.headers, 'cookie');
        headersListDelete(this.headers, 'proxy-authorization');
      }
      this.rec = rec;
      this.urlList.push(rec.href);
      this.start();
    }

    // Network error or abort: stop the transfer, reject fetch() or the pending body.
    fail(err) {
      if (this.done) return;
      if (this.active) {
        this.active = false;
        native.httpAbort(this.id);
      }
      const src = this.src;
      const reject = this.reject;
      const c = this.controller;
      this.finish();
      this.cancelUpload(err);
      if (src === null) {
        if (reject !== null) reject(err);
      } else if (c !== null) {
        S.ReadableByteStreamControllerError(c, err);
        this.settlePull();
      } else {
        bodyFailed(src, err);
      }
    }

    finish() {
      this.done = true;
      this.resolve = null;
      this.reject = null;
      if (this.onAbort !== null) {
        internal.removeAbortAlgorithm(this.signal, this.onAbort);
        this.onAbort = null;
      }
    }
  }

  // --- data: URLs -----------------------------------------------------------------------------

  const httpQuotedStringTokenRe = /^[\t\x20-\x7E\x80-\xFF]*$/;
  const isHttpWhitespace = (c) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

  function collectQuotedString(input, i) {
    let value = '';
    i++; // opening quote
    for (;;) {
      const start = i;
      while (i < input.length && input[i] !== '"' && input[i] !== '\\') i++;
      value += input.slice(start, i);
      if (i >= input.length) break;
      const q = input[i++];
      if (q === '"') break;
      if (i >= input.length) {
        value += '\\';
        break;
      }
      value += input[i++];
    }
    return [value, i];
  }

  // MIME Sniffing's "parse a MIME type" → { essence, params: Map } or null.
  function parseMimeType(input) {
    input = input.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
    const slash = input.indexOf('/');
    if (slash < 0) return null;
    const type = input.slice(0, slash);
    if (!tokenRe.test(type)) return null;
    let i = input.indexOf(';', slash + 1);
    if (i < 0) i = input.length;
    const subtype = input.slice(slash + 1, i).replace(/[\t\n\r ]+$/, '');
    if (!tokenRe.test(subtype)) return null;
    const params = new Map();
    while (i < input.length) {
      i++; // ';'
      while (i < input.length && isHttpWhitespace(input[i])) i++;
      let start = i;
      while (i < input.length && input[i] !== ';' && input[i] !== '=') i++;
      const name = input.slice(start, i).toLowerCase();
      if (i < input.length) {
        if (input[i] === ';') continue;
        i++; // '='
      }
      if (i >= input.length) break;
      let value;
      if (input[i] === '"') {
        [value, i] = collectQuotedString(input, i);
        while (i < input.length && input[i] !== ';') i++;
      } else {
        start = i;
        while (i < input.length && input[i] !== ';') i++;
        value = input.slice(start, i).replace(/[\t\n\r ]+$/, '');
        if (value === '') continue;
      }
      if (name !== '' && tokenRe.test(name) && httpQuotedStringTokenRe.test(value) && !params.has(name)) {
        params.set(name, value);
      }
    }
    return { essence: `${type.toLowerCase()}/${subtype.toLowerCase()}`, params };
  }

  function serializeMimeType(mt) {
    let s = mt.essence;
    for (const [name, value] of mt.params) {
      s += ';' + name + '=';
      s += value !== '' && tokenRe.test(value) ? value : '"' + value.replace(/["\\]/g, '\\$&') + '"';
    }
    return s;
  }

  const base64Values = new Int8Array(128).fill(-1);
  for (let i = 0; i < 64; i++) {
    base64Values['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;
  }

  // Infra's "forgiving-base64 decode" → Uint8Array or null.
  function forgivingBase64Decode(s) {
    s = s.replace(/[\t\n\f\r ]+/g, '');
    if (s.length % 4 === 0) {
      if (s.endsWith('==')) s = s.slice(0, -2);
      else if (s.endsWith('=')) s = s.slice(0, -1);
    }
    if (s.length % 4 === 1 || /[^A-Za-z0-9+\/]/.test(s)) return null;
    const out = new Uint8Array((s.length * 3) >> 2);
    let acc = 0;
    let bits = 0;
    let j = 0;
    for (let i = 0; i < s.length; i++) {
      acc = (acc << 6) | base64Values[s.charCodeAt(i)];
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[j++] = (acc >> bits) & 0xFF;
        acc &= (1 << bits) - 1;
      }
    }
    return out;
  }

  function isomorphicDecode(bytes) {
    let s = '';
    for (let i = 0; i < bytes.length; i += 8192) {
      s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
    }
    return s;
  }

  // Fetch's "data: URL processor" → { type, body } or null.
  function processDataURL(href) {
    const input = stripFragment(href).slice(5); // after "data:"
    const comma = input.indexOf(',');
    if (comma < 0) return null;
    let mime = input.slice(0, comma).replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '');
    let body = internal.percentDecode(input.slice(comma + 1));
    const m = /; *base64$/i.exec(mime);
    if (m !== null) {
      body = forgivingBase64Decode(isomorphicDecode(body));
      if (body === null) return null;
      mime = mime.slice(0, m.index);
    }
    if (mime.startsWith(';')) mime = 'text/plain' + mime;
    const mt = parseMimeType(mime);
    return { type: mt === null ? 'text/plain;charset=US-ASCII' : serializeMimeType(mt), body };
  }

  function fetchDataURL(s) {
    const href = s.rec.href;
    const r = processDataURL(href);
    if (r === null) return Promise.reject(networkError(undefined, 'invalid data: URL'));
    return Promise.resolve(makeResponse('basic', 200, 'OK', ['content-type', r.type], 'immutable',
      [href], new Body(new BodySource(r.body))));
  }

  // --- fetch() --------------------------------------------------------------------------------

  function fetch(input, init = undefined) {
    let s;
    try {
      requireArgs(arguments.length, 1, 'fetch');
      s = buildRequest(input, init, 'fetch');
    } catch (err) {
      return Promise.reject(err);
    }
    const signal = s.signal;
    if (signal !== null && signal.aborted) return Promise.reject(signal.reason);
    const protocol = s.rec.protocol;
    if (protocol === 'http:' || protocol === 'https:') {
      return new Promise((resolve, reject) => {
        new FetchTask(s, resolve, reject);
      });
    }
    if (protocol === 'data:') return fetchDataURL(s);
    return Promise.reject(networkError(undefined, `unsupported URL scheme ${quoted(protocol)}`));
  }

  internal.parseMimeType = parseMimeType;
  internal.serializeMimeType = serializeMimeType;
  internal.forgivingBase64Decode = forgivingBase64Decode;

  internal.defineGlobal('Request', Request);
  internal.defineGlobal('Response', Response);
  internal.defineGlobal('fetch', fetch);
})
