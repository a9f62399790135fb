(function (native, internal) {
  'use strict';

  // Fetch: Request, Response, their Body mixin, and fetch(). data: and blob: URLs are answered
  // here without the network; fetch over HTTP (native.httpRequest, redirects followed one native
  // transfer per hop) is fetch_http.js's FetchTask, installed by the first such fetch.

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

  // Fetch's "block bad port" (the list is url.js's, shared with WebSocket): a request to one is
  // blocked before any connection, the first one and each redirect.
  function blockedPortError(rec) {
    return internal.isBadPort(rec)
      ? networkError(undefined, `port ${rec.port} is blocked (a bad port)`) : null;
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

  // The stream side of bodies is fetch_body.js, installed (with streams.js) on first use of a
  // stream: fetch bodies that nobody streams never load either.
  const FB = () => internal.fetchBody;
  // No stream exists before streams.js is installed.
  const isStream = (v) => internal.streams !== undefined && internal.streams.isReadableStream(v);
  const bodyStream = (b) => (b.stream !== null ? b.stream : FB().bodyStream(b));

  const bodyUsed = (b) => b !== null && (b.used || (b.stream !== null && FB().isDisturbed(b.stream)));
  const bodyUnusable = (b) => b !== null && (bodyUsed(b) || (b.stream !== null && FB().isLocked(b.stream)));

  // Fetch's "consume body" of a Request or Response.
  function consume(b, kind) {
    if (b === null) return consumeBody(null, kind);
    if (bodyUnusable(b)) return unusable();
    if (b.stream === null) {
      b.used = true;
      return consumeBody(b.src, kind);
    }
    return FB().consumeStream(b, kind);
  }

  // Fetch's "clone" of a body: a body nobody streams shares its source; a streamed one tees.
  function cloneBody(b) {
    if (b === null) return null;
    if (b.stream === null) {
      b.src.readers++;
      return new Body(b.src);
    }
    return FB().cloneStream(b);
  }

  // kind is a KIND_* number, or a function of the body's Uint8Array (blob(), formData()).
  function convertBody(bytes, kind, take) {
    if (typeof kind === 'function') return kind(convertBody(bytes, KIND_BYTES, take));
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
      if (take) {
        src.bytes = null;
        if (src.task !== null) src.task.released();
      }
      try {
        return Promise.resolve(convertBody(bytes, kind, take));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    if (src.state === 2) return Promise.reject(src.error);
    // Read whole: C stops holding it at the stream's high-water mark.
    const task = src.task;
    if (src.waiters === null && task !== null && task.active) native.httpWhole(task.id);
    return new Promise((resolve, reject) => {
      (src.waiters ??= []).push({ kind, resolve, reject });
    });
  }

  // blob() and formData(): the bytes, then internal[convert](bytes, headerList) from `file` (which
  // defines the result's class, installed on first use), reading the MIME type only then. The
  // conversion is consume()'s kind, not a then() on its promise, so a body that is already
  // errored rejects at once, as text() does (Fetch's "consume body" rejects in its error steps).
  function convertAs(file, convert, headerList) {
    return (bytes) => {
      internal.require(file);
      return internal[convert](bytes, headerList);
    };
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
        if (FB().isDisturbed(body) || FB().isLocked(body)) {
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
      this.blobEntry = null; // a blob: URL's Blob, resolved when the URL was parsed (File API)
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
      return this.#consume(convertAs('blob.js', 'bodyToBlob', this.#s.headerList));
    }

    formData() {
      if (!(#s in this)) return illegal();
      return this.#consume(convertAs('formdata.js', 'bodyToFormData', this.#s.headerList));
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
          // The URL parser resolves a blob: URL at once: revoking it later does not fail this.
          if (rec.schemeEnd === 4 && rec.href.startsWith('blob')) s.blobEntry = internal.resolveBlobURL(rec);
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
              const base = baseURL();
              const rec = parseURL(r, base);
              if (rec === null) throw inputError(`${where}: invalid referrer URL ${quoted(r)}`, r);
              // Another origin than the environment's (--base-url's) is replaced by the client,
              // which has no URL here; without a base URL there is no origin to compare.
              const env = base === undefined ? null : parseURL(base, undefined);
              s.referrer = (rec.protocol === 'about:' && rec.pathname === 'client') ||
                (env !== null && urlOrigin(rec) !== urlOrigin(env)) ? 'client' : rec.href;
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
  let responseParts;
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
      return this.#consume(convertAs('blob.js', 'bodyToBlob', this.#headerList));
    }

    formData() {
      if (!(#body in this)) return illegal();
      return this.#consume(convertAs('formdata.js', 'bodyToFormData', this.#headerList));
    }

    static {
      // For WebAssembly.compileStreaming (fetch_wasm.js): null unless v is a Response.
      responseParts = (v) => (v !== null && typeof v === 'object' && #body in v
        ? { status: v.#status, contentType: headersListGet(v.#headerList, 'content-type'),
          arrayBuffer: () => v.#consume(KIND_ARRAY_BUFFER) }
        : null);

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

  // --- data: URLs -----------------------------------------------------------------------------

  function fetchDataURL(s) {
    const href = s.rec.href;
    const r = internal.processDataURL(stripFragment(href));
    if (r === null) return Promise.reject(networkError(undefined, 'invalid data: URL'));
    return Promise.resolve(makeResponse('basic', 200, 'OK', ['content-type', r.type], 'immutable',
      [href], new Body(new BodySource(r.body))));
  }

  // --- blob: URLs -----------------------------------------------------------------------------

  // Fetch's "parse a single range header value" (whitespace allowed) -> [start, end] (each a
  // number or null), or null for failure.
  const singleRangeRe = /^bytes[\t ]*=[\t ]*([0-9]*)[\t ]*-[\t ]*([0-9]*)$/;
  function parseSingleRange(value) {
    const m = singleRangeRe.exec(value);
    if (m === null || (m[1] === '' && m[2] === '')) return null;
    const start = m[1] === '' ? null : Number(m[1]);
    const end = m[2] === '' ? null : Number(m[2]);
    return start !== null && end !== null && start > end ? null : [start, end];
  }

  // Fetch's scheme fetch of a blob: URL: the Blob's bytes, or the part a single `Range` asks for.
  function fetchBlobURL(s) {
    const blob = s.blobEntry;
    if (s.method !== 'GET') return Promise.reject(networkError(undefined, 'blob: URLs are fetched with GET only'));
    if (blob === null) return Promise.reject(networkError(undefined, 'no Blob has this blob: URL (revoked or never made)'));
    const href = s.rec.href;
    const fullLength = internal.blobSize(blob);
    const type = internal.blobType(blob);
    const chunks = internal.blobChunks(blob);
    const range = headersListGet(s.headerList, 'range');
    if (range === null) {
      return Promise.resolve(makeResponse('basic', 200, 'OK',
        ['content-length', String(fullLength), 'content-type', type], 'immutable', [href],
        new Body(new BodySource(internal.blobConcat(chunks, fullLength)))));
    }
    const r = parseSingleRange(range);
    if (r === null) return Promise.reject(networkError(undefined, `unsupported Range ${quoted(range)}`));
    let [start, end] = r;
    if (start === null) {
      // A suffix: the last `end` bytes. Longer than the blob is all of it (RFC 9110 14.1.3);
      // an empty suffix is unsatisfiable, as below.
      start = fullLength - end > 0 ? fullLength - end : 0;
      end = end === 0 ? -1 : fullLength - 1;
    } else {
      if (start >= fullLength) return Promise.reject(networkError(undefined, `Range ${quoted(range)} is past the end of the Blob`));
      if (end === null || end >= fullLength) end = fullLength - 1;
    }
    if (start > end) return Promise.reject(networkError(undefined, `Range ${quoted(range)} is not satisfiable`));
    const n = end + 1 - start;
    const bytes = internal.blobConcat(internal.blobSliceChunks(chunks, start, end + 1), n);
    return Promise.resolve(makeResponse('basic', 206, 'Partial Content',
      ['content-length', String(n), 'content-type', type, 'content-range', `bytes ${start}-${end}/${fullLength}`],
      'immutable', [href], new Body(new BodySource(bytes))));
  }

  // --- fetch() --------------------------------------------------------------------------------

  // fetch_http.js, installed by the first fetch over HTTP (it takes no lazy_files.json entry).
  let FetchTask = null;

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
      const blocked = blockedPortError(s.rec);
      if (blocked !== null) return Promise.reject(blocked);
      if (FetchTask === null) {
        native.installFile('fetch_http.js');
        FetchTask = internal.FetchTask;
      }
      return new Promise((resolve, reject) => {
        new FetchTask(s, resolve, reject);
      });
    }
    if (protocol === 'data:') return fetchDataURL(s);
    if (protocol === 'blob:') return fetchBlobURL(s);
    return Promise.reject(networkError(undefined, `unsupported URL scheme ${quoted(protocol)}`));
  }

  // For fetch_body.js (the stream side of bodies) and fetch_http.js (FetchTask).
  internal.fetchCore = {
    Body, BodySource, FB, consumeBody, convertBody, KIND_BYTES, bodyArrived, bodyFailed,
    bodyBytes, makeResponse, isNullBodyStatus, isRedirectStatus, networkError, blockedPortError,
    stripFragment, quoted,
  };
  internal.responseParts = responseParts;

  internal.defineGlobal('Request', Request);
  internal.defineGlobal('Response', Response);
  internal.defineGlobal('fetch', fetch);
})
