/* Chunk-to-reader latency of a streamed fetch body with the driver running and the host asleep:
   each chunk of a dripped response must reach the script's reader as it arrives, without any
   host call. The server (tests/servers/httpserver.py, /drip?clock=mono) writes CLOCK_MONOTONIC
   in ms as each chunk's body; the reader stamps the arrival with performance.now() (the same
   clock from the engine's time origin) plus the offset the host measured between the two.
   Not the wall clock: the VM's was seen stepped 2 ms during a run, which made every lag -2 ms.
   The host sleeps through the whole
   body, then reads the stamps once. The median and p99 are printed as figures (bench/
   fetch_latency.sh collects them); the asserts only bound what a stalled delivery would break. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#define CHUNKS 40
#define INTERVAL_MS 25
/* A chunk the driver delivered at all arrives within this (ASan, a loaded 2-CPU machine); one
   that waited for the host would wait the whole body. */
#define BOUND_MS 200

static tu_server server; /* httpserver.py */
static char base[256];   /* its "http" URL */

static int group_setup(void **state) {
  (void)state;
  tu_server_start(&server, "httpserver.py");
  tu_server_field(&server, "http", base, sizeof base);
  return 0;
}

static int group_teardown(void **state) {
  (void)state;
  tu_server_stop(&server);
  return 0;
}

static double monotonic_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* CLOCK_MONOTONIC minus performance.now(), in ms: read between two readings of the clock, so
   within half the call's round trip (a tenth of a millisecond) of the truth. */
static double monotonic_offset(eddy_engine *e) {
  tu_eval_number(e, "performance.now()"); /* installs performance: not in the measured call */
  double best = 0, spread = 1e9;
  for (int i = 0; i < 5; i++) {
    double before = monotonic_ms();
    double now = tu_eval_number(e, "performance.now()");
    double after = monotonic_ms();
    if (after - before < spread) {
      spread = after - before;
      best = (before + after) / 2 - now;
    }
  }
  return best;
}

/* mode: "" for a default reader, "byob" for a BYOB reader with 4 KiB views. */
static void measure(const char *mode) {
  eddy_engine *e = tu_engine(1);
  double offset = monotonic_offset(e);
  char src[4096];
  snprintf(src, sizeof src,
           "globalThis.monotonicOffset = %.6f;"
           "globalThis.lags = []; globalThis.done = false; globalThis.err = null;"
           /* Installed before the first chunk, not on it: performance, streams, fetch bodies. */
           "performance.now(); new Response('x').body.getReader({ mode: 'byob' });"
           "(async () => {"
           "  const res = await fetch('%s/drip?chunks=%d&delay_ms=%d&clock=mono');"
           "  const byob = '%s' === 'byob';"
           "  const reader = byob ? res.body.getReader({ mode: 'byob' }) : res.body.getReader();"
           "  let buf = new ArrayBuffer(4096), text = '';"
           "  for (;;) {"
           "    const { value, done } = byob ? await reader.read(new Uint8Array(buf)) : await reader.read();"
           "    if (done) break;"
           "    const now = performance.now() + monotonicOffset;"
           "    if (byob) buf = value.buffer;"
           "    for (const c of value) text += String.fromCharCode(c);"
           "    let i;"
           "    while ((i = text.indexOf('\\n')) >= 0) {"
           "      lags.push(now - Number(text.slice(0, i)));"
           "      text = text.slice(i + 1);"
           "    }"
           "  }"
           "})().then(() => { done = true; }, (x) => { err = String(x); done = true; }); 0;",
           offset, base, CHUNKS, INTERVAL_MS, mode);
  eddy_value_free(tu_eval(e, src));
  assert_true(eddy_pending(e) > 0); /* the fetch is pending work */
  /* The host sleeps through the whole body: no eddy call until it is over. */
  tu_sleep_ms(CHUNKS * INTERVAL_MS + 2000);
  char check[96];
  snprintf(check, sizeof check, "done && err === null && lags.length === %d ? 1 : 0", CHUNKS);
  if (tu_eval_number(e, check) != 1) {
    char *seen = tu_eval_string(e, "JSON.stringify({ done, err, lags })");
    print_message("%s\n", seen);
    free(seen);
    fail_msg("not every chunk reached the %s reader while the host slept", *mode ? mode : "default");
  }
  double lag[CHUNKS];
  for (int i = 0; i < CHUNKS; i++) {
    char expr[32];
    snprintf(expr, sizeof expr, "lags[%d]", i);
    lag[i] = tu_eval_number(e, expr);
  }
  qsort(lag, CHUNKS, sizeof lag[0], tu_cmp_double);
  printf("# chunk to %s reader, host asleep: median %.3f ms, p99 %.3f ms, max %.3f ms (%d chunks)\n",
         *mode ? mode : "default", lag[CHUNKS / 2], lag[(CHUNKS * 99) / 100], lag[CHUNKS - 1], CHUNKS);
  /* The two stamps are of one clock: a chunk cannot arrive before it was written. */
  assert_true(lag[0] > -1.0);
  assert_true(lag[CHUNKS - 1] < BOUND_MS);
  assert_true(tu_wait_until(tu_no_pending, e, 5000));
  eddy_engine_free(e);
}

static void chunks_reach_a_default_reader_while_the_host_sleeps(void **state) {
  (void)state;
  measure("");
}

static void chunks_reach_a_byob_reader_while_the_host_sleeps(void **state) {
  (void)state;
  measure("byob");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(chunks_reach_a_default_reader_while_the_host_sleeps),
      cmocka_unit_test(chunks_reach_a_byob_reader_while_the_host_sleeps),
  };
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
