/* UTF-8 <-> UTF-16 conversion with the WHATWG Encoding Standard's error handling: each maximal
   invalid subpart becomes one U+FFFD, and lone surrogates never leave JS as invalid UTF-8. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int eddy__utf8_to_utf16(const uint8_t *s, size_t len, int fatal, uint16_t **out, size_t *out_len) {
  /* UTF-16 never needs more code units than UTF-8 has bytes. */
  uint16_t *d = malloc((len ? len : 1) * sizeof(uint16_t));
  if (!d) return EDDY_ENOMEM;
  size_t i = 0, n = 0;
  while (i < len) {
    uint8_t c = s[i];
    if (c < 0x80) {
      d[n++] = c;
      i++;
      continue;
    }
    uint32_t cp;
    size_t need;
    uint8_t lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) { need = 1; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) {
      need = 2; cp = c & 0x0F;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      need = 3; cp = c & 0x07;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      goto invalid_one;
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
    if (j <= need) {
      /* Maximal subpart: the bytes consumed so far form one replacement. */
      if (fatal) goto fail;
      d[n++] = 0xFFFD;
      i += j;
      continue;
    }
    i += need + 1;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      d[n++] = (uint16_t)(0xD800 + (cp >> 10));
      d[n++] = (uint16_t)(0xDC00 + (cp & 0x3FF));
    } else {
      d[n++] = (uint16_t)cp;
    }
    continue;
  invalid_one:
    if (fatal) goto fail;
    d[n++] = 0xFFFD;
    i++;
  }
  *out = d;
  *out_len = n;
  return 0;
fail:
  free(d);
  return -1;
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
  size_t n = eddy__utf8_length_of_utf16(s, len);
  char *d = malloc(n + 1);
  if (!d) return EDDY_ENOMEM;
  eddy__utf16_encode_into(s, len, (uint8_t *)d, n, NULL);
  d[n] = '\0';
  *out = d;
  if (out_len) *out_len = n;
  return 0;
}

JSStringRef eddy__jsstring_from_utf8(const char *s, size_t len) {
  uint16_t *u16;
  size_t n;
  if (eddy__utf8_to_utf16((const uint8_t *)s, len, 0, &u16, &n)) return NULL;
  JSStringRef r = JSStringCreateWithCharacters(u16, n);
  free(u16);
  return r;
}

int eddy__jsstring_to_utf8(JSStringRef s, char **out, size_t *out_len) {
  return eddy__utf16_to_utf8(JSStringGetCharactersPtr(s), JSStringGetLength(s), out, out_len);
}
