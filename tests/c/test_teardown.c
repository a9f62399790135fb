/* Closing an engine from every kind of callback, driver on and off: each engine's descriptors
   (the loop's epoll and eventfd, the wakeup pipe, sockets) and memory are released once control
   leaves the callback. The fd count of the process is compared before and after each round of
   engines; ASan's leak check covers the memory. */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define ROUNDS 5

static int count_fds(void) {
  DIR *d = opendir("/proc/self/fd");
  if (!d) fail_msg("cannot list /proc/self/fd");
  int n = 0;
  for (struct dirent *ent; (ent = readdir(d));)
    if (ent->d_name[0] != '.') n++;
  closedir(d);
  return n - 1; /* the directory's own descriptor */
}

static int engine_closed(void *arg) { return eddy_pending(arg) == EDDY_ECLOSED; }

/* After the engine is freed the process has exactly the descriptors it had before. */
static void expect_fds(int before, const char *what) {
  int after = count_fds();
  if (after != before) fail_msg("%s: %d descriptors before, %d after", what, before, after);
}

/* The first engine of a process opens descriptors that stay for the process (JSC's and libcurl's
   globals, the main thread's run loop context): opened before any count. */
static int warm_up(void **state) {
  (void)state;
  for (int driver = 0; driver < 2; driver++) {
    eddy_engine *e = tu_engine(driver);
    const char *src = "new Promise(r => setTimeout(r, 1)).then(() => 1)";
    if (eddy_eval(e, src, strlen(src), NULL, NULL)) return -1;
    eddy_engine_free(e);
  }
  return 0;
}

/* ---- the baseline: closing from outside any callback ---------------------------------------- */

static void close_outside_callbacks(void **state) {
  (void)state;
  for (int driver = 0; driver < 2; driver++) {
    int before = count_fds();
    for (int i = 0; i < ROUNDS; i++) {
      eddy_engine *e = tu_engine(driver);
      TU_ASSERT_STATUS(EDDY_OK, eddy_eval(e, "1", 1, NULL, NULL));
      eddy_engine_free(e);
    }
    expect_fds(before, driver ? "plain close, driver on" : "plain close, driver off");
  }
}

/* ---- closing from a host function ------------------------------------------------------------ */

static int close_now(eddy_engine *e, const eddy_value *args, eddy_value **result, void *ud) {
  (void)args;
  (void)result;
  (void)ud;
  return eddy_engine_close(e);
}

static void close_from_host_function(int driver) {
  int before = count_fds();
  for (int i = 0; i < ROUNDS; i++) {
    eddy_engine *e = tu_engine(driver);
    TU_ASSERT_STATUS(EDDY_OK, eddy_define_function(e, "closeNow", close_now, NULL));
    eddy_value *v = NULL;
    const char *src = "closeNow(); 1";
    int rc = eddy_eval(e, src, strlen(src), "t.js", &v);
    /* The call that closed finishes (or is cut short by the close); never hangs. */
    if (rc != EDDY_OK && rc != EDDY_ECLOSED && rc != EDDY_EINTERRUPTED)
      fail_msg("eval: %s", eddy_err_name(rc));
    eddy_value_free(v);
    if (!tu_wait_until(engine_closed, e, 5000)) fail_msg("the engine did not close");
    TU_ASSERT_STATUS(EDDY_ECLOSED, eddy_eval(e, "1", 1, NULL, NULL));
    eddy_engine_free(e);
  }
  expect_fds(before, driver ? "host function, driver on" : "host function, driver off");
}

static void host_function_driver_off(void **state) {
  (void)state;
  close_from_host_function(0);
}
static void host_function_driver_on(void **state) {
  (void)state;
  close_from_host_function(1);
}

/* A nested close: the host function closes while JS it called from a timer runs. */
static void host_function_from_timer_driver_off(void **state) {
  (void)state;
  int before = count_fds();
  for (int i = 0; i < ROUNDS; i++) {
    eddy_engine *e = tu_engine(0);
    TU_ASSERT_STATUS(EDDY_OK, eddy_define_function(e, "closeNow", close_now, NULL));
    const char *src = "setTimeout(() => closeNow(), 0); setInterval(() => {}, 1); 0";
    TU_ASSERT_STATUS(EDDY_OK, eddy_eval(e, src, strlen(src), NULL, NULL));
    int rc = eddy_run(e, EDDY_RUN_DEFAULT);
    if (rc != 0 && rc != EDDY_ECLOSED) fail_msg("eddy_run: %s", eddy_err_name(rc));
    TU_ASSERT_STATUS(EDDY_ECLOSED, eddy_pending(e));
    eddy_engine_free(e);
  }
  expect_fds(before, "host function in a timer, driver off");
}

/* ---- closing from the log sink --------------------------------------------------------------- */

static void close_from_log(eddy_engine *e, int level, const char *text, size_t len, void *ud) {
  (void)level;
  (void)text;
  (void)len;
  (void)ud;
  eddy_engine_close(e);
}

static void close_from_log_sink(int driver) {
  int before = count_fds();
  for (int i = 0; i < ROUNDS; i++) {
    eddy_options o;
    eddy_options_init(&o, sizeof o);
    o.start_driver = driver;
    o.log = close_from_log;
    eddy_engine *e = tu_engine_opts(&o);
    const char *src = "console.log('bye'); 1";
    int rc = eddy_eval(e, src, strlen(src), NULL, NULL);
    if (rc != EDDY_OK && rc != EDDY_ECLOSED && rc != EDDY_EINTERRUPTED)
      fail_msg("eval: %s", eddy_err_name(rc));
    if (!tu_wait_until(engine_closed, e, 5000)) fail_msg("the engine did not close");
    eddy_engine_free(e);
  }
  expect_fds(before, driver ? "log sink, driver on" : "log sink, driver off");
}

static void log_sink_driver_off(void **state) {
  (void)state;
  close_from_log_sink(0);
}
static void log_sink_driver_on(void **state) {
  (void)state;
  close_from_log_sink(1);
}

/* ---- closing from a done callback ------------------------------------------------------------ */

static void close_when_done(eddy_engine *e, int status, eddy_value *result, void *ud) {
  (void)status;
  int *calls = ud;
  (*calls)++;
  eddy_value_free(result);
  eddy_engine_close(e);
}

static void done_callback_under_run(void **state) {
  (void)state;
  int before = count_fds();
  for (int i = 0; i < ROUNDS; i++) {
    eddy_engine *e = tu_engine(0);
    int calls = 0;
    const char *src = "new Promise(r => setTimeout(() => r(1), 1))";
    TU_ASSERT_STATUS(EDDY_OK, eddy_eval_async(e, src, strlen(src), NULL, close_when_done, &calls));
    int rc = eddy_run(e, EDDY_RUN_DEFAULT);
    if (rc != 0 && rc != EDDY_ECLOSED) fail_msg("eddy_run: %s", eddy_err_name(rc));
    assert_int_equal(calls, 1);
    TU_ASSERT_STATUS(EDDY_ECLOSED, eddy_pending(e));
    eddy_engine_free(e);
  }
  expect_fds(before, "done callback under eddy_run");
}

/* The done callback of a call the host made synchronously settles inline (driver off). */
static void done_callback_inline(void **state) {
  (void)state;
  int before = count_fds();
  for (int i = 0; i < ROUNDS; i++) {
    eddy_engine *e = tu_engine(0);
    int calls = 0;
    TU_ASSERT_STATUS(EDDY_OK, eddy_eval_async(e, "2", 1, NULL, close_when_done, &calls));
    eddy_run(e, EDDY_RUN_DEFAULT);
    assert_int_equal(calls, 1);
    TU_ASSERT_STATUS(EDDY_ECLOSED, eddy_pending(e));
    eddy_engine_free(e);
  }
  expect_fds(before, "inline done callback");
}

static void done_callback_driver_on(void **state) {
  (void)state;
  int before = count_fds();
  for (int i = 0; i < ROUNDS; i++) {
    eddy_engine *e = tu_engine(1);
    int calls = 0;
    const char *src = "new Promise(r => setTimeout(() => r(1), 1))";
    TU_ASSERT_STATUS(EDDY_OK, eddy_eval_async(e, src, strlen(src), NULL, close_when_done, &calls));
    if (!tu_wait_until(engine_closed, e, 5000)) fail_msg("the engine did not close");
    eddy_engine_free(e);
    assert_int_equal(calls, 1);
  }
  expect_fds(before, "done callback, driver on");
}

/* ---- closing from the error callback --------------------------------------------------------- */

static void close_on_error(eddy_engine *e, int kind, const eddy_value *error, void *ud) {
  (void)kind;
  (void)error;
  (void)ud;
  eddy_engine_close(e);
}

static void close_from_error_callback(int driver, const char *src) {
  int before = count_fds();
  for (int i = 0; i < ROUNDS; i++) {
    eddy_options o;
    eddy_options_init(&o, sizeof o);
    o.start_driver = driver;
    o.on_error = close_on_error;
    eddy_engine *e = tu_engine_opts(&o);
    TU_ASSERT_STATUS(EDDY_OK, eddy_eval(e, src, strlen(src), NULL, NULL));
    if (!driver) {
      int rc = eddy_run(e, EDDY_RUN_DEFAULT);
      if (rc != 0 && rc != EDDY_ECLOSED) fail_msg("eddy_run: %s", eddy_err_name(rc));
    }
    if (!tu_wait_until(engine_closed, e, 5000)) fail_msg("the engine did not close");
    eddy_engine_free(e);
  }
  expect_fds(before, src);
}

static void error_callback_driver_off(void **state) {
  (void)state;
  close_from_error_callback(0, "setTimeout(() => { throw new Error('x') }, 0); 0");
  if (tu_jsc_features() & EDDY_JSC_REJECTION_CALLBACK) /* else never reported */
    close_from_error_callback(0, "Promise.reject(new Error('y')); 0");
}
static void error_callback_driver_on(void **state) {
  (void)state;
  close_from_error_callback(1, "setTimeout(() => { throw new Error('x') }, 0); 0");
  if (tu_jsc_features() & EDDY_JSC_REJECTION_CALLBACK) /* else never reported */
    close_from_error_callback(1, "Promise.reject(new Error('y')); 0");
}

/* ---- closing from the module loader and an async host function ------------------------------- */

static int close_in_loader(eddy_engine *e, uint64_t load_id, const char *specifier,
                           const char *referrer, void *ud) {
  (void)load_id;
  (void)specifier;
  (void)referrer;
  (void)ud;
  eddy_engine_close(e);
  return EDDY_ENOTFOUND;
}

static void close_from_module_loader(int driver) {
  int before = count_fds();
  for (int i = 0; i < ROUNDS; i++) {
    eddy_options o;
    eddy_options_init(&o, sizeof o);
    o.start_driver = driver;
    o.module_loader = close_in_loader;
    o.module_files = 0;
    eddy_engine *e = tu_engine_opts(&o);
    int rc = eddy_import(e, "host:thing", NULL);
    if (rc == EDDY_OK) fail_msg("the import succeeded");
    if (!tu_wait_until(engine_closed, e, 5000)) fail_msg("the engine did not close");
    eddy_engine_free(e);
  }
  expect_fds(before, driver ? "module loader, driver on" : "module loader, driver off");
}

static void module_loader_driver_off(void **state) {
  (void)state;
  close_from_module_loader(0);
}
static void module_loader_driver_on(void **state) {
  (void)state;
  close_from_module_loader(1);
}

static void close_in_async(eddy_engine *e, uint64_t call_id, eddy_value *args, void *ud) {
  (void)call_id;
  (void)ud;
  eddy_value_free(args);
  eddy_engine_close(e);
}

static void close_from_async_function(int driver) {
  int before = count_fds();
  for (int i = 0; i < ROUNDS; i++) {
    eddy_engine *e = tu_engine(driver);
    TU_ASSERT_STATUS(EDDY_OK, eddy_define_async_function(e, "closeLater", close_in_async, NULL));
    const char *src = "closeLater().catch(() => {}); 0";
    int rc = eddy_eval(e, src, strlen(src), NULL, NULL);
    if (rc != EDDY_OK && rc != EDDY_ECLOSED && rc != EDDY_EINTERRUPTED)
      fail_msg("eval: %s", eddy_err_name(rc));
    if (!tu_wait_until(engine_closed, e, 5000)) fail_msg("the engine did not close");
    eddy_engine_free(e);
  }
  expect_fds(before, driver ? "async function, driver on" : "async function, driver off");
}

static void async_function_driver_off(void **state) {
  (void)state;
  close_from_async_function(0);
}
static void async_function_driver_on(void **state) {
  (void)state;
  close_from_async_function(1);
}

/* ---- the report's scenario: 60 engines under a 256-descriptor limit --------------------------- */

static void sixty_engines_under_a_low_fd_limit(void **state) {
  (void)state;
  struct rlimit old;
  if (getrlimit(RLIMIT_NOFILE, &old)) fail_msg("getrlimit");
  struct rlimit low = old;
  if (low.rlim_cur > 256) low.rlim_cur = 256;
  if (setrlimit(RLIMIT_NOFILE, &low)) fail_msg("setrlimit");
  for (int i = 0; i < 60; i++) {
    eddy_options o;
    eddy_options_init(&o, sizeof o);
    o.start_driver = 0;
    eddy_engine *e = NULL;
    int rc = eddy_engine_new(&o, &e);
    if (rc) {
      setrlimit(RLIMIT_NOFILE, &old);
      fail_msg("engine %d: eddy_engine_new: %s", i, eddy_err_name(rc));
    }
    eddy_define_function(e, "closeNow", close_now, NULL);
    eddy_eval(e, "closeNow()", 10, NULL, NULL);
    eddy_engine_free(e);
  }
  setrlimit(RLIMIT_NOFILE, &old);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(close_outside_callbacks),
      cmocka_unit_test(host_function_driver_off),
      cmocka_unit_test(host_function_driver_on),
      cmocka_unit_test(host_function_from_timer_driver_off),
      cmocka_unit_test(log_sink_driver_off),
      cmocka_unit_test(log_sink_driver_on),
      cmocka_unit_test(done_callback_under_run),
      cmocka_unit_test(done_callback_inline),
      cmocka_unit_test(done_callback_driver_on),
      cmocka_unit_test(error_callback_driver_off),
      cmocka_unit_test(error_callback_driver_on),
      cmocka_unit_test(module_loader_driver_off),
      cmocka_unit_test(module_loader_driver_on),
      cmocka_unit_test(async_function_driver_off),
      cmocka_unit_test(async_function_driver_on),
      cmocka_unit_test(sixty_engines_under_a_low_fd_limit),
  };
  return cmocka_run_group_tests(tests, warm_up, NULL);
}
