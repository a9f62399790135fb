/* native.httpRequest / native.httpAbort: HTTP transfers on libcurl's multi interface, driven by
   the engine's libuv loop (contract in src/js/README.md).

   One CURLM per engine, created with the first transfer (engine creation stays cheap). curl
   tells us which sockets to watch (CURLMOPT_SOCKETFUNCTION: one uv_poll_t per socket, attached
   with curl_multi_assign) and when to call it back (CURLMOPT_TIMERFUNCTION: one uv_timer_t). A
   0 ms timeout asked for while JS ran is honoured right after that JS (on_deliver), else by a 0 ms
   uv timer in the next loop iteration; curl is never re-entered.

   JS is never called from a curl callback. The header/write callbacks only record what arrived;
   after every curl_multi_socket_action, harvest() drains curl_multi_info_read (finished
   transfers leave the multi there). In the check phase deliver_ready() walks the ready queue in
   order, in one VM entry for the whole loop turn (eddy__batch), calling onResponse
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
   (on_spin). */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>

#include "../internal.h"

#define MAX_ID 2147483647u
#define POOL_MAX 32                        /* idle transfer structs (with easy handles) kept */
#define KEEP_MAX (64u * 1024u)             /* pooled buffers larger than this are released */
#define FIRST_CHUNK 16384u                 /* first allocation of a response body */
#define HEAD_MAX (1u << 20)                /* bytes of one response head (libcurl 7.88+ stops at
                                              300 KiB itself; older ones do not) */
#define RECV_BUFFER 65536L                 /* libcurl's receive buffer per easy handle */
#define H2_BODY_MAX 16384u                 /* larger request bodies go over HTTP/1.1 (setup) */
/* A streamed response body (native.httpPull) is held here until the script pulls it: at this
   many bytes the transfer pauses (CURL_WRITEFUNC_PAUSE) until the next pull takes the buffer. */
#define STREAM_HWM (256u * 1024u)
/* A streamed chunk: at most STREAM_HWM plus one write of curl (CURL_MAX_WRITE_SIZE at most).
   Chunks are cut one after the other from slabs of SLAB_SIZE bytes (chunk_pool). */
#define CHUNK_CAP (STREAM_HWM + CURL_MAX_WRITE_SIZE)
#define SLAB_SIZE (512u * 1024u)
#define SLAB_KEEP 32u /* free slabs an engine keeps while it streams */

typedef struct xfer xfer;
typedef struct sock sock;

/* The memory of streamed chunks, recycled. JSC gives a chunk back (chunk_put) only when a
   collection finds it dead, tens of chunks at a time; memory straight from malloc at this size is
   fresh pages (mmap, a page fault and a zeroed page per 4 KiB, then munmap), which cost more CPU
   than the copy into them. Chunks are cut back to back from 512 KiB slabs, so a chunk smaller than
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
   h->byfd while its fd is open. Sockets curl opens for connections (on_open_socket) are `owned`:
   curl closes them through on_close_socket, so their poll handle is kept, stopped, between
   transfers of a kept-alive connection instead of being re-created for every request. */
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
  unsigned decoding : 1; /* CURLOPT_ACCEPT_ENCODING is on for this easy (setup) */
  unsigned too_large : 1; /* the body outgrew h->max_body (on_write) */
  unsigned head_too_large : 1; /* the head outgrew HEAD_MAX (on_header) */
  unsigned streaming : 1;      /* the body goes to on_data in chunks (native.httpPull) */
  unsigned want : 1;           /* the script pulled: hand it the next chunk */
  unsigned paused : 1;         /* on_write returned CURL_WRITEFUNC_PAUSE */
  unsigned idle : 1; /* not counted in e->pending: waits on the next pull, or its end is out */
  unsigned uploading : 1;      /* the request body comes from the script (native.httpSend) */
  unsigned up_need : 1;        /* curl wants the next chunk: ask on_need */
  unsigned up_paused : 1;      /* on_read returned CURL_READFUNC_PAUSE */
  unsigned up_eof : 1;         /* the script sent its last chunk */
  unsigned body_pooled : 1;    /* body is x->slab's next chunk (CHUNK_CAP bytes) */
  unsigned counted : 1;        /* counted in h->streams */
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

  /* Response body. on_chunk hook point: on_write() is where a streaming response.body would
     hand each (ptr, len) chunk to JS (queued, delivered by dispatch like the head) instead of
     appending it here; the buffer is kept chunk-friendly (append only, no reparsing). */
  uint8_t *body;
  size_t body_len, body_cap;
  size_t body_off; /* streamed: bytes before this went into BYOB views already */
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
  uv_prepare_t spin;   /* busy-polls before the loop sleeps (on_spin) */
  uint64_t sleep_ns;   /* when the loop went to sleep after polling in vain; 0: not asleep */
  int short_waits;     /* short waits for a socket in a row, up to SHORT_STREAK */
  long max_idle;       /* CURLMOPT_MAXCONNECTS: the most transfers ever in flight at once */
  int handles;         /* open uv handles above: h is freed when the last one has closed */
  uint32_t parked;
  int kick; /* curl asked for a 0 ms timeout: act on it after delivering (on_deliver) */
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
  /* "Accept-Encoding: …" naming every coding this libcurl decodes; "" if it decodes none */
  char accept_encoding[64];
  uint64_t max_body; /* eddy_options.max_response_body, at most EDDY__JS_BYTES_MAX */
};

/* Sent as request header lines, not through CURLOPT_USERAGENT and CURLOPT_ACCEPT_ENCODING's
   header: libcurl re-formats those two with its own printf for every request, byte by byte,
   then formats them again into the request; custom lines are formatted once. */
static const char user_agent_line[] = "User-Agent: eddy/" EDDY_VERSION_STRING;
static struct curl_slist proxy_headers = {(char *)user_agent_line, NULL};

/* Every JSC C API call takes the API lock, so the hot path makes few of them. native.httpRequest
   is this JS wrapper around the C function: it packs the spec into one string
   "<decompress 0|1><field count>\nmethod\nurl\nname\nvalue…" that C converts at once, instead
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
    "    let packed = (spec.decompress ? '1' : '0') + n + '\\n' +\n"
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

static int grow(void **buf, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return 0;
  size_t c = *cap ? *cap : 64;
  while (c < need) {
    if (c > SIZE_MAX / 2 / elem) return -1;
    c *= 2;
  }
  void *p = realloc(*buf, c * elem);
  if (!p) return -1;
  *buf = p;
  *cap = c;
  return 0;
}

/* ---- id table (chained buckets; insertion never fails, growth is best effort) ------------- */

static uint32_t bucket_of(uint32_t id, uint32_t n) { return (id * 2654435761u) & (n - 1); }

static void hash_grow(eddy__http *h) {
  uint32_t n = h->nbuckets * 2;
  xfer **b = calloc(n, sizeof(*b));
  if (!b) return;
  for (uint32_t i = 0; i < h->nbuckets; i++) {
    xfer *x = h->buckets[i];
    while (x) {
      xfer *next = x->hnext;
      uint32_t j = bucket_of(x->id, n);
      x->hnext = b[j];
      b[j] = x;
      x = next;
    }
  }
  free(h->buckets);
  h->buckets = b;
  h->nbuckets = n;
}

static xfer *hash_find(eddy__http *h, uint32_t id) {
  if (!h->buckets) return NULL;
  for (xfer *x = h->buckets[bucket_of(id, h->nbuckets)]; x; x = x->hnext)
    if (x->id == id) return x;
  return NULL;
}

static void hash_insert(eddy__http *h, xfer *x) {
  if (h->count >= h->nbuckets) hash_grow(h);
  uint32_t i = bucket_of(x->id, h->nbuckets);
  x->hnext = h->buckets[i];
  h->buckets[i] = x;
  x->hashed = 1;
}

static void hash_remove(eddy__http *h, xfer *x) {
  if (!x->hashed) return;
  xfer **p = &h->buckets[bucket_of(x->id, h->nbuckets)];
  while (*p && *p != x) p = &(*p)->hnext;
  if (*p) *p = x->hnext;
  x->hnext = NULL;
  x->hashed = 0;
}

/* ---- ready queue ------------------------------------------------------------------------- */

static void rq_push(eddy__http *h, xfer *x) {
  if (x->in_rq) return;
  x->in_rq = 1;
  x->rq_next = NULL;
  x->rq_prev = h->rq_tail;
  if (h->rq_tail) h->rq_tail->rq_next = x;
  else h->rq_head = x;
  h->rq_tail = x;
}

static void rq_push_front(eddy__http *h, xfer *x) {
  if (x->in_rq) return;
  x->in_rq = 1;
  x->rq_prev = NULL;
  x->rq_next = h->rq_head;
  if (h->rq_head) h->rq_head->rq_prev = x;
  else h->rq_tail = x;
  h->rq_head = x;
}

static void rq_remove(eddy__http *h, xfer *x) {
  if (!x->in_rq) return;
  if (x->rq_prev) x->rq_prev->rq_next = x->rq_next;
  else h->rq_head = x->rq_next;
  if (x->rq_next) x->rq_next->rq_prev = x->rq_prev;
  else h->rq_tail = x->rq_prev;
  x->rq_prev = x->rq_next = NULL;
  x->in_rq = 0;
}

/* ---- chunk buffers ------------------------------------------------------------------------ */

static uint8_t *slab_data(slab *sl) { return (uint8_t *)sl + 64; }

static void chunk_pool_unref(chunk_pool *p) { /* with p->lock held; unlocks */
  int last = --p->refs == 0;
  uv_mutex_unlock(&p->lock);
  if (last) {
    uv_mutex_destroy(&p->lock);
    free(p);
  }
}

static slab *slab_get(chunk_pool *p) {
  uv_mutex_lock(&p->lock);
  slab *sl = p->nfree ? p->free[--p->nfree] : aligned_alloc(64, SLAB_SIZE);
  if (sl) {
    sl->pool = p;
    sl->refs = 1;
    p->refs++;
  }
  uv_mutex_unlock(&p->lock);
  return sl;
}

static void slab_unref(slab *sl) {
  chunk_pool *p = sl->pool;
  uv_mutex_lock(&p->lock);
  if (--sl->refs) {
    uv_mutex_unlock(&p->lock);
    return;
  }
  if (p->keep && p->nfree < SLAB_KEEP) p->free[p->nfree++] = sl;
  else free(sl);
  chunk_pool_unref(p);
}

/* The deallocator of a chunk's ArrayBuffer. */
static void chunk_put(void *bytes, void *context) {
  (void)bytes;
  slab_unref(context);
}

/* Keeping on (a stream began) or off (the last one ended: the free slabs go). */
static void chunk_keep(chunk_pool *p, unsigned keep) {
  uv_mutex_lock(&p->lock);
  p->keep = keep;
  if (!keep)
    while (p->nfree) free(p->free[--p->nfree]);
  uv_mutex_unlock(&p->lock);
}

/* Where x's next chunk starts: CHUNK_CAP bytes of its slab, a fresh slab if needed. */
static uint8_t *chunk_start(xfer *x) {
  if (!x->slab) {
    x->slab = slab_get(x->h->chunks);
    x->slab_off = 0;
    if (!x->slab) return NULL;
  }
  return slab_data(x->slab) + x->slab_off;
}

/* The len bytes at x's chunk start go to the script: one more reference to the slab, and the
   next chunk starts after them (cache-line aligned), or in another slab if this one is full. */
static slab *chunk_cut(xfer *x, size_t len) {
  slab *sl = x->slab;
  chunk_pool *p = sl->pool;
  uv_mutex_lock(&p->lock);
  sl->refs++;
  uv_mutex_unlock(&p->lock);
  x->slab_off += (len + 63) & ~(size_t)63;
  if (SLAB_DATA - x->slab_off < CHUNK_CAP) {
    slab_unref(sl);
    x->slab = NULL;
  }
  return sl;
}

static void body_free(xfer *x) {
  if (!x->body_pooled) free(x->body);
  x->body = NULL;
  x->body_pooled = 0;
  if (x->slab) {
    slab_unref(x->slab);
    x->slab = NULL;
  }
}

/* ---- transfer structs -------------------------------------------------------------------- */

static void xfer_free(xfer *x) {
  if (x->easy) curl_easy_cleanup(x->easy);
  free(x->req_body);
  free(x->nodes);
  free(x->hdr);
  free(x->head_buf);
  free(x->reason);
  body_free(x);
  free(x);
}

static size_t on_header(char *buf, size_t size, size_t n, void *userdata);
static size_t on_write(char *ptr, size_t size, size_t n, void *userdata);
static size_t on_read(char *buf, size_t size, size_t n, void *userdata);
static int is_function(JSContextRef ctx, JSValueRef v);
static curl_socket_t on_open_socket(void *clientp, curlsocktype purpose,
                                    struct curl_sockaddr *addr);
static int on_close_socket(void *clientp, curl_socket_t fd);

/* What every connection of the engine shares, fetch's and WebSocket's (web/websocket.c): TLS
   trust, the proxy's CONNECT headers, no signals. Proxies come from libcurl's environment
   variables for both. */
void eddy__curl_common_options(eddy_engine *e, void *easy) {
  CURL *c = easy;
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  /* The User-Agent line travels with each request's headers (build_headers); a proxy's
     CONNECT request gets it from here. */
  curl_easy_setopt(c, CURLOPT_PROXYHEADER, &proxy_headers);
  curl_easy_setopt(c, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
  /* A host's trust store replaces the system one whole: libcurl's default bundle and default
     directory would otherwise still be trusted next to it. */
  const eddy_options *o = &e->opts;
  if (o->ca_file || o->ca_path) {
    curl_easy_setopt(c, CURLOPT_CAINFO, o->ca_file);
    curl_easy_setopt(c, CURLOPT_CAPATH, o->ca_path);
  }
}

/* A new struct with its easy handle. The easy stays paired with this struct for life, so the
   options that never change are set once here; setup() sets the per-request ones. */
static xfer *xfer_acquire(eddy__http *h) {
  xfer *x = h->pool;
  if (x) {
    h->pool = x->next;
    h->pool_len--;
    x->next = NULL;
    return x;
  }
  x = calloc(1, sizeof(*x));
  if (!x) return NULL;
  x->h = h;
  CURL *c = x->easy = curl_easy_init();
  if (!c) {
    free(x);
    return NULL;
  }
  curl_easy_setopt(c, CURLOPT_PRIVATE, (char *)x);
  eddy__curl_common_options(h->e, c);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, x);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, x);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
  curl_easy_setopt(c, CURLOPT_READDATA, x);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, x->errbuf);
  /* libcurl reads at most its buffer per readable event (16 KiB by default): a 64 KiB body took
     five recv calls and three more loop turns than with 64 KiB, the read size Node's libuv uses.
     48 KiB more per easy handle (at most POOL_MAX idle ones are kept). */
  curl_easy_setopt(c, CURLOPT_BUFFERSIZE, RECV_BUFFER);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, h);
  curl_easy_setopt(c, CURLOPT_CLOSESOCKETFUNCTION, on_close_socket);
  curl_easy_setopt(c, CURLOPT_CLOSESOCKETDATA, h);
  return x;
}

static void shrink(void **buf, size_t *cap) {
  if (*cap > KEEP_MAX) {
    free(*buf);
    *buf = NULL;
    *cap = 0;
  }
}

/* Back to the pool (or freed): x is in no list and owns no JS value. */
static void xfer_recycle(eddy__http *h, xfer *x) {
  body_free(x);
  x->body_len = x->body_cap = 0;
  if (h->closing || h->pool_len >= POOL_MAX) {
    xfer_free(x);
    return;
  }
  shrink((void **)&x->req_body, &x->req_body_cap);
  shrink((void **)&x->hdr, &x->hdr_cap);
  shrink((void **)&x->head_buf, &x->head_cap);
  shrink((void **)&x->reason, &x->reason_cap);
  if (x->nodes_cap * sizeof(*x->nodes) > KEEP_MAX) {
    free(x->nodes);
    x->nodes = NULL;
    x->nodes_cap = 0;
  }
  CURL *easy = x->easy;
  uint8_t *rb = x->req_body;
  size_t rbc = x->req_body_cap, nc = x->nodes_cap, hc = x->hdr_cap, hbc = x->head_cap;
  struct curl_slist *nodes = x->nodes;
  char *hdr = x->hdr, *hb = x->head_buf, *reason = x->reason;
  size_t rc = x->reason_cap;
  unsigned decoding = x->decoding; /* state of the easy handle, which keeps its options */
  memset(x, 0, sizeof(*x));
  x->decoding = decoding;
  x->h = h;
  x->easy = easy;
  x->req_body = rb;
  x->req_body_cap = rbc;
  x->nodes = nodes;
  x->nodes_cap = nc;
  x->hdr = hdr;
  x->hdr_cap = hc;
  x->head_buf = hb;
  x->reason = reason;
  x->reason_cap = rc;
  x->head_cap = hbc;
  x->next = h->pool;
  h->pool = x;
  h->pool_len++;
}

static void drop_view(eddy_engine *e, xfer *x) {
  if (x->into) JSValueUnprotect(e->ctx, x->into);
  x->into = NULL;
  x->into_ptr = NULL;
  x->into_len = x->into_filled = 0;
}

/* Ends a transfer now: no callback afterwards. From the JS thread, never inside curl. */
static void xfer_release(eddy__http *h, xfer *x) {
  eddy_engine *e = h->e;
  hash_remove(h, x);
  rq_remove(h, x);
  if (x->in_multi) {
    curl_multi_remove_handle(h->multi, x->easy);
    x->in_multi = 0;
  }
  if (x->live) {
    if (x->prev) x->prev->next = x->next;
    else h->live = x->next;
    if (x->next) x->next->prev = x->prev;
    x->prev = x->next = NULL;
    x->live = 0;
    h->count--;
    if (!x->idle) atomic_fetch_sub(&e->pending, 1);
    x->idle = 0;
  }
  if (x->on_response) JSValueUnprotect(e->ctx, x->on_response);
  if (x->on_end) JSValueUnprotect(e->ctx, x->on_end);
  if (x->on_data) JSValueUnprotect(e->ctx, x->on_data);
  if (x->on_need) JSValueUnprotect(e->ctx, x->on_need);
  x->on_response = x->on_end = x->on_data = x->on_need = NULL;
  drop_view(e, x);
  body_free(x);
  x->body_len = x->body_cap = x->body_off = 0;
  if (x->counted) {
    x->counted = 0;
    if (--h->streams == 0) chunk_keep(h->chunks, 0);
  }
  /* Nothing left to time: an idle engine keeps no active handle (and no wake-ups). */
  if (h->count == 0 && h->multi) uv_timer_stop(&h->timer);
  if (x->dispatching) x->dead = 1;
  else xfer_recycle(h, x);
}

/* ---- curl callbacks: record only, never call JS ------------------------------------------ */

/* Appends s + '\n' to x->head_buf, lower-cased for names. */
static int head_append(xfer *x, const char *s, size_t len, int lower) {
  if (x->head_len + len + 1 > HEAD_MAX) {
    x->head_too_large = 1;
    return -1;
  }
  if (grow((void **)&x->head_buf, &x->head_cap, x->head_len + len + 1, 1)) return -1;
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

static size_t on_header(char *buf, size_t size, size_t n, void *userdata) {
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
    if (grow((void **)&x->reason, &x->reason_cap, rend - i + 1, 1)) return 0;
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
  }
  return len;
}

/* A streamed request body: curl takes the script's latest chunk (x->req_body); once it took all
   of it, the transfer pauses and on_need asks the script for the next one, so the script
   produces no faster than the socket drains. */
static size_t on_read(char *buf, size_t size, size_t n, void *userdata) {
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

static void set_idle(xfer *x, int idle) {
  if (x->idle == (unsigned)idle || !x->live) return;
  x->idle = (unsigned)idle;
  if (idle) atomic_fetch_sub(&x->h->e->pending, 1);
  else atomic_fetch_add(&x->h->e->pending, 1);
}

/* Bytes of a streamed body that wait in x->body for the script. */
static size_t waiting(const xfer *x) { return x->body_len - x->body_off; }

/* A streamed body: chunks go into the view of a pending BYOB read, or wait in x->body for the
   script's pull (handed over whole by send_data). Once STREAM_HWM bytes wait, curl keeps this
   chunk and stops reading the socket until httpPull unpauses it; a transfer nobody pulls is
   then no pending work of the engine. A view is only ever set while no byte waits, and one
   write is far below STREAM_HWM, so the pause never follows a partial copy. */
static size_t stream_write(xfer *x, const char *ptr, size_t len) {
  size_t total = len, room = x->into ? x->into_len - x->into_filled : 0;
  if (!room && waiting(x) >= STREAM_HWM) {
    x->paused = 1;
    if (!x->want) set_idle(x, 1);
    return CURL_WRITEFUNC_PAUSE;
  }
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
    memmove(x->body, x->body + x->body_off, waiting(x));
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
static size_t on_write(char *ptr, size_t size, size_t n, void *userdata) {
  xfer *x = userdata;
  size_t len = size * n;
  if (x->streaming) return stream_write(x, ptr, len);
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

static void on_sock_closed(uv_handle_t *handle) {
  sock *k = (sock *)handle;
  if (k->h) {
    if (k->prev) k->prev->next = k->next;
    else k->h->socks = k->next;
    if (k->next) k->next->prev = k->prev;
  }
  free(k);
}

static void harvest(eddy__http *h);
static void on_deliver(uv_check_t *check);
static int deliver_ready(eddy_engine *e, void *data);
static void on_no_block(uv_idle_t *idle) { (void)idle; }

/* One curl_multi_socket_action, and the transfers it finished queued for delivery. Every
   callback of the loop turn's I/O phase only queues: the check phase delivers them all in one
   VM entry (on_deliver). */
static void act(eddy__http *h, curl_socket_t fd, int flags) {
  int running;
  h->kick = 0;
  curl_multi_socket_action(h->multi, fd, flags, &running);
  harvest(h);
  if (h->rq_head || h->kick) {
    uv_check_start(&h->deliver, on_deliver);
    /* Outside the I/O phase (the timer phase) the loop would block in poll before the check. */
    uv_idle_start(&h->no_block, on_no_block);
  }
}

/* Check phase, after the loop turn's I/O: delivers what the turn finished, as one batch. Then
   the transfers that JS started meanwhile (curl asks for a 0 ms timeout) are started right away
   instead of one loop iteration later: a response's handler that fetches again gets its request
   on the wire in the same turn, on the connection that just went idle. Bounded, so a chain of
   instant failures cannot starve I/O; the 0 ms uv timer takes over after that. */
static void on_deliver(uv_check_t *check) {
  eddy__http *h = check->data;
  uv_check_stop(check);
  uv_idle_stop(&h->no_block);
  int running;
  for (int round = 0;; round++) {
    if (h->closing || atomic_load(&h->e->closing)) return;
    if (h->rq_head && !h->dispatching) {
      h->dispatching = 1;
      eddy__batch(h->e, deliver_ready, h);
      h->dispatching = 0;
    }
    if (!h->kick || round == 8) break;
    h->kick = 0;
    curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    harvest(h);
  }
}

/* Busy-polling. Sleeping in epoll_wait and being woken costs more than a loopback or LAN round
   trip on many machines (an idle vCPU halts; waking it takes tens of µs), so while transfers are
   in flight the loop polls its backend for up to busy_poll_us before it sleeps, but only after
   SHORT_STREAK waits in a row have each slept less than SHORT_WAIT budgets (wake-up included).
   One long wait stops it: a slow or distant server costs one budget now and then (a response in
   several packets makes short waits, but never enough in a row), and an engine with no transfer
   in flight never polls. */
#define SHORT_WAIT 4
#define SHORT_STREAK 3
static void on_spin(uv_prepare_t *prep) {
  eddy__http *h = prep->data;
  uint64_t budget = (uint64_t)h->e->opts.busy_poll_us * 1000u;
  h->sleep_ns = 0;
  if (!budget || h->count == 0 || h->e->nowait) return;
  uv_loop_t *loop = &h->e->loop;
  if (uv_backend_timeout(loop) == 0) return; /* it will not sleep anyway */
  uint64_t now = uv_hrtime();
  if (h->short_waits >= SHORT_STREAK) {
    struct pollfd p = {.fd = uv_backend_fd(loop), .events = POLLIN};
    uint64_t until = now + budget;
    do {
      if (poll(&p, 1, 0) > 0) return;
      now = uv_hrtime();
    } while (now < until);
  }
  h->sleep_ns = now;
}

/* A socket woke the loop: was the wait short? */
static void note_wake(eddy__http *h) {
  if (!h->sleep_ns) return;
  uint64_t slept = uv_hrtime() - h->sleep_ns;
  h->sleep_ns = 0;
  if (slept > (uint64_t)h->e->opts.busy_poll_us * 1000u * SHORT_WAIT) h->short_waits = 0;
  else if (h->short_waits < SHORT_STREAK) h->short_waits++;
}

static void on_poll(uv_poll_t *handle, int status, int events) {
  sock *k = (sock *)handle;
  eddy__http *h = k->h;
  if (!h || h->closing || atomic_load(&h->e->closing)) return;
  note_wake(h);
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

/* Closes k's handle (freed by on_sock_closed); its fd is still open, so libuv can unregister it. */
static void sock_drop(eddy__http *h, sock *k) {
  if (sock_find(h, k->fd) == k) h->byfd[k->fd] = NULL;
  if (k->parked) {
    k->parked = 0;
    h->parked--;
  }
  if (!uv_is_closing((uv_handle_t *)&k->poll)) uv_close((uv_handle_t *)&k->poll, on_sock_closed);
}

static sock *sock_new(eddy__http *h, curl_socket_t fd, int owned) {
  if (fd < 0) return NULL;
  sock *old = sock_find(h, fd);
  if (old) sock_drop(h, old); /* stale: its fd was closed without telling us */
  if ((size_t)fd >= h->byfd_cap) {
    size_t cap = h->byfd_cap;
    if (grow((void **)&h->byfd, &h->byfd_cap, (size_t)fd + 1, sizeof(*h->byfd))) return NULL;
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

static curl_socket_t on_open_socket(void *clientp, curlsocktype purpose,
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

static int on_close_socket(void *clientp, curl_socket_t fd) {
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
static int on_curl_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp) {
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

static int on_curl_timer(CURLM *multi, long timeout_ms, void *userp) {
  (void)multi;
  eddy__http *h = userp;
  h->kick = timeout_ms == 0;
  /* The uv timer also covers a 0 ms timeout, for transfers started outside act() (from a timer
     callback or a host call): it runs in the next iteration, never inside curl. */
  if (timeout_ms < 0) uv_timer_stop(&h->timer);
  else uv_timer_start(&h->timer, on_uv_timer, (uint64_t)timeout_ms, 0);
  return 0;
}

/* ---- dispatch: JS callbacks, on the JS thread after curl returned ------------------------ */

static JSValueRef latin1_value(eddy__http *h, JSContextRef ctx, const char *s, size_t len) {
  size_t i = 0;
  while (i < len && !(s[i] & 0x80)) i++;
  JSStringRef js = NULL;
  if (i == len) {
    js = JSStringCreateWithUTF8CString(s); /* s is NUL-terminated; ASCII is its own UTF-8 */
  } else if (grow((void **)&h->u16, &h->u16_cap, len, sizeof(uint16_t)) == 0) {
    for (size_t k = 0; k < len; k++) h->u16[k] = (unsigned char)s[k]; /* isomorphic decode */
    js = JSStringCreateWithCharacters(h->u16, len);
  }
  if (!js) return JSValueMakeUndefined(ctx);
  JSValueRef v = JSValueMakeString(ctx, js);
  JSStringRelease(js);
  return v;
}

/* onResponse through the `head` trampoline of wrapper_src: the whole head travels as one
   string "name\nvalue\n…reason\nurl" that JS splits, instead of a C API call per field. */
/* args[0..2] = onResponse, status, packed head. */
static void head_args(eddy__http *h, xfer *x, JSValueRef args[3]) {
  JSContextRef ctx = h->e->ctx;
  char *url = NULL;
  curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &url);
  if (!url) url = "";
  size_t ulen = strlen(url);
  int url_ascii = 1;
  for (size_t i = 0; i < ulen && url_ascii; i++) url_ascii = (unsigned char)url[i] < 0x80;
  size_t hlen = x->head_len, rlen = x->reason_len;
  /* Field bytes are Latin-1 (isomorphic decode, as fetch does); the URL is UTF-8. */
  uint16_t *u = NULL;
  size_t un = ulen;
  JSStringRef js = NULL;
  if (!url_ascii && eddy__utf8_to_utf16((const uint8_t *)url, ulen, 0, &u, &un)) un = 0;
  size_t total = hlen + rlen + 1 + un;
  if (grow((void **)&h->u16, &h->u16_cap, total, sizeof(uint16_t)) == 0) {
    uint16_t *d = h->u16;
    const unsigned char *p = (const unsigned char *)x->head_buf;
    for (size_t i = 0; i < hlen; i++) *d++ = p[i];
    p = (const unsigned char *)x->reason;
    for (size_t i = 0; i < rlen; i++) *d++ = p[i];
    *d++ = '\n';
    if (u) memcpy(d, u, un * sizeof(uint16_t));
    else for (size_t i = 0; i < un; i++) *d++ = (unsigned char)url[i];
    js = JSStringCreateWithCharacters(h->u16, total);
  }
  free(u);
  args[0] = x->on_response;
  args[1] = JSValueMakeNumber(ctx, x->status);
  if (js) {
    args[2] = JSValueMakeString(ctx, js);
    JSStringRelease(js);
  } else {
    JSStringRef empty = JSStringCreateWithUTF8CString("\n");
    args[2] = JSValueMakeString(ctx, empty); /* out of memory: an empty head */
    JSStringRelease(empty);
  }
}

static int send_head(eddy__http *h, xfer *x) {
  JSValueRef args[3];
  head_args(h, x, args);
  return eddy__task_call(h->e, h->head_fn, NULL, 3, args);
}

static void free_bytes(void *bytes, void *context) {
  (void)context;
  free(bytes);
}

/* args[0..2] = code, message, body; the transfer leaves the id table (httpAbort of it from a
   callback is then a no-op). */
static void end_args(eddy__http *h, xfer *x, JSValueRef args[3]) {
  JSContextRef ctx = h->e->ctx;
  CURLcode code = x->result;
  const char *msg = "";
  if (code == CURLE_OK && x->streaming) {
    args[2] = JSValueMakeUndefined(ctx); /* every byte went through on_data */
  } else if (code == CURLE_OK) {
    uint8_t *buf = x->body;
    size_t len = x->body_len, cap = x->body_cap;
    x->body = NULL;
    x->body_len = x->body_cap = 0;
    if (!buf) buf = malloc(1);
    else if (len && cap - len >= 64) { /* give back the unused part of a grown buffer */
      uint8_t *p = realloc(buf, len);
      if (p) buf = p;
    }
    JSValueRef exc = NULL;
    JSObjectRef ab =
        buf ? JSObjectMakeArrayBufferWithBytesNoCopy(ctx, buf, len, free_bytes, NULL, &exc) : NULL;
    /* On failure JSC has already released buf through free_bytes. */
    if (ab) {
      args[2] = ab;
    } else {
      code = CURLE_OUT_OF_MEMORY;
      args[2] = JSValueMakeUndefined(ctx);
    }
  } else {
    args[2] = JSValueMakeUndefined(ctx);
  }
  args[0] = JSValueMakeNumber(ctx, (double)code);
  if (code != CURLE_OK) {
    msg = x->errbuf[0] ? x->errbuf : curl_easy_strerror(code);
    args[1] = latin1_value(h, ctx, msg, strlen(msg));
  } else {
    if (!h->empty) {
      h->empty = latin1_value(h, ctx, "", 0);
      JSValueProtect(ctx, h->empty);
    }
    args[1] = h->empty;
  }
  hash_remove(h, x); /* httpAbort of this id from inside onEnd is a no-op */
}

static int send_end(eddy__http *h, xfer *x) {
  JSValueRef args[3];
  end_args(h, x, args);
  /* The transfer is over: no pending work by the time onEnd's promise reactions run (a host
     that waits for the script's result may look at eddy_pending right then). */
  set_idle(x, 1);
  int st = eddy__task_call(h->e, x->on_end, NULL, 3, args);
  xfer_release(h, x);
  return st;
}

/* Hands the waiting bytes to the script's on_data as one ArrayBuffer that owns them, and lets
   curl go on reading if it was paused (its held chunk lands in a fresh buffer at once). Never
   inside a curl callback: curl_easy_pause may call on_write. */
/* send_data could not make a chunk: the transfer ends, failed as out of memory. */
static int stop_out_of_memory(eddy__http *h, xfer *x) {
  x->result = CURLE_OUT_OF_MEMORY;
  x->done = 1;
  if (x->in_multi) {
    curl_multi_remove_handle(h->multi, x->easy);
    x->in_multi = 0;
  }
  return 0;
}

static int send_data(eddy__http *h, xfer *x) {
  JSContextRef ctx = h->e->ctx;
  if (x->into) { /* a BYOB read: its view holds the bytes, the script gets their count */
    JSValueRef n = JSValueMakeNumber(ctx, (double)x->into_filled);
    drop_view(h->e, x);
    x->want = 0;
    if (x->paused && !x->done && waiting(x) < STREAM_HWM) {
      x->paused = 0;
      curl_easy_pause(x->easy, CURLPAUSE_CONT);
    }
    return eddy__task_call(h->e, x->on_data, NULL, 1, &n);
  }
  uint8_t *buf;
  size_t len;
  slab *sl = NULL;
  x->want = 0;
  if (!x->body_pooled && waiting(x) > STREAM_HWM) {
    /* What arrived before the first pull (the buffered path has no bound): handed over in
       STREAM_HWM pieces. One chunk of megabytes would be live at JSC's first full collection,
       which then sizes the heap for it: 40-50 MiB of dead chunks before the next one. */
    len = STREAM_HWM;
    buf = chunk_start(x);
    if (!buf) return stop_out_of_memory(h, x);
    memcpy(buf, x->body + x->body_off, len);
    x->body_off += len;
    sl = chunk_cut(x, len);
  } else {
    if (x->body_off) {
      memmove(x->body, x->body + x->body_off, waiting(x));
      x->body_len -= x->body_off;
      x->body_off = 0;
    }
    buf = x->body;
    len = x->body_len;
    size_t cap = x->body_cap;
    int pooled = x->body_pooled;
    x->body = NULL;
    x->body_len = x->body_cap = 0;
    x->body_pooled = 0;
    if (pooled) {
      sl = chunk_cut(x, len);
    } else if (cap - len >= 4096) { /* most chunks are far smaller than the buffer */
      uint8_t *p = realloc(buf, len);
      if (p) buf = p;
    }
  }
  if (x->paused && !x->done && waiting(x) < STREAM_HWM) {
    x->paused = 0;
    curl_easy_pause(x->easy, CURLPAUSE_CONT);
  }
  JSValueRef exc = NULL;
  JSValueRef ab =
      sl ? JSObjectMakeArrayBufferWithBytesNoCopy(ctx, buf, len, chunk_put, sl, &exc)
         : JSObjectMakeArrayBufferWithBytesNoCopy(ctx, buf, len, free_bytes, NULL, &exc);
  if (!ab) return stop_out_of_memory(h, x); /* JSC has released buf already */
  return eddy__task_call(h->e, x->on_data, NULL, 1, &ab);
}

/* A response that completed within one dispatch (small bodies, the common case) is delivered
   in one call instead of two. */
static int send_head_and_end(eddy__http *h, xfer *x) {
  JSValueRef args[7];
  head_args(h, x, args);
  args[3] = x->on_end;
  end_args(h, x, args + 4);
  set_idle(x, 1); /* as in send_end */
  int st = eddy__task_call(h->e, h->head_end_fn, NULL, 7, args);
  xfer_release(h, x);
  return st;
}

/* The ready transfers' callbacks, as tasks of one batch (one VM entry for a loop turn's
   responses). Returns 1 to be called again in a fresh entry (see eddy__batch). */
static int deliver_ready(eddy_engine *e, void *data) {
  eddy__http *h = data;
  while (h->rq_head && !atomic_load(&e->closing)) {
    if (atomic_load(&e->queued)) return 1;
    xfer *x = h->rq_head;
    rq_remove(h, x);
    x->dispatching = 1;
    int st = 0;
    if (x->head == HEAD_READY && x->done && !x->streaming) {
      x->head = HEAD_SENT;
      st = send_head_and_end(h, x);
    } else {
      /* One step at a time, each deciding on the state the previous one's JS left (the script
         may start streaming from onResponse). An interrupted call leaves the rest of the steps
         to the next entry. */
      if (x->up_need && !x->done) {
        x->up_need = 0;
        st = eddy__task_call(e, x->on_need, NULL, 0, NULL);
      }
      if (!x->dead && st != EDDY_EINTERRUPTED && x->head == HEAD_READY) {
        x->head = HEAD_SENT;
        /* A server may answer before it read the whole upload: on_read decides what then
           (it asks for the next chunk again if the upload goes on). */
        if (x->uploading && x->up_paused && x->in_multi) {
          x->up_paused = 0;
          curl_easy_pause(x->easy, CURLPAUSE_CONT);
        }
        st = send_head(h, x);
      }
      if (!x->dead && st != EDDY_EINTERRUPTED && x->streaming && x->want &&
          (x->into ? x->into_filled != 0 : waiting(x) != 0) && !atomic_load(&e->closing))
        st = send_data(h, x);
      /* A streamed body ends once the script took every byte (or at once on an error). */
      if (!x->dead && st != EDDY_EINTERRUPTED && x->done && !atomic_load(&e->closing)) {
        if (x->streaming && (waiting(x) || x->into_filled) && x->result == CURLE_OK)
          set_idle(x, !x->want); /* a pull from the step above may have filled a view */
        else st = send_end(h, x);
      }
      if (!x->dead && st == EDDY_EINTERRUPTED) rq_push_front(h, x); /* pushes only if not queued */
    }
    x->dispatching = 0;
    if (x->dead) xfer_recycle(h, x);
    if (st == EDDY_EINTERRUPTED) return 1;
  }
  return 0;
}

/* A server may close an idle keep-alive connection just as the next request goes out on it: the
   request then meets a reset (or nothing) before any byte of a response. curl retries that only
   in some cases; browsers resend, whatever the method, when a reused connection fails before
   the response began (that is the keep-alive race, almost never a server that handled the
   request and died), and so does eddy, once, on a new connection (curl closed the dead one).
   The request body is still in x->req_body. */
static int retry_on_fresh_connection(eddy__http *h, xfer *x, CURLcode result) {
  if (x->retried || x->seen_status || x->head != HEAD_NONE || x->uploading) return 0;
  if (result != CURLE_RECV_ERROR && result != CURLE_SEND_ERROR && result != CURLE_GOT_NOTHING)
    return 0;
  long connects = -1;
  curl_easy_getinfo(x->easy, CURLINFO_NUM_CONNECTS, &connects);
  if (connects != 0) return 0; /* it was a new connection: a real failure */
  x->retried = 1;
  x->errbuf[0] = '\0';
  x->body_len = 0;
  x->oom = 0;
  x->too_large = 0;
  return curl_multi_add_handle(h->multi, x->easy) == CURLM_OK;
}

/* libcurl 7.88 never finishes an HTTP/2 upload that the server answered before reading it, once
   curl holds more of it than the stream's flow-control window takes (on_read cannot end it: curl
   does not ask for more): with the response's Content-Length received it stops reading the
   connection, where a WINDOW_UPDATE or RST_STREAM would come, but goes on trying to send, and
   the loop spins on POLL_OUT. Such a response is complete, so it ends here, as on_read ends an
   answered upload over HTTP/2 (removing the handle resets the stream, not the connection). A
   response without a Content-Length gets its end, and harvest() sees curl's failure to send
   the rest. */
static void finish_answered_uploads(eddy__http *h) {
  int left = 0;
  for (xfer *x = h->live; x; x = x->next) {
    if (!x->uploading || !x->in_multi || x->head == HEAD_NONE) continue;
    long version = 0;
    curl_off_t size = -1, got = 0;
    curl_easy_getinfo(x->easy, CURLINFO_HTTP_VERSION, &version);
    curl_easy_getinfo(x->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &size);
    curl_easy_getinfo(x->easy, CURLINFO_SIZE_DOWNLOAD_T, &got);
    if (version != CURL_HTTP_VERSION_2_0) continue; /* HTTP/1.1 goes on sending */
    /* curl counts a chunk on_write paused as received: wait until it was delivered. */
    if (size < 0 || got < size || x->paused) {
      left = 1;
      continue;
    }
    curl_multi_remove_handle(h->multi, x->easy);
    x->in_multi = 0;
    x->done = 1;
    x->result = CURLE_OK;
    rq_push(h, x);
  }
  h->answered_uploads = left;
}

/* Moves the transfers curl finished to the ready queue. */
static void harvest(eddy__http *h) {
  CURLMsg *m;
  int left;
  while ((m = curl_multi_info_read(h->multi, &left))) {
    if (m->msg != CURLMSG_DONE) continue;
    CURL *easy = m->easy_handle;
    CURLcode result = m->data.result;
    xfer *x = NULL;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&x);
    curl_multi_remove_handle(h->multi, easy); /* m is invalid from here */
    if (!x) continue;
    if (retry_on_fresh_connection(h, x, result)) continue;
    x->in_multi = 0;
    x->done = 1;
    /* An HTTP/2 upload answered early with a response that its stream's end delimits: libcurl
       7.88 read that end, then fails sending the rest with this code and no message (a stream
       reset with an error fails reading, with one). The response is whole. */
    if (result == CURLE_HTTP2_STREAM && x->uploading && x->head != HEAD_NONE && !x->errbuf[0])
      result = CURLE_OK;
    x->result = result;
    if (result == CURLE_WRITE_ERROR && x->oom) {
      x->result = CURLE_OUT_OF_MEMORY;
      snprintf(x->errbuf, sizeof x->errbuf, "out of memory buffering the response body");
    } else if ((result == CURLE_WRITE_ERROR && x->too_large) ||
               result == CURLE_FILESIZE_EXCEEDED) {
      x->result = CURLE_FILESIZE_EXCEEDED;
      snprintf(x->errbuf, sizeof x->errbuf,
               "response body larger than the engine's limit of %llu bytes (max_response_body)",
               (unsigned long long)h->max_body);
    } else if ((result == CURLE_OUT_OF_MEMORY || (int)result == 100 /* CURLE_TOO_LARGE */ ||
                (result == CURLE_WRITE_ERROR && x->head_too_large)) &&
               x->head == HEAD_NONE) {
      /* libcurl 7.88 reports a header line over its 100 KiB limit as "Out of memory" (27),
         later versions as CURLE_TOO_LARGE; a head over HEAD_MAX (a libcurl without a limit of
         its own on the whole head) is a write error (23). The code stays curl's. */
      snprintf(x->errbuf, sizeof x->errbuf, "response headers too large");
    }
    if (result == CURLE_OK && x->head == HEAD_NONE) {
      /* Finished without a final head (should not happen over HTTP): give it an empty one. */
      long code = 0;
      curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code);
      x->status = (int)code;
      x->head_len = x->reason_len = 0;
      x->head = HEAD_READY;
    }
    rq_push(h, x);
  }
  if (h->answered_uploads) finish_answered_uploads(h);
}

/* ---- starting a transfer ----------------------------------------------------------------- */

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
  uv_prepare_start(&h->spin, on_spin);
  h->handles = 5;
  CURLM *m = h->multi;
  curl_multi_setopt(m, CURLMOPT_SOCKETFUNCTION, on_curl_socket);
  curl_multi_setopt(m, CURLMOPT_SOCKETDATA, h);
  curl_multi_setopt(m, CURLMOPT_TIMERFUNCTION, on_curl_timer);
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
  if (grow((void **)&x->hdr, &x->hdr_cap, *len + (to - from) + 4, 1)) return EDDY_ENOMEM;
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
  if (grow((void **)&x->nodes, &x->nodes_cap, n / 2 + 5, sizeof(*x->nodes))) goto oom;
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
  if (!has_agent) x->nodes[nodes++].data = (char *)user_agent_line;
  if (x->decompress && x->h->accept_encoding[0])
    x->nodes[nodes++].data = x->h->accept_encoding;
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
  if (clen < 2 || (ch[0] != '0' && ch[0] != '1') || ms >= clen || ch[ms] != '\n') {
    err = "invalid request spec";
    goto fail;
  }
  x->decompress = ch[0] == '1';
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
    if (grow((void **)&h->scratch, &h->scratch_cap, ue - us + 1, 1)) goto oom;
    for (size_t i = us; i < ue; i++) h->scratch[i - us] = (char)ch[i];
    h->scratch[ue - us] = '\0';
  } else {
    char *u8 = NULL;
    size_t u8len = 0;
    if (eddy__utf16_to_utf8(ch + us, ue - us, &u8, &u8len)) goto oom;
    int bad = memchr(u8, 0, u8len) != NULL;
    if (!bad && grow((void **)&h->scratch, &h->scratch_cap, u8len + 1, 1)) {
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
    if (grow((void **)&x->req_body, &x->req_body_cap, blen, 1)) goto oom;
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
  /* Decoding on (the Accept-Encoding line itself is one of the headers): set only when it
     changes, since libcurl builds its list of codings again at every set. */
  if (x->decoding != x->decompress) {
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, x->decompress ? "" : NULL);
    x->decoding = x->decompress;
  }
  curl_easy_setopt(c, CURLOPT_HTTPGET, 1L); /* GET, no body, no upload */
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, is_get || is_head ? NULL : method);
  /* A Content-Length over the limit fails at once (a HEAD's describes a body it does not get);
     decoded or unsized bodies are counted as they arrive (on_write). */
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, is_head ? (curl_off_t)0 : (curl_off_t)h->max_body);
  if (is_head) {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else if (streamed) {
    /* Read as the script produces it (on_read): chunked over HTTP/1.1, DATA frames over h2. */
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

static int is_function(JSContextRef ctx, JSValueRef v) {
  return v && JSValueIsObject(ctx, v) && JSObjectIsFunction(ctx, (JSObjectRef)v);
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

static JSValueRef js_http_abort(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                                const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  (void)exc;
  eddy_engine *e = eddy__engine_of(ctx);
  eddy__http *h = e->http;
  if (!h || argc < 1 || !JSValueIsNumber(ctx, argv[0])) return JSValueMakeUndefined(ctx);
  double id = JSValueToNumber(ctx, argv[0], NULL);
  if (!(id >= 1 && id <= MAX_ID) || id != (uint32_t)id) return JSValueMakeUndefined(ctx);
  xfer *x = hash_find(h, (uint32_t)id);
  if (x) xfer_release(h, x);
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
  size_t k = waiting(x) < len ? waiting(x) : len;
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
  double id = JSValueToNumber(ctx, argv[0], NULL);
  if (!(id >= 1 && id <= MAX_ID) || id != (uint32_t)id) return JSValueMakeUndefined(ctx);
  xfer *x = hash_find(h, (uint32_t)id);
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
  set_idle(x, 0);
  if ((x->into ? x->into_filled != 0 : waiting(x) != 0) || x->done) {
    rq_push(h, x);
    if (!h->dispatching) { /* else the running dispatch takes it */
      uv_check_start(&h->deliver, on_deliver);
      uv_idle_start(&h->no_block, on_no_block);
    }
  } else if (x->paused) {
    x->paused = 0;
    curl_easy_pause(x->easy, CURLPAUSE_CONT); /* its held chunk comes back through on_write */
    if ((x->into_filled || waiting(x)) && !h->dispatching) {
      uv_check_start(&h->deliver, on_deliver);
      uv_idle_start(&h->no_block, on_no_block);
    }
  }
  return JSValueMakeUndefined(ctx);
}

/* httpSend(id, chunk): the next chunk (a Uint8Array, copied) of a streamed request body, or null
   after the last one; answers one on_need call. */
static JSValueRef js_http_send(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                               const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  eddy_engine *e = eddy__engine_of(ctx);
  eddy__http *h = e->http;
  if (!h || argc < 2 || !JSValueIsNumber(ctx, argv[0])) return JSValueMakeUndefined(ctx);
  double id = JSValueToNumber(ctx, argv[0], NULL);
  if (!(id >= 1 && id <= MAX_ID) || id != (uint32_t)id) return JSValueMakeUndefined(ctx);
  xfer *x = hash_find(h, (uint32_t)id);
  if (!x || x->dead || !x->uploading || x->up_eof) return JSValueMakeUndefined(ctx);
  if (JSValueIsNull(ctx, argv[1])) {
    x->up_eof = 1;
  } else {
    if (JSValueGetTypedArrayType(ctx, argv[1], NULL) != kJSTypedArrayTypeUint8Array)
      return eddy__throw_type_error(ctx, exc, "httpSend(id, Uint8Array or null)");
    const uint8_t *bytes = JSObjectGetTypedArrayBytesPtr(ctx, (JSObjectRef)argv[1], exc);
    if (bytes) bytes += JSObjectGetTypedArrayByteOffset(ctx, (JSObjectRef)argv[1], exc);
    size_t len = JSObjectGetTypedArrayByteLength(ctx, (JSObjectRef)argv[1], exc);
    if (*exc) return NULL;
    if (len && grow((void **)&x->req_body, &x->req_body_cap, len, 1))
      return eddy__throw_type_error(ctx, exc, "out of memory");
    if (len) memcpy(x->req_body, bytes, len);
    x->up_len = len;
    x->up_off = 0;
    if (len == 0) { /* nothing for curl: ask again */
      x->up_need = 1;
      rq_push(h, x);
      if (!h->dispatching) {
        uv_check_start(&h->deliver, on_deliver);
        uv_idle_start(&h->no_block, on_no_block);
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

/* The codings libcurl decodes, in the order it would list them itself for
   CURLOPT_ACCEPT_ENCODING "" (lib/content_encoding.c); "" if none. */
static void accept_encoding_line(char *out, size_t cap) {
  const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
  const char *codings[4];
  size_t n = 0;
  if (v->features & CURL_VERSION_LIBZ) {
    codings[n++] = "deflate";
    codings[n++] = "gzip";
  }
  if (v->features & CURL_VERSION_BROTLI) codings[n++] = "br";
  if (v->features & CURL_VERSION_ZSTD) codings[n++] = "zstd";
  out[0] = '\0';
  if (n == 0) return; /* curl then sends "identity" itself */
  size_t len = (size_t)snprintf(out, cap, "Accept-Encoding: ");
  for (size_t i = 0; i < n && len < cap; i++)
    len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? ", " : "", codings[i]);
}

int eddy__http_init(eddy_engine *e, JSObjectRef native) {
  JSContextRef ctx = e->ctx;
  eddy__http *h = calloc(1, sizeof(*h));
  if (!h) return EDDY_ENOMEM;
  h->e = e;
  e->http = h;
  h->max_body = e->opts.max_response_body;
  if (h->max_body == 0 || h->max_body > EDDY__JS_BYTES_MAX) h->max_body = EDDY__JS_BYTES_MAX;
  if (h->max_body > SIZE_MAX) h->max_body = SIZE_MAX;
  accept_encoding_line(h->accept_encoding, sizeof h->accept_encoding);
  eddy__set_function(ctx, native, "httpRequest", js_http_request_first);
  eddy__set_function(ctx, native, "httpAbort", js_http_abort);
  eddy__set_function(ctx, native, "httpPull", js_http_pull);
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
  /* Closes the cached connections through on_close_socket (which needs h->byfd) and may report
     removed sockets and a last timer change. */
  curl_multi_cleanup(h->multi);
  h->multi = NULL;
  free(h->byfd);
  h->byfd = NULL;
  for (sock *k = h->socks; k;) {
    sock *next = k->next;
    k->h = NULL;
    if (!uv_is_closing((uv_handle_t *)&k->poll)) uv_close((uv_handle_t *)&k->poll, on_sock_closed);
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
