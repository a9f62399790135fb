/* native.base64Encode / native.base64Decode behind atob and btoa (src/js/base64.js): HTML's
   forgiving-base64 over the UTF-16 code units of a JS string, one pass each way. In JS the same
   work costs a string or array per chunk of output; here it is one buffer (bench figures in
   src/js/base64.js). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../internal.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Sextet of an ASCII code unit, or -1 (anything else, '=' included). */
static int8_t sextet[128];
static uv_once_t sextet_once = UV_ONCE_INIT;

static void sextet_init(void) {
  for (int i = 0; i < 128; i++) sextet[i] = -1;
  for (int i = 0; i < 64; i++) sextet[(unsigned char)alphabet[i]] = (int8_t)i;
}

/* Infra's ASCII whitespace. */
static int is_ascii_whitespace(uint16_t c) {
  return c == 0x09 || c == 0x0A || c == 0x0C || c == 0x0D || c == 0x20;
}

static JSStringRef string_arg(JSContextRef ctx, size_t argc, const JSValueRef argv[],
                              JSValueRef *exc) {
  if (argc < 1 || !JSValueIsString(ctx, argv[0])) {
    eddy__throw_type_error(ctx, exc, "expected a string");
    return NULL;
  }
  return JSValueToStringCopy(ctx, argv[0], exc);
}

/* base64Encode(string) -> the forgiving-base64 encoding of its code units taken as bytes, or
   null if one is above U+00FF (btoa's InvalidCharacterError). */
static JSValueRef base64_encode(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                                const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  JSStringRef s = string_arg(ctx, argc, argv, exc);
  if (!s) return NULL;
  size_t n = JSStringGetLength(s);
  const JSChar *u = JSStringGetCharactersPtr(s);
  /* UTF-16 out: JSStringCreateWithUTF8CString would cost a validating conversion on top. */
  JSChar *out = malloc(((n + 2) / 3 * 4 + 1) * sizeof *out);
  if (!out) {
    JSStringRelease(s);
    return eddy__throw_type_error(ctx, exc, "out of memory");
  }
  size_t i = 0, j = 0;
  unsigned wide = 0; /* any code unit above 0xFF sets a bit above the low 8 */
  for (; i + 3 <= n; i += 3) {
    uint32_t a = u[i], b = u[i + 1], c = u[i + 2];
    wide |= a | b | c;
    uint32_t v = (a & 0xFF) << 16 | (b & 0xFF) << 8 | (c & 0xFF);
    out[j] = (JSChar)alphabet[v >> 18];
    out[j + 1] = (JSChar)alphabet[(v >> 12) & 63];
    out[j + 2] = (JSChar)alphabet[(v >> 6) & 63];
    out[j + 3] = (JSChar)alphabet[v & 63];
    j += 4;
  }
  if (n - i == 1) {
    uint32_t a = u[i];
    wide |= a;
    out[j++] = (JSChar)alphabet[(a & 0xFF) >> 2];
    out[j++] = (JSChar)alphabet[(a & 3) << 4];
    out[j++] = '=';
    out[j++] = '=';
  } else if (n - i == 2) {
    uint32_t a = u[i], b = u[i + 1];
    wide |= a | b;
    uint32_t v = (a & 0xFF) << 16 | (b & 0xFF) << 8;
    out[j++] = (JSChar)alphabet[v >> 18];
    out[j++] = (JSChar)alphabet[(v >> 12) & 63];
    out[j++] = (JSChar)alphabet[(v >> 6) & 63];
    out[j++] = '=';
  }
  JSStringRelease(s);
  if (wide > 0xFF) {
    free(out);
    return JSValueMakeNull(ctx);
  }
  JSStringRef r = JSStringCreateWithCharacters(out, j);
  free(out);
  JSValueRef v = JSValueMakeString(ctx, r);
  JSStringRelease(r);
  return v;
}

/* Sextets of 4 code units, each checked: -1 if any is not one of the 64 letters. */
static int32_t quad(const JSChar *p) {
  int32_t a = p[0] < 128 ? sextet[p[0]] : -1, b = p[1] < 128 ? sextet[p[1]] : -1;
  int32_t c = p[2] < 128 ? sextet[p[2]] : -1, d = p[3] < 128 ? sextet[p[3]] : -1;
  if ((a | b | c | d) < 0) return -1;
  return a << 18 | b << 12 | c << 6 | d;
}

/* base64Decode(string) -> Infra's forgiving-base64 decode as a string of code units 0-255, or
   null on failure (atob's InvalidCharacterError). */
static JSValueRef base64_decode(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                                const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  JSStringRef s = string_arg(ctx, argc, argv, exc);
  if (!s) return NULL;
  size_t n = JSStringGetLength(s);
  const JSChar *u = JSStringGetCharactersPtr(s);
  /* 1. Remove ASCII whitespace (into a copy, only if there is any). */
  JSChar *copy = NULL;
  size_t len = 0;
  while (len < n && !is_ascii_whitespace(u[len])) len++;
  if (len < n) {
    copy = malloc(n * sizeof *copy);
    if (!copy) {
      JSStringRelease(s);
      return eddy__throw_type_error(ctx, exc, "out of memory");
    }
    memcpy(copy, u, len * sizeof *copy);
    for (size_t i = len; i < n; i++)
      if (!is_ascii_whitespace(u[i])) copy[len++] = u[i];
    u = copy;
  }
  /* 2. A length divisible by 4 may end in one or two '='; 3. a remainder of 1 is invalid. */
  if (len % 4 == 0 && len > 0 && u[len - 1] == '=') {
    len--;
    if (u[len - 1] == '=') len--;
  }
  int ok = len % 4 != 1;
  /* 4. Only the 64 letters may remain; 5. decode, dropping the leftover 4 or 2 bits. */
  JSChar *out = ok ? malloc((len / 4 * 3 + 2) * sizeof *out) : NULL;
  size_t j = 0;
  if (out) {
    size_t i = 0;
    for (; i + 4 <= len; i += 4) {
      int32_t v = quad(u + i);
      if (v < 0) break;
      out[j] = (JSChar)(v >> 16);
      out[j + 1] = (JSChar)((v >> 8) & 0xFF);
      out[j + 2] = (JSChar)(v & 0xFF);
      j += 3;
    }
    /* The last 2 or 3 letters, padded with 'A' (zero bits); 4 or more left means a bad one. */
    JSChar tail[4] = {'A', 'A', 'A', 'A'};
    size_t rest = len - i;
    int32_t v = -1;
    if (rest < 4) {
      for (size_t k = 0; k < rest; k++) tail[k] = u[i + k];
      v = quad(tail);
    }
    if (v < 0) {
      ok = 0;
    } else if (rest == 2) {
      out[j++] = (JSChar)(v >> 16);
    } else if (rest == 3) {
      out[j++] = (JSChar)(v >> 16);
      out[j++] = (JSChar)((v >> 8) & 0xFF);
    }
  }
  free(copy);
  JSStringRelease(s);
  if (ok && !out) return eddy__throw_type_error(ctx, exc, "out of memory");
  if (!ok) {
    free(out);
    return JSValueMakeNull(ctx);
  }
  JSStringRef r = JSStringCreateWithCharacters(out, j);
  free(out);
  JSValueRef v = JSValueMakeString(ctx, r);
  JSStringRelease(r);
  return v;
}

int eddy__base64_init(eddy_engine *e, JSObjectRef native) {
  uv_once(&sextet_once, sextet_init);
  eddy__set_function(e->ctx, native, "base64Encode", base64_encode);
  eddy__set_function(e->ctx, native, "base64Decode", base64_decode);
  return 0;
}
