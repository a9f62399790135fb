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
  int failed;    /* out of memory */
  int too_deep;
} sbuf;

static void put(sbuf *b, const char *s, size_t n) {
  if (b->failed) return;
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

static void write_value(sbuf *b, const eddy_value *v, int depth) {
  if (depth > 1000) {
    b->too_deep = 1;
    return;
  }
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
      if (!isfinite(v->u.number)) {
        put_c(b, "null");
        break;
      }
      time_t secs = (time_t)floor(v->u.number / 1000);
      int ms = (int)(v->u.number - (double)secs * 1000);
      struct tm tm;
      gmtime_r(&secs, &tm);
      snprintf(tmp, sizeof tmp, "\"%04d-%02d-%02dT%02d:%02d:%02d.%03dZ\"", tm.tm_year + 1900,
               tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
      put_c(b, tmp);
      break;
    }
    case EDDY_TYPE_BYTES:
      put(b, "[", 1);
      for (size_t i = 0; i < v->u.bytes.len; i++) {
        snprintf(tmp, sizeof tmp, i ? ",%u" : "%u", v->u.bytes.ptr[i]);
        put_c(b, tmp);
      }
      put(b, "]", 1);
      break;
    case EDDY_TYPE_ARRAY:
      put(b, "[", 1);
      for (size_t i = 0; i < v->u.list.len; i++) {
        if (i) put(b, ",", 1);
        write_value(b, v->u.list.items[i], depth + 1);
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
    case EDDY_TYPE_OBJECT: {
      put(b, "{", 1);
      int first = 1;
      for (size_t i = 0; i < v->u.list.len; i++) {
        if (skipped(v->u.list.items[i])) continue;
        if (!first) put(b, ",", 1);
        first = 0;
        put_string(b, v->u.list.keys[i], v->u.list.key_lens[i]);
        put(b, ":", 1);
        write_value(b, v->u.list.items[i], depth + 1);
      }
      put(b, "}", 1);
      break;
    }
  }
}

int eddy_value_to_json(const eddy_value *v, char **out, size_t *out_len) {
  if (!out) return EDDY_EINVAL;
  *out = NULL;
  sbuf b = {0};
  if (v) write_value(&b, v, 0);
  else put_c(&b, "null");
  if (b.failed || b.too_deep) {
    free(b.buf);
    return b.too_deep ? EDDY_EINVAL : EDDY_ENOMEM;
  }
  *out = b.buf;
  if (out_len) *out_len = b.len;
  return 0;
}

/* ---- parser ---- */

typedef struct {
  const char *s;
  size_t len, pos;
  int depth;
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

static int parse_value(parser *p, eddy_value **out);

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

static int parse_value(parser *p, eddy_value **out) {
  ws(p);
  if (p->pos >= p->len || ++p->depth > 1000) return -1;
  int r = 0;
  char c = p->s[p->pos];
  if (c == '{') {
    eddy_value *obj = eddy_value_new_object();
    if (!obj) return EDDY_ENOMEM;
    p->pos++;
    ws(p);
    if (p->pos < p->len && p->s[p->pos] == '}') p->pos++;
    else
      for (;;) {
        ws(p);
        if (p->pos >= p->len || p->s[p->pos] != '"') { r = -1; break; }
        sbuf key = {0};
        eddy_value *item = NULL;
        if ((r = parse_string(p, &key)) == 0) {
          ws(p);
          if (p->pos < p->len && p->s[p->pos] == ':') {
            p->pos++;
            r = parse_value(p, &item);
          } else r = -1;
        }
        if (r == 0) r = eddy__value_set_n(obj, key.buf, key.len, item);
        free(key.buf);
        if (r) break;
        ws(p);
        if (p->pos < p->len && p->s[p->pos] == ',') { p->pos++; continue; }
        if (p->pos < p->len && p->s[p->pos] == '}') { p->pos++; break; }
        r = -1;
        break;
      }
    if (r) eddy_value_free(obj);
    else *out = obj;
  } else if (c == '[') {
    eddy_value *arr = eddy_value_new_array();
    if (!arr) return EDDY_ENOMEM;
    p->pos++;
    ws(p);
    if (p->pos < p->len && p->s[p->pos] == ']') p->pos++;
    else
      for (;;) {
        eddy_value *item = NULL;
        if ((r = parse_value(p, &item)) || (r = eddy_value_push(arr, item))) break;
        ws(p);
        if (p->pos < p->len && p->s[p->pos] == ',') { p->pos++; continue; }
        if (p->pos < p->len && p->s[p->pos] == ']') { p->pos++; break; }
        r = -1;
        break;
      }
    if (r) eddy_value_free(arr);
    else *out = arr;
  } else if (c == '"') {
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
  p->depth--;
  return r;
}

int eddy_value_from_json(const char *json, size_t len, eddy_value **out, size_t *error_offset) {
  if (!out || (!json && len)) return EDDY_EINVAL;
  *out = NULL;
  parser p = {json ? json : "", len, 0, 0};
  eddy_value *v = NULL;
  int r = parse_value(&p, &v);
  if (r == 0) {
    ws(&p);
    if (p.pos != p.len) {
      eddy_value_free(v);
      r = -1;
    }
  }
  if (r) {
    if (error_offset) *error_offset = p.pos;
    return r == EDDY_ENOMEM ? EDDY_ENOMEM : EDDY_EINVAL;
  }
  *out = v;
  return 0;
}
