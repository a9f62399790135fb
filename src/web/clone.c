/* native.cloneProto behind the structured clone walk (src/js/clone.js): an object's stored
   [[Prototype]] read without running any Proxy trap, which no JS operation can do. And
   native.hostValue, the structured clone's classification for the host-value conversion
   (src/convert.c): what a Map, Set, RegExp or primitive wrapper becomes for the host. */
#include "../internal.h"

/* cloneProto(object) -> false for a Proxy (or the global object's proxy: JSC gives scripts a
   proxy of the global), else its stored [[Prototype]] (an object or null). */
static JSValueRef clone_proto(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                              const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  if (argc < 1 || !JSValueIsObject(ctx, argv[0]))
    return eddy__throw_type_error(ctx, exc, "cloneProto: expected an object");
  JSObjectRef o = (JSObjectRef)argv[0];
  eddy_engine *e = eddy__engine_of(ctx);
  if (e->jsc.proxy_target) {
    if (e->jsc.proxy_target(o)) return JSValueMakeBoolean(ctx, false);
  } else if (o == JSContextGetGlobalObject(ctx)) {
    /* Without JSObjectGetProxyTarget (EDDY_JSC_PROXY_TARGET) only the global's proxy is known:
       any other Proxy has a stored [[Prototype]] of null and clones as the null-prototype object
       its traps make it look like. */
    return JSValueMakeBoolean(ctx, false);
  }
  return JSObjectGetPrototype(ctx, o);
}

/* hostValue(object) -> a Map's entries as [key, value] arrays, a Set's values (each a new
   array), a RegExp's "/source/flags", a Boolean, Number, String or BigInt object's primitive;
   undefined for any other object. Kinds are found by prototype and confirmed by the intrinsic
   that reads the internal slot (as clone.js does), so an object that only inherits from
   Map.prototype is an ordinary object, and no method a script can replace is called. Made when
   the engine is created: the intrinsics it holds are the ones no script has touched yet. */
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

int eddy__clone_init(eddy_engine *e, JSObjectRef native) {
  eddy__set_function(e->ctx, native, "cloneProto", clone_proto);
  JSStringRef src = JSStringCreateWithUTF8CString(host_value_src);
  JSValueRef exc = NULL;
  JSValueRef fn = JSEvaluateScript(e->ctx, src, NULL, NULL, 1, &exc);
  JSStringRelease(src);
  if (!fn || exc || !JSValueIsObject(e->ctx, fn))
    return eddy__setup_failed(e, "native.hostValue", exc, NULL, EDDY_EEXCEPTION);
  eddy__set_value(e->ctx, native, "hostValue", fn);
  return 0;
}
