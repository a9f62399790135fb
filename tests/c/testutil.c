#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

uint64_t tu_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* The whole time, even when a signal cuts it short: JSC's collector stops threads that used
   the engine with a signal to scan their stacks, so a host thread's nanosleep returns early
   (EINTR) and a "host asleep" test would wake long before the work it waits for. */
void tu_sleep_ms(int ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L}, rest;
  while (nanosleep(&ts, &rest) == -1 && errno == EINTR) ts = rest;
}

int tu_wait_until(int (*cond)(void *), void *arg, int timeout_ms) {
  uint64_t end = tu_now_ms() + (uint64_t)timeout_ms;
  for (;;) {
    if (cond(arg)) return 1;
    if (tu_now_ms() >= end) return cond(arg);
    tu_sleep_ms(1);
  }
}

eddy_engine *tu_engine_opts(eddy_options *opts) {
  eddy_engine *e = NULL;
  int rc = eddy_engine_new(opts, &e);
  if (rc) fail_msg("eddy_engine_new: %s", eddy_strerror(rc));
  return e;
}

int tu_no_pending(void *engine) { return eddy_pending(engine) == 0; }

int tu_cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

eddy_engine *tu_engine(int driver) {
  eddy_options o;
  eddy_options_init(&o, sizeof o);
  o.start_driver = driver;
  return tu_engine_opts(&o);
}

int tu_jsc_features(void) {
  static int features = -1;
  if (features < 0) {
    eddy_engine *e = tu_engine(0);
    features = eddy_jsc_features(e);
    eddy_engine_free(e);
  }
  return features;
}

eddy_value *tu_eval(eddy_engine *e, const char *src) {
  eddy_value *v = NULL;
  int rc = eddy_eval(e, src, strlen(src), "test.js", &v);
  if (rc) {
    fail_msg("eval of `%s` failed: %s: %s", src, eddy_err_name(rc),
             v ? eddy_value_error_stack(v) : "");
  }
  return v;
}

double tu_eval_number(eddy_engine *e, const char *src) {
  eddy_value *v = tu_eval(e, src);
  if (eddy_value_type(v) != EDDY_TYPE_NUMBER) fail_msg("`%s` is not a number", src);
  double d = eddy_value_number(v);
  eddy_value_free(v);
  return d;
}

char *tu_eval_string(eddy_engine *e, const char *src) {
  eddy_value *v = tu_eval(e, src);
  const char *s = eddy_value_string(v, NULL);
  char *out = strdup(s ? s : "");
  eddy_value_free(v);
  return out;
}

typedef struct {
  eddy_engine *e;
  int period_ms;
  atomic_int done;
} interrupter;

static void *keep_interrupting(void *arg) {
  interrupter *it = arg;
  while (!atomic_load(&it->done)) {
    eddy_interrupt(it->e);
    tu_sleep_ms(it->period_ms);
  }
  return NULL;
}

int tu_eval_interrupted(eddy_engine *e, const char *src, const char *name, int period_ms,
                        eddy_value **out) {
  interrupter it = {.e = e, .period_ms = period_ms};
  atomic_init(&it.done, 0);
  pthread_t t;
  assert_int_equal(pthread_create(&t, NULL, keep_interrupting, &it), 0);
  int st = eddy_eval(e, src, strlen(src), name, out);
  atomic_store(&it.done, 1);
  pthread_join(t, NULL);
  return st;
}

void tu_server_read(tu_server *s, int timeout_ms) {
  struct pollfd p = {s->out_fd, POLLIN, 0};
  while (poll(&p, 1, timeout_ms) > 0) {
    if (s->len + 1 >= sizeof s->buf) return;
    ssize_t n = read(s->out_fd, s->buf + s->len, sizeof s->buf - 1 - s->len);
    if (n <= 0) return;
    s->len += (size_t)n;
    s->buf[s->len] = '\0';
    timeout_ms = 0;
  }
}

void tu_server_start(tu_server *s, const char *script) {
  memset(s, 0, sizeof *s);
  signal(SIGPIPE, SIG_IGN);
  /* tests/servers, found from this file's path (CMake compiles it by absolute path). */
  char path[1024];
  const char *file = __FILE__, *slash = strrchr(file, '/'); /* .../tests/c/testutil.c */
  snprintf(path, sizeof path, "%.*s/../servers/%s", slash ? (int)(slash - file) : 1,
           slash ? file : ".", script);
  int in[2], out[2];
  assert_int_equal(pipe(in), 0);
  assert_int_equal(pipe(out), 0);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    close(in[0]);
    close(in[1]);
    close(out[0]);
    close(out[1]);
    execlp("python3", "python3", path, (char *)NULL);
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  s->pid = pid;
  s->in_fd = in[1];
  s->out_fd = out[0];
  fcntl(s->out_fd, F_SETFL, fcntl(s->out_fd, F_GETFL) | O_NONBLOCK);
  uint64_t end = tu_now_ms() + 15000;
  char *nl = NULL;
  while (!(nl = strchr(s->buf, '\n')) && tu_now_ms() < end) tu_server_read(s, 100);
  if (!nl) fail_msg("%s printed no JSON line: %s", path, s->buf);
  size_t n = (size_t)(nl - s->buf);
  if (n >= sizeof s->first) n = sizeof s->first - 1;
  memcpy(s->first, s->buf, n);
  s->first[n] = '\0';
  s->len -= (size_t)(nl + 1 - s->buf);
  memmove(s->buf, nl + 1, s->len + 1);
}

void tu_server_field(const tu_server *s, const char *key, char *out, size_t cap) {
  char pat[64];
  snprintf(pat, sizeof pat, "\"%s\": \"", key);
  const char *p = strstr(s->first, pat);
  if (!p) fail_msg("no %s in %s", key, s->first);
  p += strlen(pat);
  const char *q = strchr(p, '"');
  if (!q) fail_msg("no end to %s in %s", key, s->first);
  snprintf(out, cap, "%.*s", (int)(q - p), p);
}

void tu_server_stop(tu_server *s) {
  if (!s->pid) return;
  close(s->in_fd);
  kill(s->pid, SIGTERM);
  int status;
  uint64_t end = tu_now_ms() + 5000;
  while (waitpid(s->pid, &status, WNOHANG) == 0) {
    if (tu_now_ms() > end) {
      kill(s->pid, SIGKILL);
      waitpid(s->pid, &status, 0);
      break;
    }
    tu_sleep_ms(10);
  }
  close(s->out_fd);
  s->pid = 0;
}
