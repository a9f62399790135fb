/* Shared by src/web/websocket.c (transport, events, natives), src/web/websocket_connect.c (the
   upgrade request, curl connecting) and src/web/websocket_frame.c (the upgrade response,
   RFC 6455 frames, permessage-deflate). Internal. */
#ifndef EDDY_WEB_WEBSOCKET_H
#define EDDY_WEB_WEBSOCKET_H

#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <zlib.h>

#include "../internal.h"

#define MAX_ID 2147483647u
#define HEAD_MAX (64u * 1024u)       /* bytes of the server's handshake response */
#define READ_CHUNK (64u * 1024u)     /* bytes asked of curl_easy_recv at a time */
#define READ_BUDGET (1024u * 1024u)  /* bytes read per loop turn before the events go to JS */
#define DEFAULT_MAX_MESSAGE ((uint64_t)64 << 20)
#define DEFAULT_OPEN_TIMEOUT_MS 30000u
#define DEFAULT_CLOSE_TIMEOUT_MS 5000u
#define TCP_CLOSE_WAIT_MS 1000u /* after both close frames: the server's TCP close, at most */
#define DEFLATE_MIN 64 /* shorter messages are sent uncompressed (RFC 7692 allows either) */
#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

enum { ST_CONNECTING, ST_HANDSHAKE, ST_OPEN, ST_CLOSING, ST_DONE };
enum { EV_OPEN = 1, EV_TEXT = 2, EV_BINARY = 3, EV_CLOSE = 4, EV_CLOSING = 5, EV_DRAIN = 6 };
enum { OP_CONT = 0, OP_TEXT = 1, OP_BINARY = 2, OP_CLOSE = 8, OP_PING = 9, OP_PONG = 10 };

typedef struct ws ws;
typedef struct evt evt;
typedef struct wpoll wpoll;

struct evt {
  evt *next;
  int kind;
  uint16_t *text; /* EV_TEXT: UTF-16 units (malloc'd) */
  uint8_t *bytes; /* EV_BINARY: handed to JS without a copy; malloc'd, or inside base */
  uint8_t *base;  /* NULL, or the malloc'd receive buffer that bytes points into */
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
  uint64_t body;    /* s->queued_total where the frame's payload starts */
  uint64_t end;     /* s->queued_total at the end of this message's frame */
  uint64_t payload; /* application bytes it carries */
} mark;

struct ws {
  eddy__ws *w;
  uint32_t id;
  ws *prev, *next;       /* live list */
  ws *rq_next;           /* ready queue */
  unsigned in_rq : 1, finished : 1, close_queued : 1, close_sent : 1, close_received : 1;
  unsigned flush_later : 1; /* sent to from an event handler: written when the batch ends */
  unsigned deflate : 1, server_no_ctx : 1, client_no_ctx : 1, in_message : 1, msg_deflated : 1;
  unsigned z_in_ready : 1, z_out_ready : 1, tls : 1, counted : 1;
  unsigned paused : 1;     /* the socket is not read (WebSocketStream's readable is full) */
  unsigned read_more : 1;  /* read_all stopped at READ_BUDGET: it goes on after the dispatch */
  unsigned want_drain : 1; /* an EV_DRAIN event once nothing is buffered */
  unsigned raw : 1;        /* plain TCP to the server itself: bytes move with send/recv on fd */
  int state;
  int handles; /* open uv handles; the struct is freed when 0 and finished */
  int client_bits;
  JSObjectRef on_event; /* protected until the close event was dispatched */
  CURLM *multi;
  CURL *easy;
  int in_multi;
  wpoll *polls; /* curl's while connecting, then the connection's (io) */
  wpoll *io;
  curl_socket_t fd; /* the connection's socket, once connected */
  uv_timer_t curl_timer, deadline;
  char key[32];
  char *protocols; /* requested, "a, b" or "" */
  char *headers;   /* the script's request header lines ("name: value\r\n" each), or NULL */
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
  int peer_code; /* the server's close frame, for the close event once TCP closed */
  size_t peer_reason_len;
  char peer_reason[125];
  evt *ev_head, *ev_tail;
  char error[256];
};

struct eddy__ws {
  eddy_engine *e;
  uv_check_t deliver;
  uv_idle_t no_block;
  uv_prepare_t spin; /* busy-polls before the loop sleeps while a connection is open (on_spin) */
  eddy__spin busy;
  int handles; /* the three above, once started: the struct is freed when they closed */
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

static inline int eddy__ws_grow(void **buf, size_t *cap, size_t need) {
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

static inline char *eddy__ws_dup(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (!d) return NULL;
  if (n) memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

/* websocket.c */
evt *eddy__ws_push_event(ws *s, int kind); /* queued for dispatch; NULL when out of memory */
/* Writes what is queued until the socket would block. 0, or -1 after failing s. */
int eddy__ws_flush(ws *s);
/* Fails the connection (RFC 6455 7.1.7): a close frame with `code` (0: none) if one can still go
   out, then the TCP connection closes at once; the script gets error then close (1006). fmt has
   one %s, for detail. */
void eddy__ws_fail(ws *s, int code, const char *fmt, const char *detail);
/* The connection is over: the close event is queued (once) with what the script sees. */
void eddy__ws_finish(ws *s, int code, const char *reason, size_t reason_len, int clean,
                     const char *error);
void eddy__ws_handshake_failed(ws *s, const char *why);
/* Both close frames are out or queued: the close event waits for the server's TCP close
   (RFC 6455 7.1.1), TCP_CLOSE_WAIT_MS at most. */
void eddy__ws_await_tcp_close(ws *s);
/* Stops watching one socket; p is freed by its close callback. */
void eddy__ws_wpoll_close(ws *s, wpoll *p);
/* Reads what the connection has (the handshake response, then frames) within READ_BUDGET. */
void eddy__ws_read_all(ws *s);

/* websocket_connect.c */
/* Queues the upgrade request and starts curl connecting s->url: the rest comes from the loop.
   NULL, or why the connection cannot start (the caller fails it). */
const char *eddy__ws_connect(ws *s, const char *host, const char *target);

/* websocket_frame.c */
/* Appends one masked frame to the output queue; payload bytes count toward bufferedAmount. */
int eddy__ws_queue_frame(ws *s, int opcode, int rsv1, const uint8_t *data, size_t len,
                         uint64_t payload);
int eddy__ws_queue_close(ws *s, int code, const char *reason, size_t reason_len);
/* A data message, compressed when negotiated and worth it. */
int eddy__ws_send_message(ws *s, int opcode, const uint8_t *data, size_t len);
/* The response head is in[0, head_len). 0: open (event queued); -1: failed. */
int eddy__ws_check_response(ws *s, size_t head_len);
/* During the handshake, with n bytes just added to in: 1 while the head is not whole (or the
   handshake failed on its size), 0 once checked and taken (open), -1 failed. */
int eddy__ws_take_head(ws *s, size_t n);
/* Parses the frames in in[0, in_len). 0, or -1 when the connection is over. */
int eddy__ws_parse_frames(ws *s);
/* Frees an event, and a socket with its queued events (websocket_frame.c). */
void eddy__ws_evt_free(evt *v);
void eddy__ws_free(ws *s);
/* The bytes still missing of the frame in[0, in_len) starts, if it is a large one (READ_CHUNK
   or more of payload, within the message size limit); else 0. */
size_t eddy__ws_large_frame_rest(const ws *s);

#endif
