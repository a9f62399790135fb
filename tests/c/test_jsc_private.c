/* JSC's optional functions (src/jsc_optional.c, compiled into this test): how they are found,
   checked and switched off, and that each one found behaves as eddy relies on. Internals, so
   tested against JSC directly. On a JSC that lacks one, its test checks the lookup said so. */
#define _GNU_SOURCE /* dladdr */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include <JavaScriptCore/JavaScript.h>

#include "../../src/jsc_optional.h"
#include "testutil.h"

static eddy__jsc J; /* what this process's JSC offers */

/* Skips (passes) a behaviour test when the lookup found no such function. */
#define NEED(bit)                                   \
  do {                                              \
    if ((J.features & (bit)) != (bit)) {            \
      print_message("not in this JSC: skipped\n"); \
      return;                                       \
    }                                               \
  } while (0)

/* ---- the lookup ------------------------------------------------------------------------------ */

#define PRIVATE_FEATURES                                                                       \
  (EDDY_JSC_TIME_LIMIT | EDDY_JSC_REJECTION_CALLBACK | EDDY_JSC_MEMORY_STATS | EDDY_JSC_SYNC_GC | \
   EDDY_JSC_SCRIPT | EDDY_JSC_PROXY_TARGET | EDDY_JSC_LOCK | EDDY_JSC_DRAIN | EDDY_JSC_OPTIONS)

/* WebKitGTK's library exports every one of them, and its lock and drain pass the probe. */
static void webkitgtk_offers_every_function(void **state) {
  (void)state;
  Dl_info info;
  void *api;
  JSValueRef (*fn)(JSContextRef, JSStringRef, JSObjectRef, JSStringRef, int, JSValueRef *) =
      JSEvaluateScript;
  memcpy(&api, &fn, sizeof api);
  assert_true(dladdr(api, &info));
  if (!strstr(info.dli_fname, "javascriptcoregtk")) {
    print_message("%s is not WebKitGTK's: skipped\n", info.dli_fname);
    return;
  }
  assert_int_equal(J.features & PRIVATE_FEATURES, PRIVATE_FEATURES);
#ifdef EDDY_JSC_GLIB
  assert_true(J.features & EDDY_JSC_RUNLOOP);
#else
  assert_false(J.features & EDDY_JSC_RUNLOOP);
#endif
  assert_non_null(J.lock);
  assert_non_null(J.drain_microtasks);
  assert_non_null(J.options_get_boolean);
}

/* libeddy's own lookup (the same code, in the library) found the same. */
static void the_library_reports_the_same_features(void **state) {
  (void)state;
  assert_int_equal(eddy_jsc_features(NULL), J.features);
}

static void holder_writes_its_vm(eddy__jsc_lock_holder *h, JSContextGroupRef vm) { h->vm = (void *)vm; }
static void holder_writes_past_its_vm(eddy__jsc_lock_holder *h, JSContextGroupRef vm) {
  h->vm = (void *)vm;
  h->spare[1] = h;
}
static void holder_writes_elsewhere(eddy__jsc_lock_holder *h, JSContextGroupRef vm) {
  h->spare[0] = (void *)vm;
}
static void holder_unlock_nothing(eddy__jsc_lock_holder *h) { (void)h; }
static void drain_nothing(JSContextGroupRef vm) { (void)vm; }

/* A holder of another layout than a lone VM pointer, or a drain that runs nothing, is refused. */
static void the_probe_refuses_other_layouts_and_drains(void **state) {
  (void)state;
  eddy__jsc c;
  memset(&c, 0, sizeof c);
  c.unlock = holder_unlock_nothing;
  c.lock = holder_writes_past_its_vm;
  assert_int_equal(eddy__jsc_probe(&c), 0);
  c.lock = holder_writes_elsewhere;
  assert_int_equal(eddy__jsc_probe(&c), 0);
  c.lock = holder_writes_its_vm;
  assert_int_equal(eddy__jsc_probe(&c), EDDY_JSC_LOCK);
  c.drain_microtasks = drain_nothing;
  assert_int_equal(eddy__jsc_probe(&c), EDDY_JSC_LOCK);
  c.lock = NULL;
  assert_int_equal(eddy__jsc_probe(&c), 0);
  if (J.features & EDDY_JSC_DRAIN) { /* the real ones pass */
    c = J;
    assert_int_equal(eddy__jsc_probe(&c), EDDY_JSC_LOCK | EDDY_JSC_DRAIN);
  }
}

static int for_engine(const char *setting, eddy__jsc *out) {
  if (setting) setenv("EDDY_JSC_OPTIONAL", setting, 1);
  else unsetenv("EDDY_JSC_OPTIONAL");
  eddy__jsc_for_engine(out);
  unsetenv("EDDY_JSC_OPTIONAL");
  return out->features;
}

/* EDDY_JSC_OPTIONAL: none, all, or the names to keep; the drain never without the lock. */
static void the_switch_leaves_out_what_it_does_not_name(void **state) {
  (void)state;
  eddy__jsc c, zero;
  memset(&zero, 0, sizeof zero);
  assert_int_equal(for_engine(NULL, &c), J.features);
  assert_int_equal(for_engine("all", &c), J.features);
  assert_int_equal(for_engine("none", &c), 0);
  assert_memory_equal(&c, &zero, sizeof c); /* every pointer NULL */
  assert_int_equal(for_engine("time_limit,no_such_feature", &c), J.features & EDDY_JSC_TIME_LIMIT);
  assert_null(c.proxy_target);
  assert_null(c.script_create);
  assert_int_equal(for_engine("drain", &c), 0);
  assert_null(c.drain_microtasks);
  assert_int_equal(for_engine("lock,drain", &c), J.features & (EDDY_JSC_LOCK | EDDY_JSC_DRAIN));
  for (int bit = 1; bit <= EDDY_JSC_RUNLOOP; bit <<= 1) {
    const char *name = eddy__jsc_feature_name(bit);
    assert_non_null(name);
    int want = J.features & bit;
    if (bit == EDDY_JSC_DRAIN) want = 0; /* alone, without the lock */
    assert_int_equal(for_engine(name, &c), want);
  }
  assert_null(eddy__jsc_feature_name(1 << 20));
}

/* ---- each function found ----------------------------------------------------------------------- */

static int limit_calls;

static bool terminate_third_time(JSContextRef ctx, void *data) {
  (void)ctx;
  JSContextGroupRef group = data;
  if (++limit_calls >= 3) return true;
  /* eddy re-arms from the callback: without this JSC does not call again. */
  J.set_execution_time_limit(group, 0.01, terminate_third_time, (void *)group);
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
  NEED(EDDY_JSC_TIME_LIMIT);
  JSContextGroupRef group = JSContextGroupCreate();
  J.set_execution_time_limit(group, 0.01, terminate_third_time, (void *)group);
  JSGlobalContextRef ctx = JSGlobalContextCreateInGroup(group, NULL);
  JSValueRef exc = NULL;
  eval(ctx, "while (true) {}", &exc);
  assert_non_null(exc);
  assert_int_equal(limit_calls, 3);
  exc = NULL;
  JSValueRef r = eval(ctx, "1 + 1", &exc);
  assert_null(exc);
  assert_true(JSValueToNumber(ctx, r, NULL) == 2);
  J.clear_execution_time_limit(group);
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
  NEED(EDDY_JSC_REJECTION_CALLBACK);
  JSGlobalContextRef ctx = JSGlobalContextCreate(NULL);
  JSObjectRef cb = JSObjectMakeFunctionWithCallback(ctx, NULL, on_rejection);
  JSValueRef exc = NULL;
  J.set_unhandled_rejection_callback(ctx, cb, &exc);
  assert_null(exc);
  eval(ctx, "Promise.reject(7); Promise.reject(7).catch(() => {}); 0", &exc);
  assert_int_equal(rejections, 1); /* the handled one, attached in the same turn, is not reported */
  JSGlobalContextRelease(ctx);
}

static void memory_usage_statistics_describe_the_heap(void **state) {
  (void)state;
  NEED(EDDY_JSC_MEMORY_STATS);
  JSGlobalContextRef ctx = JSGlobalContextCreate(NULL);
  JSObjectRef stats = J.memory_usage_statistics(ctx);
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
  NEED(EDDY_JSC_SYNC_GC);
  JSGlobalContextRef ctx = JSGlobalContextCreate(NULL);
  JSValueRef exc = NULL;
  eval(ctx, "globalThis.refs = Array.from({ length: 1000 }, () => new WeakRef({})); 0", &exc);
  assert_null(exc);
  J.collect_now(ctx);
  JSValueRef gone = eval(ctx, "refs.filter((r) => r.deref() === undefined).length", &exc);
  assert_null(exc);
  assert_true(JSValueToNumber(ctx, gone, NULL) >= 900);
  JSGlobalContextRelease(ctx);
}

static void scripts_parse_once_and_report_syntax_errors(void **state) {
  (void)state;
  NEED(EDDY_JSC_SCRIPT);
  JSContextGroupRef group = JSContextGroupCreate();
  JSGlobalContextRef ctx = JSGlobalContextCreateInGroup(group, NULL);
  JSStringRef url = JSStringCreateWithUTF8CString("s.js");
  JSStringRef src = JSStringCreateWithUTF8CString("globalThis.n = (globalThis.n || 0) + 1");
  JSStringRef err = NULL;
  int line = 0;
  JSScriptRef script = J.script_create(group, url, 1, src, &err, &line);
  assert_non_null(script);
  JSValueRef exc = NULL;
  J.script_evaluate(ctx, script, NULL, &exc);
  JSValueRef r = J.script_evaluate(ctx, script, NULL, &exc);
  assert_null(exc);
  assert_true(JSValueToNumber(ctx, r, NULL) == 2);
  J.script_release(script);
  JSStringRelease(src);
  src = JSStringCreateWithUTF8CString("let ok = 1;\nlet = = 2;");
  assert_null(J.script_create(group, url, 1, src, &err, &line));
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
  eddy__jsc_lock(&J, &lock, JSContextGetGroup(ctx));
  J.drain_microtasks(JSContextGetGroup(ctx));
  eddy__jsc_unlock(&J, &lock);
  JSValueRef after = eval(g, "log.join()", exc);
  JSValueRef pair[2] = {before, after};
  return JSObjectMakeArray(ctx, 2, pair, exc);
}

static void drain_microtasks_runs_reactions_inside_a_native_call(void **state) {
  (void)state;
  NEED(EDDY_JSC_DRAIN | EDDY_JSC_REJECTION_CALLBACK);
  JSContextGroupRef group = JSContextGroupCreate();
  JSGlobalContextRef ctx = JSGlobalContextCreateInGroup(group, NULL);
  rejections = 0;
  JSStringRef name = JSStringCreateWithUTF8CString("onRejection");
  JSObjectRef cb = JSObjectMakeFunctionWithCallback(ctx, name, on_rejection);
  JSStringRelease(name);
  JSValueRef exc = NULL;
  J.set_unhandled_rejection_callback(ctx, cb, &exc);
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
  NEED(EDDY_JSC_PROXY_TARGET);
  JSGlobalContextRef ctx = JSGlobalContextCreate(NULL);
  JSValueRef exc = NULL;
  JSValueRef p = eval(ctx,
                      "var traps = 0;\n"
                      "new Proxy(new Date(), { getPrototypeOf() { traps++; throw new Error('trap'); } })",
                      &exc);
  assert_null(exc);
  assert_non_null(J.proxy_target((JSObjectRef)p));
  /* The stored [[Prototype]] of a Proxy is null: no trap ran, nothing was thrown. */
  assert_true(JSValueIsNull(ctx, JSObjectGetPrototype(ctx, (JSObjectRef)p)));
  JSValueRef revoked = eval(ctx, "var r = Proxy.revocable({}, {}); r.revoke(); r.proxy", &exc);
  assert_null(exc);
  assert_non_null(J.proxy_target((JSObjectRef)revoked));
  JSValueRef plain = eval(ctx, "Object.setPrototypeOf({}, Map.prototype)", &exc);
  assert_null(exc);
  assert_null(J.proxy_target((JSObjectRef)plain));
  JSValueRef map_proto = eval(ctx, "Map.prototype", &exc);
  assert_true(JSValueIsStrictEqual(ctx, JSObjectGetPrototype(ctx, (JSObjectRef)plain), map_proto));
  /* Scripts see the global object through a proxy. */
  assert_non_null(J.proxy_target((JSObjectRef)eval(ctx, "globalThis", &exc)));
  JSValueRef traps = eval(ctx, "traps", &exc);
  assert_true(JSValueToNumber(ctx, traps, NULL) == 0);
  JSGlobalContextRelease(ctx);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(webkitgtk_offers_every_function),
      cmocka_unit_test(the_library_reports_the_same_features),
      cmocka_unit_test(the_probe_refuses_other_layouts_and_drains),
      cmocka_unit_test(the_switch_leaves_out_what_it_does_not_name),
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
  J = *eddy__jsc_resolved();
  return cmocka_run_group_tests(tests, NULL, NULL);
}
