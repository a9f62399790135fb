/* JavaScriptCore's own deferred work (src/runloop.c): async WebAssembly and FinalizationRegistry
   callbacks settle on the engine's loop, with the driver and under eddy_run, and async
   WebAssembly is pending work while it runs. */
#define _GNU_SOURCE /* RTLD_DEFAULT */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* The smallest valid module: the magic number and version 1. */
#define WASM_BYTES "new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])"

static void wasm_instantiate_settles(int driver) {
  eddy_engine *e = tu_engine(driver);
  char *s = tu_eval_string(e, "WebAssembly.instantiate(" WASM_BYTES ")"
                              ".then((r) => typeof r.instance + ' ' + (r.module instanceof WebAssembly.Module))");
  assert_string_equal(s, "object true");
  free(s);
  s = tu_eval_string(e, "WebAssembly.compile(new Uint8Array([1, 2, 3])).then(() => 'compiled', (e) => e.name)");
  assert_string_equal(s, "CompileError");
  free(s);
  eddy_engine_free(e);
}

static void wasm_settles_with_the_driver(void **state) {
  (void)state;
  wasm_instantiate_settles(1);
}

static void wasm_settles_under_eddy_eval_without_driver(void **state) {
  (void)state;
  wasm_instantiate_settles(0);
}

static void wasm_compile_is_pending_work(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(0);
  eddy_value_free(tu_eval(e, "globalThis.r = 'pending'; WebAssembly.compile(" WASM_BYTES ")"
                             ".then(() => { r = 'done'; }); 0"));
  /* eddy_run returns when no work is left: only once the compile settled. */
  TU_ASSERT_STATUS(0, eddy_run(e, EDDY_RUN_DEFAULT));
  char *s = tu_eval_string(e, "r");
  assert_string_equal(s, "done");
  free(s);
  TU_ASSERT_STATUS(0, eddy_pending(e));
  eddy_engine_free(e);
}

static int finalized_some(void *arg) {
  eddy_engine *e = arg;
  double n = tu_eval_number(e, "finalized");
  return n > 0;
}

static void finalization_registry_callbacks_run(int driver) {
  eddy_engine *e = tu_engine(driver);
  eddy_value_free(tu_eval(e, "globalThis.finalized = 0;"
                             "globalThis.registry = new FinalizationRegistry(() => { finalized++; });"
                             "(function () { for (let i = 0; i < 1000; i++) registry.register({}, i); })(); 0"));
  TU_ASSERT_STATUS(0, eddy_gc(e));
  if (driver) {
    assert_true(tu_wait_until(finalized_some, e, 5000));
  } else {
    uint64_t deadline = tu_now_ms() + 5000;
    while (!finalized_some(e) && tu_now_ms() < deadline) eddy_run(e, EDDY_RUN_NOWAIT);
    assert_true(finalized_some(e));
  }
  eddy_engine_free(e);
}

static void finalization_callbacks_run_with_the_driver(void **state) {
  (void)state;
  TU_NEED_JSC(EDDY_JSC_RUNLOOP | EDDY_JSC_SYNC_GC);
  finalization_registry_callbacks_run(1);
}

static void finalization_callbacks_run_under_eddy_run(void **state) {
  (void)state;
  TU_NEED_JSC(EDDY_JSC_RUNLOOP | EDDY_JSC_SYNC_GC);
  finalization_registry_callbacks_run(0);
}

/* JSC's full-collection timer, which runloop.c lets fire, constructs WTF's MemoryPressureHandler,
   and that needs WTF's main run loop: without one (a process that is not a WebKit browser) the
   first such timer killed the process. With the run loop integrated, constructing it must work. */
static void jsc_timers_can_ask_about_memory_pressure(void **state) {
  (void)state;
  TU_NEED_JSC(EDDY_JSC_RUNLOOP);
  eddy_engine *e = tu_engine(0);
  void *(*singleton)(void) = NULL;
  void *p = dlsym(RTLD_DEFAULT, "_ZN3WTF21MemoryPressureHandler9singletonEv");
  if (!p) skip();
  memcpy(&singleton, &p, sizeof p);
  assert_non_null(singleton());
  eddy_engine_free(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(wasm_settles_with_the_driver),
      cmocka_unit_test(wasm_settles_under_eddy_eval_without_driver),
      cmocka_unit_test(wasm_compile_is_pending_work),
      cmocka_unit_test(finalization_callbacks_run_with_the_driver),
      cmocka_unit_test(finalization_callbacks_run_under_eddy_run),
      cmocka_unit_test(jsc_timers_can_ask_about_memory_pressure),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
