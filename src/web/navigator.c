/* native.hardwareConcurrency and native.platform behind navigator (src/js/navigator.js). */
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

/* platform() -> "<sysname> <machine>" as browsers report it ("Linux x86_64"), or "" if unknown. */
static JSValueRef platform(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                           const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  (void)argc;
  (void)argv;
  (void)exc;
  uv_utsname_t u;
  char buf[sizeof u.sysname + sizeof u.machine + 2] = "";
  if (uv_os_uname(&u) == 0) snprintf(buf, sizeof buf, "%s %s", u.sysname, u.machine);
  JSStringRef str = JSStringCreateWithUTF8CString(buf);
  JSValueRef v = JSValueMakeString(ctx, str);
  JSStringRelease(str);
  return v;
}

int eddy__navigator_init(eddy_engine *e, JSObjectRef native) {
  eddy__set_function(e->ctx, native, "hardwareConcurrency", hardware_concurrency);
  eddy__set_function(e->ctx, native, "platform", platform);
  return 0;
}
