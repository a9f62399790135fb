/* HTTP transfers, libcurl's side: the callbacks curl makes while it moves bytes (they only
   record, never call JS) and the sockets and timer that put curl on the engine's libuv loop. */
#include <poll.h>
#include <sched.h>
#include <strings.h>
#include <unistd.h>

#include "http.h"

/* ---- curl callbacks: record only, never call JS ------------------------------------------ */

/* Appends s + '\n' to x->head_buf, lower-cased for names. */
static int head_append(xfer *x, const char *s, size_t len, int lower) {
  if (x->head_len + len + 1 > HEAD_MAX) {
    x->head_too_large = 1;
    return -1;
  }
  if (http_grow((void **)&x->head_buf, &x->head_cap, x->head_len + len + 1, 1)) return -1;
  char *d = x->head_buf + x->head_len;
  if (lower) {
    for (size_t i = 0; i < len; i++) {
      unsigned char c = (unsigned char)s[i];
      d[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
  } else if (len) {
    memcpy(d, s, len);
  }
  d[len] = '\n';
  x->head_len += len + 1;
  return 0;
}

static int is_ws(char c) { return c == ' ' || c == '\t'; }

static void head_complete(xfer *x) {
  x->head = HEAD_READY;
  if (x->uploading) x->h->answered_uploads = 1;
  rq_push(x->h, x);
}

size_t http_on_header(char *buf, size_t size, size_t n, void *userdata) {
  xfer *x = userdata;
  size_t len = size * n;
  if (x->head != HEAD_NONE) return len; /* trailers after the final head */
  size_t end = len;
  while (end && (buf[end - 1] == '\r' || buf[end - 1] == '\n')) end--;
  if (end >= 5 && memcmp(buf, "HTTP/", 5) == 0) {
    /* A new status line: "HTTP/1.1 200 OK", "HTTP/2 200". 1xx heads are replaced by the next. */
    size_t i = 5;
    while (i < end && !is_ws(buf[i])) i++;
    while (i < end && is_ws(buf[i])) i++;
    int status = 0, digits = 0;
    while (i < end && buf[i] >= '0' && buf[i] <= '9' && digits < 3) {
      status = status * 10 + (buf[i++] - '0');
      digits++;
    }
    while (i < end && is_ws(buf[i])) i++;
    size_t rend = end;
    while (rend > i && is_ws(buf[rend - 1])) rend--;
    x->status = status;
    x->seen_status = 1;
    x->head_len = 0;
    x->has_length = 0;
    x->encoded = 0;
    http_decoder_free(x->dec); /* a new response: an interim one's codings are not this one's */
    x->dec = NULL;
    x->raw_body = 0;
    if (http_grow((void **)&x->reason, &x->reason_cap, rend - i + 1, 1)) return 0;
    if (rend > i) memcpy(x->reason, buf + i, rend - i);
    x->reason_len = rend - i;
    return len;
  }
  if (end == 0) { /* the blank line ending a head */
    if (x->status >= 200) head_complete(x);
    return len;
  }
  if (!x->seen_status || is_ws(buf[0])) return len; /* no status line yet / obs-fold */
  const char *colon = memchr(buf, ':', end);
  if (!colon) return len;
  size_t nlen = (size_t)(colon - buf);
  while (nlen && is_ws(buf[nlen - 1])) nlen--;
  if (nlen == 0) return len;
  size_t vs = (size_t)(colon - buf) + 1, ve = end;
  while (vs < ve && is_ws(buf[vs])) vs++;
  while (ve > vs && is_ws(buf[ve - 1])) ve--;
  size_t name_at = x->head_len;
  if (head_append(x, buf, nlen, 1) || head_append(x, buf + vs, ve - vs, 0)) return 0;
  const char *name = x->head_buf + name_at;
  if (nlen == 14 && memcmp(name, "content-length", 14) == 0) {
    uint64_t v = 0;
    size_t i = vs, ok = vs < ve;
    for (; i < ve && ok; i++) {
      if (buf[i] < '0' || buf[i] > '9' || v > (UINT64_MAX - 9) / 10) ok = 0;
      else v = v * 10 + (uint64_t)(buf[i] - '0');
    }
    if (ok && !x->has_length) {
      x->has_length = 1;
      x->content_length = v;
    }
  } else if (nlen == 16 && memcmp(name, "content-encoding", 16) == 0) {
    if (!(ve - vs == 8 && strncasecmp(buf + vs, "identity", 8) == 0) && ve > vs) x->encoded = 1;
    /* A coding eddy does not know leaves the body as it came, as Node's fetch does (libcurl
       failed the transfer). Decoding is off for a script that set its own Accept-Encoding. */
    if (x->decompress && !x->raw_body && http_decoder_add(&x->dec, buf + vs, ve - vs) < 0) {
      http_decoder_free(x->dec);
      x->dec = NULL;
      x->raw_body = 1;
    }
  }
  return len;
}

/* A streamed request body: curl takes the script's latest chunk (x->req_body); once it took all
   of it, the transfer pauses and on_need asks the script for the next one, so the script
   produces no faster than the socket drains. */
size_t http_on_read(char *buf, size_t size, size_t n, void *userdata) {
  xfer *x = userdata;
  size_t room = size * n, left = x->up_len - x->up_off;
  if (!x->uploading) return 0;
  if (x->head != HEAD_NONE && !x->up_eof) {
    /* The server answered before the upload ended. Over HTTP/2, libcurl 7.88 waits forever
       for a flow-control window such a server never opens (see setup): the request ends
       here instead, with an END_STREAM that needs no window. HTTP/1.1 goes on sending. */
    long version = 0;
    curl_easy_getinfo(x->easy, CURLINFO_HTTP_VERSION, &version);
    if (version == CURL_HTTP_VERSION_2_0) {
      x->up_eof = 1;
      x->up_len = x->up_off = 0;
      return 0;
    }
  }
  if (left) {
    size_t k = left < room ? left : room;
    memcpy(buf, x->req_body + x->up_off, k);
    x->up_off += k;
    return k;
  }
  if (x->up_eof) return 0;
  if (!x->up_need) {
    x->up_need = 1;
    rq_push(x->h, x);
  }
  x->up_paused = 1;
  return CURL_READFUNC_PAUSE;
}

void xfer_set_idle(xfer *x, int idle) {
  if (x->idle == (unsigned)idle || !x->live) return;
  x->idle = (unsigned)idle;
  if (idle) atomic_fetch_sub(&x->h->e->pending, 1);
  else atomic_fetch_add(&x->h->e->pending, 1);
}

/* Bytes of a streamed body that wait in x->body for the script. */
size_t xfer_waiting(const xfer *x) { return x->body_len - x->body_off; }

/* STREAM_HWM bytes wait for the script: the transfer pauses until the next pull (send_data
   resumes it); a transfer nobody pulls is then no pending work of the engine. Returns 1 if this
   write is to be refused with CURL_WRITEFUNC_PAUSE, which makes libcurl copy the rest of its
   read aside (up to RECV_BUFFER bytes) and replay it after the pull. Over HTTP/1.x the pause is
   asked with curl_easy_pause instead, and the rest of the read, which libcurl 7.88 goes on
   delivering, is taken (CHUNK_CAP has room for it): no copy aside, which is what lets reads be
   RECV_BUFFER large (bench/README.md, 2026-12-03). A libcurl that holds the rest itself is as
   the return value. HTTP/2 and 3 keep the return value, whose stream flow control
   tests/c/test_http.c covers. */
static int stream_hold(xfer *x, size_t len) {
  if (!x->paused) {
    x->paused = 1;
    if (!x->want) xfer_set_idle(x, 1);
    long version = 0;
    curl_easy_getinfo(x->easy, CURLINFO_HTTP_VERSION, &version);
    if (version != CURL_HTTP_VERSION_1_0 && version != CURL_HTTP_VERSION_1_1) return 1;
    /* CURLPAUSE_RECV alone would also resume an upload paused by http_on_read */
    if (curl_easy_pause(x->easy, CURLPAUSE_RECV | (x->up_paused ? CURLPAUSE_SEND : 0)))
      return 1;
  }
  return xfer_waiting(x) + len > CHUNK_CAP;
}

/* A streamed body: chunks go into the view of a pending BYOB read, or wait in x->body for the
   script's pull (handed over whole by send_data). A view is only ever set while no byte waits,
   and one write is far below STREAM_HWM, so a pause never follows a partial copy. */
static size_t stream_write(xfer *x, const char *ptr, size_t len) {
  size_t total = len, room = x->into ? x->into_len - x->into_filled : 0;
  if (!room && xfer_waiting(x) >= STREAM_HWM && stream_hold(x, len)) return CURL_WRITEFUNC_PAUSE;
  if (room) {
    size_t k = len < room ? len : room;
    memcpy(x->into_ptr + x->into_filled, ptr, k);
    x->into_filled += k;
    ptr += k;
    len -= k;
    if (!len) {
      if (x->want) rq_push(x->h, x);
      return total;
    }
  }
  if (x->body_off && len > x->body_cap - x->body_len) { /* reuse what the views took */
    memmove(x->body, x->body + x->body_off, xfer_waiting(x));
    x->body_len -= x->body_off;
    x->body_off = 0;
  }
  if (!x->body && len <= CHUNK_CAP) {
    x->body = chunk_start(x);
    if (!x->body) {
      x->oom = 1;
      return 0;
    }
    x->body_cap = CHUNK_CAP;
    x->body_pooled = 1;
  }
  if (len > x->body_cap - x->body_len) { /* a buffer from before the first pull, or a write
                                             larger than curl's documented maximum */
    size_t need = x->body_len + len;
    uint8_t *p = x->body_pooled ? malloc(need) : realloc(x->body, need);
    if (!p) {
      x->oom = 1;
      return 0;
    }
    if (x->body_pooled) memcpy(p, x->body, x->body_len);
    x->body = p;
    x->body_cap = need;
    x->body_pooled = 0;
  }
  memcpy(x->body + x->body_len, ptr, len);
  x->body_len += len;
  if (x->want) rq_push(x->h, x);
  return total;
}

/* The buffer grows with the bytes that arrived, never from what the server claims: a
   Content-Length only trims the last doubling to the exact size (never more than doubling would
   have taken), so 40 responses claiming 1 GiB each reserve nothing. */
static size_t body_append(xfer *x, const char *ptr, size_t len) {
  if (len > x->body_cap - x->body_len) {
    size_t need = x->body_len + len;
    if (need < x->body_len || need > x->h->max_body) {
      x->too_large = 1; /* counted on decoded bytes: a 4 MB gzip bomb stops at the limit */
      return 0;
    }
    size_t cap = x->body_cap ? x->body_cap : FIRST_CHUNK;
    while (cap < need) {
      if (cap > SIZE_MAX / 2) {
        cap = need;
        break;
      }
      cap *= 2;
    }
    if (x->has_length && !(x->decompress && x->encoded) && x->content_length >= need &&
        x->content_length < cap)
      cap = (size_t)x->content_length;
    if (cap > x->h->max_body) cap = (size_t)x->h->max_body;
    uint8_t *p = realloc(x->body, cap);
    if (!p) {
      x->oom = 1;
      return 0;
    }
    x->body = p;
    x->body_cap = cap;
  }
  memcpy(x->body + x->body_len, ptr, len);
  x->body_len += len;
  return len;
}

/* ---- decoded bodies ----------------------------------------------------------------------- */

/* How many decoded bytes the body takes now: a view's room first, then up to STREAM_HWM (plus
   one piece) waiting, as stream_write holds a stream; all of it for a body read whole. */
static size_t decode_room(const xfer *x) {
  if (x->streaming) {
    if (x->into && x->into_len > x->into_filled) return x->into_len - x->into_filled;
    return xfer_waiting(x) < STREAM_HWM ? STREAM_HWM + CURL_MAX_WRITE_SIZE - xfer_waiting(x) : 0;
  }
  if (x->whole) return SIZE_MAX;
  return x->body_len < STREAM_HWM ? STREAM_HWM - x->body_len : 0;
}

/* Decodes the held coded bytes into the body while it has room. 1 if it stopped for room (the
   rest stays held), 0 once the decoder gave all it could, -1 on an error (x->bad_coding,
   x->oom or x->too_large). The decoder's own state is bounded (http_decode.c), so what a paused
   body holds is its coded bytes, never what they decode to. */
static int decode_pump(xfer *x) {
  uint8_t buf[16384];
  for (;;) {
    size_t room = decode_room(x);
    if (!room) return 1;
    size_t before = x->zin_len - x->zin_off, left = before;
    long k = http_decoder_run(x->dec, x->zin + x->zin_off, &left, buf,
                              room < sizeof buf ? room : sizeof buf);
    x->zin_off += before - left;
    if (x->zin_off == x->zin_len) x->zin_off = x->zin_len = 0;
    if (k < 0) {
      x->bad_coding = 1;
      return -1;
    }
    if (k == 0 && before == left) return 0;
    if (k > 0 && (x->streaming ? stream_write(x, (const char *)buf, (size_t)k)
                               : body_append(x, (const char *)buf, (size_t)k)) != (size_t)k)
      return -1;
  }
}

/* A coded piece from curl: kept, then decoded as far as the body has room. Out of room the
   transfer pauses (curl_easy_pause: this piece is taken, and the rest of curl's read joins it,
   at most HELD_MAX in all) until http_resume. */
static size_t decoded_write(xfer *x, const char *ptr, size_t len) {
  size_t held = x->zin_len - x->zin_off;
  if (x->held && held + len > HELD_MAX) return CURL_WRITEFUNC_PAUSE; /* curl keeps it */
  if (x->zin_off && x->zin_len + len > x->zin_cap) {
    memmove(x->zin, x->zin + x->zin_off, held);
    x->zin_off = 0;
    x->zin_len = held;
  }
  if (http_grow((void **)&x->zin, &x->zin_cap, x->zin_len + len, 1)) {
    x->oom = 1;
    return 0;
  }
  memcpy(x->zin + x->zin_len, ptr, len);
  x->zin_len += len;
  if (x->held) return len;
  int r = decode_pump(x);
  if (r < 0) return 0;
  if (r > 0) {
    x->held = 1;
    if (!x->paused) {
      x->paused = 1;
      if (!x->want) xfer_set_idle(x, 1);
      curl_easy_pause(x->easy, CURLPAUSE_RECV | (x->up_paused ? CURLPAUSE_SEND : 0));
    }
  }
  return len;
}

/* Lets a paused transfer go on, from the JS thread outside curl's callbacks, once the script made
   room (it took bytes, or asked for the body whole): a decoded body's held bytes are decoded
   first, and curl reads on only when none are left. A transfer that fails here (held bytes that
   do not decode, a body past max_response_body) ends here, since curl reports it to no one. */
void http_resume(eddy__http *h, xfer *x) {
  CURLcode rc = CURLE_WRITE_ERROR; /* with the reason's flag set by decode_pump */
  int r = x->held ? decode_pump(x) : 0;
  if (r > 0) { /* full again: waits for the next pull, as a pause in decoded_write does */
    if (!x->want) xfer_set_idle(x, 1);
    return;
  }
  if (r == 0) {
    x->held = 0;
    x->paused = 0;
    rc = curl_easy_pause(x->easy, CURLPAUSE_CONT);
  }
  if (rc != CURLE_OK && x->in_multi) {
    curl_multi_remove_handle(h->multi, x->easy);
    http_finished(h, x, rc);
    if (!h->dispatching) {
      uv_check_start(&h->deliver, http_on_deliver);
      uv_idle_start(&h->no_block, http_on_no_block);
    }
  }
}

size_t http_on_write(char *ptr, size_t size, size_t n, void *userdata) {
  xfer *x = userdata;
  size_t len = size * n;
  if (x->dec) return decoded_write(x, ptr, len);
  if (x->streaming) return stream_write(x, ptr, len);
  if (!x->whole && x->body_len >= STREAM_HWM) {
    /* Nobody said yet whether the body is read whole or streamed: what a slow script leaves
       unread is bounded as a stream's is, not by max_response_body. */
    x->paused = 1;
    xfer_set_idle(x, 1);
    return CURL_WRITEFUNC_PAUSE;
  }
  return body_append(x, ptr, len);
}

void http_on_sock_closed(uv_handle_t *handle) {
  sock *k = (sock *)handle;
  if (k->h) {
    if (k->prev) k->prev->next = k->next;
    else k->h->socks = k->next;
    if (k->next) k->next->prev = k->prev;
  }
  free(k);
}

void http_on_no_block(uv_idle_t *idle) { (void)idle; }

/* One curl_multi_socket_action, and the transfers it finished queued for delivery. Every
   callback of the loop turn's I/O phase only queues: the check phase delivers them all in one
   VM entry (http_on_deliver). */
static void act(eddy__http *h, curl_socket_t fd, int flags) {
  int running;
  h->kick = 0;
  curl_multi_socket_action(h->multi, fd, flags, &running);
  http_harvest(h);
  if (h->rq_head || h->kick) {
    uv_check_start(&h->deliver, http_on_deliver);
    /* Outside the I/O phase (the timer phase) the loop would block in poll before the check. */
    uv_idle_start(&h->no_block, http_on_no_block);
  }
}

/* Check phase, after the loop turn's I/O: delivers what the turn finished, as one batch. Then
   the transfers that JS started meanwhile (curl asks for a 0 ms timeout) are started right away
   instead of one loop iteration later: a response's handler that fetches again gets its request
   on the wire in the same turn, on the connection that just went idle. Bounded, so a chain of
   instant failures cannot starve I/O; the 0 ms uv timer takes over after that. */
void http_on_deliver(uv_check_t *check) {
  eddy__http *h = check->data;
  uv_check_stop(check);
  uv_idle_stop(&h->no_block);
  int running;
  for (int round = 0;; round++) {
    if (h->closing || atomic_load(&h->e->closing)) return;
    if (h->rq_head && !h->dispatching) {
      h->dispatching = 1;
      eddy__batch(h->e, http_deliver_ready, h);
      h->dispatching = 0;
    }
    if (!h->kick || round == 8) break;
    h->kick = 0;
    curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    http_harvest(h);
  }
}

/* Busy-polling. Sleeping in epoll_wait and being woken costs more than a loopback or LAN round
   trip on many machines (an idle vCPU halts; waking it takes tens of µs), so while transfers are
   in flight the loop polls its backend for up to busy_poll_us before it sleeps, but only after
   SHORT_STREAK waits in a row have each slept less than SHORT_WAIT budgets (wake-up included).
   One long wait stops it: a slow or distant server costs one budget now and then (a response in
   several packets makes short waits, but never enough in a row), and an engine with no transfer
   in flight never polls. Open WebSocket connections poll the same way (websocket.c). It yields
   the CPU between polls (docs/loop.md has the figures). */
#define SHORT_WAIT 4
#define SHORT_STREAK 3
void eddy__busy_poll(eddy_engine *e, eddy__spin *sp) {
  uint64_t budget = (uint64_t)e->opts.busy_poll_us * 1000u;
  sp->sleep_ns = 0;
  if (!budget || e->nowait) return;
  uv_loop_t *loop = &e->loop;
  if (uv_backend_timeout(loop) == 0) return; /* it will not sleep anyway */
  uint64_t now = uv_hrtime();
  if (sp->short_waits >= SHORT_STREAK) {
    struct pollfd p = {.fd = uv_backend_fd(loop), .events = POLLIN};
    uint64_t until = now + budget;
    do {
      if (poll(&p, 1, 0) > 0) return;
      /* A local server may be waiting for this very CPU: let it run. */
      sched_yield();
      now = uv_hrtime();
    } while (now < until);
  }
  sp->sleep_ns = now;
}

void eddy__busy_poll_woke(eddy_engine *e, eddy__spin *sp) {
  if (!sp->sleep_ns) return;
  uint64_t slept = uv_hrtime() - sp->sleep_ns;
  sp->sleep_ns = 0;
  if (slept > (uint64_t)e->opts.busy_poll_us * 1000u * SHORT_WAIT) sp->short_waits = 0;
  else if (sp->short_waits < SHORT_STREAK) sp->short_waits++;
}

void http_on_spin(uv_prepare_t *prep) {
  eddy__http *h = prep->data;
  h->busy.sleep_ns = 0;
  if (h->count == 0) return;
  eddy__busy_poll(h->e, &h->busy);
}

static void on_poll(uv_poll_t *handle, int status, int events) {
  sock *k = (sock *)handle;
  eddy__http *h = k->h;
  if (!h || h->closing || atomic_load(&h->e->closing)) return;
  eddy__busy_poll_woke(h->e, &h->busy); /* a socket woke the loop: was the wait short? */
  int flags = 0;
  if (status < 0) {
    /* POLLERR. As with curl's own poll(), curl learns what went wrong from the socket itself
       (CURL_CSELECT_ERR would fail the transfer outright): a reused connection that the server
       reset is then retried on a fresh one, and a refused connect still reports its errno.
       libuv has stopped the poll: re-arm it as curl left it (reading the error clears it). */
    if (k->parked) k->events = 0;
    else if (k->events) uv_poll_start(&k->poll, k->events, on_poll);
    flags = CURL_CSELECT_IN | CURL_CSELECT_OUT;
  } else {
    if (events & UV_READABLE) flags |= CURL_CSELECT_IN;
    if (events & UV_WRITABLE) flags |= CURL_CSELECT_OUT;
  }
  if (k->parked) return; /* curl is not watching it: its next transfer asks again */
  act(h, k->fd, flags);
}

static sock *sock_find(eddy__http *h, curl_socket_t fd) {
  return fd >= 0 && (size_t)fd < h->byfd_cap ? h->byfd[fd] : NULL;
}

/* Closes k's handle (freed by http_on_sock_closed); its fd is still open, so libuv can
   unregister it. */
static void sock_drop(eddy__http *h, sock *k) {
  if (sock_find(h, k->fd) == k) h->byfd[k->fd] = NULL;
  if (k->parked) {
    k->parked = 0;
    h->parked--;
  }
  if (!uv_is_closing((uv_handle_t *)&k->poll))
    uv_close((uv_handle_t *)&k->poll, http_on_sock_closed);
}

static sock *sock_new(eddy__http *h, curl_socket_t fd, int owned) {
  if (fd < 0) return NULL;
  sock *old = sock_find(h, fd);
  if (old) sock_drop(h, old); /* stale: its fd was closed without telling us */
  if ((size_t)fd >= h->byfd_cap) {
    size_t cap = h->byfd_cap;
    if (http_grow((void **)&h->byfd, &h->byfd_cap, (size_t)fd + 1, sizeof(*h->byfd))) return NULL;
    memset(h->byfd + cap, 0, (h->byfd_cap - cap) * sizeof(*h->byfd));
  }
  sock *k = calloc(1, sizeof(*k));
  if (!k) return NULL;
  if (uv_poll_init_socket(&h->e->loop, &k->poll, fd)) {
    free(k);
    return NULL;
  }
  k->h = h;
  k->fd = fd;
  k->owned = owned;
  k->next = h->socks;
  if (h->socks) h->socks->prev = k;
  h->socks = k;
  h->byfd[fd] = k;
  return k;
}

curl_socket_t http_on_open_socket(void *clientp, curlsocktype purpose,
                                  struct curl_sockaddr *addr) {
  (void)purpose;
  eddy__http *h = clientp;
  curl_socket_t fd = socket(addr->family, addr->socktype | SOCK_CLOEXEC, addr->protocol);
  if (fd == CURL_SOCKET_BAD) return fd;
  if (!sock_new(h, fd, 1)) {
    close(fd);
    return CURL_SOCKET_BAD;
  }
  return fd;
}

int http_on_close_socket(void *clientp, curl_socket_t fd) {
  eddy__http *h = clientp;
  sock *k = sock_find(h, fd);
  if (k) sock_drop(h, k);
  return close(fd);
}

/* Prepare phase, right before the loop polls: the sockets curl let go of in this iteration and
   did not take back are stopped now. */
static void on_unpark(uv_prepare_t *prep) {
  eddy__http *h = prep->data;
  for (sock *k = h->socks; k && h->parked; k = k->next) {
    if (!k->parked) continue;
    k->parked = 0;
    h->parked--;
    k->events = 0;
    uv_poll_stop(&k->poll);
  }
  h->parked = 0;
  uv_prepare_stop(prep);
}

/* libuv re-registers a poll with epoll on every uv_poll_start and unregisters it on every
   uv_poll_stop, even when nothing changes; a keep-alive request would pay three epoll_ctl calls.
   So a poll is only restarted when its events change, and a kept-alive connection that curl
   releases stays "parked" (still polled, events ignored) until the next prepare phase: the next
   request on it, usually started by the very response handler that released it, takes it back
   for free. */
int http_on_curl_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp) {
  (void)easy;
  eddy__http *h = userp;
  sock *k = socketp ? socketp : sock_find(h, fd);
  if (what == CURL_POLL_REMOVE) {
    if (!k) return 0;
    if (!k->owned) sock_drop(h, k);
    else if (k->events && !k->parked) {
      k->parked = 1;
      if (h->parked++ == 0) uv_prepare_start(&h->unpark, on_unpark);
    }
    return 0;
  }
  if (!k && !(k = sock_new(h, fd, 0))) return -1;
  if (!socketp) curl_multi_assign(h->multi, fd, k);
  if (k->parked) {
    k->parked = 0;
    h->parked--;
  }
  int events = 0;
  if (what & CURL_POLL_IN) events |= UV_READABLE;
  if (what & CURL_POLL_OUT) events |= UV_WRITABLE;
  if (events != k->events) {
    uv_poll_start(&k->poll, events, on_poll);
    k->events = events;
  }
  return 0;
}

static void on_uv_timer(uv_timer_t *timer) {
  eddy__http *h = timer->data;
  if (h->closing || atomic_load(&h->e->closing)) return;
  act(h, CURL_SOCKET_TIMEOUT, 0);
}

int http_on_curl_timer(CURLM *multi, long timeout_ms, void *userp) {
  (void)multi;
  eddy__http *h = userp;
  h->kick = timeout_ms == 0;
  /* The uv timer also covers a 0 ms timeout, for transfers started outside act() (from a timer
     callback or a host call): it runs in the next iteration, never inside curl. */
  if (timeout_ms < 0) uv_timer_stop(&h->timer);
  else uv_timer_start(&h->timer, on_uv_timer, (uint64_t)timeout_ms, 0);
  return 0;
}
