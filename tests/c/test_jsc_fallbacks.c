/* Each fallback eddy takes on a JavaScriptCore without one of its optional functions
   (src/jsc_optional.h), through the public API: engines made with EDDY_JSC_OPTIONAL set, side by
   side with one that has everything this JSC offers. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* An engine made with EDDY_JSC_OPTIONAL=setting (read at creation only). */
static eddy_engine *engine_with(const char *setting, int driver) {
  setenv("EDDY_JSC_OPTIONAL", setting, 1);
  eddy_engine *e = tu_engine(driver);
  unsetenv("EDDY_JSC_OPTIONAL");
  return e;
}

static void the_switch_is_read_at_engine_creation(void **state) {
  (void)state;
  int offered = eddy_jsc_features(NULL);
  eddy_engine *none = engine_with("none", 1);
  eddy_engine *all = tu_engine(1);
  eddy_engine *two = engine_with("lock,drain", 0);
  TU_ASSERT_STATUS(0, eddy_jsc_features(none));
  assert_int_equal(eddy_jsc_features(all), offered);
  assert_int_equal(eddy_jsc_features(two), offered & (EDDY_JSC_LOCK | EDDY_JSC_DRAIN));
  /* Scripts see the same, by name. */
  char *s = tu_eval_string(none, "JSON.stringify(eddy.jscFeatures)");
  assert_string_equal(s, "[]");
  free(s);
  s = tu_eval_string(two, "eddy.jscFeatures.join()");
  assert_string_equal(s, (offered & EDDY_JSC_DRAIN) ? "lock,drain" : (offered & EDDY_JSC_LOCK) ? "lock" : "");
  free(s);
  /* Everything else works the same in each. */
  eddy_engine *engines[] = {none, all, two};
  for (int i = 0; i < 3; i++) {
    assert_true(tu_eval_number(engines[i], "new URL('https://a.example/x?y').pathname.length") == 2);
    assert_true(tu_eval_number(engines[i], "(async () => { let n = 0; for (let i = 0; i < 100; i++) n += await i; return n; })()") == 4950);
    eddy_engine_free(engines[i]);
  }
}

/* No JSContextGroupSetExecutionTimeLimit: nothing can stop running JS, and eddy says so. */
static void without_the_time_limit_interrupts_are_not_supported(void **state) {
  (void)state;
  setenv("EDDY_JSC_OPTIONAL", "none", 1);
  eddy_options o;
  eddy_options_init(&o, sizeof o);
  o.start_driver = 0;
  o.time_limit_ms = 50;
  eddy_engine *e = (eddy_engine *)1;
  TU_ASSERT_STATUS(EDDY_ENOTSUP, eddy_engine_new(&o, &e));
  assert_null(e);
  unsetenv("EDDY_JSC_OPTIONAL");
  e = engine_with("none", 0);
  TU_ASSERT_STATUS(EDDY_ENOTSUP, eddy_interrupt(e));
  assert_string_equal(eddy_err_name(EDDY_ENOTSUP), "EDDY_ENOTSUP");
  eddy_engine_free(e);
  if (eddy_jsc_features(NULL) & EDDY_JSC_TIME_LIMIT) {
    e = engine_with("time_limit", 0);
    TU_ASSERT_STATUS(0, eddy_interrupt(e));
    eddy_engine_free(e);
  }
}

/* No memory statistics, no synchronous collection: EDDY_ENOTSUP, the engine unharmed. */
static void without_heap_functions_memory_usage_and_gc_say_so(void **state) {
  (void)state;
  eddy_engine *e = engine_with("none", 1);
  eddy_value *v = (eddy_value *)1;
  TU_ASSERT_STATUS(EDDY_ENOTSUP, eddy_memory_usage(e, &v));
  assert_null(v);
  TU_ASSERT_STATUS(EDDY_ENOTSUP, eddy_gc(e));
  assert_true(tu_eval_number(e, "6 * 7") == 42);
  eddy_engine_free(e);
}

/* No drain inside eddy's entries: each timer is a VM entry of its own, and its microtasks still
   run before the next timer, as the event loop has it. */
static void without_the_drain_microtasks_still_run_between_tasks(void **state) {
  (void)state;
  const char *settings[] = {"none", "lock"};
  for (int i = 0; i < 2; i++) {
    eddy_engine *e = engine_with(settings[i], i);
    char *s = tu_eval_string(e,
                             "new Promise((done) => {\n"
                             "  const log = [];\n"
                             "  setTimeout(() => { log.push('t1'); Promise.resolve().then(() => log.push('m1')); });\n"
                             "  setTimeout(() => { log.push('t2'); queueMicrotask(() => log.push('m2')); });\n"
                             "  setTimeout(() => done(log.join()));\n"
                             "})");
    assert_string_equal(s, "t1,m1,t2,m2");
    free(s);
    eddy_engine_free(e);
  }
}

static int errors_seen;
static void count_error(eddy_engine *e, int kind, const eddy_value *error, void *userdata) {
  (void)e;
  (void)error;
  (void)userdata;
  if (kind == EDDY_ERROR_UNHANDLED_REJECTION) errors_seen++;
}

/* No unhandled-rejection callback: such rejections go unreported (docs/porting.md). */
static void without_the_rejection_callback_rejections_go_unreported(void **state) {
  (void)state;
  for (int with = 0; with < 2; with++) {
    if (with && !(eddy_jsc_features(NULL) & EDDY_JSC_REJECTION_CALLBACK)) break;
    setenv("EDDY_JSC_OPTIONAL", with ? "rejection_callback" : "none", 1);
    eddy_options o;
    eddy_options_init(&o, sizeof o);
    o.start_driver = 0;
    o.on_error = count_error;
    eddy_engine *e = tu_engine_opts(&o);
    unsetenv("EDDY_JSC_OPTIONAL");
    errors_seen = 0;
    eddy_value_free(tu_eval(e, "Promise.reject(new Error('nobody')); 0"));
    TU_ASSERT_STATUS(0, eddy_run(e, EDDY_RUN_DEFAULT));
    assert_int_equal(errors_seen, with ? 1 : 0);
    eddy_engine_free(e);
  }
}

/* No JSScript*: the embedded files are evaluated from their source, lazily installed ones too. */
static void without_scripts_embedded_files_still_install(void **state) {
  (void)state;
  eddy_engine *e = engine_with("none", 0);
  char *s = tu_eval_string(e, "new TextDecoder().decode(new TextEncoder().encode(btoa('ok')))");
  assert_string_equal(s, "b2s=");
  free(s);
  s = tu_eval_string(e, "new Headers([['a', '1']]).get('a') + typeof fetch");
  assert_string_equal(s, "1function");
  free(s);
  eddy_engine_free(e);
}

/* No proxy target: only the global object's proxy is still told apart; another Proxy clones as
   the null-prototype object its traps present. */
static void without_the_proxy_target_a_proxy_clones_through_its_traps(void **state) {
  (void)state;
  eddy_engine *e = engine_with("none", 0);
  char *s = tu_eval_string(e,
                           "const r = [];\n"
                           "try { structuredClone(globalThis); } catch (err) { r.push(err.name); }\n"
                           "const c = structuredClone(new Proxy({ a: 1 }, {}));\n"
                           "r.push(c.a, Object.getPrototypeOf(c) === Object.prototype);\n"
                           "r.push(structuredClone(new Map([[1, 2]])).get(1));\n"
                           "r.join()");
  assert_string_equal(s, "DataCloneError,1,true,2");
  free(s);
  eddy_engine_free(e);
}

/* No run loop on eddy's: async WebAssembly compiles synchronously and still settles, as pending
   work never left behind. */
static void without_the_run_loop_async_webassembly_compiles_now(void **state) {
  (void)state;
  for (int driver = 0; driver < 2; driver++) {
    eddy_engine *e = engine_with("none", driver);
    char *s = tu_eval_string(e,
                             "const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);\n"
                             "Promise.all([\n"
                             "  WebAssembly.instantiate(bytes).then((r) => typeof r.instance + (r.module instanceof WebAssembly.Module)),\n"
                             "  WebAssembly.compile(bytes).then((m) => WebAssembly.instantiate(m)).then((i) => i instanceof WebAssembly.Instance),\n"
                             "  WebAssembly.compile(new Uint8Array([1, 2, 3])).then(() => 'compiled', (err) => err.name),\n"
                             "  WebAssembly.instantiate(bytes, 5).then(() => 'linked', (err) => err.name),\n"
                             "]).then((r) => r.join())");
    assert_string_equal(s, "objecttrue,true,CompileError,TypeError");
    free(s);
    TU_ASSERT_STATUS(0, eddy_pending(e));
    eddy_engine_free(e);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(the_switch_is_read_at_engine_creation),
      cmocka_unit_test(without_the_time_limit_interrupts_are_not_supported),
      cmocka_unit_test(without_heap_functions_memory_usage_and_gc_say_so),
      cmocka_unit_test(without_the_drain_microtasks_still_run_between_tasks),
      cmocka_unit_test(without_the_rejection_callback_rejections_go_unreported),
      cmocka_unit_test(without_scripts_embedded_files_still_install),
      cmocka_unit_test(without_the_proxy_target_a_proxy_clones_through_its_traps),
      cmocka_unit_test(without_the_run_loop_async_webassembly_compiles_now),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
