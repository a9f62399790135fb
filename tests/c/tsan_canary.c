/* A deliberate data race in code called from JS, for ThreadSanitizer builds only: two engines'
   drivers run a host function that bumps one unsynchronised counter. ctest passes when TSan
   reports the race (tsan.canary), so tests/tsan.supp can never again hide races whose stacks
   merely pass through JavaScriptCore (a `race:` pattern matches any frame; `race_top:` only the
   top one). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "eddy.h"

static long counter; /* unsynchronised on purpose */

static int bump(eddy_engine *e, const eddy_value *args, eddy_value **result, void *ud) {
  (void)e;
  (void)args;
  (void)result;
  (void)ud;
  counter++;
  return 0;
}

static void *run(void *arg) {
  const char *src = "for (let i = 0; i < 20000; i++) bump(); 0";
  eddy_eval(arg, src, strlen(src), "canary.js", NULL);
  return NULL;
}

int main(void) {
  eddy_engine *e[2];
  pthread_t th[2];
  for (int i = 0; i < 2; i++) {
    if (eddy_engine_new(NULL, &e[i]) || eddy_define_function(e[i], "bump", bump, NULL)) return 2;
  }
  for (int i = 0; i < 2; i++) pthread_create(&th[i], NULL, run, e[i]);
  for (int i = 0; i < 2; i++) pthread_join(th[i], NULL);
  for (int i = 0; i < 2; i++) eddy_engine_free(e[i]);
  printf("counter %ld\n", counter);
  return 0;
}
