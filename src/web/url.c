/* native.urlParse / native.urlSet: the URL Standard's parser (url_parse.c, url_host.c) for
   url.js. A URL crosses to JS as its serialization (always ASCII) and the offsets of its
   components in it, written into an Int32Array the caller owns, so that no object is built here
   and the getters are slices. */
#include <stdlib.h>
#include <string.h>

#include "../internal.h"
#include "url.h"

/* The string's UTF-16 code units, borrowed from *js (released by the caller). */
static int string_arg(JSContextRef ctx, JSValueRef v, JSStringRef *js, const uint16_t **s,
                      size_t *n, JSValueRef *exc) {
  *js = JSValueToStringCopy(ctx, v, exc);
  if (!*js) return -1;
  *s = JSStringGetCharactersPtr(*js);
  *n = JSStringGetLength(*js);
  return 0;
}

/* url.js's Int32Array of EDDY__URLC_COUNT components (one type check: each JSC call costs). */
static int32_t *comps_arg(JSContextRef ctx, JSValueRef v, JSValueRef *exc) {
  if (JSValueGetTypedArrayType(ctx, v, NULL) != kJSTypedArrayTypeInt32Array ||
      JSObjectGetTypedArrayByteLength(ctx, (JSObjectRef)v, NULL) < EDDY__URLC_COUNT * 4) {
    eddy__throw_type_error(ctx, exc, "url: expected an Int32Array of components");
    return NULL;
  }
  return JSObjectGetTypedArrayBytesPtr(ctx, (JSObjectRef)v, exc);
}

static JSValueRef nomem(JSContextRef ctx, JSValueRef *exc) {
  *exc = eddy__make_error(ctx, "RangeError", "out of memory parsing a URL");
  return NULL;
}

/* Serializes url into a JS string and comps. Frees url. */
static JSValueRef result(JSContextRef ctx, eddy__url *url, int32_t *comps, JSValueRef *exc) {
  /* An upper bound of the serialization: the components and their delimiters. */
  size_t need = url->scheme.len + url->username.len + url->password.len + url->host.len +
                url->path.len + url->query.len + url->fragment.len + 32;
  char stack[1024];
  eddy__ubuf out = {0};
  if (need <= sizeof(stack)) { /* never reallocated: the bound holds */
    out.p = stack;
    out.cap = sizeof(stack);
  }
  int st = eddy__url_serialize(url, &out, comps);
  eddy__url_free(url);
  JSValueRef v = NULL;
  if (st) {
    v = nomem(ctx, exc);
  } else if (out.len > EDDY__JS_STRING_MAX) {
    v = eddy__js_string_error(ctx, EDDY_ERANGE, exc);
  } else {
    /* ASCII and NUL-terminated: JSC keeps it as an 8-bit string. */
    JSStringRef js = JSStringCreateWithUTF8CString(out.p);
    v = JSValueMakeString(ctx, js);
    JSStringRelease(js);
  }
  if (out.p != stack) eddy__ubuf_free(&out);
  return v;
}

/* Parses input against base (either may fail). 0: *url holds the result; else the status. */
static int parse_with_base(JSContextRef ctx, JSValueRef input, JSValueRef base_v, eddy__url *url,
                           JSValueRef *exc) {
  JSStringRef in_js = NULL, base_js = NULL;
  const uint16_t *in, *bs;
  size_t in_n, bs_n;
  if (string_arg(ctx, input, &in_js, &in, &in_n, exc)) return -2;
  eddy__url base;
  int has_base = !JSValueIsUndefined(ctx, base_v);
  int st = EDDY__URL_OK;
  if (has_base) {
    if (string_arg(ctx, base_v, &base_js, &bs, &bs_n, exc)) {
      JSStringRelease(in_js);
      return -2;
    }
    st = eddy__url_parse(bs, bs_n, NULL, &base, EDDY__URL_NO_OVERRIDE);
    JSStringRelease(base_js);
  }
  if (st == EDDY__URL_OK) {
    st = eddy__url_parse(in, in_n, has_base ? &base : NULL, url, EDDY__URL_NO_OVERRIDE);
    if (has_base) eddy__url_free(&base);
  }
  JSStringRelease(in_js);
  return st;
}

/* urlParse(input, base, comps) → href or null (failure, base's included). */
static JSValueRef url_parse(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                            const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  if (argc < 3) return eddy__throw_type_error(ctx, exc, "urlParse: 3 arguments expected");
  int32_t *comps = comps_arg(ctx, argv[2], exc);
  if (!comps) return NULL;
  eddy__url url;
  int st = parse_with_base(ctx, argv[0], argv[1], &url, exc);
  if (st == -2) return NULL;
  if (st == EDDY__URL_NOMEM) return nomem(ctx, exc);
  if (st != EDDY__URL_OK) return JSValueMakeNull(ctx);
  return result(ctx, &url, comps, exc);
}

/* urlCanParse(input, base) → boolean, without serializing. */
static JSValueRef url_can_parse(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                                const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  if (argc < 2) return eddy__throw_type_error(ctx, exc, "urlCanParse: 2 arguments expected");
  eddy__url url;
  int st = parse_with_base(ctx, argv[0], argv[1], &url, exc);
  if (st == -2) return NULL;
  if (st == EDDY__URL_NOMEM) return nomem(ctx, exc);
  if (st == EDDY__URL_OK) eddy__url_free(&url);
  return JSValueMakeBoolean(ctx, st == EDDY__URL_OK);
}

/* Setters, numbered as url.js's SET table. */
enum { SET_PROTOCOL = 1, SET_USERNAME, SET_PASSWORD, SET_HOST, SET_HOSTNAME, SET_PORT,
       SET_PATHNAME, SET_SEARCH, SET_HASH };

static int cannot_have_credentials_or_port(const eddy__url *u) {
  return !u->has_host || u->host.len == 0 ||
         (u->scheme.len == 4 && !memcmp(u->scheme.p, "file", 4));
}

static int apply_setter(eddy__url *u, int which, const uint16_t *v, size_t n) {
  switch (which) {
  case SET_PROTOCOL: {
    uint16_t *with_colon = malloc((n + 1) * sizeof(uint16_t));
    if (!with_colon) return EDDY__URL_NOMEM;
    if (n) memcpy(with_colon, v, n * sizeof(uint16_t));
    with_colon[n] = ':';
    int st = eddy__url_parse(with_colon, n + 1, NULL, u, EDDY__URL_SCHEME_START);
    free(with_colon);
    return st;
  }
  case SET_USERNAME:
  case SET_PASSWORD: {
    if (cannot_have_credentials_or_port(u)) return EDDY__URL_OK;
    eddy__ubuf *b = which == SET_USERNAME ? &u->username : &u->password;
    b->len = 0;
    eddy__ubuf_put(b, "", 0);
    for (size_t i = 0; i < n; i++) {
      uint32_t c = v[i];
      if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && v[i + 1] >= 0xDC00 && v[i + 1] <= 0xDFFF) {
        c = 0x10000 + ((c - 0xD800) << 10) + (v[i + 1] - 0xDC00);
        i++;
      } else if (c >= 0xD800 && c <= 0xDFFF) {
        c = 0xFFFD;
      }
      eddy__url_percent_encode(b, c, EDDY__PE_USERINFO);
    }
    return b->oom ? EDDY__URL_NOMEM : EDDY__URL_OK;
  }
  case SET_HOST:
  case SET_HOSTNAME:
    if (u->opaque_path) return EDDY__URL_OK;
    return eddy__url_parse(v, n, NULL, u, which == SET_HOST ? EDDY__URL_HOST : EDDY__URL_HOSTNAME);
  case SET_PORT:
    if (cannot_have_credentials_or_port(u)) return EDDY__URL_OK;
    if (n == 0) {
      u->port = -1;
      return EDDY__URL_OK;
    }
    return eddy__url_parse(v, n, NULL, u, EDDY__URL_PORT);
  case SET_PATHNAME:
    if (u->opaque_path) return EDDY__URL_OK;
    u->path.len = 0;
    u->path_segments = 0;
    return eddy__url_parse(v, n, NULL, u, EDDY__URL_PATH_START);
  case SET_SEARCH:
    u->query.len = 0;
    if (n == 0) {
      u->has_query = 0;
      return EDDY__URL_OK;
    }
    if (v[0] == '?') v++, n--;
    u->has_query = 1;
    eddy__ubuf_put(&u->query, "", 0);
    return eddy__url_parse(v, n, NULL, u, EDDY__URL_QUERY);
  case SET_HASH:
    u->fragment.len = 0;
    if (n == 0) {
      u->has_fragment = 0;
      return EDDY__URL_OK;
    }
    if (v[0] == '#') v++, n--;
    u->has_fragment = 1;
    eddy__ubuf_put(&u->fragment, "", 0);
    return eddy__url_parse(v, n, NULL, u, EDDY__URL_FRAGMENT);
  }
  return EDDY__URL_OK;
}

/* urlSet(href, which, value, comps) → the new href: href (a serialization) reparsed, the setter
   applied as the standard's API does (a value it rejects leaves the URL as it was, or as far as
   the state override got). */
static JSValueRef url_set(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                          const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  if (argc < 4) return eddy__throw_type_error(ctx, exc, "urlSet: 4 arguments expected");
  int32_t *comps = comps_arg(ctx, argv[3], exc);
  if (!comps) return NULL;
  int which = (int)JSValueToNumber(ctx, argv[1], exc);
  JSStringRef href_js, value_js;
  const uint16_t *href, *value;
  size_t href_n, value_n;
  if (string_arg(ctx, argv[0], &href_js, &href, &href_n, exc)) return NULL;
  if (string_arg(ctx, argv[2], &value_js, &value, &value_n, exc)) {
    JSStringRelease(href_js);
    return NULL;
  }
  eddy__url url;
  int st = eddy__url_parse(href, href_n, NULL, &url, EDDY__URL_NO_OVERRIDE);
  JSStringRelease(href_js);
  if (st == EDDY__URL_OK) {
    st = apply_setter(&url, which, value, value_n);
    if (st == EDDY__URL_NOMEM) eddy__url_free(&url);
    else st = EDDY__URL_OK;
  }
  JSStringRelease(value_js);
  if (st == EDDY__URL_NOMEM) return nomem(ctx, exc);
  if (st != EDDY__URL_OK) return JSValueMakeNull(ctx);
  return result(ctx, &url, comps, exc);
}

int eddy__url_init(eddy_engine *e, JSObjectRef native) {
  eddy__set_function(e->ctx, native, "urlParse", url_parse);
  eddy__set_function(e->ctx, native, "urlSet", url_set);
  eddy__set_function(e->ctx, native, "urlCanParse", url_can_parse);
  return 0;
}
