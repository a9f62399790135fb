/* native.urlParse / native.urlSet: the URL Standard's parser (url_parse.c, url_host.c) for
   url.js. A URL crosses to JS as its serialization (always ASCII) and the offsets of its
   components in it, written into native.urlComps, an Int32Array over this engine's url_state, so
   that no object is built here and the getters are slices.

   Each call into JSC's C API takes the VM's lock, so a parse makes as few as it can: the offsets
   are written through a pointer held here (no typed array calls), the base of a relative URL is
   parsed once for a run of URLs against it, and a URL whose serialization is its input (most
   absolute ones) returns the input string itself, without making a new one. */
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "../internal.h"
#include "url.h"

/* One engine's state, the private data of its three URL functions. Owned by native.urlComps,
   whose deallocator frees it: the functions are properties of the same native object. */
typedef struct {
  int32_t comps[EDDY__URLC_COUNT];
  eddy_engine *e;
  uint16_t *base_in; /* the last base parsed (its UTF-16), NULL: none */
  size_t base_n;
  int base_st;     /* its parse's status */
  eddy__url base;  /* its record when base_st is EDDY__URL_OK */
} url_state;

static void url_state_free(void *bytes, void *unused) {
  (void)unused;
  url_state *s = bytes;
  if (s->base_in && s->base_st == EDDY__URL_OK) eddy__url_free(&s->base);
  free(s->base_in);
  free(s);
}

static url_state *state_of(JSObjectRef fn) {
  return JSObjectGetPrivate(fn);
}

static JSValueRef nomem(JSContextRef ctx, JSValueRef *exc) {
  *exc = eddy__make_error(ctx, "RangeError", "out of memory parsing a URL");
  return NULL;
}

/* Serializes url into a JS string and comps. Frees url. When the serialization is the input's
   code units, input_v (that very string) is the result. */
static JSValueRef result(JSContextRef ctx, eddy__url *url, int32_t *comps, const uint16_t *in,
                         size_t in_n, JSValueRef input_v, JSValueRef *exc) {
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
    size_t i = 0;
    if (in && in_n == out.len)
      while (i < in_n && in[i] == (unsigned char)out.p[i]) i++;
    if (in && i == in_n && in_n == out.len && JSValueIsString(ctx, input_v)) {
      v = input_v;
    } else {
      /* ASCII and NUL-terminated: JSC keeps it as an 8-bit string. */
      JSStringRef js = JSStringCreateWithUTF8CString(out.p);
      v = JSValueMakeString(ctx, js);
      JSStringRelease(js);
    }
  }
  if (out.p != stack) eddy__ubuf_free(&out);
  return v;
}

/* The record of base (UTF-16), parsed now or found as the last one parsed. 0: *base is it
   (borrowed from s); else the status. */
static int base_record(url_state *s, const uint16_t *bs, size_t bs_n, const eddy__url **base) {
  if (!s->base_in || s->base_n != bs_n || memcmp(s->base_in, bs, bs_n * sizeof(uint16_t))) {
    if (s->base_in && s->base_st == EDDY__URL_OK) eddy__url_free(&s->base);
    free(s->base_in);
    s->base_in = malloc(bs_n ? bs_n * sizeof(uint16_t) : 1);
    if (!s->base_in) return EDDY__URL_NOMEM;
    if (bs_n) memcpy(s->base_in, bs, bs_n * sizeof(uint16_t));
    s->base_n = bs_n;
    s->base_st = eddy__url_parse(bs, bs_n, NULL, &s->base, EDDY__URL_NO_OVERRIDE);
    if (s->base_st == EDDY__URL_NOMEM) {
      free(s->base_in);
      s->base_in = NULL;
      return EDDY__URL_NOMEM;
    }
  }
  *base = &s->base;
  return s->base_st;
}

/* An argument's UTF-16, borrowed from *js (released by the caller). */
static int string_arg(JSContextRef ctx, JSValueRef v, JSStringRef *js, const uint16_t **s,
                      size_t *n, JSValueRef *exc) {
  *js = JSValueToStringCopy(ctx, v, exc);
  if (!*js) return -1;
  *s = JSStringGetCharactersPtr(*js);
  *n = JSStringGetLength(*js);
  return 0;
}

/* Parses argv[0] against argv[1] (undefined or a base, whose failure fails the parse), then
   serializes the result into the state's comps (serialize) or only tells whether it parsed. */
static JSValueRef parse_call(JSContextRef ctx, url_state *s, size_t argc, const JSValueRef argv[],
                             int serialize, JSValueRef *exc) {
  if (argc < 1) return eddy__throw_type_error(ctx, exc, "urlParse: an input expected");
  JSStringRef in_js = NULL, base_js = NULL;
  const uint16_t *in, *bs;
  size_t in_n, bs_n;
  if (string_arg(ctx, argv[0], &in_js, &in, &in_n, exc)) return NULL;
  const eddy__url *base = NULL;
  int st = EDDY__URL_OK;
  if (argc > 1 && !JSValueIsUndefined(ctx, argv[1])) {
    if (string_arg(ctx, argv[1], &base_js, &bs, &bs_n, exc)) {
      JSStringRelease(in_js);
      return NULL;
    }
    st = base_record(s, bs, bs_n, &base);
    JSStringRelease(base_js);
  }
  eddy__url url;
  JSValueRef v;
  if (st == EDDY__URL_OK && eddy__url_fast_parse(in, in_n, s->comps) &&
      JSValueIsString(ctx, argv[0])) {
    /* The input is its own serialization (the base does not matter then). */
    JSStringRelease(in_js);
    return serialize ? argv[0] : JSValueMakeBoolean(ctx, 1);
  }
  if (st == EDDY__URL_OK) st = eddy__url_parse(in, in_n, base, &url, EDDY__URL_NO_OVERRIDE);
  if (st == EDDY__URL_NOMEM) v = nomem(ctx, exc);
  else if (!serialize) {
    if (st == EDDY__URL_OK) eddy__url_free(&url);
    v = JSValueMakeBoolean(ctx, st == EDDY__URL_OK);
  } else if (st != EDDY__URL_OK) v = JSValueMakeNull(ctx);
  else v = result(ctx, &url, s->comps, in, in_n, argv[0], exc);
  JSStringRelease(in_js);
  return v;
}

/* Runs one of the functions below with JSC's API lock held: JSC drops it around a native
   callback, and each API call would otherwise take it again. */
static JSValueRef locked_parse(JSContextRef ctx, JSObjectRef f, size_t argc,
                               const JSValueRef argv[], int serialize, JSValueRef *exc) {
  url_state *s = state_of(f);
  eddy__jsc_lock_holder lock;
  eddy__jsc_lock(&s->e->jsc, &lock, s->e->group);
  JSValueRef v = parse_call(ctx, s, argc, argv, serialize, exc);
  eddy__jsc_unlock(&s->e->jsc, &lock);
  return v;
}

/* urlParse(input[, base]) → href or null (failure, base's included); offsets in urlComps. */
static JSValueRef url_parse(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                            const JSValueRef argv[], JSValueRef *exc) {
  (void)self;
  return locked_parse(ctx, f, argc, argv, 1, exc);
}

/* urlCanParse(input[, base]) → boolean, without serializing. */
static JSValueRef url_can_parse(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                                const JSValueRef argv[], JSValueRef *exc) {
  (void)self;
  return locked_parse(ctx, f, argc, argv, 0, exc);
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

/* urlSet(href, which, value) → the new href: href (a serialization) reparsed, the setter applied
   as the standard's API does (a value it rejects leaves the URL as it was, or as far as the
   state override got); offsets in urlComps. */
static JSValueRef set_call(JSContextRef ctx, int32_t *comps, size_t argc, const JSValueRef argv[],
                           JSValueRef *exc) {
  if (argc < 3) return eddy__throw_type_error(ctx, exc, "urlSet: 3 arguments expected");
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
  return result(ctx, &url, comps, NULL, 0, NULL, exc);
}

static JSValueRef url_set(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                          const JSValueRef argv[], JSValueRef *exc) {
  (void)self;
  url_state *s = state_of(f);
  eddy__jsc_lock_holder lock;
  eddy__jsc_lock(&s->e->jsc, &lock, s->e->group);
  JSValueRef v = set_call(ctx, s->comps, argc, argv, exc);
  eddy__jsc_unlock(&s->e->jsc, &lock);
  return v;
}

/* urlCompsView(buffer) → Int32Array over native.urlComps. */
static JSValueRef url_comps_view(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                                 const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  if (argc < 1 || !JSValueIsObject(ctx, argv[0]))
    return eddy__throw_type_error(ctx, exc, "urlCompsView: an ArrayBuffer expected");
  return JSObjectMakeTypedArrayWithArrayBuffer(ctx, kJSTypedArrayTypeInt32Array, (JSObjectRef)argv[0],
                                               exc);
}

static JSClassRef fn_class[3];
static uv_once_t fn_class_once = UV_ONCE_INIT;

static void fn_class_create(void) {
  static const JSObjectCallAsFunctionCallback call[3] = {url_parse, url_set, url_can_parse};
  for (int i = 0; i < 3; i++) {
    JSClassDefinition def = kJSClassDefinitionEmpty;
    def.className = "URLNative";
    def.callAsFunction = call[i];
    fn_class[i] = JSClassCreate(&def);
  }
}

static void set_value(JSContextRef ctx, JSObjectRef native, const char *name, JSValueRef v) {
  JSStringRef s = JSStringCreateWithUTF8CString(name);
  JSObjectSetProperty(ctx, native, s, v, kJSPropertyAttributeDontEnum, NULL);
  JSStringRelease(s);
}

int eddy__url_init(eddy_engine *e, JSObjectRef native) {
  uv_once(&fn_class_once, fn_class_create);
  url_state *s = calloc(1, sizeof(*s));
  if (!s) return EDDY_ENOMEM;
  s->e = e;
  JSValueRef exc = NULL;
  /* An ArrayBuffer, viewed as Int32Array by native.urlCompsView when url.js is installed: the
     first typed array of a global sets up JSC's typed array classes, ~0.3 M instructions that
     an engine which never parses a URL should not pay at creation. */
  JSObjectRef comps = JSObjectMakeArrayBufferWithBytesNoCopy(
      e->ctx, s->comps, sizeof(s->comps), url_state_free, NULL, &exc);
  if (!comps) {
    free(s);
    return EDDY_ENOMEM;
  }
  set_value(e->ctx, native, "urlComps", comps);
  eddy__set_function(e->ctx, native, "urlCompsView", url_comps_view);
  static const char *const names[3] = {"urlParse", "urlSet", "urlCanParse"};
  for (int i = 0; i < 3; i++) set_value(e->ctx, native, names[i], JSObjectMake(e->ctx, fn_class[i], s));
  return 0;
}
