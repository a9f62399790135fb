/* Host-side benchmarks of eddy (figures, not assertions):
   - host -> JS sync eddy_eval("1") round trip while driving: idle, and under a setInterval(0) storm
   - eddy_call of a JS function by path while driving
   - JS -> C sync host function call vs a plain JS function call (ns per call)
   - async host call settled from another thread (round trip)
   - idle wake-ups per second of the driver thread
   Prints one JSON line per benchmark. */
#define _GNU_SOURCE
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "eddy.h"

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double pct(double *v, int n, double p) {
  qsort(v, (size_t)n, sizeof *v, cmp);
  int k = (int)(p / 100.0 * n + 0.999999);
  if (k < 1) k = 1;
  if (k > n) k = n;
  return v[k - 1];
}

static eddy_engine *engine(void) {
  eddy_engine *e;
  if (eddy_engine_new(NULL, &e)) exit(1);
  return e;
}

static void eval(eddy_engine *e, const char *src) {
  eddy_value *v = NULL;
  int rc = eddy_eval(e, src, strlen(src), "bench.js", &v);
  if (rc) {
    fprintf(stderr, "eval failed: %s %s\n", eddy_strerror(rc), eddy_value_error_stack(v));
    exit(1);
  }
  eddy_value_free(v);
}

static double eval_number(eddy_engine *e, const char *src) {
  eddy_value *v = NULL;
  if (eddy_eval(e, src, strlen(src), "bench.js", &v)) exit(1);
  double d = eddy_value_number(v);
  eddy_value_free(v);
  return d;
}

#define N 5000

static void round_trip(const char *label, int storm) {
  eddy_engine *e = engine();
  if (storm) eval(e, "globalThis.ticks = 0; setInterval(() => ticks++, 0); 0");
  static double t[N];
  for (int i = 0; i < 200; i++) eval(e, "1");
  for (int i = 0; i < N; i++) {
    double t0 = now_us();
    eval(e, "1");
    t[i] = now_us() - t0;
  }
  printf("{\"bench\":\"eval_round_trip\",\"case\":\"%s\",\"median_us\":%.1f,\"p99_us\":%.1f}\n", label,
         pct(t, N, 50), pct(t, N, 99));
  eddy_engine_free(e);
}

static void call_round_trip(void) {
  eddy_engine *e = engine();
  eval(e, "globalThis.api = { add(a, b) { return a + b; } }; 0");
  eddy_value *args = eddy_value_new_array();
  eddy_value_push(args, eddy_value_new_number(1));
  eddy_value_push(args, eddy_value_new_number(2));
  static double t[N];
  for (int i = 0; i < N; i++) {
    double t0 = now_us();
    eddy_value *r = NULL;
    eddy_call(e, "api.add", args, &r);
    t[i] = now_us() - t0;
    eddy_value_free(r);
  }
  printf("{\"bench\":\"eddy_call_round_trip\",\"median_us\":%.1f,\"p99_us\":%.1f}\n", pct(t, N, 50),
         pct(t, N, 99));
  eddy_value_free(args);
  eddy_engine_free(e);
}

static int host_add(eddy_engine *e, const eddy_value *args, eddy_value **result, void *ud) {
  (void)e;
  (void)ud;
  *result = eddy_value_new_number(eddy_value_number(eddy_value_at(args, 0)) + 1);
  return 0;
}

static void host_function_overhead(void) {
  eddy_engine *e = engine();
  eddy_define_function(e, "host.add", host_add, NULL);
  const char *host =
      "(() => { let x = 0; const t0 = performance.now();"
      "  for (let i = 0; i < 200000; i++) x = host.add(x);"
      "  return (performance.now() - t0) * 1e6 / 200000; })()";
  const char *plain =
      "(() => { function add(v) { return v + 1; } let x = 0; const t0 = performance.now();"
      "  for (let i = 0; i < 200000; i++) x = add(x);"
      "  return (performance.now() - t0) * 1e6 / 200000; })()";
  eval_number(e, host);
  double h = eval_number(e, host), p = eval_number(e, plain);
  printf("{\"bench\":\"host_function_call\",\"host_ns\":%.1f,\"plain_js_ns\":%.1f}\n", h, p);
  eddy_engine_free(e);
}

typedef struct {
  eddy_engine *e;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  uint64_t id;
  int have, stop;
} settler;

static void async_handler(eddy_engine *e, uint64_t id, eddy_value *args, void *ud) {
  (void)e;
  settler *s = ud;
  eddy_value_free(args);
  pthread_mutex_lock(&s->mu);
  s->id = id;
  s->have = 1;
  pthread_cond_signal(&s->cv);
  pthread_mutex_unlock(&s->mu);
}

static void *settle_loop(void *arg) {
  settler *s = arg;
  pthread_mutex_lock(&s->mu);
  for (;;) {
    while (!s->have && !s->stop) pthread_cond_wait(&s->cv, &s->mu);
    if (s->stop) break;
    s->have = 0;
    uint64_t id = s->id;
    pthread_mutex_unlock(&s->mu);
    eddy_settle(s->e, id, 0, eddy_value_new_number(1));
    pthread_mutex_lock(&s->mu);
  }
  pthread_mutex_unlock(&s->mu);
  return NULL;
}

static void async_round_trip(void) {
  eddy_engine *e = engine();
  settler s = {e, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0};
  eddy_define_async_function(e, "host.ping", async_handler, &s);
  pthread_t th;
  pthread_create(&th, NULL, settle_loop, &s);
  eval(e,
       "globalThis.samples = (async () => { const t = [];"
       "  for (let i = 0; i < 2000; i++) { const t0 = performance.now(); await host.ping();"
       "    t.push((performance.now() - t0) * 1000); }"
       "  t.sort((a, b) => a - b); return t; })(); 0");
  double med = eval_number(e, "samples.then(t => t[Math.floor(t.length / 2)])");
  double p99 = eval_number(e, "samples.then(t => t[Math.ceil(t.length * 0.99) - 1])");
  printf("{\"bench\":\"async_call_round_trip\",\"median_us\":%.1f,\"p99_us\":%.1f}\n", med, p99);
  pthread_mutex_lock(&s.mu);
  s.stop = 1;
  pthread_cond_signal(&s.cv);
  pthread_mutex_unlock(&s.mu);
  pthread_join(th, NULL);
  eddy_engine_free(e);
}

static long driver_switches(void) {
  DIR *d = opendir("/proc/self/task");
  struct dirent *ent;
  long total = 0;
  while (d && (ent = readdir(d))) {
    char path[300], comm[64] = "", line[256];
    snprintf(path, sizeof path, "/proc/self/task/%s/comm", ent->d_name);
    FILE *f = ent->d_name[0] == '.' ? NULL : fopen(path, "r");
    if (!f) continue;
    int ours = fgets(comm, sizeof comm, f) && !strncmp(comm, "eddy-driver", 11);
    fclose(f);
    if (!ours) continue;
    snprintf(path, sizeof path, "/proc/self/task/%s/status", ent->d_name);
    f = fopen(path, "r");
    while (f && fgets(line, sizeof line, f)) {
      long n;
      if (sscanf(line, "voluntary_ctxt_switches: %ld", &n) == 1) total += n;
      if (sscanf(line, "nonvoluntary_ctxt_switches: %ld", &n) == 1) total += n;
    }
    if (f) fclose(f);
  }
  if (d) closedir(d);
  return total;
}

static void idle_wakeups(void) {
  eddy_engine *e = engine();
  eval(e, "setTimeout(() => {}, 3600e3); 0");
  usleep(200000);
  long a = driver_switches();
  sleep(5);
  long b = driver_switches();
  printf("{\"bench\":\"idle_wakeups\",\"per_second\":%.2f}\n", (double)(b - a) / 5.0);
  eddy_engine_free(e);
}

int main(int argc, char **argv) {
  const char *only = argc > 1 ? argv[1] : "";
  if (!*only || !strcmp(only, "round_trip")) {
    round_trip("idle", 0);
    round_trip("timer_storm", 1);
  }
  if (!*only || !strcmp(only, "call")) call_round_trip();
  if (!*only || !strcmp(only, "host_fn")) host_function_overhead();
  if (!*only || !strcmp(only, "async")) async_round_trip();
  if (!*only || !strcmp(only, "idle")) idle_wakeups();
  return 0;
}
