/* libFuzzer target: the WebSocket client's framing half (src/web/websocket_frame.c) against a
   hostile server's bytes: the upgrade response (eddy__ws_check_response) and the frames after
   it (eddy__ws_parse_frames). websocket_frame.c is compiled into the target alone; the
   websocket.c functions it calls are defined here, as websocket.c defines them minus the
   transport and JS, and read_all() below does what eddy__ws_read_all does with the bytes.

   The first byte is the mode:
     bits 0-1  0: the input starts with the server's handshake response;
               1: open, no extension; 2: open, permessage-deflate;
               3: open, permessage-deflate; server_no_context_takeover
     bit 2     a message size limit of SMALL_LIMIT bytes instead of the default
     bit 3     (open modes) the script called close() first: our close frame is out
     bits 4-7  0: the socket gives all the rest at once; n: it is readable with at most
               2^(n-1) bytes at a time, the events dispatched between reads
   The second byte, n > 0, makes the n-th event's allocation fail (eddy__ws_push_event returns
   NULL, as out of memory). The rest is what the server sends, then it closes TCP.

   What must hold, beyond no crash, leak or sanitizer report:
   - exactly one close event, last; open at most once and first, only after a response whose
     status line is HTTP/1.1 101; no message before open or after the server's close frame;
     closing (the server's close frame) at most once;
   - a text message is well-formed UTF-16 (no lone surrogate), a message (its UTF-8 for text)
     never exceeds the size limit, its bytes are all readable;
   - a failure's close code is 0, 1002, 1007, 1009 or 1011; websocket_frame.c stops at a failure
     (no second failure, no event after it); a clean close carries the server's code and a
     UTF-8 reason;
   - an open or message event that could not be allocated fails the connection (1011) before
     anything else: no message is lost silently;
   - what the client writes is masked control frames (pong, close) of at most 125 bytes, at
     most one close frame and nothing after it, its code one a close frame may carry;
   - eddy__ws_parse_frames consumes every whole frame it returns 0 with (nothing stalls), and
     returns -1 only when the connection is over or the server's close frame came;
   - the open event's protocol is one the script asked for (or none), its extensions name
     permessage-deflate exactly when it was negotiated. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "utf.h"
#include "web/websocket.h"

#define SMALL_LIMIT 100u
#define KEY "dGhlIHNhbXBsZSBub25jZQ==" /* RFC 6455 1.3's: accept s3pPLMBiTxaQ9kYGzzhZRbK+xOo= */
#define ACCEPT "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
#define PROTOCOLS "chat, superchat"

#define CHECK(cond, what)                                                                      \
  do {                                                                                         \
    if (!(cond)) {                                                                             \
      fprintf(stderr, "fuzz_ws_frames: %s (%s:%d)\n", what, __FILE__, __LINE__);               \
      abort();                                                                                 \
    }                                                                                          \
  } while (0)

/* What the events so far say about the connection. */
static struct {
  int opened, closing, closed, failed;
  int close_written; /* our close frame went out */
  uint64_t limit;
  unsigned events, fail_event; /* attempts so far; the one that gets NULL (0: none) */
  int lost;                     /* an open or message event was not allocated */
} seen;

/* ---- websocket.c's functions, without transport or JS ------------------------------------ */

evt *eddy__ws_push_event(ws *s, int kind) {
  CHECK(!seen.closed, "an event after the close event");
  CHECK(!seen.lost || kind == EV_CLOSE, "the connection went on after losing an event");
  switch (kind) {
  case EV_OPEN:
    CHECK(!seen.opened, "a second open event");
    CHECK(s->state == ST_OPEN, "an open event in another state");
    seen.opened = 1;
    break;
  case EV_TEXT:
  case EV_BINARY:
    CHECK(seen.opened, "a message before the open event");
    CHECK(!seen.closing && !s->close_received, "a message after the server's close frame");
    break;
  case EV_CLOSING:
    CHECK(!seen.closing, "a second closing event");
    CHECK(s->close_received, "a closing event without the server's close frame");
    seen.closing = 1;
    break;
  case EV_CLOSE:
    seen.closed = 1;
    break;
  default:
    CHECK(0, "an unexpected event kind"); /* EV_DRAIN: nothing here asks for one */
  }
  if (++seen.events == seen.fail_event) {
    seen.lost = kind == EV_OPEN || kind == EV_TEXT || kind == EV_BINARY;
    return NULL;
  }
  evt *v = calloc(1, sizeof(*v));
  if (!v) return NULL;
  v->kind = kind;
  if (s->ev_tail) s->ev_tail->next = v;
  else s->ev_head = v;
  s->ev_tail = v;
  return v;
}

void eddy__ws_finish(ws *s, int code, const char *reason, size_t reason_len, int clean,
                     const char *error) {
  if (s->close_queued) return;
  s->close_queued = 1;
  s->state = ST_DONE; /* transport_close */
  evt *v = eddy__ws_push_event(s, EV_CLOSE);
  if (!v) return;
  v->code = code;
  v->clean = clean;
  v->s1 = eddy__ws_dup(reason ? reason : "", reason ? reason_len : 0);
  v->s2 = error ? eddy__ws_dup(error, strlen(error)) : NULL;
}

/* One client frame at p (n bytes available): its size, after checking it. */
static size_t check_client_frame(const uint8_t *p, size_t n) {
  CHECK(n >= 6, "a truncated client frame");
  int op = p[0] & 0x0f;
  CHECK((p[0] & 0xf0) == 0x80, "a client frame without FIN or with a reserved bit");
  CHECK(op == OP_PONG || op == OP_CLOSE, "a client frame neither pong nor close");
  CHECK(p[1] & 0x80, "an unmasked client frame");
  size_t len = p[1] & 0x7f;
  CHECK(len <= 125, "a control frame over 125 bytes");
  CHECK(n >= 6 + len, "a truncated client frame");
  CHECK(!seen.close_written, "a frame after our close frame");
  if (op == OP_CLOSE) {
    seen.close_written = 1;
    CHECK(len != 1, "a close frame of one byte");
    if (len >= 2) {
      int code = (p[6] ^ p[2]) << 8 | (p[7] ^ p[3]);
      CHECK((code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
                (code >= 3000 && code <= 4999),
            "a close frame with a code it may not carry");
    }
  }
  return 6 + len;
}

/* Everything queued is written at once; what it is gets checked. */
int eddy__ws_flush(ws *s) {
  CHECK(s->out_off <= s->out_len && s->out_len <= s->out_cap, "output offsets out of order");
  while (s->out_off < s->out_len)
    s->out_off += check_client_frame(s->out + s->out_off, s->out_len - s->out_off);
  s->written_total += s->out_len;
  s->out_off = s->out_len = 0;
  CHECK(s->marks_len == 0 && s->buffered == 0, "control frames counted in bufferedAmount");
  return 0;
}

void eddy__ws_fail(ws *s, int code, const char *fmt, const char *detail) {
  CHECK(code == 0 || code == 1002 || code == 1007 || code == 1009 || code == 1011,
        "a failure with an unexpected close code");
  CHECK(!s->close_queued, "websocket_frame.c went on after failing");
  CHECK(!seen.lost || code == 1011, "a lost event not failed as out of memory");
  seen.failed = 1;
  if (s->state == ST_OPEN || s->state == ST_CLOSING) {
    if (code && !s->close_sent && eddy__ws_queue_close(s, code, NULL, 0) == 0)
      eddy__ws_flush(s); /* send_before_closing */
  }
  snprintf(s->error, sizeof s->error, fmt, detail ? detail : "");
  eddy__ws_finish(s, 1006, NULL, 0, 0, s->error);
}

void eddy__ws_await_tcp_close(ws *s) {
  CHECK(s->close_received && s->state == ST_CLOSING && !s->close_queued,
        "awaiting TCP close without the server's close frame");
}

void eddy__ws_handshake_failed(ws *s, const char *why) {
  CHECK(s->state == ST_HANDSHAKE, "a handshake failure after the handshake");
  char copy[sizeof s->error];
  snprintf(copy, sizeof copy, "%s", why); /* why may be s->error itself */
  memcpy(s->error, copy, sizeof copy);
  eddy__ws_finish(s, 1006, NULL, 0, 0, s->error);
}

/* ---- the socket, and eddy__ws_read_all's handling of what it reads ------------------------- */

typedef struct {
  const uint8_t *data;
  size_t len, pos, readable_end; /* data[pos, readable_end) is what the socket has now */
} feed;

/* Whether in[0, n) starts with a whole frame: then parse_frames must have taken it. */
static int whole_frame(const uint8_t *p, size_t n) {
  if (n < 2) return 0;
  uint64_t len = p[1] & 0x7f;
  size_t head = 2;
  if (len == 126) {
    if (n < 4) return 0;
    len = (uint64_t)p[2] << 8 | p[3];
    head = 4;
  } else if (len == 127) {
    if (n < 10) return 0;
    len = 0;
    for (int i = 0; i < 8; i++) len = len << 8 | p[2 + i];
    head = 10;
  }
  return len <= n - head;
}

/* One readable event: reads until the socket has nothing more (curl's CURLE_AGAIN), or, at
   the end of the input, sees the server's TCP close. Mirrors eddy__ws_read_all. */
static void read_all(ws *s, feed *f, int tcp_closed) {
  while (s->state == ST_HANDSHAKE || s->state == ST_OPEN || s->state == ST_CLOSING) {
    size_t rest = s->state >= ST_OPEN ? eddy__ws_large_frame_rest(s) : 0;
    CHECK(rest <= seen.limit + 10, "a large frame's rest beyond the size limit");
    if (rest && s->in_cap < s->in_len + rest) {
      uint8_t *p = realloc(s->in, s->in_len + rest);
      CHECK(p, "out of memory");
      s->in = p;
      s->in_cap = s->in_len + rest;
    } else if (!rest && s->in_cap - s->in_len < READ_CHUNK) {
      CHECK(!eddy__ws_grow((void **)&s->in, &s->in_cap, s->in_len + READ_CHUNK), "out of memory");
    }
    size_t asked = rest ? rest : s->in_cap - s->in_len;
    size_t n = f->readable_end - f->pos;
    if (n > asked) n = asked;
    if (n == 0 && !tcp_closed) return; /* CURLE_AGAIN */
    if (n == 0) {
      if (s->close_sent && s->close_received)
        eddy__ws_finish(s, s->peer_code, s->peer_reason, s->peer_reason_len, 1, NULL);
      else
        eddy__ws_fail(s, 0, "the server closed the connection%s",
                      s->state == ST_HANDSHAKE ? " during the opening handshake" : "");
      return;
    }
    memcpy(s->in + s->in_len, f->data + f->pos, n);
    f->pos += n;
    s->in_len += n;
    if (s->state == ST_HANDSHAKE) {
      /* The status line's first 13 bytes, before eddy__ws_take_head drops the head. */
      uint8_t status[13] = {0};
      memcpy(status, s->in, s->in_len < sizeof status ? s->in_len : sizeof status);
      int r = eddy__ws_take_head(s, n);
      if (r > 0) continue;
      if (r < 0) {
        CHECK(seen.closed && (!seen.opened || seen.lost),
              "a failed handshake without its close event");
        return;
      }
      CHECK(s->state == ST_OPEN && seen.opened, "a handshake that succeeded without opening");
      CHECK(memcmp(status, "HTTP/1.1 101", 12) == 0 &&
                (status[12] == ' ' || status[12] == '\r' || status[12] == '\n'),
            "opened without HTTP/1.1 101");
    }
    if (s->close_received) {
      s->in_len = 0; /* nothing may follow a close frame (RFC 6455 5.5.1) */
      continue;
    }
    if (s->state >= ST_OPEN) {
      int r = eddy__ws_parse_frames(s);
      if (r) {
        CHECK(s->close_queued || s->close_received, "parse_frames stopped with nothing over");
        return;
      }
      CHECK(!s->close_queued, "parse_frames failed the connection but returned 0");
      CHECK(s->in_len <= s->in_cap && (s->in || !s->in_len), "input offsets out of order");
      CHECK(!s->in || !whole_frame(s->in, s->in_len), "parse_frames left a whole frame");
    }
  }
}

/* ---- dispatch: what JS would get, checked, then freed -------------------------------------- */

static void check_utf16(const uint16_t *u, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (u[i] >= 0xD800 && u[i] <= 0xDBFF) {
      CHECK(i + 1 < n && u[i + 1] >= 0xDC00 && u[i + 1] <= 0xDFFF, "a lone high surrogate");
      i++;
    } else {
      CHECK(u[i] < 0xDC00 || u[i] > 0xDFFF, "a lone low surrogate");
    }
  }
}

static int utf8_ok(const char *p, size_t n) {
  uint16_t *u = NULL;
  size_t ul = 0;
  int r = eddy__utf8_to_utf16((const uint8_t *)p, n, 1, &u, &ul);
  free(u);
  return r == 0;
}

static int names_deflate(const char *p) {
  for (; *p; p++)
    if (strncasecmp(p, "permessage-deflate", 18) == 0) return 1;
  return 0;
}

static int requested_protocol(const char *p) {
  return !strcmp(p, "") || !strcmp(p, "chat") || !strcmp(p, "superchat");
}

static void dispatch(ws *s) {
  volatile uint8_t sink = 0;
  while (s->ev_head) {
    evt *v = s->ev_head;
    s->ev_head = v->next;
    if (!s->ev_head) s->ev_tail = NULL;
    switch (v->kind) {
    case EV_OPEN:
      CHECK(v->s1 && v->s2, "an open event without protocol or extensions");
      CHECK(requested_protocol(v->s1), "a protocol the script did not ask for");
      CHECK(names_deflate(v->s2) == (s->deflate != 0),
            "extensions that do not say what was negotiated");
      break;
    case EV_TEXT:
      CHECK(v->text, "a text message without its buffer");
      check_utf16(v->text, v->len);
      CHECK(eddy__utf8_length_of_utf16(v->text, v->len) <= seen.limit,
            "a text message over the size limit");
      break;
    case EV_BINARY:
      CHECK(v->bytes || v->len == 0, "a binary message without its bytes");
      CHECK(v->len <= seen.limit, "a binary message over the size limit");
      CHECK(!v->base || v->bytes >= v->base, "a binary message before its buffer");
      for (size_t i = 0; i < v->len; i++) sink ^= v->bytes[i];
      break;
    case EV_CLOSE:
      CHECK(!s->ev_head, "an event after the close event");
      CHECK(v->s1, "a close event without a reason");
      if (v->clean) {
        CHECK(s->close_received && s->close_sent, "a clean close without both close frames");
        CHECK(v->code == s->peer_code, "a clean close without the server's code");
        CHECK(v->code == 1005 || (v->code >= 1000 && v->code <= 4999 && v->code != 1006),
              "a clean close with an invalid code");
        CHECK(utf8_ok(v->s1, s->peer_reason_len), "a close reason that is not UTF-8");
      } else {
        CHECK(v->code == 1006 && v->s2 && v->s2[0], "a failure without its code or message");
      }
      break;
    }
    eddy__ws_evt_free(v);
  }
  (void)sink;
}

/* ---- the connection ------------------------------------------------------------------------ */

/* The open modes: the handshake, done with a response of ours. */
static void open_with(ws *s, const char *extensions) {
  char head[512];
  int n = snprintf(head, sizeof head,
                   "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                   "Connection: Upgrade\r\nSec-WebSocket-Accept: " ACCEPT "\r\n%s%s%s\r\n",
                   *extensions ? "Sec-WebSocket-Extensions: " : "", extensions,
                   *extensions ? "\r\n" : "");
  feed f = {(const uint8_t *)head, (size_t)n, 0, (size_t)n};
  read_all(s, &f, 0);
  /* A lost open event fails the connection. */
  CHECK(seen.lost ? s->state == ST_DONE
                  : s->state == ST_OPEN && f.pos == f.len && s->in_len == 0,
        "our handshake failed");
  dispatch(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2) return 0;
  uint8_t mode = data[0];
  memset(&seen, 0, sizeof seen);
  seen.fail_event = data[1];
  data += 2;
  size -= 2;
  eddy__ws *w = calloc(1, sizeof(*w));
  ws *s = calloc(1, sizeof(*s));
  CHECK(w && s, "out of memory");
  /* Masking keys from a fixed pool, as if drawn: runs repeat (OpenSSL's CSPRNG after 1024). */
  for (size_t i = 0; i < sizeof w->rnd; i++) w->rnd[i] = (uint8_t)(i * 151 + 7);
  w->max_message = (mode & 4) ? SMALL_LIMIT : DEFAULT_MAX_MESSAGE;
  w->open_timeout_ms = DEFAULT_OPEN_TIMEOUT_MS;
  w->close_timeout_ms = DEFAULT_CLOSE_TIMEOUT_MS;
  seen.limit = w->max_message;
  s->w = w;
  s->client_bits = 15;
  memcpy(s->key, KEY, sizeof KEY);
  s->protocols = eddy__ws_dup(PROTOCOLS, strlen(PROTOCOLS));
  CHECK(s->protocols, "out of memory");
  s->state = ST_HANDSHAKE; /* the upgrade request went out */
  static const char *const extensions[4] = {
      "", "", "permessage-deflate", "permessage-deflate; server_no_context_takeover"};
  if (mode & 3) {
    open_with(s, extensions[mode & 3]);
    if ((mode & 8) && s->state == ST_OPEN) { /* close(1000, "bye") as js_ws_close does it */
      CHECK(eddy__ws_queue_close(s, 1000, "bye", 3) == 0, "out of memory");
      s->state = ST_CLOSING;
      eddy__ws_flush(s);
    }
  }
  size_t step = (mode >> 4) ? (size_t)1 << ((mode >> 4) - 1) : size;
  feed f = {data, size, 0, 0};
  while (f.pos < f.len && s->state != ST_DONE) {
    /* After the server's close frame read_all stops with bytes still readable: the poll is
       level-triggered, the next event reads them. */
    if (f.pos == f.readable_end) f.readable_end = f.len - f.pos > step ? f.pos + step : f.len;
    read_all(s, &f, 0);
    if (!s->close_queued && s->out_len > s->out_off) eddy__ws_flush(s); /* on_io */
    dispatch(s);
  }
  f.readable_end = f.pos = f.len;
  read_all(s, &f, 1); /* the server closes TCP */
  dispatch(s);
  CHECK(seen.closed && s->close_queued && s->state == ST_DONE, "the connection did not end");
  CHECK(!seen.lost || seen.failed, "a lost event, and the connection ended as if not");
  eddy__ws_free(s);
  free(w);
  return 0;
}
