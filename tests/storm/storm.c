/* A storm of host calls: many threads make mixed calls on a shared engine (eval, call, set then
   get, async evals and calls, running the loop, interrupting) while some toggle the driver and,
   now and then, one closes the engine at random and puts a new one in its place. Every answer
   is checked: a call either gives the right result or a status the situation explains
   (EDDY_ECLOSED after a close, EDDY_EINTERRUPTED after an interrupt, EDDY_EBUSY where the
   header says so), and every async request's callback runs exactly once. At the end nothing
   may be wrong or lost; the descriptors left open are reported.

     storm [--seconds N] [--threads N] [--seed N]

   The default suite runs a few seconds of it (ctest storm.short, label threads);
   tests/storm/run.sh runs the long one (docs/testing.md#storms). */
#include <dirent.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "eddy.h"

/* An engine and the threads using it: the last one out frees it, so a close at random never
   frees an engine under another thread's call. */
typedef struct holder {
  eddy_engine *e;
  atomic_int refs;
  int vm_on_driver;            /* created with the driver on: the VM belongs to that thread */
  int vm_on_worker;            /* created by a worker with the driver off: the VM is the worker's */
  atomic_int vm_thread_exited; /* and that thread ended while the engine lived */
} holder;

static pthread_mutex_t slot_mu = PTHREAD_MUTEX_INITIALIZER;
static holder *slot;

static atomic_uint_fast64_t calls, wrong, submitted, completed, closes, toggles;
/* Engines whose VM's thread (the first driver, or the worker that created it) exited before the
   engine closed: JavaScriptCore keeps that thread's run loop context, an eventfd, for the
   process (docs/testing.md#storms). */
static atomic_int known_fd_leaks;
static atomic_int stop_flag;

static uint64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int count_fds(void) {
  DIR *d = opendir("/proc/self/fd");
  if (!d) return -1;
  int n = 0;
  for (struct dirent *ent; (ent = readdir(d));)
    if (ent->d_name[0] != '.') n++;
  closedir(d);
  return n - 1;
}

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

static holder *new_holder(int driver, int worker) {
  eddy_options o;
  eddy_options_init(&o, sizeof o);
  o.start_driver = driver;
  o.log = quiet_log;
  o.on_error = quiet_error;
  holder *h = calloc(1, sizeof *h);
  if (!h || eddy_engine_new(&o, &h->e)) {
    fprintf(stderr, "storm: cannot create an engine\n");
    exit(2);
  }
  atomic_store(&h->refs, 1);
  h->vm_on_driver = driver;
  h->vm_on_worker = worker && !driver;
  const char *setup = "globalThis.storm = {add: (a, b) => a + b, kv: {__proto__: null}}; 0";
  if (eddy_eval(h->e, setup, strlen(setup), "storm.js", NULL)) {
    fprintf(stderr, "storm: set-up failed\n");
    exit(2);
  }
  return h;
}

static holder *acquire(void) {
  pthread_mutex_lock(&slot_mu);
  holder *h = slot;
  atomic_fetch_add(&h->refs, 1);
  pthread_mutex_unlock(&slot_mu);
  return h;
}

static void release(holder *h) {
  if (atomic_fetch_sub(&h->refs, 1) == 1) {
    if (atomic_load(&h->vm_thread_exited)) atomic_fetch_add(&known_fd_leaks, 1);
    eddy_engine_free(h->e);
    free(h);
  }
}

/* The engine in the slot is closed (from this thread, while others may be mid-call) and a new
   one takes its place. */
static void close_and_replace(int driver) {
  holder *fresh = new_holder(driver, 1);
  pthread_mutex_lock(&slot_mu);
  holder *old = slot;
  slot = fresh;
  pthread_mutex_unlock(&slot_mu);
  eddy_engine_close(old->e);
  atomic_fetch_add(&closes, 1);
  release(old);
}

/* A status that is not a result: fine when the situation explains it. */
static int excused(int rc) {
  return rc == EDDY_ECLOSED || rc == EDDY_EINTERRUPTED || rc == EDDY_EBUSY;
}

static void note_wrong(const char *what, int rc) {
  atomic_fetch_add(&wrong, 1);
  fprintf(stderr, "storm: wrong: %s (%s)\n", what, eddy_err_name(rc));
}

typedef struct {
  double expect;
} request;

static void on_done(eddy_engine *e, int status, eddy_value *result, void *ud) {
  (void)e;
  request *r = ud;
  if (status == EDDY_OK) {
    if (eddy_value_type(result) != EDDY_TYPE_NUMBER || eddy_value_number(result) != r->expect)
      note_wrong("an async result", status);
  } else if (!excused(status)) {
    note_wrong("an async status", status);
  }
  eddy_value_free(result);
  free(r);
  atomic_fetch_add(&completed, 1);
}

static eddy_value *pair(double a, double b) {
  eddy_value *args = eddy_value_new_array();
  eddy_value_push(args, eddy_value_new_number(a));
  eddy_value_push(args, eddy_value_new_number(b));
  return args;
}

static void check_number(const char *what, int rc, eddy_value *v, double expect) {
  if (rc == EDDY_OK) {
    if (eddy_value_type(v) != EDDY_TYPE_NUMBER || eddy_value_number(v) != expect)
      note_wrong(what, rc);
  } else if (!excused(rc)) {
    note_wrong(what, rc);
  }
  eddy_value_free(v);
}

typedef struct {
  int id;
  unsigned seed;
} worker;

static void one_call(worker *w, holder *h, unsigned op) {
  eddy_engine *e = h->e;
  double a = (double)(rand_r(&w->seed) % 100000), b = (double)w->id;
  char src[96];
  eddy_value *v = NULL;
  int rc;
  switch (op) {
    case 0: case 1: case 2: { /* eval */
      int n = snprintf(src, sizeof src, "%.0f * 3 + %.0f", a, b);
      rc = eddy_eval(e, src, (size_t)n, "storm.js", &v);
      check_number("eval", rc, v, a * 3 + b);
      break;
    }
    case 3: case 4: { /* call */
      eddy_value *args = pair(a, b);
      rc = eddy_call(e, "storm.add", args, &v);
      eddy_value_free(args);
      check_number("call", rc, v, a + b);
      break;
    }
    case 5: case 6: { /* set, then get: each thread has its own key */
      char path[48];
      snprintf(path, sizeof path, "storm.kv.t%d", w->id);
      eddy_value *x = eddy_value_new_number(a);
      rc = eddy_set(e, path, x);
      eddy_value_free(x);
      if (rc != EDDY_OK) {
        if (!excused(rc)) note_wrong("set", rc);
        break;
      }
      rc = eddy_eval(e, path, strlen(path), "storm.js", &v);
      check_number("get after set", rc, v, a);
      break;
    }
    case 7: case 8: { /* async eval and call */
      request *r = malloc(sizeof *r);
      atomic_fetch_add(&submitted, 1);
      if (op == 7) {
        r->expect = a + 1;
        int n = snprintf(src, sizeof src, "Promise.resolve(%.0f).then(x => x + 1)", a);
        rc = eddy_eval_async(e, src, (size_t)n, "storm.js", on_done, r);
      } else {
        r->expect = a + b;
        eddy_value *args = pair(a, b);
        rc = eddy_call_async(e, "storm.add", args, on_done, r);
        eddy_value_free(args);
      }
      if (rc != EDDY_OK) { /* the callback is never called */
        free(r);
        atomic_fetch_sub(&submitted, 1);
        if (!excused(rc)) note_wrong("async submit", rc);
      }
      break;
    }
    case 9: /* the host runs the loop (EDDY_EBUSY while the driver does) */
      rc = eddy_run(e, EDDY_RUN_NOWAIT);
      if (rc < 0 && !excused(rc)) note_wrong("run", rc);
      break;
    case 10: /* driver on or off */
      if (rand_r(&w->seed) & 1) {
        rc = eddy_start_drive(e);
      } else {
        rc = eddy_stop_drive(e); /* maybe the driver's first thread, maybe a later one */
        if (rc == EDDY_OK && h->vm_on_driver) atomic_store(&h->vm_thread_exited, 1);
      }
      if (rc && !excused(rc)) note_wrong("start/stop", rc);
      atomic_fetch_add(&toggles, 1);
      break;
    case 11: /* an interrupt: whatever runs now may end with EDDY_EINTERRUPTED */
      if (rand_r(&w->seed) % 16 == 0) eddy_interrupt(e);
      rc = eddy_pending(e);
      if (rc < 0 && rc != EDDY_ECLOSED) note_wrong("pending", rc);
      break;
  }
}

/* Under ThreadSanitizer only worker 0 toggles the driver and closes: a thread blocked in
   pthread_mutex_lock on the driver lock gets no signal until it returns (TSan defers them outside
   blocking calls), so JSC's GC, suspending every thread that used the VM, would wait for it
   forever: a deadlock of TSan alone (docs/testing.md#threadsanitizer-and-jscs-thread-suspension). */
#if defined(__SANITIZE_THREAD__)
#define MAY_TOGGLE(w) ((w)->id == 0)
#else
#define MAY_TOGGLE(w) 1
#endif

static void *work(void *arg) {
  worker *w = arg;
  while (!atomic_load(&stop_flag)) {
    unsigned op = (unsigned)rand_r(&w->seed) % 12;
    if (op == 10 && !MAY_TOGGLE(w)) op = 0;
    if (rand_r(&w->seed) % 3000 == 0 && MAY_TOGGLE(w)) {
      close_and_replace(rand_r(&w->seed) & 1);
      continue;
    }
    holder *h = acquire();
    one_call(w, h, op);
    release(h);
    atomic_fetch_add(&calls, 1);
  }
  return NULL;
}

/* What the descriptors are, when their count differs. */
static void list_fds(void) {
  DIR *d = opendir("/proc/self/fd");
  if (!d) return;
  for (struct dirent *ent; (ent = readdir(d));) {
    if (ent->d_name[0] == '.') continue;
    char path[300], target[256];
    snprintf(path, sizeof path, "/proc/self/fd/%s", ent->d_name);
    ssize_t n = readlink(path, target, sizeof target - 1);
    if (n < 0) continue;
    target[n] = '\0';
    fprintf(stderr, "  fd %s -> %s\n", ent->d_name, target);
  }
  closedir(d);
}

int main(int argc, char **argv) {
  int seconds = 5, threads = 8;
  unsigned seed = (unsigned)time(NULL);
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--seconds")) seconds = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--threads")) threads = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--seed")) seed = (unsigned)strtoul(argv[i + 1], NULL, 10);
  }
  if (threads < 1 || threads > 256 || seconds < 1) {
    fprintf(stderr, "usage: storm [--seconds N] [--threads 1-256] [--seed N]\n");
    return 2;
  }
  /* The first engine opens what stays for the process (JSC's and libcurl's globals). */
  holder *warm = new_holder(1, 0);
  release(warm);
  int fds_before = count_fds();

  slot = new_holder(1, 0);
  pthread_t *th = calloc((size_t)threads, sizeof *th);
  worker *ws = calloc((size_t)threads, sizeof *ws);
  for (int i = 0; i < threads; i++) {
    ws[i] = (worker){i, seed + (unsigned)i * 7919u};
    if (pthread_create(&th[i], NULL, work, &ws[i])) {
      fprintf(stderr, "storm: pthread_create\n");
      return 2;
    }
  }
  uint64_t end = now_ms() + (uint64_t)seconds * 1000u;
  while (now_ms() < end) {
    struct timespec ts = {0, 20 * 1000000L};
    nanosleep(&ts, NULL);
  }
  atomic_store(&stop_flag, 1);
  for (int i = 0; i < threads; i++) pthread_join(th[i], NULL);

  /* What is still queued settles with the driver on, or with EDDY_ECLOSED when it closes. */
  holder *last = slot;
  slot = NULL;
  if (last->vm_on_worker) atomic_store(&last->vm_thread_exited, 1); /* the workers are gone */
  eddy_start_drive(last->e);
  uint64_t deadline = now_ms() + 10000;
  while (atomic_load(&completed) < atomic_load(&submitted) && now_ms() < deadline) {
    struct timespec ts = {0, 1000000L};
    nanosleep(&ts, NULL);
  }
  release(last);
  int fds_after = count_fds();

  uint64_t lost = atomic_load(&submitted) - atomic_load(&completed);
  int known = atomic_load(&known_fd_leaks);
  printf("storm: seed %u, %d threads, %d s: %" PRIu64 " calls, %" PRIu64 " async requests, %" PRIu64
         " closes, %" PRIu64 " driver toggles; %" PRIu64 " wrong, %" PRIu64 " lost; fds %d -> %d"
         " (%d kept by JSC)\n",
         seed, threads, seconds, (uint64_t)atomic_load(&calls), (uint64_t)atomic_load(&submitted),
         (uint64_t)atomic_load(&closes), (uint64_t)atomic_load(&toggles),
         (uint64_t)atomic_load(&wrong), lost, fds_before, fds_after, known);
  /* Informative only: the estimate of what JSC keeps is not exact (a stop that lands on a later
     driver thread, races between toggles); tests/c/test_teardown.c checks descriptors exactly. */
  if (fds_after > fds_before + known) {
    fprintf(stderr, "storm: %d descriptors more than the estimate:\n", fds_after - fds_before - known);
    list_fds();
  }
  free(th);
  free(ws);
  return atomic_load(&wrong) || lost ? 1 : 0;
}
