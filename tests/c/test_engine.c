/* The core API through include/eddy.h: eval, values both ways, errors, bad input, lifecycle. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static int setup(void **state) {
  *state = tu_engine(0);
  return 0;
}

static int teardown(void **state) {
  eddy_engine_free(*state);
  return 0;
}

static void eval_returns_primitives(void **state) {
  eddy_engine *e = *state;
  assert_true(tu_eval_number(e, "1 + 2") == 3);
  char *s = tu_eval_string(e, "'h\\u00e9llo ' + 'w\\u{1F600}'");
  assert_string_equal(s, "h\xc3\xa9llo w\xf0\x9f\x98\x80");
  free(s);
  eddy_value *v = tu_eval(e, "undefined");
  assert_int_equal(eddy_value_type(v), EDDY_TYPE_UNDEFINED);
  eddy_value_free(v);
  v = tu_eval(e, "null");
  assert_int_equal(eddy_value_type(v), EDDY_TYPE_NULL);
  eddy_value_free(v);
  v = tu_eval(e, "1 < 2");
  assert_int_equal(eddy_value_type(v), EDDY_TYPE_BOOLEAN);
  assert_int_equal(eddy_value_bool(v), 1);
  eddy_value_free(v);
  v = tu_eval(e, "2n ** 70n");
  assert_int_equal(eddy_value_type(v), EDDY_TYPE_BIGINT);
  assert_string_equal(eddy_value_string(v, NULL), "1180591620717411303424");
  eddy_value_free(v);
  v = tu_eval(e, "new Date(86400000)");
  assert_int_equal(eddy_value_type(v), EDDY_TYPE_DATE);
  assert_true(eddy_value_number(v) == 86400000);
  eddy_value_free(v);
}

static void eval_returns_structures(void **state) {
  eddy_engine *e = *state;
  eddy_value *v = tu_eval(e, "({b: 1, a: [1, 'x', {c: null}], [Symbol('s')]: 1, d: undefined})");
  assert_int_equal(eddy_value_type(v), EDDY_TYPE_OBJECT);
  assert_int_equal(eddy_value_length(v), 3);
  assert_string_equal(eddy_value_key(v, 0, NULL), "b");
  assert_string_equal(eddy_value_key(v, 1, NULL), "a");
  char *json;
  assert_int_equal(eddy_value_to_json(v, &json, NULL), 0);
  assert_string_equal(json, "{\"b\":1,\"a\":[1,\"x\",{\"c\":null}]}");
  eddy_free(json);
  eddy_value_free(v);
}

static void typed_arrays_become_bytes(void **state) {
  eddy_engine *e = *state;
  const char *cases[] = {
      "new Uint8Array([1,2,3])",
      "new Uint8Array([0,1,2,3,4]).subarray(1,4)",
      "new Uint8Array([1,2,3]).buffer",
      "new DataView(new Uint8Array([9,1,2,3,9]).buffer, 1, 3)",
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    eddy_value *v = tu_eval(e, cases[i]);
    size_t len;
    const uint8_t *b = eddy_value_bytes(v, &len);
    if (eddy_value_type(v) != EDDY_TYPE_BYTES || len != 3) fail_msg("case %zu: type/len", i);
    assert_memory_equal(b, "\x01\x02\x03", 3);
    eddy_value_free(v);
  }
  eddy_value *v = tu_eval(e, "new Uint16Array([258])");
  size_t len;
  const uint8_t *b = eddy_value_bytes(v, &len);
  assert_int_equal(len, 2);
  assert_int_equal(b[0] | (b[1] << 8), 258);
  eddy_value_free(v);
}

static void lone_surrogates_become_replacement(void **state) {
  char *s = tu_eval_string(*state, "'a\\uD800b'");
  assert_string_equal(s, "a\xef\xbf\xbd" "b");
  free(s);
}

static void cycles_and_depth_are_clear_errors(void **state) {
  eddy_engine *e = *state;
  eddy_value *v = NULL;
  const char *src = "var o = {}; o.self = o; o";
  TU_ASSERT_STATUS(EDDY_EEXCEPTION, eddy_eval(e, src, strlen(src), "c.js", &v));
  assert_int_equal(eddy_value_type(v), EDDY_TYPE_ERROR);
  assert_string_equal(eddy_value_error_name(v), "TypeError");
  assert_non_null(strstr(eddy_value_error_message(v), "cyclic"));
  eddy_value_free(v);
  src = "var d = []; for (let i = 0; i < 10000; i++) d = [d]; d";
  TU_ASSERT_STATUS(EDDY_EEXCEPTION, eddy_eval(e, src, strlen(src), "d.js", &v));
  assert_non_null(strstr(eddy_value_error_message(v), "deeply"));
  eddy_value_free(v);
  /* The same object twice (not a cycle) is fine. */
  eddy_value_free(tu_eval(e, "var s = {x: 1}; [s, s, {a: s}]"));
}

static void functions_and_errors_as_values(void **state) {
  eddy_engine *e = *state;
  eddy_value *v = tu_eval(e, "function greet() {}; greet");
  assert_int_equal(eddy_value_type(v), EDDY_TYPE_FUNCTION);
  assert_string_equal(eddy_value_string(v, NULL), "greet");
  eddy_value_free(v);
  v = tu_eval(e, "var err = new RangeError('bad'); err.code = 'E_X'; err");
  assert_int_equal(eddy_value_type(v), EDDY_TYPE_ERROR);
  assert_string_equal(eddy_value_error_name(v), "RangeError");
  assert_string_equal(eddy_value_error_message(v), "bad");
  assert_string_equal(eddy_value_string(eddy_value_get(v, "code"), NULL), "E_X");
  assert_non_null(strstr(eddy_value_error_stack(v), "RangeError: bad"));
  eddy_value_free(v);
}

static void symbols_and_cause_cycles_convert(void **state) {
  eddy_engine *e = *state;
  char *s = tu_eval_string(e, "Symbol('tag')");
  assert_string_equal(s, "Symbol(tag)");
  free(s);
  eddy_value *v = tu_eval(e, "var a = new Error('a'), b = new Error('b', {cause: a}); a.cause = b; a");
  assert_string_equal(eddy_value_error_message(eddy_value_get(v, "cause")), "b");
  eddy_value_free(v);
  v = NULL;
  const char *src = "throw 42";
  TU_ASSERT_STATUS(EDDY_EEXCEPTION, eddy_eval(e, src, strlen(src), "t.js", &v));
  assert_string_equal(eddy_value_error_stack(v), "42");
  eddy_value_free(v);
}

static void host_values_round_trip_through_js(void **state) {
  eddy_engine *e = *state;
  eddy_value *o = eddy_value_new_object();
  eddy_value_set(o, "bytes", eddy_value_new_bytes("\x00\xff", 2));
  eddy_value_set(o, "when", eddy_value_new_date(1000));
  eddy_value_set(o, "big", eddy_value_new_bigint("12345678901234567890"));
  eddy_value_set(o, "err", eddy_value_new_error("TypeError", "nope"));
  eddy_value_set(o, "custom", eddy_value_new_error("DatabaseError", "locked"));
  eddy_value_set(o, "s", eddy_value_new_string("x\0y", 3));
  TU_ASSERT_STATUS(EDDY_OK, eddy_set(e, "app.config", o));
  eddy_value_free(o);
  char *s = tu_eval_string(
      e,
      "const c = app.config; [c.bytes instanceof Uint8Array, c.bytes.length, c.bytes[1],"
      " c.when instanceof Date, c.when.getTime(), typeof c.big, c.big === 12345678901234567890n,"
      " c.err instanceof TypeError, c.err.message, c.custom instanceof Error, c.custom.name,"
      " c.s.length, c.s.charCodeAt(1)].join()");
  assert_string_equal(s, "true,2,255,true,1000,bigint,true,true,nope,true,DatabaseError,3,0");
  free(s);
}

static void exceptions_carry_stack_with_positions(void **state) {
  eddy_engine *e = *state;
  const char *src = "function inner() {\n  throw new Error('deep');\n}\nfunction outer() { inner(); }\nouter();";
  eddy_value *v = NULL;
  TU_ASSERT_STATUS(EDDY_EEXCEPTION, eddy_eval(e, src, strlen(src), "app.js", &v));
  assert_string_equal(eddy_value_error_message(v), "deep");
  const char *stack = eddy_value_error_stack(v);
  assert_non_null(strstr(stack, "Error: deep"));
  assert_non_null(strstr(stack, "at inner (app.js:2:"));
  assert_non_null(strstr(stack, "at outer (app.js:4:"));
  eddy_value_free(v);
  /* A thrown non-error still arrives as an error value, with the raw value kept. */
  src = "throw 42";
  TU_ASSERT_STATUS(EDDY_EEXCEPTION, eddy_eval(e, src, strlen(src), "t.js", &v));
  assert_int_equal(eddy_value_type(v), EDDY_TYPE_ERROR);
  assert_string_equal(eddy_value_error_message(v), "42");
  assert_true(eddy_value_number(eddy_value_get(v, "thrown")) == 42);
  eddy_value_free(v);
}

static void syntax_errors_name_file_line_column(void **state) {
  eddy_engine *e = *state;
  const char *src = "let a = 1;\nlet b = ;\n";
  eddy_value *v = NULL;
  TU_ASSERT_STATUS(EDDY_EEXCEPTION, eddy_eval(e, src, strlen(src), "broken.js", &v));
  assert_string_equal(eddy_value_error_name(v), "SyntaxError");
  assert_true(eddy_value_number(eddy_value_get(v, "line")) == 2);
  assert_true(eddy_value_number(eddy_value_get(v, "column")) > 0);
  assert_non_null(strstr(eddy_value_error_stack(v), "broken.js:2:"));
  eddy_value_free(v);
}

static void promise_results_are_awaited(void **state) {
  eddy_engine *e = *state;
  assert_true(tu_eval_number(e, "Promise.resolve(41).then(x => x + 1)") == 42);
  assert_true(tu_eval_number(e, "({ then(r) { r(7); } })") == 7);
  assert_true(tu_eval_number(e, "(async () => { await null; return 5; })()") == 5);
  eddy_value *v = NULL;
  const char *src = "Promise.reject(new TypeError('no'))";
  TU_ASSERT_STATUS(EDDY_EEXCEPTION, eddy_eval(e, src, strlen(src), "p.js", &v));
  assert_string_equal(eddy_value_error_name(v), "TypeError");
  eddy_value_free(v);
  /* Depends on a timer: the caller's thread runs the loop until it settles. */
  assert_true(tu_eval_number(e, "new Promise(r => setTimeout(() => r(9), 20))") == 9);
  /* Nothing can ever settle it. */
  src = "new Promise(() => {})";
  TU_ASSERT_STATUS(EDDY_EPENDING, eddy_eval(e, src, strlen(src), "p.js", NULL));
}

/* eddy_exec runs a script for its effects: its completion value is never awaited, converted or
   even looked at; its errors are eddy_eval's. */
static void exec_ignores_the_completion_value(void **state) {
  eddy_engine *e = *state;
  eddy_value *err = NULL;
  const char *src = "globalThis.ran = 1; new Promise(() => {})";
  TU_ASSERT_STATUS(0, eddy_exec(e, src, strlen(src), "x.js", &err));
  assert_null(err);
  assert_true(tu_eval_number(e, "ran") == 1);
  /* Converting it would run the trap, and throw. */
  src = "globalThis.trapped = 0; new Proxy({}, { ownKeys() { trapped++; throw new Error('no'); } })";
  TU_ASSERT_STATUS(0, eddy_exec(e, src, strlen(src), "x.js", &err));
  assert_true(tu_eval_number(e, "trapped") == 0);
  /* Nor is a `then` looked up, when JSC reports rejections itself. */
  src = "globalThis.looked = 0; ({ get then() { looked++; } })";
  TU_ASSERT_STATUS(0, eddy_exec(e, src, strlen(src), "x.js", NULL));
  if (eddy_jsc_features(e) & EDDY_JSC_REJECTION_CALLBACK) assert_true(tu_eval_number(e, "looked") == 0);
  src = "function f() {\n  throw new RangeError('bad');\n}\nf();";
  TU_ASSERT_STATUS(EDDY_EEXCEPTION, eddy_exec(e, src, strlen(src), "x.js", &err));
  assert_string_equal(eddy_value_error_name(err), "RangeError");
  assert_non_null(strstr(eddy_value_error_stack(err), "at f (x.js:2:"));
  eddy_value_free(err);
  src = "let a = ;";
  TU_ASSERT_STATUS(EDDY_EEXCEPTION, eddy_exec(e, src, strlen(src), "x.js", &err));
  assert_string_equal(eddy_value_error_name(err), "SyntaxError");
  eddy_value_free(err);
  TU_ASSERT_STATUS(EDDY_EINVAL, eddy_exec(NULL, "1", 1, NULL, NULL));
  TU_ASSERT_STATUS(EDDY_EINVAL, eddy_exec(e, NULL, 1, NULL, NULL));
}

static void engines_are_independent(void **state) {
  (void)state;
  eddy_engine *a = tu_engine(0), *b = tu_engine(0);
  eddy_value_free(tu_eval(a, "globalThis.shared = 1"));
  eddy_value *v = tu_eval(b, "typeof shared");
  assert_string_equal(eddy_value_string(v, NULL), "undefined");
  eddy_value_free(v);
  eddy_engine_free(a);
  assert_true(tu_eval_number(b, "2 * 21") == 42);
  eddy_engine_free(b);
}

typedef struct {
  eddy_engine *expected;
  int lines, wrong;
} log_check;

static void log_to_check(eddy_engine *e, int level, const char *text, size_t len, void *userdata) {
  (void)level;
  (void)text;
  (void)len;
  log_check *c = userdata;
  c->lines++;
  if (e != c->expected) c->wrong++;
}

/* Native callbacks find their engine from the context. A new engine often gets the addresses of
   one just freed: each console call must still reach its own engine's sink, whether engines are
   used one after another or in turn on one thread. */
static void natives_reach_their_own_engine(void **state) {
  (void)state;
  log_check c = {0};
  eddy_options o;
  eddy_options_init(&o, sizeof o);
  o.start_driver = 0;
  o.log = log_to_check;
  o.log_userdata = &c;
  for (int i = 0; i < 20; i++) {
    eddy_engine *e = tu_engine_opts(&o);
    c.expected = e;
    eddy_value_free(tu_eval(e, "console.log('one'); new Promise((r) => setTimeout(r, 0))"));
    eddy_engine_free(e);
  }
  eddy_engine *keep = tu_engine_opts(&o);
  for (int i = 0; i < 20; i++) {
    eddy_engine *e = tu_engine_opts(&o);
    c.expected = e;
    eddy_value_free(tu_eval(e, "console.log('new'); new Promise((r) => setTimeout(r, 0))"));
    c.expected = keep;
    eddy_value_free(tu_eval(keep, "console.log('kept')"));
    eddy_engine_free(e);
  }
  eddy_engine_free(keep);
  assert_int_equal(c.lines, 60);
  assert_int_equal(c.wrong, 0);
}

static void invalid_arguments_are_einval(void **state) {
  eddy_engine *e = *state;
  eddy_value *v = NULL;
  TU_ASSERT_STATUS(EDDY_EINVAL, eddy_eval(NULL, "1", 1, NULL, &v));
  TU_ASSERT_STATUS(EDDY_EINVAL, eddy_eval(e, NULL, 3, NULL, &v));
  TU_ASSERT_STATUS(EDDY_EINVAL, eddy_engine_new(NULL, NULL));
  TU_ASSERT_STATUS(EDDY_EINVAL, eddy_set(e, "", NULL));
  TU_ASSERT_STATUS(EDDY_EINVAL, eddy_set(e, NULL, NULL));
  TU_ASSERT_STATUS(EDDY_EINVAL, eddy_pending(NULL));
  TU_ASSERT_STATUS(EDDY_EINVAL, eddy_run(e, (eddy_run_mode)42));
  TU_ASSERT_STATUS(EDDY_EINVAL, eddy_engine_close(NULL));
  eddy_options o;
  eddy_options_init(&o, sizeof o);
  o.size = sizeof(o) + 8;
  eddy_engine *x = NULL;
  TU_ASSERT_STATUS(EDDY_EINVAL, eddy_engine_new(&o, &x));
  assert_null(x);
  eddy_engine_free(NULL);
  /* An empty source is a valid script. */
  TU_ASSERT_STATUS(EDDY_OK, eddy_eval(e, NULL, 0, NULL, NULL));
}

/* A host compiled against an older, smaller eddy_options: init writes only its bytes, and
   eddy_engine_new uses the defaults for the fields it lacks. */
static void options_of_an_older_host_are_respected(void **state) {
  (void)state;
  size_t old_size = offsetof(eddy_options, ca_file); /* the 0.1.0 struct before ca_file */
  unsigned char buf[sizeof(eddy_options) + 16];
  memset(buf, 0xA5, sizeof buf);
  eddy_options *o = (eddy_options *)(void *)buf;
  eddy_options_init(o, old_size);
  assert_int_equal(o->size, old_size);
  assert_int_equal(o->busy_poll_us, 50);
  for (size_t i = old_size; i < sizeof buf; i++)
    if (buf[i] != 0xA5) fail_msg("eddy_options_init wrote byte %zu of a %zu-byte struct", i, old_size);
  o->start_driver = 0;
  eddy_engine *e = NULL;
  TU_ASSERT_STATUS(EDDY_OK, eddy_engine_new(o, &e));
  assert_true(tu_eval_number(e, "6 * 7") == 42);
  eddy_engine_free(e);
  /* A size too small for even the size field is ignored. */
  memset(buf, 0xA5, sizeof buf);
  eddy_options_init(o, 1);
  for (size_t i = 0; i < sizeof buf; i++) assert_int_equal(buf[i], 0xA5);
}

static void source_is_length_delimited_and_utf8_repaired(void **state) {
  eddy_engine *e = *state;
  const char src[] = "'a\0b'.length";
  eddy_value *v = NULL;
  TU_ASSERT_STATUS(EDDY_OK, eddy_eval(e, src, sizeof(src) - 1, "nul.js", &v));
  assert_true(eddy_value_number(v) == 3);
  eddy_value_free(v);
  /* Bytes after the length are not read: "1+2" of "1+2+3". */
  TU_ASSERT_STATUS(EDDY_OK, eddy_eval(e, "1+2+3", 3, NULL, &v));
  assert_true(eddy_value_number(v) == 3);
  eddy_value_free(v);
  const char bad[] = "'\xff\xfe'.charCodeAt(0)";
  TU_ASSERT_STATUS(EDDY_OK, eddy_eval(e, bad, sizeof(bad) - 1, "u.js", &v));
  assert_true(eddy_value_number(v) == 0xFFFD);
  eddy_value_free(v);
}

static void a_50mb_script_evaluates(void **state) {
  eddy_engine *e = *state;
  size_t n = 50u << 20;
  char *src = malloc(n + 64);
  const char *head = "var s = '";
  size_t h = strlen(head);
  memcpy(src, head, h);
  memset(src + h, 'x', n - h);
  const char *tail = "'; s.length";
  memcpy(src + n, tail, strlen(tail));
  eddy_value *v = NULL;
  TU_ASSERT_STATUS(EDDY_OK, eddy_eval(e, src, n + strlen(tail), "big.js", &v));
  assert_true(eddy_value_number(v) == (double)(n - h));
  eddy_value_free(v);
  free(src);
  eddy_value_free(tu_eval(e, "s = undefined"));
}

static void deep_recursion_throws_range_error(void **state) {
  eddy_engine *e = *state;
  const char *src = "function f(n) { return f(n + 1) + 1; } f(0)";
  eddy_value *v = NULL;
  TU_ASSERT_STATUS(EDDY_EEXCEPTION, eddy_eval(e, src, strlen(src), "r.js", &v));
  assert_string_equal(eddy_value_error_name(v), "RangeError");
  eddy_value_free(v);
  assert_true(tu_eval_number(e, "1") == 1); /* still usable */
}

static void calls_after_close_are_eclosed(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(0);
  TU_ASSERT_STATUS(EDDY_OK, eddy_engine_close(e));
  TU_ASSERT_STATUS(EDDY_OK, eddy_engine_close(e)); /* idempotent */
  eddy_value *v = (eddy_value *)1;
  TU_ASSERT_STATUS(EDDY_ECLOSED, eddy_eval(e, "1", 1, NULL, &v));
  assert_null(v);
  TU_ASSERT_STATUS(EDDY_ECLOSED, eddy_set(e, "x", NULL));
  TU_ASSERT_STATUS(EDDY_ECLOSED, eddy_run(e, EDDY_RUN_NOWAIT));
  TU_ASSERT_STATUS(EDDY_ECLOSED, eddy_pending(e));
  TU_ASSERT_STATUS(EDDY_ECLOSED, eddy_start_drive(e));
  eddy_engine_free(e);
}

static void free_without_close_releases_everything(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(1);
  eddy_value_free(tu_eval(e, "setTimeout(() => {}, 100000); setInterval(() => {}, 5); 1"));
  eddy_engine_free(e); /* LSan checks at exit that nothing is left */
}

/* Without JSC's heap functions (docs/porting.md) both calls say so. */
static int heap_functions(eddy_engine *e) {
  int f = eddy_jsc_features(e);
  eddy_value *m = NULL;
  if (!(f & EDDY_JSC_MEMORY_STATS)) {
    TU_ASSERT_STATUS(EDDY_ENOTSUP, eddy_memory_usage(e, &m));
    assert_null(m);
  }
  if (!(f & EDDY_JSC_SYNC_GC)) TU_ASSERT_STATUS(EDDY_ENOTSUP, eddy_gc(e));
  return (f & (EDDY_JSC_MEMORY_STATS | EDDY_JSC_SYNC_GC)) == (EDDY_JSC_MEMORY_STATS | EDDY_JSC_SYNC_GC);
}

static void memory_usage_reports_the_heap(void **state) {
  eddy_engine *e = *state;
  eddy_value *m = NULL;
  if (!heap_functions(e)) return;
  TU_ASSERT_STATUS(EDDY_OK, eddy_memory_usage(e, &m));
  assert_int_equal(eddy_value_type(m), EDDY_TYPE_OBJECT);
  /* JSC's counts are as of its last collection; the protected objects are always there. */
  assert_true(eddy_value_number(eddy_value_get(m, "heapCapacity")) > 0);
  assert_true(eddy_value_number(eddy_value_get(m, "protectedObjectCount")) > 0);
  assert_non_null(eddy_value_get(m, "objectTypeCounts"));
  eddy_value_free(m);
  TU_ASSERT_STATUS(EDDY_OK, eddy_gc(e));
}

/* eddy_gc collects before it returns. JSC also scans the C stack conservatively, where a pointer
   to an object can linger: so count how many of 1,000 weakly held objects are gone. */
static void gc_collects_before_returning(void **state) {
  eddy_engine *e = *state;
  if (!heap_functions(e)) return;
  eddy_value_free(tu_eval(e, "globalThis.refs = Array.from({ length: 1000 }, () => new WeakRef({})); 0"));
  TU_ASSERT_STATUS(EDDY_OK, eddy_gc(e));
  assert_true(tu_eval_number(e, "refs.filter((r) => r.deref() === undefined).length") >= 900);
}

/* JSC reports a heap of 0 before its first collection, which engine creation no longer makes:
   a new engine's statistics still describe its set-up (eddy_memory_usage collects for them). */
static void new_engine_reports_its_set_up(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(0);
  eddy_value *m = NULL;
  if (!heap_functions(e)) {
    eddy_engine_free(e);
    return;
  }
  TU_ASSERT_STATUS(EDDY_OK, eddy_memory_usage(e, &m));
  assert_true(eddy_value_number(eddy_value_get(m, "heapSize")) > 100000);
  assert_true(eddy_value_number(eddy_value_get(m, "objectCount")) > 1000);
  eddy_value_free(m);
  eddy_engine_free(e);
}

typedef struct {
  char text[4096];
  int errors;
  int status;
} setup_log;

static void log_setup(eddy_engine *e, int level, const char *text, size_t len, void *userdata) {
  (void)e;
  setup_log *l = userdata;
  if (level != EDDY_LOG_ERROR) return;
  l->errors++;
  snprintf(l->text, sizeof l->text, "%.*s", (int)len, text);
}

static void *create_engine(void *arg) {
  setup_log *l = arg;
  eddy_options o;
  eddy_options_init(&o, sizeof o);
  o.log = log_setup;
  o.log_userdata = l;
  eddy_engine *e = NULL;
  l->status = eddy_engine_new(&o, &e);
  if (e) eddy_engine_free(e);
  return NULL;
}

/* Set-up runs JS on the creating thread. On a thread whose stack is too small for it, creation
   fails with EDDY_EEXCEPTION and the log sink says why (it used to be EDDY_EIO, said nothing). */
static void set_up_failure_is_logged_with_its_cause(void **state) {
  (void)state;
  setup_log l = {0};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 64 * 1024);
  pthread_t t;
  assert_int_equal(0, pthread_create(&t, &attr, create_engine, &l));
  pthread_join(t, NULL);
  pthread_attr_destroy(&attr);
  TU_ASSERT_STATUS(EDDY_EEXCEPTION, l.status);
  assert_int_equal(l.errors, 1);
  if (!strstr(l.text, "eddy: engine set-up failed: ") || !strstr(l.text, "call stack"))
    fail_msg("unexpected log: %s", l.text);

  /* The same options on a thread with room work. */
  memset(&l, 0, sizeof l);
  assert_int_equal(0, pthread_create(&t, NULL, create_engine, &l));
  pthread_join(t, NULL);
  TU_ASSERT_STATUS(EDDY_OK, l.status);
  assert_int_equal(l.errors, 0);
}

/* Bytes malloc has handed out and not had back: ASan's count (its freed blocks wait in a
   quarantine, which RSS would include), else glibc's. */
#if defined(__SANITIZE_ADDRESS__)
size_t __sanitizer_get_current_allocated_bytes(void); /* sanitizer/allocator_interface.h */
static long heap_in_use_kib(void) { return (long)(__sanitizer_get_current_allocated_bytes() / 1024); }
#else
#include <malloc.h>
static long heap_in_use_kib(void) { return (long)(mallinfo2().uordblks / 1024); }
#endif

/* Timers set and cleared leave nothing behind: the id table once doubled for its tombstones,
   growing by 8-16 bytes per timer ever set (2M pairs: a 4M-slot table, +32 MB of malloc). The
   JS heap's garbage is collected before each measure. */
static void cleared_timers_leave_no_table_behind(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(0);
  const char *pairs = "for (let i = 0; i < 500000; i++) clearTimeout(setTimeout(() => {}, 1000)); 0";
  eddy_value_free(tu_eval(e, pairs)); /* the first round warms up everything else */
  eddy_gc(e);
  long before = heap_in_use_kib();
  for (int i = 0; i < 4; i++) eddy_value_free(tu_eval(e, pairs));
  eddy_gc(e);
  long grown = heap_in_use_kib() - before;
  if (grown >= 4096) print_message("malloc'd memory grew by %ld KiB\n", grown);
  assert_true(grown < 4096);
  assert_int_equal(eddy_pending(e), 0);
  eddy_engine_free(e);
}

/* A queued setImmediate is pending work, and makes a host's poll not sleep, until it ran; an
   unref'd one is not pending work, and teardown frees one still queued. */
static void immediates_are_pending_work(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(0);
  eddy_value_free(tu_eval(e, "globalThis.ran = 0; setImmediate(() => ran++); 0"));
  assert_int_equal(eddy_pending(e), 1);
  assert_int_equal(eddy_backend_timeout(e), 0);
  uint64_t end = tu_now_ms() + 10000;
  while (eddy_pending(e) && tu_now_ms() < end) assert_true(eddy_run(e, EDDY_RUN_ONCE) >= 0);
  assert_true(tu_eval_number(e, "ran") == 1);
  eddy_value_free(tu_eval(e, "setImmediate(() => ran++, {}).unref(); 0"));
  assert_int_equal(eddy_pending(e), 0);
  eddy_engine_free(e);
}

static void userdata_is_kept(void **state) {
  eddy_engine *e = *state;
  int x;
  eddy_engine_set_userdata(e, &x);
  assert_ptr_equal(eddy_engine_get_userdata(e), &x);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(eval_returns_primitives, setup, teardown),
      cmocka_unit_test_setup_teardown(eval_returns_structures, setup, teardown),
      cmocka_unit_test_setup_teardown(typed_arrays_become_bytes, setup, teardown),
      cmocka_unit_test_setup_teardown(lone_surrogates_become_replacement, setup, teardown),
      cmocka_unit_test_setup_teardown(cycles_and_depth_are_clear_errors, setup, teardown),
      cmocka_unit_test_setup_teardown(functions_and_errors_as_values, setup, teardown),
      cmocka_unit_test_setup_teardown(symbols_and_cause_cycles_convert, setup, teardown),
      cmocka_unit_test_setup_teardown(host_values_round_trip_through_js, setup, teardown),
      cmocka_unit_test_setup_teardown(exceptions_carry_stack_with_positions, setup, teardown),
      cmocka_unit_test_setup_teardown(syntax_errors_name_file_line_column, setup, teardown),
      cmocka_unit_test_setup_teardown(promise_results_are_awaited, setup, teardown),
      cmocka_unit_test_setup_teardown(exec_ignores_the_completion_value, setup, teardown),
      cmocka_unit_test(engines_are_independent),
      cmocka_unit_test(natives_reach_their_own_engine),
      cmocka_unit_test_setup_teardown(invalid_arguments_are_einval, setup, teardown),
      cmocka_unit_test(options_of_an_older_host_are_respected),
      cmocka_unit_test_setup_teardown(source_is_length_delimited_and_utf8_repaired, setup, teardown),
      cmocka_unit_test_setup_teardown(a_50mb_script_evaluates, setup, teardown),
      cmocka_unit_test_setup_teardown(deep_recursion_throws_range_error, setup, teardown),
      cmocka_unit_test(calls_after_close_are_eclosed),
      cmocka_unit_test(free_without_close_releases_everything),
      cmocka_unit_test_setup_teardown(memory_usage_reports_the_heap, setup, teardown),
      cmocka_unit_test_setup_teardown(gc_collects_before_returning, setup, teardown),
      cmocka_unit_test(new_engine_reports_its_set_up),
      cmocka_unit_test(set_up_failure_is_logged_with_its_cause),
      cmocka_unit_test(cleared_timers_leave_no_table_behind),
      cmocka_unit_test(immediates_are_pending_work),
      cmocka_unit_test_setup_teardown(userdata_is_kept, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
