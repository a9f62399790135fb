/* HTTP transfers: what every file of the fetch transfer shares (src/web/http.h has the design):
   the transfer structs and their pool, the id table, the ready queue and the memory of streamed
   chunks. */
#include "http.h"

/* Sent as request header lines, not through CURLOPT_USERAGENT: libcurl re-formats it with its
   own printf for every request, byte by byte, then formats it again into the request; custom
   lines are formatted once. Accept-Encoding is a line of ours since eddy decodes the body
   itself (http_decode.c). */
const char http_user_agent_line[] = "User-Agent: eddy/" EDDY_VERSION_STRING;
/* The codings http_decode.c decodes (the order libcurl would list them in) */
const char http_accept_encoding_line[] = "Accept-Encoding: deflate, gzip, br, zstd";
static struct curl_slist proxy_headers = {(char *)http_user_agent_line, NULL};

int http_grow(void **buf, size_t *cap, size_t need, size_t elem) {
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

xfer *hash_find(eddy__http *h, uint32_t id) {
  if (!h->buckets) return NULL;
  for (xfer *x = h->buckets[bucket_of(id, h->nbuckets)]; x; x = x->hnext)
    if (x->id == id) return x;
  return NULL;
}

void hash_insert(eddy__http *h, xfer *x) {
  if (h->count >= h->nbuckets) hash_grow(h);
  uint32_t i = bucket_of(x->id, h->nbuckets);
  x->hnext = h->buckets[i];
  h->buckets[i] = x;
  x->hashed = 1;
}

void hash_remove(eddy__http *h, xfer *x) {
  if (!x->hashed) return;
  xfer **p = &h->buckets[bucket_of(x->id, h->nbuckets)];
  while (*p && *p != x) p = &(*p)->hnext;
  if (*p) *p = x->hnext;
  x->hnext = NULL;
  x->hashed = 0;
}

/* ---- ready queue ------------------------------------------------------------------------- */

void rq_push(eddy__http *h, xfer *x) {
  if (x->in_rq) return;
  x->in_rq = 1;
  x->rq_next = NULL;
  x->rq_prev = h->rq_tail;
  if (h->rq_tail) h->rq_tail->rq_next = x;
  else h->rq_head = x;
  h->rq_tail = x;
}

void rq_push_front(eddy__http *h, xfer *x) {
  if (x->in_rq) return;
  x->in_rq = 1;
  x->rq_prev = NULL;
  x->rq_next = h->rq_head;
  if (h->rq_head) h->rq_head->rq_prev = x;
  else h->rq_tail = x;
  h->rq_head = x;
}

void rq_remove(eddy__http *h, xfer *x) {
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

void chunk_pool_unref(chunk_pool *p) { /* with p->lock held; unlocks */
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
void chunk_put(void *bytes, void *context) {
  (void)bytes;
  slab_unref(context);
}

/* Keeping on (a stream began) or off (the last one ended: the free slabs go). */
void chunk_keep(chunk_pool *p, unsigned keep) {
  uv_mutex_lock(&p->lock);
  p->keep = keep;
  if (!keep)
    while (p->nfree) free(p->free[--p->nfree]);
  uv_mutex_unlock(&p->lock);
}

/* Where x's next chunk starts: CHUNK_CAP bytes of its slab, a fresh slab if needed. */
uint8_t *chunk_start(xfer *x) {
  if (!x->slab) {
    x->slab = slab_get(x->h->chunks);
    x->slab_off = 0;
    if (!x->slab) return NULL;
  }
  return slab_data(x->slab) + x->slab_off;
}

/* The len bytes at x's chunk start go to the script: one more reference to the slab, and the
   next chunk starts after them (cache-line aligned), or in another slab if this one is full. */
slab *chunk_cut(xfer *x, size_t len) {
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
  http_decoder_free(x->dec);
  x->dec = NULL;
  free(x->zin);
  x->zin = NULL;
  x->zin_off = x->zin_len = x->zin_cap = 0;
  if (x->slab) {
    slab_unref(x->slab);
    x->slab = NULL;
  }
}

/* ---- transfer structs -------------------------------------------------------------------- */

void xfer_free(xfer *x) {
  if (x->easy) curl_easy_cleanup(x->easy);
  free(x->req_body);
  free(x->nodes);
  free(x->hdr);
  free(x->head_buf);
  free(x->reason);
  body_free(x);
  free(x);
}

/* What every connection of the engine shares, fetch's and WebSocket's
   (web/websocket_connect.c): TLS trust, the proxy's CONNECT headers, no signals. Proxies come
   from libcurl's environment variables for both. */
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
xfer *xfer_acquire(eddy__http *h) {
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
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, http_on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, x);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, http_on_write);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, x);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, http_on_read);
  curl_easy_setopt(c, CURLOPT_READDATA, x);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, x->errbuf);
  /* libcurl reads at most its buffer per readable event (16 KiB by default): a 64 KiB body took
     five recv calls and three more loop turns than with 64 KiB. A large download reads in
     steps of up to RECV_BUFFER (see stream_write). The buffer is allocated whole; a small
     response touches (makes resident) only its own bytes of it, and an easy handle that read
     more than SMALL_DOWNLOAD is not pooled (xfer_recycle). */
  curl_easy_setopt(c, CURLOPT_BUFFERSIZE, RECV_BUFFER);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, http_on_open_socket);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, h);
  curl_easy_setopt(c, CURLOPT_CLOSESOCKETFUNCTION, http_on_close_socket);
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
void xfer_recycle(eddy__http *h, xfer *x) {
  body_free(x);
  x->body_len = x->body_cap = 0;
  curl_off_t got = 0;
  curl_easy_getinfo(x->easy, CURLINFO_SIZE_DOWNLOAD_T, &got);
  if (h->closing || h->pool_len >= POOL_MAX || got > SMALL_DOWNLOAD) {
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
  memset(x, 0, sizeof(*x));
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

void drop_view(eddy_engine *e, xfer *x) {
  if (x->into) JSValueUnprotect(e->ctx, x->into);
  x->into = NULL;
  x->into_ptr = NULL;
  x->into_len = x->into_filled = 0;
}

/* Ends a transfer now: no callback afterwards. From the JS thread, never inside curl. */
void xfer_release(eddy__http *h, xfer *x) {
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
