/* Strict JSON (RFC 8259) for eddy_value, with the same mapping JSON.stringify uses. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

typedef struct {
  char *buf;
  size_t len, cap;
  int failed;    /* out of memory, or too_long */
  int too_deep;
  int too_long;  /* the text would outgrow JSON_MAX */
} sbuf;

/* The longest JSON text written: what a JS string can hold. A value whose nodes are shared
   (from a JS graph) can expand to far more text than it takes memory. */
#define JSON_MAX ((size_t)INT32_MAX)

static void put(sbuf *b, const char *s, size_t n) {
  if (b->failed) return;
  if (n > JSON_MAX - b->len) {
    b->failed = b->too_long = 1;
    return;
  }
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + n + 1) cap *= 2;
    char *p = realloc(b->buf, cap);
    if (!p) {
      b->failed = 1;
      return;
    }
    b->buf = p;
    b->cap = cap;
  }
  memcpy(b->buf + b->len, s, n);
  b->len += n;
  b->buf[b->len] = '\0';
}

static void put_c(sbuf *b, const char *s) { put(b, s, strlen(s)); }

static void put_string(sbuf *b, const char *s, size_t n) {
  put(b, "\"", 1);
  size_t start = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    put(b, s + start, i - start);
    char esc[8];
    switch (c) {
      case '"': put_c(b, "\\\""); break;
      case '\\': put_c(b, "\\\\"); break;
      case '\n': put_c(b, "\\n"); break;
      case '\r': put_c(b, "\\r"); break;
      case '\t': put_c(b, "\\t"); break;
      case '\b': put_c(b, "\\b"); break;
      case '\f': put_c(b, "\\f"); break;
      default:
        snprintf(esc, sizeof esc, "\\u%04x", c);
        put_c(b, esc);
    }
    start = i + 1;
  }
  put(b, s + start, n - start);
  put(b, "\"", 1);
}

static void put_number(sbuf *b, double d) {
  if (!isfinite(d)) {
    put_c(b, "null");
    return;
  }
  char tmp[400];
  if (d == trunc(d) && fabs(d) < 1e21) {
    /* Integers print without exponent, as JSON.stringify does. */
    snprintf(tmp, sizeof tmp, "%.0f", d);
    put_c(b, d == 0 ? "0" : tmp);
    return;
  }
  /* Shortest representation that round-trips, like JS Number#toString for common values. */
  for (int prec = 1; prec <= 17; prec++) {
    snprintf(tmp, sizeof tmp, "%.*g", prec, d);
    if (strtod(tmp, NULL) == d) break;
  }
  put_c(b, tmp);
}

static int skipped(const eddy_value *v) {
  return v->type == EDDY_TYPE_UNDEFINED || v->type == EDDY_TYPE_FUNCTION;
}

/* A value that is not an array or an object (those are written by write_json's walk). */
static void write_flat(sbuf *b, const eddy_value *v) {
  char tmp[64];
  switch (v->type) {
    case EDDY_TYPE_UNDEFINED:
    case EDDY_TYPE_FUNCTION:
    case EDDY_TYPE_NULL: put_c(b, "null"); break;
    case EDDY_TYPE_BOOLEAN: put_c(b, v->u.boolean ? "true" : "false"); break;
    case EDDY_TYPE_NUMBER: put_number(b, v->u.number); break;
    case EDDY_TYPE_BIGINT: put_string(b, v->u.str.ptr, v->u.str.len); break;
    case EDDY_TYPE_STRING: put_string(b, v->u.str.ptr, v->u.str.len); break;
    case EDDY_TYPE_DATE: {
      /* Outside ECMAScript's time range (TimeClip: 8.64e15 ms either side of the epoch) a date
         is invalid, and JSON.stringify writes null; a host or CBOR may build one. */
      if (!isfinite(v->u.number) || fabs(v->u.number) > 8.64e15) {
        put_c(b, "null");
        break;
      }
      time_t secs = (time_t)floor(v->u.number / 1000);
      int ms = (int)(v->u.number - (double)secs * 1000);
      struct tm tm;
      gmtime_r(&secs, &tm);
      /* Date.prototype.toISOString: years outside 0000-9999 take a sign and six digits. */
      int year = tm.tm_year + 1900;
      snprintf(tmp, sizeof tmp,
               year >= 0 && year <= 9999 ? "\"%04d-%02d-%02dT%02d:%02d:%02d.%03dZ\""
                                         : "\"%+07d-%02d-%02dT%02d:%02d:%02d.%03dZ\"",
               year, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
      put_c(b, tmp);
      break;
    }
    case EDDY_TYPE_BYTES:
      put(b, "[", 1);
      for (size_t i = 0; i < v->u.bytes.len && !b->failed; i++) {
        snprintf(tmp, sizeof tmp, i ? ",%u" : "%u", v->u.bytes.ptr[i]);
        put_c(b, tmp);
      }
      put(b, "]", 1);
      break;
    case EDDY_TYPE_ERROR:
      put(b, "{\"name\":", 8);
      put_string(b, eddy_value_error_name(v), strlen(eddy_value_error_name(v)));
      put(b, ",\"message\":", 11);
      put_string(b, eddy_value_error_message(v), strlen(eddy_value_error_message(v)));
      put(b, "}", 1);
      break;
    case EDDY_TYPE_ARRAY:
    case EDDY_TYPE_OBJECT:
      break;
  }
}

typedef struct {
  const eddy_value *v; /* an array or object being written */
  size_t i;            /* next item */
  int first;           /* nothing written inside it yet */
} wframe;

/* Iterative: a value nested deeper than EDDY__MAX_DEPTH is refused, not a stack overflow. */
static void write_json(sbuf *b, const eddy_value *root) {
  wframe *stack = NULL;
  size_t depth = 0, cap = 0;
  const eddy_value *v = root;
  for (;;) {
    if (v) {
      if (v->type != EDDY_TYPE_ARRAY && v->type != EDDY_TYPE_OBJECT) {
        write_flat(b, v);
      } else if (depth == EDDY__MAX_DEPTH) {
        b->too_deep = 1;
        break;
      } else {
        if (depth == cap) {
          size_t ncap = cap ? cap * 2 : 16;
          wframe *p = realloc(stack, ncap * sizeof(*p));
          if (!p) {
            b->failed = 1;
            break;
          }
          stack = p;
          cap = ncap;
        }
        stack[depth++] = (wframe){v, 0, 1};
        put(b, v->type == EDDY_TYPE_ARRAY ? "[" : "{", 1);
      }
      v = NULL;
    }
    if (b->failed || !depth) break;
    wframe *f = &stack[depth - 1];
    const eddy_value *list = f->v;
    if (list->type == EDDY_TYPE_OBJECT)
      while (f->i < list->u.list.len && skipped(list->u.list.items[f->i])) f->i++;
    if (f->i == list->u.list.len) {
      put(b, list->type == EDDY_TYPE_ARRAY ? "]" : "}", 1);
      depth--;
      continue;
    }
    size_t i = f->i++;
    if (!f->first) put(b, ",", 1);
    f->first = 0;
    if (list->type == EDDY_TYPE_OBJECT) {
      put_string(b, list->u.list.keys[i], list->u.list.key_lens[i]);
      put(b, ":", 1);
    }
    v = list->u.list.items[i];
  }
  free(stack);
}

int eddy_value_to_json(const eddy_value *v, char **out, size_t *out_len) {
  if (!out) return EDDY_EINVAL;
  *out = NULL;
  sbuf b = {0};
  if (v) write_json(&b, v);
  else put_c(&b, "null");
  if (b.failed || b.too_deep) {
    free(b.buf);
    return b.too_deep || b.too_long ? EDDY_ERANGE : EDDY_ENOMEM;
  }
  *out = b.buf;
  if (out_len) *out_len = b.len;
  return 0;
}

/* ---- parser ---- */

typedef struct {
  const char *s;
  size_t len, pos;
} parser;

static void ws(parser *p) {
  while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
                             p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
    p->pos++;
}

static int hex4(parser *p, unsigned *out) {
  if (p->pos + 4 > p->len) return -1;
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    char c = p->s[p->pos++];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
    else return -1;
  }
  *out = v;
  return 0;
}

static void put_utf8(sbuf *b, unsigned cp) {
  char t[4];
  size_t n;
  if (cp < 0x80) { t[0] = (char)cp; n = 1; }
  else if (cp < 0x800) { t[0] = (char)(0xC0 | (cp >> 6)); t[1] = (char)(0x80 | (cp & 0x3F)); n = 2; }
  else if (cp < 0x10000) {
    t[0] = (char)(0xE0 | (cp >> 12)); t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    t[2] = (char)(0x80 | (cp & 0x3F)); n = 3;
  } else {
    t[0] = (char)(0xF0 | (cp >> 18)); t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    t[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); t[3] = (char)(0x80 | (cp & 0x3F)); n = 4;
  }
  put(b, t, n);
}

static int parse_string(parser *p, sbuf *b) {
  p->pos++; /* opening quote */
  size_t start = p->pos;
  for (;;) {
    if (p->pos >= p->len) return -1;
    unsigned char c = (unsigned char)p->s[p->pos];
    if (c == '"') {
      put(b, p->s + start, p->pos - start);
      p->pos++;
      if (!b->buf) put(b, "", 0);
      return b->failed ? -1 : 0;
    }
    if (c < 0x20) return -1;
    if (c != '\\') {
      p->pos++;
      continue;
    }
    put(b, p->s + start, p->pos - start);
    p->pos++;
    if (p->pos >= p->len) return -1;
    char esc = p->s[p->pos++];
    unsigned cp;
    switch (esc) {
      case '"': put_c(b, "\""); break;
      case '\\': put_c(b, "\\"); break;
      case '/': put_c(b, "/"); break;
      case 'b': put_c(b, "\b"); break;
      case 'f': put_c(b, "\f"); break;
      case 'n': put_c(b, "\n"); break;
      case 'r': put_c(b, "\r"); break;
      case 't': put_c(b, "\t"); break;
      case 'u':
        if (hex4(p, &cp)) return -1;
        if (cp >= 0xD800 && cp < 0xDC00 && p->pos + 6 <= p->len && p->s[p->pos] == '\\' &&
            p->s[p->pos + 1] == 'u') {
          size_t save = p->pos;
          unsigned lo;
          p->pos += 2;
          if (hex4(p, &lo) == 0 && lo >= 0xDC00 && lo < 0xE000)
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          else p->pos = save;
        }
        if (cp >= 0xD800 && cp < 0xE000) cp = 0xFFFD; /* lone surrogate */
        put_utf8(b, cp);
        break;
      default: return -1;
    }
    start = p->pos;
  }
}

static int parse_number(parser *p, eddy_value **out) {
  size_t start = p->pos;
  if (p->s[p->pos] == '-') p->pos++;
  if (p->pos >= p->len) return -1;
  if (p->s[p->pos] == '0') p->pos++;
  else if (p->s[p->pos] >= '1' && p->s[p->pos] <= '9')
    while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9') p->pos++;
  else return -1;
  if (p->pos < p->len && p->s[p->pos] == '.') {
    p->pos++;
    size_t d = p->pos;
    while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9') p->pos++;
    if (d == p->pos) return -1;
  }
  if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
    p->pos++;
    if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-')) p->pos++;
    size_t d = p->pos;
    while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9') p->pos++;
    if (d == p->pos) return -1;
  }
  char tmp[64];
  size_t n = p->pos - start;
  char *heap = n < sizeof tmp ? NULL : malloc(n + 1);
  char *buf = heap ? heap : tmp;
  if (n >= sizeof tmp && !heap) return EDDY_ENOMEM;
  memcpy(buf, p->s + start, n);
  buf[n] = '\0';
  *out = eddy_value_new_number(strtod(buf, NULL));
  free(heap);
  return *out ? 0 : EDDY_ENOMEM;
}

static int literal(parser *p, const char *word) {
  size_t n = strlen(word);
  if (p->pos + n > p->len || memcmp(p->s + p->pos, word, n)) return -1;
  p->pos += n;
  return 0;
}

/* A value that is not an array or an object, at p->pos (not whitespace). -1: bad JSON. */
static int parse_scalar(parser *p, eddy_value **out) {
  int r;
  char c = p->s[p->pos];
  if (c == '"') {
    sbuf s = {0};
    r = parse_string(p, &s);
    if (r == 0) {
      *out = eddy_value_new_string(s.buf, s.len);
      if (!*out) r = EDDY_ENOMEM;
    }
    free(s.buf);
  } else if (c == 't') {
    r = literal(p, "true");
    if (!r && !(*out = eddy_value_new_bool(1))) r = EDDY_ENOMEM;
  } else if (c == 'f') {
    r = literal(p, "false");
    if (!r && !(*out = eddy_value_new_bool(0))) r = EDDY_ENOMEM;
  } else if (c == 'n') {
    r = literal(p, "null");
    if (!r && !(*out = eddy_value_new_null())) r = EDDY_ENOMEM;
  } else if (c == '-' || (c >= '0' && c <= '9')) {
    r = parse_number(p, out);
  } else {
    r = -1;
  }
  return r;
}

typedef struct {
  eddy_value *list; /* the array or object being filled (owned by its parent, or the root) */
  sbuf key;         /* an object's key whose value comes next */
  uint32_t *index;  /* a large object's keys: hash slots holding key position + 1 */
  size_t index_cap;
} pframe;

#define INDEX_FROM 16 /* keys before an object gets a hash index (smaller ones scan) */

static size_t key_hash(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return (size_t)(h ^ (h >> 32));
}

/* The slot of key in f's index: its entry, or the empty slot where it goes. */
static size_t index_slot(const pframe *f, const char *key, size_t len) {
  const eddy_value *o = f->list;
  size_t mask = f->index_cap - 1, i = key_hash(key, len) & mask;
  for (;; i = (i + 1) & mask) {
    uint32_t at = f->index[i];
    if (!at) return i;
    if (o->u.list.key_lens[at - 1] == len && !memcmp(o->u.list.keys[at - 1], key, len)) return i;
  }
}

static int index_build(pframe *f, size_t cap) {
  uint32_t *idx = calloc(cap, sizeof(*idx));
  if (!idx) return EDDY_ENOMEM;
  free(f->index);
  f->index = idx;
  f->index_cap = cap;
  const eddy_value *o = f->list;
  for (size_t k = 0; k < o->u.list.len; k++)
    f->index[index_slot(f, o->u.list.keys[k], o->u.list.key_lens[k])] = (uint32_t)(k + 1);
  return 0;
}

/* Sets the frame's key to v in its object: a duplicate key keeps its first position and takes
   the last value. Linear for small objects, hashed for large ones (a JSON object of a million
   keys must not cost a million scans). */
static int object_put(pframe *f, eddy_value *v) {
  eddy_value *o = f->list;
  const char *key = f->key.buf;
  size_t len = f->key.len;
  if (!f->index && o->u.list.len < INDEX_FROM) return eddy__value_set_n(o, key, len, v);
  if (o->u.list.len >= UINT32_MAX - 1) {
    eddy_value_free(v);
    return EDDY_ENOMEM;
  }
  if ((!f->index || (o->u.list.len + 1) * 2 > f->index_cap) &&
      index_build(f, f->index_cap ? f->index_cap * 2 : 64)) {
    eddy_value_free(v);
    return EDDY_ENOMEM;
  }
  size_t slot = index_slot(f, key, len);
  if (f->index[slot]) {
    size_t at = f->index[slot] - 1;
    eddy_value_free(o->u.list.items[at]);
    o->u.list.items[at] = v;
    return 0;
  }
  int r = eddy__value_append_n(o, key, len, v);
  if (!r) f->index[slot] = (uint32_t)o->u.list.len;
  return r;
}

/* Iterative: each array or object is attached to its parent as soon as it opens, so on error
   freeing the root frees everything. Returns 0, -1 (bad JSON), EDDY_ENOMEM or EDDY_ERANGE. */
/* A key with invalid UTF-8 gets U+FFFD, as string values do (eddy_value_new_string): before the
   object's duplicate check, so that keys equal once decoded are one key. */
static int valid_key(sbuf *key) {
  char *clean;
  size_t len;
  if (eddy__utf8_sanitize(key->buf, key->len, &clean, &len)) return EDDY_ENOMEM;
  free(key->buf);
  key->buf = clean;
  key->len = len;
  key->cap = len + 1;
  return 0;
}

static int parse_json(parser *p, eddy_value **out) {
  pframe *stack = NULL;
  size_t depth = 0, cap = 0;
  eddy_value *root = NULL;
  int r = 0;
  enum { VALUE, KEY, AFTER } state = VALUE;
  for (;;) {
    ws(p);
    if (state == KEY) {
      pframe *f = &stack[depth - 1];
      free(f->key.buf);
      memset(&f->key, 0, sizeof f->key);
      if (p->pos >= p->len || p->s[p->pos] != '"') { r = -1; break; }
      if ((r = parse_string(p, &f->key)) || (r = valid_key(&f->key))) break;
      ws(p);
      if (p->pos >= p->len || p->s[p->pos] != ':') { r = -1; break; }
      p->pos++;
      state = VALUE;
      continue;
    }
    if (state == AFTER) {
      if (!depth) break;
      pframe *f = &stack[depth - 1];
      char close = f->list->type == EDDY_TYPE_ARRAY ? ']' : '}';
      if (p->pos < p->len && p->s[p->pos] == ',') {
        p->pos++;
        state = f->list->type == EDDY_TYPE_ARRAY ? VALUE : KEY;
      } else if (p->pos < p->len && p->s[p->pos] == close) {
        p->pos++;
        free(f->key.buf);
        free(f->index);
        depth--;
      } else {
        r = -1;
        break;
      }
      continue;
    }
    /* VALUE */
    if (p->pos >= p->len) { r = -1; break; }
    char c = p->s[p->pos];
    eddy_value *v = NULL;
    int opens = c == '[' || c == '{';
    if (opens) {
      if (depth == EDDY__MAX_DEPTH) { r = EDDY_ERANGE; break; }
      v = c == '[' ? eddy_value_new_array() : eddy_value_new_object();
      if (!v) { r = EDDY_ENOMEM; break; }
    } else if ((r = parse_scalar(p, &v))) {
      break;
    }
    if (!depth) {
      root = v;
    } else {
      pframe *f = &stack[depth - 1];
      r = f->list->type == EDDY_TYPE_ARRAY ? eddy_value_push(f->list, v) : object_put(f, v);
      if (r) break;
    }
    state = AFTER;
    if (!opens) continue;
    p->pos++;
    if (depth == cap) {
      size_t ncap = cap ? cap * 2 : 16;
      pframe *np = realloc(stack, ncap * sizeof(*np));
      if (!np) { r = EDDY_ENOMEM; break; }
      stack = np;
      cap = ncap;
    }
    memset(&stack[depth], 0, sizeof stack[depth]);
    stack[depth++].list = v;
    ws(p);
    if (p->pos < p->len && p->s[p->pos] == (c == '[' ? ']' : '}')) {
      p->pos++;
      depth--; /* empty: no key, no index yet */
    } else {
      state = c == '[' ? VALUE : KEY;
    }
  }
  for (size_t i = 0; i < depth; i++) {
    free(stack[i].key.buf);
    free(stack[i].index);
  }
  free(stack);
  if (r) {
    eddy_value_free(root);
    return r;
  }
  *out = root;
  return 0;
}

int eddy_value_from_json(const char *json, size_t len, eddy_value **out, size_t *error_offset) {
  if (!out || (!json && len)) return EDDY_EINVAL;
  *out = NULL;
  parser p = {json ? json : "", len, 0};
  eddy_value *v = NULL;
  int r = parse_json(&p, &v);
  if (r == 0) {
    ws(&p);
    if (p.pos != p.len) {
      eddy_value_free(v);
      r = -1;
    }
  }
  if (r) {
    if (error_offset) *error_offset = p.pos;
    return r == EDDY_ENOMEM || r == EDDY_ERANGE ? r : EDDY_EINVAL;
  }
  *out = v;
  return 0;
}
