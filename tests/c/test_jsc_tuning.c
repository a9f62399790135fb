/* The JavaScriptCore options eddy sets before its first engine (configure_jsc in src/engine.c):
   applied, a value the host set itself kept, and the environment left as eddy found it.
   JSC reads its options once per process, so each case is a process of its own:
     test_jsc_tuning          the host set nothing
     test_jsc_tuning host     the host set two of the variables before the first engine
   The DFG's thresholds are JSC's own (compute must not pay for I/O tuning). */
#include <stdlib.h>
#include <string.h>

#include <jsc/jsc.h>

#include "testutil.h"

static const char *const names[] = {"JSC_usePollingTraps", "JSC_thresholdForJITAfterWarmUp",
                                    "JSC_thresholdForOptimizeAfterWarmUp",
                                    "JSC_useSharedArrayBuffer"};
static int host_mode;

static int option_int(const char *name) {
  gint v = -1;
  assert_true(jsc_options_get_int(name, &v));
  return v;
}

static int option_bool(const char *name) {
  gboolean v = FALSE;
  assert_true(jsc_options_get_boolean(name, &v));
  return v;
}

static void options_apply_before_the_first_engine(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(0);
  /* The engine works with them. */
  assert_int_equal(42, (int)tu_eval_number(e, "let s = 0; for (let i = 0; i < 2e5; i++) s += i % 3;"
                                              " [1, 2, 3].map((x) => x * 7)[1] * 3"));
  eddy_engine_close(e);

  assert_true(option_bool("usePollingTraps"));
  assert_true(option_bool("useSharedArrayBuffer"));
  assert_int_equal(1000, option_int("thresholdForOptimizeAfterLongWarmUp"));
  if (host_mode) {
    assert_int_equal(300, option_int("thresholdForJITAfterWarmUp"));
    assert_string_equal("300", getenv("JSC_thresholdForJITAfterWarmUp"));
    assert_int_equal(2500, option_int("thresholdForOptimizeAfterWarmUp"));
    assert_string_equal("true", getenv("JSC_usePollingTraps"));
  } else {
    assert_int_equal(200, option_int("thresholdForJITAfterWarmUp"));
    assert_int_equal(1000, option_int("thresholdForOptimizeAfterWarmUp"));
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
      if (getenv(names[i])) fail_msg("%s left in the environment", names[i]);
    }
  }
}

int main(int argc, char **argv) {
  host_mode = argc > 1 && strcmp(argv[1], "host") == 0;
  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) unsetenv(names[i]);
  if (host_mode) {
    setenv("JSC_thresholdForJITAfterWarmUp", "300", 1);
    setenv("JSC_thresholdForOptimizeAfterWarmUp", "2500", 1);
    setenv("JSC_usePollingTraps", "true", 1);
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(options_apply_before_the_first_engine),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
