/* The native half of console: one record per console call, to the host's sink. Formatting lives
   in src/js/console.js. */
#include <stdlib.h>

#include "../internal.h"

static JSValueRef native_print(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                               const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  eddy_engine *e = eddy__engine_of(ctx);
  int level = argc > 0 ? (int)JSValueToNumber(ctx, argv[0], NULL) : EDDY_LOG_INFO;
  if (level < EDDY_LOG_DEBUG || level > EDDY_LOG_ERROR) level = EDDY_LOG_INFO;
  JSStringRef s = JSValueToStringCopy(ctx, argc > 1 ? argv[1] : JSValueMakeUndefined(ctx), exc);
  if (!s) return NULL;
  char *text = NULL;
  size_t len = 0;
  int st = eddy__jsstring_to_utf8(s, &text, &len);
  JSStringRelease(s);
  if (st) return eddy__throw_type_error(ctx, exc, "out of memory");
  eddy__log(e, level, text, len);
  free(text);
  return JSValueMakeUndefined(ctx);
}

int eddy__console_init(eddy_engine *e, JSObjectRef native) {
  eddy__set_function(e->ctx, native, "print", native_print);
  return 0;
}
