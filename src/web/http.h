/* native.httpRequest / native.httpAbort: HTTP transfers on libcurl's multi interface, driven by
   the engine's libuv loop (contract in src/js/README.md).

   One CURLM per engine, created with the first transfer (engine creation stays cheap). curl
   tells us which sockets to watch (CURLMOPT_SOCKETFUNCTION: one uv_poll_t per socket, attached
   with curl_multi_assign) and when to call it back (CURLMOPT_TIMERFUNCTION: one uv_timer_t). A
   0 ms timeout asked for while JS ran is honoured right after that JS (http_on_deliver), else by
   a 0 ms uv timer in the next loop iteration; curl is never re-entered.

   JS is never called from a curl callback. The header/write callbacks only record what arrived;
   after every curl_multi_socket_action, http_harvest() drains curl_multi_info_read (finished
   transfers leave the multi there). In the check phase http_deliver_ready() walks the ready
   queue in order, in one VM entry for the whole loop turn (eddy__batch), calling onResponse
   once the final head is complete and onEnd once the transfer finished (head first when both
   are due). JS may abort any transfer — including the one being dispatched — from inside those
   calls: abort releases everything at once, and a transfer being dispatched is only marked
   `dead` so the dispatch loop recycles its struct when it is done with it.

   Easy handles are pooled with their transfer structs (reused without curl_easy_reset: fixed
   options are set once, per-request ones every time), request header lists are built in pooled
   buffers and the poll handle of a kept-alive connection is kept between its transfers, so a
   keep-alive request allocates little more than its response body. Connections and the DNS
   cache live in the multi and stay warm. An idle engine has no active handle: curl removes its
   sockets when transfers finish and the timer is stopped once no transfer is left. While
   transfers are in flight and the server answers fast, the loop polls briefly before it sleeps
   (http_on_spin). */
#ifndef EDDY_WEB_HTTP_H
#define EDDY_WEB_HTTP_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "../internal.h"

#define MAX_ID 2147483647u
#define POOL_MAX 32                        /* idle transfer structs (with easy handles) kept */
#define KEEP_MAX (64u * 1024u)             /* pooled buffers larger than this are released */
#define FIRST_CHUNK 16384u                 /* first allocation of a response body */
#define HEAD_MAX (1u << 20)                /* bytes of one response head (libcurl 7.88+ stops at
                                              300 KiB itself; older ones do not) */
#define RECV_BUFFER 524288L                /* libcurl's receive buffer per easy handle (setup) */
#define SMALL_DOWNLOAD (64 * 1024)         /* an easy handle that read more is not pooled */
/* Coded bytes a decoded body holds while paused: the rest of one read of libcurl's. */
#define HELD_MAX ((size_t)RECV_BUFFER + CURL_MAX_WRITE_SIZE)
#define H2_BODY_MAX 16384u                 /* larger request bodies go over HTTP/1.1 (setup) */
/* A streamed response body (native.httpPull) is held here until the script pulls it: at this
   many bytes the transfer pauses (stream_hold) until the next pull takes the buffer. A body the
   script has neither pulled nor asked for whole (httpWhole) pauses there too. */
#define STREAM_HWM (256u * 1024u)
/* A streamed chunk: at most STREAM_HWM plus the rest of one read of curl's (stream_write).
   Chunks are cut one after the other from slabs of SLAB_SIZE bytes (chunk_pool). */
#define CHUNK_CAP (STREAM_HWM + RECV_BUFFER)
#define SLAB_SIZE (2048u * 1024u)
#define SLAB_KEEP 8u /* free slabs an engine keeps while it streams (16 MiB) */

typedef struct xfer xfer;
typedef struct sock sock;
typedef struct http_decoder http_decoder;

/* The memory of streamed chunks, recycled. JSC gives a chunk back (chunk_put) only when a
   collection finds it dead, tens of chunks at a time; memory straight from malloc at this size is
   fresh pages (mmap, a page fault and a zeroed page per 4 KiB, then munmap), which cost more CPU
   than the copy into them. Chunks are cut back to back from 2 MiB slabs, so a chunk smaller than
   CHUNK_CAP holds no more memory than its bytes; a slab goes back to the pool once its last chunk
   did. Free slabs are kept only while a stream is live. The deallocator may run on a JSC thread,
   or after the engine is gone: the pool is locked, and lives until its last slab came back. */
typedef struct chunk_pool chunk_pool;
typedef struct {
  chunk_pool *pool;
  unsigned refs; /* its chunks out, and one while a transfer cuts chunks from it */
} slab;
#define SLAB_DATA (SLAB_SIZE - 64u) /* bytes after the header, which takes one cache line */
struct chunk_pool {
  uv_mutex_t lock;
  unsigned refs; /* the engine's http state, and every slab out */
  unsigned keep; /* streams live: keep what comes back */
  unsigned nfree;
  slab *free[SLAB_KEEP];
};

/* A socket curl watches through us. Lives in h->socks until its close callback ran, and in
   h->byfd while its fd is open. Sockets curl opens for connections (http_on_open_socket) are
   `owned`: curl closes them through http_on_close_socket, so their poll handle is kept, stopped,
   between transfers of a kept-alive connection instead of being re-created for every request. */
struct sock {
  uv_poll_t poll;
  eddy__http *h; /* NULL once the http state is gone (teardown): the close callback only frees */
  sock *prev, *next;
  curl_socket_t fd;
  int owned;
  int events; /* UV_READABLE/UV_WRITABLE the poll runs with; 0 while stopped */
  int parked; /* curl let go of it, the poll still runs until the next prepare phase */
};

enum { HEAD_NONE, HEAD_READY, HEAD_SENT };

struct xfer {
  eddy__http *h;
  CURL *easy;
  uint32_t id;
  xfer *hnext;             /* id bucket chain */
  xfer *prev, *next;       /* live list */
  xfer *rq_prev, *rq_next; /* ready queue */
  unsigned hashed : 1, in_multi : 1, in_rq : 1, live : 1, done : 1, dispatching : 1, dead : 1;
  unsigned is_head : 1, decompress : 1, encoded : 1, has_length : 1, oom : 1, retried : 1;
  unsigned too_large : 1; /* the body outgrew h->max_body (http_on_write) */
  unsigned head_too_large : 1; /* the head outgrew HEAD_MAX (http_on_header) */
  unsigned streaming : 1;      /* the body goes to on_data in chunks (native.httpPull) */
  unsigned want : 1;           /* the script pulled: hand it the next chunk */
  unsigned paused : 1;         /* the response waits for a pull (stream_write, http_on_write) */
  unsigned idle : 1; /* not counted in e->pending: waits on the next pull, or its end is out */
  unsigned uploading : 1;      /* the request body comes from the script (native.httpSend) */
  unsigned up_need : 1;        /* curl wants the next chunk: ask on_need */
  unsigned up_paused : 1;      /* http_on_read returned CURL_READFUNC_PAUSE */
  unsigned up_eof : 1;         /* the script sent its last chunk */
  unsigned body_pooled : 1;    /* body is x->slab's next chunk (CHUNK_CAP bytes) */
  unsigned held : 1;       /* paused with coded bytes in zin, or the decoder not drained */
  unsigned bad_coding : 1; /* the body is not valid data of its Content-Encoding */
  unsigned raw_body : 1;   /* a coding eddy does not decode: the body goes as it came */
  unsigned counted : 1;        /* counted in h->streams */
  unsigned whole : 1;          /* the script takes the body whole (native.httpWhole) */
  unsigned head : 2;
  CURLcode result;
  JSObjectRef on_response, on_end; /* protected while live */
  JSObjectRef on_data;             /* protected once streaming */
  JSObjectRef on_need;             /* protected while uploading */

  /* Request (pooled buffers). */
  uint8_t *req_body; /* a whole body, or the script's latest chunk of a streamed one */
  size_t req_body_cap;
  size_t up_len, up_off; /* that chunk's size and how much of it curl took */
  struct curl_slist *nodes; /* our own nodes: curl only reads the list */
  size_t nodes_cap;
  char *hdr; /* "name: value\0" strings the nodes point into */
  size_t hdr_cap;

  /* Response head of the latest status line: the reason phrase, and "name\nvalue\n" per field
     (curl delivers one line per callback, so no byte of a field is a line feed). */
  int status;
  int seen_status;
  char *reason;
  size_t reason_len, reason_cap;
  char *head_buf;
  size_t head_len, head_cap;
  uint64_t content_length;

  /* Response body. on_chunk hook point: http_on_write() is where a streaming response.body would
     hand each (ptr, len) chunk to JS (queued, delivered by dispatch like the head) instead of
     appending it here; the buffer is kept chunk-friendly (append only, no reparsing). */
  uint8_t *body;
  size_t body_len, body_cap;
  size_t body_off; /* streamed: bytes before this went into BYOB views already */
  http_decoder *dec; /* the body's Content-Encoding, decoded here (http_decode.c), or NULL */
  uint8_t *zin;      /* coded bytes not decoded yet (while held) */
  size_t zin_off, zin_len, zin_cap;
  slab *slab;       /* streamed: where the next chunk is cut, at slab_off */
  size_t slab_off;

  /* A BYOB read's view (httpPull's third argument), protected while set: curl's bytes are
     copied straight into it, and its filled count goes to on_data instead of a buffer. */
  JSObjectRef into;
  uint8_t *into_ptr;
  size_t into_len, into_filled;

  char errbuf[CURL_ERROR_SIZE];
};

struct eddy__http {
  eddy_engine *e;
  JSObjectRef head_fn;     /* protected: the onResponse trampoline of wrapper_src */
  JSObjectRef head_end_fn; /* protected: onResponse then onEnd in one entry */
  JSValueRef empty;    /* protected "" once used */
  CURLM *multi; /* created with the first transfer */
  uv_timer_t timer;
  uv_prepare_t unpark; /* stops the polls still parked when the loop is about to block */
  uv_check_t deliver;  /* delivers a loop turn's finished transfers */
  uv_idle_t no_block;  /* while deliver waits: keeps the loop from blocking before the check */
  uv_prepare_t spin;   /* busy-polls before the loop sleeps (http_on_spin) */
  eddy__spin busy;     /* http_on_spin's state */
  long max_idle;       /* CURLMOPT_MAXCONNECTS: the most transfers ever in flight at once */
  int handles;         /* open uv handles above: h is freed when the last one has closed */
  uint32_t parked;
  int kick; /* curl asked for a 0 ms timeout: act on it after delivering (http_on_deliver) */
  int answered_uploads; /* a streamed upload got its response head: finish_answered_uploads */
  int closing;
  int dispatching;
  uint32_t next_id;
  uint32_t count; /* live transfers */
  xfer **buckets;
  uint32_t nbuckets;
  xfer *live;
  xfer *rq_head, *rq_tail;
  xfer *pool;
  uint32_t pool_len;
  chunk_pool *chunks; /* made by the first stream */
  uint32_t streams;   /* live transfers streaming their body */
  sock *socks;
  sock **byfd; /* open sockets by fd */
  size_t byfd_cap;
  char *scratch; /* URL conversion */
  size_t scratch_cap;
  uint16_t *u16; /* the head string for JS, Latin-1 → UTF-16 */
  size_t u16_cap;
  uint64_t max_body; /* eddy_options.max_response_body, at most EDDY__JS_BYTES_MAX */
};

/* The User-Agent header line every request sends (http.c). */
extern const char http_user_agent_line[];
extern const char http_accept_encoding_line[];

/* http.c */
int http_grow(void **buf, size_t *cap, size_t need, size_t elem);
xfer *hash_find(eddy__http *h, uint32_t id);
void hash_insert(eddy__http *h, xfer *x);
void hash_remove(eddy__http *h, xfer *x);
void rq_push(eddy__http *h, xfer *x);
void rq_push_front(eddy__http *h, xfer *x);
void rq_remove(eddy__http *h, xfer *x);
void chunk_pool_unref(chunk_pool *p);
void chunk_put(void *bytes, void *context);
void chunk_keep(chunk_pool *p, unsigned keep);
/* http_decode.c */
int http_decoder_add(http_decoder **d, const char *v, size_t len);
long http_decoder_run(http_decoder *d, const uint8_t *in, size_t *len, uint8_t *out, size_t cap);
void http_decoder_free(http_decoder *d);
uint8_t *chunk_start(xfer *x);
slab *chunk_cut(xfer *x, size_t len);
void xfer_free(xfer *x);
xfer *xfer_acquire(eddy__http *h);
void xfer_recycle(eddy__http *h, xfer *x);
void drop_view(eddy_engine *e, xfer *x);
void xfer_release(eddy__http *h, xfer *x);

/* http_curl.c */
curl_socket_t http_on_open_socket(void *clientp, curlsocktype purpose,
                                  struct curl_sockaddr *addr);
size_t http_on_header(char *buf, size_t size, size_t n, void *userdata);
size_t http_on_read(char *buf, size_t size, size_t n, void *userdata);
void xfer_set_idle(xfer *x, int idle);
size_t xfer_waiting(const xfer *x);
size_t http_on_write(char *ptr, size_t size, size_t n, void *userdata);
void http_resume(eddy__http *h, xfer *x);
void http_on_sock_closed(uv_handle_t *handle);
void http_on_no_block(uv_idle_t *idle);
void http_on_deliver(uv_check_t *check);
void http_on_spin(uv_prepare_t *prep);
int http_on_close_socket(void *clientp, curl_socket_t fd);
int http_on_curl_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp);
int http_on_curl_timer(CURLM *multi, long timeout_ms, void *userp);

/* http_dispatch.c */
int http_deliver_ready(eddy_engine *e, void *data);
void http_harvest(eddy__http *h);
void http_finished(eddy__http *h, xfer *x, CURLcode result);

#endif
