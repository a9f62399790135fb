/* Limits a host can rely on: interrupts and deadlines that end every wait, a promise that can never
   settle reported as such with the driver on too, detached work stopped by the watchdog reaching
   on_error, the memory limit, and deep recursion on every thread a host may call from. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

typedef struct {
  atomic_int calls, kind;
} error_log;

static void on_error(eddy_engine *e, int kind, const eddy_value *err, void *ud) {
  (void)e;
  (void)err;
  error_log *log = ud;
  atomic_store(&log->kind, kind);
  atomic_fetch_add(&log->calls, 1);
}

static int error_reported(void *arg) { return atomic_load(&((error_log *)arg)->calls) > 0; }

static eddy_engine *engine_with(int driver, uint32_t time_limit_ms, error_log *log) {
  eddy_options opts;
  eddy_options_init(&opts, sizeof opts);
  opts.start_driver = driver;
  opts.time_limit_ms = time_limit_ms;
  if (log) {
    opts.on_error = on_error;
    opts.error_userdata = log;
  }
  return tu_engine_opts(&opts);
}

static int have_features(int bits) {
  eddy_engine *e = engine_with(0, 0, NULL);
  int have = (eddy_jsc_features(e) & bits) == bits;
  eddy_engine_free(e);
  return have;
}

static int eval_status(eddy_engine *e, const char *src) {
  eddy_value *v = NULL;
  int st = eddy_eval(e, src, strlen(src), "limits.js", &v);
  eddy_value_free(v);
  return st;
}

/* ---- the watchdog's period ---------------------------------------------------------------- */

/* A long entry is checked less and less often (each check costs the JIT code it stops), yet a
   time limit still stops it by its deadline, eddy_interrupt still stops it, and the next entry
   is checked from the short period again. */
static void a_long_entry_still_stops_at_its_time_limit(void **state) {
  (void)state;
  if (!have_features(EDDY_JSC_TIME_LIMIT)) skip();
  eddy_engine *e = engine_with(0, 700, NULL);
  for (int round = 0; round < 2; round++) {
    uint64_t t0 = tu_now_ms();
    assert_int_equal(eval_status(e, "while (true) {}"), EDDY_EINTERRUPTED);
    uint64_t took = tu_now_ms() - t0;
    assert_true(took >= 700);
    assert_true(took < 700 + 1000);
    assert_true(tu_eval_number(e, "6 * 7") == 42);
  }
  eddy_engine_free(e);

  e = engine_with(0, 0, NULL);
  /* 600 ms of checks first: the period is at its longest when the interrupts start */
  const char *src = "{ const end = Date.now() + 600; while (Date.now() < end) {} } while (true) {}";
  eddy_value *v = NULL;
  assert_int_equal(tu_eval_interrupted(e, src, "interrupted.js", 700, &v), EDDY_EINTERRUPTED);
  eddy_value_free(v);
  assert_true(tu_eval_number(e, "6 * 7") == 42);
  eddy_engine_free(e);
}

/* ---- interrupted JS after an await (issue #20 item 5) ---------------------------------------- */

static const char runaway_after_await[] = "(async () => { await null; while (true) {} })()";

/* The caller's script finished (its value is 1); the async function it left behind ran away in
   the same entry's microtasks. That is detached work: on_error must hear of it. */
static void runaway_left_behind_by_a_finished_eval_reaches_on_error(void **state) {
  (void)state;
  if (!have_features(EDDY_JSC_TIME_LIMIT)) skip();
  for (int driver = 0; driver < 2; driver++) {
    error_log log = {0};
    eddy_engine *e = engine_with(driver, 100, &log);
    assert_true(tu_eval_number(e, "(async () => { await null; while (true) {} })(); 1") == 1);
    assert_true(tu_wait_until(error_reported, &log, 10000));
    assert_int_equal(atomic_load(&log.kind), EDDY_ERROR_INTERRUPTED);
    assert_true(tu_eval_number(e, "6 * 7") == 42);
    eddy_engine_free(e);
  }
}

static void runaway_timer_after_await_reaches_on_error(void **state) {
  (void)state;
  if (!have_features(EDDY_JSC_TIME_LIMIT)) skip();
  for (int driver = 0; driver < 2; driver++) {
    error_log log = {0};
    eddy_engine *e = engine_with(driver, 100, &log);
    TU_ASSERT_STATUS(EDDY_OK, eval_status(e, "setTimeout(async () => { await null; while (true) {} }, 1)"));
    if (!driver) eddy_run(e, EDDY_RUN_DEFAULT);
    assert_true(tu_wait_until(error_reported, &log, 10000));
    assert_int_equal(atomic_load(&log.kind), EDDY_ERROR_INTERRUPTED);
    eddy_engine_free(e);
  }
}

typedef struct {
  atomic_int calls, status;
} done_log;

static void on_done(eddy_engine *e, int status, eddy_value *result, void *ud) {
  (void)e;
  done_log *d = ud;
  eddy_value_free(result);
  atomic_store(&d->status, status);
  atomic_fetch_add(&d->calls, 1);
}

static int done_called(void *arg) { return atomic_load(&((done_log *)arg)->calls) > 0; }

static void eval_async_of_a_runaway_after_await_is_interrupted(void **state) {
  (void)state;
  if (!have_features(EDDY_JSC_TIME_LIMIT)) skip();
  for (int driver = 0; driver < 2; driver++) {
    error_log log = {0};
    eddy_engine *e = engine_with(driver, 100, &log);
    done_log d = {0};
    TU_ASSERT_STATUS(EDDY_OK, eddy_eval_async(e, runaway_after_await, strlen(runaway_after_await),
                                              "r.js", on_done, &d));
    if (!driver) eddy_run(e, EDDY_RUN_DEFAULT);
    assert_true(tu_wait_until(done_called, &d, 10000));
    TU_ASSERT_STATUS(EDDY_EINTERRUPTED, atomic_load(&d.status));
    assert_int_equal(atomic_load(&log.calls), 0); /* the caller heard; not detached */
    eddy_engine_free(e);
  }
}

/* ---- waits that end -------------------------------------------------------------------------- */

/* Pending work (a far timer) that will not settle the promise: only an interrupt or a deadline
   can end the wait. */
static const char waits_long[] = "new Promise(() => setTimeout(() => {}, 600000))";

static void interrupt_ends_a_wait_on_a_promise(void **state) {
  (void)state;
  for (int driver = 0; driver < 2; driver++) {
    eddy_engine *e = engine_with(driver, 0, NULL);
    eddy_value *v = NULL;
    int st = tu_eval_interrupted(e, waits_long, "w.js", 10, &v);
    TU_ASSERT_STATUS(EDDY_EINTERRUPTED, st);
    assert_string_equal(eddy_value_error_name(v), "InterruptedError");
    eddy_value_free(v);
    assert_true(tu_eval_number(e, "6 * 7") == 42);
    eddy_engine_free(e);
  }
}

/* An interrupt with nothing running and nothing waiting does not touch the next call. */
static void interrupt_when_idle_does_not_stop_a_later_wait(void **state) {
  (void)state;
  if (!have_features(EDDY_JSC_TIME_LIMIT)) skip(); /* eddy_interrupt is EDDY_ENOTSUP there */
  for (int driver = 0; driver < 2; driver++) {
    eddy_engine *e = engine_with(driver, 0, NULL);
    TU_ASSERT_STATUS(EDDY_OK, eddy_interrupt(e));
    assert_true(tu_eval_number(e, "new Promise(r => setTimeout(() => r(5), 20))") == 5);
    eddy_engine_free(e);
  }
}

static eddy_engine *engine_with_wait_timeout(int driver, uint32_t ms) {
  eddy_options opts;
  eddy_options_init(&opts, sizeof opts);
  opts.start_driver = driver;
  opts.wait_timeout_ms = ms;
  return tu_engine_opts(&opts);
}

static void wait_timeout_ends_a_wait_with_etimedout(void **state) {
  (void)state;
  for (int driver = 0; driver < 2; driver++) {
    eddy_engine *e = engine_with_wait_timeout(driver, 100);
    uint64_t t0 = tu_now_ms();
    TU_ASSERT_STATUS(EDDY_ETIMEDOUT, eval_status(e, waits_long));
    uint64_t took = tu_now_ms() - t0;
    assert_true(took >= 100);
    /* A promise that settles in time is not affected. */
    assert_true(tu_eval_number(e, "new Promise(r => setTimeout(() => r(3), 10))") == 3);
    done_log d = {0};
    TU_ASSERT_STATUS(EDDY_OK, eddy_eval_async(e, waits_long, strlen(waits_long), "w.js",
                                              on_done, &d));
    uint64_t end = tu_now_ms() + 10000;
    while (!driver && !done_called(&d) && tu_now_ms() < end) eddy_run(e, EDDY_RUN_ONCE);
    assert_true(tu_wait_until(done_called, &d, 10000));
    TU_ASSERT_STATUS(EDDY_ETIMEDOUT, atomic_load(&d.status));
    eddy_engine_free(e);
  }
}

static void etimedout_has_its_text(void **state) {
  (void)state;
  assert_string_equal(eddy_err_name(EDDY_ETIMEDOUT), "EDDY_ETIMEDOUT");
  assert_non_null(strstr(eddy_strerror(EDDY_ETIMEDOUT), "timed out"));
}

/* With the driver on, a promise nothing could settle is EDDY_EPENDING, as with it off. */
static void promise_that_can_never_settle_is_epending_with_the_driver_on(void **state) {
  (void)state;
  for (int driver = 0; driver < 2; driver++) {
    eddy_engine *e = engine_with(driver, 0, NULL);
    TU_ASSERT_STATUS(EDDY_EPENDING, eval_status(e, "new Promise(() => {})"));
    TU_ASSERT_STATUS(EDDY_EPENDING,
                     eval_status(e, "new Promise(r => setTimeout(() => {}, 5))"));
    assert_true(tu_eval_number(e, "new Promise(r => setTimeout(() => r(8), 5))") == 8);
    eddy_engine_free(e);
  }
}

/* ---- the memory limit ------------------------------------------------------------------------ */

#define MiB (1024u * 1024u)

/* Resident and peak resident size of this process, from /proc (kB figures). */
static uint64_t proc_status_kb(const char *field) {
  FILE *f = fopen("/proc/self/status", "r");
  if (!f) return 0;
  char line[256];
  uint64_t kb = 0;
  size_t n = strlen(field);
  while (fgets(line, sizeof line, f))
    if (!strncmp(line, field, n) && line[n] == ':') kb = strtoull(line + n + 1, NULL, 10);
  fclose(f);
  return kb * 1024u;
}

/* Resets VmHWM to the current resident size (Linux 4.0+), so a test reads its own peak. */
static void reset_peak(void) {
  FILE *f = fopen("/proc/self/clear_refs", "w");
  if (f) {
    fputs("5", f);
    fclose(f);
  }
}


#define MEMLIMIT_FEATURES (EDDY_JSC_TIME_LIMIT | EDDY_JSC_MEMORY_STATS | EDDY_JSC_SYNC_GC)

static eddy_engine *engine_with_memory_limit(int driver, uint64_t limit, error_log *log) {
  eddy_options opts;
  eddy_options_init(&opts, sizeof opts);
  opts.start_driver = driver;
  opts.memory_limit = limit;
  if (log) {
    opts.on_error = on_error;
    opts.error_userdata = log;
  }
  return tu_engine_opts(&opts);
}

/* What RSS may grow by beyond the limit (docs/embedding.md#memory-limit): the collector's own
   structures and free pages JSC keeps, the allocation of one watchdog period, sanitizer
   shadow memory in these builds. */
#define SLACK (64u * MiB)

static void expect_memory_limit(eddy_engine *e, const char *src) {
  eddy_value *v = NULL;
  TU_ASSERT_STATUS(EDDY_ENOMEM, eddy_eval(e, src, strlen(src), "greedy.js", &v));
  assert_string_equal(eddy_value_error_name(v), "RangeError");
  assert_string_equal(eddy_value_error_message(v), "memory limit exceeded");
  eddy_value_free(v);
}

static void growing_arrays_stop_at_the_memory_limit(void **state) {
  (void)state;
  if (!have_features(MEMLIMIT_FEATURES)) skip();
  for (int driver = 0; driver < 2; driver++) {
    eddy_engine *e = engine_with_memory_limit(driver, 64u * MiB, NULL);
    uint64_t before = proc_status_kb("VmRSS");
    reset_peak();
    expect_memory_limit(e, "let a = []; for (;;) a.push(new Array(1e6).fill(1))");
    uint64_t peak = proc_status_kb("VmHWM");
    print_message("driver %d: RSS %.1f MiB before, peak %.1f MiB (+%.1f)\n", driver,
                  before / 1048576.0, peak / 1048576.0, (peak - before) / 1048576.0);
    assert_true(peak <= before + 64u * MiB + SLACK);
    /* Usable afterwards; what the script left reachable stays until it lets go. */
    assert_true(tu_eval_number(e, "6 * 7") == 42);
    assert_true(tu_eval_number(e, "a = null; new Array(1e6).fill(2).length") == 1e6);
    eddy_engine_free(e);
  }
}

static void a_huge_array_buffer_is_refused_before_it_exists(void **state) {
  (void)state;
  if (!have_features(MEMLIMIT_FEATURES)) skip();
  for (int driver = 0; driver < 2; driver++) {
    eddy_engine *e = engine_with_memory_limit(driver, 64u * MiB, NULL);
    uint64_t before = proc_status_kb("VmRSS");
    reset_peak();
    expect_memory_limit(e, "new Uint8Array(new ArrayBuffer(2 ** 31)).fill(1)");
    expect_memory_limit(e, "new Float64Array(2 ** 28).fill(1)");
    /* Catching the RangeError does not get the script past the limit. */
    expect_memory_limit(e, "try { new ArrayBuffer(2 ** 31) } catch (e) {} for (;;) {}");
    expect_memory_limit(e, "const b = new ArrayBuffer(0, { maxByteLength: 2 ** 31 }); b.resize(2 ** 31)");
    uint64_t peak = proc_status_kb("VmHWM");
    print_message("driver %d: RSS %.1f MiB before, peak %.1f MiB (+%.1f)\n", driver,
                  before / 1048576.0, peak / 1048576.0, (peak - before) / 1048576.0);
    /* Any of the 2 GiB buffers, made and filled, would be far past this. A clean-clone CI run
       once went past SLACK alone here (unexplained: 4 of 4 reruns and every earlier run stayed
       under it), so the bound is what the test is about, not the process's other churn. */
    assert_true(peak <= before + 4 * SLACK);
    assert_true(tu_eval_number(e, "new Uint8Array(new ArrayBuffer(8 << 20)).fill(1).length") ==
                8 << 20);
    eddy_engine_free(e);
  }
}

static void guarded_constructors_keep_their_identity(void **state) {
  (void)state;
  if (!have_features(MEMLIMIT_FEATURES)) skip();
  eddy_engine *e = engine_with_memory_limit(1, 256u * MiB, NULL);
  const char *src =
      "class Sub extends Uint8Array {}\n"
      "const u = new Uint8Array(4), s = new Sub(2 << 20);\n"
      "[u.constructor === Uint8Array, u instanceof Uint8Array, s instanceof Sub,\n"
      " s.constructor === Sub, Uint8Array.name, Uint8Array.BYTES_PER_ELEMENT,\n"
      " new ArrayBuffer(3).byteLength, ArrayBuffer.isView(u), u.subarray(1).constructor === Uint8Array,\n"
      " typeof ArrayBuffer.prototype.resize === 'function' && ArrayBuffer.prototype.resize.name,\n"
      " Object.getPrototypeOf(u) === Uint8Array.prototype, Uint8Array.from([1, 2]).constructor === Uint8Array,\n"
      " Uint8Array.length, (() => { try { Uint8Array(1) } catch (e) { return e.name } })(),\n"
      " new Float64Array([1.5, 2]).join(':'), new Uint8Array(new ArrayBuffer(8), 2, 3).length]"
      ".join()";
  char *got = tu_eval_string(e, src);
  assert_string_equal(got, "true,true,true,true,Uint8Array,1,3,true,true,resize,true,true,3,TypeError,1.5:2,3");
  free(got);
  eddy_engine_free(e);
}

static void detached_work_over_the_limit_reaches_on_error(void **state) {
  (void)state;
  if (!have_features(MEMLIMIT_FEATURES)) skip();
  for (int driver = 0; driver < 2; driver++) {
    error_log log = {0};
    eddy_engine *e = engine_with_memory_limit(driver, 64u * MiB, &log);
    TU_ASSERT_STATUS(EDDY_OK, eval_status(e, "setTimeout(() => { const a = []; for (;;) a.push(new Array(1e6).fill(1)) }, 1)"));
    if (!driver) eddy_run(e, EDDY_RUN_DEFAULT);
    assert_true(tu_wait_until(error_reported, &log, 20000));
    assert_int_equal(atomic_load(&log.kind), EDDY_ERROR_MEMORY_LIMIT);
    assert_true(tu_eval_number(e, "6 * 7") == 42);
    eddy_engine_free(e);
  }
}

/* A JavaScriptCore without the watchdog, heap statistics or a real collection cannot enforce a
   limit: creation says so instead of pretending. */
static void memory_limit_without_what_it_needs_is_enotsup(void **state) {
  (void)state;
  const char *saved = getenv("EDDY_JSC_OPTIONAL");
  char *copy = saved ? strdup(saved) : NULL;
  setenv("EDDY_JSC_OPTIONAL", "none", 1);
  eddy_options opts;
  eddy_options_init(&opts, sizeof opts);
  opts.start_driver = 0;
  opts.memory_limit = 64u * MiB;
  eddy_engine *e = NULL;
  int st = eddy_engine_new(&opts, &e);
  if (copy) setenv("EDDY_JSC_OPTIONAL", copy, 1);
  else unsetenv("EDDY_JSC_OPTIONAL");
  free(copy);
  TU_ASSERT_STATUS(EDDY_ENOTSUP, st);
  assert_null(e);
}

/* ---- stack depth ----------------------------------------------------------------------------- */

static const char recursion[] = "function f(n) { return f(n + 1) + 1; } f(0)";

static void expect_range_error(eddy_engine *e, const char *src) {
  eddy_value *v = NULL;
  TU_ASSERT_STATUS(EDDY_EEXCEPTION, eddy_eval(e, src, strlen(src), "deep.js", &v));
  assert_string_equal(eddy_value_error_name(v), "RangeError");
  eddy_value_free(v);
}

static int call_back_in(eddy_engine *e, const eddy_value *args, eddy_value **result, void *ud) {
  (void)ud;
  return eddy_call(e, "viaHost", args, result);
}

static void define_via_host(eddy_engine *e) {
  TU_ASSERT_STATUS(EDDY_OK, eddy_define_function(e, "host.again", call_back_in, NULL));
  /* 200 JS frames per host call: the stack runs out after a few hundred host calls, not
     tens of thousands (each converts the error on its way back: slow under TSan). */
  TU_ASSERT_STATUS(EDDY_OK, eval_status(e, "globalThis.viaHost = () => {"
                                           " const deep = (k) => k ? deep(k - 1) + 0 : host.again();"
                                           " return deep(200) }"));
}

typedef struct {
  eddy_engine *e; /* NULL: the thread creates its own, driver off */
  int ok;
} small_stack_job;

static void *recurse_on_this_thread(void *arg) {
  small_stack_job *job = arg;
  eddy_engine *e = job->e;
  if (!e) {
    eddy_options opts;
    eddy_options_init(&opts, sizeof opts);
    opts.start_driver = 0;
    if (eddy_engine_new(&opts, &e)) return NULL;
    define_via_host(e);
  }
  eddy_value *v = NULL;
  int st = eddy_eval(e, recursion, strlen(recursion), "deep.js", &v);
  job->ok = st == EDDY_EEXCEPTION && !strcmp(eddy_value_error_name(v), "RangeError");
  eddy_value_free(v);
  /* Host frames between JS frames: a JS function calling a host function calling JS again. */
  if (job->ok) {
    v = NULL;
    st = eddy_call(e, "viaHost", NULL, &v);
    job->ok = st == EDDY_EEXCEPTION && !strcmp(eddy_value_error_name(v), "RangeError");
    eddy_value_free(v);
  }
  if (!job->e) eddy_engine_free(e);
  return NULL;
}

static int run_with_stack(small_stack_job *job, size_t stack) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, stack);
  pthread_t t;
  int rc = pthread_create(&t, &attr, recurse_on_this_thread, job);
  pthread_attr_destroy(&attr);
  if (rc) return 0;
  pthread_join(t, NULL);
  return job->ok;
}

static void deep_recursion_is_a_range_error_on_every_thread(void **state) {
  (void)state;
  /* The calling thread (main), the driver. */
  for (int driver = 0; driver < 2; driver++) {
    eddy_engine *e = engine_with(driver, 0, NULL);
    expect_range_error(e, recursion);
    define_via_host(e);
    expect_range_error(e, "viaHost()");
    eddy_engine_free(e);
  }
  /* A host thread with a small stack calling an engine it did not create (driver off: the JS
     runs on its stack), and one that creates its own there (docs/embedding.md#stack-depth):
     256 KiB runs scripts; 64 KiB, less than JSC's reserved zone, makes every call a RangeError,
     never a crash. */
  eddy_engine *e = engine_with(0, 0, NULL);
  define_via_host(e);
  small_stack_job job = {.e = e};
  assert_true(run_with_stack(&job, 256u * 1024u));
  job.ok = 0;
  assert_true(run_with_stack(&job, 64u * 1024u));
  eddy_engine_free(e);
  small_stack_job own = {.e = NULL};
#if defined(__SANITIZE_THREAD__)
  /* ThreadSanitizer's frames are larger: set-up's JS does not fit in 256 KiB there. */
  assert_true(run_with_stack(&own, 1024u * 1024u));
#else
  assert_true(run_with_stack(&own, 256u * 1024u));
#endif
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(a_long_entry_still_stops_at_its_time_limit),
      cmocka_unit_test(runaway_left_behind_by_a_finished_eval_reaches_on_error),
      cmocka_unit_test(runaway_timer_after_await_reaches_on_error),
      cmocka_unit_test(eval_async_of_a_runaway_after_await_is_interrupted),
      cmocka_unit_test(interrupt_ends_a_wait_on_a_promise),
      cmocka_unit_test(interrupt_when_idle_does_not_stop_a_later_wait),
      cmocka_unit_test(wait_timeout_ends_a_wait_with_etimedout),
      cmocka_unit_test(etimedout_has_its_text),
      cmocka_unit_test(promise_that_can_never_settle_is_epending_with_the_driver_on),
      cmocka_unit_test(growing_arrays_stop_at_the_memory_limit),
      cmocka_unit_test(a_huge_array_buffer_is_refused_before_it_exists),
      cmocka_unit_test(guarded_constructors_keep_their_identity),
      cmocka_unit_test(detached_work_over_the_limit_reaches_on_error),
      cmocka_unit_test(memory_limit_without_what_it_needs_is_enotsup),
      cmocka_unit_test(deep_recursion_is_a_range_error_on_every_thread),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
