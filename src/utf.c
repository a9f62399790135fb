/* UTF-8 <-> UTF-16 conversion with the WHATWG Encoding Standard's error handling: each maximal
   invalid subpart becomes one U+FFFD, and lone surrogates never leave JS as invalid UTF-8.
   Pure C (utf.h); jsstring.c makes JSC strings from it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eddy.h"
#include "utf.h"

/* The sequence starting at s[i] (s[i] >= 0x80): its code point, or -1 for a maximal invalid
   subpart; *n is the number of bytes either takes. */
static inline int32_t next_cp(const uint8_t *s, size_t len, size_t i, size_t *n) {
  uint8_t c = s[i];
  uint32_t cp;
  size_t need;
  uint8_t lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    cp = c & 0x0F;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    cp = c & 0x07;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    *n = 1;
    return -1;
  }
  size_t j = 1;
  for (; j <= need; j++) {
    if (i + j >= len) break;
    uint8_t b = s[i + j];
    if (b < lo || b > hi) break;
    lo = 0x80;
    hi = 0xBF;
    cp = (cp << 6) | (b & 0x3F);
  }
  *n = j;
  return j <= need ? -1 : (int32_t)cp;
}

/* The length of the ASCII prefix of s (up to len), mostly eight aligned bytes at a time. */
static size_t ascii_run(const uint8_t *s, size_t len) {
  size_t i = 0;
  while (i < len && ((uintptr_t)(s + i) & 7) && s[i] < 0x80) i++;
  if (i < len && ((uintptr_t)(s + i) & 7) == 0) {
    while (len - i >= 8) {
      uint64_t w;
      memcpy(&w, s + i, 8); /* aligned: one load */
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
  }
  while (i < len && s[i] < 0x80) i++;
  return i;
}

int eddy__utf8_to_utf16(const uint8_t *s, size_t len, int fatal, uint16_t **out, size_t *out_len) {
  /* UTF-16 never needs more code units than UTF-8 has bytes. */
  if (len > SIZE_MAX / sizeof(uint16_t)) return EDDY_ENOMEM;
  uint16_t *d = malloc((len ? len : 1) * sizeof(uint16_t));
  if (!d) return EDDY_ENOMEM;
  size_t i = 0, n = 0;
  while (i < len) {
    uint8_t c = s[i];
    if (c < 0x80) {
      /* ASCII eight bytes at a time (what text mostly is), widened without a branch a byte. */
      while (len - i >= 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080ull) break;
        for (int k = 0; k < 8; k++) d[n + k] = s[i + k];
        i += 8;
        n += 8;
      }
      while (i < len && s[i] < 0x80) d[n++] = s[i++];
      continue;
    }
    size_t used;
    int32_t cp = next_cp(s, len, i, &used);
    i += used;
    if (cp < 0) {
      if (fatal) {
        free(d);
        return -1;
      }
      d[n++] = 0xFFFD;
    } else if (cp >= 0x10000) {
      cp -= 0x10000;
      d[n++] = (uint16_t)(0xD800 + (cp >> 10));
      d[n++] = (uint16_t)(0xDC00 + (cp & 0x3FF));
    } else {
      d[n++] = (uint16_t)cp;
    }
  }
  *out = d;
  *out_len = n;
  return 0;
}

size_t eddy__utf16_length_of_utf8(const uint8_t *s, size_t len) {
  size_t i = 0, n = 0;
  while (i < len) {
    /* ASCII a word at a time: the common case, and what a huge input mostly is. */
    size_t run = ascii_run(s + i, len - i);
    i += run;
    n += run;
    if (i >= len) break;
    if (s[i] < 0x80) {
      i++;
      n++;
      continue;
    }
    size_t used;
    int32_t cp = next_cp(s, len, i, &used);
    i += used;
    n += cp >= 0x10000 ? 2 : 1;
  }
  return n;
}

int eddy__utf8_sanitize(const char *str, size_t len, char **out, size_t *out_len) {
  const uint8_t *s = (const uint8_t *)str;
  /* First pass: the length of the result; each invalid subpart becomes U+FFFD (3 bytes). */
  size_t i = 0, n = 0;
  int valid = 1;
  while (i < len) {
    size_t run = ascii_run(s + i, len - i);
    i += run;
    n += run;
    if (i >= len) break;
    if (s[i] < 0x80) {
      i++;
      n++;
      continue;
    }
    size_t used;
    if (next_cp(s, len, i, &used) < 0) {
      valid = 0;
      if (n > SIZE_MAX - 4) return EDDY_ENOMEM;
      n += 3;
    } else {
      n += used;
    }
    i += used;
  }
  char *d = malloc(n + 1);
  if (!d) return EDDY_ENOMEM;
  if (valid) {
    if (len) memcpy(d, s, len);
  } else {
    size_t w = 0;
    for (i = 0; i < len;) {
      if (s[i] < 0x80) {
        d[w++] = (char)s[i++];
        continue;
      }
      size_t used;
      if (next_cp(s, len, i, &used) < 0) {
        memcpy(d + w, "\xEF\xBF\xBD", 3);
        w += 3;
      } else {
        memcpy(d + w, s + i, used);
        w += used;
      }
      i += used;
    }
  }
  d[n] = '\0';
  *out = d;
  *out_len = n;
  return 0;
}

size_t eddy__utf8_length_of_utf16(const uint16_t *s, size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    uint16_t c = s[i];
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xD800 && c < 0xDC00 && i + 1 < len && s[i + 1] >= 0xDC00 && s[i + 1] < 0xE000) {
      n += 4;
      i++;
    } else n += 3; /* BMP, or a lone surrogate as U+FFFD */
  }
  return n;
}

size_t eddy__utf16_encode_into(const uint16_t *s, size_t len, uint8_t *dst, size_t cap,
                               size_t *read) {
  size_t i = 0, w = 0;
  while (i < len) {
    uint32_t c = s[i];
    size_t units = 1;
    if (c >= 0xD800 && c < 0xDC00 && i + 1 < len && s[i + 1] >= 0xDC00 && s[i + 1] < 0xE000) {
      c = 0x10000 + ((c - 0xD800) << 10) + (s[i + 1] - 0xDC00);
      units = 2;
    } else if (c >= 0xD800 && c < 0xE000) {
      c = 0xFFFD;
    }
    size_t need = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (w + need > cap) break;
    switch (need) {
      case 1: dst[w] = (uint8_t)c; break;
      case 2:
        dst[w] = (uint8_t)(0xC0 | (c >> 6));
        dst[w + 1] = (uint8_t)(0x80 | (c & 0x3F));
        break;
      case 3:
        dst[w] = (uint8_t)(0xE0 | (c >> 12));
        dst[w + 1] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
        dst[w + 2] = (uint8_t)(0x80 | (c & 0x3F));
        break;
      default:
        dst[w] = (uint8_t)(0xF0 | (c >> 18));
        dst[w + 1] = (uint8_t)(0x80 | ((c >> 12) & 0x3F));
        dst[w + 2] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
        dst[w + 3] = (uint8_t)(0x80 | (c & 0x3F));
    }
    w += need;
    i += units;
  }
  if (read) *read = i;
  return w;
}

int eddy__utf16_to_utf8(const uint16_t *s, size_t len, char **out, size_t *out_len) {
  if (len > (SIZE_MAX - 1) / 3) return EDDY_ENOMEM; /* a 32-bit size_t would wrap below */
  size_t n = eddy__utf8_length_of_utf16(s, len);
  char *d = malloc(n + 1);
  if (!d) return EDDY_ENOMEM;
  eddy__utf16_encode_into(s, len, (uint8_t *)d, n, NULL);
  d[n] = '\0';
  *out = d;
  if (out_len) *out_len = n;
  return 0;
}
