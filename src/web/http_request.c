/* HTTP transfers, starting one: native.httpRequest/httpAbort/httpPull/httpSend, the request's
   options and header list, and the http state's creation and teardown. */
#include <stdio.h>
#include <strings.h>

#include "http.h"

/* Every JSC C API call takes the API lock, so the hot path makes few of them. native.httpRequest
   is this JS wrapper around the C function: it packs the spec into one string
   "<flags 0-3><field count>\nmethod\nurl\nname\nvalue…" (flags: 1 decompress, 2 a new
   connection) that C converts at once, instead
   of reading each property and array element through the API (no field can contain a line
   feed: C checks the field count, so one that did is rejected). `head` is the trampoline of
   onResponse: C hands it the head as one string "name\nvalue\n…statusText\nurl" and JS splits
   it into the flat list. It is compiled by the first request (http_wrap), not by every engine's
   creation (~0.4 M instructions); the built-ins it uses are internal.intrinsics, taken before
   any script ran, so scripts cannot intercept them. */
static const char wrapper_src[] =
    "(function (raw, intrinsics) {\n"
    "  'use strict';\n"
    "  const { reflectApply, arrayJoin, stringSplit } = intrinsics;\n"
    "  function httpRequest(spec, onResponse, onEnd) {\n"
    "    if (typeof onResponse !== 'function' || typeof onEnd !== 'function')\n"
    "      throw new TypeError('httpRequest(spec, onResponse, onEnd)');\n"
    "    const method = spec.method, headers = spec.headers;\n"
    "    const n = headers == null ? 0 : headers.length >>> 0;\n"
    "    let packed = (spec.decompress ? 1 : 0) + (spec.fresh ? 2 : 0) + '' + n + '\\n' +\n"
    "        (method === undefined ? 'GET' : '' + method) + '\\n' + spec.url;\n"
    "    if (n > 0) packed += '\\n' + reflectApply(arrayJoin, headers, ['\\n']);\n"
    "    return raw(packed, spec.body, onResponse, onEnd);\n"
    "  }\n"
    "  function head(onResponse, status, packed) {\n"
    "    const list = reflectApply(stringSplit, packed, ['\\n']);\n"
    "    const k = list.length;\n"
    "    const url = list[k - 1], statusText = list[k - 2];\n"
    "    list.length = k - 2;\n"
    "    onResponse(status, statusText, list, url);\n"
    "  }\n"
    "  function headEnd(onResponse, status, packed, onEnd, code, message, body) {\n"
    "    head(onResponse, status, packed);\n"
    "    onEnd(code, message, body);\n"
    "  }\n"
    "  return [httpRequest, head, headEnd];\n"
    "})";

/* ---- starting a transfer ----------------------------------------------------------------- */

static int is_function(JSContextRef ctx, JSValueRef v) {
  return v && JSValueIsObject(ctx, v) && JSObjectIsFunction(ctx, (JSObjectRef)v);
}

static int multi_start(eddy__http *h) {
  h->multi = curl_multi_init();
  h->buckets = calloc(16, sizeof(*h->buckets));
  if (!h->multi || !h->buckets) {
    if (h->multi) curl_multi_cleanup(h->multi);
    free(h->buckets);
    h->multi = NULL;
    h->buckets = NULL;
    return EDDY_ENOMEM;
  }
  h->nbuckets = 16;
  uv_timer_init(&h->e->loop, &h->timer);
  h->timer.data = h;
  uv_prepare_init(&h->e->loop, &h->unpark);
  uv_unref((uv_handle_t *)&h->unpark); /* the parked polls themselves keep the loop alive */
  h->unpark.data = h;
  uv_check_init(&h->e->loop, &h->deliver);
  h->deliver.data = h;
  uv_idle_init(&h->e->loop, &h->no_block);
  h->no_block.data = h;
  uv_prepare_init(&h->e->loop, &h->spin);
  uv_unref((uv_handle_t *)&h->spin); /* runs only when something else keeps the loop going */
  h->spin.data = h;
  uv_prepare_start(&h->spin, http_on_spin);
  h->handles = 5;
  CURLM *m = h->multi;
  curl_multi_setopt(m, CURLMOPT_SOCKETFUNCTION, http_on_curl_socket);
  curl_multi_setopt(m, CURLMOPT_SOCKETDATA, h);
  curl_multi_setopt(m, CURLMOPT_TIMERFUNCTION, http_on_curl_timer);
  curl_multi_setopt(m, CURLMOPT_TIMERDATA, h);
  curl_multi_setopt(m, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
  curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, 0L); /* unlimited */
  curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, 0L);
  h->max_idle = 32;
  curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, h->max_idle);
  return 0;
}

static int name_is(const char *s, size_t len, const char *lower) {
  size_t n = strlen(lower);
  return len == n && strncasecmp(s, lower, n) == 0;
}

/* One '\n'-separated field of the packed request string: [*pos, end). */
static size_t field_end(const JSChar *c, size_t len, size_t pos) {
  while (pos < len && c[pos] != '\n') pos++;
  return pos;
}

/* Appends c[from, to) to x->hdr at *len, isomorphic-encoded (every unit must be <= 0xFF).
   Rejects NUL/CR (LF cannot occur: it separates fields), and ':'/controls/space in names. */
static int append_field(xfer *x, size_t *len, const JSChar *c, size_t from, size_t to,
                        int is_name) {
  if (http_grow((void **)&x->hdr, &x->hdr_cap, *len + (to - from) + 4, 1)) return EDDY_ENOMEM;
  char *d = x->hdr + *len;
  for (size_t i = from; i < to; i++) {
    JSChar ch = c[i];
    if (ch > 0xFF || ch == 0 || ch == '\r' || (is_name && (ch == ':' || ch <= ' ' || ch == 0x7F)))
      return EDDY_EINVAL;
    *d++ = (char)ch;
  }
  *len += to - from;
  return 0;
}

/* Builds x->nodes/x->hdr from n header fields starting at c[*pos] ("\nname\nvalue…"); every
   field must be consumed exactly. The node data pointers hold offsets until the buffer stops
   moving. */
static int build_headers(xfer *x, const JSChar *c, size_t clen, size_t *pos, size_t n,
                         int sends_body, const char **err) {
  size_t len = 0, nodes = 0;
  int has_expect = 0, has_ctype = 0, has_agent = 0;
  if (http_grow((void **)&x->nodes, &x->nodes_cap, n / 2 + 5, sizeof(*x->nodes))) goto oom;
  for (size_t i = 0; i < n; i += 2) {
    if (*pos >= clen) goto bad_count;
    size_t ns = *pos + 1, ne = field_end(c, clen, ns);
    size_t vs = ne, ve = ne;
    if (i + 1 < n) {
      if (ne >= clen) goto bad_count;
      vs = ne + 1;
      ve = field_end(c, clen, vs);
    }
    *pos = ve;
    size_t start = len;
    int st = ne > ns ? append_field(x, &len, c, ns, ne, 1) : EDDY_EINVAL;
    if (st == EDDY_ENOMEM) goto oom;
    if (st) {
      *err = "invalid header name";
      return -1;
    }
    const char *name = x->hdr + start;
    size_t nlen = len - start;
    /* curl derives Content-Length from the body it sends; a script's could only contradict it. */
    if (name_is(name, nlen, "content-length")) {
      len = start;
      continue;
    }
    if (name_is(name, nlen, "expect")) has_expect = 1;
    if (name_is(name, nlen, "content-type")) has_ctype = 1;
    if (name_is(name, nlen, "user-agent")) has_agent = 1;
    if (ve == vs) {
      x->hdr[len++] = ';'; /* "Name;" is curl's syntax for sending it empty */
    } else {
      x->hdr[len++] = ':';
      x->hdr[len++] = ' ';
      st = append_field(x, &len, c, vs, ve, 0);
      if (st == EDDY_ENOMEM) goto oom;
      if (st) {
        *err = "invalid header value";
        return -1;
      }
    }
    x->hdr[len++] = '\0';
    x->nodes[nodes++].data = (char *)(uintptr_t)start;
  }
  if (*pos != clen) goto bad_count; /* a field held a line feed */
  for (size_t i = 0; i < nodes; i++) x->nodes[i].data = x->hdr + (uintptr_t)x->nodes[i].data;
  /* Constant lines: the defaults a script did not replace; no automatic "Expect: 100-continue"
     round trip, no form Content-Type for a raw body. */
  if (!has_agent) x->nodes[nodes++].data = (char *)http_user_agent_line;
  if (x->decompress) x->nodes[nodes++].data = (char *)http_accept_encoding_line;
  if (sends_body && !has_expect) x->nodes[nodes++].data = "Expect:";
  if (sends_body && !has_ctype) x->nodes[nodes++].data = "Content-Type:";
  for (size_t i = 0; i < nodes; i++) x->nodes[i].next = i + 1 < nodes ? &x->nodes[i + 1] : NULL;
  curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, nodes ? x->nodes : NULL);
  return 0;
bad_count:
  *err = "invalid header list";
  return -1;
oom:
  *err = "out of memory";
  return -1;
}

/* argv: the packed spec "<0|1><count>\nmethod\nurl[\nname\nvalue…]", body, onResponse, onEnd
   (see wrapper_src). On failure returns -1 with *exc set. */
static int setup(eddy__http *h, xfer *x, JSContextRef ctx, const JSValueRef argv[],
                 JSValueRef *exc) {
  CURL *c = x->easy;
  const char *err = NULL;
  JSStringRef packed = JSValueToStringCopy(ctx, argv[0], exc);
  if (!packed) return -1;
  const JSChar *ch = JSStringGetCharactersPtr(packed);
  size_t clen = JSStringGetLength(packed);
  size_t nfields = 0, ms = 1;
  for (; ms < clen && ch[ms] >= '0' && ch[ms] <= '9' && nfields < 10000000; ms++)
    nfields = nfields * 10 + (ch[ms] - '0');
  if (clen < 2 || ch[0] < '0' || ch[0] > '3' || ms >= clen || ch[ms] != '\n') {
    err = "invalid request spec";
    goto fail;
  }
  x->decompress = (ch[0] - '0') & 1;
  int fresh = (ch[0] - '0') & 2;
  ms++;

  /* method */
  char method[64];
  size_t me = field_end(ch, clen, ms);
  int ok = me > ms && me - ms < sizeof method;
  for (size_t i = ms; ok && i < me; i++) {
    if (ch[i] <= ' ' || ch[i] >= 0x7F) ok = 0;
    else method[i - ms] = (char)ch[i];
  }
  if (!ok) {
    err = "invalid HTTP method";
    goto fail;
  }
  method[me - ms] = '\0';
  int is_get = strcmp(method, "GET") == 0, is_head = strcmp(method, "HEAD") == 0;

  /* url (UTF-8 for curl, which copies it) */
  if (me >= clen) {
    err = "invalid URL";
    goto fail;
  }
  size_t us = me + 1, ue = field_end(ch, clen, us);
  int ascii = 1;
  for (size_t i = us; i < ue && ascii; i++) ascii = ch[i] < 0x80 && ch[i] != 0;
  if (ascii) {
    if (http_grow((void **)&h->scratch, &h->scratch_cap, ue - us + 1, 1)) goto oom;
    for (size_t i = us; i < ue; i++) h->scratch[i - us] = (char)ch[i];
    h->scratch[ue - us] = '\0';
  } else {
    char *u8 = NULL;
    size_t u8len = 0;
    if (eddy__utf16_to_utf8(ch + us, ue - us, &u8, &u8len)) goto oom;
    int bad = memchr(u8, 0, u8len) != NULL;
    if (!bad && http_grow((void **)&h->scratch, &h->scratch_cap, u8len + 1, 1)) {
      free(u8);
      goto oom;
    }
    if (!bad) memcpy(h->scratch, u8, u8len + 1);
    free(u8);
    if (bad) {
      err = "invalid URL";
      goto fail;
    }
  }
  const char *url = h->scratch;
  if (curl_easy_setopt(c, CURLOPT_URL, url) != CURLE_OK) {
    err = "invalid URL";
    goto fail;
  }
  int https = strncasecmp(url, "https:", 6) == 0;

  /* body */
  JSValueRef v = argv[1];
  const uint8_t *bytes = NULL;
  size_t blen = 0;
  int has_body = 0, streamed = 0;
  if (is_function(ctx, v)) {
    streamed = has_body = !is_get && !is_head;
  } else if (!JSValueIsUndefined(ctx, v) && !JSValueIsNull(ctx, v)) {
    JSTypedArrayType t = JSValueGetTypedArrayType(ctx, v, exc);
    if (*exc) goto fail;
    if (t == kJSTypedArrayTypeNone) {
      err = "spec.body must be a Uint8Array or null";
      goto fail;
    }
    if (t == kJSTypedArrayTypeArrayBuffer) {
      bytes = JSObjectGetArrayBufferBytesPtr(ctx, (JSObjectRef)v, exc);
      blen = JSObjectGetArrayBufferByteLength(ctx, (JSObjectRef)v, exc);
    } else {
      /* The pointer is the start of the view's buffer, not of the view. */
      bytes = JSObjectGetTypedArrayBytesPtr(ctx, (JSObjectRef)v, exc);
      if (bytes) bytes += JSObjectGetTypedArrayByteOffset(ctx, (JSObjectRef)v, exc);
      blen = JSObjectGetTypedArrayByteLength(ctx, (JSObjectRef)v, exc);
    }
    if (*exc) goto fail;
    has_body = !is_get && !is_head;
  }

  /* headers */
  int sends_body = has_body || strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0;
  size_t pos = ue;
  if (build_headers(x, ch, clen, &pos, nfields, sends_body, &err)) goto fail;
  JSStringRelease(packed);
  packed = NULL;

  if (has_body && blen) {
    if (http_grow((void **)&x->req_body, &x->req_body_cap, blen, 1)) goto oom;
    if (bytes) memcpy(x->req_body, bytes, blen);
  }

  /* Per-request options; each is set every time since the handle is reused without a reset. */
  x->is_head = is_head;
  x->errbuf[0] = '\0';
  /* HTTP/2 where the server offers it, except for a large request body: libcurl 7.88 (Debian
     12) busy-loops forever on an HTTP/2 upload that outgrows the stream's flow-control window
     when the server answers before reading it all (a 401 or 413 to an upload); the curl
     command hangs the same way. Bodies up to H2_BODY_MAX fit any window servers use. */
  int h2 = https && (streamed || !(has_body && blen > H2_BODY_MAX));
  curl_easy_setopt(c, CURLOPT_HTTP_VERSION,
                   h2 ? (long)CURL_HTTP_VERSION_2TLS : (long)CURL_HTTP_VERSION_1_1);
  /* Over TLS, wait for the first connection's ALPN so concurrent requests share one h2 link. */
  curl_easy_setopt(c, CURLOPT_PIPEWAIT, h2 ? 1L : 0L);
  /* A retry of a 421 (Misdirected Request) goes out on a connection of its own (Fetch). */
  curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, fresh ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_HTTPGET, 1L); /* GET, no body, no upload */
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, is_get || is_head ? NULL : method);
  /* A Content-Length over the limit fails at once (a HEAD's describes a body it does not get);
     decoded or unsized bodies are counted as they arrive (http_on_write). */
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, is_head ? (curl_off_t)0 : (curl_off_t)h->max_body);
  if (is_head) {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else if (streamed) {
    /* Read as the script produces it (http_on_read): chunked over HTTP/1.1, DATA frames over h2. */
    x->uploading = 1;
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, NULL);
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)-1);
  } else if (!is_get) {
    if (sends_body) {
      /* POST/PUT without a body still send "Content-Length: 0", as fetch does. */
      curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(has_body ? blen : 0));
      curl_easy_setopt(c, CURLOPT_POSTFIELDS, has_body && blen ? (char *)x->req_body : "");
    }
  }
  return 0;
oom:
  err = "out of memory";
fail:
  if (packed) JSStringRelease(packed);
  if (err) eddy__throw_type_error(ctx, exc, err);
  return -1;
}

static JSValueRef http_request(JSContextRef ctx, size_t argc, const JSValueRef argv[],
                               JSValueRef *exc);

/* JSC drops its API lock around native callbacks: holding it across the request's API calls
   makes them recursive acquisitions instead of full ones. */
static JSValueRef js_http_request(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                                  const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  const eddy__jsc *jsc = &eddy__engine_of(ctx)->jsc;
  eddy__jsc_lock_holder lock;
  eddy__jsc_lock(jsc, &lock, JSContextGetGroup(ctx));
  JSValueRef r = http_request(ctx, argc, argv, exc);
  eddy__jsc_unlock(jsc, &lock);
  return r;
}

/* Compiles wrapper_src around js_http_request and makes its httpRequest native.httpRequest. */
static JSObjectRef http_wrap(eddy_engine *e, JSContextRef ctx, JSValueRef *exc) {
  eddy__http *h = e->http;
  JSStringRef src = JSStringCreateWithUTF8CString(wrapper_src);
  JSStringRef url = JSStringCreateWithUTF8CString("eddy:http");
  JSValueRef make = JSEvaluateScript(ctx, src, NULL, url, 1, exc);
  JSStringRelease(src);
  JSStringRelease(url);
  if (!is_function(ctx, make)) return NULL;
  JSStringRef name = JSStringCreateWithUTF8CString("intrinsics");
  JSValueRef args[2] = {JSObjectMakeFunctionWithCallback(ctx, NULL, js_http_request),
                        JSObjectGetProperty(ctx, e->internal, name, NULL)};
  JSStringRelease(name);
  JSValueRef trio = JSObjectCallAsFunction(ctx, (JSObjectRef)make, NULL, 2, args, exc);
  JSValueRef request = NULL, head = NULL, head_end = NULL;
  if (trio && JSValueIsObject(ctx, trio)) {
    request = JSObjectGetPropertyAtIndex(ctx, (JSObjectRef)trio, 0, NULL);
    head = JSObjectGetPropertyAtIndex(ctx, (JSObjectRef)trio, 1, NULL);
    head_end = JSObjectGetPropertyAtIndex(ctx, (JSObjectRef)trio, 2, NULL);
  }
  if (!is_function(ctx, request) || !is_function(ctx, head) || !is_function(ctx, head_end)) {
    if (!*exc) *exc = eddy__make_error(ctx, "Error", "eddy:http: the request wrapper did not compile");
    return NULL;
  }
  name = JSStringCreateWithUTF8CString("httpRequest");
  JSObjectSetProperty(ctx, e->native, name, request, kJSPropertyAttributeDontEnum, NULL);
  JSStringRelease(name);
  h->head_fn = (JSObjectRef)head;
  JSValueProtect(ctx, h->head_fn);
  h->head_end_fn = (JSObjectRef)head_end;
  JSValueProtect(ctx, h->head_end_fn);
  return (JSObjectRef)request;
}

/* native.httpRequest until the first request, which puts the wrapper in its place. */
static JSValueRef js_http_request_first(JSContextRef ctx, JSObjectRef f, JSObjectRef self,
                                        size_t argc, const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  eddy_engine *e = eddy__engine_of(ctx);
  if (!e->http || e->http->closing) return JSValueMakeNumber(ctx, 0);
  JSObjectRef request = http_wrap(e, ctx, exc);
  return request ? JSObjectCallAsFunction(ctx, request, NULL, argc, argv, exc) : NULL;
}

static JSValueRef http_request(JSContextRef ctx, size_t argc, const JSValueRef argv[],
                               JSValueRef *exc) {
  eddy_engine *e = eddy__engine_of(ctx);
  eddy__http *h = e->http;
  if (!h || h->closing || atomic_load(&e->closing)) return JSValueMakeNumber(ctx, 0);
  if (argc < 4) return eddy__throw_type_error(ctx, exc, "httpRequest(spec, onResponse, onEnd)");
  /* The wrapper checked that both callbacks are functions. */
  if (!h->multi && multi_start(h)) return eddy__throw_type_error(ctx, exc, "out of memory");
  xfer *x = xfer_acquire(h);
  if (!x) return eddy__throw_type_error(ctx, exc, "out of memory");
  if (setup(h, x, ctx, argv, exc)) {
    xfer_recycle(h, x);
    return NULL;
  }
  CURLMcode mc = curl_multi_add_handle(h->multi, x->easy);
  if (mc != CURLM_OK) {
    xfer_recycle(h, x);
    return eddy__throw_type_error(ctx, exc, curl_multi_strerror(mc));
  }
  x->in_multi = 1;
  do {
    h->next_id = h->next_id >= MAX_ID ? 1 : h->next_id + 1;
  } while (hash_find(h, h->next_id));
  x->id = h->next_id;
  hash_insert(h, x);
  x->on_response = (JSObjectRef)argv[2];
  x->on_end = (JSObjectRef)argv[3];
  JSValueProtect(ctx, x->on_response);
  JSValueProtect(ctx, x->on_end);
  if (x->uploading) {
    x->on_need = (JSObjectRef)argv[1];
    JSValueProtect(ctx, x->on_need);
  }
  x->live = 1;
  x->prev = NULL;
  x->next = h->live;
  if (h->live) h->live->prev = x;
  h->live = x;
  h->count++;
  /* curl's default keeps 4 idle connections per easy handle in the multi, a number that drops
     as a loop turn's finished transfers leave it: 64 fetches at a time would then close and
     reopen connections all along. Keep as many as were ever in use at once. */
  if ((long)h->count > h->max_idle) {
    h->max_idle = (long)h->count;
    curl_multi_setopt(h->multi, CURLMOPT_MAXCONNECTS, h->max_idle);
  }
  atomic_fetch_add(&e->pending, 1);
  return JSValueMakeNumber(ctx, x->id);
}

/* The live transfer whose id is argv[0], or NULL (no http state, not an id, unknown id). */
static xfer *xfer_of(JSContextRef ctx, size_t argc, const JSValueRef argv[]) {
  eddy__http *h = eddy__engine_of(ctx)->http;
  if (!h || argc < 1 || !JSValueIsNumber(ctx, argv[0])) return NULL;
  double id = JSValueToNumber(ctx, argv[0], NULL);
  if (!(id >= 1 && id <= MAX_ID) || id != (uint32_t)id) return NULL;
  return hash_find(h, (uint32_t)id);
}

static JSValueRef js_http_abort(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                                const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  (void)exc;
  xfer *x = xfer_of(ctx, argc, argv);
  if (x) xfer_release(x->h, x);
  return JSValueMakeUndefined(ctx);
}

/* Takes the view of a BYOB read for the next chunk, filled at once with what waits. */
static int take_view(JSContextRef ctx, xfer *x, JSValueRef v, JSValueRef *exc) {
  JSObjectRef view = JSValueIsObject(ctx, v) ? (JSObjectRef)v : NULL;
  if (!view || JSValueGetTypedArrayType(ctx, view, NULL) != kJSTypedArrayTypeUint8Array) {
    eddy__throw_type_error(ctx, exc, "httpPull(id, onData, view): view must be a Uint8Array");
    return -1;
  }
  size_t len = JSObjectGetTypedArrayByteLength(ctx, view, NULL);
  uint8_t *p = JSObjectGetTypedArrayBytesPtr(ctx, view, NULL);
  if (p) p += JSObjectGetTypedArrayByteOffset(ctx, view, NULL); /* p was the buffer's start */
  if (!len || !p) {
    eddy__throw_type_error(ctx, exc, "httpPull(id, onData, view): view is empty or detached");
    return -1;
  }
  drop_view(x->h->e, x);
  size_t k = xfer_waiting(x) < len ? xfer_waiting(x) : len;
  if (k) memcpy(p, x->body + x->body_off, k);
  x->body_off += k;
  if (x->body_off == x->body_len) x->body_off = x->body_len = 0;
  JSValueProtect(ctx, view);
  x->into = view;
  x->into_ptr = p;
  x->into_len = len;
  x->into_filled = k;
  return 0;
}

/* httpPull(id, onData[, view]): from now on the body of transfer `id` streams to
   onData(ArrayBuffer) instead of arriving whole with onEnd; each call asks for one chunk
   (whatever arrived meanwhile, at most STREAM_HWM plus one write of curl). With `view` (a
   Uint8Array the JS side holds on to and does not touch until onData), the chunk is written
   into it instead, and onData gets the number of bytes written (at most its length). */
static JSValueRef js_http_pull(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                               const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  eddy_engine *e = eddy__engine_of(ctx);
  eddy__http *h = e->http;
  if (!h || argc < 2 || !JSValueIsNumber(ctx, argv[0])) return JSValueMakeUndefined(ctx);
  if (!is_function(ctx, argv[1])) return eddy__throw_type_error(ctx, exc, "httpPull(id, onData)");
  xfer *x = xfer_of(ctx, argc, argv);
  if (!x || x->dead) return JSValueMakeUndefined(ctx);
  if (!x->streaming) {
    if (!h->chunks) {
      chunk_pool *p = calloc(1, sizeof(*p));
      if (!p || uv_mutex_init(&p->lock)) {
        free(p);
        return eddy__throw_type_error(ctx, exc, "out of memory");
      }
      p->refs = 1;
      h->chunks = p;
    }
    if (h->streams++ == 0) chunk_keep(h->chunks, 1);
    x->counted = 1;
    x->streaming = 1;
    x->on_data = (JSObjectRef)argv[1];
    JSValueProtect(ctx, x->on_data);
  }
  if (argc >= 3 && !JSValueIsUndefined(ctx, argv[2]) && take_view(ctx, x, argv[2], exc) < 0)
    return JSValueMakeUndefined(ctx);
  x->want = 1;
  xfer_set_idle(x, 0);
  if ((x->into ? x->into_filled != 0 : xfer_waiting(x) != 0) || x->done) {
    rq_push(h, x);
    if (!h->dispatching) { /* else the running dispatch takes it */
      uv_check_start(&h->deliver, http_on_deliver);
      uv_idle_start(&h->no_block, http_on_no_block);
    }
  } else if (x->paused) {
    http_resume(h, x); /* its held bytes come back through http_on_write, or decode */
    if ((x->into_filled || xfer_waiting(x)) && !h->dispatching) {
      uv_check_start(&h->deliver, http_on_deliver);
      uv_idle_start(&h->no_block, http_on_no_block);
    }
  }
  return JSValueMakeUndefined(ctx);
}

/* httpWhole(id): the script takes the body of transfer `id` whole (text() & co., or a redirect
   hop's body, drained): it arrives without the pause that holds an unread body at STREAM_HWM. */
static JSValueRef js_http_whole(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                                const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  (void)exc;
  xfer *x = xfer_of(ctx, argc, argv);
  if (!x || x->dead || x->streaming) return JSValueMakeUndefined(ctx);
  eddy__http *h = x->h;
  x->whole = 1;
  if (x->paused) {
    xfer_set_idle(x, 0);
    /* Its held writes come back through http_on_write now (or decode); one that fails (the body
       outgrew max_response_body) ends the transfer there. */
    http_resume(h, x);
  }
  return JSValueMakeUndefined(ctx);
}

/* httpSend(id, chunk): the next chunk (a Uint8Array, copied) of a streamed request body, or null
   after the last one; answers one on_need call. */
static JSValueRef js_http_send(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                               const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  xfer *x = argc < 2 ? NULL : xfer_of(ctx, argc, argv);
  if (!x || x->dead || !x->uploading || x->up_eof) return JSValueMakeUndefined(ctx);
  eddy__http *h = x->h;
  if (JSValueIsNull(ctx, argv[1])) {
    x->up_eof = 1;
  } else {
    if (JSValueGetTypedArrayType(ctx, argv[1], NULL) != kJSTypedArrayTypeUint8Array)
      return eddy__throw_type_error(ctx, exc, "httpSend(id, Uint8Array or null)");
    const uint8_t *bytes = JSObjectGetTypedArrayBytesPtr(ctx, (JSObjectRef)argv[1], exc);
    if (bytes) bytes += JSObjectGetTypedArrayByteOffset(ctx, (JSObjectRef)argv[1], exc);
    size_t len = JSObjectGetTypedArrayByteLength(ctx, (JSObjectRef)argv[1], exc);
    if (*exc) return NULL;
    if (len && http_grow((void **)&x->req_body, &x->req_body_cap, len, 1))
      return eddy__throw_type_error(ctx, exc, "out of memory");
    if (len) memcpy(x->req_body, bytes, len);
    x->up_len = len;
    x->up_off = 0;
    if (len == 0) { /* nothing for curl: ask again */
      x->up_need = 1;
      rq_push(h, x);
      if (!h->dispatching) {
        uv_check_start(&h->deliver, http_on_deliver);
        uv_idle_start(&h->no_block, http_on_no_block);
      }
      return JSValueMakeUndefined(ctx);
    }
  }
  if (x->up_paused && x->in_multi) {
    x->up_paused = 0;
    curl_easy_pause(x->easy, CURLPAUSE_CONT);
  }
  return JSValueMakeUndefined(ctx);
}

/* ---- lifecycle --------------------------------------------------------------------------- */

int eddy__http_init(eddy_engine *e, JSObjectRef native) {
  JSContextRef ctx = e->ctx;
  eddy__http *h = calloc(1, sizeof(*h));
  if (!h) return EDDY_ENOMEM;
  h->e = e;
  e->http = h;
  h->max_body = e->opts.max_response_body;
  if (h->max_body == 0 || h->max_body > EDDY__JS_BYTES_MAX) h->max_body = EDDY__JS_BYTES_MAX;
  if (h->max_body > SIZE_MAX) h->max_body = SIZE_MAX;
  eddy__set_function(ctx, native, "httpRequest", js_http_request_first);
  eddy__set_function(ctx, native, "httpAbort", js_http_abort);
  eddy__set_function(ctx, native, "httpPull", js_http_pull);
  eddy__set_function(ctx, native, "httpWhole", js_http_whole);
  eddy__set_function(ctx, native, "httpSend", js_http_send);
  return 0;
}

static void on_handle_closed(uv_handle_t *handle) {
  eddy__http *h = handle->data;
  if (--h->handles == 0) free(h);
}

/* JS thread, at teardown, outside any dispatch: drops every transfer without calling JS. */
void eddy__http_close(eddy_engine *e) {
  eddy__http *h = e->http;
  if (!h) return;
  e->http = NULL;
  h->closing = 1;
  while (h->live) xfer_release(h, h->live);
  if (h->head_fn) JSValueUnprotect(e->ctx, h->head_fn);
  if (h->head_end_fn) JSValueUnprotect(e->ctx, h->head_end_fn);
  h->head_end_fn = NULL;
  if (h->empty) JSValueUnprotect(e->ctx, h->empty);
  h->head_fn = NULL;
  h->empty = NULL;
  while (h->pool) {
    xfer *x = h->pool;
    h->pool = x->next;
    xfer_free(x);
  }
  if (h->chunks) { /* freed by the last chunk JSC gives back, or now */
    chunk_keep(h->chunks, 0);
    uv_mutex_lock(&h->chunks->lock);
    chunk_pool_unref(h->chunks);
    h->chunks = NULL;
  }
  free(h->buckets);
  free(h->scratch);
  free(h->u16);
  if (!h->multi) {
    free(h->byfd);
    free(h);
    return;
  }
  /* Closes the cached connections through http_on_close_socket (which needs h->byfd) and may report
     removed sockets and a last timer change. */
  curl_multi_cleanup(h->multi);
  h->multi = NULL;
  free(h->byfd);
  h->byfd = NULL;
  for (sock *k = h->socks; k;) {
    sock *next = k->next;
    k->h = NULL;
    if (!uv_is_closing((uv_handle_t *)&k->poll))
      uv_close((uv_handle_t *)&k->poll, http_on_sock_closed);
    k = next;
  }
  h->socks = NULL;
  /* h holds the timer and the prepare handle: freed by the last close callback (teardown runs
     the loop until then). */
  uv_close((uv_handle_t *)&h->timer, on_handle_closed);
  uv_close((uv_handle_t *)&h->unpark, on_handle_closed);
  uv_close((uv_handle_t *)&h->spin, on_handle_closed);
  uv_close((uv_handle_t *)&h->deliver, on_handle_closed);
  uv_close((uv_handle_t *)&h->no_block, on_handle_closed);
}
