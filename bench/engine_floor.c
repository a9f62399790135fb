/* The JavaScriptCore floor for bench/engine_create.c: what the host would pay for a bare VM and
   global context per engine (JSContextGroupCreate + JSGlobalContextCreateInGroup, no eddy), the
   one part of an engine eddy cannot make cheaper. Same protocol and JSON line: creates N after
   one untimed warm-up, keeps them alive, prints creation time (median, p90) and RSS per one.

     build/bench_engine_floor [count]                                                      */
#define _GNU_SOURCE
#include <JavaScriptCore/JavaScript.h>
#include <stdio.h>
#include <stdlib.h>

#include "measure.h"

static JSGlobalContextRef context_new(void) {
  JSContextGroupRef group = JSContextGroupCreate();
  JSGlobalContextRef ctx = JSGlobalContextCreateInGroup(group, NULL);
  JSContextGroupRelease(group); /* the context keeps it */
  return ctx;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 50;
  if (n < 2) n = 2;
  JSGlobalContextRef warm = context_new(); /* the process's one-time set-up: not counted */
  JSGlobalContextRef *ctxs = calloc((size_t)n, sizeof *ctxs);
  double *ms = calloc((size_t)n, sizeof *ms);
  if (!ctxs || !ms) return 1;
  long before = rss_kib();
  for (int i = 0; i < n; i++) {
    double t = now_ms();
    ctxs[i] = context_new();
    ms[i] = now_ms() - t;
  }
  long after = rss_kib();
  qsort(ms, (size_t)n, sizeof *ms, cmp_double);
  printf("{\"bench\":\"engine_floor\",\"engines\":%d,\"create_ms_median\":%.2f,"
         "\"create_ms_p90\":%.2f,\"rss_kib_per_engine\":%.0f}\n",
         n, ms[n / 2], ms[n * 9 / 10], (double)(after - before) / n);
  for (int i = 0; i < n; i++) JSGlobalContextRelease(ctxs[i]);
  JSGlobalContextRelease(warm);
  free(ctxs);
  free(ms);
  return 0;
}
