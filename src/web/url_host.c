/* The URL Standard's hosts (section 3): the host parser, IPv4 and IPv6 parsers and serializers,
   opaque hosts, and domain to ASCII through ICU's UTS #46 implementation. ICU and not libidn2:
   ICU implements UTS #46 itself (its mapping table, Bidi and ContextJ rules, non-transitional
   processing), which is what the URL standard names, while libidn2 validates against IDNA2008's
   stricter code point rules (it rejects symbols UTS #46 allows); JavaScriptCore already loads
   ICU, so it costs no new library at run time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uidna.h>
#include <unicode/utf16.h>
#include <uv.h>

#include "../utf.h"
#include "url.h"

/* ---- byte strings ------------------------------------------------------------------------ */

int eddy__ubuf_grow(eddy__ubuf *b, size_t more) {
  if (b->oom) return -1;
  if (b->len + more + 1 <= b->cap) return 0;
  size_t cap = b->cap ? b->cap * 2 : 32;
  while (cap < b->len + more + 1) cap *= 2;
  char *p = realloc(b->p, cap);
  if (!p) {
    b->oom = 1;
    return -1;
  }
  b->p = p;
  b->cap = cap;
  return 0;
}

int eddy__ubuf_put(eddy__ubuf *b, const char *s, size_t n) {
  if (n == 0) return b->oom ? -1 : 0; /* an empty component allocates nothing */
  if (eddy__ubuf_grow(b, n)) return -1;
  memcpy(b->p + b->len, s, n);
  b->len += n;
  return 0;
}

void eddy__ubuf_free(eddy__ubuf *b) {
  free(b->p);
  memset(b, 0, sizeof(*b));
}

/* ---- code point classes (sections 3.1 and 4.1) --------------------------------------------- */

static int forbidden_host_cp(uint32_t c) {
  switch (c) {
  case 0x00: case 0x09: case 0x0A: case 0x0D: case ' ': case '#': case '/': case ':':
  case '<': case '>': case '?': case '@': case '[': case '\\': case ']': case '^': case '|':
    return 1;
  default:
    return 0;
  }
}

static int forbidden_domain_cp(uint32_t c) {
  return forbidden_host_cp(c) || c <= 0x1F || c == '%' || c == 0x7F;
}

static int is_hex(uint32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static unsigned hex_val(uint32_t c) {
  return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* ---- IPv4 (3.5) ---------------------------------------------------------------------------- */

/* The IPv4 number parser on ASCII [s, s+n). Returns 0 and *out (saturated past 2^32), or -1. */
static int ipv4_number(const char *s, size_t n, uint64_t *out) {
  if (n == 0) return -1;
  unsigned radix = 10;
  if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s += 2;
    n -= 2;
    radix = 16;
  } else if (n >= 2 && s[0] == '0') {
    s++;
    n--;
    radix = 8;
  }
  uint64_t v = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned d;
    char c = s[i];
    if (radix == 16 && is_hex((unsigned char)c)) d = hex_val((unsigned char)c);
    else if (c >= '0' && c <= (radix == 8 ? '7' : '9')) d = (unsigned)(c - '0');
    else return -1;
    v = v * radix + d;
    if (v > 0xFFFFFFFFull) v = 0x100000000ull; /* too big either way; stop growing */
  }
  *out = v;
  return 0;
}

/* "ends in a number" on the ASCII domain. */
static int ends_in_number(const char *s, size_t n) {
  if (n > 0 && s[n - 1] == '.') {
    if (n == 1) return 0;
    n--;
  }
  size_t start = n;
  while (start > 0 && s[start - 1] != '.') start--;
  const char *last = s + start;
  size_t ln = n - start;
  if (ln == 0) return 0;
  size_t i = 0;
  while (i < ln && last[i] >= '0' && last[i] <= '9') i++;
  if (i == ln) return 1;
  uint64_t ignored;
  return ipv4_number(last, ln, &ignored) == 0;
}

static int ipv4_parse(const char *s, size_t n, uint32_t *out) {
  uint64_t numbers[4];
  size_t count = 0;
  if (n > 0 && s[n - 1] == '.') n--; /* one trailing dot is allowed (a validation error) */
  size_t i = 0;
  for (;;) {
    size_t j = i;
    while (j < n && s[j] != '.') j++;
    if (count == 4) return -1;
    if (ipv4_number(s + i, j - i, &numbers[count])) return -1;
    count++;
    if (j >= n) break;
    i = j + 1;
  }
  for (size_t k = 0; k + 1 < count; k++)
    if (numbers[k] > 255) return -1;
  uint64_t last = numbers[count - 1];
  if (last >= (1ull << (8 * (5 - count)))) return -1;
  uint64_t v = last;
  for (size_t k = 0; k + 1 < count; k++) v += numbers[k] << (8 * (3 - k));
  *out = (uint32_t)v;
  return 0;
}

static int ipv4_serialize(uint32_t a, eddy__ubuf *out) {
  char tmp[16];
  int n = snprintf(tmp, sizeof(tmp), "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255,
                   a & 255);
  return eddy__ubuf_put(out, tmp, (size_t)n);
}

/* ---- IPv6 (3.5) ---------------------------------------------------------------------------- */

static int ipv6_parse(const uint32_t *in, size_t n, uint16_t address[8]) {
  memset(address, 0, 8 * sizeof(uint16_t));
  int piece = 0, compress = -1;
  size_t p = 0;
#define C (p < n ? in[p] : (uint32_t)-1)
  if (C == ':') {
    if (p + 1 >= n || in[p + 1] != ':') return -1;
    p += 2;
    piece++;
    compress = piece;
  }
  while (p < n) {
    if (piece == 8) return -1;
    if (C == ':') {
      if (compress != -1) return -1;
      p++;
      piece++;
      compress = piece;
      continue;
    }
    unsigned value = 0, length = 0;
    while (length < 4 && p < n && is_hex(C)) {
      value = value * 16 + hex_val(C);
      p++;
      length++;
    }
    if (C == '.') {
      if (length == 0) return -1;
      p -= length;
      if (piece > 6) return -1;
      int seen = 0;
      while (p < n) {
        int v4 = -1;
        if (seen > 0) {
          if (C == '.' && seen < 4) p++;
          else return -1;
        }
        if (!(C >= '0' && C <= '9')) return -1;
        while (p < n && C >= '0' && C <= '9') {
          int d = (int)(C - '0');
          if (v4 == -1) v4 = d;
          else if (v4 == 0) return -1;
          else v4 = v4 * 10 + d;
          if (v4 > 255) return -1;
          p++;
        }
        address[piece] = (uint16_t)(address[piece] * 0x100 + v4);
        seen++;
        if (seen == 2 || seen == 4) piece++;
      }
      if (seen != 4) return -1;
      break;
    } else if (C == ':') {
      p++;
      if (p >= n) return -1;
    } else if (p < n) {
      return -1;
    }
    address[piece] = (uint16_t)value;
    piece++;
  }
#undef C
  if (compress != -1) {
    int swaps = piece - compress;
    piece = 7;
    while (piece != 0 && swaps > 0) {
      uint16_t t = address[piece];
      address[piece] = address[compress + swaps - 1];
      address[compress + swaps - 1] = t;
      piece--;
      swaps--;
    }
  } else if (piece != 8) {
    return -1;
  }
  return 0;
}

static int ipv6_serialize(const uint16_t a[8], eddy__ubuf *out) {
  /* The first longest run of two or more zero pieces is compressed. */
  int best = -1, best_len = 1;
  for (int i = 0; i < 8;) {
    if (a[i] != 0) {
      i++;
      continue;
    }
    int j = i;
    while (j < 8 && a[j] == 0) j++;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  char tmp[48];
  size_t n = 0;
  tmp[n++] = '[';
  int ignore0 = 0;
  for (int i = 0; i < 8; i++) {
    if (ignore0 && a[i] == 0) continue;
    ignore0 = 0;
    if (i == best) {
      tmp[n++] = ':';
      if (i == 0) tmp[n++] = ':';
      ignore0 = 1;
      continue;
    }
    n += (size_t)snprintf(tmp + n, sizeof(tmp) - n, "%x", a[i]);
    if (i != 7) tmp[n++] = ':';
  }
  tmp[n++] = ']';
  return eddy__ubuf_put(out, tmp, n);
}

/* ---- domain to ASCII (3.3) ----------------------------------------------------------------- */

static UIDNA *uts46;
static uv_once_t uts46_once = UV_ONCE_INIT;

static void uts46_open(void) {
  UErrorCode err = U_ZERO_ERROR;
  /* CheckBidi, CheckJoiners, non-transitional; not UseSTD3ASCIIRules. ICU always checks
     hyphens and DNS lengths: those errors are masked below (CheckHyphens=false,
     VerifyDnsLength=false). The instance is immutable and may be used from any thread. */
  uts46 = uidna_openUTS46(UIDNA_CHECK_BIDI | UIDNA_CHECK_CONTEXTJ |
                              UIDNA_NONTRANSITIONAL_TO_ASCII | UIDNA_NONTRANSITIONAL_TO_UNICODE,
                          &err);
  if (U_FAILURE(err)) uts46 = NULL;
}

#define IGNORED_IDNA_ERRORS                                                                     \
  (UIDNA_ERROR_EMPTY_LABEL | UIDNA_ERROR_LABEL_TOO_LONG | UIDNA_ERROR_DOMAIN_NAME_TOO_LONG |   \
   UIDNA_ERROR_LEADING_HYPHEN | UIDNA_ERROR_TRAILING_HYPHEN | UIDNA_ERROR_HYPHEN_3_4)

/* RFC 5893's Bidi Rule on one label of Unicode code units [s, s+n): 1 when it holds. */
static int bidi_rule_holds(const UChar *s, int32_t n) {
  int32_t i = 0;
  UChar32 c;
  U16_NEXT(s, i, n, c);
  UCharDirection first = u_charDirection(c);
  int rtl = first == U_RIGHT_TO_LEFT || first == U_RIGHT_TO_LEFT_ARABIC;
  if (!rtl && first != U_LEFT_TO_RIGHT) return 0; /* rule 1 */
  int en = 0, an = 0;
  UCharDirection last = first; /* the last character that is not NSM */
  for (i = 0; i < n;) {
    U16_NEXT(s, i, n, c);
    UCharDirection d = u_charDirection(c);
    switch (d) {
    case U_EUROPEAN_NUMBER: en = 1; break;
    case U_ARABIC_NUMBER: an = 1; break;
    case U_RIGHT_TO_LEFT: case U_RIGHT_TO_LEFT_ARABIC:
      if (!rtl) return 0; /* rule 5 */
      break;
    case U_LEFT_TO_RIGHT:
      if (rtl) return 0; /* rule 2 */
      break;
    case U_EUROPEAN_NUMBER_SEPARATOR: case U_COMMON_NUMBER_SEPARATOR:
    case U_EUROPEAN_NUMBER_TERMINATOR: case U_OTHER_NEUTRAL: case U_BOUNDARY_NEUTRAL:
    case U_DIR_NON_SPACING_MARK:
      break;
    default:
      return 0; /* rules 2 and 5 */
    }
    if (d == U_ARABIC_NUMBER && !rtl) return 0; /* rule 5 */
    if (d != U_DIR_NON_SPACING_MARK) last = d;
  }
  if (rtl) {
    if (en && an) return 0; /* rule 4 */
    return last == U_RIGHT_TO_LEFT || last == U_RIGHT_TO_LEFT_ARABIC ||
           last == U_EUROPEAN_NUMBER || last == U_ARABIC_NUMBER; /* rule 3 */
  }
  return last == U_LEFT_TO_RIGHT || last == U_EUROPEAN_NUMBER; /* rule 6 */
}

/* ICU applies the Bidi Rule to every label of a domain that has an RTL label, so that "1.\u064A"
   fails on its label "1". The URL standard's tests (WPT url/resources/toascii.json) expect it to
   succeed, as IDNA2008 has it (RFC 5891 4.2.3.4: the rule is for labels that contain RTL
   characters) and as Node, Deno and Bun do. This decides a domain ICU failed only for Bidi:
   ascii is its ToASCII result; its Unicode form's RTL labels (an R, AL or AN character) must
   each satisfy the rule. */
static int rtl_labels_satisfy_bidi(const UChar *ascii, int32_t n) {
  UChar stack[256];
  UChar *u = stack;
  int32_t cap = (int32_t)(sizeof(stack) / sizeof(stack[0]));
  for (;;) {
    UErrorCode err = U_ZERO_ERROR;
    UIDNAInfo info = UIDNA_INFO_INITIALIZER;
    int32_t len = uidna_nameToUnicode(uts46, ascii, n, u, cap, &info, &err);
    if (err == U_BUFFER_OVERFLOW_ERROR && u == stack) {
      cap = len + 1;
      u = malloc((size_t)cap * sizeof(UChar));
      if (!u) return 0;
      continue;
    }
    int ok = U_SUCCESS(err) && (info.errors & ~(IGNORED_IDNA_ERRORS | UIDNA_ERROR_BIDI)) == 0;
    for (int32_t start = 0; ok && start < len;) {
      int32_t end = start;
      while (end < len && u[end] != '.') end++;
      int has_rtl = 0;
      for (int32_t i = start; i < end && !has_rtl;) {
        UChar32 c;
        U16_NEXT(u, i, end, c);
        UCharDirection d = u_charDirection(c);
        has_rtl = d == U_RIGHT_TO_LEFT || d == U_RIGHT_TO_LEFT_ARABIC || d == U_ARABIC_NUMBER;
      }
      if (has_rtl && !bidi_rule_holds(u + start, end - start)) ok = 0;
      start = end + 1;
    }
    if (u != stack) free(u);
    return ok;
  }
}

static int starts_xn(const uint16_t *s, size_t n) {
  return n >= 4 && (s[0] | 0x20) == 'x' && (s[1] | 0x20) == 'n' && s[2] == '-' && s[3] == '-';
}

int eddy__url_domain_to_ascii(const uint16_t *d, size_t n, eddy__ubuf *out) {
  /* The standard's fast path: an ASCII domain none of whose labels starts with "xn--" only
     needs lower-casing. */
  int ascii = 1, xn = 0;
  for (size_t i = 0; i < n; i++) {
    if (d[i] >= 0x80) {
      ascii = 0;
      break;
    }
    if ((i == 0 || d[i - 1] == '.') && starts_xn(d + i, n - i)) xn = 1;
  }
  if (ascii && !xn) {
    size_t start = out->len;
    for (size_t i = 0; i < n; i++) {
      char c = (char)d[i];
      if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
      if (eddy__ubuf_putc(out, c)) return EDDY__URL_NOMEM;
    }
    return out->len == start ? EDDY__URL_FAILURE : EDDY__URL_OK;
  }
  uv_once(&uts46_once, uts46_open);
  if (!uts46 || n > INT32_MAX / 4) return EDDY__URL_FAILURE;
  UChar stack[256];
  UChar *dest = stack;
  int32_t cap = (int32_t)(sizeof(stack) / sizeof(stack[0]));
  for (;;) {
    UErrorCode err = U_ZERO_ERROR;
    UIDNAInfo info = UIDNA_INFO_INITIALIZER;
    int32_t len = uidna_nameToASCII(uts46, (const UChar *)d, (int32_t)n, dest, cap, &info, &err);
    if (err == U_BUFFER_OVERFLOW_ERROR && dest == stack) {
      cap = len + 1;
      dest = malloc((size_t)cap * sizeof(UChar));
      if (!dest) return EDDY__URL_NOMEM;
      continue;
    }
    int st = EDDY__URL_OK;
    uint32_t errors = info.errors & ~IGNORED_IDNA_ERRORS;
    if (U_FAILURE(err) || len == 0 ||
        (errors != 0 && (errors != UIDNA_ERROR_BIDI || !rtl_labels_satisfy_bidi(dest, len)))) {
      st = EDDY__URL_FAILURE;
    } else {
      for (int32_t i = 0; i < len && st == EDDY__URL_OK; i++) {
        if (dest[i] >= 0x80) st = EDDY__URL_FAILURE;
        else if (eddy__ubuf_putc(out, (char)dest[i])) st = EDDY__URL_NOMEM;
      }
    }
    if (dest != stack) free(dest);
    return st;
  }
}

/* ---- the host parser (3.5) ----------------------------------------------------------------- */

static int opaque_host_parse(const uint32_t *in, size_t n, eddy__ubuf *out) {
  for (size_t i = 0; i < n; i++)
    if (forbidden_host_cp(in[i])) return EDDY__URL_FAILURE;
  for (size_t i = 0; i < n; i++) eddy__url_percent_encode(out, in[i], EDDY__PE_C0);
  return out->oom ? EDDY__URL_NOMEM : EDDY__URL_OK;
}

static size_t utf8_put(uint8_t *dst, uint32_t c) {
  if (c < 0x80) {
    dst[0] = (uint8_t)c;
    return 1;
  }
  if (c < 0x800) {
    dst[0] = (uint8_t)(0xC0 | (c >> 6));
    dst[1] = (uint8_t)(0x80 | (c & 63));
    return 2;
  }
  if (c < 0x10000) {
    dst[0] = (uint8_t)(0xE0 | (c >> 12));
    dst[1] = (uint8_t)(0x80 | ((c >> 6) & 63));
    dst[2] = (uint8_t)(0x80 | (c & 63));
    return 3;
  }
  dst[0] = (uint8_t)(0xF0 | (c >> 18));
  dst[1] = (uint8_t)(0x80 | ((c >> 12) & 63));
  dst[2] = (uint8_t)(0x80 | ((c >> 6) & 63));
  dst[3] = (uint8_t)(0x80 | (c & 63));
  return 4;
}

int eddy__url_host_parse(const uint32_t *in, size_t n, int is_opaque, eddy__ubuf *out) {
  if (n > 0 && in[0] == '[') {
    if (in[n - 1] != ']') return EDDY__URL_FAILURE;
    uint16_t a[8];
    if (ipv6_parse(in + 1, n - 2, a)) return EDDY__URL_FAILURE;
    return ipv6_serialize(a, out) ? EDDY__URL_NOMEM : EDDY__URL_OK;
  }
  if (is_opaque) return opaque_host_parse(in, n, out);
  /* domain = UTF-8 decode without BOM of the percent-decoding of input's UTF-8. */
  int ascii = 1, pct = 0;
  for (size_t i = 0; i < n; i++) {
    if (in[i] >= 0x80) ascii = 0;
    if (in[i] == '%') pct = 1;
  }
  uint16_t stack[256];
  uint16_t *domain = stack;
  size_t dn = 0;
  uint16_t *heap16 = NULL;
  if (ascii && !pct) {
    if (n > sizeof(stack) / sizeof(stack[0])) {
      heap16 = malloc(n * sizeof(uint16_t));
      if (!heap16) return EDDY__URL_NOMEM;
      domain = heap16;
    }
    for (size_t i = 0; i < n; i++) domain[i] = (uint16_t)in[i];
    dn = n;
  } else {
    uint8_t *bytes = malloc(n * 4 + 1);
    if (!bytes) return EDDY__URL_NOMEM;
    size_t bn = 0;
    for (size_t i = 0; i < n; i++) {
      if (in[i] == '%' && i + 2 < n && is_hex(in[i + 1]) && is_hex(in[i + 2])) {
        bytes[bn++] = (uint8_t)(hex_val(in[i + 1]) << 4 | hex_val(in[i + 2]));
        i += 2;
      } else {
        bn += utf8_put(bytes + bn, in[i]);
      }
    }
    /* A leading UTF-8 BOM is decoded as U+FEFF, not dropped ("without BOM"). */
    int st = eddy__utf8_to_utf16(bytes, bn, 0, &heap16, &dn);
    free(bytes);
    if (st) return EDDY__URL_NOMEM;
    domain = heap16;
  }
  size_t start = out->len;
  int st = eddy__url_domain_to_ascii(domain, dn, out);
  free(heap16);
  if (st) return st;
  const char *a = out->p + start;
  size_t an = out->len - start;
  for (size_t i = 0; i < an; i++)
    if (forbidden_domain_cp((unsigned char)a[i])) return EDDY__URL_FAILURE;
  if (ends_in_number(a, an)) {
    uint32_t v4;
    if (ipv4_parse(a, an, &v4)) return EDDY__URL_FAILURE;
    out->len = start;
    return ipv4_serialize(v4, out) ? EDDY__URL_NOMEM : EDDY__URL_OK;
  }
  return EDDY__URL_OK;
}
