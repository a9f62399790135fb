(function (native, internal) {
  'use strict';

  // fetch() over HTTP: the FetchTask that runs one call's native transfers (native.httpRequest,
  // one per redirect hop) and the Referer it sends. Apart from fetch.js, which installs this
  // file (native.installFile) on the first fetch of an http: or https: URL, so a script that
  // only makes Requests and Responses, or fetches data: and blob: URLs, never compiles it; it
  // takes no lazy_files.json entry. fetch.js hands over its body records and helpers as
  // internal.fetchCore.

  const { parseURL, urlOrigin, headersListGet, headersListHas, headersListDelete } = internal;
  const {
    Body, BodySource, FB, bodyArrived, bodyFailed, bodyBytes, makeResponse, isNullBodyStatus,
    isRedirectStatus, networkError, blockedPortError, stripFragment, quoted,
  } = internal.fetchCore;

  const requestBodyHeaders = ['content-type', 'content-length', 'content-encoding',
    'content-language', 'content-location'];

  // One fetch() call: a chain of native transfers (one per redirect hop). The transfer itself is
  // owned by C; dropping every JS reference to the response does not cancel it.
  //
  // The response body arrives whole with onEnd unless its owner asks for `body` first: then
  // fetch_body.js's ResponsePump (`pump`) streams it. A request body from a ReadableStream is
  // fetch_body.js's Upload (`upload`), read as curl takes it.
  class FetchTask {
    constructor(s, resolve, reject) {
      this.resolve = resolve;
      this.reject = reject;
      this.rec = s.rec;
      this.method = s.method;
      this.headers = s.headerList; // owned by this fetch (buildRequest made a fresh list)
      const b = s.body;
      this.body = null; // Uint8Array to send, or null
      this.upload = null; // the stream body's Upload, sending it as it is read
      if (b !== null) {
        const src = b.src;
        if (src !== null && src.state === 1 && src.bytes !== null &&
            (b.stream === null || !FB().isDisturbed(b.stream))) {
          this.body = bodyBytes(src);
          b.used = true;
        } else {
          this.upload = FB().newUpload(this, b);
        }
      }
      this.redirectMode = s.redirect;
      this.signal = s.signal;
      this.urlList = [s.rec.href];
      this.redirects = 0;
      this.redirectStatus = 0;
      this.redirectTo = null; // Location of a redirect to follow once its body is drained
      this.fresh = false; // this hop goes out on a new connection (a 421's retry)
      this.referrer = s.referrer;
      this.referrerPolicy = s.referrerPolicy;
      // A Referer the script set itself is sent as it is (eddy does not forbid the header).
      this.ownReferer = this.referrer === 'client' || this.referrer === 'no-referrer' ||
        headersListHas(s.headerList, 'referer');
      this.retryFresh = false; // send again on a new connection once this hop's body is drained
      this.id = 0;
      this.active = false; // a native transfer is running
      this.done = false; // settled: no more callbacks matter
      this.src = null; // BodySource of the final response, once resolved
      this.pump = null; // the response body's ResponsePump, once streamed
      this.isHead = s.method === 'HEAD';

      const headers = this.headers;
      // Let libcurl negotiate and decode compression unless the script asked for an encoding.
      this.decompress = !headersListHas(headers, 'accept-encoding');
      // There is no HTTP cache here, but the cache mode still tells the caches on the way what
      // the request wants (Fetch's HTTP-network-or-cache fetch adds these headers).
      const cache = s.cache;
      if (cache === 'no-cache') {
        if (!headersListHas(headers, 'cache-control')) headers.push('cache-control', 'max-age=0');
      } else if (cache === 'no-store' || cache === 'reload') {
        if (!headersListHas(headers, 'pragma')) headers.push('pragma', 'no-cache');
        if (!headersListHas(headers, 'cache-control')) headers.push('cache-control', 'no-cache');
      }

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
      if (!this.ownReferer) {
        // Determined again for each hop: a redirect to another origin sends less of it.
        headersListDelete(this.headers, 'referer');
        const value = referrerValue(this.referrer, this.referrerPolicy, this.rec);
        if (value !== null) this.headers.push('referer', value);
      }
      const spec = {
        method: this.method,
        url: stripFragment(this.rec.href),
        headers: this.headers,
        body: this.upload !== null ? this.upload.onNeed : this.body,
        decompress: this.decompress,
        fresh: this.fresh,
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
      // 421 Misdirected Request: the connection (often an HTTP/2 one shared between hosts)
      // cannot serve this origin, so Fetch sends the request once more on a new connection,
      // unless the body was a stream, which cannot be sent again.
      if (status === 421 && !this.fresh && this.upload === null) {
        this.fresh = true;
        this.retryFresh = true;
        native.httpWhole(this.id);
        return;
      }
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
          native.httpWhole(this.id);
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

    cancelUpload(reason) {
      const upload = this.upload;
      if (upload !== null) upload.cancel(reason);
    }

    end(code, message, body) {
      this.active = false;
      if (this.done) return;
      if (this.retryFresh) {
        this.retryFresh = false;
        this.start();
        return;
      }
      const location = this.redirectTo;
      if (location !== null) {
        this.redirectTo = null;
        this.follow(location);
        return;
      }
      const src = this.src;
      const reject = this.reject;
      const pump = this.pump;
      this.finish();
      this.cancelUpload(undefined); // the server answered before it took the whole body
      if (src === null) {
        if (reject !== null) reject(networkError(code, message));
      } else if (pump !== null) {
        pump.end(code, code === 0 ? undefined : networkError(code, message));
      } else if (code === 0) {
        bodyArrived(src, body);
        this.abortUnread(src);
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
      const blocked = blockedPortError(rec);
      if (blocked !== null) {
        this.fail(blocked);
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
      this.fresh = false;
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
      const pump = this.pump;
      this.finish();
      this.cancelUpload(err);
      if (src === null) {
        if (reject !== null) reject(err);
      } else if (pump !== null) {
        pump.end(1, err);
      } else {
        bodyFailed(src, err);
      }
    }

    // The transfer is over but nobody has read the body: the signal still errors it (Fetch's
    // "abort the fetch() call" errors a response body that is still readable), until it is read.
    // An empty body's stream is closed already (nothing queued), so it stays as it is. The
    // signal may outlive many responses nobody reads: it holds the body weakly, and the
    // algorithm goes when the body is collected.
    abortUnread(src) {
      const signal = this.signal;
      const bytes = src.bytes;
      if (signal === null || bytes === null || bytes.byteLength === 0) return;
      const ref = new WeakRefCtor(src);
      const onAbort = () => {
        const s = ref.deref();
        if (s !== undefined && s.state === 1 && s.bytes !== null) {
          s.state = 2;
          s.error = signal.reason;
          s.bytes = null;
        }
      };
      this.onAbort = onAbort;
      internal.addAbortAlgorithm(signal, onAbort);
      unreadBodies.register(src, { signal, onAbort }, onAbort);
    }

    // The body was read whole: the signal has nothing left to abort.
    released() {
      const onAbort = this.onAbort;
      if (onAbort !== null) {
        this.onAbort = null;
        internal.removeAbortAlgorithm(this.signal, onAbort);
        unreadBodies.unregister(onAbort);
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

  const { WeakRefCtor, FinalizationRegistryCtor } = internal.intrinsics;
  const unreadBodies = new FinalizationRegistryCtor(
    (held) => internal.removeAbortAlgorithm(held.signal, held.onAbort));

  // --- referrer -------------------------------------------------------------------------------

  // Referrer Policy's "potentially trustworthy URL", for the downgrade checks.
  function trustworthy(rec) {
    const scheme = rec.scheme;
    if (scheme === 'https' || scheme === 'wss' || scheme === 'file') return true;
    const host = rec.hostname;
    return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' ||
      /^127\.\d+\.\d+\.\d+$/.test(host);
  }

  // Fetch's "determine request's referrer" for a referrer URL (the client has none here): the
  // Referer value for a request to `rec` under `policy`, or null for none.
  function referrerValue(referrer, policy, rec) {
    if (referrer === 'client' || referrer === 'no-referrer') return null;
    const src = parseURL(referrer, undefined);
    if (src === null) return null;
    const scheme = src.scheme;
    if (scheme === 'about' || scheme === 'blob' || scheme === 'data') return null; // local schemes
    const origin = urlOrigin(src);
    if (origin === 'null') return null;
    const originOnly = origin + '/';
    let full = origin + src.pathname + src.search; // no credentials, no fragment
    if (full.length > 4096) full = originOnly;
    const sameOrigin = origin === urlOrigin(rec);
    const downgrade = trustworthy(src) && !trustworthy(rec);
    switch (policy) {
      case 'no-referrer': return null;
      case 'origin': return originOnly;
      case 'unsafe-url': return full;
      case 'strict-origin': return downgrade ? null : originOnly;
      case 'same-origin': return sameOrigin ? full : null;
      case 'origin-when-cross-origin': return sameOrigin ? full : originOnly;
      case 'no-referrer-when-downgrade': return downgrade ? null : full;
      default: // '' is strict-origin-when-cross-origin
        return sameOrigin ? full : downgrade ? null : originOnly;
    }
  }


  internal.FetchTask = FetchTask;
})
