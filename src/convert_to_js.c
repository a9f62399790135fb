/* Host values to JS: an eddy_value tree becomes JS values, a node shared by several parents one
   JS object again (the other direction, JS -> host, and errors are convert.c). JS thread only.

   An iterative walk with an explicit stack: a value nested EDDY__MAX_DEPTH deep costs no C
   stack. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct {
  const eddy_value *v;
  JSObjectRef target;
  size_t i;
} to_frame;

/* A bigint of more digits than this is beyond JSC's BigInt (a RangeError there too), and its
   decimal string would be parsed in quadratic time first. */
#define MAX_BIGINT_DIGITS (1u << 20)

static JSValueRef bigint_value(JSContextRef ctx, const eddy_value *v, JSValueRef *exc) {
  if (v->u.str.len > MAX_BIGINT_DIGITS) {
    *exc = eddy__make_error(ctx, "RangeError", "BigInt is too large");
    return NULL;
  }
  JSStringRef s = JSStringCreateWithUTF8CString(v->u.str.ptr);
  JSValueRef r = JSBigIntCreateWithString(ctx, s, exc);
  JSStringRelease(s);
  return r;
}

/* The constructor for a host error named name: a global whose prototype is an Error's (Error,
   TypeError, a script's subclass…), so that a name like "Function" or "Promise" cannot make
   something else out of the message. NULL: a plain Error gets the name. */
static JSObjectRef error_ctor_named(eddy_engine *e, const char *name) {
  JSContextRef ctx = e->ctx;
  if (!*name || !strcmp(name, "Error")) return e->error_ctor;
  /* No global class has a name that long (and the name alone could be too long for JSC). */
  if (strlen(name) > 256) return NULL;
  JSStringRef s = JSStringCreateWithUTF8CString(name);
  JSValueRef c = JSObjectGetProperty(ctx, JSContextGetGlobalObject(ctx), s, NULL);
  JSStringRelease(s);
  if (!c || !JSValueIsObject(ctx, c) || !JSObjectIsConstructor(ctx, (JSObjectRef)c)) return NULL;
  JSStringRef ps = JSStringCreateWithUTF8CString("prototype");
  JSValueRef proto = JSObjectGetProperty(ctx, (JSObjectRef)c, ps, NULL);
  JSStringRelease(ps);
  if (!proto || !JSValueIsObject(ctx, proto) ||
      !JSValueIsInstanceOfConstructor(ctx, proto, e->error_ctor, NULL))
    return NULL;
  return (JSObjectRef)c;
}

static JSObjectRef make_error(eddy_engine *e, const eddy_value *v, JSValueRef *exc) {
  JSContextRef ctx = e->ctx;
  const char *name = eddy_value_error_name(v);
  size_t mlen = 0;
  const char *message = eddy_value_string(eddy_value_get(v, "message"), &mlen);
  JSValueRef msg = eddy__js_string_value(ctx, message ? message : "", message ? mlen : 0, exc);
  if (!msg) return NULL;
  JSObjectRef ctor = error_ctor_named(e, name);
  JSObjectRef err = NULL;
  if (ctor) {
    JSValueRef x = NULL;
    /* AggregateError takes (errors, message). */
    JSValueRef args[2] = {msg, msg};
    int aggregate = !strcmp(name, "AggregateError");
    if (aggregate) args[0] = JSObjectMakeArray(ctx, 0, NULL, NULL);
    JSObjectRef r = JSObjectCallAsConstructor(ctx, ctor, aggregate ? 2 : 1, args, &x);
    if (r && !x && JSValueIsObject(ctx, r)) err = r;
  }
  if (!err) err = JSObjectMakeError(ctx, 1, &msg, exc);
  if (!err) return NULL;
  /* Unknown names (host-defined errors) keep their name on a plain Error. */
  JSValueRef actual = JSObjectGetProperty(ctx, err, eddy__n.name, NULL);
  JSValueRef want = eddy__js_string_value(ctx, name, strlen(name), exc);
  if (!want) return NULL;
  if (*name && actual && !JSValueIsStrictEqual(ctx, actual, want))
    JSObjectSetProperty(ctx, err, eddy__n.name, want, kJSPropertyAttributeDontEnum, NULL);
  return err;
}

/* A JS value for v; an array, object or error comes back empty, to be filled by the walk. */
static JSValueRef to_js_node(eddy_engine *e, const eddy_value *v, JSValueRef *exc) {
  JSContextRef ctx = e->ctx;
  switch (v->type) {
    case EDDY_TYPE_UNDEFINED: return JSValueMakeUndefined(ctx);
    case EDDY_TYPE_NULL: return JSValueMakeNull(ctx);
    case EDDY_TYPE_BOOLEAN: return JSValueMakeBoolean(ctx, v->u.boolean);
    case EDDY_TYPE_NUMBER: return JSValueMakeNumber(ctx, v->u.number);
    case EDDY_TYPE_STRING: return eddy__js_string_value(ctx, v->u.str.ptr, v->u.str.len, exc);
    case EDDY_TYPE_BIGINT: return bigint_value(ctx, v, exc);
    case EDDY_TYPE_BYTES: {
      size_t n = v->u.bytes.len;
      if ((uint64_t)n > EDDY__JS_BYTES_MAX) {
        *exc = eddy__make_error(ctx, "RangeError", "bytes are larger than an ArrayBuffer can be");
        return NULL;
      }
      /* A smaller length JSC cannot allocate is a RangeError too (it throws one). */
      JSObjectRef arr = JSObjectMakeTypedArray(ctx, kJSTypedArrayTypeUint8Array, n, exc);
      if (!arr) return NULL;
      if (v->u.bytes.len)
        memcpy(JSObjectGetTypedArrayBytesPtr(ctx, arr, NULL), v->u.bytes.ptr, v->u.bytes.len);
      return arr;
    }
    case EDDY_TYPE_DATE: {
      JSValueRef arg = JSValueMakeNumber(ctx, v->u.number);
      return JSObjectMakeDate(ctx, 1, &arg, exc);
    }
    case EDDY_TYPE_ARRAY: return JSObjectMakeArray(ctx, 0, NULL, exc);
    case EDDY_TYPE_OBJECT: return JSObjectMake(ctx, NULL, NULL);
    case EDDY_TYPE_ERROR: return make_error(e, v, exc);
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

static int is_list(const eddy_value *v) {
  return v->type == EDDY_TYPE_ARRAY || v->type == EDDY_TYPE_OBJECT || v->type == EDDY_TYPE_ERROR;
}

/* Sets item i of the list f->v on its JS object. */
static int set_item(eddy_engine *e, to_frame *f, size_t i, JSValueRef item, JSValueRef *exc) {
  JSContextRef ctx = e->ctx;
  if (f->v->type == EDDY_TYPE_ARRAY) {
    JSObjectSetPropertyAtIndex(ctx, f->target, (unsigned)i, item, exc);
    return *exc ? EDDY_EEXCEPTION : 0;
  }
  JSStringRef k;
  int st = eddy__jsstring_from_utf8_checked(f->v->u.list.keys[i], f->v->u.list.key_lens[i], &k);
  if (st) {
    eddy__js_string_error(ctx, st, exc);
    return st == EDDY_ERANGE ? st : EDDY_EEXCEPTION;
  }
  /* A "__proto__" key is an own property, as JSON.parse makes it: a [[Set]] of it would give
     the object that prototype instead. */
  JSValueRef proto = NULL;
  if (f->v->u.list.key_lens[i] == 9 && !memcmp(f->v->u.list.keys[i], "__proto__", 9)) {
    proto = JSObjectGetPrototype(ctx, f->target);
    JSObjectSetPrototype(ctx, f->target, JSValueMakeNull(ctx));
  }
  /* An error's own fields (code, cause…) never fail the conversion, as a property set. */
  JSObjectSetProperty(ctx, f->target, k, item, kJSPropertyAttributeNone,
                      f->v->type == EDDY_TYPE_ERROR ? NULL : exc);
  if (proto) JSObjectSetPrototype(ctx, f->target, proto);
  JSStringRelease(k);
  return *exc ? EDDY_EEXCEPTION : 0;
}

/* An error's name, message and stack are made by make_error, not copied as fields. */
static int skipped_field(const eddy_value *list, size_t i) {
  if (list->type != EDDY_TYPE_ERROR) return 0;
  const char *k = list->u.list.keys[i];
  return !strcmp(k, "name") || !strcmp(k, "message") || !strcmp(k, "stack");
}

int eddy__to_js_checked(eddy_engine *e, const eddy_value *v, JSValueRef *out, JSValueRef *exc) {
  JSContextRef ctx = e->ctx;
  *out = NULL;
  if (!v) {
    *out = JSValueMakeUndefined(ctx);
    return 0;
  }
  JSValueRef root = to_js_node(e, v, exc);
  if (!root) goto failed;
  if (!is_list(v) || !v->u.list.len) {
    *out = root;
    return 0;
  }
  /* Only the root is not reachable from the root: the walk keeps it alive itself. */
  JSValueProtect(ctx, root);
  to_frame *stack = NULL;
  size_t depth = 0, cap = 0;
  eddy__ptrmap shared = {0}; /* node with refs -> its JS value */
  int st = 0;
  to_frame top = {v, (JSObjectRef)root, 0};
  for (;;) {
    if (top.i == top.v->u.list.len) {
      if (!depth) break;
      top = stack[--depth];
      continue;
    }
    size_t i = top.i++;
    if (skipped_field(top.v, i)) continue;
    const eddy_value *child = top.v->u.list.items[i];
    JSValueRef item = child->refs ? eddy__ptrmap_get(&shared, child) : NULL;
    int fresh = !item;
    if (fresh) {
      if (is_list(child) && depth + 2 > EDDY__MAX_DEPTH) {
        *exc = eddy__make_error(ctx, "RangeError", "value is nested too deeply");
        st = EDDY_ERANGE;
        break;
      }
      item = to_js_node(e, child, exc);
      if (!item) {
        st = EDDY_EEXCEPTION;
        break;
      }
      if (child->refs && eddy__ptrmap_put(&shared, child, (void *)item)) {
        eddy__throw_type_error(ctx, exc, "out of memory");
        st = EDDY_ENOMEM;
        break;
      }
    }
    /* Set before it is filled: reachable from the root, the new object stays alive. */
    if ((st = set_item(e, &top, i, item, exc))) break;
    if (fresh && is_list(child) && child->u.list.len) {
      if (depth == cap) {
        size_t ncap = cap ? cap * 2 : 16;
        to_frame *p = realloc(stack, ncap * sizeof(*p));
        if (!p) {
          eddy__throw_type_error(ctx, exc, "out of memory");
          st = EDDY_ENOMEM;
          break;
        }
        stack = p;
        cap = ncap;
      }
      stack[depth++] = top;
      top = (to_frame){child, (JSObjectRef)item, 0};
    }
  }
  free(stack);
  eddy__ptrmap_free(&shared);
  JSValueUnprotect(ctx, root);
  if (!st) {
    *out = root;
    return 0;
  }
  if (st != EDDY_EEXCEPTION) return st;
failed:
  /* The watchdog stopped it (a large value, under a time limit or an interrupt). */
  if (e->terminated) return EDDY_EINTERRUPTED;
  /* A string, BigInt or buffer too large for JSC is a RangeError: EDDY_ERANGE for the host. */
  if (*exc && JSValueIsObject(ctx, *exc)) {
    JSObjectRef ctor = error_ctor_named(e, "RangeError");
    if (ctor && JSValueIsInstanceOfConstructor(ctx, *exc, ctor, NULL)) return EDDY_ERANGE;
  }
  return EDDY_EEXCEPTION;
}

JSValueRef eddy__to_js(eddy_engine *e, const eddy_value *v, JSValueRef *exc) {
  JSValueRef out;
  eddy__to_js_checked(e, v, &out, exc);
  return out;
}
