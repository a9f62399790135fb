/* CBOR (RFC 8949) encoding and decoding of eddy_value trees, and the eval/call variants that
   hand the host one encoded buffer per result (docs/values.md#cbor).

   Our own small codec rather than libcbor: Debian 12 packages libcbor 0.8.0, whose half-float
   encoder drops the mantissa of subnormals and wraps values above 65504 into unrelated numbers
   (fixed upstream only later), and whose streaming decoder would still leave every part that
   matters here to us: the nesting limit shared with the rest of the value layer, an iterative
   walk, tags, duplicate keys, UTF-8. Nothing here touches an engine except the wrappers at the
   end, which go through the public API. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Tags (RFC 8949 §3.4 and the IANA registry). */
enum {
  TAG_DATE_STRING = 0, /* RFC 3339 text: decoded, never written */
  TAG_EPOCH = 1,       /* seconds since the epoch: dates */
  TAG_BIGNUM = 2,      /* non-negative bignum: big-endian magnitude */
  TAG_NEG_BIGNUM = 3,  /* -1 - n */
  TAG_OBJECT = 27,     /* generic object [typename, ...]: errors and functions */
  TAG_UINT8_ARRAY = 64,/* RFC 8746 uint8 typed array: decoded as bytes */
  TAG_SELF_DESCRIBE = 55799
};

/* 2^53: every integer up to it is a double; CBOR integers beyond it decode as bigints. */
#define INT_EXACT (1ull << 53)

/* ---- encoding -------------------------------------------------------------------------------- */

typedef struct {
  uint8_t *buf;
  size_t len, cap;
  int failed;
} writer;

static int reserve(writer *w, size_t n) {
  if (w->failed) return -1;
  if (n <= w->cap - w->len) return 0;
  size_t cap = w->cap ? w->cap : 256;
  while (cap - w->len < n) {
    if (cap > SIZE_MAX / 2) {
      w->failed = 1;
      return -1;
    }
    cap *= 2;
  }
  uint8_t *p = realloc(w->buf, cap);
  if (!p) {
    w->failed = 1;
    return -1;
  }
  w->buf = p;
  w->cap = cap;
  return 0;
}

/* A head: major type and argument, in the shortest form (preferred serialization). */
static void head(writer *w, int major, uint64_t arg) {
  if (reserve(w, 9)) return;
  uint8_t *o = w->buf + w->len, m = (uint8_t)(major << 5);
  int n;
  if (arg < 24) {
    o[0] = m | (uint8_t)arg;
    n = 0;
  } else if (arg <= 0xff) {
    o[0] = m | 24;
    n = 1;
  } else if (arg <= 0xffff) {
    o[0] = m | 25;
    n = 2;
  } else if (arg <= 0xffffffffu) {
    o[0] = m | 26;
    n = 4;
  } else {
    o[0] = m | 27;
    n = 8;
  }
  for (int i = 0; i < n; i++) o[1 + i] = (uint8_t)(arg >> (8 * (n - 1 - i)));
  w->len += 1 + (size_t)n;
}

static void put(writer *w, const void *p, size_t n) {
  if (reserve(w, n)) return;
  if (n) memcpy(w->buf + w->len, p, n);
  w->len += n;
}

static void text(writer *w, const char *s, size_t n) {
  head(w, 3, n);
  put(w, s, n);
}

static uint64_t bits_of(double d) {
  uint64_t b;
  memcpy(&b, &d, sizeof b);
  return b;
}

/* The half-precision bits of d when d is exactly a half, else -1. */
static int32_t exact_half(double d) {
  uint64_t b = bits_of(d);
  uint32_t sign = (uint32_t)(b >> 48) & 0x8000;
  int e = (int)((b >> 52) & 0x7ff);
  uint64_t m = b & 0xfffffffffffffull;
  if (e == 0x7ff) return m ? -1 : (int32_t)(sign | 0x7c00); /* NaN is handled by the caller */
  if (e == 0 && m == 0) return (int32_t)sign;
  if (e == 0) return -1;  /* double subnormals are far below half's range */
  int x = e - 1023;
  if (x >= -14 && x <= 15) {
    if (m & ((1ull << 42) - 1)) return -1;
    return (int32_t)(sign | (uint32_t)(x + 15) << 10 | (uint32_t)(m >> 42));
  }
  if (x >= -24 && x < -14) { /* a half subnormal: significand * 2^-24 */
    uint64_t sig = m | (1ull << 52);
    int shift = 52 - (x + 24);
    if (sig & ((1ull << shift) - 1)) return -1;
    return (int32_t)(sign | (uint32_t)(sig >> shift));
  }
  return -1;
}

/* The shortest of half, single and double that holds d exactly; NaN as 0xf97e00. */
static void number_float(writer *w, double d) {
  if (reserve(w, 9)) return;
  uint8_t *o = w->buf + w->len;
  if (isnan(d)) {
    o[0] = 0xf9, o[1] = 0x7e, o[2] = 0x00;
    w->len += 3;
    return;
  }
  int32_t h = exact_half(d);
  if (h >= 0) {
    o[0] = 0xf9, o[1] = (uint8_t)(h >> 8), o[2] = (uint8_t)h;
    w->len += 3;
    return;
  }
  float f = (float)d;
  if ((double)f == d) {
    uint32_t b;
    memcpy(&b, &f, sizeof b);
    o[0] = 0xfa;
    for (int i = 0; i < 4; i++) o[1 + i] = (uint8_t)(b >> (24 - 8 * i));
    w->len += 5;
    return;
  }
  uint64_t b = bits_of(d);
  o[0] = 0xfb;
  for (int i = 0; i < 8; i++) o[1 + i] = (uint8_t)(b >> (56 - 8 * i));
  w->len += 9;
}

/* Integral numbers within ±2^53 (not -0) as integers, the rest as floats: both decode back to
   the same double, and a host's decoder sees 3 as an integer. */
static void number(writer *w, double d) {
  if (d == floor(d) && fabs(d) <= (double)INT_EXACT && !(d == 0 && signbit(d))) {
    if (d >= 0) head(w, 0, (uint64_t)d);
    else head(w, 1, (uint64_t)(-d) - 1);
    return;
  }
  number_float(w, d);
}

/* ---- bignums: decimal <-> big-endian bytes, on 32-bit limbs (least significant first) ---- */

/* A decimal string (optional '-', digits) as tag 2/3 and its magnitude's bytes. */
static void bigint(writer *w, const char *s, size_t n) {
  int neg = n && s[0] == '-';
  if (neg) s++, n--;
  size_t cap = n / 9 + 2, len = 0;
  uint32_t *limb = calloc(cap, sizeof(*limb));
  if (!limb) {
    w->failed = 1;
    return;
  }
  for (size_t i = 0; i < n;) {
    uint32_t chunk = 0, scale = 1;
    for (size_t k = 0; k < 9 && i < n; k++, i++) {
      chunk = chunk * 10 + (uint32_t)(s[i] - '0');
      scale *= 10;
    }
    uint64_t carry = chunk;
    for (size_t j = 0; j < len; j++) {
      uint64_t t = (uint64_t)limb[j] * scale + carry;
      limb[j] = (uint32_t)t;
      carry = t >> 32;
    }
    if (carry) limb[len++] = (uint32_t)carry;
  }
  /* -x is written as x - 1 (tag 3); -0 is 0 */
  int zero = len == 0;
  if (neg && !zero) {
    for (size_t j = 0; j < len; j++)
      if (limb[j]--) break;
    while (len && !limb[len - 1]) len--;
  }
  size_t bytes = len * 4;
  while (bytes && !((limb[(bytes - 1) / 4] >> (8 * ((bytes - 1) % 4))) & 0xff)) bytes--;
  head(w, 6, neg && !zero ? TAG_NEG_BIGNUM : TAG_BIGNUM);
  head(w, 2, bytes);
  if (!reserve(w, bytes)) {
    for (size_t i = 0; i < bytes; i++) {
      size_t k = bytes - 1 - i;
      w->buf[w->len + i] = (uint8_t)(limb[k / 4] >> (8 * (k % 4)));
    }
    w->len += bytes;
  }
  free(limb);
}

typedef struct {
  const eddy_value *v;
  size_t i;
} eframe;

/* Writes v's own head (and a leaf's content); returns 1 when v is a list whose items follow. */
static int open_node(writer *w, const eddy_value *v) {
  switch (v->type) {
    case EDDY_TYPE_UNDEFINED: put(w, "\xf7", 1); return 0;
    case EDDY_TYPE_NULL: put(w, "\xf6", 1); return 0;
    case EDDY_TYPE_BOOLEAN: put(w, v->u.boolean ? "\xf5" : "\xf4", 1); return 0;
    case EDDY_TYPE_NUMBER: number(w, v->u.number); return 0;
    case EDDY_TYPE_BIGINT: bigint(w, v->u.str.ptr, v->u.str.len); return 0;
    case EDDY_TYPE_STRING: text(w, v->u.str.ptr, v->u.str.len); return 0;
    case EDDY_TYPE_BYTES:
      head(w, 2, v->u.bytes.len);
      put(w, v->u.bytes.ptr, v->u.bytes.len);
      return 0;
    case EDDY_TYPE_DATE:
      head(w, 6, TAG_EPOCH);
      number_float(w, v->u.number / 1000);
      return 0;
    case EDDY_TYPE_FUNCTION:
      head(w, 6, TAG_OBJECT);
      head(w, 4, 2);
      text(w, "Function", 8);
      text(w, v->u.fn.name, v->u.fn.name_len);
      return 0;
    case EDDY_TYPE_ARRAY: head(w, 4, v->u.list.len); return 1;
    case EDDY_TYPE_ERROR:
      head(w, 6, TAG_OBJECT);
      head(w, 4, 2);
      text(w, "Error", 5);
      head(w, 5, v->u.list.len); /* its fields */
      return 1;
    case EDDY_TYPE_OBJECT: head(w, 5, v->u.list.len); return 1;
  }
  put(w, "\xf7", 1);
  return 0;
}

int eddy_value_to_cbor(const eddy_value *v, uint8_t **out, size_t *out_len) {
  if (out) *out = NULL;
  if (out_len) *out_len = 0;
  if (!out) return EDDY_EINVAL;
  writer w = {0};
  eframe *stack = NULL;
  size_t depth = 0, cap = 0;
  int st = 0;
  const eddy_value undef = {.type = EDDY_TYPE_UNDEFINED};
  const eddy_value *next = v ? v : &undef;
  for (;;) {
    if (next) {
      int list = open_node(&w, next);
      if (list && depth == EDDY__MAX_DEPTH) { /* next would be one level too deep */
        st = EDDY_ERANGE;
        break;
      }
      if (list && next->u.list.len) {
        if (depth == cap) {
          size_t ncap = cap ? cap * 2 : 16;
          eframe *p = realloc(stack, ncap * sizeof(*p));
          if (!p) {
            st = EDDY_ENOMEM;
            break;
          }
          stack = p;
          cap = ncap;
        }
        stack[depth++] = (eframe){next, 0};
      }
      next = NULL;
    }
    if (w.failed) {
      st = EDDY_ENOMEM;
      break;
    }
    if (!depth) break;
    eframe *f = &stack[depth - 1];
    if (f->i == f->v->u.list.len) {
      depth--;
      continue;
    }
    size_t i = f->i++;
    if (f->v->u.list.keys) text(&w, f->v->u.list.keys[i], f->v->u.list.key_lens[i]);
    next = f->v->u.list.items[i] ? f->v->u.list.items[i] : &undef;
  }
  free(stack);
  if (st) {
    free(w.buf);
    return st;
  }
  *out = w.buf ? w.buf : malloc(1);
  if (!*out) return EDDY_ENOMEM;
  if (out_len) *out_len = w.len;
  return 0;
}

/* ---- decoding -------------------------------------------------------------------------------- */

typedef struct {
  const uint8_t *p;
  size_t len, pos;
  size_t at; /* start of the item being decoded, for error_offset */
} reader;

/* Status of a decode step: 0, or one of these (mapped to eddy statuses at the end). */
enum { BAD = -100, TRUNCATED = -101 };

typedef struct {
  int major; /* 0..7 */
  int ai;    /* additional information: 0..27, 31 */
  uint64_t arg;
} chead;

static int read_head(reader *r, chead *h) {
  if (r->pos >= r->len) return TRUNCATED;
  uint8_t b = r->p[r->pos++];
  h->major = b >> 5;
  h->ai = b & 31;
  h->arg = (uint64_t)h->ai;
  if (h->ai < 24) return 0;
  if (h->ai >= 28 && h->ai <= 30) return BAD; /* reserved */
  if (h->ai == 31) {
    /* indefinite length (2..5) or break (7); ints and tags have no such form */
    return h->major == 0 || h->major == 1 || h->major == 6 ? BAD : 0;
  }
  size_t n = (size_t)1 << (h->ai - 24);
  if (r->len - r->pos < n) return TRUNCATED;
  uint64_t a = 0;
  for (size_t i = 0; i < n; i++) a = a << 8 | r->p[r->pos + i];
  r->pos += n;
  h->arg = a;
  return 0;
}

static double half_to_double(uint16_t h) {
  int e = (h >> 10) & 0x1f;
  double m = h & 0x3ff;
  double v = e == 0 ? ldexp(m, -24) : e == 31 ? (m ? NAN : INFINITY) : ldexp(m + 1024, e - 25);
  return h & 0x8000 ? -v : v;
}

/* The float of a major-7 head with ai 25/26/27. */
static double head_float(const chead *h) {
  if (h->ai == 25) return half_to_double((uint16_t)h->arg);
  if (h->ai == 26) {
    uint32_t b = (uint32_t)h->arg;
    float f;
    memcpy(&f, &b, sizeof f);
    return f;
  }
  double d;
  memcpy(&d, &h->arg, sizeof d);
  return d;
}

/* The bytes of a byte or text string whose head is h (definite, or indefinite with definite
   chunks of the same major type). *out is malloc'd with a NUL after it. */
static int read_string(reader *r, const chead *h, char **out, size_t *out_len) {
  *out = NULL;
  if (h->ai != 31) {
    if (h->arg > r->len - r->pos) return TRUNCATED; /* no buffer is sized from a claim */
    size_t n = (size_t)h->arg;
    char *s = malloc(n + 1);
    if (!s) return EDDY_ENOMEM;
    if (n) memcpy(s, r->p + r->pos, n);
    s[n] = 0;
    r->pos += n;
    *out = s;
    *out_len = n;
    return 0;
  }
  char *s = NULL;
  size_t n = 0;
  for (;;) {
    size_t chunk_at = r->pos;
    chead c;
    int st = read_head(r, &c);
    if (!st && c.major == 7 && c.ai == 31) break;
    if (!st && (c.major != h->major || c.ai == 31)) st = BAD; /* chunks: same type, definite */
    if (!st && c.arg > r->len - r->pos) st = TRUNCATED;
    char *p = st ? NULL : realloc(s, n + (size_t)c.arg + 1);
    if (!st && !p) st = EDDY_ENOMEM;
    if (st) {
      if (st == BAD) r->at = chunk_at;
      free(s);
      return st;
    }
    s = p;
    memcpy(s + n, r->p + r->pos, (size_t)c.arg);
    n += (size_t)c.arg;
    r->pos += (size_t)c.arg;
  }
  if (!s && !(s = malloc(1))) return EDDY_ENOMEM;
  s[n] = 0;
  *out = s;
  *out_len = n;
  return 0;
}

/* A text string's UTF-8, invalid sequences replaced with U+FFFD like every string eddy takes. */
static int read_text(reader *r, const chead *h, char **out, size_t *out_len) {
  char *raw;
  size_t n;
  int st = read_string(r, h, &raw, &n);
  if (st) return st;
  size_t i = 0;
  while (i < n && (unsigned char)raw[i] < 0x80) i++;
  if (i == n) { /* ASCII, the common case: valid as it is */
    *out = raw;
    *out_len = n;
    return 0;
  }
  st = eddy__utf8_sanitize(raw, n, out, out_len);
  free(raw);
  return st;
}

static char *u64_decimal(uint64_t v, int neg, size_t *len) {
  char tmp[24], *o = tmp + sizeof tmp;
  do {
    *--o = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  if (neg) *--o = '-';
  *len = (size_t)(tmp + sizeof tmp - o);
  char *s = malloc(*len + 1);
  if (!s) return NULL;
  memcpy(s, o, *len);
  s[*len] = 0;
  return s;
}

static eddy_value *text_node(eddy_type type, char *s, size_t len) {
  eddy_value *v = eddy__value_new(type);
  if (!v) {
    free(s);
    return NULL;
  }
  v->u.str.ptr = s;
  v->u.str.len = len;
  return v;
}

/* A major 0/1 integer: a number within ±2^53, else a bigint (exactly). */
static eddy_value *integer_node(const chead *h) {
  int neg = h->major == 1;
  if (neg ? h->arg < INT_EXACT : h->arg <= INT_EXACT) /* within ±2^53 */
    return eddy_value_new_number(neg ? -1.0 - (double)h->arg : (double)h->arg);
  size_t len;
  char *s;
  if (neg && h->arg == UINT64_MAX) {
    s = strdup("-18446744073709551616");
    len = 21;
  } else {
    s = u64_decimal(neg ? h->arg + 1 : h->arg, neg, &len);
  }
  return s ? text_node(EDDY_TYPE_BIGINT, s, len) : NULL;
}

/* A bignum's big-endian magnitude m as the decimal of m (tag 2) or -1 - m (tag 3). */
static eddy_value *bignum_node(const uint8_t *p, size_t n, int neg) {
  while (n && !*p) p++, n--;
  size_t nl = (n + 3) / 4 + 1, len = 0;
  uint32_t *limb = calloc(nl, sizeof(*limb));
  if (!limb) return NULL;
  for (size_t i = 0; i < n; i++) {
    size_t k = n - 1 - i;
    limb[k / 4] |= (uint32_t)p[i] << (8 * (k % 4));
  }
  len = (n + 3) / 4;
  if (neg) { /* -1 - m: the magnitude m + 1 */
    size_t j = 0;
    while (j < nl && ++limb[j] == 0) j++;
    if (j >= len) len = j + 1;
  }
  while (len && !limb[len - 1]) len--;
  /* repeated division by 10^9: nine digits at a time, least significant first */
  size_t cap = len * 10 + 2, o = cap;
  char *s = malloc(cap + 1);
  if (!s) {
    free(limb);
    return NULL;
  }
  s[cap] = 0;
  do {
    uint64_t rem = 0;
    for (size_t j = len; j-- > 0;) {
      uint64_t cur = rem << 32 | limb[j];
      limb[j] = (uint32_t)(cur / 1000000000u);
      rem = cur % 1000000000u;
    }
    while (len && !limb[len - 1]) len--;
    for (int k = 0; k < 9; k++) {
      s[--o] = (char)('0' + rem % 10);
      rem /= 10;
      if (!len && !rem) break;
    }
  } while (len);
  if (neg) s[--o] = '-';
  free(limb);
  size_t n_out = cap - o;
  memmove(s, s + o, n_out + 1);
  return text_node(EDDY_TYPE_BIGINT, s, n_out);
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian), as in Hinnant's days_from_civil. */
static int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static int digits(const char *s, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return 0;
}

/* RFC 3339 date-time (tag 0): YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM). 0 and *ms, or -1. */
static int parse_rfc3339(const char *s, size_t n, double *ms) {
  int y, mo, d, h, mi, sec;
  if (n < 20 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) || s[7] != '-' ||
      digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' ||
      digits(s + 17, 2, &sec))
    return -1;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return -1;
  size_t i = 19;
  double frac = 0, scale = 0.1;
  if (i < n && s[i] == '.') {
    if (++i >= n || s[i] < '0' || s[i] > '9') return -1;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, scale /= 10) frac += (s[i] - '0') * scale;
  }
  int offset = 0;
  if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
    i++;
  } else if (i + 6 == n && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
    int oh, om;
    if (digits(s + i + 1, 2, &oh) || digits(s + i + 4, 2, &om) || oh > 23 || om > 59) return -1;
    offset = (oh * 60 + om) * (s[i] == '-' ? -1 : 1);
    i += 6;
  } else {
    return -1;
  }
  if (i != n) return -1;
  double secs = (double)days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
                offset * 60;
  *ms = secs * 1000 + floor(frac * 1000 + 0.5);
  return 0;
}

/* Tag 1's seconds as milliseconds. The encoder wrote ms / 1000; s * 1000 is not always ms
   again (for about 1% of dates it is off by a rounding), so the integer that encodes to s is
   preferred when there is one: every JS Date comes back exactly. Fractional milliseconds of
   other encoders (microseconds of a Python datetime) stay as they are. */
static double epoch_ms(double s) {
  double ms = s * 1000;
  if (!isfinite(ms)) return ms;
  /* up to 2^53 ms, consecutive integers give distinct ms / 1000: the one found is the one */
  double r = nearbyint(ms);
  if (r / 1000 == s) return r;
  if ((r - 1) / 1000 == s) return r - 1;
  if ((r + 1) / 1000 == s) return r + 1;
  return ms;
}

typedef struct {
  eddy_value *list;      /* array, object or error being filled */
  uint64_t remaining;    /* items (or pairs) still to come when definite */
  int indef;
  char *key;             /* a map's pending key */
  size_t key_len;
  uint32_t *index;       /* hash of keys, for maps past INDEX_FROM keys */
  size_t index_cap;
} dframe;

#define INDEX_FROM 16

static size_t key_hash(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return (size_t)(h ^ (h >> 32));
}

static size_t index_slot(const dframe *f, const char *key, size_t len) {
  const eddy_value *o = f->list;
  size_t mask = f->index_cap - 1, i = key_hash(key, len) & mask;
  for (;; i = (i + 1) & mask) {
    uint32_t at = f->index[i];
    if (!at) return i;
    if (o->u.list.key_lens[at - 1] == len && !memcmp(o->u.list.keys[at - 1], key, len)) return i;
  }
}

/* Sets the frame's pending key to v: a duplicate key keeps its first position and takes the
   last value, as in eddy_value_from_json; hashed once a map is large. Takes v. */
static int map_put(dframe *f, eddy_value *v) {
  eddy_value *o = f->list;
  const char *key = f->key;
  size_t len = f->key_len;
  if (!f->index && o->u.list.len < INDEX_FROM) return eddy__value_set_n(o, key, len, v);
  if (o->u.list.len >= UINT32_MAX - 1) {
    eddy_value_free(v);
    return EDDY_ENOMEM;
  }
  if (!f->index || (o->u.list.len + 1) * 2 > f->index_cap) {
    size_t cap = f->index_cap ? f->index_cap * 2 : 64;
    uint32_t *idx = calloc(cap, sizeof(*idx));
    if (!idx) {
      eddy_value_free(v);
      return EDDY_ENOMEM;
    }
    free(f->index);
    f->index = idx;
    f->index_cap = cap;
    for (size_t k = 0; k < o->u.list.len; k++)
      f->index[index_slot(f, o->u.list.keys[k], o->u.list.key_lens[k])] = (uint32_t)(k + 1);
  }
  size_t slot = index_slot(f, key, len);
  if (f->index[slot]) {
    size_t at = f->index[slot] - 1;
    eddy_value_free(o->u.list.items[at]);
    o->u.list.items[at] = v;
    return 0;
  }
  int st = eddy__value_append_n(o, key, len, v);
  if (!st) f->index[slot] = (uint32_t)o->u.list.len;
  return st;
}

/* Room for n items up front when the buffer can hold them (each takes at least a byte), so a
   claim of 2^60 items allocates nothing. */
static int prealloc(eddy_value *list, uint64_t n, size_t left) {
  if (!n || n > left || n > (SIZE_MAX / sizeof(char *)) / 2) return 0;
  size_t k = (size_t)n;
  list->u.list.items = malloc(k * sizeof(*list->u.list.items));
  if (!list->u.list.items) return EDDY_ENOMEM;
  if (list->type != EDDY_TYPE_ARRAY) {
    list->u.list.keys = malloc(k * sizeof(*list->u.list.keys));
    list->u.list.key_lens = malloc(k * sizeof(*list->u.list.key_lens));
    if (!list->u.list.keys || !list->u.list.key_lens) return EDDY_ENOMEM;
  }
  list->u.list.cap = k;
  return 0;
}

/* A leaf tag's content: the head after tag `tag`. */
static int tagged_leaf(reader *r, uint64_t tag, eddy_value **out) {
  chead h;
  int st = read_head(r, &h);
  if (st) return st;
  char *s;
  size_t n;
  switch (tag) {
    case TAG_EPOCH:
      if (h.major == 0 || h.major == 1) {
        double secs = h.major == 0 ? (double)h.arg : -1.0 - (double)h.arg;
        *out = eddy_value_new_date(secs * 1000);
      } else if (h.major == 7 && h.ai >= 25 && h.ai <= 27) {
        *out = eddy_value_new_date(epoch_ms(head_float(&h)));
      } else {
        return BAD;
      }
      return *out ? 0 : EDDY_ENOMEM;
    case TAG_DATE_STRING: {
      if (h.major != 3) return BAD;
      if ((st = read_string(r, &h, &s, &n))) return st;
      double ms;
      st = parse_rfc3339(s, n, &ms);
      free(s);
      if (st) return BAD;
      *out = eddy_value_new_date(ms);
      return *out ? 0 : EDDY_ENOMEM;
    }
    case TAG_BIGNUM:
    case TAG_NEG_BIGNUM:
    case TAG_UINT8_ARRAY:
      if (h.major != 2) return BAD;
      if ((st = read_string(r, &h, &s, &n))) return st;
      if (tag == TAG_UINT8_ARRAY) {
        eddy_value *v = eddy__value_new(EDDY_TYPE_BYTES);
        if (v) {
          v->u.bytes.ptr = (uint8_t *)s;
          v->u.bytes.len = n;
        } else {
          free(s);
        }
        *out = v;
      } else {
        *out = bignum_node((const uint8_t *)s, n, tag == TAG_NEG_BIGNUM);
        free(s);
      }
      return *out ? 0 : EDDY_ENOMEM;
  }
  return BAD;
}

/* One item at r->pos: a leaf (0, *out set), or a list opened (1, *out the empty list, and
   *count and *indef its length) whose items the caller reads. */
static int decode_item(reader *r, eddy_value **out, uint64_t *count, int *indef) {
  *out = NULL;
  chead h;
  int st;
  for (;;) {
    r->at = r->pos;
    if ((st = read_head(r, &h))) return st;
    if (h.major != 6 || h.arg != TAG_SELF_DESCRIBE) break;
  }
  switch (h.major) {
    case 0:
    case 1:
      *out = integer_node(&h);
      return *out ? 0 : EDDY_ENOMEM;
    case 2: {
      char *s;
      size_t n;
      if ((st = read_string(r, &h, &s, &n))) return st;
      eddy_value *v = eddy__value_new(EDDY_TYPE_BYTES);
      if (!v) {
        free(s);
        return EDDY_ENOMEM;
      }
      v->u.bytes.ptr = (uint8_t *)s;
      v->u.bytes.len = n;
      *out = v;
      return 0;
    }
    case 3: {
      char *s;
      size_t n;
      if ((st = read_text(r, &h, &s, &n))) return st;
      *out = text_node(EDDY_TYPE_STRING, s, n);
      return *out ? 0 : EDDY_ENOMEM;
    }
    case 4:
    case 5:
      *out = h.major == 4 ? eddy_value_new_array() : eddy_value_new_object();
      if (!*out) return EDDY_ENOMEM;
      *indef = h.ai == 31;
      *count = h.arg;
      return 1;
    case 6:
      if (h.arg != TAG_OBJECT) return tagged_leaf(r, h.arg, out);
      break;
    default: /* 7 */
      if (h.ai >= 25 && h.ai <= 27) {
        *out = eddy_value_new_number(head_float(&h));
        return *out ? 0 : EDDY_ENOMEM;
      }
      switch (h.ai) { /* f8 xx (ai 24) is never one of these: not well-formed */
        case 20: *out = eddy_value_new_bool(0); break;
        case 21: *out = eddy_value_new_bool(1); break;
        case 22: *out = eddy_value_new_null(); break;
        case 23: *out = eddy_value_new_undefined(); break;
        default: return BAD; /* other simple values, and a break outside an indefinite item */
      }
      return *out ? 0 : EDDY_ENOMEM;
  }
  /* tag 27: [typename, content] */
  if ((st = read_head(r, &h))) return st;
  if (h.major != 4 || h.arg != 2 || h.ai == 31) return BAD;
  size_t name_at = r->pos;
  if ((st = read_head(r, &h))) return st;
  if (h.major != 3) return BAD;
  char *name;
  size_t n;
  if ((st = read_string(r, &h, &name, &n))) return st;
  int is_error = n == 5 && !memcmp(name, "Error", 5);
  int is_function = n == 8 && !memcmp(name, "Function", 8);
  free(name);
  if (is_function) return EDDY_ETYPE; /* a function cannot travel as bytes */
  if (!is_error) {
    r->at = name_at;
    return BAD;
  }
  if ((st = read_head(r, &h))) return st;
  if (h.major != 5) return BAD;
  *out = eddy__value_new(EDDY_TYPE_ERROR);
  if (!*out) return EDDY_ENOMEM;
  *indef = h.ai == 31;
  *count = h.arg;
  return 1;
}

/* A map key: a text string, or an integer (as its decimal, as JS makes property keys). */
static int read_key(reader *r, char **key, size_t *len) {
  r->at = r->pos;
  chead h;
  int st = read_head(r, &h);
  if (st) return st;
  if (h.major == 3) return read_text(r, &h, key, len);
  if (h.major == 0 || h.major == 1) {
    if (h.major == 1 && h.arg == UINT64_MAX) {
      *key = strdup("-18446744073709551616");
      *len = 21;
    } else {
      *key = u64_decimal(h.major == 1 ? h.arg + 1 : h.arg, h.major == 1, len);
    }
    return *key ? 0 : EDDY_ENOMEM;
  }
  return BAD;
}

static int decode(reader *r, eddy_value **out) {
  dframe *stack = NULL;
  size_t depth = 0, cap = 0;
  eddy_value *root = NULL;
  int st = 0;
  for (;;) {
    dframe *f = depth ? &stack[depth - 1] : NULL;
    if (f) {
      /* the end of the innermost list? */
      int end;
      if (f->indef) {
        if (r->pos >= r->len) {
          st = TRUNCATED;
          break;
        }
        end = r->p[r->pos] == 0xff;
        if (end) r->pos++;
      } else {
        end = f->remaining == 0;
        if (!end) f->remaining--;
      }
      if (end) {
        free(f->key);
        free(f->index);
        depth--;
        if (!depth) break;
        continue;
      }
      if (f->list->type != EDDY_TYPE_ARRAY) {
        free(f->key);
        f->key = NULL;
        if ((st = read_key(r, &f->key, &f->key_len))) break;
      }
    }
    eddy_value *v;
    uint64_t count = 0;
    int indef = 0;
    st = decode_item(r, &v, &count, &indef);
    if (st < 0) break;
    int opens = st == 1;
    st = 0;
    if (opens && depth == EDDY__MAX_DEPTH) {
      eddy_value_free(v);
      st = EDDY_ERANGE;
      break;
    }
    if (opens && !indef && (st = prealloc(v, count, r->len - r->pos))) {
      eddy_value_free(v);
      break;
    }
    if (!f) root = v;
    else if ((st = f->list->type == EDDY_TYPE_ARRAY ? eddy_value_push(f->list, v) : map_put(f, v)))
      break;
    if (!opens) {
      if (!depth) break;
      continue;
    }
    if (depth == cap) {
      size_t ncap = cap ? cap * 2 : 16;
      dframe *p = realloc(stack, ncap * sizeof(*p));
      if (!p) {
        st = EDDY_ENOMEM;
        break;
      }
      stack = p;
      cap = ncap;
    }
    stack[depth++] = (dframe){v, count, indef, NULL, 0, NULL, 0};
  }
  for (size_t i = 0; i < depth; i++) {
    free(stack[i].key);
    free(stack[i].index);
  }
  free(stack);
  if (st) {
    eddy_value_free(root);
    return st;
  }
  *out = root;
  return 0;
}

int eddy_value_from_cbor(const uint8_t *cbor, size_t len, eddy_value **out,
                         size_t *error_offset) {
  if (out) *out = NULL;
  if (!out || (!cbor && len)) return EDDY_EINVAL;
  reader r = {cbor ? cbor : (const uint8_t *)"", len, 0, 0};
  eddy_value *v = NULL;
  int st = decode(&r, &v);
  if (!st && r.pos != r.len) { /* one item, nothing after it */
    eddy_value_free(v);
    r.at = r.pos;
    st = BAD;
  }
  if (st) {
    if (error_offset) *error_offset = st == TRUNCATED ? len : r.at;
    return st == BAD || st == TRUNCATED ? EDDY_EINVAL : st;
  }
  *out = v;
  return 0;
}

/* ---- one call per result --------------------------------------------------------------------- */

/* Encodes the result of a call that returned st (and frees it). A failed encoding wins over a
   success: the host could not see the value. */
static int encode_result(int st, eddy_value *v, uint8_t **out, size_t *out_len) {
  if (out && v) {
    int est = eddy_value_to_cbor(v, out, out_len);
    if (est) st = est;
  }
  eddy_value_free(v);
  return st;
}

static void clear_out(uint8_t **out, size_t *out_len) {
  if (out) *out = NULL;
  if (out_len) *out_len = 0;
}

/* CBOR args (an array, or nothing) as a tree; NULL/0 is no arguments. */
static int decode_args(const uint8_t *args, size_t len, eddy_value **tree) {
  *tree = NULL;
  if (!args && !len) return 0;
  int st = eddy_value_from_cbor(args, len, tree, NULL);
  if (st) return st;
  if ((*tree)->type != EDDY_TYPE_ARRAY) {
    eddy_value_free(*tree);
    *tree = NULL;
    return EDDY_EINVAL;
  }
  return 0;
}

int eddy_eval_cbor(eddy_engine *e, const char *source, size_t len, const char *filename,
                   uint8_t **out, size_t *out_len) {
  clear_out(out, out_len);
  eddy_value *v = NULL;
  int st = eddy_eval(e, source, len, filename, out ? &v : NULL);
  return encode_result(st, v, out, out_len);
}

int eddy_call_cbor(eddy_engine *e, const char *path, const uint8_t *args, size_t args_len,
                   uint8_t **out, size_t *out_len) {
  clear_out(out, out_len);
  if (!e) return EDDY_EINVAL;
  eddy_value *tree, *v = NULL;
  int st = decode_args(args, args_len, &tree);
  if (st) return st;
  st = eddy_call(e, path, tree, out ? &v : NULL);
  eddy_value_free(tree);
  return encode_result(st, v, out, out_len);
}

int eddy_call_export_cbor(eddy_engine *e, const char *specifier, const char *export_path,
                          const uint8_t *args, size_t args_len, uint8_t **out, size_t *out_len) {
  clear_out(out, out_len);
  if (!e) return EDDY_EINVAL;
  eddy_value *tree, *v = NULL;
  int st = decode_args(args, args_len, &tree);
  if (st) return st;
  st = eddy_call_export(e, specifier, export_path, tree, out ? &v : NULL);
  eddy_value_free(tree);
  return encode_result(st, v, out, out_len);
}
