/* native.cloneProto behind the structured clone walk (src/js/clone.js): an object's stored
   [[Prototype]] read without running any Proxy trap, which no JS operation can do. */
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

/* cloneIsExotic(object) -> whether it is a Proxy or the global's proxy: with
   JSObjectGetProxyTarget, clone.js reads every other object's prototype with
   Object.getPrototypeOf, which runs no trap on them and saves cloneProto's second API call
   (JSObjectGetPrototype takes the API lock again). */
static JSValueRef clone_is_exotic(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                                  const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  if (argc < 1 || !JSValueIsObject(ctx, argv[0]))
    return eddy__throw_type_error(ctx, exc, "cloneIsExotic: expected an object");
  JSObjectRef o = (JSObjectRef)argv[0];
  return JSValueMakeBoolean(ctx, eddy__engine_of(ctx)->jsc.proxy_target(o) != NULL);
}

int eddy__clone_init(eddy_engine *e, JSObjectRef native) {
  eddy__set_function(e->ctx, native, "cloneProto", clone_proto);
  if (e->jsc.proxy_target) eddy__set_function(e->ctx, native, "cloneIsExotic", clone_is_exotic);
  return 0;
}
