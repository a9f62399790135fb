/* Conversion between JS values and eddy_value trees. JS thread only. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_DEPTH 512
#define MAX_ARRAY_LENGTH (1u << 26)

typedef struct {
  eddy_engine *e;
  JSContextRef ctx;
  JSObjectRef path[MAX_DEPTH]; /* objects being converted, for cycle detection */
  int depth;
} converter;

static int fail(converter *c, JSValueRef *exc, const char *message) {
  *exc = eddy__make_error(c->ctx, "TypeError", message);
  return EDDY_EEXCEPTION;
}

static eddy_value *string_value(JSContextRef ctx, JSValueRef v, eddy_type type, JSValueRef *exc) {
  JSStringRef s = JSValueToStringCopy(ctx, v, exc);
  if (!s) return NULL;
  eddy_value *out = eddy__value_new(type);
  if (out && eddy__jsstring_to_utf8(s, &out->u.str.ptr, &out->u.str.len)) {
    free(out);
    out = NULL;
  }
  JSStringRelease(s);
  return out;
}

static JSValueRef get(JSContextRef ctx, JSObjectRef o, JSStringRef name, JSValueRef *exc) {
  return JSObjectGetProperty(ctx, o, name, exc);
}

static int convert(converter *c, JSValueRef v, eddy_value **out, JSValueRef *exc);

static int convert_bytes(converter *c, JSObjectRef o, JSTypedArrayType t, eddy_value **out,
                         JSValueRef *exc) {
  const uint8_t *p;
  size_t n;
  if (t == kJSTypedArrayTypeArrayBuffer) {
    p = JSObjectGetArrayBufferBytesPtr(c->ctx, o, exc);
    n = JSObjectGetArrayBufferByteLength(c->ctx, o, exc);
  } else {
    /* The pointer is the start of the underlying buffer, not of the view. */
    p = JSObjectGetTypedArrayBytesPtr(c->ctx, o, exc);
    if (p) p += JSObjectGetTypedArrayByteOffset(c->ctx, o, exc);
    n = JSObjectGetTypedArrayByteLength(c->ctx, o, exc);
  }
  if (*exc) return EDDY_EEXCEPTION;
  *out = eddy_value_new_bytes(n ? (const void *)p : "", n);
  return *out ? 0 : fail(c, exc, "out of memory");
}

static int convert_dataview(converter *c, JSObjectRef o, eddy_value **out, JSValueRef *exc) {
  JSValueRef buf = get(c->ctx, o, eddy__n.buffer, exc);
  double off = JSValueToNumber(c->ctx, get(c->ctx, o, eddy__n.byteOffset, exc), exc);
  double len = JSValueToNumber(c->ctx, get(c->ctx, o, eddy__n.byteLength, exc), exc);
  if (*exc || !JSValueIsObject(c->ctx, buf)) return fail(c, exc, "detached DataView");
  const uint8_t *p = JSObjectGetArrayBufferBytesPtr(c->ctx, (JSObjectRef)buf, exc);
  if (*exc) return EDDY_EEXCEPTION;
  *out = eddy_value_new_bytes(len > 0 ? (const void *)(p + (size_t)off) : "", (size_t)len);
  return *out ? 0 : fail(c, exc, "out of memory");
}

static int convert_array(converter *c, JSObjectRef o, eddy_value **out, JSValueRef *exc) {
  double n = JSValueToNumber(c->ctx, get(c->ctx, o, eddy__n.length, exc), exc);
  if (*exc) return EDDY_EEXCEPTION;
  if (!(n >= 0) || n > MAX_ARRAY_LENGTH) return fail(c, exc, "array too long to convert");
  eddy_value *arr = eddy_value_new_array();
  if (!arr) return fail(c, exc, "out of memory");
  for (unsigned i = 0; i < (unsigned)n; i++) {
    JSValueRef item = JSObjectGetPropertyAtIndex(c->ctx, o, i, exc);
    eddy_value *iv = NULL;
    int st = *exc ? EDDY_EEXCEPTION : convert(c, item, &iv, exc);
    if (st || eddy_value_push(arr, iv)) {
      eddy_value_free(arr);
      return st ? st : fail(c, exc, "out of memory");
    }
  }
  *out = arr;
  return 0;
}

static int convert_object(converter *c, JSObjectRef o, eddy_value **out, JSValueRef *exc) {
  JSValueRef arg = o;
  JSValueRef keys = JSObjectCallAsFunction(c->ctx, c->e->object_keys, NULL, 1, &arg, exc);
  if (*exc) return EDDY_EEXCEPTION;
  double n = JSValueToNumber(c->ctx, get(c->ctx, (JSObjectRef)keys, eddy__n.length, exc), exc);
  eddy_value *obj = eddy_value_new_object();
  if (!obj) return fail(c, exc, "out of memory");
  for (unsigned i = 0; i < (unsigned)n; i++) {
    JSValueRef k = JSObjectGetPropertyAtIndex(c->ctx, (JSObjectRef)keys, i, exc);
    JSStringRef ks = *exc ? NULL : JSValueToStringCopy(c->ctx, k, exc);
    if (!ks) {
      eddy_value_free(obj);
      return EDDY_EEXCEPTION;
    }
    JSValueRef item = JSObjectGetProperty(c->ctx, o, ks, exc);
    eddy_value *iv = NULL;
    int st = *exc ? EDDY_EEXCEPTION : convert(c, item, &iv, exc);
    char *key = NULL;
    size_t key_len = 0;
    if (!st && eddy__jsstring_to_utf8(ks, &key, &key_len)) {
      eddy_value_free(iv);
      st = fail(c, exc, "out of memory");
    }
    JSStringRelease(ks);
    if (!st && eddy__value_set_n(obj, key, key_len, iv)) st = fail(c, exc, "out of memory");
    free(key);
    if (st) {
      eddy_value_free(obj);
      return st;
    }
  }
  *out = obj;
  return 0;
}

static int convert_function(converter *c, JSObjectRef o, eddy_value **out, JSValueRef *exc) {
  uint32_t handle;
  if (eddy__handle_new(c->e, o, &handle)) return fail(c, exc, "out of memory");
  char *name = NULL;
  size_t name_len = 0;
  JSValueRef nv = get(c->ctx, o, eddy__n.name, NULL);
  if (nv && JSValueIsString(c->ctx, nv)) {
    JSStringRef s = JSValueToStringCopy(c->ctx, nv, NULL);
    if (s) {
      eddy__jsstring_to_utf8(s, &name, &name_len);
      JSStringRelease(s);
    }
  }
  *out = eddy__value_new_function(c->e, handle, name, name_len);
  free(name);
  if (!*out) {
    eddy__handle_release(c->e, handle);
    return fail(c, exc, "out of memory");
  }
  return 0;
}

static int is_error(converter *c, JSValueRef v) {
  return JSValueIsInstanceOfConstructor(c->ctx, v, c->e->error_ctor, NULL);
}

static int convert(converter *c, JSValueRef v, eddy_value **out, JSValueRef *exc) {
  JSContextRef ctx = c->ctx;
  *out = NULL;
  switch (JSValueGetType(ctx, v)) {
    case kJSTypeUndefined: *out = eddy_value_new_undefined(); break;
    case kJSTypeNull: *out = eddy_value_new_null(); break;
    case kJSTypeBoolean: *out = eddy_value_new_bool(JSValueToBoolean(ctx, v)); break;
    case kJSTypeNumber: *out = eddy_value_new_number(JSValueToNumber(ctx, v, NULL)); break;
    case kJSTypeString: *out = string_value(ctx, v, EDDY_TYPE_STRING, exc); break;
    case kJSTypeSymbol: {
      /* ToString throws on symbols; String(sym) gives "Symbol(description)". */
      JSValueRef str = JSObjectCallAsFunction(ctx, c->e->string_ctor, NULL, 1, &v, exc);
      if (str) *out = string_value(ctx, str, EDDY_TYPE_STRING, exc);
      break;
    }
    case kJSTypeBigInt: *out = string_value(ctx, v, EDDY_TYPE_BIGINT, exc); break;
    case kJSTypeObject: {
      JSObjectRef o = (JSObjectRef)v;
      if (JSObjectIsFunction(ctx, o)) return convert_function(c, o, out, exc);
      if (JSValueIsDate(ctx, v)) {
        *out = eddy_value_new_date(JSValueToNumber(ctx, v, exc));
        break;
      }
      JSTypedArrayType t = JSValueGetTypedArrayType(ctx, v, NULL);
      if (t != kJSTypedArrayTypeNone) return convert_bytes(c, o, t, out, exc);
      if (JSValueIsInstanceOfConstructor(ctx, v, c->e->dataview_ctor, NULL))
        return convert_dataview(c, o, out, exc);
      if (is_error(c, v)) {
        *out = eddy__error_from_js(c->e, v);
        break;
      }
      for (int i = 0; i < c->depth; i++)
        if (c->path[i] == o) return fail(c, exc, "cannot convert a cyclic structure");
      if (c->depth == MAX_DEPTH) return fail(c, exc, "value is nested too deeply to convert");
      c->path[c->depth++] = o;
      int st = JSValueIsArray(ctx, v) ? convert_array(c, o, out, exc)
                                      : convert_object(c, o, out, exc);
      c->depth--;
      return st;
    }
  }
  if (*exc) return EDDY_EEXCEPTION;
  return *out ? 0 : fail(c, exc, "out of memory");
}

int eddy__from_js(eddy_engine *e, JSValueRef v, eddy_value **out, JSValueRef *exc) {
  if (!v) {
    *out = eddy_value_new_undefined();
    return *out ? 0 : EDDY_ENOMEM;
  }
  /* Primitives skip the converter (it holds the cycle stack). */
  if (!JSValueIsObject(e->ctx, v)) {
    converter c = {e, e->ctx, {0}, 0};
    return convert(&c, v, out, exc);
  }
  converter *c = malloc(sizeof(*c));
  if (!c) return EDDY_ENOMEM;
  c->e = e;
  c->ctx = e->ctx;
  c->depth = 0;
  int st = convert(c, v, out, exc);
  free(c);
  return st;
}

/* ---- errors ---------------------------------------------------------------------------------- */

static char *prop_string(JSContextRef ctx, JSObjectRef o, JSStringRef name) {
  JSValueRef v = JSObjectGetProperty(ctx, o, name, NULL);
  if (!v || JSValueIsUndefined(ctx, v) || JSValueIsNull(ctx, v)) return NULL;
  JSStringRef s = JSValueToStringCopy(ctx, v, NULL);
  if (!s) return NULL;
  char *out = NULL;
  eddy__jsstring_to_utf8(s, &out, NULL);
  JSStringRelease(s);
  return out;
}

typedef struct {
  char *p;
  size_t len, cap;
} buf;

static void append(buf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 256;
    while (cap < b->len + n + 1) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) return;
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}
static void appends(buf *b, const char *s) { append(b, s, strlen(s)); }

/* JSC writes frames as "fn@url:line:col" or "url:line:col"; hosts and the CLI show them the way
   V8-based runtimes do: "    at fn (url:line:col)". */
static void append_frames(buf *b, const char *stack) {
  const char *line = stack;
  while (line && *line) {
    const char *end = strchr(line, '\n');
    size_t n = end ? (size_t)(end - line) : strlen(line);
    static const char host[] = EDDY__HOST_FRAME "@[native code]";
    if (n == sizeof(host) - 1 && !memcmp(line, host, n)) n = 0;
    if (n) {
      const char *at = memchr(line, '@', n);
      appends(b, "\n    at ");
      if (at && at > line) {
        append(b, line, (size_t)(at - line));
        appends(b, " (");
        append(b, at + 1, n - (size_t)(at - line) - 1);
        appends(b, ")");
      } else if (at) {
        append(b, at + 1, n - 1);
      } else {
        append(b, line, n);
      }
    }
    line = end ? end + 1 : NULL;
  }
}

static int set_str(eddy_value *v, const char *key, const char *s) {
  return eddy_value_set(v, key, eddy_value_new_cstring(s ? s : ""));
}

static eddy_value *error_from_js(eddy_engine *e, JSValueRef exc, int depth);

eddy_value *eddy__error_from_js(eddy_engine *e, JSValueRef exc) { return error_from_js(e, exc, 0); }

/* Causes are followed a few levels deep only: `a.cause = b; b.cause = a` is legal JS. */
#define MAX_CAUSE_DEPTH 8

static eddy_value *error_from_js(eddy_engine *e, JSValueRef exc, int depth) {
  JSContextRef ctx = e->ctx;
  if (!exc) return eddy_value_new_error("Error", "unknown error");
  eddy_value *v = eddy__value_new(EDDY_TYPE_ERROR);
  if (!v) return NULL;
  char *name = NULL, *message = NULL, *stack = NULL, *url = NULL;
  double line = NAN, column = NAN;
  int is_err = JSValueIsObject(ctx, exc) &&
               JSValueIsInstanceOfConstructor(ctx, exc, e->error_ctor, NULL);
  if (is_err) {
    JSObjectRef o = (JSObjectRef)exc;
    name = prop_string(ctx, o, eddy__n.name);
    message = prop_string(ctx, o, eddy__n.message);
    stack = prop_string(ctx, o, eddy__n.stack);
    url = prop_string(ctx, o, eddy__n.sourceURL);
    JSValueRef lv = JSObjectGetProperty(ctx, o, eddy__n.line, NULL);
    JSValueRef cv = JSObjectGetProperty(ctx, o, eddy__n.column, NULL);
    if (lv && JSValueIsNumber(ctx, lv)) line = JSValueToNumber(ctx, lv, NULL);
    if (cv && JSValueIsNumber(ctx, cv)) column = JSValueToNumber(ctx, cv, NULL);
  } else {
    JSStringRef s = JSValueToStringCopy(ctx, exc, NULL);
    if (s) {
      eddy__jsstring_to_utf8(s, &message, NULL);
      JSStringRelease(s);
    }
  }
  set_str(v, "name", name ? name : "Error");
  set_str(v, "message", message);

  buf b = {0};
  if (is_err) {
    appends(&b, name ? name : "Error");
    if (message && *message) {
      appends(&b, ": ");
      appends(&b, message);
    }
  } else {
    appends(&b, message ? message : ""); /* `throw 42` reads "Uncaught 42" */
  }
  size_t before = b.len;
  if (stack && *stack) append_frames(&b, stack);
  if (b.len == before && url && !isnan(line)) {
    /* Syntax errors carry only the position of the problem. */
    char pos[64];
    snprintf(pos, sizeof pos, ":%d:%d", (int)line, isnan(column) ? 0 : (int)column);
    appends(&b, "\n    at ");
    appends(&b, url);
    appends(&b, pos);
  }
  set_str(v, "stack", b.p);
  free(b.p);
  if (url) set_str(v, "fileName", url);
  if (!isnan(line)) eddy_value_set(v, "line", eddy_value_new_number(line));
  if (!isnan(column)) eddy_value_set(v, "column", eddy_value_new_number(column));
  if (is_err) {
    JSObjectRef o = (JSObjectRef)exc;
    JSValueRef code = JSObjectGetProperty(ctx, o, eddy__n.code, NULL);
    if (code && !JSValueIsUndefined(ctx, code)) {
      eddy_value *cv = NULL;
      JSValueRef x = NULL;
      if (eddy__from_js(e, code, &cv, &x) == 0) eddy_value_set(v, "code", cv);
    }
    JSValueRef cause = JSObjectGetProperty(ctx, o, eddy__n.cause, NULL);
    if (cause && !JSValueIsUndefined(ctx, cause) && depth < MAX_CAUSE_DEPTH) {
      eddy_value *cv = NULL;
      JSValueRef x = NULL;
      if (JSValueIsObject(ctx, cause) &&
          JSValueIsInstanceOfConstructor(ctx, cause, e->error_ctor, NULL))
        eddy_value_set(v, "cause", error_from_js(e, cause, depth + 1));
      else if (eddy__from_js(e, cause, &cv, &x) == 0)
        eddy_value_set(v, "cause", cv);
    }
  } else {
    eddy_value *thrown = NULL;
    JSValueRef x = NULL;
    if (eddy__from_js(e, exc, &thrown, &x) == 0) eddy_value_set(v, "thrown", thrown);
  }
  free(name);
  free(message);
  free(stack);
  free(url);
  return v;
}

/* ---- host values to JS ----------------------------------------------------------------------- */

static JSValueRef make_string(JSContextRef ctx, const char *s, size_t len) {
  JSStringRef js = eddy__jsstring_from_utf8(s, len);
  if (!js) return NULL;
  JSValueRef r = JSValueMakeString(ctx, js);
  JSStringRelease(js);
  return r;
}

static JSValueRef to_js(eddy_engine *e, const eddy_value *v, int depth, JSValueRef *exc) {
  JSContextRef ctx = e->ctx;
  if (depth > MAX_DEPTH) return eddy__throw_type_error(ctx, exc, "value is nested too deeply");
  switch (v->type) {
    case EDDY_TYPE_UNDEFINED: return JSValueMakeUndefined(ctx);
    case EDDY_TYPE_NULL: return JSValueMakeNull(ctx);
    case EDDY_TYPE_BOOLEAN: return JSValueMakeBoolean(ctx, v->u.boolean);
    case EDDY_TYPE_NUMBER: return JSValueMakeNumber(ctx, v->u.number);
    case EDDY_TYPE_STRING: return make_string(ctx, v->u.str.ptr, v->u.str.len);
    case EDDY_TYPE_BIGINT: {
      JSStringRef s = JSStringCreateWithUTF8CString(v->u.str.ptr);
      JSValueRef r = JSBigIntCreateWithString(ctx, s, exc);
      JSStringRelease(s);
      return r;
    }
    case EDDY_TYPE_BYTES: {
      JSObjectRef arr = JSObjectMakeTypedArray(ctx, kJSTypedArrayTypeUint8Array, v->u.bytes.len, exc);
      if (!arr) return NULL;
      if (v->u.bytes.len)
        memcpy(JSObjectGetTypedArrayBytesPtr(ctx, arr, NULL), v->u.bytes.ptr, v->u.bytes.len);
      return arr;
    }
    case EDDY_TYPE_DATE: {
      JSValueRef arg = JSValueMakeNumber(ctx, v->u.number);
      return JSObjectMakeDate(ctx, 1, &arg, exc);
    }
    case EDDY_TYPE_ARRAY: {
      JSObjectRef arr = JSObjectMakeArray(ctx, 0, NULL, exc);
      if (!arr) return NULL;
      for (size_t i = 0; i < v->u.list.len; i++) {
        JSValueRef item = to_js(e, v->u.list.items[i], depth + 1, exc);
        if (!item) return NULL;
        JSObjectSetPropertyAtIndex(ctx, arr, (unsigned)i, item, exc);
      }
      return arr;
    }
    case EDDY_TYPE_OBJECT: {
      JSObjectRef obj = JSObjectMake(ctx, NULL, NULL);
      for (size_t i = 0; i < v->u.list.len; i++) {
        JSValueRef item = to_js(e, v->u.list.items[i], depth + 1, exc);
        if (!item) return NULL;
        JSStringRef k = eddy__jsstring_from_utf8(v->u.list.keys[i], v->u.list.key_lens[i]);
        JSObjectSetProperty(ctx, obj, k, item, kJSPropertyAttributeNone, exc);
        JSStringRelease(k);
        if (*exc) return NULL;
      }
      return obj;
    }
    case EDDY_TYPE_ERROR: {
      const char *name = eddy_value_error_name(v);
      JSObjectRef err = eddy__make_error(ctx, *name ? name : "Error", eddy_value_error_message(v));
      /* Unknown names (host-defined errors) keep their name on a plain Error. */
      JSValueRef actual = JSObjectGetProperty(ctx, err, eddy__n.name, NULL);
      JSValueRef want = make_string(ctx, name, strlen(name));
      if (*name && actual && !JSValueIsStrictEqual(ctx, actual, want))
        JSObjectSetProperty(ctx, err, eddy__n.name, want, kJSPropertyAttributeDontEnum, NULL);
      for (size_t i = 0; i < v->u.list.len; i++) {
        const char *k = v->u.list.keys[i];
        if (!strcmp(k, "name") || !strcmp(k, "message") || !strcmp(k, "stack")) continue;
        JSValueRef item = to_js(e, v->u.list.items[i], depth + 1, exc);
        if (!item) return NULL;
        JSStringRef ks = JSStringCreateWithUTF8CString(k);
        JSObjectSetProperty(ctx, err, ks, item, kJSPropertyAttributeNone, NULL);
        JSStringRelease(ks);
      }
      return err;
    }
    case EDDY_TYPE_FUNCTION: {
      if (!v->u.fn.ref || v->u.fn.ref->engine != e)
        return eddy__throw_type_error(ctx, exc, "function value belongs to another engine");
      JSObjectRef fn = eddy__handle_get(e, v->u.fn.ref->handle);
      if (!fn) return eddy__throw_type_error(ctx, exc, "function value was released");
      return fn;
    }
  }
  return JSValueMakeUndefined(ctx);
}

JSValueRef eddy__to_js(eddy_engine *e, const eddy_value *v, JSValueRef *exc) {
  if (!v) return JSValueMakeUndefined(e->ctx);
  return to_js(e, v, 0, exc);
}
