/* libFuzzer target: script evaluation. The input is a classic script's source (any bytes: invalid
   UTF-8 becomes U+FFFD) evaluated by eddy_eval on an engine with the driver off and a time
   limit, then the loop is turned a few times without waiting so that timers and promise jobs
   the script queued run too. Every status is fine; what must hold is that each call returns
   (the time limit ends loops), that results convert and free cleanly, and that no sanitizer
   complains. The engine is replaced every RENEW_EVERY inputs, so scripts that break globals do
   not blind the rest of the run, and replacing it exercises teardown with work still pending. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eddy.h"

#define RENEW_EVERY 200
#define TIME_LIMIT_MS 250

static eddy_engine *engine;
static unsigned runs;

static void quiet_log(eddy_engine *e, int level, const char *text, size_t len, void *ud) {
  (void)e;
  (void)level;
  (void)text;
  (void)len;
  (void)ud;
}

static void quiet_error(eddy_engine *e, int kind, const eddy_value *error, void *ud) {
  (void)e;
  (void)kind;
  (void)error;
  (void)ud;
}

static void renew(void) {
  eddy_engine_free(engine);
  eddy_options o;
  eddy_options_init(&o, sizeof o);
  o.start_driver = 0;
  o.time_limit_ms = TIME_LIMIT_MS;
  o.log = quiet_log;
  o.on_error = quiet_error;
  o.module_files = 0; /* a fuzzed import() must not read the machine's files */
  engine = NULL;
  if (eddy_engine_new(&o, &engine) != EDDY_OK) {
    fprintf(stderr, "fuzz_eval: eddy_engine_new failed\n");
    abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!engine || ++runs % RENEW_EVERY == 0) renew();
  eddy_value *result = NULL;
  int rc = eddy_eval(engine, (const char *)data, size, "fuzz.js", &result);
  if (rc == EDDY_ECLOSED) abort(); /* nothing here closes the engine */
  if (result) {
    char *json = NULL;
    size_t len;
    if (eddy_value_to_json(result, &json, &len) == EDDY_OK) eddy_free(json);
    eddy_value_free(result);
  }
  for (int i = 0; i < 4 && eddy_run(engine, EDDY_RUN_NOWAIT) > 0; i++) {
  }
  return 0;
}
