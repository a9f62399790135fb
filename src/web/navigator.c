/* native.hardwareConcurrency behind navigator.hardwareConcurrency (src/js/navigator.js). */
#include "../internal.h"

/* hardwareConcurrency() -> the number of CPUs this process may run on (at least 1). */
static JSValueRef hardware_concurrency(JSContextRef ctx, JSObjectRef f, JSObjectRef self,
                                       size_t argc, const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  (void)argc;
  (void)argv;
  (void)exc;
  return JSValueMakeNumber(ctx, (double)uv_available_parallelism());
}

int eddy__navigator_init(eddy_engine *e, JSObjectRef native) {
  eddy__set_function(e->ctx, native, "hardwareConcurrency", hardware_concurrency);
  return 0;
}
