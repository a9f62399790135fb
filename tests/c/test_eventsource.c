/* EventSource with the driver running and the host asleep: each server-sent event reaches its JS
   listener as its blank line arrives, without any host call. The server (tests/servers/
   httpserver.py, /sse/clock) stamps each event with its wall-clock time when written; the
   listener stamps the arrival with Date.now(). The host sleeps through the whole stream, then
   reads the stamps once. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#define EVENTS 20
#define INTERVAL_MS 50

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

/* extra: more of the query (the gzip-coded stream, which eddy decodes as it arrives) */
static void pushes_reach_js(const char *extra) {
  eddy_engine *e = tu_engine(1);
  char src[4096];
  snprintf(src, sizeof src,
           "globalThis.lags = []; globalThis.done = false;"
           "globalThis.es = new EventSource('%s/sse/clock?count=%d&interval_ms=%d%s');"
           "es.onmessage = (m) => { lags.push(Date.now() - Number(m.data));"
           "  if (lags.length === %d) { es.close(); done = true; } };"
           "globalThis.errors = [];"
           "es.onerror = () => { errors.push(es.readyState); if (!done) { es.close(); done = true; } };",
           base, EVENTS, INTERVAL_MS, extra, EVENTS);
  eddy_value_free(tu_eval(e, src));
  /* An open EventSource is pending work. */
  assert_true(eddy_pending(e) > 0);
  /* The host sleeps through the whole stream: no eddy call until it is over. */
  tu_sleep_ms(EVENTS * INTERVAL_MS + 1500);
  if (tu_eval_number(e, "lags.length") != EVENTS) {
    char *seen = tu_eval_string(e, "JSON.stringify({ lags, readyState: es.readyState, errors })");
    fail_msg("not every event arrived: %s", seen);
  }
  assert_true(tu_eval_number(e, "done ? 1 : 0") == 1);
  double lag[EVENTS];
  for (int i = 0; i < EVENTS; i++) {
    char expr[32];
    snprintf(expr, sizeof expr, "lags[%d]", i);
    lag[i] = tu_eval_number(e, expr);
  }
  qsort(lag, EVENTS, sizeof lag[0], tu_cmp_double);
  printf("# server push to JS listener, host asleep%s: median %.1f ms, max %.1f ms (%d events)\n",
         extra[0] ? ", gzip" : "", lag[EVENTS / 2], lag[EVENTS - 1], EVENTS);
  /* Streamed, not held back: most events arrived before the next one was even sent (a body
     buffered to its end would put the median near EVENTS / 2 intervals). Date.now() is whole
     milliseconds and the server's stamp is not: one below zero is the rounding. */
  assert_true(lag[0] > -1.5);
  assert_true(lag[EVENTS / 2] < INTERVAL_MS);
  /* Closed from the listener: no longer pending. */
  assert_true(tu_wait_until(tu_no_pending, e, 5000));
  eddy_engine_free(e);
}

static void pushes_reach_js_while_the_host_sleeps(void **state) {
  (void)state;
  pushes_reach_js("");
}

static void gzip_pushes_reach_js_while_the_host_sleeps(void **state) {
  (void)state;
  pushes_reach_js("&gzip=1");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(pushes_reach_js_while_the_host_sleeps),
      cmocka_unit_test(gzip_pushes_reach_js_while_the_host_sleeps),
  };
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
