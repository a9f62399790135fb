/* The host bridge: host functions, async calls settled from any thread, function values,
   errors of detached work, interrupts and re-entrancy. */
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/mman.h>

#include "../../src/internal.h" /* entry_generations_never_mean_interrupt, huge values */
#include "testutil.h"

/* ---- sync host functions ---- */

static int echo_fn(eddy_engine *e, const eddy_value *args, eddy_value **result, void *ud) {
  (void)e;
  (void)ud;
  *result = eddy_value_copy(args);
  return 0;
}

static int add_fn(eddy_engine *e, const eddy_value *args, eddy_value **result, void *ud) {
  (void)e;
  int *calls = ud;
  (*calls)++;
  if (eddy_value_type(eddy_value_at(args, 0)) != EDDY_TYPE_NUMBER) {
    *result = eddy_value_new_error("TypeError", "add expects numbers");
    return EDDY_EEXCEPTION;
  }
  *result = eddy_value_new_number(eddy_value_number(eddy_value_at(args, 0)) +
                                  eddy_value_number(eddy_value_at(args, 1)));
  return 0;
}

static int fail_status_fn(eddy_engine *e, const eddy_value *args, eddy_value **result, void *ud) {
  (void)e;
  (void)args;
  (void)result;
  (void)ud;
  return EDDY_ENOTFOUND;
}

static void sync_functions_pass_every_type_both_ways(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(1);
  int calls = 0;
  TU_ASSERT_STATUS(EDDY_OK, eddy_define_function(e, "app.echo", echo_fn, NULL));
  TU_ASSERT_STATUS(EDDY_OK, eddy_define_function(e, "app.math.add", add_fn, &calls));
  TU_ASSERT_STATUS(EDDY_OK, eddy_define_function(e, "app.fail", fail_status_fn, NULL));
  TU_ASSERT_STATUS(EDDY_EINVAL, eddy_define_function(e, "", echo_fn, NULL));
  TU_ASSERT_STATUS(EDDY_EINVAL, eddy_define_function(e, "x", NULL, NULL));
  char *s = tu_eval_string(e,
      "const [u, n, b, s, big, bytes, arr, obj, d, err, f] = app.echo(undefined, null, true, 'h\\u00e9',"
      "  10n ** 20n, new Uint8Array([1, 2]), [1, [2]], {k: 'v'}, new Date(5), new RangeError('r'), app.echo);"
      "[u === undefined, n === null, b, s, big === 10n ** 20n, bytes instanceof Uint8Array && bytes[1],"
      " JSON.stringify(arr), obj.k, d.getTime(), err instanceof RangeError && err.message, f === app.echo,"
      " app.echo.name].join()");
  assert_string_equal(s, "true,true,true,h\xc3\xa9,true,2,[1,[2]],v,5,r,true,echo");
  free(s);
  assert_true(tu_eval_number(e, "app.math.add(40, 2)") == 42);
  assert_int_equal(calls, 1);
  s = tu_eval_string(e, "try { app.math.add('x') } catch (err) { `${err.name}: ${err.message}` }");
  assert_string_equal(s, "TypeError: add expects numbers");
  free(s);
  s = tu_eval_string(e, "try { app.fail() } catch (err) { `${err instanceof Error}: ${err.message}` }");
  assert_string_equal(s, "true: not found");
  free(s);
  /* Arguments that cannot be converted are a TypeError in JS, before the host sees them. */
  s = tu_eval_string(e, "const cyc = {}; cyc.cyc = cyc; try { app.echo(cyc) } catch (err) { err.name }");
  assert_string_equal(s, "TypeError");
  free(s);
  eddy_engine_free(e);
}

/* ---- async host functions ---- */

typedef struct {
  pthread_mutex_t mu;
  uint64_t ids[16384];
  double values[16384];
  int count;
  int settle_inline;
  eddy_engine *engine;
} call_box;

static void async_handler(eddy_engine *e, uint64_t id, eddy_value *args, void *ud) {
  call_box *box = ud;
  double x = eddy_value_number(eddy_value_at(args, 0));
  eddy_value_free(args);
  if (box->settle_inline) {
    eddy_settle(e, id, x < 0, x < 0 ? eddy_value_new_error("RangeError", "negative")
                                     : eddy_value_new_number(x * 2));
    return;
  }
  pthread_mutex_lock(&box->mu);
  box->ids[box->count] = id;
  box->values[box->count] = x;
  box->count++;
  pthread_mutex_unlock(&box->mu);
}

static void async_settled_from_the_handler_itself(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(1);
  call_box box = {.mu = PTHREAD_MUTEX_INITIALIZER, .settle_inline = 1};
  TU_ASSERT_STATUS(EDDY_OK, eddy_define_async_function(e, "host.twice", async_handler, &box));
  assert_true(tu_eval_number(e, "host.twice(21)") == 42);
  char *s = tu_eval_string(e, "host.twice(-1).catch(err => `${err.name}: ${err.message}`)");
  assert_string_equal(s, "RangeError: negative");
  free(s);
  s = tu_eval_string(e, "(async () => { const p = host.twice(1); return String(p instanceof Promise) })()");
  assert_string_equal(s, "true");
  free(s);
  /* That call's settlement may still be queued: it drains without any further host call. */
  assert_true(tu_wait_until(tu_no_pending, e, 2000));
  eddy_engine_free(e);
}

typedef struct {
  call_box *box;
  int from, step;
} settler;

static void *settle_some(void *arg) {
  settler *s = arg;
  call_box *box = s->box;
  for (int i = s->from; i < 10000; i += s->step) {
    for (;;) {
      pthread_mutex_lock(&box->mu);
      int ready = box->count > i;
      uint64_t id = ready ? box->ids[i] : 0;
      double x = ready ? box->values[i] : 0;
      pthread_mutex_unlock(&box->mu);
      if (ready) {
        int rc = eddy_settle(box->engine, id, 0, eddy_value_new_number(x + 1));
        if (rc) fail_msg("settle %d: %s", i, eddy_err_name(rc));
        break;
      }
      tu_sleep_ms(1);
    }
  }
  return NULL;
}

static void ten_thousand_calls_settled_from_eight_threads(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(1);
  call_box *box = calloc(1, sizeof(*box));
  pthread_mutex_init(&box->mu, NULL);
  box->engine = e;
  TU_ASSERT_STATUS(EDDY_OK, eddy_define_async_function(e, "host.inc", async_handler, box));
  pthread_t th[8];
  settler st[8];
  for (int i = 0; i < 8; i++) {
    st[i] = (settler){box, i, 8};
    pthread_create(&th[i], NULL, settle_some, &st[i]);
  }
  double ok = tu_eval_number(e,
      "(async () => {"
      "  const ps = [];"
      "  for (let i = 0; i < 10000; i++) ps.push(host.inc(i).then(v => v === i + 1));"
      "  const r = await Promise.all(ps);"
      "  return r.filter(Boolean).length;"
      "})()");
  for (int i = 0; i < 8; i++) pthread_join(th[i], NULL);
  assert_true(ok == 10000);
  assert_int_equal(eddy_pending(e), 0);
  eddy_engine_free(e);
  pthread_mutex_destroy(&box->mu);
  free(box);
}

static void *settle_first_call(void *arg) {
  call_box *box = arg;
  for (int i = 0; i < 2000; i++) {
    pthread_mutex_lock(&box->mu);
    int n = box->count;
    uint64_t id = n ? box->ids[0] : 0;
    pthread_mutex_unlock(&box->mu);
    if (n) {
      eddy_settle(box->engine, id, 0, eddy_value_new_number(7));
      return NULL;
    }
    tu_sleep_ms(1);
  }
  return NULL;
}

/* Right after eddy_engine_new the driver already owns the loop: an eval that waits for a host
   settle made later from another thread waits for it (no EDDY_EPENDING race). */
static void calls_right_after_creation_go_to_the_driver(void **state) {
  (void)state;
  for (int round = 0; round < 10; round++) {
    eddy_engine *e = tu_engine(1);
    call_box *box = calloc(1, sizeof(*box));
    pthread_mutex_init(&box->mu, NULL);
    box->engine = e;
    TU_ASSERT_STATUS(EDDY_OK, eddy_define_async_function(e, "host.later", async_handler, box));
    pthread_t th;
    pthread_create(&th, NULL, settle_first_call, box);
    assert_true(tu_eval_number(e, "host.later(1)") == 7);
    pthread_join(th, NULL);
    eddy_engine_free(e);
    pthread_mutex_destroy(&box->mu);
    free(box);
  }
}

static int stop_from_callback(eddy_engine *e, const eddy_value *args, eddy_value **result, void *ud) {
  (void)args;
  *(int *)ud = eddy_stop_drive(e);
  *result = NULL;
  return 0;
}

static void stop_drive_from_a_callback_is_ebusy(void **state) {
  (void)state;
  for (int driver = 0; driver <= 1; driver++) {
    eddy_engine *e = tu_engine(driver);
    int status = 0;
    TU_ASSERT_STATUS(EDDY_OK, eddy_define_function(e, "host.stop", stop_from_callback, &status));
    eddy_value_free(tu_eval(e, "host.stop()"));
    TU_ASSERT_STATUS(EDDY_EBUSY, status);
    eddy_engine_free(e);
  }
}

static void *settle_later(void *arg) {
  call_box *box = arg;
  tu_sleep_ms(50);
  pthread_mutex_lock(&box->mu);
  uint64_t id = box->ids[0];
  pthread_mutex_unlock(&box->mu);
  eddy_settle(box->engine, id, 0, eddy_value_new_cstring("late"));
  return NULL;
}

static void settle_after_delay_twice_and_after_close(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(1);
  call_box *box = calloc(1, sizeof(*box));
  pthread_mutex_init(&box->mu, NULL);
  box->engine = e;
  TU_ASSERT_STATUS(EDDY_OK, eddy_define_async_function(e, "host.wait", async_handler, box));
  pthread_t th;
  eddy_value_free(tu_eval(e, "globalThis.p = host.wait(1); 0"));
  assert_int_equal(eddy_pending(e), 1); /* unsettled calls are pending work */
  pthread_create(&th, NULL, settle_later, box);
  char *s = tu_eval_string(e, "p");
  pthread_join(th, NULL);
  assert_string_equal(s, "late");
  free(s);
  /* A second settle of the same id, and an unknown id. */
  TU_ASSERT_STATUS(EDDY_ENOTFOUND, eddy_settle(e, box->ids[0], 0, eddy_value_new_number(1)));
  TU_ASSERT_STATUS(EDDY_ENOTFOUND, eddy_settle(e, 123456, 0, NULL));
  /* Close with a call outstanding: a later settle is ECLOSED and its value still freed. */
  eddy_value_free(tu_eval(e, "host.wait(2); 0"));
  uint64_t id = box->ids[1];
  eddy_engine_close(e);
  TU_ASSERT_STATUS(EDDY_ECLOSED, eddy_settle(e, id, 0, eddy_value_new_cstring("too late")));
  eddy_engine_free(e);
  pthread_mutex_destroy(&box->mu);
  free(box);
}

/* ---- function values ---- */

typedef struct {
  eddy_value *fn;
  eddy_engine *e;
  double result;
  int status;
} kept_fn;

static int register_fn(eddy_engine *e, const eddy_value *args, eddy_value **result, void *ud) {
  (void)e;
  (void)result;
  kept_fn *k = ud;
  k->fn = eddy_value_copy(eddy_value_at(args, 0));
  return 0;
}

static void *call_kept(void *arg) {
  kept_fn *k = arg;
  eddy_value *args = eddy_value_new_array();
  eddy_value_push(args, eddy_value_new_number(5));
  eddy_value *r = NULL;
  k->status = eddy_call_value(k->e, k->fn, args, &r);
  k->result = eddy_value_number(r);
  eddy_value_free(r);
  eddy_value_free(args);
  return NULL;
}

static void function_values_are_called_later_from_another_thread(void **state) {
  (void)state;
  TU_NEED_JSC(EDDY_JSC_SYNC_GC);
  eddy_engine *e = tu_engine(1);
  kept_fn k = {NULL, e, 0, -1};
  TU_ASSERT_STATUS(EDDY_OK, eddy_define_function(e, "host.on", register_fn, &k));
  eddy_value_free(tu_eval(e, "let base = 10; host.on(function onEvent(x) { return base + x; }); base = 100; 0"));
  assert_int_equal(eddy_value_type(k.fn), EDDY_TYPE_FUNCTION);
  assert_string_equal(eddy_value_string(k.fn, NULL), "onEvent");
  TU_ASSERT_STATUS(EDDY_OK, eddy_gc(e)); /* the host's reference alone keeps it alive */
  pthread_t th;
  pthread_create(&th, NULL, call_kept, &k);
  pthread_join(th, NULL);
  TU_ASSERT_STATUS(EDDY_OK, k.status);
  assert_true(k.result == 105);
  /* Function values of another engine are refused. */
  eddy_engine *other = tu_engine(0);
  TU_ASSERT_STATUS(EDDY_EINVAL, eddy_call_value(other, k.fn, NULL, NULL));
  TU_ASSERT_STATUS(EDDY_ETYPE, eddy_call_value(e, eddy_value_at(NULL, 0), NULL, NULL));
  eddy_engine_free(other);
  /* A function value may outlive its engine: calling is ECLOSED, freeing is fine. */
  eddy_engine_free(e);
  TU_ASSERT_STATUS(EDDY_ECLOSED, eddy_call_value(e, k.fn, NULL, NULL));
  eddy_value_free(k.fn);
}

static void call_by_path_awaits_promises(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(1);
  eddy_value_free(tu_eval(e,
      "globalThis.api = { base: 3, sum(a, b) { return this.base + a + b; },"
      "  async later(x) { await new Promise(r => setTimeout(r, 10)); return x * 2; },"
      "  boom() { throw new SyntaxError('bad input'); } }; 0"));
  eddy_value *args = eddy_value_new_array();
  eddy_value_push(args, eddy_value_new_number(4));
  eddy_value_push(args, eddy_value_new_number(5));
  eddy_value *r = NULL;
  TU_ASSERT_STATUS(EDDY_OK, eddy_call(e, "api.sum", args, &r));
  assert_true(eddy_value_number(r) == 12); /* `this` is the holder */
  eddy_value_free(r);
  TU_ASSERT_STATUS(EDDY_OK, eddy_call(e, "api.later", args, &r));
  assert_true(eddy_value_number(r) == 8);
  eddy_value_free(r);
  TU_ASSERT_STATUS(EDDY_EEXCEPTION, eddy_call(e, "api.boom", NULL, &r));
  assert_string_equal(eddy_value_error_name(r), "SyntaxError");
  eddy_value_free(r);
  TU_ASSERT_STATUS(EDDY_EEXCEPTION, eddy_call(e, "api.missing", NULL, &r));
  assert_string_equal(eddy_value_error_name(r), "TypeError");
  eddy_value_free(r);
  TU_ASSERT_STATUS(EDDY_EINVAL, eddy_call(e, "api.sum", eddy_value_at(args, 0), NULL));
  eddy_value_free(args);
  eddy_engine_free(e);
}

/* ---- detached errors ---- */

typedef struct {
  pthread_mutex_t mu;
  int count;
  int kinds[8];
  char messages[8][64];
} errors_seen;

static void collect_error(eddy_engine *e, int kind, const eddy_value *err, void *ud) {
  (void)e;
  errors_seen *s = ud;
  pthread_mutex_lock(&s->mu);
  if (s->count < 8) {
    s->kinds[s->count] = kind;
    snprintf(s->messages[s->count], 64, "%s", eddy_value_error_message(err));
    s->count++;
  }
  pthread_mutex_unlock(&s->mu);
}

static int count_is(void *arg) {
  errors_seen *s = arg;
  pthread_mutex_lock(&s->mu);
  int n = s->count;
  pthread_mutex_unlock(&s->mu);
  return n >= 3;
}

static void detached_errors_reach_the_host(void **state) {
  (void)state;
  TU_NEED_JSC(EDDY_JSC_REJECTION_CALLBACK);
  errors_seen seen = {.mu = PTHREAD_MUTEX_INITIALIZER};
  eddy_options o;
  eddy_options_init(&o, sizeof o);
  o.on_error = collect_error;
  o.error_userdata = &seen;
  eddy_engine *e = tu_engine_opts(&o);
  eddy_value_free(tu_eval(e,
      "setTimeout(() => { throw new Error('from timer') }, 1);"
      "Promise.reject(new Error('never handled'));"
      "const handledLater = Promise.reject(new Error('handled')); handledLater.catch(() => {});"
      "queueMicrotask(() => { throw new Error('from microtask') }); 0"));
  assert_true(tu_wait_until(count_is, &seen, 2000));
  tu_sleep_ms(50);
  eddy_engine_free(e);
  assert_int_equal(seen.count, 3);
  int timer = 0, rejection = 0, micro = 0;
  for (int i = 0; i < seen.count; i++) {
    if (!strcmp(seen.messages[i], "from timer") && seen.kinds[i] == EDDY_ERROR_UNCAUGHT) timer++;
    if (!strcmp(seen.messages[i], "never handled") && seen.kinds[i] == EDDY_ERROR_UNHANDLED_REJECTION)
      rejection++;
    if (!strcmp(seen.messages[i], "from microtask") && seen.kinds[i] == EDDY_ERROR_UNCAUGHT) micro++;
  }
  assert_int_equal(timer + rejection + micro, 3);
}

static void listeners_on_globalthis_can_prevent_delivery(void **state) {
  (void)state;
  TU_NEED_JSC(EDDY_JSC_REJECTION_CALLBACK);
  errors_seen seen = {.mu = PTHREAD_MUTEX_INITIALIZER};
  eddy_options o;
  eddy_options_init(&o, sizeof o);
  o.on_error = collect_error;
  o.error_userdata = &seen;
  eddy_engine *e = tu_engine_opts(&o);
  eddy_value_free(tu_eval(e,
      "globalThis.seen = [];"
      "addEventListener('error', ev => { seen.push('error:' + ev.message + ':' + (ev.error instanceof Error));"
      "  if (ev.error.message === 'quiet') ev.preventDefault(); });"
      "addEventListener('unhandledrejection', ev => { seen.push('rejection:' + ev.reason.message);"
      "  ev.preventDefault(); });"
      "setTimeout(() => { throw new Error('quiet') }, 1);"
      "setTimeout(() => { throw new Error('loud') }, 2);"
      "Promise.reject(new Error('caught by listener'));"
      "setTimeout(() => { globalThis.done = true }, 20); 0"));
  for (int i = 0; i < 200 && eddy_pending(e); i++) tu_sleep_ms(5);
  char *s = tu_eval_string(e, "seen.sort().join()");
  assert_string_equal(s, "error:loud:true,error:quiet:true,rejection:caught by listener");
  free(s);
  eddy_engine_free(e);
  assert_int_equal(seen.count, 1);
  assert_string_equal(seen.messages[0], "loud");
}

/* ---- interrupts ---- */

typedef struct {
  eddy_engine *e;
  int status;
} spin_arg;

static void *spin(void *arg) {
  spin_arg *a = arg;
  const char *src = "let i = 0; while (true) { i++; }";
  a->status = eddy_eval(a->e, src, strlen(src), "spin.js", NULL);
  return NULL;
}

static void interrupt_from_another_thread(void **state) {
  (void)state;
  TU_NEED_JSC(EDDY_JSC_TIME_LIMIT);
  eddy_engine *e = tu_engine(1);
  TU_ASSERT_STATUS(EDDY_OK, eddy_interrupt(e)); /* nothing runs: no effect */
  assert_true(tu_eval_number(e, "1") == 1);
  spin_arg a = {e, 0};
  pthread_t th;
  pthread_create(&th, NULL, spin, &a);
  tu_sleep_ms(100);
  uint64_t t0 = tu_now_ms();
  TU_ASSERT_STATUS(EDDY_OK, eddy_interrupt(e));
  pthread_join(th, NULL);
  assert_true(tu_now_ms() - t0 < 500);
  TU_ASSERT_STATUS(EDDY_EINTERRUPTED, a.status);
  assert_true(tu_eval_number(e, "6 * 7") == 42); /* still usable */
  eddy_engine_free(e);
}

static void time_limit_interrupts_runaway_scripts(void **state) {
  (void)state;
  TU_NEED_JSC(EDDY_JSC_TIME_LIMIT);
  errors_seen seen = {.mu = PTHREAD_MUTEX_INITIALIZER};
  eddy_options o;
  eddy_options_init(&o, sizeof o);
  o.time_limit_ms = 100;
  o.on_error = collect_error;
  o.error_userdata = &seen;
  eddy_engine *e = tu_engine_opts(&o);
  const char *src = "while (true) {}";
  eddy_value *v = NULL;
  uint64_t t0 = tu_now_ms();
  TU_ASSERT_STATUS(EDDY_EINTERRUPTED, eddy_eval(e, src, strlen(src), "loop.js", &v));
  uint64_t took = tu_now_ms() - t0;
  assert_true(took >= 100 && took < 1000);
  assert_string_equal(eddy_value_error_name(v), "InterruptedError");
  eddy_value_free(v);
  /* A runaway timer callback is interrupted too, reported, and later timers still run. */
  eddy_value_free(tu_eval(e, "setTimeout(() => { for (;;) {} }, 1); setTimeout(() => { globalThis.after = 1 }, 5); 0"));
  for (int i = 0; i < 400 && eddy_pending(e); i++) tu_sleep_ms(5);
  assert_true(tu_eval_number(e, "globalThis.after") == 1);
  eddy_engine_free(e);
  assert_int_equal(seen.count, 1);
  assert_int_equal(seen.kinds[0], EDDY_ERROR_INTERRUPTED);
}

/* The watchdog stops an entry whose generation matches interrupt_gen, where 0 means "none".
   The count must never be 0 then: not while eddy_engine_new runs the embedded JS (longer than one
   watchdog period on a slow device or under valgrind, where engine creation used to fail), and
   not when it wraps after 2^32 entries (days of a busy app). White-box: that many entries would
   take too long here, so the test starts the count just below the wrap. */
static void entry_generations_never_mean_interrupt(void **state) {
  (void)state;
  TU_NEED_JSC(EDDY_JSC_TIME_LIMIT);
  eddy_engine *e = tu_engine(0);
  assert_int_not_equal(atomic_load(&e->entry_gen), 0);
  atomic_store(&e->entry_gen, UINT_MAX);
  /* Several watchdog periods of CPU in the entry that wraps the count. */
  const char *src = "const t = Date.now(); while (Date.now() - t < 100) {} 7";
  eddy_value *v = NULL;
  TU_ASSERT_STATUS(EDDY_OK, eddy_eval(e, src, strlen(src), "wrap.js", &v));
  assert_true(eddy_value_number(v) == 7);
  eddy_value_free(v);
  assert_int_not_equal(atomic_load(&e->entry_gen), 0);
  /* eddy_interrupt still stops the entry after the wrap. */
  spin_arg a = {e, 0};
  pthread_t th;
  pthread_create(&th, NULL, spin, &a);
  tu_sleep_ms(100);
  TU_ASSERT_STATUS(EDDY_OK, eddy_interrupt(e));
  pthread_join(th, NULL);
  TU_ASSERT_STATUS(EDDY_EINTERRUPTED, a.status);
  eddy_engine_free(e);
}

/* ---- re-entrancy ---- */

static int reenter_fn(eddy_engine *e, const eddy_value *args, eddy_value **result, void *ud) {
  (void)ud;
  double depth = eddy_value_number(eddy_value_at(args, 0));
  char src[64];
  int n = snprintf(src, sizeof src, "host.reenter(%g) + 1", depth - 1);
  if (depth <= 0) n = snprintf(src, sizeof src, "1");
  return eddy_eval(e, src, (size_t)n, "inner.js", result);
}

static void host_functions_reenter_at_depth(void **state) {
  (void)state;
  for (int driver = 0; driver <= 1; driver++) {
    eddy_engine *e = tu_engine(driver);
    TU_ASSERT_STATUS(EDDY_OK, eddy_define_function(e, "host.reenter", reenter_fn, NULL));
    assert_true(tu_eval_number(e, "host.reenter(50)") == 51);
    eddy_engine_free(e);
  }
}

static int nested_promise_fn(eddy_engine *e, const eddy_value *args, eddy_value **result, void *ud) {
  (void)args;
  int *status = ud;
  const char *src = "new Promise(r => setTimeout(r, 1))";
  *status = eddy_eval(e, src, strlen(src), "nested.js", NULL);
  *result = eddy_value_new_number(1);
  return 0;
}

static void waiting_on_a_promise_inside_a_callback_is_ebusy(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(1);
  int status = 0;
  TU_ASSERT_STATUS(EDDY_OK, eddy_define_function(e, "host.nested", nested_promise_fn, &status));
  assert_true(tu_eval_number(e, "host.nested()") == 1);
  TU_ASSERT_STATUS(EDDY_EBUSY, status);
  eddy_engine_free(e);
}

/* ---- hostile values and paths ---- */

static int interrupt_fn(eddy_engine *e, const eddy_value *args, eddy_value **result, void *ud) {
  (void)args;
  (void)result;
  (void)ud;
  return eddy_interrupt(e);
}

/* A graph with shared references converts to a graph: a JS object reached twice is one node
   (this copied every path: 2^31 nodes, exhausting memory), and becomes one JS object again. */
static void shared_references_stay_shared(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(1);
  uint64_t t0 = tu_now_ms();
  eddy_value *v = tu_eval(e, "let o = {}; for (let i = 0; i < 30; i++) o = {l: o, r: o}; o");
  assert_true(tu_now_ms() - t0 < 2000);
  const eddy_value *p = v;
  for (int i = 0; i < 30; i++) {
    assert_ptr_equal(eddy_value_get(p, "l"), eddy_value_get(p, "r"));
    p = eddy_value_get(p, "l");
  }
  assert_int_equal(eddy_value_type(p), EDDY_TYPE_OBJECT);
  assert_int_equal(eddy_value_length(p), 0);
  eddy_value *c = eddy_value_copy(v); /* a copy shares the same way */
  assert_ptr_equal(eddy_value_get(c, "l"), eddy_value_get(c, "r"));
  assert_ptr_not_equal(eddy_value_get(c, "l"), eddy_value_get(v, "l"));
  eddy_value_free(v);
  /* Back to JS: one object per node. */
  TU_ASSERT_STATUS(EDDY_OK, eddy_set(e, "graph", c));
  assert_true(tu_eval_number(e, "let n = 0, g = graph; while (g.l) { n += g.l === g.r; g = g.l } n") == 30);
  eddy_value_free(c);
  /* Shared leaves too: one function handle, one byte copy; still no cycles. */
  v = tu_eval(e, "const f = () => 1, b = new Uint8Array(3), d = new Date(7); [f, f, b, {b}, d, d]");
  assert_ptr_equal(eddy_value_at(v, 0), eddy_value_at(v, 1));
  assert_ptr_equal(eddy_value_at(v, 2), eddy_value_get(eddy_value_at(v, 3), "b"));
  assert_ptr_equal(eddy_value_at(v, 4), eddy_value_at(v, 5));
  eddy_value_free(v);
  v = NULL;
  const char *src = "const a = {}; a.b = [1, {a}]; a";
  TU_ASSERT_STATUS(EDDY_EEXCEPTION, eddy_eval(e, src, strlen(src), "c.js", &v));
  assert_non_null(strstr(eddy_value_error_message(v), "cyclic"));
  eddy_value_free(v);
  /* An error whose cause leads back to it converts, the repeat without its cause. */
  v = tu_eval(e, "const x = new Error('x'); x.cause = {again: x}; x");
  assert_string_equal(eddy_value_error_message(eddy_value_get(eddy_value_get(v, "cause"), "again")), "x");
  assert_null(eddy_value_get(eddy_value_get(eddy_value_get(v, "cause"), "again"), "cause"));
  eddy_value_free(v);
  eddy_engine_free(e);
}

/* Converting a result that takes long stops for eddy_interrupt and the time limit, and reports
   EDDY_EINTERRUPTED (it ran to the end, or reported "JavaScript execution terminated." from a
   getter as an exception). */
static void conversion_stops_for_interrupts_and_the_time_limit(void **state) {
  (void)state;
  TU_NEED_JSC(EDDY_JSC_TIME_LIMIT);
  eddy_engine *e = tu_engine(1);
  TU_ASSERT_STATUS(EDDY_OK, eddy_define_function(e, "stop", interrupt_fn, NULL));
  eddy_value_free(tu_eval(e, "globalThis.big = Array.from({length: 1e6}, (_, i) => ({i})); 0"));
  const char *src = "stop(); big";
  eddy_value *v = NULL;
  uint64_t t0 = tu_now_ms();
  TU_ASSERT_STATUS(EDDY_EINTERRUPTED, eddy_eval(e, src, strlen(src), "i.js", &v));
  assert_true(tu_now_ms() - t0 < 1500);
  assert_string_equal(eddy_value_error_name(v), "InterruptedError");
  eddy_value_free(v);
  assert_true(tu_eval_number(e, "big.length") == 1e6); /* the engine is fine */
  eddy_engine_free(e);

  eddy_options o;
  eddy_options_init(&o, sizeof o);
  o.time_limit_ms = 1000;
  e = tu_engine_opts(&o);
  eddy_value_free(tu_eval(e, "globalThis.big = []; 0"));
  for (int i = 0; i < 10; i++) /* each eval far within the limit */
    eddy_value_free(tu_eval(e, "for (let i = 0; i < 1e5; i++) big.push({i}); 0"));
  t0 = tu_now_ms();
  TU_ASSERT_STATUS(EDDY_EINTERRUPTED, eddy_eval(e, "big", 3, "t.js", &v));
  assert_true(tu_now_ms() - t0 < 3000);
  eddy_value_free(v);
  src = "({a: 1, get b() { for (;;) {} }})";
  TU_ASSERT_STATUS(EDDY_EINTERRUPTED, eddy_eval(e, src, strlen(src), "g.js", &v));
  assert_string_equal(eddy_value_error_name(v), "InterruptedError");
  eddy_value_free(v);
  assert_true(tu_eval_number(e, "6 * 7") == 42);
  eddy_engine_free(e);
}

/* JS -> host conversion has a size budget (1 GiB of host memory): over it is a RangeError,
   found before the copy where the size is known. */
static void conversion_has_a_size_budget(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(1);
  eddy_value *v = NULL;
  const char *src = "'x'.repeat(2 ** 30 + 1)";
  TU_ASSERT_STATUS(EDDY_EEXCEPTION, eddy_eval(e, src, strlen(src), "s.js", &v));
  assert_string_equal(eddy_value_error_name(v), "RangeError");
  assert_non_null(strstr(eddy_value_error_message(v), "too large"));
  eddy_value_free(v);
  /* The budget is the whole value's: two views of one 512 MiB buffer are two copies. */
  src = "const buf = new ArrayBuffer(2 ** 29 + 1); [new Uint8Array(buf), new DataView(buf)]";
  TU_ASSERT_STATUS(EDDY_EEXCEPTION, eddy_eval(e, src, strlen(src), "b.js", &v));
  assert_non_null(strstr(eddy_value_error_message(v), "too large"));
  eddy_value_free(v);
  /* A DataView whose getters lie is checked against its buffer, never read past it. */
  src = "const dv = new DataView(new ArrayBuffer(8), 2, 4);"
        "Object.defineProperty(dv, 'byteLength', {get: () => 1e9}); dv";
  TU_ASSERT_STATUS(EDDY_EEXCEPTION, eddy_eval(e, src, strlen(src), "d.js", &v));
  assert_string_equal(eddy_value_error_name(v), "RangeError");
  eddy_value_free(v);
  v = tu_eval(e, "new DataView(new Uint8Array([1, 2, 3, 4, 5]).buffer, 1, 3)");
  size_t n;
  const uint8_t *b = eddy_value_bytes(v, &n);
  assert_int_equal(n, 3);
  assert_memory_equal(b, "\x02\x03\x04", 3);
  eddy_value_free(v);
  eddy_engine_free(e);
}

static int deep_fn(eddy_engine *e, const eddy_value *args, eddy_value **result, void *ud) {
  (void)e;
  (void)args;
  size_t levels = *(size_t *)ud;
  eddy_value *v = eddy_value_new_null();
  for (size_t i = 0; i < levels; i++) {
    eddy_value *a = eddy_value_new_array();
    eddy_value_push(a, v);
    v = a;
  }
  *result = v;
  return 0;
}

/* A value nested 1000 levels deep passes both ways; 1001 is refused both ways, as JSON does. */
static void nesting_limit_is_1000_both_ways(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(1);
  eddy_value *v = tu_eval(e, "{ let d = 0; for (let i = 0; i < 1000; i++) d = [d]; d }");
  TU_ASSERT_STATUS(EDDY_OK, eddy_set(e, "back", v));
  eddy_value *w = eddy_value_new_array();
  eddy_value_push(w, v); /* 1001 */
  TU_ASSERT_STATUS(EDDY_ERANGE, eddy_set(e, "back", w));
  eddy_value *args = eddy_value_new_array();
  eddy_value_push(args, w);
  eddy_value *r = NULL;
  TU_ASSERT_STATUS(EDDY_ERANGE, eddy_call(e, "String", args, &r));
  eddy_value_free(args);
  const char *src = "{ let d = 0; for (let i = 0; i < 1001; i++) d = [d]; d }";
  TU_ASSERT_STATUS(EDDY_EEXCEPTION, eddy_eval(e, src, strlen(src), "d.js", &v));
  assert_string_equal(eddy_value_error_name(v), "RangeError");
  eddy_value_free(v);
  /* A host function's result too deep for JS is a RangeError in JS. */
  size_t levels = 1001;
  TU_ASSERT_STATUS(EDDY_OK, eddy_define_function(e, "deep", deep_fn, &levels));
  char *name = tu_eval_string(e, "try { deep(); 'no' } catch (err) { err.name }");
  assert_string_equal(name, "RangeError");
  free(name);
  levels = 1000;
  assert_true(tu_eval_number(e, "let n = 0; for (let a = deep(); a; a = a[0]) n++; n") == 1000);
  /* Objects and errors count as levels too. */
  v = tu_eval(e, "let o = 0; for (let i = 0; i < 999; i++) o = {o}; new Error('e', {cause: o})");
  eddy_value_free(v);
  eddy_engine_free(e);
}

/* A host string JS cannot hold (2^31 UTF-16 units and more) is EDDY_ERANGE, not an abort inside
   JavaScriptCore (eddy_set, and eddy_call's arguments by the same path); bytes over JS's 4 GiB
   the same. */
static void host_strings_too_long_for_js_are_erange(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(1);
  /* 2^31 NUL characters (valid UTF-8), from pages that read as zero and cost nothing. */
  size_t n = (size_t)1 << 31;
  void *zeros = mmap(NULL, n + 1, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  assert_true(zeros != MAP_FAILED);
  eddy_value *s = eddy_value_new_cstring("");
  char *real_ptr = s->u.str.ptr;
  s->u.str.ptr = zeros;
  s->u.str.len = n;
  TU_ASSERT_STATUS(EDDY_ERANGE, eddy_set(e, "big", s));
  s->u.str.ptr = real_ptr;
  s->u.str.len = 0;
  munmap(zeros, n + 1);
  eddy_value_free(s);
  char *r = tu_eval_string(e, "typeof big");
  assert_string_equal(r, "undefined");
  free(r);
  /* Bytes over 4 GiB: the length is refused before a byte is read. */
  eddy_value *bytes = eddy_value_new_bytes("x", 1);
  size_t real = bytes->u.bytes.len;
  bytes->u.bytes.len = ((size_t)1 << 32) + 1;
  TU_ASSERT_STATUS(EDDY_ERANGE, eddy_set(e, "bytes", bytes));
  eddy_value *args = eddy_value_new_array();
  eddy_value_push(args, eddy_value_new_null());
  eddy_value_push(args, bytes);
  TU_ASSERT_STATUS(EDDY_ERANGE, eddy_call(e, "String", args, NULL));
  bytes->u.bytes.len = real;
  eddy_value_free(args);
  eddy_engine_free(e);
}

/* Dotted paths cannot reach a prototype, and malformed ones are EDDY_EINVAL. */
static void paths_cannot_reach_prototypes(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(1);
  eddy_value *v = eddy_value_new_bool(1);
  const char *bad[] = {"__proto__.polluted", "constructor.prototype.polluted", "Object.prototype.p",
                       "a.__proto__", "x.constructor", ".", "a..b", ".a", "a.", "__proto__"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    TU_ASSERT_STATUS(EDDY_EINVAL, eddy_set(e, bad[i], v));
    TU_ASSERT_STATUS(EDDY_EINVAL, eddy_define_function(e, bad[i], echo_fn, NULL));
    TU_ASSERT_STATUS(EDDY_EINVAL, eddy_call(e, bad[i], NULL, NULL));
  }
  assert_true(tu_eval_number(e, "'polluted' in {} || 'p' in {} ? 1 : 0") == 0);
  TU_ASSERT_STATUS(EDDY_OK, eddy_set(e, "app.proto_ok.__protox", v)); /* only whole segments */
  eddy_value_free(v);
  /* A "__proto__" key of a host object is an own property, as JSON.parse makes it. */
  eddy_value *o = NULL;
  const char *json = "{\"__proto__\": {\"isAdmin\": true}}";
  TU_ASSERT_STATUS(EDDY_OK, eddy_value_from_json(json, strlen(json), &o, NULL));
  TU_ASSERT_STATUS(EDDY_OK, eddy_set(e, "fromHost", o));
  eddy_value_free(o);
  char *r = tu_eval_string(e, "[fromHost.isAdmin, Object.getPrototypeOf(fromHost) === Object.prototype,"
                              " Object.keys(fromHost)].join()");
  assert_string_equal(r, ",true,__proto__");
  free(r);
  eddy_engine_free(e);
}

/* An error value named after a global that is not an error class (Promise, Function, Proxy)
   becomes a plain Error with that name: constructing those crashed (Promise throws, which left
   no object) or made something else (new Function(message)). */
static int named_error_fn(eddy_engine *e, const eddy_value *args, eddy_value **result, void *ud) {
  (void)e;
  (void)ud;
  *result = eddy_value_new_error(eddy_value_string(eddy_value_at(args, 0), NULL), "msg");
  return 0;
}

static void host_error_names_only_pick_error_classes(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(1);
  TU_ASSERT_STATUS(EDDY_OK, eddy_define_function(e, "raise", named_error_fn, NULL));
  char *r = tu_eval_string(e,
      "class AppError extends Error {}; globalThis.AppError = AppError;"
      "['Promise', 'Function', 'Proxy', 'Array', 'TypeError', 'AppError', 'AggregateError', 'Nope']"
      ".map(n => { try { raise(n) } catch (err) {"
      "  return `${n}:${err instanceof Error}:${err.name}:${err.message}:${err.constructor.name}` } })"
      ".join(' ')");
  assert_string_equal(r, "Promise:true:Promise:msg:Error Function:true:Function:msg:Error "
                         "Proxy:true:Proxy:msg:Error Array:true:Array:msg:Error "
                         "TypeError:true:TypeError:msg:TypeError AppError:true:AppError:msg:AppError "
                         "AggregateError:true:AggregateError:msg:AggregateError Nope:true:Nope:msg:Error");
  free(r);
  eddy_engine_free(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(sync_functions_pass_every_type_both_ways),
      cmocka_unit_test(async_settled_from_the_handler_itself),
      cmocka_unit_test(ten_thousand_calls_settled_from_eight_threads),
      cmocka_unit_test(settle_after_delay_twice_and_after_close),
      cmocka_unit_test(calls_right_after_creation_go_to_the_driver),
      cmocka_unit_test(stop_drive_from_a_callback_is_ebusy),
      cmocka_unit_test(function_values_are_called_later_from_another_thread),
      cmocka_unit_test(call_by_path_awaits_promises),
      cmocka_unit_test(detached_errors_reach_the_host),
      cmocka_unit_test(listeners_on_globalthis_can_prevent_delivery),
      cmocka_unit_test(interrupt_from_another_thread),
      cmocka_unit_test(time_limit_interrupts_runaway_scripts),
      cmocka_unit_test(entry_generations_never_mean_interrupt),
      cmocka_unit_test(host_functions_reenter_at_depth),
      cmocka_unit_test(waiting_on_a_promise_inside_a_callback_is_ebusy),
      cmocka_unit_test(shared_references_stay_shared),
      cmocka_unit_test(conversion_stops_for_interrupts_and_the_time_limit),
      cmocka_unit_test(conversion_has_a_size_budget),
      cmocka_unit_test(nesting_limit_is_1000_both_ways),
      cmocka_unit_test(host_strings_too_long_for_js_are_erange),
      cmocka_unit_test(paths_cannot_reach_prototypes),
      cmocka_unit_test(host_error_names_only_pick_error_classes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
