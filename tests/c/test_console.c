/* console formatting through the host's log sink, against the shared cases in
   tests/js/console_cases.json (also checked against Node by tests/js/node-mock/console). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#ifndef CASES_PATH
#error "CASES_PATH must name tests/js/console_cases.json"
#endif

typedef struct {
  char *text;
  size_t len, cap;
  int records;
  int bad_level;
  int want_level;
} sink;

static void capture(eddy_engine *e, int level, const char *text, size_t len, void *ud) {
  (void)e;
  sink *s = ud;
  if (level != s->want_level) s->bad_level = level + 100;
  size_t need = s->len + len + 2;
  if (need > s->cap) {
    s->cap = need * 2;
    s->text = realloc(s->text, s->cap);
  }
  if (s->records++) s->text[s->len++] = '\n';
  memcpy(s->text + s->len, text, len);
  s->len += len;
  s->text[s->len] = '\0';
}

static eddy_value *load_cases(void) {
  FILE *f = fopen(CASES_PATH, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n);
  assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  eddy_value *v = NULL;
  size_t off = 0;
  if (eddy_value_from_json(buf, (size_t)n, &v, &off)) fail_msg("bad JSON at %zu", off);
  free(buf);
  return v;
}

static void console_matches_the_shared_cases(void **state) {
  (void)state;
  sink s = {0};
  eddy_options o;
  eddy_options_init(&o, sizeof o);
  o.start_driver = 0;
  o.log = capture;
  o.log_userdata = &s;
  eddy_engine *e = tu_engine_opts(&o);
  eddy_value *all = load_cases();
  const eddy_value *cases = eddy_value_get(all, "cases");
  size_t n = eddy_value_length(cases), failed = 0;
  assert_true(n >= 60);
  for (size_t i = 0; i < n; i++) {
    const eddy_value *c = eddy_value_at(cases, i);
    const char *args = eddy_value_string(eddy_value_at(c, 0), NULL);
    const eddy_value *expected = eddy_value_at(c, 1);
    const char *method = eddy_value_length(c) > 3 ? eddy_value_string(eddy_value_at(c, 3), NULL) : "log";
    s.len = 0;
    s.records = 0;
    s.bad_level = 0;
    s.want_level = (int)eddy_value_number(eddy_value_at(c, 2));
    if (s.text) s.text[0] = '\0';
    size_t src_len = strlen(args) + strlen(method) + 32;
    char *src = malloc(src_len);
    snprintf(src, src_len, "console.%s(%s)", method, args);
    eddy_value *err = NULL;
    int rc = eddy_eval(e, src, strlen(src), "case.js", &err);
    const char *want = eddy_value_string(expected, NULL);
    int ok = rc == 0 && !s.bad_level &&
             (want ? s.records > 0 && !strcmp(s.text ? s.text : "", want) : s.records == 0);
    if (!ok) {
      failed++;
      print_error("case %zu: %s\n  want: %s\n  got:  %s (rc %d, level %d)\n", i, src,
                  want ? want : "(nothing)", s.records ? s.text : "(nothing)", rc, s.bad_level);
    }
    eddy_value_free(err);
    free(src);
  }
  eddy_value_free(all);
  eddy_engine_free(e);
  free(s.text);
  if (failed) fail_msg("%zu of %zu console cases differ", failed, n);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(console_matches_the_shared_cases)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
