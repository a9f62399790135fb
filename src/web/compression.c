/* native.compressionCreate / compressionPush: the codecs behind CompressionStream and
   DecompressionStream (src/js/compression.js; contract in src/js/README.md), on zlib for
   "deflate", "deflate-raw" and "gzip", on libbrotli for "brotli" and on libzstd for "zstd".

   A codec is a refcounted C state held by an opaque JS handle. compressionPush(handle, bytes,
   finish) feeds it one chunk (or, with finish, the end of the input) and returns the output as
   an array of Uint8Arrays, each taking over a malloc'd piece (no copy). Decompression errors are
   the Compression standard's: corrupt data throws a TypeError before the call's output is
   enqueued; data
   after the end of the compressed stream comes back as a string after the output (compression.js
   enqueues the output, then throws it as a TypeError); an input that ends early throws at finish.

   Decompression makes at most STEP_OUT bytes a call: past that the array ends with `true`, the
   codec keeps what it has not read of the chunk, and compressionPush(handle, null, finish) goes
   on once the script has read what came before (compression.js). A chunk of 1 MB of gzip that
   inflates to 1 GB is then never 1 GB in memory, as Node's and Bun's streams have it.

   A long chunk (POOL_MIN_*) is copied and coded on libuv's thread pool instead, and the
   call returns a promise settled through the loop with the same array: the JS thread stays free,
   and several streams code in parallel. The job holds a reference to the codec (so a handle
   collected meanwhile does not free it under the pool thread) and counts in e->pending. At
   engine close each queued job is cancelled and a running one stops at its next slice; it is
   freed, without JS, when the pool hands it back in the teardown's last loop run. */
#include <stdlib.h>
#include <string.h>

#include <brotli/decode.h>
#include <brotli/encode.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "../internal.h"

/* The formats, by compression.js's numbering. */
enum { F_DEFLATE, F_DEFLATE_RAW, F_GZIP, F_BROTLI, F_ZSTD, F_COUNT };

/* Chunks at least this long go to the thread pool, where the hand-off (tens of microseconds)
   is small next to the coding: deflate codes a few MiB/s to a few tens of MiB/s, inflate some
   100 MiB/s (figures in bench/README.md, from bench/js/compression.js). */
#define POOL_MIN_COMPRESS ((size_t)16 * 1024)
/* zstd's default level compresses some 10x faster than deflate: a chunk below this costs the JS
   thread well under a millisecond, less than the hand-off (64 KiB chunks: 106-122 MiB/s through
   the pool, 160-164 on the JS thread). */
#define POOL_MIN_COMPRESS_ZSTD ((size_t)128 * 1024)
#define POOL_MIN_DECOMPRESS ((size_t)128 * 1024)
/* A pool job codes its input in slices this long, checking between them whether to stop. */
#define SLICE ((size_t)1024 * 1024)
/* What one decompression call may make before it stops for the script to read: a few
   milliseconds of inflate, a piece the size of a compressing call's largest. */
#define STEP_OUT ((size_t)1024 * 1024)

/* code()'s results: 0 or an error (> 0, which fails the codec), or below 0 output that is still
   good, with data after the end of the compressed stream or more output to come. */
enum { E_OK, E_CORRUPT, E_TRUNCATED, E_NOMEM, E_BUSY, E_ABORTED };
enum { R_TRAILING = -1, R_MORE = -2 };

typedef struct codec codec;
struct codec {
  atomic_int refs; /* the JS handle's and each job's */
  int format;
  int decompress;
  int ended; /* decompression: the end of the compressed stream was reached */
  int failed; /* an error ended this codec: every later push fails */
  int busy;   /* a job has it on the pool */
  int more;   /* decompression stopped at STEP_OUT: output may be pending, from rest or the state */
  uint8_t *rest; /* malloc'd: the chunk it stopped in, read up to rest_off */
  size_t rest_off, rest_len;
  z_stream z;
  int z_ready;
  BrotliEncoderState *be;
  BrotliDecoderState *bd;
  ZSTD_CCtx *zc;
  ZSTD_DCtx *zd;
};

/* Output collected as a list of malloc'd pieces. */
typedef struct {
  uint8_t **p;
  size_t *len;
  size_t n, cap;
  size_t piece; /* the size of a new piece */
  size_t room;  /* bytes still free in the last piece */
  size_t limit; /* bytes it may still take (SIZE_MAX: no limit) */
  int full;     /* out_room found the limit reached */
} out_list;

typedef struct cjob cjob;

struct eddy__compression {
  eddy_engine *e;
  cjob *live;
  int closed;
};

struct cjob {
  uv_work_t req;
  eddy__compression *owner;
  cjob *prev, *next;
  codec *c;
  uint8_t *in; /* owned copy */
  size_t in_len;
  int finish;
  int err;
  int tail; /* R_TRAILING or R_MORE: what to_js adds after the output */
  atomic_int abort;
  out_list out;
  JSObjectRef resolve, reject; /* protected while queued */
};

static void free_bytes_cb(void *bytes, void *ctx) {
  (void)ctx;
  free(bytes);
}

static JSClassRef codec_class;
static uv_once_t codec_class_once = UV_ONCE_INIT;

static void codec_unref(codec *c) {
  if (atomic_fetch_sub(&c->refs, 1) != 1) return;
  if (c->z_ready) {
    if (c->decompress) inflateEnd(&c->z);
    else deflateEnd(&c->z);
  }
  free(c->rest);
  if (c->be) BrotliEncoderDestroyInstance(c->be);
  if (c->bd) BrotliDecoderDestroyInstance(c->bd);
  ZSTD_freeCCtx(c->zc); /* both accept NULL */
  ZSTD_freeDCtx(c->zd);
  free(c);
}

static void codec_finalize(JSObjectRef o) {
  codec *c = JSObjectGetPrivate(o);
  if (c) codec_unref(c);
}

static void codec_class_create(void) {
  JSClassDefinition def = kJSClassDefinitionEmpty;
  def.className = "CompressionContext";
  def.finalize = codec_finalize;
  codec_class = JSClassCreate(&def);
}

/* ---- output ---------------------------------------------------------------------------------- */

static void out_free(out_list *o) {
  for (size_t i = 0; i < o->n; i++) free(o->p[i]);
  free(o->p);
  free(o->len);
  memset(o, 0, sizeof(*o));
}

/* Makes room in the last piece (a new one when it is full); returns where to write, or NULL
   with o->full set at the limit, or without for no memory. */
static uint8_t *out_room(out_list *o, size_t *room) {
  if (o->limit == 0) {
    o->full = 1;
    return NULL;
  }
  if (o->n == 0 || o->room == 0) {
    if (o->n == o->cap) {
      size_t cap = o->cap ? o->cap * 2 : 4;
      uint8_t **p = realloc(o->p, cap * sizeof(*p));
      if (!p) return NULL;
      o->p = p;
      size_t *len = realloc(o->len, cap * sizeof(*len));
      if (!len) return NULL;
      o->len = len;
      o->cap = cap;
    }
    if (!(o->p[o->n] = malloc(o->piece))) return NULL;
    o->len[o->n++] = 0;
    o->room = o->piece;
  }
  *room = o->room < o->limit ? o->room : o->limit;
  return o->p[o->n - 1] + o->len[o->n - 1];
}

static void out_wrote(out_list *o, size_t n) {
  o->len[o->n - 1] += n;
  o->room -= n;
  if (o->limit != SIZE_MAX) o->limit -= n;
}

/* out_room's NULL as a step's result. */
static int out_failed(const out_list *o) {
  return o->full ? R_MORE : E_NOMEM;
}

/* Drops an empty last piece and gives a mostly empty one back to malloc. */
static void out_trim(out_list *o) {
  if (!o->n) return;
  size_t last = o->len[o->n - 1];
  if (last == 0) {
    free(o->p[--o->n]);
  } else if (o->room > last) {
    uint8_t *p = realloc(o->p[o->n - 1], last);
    if (p) o->p[o->n - 1] = p;
  }
  o->room = 0;
}

/* ---- coding ---------------------------------------------------------------------------------- */

/* Each step codes *in[0..*len) into o and leaves *in and *len at what it did not read: all of it
   but with R_MORE, when decompression reached o's limit. */
static int zlib_step(codec *c, out_list *o, const uint8_t **in, size_t *len, int finish) {
  z_stream *z = &c->z;
  while (*len > 0 || finish || (c->decompress && !c->ended)) {
    /* zlib counts in uInt. */
    uInt n = *len > 0x40000000u ? 0x40000000u : (uInt)*len;
    z->next_in = (Bytef *)*in;
    z->avail_in = n;
    size_t room;
    uint8_t *dst = out_room(o, &room);
    if (!dst) return out_failed(o);
    z->next_out = dst;
    z->avail_out = room > 0x40000000u ? 0x40000000u : (uInt)room;
    uInt out_before = z->avail_out;
    int r;
    if (c->decompress) {
      r = inflate(z, Z_NO_FLUSH);
    } else {
      r = deflate(z, finish && n == *len ? Z_FINISH : Z_NO_FLUSH);
    }
    out_wrote(o, out_before - z->avail_out);
    size_t used = n - z->avail_in;
    if (used) { /* *in may be NULL, with *len 0 */
      *in += used;
      *len -= used;
    }
    if (c->decompress) {
      if (r == Z_STREAM_END) {
        c->ended = 1;
        return *len > 0 ? R_TRAILING : E_OK;
      }
      if (r == Z_NEED_DICT || r == Z_DATA_ERROR || r == Z_STREAM_ERROR) return E_CORRUPT;
      if (r == Z_MEM_ERROR) return E_NOMEM;
      /* Z_OK or Z_BUF_ERROR: with input left or the output full, go on; else it needs more. */
      if (*len == 0 && z->avail_out != 0) return E_OK;
    } else {
      if (r == Z_STREAM_END) return E_OK;
      if (r == Z_STREAM_ERROR) return E_CORRUPT;
      if (*len == 0 && !finish && z->avail_out != 0) return E_OK;
    }
  }
  return E_OK;
}

static int brotli_step(codec *c, out_list *o, const uint8_t **in, size_t *len, int finish) {
  for (;;) {
    size_t room;
    uint8_t *dst = out_room(o, &room);
    if (!dst) return out_failed(o);
    size_t avail_out = room;
    uint8_t *next_out = dst;
    if (c->decompress) {
      BrotliDecoderResult r =
          BrotliDecoderDecompressStream(c->bd, len, in, &avail_out, &next_out, NULL);
      out_wrote(o, room - avail_out);
      if (r == BROTLI_DECODER_RESULT_SUCCESS) {
        c->ended = 1;
        return *len > 0 ? R_TRAILING : E_OK;
      }
      if (r == BROTLI_DECODER_RESULT_ERROR) return E_CORRUPT;
      if (r == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT) return E_OK;
    } else {
      BROTLI_BOOL ok = BrotliEncoderCompressStream(
          c->be, finish ? BROTLI_OPERATION_FINISH : BROTLI_OPERATION_PROCESS, len, in,
          &avail_out, &next_out, NULL);
      out_wrote(o, room - avail_out);
      if (!ok) return E_NOMEM;
      if (*len == 0 && !BrotliEncoderHasMoreOutput(c->be) &&
          (!finish || BrotliEncoderIsFinished(c->be)))
        return E_OK;
    }
  }
}

/* Zstandard data is one or more frames (RFC 8878, section 3), so unlike a gzip member the end of
   a frame is not the end of the data: another frame may follow, and c->ended only says that the
   input stopped at a frame boundary, which finish requires. */
static int zstd_step(codec *c, out_list *o, const uint8_t **in, size_t *len, int finish) {
  ZSTD_inBuffer src = {*in, *len, 0};
  int r = E_OK;
  for (;;) {
    size_t room;
    uint8_t *dst = out_room(o, &room);
    if (!dst) {
      r = out_failed(o);
      break;
    }
    ZSTD_outBuffer out = {dst, room, 0};
    if (c->decompress) {
      size_t z = ZSTD_decompressStream(c->zd, &out, &src);
      out_wrote(o, out.pos);
      if (ZSTD_isError(z)) {
        if (ZSTD_getErrorCode(z) == ZSTD_error_memory_allocation) return E_NOMEM;
        if (!c->ended) return E_CORRUPT;
        c->failed = 1; /* bytes after a whole frame that start no frame: data after the end */
        return R_TRAILING;
      }
      if (z == 0) c->ended = 1; /* a frame ended and all its output is out */
      else if (src.pos > 0 || out.pos > 0) c->ended = 0;
      if (src.pos == src.size && (z == 0 || out.pos < out.size)) break;
    } else {
      size_t z = ZSTD_compressStream2(c->zc, &out, &src, finish ? ZSTD_e_end : ZSTD_e_continue);
      out_wrote(o, out.pos);
      if (ZSTD_isError(z)) return E_NOMEM;
      if (src.pos == src.size && (finish ? z == 0 : out.pos < out.size)) break;
    }
  }
  if (src.pos) {
    *in += src.pos;
    *len -= src.pos;
  }
  return r;
}

/* Decompression past the end of a gzip, zlib, raw deflate or brotli stream: every later byte is
   data after the end. (zstd data may go on with another frame.) */
static int past_end(const codec *c) {
  return c->decompress && c->ended && c->format != F_ZSTD;
}

/* Codes one chunk (or, with finish, the end of the input; or with c->more, what it stopped in,
   in being NULL). E_OK; R_TRAILING for data after the end of a compressed stream (its output is
   still good); R_MORE when decompression reached o's limit, the chunk's unread rest kept (taking
   over *owned, the malloc'd block in lies in, if given, or a copy); or an error, after which the
   codec is failed. */
static int code(codec *c, out_list *o, const uint8_t *in, size_t len, int finish, uint8_t **owned) {
  if (c->failed) return E_CORRUPT;
  if (c->more) {
    in = c->rest ? c->rest + c->rest_off : NULL;
    len = c->rest_len - c->rest_off;
  }
  int r = E_OK;
  if (past_end(c)) {
    r = len > 0 ? R_TRAILING : E_OK;
  } else if (len > 0 || finish || c->more) {
    const uint8_t *at = in;
    size_t left = len;
    r = c->format == F_BROTLI ? brotli_step(c, o, &at, &left, finish)
        : c->format == F_ZSTD ? zstd_step(c, o, &at, &left, finish)
                              : zlib_step(c, o, &at, &left, finish);
    if (r == R_MORE && c->more) {
      c->rest_off += len - left;
    } else if (r == R_MORE) {
      if (owned && *owned) {
        c->rest = *owned;
        *owned = NULL;
        c->rest_off = (size_t)(in - c->rest) + (len - left);
        c->rest_len = c->rest_off + left;
      } else if (left && !(c->rest = malloc(left))) {
        r = E_NOMEM;
      } else {
        if (left) memcpy(c->rest, at, left);
        c->rest_off = 0;
        c->rest_len = left;
      }
      if (r == R_MORE) c->more = 1;
    }
  }
  if (r != R_MORE && c->more) {
    c->more = 0;
    free(c->rest);
    c->rest = NULL;
    c->rest_off = c->rest_len = 0;
  }
  if (r == E_OK && finish && c->decompress && !c->ended) r = E_TRUNCATED;
  if (r > 0) c->failed = 1;
  out_trim(o);
  return r;
}

static size_t piece_size(const codec *c, size_t len) {
  if (c->more) return STEP_OUT; /* what it stopped in makes much more than it is */
  size_t n = c->decompress ? (len > SIZE_MAX / 4 ? SIZE_MAX : len * 4) : len / 2;
  if (n < 16 * 1024) n = 16 * 1024;
  if (n > 1024 * 1024) n = 1024 * 1024;
  return n;
}

static const char *message(int err) {
  switch (err) {
  case E_CORRUPT: return "DecompressionStream: the compressed data is corrupt";
  case E_TRUNCATED: return "DecompressionStream: the compressed data ended early";
  case E_BUSY: return "compression context is busy";
  case E_ABORTED: return "the engine is closing";
  default: return "out of memory";
  }
}

/* An output list for codec c: decompression stops at STEP_OUT. */
static void out_init(out_list *o, const codec *c, size_t len) {
  memset(o, 0, sizeof(*o));
  o->piece = piece_size(c, len);
  o->limit = c->decompress ? STEP_OUT : SIZE_MAX;
}

/* The output as [Uint8Array, …] (plus, for tail, the trailing-data message or `true` for more
   to come), taking over its pieces. */
static JSValueRef to_js(JSContextRef ctx, out_list *o, int tail, JSValueRef *exc) {
  size_t n = o->n + (tail ? 1 : 0);
  JSValueRef small[8];
  JSValueRef *v = n <= 8 ? small : malloc(n * sizeof(*v));
  if (!v) return eddy__throw_type_error(ctx, exc, "out of memory");
  size_t k = 0;
  for (; k < o->n; k++) {
    if (!(v[k] = JSObjectMakeTypedArrayWithBytesNoCopy(ctx, kJSTypedArrayTypeUint8Array, o->p[k],
                                                       o->len[k], free_bytes_cb, NULL, exc)))
      break;
    /* JSC's conservative scan sees the stack, not the heap: a malloc'd list is protected, or the
       next allocation's collection frees the arrays made so far. */
    if (v != small) JSValueProtect(ctx, v[k]);
    o->p[k] = NULL;
  }
  JSValueRef arr = NULL;
  if (k == o->n) {
    if (tail == R_TRAILING) {
      JSStringRef s = JSStringCreateWithUTF8CString(
          "DecompressionStream: there is data after the end of the compressed stream");
      v[k++] = JSValueMakeString(ctx, s);
      JSStringRelease(s);
    } else if (tail == R_MORE) {
      v[k++] = JSValueMakeBoolean(ctx, true);
    }
    arr = JSObjectMakeArray(ctx, n, v, exc);
  }
  if (v != small) {
    for (size_t i = 0; i < k && i < o->n; i++) JSValueUnprotect(ctx, v[i]);
    free(v);
  }
  return arr;
}

/* ---- the pool -------------------------------------------------------------------------------- */

static void job_free(cjob *j) {
  out_free(&j->out);
  free(j->in);
  codec_unref(j->c);
  free(j);
}

static void live_remove(eddy__compression *m, cjob *j) {
  if (j->prev) j->prev->next = j->next;
  else m->live = j->next;
  if (j->next) j->next->prev = j->prev;
  j->prev = j->next = NULL;
}

static void on_work(uv_work_t *req) {
  cjob *j = EDDY__CONTAINER_OF(req, cjob, req);
  if (j->c->decompress) {
    /* One call: STEP_OUT bounds it, and what it does not read stays with the codec. */
    int r = code(j->c, &j->out, j->in, j->in_len, j->finish, &j->in);
    if (r < 0) j->tail = r;
    if (r > 0) j->err = r;
    return;
  }
  const uint8_t *in = j->in;
  size_t left = j->in_len;
  do {
    if (atomic_load(&j->abort)) {
      j->err = E_ABORTED;
      return;
    }
    size_t n = left > SLICE ? SLICE : left;
    int r = code(j->c, &j->out, in, n, j->finish && n == left, NULL);
    in += n;
    left -= n;
    if (r < 0) j->tail = r;
    if (r > 0) j->err = r;
    if (r) return;
  } while (left > 0);
}

static void on_work_done(uv_work_t *req, int status) {
  cjob *j = EDDY__CONTAINER_OF(req, cjob, req);
  eddy__compression *m = j->owner;
  live_remove(m, j);
  j->c->busy = 0;
  if (m->closed) {
    /* Cancelled at close, which already released its JS values and its pending count. */
    job_free(j);
    if (!m->live) free(m);
    return;
  }
  eddy_engine *e = m->e;
  JSContextRef ctx = e->ctx;
  atomic_fetch_sub(&e->pending, 1);
  if (!atomic_load(&e->closing) && status == 0) {
    JSValueRef exc = NULL, v = NULL;
    if (!j->err) v = to_js(ctx, &j->out, j->tail, &exc);
    int ok = !j->err && v;
    if (!ok) v = j->err ? eddy__make_error(ctx, "TypeError", message(j->err)) : exc;
    eddy__call_detached(e, ok ? j->resolve : j->reject, NULL, 1, &v);
  }
  JSValueUnprotect(ctx, j->resolve);
  JSValueUnprotect(ctx, j->reject);
  job_free(j);
}

/* Queues a copy of the chunk (none for a codec's rest: len 0); returns the promise its job
   settles, or NULL with *exc set. */
static JSValueRef queue(eddy_engine *e, codec *c, const uint8_t *in, size_t len, int finish,
                        JSValueRef *exc) {
  JSContextRef ctx = e->ctx;
  eddy__compression *m = e->compression;
  if (!m && (m = e->compression = calloc(1, sizeof(*m)))) m->e = e;
  cjob *j = m ? calloc(1, sizeof(*j)) : NULL;
  if (j && len && !(j->in = malloc(len))) {
    free(j);
    j = NULL;
  }
  if (!j) return eddy__throw_type_error(ctx, exc, "out of memory");
  if (len) memcpy(j->in, in, len);
  j->in_len = len;
  j->finish = finish;
  j->owner = m;
  j->c = c;
  atomic_fetch_add(&c->refs, 1);
  atomic_init(&j->abort, 0);
  out_init(&j->out, c, len);
  JSObjectRef promise = JSObjectMakeDeferredPromise(ctx, &j->resolve, &j->reject, exc);
  if (!promise) {
    job_free(j);
    return NULL;
  }
  if (uv_queue_work(&e->loop, &j->req, on_work, on_work_done)) {
    job_free(j);
    return eddy__throw_type_error(ctx, exc, "cannot queue work on the thread pool");
  }
  c->busy = 1;
  JSValueProtect(ctx, j->resolve);
  JSValueProtect(ctx, j->reject);
  j->next = m->live;
  if (m->live) m->live->prev = j;
  m->live = j;
  atomic_fetch_add(&e->pending, 1);
  return promise;
}

/* ---- natives --------------------------------------------------------------------------------- */

/* compressionCreate(format, decompress) → a handle. */
static JSValueRef native_create(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                                const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  double fmt = argc > 0 ? JSValueToNumber(ctx, argv[0], exc) : -1;
  if (*exc) return NULL;
  if (!(fmt >= 0 && fmt < F_COUNT)) return eddy__throw_type_error(ctx, exc, "unknown format");
  codec *c = calloc(1, sizeof(*c));
  if (!c) return eddy__throw_type_error(ctx, exc, "out of memory");
  atomic_init(&c->refs, 1);
  c->format = (int)fmt;
  c->decompress = argc > 1 && JSValueToBoolean(ctx, argv[1]);
  int ok;
  if (c->format == F_BROTLI) {
    if (c->decompress) ok = (c->bd = BrotliDecoderCreateInstance(NULL, NULL, NULL)) != NULL;
    else ok = (c->be = BrotliEncoderCreateInstance(NULL, NULL, NULL)) != NULL;
  } else if (c->format == F_ZSTD) {
    /* libzstd's defaults: level 3, and frames with windows of up to 128 MiB decoded (what the
       zstd command accepts without --memory). */
    if (c->decompress) ok = (c->zd = ZSTD_createDCtx()) != NULL;
    else ok = (c->zc = ZSTD_createCCtx()) != NULL;
  } else {
    /* zlib's windowBits: 15 for the zlib wrapper, negative for raw deflate, +16 for gzip only
       (not +32, which would also accept a zlib stream). */
    int bits = c->format == F_DEFLATE ? 15 : c->format == F_DEFLATE_RAW ? -15 : 31;
    if (c->decompress) ok = inflateInit2(&c->z, bits) == Z_OK;
    else ok = deflateInit2(&c->z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, bits, 8, Z_DEFAULT_STRATEGY) == Z_OK;
    c->z_ready = ok;
  }
  if (!ok) {
    codec_unref(c);
    return eddy__throw_type_error(ctx, exc, "out of memory");
  }
  return JSObjectMake(ctx, codec_class, c);
}

/* compressionPush(handle, bytes or null, finish) → [Uint8Array, …, then the trailing-data message
   or `true` for more to come, or neither], or a promise of it for a long chunk or for going on
   past STEP_OUT (bytes null then, as finish was). */
static JSValueRef native_push(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                              const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  if (argc < 3 || !JSValueIsObjectOfClass(ctx, argv[0], codec_class))
    return eddy__throw_type_error(ctx, exc, "compressionPush: expected a compression context");
  codec *c = JSObjectGetPrivate((JSObjectRef)argv[0]);
  int finish = JSValueToBoolean(ctx, argv[2]);
  const uint8_t *in = NULL;
  size_t len = 0;
  JSValueRef v = argv[1];
  JSTypedArrayType t = JSValueGetTypedArrayType(ctx, v, NULL);
  if (t == kJSTypedArrayTypeArrayBuffer) {
    in = JSObjectGetArrayBufferBytesPtr(ctx, (JSObjectRef)v, exc);
    len = JSObjectGetArrayBufferByteLength(ctx, (JSObjectRef)v, exc);
  } else if (t != kJSTypedArrayTypeNone) {
    /* The pointer is the start of the underlying buffer, not of the view. */
    in = JSObjectGetTypedArrayBytesPtr(ctx, (JSObjectRef)v, exc);
    len = JSObjectGetTypedArrayByteLength(ctx, (JSObjectRef)v, exc);
    if (in) in += JSObjectGetTypedArrayByteOffset(ctx, (JSObjectRef)v, exc);
  } else if (!JSValueIsNull(ctx, v)) {
    return eddy__throw_type_error(ctx, exc, "compressionPush: expected bytes (a Uint8Array view)");
  }
  if (*exc) return NULL;
  if (!in) len = 0;
  if (c->busy || (c->more && in))
    return eddy__throw_type_error(ctx, exc, message(E_BUSY));
  eddy_engine *e = eddy__engine_of(ctx);
  size_t pool_min = c->decompress           ? POOL_MIN_DECOMPRESS
                    : c->format == F_ZSTD ? POOL_MIN_COMPRESS_ZSTD
                                          : POOL_MIN_COMPRESS;
  /* Going on past STEP_OUT is a long step too, whatever the rest's length. */
  if ((len >= pool_min || c->more) && !c->failed && !past_end(c) && !atomic_load(&e->closing))
    return queue(e, c, in, len, finish, exc);
  out_list o;
  out_init(&o, c, len);
  int r = code(c, &o, in, len, finish, NULL);
  JSValueRef res = NULL;
  if (r > 0) eddy__throw_type_error(ctx, exc, message(r));
  else res = to_js(ctx, &o, r, exc);
  out_free(&o);
  return res;
}

int eddy__compression_init(eddy_engine *e, JSObjectRef native) {
  uv_once(&codec_class_once, codec_class_create);
  eddy__set_function(e->ctx, native, "compressionCreate", native_create);
  eddy__set_function(e->ctx, native, "compressionPush", native_push);
  return 0;
}

void eddy__compression_close(eddy_engine *e) {
  eddy__compression *m = e->compression;
  if (!m) return;
  e->compression = NULL;
  m->closed = 1;
  for (cjob *j = m->live; j; j = j->next) {
    atomic_store(&j->abort, 1);
    uv_cancel((uv_req_t *)&j->req); /* fails (harmlessly) for one already running */
    JSValueUnprotect(e->ctx, j->resolve);
    JSValueUnprotect(e->ctx, j->reject);
    atomic_fetch_sub(&e->pending, 1);
  }
  if (!m->live) free(m);
}
