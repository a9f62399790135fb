/* A deliberate leak in a host function called from JS, for AddressSanitizer builds only: ctest
   passes when LeakSanitizer reports it (lsan.canary), so tests/lsan.supp can never again hide
   leaks whose stacks merely pass through JavaScriptCore. */
#include <stdlib.h>
#include <string.h>

#include "eddy.h"

static void *volatile kept;

static int leak_once(eddy_engine *e, const eddy_value *args, eddy_value **result, void *ud) {
  (void)e;
  (void)args;
  (void)result;
  (void)ud;
  kept = malloc(4321);
  kept = NULL; /* the only pointer is gone: a leak */
  return 0;
}

int main(void) {
  eddy_options o;
  eddy_options_init(&o, sizeof o);
  o.start_driver = 0;
  eddy_engine *e = NULL;
  if (eddy_engine_new(&o, &e) || eddy_define_function(e, "leakOnce", leak_once, NULL)) return 2;
  eddy_eval(e, "leakOnce()", 10, "canary.js", NULL);
  eddy_engine_free(e);
  return 0;
}
