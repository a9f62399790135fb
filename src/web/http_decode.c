/* Content-Encoding of fetch responses, decoded here rather than by libcurl so that a paused body
   holds its coded bytes, at most one read of them, instead of all that one read decodes to:
   libcurl decodes a whole read before a pause can stop it and keeps the output, which for 1000:1
   gzip is 500 MB for a 512 KiB read (7.88 gives up past 64 MB). Here the output is made a step
   at a time, as much as the body has room for (http_curl.c's decode_pump).

   The codings are those fetch asks for (http_accept_encoding_line): gzip (and x-gzip),
   deflate (a zlib stream as RFC 9110 says, or raw deflate as some servers send, as browsers and
   libcurl take it), br and zstd, stacked in the order the header lists them applied. */
#include <brotli/decode.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "http.h"

enum { CODING_GZIP = 1, CODING_DEFLATE, CODING_BR, CODING_ZSTD };
#define CODINGS_MAX 4  /* content codings stacked on one body */
#define STAGE_IN 16384 /* what a stage made that the one before it has not taken yet */

/* One coding of the stack, in the order the header lists them (the order they were applied):
   the last one reads the body, and each before it reads what the one after it made, from `in`
   (made there and not taken yet here). */
typedef struct {
  int coding;
  int ended;   /* its data ended (further input is ignored, as libcurl does) */
  int member;  /* gzip: a member ended; another may follow (concatenated gzip, as Node takes) */
  int started; /* deflate: produced or took something, so a raw retry is too late */
  z_stream z;
  BrotliDecoderState *br;
  ZSTD_DStream *zs;
  uint8_t *in; /* STAGE_IN bytes, allocated when the stage is first read from */
  size_t in_off, in_len;
} stage;

struct http_decoder {
  unsigned n;
  stage st[CODINGS_MAX];
};

static int coding_of(const char *s, size_t n) {
  if ((n == 4 && strncasecmp(s, "gzip", 4) == 0) || (n == 6 && strncasecmp(s, "x-gzip", 6) == 0))
    return CODING_GZIP;
  if (n == 7 && strncasecmp(s, "deflate", 7) == 0) return CODING_DEFLATE;
  if (n == 2 && strncasecmp(s, "br", 2) == 0) return CODING_BR;
  if (n == 4 && strncasecmp(s, "zstd", 4) == 0) return CODING_ZSTD;
  if (n == 8 && strncasecmp(s, "identity", 8) == 0) return 0;
  return -1;
}

static int stage_init(stage *s, int coding) {
  memset(s, 0, sizeof(*s));
  s->coding = coding;
  if (coding == CODING_GZIP || coding == CODING_DEFLATE)
    return inflateInit2(&s->z, coding == CODING_GZIP ? 16 + MAX_WBITS : MAX_WBITS) == Z_OK ? 0 : -1;
  if (coding == CODING_BR) return (s->br = BrotliDecoderCreateInstance(NULL, NULL, NULL)) ? 0 : -1;
  /* RFC 9659: zstd over HTTP uses windows of at most 8 MB, and browsers refuse larger ones */
  return (s->zs = ZSTD_createDStream()) && !ZSTD_isError(ZSTD_initDStream(s->zs)) &&
                 !ZSTD_isError(ZSTD_DCtx_setParameter(s->zs, ZSTD_d_windowLogMax, 23))
             ? 0
             : -1;
}

static void stage_end(stage *s) {
  if (s->coding == CODING_GZIP || s->coding == CODING_DEFLATE) inflateEnd(&s->z);
  if (s->br) BrotliDecoderDestroyInstance(s->br);
  if (s->zs) ZSTD_freeDStream(s->zs);
  free(s->in);
}

/* Adds the codings of a Content-Encoding field value to *d (made on the first one; NULL while
   only identity was named). -1 for a coding eddy does not decode (or too many, or no memory).
   A response with several Content-Encoding fields lists them in order: one call each. */
int http_decoder_add(http_decoder **d, const char *v, size_t len) {
  size_t i = 0;
  while (i < len) {
    while (i < len && (v[i] == ' ' || v[i] == '\t' || v[i] == ',')) i++;
    size_t start = i;
    while (i < len && v[i] != ',' && v[i] != ' ' && v[i] != '\t') i++;
    if (i == start) break;
    int c = coding_of(v + start, i - start);
    if (c < 0) return -1;
    if (c == 0) continue;
    if (!*d && !(*d = calloc(1, sizeof(**d)))) return -1;
    if ((*d)->n == CODINGS_MAX || stage_init(&(*d)->st[(*d)->n], c)) return -1;
    (*d)->n++;
  }
  return 0;
}

void http_decoder_free(http_decoder *d) {
  if (!d) return;
  for (unsigned i = 0; i < d->n; i++) stage_end(&d->st[i]);
  free(d);
}

/* Runs stage s over in[0..*len) into out (cap bytes): how many it made, with *len left at what
   it did not take; -1 on data that is not of its coding. */
static long stage_run(stage *s, const uint8_t *in, size_t *len, uint8_t *out, size_t cap) {
  if (s->member && *len) {
    s->member = 0;
    if (*len >= 2 && in[0] == 0x1f && in[1] == 0x8b) {
      if (inflateReset(&s->z) != Z_OK) return -1;
    } else {
      s->ended = 1;
    }
  }
  if (s->ended) {
    *len = 0; /* what follows the end is ignored */
    return 0;
  }
  if (s->coding == CODING_BR) {
    size_t avail_in = *len, avail_out = cap;
    const uint8_t *next_in = in;
    uint8_t *next_out = out;
    BrotliDecoderResult r =
        BrotliDecoderDecompressStream(s->br, &avail_in, &next_in, &avail_out, &next_out, NULL);
    if (r == BROTLI_DECODER_RESULT_ERROR) return -1;
    if (r == BROTLI_DECODER_RESULT_SUCCESS) s->ended = 1;
    *len = avail_in;
    return (long)(cap - avail_out);
  }
  if (s->coding == CODING_ZSTD) {
    ZSTD_inBuffer ib = {in, *len, 0};
    ZSTD_outBuffer ob = {out, cap, 0};
    size_t r = ZSTD_decompressStream(s->zs, &ob, &ib);
    if (ZSTD_isError(r)) return -1;
    *len -= ib.pos; /* another frame may follow: zstd data has no end of its own */
    return (long)ob.pos;
  }
  uInt n = *len > 0x40000000u ? 0x40000000u : (uInt)*len;
  s->z.next_in = (Bytef *)in;
  s->z.avail_in = n;
  s->z.next_out = out;
  s->z.avail_out = cap > 0x40000000u ? 0x40000000u : (uInt)cap;
  uInt room = s->z.avail_out;
  int r = inflate(&s->z, Z_NO_FLUSH);
  if (r == Z_DATA_ERROR && s->coding == CODING_DEFLATE && !s->started) {
    /* no zlib header: raw deflate, from the first byte again (in may be this stage's own
       buffer, so only the stream is made anew) */
    inflateEnd(&s->z);
    memset(&s->z, 0, sizeof s->z);
    if (inflateInit2(&s->z, -MAX_WBITS) != Z_OK) {
      s->coding = 0; /* nothing for stage_end to end */
      return -1;
    }
    s->started = 1;
    return stage_run(s, in, len, out, cap);
  }
  if (r == Z_NEED_DICT || r == Z_DATA_ERROR || r == Z_STREAM_ERROR || r == Z_MEM_ERROR) return -1;
  if (r == Z_STREAM_END && s->coding == CODING_GZIP) s->member = 1;
  else if (r == Z_STREAM_END) s->ended = 1;
  long made = (long)(room - s->z.avail_out);
  if (made || n != s->z.avail_in) s->started = 1;
  *len -= n - s->z.avail_in;
  return made;
}

/* Stage i's output, up to cap bytes, its input coming from in (the last stage) or the stage
   after it. */
static long stage_out(http_decoder *d, unsigned i, const uint8_t *in, size_t *len, uint8_t *out,
                      size_t cap) {
  if (i == d->n - 1) return stage_run(&d->st[i], in, len, out, cap);
  stage *s = &d->st[i];
  long made = 0;
  while ((size_t)made < cap) {
    if (s->in_off == s->in_len) {
      if (!s->in && !(s->in = malloc(STAGE_IN))) return -1;
      long k = stage_out(d, i + 1, in, len, s->in, STAGE_IN);
      if (k < 0) return -1;
      s->in_off = 0;
      s->in_len = (size_t)k;
      if (k == 0) break;
    }
    size_t left = s->in_len - s->in_off;
    long k = stage_run(s, s->in + s->in_off, &left, out + made, cap - (size_t)made);
    if (k < 0) return -1;
    s->in_off = s->in_len - left;
    made += k;
    if (k == 0 && left) break; /* it takes no more now (ended, or waits for output room) */
  }
  return made;
}

long http_decoder_run(http_decoder *d, const uint8_t *in, size_t *len, uint8_t *out, size_t cap) {
  return stage_out(d, 0, in, len, out, cap);
}
