/* Each JSC function eddy declares from WebKit's private headers (src/jsc_private.h) exists in the
   installed library and behaves as eddy relies on. Internals, so tested against JSC directly. */
#include <stdlib.h>

#include <JavaScriptCore/JavaScript.h>

#include "../../src/jsc_private.h"
#include "testutil.h"

static int limit_calls;

static bool terminate_third_time(JSContextRef ctx, void *data) {
  (void)ctx;
  JSContextGroupRef group = data;
  if (++limit_calls >= 3) return true;
  /* eddy re-arms from the callback: without this JSC does not call again. */
  JSContextGroupSetExecutionTimeLimit(group, 0.01, terminate_third_time, (void *)group);
  return false;
}

static JSValueRef eval(JSGlobalContextRef ctx, const char *src, JSValueRef *exc) {
  JSStringRef s = JSStringCreateWithUTF8CString(src);
  JSValueRef r = JSEvaluateScript(ctx, s, NULL, NULL, 1, exc);
  JSStringRelease(s);
  return r;
}

static void execution_time_limit_terminates_and_recovers(void **state) {
  (void)state;
  JSContextGroupRef group = JSContextGroupCreate();
  JSContextGroupSetExecutionTimeLimit(group, 0.01, terminate_third_time, (void *)group);
  JSGlobalContextRef ctx = JSGlobalContextCreateInGroup(group, NULL);
  JSValueRef exc = NULL;
  eval(ctx, "while (true) {}", &exc);
  assert_non_null(exc);
  assert_int_equal(limit_calls, 3);
  exc = NULL;
  JSValueRef r = eval(ctx, "1 + 1", &exc);
  assert_null(exc);
  assert_true(JSValueToNumber(ctx, r, NULL) == 2);
  JSContextGroupClearExecutionTimeLimit(group);
  JSGlobalContextRelease(ctx);
  JSContextGroupRelease(group);
}

static int rejections;

static JSValueRef on_rejection(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                               const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  (void)exc;
  assert_int_equal(argc, 2);
  assert_true(JSValueToNumber(ctx, argv[1], NULL) == 7); /* (promise, reason) */
  rejections++;
  return JSValueMakeUndefined(ctx);
}

static void unhandled_rejection_callback_after_checkpoint(void **state) {
  (void)state;
  JSGlobalContextRef ctx = JSGlobalContextCreate(NULL);
  JSObjectRef cb = JSObjectMakeFunctionWithCallback(ctx, NULL, on_rejection);
  JSValueRef exc = NULL;
  JSGlobalContextSetUnhandledRejectionCallback(ctx, cb, &exc);
  assert_null(exc);
  eval(ctx, "Promise.reject(7); Promise.reject(7).catch(() => {}); 0", &exc);
  assert_int_equal(rejections, 1); /* the handled one, attached in the same turn, is not reported */
  JSGlobalContextRelease(ctx);
}

static void memory_usage_statistics_describe_the_heap(void **state) {
  (void)state;
  JSGlobalContextRef ctx = JSGlobalContextCreate(NULL);
  JSObjectRef stats = JSGetMemoryUsageStatistics(ctx);
  assert_non_null(stats);
  JSStringRef key = JSStringCreateWithUTF8CString("heapCapacity");
  assert_true(JSValueToNumber(ctx, JSObjectGetProperty(ctx, stats, key, NULL), NULL) > 0);
  JSStringRelease(key);
  JSGlobalContextRelease(ctx);
}

/* JSC also scans the C stack conservatively, where a pointer to an object can linger: so the
   tests count how many of 1,000 weakly held objects are gone, not whether one is. */
static void synchronous_collection_frees_garbage_before_returning(void **state) {
  (void)state;
  JSGlobalContextRef ctx = JSGlobalContextCreate(NULL);
  JSValueRef exc = NULL;
  eval(ctx, "globalThis.refs = Array.from({ length: 1000 }, () => new WeakRef({})); 0", &exc);
  assert_null(exc);
  JSSynchronousGarbageCollectForDebugging(ctx);
  JSValueRef gone = eval(ctx, "refs.filter((r) => r.deref() === undefined).length", &exc);
  assert_null(exc);
  assert_true(JSValueToNumber(ctx, gone, NULL) >= 900);
  JSGlobalContextRelease(ctx);
}

static void scripts_parse_once_and_report_syntax_errors(void **state) {
  (void)state;
  JSContextGroupRef group = JSContextGroupCreate();
  JSGlobalContextRef ctx = JSGlobalContextCreateInGroup(group, NULL);
  JSStringRef url = JSStringCreateWithUTF8CString("s.js");
  JSStringRef src = JSStringCreateWithUTF8CString("globalThis.n = (globalThis.n || 0) + 1");
  JSStringRef err = NULL;
  int line = 0;
  JSScriptRef script = JSScriptCreateFromString(group, url, 1, src, &err, &line);
  assert_non_null(script);
  JSValueRef exc = NULL;
  JSScriptEvaluate(ctx, script, NULL, &exc);
  JSValueRef r = JSScriptEvaluate(ctx, script, NULL, &exc);
  assert_null(exc);
  assert_true(JSValueToNumber(ctx, r, NULL) == 2);
  JSScriptRelease(script);
  JSStringRelease(src);
  src = JSStringCreateWithUTF8CString("let ok = 1;\nlet = = 2;");
  assert_null(JSScriptCreateFromString(group, url, 1, src, &err, &line));
  assert_non_null(err);
  assert_int_equal(line, 2);
  JSStringRelease(err);
  JSStringRelease(src);
  JSStringRelease(url);
  JSGlobalContextRelease(ctx);
  JSContextGroupRelease(group);
}

/* Called from JS: the reaction queued before it must not have run, and must have run once the
   drain returns, still inside this call (so inside the caller's VM entry). */
static JSValueRef drain_now(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                            const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  (void)argc;
  (void)argv;
  JSGlobalContextRef g = JSContextGetGlobalContext(ctx);
  JSValueRef before = eval(g, "log.join()", exc);
  eddy__jsc_lock_holder lock;
  eddy__jsc_lock(&lock, JSContextGetGroup(ctx));
  eddy__jsc_drain_microtasks(JSContextGetGroup(ctx));
  eddy__jsc_unlock(&lock);
  JSValueRef after = eval(g, "log.join()", exc);
  JSValueRef pair[2] = {before, after};
  return JSObjectMakeArray(ctx, 2, pair, exc);
}

static void drain_microtasks_runs_reactions_inside_a_native_call(void **state) {
  (void)state;
  JSContextGroupRef group = JSContextGroupCreate();
  JSGlobalContextRef ctx = JSGlobalContextCreateInGroup(group, NULL);
  rejections = 0;
  JSStringRef name = JSStringCreateWithUTF8CString("onRejection");
  JSObjectRef cb = JSObjectMakeFunctionWithCallback(ctx, name, on_rejection);
  JSStringRelease(name);
  JSValueRef exc = NULL;
  JSGlobalContextSetUnhandledRejectionCallback(ctx, cb, &exc);
  name = JSStringCreateWithUTF8CString("drainNow");
  JSObjectSetProperty(ctx, JSContextGetGlobalObject(ctx), name,
                      JSObjectMakeFunctionWithCallback(ctx, name, drain_now), 0, NULL);
  JSStringRelease(name);
  JSValueRef r = eval(ctx,
                      "var log = [];\n"
                      "Promise.resolve().then(() => log.push('a')).then(() => log.push('b'));\n"
                      "Promise.reject(7);\n"
                      "const seen = drainNow();\n"
                      "log.push('sync');\n"
                      "seen.concat(log.join()).join('|')",
                      &exc);
  assert_null(exc);
  JSStringRef s = JSValueToStringCopy(ctx, r, NULL);
  char buf[64];
  JSStringGetUTF8CString(s, buf, sizeof buf);
  JSStringRelease(s);
  /* Both chained reactions ran in the drain, before the script went on. */
  assert_string_equal(buf, "|a,b|a,b,sync");
  /* The unhandled-rejection check ran at the end of that drain too. */
  assert_int_equal(rejections, 1);
  JSGlobalContextRelease(ctx);
  JSContextGroupRelease(group);
}

/* clone.js reads prototypes through these: a Proxy is told apart without running its traps. */
static void proxy_target_and_stored_prototype_run_no_trap(void **state) {
  (void)state;
  JSGlobalContextRef ctx = JSGlobalContextCreate(NULL);
  JSValueRef exc = NULL;
  JSValueRef p = eval(ctx,
                      "var traps = 0;\n"
                      "new Proxy(new Date(), { getPrototypeOf() { traps++; throw new Error('trap'); } })",
                      &exc);
  assert_null(exc);
  assert_non_null(JSObjectGetProxyTarget((JSObjectRef)p));
  /* The stored [[Prototype]] of a Proxy is null: no trap ran, nothing was thrown. */
  assert_true(JSValueIsNull(ctx, JSObjectGetPrototype(ctx, (JSObjectRef)p)));
  JSValueRef revoked = eval(ctx, "var r = Proxy.revocable({}, {}); r.revoke(); r.proxy", &exc);
  assert_null(exc);
  assert_non_null(JSObjectGetProxyTarget((JSObjectRef)revoked));
  JSValueRef plain = eval(ctx, "Object.setPrototypeOf({}, Map.prototype)", &exc);
  assert_null(exc);
  assert_null(JSObjectGetProxyTarget((JSObjectRef)plain));
  JSValueRef map_proto = eval(ctx, "Map.prototype", &exc);
  assert_true(JSValueIsStrictEqual(ctx, JSObjectGetPrototype(ctx, (JSObjectRef)plain), map_proto));
  /* Scripts see the global object through a proxy. */
  assert_non_null(JSObjectGetProxyTarget((JSObjectRef)eval(ctx, "globalThis", &exc)));
  JSValueRef traps = eval(ctx, "traps", &exc);
  assert_true(JSValueToNumber(ctx, traps, NULL) == 0);
  JSGlobalContextRelease(ctx);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(execution_time_limit_terminates_and_recovers),
      cmocka_unit_test(unhandled_rejection_callback_after_checkpoint),
      cmocka_unit_test(memory_usage_statistics_describe_the_heap),
      cmocka_unit_test(synchronous_collection_frees_garbage_before_returning),
      cmocka_unit_test(scripts_parse_once_and_report_syntax_errors),
      cmocka_unit_test(drain_microtasks_runs_reactions_inside_a_native_call),
      cmocka_unit_test(proxy_target_and_stored_prototype_run_no_trap),
  };
  /* Same trap mode as the library (see configure_jsc in src/engine.c). */
  setenv("JSC_usePollingTraps", "true", 0);
  return cmocka_run_group_tests(tests, NULL, NULL);
}
