/* Conversion between JS values and eddy_value trees: JS -> host and errors here, host -> JS in
   convert_to_js.c. JS thread only.

   Both directions are iterative walks with an explicit stack (a value nested EDDY__MAX_DEPTH
   deep costs no C stack), and both keep shared references shared: a JS object reached twice
   becomes one eddy_value node owned by both places (its `refs`), and such a node becomes one JS
   object again. So a graph like `o = {l: o, r: o}` repeated 30 times converts in 31 steps, not
   2^31. JS -> host also has a size budget, and stops for eddy_interrupt and the time limit. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_ARRAY_LENGTH (1u << 26)
/* Host memory one JS -> host conversion may allocate (an estimate: node, slot and key costs
   below, plus string and byte contents). More is a RangeError. */
#define BUDGET ((uint64_t)1 << 30)
#define NODE_COST 64 /* an eddy_value with malloc's overhead */
#define SLOT_COST 8  /* its pointer in the parent's items */
#define KEY_COST 24  /* a key's pointer, length and allocation overhead */
/* Causes and codes of errors are followed this many errors deep: `a.cause = b; b.cause = a`
   is legal JS, and each level is a C call (errors are converted by a nested walk). */
#define MAX_ERROR_DEPTH 8
/* Values converted between two checks for an interrupt or the time limit. */
#define CHECK_EVERY 256
/* Objects the conversion keeps alive per protected chunk (see keep_alive). */
#define KEEP 256

static const char interrupted_message[] = "JavaScript execution was interrupted";

/* ---- JS -> host ------------------------------------------------------------------------------ */

enum { OPEN, DONE };

typedef struct {
  JSObjectRef obj; /* kept alive until the conversion ends (keep_alive) */
  eddy_value *node;
  int state; /* OPEN while its contents are being converted: meeting it then is a cycle */
} memo_entry;

typedef struct {
  eddy_engine *e;
  JSContextRef ctx;
  eddy__ptrmap index; /* JSObjectRef -> memo position + 1 */
  memo_entry *memo;
  size_t memo_len, memo_cap;
  JSValueRef *pending; /* KEEP slots on the C stack of the entry point, where the collector looks */
  size_t npending;
  JSObjectRef *chunks; /* protected arrays of KEEP objects each */
  size_t nchunks, chunks_cap;
  uint64_t used;   /* of BUDGET */
  unsigned ticks;  /* objects since the last interrupt check */
  int fatal;       /* sticky EDDY_ERANGE (budget) or EDDY_EINTERRUPTED: the conversion stops */
  JSValueRef stopped; /* with EDDY_EINTERRUPTED: the exception to report (JSC's termination) */
  int error_depth; /* errors whose fields are being converted */
  JSObjectRef object_proto; /* %Object.prototype%, once an object needed it */
  JSObjectRef host_value;   /* native.hostValue (below), once an object needed it */
} converter;

typedef struct {
  JSObjectRef o;
  eddy_value *node; /* the array or object being filled */
  size_t i, n;
  JSStringRef *keys; /* an object's own enumerable keys, released as they are used */
  size_t memo;       /* its memo position */
  int level;         /* its nesting, 1 for the root */
} frame;

static void converter_init(converter *c, eddy_engine *e, JSValueRef keep[KEEP]) {
  memset(c, 0, sizeof(*c));
  c->e = e;
  c->ctx = e->ctx;
  c->pending = keep;
}

/* Forgets the memo entries from position mark on (their objects stay alive till the end). */
static void memo_truncate(converter *c, size_t mark) {
  while (c->memo_len > mark) eddy__ptrmap_del(&c->index, c->memo[--c->memo_len].obj);
}

static void converter_free(converter *c) {
  for (size_t i = 0; i < c->nchunks; i++) JSValueUnprotect(c->ctx, c->chunks[i]);
  free(c->chunks);
  free(c->memo);
  eddy__ptrmap_free(&c->index);
}

/* A conversion that cannot complete is an exception of the JS side, like a getter that throws:
   a TypeError (cycle, no memory) or a RangeError (too deep, too large). */
static int fail(converter *c, JSValueRef *exc, const char *ctor, const char *message) {
  *exc = eddy__make_error(c->ctx, ctor, message);
  return EDDY_EEXCEPTION;
}

static const char too_large[] = "value is too large to convert (over 1 GiB)";

static JSObjectRef interrupted_error(JSContextRef ctx) {
  JSObjectRef err = eddy__make_error(ctx, "Error", interrupted_message);
  JSStringRef s = JSStringCreateWithUTF8CString("InterruptedError");
  if (err) JSObjectSetProperty(ctx, err, eddy__n.name, JSValueMakeString(ctx, s),
                               kJSPropertyAttributeDontEnum, NULL);
  JSStringRelease(s);
  return err;
}

/* After a JS call failed (*exc set): terminated by the watchdog (JSC's termination must go on
   unwinding the JS around us: it is kept), or a plain exception. */
static int thrown(converter *c, JSValueRef *exc) {
  if (!c->e->terminated) return EDDY_EEXCEPTION;
  c->stopped = *exc;
  return c->fatal = EDDY_EINTERRUPTED;
}

/* The status and *exc of a conversion stopped by c->fatal. */
static int stopped(converter *c, JSValueRef *exc) {
  if (c->fatal == EDDY_ERANGE) return fail(c, exc, "RangeError", too_large);
  *exc = c->stopped;
  return c->fatal;
}

/* Whether eddy_interrupt, the time limit or close wants the running JS stopped. */
static int should_stop(eddy_engine *e) {
  if (e->terminated || atomic_load(&e->closing)) return 1;
  if (e->booting || !atomic_load(&e->in_js)) return 0;
  if (atomic_load(&e->interrupt_gen) == atomic_load(&e->entry_gen)) return 1;
  return e->opts.time_limit_ms &&
         eddy__now_ns() - atomic_load(&e->entry_ns) >= (uint64_t)e->opts.time_limit_ms * 1000000u;
}

static int tick(converter *c, JSValueRef *exc) {
  if (++c->ticks < CHECK_EVERY) return 0;
  c->ticks = 0;
  if (!should_stop(c->e)) return 0;
  /* The watchdog will stop the JS around us at its next check: the interrupt stays requested. */
  *exc = c->stopped = interrupted_error(c->ctx);
  return c->fatal = EDDY_EINTERRUPTED;
}

static int charge(converter *c, uint64_t bytes, JSValueRef *exc) {
  if (bytes <= BUDGET - c->used) {
    c->used += bytes;
    return 0;
  }
  c->fatal = EDDY_ERANGE;
  return fail(c, exc, "RangeError", too_large);
}

/* Every object in the memo stays alive until the conversion ends: a getter's fresh object could
   otherwise be collected and its address reused by another one, which would then look already
   converted. Protecting each one makes every collection meanwhile scan them all as roots;
   instead they wait on the C stack (scanned) and move KEEP at a time into a protected array. */
static int keep_alive(converter *c, JSObjectRef o, JSValueRef *exc) {
  c->pending[c->npending++] = o;
  if (c->npending < KEEP) return 0;
  if (c->nchunks == c->chunks_cap) {
    size_t cap = c->chunks_cap ? c->chunks_cap * 2 : 16;
    JSObjectRef *p = realloc(c->chunks, cap * sizeof(*p));
    if (!p) {
      c->npending--;
      return fail(c, exc, "TypeError", "out of memory");
    }
    c->chunks = p;
    c->chunks_cap = cap;
  }
  JSObjectRef chunk = JSObjectMakeArray(c->ctx, KEEP, c->pending, NULL);
  if (!chunk) {
    c->npending--;
    return fail(c, exc, "TypeError", "out of memory");
  }
  JSValueProtect(c->ctx, chunk);
  c->chunks[c->nchunks++] = chunk;
  c->npending = 0;
  return 0;
}

static int memo_add(converter *c, JSObjectRef o, eddy_value *node, int state, JSValueRef *exc) {
  if (c->memo_len == c->memo_cap) {
    size_t cap = c->memo_cap ? c->memo_cap * 2 : 16;
    memo_entry *m = realloc(c->memo, cap * sizeof(*m));
    if (!m) return fail(c, exc, "TypeError", "out of memory");
    c->memo = m;
    c->memo_cap = cap;
  }
  int st = keep_alive(c, o, exc);
  if (st) return st;
  if (eddy__ptrmap_put(&c->index, o, (void *)(uintptr_t)(c->memo_len + 1)))
    return fail(c, exc, "TypeError", "out of memory");
  c->memo[c->memo_len++] = (memo_entry){o, node, state};
  return 0;
}

static memo_entry *memo_find(converter *c, JSObjectRef o) {
  uintptr_t i = (uintptr_t)eddy__ptrmap_get(&c->index, o);
  return i ? &c->memo[i - 1] : NULL;
}

/* A string or bigint node; its UTF-8 (at least a byte a unit) is charged before it is made. */
static int string_node(converter *c, JSValueRef v, eddy_type type, eddy_value **out,
                       JSValueRef *exc) {
  JSStringRef s = JSValueToStringCopy(c->ctx, v, exc);
  if (!s) return thrown(c, exc);
  size_t units = JSStringGetLength(s);
  int st = charge(c, units, exc);
  eddy_value *n = st ? NULL : eddy__value_new(type);
  if (n && eddy__jsstring_to_utf8(s, &n->u.str.ptr, &n->u.str.len)) {
    free(n);
    n = NULL;
  }
  JSStringRelease(s);
  if (st) return st;
  if (!n) return fail(c, exc, "TypeError", "out of memory");
  if ((st = charge(c, n->u.str.len - units, exc))) {
    eddy_value_free(n);
    return st;
  }
  *out = n;
  return 0;
}

static JSValueRef get(JSContextRef ctx, JSObjectRef o, JSStringRef name, JSValueRef *exc) {
  return JSObjectGetProperty(ctx, o, name, exc);
}

static int bytes_node(converter *c, const uint8_t *p, uint64_t n, eddy_value **out,
                      JSValueRef *exc) {
  int st = charge(c, NODE_COST + n, exc);
  if (st) return st;
  *out = eddy_value_new_bytes(n ? (const void *)p : "", (size_t)n);
  return *out ? 0 : fail(c, exc, "TypeError", "out of memory");
}

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
  if (*exc) return thrown(c, exc);
  return bytes_node(c, p, n, out, exc);
}

/* A DataView's buffer, byteOffset and byteLength are read through getters a script can
   replace, so the range is checked against the buffer itself before a byte is read. */
static int convert_dataview(converter *c, JSObjectRef o, eddy_value **out, JSValueRef *exc) {
  JSValueRef buf = get(c->ctx, o, eddy__n.buffer, exc);
  double off = *exc ? 0 : JSValueToNumber(c->ctx, get(c->ctx, o, eddy__n.byteOffset, exc), exc);
  double len = *exc ? 0 : JSValueToNumber(c->ctx, get(c->ctx, o, eddy__n.byteLength, exc), exc);
  if (*exc) return thrown(c, exc);
  if (JSValueGetTypedArrayType(c->ctx, buf, NULL) != kJSTypedArrayTypeArrayBuffer)
    return fail(c, exc, "TypeError", "detached DataView");
  const uint8_t *p = JSObjectGetArrayBufferBytesPtr(c->ctx, (JSObjectRef)buf, exc);
  size_t size = JSObjectGetArrayBufferByteLength(c->ctx, (JSObjectRef)buf, exc);
  if (*exc) return thrown(c, exc);
  if (!(off >= 0) || !(len >= 0) || off > (double)size || len > (double)size - off)
    return fail(c, exc, "RangeError", "DataView is outside its buffer");
  return bytes_node(c, len > 0 ? p + (size_t)off : NULL, (uint64_t)len, out, exc);
}

static int convert_function(converter *c, JSObjectRef o, eddy_value **out, JSValueRef *exc) {
  int st = charge(c, NODE_COST + 64, exc);
  if (st) return st;
  uint32_t handle;
  if (eddy__handle_new(c->e, o, &handle)) return fail(c, exc, "TypeError", "out of memory");
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
    return fail(c, exc, "TypeError", "out of memory");
  }
  return 0;
}

/* hostValue(object) -> a Map's entries as [key, value] arrays, a Set's values (each a new
   array), a RegExp's "/source/flags", a Boolean, Number, String or BigInt object's primitive;
   undefined for any other object. Kinds are found by prototype and confirmed by the intrinsic
   that reads the internal slot (as clone.js does), so an object that only inherits from
   Map.prototype is an ordinary object, and only intrinsics are called: those there when it is
   first needed (as clone.js takes its own when it is installed). Compiled with every engine it
   cost 1.5M instructions, 12% of an engine's creation. */
static const char host_value_src[] =
    "(function () {\n"
    "  'use strict';\n"
    "  const { apply } = Reflect;\n"
    "  const { getPrototypeOf, getOwnPropertyDescriptor } = Object;\n"
    "  const getter = (o, k) => { const d = getOwnPropertyDescriptor(o, k); return d && d.get; };\n"
    "  const push = Array.prototype.push;\n"
    "  const mapForEach = Map.prototype.forEach, setForEach = Set.prototype.forEach;\n"
    "  const source = getter(RegExp.prototype, 'source');\n"
    "  const flags = [['d', 'hasIndices'], ['g', 'global'], ['i', 'ignoreCase'], ['m', 'multiline'],\n"
    "    ['s', 'dotAll'], ['u', 'unicode'], ['v', 'unicodeSets'], ['y', 'sticky']]\n"
    "    .map(([l, n]) => [l, getter(RegExp.prototype, n)]).filter(([, g]) => g);\n"
    "  const kinds = new Map([[Map.prototype, 1], [Set.prototype, 2], [RegExp.prototype, 3],\n"
    "    [Boolean.prototype, Boolean.prototype.valueOf], [Number.prototype, Number.prototype.valueOf],\n"
    "    [String.prototype, String.prototype.valueOf], [BigInt.prototype, BigInt.prototype.valueOf]]);\n"
    "  return function hostValue(v) {\n"
    "    for (let p = getPrototypeOf(v); p !== null; p = getPrototypeOf(p)) {\n"
    "      const k = kinds.get(p);\n"
    "      if (k === undefined) continue;\n"
    "      try {\n"
    "        if (k === 1) {\n"
    "          const out = [];\n"
    "          apply(mapForEach, v, [(value, key) => { apply(push, out, [[key, value]]); }]);\n"
    "          return out;\n"
    "        }\n"
    "        if (k === 2) {\n"
    "          const out = [];\n"
    "          apply(setForEach, v, [(value) => { apply(push, out, [value]); }]);\n"
    "          return out;\n"
    "        }\n"
    "        if (k === 3) {\n"
    "          const src = apply(source, v, []);\n"
    "          let f = '';\n"
    "          for (let i = 0; i < flags.length; i++) if (apply(flags[i][1], v, [])) f += flags[i][0];\n"
    "          return `/${src}/${f}`;\n"
    "        }\n"
    "        return apply(k, v, []);\n"
    "      } catch {\n"
    "        return undefined;\n"
    "      }\n"
    "    }\n"
    "    return undefined;\n"
    "  };\n"
    "})()";

/* What hostValue makes of an object that is neither plain (its prototype %Object.prototype% or
   null, as a Proxy's stored one is) nor an array: *special is NULL to convert o as the object it
   is, else a primitive (a RegExp's text, a wrapper's value) or an array to convert in o's place
   (a Map's [key, value] entries, a Set's values). */
static int host_value(converter *c, JSObjectRef o, JSValueRef *special, JSValueRef *exc) {
  JSContextRef ctx = c->ctx;
  *special = NULL;
  if (!c->object_proto) {
    /* A fresh object's [[Prototype]] is its realm's %Object.prototype%, whatever a script did. */
    JSValueRef p = JSObjectGetPrototype(ctx, JSObjectMake(ctx, NULL, NULL));
    if (!JSValueIsObject(ctx, p)) return 0;
    c->object_proto = (JSObjectRef)p;
  }
  JSValueRef proto = JSObjectGetPrototype(ctx, o);
  if (JSValueIsNull(ctx, proto) || proto == c->object_proto) return 0;
  if (!c->host_value) {
    /* Kept on the native object (protected, never seen by scripts) once compiled. */
    JSStringRef name = JSStringCreateWithUTF8CString("hostValue");
    JSValueRef fn = JSObjectGetProperty(ctx, c->e->native, name, NULL);
    if (!fn || !JSValueIsObject(ctx, fn)) {
      JSStringRef src = JSStringCreateWithUTF8CString(host_value_src);
      fn = JSEvaluateScript(ctx, src, NULL, NULL, 1, exc);
      JSStringRelease(src);
      if (fn && !*exc && JSValueIsObject(ctx, fn))
        JSObjectSetProperty(ctx, c->e->native, name, fn, kJSPropertyAttributeDontEnum, NULL);
    }
    JSStringRelease(name);
    if (*exc) return thrown(c, exc);
    if (!fn || !JSValueIsObject(ctx, fn)) return fail(c, exc, "TypeError", "out of memory");
    c->host_value = (JSObjectRef)fn;
  }
  JSValueRef arg = o;
  JSValueRef r = JSObjectCallAsFunction(ctx, c->host_value, NULL, 1, &arg, exc);
  if (*exc) return thrown(c, exc);
  if (r && !JSValueIsUndefined(ctx, r)) *special = r;
  return 0;
}

static int is_error(converter *c, JSValueRef v) {
  return JSValueIsInstanceOfConstructor(c->ctx, v, c->e->error_ctor, NULL);
}

static eddy_value *error_node(converter *c, JSValueRef exc, int level, int shallow);

static void release_keys(frame *f) {
  if (!f->keys) return;
  for (size_t i = f->i; i < f->n; i++) JSStringRelease(f->keys[i]);
  free(f->keys);
  f->keys = NULL;
}

/* The own enumerable string keys of o (Object.keys order) as C-owned strings, so that the key
   array need not stay alive in JS while the walk goes deeper. */
static int object_keys(converter *c, JSObjectRef o, frame *f, JSValueRef *exc) {
  JSValueRef arg = o;
  JSValueRef keys = JSObjectCallAsFunction(c->ctx, c->e->object_keys, NULL, 1, &arg, exc);
  if (*exc) return thrown(c, exc);
  double n = JSValueToNumber(c->ctx, get(c->ctx, (JSObjectRef)keys, eddy__n.length, exc), exc);
  if (*exc) return thrown(c, exc);
  if (!(n >= 0) || n > MAX_ARRAY_LENGTH)
    return fail(c, exc, "RangeError", "object has too many keys to convert");
  int st = charge(c, (uint64_t)n * (SLOT_COST + KEY_COST), exc);
  if (st) return st;
  f->n = (size_t)n;
  if (!f->n) return 0;
  f->keys = calloc(f->n, sizeof(*f->keys));
  if (!f->keys) return fail(c, exc, "TypeError", "out of memory");
  for (size_t i = 0; i < f->n; i++) {
    JSValueRef k = JSObjectGetPropertyAtIndex(c->ctx, (JSObjectRef)keys, (unsigned)i, exc);
    f->keys[i] = *exc ? NULL : JSValueToStringCopy(c->ctx, k, exc);
    if (!f->keys[i]) {
      f->n = i;
      release_keys(f);
      return *exc ? thrown(c, exc) : fail(c, exc, "TypeError", "out of memory");
    }
  }
  return 0;
}

/* Converts v found at nesting `level` (the containers around it). A primitive or a leaf object
   gives 0 with *out set; an array or object not seen before gives 1 with *out its (empty) node
   and *f the frame that fills it; an object seen before gives 0 and its node shared. */
static int open_value(converter *c, JSValueRef v, int level, eddy_value **out, frame *f,
                      JSValueRef *exc) {
  JSContextRef ctx = c->ctx;
  *out = NULL;
  int st;
  if ((st = tick(c, exc))) return st;
  JSType type = JSValueGetType(ctx, v);
  if (type != kJSTypeObject && (st = charge(c, NODE_COST, exc))) return st;
  switch (type) {
    case kJSTypeUndefined: *out = eddy_value_new_undefined(); break;
    case kJSTypeNull: *out = eddy_value_new_null(); break;
    case kJSTypeBoolean: *out = eddy_value_new_bool(JSValueToBoolean(ctx, v)); break;
    case kJSTypeNumber: *out = eddy_value_new_number(JSValueToNumber(ctx, v, NULL)); break;
    case kJSTypeString:
    case kJSTypeBigInt:
    case kJSTypeSymbol: {
      JSValueRef s = v;
      /* ToString throws on symbols; String(sym) gives "Symbol(description)". */
      if (type == kJSTypeSymbol)
        s = JSObjectCallAsFunction(ctx, c->e->string_ctor, NULL, 1, &v, exc);
      if (*exc) return thrown(c, exc);
      eddy_type t = type == kJSTypeBigInt ? EDDY_TYPE_BIGINT : EDDY_TYPE_STRING;
      return string_node(c, s, t, out, exc);
    }
    case kJSTypeObject: {
      JSObjectRef o = (JSObjectRef)v;
      memo_entry *seen = memo_find(c, o);
      if (seen && seen->state == DONE) {
        if (seen->node->refs == UINT32_MAX) return fail(c, exc, "RangeError", too_large);
        seen->node->refs++;
        *out = seen->node;
        return 0;
      }
      if (seen) {
        /* Reached again while its own contents are converted. An error's cause or code may
           lead back to it (legal JS): that occurrence is converted without them. */
        if (seen->node->type != EDDY_TYPE_ERROR)
          return fail(c, exc, "TypeError", "cannot convert a cyclic structure");
        *out = error_node(c, v, level, 1);
        return *out ? 0 : fail(c, exc, "TypeError", "out of memory");
      }
      eddy_value *leaf = NULL;
      if (JSObjectIsFunction(ctx, o)) {
        if ((st = convert_function(c, o, &leaf, exc))) return st;
      } else if (JSValueIsDate(ctx, v)) {
        if ((st = charge(c, NODE_COST, exc))) return st;
        double ms = JSValueToNumber(ctx, v, exc);
        if (*exc) return thrown(c, exc);
        if (!(leaf = eddy_value_new_date(ms))) return fail(c, exc, "TypeError", "out of memory");
      } else {
        JSTypedArrayType t = JSValueGetTypedArrayType(ctx, v, NULL);
        if (t != kJSTypedArrayTypeNone) {
          if ((st = convert_bytes(c, o, t, &leaf, exc))) return st;
        } else if (JSValueIsInstanceOfConstructor(ctx, v, c->e->dataview_ctor, NULL)) {
          if ((st = convert_dataview(c, o, &leaf, exc))) return st;
        }
      }
      if (leaf) {
        if ((st = memo_add(c, o, leaf, DONE, exc))) {
          eddy_value_free(leaf);
          return st;
        }
        *out = leaf;
        return 0;
      }
      if (level >= EDDY__MAX_DEPTH)
        return fail(c, exc, "RangeError", "value is nested too deeply to convert");
      if ((st = charge(c, NODE_COST, exc))) return st;
      if (is_error(c, v)) {
        /* Its entry stays OPEN while its fields (a nested walk) are converted. */
        eddy_value *placeholder = eddy__value_new(EDDY_TYPE_ERROR);
        if (!placeholder) return fail(c, exc, "TypeError", "out of memory");
        size_t at = c->memo_len;
        if ((st = memo_add(c, o, placeholder, OPEN, exc))) {
          eddy_value_free(placeholder);
          return st;
        }
        eddy_value *err = error_node(c, v, level, 0);
        eddy_value_free(placeholder);
        c->memo[at].node = err;
        c->memo[at].state = DONE;
        if (!err) return fail(c, exc, "TypeError", "out of memory");
        if (c->fatal) {
          /* error_node gave up on a field for the budget or an interrupt: so does the walk
             (which forgets the entry). */
          eddy_value_free(err);
          c->memo[at].node = NULL;
          return stopped(c, exc);
        }
        *out = err;
        return 0;
      }
      /* A Map or Set converts as the array hostValue made of it (kept alive: the frame reads
         it), memoized as the Map or Set itself; a RegExp or wrapper as its primitive. */
      JSObjectRef items = o;
      int is_array = JSValueIsArray(ctx, v);
      if (!is_array) {
        JSValueRef special;
        if ((st = host_value(c, o, &special, exc))) return st;
        if (special && !JSValueIsObject(ctx, special)) {
          if ((st = open_value(c, special, level, &leaf, f, exc))) return st;
          if ((st = memo_add(c, o, leaf, DONE, exc))) {
            eddy_value_free(leaf);
            return st;
          }
          *out = leaf;
          return 0;
        }
        if (special) {
          if ((st = keep_alive(c, (JSObjectRef)special, exc))) return st;
          items = (JSObjectRef)special;
          is_array = 1;
        }
      }
      memset(f, 0, sizeof(*f));
      f->o = items;
      f->level = level + 1;
      if (is_array) {
        double n = JSValueToNumber(ctx, get(ctx, items, eddy__n.length, exc), exc);
        if (*exc) return thrown(c, exc);
        if (!(n >= 0) || n > MAX_ARRAY_LENGTH)
          return fail(c, exc, "RangeError", "array too long to convert");
        if ((st = charge(c, (uint64_t)n * SLOT_COST, exc))) return st;
        f->n = (size_t)n;
        f->node = eddy_value_new_array();
        if (f->node && f->n) {
          f->node->u.list.items = malloc(f->n * sizeof(*f->node->u.list.items));
          if (f->node->u.list.items) f->node->u.list.cap = f->n;
          else {
            eddy_value_free(f->node);
            f->node = NULL;
          }
        }
      } else {
        if ((st = object_keys(c, o, f, exc))) return st;
        /* Object.keys has no duplicates: keys are appended, never looked up. */
        f->node = eddy_value_new_object();
        if (f->node && f->n) {
          eddy_value *n = f->node;
          n->u.list.items = malloc(f->n * sizeof(*n->u.list.items));
          n->u.list.keys = malloc(f->n * sizeof(*n->u.list.keys));
          n->u.list.key_lens = malloc(f->n * sizeof(*n->u.list.key_lens));
          if (n->u.list.items && n->u.list.keys && n->u.list.key_lens) n->u.list.cap = f->n;
          else {
            eddy_value_free(n);
            f->node = NULL;
          }
        }
      }
      if (!f->node) {
        release_keys(f);
        return fail(c, exc, "TypeError", "out of memory");
      }
      f->memo = c->memo_len;
      if ((st = memo_add(c, o, f->node, OPEN, exc))) {
        release_keys(f);
        eddy_value_free(f->node);
        return st;
      }
      *out = f->node;
      return 1;
    }
  }
  return *out ? 0 : fail(c, exc, "TypeError", "out of memory");
}

/* Converts v, nested `level` containers deep, iteratively. On failure the part converted is
   freed and forgotten by the memo (an error's field may fail and the error still convert). */
static int walk(converter *c, JSValueRef v, int level, eddy_value **out, JSValueRef *exc) {
  *out = NULL;
  if (c->fatal) return stopped(c, exc);
  size_t mark = c->memo_len;
  frame *stack = NULL;
  size_t depth = 0, cap = 0;
  frame top;
  eddy_value *root = NULL;
  int st = open_value(c, v, level, &root, &top, exc);
  if (st < 0) goto failed;
  if (st == 1) {
    for (;;) {
      if (top.i == top.n) {
        c->memo[top.memo].state = DONE;
        release_keys(&top);
        if (!depth) break;
        top = stack[--depth];
        continue;
      }
      size_t i = top.i++;
      JSValueRef item;
      JSStringRef key = NULL;
      if (top.keys) {
        key = top.keys[i];
        item = JSObjectGetProperty(c->ctx, top.o, key, exc);
      } else {
        item = JSObjectGetPropertyAtIndex(c->ctx, top.o, (unsigned)i, exc);
      }
      frame next;
      eddy_value *node = NULL;
      st = *exc ? thrown(c, exc) : open_value(c, item, top.level, &node, &next, exc);
      if (st >= 0) {
        int r = 0;
        eddy_value *list = top.node;
        if (key) {
          char *k = NULL;
          size_t klen = 0;
          r = eddy__jsstring_to_utf8(key, &k, &klen) ? EDDY_ENOMEM : charge(c, klen, exc);
          if (r) {
            free(k);
            eddy_value_free(node);
          } else {
            list->u.list.keys[list->u.list.len] = k;
            list->u.list.key_lens[list->u.list.len] = klen;
          }
        }
        if (!r) list->u.list.items[list->u.list.len++] = node;
        if (r && st == 1) release_keys(&next);
        if (r == EDDY_ENOMEM) st = fail(c, exc, "TypeError", "out of memory");
        else if (r) st = r; /* charge() set *exc */
      }
      if (key) {
        JSStringRelease(key);
        top.keys[i] = NULL;
      }
      if (st < 0) {
        release_keys(&top);
        break;
      }
      if (st == 1) {
        if (depth == cap) {
          size_t ncap = cap ? cap * 2 : 16;
          frame *p = realloc(stack, ncap * sizeof(*p));
          if (!p) {
            release_keys(&next);
            release_keys(&top);
            st = fail(c, exc, "TypeError", "out of memory");
            break;
          }
          stack = p;
          cap = ncap;
        }
        stack[depth++] = top;
        top = next;
      }
    }
    while (st < 0 && depth) release_keys(&stack[--depth]);
    free(stack);
    if (st < 0) goto failed;
  }
  *out = root;
  return 0;
failed:
  eddy_value_free(root);
  memo_truncate(c, mark);
  return st;
}

int eddy__from_js(eddy_engine *e, JSValueRef v, eddy_value **out, JSValueRef *exc) {
  if (!v) {
    *out = eddy_value_new_undefined();
    return *out ? 0 : EDDY_ENOMEM;
  }
  converter c;
  JSValueRef keep[KEEP];
  converter_init(&c, e, keep);
  if (!JSValueIsObject(e->ctx, v)) return walk(&c, v, 0, out, exc);
  /* Every API call of the walk is then a cheap recursive acquisition of JSC's lock. */
  eddy__jsc_lock_holder lock;
  eddy__jsc_lock(&e->jsc, &lock, e->group);
  int st = walk(&c, v, 0, out, exc);
  converter_free(&c);
  eddy__jsc_unlock(&e->jsc, &lock);
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

/* A field of an error (code, cause, thrown), converted by a nested walk sharing the memo and
   budget; a failure leaves it out, unless it stopped the whole conversion (c->fatal). */
static void error_field(converter *c, eddy_value *v, const char *key, JSValueRef value,
                        int level) {
  if (c->fatal || c->error_depth >= MAX_ERROR_DEPTH) return;
  c->error_depth++;
  eddy_value *fv = NULL;
  JSValueRef x = NULL;
  if (walk(c, value, level, &fv, &x) == 0) eddy_value_set(v, key, fv);
  c->error_depth--;
}

/* The error value of exc (any thrown value) at nesting `level`; its code, cause (and for a
   thrown non-error, the value itself) are left out when shallow. NULL only when out of memory. */
static eddy_value *error_node(converter *c, JSValueRef exc, int level, int shallow) {
  JSContextRef ctx = c->ctx;
  if (!exc) return eddy_value_new_error("Error", "unknown error");
  eddy_value *v = eddy__value_new(EDDY_TYPE_ERROR);
  if (!v) return NULL;
  char *name = NULL, *message = NULL, *stack = NULL, *url = NULL;
  double line = NAN, column = NAN;
  int is_err = JSValueIsObject(ctx, exc) && is_error(c, exc);
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
  if (is_err && !shallow) {
    JSObjectRef o = (JSObjectRef)exc;
    JSValueRef code = JSObjectGetProperty(ctx, o, eddy__n.code, NULL);
    if (code && !JSValueIsUndefined(ctx, code)) error_field(c, v, "code", code, level + 1);
    JSValueRef cause = JSObjectGetProperty(ctx, o, eddy__n.cause, NULL);
    if (cause && !JSValueIsUndefined(ctx, cause)) error_field(c, v, "cause", cause, level + 1);
  } else if (!is_err) {
    error_field(c, v, "thrown", exc, level + 1);
  }
  free(name);
  free(message);
  free(stack);
  free(url);
  return v;
}

eddy_value *eddy__error_from_js(eddy_engine *e, JSValueRef exc) {
  /* What a terminated entry throws is JSC's termination, not the script's. */
  if (e->terminated && exc && !(JSValueIsObject(e->ctx, exc) &&
                                JSValueIsInstanceOfConstructor(e->ctx, exc, e->error_ctor, NULL)))
    return eddy_value_new_error("InterruptedError", interrupted_message);
  converter c;
  JSValueRef keep[KEEP];
  converter_init(&c, e, keep);
  eddy__jsc_lock_holder lock;
  eddy__jsc_lock(&e->jsc, &lock, e->group);
  eddy_value *v = error_node(&c, exc, 0, 0);
  converter_free(&c);
  eddy__jsc_unlock(&e->jsc, &lock);
  return v;
}
