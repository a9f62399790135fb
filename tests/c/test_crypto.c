/* SubtleCrypto work on libuv's thread pool, seen from the host: it counts as pending work while
   it runs, its promise settles through the loop (driver or host-driven), and closing the engine
   cancels it at once, leaking nothing (the sanitizers check). The algorithms themselves are tested
   in tests/js/crypto.test.js. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* Starts `count` PBKDF2 derivations of `iterations` each (on the pool: over 5000 HMACs) and
   counts the ones that finished in globalThis.done. */
static void start_pbkdf2(eddy_engine *e, int count, long iterations) {
  char src[512];
  snprintf(src, sizeof src,
           "globalThis.done = 0; globalThis.bits = null;"
           "crypto.subtle.importKey('raw', new Uint8Array(8), 'PBKDF2', false, ['deriveBits'])"
           ".then((k) => { for (let i = 0; i < %d; i++)"
           "  crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: new Uint8Array(8),"
           "    iterations: %ld }, k, 256).then((b) => { done++; bits = new Uint8Array(b)[0]; }); })",
           count, iterations);
  eddy_value_free(tu_eval(e, src)); /* waits for importKey: the derivations are queued */
}

static int is_pending(void *arg) { return eddy_pending(arg) == 1; }
static int not_pending(void *arg) { return eddy_pending(arg) == 0; }

static void pool_work_is_pending_until_its_promise_settles(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(1);
  start_pbkdf2(e, 2, 200000);
  assert_int_equal(eddy_pending(e), 1);
  assert_true(tu_wait_until(not_pending, e, 20000));
  assert_true(tu_eval_number(e, "done") == 2);
  /* PBKDF2-HMAC-SHA256(8 zero bytes, 8 zero bytes, 200000)[0], as Python's hashlib gives it. */
  assert_true(tu_eval_number(e, "bits") == 0xe3);
  eddy_engine_free(e);
}

static void host_driven_loop_delivers_pool_results(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(0);
  start_pbkdf2(e, 1, 100000);
  uint64_t end = tu_now_ms() + 20000;
  while (eddy_pending(e) && tu_now_ms() < end) assert_true(eddy_run(e, EDDY_RUN_ONCE) >= 0);
  assert_true(tu_eval_number(e, "done") == 1);
  eddy_engine_free(e);
}

/* Eight jobs of ~10^8 HMACs each (tens of seconds): more than the pool has threads, so some are
   running and some still queued when the engine closes. Closing stops them all at once. */
static void close_cancels_queued_and_running_pool_work(void **state) {
  (void)state;
  for (int driver = 0; driver < 2; driver++) {
    eddy_engine *e = tu_engine(driver);
    start_pbkdf2(e, 8, 100000000);
    assert_true(tu_wait_until(is_pending, e, 1000));
    if (!driver) assert_true(eddy_run(e, EDDY_RUN_NOWAIT) >= 0);
    uint64_t t0 = tu_now_ms();
    eddy_engine_free(e);
    uint64_t took = tu_now_ms() - t0;
    if (took > 3000) fail_msg("closing took %llu ms: the pool work was not stopped", (unsigned long long)took);
  }
}

/* A key handle collected while its job runs: the job holds its own reference. */
static void close_with_a_key_only_the_job_holds(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(1);
  const char *src =
      "crypto.subtle.importKey('raw', new Uint8Array(16), 'AES-GCM', false, ['encrypt'])"
      ".then((k) => { crypto.subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(12) }, k,"
      "  new Uint8Array(1 << 24)); })";
  eddy_value_free(tu_eval(e, src));
  eddy_gc(e);
  eddy_engine_free(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(pool_work_is_pending_until_its_promise_settles),
      cmocka_unit_test(host_driven_loop_delivers_pool_results),
      cmocka_unit_test(close_cancels_queued_and_running_pool_work),
      cmocka_unit_test(close_with_a_key_only_the_job_holds),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
