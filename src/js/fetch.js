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

  // The bytes of a body, shared by a Request/Response and its clones. Today every body is a
  // whole buffer (state 1), or one still arriving from the network (state 0). A ReadableStream
  // can later be layered on top: `body` would create it lazily from this source.
  class BodySource {
    constructor(bytes) {
      this.state = bytes === null ? 0 : 1; // 0 pending, 1 done, 2 errored
      this.bytes = bytes; // ArrayBuffer | Uint8Array | null
      this.error = undefined;
      this.waiters = null; // [{ kind, resolve, reject }] while pending
      // Owners that may still read it. The last reader gets the buffer itself (no copy) and the
      // source lets go of it.
      this.readers = 1;
    }
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

  function extractBody(body) {
    if (typeof body === 'string') return [native.utf8Encode(body), 'text/plain;charset=UTF-8'];
    if (body !== null && typeof body === 'object') {
      if (ArrayBuffer.isView(body)) return [bufferSourceCopy(body), null];
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
      this.src = null; // BodySource
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
    #used = false;

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

    // No ReadableStream yet: see BodySource.
    get body() { this.#s; return null; }
    get bodyUsed() { return this.#used; }

    clone() {
      const s = this.#s;
      if (this.#used) throw new TypeError('Request.clone: body has already been read');
      const r = new Request(kInternal);
      const c = Object.assign(new RequestState(s.rec), s);
      c.headerList = s.headerList.slice();
      if (c.src !== null) c.src.readers++;
      r.#s = c;
      return r;
    }

    #consume(kind) {
      if (this.#used) return unusable();
      const src = this.#s.src;
      if (src !== null) this.#used = true;
      return consumeBody(src, kind);
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
          s.src = null;
        } else {
          const href = toUSVString(input);
          const rec = parseURL(href, baseURL());
          if (rec === null) throw inputError(`${where}: invalid URL ${quoted(href)}`, href);
          if (rec.username !== '' || rec.password !== '') {
            throw new TypeError(`${where}: the URL includes credentials`);
          }
          s = new RequestState(rec);
        }
        const inputBody = inputReq === null ? null : inputReq.#s.src;

        let body;
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
          if (duplex !== undefined) toEnum(duplex, duplexModes, 'duplex');
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
          s.src = new BodySource(bytes);
          if (type !== null && !headersListHas(s.headerList, 'content-type')) {
            s.headerList.push('content-type', type);
          }
        } else if (inputBody !== null) {
          if (inputReq.#used) throw new TypeError(`${where}: the request's body has already been read`);
          // The new request takes the body over; the input request becomes unusable.
          s.src = inputBody;
          inputReq.#used = true;
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
    #src = null;
    #used = false;

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

    // No ReadableStream yet: see BodySource.
    get body() { this.#type; return null; }
    get bodyUsed() { return this.#used; }

    clone() {
      if (this.#used) throw new TypeError('Response.clone: body has already been read');
      const src = this.#src;
      if (src !== null) src.readers++;
      return makeResponse(this.#type, this.#status, this.#statusText, this.#headerList.slice(),
        this.#guard, this.#urlList, src);
    }

    #consume(kind) {
      if (this.#used) return unusable();
      const src = this.#src;
      if (src !== null) this.#used = true;
      return consumeBody(src, kind);
    }

    arrayBuffer() { return #src in this ? this.#consume(KIND_ARRAY_BUFFER) : illegal(); }
    bytes() { return #src in this ? this.#consume(KIND_BYTES) : illegal(); }
    text() { return #src in this ? this.#consume(KIND_TEXT) : illegal(); }
    json() { return #src in this ? this.#consume(KIND_JSON) : illegal(); }

    blob() {
      if (!(#src in this)) return illegal();
      return consumeBodyAs(this.#consume(KIND_BYTES), 'blob.js', 'bodyToBlob', this.#headerList);
    }

    formData() {
      if (!(#src in this)) return illegal();
      return consumeBodyAs(this.#consume(KIND_BYTES), 'formdata.js', 'bodyToFormData', this.#headerList);
    }

    static {
      makeResponse = (type, status, statusText, headerList, guard, urlList, src) => {
        const r = new Response(kInternal);
        r.#type = type;
        r.#status = status;
        r.#statusText = statusText;
        r.#headerList = headerList;
        r.#guard = guard;
        r.#urlList = urlList;
        r.#src = src;
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
          r.#src = new BodySource(bodyWithType[0]);
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
  class FetchTask {
    constructor(s, resolve, reject) {
      this.resolve = resolve;
      this.reject = reject;
      this.rec = s.rec;
      this.method = s.method;
      this.headers = s.headerList; // owned by this fetch (buildRequest made a fresh list)
      this.body = s.src === null ? null : bodyBytes(s.src);
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

      const headers = this.headers;
      // Let libcurl negotiate and decode compression unless the script asked for an encoding.
      this.decompress = !headersListHas(headers, 'accept-encoding');

      this.onResponse = (status, statusText, list, url) => this.response(status, statusText, list, url);
      this.onEnd = (code, message, body) => this.end(code, message, body);
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
        body: this.body,
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
      // do) rather than the browsers' opaque-redirect filtered response.
      const src = new BodySource(null);
      this.src = src;
      const resolve = this.resolve;
      this.resolve = null;
      this.reject = null;
      resolve(makeResponse('basic', status, statusText, list, 'immutable', this.urlList, src));
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
      this.finish();
      if (src === null) {
        reject(networkError(code, message));
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
        this.body = null;
        for (const name of requestBodyHeaders) headersListDelete(this.headers, name);
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
      this.finish();
      if (src === null) reject(err);
      else bodyFailed(src, err);
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
      [href], new BodySource(r.body)));
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
