/* Callbacks as an asynchronous host sees them (eddy_options.owned_callback_data): the log text
   and the error value outlive the callback, are read later on another thread, after the engine
   has moved on and even after it is freed, and are freed by the host (ASan catches any use after
   return). Also: error texts of eddy_call name the path and the segment that failed. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* What the callbacks received, untouched: the "listener" reads it later. */
typedef struct {
  pthread_mutex_t mu;
  const char *texts[64];
  size_t lens[64];
  int levels[64];
  int ntexts;
  const eddy_value *errors[8];
  int kinds[8];
  int nerrors;
} inbox;

static void on_log(eddy_engine *e, int level, const char *text, size_t len, void *ud) {
  (void)e;
  inbox *in = ud;
  pthread_mutex_lock(&in->mu);
  if (in->ntexts < 64) {
    in->texts[in->ntexts] = text;
    in->lens[in->ntexts] = len;
    in->levels[in->ntexts++] = level;
  }
  pthread_mutex_unlock(&in->mu);
}

static void on_error(eddy_engine *e, int kind, const eddy_value *error, void *ud) {
  (void)e;
  inbox *in = ud;
  pthread_mutex_lock(&in->mu);
  if (in->nerrors < 8) {
    in->errors[in->nerrors] = error;
    in->kinds[in->nerrors++] = kind;
  }
  pthread_mutex_unlock(&in->mu);
}

/* 2, or 1 on a JSC without the unhandled-rejection callback (docs/porting.md). */
static int errors_expected = 2;

static int errors_arrived(void *arg) {
  inbox *in = arg;
  pthread_mutex_lock(&in->mu);
  int n = in->nerrors;
  pthread_mutex_unlock(&in->mu);
  return n >= errors_expected;
}

typedef struct {
  inbox *in;
  int checked;
} reader_job;

/* The asynchronous side: reads and frees everything, on a thread of its own. */
static void *read_later(void *arg) {
  reader_job *job = arg;
  inbox *in = job->in;
  pthread_mutex_lock(&in->mu);
  for (int i = 0; i < in->ntexts; i++) {
    char want[32];
    snprintf(want, sizeof want, "line %d", i);
    assert_int_equal(in->lens[i], strlen(want));
    assert_memory_equal(in->texts[i], want, in->lens[i]);
    assert_int_equal(in->texts[i][in->lens[i]], '\0'); /* NUL-terminated copies */
    assert_int_equal(in->levels[i], i % 2 ? EDDY_LOG_ERROR : EDDY_LOG_INFO);
    eddy_free((void *)in->texts[i]);
    job->checked++;
  }
  for (int i = 0; i < in->nerrors; i++) {
    const eddy_value *err = in->errors[i];
    assert_int_equal(eddy_value_type(err), EDDY_TYPE_ERROR);
    assert_string_equal(eddy_value_error_message(err), i ? "rejected later" : "thrown later");
    assert_int_equal(in->kinds[i], i ? EDDY_ERROR_UNHANDLED_REJECTION : EDDY_ERROR_UNCAUGHT);
    eddy_value_free((eddy_value *)err);
    job->checked++;
  }
  pthread_mutex_unlock(&in->mu);
  return NULL;
}

static void owned_log_text_and_errors_outlive_the_callback_and_the_engine(void **state) {
  (void)state;
  inbox in = {.mu = PTHREAD_MUTEX_INITIALIZER};
  eddy_options o;
  eddy_options_init(&o, sizeof o);
  assert_int_equal(o.owned_callback_data, 0); /* borrowed by default */
  o.owned_callback_data = 1;
  o.log = on_log;
  o.log_userdata = &in;
  o.on_error = on_error;
  o.error_userdata = &in;
  eddy_engine *e = tu_engine_opts(&o);
  errors_expected = eddy_jsc_features(e) & EDDY_JSC_REJECTION_CALLBACK ? 2 : 1;
  eddy_value_free(tu_eval(e,
      "for (let i = 0; i < 10; i++) (i % 2 ? console.error : console.log)('line ' + i);"
      "setTimeout(() => { throw new Error('thrown later'); }, 1);"
      "setTimeout(() => Promise.reject(new Error('rejected later')), 2);"));
  assert_true(tu_wait_until(errors_arrived, &in, 10000));
  /* the engine keeps working (and reusing memory) before anyone reads, then goes away */
  eddy_value_free(tu_eval(e, "JSON.stringify(Array.from({ length: 10000 }, (_, i) => ({ i })))"));
  eddy_gc(e);
  eddy_engine_free(e);
  reader_job job = {&in, 0};
  pthread_t t;
  pthread_create(&t, NULL, read_later, &job);
  pthread_join(t, NULL);
  assert_int_equal(job.checked, 10 + errors_expected);
}

/* Without the flag nothing changes: the text is borrowed, and valid during the call. */
static void borrowed_by_default(void **state) {
  (void)state;
  inbox in = {.mu = PTHREAD_MUTEX_INITIALIZER};
  eddy_options o;
  eddy_options_init(&o, sizeof o);
  o.log = on_log;
  o.log_userdata = &in;
  eddy_engine *e = tu_engine_opts(&o);
  eddy_value_free(tu_eval(e, "console.log('x')"));
  assert_int_equal(in.ntexts, 1);
  assert_int_equal(in.lens[0], 1);
  eddy_engine_free(e); /* in.texts[0] is eddy's, never freed here */
}

/* An options struct from a host built before the field existed leaves it at 0. */
static void an_older_options_struct_means_borrowed(void **state) {
  (void)state;
  eddy_options o;
  memset(&o, 0xff, sizeof o);
  size_t old_size = offsetof(eddy_options, owned_callback_data);
  eddy_options_init(&o, old_size);
  assert_int_equal(o.size, old_size);
  unsigned char *tail = (unsigned char *)&o + old_size;
  for (size_t i = 0; i < sizeof o - old_size; i++) assert_int_equal(tail[i], 0xff); /* untouched */
  eddy_engine *e = NULL;
  TU_ASSERT_STATUS(EDDY_OK, eddy_engine_new(&o, &e));
  eddy_engine_free(e);
}

static void call_errors_name_the_segment_that_failed(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(1);
  eddy_value_free(tu_eval(e, "globalThis.app = { n: 1, run() { return 7; } }"));
  static const struct {
    const char *path, *message;
  } cases[] = {
      {"app.nope", "path 'app.nope': segment 'nope' ('app.nope') is undefined, not a function"},
      {"app.nope.run", "path 'app.nope.run': segment 'nope' ('app.nope') is undefined, not an object"},
      {"app.n", "path 'app.n': segment 'n' ('app.n') is a number, not a function"},
      {"app.n.run", "path 'app.n.run': segment 'n' ('app.n') is a number, not an object"},
      {"nowhere.app.run", "path 'nowhere.app.run': segment 'nowhere' ('nowhere') is undefined, not an object"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    eddy_value *v = NULL;
    TU_ASSERT_STATUS(EDDY_EEXCEPTION, eddy_call(e, cases[i].path, NULL, &v));
    assert_string_equal(eddy_value_error_name(v), "TypeError");
    assert_string_equal(eddy_value_error_message(v), cases[i].message);
    eddy_value_free(v);
  }
  eddy_value *v = NULL;
  TU_ASSERT_STATUS(EDDY_OK, eddy_call(e, "app.run", NULL, &v));
  assert_true(eddy_value_number(v) == 7);
  eddy_value_free(v);
  /* eddy_set creates missing parents, but names a parent that is not an object */
  eddy_value *one = eddy_value_new_number(1);
  TU_ASSERT_STATUS(EDDY_EEXCEPTION, eddy_set(e, "app.n.x", one));
  eddy_value_free(one);
  eddy_engine_free(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(owned_log_text_and_errors_outlive_the_callback_and_the_engine),
      cmocka_unit_test(borrowed_by_default),
      cmocka_unit_test(an_older_options_struct_means_borrowed),
      cmocka_unit_test(call_errors_name_the_segment_that_failed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
