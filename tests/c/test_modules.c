/* ES modules through the C API: declared modules, eddy_import, eddy_call_export, the host's
   module loader answering inline, later, and from another thread, and the file system. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

static int setup(void **state) {
  *state = tu_engine(1);
  return 0;
}

static int teardown(void **state) {
  eddy_engine_free(*state);
  return 0;
}

static void declare(eddy_engine *e, const char *name, const char *src) {
  TU_ASSERT_STATUS(0, eddy_module_declare(e, name, src, strlen(src)));
}

static void import_returns_the_namespace(void **state) {
  eddy_engine *e = *state;
  declare(e, "app/util.js", "export const answer = 42; export function twice(x) { return 2 * x; }");
  declare(e, "app/main.js",
          "import { answer, twice } from './util.js';\n"
          "export const result = twice(answer);\n"
          "export default 'main';\n");
  eddy_value *ns = NULL;
  TU_ASSERT_STATUS(0, eddy_import(e, "app/main.js", &ns));
  assert_int_equal(eddy_value_type(ns), EDDY_TYPE_OBJECT);
  /* Sorted keys, as the namespace object has them. */
  assert_int_equal(eddy_value_length(ns), 2);
  assert_string_equal(eddy_value_key(ns, 0, NULL), "default");
  assert_string_equal(eddy_value_key(ns, 1, NULL), "result");
  assert_true(eddy_value_number(eddy_value_get(ns, "result")) == 84);
  eddy_value_free(ns);
  /* The same module, evaluated once: its functions come back as function values. */
  TU_ASSERT_STATUS(0, eddy_import(e, "./app/util.js", &ns));
  assert_int_equal(eddy_value_type(eddy_value_get(ns, "twice")), EDDY_TYPE_FUNCTION);
  eddy_value_free(ns);
}

static void modules_evaluate_once(void **state) {
  eddy_engine *e = *state;
  declare(e, "counter", "globalThis.runs = (globalThis.runs || 0) + 1; export const n = runs;");
  for (int i = 0; i < 3; i++) TU_ASSERT_STATUS(0, eddy_import(e, "counter", NULL));
  assert_true(tu_eval_number(e, "runs") == 1);
  /* Once loaded, a module cannot be declared again. */
  TU_ASSERT_STATUS(EDDY_EBUSY, eddy_module_declare(e, "counter", "", 0));
  /* Before it is loaded, declaring again replaces the source. */
  declare(e, "later", "export const v = 1;");
  declare(e, "later", "export const v = 2;");
  assert_true(tu_eval_number(e, "import('later').then(ns => ns.v)") == 2);
}

static void call_export_awaits(void **state) {
  eddy_engine *e = *state;
  declare(e, "api",
          "export default function (a, b) { return a + b; }\n"
          "export const handlers = { base: 10, get(x) { return new Promise(r => setTimeout(() => r(this.base + x), 5)); } };\n"
          "export async function fails() { throw new RangeError('no'); }\n");
  eddy_value *args = eddy_value_new_array();
  eddy_value_push(args, eddy_value_new_number(2));
  eddy_value_push(args, eddy_value_new_number(3));
  eddy_value *r = NULL;
  TU_ASSERT_STATUS(0, eddy_call_export(e, "api", "default", args, &r));
  assert_true(eddy_value_number(r) == 5);
  eddy_value_free(r);
  TU_ASSERT_STATUS(0, eddy_call_export(e, "api", "handlers.get", args, &r));
  assert_true(eddy_value_number(r) == 12); /* `this` is the handlers object */
  eddy_value_free(r);
  TU_ASSERT_STATUS(EDDY_EEXCEPTION, eddy_call_export(e, "api", "fails", NULL, &r));
  assert_string_equal(eddy_value_error_name(r), "RangeError");
  eddy_value_free(r);
  TU_ASSERT_STATUS(EDDY_EEXCEPTION, eddy_call_export(e, "api", "nope", NULL, &r));
  assert_non_null(strstr(eddy_value_error_message(r), "'nope' is not a function exported by 'api'"));
  eddy_value_free(r);
  TU_ASSERT_STATUS(EDDY_EINVAL, eddy_call_export(e, "api", "a..b", NULL, &r));
  eddy_value_free(args);
}

static void errors_name_the_module(void **state) {
  eddy_engine *e = *state;
  declare(e, "bad.js", "export const a = 1;\nlet = ;\n");
  declare(e, "imports-bad.js", "import './bad.js';");
  eddy_value *err = NULL;
  TU_ASSERT_STATUS(EDDY_EEXCEPTION, eddy_import(e, "imports-bad.js", &err));
  assert_string_equal(eddy_value_error_name(err), "SyntaxError");
  assert_non_null(strstr(eddy_value_error_stack(err), "bad.js:2:"));
  eddy_value_free(err);
  TU_ASSERT_STATUS(EDDY_EEXCEPTION, eddy_import(e, "missing.js", &err));
  assert_non_null(strstr(eddy_value_error_message(err), "Cannot find module 'missing.js'"));
  eddy_value_free(err);
  declare(e, "needs-x.js", "import { x } from './has-y.js'; globalThis.ranNeedsX = true;");
  declare(e, "has-y.js", "globalThis.ranHasY = true; export const y = 1;");
  TU_ASSERT_STATUS(EDDY_EEXCEPTION, eddy_import(e, "needs-x.js", &err));
  assert_string_equal(eddy_value_error_name(err), "SyntaxError");
  assert_non_null(strstr(eddy_value_error_message(err), "'x'"));
  eddy_value_free(err);
  /* Link errors come before any module code runs. */
  assert_true(tu_eval_number(e, "(globalThis.ranHasY ? 1 : 0) + (globalThis.ranNeedsX ? 2 : 0)") == 0);
  declare(e, "throws.js", "await null; throw new TypeError('at top level');");
  TU_ASSERT_STATUS(EDDY_EEXCEPTION, eddy_import(e, "throws.js", &err));
  assert_string_equal(eddy_value_error_message(err), "at top level");
  eddy_value_free(err);
}

/* ---- the host's loader ---- */

typedef struct {
  int calls;
  int mode; /* 0 inline, 1 from another thread */
  char last_specifier[256], last_referrer[256];
  pthread_t threads[8];
  int nthreads;
} loader_state;

typedef struct {
  eddy_engine *e;
  uint64_t id;
  char url[256];
} answer_job;

static const char *source_for(const char *spec) {
  if (!strcmp(spec, "assets/main.js"))
    return "import { greet } from './lib/greet.js'; import cfg from 'config'; export default greet(cfg.name);";
  if (!strcmp(spec, "assets/lib/greet.js"))
    return "export function greet(n) { return 'hello ' + n + ' from ' + import.meta.url; }";
  return NULL;
}

static void *answer_later(void *arg) {
  answer_job *j = arg;
  const char *src = source_for(j->url);
  tu_sleep_ms(5);
  eddy_module_answer(j->e, j->id, NULL, src, src ? strlen(src) : 0);
  free(j);
  return NULL;
}

static int loader(eddy_engine *e, uint64_t id, const char *specifier, const char *referrer,
                  void *userdata) {
  loader_state *st = userdata;
  st->calls++;
  snprintf(st->last_specifier, sizeof st->last_specifier, "%s", specifier);
  snprintf(st->last_referrer, sizeof st->last_referrer, "%s", referrer ? referrer : "(null)");
  if (!strcmp(specifier, "denied")) return EDDY_EINVAL;
  const char *src = source_for(specifier);
  if (!src) return EDDY_ENOTFOUND;
  if (st->mode == 0) return eddy_module_answer(e, id, NULL, src, strlen(src));
  answer_job *j = calloc(1, sizeof *j);
  j->e = e;
  j->id = id;
  snprintf(j->url, sizeof j->url, "%s", specifier);
  pthread_create(&st->threads[st->nthreads++], NULL, answer_later, j);
  return 0;
}

static void run_loader(int mode, int driver) {
  loader_state st;
  memset(&st, 0, sizeof st);
  st.mode = mode;
  eddy_options opts;
  eddy_options_init(&opts, sizeof opts);
  opts.start_driver = driver;
  opts.module_loader = loader;
  opts.module_loader_userdata = &st;
  opts.module_files = 0;
  eddy_engine *e = tu_engine_opts(&opts);
  const char *cfg = "export default { name: 'eddy' };";
  TU_ASSERT_STATUS(0, eddy_module_declare(e, "config", cfg, strlen(cfg)));
  eddy_value *r = NULL;
  TU_ASSERT_STATUS(0, eddy_call_export(e, "assets/main.js", "default.toUpperCase", NULL, &r));
  assert_string_equal(eddy_value_string(r, NULL), "HELLO EDDY FROM ASSETS/LIB/GREET.JS");
  eddy_value_free(r);
  /* Declared modules come first; the loader saw the two others, resolved. */
  assert_int_equal(st.calls, 2);
  assert_string_equal(st.last_specifier, "assets/lib/greet.js");
  assert_string_equal(st.last_referrer, "assets/main.js");
  TU_ASSERT_STATUS(EDDY_EEXCEPTION, eddy_import(e, "denied", &r));
  eddy_value_free(r);
  TU_ASSERT_STATUS(EDDY_EEXCEPTION, eddy_import(e, "/etc/hostname", &r));
  assert_non_null(strstr(eddy_value_error_message(r), "Cannot find module"));
  eddy_value_free(r);
  for (int i = 0; i < st.nthreads; i++) pthread_join(st.threads[i], NULL);
  TU_ASSERT_STATUS(EDDY_ENOTFOUND, eddy_module_answer(e, 12345, NULL, "", 0));
  eddy_engine_free(e);
}

static void loader_answers_inline(void **state) {
  (void)state;
  run_loader(0, 1);
  run_loader(0, 0);
}

static void loader_answers_from_another_thread(void **state) {
  (void)state;
  run_loader(1, 1);
  run_loader(1, 0);
}

/* ---- files ---- */

static void files_and_import_meta(void **state) {
  eddy_engine *e = *state;
  char dir[] = "/tmp/eddy-modules-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[512], main_path[512];
  snprintf(path, sizeof path, "%s/dep.mjs", dir);
  FILE *f = fopen(path, "w");
  fputs("export const url = import.meta.url;\n", f);
  fclose(f);
  snprintf(path, sizeof path, "%s/data.json", dir);
  f = fopen(path, "w");
  fputs("{\"k\": [1, 2]}", f);
  fclose(f);
  snprintf(main_path, sizeof main_path, "%s/main.mjs", dir);
  f = fopen(main_path, "w");
  fputs("import { url } from './dep.mjs';\nimport data from './data.json' with { type: 'json' };\n"
        "export const both = url + ' ' + data.k.join();\n",
        f);
  fclose(f);
  eddy_value *ns = NULL;
  TU_ASSERT_STATUS(0, eddy_import(e, main_path, &ns));
  char expected[600];
  snprintf(expected, sizeof expected, "file://%s/dep.mjs 1,2", dir);
  assert_string_equal(eddy_value_string(eddy_value_get(ns, "both"), NULL), expected);
  eddy_value_free(ns);
  /* A classic script's import() resolves against the script's own path. */
  char src[700];
  snprintf(src, sizeof src, "import('./dep.mjs').then(ns => ns.url)");
  char script_name[600];
  snprintf(script_name, sizeof script_name, "%s/script.js", dir);
  eddy_value *v = NULL;
  TU_ASSERT_STATUS(0, eddy_eval(e, src, strlen(src), script_name, &v));
  snprintf(expected, sizeof expected, "file://%s/dep.mjs", dir);
  assert_string_equal(eddy_value_string(v, NULL), expected);
  eddy_value_free(v);
  const char *names[] = {"dep.mjs", "data.json", "main.mjs"};
  for (int i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    unlink(path);
  }
  rmdir(dir);
}

static void detect_module(void **state) {
  (void)state;
  const char *modules[] = {"import x from 'y';", "export const a = 1;", "await 1;",
                           "console.log(import.meta.url)", "export {}"};
  const char *classic[] = {"var a = 1;", "import('x')", "var await = 1;", "with (o) {}", "",
                           "// import x from 'y'"};
  for (size_t i = 0; i < sizeof modules / sizeof *modules; i++)
    assert_int_equal(eddy_detect_module(modules[i], strlen(modules[i])), 1);
  for (size_t i = 0; i < sizeof classic / sizeof *classic; i++)
    assert_int_equal(eddy_detect_module(classic[i], strlen(classic[i])), 0);
}

static void bad_arguments(void **state) {
  eddy_engine *e = *state;
  TU_ASSERT_STATUS(EDDY_EINVAL, eddy_module_declare(NULL, "a", "", 0));
  TU_ASSERT_STATUS(EDDY_EINVAL, eddy_module_declare(e, "", "", 0));
  TU_ASSERT_STATUS(EDDY_EINVAL, eddy_module_declare(e, "a", NULL, 3));
  TU_ASSERT_STATUS(EDDY_EINVAL, eddy_import(e, NULL, NULL));
  TU_ASSERT_STATUS(EDDY_EINVAL, eddy_import(NULL, "a", NULL));
  TU_ASSERT_STATUS(EDDY_EINVAL, eddy_call_export(e, "a", NULL, NULL, NULL));
  eddy_engine_close(e);
  TU_ASSERT_STATUS(EDDY_ECLOSED, eddy_module_declare(e, "a", "", 0));
  TU_ASSERT_STATUS(EDDY_ECLOSED, eddy_import(e, "a", NULL));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(import_returns_the_namespace, setup, teardown),
      cmocka_unit_test_setup_teardown(modules_evaluate_once, setup, teardown),
      cmocka_unit_test_setup_teardown(call_export_awaits, setup, teardown),
      cmocka_unit_test_setup_teardown(errors_name_the_module, setup, teardown),
      cmocka_unit_test(loader_answers_inline),
      cmocka_unit_test(loader_answers_from_another_thread),
      cmocka_unit_test_setup_teardown(files_and_import_meta, setup, teardown),
      cmocka_unit_test(detect_module),
      cmocka_unit_test_setup_teardown(bad_arguments, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
