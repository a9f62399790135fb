/* The one place strings are made for JSC from C (UTF-8 or UTF-16 from utf.c), so that none is
   longer than JSC can hold: past EDDY__JS_STRING_MAX it would abort the process. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

JSStringRef eddy__jsstring_from_utf16(const uint16_t *s, size_t len) {
  return len > EDDY__JS_STRING_MAX ? NULL : JSStringCreateWithCharacters(s, len);
}

int eddy__jsstring_from_utf8_checked(const char *s, size_t len, JSStringRef *out) {
  *out = NULL;
  /* A string longer than JSC can hold is refused before the 2 bytes per unit are allocated:
     only an input of more bytes than that many units can be too long. */
  if (len > EDDY__JS_STRING_MAX &&
      eddy__utf16_length_of_utf8((const uint8_t *)s, len) > EDDY__JS_STRING_MAX)
    return EDDY_ERANGE;
  uint16_t *u16;
  size_t n;
  if (eddy__utf8_to_utf16((const uint8_t *)s, len, 0, &u16, &n)) return EDDY_ENOMEM;
  *out = JSStringCreateWithCharacters(u16, n);
  free(u16);
  return *out ? 0 : EDDY_ENOMEM;
}

JSStringRef eddy__jsstring_from_utf8(const char *s, size_t len) {
  JSStringRef r;
  eddy__jsstring_from_utf8_checked(s, len, &r);
  return r;
}

JSValueRef eddy__js_string_error(JSContextRef ctx, int status, JSValueRef *exc) {
  *exc = status == EDDY_ERANGE
             ? eddy__make_error(ctx, "RangeError", "string is longer than JavaScript allows")
             : eddy__make_error(ctx, "TypeError", "out of memory");
  return NULL;
}

JSValueRef eddy__js_string_value(JSContextRef ctx, const char *s, size_t len, JSValueRef *exc) {
  JSStringRef js;
  int st = eddy__jsstring_from_utf8_checked(s, len, &js);
  if (st) return eddy__js_string_error(ctx, st, exc);
  JSValueRef r = JSValueMakeString(ctx, js);
  JSStringRelease(js);
  return r;
}

int eddy__jsstring_to_utf8(JSStringRef s, char **out, size_t *out_len) {
  return eddy__utf16_to_utf8(JSStringGetCharactersPtr(s), JSStringGetLength(s), out, out_len);
}
