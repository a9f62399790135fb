/* native.wsConnect / wsSend / wsClose / wsBufferedAmount: the transport and RFC 6455 framing of
   WebSocket (src/js/websocket.js is the WHATWG class; contract in src/js/README.md).

   Transport. libcurl 7.88 (Debian 12) has no WebSocket support compiled in, so libcurl only
   connects: CURLOPT_CONNECT_ONLY on a multi handle of the socket's own, driven by the engine's
   loop, does DNS, the proxy tunnel (CONNECT, as browsers do for WebSockets), TLS and the CA
   settings exactly as fetch does (eddy__curl_common_options, shared with http.c). Once connected,
   the socket (CURLINFO_ACTIVESOCKET) is watched by one uv_poll_t and bytes move with
   curl_easy_send/curl_easy_recv, which go through curl's TLS, or, on plain TCP to the server
   itself, with send/recv on the socket: curl then has no layer to add, and each of its calls
   looks the connection up in its cache first (~700 instructions, three calls a round trip).
   The HTTP/1.1 Upgrade request and its 101 response are ours (sha1 + base64 from OpenSSL check
   Sec-WebSocket-Accept). Connecting, up to the socket's hand-over, is websocket_connect.c.

   Framing is ours too (websocket_frame.c) rather than wslay's: wslay would own reading and
   writing through its own callbacks and knows nothing of permessage-deflate, while our code is a
   few hundred lines that parse straight from the receive buffer, inflate with zlib, validate
   UTF-8 while making the JS string, and count bufferedAmount exactly.

   JS is never called from a curl callback nor from reading: what arrives becomes events queued
   on the socket; the check phase of the loop turn that read them dispatches every socket's
   events in order, in one VM entry (eddy__batch). A socket's struct lives until its close
   event was dispatched and its uv handles closed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <curl/curl.h>
#include <zlib.h>

#include "websocket.h"

/* ---- events and the ready queue ------------------------------------------------------------ */

static void on_no_block(uv_idle_t *idle) { (void)idle; }
static void on_deliver(uv_check_t *check);

static void ready(ws *s) {
  eddy__ws *w = s->w;
  if (!s->in_rq) {
    s->in_rq = 1;
    s->rq_next = NULL;
    if (w->rq_tail) w->rq_tail->rq_next = s;
    else w->rq_head = s;
    w->rq_tail = s;
  }
  if (!w->dispatching) {
    uv_check_start(&w->deliver, on_deliver);
    uv_idle_start(&w->no_block, on_no_block); /* no blocking poll before the check runs */
  }
}

evt *eddy__ws_push_event(ws *s, int kind) {
  evt *v = calloc(1, sizeof(*v));
  if (!v) return NULL;
  v->kind = kind;
  if (s->ev_tail) s->ev_tail->next = v;
  else s->ev_head = v;
  s->ev_tail = v;
  ready(s);
  return v;
}

/* ---- tearing down ---------------------------------------------------------------------------- */

/* Freed once released, with its handles closed and out of the ready queue. */
static void ws_maybe_free(ws *s) {
  if (s->handles == 0 && s->finished && !s->in_rq) eddy__ws_free(s);
}

static void on_handle_closed(uv_handle_t *h) {
  ws *s = h->data;
  s->handles--;
  ws_maybe_free(s);
}

static void on_wpoll_closed(uv_handle_t *h) {
  wpoll *p = (wpoll *)h;
  ws *s = p->s;
  free(p);
  s->handles--;
  ws_maybe_free(s);
}

void eddy__ws_wpoll_close(ws *s, wpoll *p) {
  wpoll **pp = &s->polls;
  while (*pp && *pp != p) pp = &(*pp)->next;
  if (*pp) *pp = p->next;
  if (s->io == p) s->io = NULL;
  uv_close((uv_handle_t *)&p->poll, on_wpoll_closed);
}

/* Closes the connection now (no JS): polls first, while their fds are still open, then curl,
   which closes the socket. */
static void transport_close(ws *s) {
  while (s->polls) eddy__ws_wpoll_close(s, s->polls);
  uv_timer_stop(&s->curl_timer);
  uv_timer_stop(&s->deadline);
  if (s->multi) {
    if (s->in_multi) curl_multi_remove_handle(s->multi, s->easy);
    s->in_multi = 0;
  }
  if (s->easy) curl_easy_cleanup(s->easy);
  if (s->multi) curl_multi_cleanup(s->multi);
  while (s->polls) eddy__ws_wpoll_close(s, s->polls); /* any curl reported while cleaning up */
  s->easy = NULL;
  s->multi = NULL;
  s->state = ST_DONE;
}

/* The connection is over: the close event is queued (once) with what the script sees. */
void eddy__ws_finish(ws *s, int code, const char *reason, size_t reason_len, int clean,
                              const char *error) {
  if (s->close_queued) return;
  s->close_queued = 1;
  transport_close(s);
  evt *v = eddy__ws_push_event(s, EV_CLOSE);
  if (!v) return; /* out of memory: the struct goes when the engine does */
  v->code = code;
  v->clean = clean;
  v->s1 = eddy__ws_dup(reason ? reason : "", reason ? reason_len : 0);
  v->s2 = error ? eddy__ws_dup(error, strlen(error)) : NULL;
}

/* After the close event was dispatched (or at engine close): the struct leaves the engine. */
static void ws_release(ws *s) {
  eddy__ws *w = s->w;
  eddy_engine *e = w->e;
  if (s->finished) return;
  if (s->state != ST_DONE) transport_close(s);
  if (s->prev) s->prev->next = s->next;
  else w->live = s->next;
  if (s->next) s->next->prev = s->prev;
  s->prev = s->next = NULL;
  if (s->on_event) JSValueUnprotect(e->ctx, s->on_event);
  s->on_event = NULL;
  if (s->counted) atomic_fetch_sub(&e->pending, 1);
  s->counted = 0;
  s->finished = 1;
  uv_close((uv_handle_t *)&s->curl_timer, on_handle_closed);
  uv_close((uv_handle_t *)&s->deadline, on_handle_closed);
}


/* ---- the connection's bytes ------------------------------------------------------------------ */

#ifdef MSG_NOSIGNAL
#define SEND_FLAGS MSG_NOSIGNAL /* elsewhere curl set SO_NOSIGPIPE on the socket */
#else
#define SEND_FLAGS 0
#endif

/* CURLE_OK with *n bytes written, CURLE_AGAIN, or an error. */
static CURLcode conn_send(ws *s, const uint8_t *buf, size_t len, size_t *n) {
  *n = 0;
  if (!s->raw) return curl_easy_send(s->easy, buf, len, n);
  for (;;) {
    ssize_t r = send(s->fd, buf, len, SEND_FLAGS);
    if (r >= 0) {
      *n = (size_t)r;
      return CURLE_OK;
    }
    if (errno == EINTR) continue;
    return errno == EAGAIN || errno == EWOULDBLOCK ? CURLE_AGAIN : CURLE_SEND_ERROR;
  }
}

/* CURLE_OK with *n bytes read (0: the server closed), CURLE_AGAIN, or an error. */
static CURLcode conn_recv(ws *s, uint8_t *buf, size_t len, size_t *n) {
  *n = 0;
  if (!s->raw) return curl_easy_recv(s->easy, buf, len, n);
  for (;;) {
    ssize_t r = recv(s->fd, buf, len, 0);
    if (r >= 0) {
      *n = (size_t)r;
      return CURLE_OK;
    }
    if (errno == EINTR) continue;
    return errno == EAGAIN || errno == EWOULDBLOCK ? CURLE_AGAIN : CURLE_RECV_ERROR;
  }
}

/* One attempt to write what is queued, without waiting: the connection closes right after. */
static void send_before_closing(ws *s) {
  while (s->out_off < s->out_len) {
    size_t n = 0;
    if (conn_send(s, s->out + s->out_off, s->out_len - s->out_off, &n) != CURLE_OK) break;
    s->out_off += n;
  }
}

/* ---- writing --------------------------------------------------------------------------------- */

static void on_io(uv_poll_t *handle, int status, int events);

static void io_watch(ws *s, int events) {
  if (s->paused) events &= ~UV_READABLE;
  if (!s->io || s->io->events == events) return;
  s->io->events = events;
  if (events) uv_poll_start(&s->io->poll, events, on_io);
  else uv_poll_stop(&s->io->poll);
}

/* Writes what is queued until the socket would block. 0, or -1 after failing s. */
int eddy__ws_flush(ws *s) {
  while (s->out_off < s->out_len) {
    size_t n = 0;
    CURLcode rc = conn_send(s, s->out + s->out_off, s->out_len - s->out_off, &n);
    if (rc == CURLE_AGAIN) break;
    if (rc != CURLE_OK) {
      eddy__ws_fail(s, 0, "connection lost while sending: %s", curl_easy_strerror(rc));
      return -1;
    }
    s->out_off += n;
    s->written_total += n;
  }
  while (s->marks_len && s->marks[s->marks_head].end <= s->written_total) {
    s->buffered -= s->marks[s->marks_head].payload;
    s->marks_head++;
    s->marks_len--;
  }
  if (s->marks_len == 0) {
    s->marks_head = 0;
    if (s->want_drain) {
      s->want_drain = 0;
      eddy__ws_push_event(s, EV_DRAIN);
    }
  }
  if (s->out_off == s->out_len) {
    s->out_off = s->out_len = 0;
    io_watch(s, UV_READABLE);
    /* Both close frames went, the server's TCP close is awaited (RFC 6455 7.1.1). */
  } else {
    io_watch(s, UV_READABLE | UV_WRITABLE);
  }
  return 0;
}

/* ---- failing and closing ----------------------------------------------------------------- */

void eddy__ws_fail(ws *s, int code, const char *fmt, const char *detail) {
  if (s->close_queued) return;
  if (s->state == ST_OPEN || s->state == ST_CLOSING) {
    if (code && !s->close_sent && eddy__ws_queue_close(s, code, NULL, 0) == 0)
      send_before_closing(s);
  }
  snprintf(s->error, sizeof s->error, fmt, detail ? detail : "");
  eddy__ws_finish(s, 1006, NULL, 0, 0, s->error);
}

static void on_deadline(uv_timer_t *t) {
  ws *s = t->data;
  if (s->state == ST_CONNECTING || s->state == ST_HANDSHAKE) {
    char ms[32];
    snprintf(ms, sizeof ms, "%u", s->w->open_timeout_ms);
    eddy__ws_fail(s, 0, "opening handshake timed out after %s ms", ms);
  } else {
    /* The server did not finish the closing handshake in time. */
    /* Both close frames went: the handshake is complete, only TCP is left, which may be
       closed from this side after a while (RFC 6455 7.1.1). */
    if (s->close_sent && s->close_received)
      eddy__ws_finish(s, s->peer_code, s->peer_reason, s->peer_reason_len, 1, NULL);
    else eddy__ws_fail(s, 0, "closing handshake timed out%s", "");
  }
}

void eddy__ws_await_tcp_close(ws *s) {
  uint32_t ms = s->w->close_timeout_ms < TCP_CLOSE_WAIT_MS ? s->w->close_timeout_ms
                                                           : TCP_CLOSE_WAIT_MS;
  uv_timer_start(&s->deadline, on_deadline, ms, 0);
}

void eddy__ws_handshake_failed(ws *s, const char *why) {
  char copy[sizeof s->error];
  snprintf(copy, sizeof copy, "%s", why); /* why may be s->error itself */
  memcpy(s->error, copy, sizeof copy);
  eddy__ws_finish(s, 1006, NULL, 0, 0, s->error);
}

/* Reads until curl (and TLS inside it) has nothing more: data can wait in OpenSSL's buffer
   after the socket itself read empty, so one recv per readable event is not enough. On plain
   TCP a short read says the socket is empty (the poll is level-triggered): no recv to EAGAIN. */
void eddy__ws_read_all(ws *s) {
  size_t budget = READ_BUDGET;
  while (s->state == ST_HANDSHAKE || s->state == ST_OPEN || s->state == ST_CLOSING) {
    if (s->paused && s->state != ST_HANDSHAKE) return;
    if (budget == 0) {
      /* Enough for one turn: JS sees these events (and may pause) before more is read. */
      s->read_more = 1;
      ready(s);
      return;
    }
    /* A large frame gets its whole buffer at once (no doubling and copying as it grows) and
       reads stop at its end, so that a binary message's buffer can go to JS as it is. */
    size_t rest = s->state >= ST_OPEN ? eddy__ws_large_frame_rest(s) : 0;
    if (rest && s->in_cap < s->in_len + rest) {
      uint8_t *p = realloc(s->in, s->in_len + rest);
      if (!p) {
        eddy__ws_fail(s, 1011, "%s", "out of memory");
        return;
      }
      s->in = p;
      s->in_cap = s->in_len + rest;
    } else if (!rest && s->in_cap - s->in_len < READ_CHUNK &&
               eddy__ws_grow((void **)&s->in, &s->in_cap, s->in_len + READ_CHUNK)) {
      eddy__ws_fail(s, 1011, "%s", "out of memory");
      return;
    }
    size_t n = 0, asked = rest ? rest : s->in_cap - s->in_len;
    CURLcode rc = conn_recv(s, s->in + s->in_len, asked, &n);
    if (rc == CURLE_AGAIN) return;
    if (rc != CURLE_OK || n == 0) {
      if (s->close_sent && s->close_received) {
        eddy__ws_finish(s, s->peer_code, s->peer_reason, s->peer_reason_len, 1, NULL);
      } else if (rc == CURLE_OK) {
        eddy__ws_fail(s, 0, "the server closed the connection%s",
                s->state == ST_HANDSHAKE ? " during the opening handshake" : "");
      } else {
        eddy__ws_fail(s, 0, "connection lost: %s", curl_easy_strerror(rc));
      }
      return;
    }
    s->in_len += n;
    budget = n < budget ? budget - n : 0;
    if (s->state == ST_HANDSHAKE) {
      int r = eddy__ws_take_head(s, n);
      if (r > 0) continue;
      if (r < 0) return;
    }
    if (s->close_received) {
      s->in_len = 0; /* nothing may follow a close frame (RFC 6455 5.5.1) */
      continue;
    }
    if (s->state >= ST_OPEN && eddy__ws_parse_frames(s)) return;
    if (s->raw && n < asked) return;
  }
}

static void on_io(uv_poll_t *handle, int status, int events) {
  wpoll *p = (wpoll *)handle;
  ws *s = p->s;
  eddy__busy_poll_woke(s->w->e, &s->w->busy);
  if (s->finished || s->close_queued || atomic_load(&s->w->e->closing)) return;
  if (status < 0) events = UV_READABLE | UV_WRITABLE; /* let curl report the socket's error */
  if (events & UV_WRITABLE) {
    if (eddy__ws_flush(s)) return;
  }
  if (events & UV_READABLE) eddy__ws_read_all(s);
  /* Replies (pongs, a close echo) queued while reading. */
  if (!s->close_queued && s->out_len > s->out_off) eddy__ws_flush(s);
}

/* ---- dispatch ---------------------------------------------------------------------------------- */

/* context: the buffer bytes points into, if not bytes itself. */
static void free_bytes(void *bytes, void *context) {
  free(context ? context : bytes);
}

static JSValueRef utf8_value(JSContextRef ctx, const char *s) {
  JSValueRef exc = NULL;
  JSValueRef v = eddy__js_string_value(ctx, s ? s : "", s ? strlen(s) : 0, &exc);
  return v ? v : JSValueMakeUndefined(ctx);
}

static int send_value(JSContextRef ctx, ws *s, JSValueRef data, JSValueRef *exc);

/* What an open or message event's handlers sent: websocket.js, told it may (the third
   argument), returns their text send()s instead of making a native call for each, a string or
   an array of them. Written in the check phase with the rest. */
static void send_returned(void *data, JSValueRef r) {
  ws *s = data;
  JSContextRef ctx = s->w->e->ctx;
  JSValueRef exc = NULL;
  if (JSValueIsString(ctx, r)) {
    send_value(ctx, s, r, &exc);
    return;
  }
  if (!JSValueIsObject(ctx, r)) return;
  for (unsigned i = 0;; i++) {
    JSValueRef m = JSObjectGetPropertyAtIndex(ctx, (JSObjectRef)r, i, &exc);
    if (!m || !JSValueIsString(ctx, m) || send_value(ctx, s, m, &exc)) return;
  }
}

static int dispatch_event(eddy__ws *w, ws *s, evt *v) {
  JSContextRef ctx = w->e->ctx;
  JSValueRef args[6];
  size_t argc = 1;
  args[0] = JSValueMakeNumber(ctx, v->kind);
  if (v->kind == EV_OPEN) {
    args[1] = utf8_value(ctx, v->s1);
    args[2] = utf8_value(ctx, v->s2);
    args[3] = JSValueMakeBoolean(ctx, eddy__task_batched(w->e));
    argc = 4;
  } else if (v->kind == EV_TEXT) {
    static const uint16_t none = 0;
    JSStringRef js = eddy__jsstring_from_utf16(v->text ? v->text : &none, v->len);
    args[1] = js ? JSValueMakeString(ctx, js) : JSValueMakeUndefined(ctx);
    if (js) JSStringRelease(js);
    /* The MessageEvent's timeStamp: read here, a clock call cheaper than JS's. */
    args[2] = JSValueMakeNumber(ctx, eddy__performance_now(w->e));
    args[3] = JSValueMakeBoolean(ctx, eddy__task_batched(w->e));
    argc = 4;
  } else if (v->kind == EV_BINARY) {
    uint8_t *b = v->bytes ? v->bytes : malloc(1), *base = v->base;
    v->bytes = v->base = NULL;
    JSObjectRef ab = b ? JSObjectMakeArrayBufferWithBytesNoCopy(ctx, b, v->len, free_bytes, base,
                                                                 NULL)
                       : NULL;
    args[1] = ab ? (JSValueRef)ab : JSValueMakeUndefined(ctx);
    args[2] = JSValueMakeNumber(ctx, eddy__performance_now(w->e));
    args[3] = JSValueMakeBoolean(ctx, eddy__task_batched(w->e));
    argc = 4;
  } else if (v->kind == EV_CLOSING || v->kind == EV_DRAIN) {
    argc = 1;
  } else {
    args[1] = JSValueMakeNumber(ctx, v->code);
    args[2] = utf8_value(ctx, v->s1);
    args[3] = JSValueMakeBoolean(ctx, v->clean);
    args[4] = v->s2 ? utf8_value(ctx, v->s2) : JSValueMakeUndefined(ctx);
    args[5] = JSValueMakeNumber(ctx, (double)s->buffered);
    argc = 6;
  }
  if (v->kind == EV_CLOSE && v->s2) {
    /* Browsers say why in the console; a host reads it in its log. */
    char line[512];
    const char *u = s->url;
    int tls = strncmp(u, "https:", 6) == 0;
    int n = snprintf(line, sizeof line, "WebSocket connection to '%s%s' failed: %s",
                     tls ? "wss" : "ws", u + (tls ? 5 : 4), v->s2);
    eddy__log(w->e, EDDY_LOG_WARN, line, n < 0 ? 0 : (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
  }
  JSObjectRef fn = s->on_event;
  int st = fn ? eddy__task_call_then(w->e, fn, NULL, argc, args, argc == 4 ? send_returned : NULL, s)
             : 0;
  if (v->kind == EV_CLOSE) ws_release(s);
  return st;
}

static int deliver_ready(eddy_engine *e, void *data) {
  eddy__ws *w = data;
  while (w->rq_head && !atomic_load(&e->closing)) {
    if (atomic_load(&e->queued)) return 1;
    ws *s = w->rq_head;
    evt *v = s->ev_head;
    if (!v || s->finished) {
      w->rq_head = s->rq_next;
      if (!w->rq_head) w->rq_tail = NULL;
      s->in_rq = 0;
      s->rq_next = NULL;
      ws_maybe_free(s);
      continue;
    }
    s->ev_head = v->next;
    if (!s->ev_head) s->ev_tail = NULL;
    int st = dispatch_event(w, s, v);
    eddy__ws_evt_free(v);
    if (st == EDDY_EINTERRUPTED) return 1;
  }
  return 0;
}

static void on_deliver(uv_check_t *check) {
  eddy__ws *w = check->data;
  uv_check_stop(check);
  uv_idle_stop(&w->no_block);
  if (atomic_load(&w->e->closing) || w->dispatching) return;
  if (w->rq_head) {
    w->dispatching = 1;
    eddy__batch(w->e, deliver_ready, w);
    w->dispatching = 0;
  }
  for (ws *s = w->live; s; s = s->next) {
    if (s->read_more && !s->paused && !s->close_queued) {
      s->read_more = 0;
      eddy__ws_read_all(s);
      if (!s->close_queued && s->out_len > s->out_off) eddy__ws_flush(s);
    }
    if (!s->flush_later) continue;
    s->flush_later = 0;
    if (!s->close_queued) eddy__ws_flush(s);
  }
  if (w->rq_head && !atomic_load(&w->e->closing)) {
    uv_check_start(&w->deliver, on_deliver);
    uv_idle_start(&w->no_block, on_no_block);
  }
}

/* ---- natives ------------------------------------------------------------------------------------ */

/* send() never writes: the socket is written in the check phase of this loop turn, once for
   everything the turn's JS sent (after the dispatch of a turn's events, for their handlers).
   bufferedAmount right after send() is then the message's size, as in browsers. */
static void schedule_flush(ws *s) {
  eddy__ws *w = s->w;
  s->flush_later = 1;
  if (!w->dispatching) {
    uv_check_start(&w->deliver, on_deliver);
    uv_idle_start(&w->no_block, on_no_block);
  }
}

static char *js_utf8(JSContextRef ctx, JSValueRef v, JSValueRef *exc, size_t *len) {
  JSStringRef js = JSValueToStringCopy(ctx, v, exc);
  if (!js) return NULL;
  char *out = NULL;
  size_t n = 0;
  int st = eddy__jsstring_to_utf8(js, &out, &n);
  JSStringRelease(js);
  if (st) {
    eddy__throw_type_error(ctx, exc, "out of memory");
    return NULL;
  }
  if (len) *len = n;
  return out;
}

/* A byte string (every unit at most 0xFF, as Headers makes header values) as its bytes, the
   way fetch sends header values: NULL with *exc set otherwise. */
static char *js_bytes(JSContextRef ctx, JSValueRef v, JSValueRef *exc) {
  JSStringRef js = JSValueToStringCopy(ctx, v, exc);
  if (!js) return NULL;
  const JSChar *u = JSStringGetCharactersPtr(js);
  size_t n = JSStringGetLength(js);
  char *out = malloc(n + 1);
  for (size_t i = 0; out && i < n; i++) {
    if (u[i] > 0xFF || u[i] == 0) {
      free(out);
      JSStringRelease(js);
      eddy__throw_type_error(ctx, exc, "header lines must be a byte string");
      return NULL;
    }
    out[i] = (char)u[i];
  }
  JSStringRelease(js);
  if (!out) {
    eddy__throw_type_error(ctx, exc, "out of memory");
    return NULL;
  }
  out[n] = '\0';
  return out;
}

static ws *find(eddy__ws *w, JSContextRef ctx, JSValueRef v) {
  if (!w || !JSValueIsNumber(ctx, v)) return NULL;
  double d = JSValueToNumber(ctx, v, NULL);
  if (!(d >= 1 && d <= MAX_ID)) return NULL;
  for (ws *s = w->live; s; s = s->next)
    if (s->id == (uint32_t)d) return s;
  return NULL;
}

/* As fetch's transfers (http_on_spin): a server that answers within a few tens of µs is
   polled for rather than slept on, while a connection reads. */
static void on_spin(uv_prepare_t *prep) {
  eddy__ws *w = prep->data;
  w->busy.sleep_ns = 0;
  for (ws *s = w->live; s; s = s->next)
    if (s->state == ST_OPEN && !s->paused) {
      eddy__busy_poll(w->e, &w->busy);
      return;
    }
}

static int start_loop_handles(eddy__ws *w) {
  if (w->started) return 0;
  uv_check_init(&w->e->loop, &w->deliver);
  w->deliver.data = w;
  uv_idle_init(&w->e->loop, &w->no_block);
  w->no_block.data = w;
  uv_prepare_init(&w->e->loop, &w->spin);
  uv_unref((uv_handle_t *)&w->spin); /* the connections keep the loop alive, not this */
  w->spin.data = w;
  uv_prepare_start(&w->spin, on_spin);
  w->started = 1;
  w->handles = 3;
  return 0;
}

/* wsConnect(curlURL, hostHeader, target, protocols, onEvent, blocked, headers) → id. protocols:
   "a, b" or "". blocked: undefined, or why the connection fails without being tried (a bad
   port). headers: undefined, or request header lines that websocket.js checked. */
static JSValueRef js_ws_connect(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                                const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  eddy_engine *e = eddy__engine_of(ctx);
  eddy__ws *w = e->ws;
  if (!w || atomic_load(&e->closing)) return JSValueMakeNumber(ctx, 0);
  if (argc < 5 || !JSValueIsObject(ctx, argv[4]) || !JSObjectIsFunction(ctx, (JSObjectRef)argv[4]))
    return eddy__throw_type_error(ctx, exc, "wsConnect(url, host, target, protocols, onEvent)");
  start_loop_handles(w);
  char *url = js_utf8(ctx, argv[0], exc, NULL);
  char *host = url ? js_utf8(ctx, argv[1], exc, NULL) : NULL;
  char *target = host ? js_utf8(ctx, argv[2], exc, NULL) : NULL;
  char *protocols = target ? js_utf8(ctx, argv[3], exc, NULL) : NULL;
  int is_blocked = argc > 5 && JSValueIsString(ctx, argv[5]);
  char *blocked = protocols && is_blocked ? js_utf8(ctx, argv[5], exc, NULL) : NULL;
  int has_headers = argc > 6 && JSValueIsString(ctx, argv[6]);
  char *headers = protocols && (blocked || !is_blocked) && has_headers
                      ? js_bytes(ctx, argv[6], exc)
                      : NULL;
  int got = protocols && (blocked || !is_blocked) && (headers || !has_headers);
  ws *s = got ? calloc(1, sizeof(*s)) : NULL;
  if (!s) {
    free(url);
    free(host);
    free(target);
    free(protocols);
    free(blocked);
    free(headers);
    if (!*exc) eddy__throw_type_error(ctx, exc, "out of memory");
    return NULL;
  }
  s->w = w;
  s->url = url;
  s->protocols = protocols;
  s->headers = headers;
  s->client_bits = 15;
  uv_timer_init(&e->loop, &s->curl_timer);
  uv_timer_init(&e->loop, &s->deadline);
  s->curl_timer.data = s->deadline.data = s;
  s->handles = 2;
  do {
    w->next_id = w->next_id >= MAX_ID ? 1 : w->next_id + 1;
  } while (find(w, ctx, JSValueMakeNumber(ctx, w->next_id)));
  s->id = w->next_id;
  s->next = w->live;
  if (w->live) w->live->prev = s;
  w->live = s;
  s->on_event = (JSObjectRef)argv[4];
  JSValueProtect(ctx, s->on_event);
  atomic_fetch_add(&e->pending, 1);
  s->counted = 1;

  const char *why = blocked ? blocked : eddy__ws_connect(s, host, target);
  free(host);
  free(target);
  uv_timer_start(&s->deadline, on_deadline, w->open_timeout_ms, 0);
  if (why) eddy__ws_handshake_failed(s, why); /* reported as events, after the script ran */
  free(blocked);
  return JSValueMakeNumber(ctx, s->id);
}

/* wsSend(id, data): a string is a text message, a Uint8Array a binary one. */
#define SMALL_TEXT 1024 /* UTF-16 units of a text message converted on the stack */
/* Queues data (a string or a Uint8Array) as a message on s. 0, or -1 with *exc set. */
static int send_value(JSContextRef ctx, ws *s, JSValueRef data, JSValueRef *exc) {
  if (s->state != ST_OPEN || s->close_sent || s->close_queued) return 0;
  int st;
  if (JSValueIsString(ctx, data)) {
    JSStringRef js = JSValueToStringCopy(ctx, data, exc);
    if (!js) return -1;
    size_t units = JSStringGetLength(js);
    if (units <= SMALL_TEXT) {
      /* Straight from JSC's string (Latin-1 ones are not widened first), on the stack. JS made
         it well-formed (USVString): the conversion is exact, NULs included. */
      char buf[SMALL_TEXT * 3 + 1];
      size_t n = JSStringGetUTF8CString(js, buf, sizeof buf);
      JSStringRelease(js);
      st = eddy__ws_send_message(s, OP_TEXT, (const uint8_t *)buf, n ? n - 1 : 0);
    } else {
      char *text = NULL;
      size_t n = 0;
      int cst = eddy__jsstring_to_utf8(js, &text, &n);
      JSStringRelease(js);
      if (cst) {
        eddy__throw_type_error(ctx, exc, "out of memory");
        return -1;
      }
      st = eddy__ws_send_message(s, OP_TEXT, (const uint8_t *)text, n);
      free(text);
    }
  } else {
    JSObjectRef o = (JSObjectRef)data;
    /* JSC's bytes pointer is the start of the whole buffer, not of the view. */
    const uint8_t *b = JSObjectGetTypedArrayBytesPtr(ctx, o, exc);
    size_t n = JSObjectGetTypedArrayByteLength(ctx, o, exc);
    size_t off = JSObjectGetTypedArrayByteOffset(ctx, o, exc);
    if (*exc) return -1;
    if (b) b += off;
    st = eddy__ws_send_message(s, OP_BINARY, b ? b : (const uint8_t *)"", n);
  }
  if (st) eddy__ws_fail(s, 1011, "%s", "out of memory queueing a message");
  else schedule_flush(s);
  return 0;
}

static JSValueRef ws_send(JSContextRef ctx, eddy__ws *w, size_t argc, const JSValueRef argv[],
                          JSValueRef *exc) {
  ws *s = argc >= 2 ? find(w, ctx, argv[0]) : NULL;
  if (s && send_value(ctx, s, argv[1], exc)) return NULL;
  return JSValueMakeUndefined(ctx);
}

static JSValueRef js_ws_send(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                             const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  eddy_engine *e = eddy__engine_of(ctx);
  /* JSC dropped its lock to call us: held across the function, the API calls below are cheap
     recursive acquisitions instead of full ones (once per message sent). */
  eddy__jsc_lock_holder lock;
  eddy__jsc_lock(&e->jsc, &lock, e->group);
  JSValueRef r = ws_send(ctx, e->ws, argc, argv, exc);
  eddy__jsc_unlock(&e->jsc, &lock);
  return r;
}

/* wsClose(id, code, reason): code -1 sends a close frame without a body; a socket still
   connecting fails. */
static JSValueRef js_ws_close(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                              const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  eddy__ws *w = eddy__engine_of(ctx)->ws;
  ws *s = argc >= 3 ? find(w, ctx, argv[0]) : NULL;
  if (!s || s->close_queued || s->close_sent) return JSValueMakeUndefined(ctx);
  if (s->state == ST_CONNECTING || s->state == ST_HANDSHAKE) {
    eddy__ws_fail(s, 0, "%s", "WebSocket closed before the connection was established");
    return JSValueMakeUndefined(ctx);
  }
  int code = (int)JSValueToNumber(ctx, argv[1], NULL);
  s->paused = 0; /* the server's close frame has to be read */
  size_t rlen = 0;
  char *reason = js_utf8(ctx, argv[2], exc, &rlen);
  if (!reason) return NULL;
  int st = eddy__ws_queue_close(s, code > 0 ? code : 0, reason, rlen);
  free(reason);
  s->state = ST_CLOSING;
  if (st) {
    eddy__ws_fail(s, 0, "%s", "out of memory");
    return JSValueMakeUndefined(ctx);
  }
  uv_timer_start(&s->deadline, on_deadline, w->close_timeout_ms, 0);
  eddy__ws_flush(s);
  return JSValueMakeUndefined(ctx);
}

static JSValueRef js_ws_buffered(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                                 const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  (void)exc;
  ws *s = argc >= 1 ? find(eddy__engine_of(ctx)->ws, ctx, argv[0]) : NULL;
  if (!s) return JSValueMakeNumber(ctx, 0);
  uint64_t buffered = s->buffered;
  if (s->marks_len) {
    /* The message being written counts only its bytes not yet written (in proportion for a
       compressed one, whose frame does not carry the message's bytes as they are). */
    const mark *m = &s->marks[s->marks_head];
    if (s->written_total > m->body && m->end > m->body) {
      uint64_t done = s->written_total - m->body, len = m->end - m->body;
      buffered -= len == m->payload ? done
                                    : (uint64_t)((double)m->payload * ((double)done / (double)len));
    }
  }
  return JSValueMakeNumber(ctx, (double)buffered);
}

/* wsPause(id, paused): stops or resumes reading the socket (a WebSocketStream's readable is full,
   or pulls again). Resuming reads at once: TLS may hold bytes the socket no longer signals. */
static JSValueRef js_ws_pause(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                              const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  (void)exc;
  ws *s = argc >= 2 ? find(eddy__engine_of(ctx)->ws, ctx, argv[0]) : NULL;
  if (!s || s->close_queued) return JSValueMakeUndefined(ctx);
  int paused = JSValueToBoolean(ctx, argv[1]);
  if (paused == (int)s->paused || (paused && s->close_sent)) return JSValueMakeUndefined(ctx);
  s->paused = (unsigned)paused;
  if (s->state != ST_OPEN && s->state != ST_CLOSING) return JSValueMakeUndefined(ctx);
  int writing = s->out_len > s->out_off;
  io_watch(s, UV_READABLE | (writing ? UV_WRITABLE : 0));
  if (!paused) {
    eddy__ws_read_all(s);
    if (!s->close_queued && s->out_len > s->out_off) eddy__ws_flush(s);
  }
  return JSValueMakeUndefined(ctx);
}

/* wsWatchDrain(id): an event (6) once everything queued was written. */
static JSValueRef js_ws_watch_drain(JSContextRef ctx, JSObjectRef f, JSObjectRef self,
                                    size_t argc, const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  (void)exc;
  ws *s = argc >= 1 ? find(eddy__engine_of(ctx)->ws, ctx, argv[0]) : NULL;
  if (!s || s->close_queued) return JSValueMakeUndefined(ctx);
  if (s->marks_len == 0) eddy__ws_push_event(s, EV_DRAIN);
  else s->want_drain = 1;
  return JSValueMakeUndefined(ctx);
}

/* ---- lifecycle ------------------------------------------------------------------------------- */

int eddy__ws_init(eddy_engine *e, JSObjectRef native) {
  eddy__ws *w = calloc(1, sizeof(*w));
  if (!w) return EDDY_ENOMEM;
  w->e = e;
  w->rnd_pos = sizeof w->rnd;
  w->max_message = e->opts.max_websocket_message ? e->opts.max_websocket_message
                                                 : DEFAULT_MAX_MESSAGE;
  if (w->max_message > EDDY__JS_STRING_MAX) w->max_message = EDDY__JS_STRING_MAX;
  w->open_timeout_ms = e->opts.websocket_timeout_ms ? e->opts.websocket_timeout_ms
                                                    : DEFAULT_OPEN_TIMEOUT_MS;
  w->close_timeout_ms = e->opts.websocket_timeout_ms ? e->opts.websocket_timeout_ms
                                                     : DEFAULT_CLOSE_TIMEOUT_MS;
  e->ws = w;
  eddy__set_function(e->ctx, native, "wsConnect", js_ws_connect);
  eddy__set_function(e->ctx, native, "wsSend", js_ws_send);
  eddy__set_function(e->ctx, native, "wsClose", js_ws_close);
  eddy__set_function(e->ctx, native, "wsBufferedAmount", js_ws_buffered);
  eddy__set_function(e->ctx, native, "wsPause", js_ws_pause);
  eddy__set_function(e->ctx, native, "wsWatchDrain", js_ws_watch_drain);
  return 0;
}

static void on_engine_handle_closed(uv_handle_t *h) {
  eddy__ws *w = h->data;
  if (--w->handles == 0) free(w);
}

/* JS thread, at teardown: every open socket says 1001 (going away) to its server, as far as the
   socket takes it without waiting, then everything is released without calling JS. */
void eddy__ws_close(eddy_engine *e) {
  eddy__ws *w = e->ws;
  if (!w) return;
  e->ws = NULL;
  for (ws *s = w->rq_head, *next; s; s = next) {
    next = s->rq_next;
    s->in_rq = 0;
    ws_maybe_free(s); /* released already, its handles closed meanwhile */
  }
  w->rq_head = w->rq_tail = NULL;
  while (w->live) {
    ws *s = w->live;
    if (s->state == ST_OPEN && !s->close_sent && !s->close_queued &&
        eddy__ws_queue_close(s, 1001, NULL, 0) == 0)
      send_before_closing(s);
    ws_release(s);
  }
  if (!w->started) {
    free(w);
    return;
  }
  uv_close((uv_handle_t *)&w->deliver, on_engine_handle_closed);
  uv_close((uv_handle_t *)&w->no_block, on_engine_handle_closed);
  uv_close((uv_handle_t *)&w->spin, on_engine_handle_closed);
}
