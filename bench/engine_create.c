/* What an engine costs a host that creates many (plugin hosts, one engine per tab or task):
   creates 50 engines one after another and keeps them alive, then prints one JSON line with the
   median and p90 creation time, the resident memory added per engine (RSS growth over the 50,
   divided by 50), and the first eval's time on a fresh engine. Figures, never assertions.

     build/bench_engine_create [count]                                                     */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eddy.h"
#include "measure.h"

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 50;
  if (n < 2) n = 2;
  eddy_options opts;
  eddy_options_init(&opts, sizeof opts);
  opts.start_driver = 0;
  /* The first engine pays the process's one-time set-up (libcurl, JSC's options): not counted. */
  eddy_engine *warm;
  if (eddy_engine_new(&opts, &warm)) return 1;
  eddy_engine **engines = calloc((size_t)n, sizeof *engines);
  double *ms = calloc((size_t)n, sizeof *ms);
  long before = rss_kib();
  for (int i = 0; i < n; i++) {
    double t = now_ms();
    if (eddy_engine_new(&opts, &engines[i])) return 1;
    ms[i] = now_ms() - t;
  }
  long after = rss_kib();
  const char *js = "typeof fetch + typeof console + typeof URL";
  double t = now_ms();
  eddy_value *v = NULL;
  eddy_eval(engines[0], js, strlen(js), "first.js", &v);
  double first_eval = now_ms() - t;
  eddy_value_free(v);
  qsort(ms, (size_t)n, sizeof *ms, cmp_double);
  printf("{\"bench\":\"engine_create\",\"engines\":%d,\"create_ms_median\":%.2f,"
         "\"create_ms_p90\":%.2f,\"rss_kib_per_engine\":%.0f,\"first_eval_using_apis_ms\":%.2f}\n",
         n, ms[n / 2], ms[n * 9 / 10], (double)(after - before) / n, first_eval);
  for (int i = 0; i < n; i++) eddy_engine_free(engines[i]);
  eddy_engine_free(warm);
  free(engines);
  free(ms);
  return 0;
}
