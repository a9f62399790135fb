/* native.wsConnect / wsSend / wsClose / wsBufferedAmount: the transport and RFC 6455 framing of
   WebSocket (src/js/websocket.js is the WHATWG class; contract in src/js/README.md).

   Transport. libcurl 7.88 (Debian 12) has no WebSocket support compiled in, so libcurl only
   connects: CURLOPT_CONNECT_ONLY on a multi handle of the socket's own, driven by the engine's
   loop, does DNS, the proxy tunnel (CONNECT, as browsers do for WebSockets), TLS and the CA
   settings exactly as fetch does (eddy__curl_common_options, shared with http.c). Once connected,
   the socket (CURLINFO_ACTIVESOCKET) is watched by one uv_poll_t and bytes move with
   curl_easy_send/curl_easy_recv, which go through curl's TLS. The HTTP/1.1 Upgrade request and
   its 101 response are ours (sha1 + base64 from OpenSSL check Sec-WebSocket-Accept).

   Framing is ours too rather than wslay's: wslay would own reading and writing through its own
   callbacks and knows nothing of permessage-deflate, while the code here is a few hundred lines
   that parse straight from the receive buffer, inflate with zlib, validate UTF-8 while making
   the JS string, and count bufferedAmount exactly.

   JS is never called from a curl callback nor from reading: what arrives becomes events queued
   on the socket; the check phase of the loop turn that read them dispatches every socket's
   events in order, in one VM entry (eddy__batch). A socket's struct lives until its close
   event was dispatched and its uv handles closed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <zlib.h>

#include "../internal.h"

#define MAX_ID 2147483647u
#define HEAD_MAX (64u * 1024u)       /* bytes of the server's handshake response */
#define READ_CHUNK (64u * 1024u)     /* bytes asked of curl_easy_recv at a time */
#define DEFAULT_MAX_MESSAGE ((uint64_t)64 << 20)
#define DEFAULT_OPEN_TIMEOUT_MS 30000u
#define DEFAULT_CLOSE_TIMEOUT_MS 5000u
#define DEFLATE_MIN 64 /* shorter messages are sent uncompressed (RFC 7692 allows either) */
#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

enum { ST_CONNECTING, ST_HANDSHAKE, ST_OPEN, ST_CLOSING, ST_DONE };
enum { EV_OPEN = 1, EV_TEXT = 2, EV_BINARY = 3, EV_CLOSE = 4 };
enum { OP_CONT = 0, OP_TEXT = 1, OP_BINARY = 2, OP_CLOSE = 8, OP_PING = 9, OP_PONG = 10 };

typedef struct ws ws;
typedef struct evt evt;
typedef struct wpoll wpoll;

struct evt {
  evt *next;
  int kind;
  uint16_t *text; /* EV_TEXT: UTF-16 units (malloc'd) */
  uint8_t *bytes; /* EV_BINARY: malloc'd, handed to JS without a copy */
  size_t len;
  int code, clean; /* EV_CLOSE */
  char *s1, *s2;   /* EV_OPEN: protocol, extensions; EV_CLOSE: reason (UTF-8), error message */
};

/* A socket curl or we watch. Heap-allocated: freed by its close callback. */
struct wpoll {
  uv_poll_t poll;
  ws *s; /* counts as one of s->handles */
  wpoll *next;
  curl_socket_t fd;
  int events;
};

typedef struct {
  uint64_t end;     /* s->queued_total at the end of this message's frame */
  uint64_t payload; /* application bytes it carries */
} mark;

struct ws {
  eddy__ws *w;
  uint32_t id;
  ws *prev, *next;       /* live list */
  ws *rq_next;           /* ready queue */
  unsigned in_rq : 1, finished : 1, close_queued : 1, close_sent : 1, close_received : 1;
  unsigned deflate : 1, server_no_ctx : 1, client_no_ctx : 1, in_message : 1, msg_deflated : 1;
  unsigned z_in_ready : 1, z_out_ready : 1, tls : 1, counted : 1;
  int state;
  int handles; /* open uv handles; the struct is freed when 0 and finished */
  int client_bits;
  JSObjectRef on_event; /* protected until the close event was dispatched */
  CURLM *multi;
  CURL *easy;
  int in_multi;
  wpoll *polls; /* curl's while connecting, then the connection's (io) */
  wpoll *io;
  uv_timer_t curl_timer, deadline;
  char key[32];
  char *protocols; /* requested, "a, b" or "" */
  char *url;       /* for messages */
  /* outgoing bytes: out[out_off, out_len) not yet written */
  uint8_t *out;
  size_t out_off, out_len, out_cap;
  uint64_t queued_total, written_total;
  mark *marks;
  size_t marks_head, marks_len, marks_cap;
  uint64_t buffered;
  /* incoming */
  uint8_t *in;
  size_t in_len, in_cap;
  uint8_t *msg;
  size_t msg_len, msg_cap;
  int msg_op;
  z_stream zin, zout;
  evt *ev_head, *ev_tail;
  char error[256];
};

struct eddy__ws {
  eddy_engine *e;
  uv_check_t deliver;
  uv_idle_t no_block;
  int handles; /* the two above, once started: the struct is freed when they closed */
  int started;
  int dispatching;
  uint32_t next_id;
  ws *live;
  ws *rq_head, *rq_tail;
  uint64_t max_message;
  uint32_t open_timeout_ms, close_timeout_ms;
  uint8_t rnd[4096]; /* masking keys, drawn from OpenSSL's CSPRNG a page at a time */
  size_t rnd_pos;
};

static int grow(void **buf, size_t *cap, size_t need) {
  if (need <= *cap) return 0;
  size_t c = *cap ? *cap : 256;
  while (c < need) {
    if (c > SIZE_MAX / 2) return -1;
    c *= 2;
  }
  void *p = realloc(*buf, c);
  if (!p) return -1;
  *buf = p;
  *cap = c;
  return 0;
}

static char *dup_n(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (!d) return NULL;
  if (n) memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

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

static evt *push_event(ws *s, int kind) {
  evt *v = calloc(1, sizeof(*v));
  if (!v) return NULL;
  v->kind = kind;
  if (s->ev_tail) s->ev_tail->next = v;
  else s->ev_head = v;
  s->ev_tail = v;
  ready(s);
  return v;
}

static void evt_free(evt *v) {
  free(v->text);
  free(v->bytes);
  free(v->s1);
  free(v->s2);
  free(v);
}

/* ---- tearing down ---------------------------------------------------------------------------- */

static void ws_free(ws *s) {
  while (s->ev_head) {
    evt *v = s->ev_head;
    s->ev_head = v->next;
    evt_free(v);
  }
  if (s->z_in_ready) inflateEnd(&s->zin);
  if (s->z_out_ready) deflateEnd(&s->zout);
  free(s->protocols);
  free(s->url);
  free(s->out);
  free(s->marks);
  free(s->in);
  free(s->msg);
  free(s);
}

/* Freed once released, with its handles closed and out of the ready queue. */
static void ws_maybe_free(ws *s) {
  if (s->handles == 0 && s->finished && !s->in_rq) ws_free(s);
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

static void wpoll_close(ws *s, wpoll *p) {
  wpoll **pp = &s->polls;
  while (*pp && *pp != p) pp = &(*pp)->next;
  if (*pp) *pp = p->next;
  if (s->io == p) s->io = NULL;
  uv_close((uv_handle_t *)&p->poll, on_wpoll_closed);
}

/* Closes the connection now (no JS): polls first, while their fds are still open, then curl,
   which closes the socket. */
static void transport_close(ws *s) {
  while (s->polls) wpoll_close(s, s->polls);
  uv_timer_stop(&s->curl_timer);
  uv_timer_stop(&s->deadline);
  if (s->multi) {
    if (s->in_multi) curl_multi_remove_handle(s->multi, s->easy);
    s->in_multi = 0;
  }
  if (s->easy) curl_easy_cleanup(s->easy);
  if (s->multi) curl_multi_cleanup(s->multi);
  while (s->polls) wpoll_close(s, s->polls); /* any curl reported while cleaning up */
  s->easy = NULL;
  s->multi = NULL;
  s->state = ST_DONE;
}

/* The connection is over: the close event is queued (once) with what the script sees. */
static void finish_connection(ws *s, int code, const char *reason, size_t reason_len, int clean,
                              const char *error) {
  if (s->close_queued) return;
  s->close_queued = 1;
  transport_close(s);
  evt *v = push_event(s, EV_CLOSE);
  if (!v) return; /* out of memory: the struct goes when the engine does */
  v->code = code;
  v->clean = clean;
  v->s1 = dup_n(reason ? reason : "", reason ? reason_len : 0);
  v->s2 = error ? dup_n(error, strlen(error)) : NULL;
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

/* Fails the connection (RFC 6455 7.1.7): a close frame with `code` if one can still go out,
   then the TCP connection closes at once; the script gets error then close (1006). */
static void ws_fail(ws *s, int code, const char *fmt, const char *detail);

/* ---- writing --------------------------------------------------------------------------------- */

static void on_io(uv_poll_t *handle, int status, int events);

static void io_watch(ws *s, int events) {
  if (!s->io || s->io->events == events) return;
  s->io->events = events;
  uv_poll_start(&s->io->poll, events, on_io);
}

/* Writes what is queued until the socket would block. 0, or -1 after failing s. */
static int flush(ws *s) {
  while (s->out_off < s->out_len) {
    size_t n = 0;
    CURLcode rc = curl_easy_send(s->easy, s->out + s->out_off, s->out_len - s->out_off, &n);
    if (rc == CURLE_AGAIN) break;
    if (rc != CURLE_OK) {
      ws_fail(s, 0, "connection lost while sending: %s", curl_easy_strerror(rc));
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
  if (s->marks_len == 0) s->marks_head = 0;
  if (s->out_off == s->out_len) {
    s->out_off = s->out_len = 0;
    io_watch(s, UV_READABLE);
    /* Both close frames went, the server's TCP close is awaited (RFC 6455 7.1.1). */
  } else {
    io_watch(s, UV_READABLE | UV_WRITABLE);
  }
  return 0;
}

static void random_bytes(eddy__ws *w, uint8_t out[4]) {
  if (w->rnd_pos + 4 > sizeof w->rnd) {
    if (RAND_bytes(w->rnd, sizeof w->rnd) != 1) memset(w->rnd, 0x5a, sizeof w->rnd);
    w->rnd_pos = 0;
  }
  memcpy(out, w->rnd + w->rnd_pos, 4);
  w->rnd_pos += 4;
}

/* Appends one masked frame to the output queue. payload counts toward bufferedAmount. */
static int queue_frame(ws *s, int opcode, int rsv1, const uint8_t *data, size_t len,
                       uint64_t payload) {
  size_t head = 2 + 4 + (len < 126 ? 0 : len < 65536 ? 2 : 8);
  if (s->out_off > 0 && s->out_off >= s->out_len / 2) { /* reclaim the written part */
    memmove(s->out, s->out + s->out_off, s->out_len - s->out_off);
    s->out_len -= s->out_off;
    s->out_off = 0;
  }
  if (len > SIZE_MAX - head - s->out_len) return EDDY_ENOMEM;
  if (grow((void **)&s->out, &s->out_cap, s->out_len + head + len)) return EDDY_ENOMEM;
  uint8_t *p = s->out + s->out_len;
  *p++ = (uint8_t)(0x80 | (rsv1 ? 0x40 : 0) | opcode);
  if (len < 126) {
    *p++ = (uint8_t)(0x80 | len);
  } else if (len < 65536) {
    *p++ = 0x80 | 126;
    *p++ = (uint8_t)(len >> 8);
    *p++ = (uint8_t)len;
  } else {
    *p++ = 0x80 | 127;
    for (int i = 7; i >= 0; i--) *p++ = (uint8_t)((uint64_t)len >> (8 * i));
  }
  uint8_t key[4];
  random_bytes(s->w, key);
  memcpy(p, key, 4);
  p += 4;
  size_t i = 0;
  uint32_t k32;
  memcpy(&k32, key, 4);
  for (; i + 4 <= len; i += 4) {
    uint32_t v;
    memcpy(&v, data + i, 4);
    v ^= k32;
    memcpy(p + i, &v, 4);
  }
  for (; i < len; i++) p[i] = data[i] ^ key[i & 3];
  s->out_len += head + len;
  s->queued_total += head + len;
  if (payload) {
    if (s->marks_head + s->marks_len == s->marks_cap / sizeof(mark)) {
      if (s->marks_head) {
        memmove(s->marks, s->marks + s->marks_head, s->marks_len * sizeof(mark));
        s->marks_head = 0;
      } else if (grow((void **)&s->marks, &s->marks_cap, (s->marks_len + 1) * sizeof(mark))) {
        return EDDY_ENOMEM;
      }
    }
    s->marks[s->marks_head + s->marks_len++] = (mark){s->queued_total, payload};
    s->buffered += payload;
  }
  return 0;
}

static int queue_close(ws *s, int code, const char *reason, size_t reason_len) {
  uint8_t body[125];
  size_t n = 0;
  if (code > 0) {
    body[0] = (uint8_t)(code >> 8);
    body[1] = (uint8_t)code;
    if (reason_len > 123) reason_len = 123;
    if (reason_len) memcpy(body + 2, reason, reason_len);
    n = 2 + reason_len;
  }
  s->close_sent = 1;
  return queue_frame(s, OP_CLOSE, 0, body, n, 0);
}

/* A data message, compressed when negotiated and worth it. */
static int send_message(ws *s, int opcode, const uint8_t *data, size_t len) {
  if (!s->deflate || len < DEFLATE_MIN || s->client_bits == 8)
    return queue_frame(s, opcode, 0, data, len, len);
  z_stream *z = &s->zout;
  size_t cap = deflateBound(z, len) + 16, out_len = 0;
  uint8_t *buf = malloc(cap);
  if (!buf) return EDDY_ENOMEM;
  z->next_in = (Bytef *)data;
  z->avail_in = (uInt)len;
  int zr;
  do {
    if (cap - out_len < 64) {
      uint8_t *p = realloc(buf, cap * 2);
      if (!p) {
        free(buf);
        return EDDY_ENOMEM;
      }
      buf = p;
      cap *= 2;
    }
    z->next_out = buf + out_len;
    z->avail_out = (uInt)(cap - out_len);
    zr = deflate(z, Z_SYNC_FLUSH);
    out_len = cap - z->avail_out;
  } while (zr == Z_OK && (z->avail_in > 0 || z->avail_out == 0));
  if (zr != Z_OK && zr != Z_BUF_ERROR) {
    free(buf);
    return EDDY_ENOMEM;
  }
  /* RFC 7692 7.2.1: the sync flush's empty block 00 00 ff ff is left off. */
  if (out_len >= 4 && memcmp(buf + out_len - 4, "\x00\x00\xff\xff", 4) == 0) out_len -= 4;
  if (s->client_no_ctx) deflateReset(z);
  int st = queue_frame(s, opcode, 1, buf, out_len, len);
  free(buf);
  return st;
}

/* ---- failing and closing ----------------------------------------------------------------- */

static void ws_fail(ws *s, int code, const char *fmt, const char *detail) {
  if (s->close_queued) return;
  if (s->state == ST_OPEN || s->state == ST_CLOSING) {
    if (code && !s->close_sent && queue_close(s, code, NULL, 0) == 0) {
      /* One attempt, without waiting: the connection closes right after. */
      while (s->out_off < s->out_len) {
        size_t n = 0;
        if (curl_easy_send(s->easy, s->out + s->out_off, s->out_len - s->out_off, &n) != CURLE_OK)
          break;
        s->out_off += n;
      }
    }
  }
  snprintf(s->error, sizeof s->error, fmt, detail ? detail : "");
  finish_connection(s, 1006, NULL, 0, 0, s->error);
}

static void on_deadline(uv_timer_t *t) {
  ws *s = t->data;
  if (s->state == ST_CONNECTING || s->state == ST_HANDSHAKE) {
    char ms[32];
    snprintf(ms, sizeof ms, "%u", s->w->open_timeout_ms);
    ws_fail(s, 0, "opening handshake timed out after %s ms", ms);
  } else {
    /* The server did not finish the closing handshake in time. */
    if (s->close_sent && s->close_received) finish_connection(s, 1006, NULL, 0, 0, NULL);
    else ws_fail(s, 0, "closing handshake timed out%s", "");
  }
}

/* ---- reading: the handshake response ------------------------------------------------------- */

static int token_in_list(const char *v, size_t n, const char *token) {
  size_t tl = strlen(token), i = 0;
  while (i < n) {
    while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ',')) i++;
    size_t st = i;
    while (i < n && v[i] != ',') i++;
    size_t en = i;
    while (en > st && (v[en - 1] == ' ' || v[en - 1] == '\t')) en--;
    if (en - st == tl && strncasecmp(v + st, token, tl) == 0) return 1;
  }
  return 0;
}

static void expected_accept(const char *key, char out[32]) {
  char buf[64];
  int n = snprintf(buf, sizeof buf, "%s%s", key, WS_GUID);
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1((const unsigned char *)buf, (size_t)n, digest);
  EVP_EncodeBlock((unsigned char *)out, digest, SHA_DIGEST_LENGTH);
}

/* Parses "permessage-deflate; p=v; …" (RFC 7692 7.1): 0 if acceptable, with the settings
   taken; -1 with s->error set. */
static int accept_extensions(ws *s, const char *v, size_t n) {
  if (n == 0) return 0;
  char *copy = dup_n(v, n);
  if (!copy) return -1;
  int seen_ext = 0, ok = 1;
  int seen_snc = 0, seen_cnc = 0, seen_smwb = 0, seen_cmwb = 0;
  char *save_ext = NULL;
  for (char *ext = strtok_r(copy, ",", &save_ext); ext && ok; ext = strtok_r(NULL, ",", &save_ext)) {
    char *save = NULL;
    char *name = strtok_r(ext, ";", &save);
    while (name && (*name == ' ' || *name == '\t')) name++;
    size_t nl = name ? strlen(name) : 0;
    while (nl && (name[nl - 1] == ' ' || name[nl - 1] == '\t')) name[--nl] = '\0';
    if (!name || strcasecmp(name, "permessage-deflate") != 0 || seen_ext) {
      snprintf(s->error, sizeof s->error, "the server accepted an extension not offered: %.100s",
               name ? name : "");
      ok = 0;
      break;
    }
    seen_ext = 1;
    for (char *p = strtok_r(NULL, ";", &save); p && ok; p = strtok_r(NULL, ";", &save)) {
      while (*p == ' ' || *p == '\t') p++;
      char *eq = strchr(p, '=');
      char *val = NULL;
      if (eq) {
        *eq = '\0';
        val = eq + 1;
        while (*val == ' ' || *val == '\t') val++;
        size_t vl = strlen(val);
        while (vl && (val[vl - 1] == ' ' || val[vl - 1] == '\t')) val[--vl] = '\0';
        if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') {
          val[vl - 1] = '\0';
          val++;
        }
      }
      size_t pl = strlen(p);
      while (pl && (p[pl - 1] == ' ' || p[pl - 1] == '\t')) p[--pl] = '\0';
      int bits = -1;
      if (val) {
        char *end = NULL;
        long b = strtol(val, &end, 10);
        if (*val && !*end && b >= 8 && b <= 15 && val[0] != '0') bits = (int)b;
      }
      if (strcasecmp(p, "server_no_context_takeover") == 0 && !val && !seen_snc) {
        seen_snc = 1;
        s->server_no_ctx = 1;
      } else if (strcasecmp(p, "client_no_context_takeover") == 0 && !val && !seen_cnc) {
        seen_cnc = 1;
        s->client_no_ctx = 1;
      } else if (strcasecmp(p, "server_max_window_bits") == 0 && bits > 0 && !seen_smwb) {
        seen_smwb = 1; /* inflating with a 32 KiB window reads any smaller one */
      } else if (strcasecmp(p, "client_max_window_bits") == 0 && bits > 0 && !seen_cmwb) {
        seen_cmwb = 1;
        s->client_bits = bits;
      } else {
        snprintf(s->error, sizeof s->error,
                 "invalid permessage-deflate parameter in the server's response: %.80s", p);
        ok = 0;
      }
    }
  }
  free(copy);
  if (!ok) return -1;
  if (seen_ext) {
    s->deflate = 1;
    if (inflateInit2(&s->zin, -15) != Z_OK) return -1;
    s->z_in_ready = 1;
    /* zlib cannot make 256-byte-window raw streams: with client_max_window_bits=8 every
       message goes uncompressed (send_message). */
    int bits = s->client_bits == 8 ? 9 : s->client_bits;
    if (deflateInit2(&s->zout, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -bits, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK)
      return -1;
    s->z_out_ready = 1;
  }
  return 0;
}

static void handshake_failed(ws *s, const char *why) {
  char copy[sizeof s->error];
  snprintf(copy, sizeof copy, "%s", why); /* why may be s->error itself */
  memcpy(s->error, copy, sizeof copy);
  finish_connection(s, 1006, NULL, 0, 0, s->error);
}

/* The response head is in[0, head_len). 0: open; -1: failed (close event queued). */
static int check_response(ws *s, size_t head_len) {
  const char *p = (const char *)s->in, *end = p + head_len;
  const char *eol = memchr(p, '\n', head_len);
  if (!eol || eol - p < 12 || memcmp(p, "HTTP/1.1 ", 9) != 0) {
    handshake_failed(s, "the server's handshake response is not HTTP/1.1");
    return -1;
  }
  int status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
  if (status != 101) {
    char why[96];
    snprintf(why, sizeof why, "the server answered the handshake with HTTP status %.3s", p + 9);
    handshake_failed(s, why);
    return -1;
  }
  char accept[32];
  expected_accept(s->key, accept);
  int upgrade = 0, connection = 0, accept_ok = 0, accept_seen = 0, proto_seen = 0;
  char *proto = NULL, *exts = NULL;
  size_t exts_len = 0;
  const char *why = NULL;
  for (const char *line = eol + 1; line < end && !why;) {
    const char *le = memchr(line, '\n', (size_t)(end - line));
    if (!le) le = end;
    const char *ve = le;
    while (ve > line && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t')) ve--;
    const char *colon = memchr(line, ':', (size_t)(ve - line));
    if (colon) {
      size_t nl = (size_t)(colon - line);
      const char *v = colon + 1;
      while (v < ve && (*v == ' ' || *v == '\t')) v++;
      size_t vl = (size_t)(ve - v);
#define IS(name) (nl == sizeof(name) - 1 && strncasecmp(line, name, nl) == 0)
      if (IS("upgrade")) {
        upgrade = vl == 9 && strncasecmp(v, "websocket", 9) == 0;
      } else if (IS("connection")) {
        connection |= token_in_list(v, vl, "upgrade");
      } else if (IS("sec-websocket-accept")) {
        accept_ok = !accept_seen && vl == strlen(accept) && memcmp(v, accept, vl) == 0;
        accept_seen = 1;
      } else if (IS("sec-websocket-protocol")) {
        if (proto_seen) why = "the server sent Sec-WebSocket-Protocol twice";
        proto_seen = 1;
        free(proto);
        proto = dup_n(v, vl);
      } else if (IS("sec-websocket-extensions")) {
        char *n = realloc(exts, exts_len + vl + 3);
        if (n) {
          exts = n;
          if (exts_len) {
            exts[exts_len++] = ',';
            exts[exts_len++] = ' ';
          }
          memcpy(exts + exts_len, v, vl);
          exts_len += vl;
          exts[exts_len] = '\0';
        }
      }
#undef IS
    }
    line = le + 1;
  }
  if (!why && !upgrade) why = "the server's handshake response has no Upgrade: websocket";
  if (!why && !connection) why = "the server's handshake response has no Connection: Upgrade";
  if (!why && !accept_ok) why = "the server's Sec-WebSocket-Accept does not match the key";
  if (!why && proto) {
    /* It must be one the script asked for. */
    int found = 0;
    const char *r = s->protocols;
    size_t pl = strlen(proto);
    while (*r && !found) {
      const char *c = strchr(r, ',');
      size_t n = c ? (size_t)(c - r) : strlen(r);
      found = n == pl && memcmp(r, proto, n) == 0;
      r = c ? c + 2 : r + n;
    }
    if (!found || pl == 0) why = "the server chose a subprotocol the script did not ask for";
  }
  s->error[0] = '\0';
  if (!why && accept_extensions(s, exts ? exts : "", exts_len))
    why = s->error[0] ? s->error : "invalid Sec-WebSocket-Extensions";
  if (why) {
    handshake_failed(s, why);
    free(proto);
    free(exts);
    return -1;
  }
  s->state = ST_OPEN;
  uv_timer_stop(&s->deadline);
  evt *ev = push_event(s, EV_OPEN);
  if (ev) {
    ev->s1 = proto ? proto : dup_n("", 0);
    ev->s2 = exts ? exts : dup_n("", 0);
    /* What the script sees in `extensions`: the negotiated list as the server sent it. */
  } else {
    free(proto);
    free(exts);
  }
  return 0;
}

/* ---- reading: frames ----------------------------------------------------------------------- */

static int valid_close_code(int c) {
  return (c >= 1000 && c <= 1003) || (c >= 1007 && c <= 1014) || (c >= 3000 && c <= 4999);
}

static int utf8_valid(const uint8_t *s, size_t n) {
  uint16_t *u = NULL;
  size_t ul = 0;
  int r = eddy__utf8_to_utf16(s, n, 1, &u, &ul);
  free(u);
  return r == 0;
}

/* Inflates msg in place (RFC 7692 7.2.2): 0, -1 corrupt, -2 too large, -3 out of memory. */
static int inflate_message(ws *s) {
  static const uint8_t tail[4] = {0, 0, 0xff, 0xff};
  z_stream *z = &s->zin;
  size_t cap = s->msg_len * 3 + 1024, out_len = 0;
  uint8_t *out = malloc(cap);
  if (!out) return -3;
  int r = 0;
  for (int part = 0; part < 2 && r == 0; part++) {
    z->next_in = part ? (Bytef *)tail : s->msg;
    z->avail_in = part ? 4 : (uInt)s->msg_len;
    while (z->avail_in > 0 || (part && z->avail_out == 0)) {
      if (cap - out_len < 1024) {
        if (cap > s->w->max_message + 2048) {
          r = -2;
          break;
        }
        uint8_t *p = realloc(out, cap * 2);
        if (!p) {
          r = -3;
          break;
        }
        out = p;
        cap *= 2;
      }
      z->next_out = out + out_len;
      z->avail_out = (uInt)(cap - out_len);
      int zr = inflate(z, Z_SYNC_FLUSH);
      out_len = cap - z->avail_out;
      if (out_len > s->w->max_message) {
        r = -2;
        break;
      }
      if (zr == Z_STREAM_END) {
        /* A final block: the next message starts a new stream. */
        inflateReset(z);
        if (z->avail_in) {
          r = -1;
          break;
        }
      } else if (zr == Z_BUF_ERROR) {
        if (z->avail_out != 0) break; /* needs more input: all of it was given */
      } else if (zr != Z_OK) {
        r = -1;
        break;
      }
    }
  }
  if (r == 0 && s->server_no_ctx) inflateReset(z);
  if (r) {
    free(out);
    return r;
  }
  free(s->msg);
  s->msg = out;
  s->msg_len = out_len;
  s->msg_cap = cap;
  return 0;
}

static void too_large(ws *s) {
  char lim[32];
  snprintf(lim, sizeof lim, "%llu", (unsigned long long)s->w->max_message);
  ws_fail(s, 1009, "message larger than the engine's limit of %s bytes (max_websocket_message)",
          lim);
}

/* A whole data message in s->msg. 0, or -1 after failing s. */
static int message_done(ws *s) {
  if (s->msg_deflated) {
    int r = inflate_message(s);
    if (r == -2) {
      too_large(s);
      return -1;
    }
    if (r) {
      ws_fail(s, r == -1 ? 1007 : 1011, "%s",
              r == -1 ? "invalid permessage-deflate data" : "out of memory");
      return -1;
    }
  }
  evt *v = NULL;
  if (s->msg_op == OP_TEXT) {
    uint16_t *u = NULL;
    size_t ul = 0;
    int r = eddy__utf8_to_utf16(s->msg ? s->msg : (const uint8_t *)"", s->msg_len, 1, &u, &ul);
    if (r) {
      free(u);
      ws_fail(s, r == -1 ? 1007 : 1011, "%s",
              r == -1 ? "a text message is not valid UTF-8" : "out of memory");
      return -1;
    }
    v = push_event(s, EV_TEXT);
    if (!v) {
      free(u);
      return 0;
    }
    v->text = u;
    v->len = ul;
  } else {
    v = push_event(s, EV_BINARY);
    if (!v) return 0;
    v->bytes = s->msg; /* handed over, the next message gets a new buffer */
    v->len = s->msg_len;
    s->msg = NULL;
    s->msg_cap = 0;
  }
  s->msg_len = 0;
  s->in_message = 0;
  if (s->msg_cap > READ_CHUNK * 4) {
    free(s->msg);
    s->msg = NULL;
    s->msg_cap = 0;
  }
  return 0;
}

static int control_frame(ws *s, int op, const uint8_t *p, size_t n) {
  if (op == OP_PING) {
    if (s->close_sent) return 0;
    if (queue_frame(s, OP_PONG, 0, p, n, 0)) {
      ws_fail(s, 1011, "%s", "out of memory");
      return -1;
    }
    return 0;
  }
  if (op == OP_PONG) return 0;
  /* close */
  int code = 1005;
  const char *reason = "";
  size_t rlen = 0;
  if (n == 1) {
    ws_fail(s, 1002, "%s", "the server sent a close frame of one byte");
    return -1;
  }
  if (n >= 2) {
    code = p[0] << 8 | p[1];
    if (!valid_close_code(code)) {
      ws_fail(s, 1002, "the server sent an invalid close code%s", "");
      return -1;
    }
    reason = (const char *)p + 2;
    rlen = n - 2;
    if (!utf8_valid(p + 2, rlen)) {
      ws_fail(s, 1007, "%s", "the server's close reason is not valid UTF-8");
      return -1;
    }
  }
  s->close_received = 1;
  if (!s->close_sent) {
    /* Echo the code (RFC 6455 5.5.1), then wait for the server to close TCP. */
    queue_close(s, code == 1005 ? 0 : code, NULL, 0);
    flush(s);
    if (s->close_queued) return -1;
  }
  /* The close event carries what the server sent; it is clean once both frames went. */
  s->state = ST_CLOSING;
  finish_connection(s, code, reason, rlen, 1, NULL);
  return -1;
}

/* Parses the frames in in[0, in_len). 0, or -1 when the connection is over. */
static int parse_frames(ws *s) {
  size_t pos = 0;
  int r = 0;
  while (r == 0 && s->in_len - pos >= 2) {
    const uint8_t *p = s->in + pos;
    size_t avail = s->in_len - pos;
    int fin = p[0] & 0x80, rsv1 = p[0] & 0x40, op = p[0] & 0x0f;
    if (p[1] & 0x80) {
      ws_fail(s, 1002, "%s", "the server sent a masked frame");
      return -1;
    }
    uint64_t len = p[1] & 0x7f;
    size_t head = 2;
    if (len == 126) {
      if (avail < 4) break;
      len = (uint64_t)p[2] << 8 | p[3];
      head = 4;
    } else if (len == 127) {
      if (avail < 10) break;
      len = 0;
      for (int i = 0; i < 8; i++) len = len << 8 | p[2 + i];
      head = 10;
      if (len >> 63) {
        ws_fail(s, 1002, "%s", "the server sent an invalid frame length");
        return -1;
      }
    }
    if ((p[0] & 0x30) || (rsv1 && (!s->deflate || op == OP_CONT || op >= 8))) {
      ws_fail(s, 1002, "%s", "the server set a reserved frame bit");
      return -1;
    }
    if (op >= 8) {
      if (op > OP_PONG || !fin || len > 125) {
        ws_fail(s, 1002, "%s", op > OP_PONG ? "unknown opcode" : "invalid control frame");
        return -1;
      }
    } else if (op != OP_CONT && op != OP_TEXT && op != OP_BINARY) {
      ws_fail(s, 1002, "%s", "unknown opcode");
      return -1;
    } else if ((op == OP_CONT) != (s->in_message != 0)) {
      ws_fail(s, 1002, "%s",
              op == OP_CONT ? "a continuation frame outside a message"
                            : "a new message before the last one ended");
      return -1;
    } else if (len > s->w->max_message || s->msg_len + len > s->w->max_message) {
      too_large(s);
      return -1;
    }
    if (avail - head < len) break;
    const uint8_t *data = p + head;
    if (op >= 8) {
      r = control_frame(s, op, data, (size_t)len);
    } else {
      if (op != OP_CONT) {
        s->in_message = 1;
        s->msg_op = op;
        s->msg_deflated = rsv1 != 0;
        s->msg_len = 0;
      }
      if (len && grow((void **)&s->msg, &s->msg_cap, s->msg_len + (size_t)len)) {
        ws_fail(s, 1011, "%s", "out of memory");
        return -1;
      }
      if (len) memcpy(s->msg + s->msg_len, data, (size_t)len);
      s->msg_len += (size_t)len;
      if (fin) r = message_done(s);
    }
    pos += head + (size_t)len;
  }
  if (r == 0 && pos) {
    memmove(s->in, s->in + pos, s->in_len - pos);
    s->in_len -= pos;
  }
  return r;
}

/* Reads until curl (and TLS inside it) has nothing more: data can wait in OpenSSL's buffer
   after the socket itself read empty, so one recv per readable event is not enough. */
static void read_all(ws *s) {
  while (s->state == ST_HANDSHAKE || s->state == ST_OPEN || s->state == ST_CLOSING) {
    if (s->in_cap - s->in_len < READ_CHUNK && grow((void **)&s->in, &s->in_cap,
                                                   s->in_len + READ_CHUNK)) {
      ws_fail(s, 1011, "%s", "out of memory");
      return;
    }
    size_t n = 0;
    CURLcode rc = curl_easy_recv(s->easy, s->in + s->in_len, s->in_cap - s->in_len, &n);
    if (rc == CURLE_AGAIN) return;
    if (rc != CURLE_OK || n == 0) {
      if (s->close_sent && s->close_received) {
        finish_connection(s, 1006, NULL, 0, 1, NULL);
      } else if (rc == CURLE_OK) {
        ws_fail(s, 0, "the server closed the connection%s",
                s->state == ST_HANDSHAKE ? " during the opening handshake" : "");
      } else {
        ws_fail(s, 0, "connection lost: %s", curl_easy_strerror(rc));
      }
      return;
    }
    s->in_len += n;
    if (s->state == ST_HANDSHAKE) {
      uint8_t *end = NULL;
      for (size_t i = s->in_len - n >= 3 ? s->in_len - n - 3 : 0; i + 4 <= s->in_len; i++)
        if (memcmp(s->in + i, "\r\n\r\n", 4) == 0) {
          end = s->in + i + 4;
          break;
        }
      if (!end) {
        if (s->in_len > HEAD_MAX) handshake_failed(s, "the server's handshake response is too large");
        continue;
      }
      size_t head_len = (size_t)(end - s->in);
      if (check_response(s, head_len)) return;
      memmove(s->in, end, s->in_len - head_len);
      s->in_len -= head_len;
    }
    if (s->state >= ST_OPEN && parse_frames(s)) return;
  }
}

static void on_io(uv_poll_t *handle, int status, int events) {
  wpoll *p = (wpoll *)handle;
  ws *s = p->s;
  if (s->finished || s->close_queued || atomic_load(&s->w->e->closing)) return;
  if (status < 0) events = UV_READABLE | UV_WRITABLE; /* let curl report the socket's error */
  if (events & UV_WRITABLE) {
    if (flush(s)) return;
  }
  if (events & UV_READABLE) read_all(s);
  /* Replies (pongs, a close echo) queued while reading. */
  if (!s->close_queued && s->out_len > s->out_off) flush(s);
}

/* ---- connecting: curl multi on the loop ------------------------------------------------------- */

static void connected(ws *s) {
  curl_socket_t fd = CURL_SOCKET_BAD;
  if (curl_easy_getinfo(s->easy, CURLINFO_ACTIVESOCKET, &fd) != CURLE_OK || fd == CURL_SOCKET_BAD) {
    handshake_failed(s, "no connection after connecting");
    return;
  }
  /* curl no longer watches the socket: its polls go, the connection's own replaces them. */
  while (s->polls) wpoll_close(s, s->polls);
  wpoll *p = calloc(1, sizeof(*p));
  if (!p || uv_poll_init_socket(&s->w->e->loop, &p->poll, fd)) {
    free(p);
    handshake_failed(s, "cannot watch the connection");
    return;
  }
  p->s = s;
  p->fd = fd;
  p->poll.data = p;
  s->handles++;
  s->polls = p;
  s->io = p;
  s->state = ST_HANDSHAKE;
  flush(s); /* the upgrade request, queued at creation */
  if (!s->close_queued) read_all(s);
}

static void check_multi(ws *s) {
  CURLMsg *m;
  int left;
  while (s->multi && (m = curl_multi_info_read(s->multi, &left))) {
    if (m->msg != CURLMSG_DONE) continue;
    CURLcode rc = m->data.result;
    if (rc != CURLE_OK) {
      char why[CURL_ERROR_SIZE + 64];
      snprintf(why, sizeof why, "%s", s->error[0] ? s->error : curl_easy_strerror(rc));
      handshake_failed(s, why);
      return;
    }
    connected(s);
    return;
  }
}

static void on_curl_poll(uv_poll_t *handle, int status, int events) {
  wpoll *p = (wpoll *)handle;
  ws *s = p->s;
  if (s->finished || s->close_queued || s->state != ST_CONNECTING) return;
  int flags = 0;
  if (status < 0) flags = CURL_CSELECT_IN | CURL_CSELECT_OUT;
  if (events & UV_READABLE) flags |= CURL_CSELECT_IN;
  if (events & UV_WRITABLE) flags |= CURL_CSELECT_OUT;
  int running;
  curl_multi_socket_action(s->multi, p->fd, flags, &running);
  check_multi(s);
}

static int on_curl_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp) {
  (void)easy;
  (void)socketp;
  ws *s = userp;
  if (s->state != ST_CONNECTING) return 0; /* the connection is ours now (or closing) */
  wpoll *p = s->polls;
  while (p && p->fd != fd) p = p->next;
  if (what == CURL_POLL_REMOVE) {
    if (p) wpoll_close(s, p);
    return 0;
  }
  if (!p) {
    p = calloc(1, sizeof(*p));
    if (!p) return -1;
    if (uv_poll_init_socket(&s->w->e->loop, &p->poll, fd)) {
      free(p);
      return -1;
    }
    p->s = s;
    p->fd = fd;
    p->poll.data = p;
    p->next = s->polls;
    s->polls = p;
    s->handles++;
  }
  int events = 0;
  if (what & CURL_POLL_IN) events |= UV_READABLE;
  if (what & CURL_POLL_OUT) events |= UV_WRITABLE;
  if (events != p->events) {
    p->events = events;
    uv_poll_start(&p->poll, events, on_curl_poll);
  }
  return 0;
}

static void on_curl_timer_fire(uv_timer_t *t) {
  ws *s = t->data;
  if (s->finished || s->close_queued || s->state != ST_CONNECTING) return;
  int running;
  curl_multi_socket_action(s->multi, CURL_SOCKET_TIMEOUT, 0, &running);
  check_multi(s);
}

static int on_curl_timer(CURLM *multi, long timeout_ms, void *userp) {
  (void)multi;
  ws *s = userp;
  if (timeout_ms < 0) uv_timer_stop(&s->curl_timer);
  else uv_timer_start(&s->curl_timer, on_curl_timer_fire, (uint64_t)timeout_ms, 0);
  return 0;
}

/* ---- dispatch ---------------------------------------------------------------------------------- */

static void free_bytes(void *bytes, void *context) {
  (void)context;
  free(bytes);
}

static JSValueRef utf8_value(JSContextRef ctx, const char *s) {
  JSValueRef exc = NULL;
  JSValueRef v = eddy__js_string_value(ctx, s ? s : "", s ? strlen(s) : 0, &exc);
  return v ? v : JSValueMakeUndefined(ctx);
}

static int dispatch_event(eddy__ws *w, ws *s, evt *v) {
  JSContextRef ctx = w->e->ctx;
  JSValueRef args[6];
  size_t argc = 1;
  args[0] = JSValueMakeNumber(ctx, v->kind);
  if (v->kind == EV_OPEN) {
    args[1] = utf8_value(ctx, v->s1);
    args[2] = utf8_value(ctx, v->s2);
    argc = 3;
  } else if (v->kind == EV_TEXT) {
    static const uint16_t none = 0;
    JSStringRef js = eddy__jsstring_from_utf16(v->text ? v->text : &none, v->len);
    args[1] = js ? JSValueMakeString(ctx, js) : JSValueMakeUndefined(ctx);
    if (js) JSStringRelease(js);
    argc = 2;
  } else if (v->kind == EV_BINARY) {
    uint8_t *b = v->bytes ? v->bytes : malloc(1);
    v->bytes = NULL;
    JSObjectRef ab = b ? JSObjectMakeArrayBufferWithBytesNoCopy(ctx, b, v->len, free_bytes, NULL,
                                                                 NULL)
                       : NULL;
    args[1] = ab ? (JSValueRef)ab : JSValueMakeUndefined(ctx);
    argc = 2;
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
  int st = fn ? eddy__task_call(w->e, fn, NULL, argc, args) : 0;
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
    evt_free(v);
    if (st == EDDY_EINTERRUPTED) return 1;
  }
  return 0;
}

static void on_deliver(uv_check_t *check) {
  eddy__ws *w = check->data;
  uv_check_stop(check);
  uv_idle_stop(&w->no_block);
  if (atomic_load(&w->e->closing) || w->dispatching) return;
  w->dispatching = 1;
  eddy__batch(w->e, deliver_ready, w);
  w->dispatching = 0;
  if (w->rq_head && !atomic_load(&w->e->closing)) {
    uv_check_start(&w->deliver, on_deliver);
    uv_idle_start(&w->no_block, on_no_block);
  }
}

/* ---- natives ------------------------------------------------------------------------------------ */

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

static ws *find(eddy__ws *w, JSContextRef ctx, JSValueRef v) {
  if (!w || !JSValueIsNumber(ctx, v)) return NULL;
  double d = JSValueToNumber(ctx, v, NULL);
  if (!(d >= 1 && d <= MAX_ID)) return NULL;
  for (ws *s = w->live; s; s = s->next)
    if (s->id == (uint32_t)d) return s;
  return NULL;
}

static int start_loop_handles(eddy__ws *w) {
  if (w->started) return 0;
  uv_check_init(&w->e->loop, &w->deliver);
  w->deliver.data = w;
  uv_idle_init(&w->e->loop, &w->no_block);
  w->no_block.data = w;
  w->started = 1;
  w->handles = 2;
  return 0;
}

/* wsConnect(curlURL, hostHeader, target, protocols, onEvent) → id. protocols: "a, b" or "". */
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
  ws *s = protocols ? calloc(1, sizeof(*s)) : NULL;
  if (!s) {
    free(url);
    free(host);
    free(target);
    free(protocols);
    if (!*exc) eddy__throw_type_error(ctx, exc, "out of memory");
    return NULL;
  }
  s->w = w;
  s->url = url;
  s->protocols = protocols;
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

  /* The key and the upgrade request, written once connected. */
  uint8_t raw[16];
  if (RAND_bytes(raw, sizeof raw) != 1) memset(raw, 0x42, sizeof raw);
  EVP_EncodeBlock((unsigned char *)s->key, raw, sizeof raw);
  int n = 0;
  size_t need = strlen(host) + strlen(target) + strlen(protocols) + 512;
  const char *why = NULL;
  if (grow((void **)&s->out, &s->out_cap, need)) why = "out of memory";
  if (!why) {
    n = snprintf((char *)s->out, s->out_cap,
                 "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n"
                 "%s%s%s"
                 "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                 "User-Agent: eddy/" EDDY_VERSION_STRING "\r\n\r\n",
                 target, host, s->key, *protocols ? "Sec-WebSocket-Protocol: " : "", protocols,
                 *protocols ? "\r\n" : "");
    s->out_len = (size_t)n;
    s->queued_total = (uint64_t)n;
  }
  free(host);
  free(target);
  /* The connection, as fetch makes one. */
  CURL *c = s->easy = why ? NULL : curl_easy_init();
  s->multi = c ? curl_multi_init() : NULL;
  if (!why && (!c || !s->multi)) why = "out of memory";
  if (!why) {
    eddy__curl_common_options(e, c);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CONNECT_ONLY, 1L);
    curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1); /* ALPN http/1.1 */
    curl_easy_setopt(c, CURLOPT_HTTPPROXYTUNNEL, 1L); /* through a proxy: CONNECT, as browsers */
    curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)w->open_timeout_ms);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, s->error);
    s->tls = strncasecmp(url, "https:", 6) == 0;
    curl_multi_setopt(s->multi, CURLMOPT_SOCKETFUNCTION, on_curl_socket);
    curl_multi_setopt(s->multi, CURLMOPT_SOCKETDATA, s);
    curl_multi_setopt(s->multi, CURLMOPT_TIMERFUNCTION, on_curl_timer);
    curl_multi_setopt(s->multi, CURLMOPT_TIMERDATA, s);
    if (curl_multi_add_handle(s->multi, c) != CURLM_OK) why = "cannot start the connection";
    else s->in_multi = 1;
  }
  uv_timer_start(&s->deadline, on_deadline, w->open_timeout_ms, 0);
  if (why) handshake_failed(s, why); /* reported as events, after the script ran */
  return JSValueMakeNumber(ctx, s->id);
}

/* wsSend(id, data): a string is a text message, a Uint8Array a binary one. */
static JSValueRef js_ws_send(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                             const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  eddy__ws *w = eddy__engine_of(ctx)->ws;
  ws *s = argc >= 2 ? find(w, ctx, argv[0]) : NULL;
  if (!s || s->state != ST_OPEN || s->close_sent || s->close_queued)
    return JSValueMakeUndefined(ctx);
  int st;
  if (JSValueIsString(ctx, argv[1])) {
    size_t n = 0;
    char *text = js_utf8(ctx, argv[1], exc, &n);
    if (!text) return NULL;
    st = send_message(s, OP_TEXT, (const uint8_t *)text, n);
    free(text);
  } else {
    JSObjectRef o = (JSObjectRef)argv[1];
    /* JSC's bytes pointer is the start of the whole buffer, not of the view. */
    const uint8_t *b = JSObjectGetTypedArrayBytesPtr(ctx, o, exc);
    size_t n = JSObjectGetTypedArrayByteLength(ctx, o, exc);
    size_t off = JSObjectGetTypedArrayByteOffset(ctx, o, exc);
    if (*exc) return NULL;
    if (b) b += off;
    st = send_message(s, OP_BINARY, b ? b : (const uint8_t *)"", n);
  }
  if (st) ws_fail(s, 1011, "%s", "out of memory queueing a message");
  else flush(s);
  return JSValueMakeUndefined(ctx);
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
    ws_fail(s, 0, "%s", "WebSocket closed before the connection was established");
    return JSValueMakeUndefined(ctx);
  }
  int code = (int)JSValueToNumber(ctx, argv[1], NULL);
  size_t rlen = 0;
  char *reason = js_utf8(ctx, argv[2], exc, &rlen);
  if (!reason) return NULL;
  int st = queue_close(s, code > 0 ? code : 0, reason, rlen);
  free(reason);
  s->state = ST_CLOSING;
  if (st) {
    ws_fail(s, 0, "%s", "out of memory");
    return JSValueMakeUndefined(ctx);
  }
  uv_timer_start(&s->deadline, on_deadline, w->close_timeout_ms, 0);
  flush(s);
  return JSValueMakeUndefined(ctx);
}

static JSValueRef js_ws_buffered(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                                 const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  (void)exc;
  ws *s = argc >= 1 ? find(eddy__engine_of(ctx)->ws, ctx, argv[0]) : NULL;
  return JSValueMakeNumber(ctx, s ? (double)s->buffered : 0);
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
  for (ws *s = w->rq_head; s; s = s->rq_next) s->in_rq = 0;
  w->rq_head = w->rq_tail = NULL;
  while (w->live) {
    ws *s = w->live;
    if (s->state == ST_OPEN && !s->close_sent && !s->close_queued &&
        queue_close(s, 1001, NULL, 0) == 0) {
      while (s->out_off < s->out_len) {
        size_t n = 0;
        if (curl_easy_send(s->easy, s->out + s->out_off, s->out_len - s->out_off, &n) != CURLE_OK)
          break;
        s->out_off += n;
      }
    }
    ws_release(s);
  }
  if (!w->started) {
    free(w);
    return;
  }
  uv_close((uv_handle_t *)&w->deliver, on_engine_handle_closed);
  uv_close((uv_handle_t *)&w->no_block, on_engine_handle_closed);
}
