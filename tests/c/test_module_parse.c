/* The ES module transformer (src/module_*.c), tested on its own: the module record it
   reports, the edits it makes, the early errors it finds, and that no input can crash it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testutil.h"

#include "module_parse.h"

#define PREFIX "(function*($eddyh,$eddyi){\"use strict\";yield $eddyenv;"

/* ---- helpers ------------------------------------------------------------------------------ */

static uint16_t *to16(const char *s, size_t n, size_t *out_n) {
  uint16_t *d = malloc((n + 1) * sizeof *d);
  assert_non_null(d);
  size_t k = 0;
  for (size_t i = 0; i < n;) {
    unsigned char c = (unsigned char)s[i];
    uint32_t cp;
    int len;
    if (c < 0x80) { cp = c; len = 1; }
    else if (c < 0xE0) { cp = c & 0x1F; len = 2; }
    else if (c < 0xF0) { cp = c & 0x0F; len = 3; }
    else { cp = c & 0x07; len = 4; }
    for (int j = 1; j < len && i + j < n; j++) cp = (cp << 6) | ((unsigned char)s[i + j] & 0x3F);
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      d[k++] = (uint16_t)(0xD800 + (cp >> 10));
      d[k++] = (uint16_t)(0xDC00 + (cp & 0x3FF));
    } else {
      d[k++] = (uint16_t)cp;
    }
  }
  *out_n = k;
  return d;
}

/* UTF-8 of UTF-16; a lone surrogate becomes "<D800>" so that tests can see it. */
static char *to8(const uint16_t *s, size_t n) {
  char *o = malloc(n * 6 + 1);
  assert_non_null(o);
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t c = s[i];
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + (s[i + 1] - 0xDC00);
      i++;
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      k += (size_t)sprintf(o + k, "<%04X>", (unsigned)c);
      continue;
    }
    if (c < 0x80) {
      o[k++] = (char)c;
    } else if (c < 0x800) {
      o[k++] = (char)(0xC0 | (c >> 6));
      o[k++] = (char)(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      o[k++] = (char)(0xE0 | (c >> 12));
      o[k++] = (char)(0x80 | ((c >> 6) & 0x3F));
      o[k++] = (char)(0x80 | (c & 0x3F));
    } else {
      o[k++] = (char)(0xF0 | (c >> 18));
      o[k++] = (char)(0x80 | ((c >> 12) & 0x3F));
      o[k++] = (char)(0x80 | ((c >> 6) & 0x3F));
      o[k++] = (char)(0x80 | (c & 0x3F));
    }
  }
  o[k] = '\0';
  return o;
}

typedef struct {
  int status;
  char *code;  /* whole output, UTF-8 */
  char *user;  /* MODULE: the part between the prefix and the ENV function */
  char *env;   /* MODULE: the ENV function and the closing */
  char *meta;
  char *error;
  unsigned line, column;
} result;

static result transform_n(const char *src, size_t len, eddy__parse_goal goal) {
  size_t n;
  uint16_t *u = to16(src, len, &n);
  static const uint16_t name[] = {'_', '_', 'e', 'd', 'd', 'y', '_', 'i', 'm', 'p', 'o', 'r', 't',
                                  '[', '3', ']'};
  eddy__parse_result r;
  result out;
  memset(&out, 0, sizeof out);
  out.status = eddy__module_parse(u, n, goal, name, sizeof name / sizeof *name, &r);
  free(u);
  if (out.status == 0) {
    out.code = to8(r.code, r.code_len);
    if (goal == EDDY__PARSE_MODULE) {
      assert_non_null(r.meta);
      assert_int_equal(strlen(r.meta), r.meta_len);
      out.meta = strdup(r.meta);
      size_t pl = strlen(PREFIX);
      /* With the usual prefix: split the output into the user's part and ENV. */
      char *env = strstr(out.code, "\nfunction $eddyenv(){");
      while (env && strstr(env + 1, "\nfunction $eddyenv(){")) env = strstr(env + 1, "\nfunction $eddyenv(){");
      if (!strncmp(out.code, PREFIX, pl) && env) {
        out.user = strndup(out.code + pl, (size_t)(env - out.code) - pl);
        out.env = strdup(env + 1);
      }
    } else {
      assert_null(r.meta);
    }
  } else if (out.status == 1) {
    assert_non_null(r.error);
    assert_null(r.code);
    out.error = strdup(r.error);
    out.line = r.error_line;
    out.column = r.error_column;
  }
  eddy__parse_result_free(&r);
  return out;
}

static result transform(const char *src, eddy__parse_goal goal) {
  return transform_n(src, strlen(src), goal);
}

static void result_free(result *r) {
  free(r->code);
  free(r->user);
  free(r->env);
  free(r->meta);
  free(r->error);
}

static result module_ok(const char *src) {
  result r = transform(src, EDDY__PARSE_MODULE);
  if (r.status != 0)
    fail_msg("%s\n  -> status %d: %u:%u %s", src, r.status, r.line, r.column, r.error ? r.error : "");
  return r;
}

/* The module's edited source (between the prefix and ENV) is exactly `user`. */
static void expect_user(const char *src, const char *user) {
  result r = module_ok(src);
  if (!r.user) fail_msg("unexpected prefix: %.80s", r.code);
  if (strcmp(r.user, user) != 0) fail_msg("source: %s\n  got:  %s\n  want: %s", src, r.user, user);
  result_free(&r);
}

static size_t u16len(const char *s) {
  size_t n = 0;
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if ((c & 0xC0) != 0x80) n += c >= 0xF0 ? 2 : 1;
  }
  return n;
}

/* src = head + body, head being import declarations (no line breaks in them); the edited source
   is head blanked (a ; and spaces) + want. */
static void expect_after(const char *head, const char *body, const char *want) {
  size_t hn = strlen(head), bn = strlen(body), wn = strlen(want), blank = u16len(head);
  char *src = malloc(hn + bn + 1), *w = malloc(blank + wn + 1);
  assert_non_null(src);
  assert_non_null(w);
  memcpy(src, head, hn);
  memcpy(src + hn, body, bn + 1);
  memset(w, ' ', blank);
  if (blank) w[0] = ';';
  memcpy(w + blank, want, wn + 1);
  expect_user(src, w);
  free(src);
  free(w);
}

static void expect_meta(const char *src, const char *meta) {
  result r = module_ok(src);
  if (strcmp(r.meta, meta) != 0) fail_msg("source: %s\n  got:  %s\n  want: %s", src, r.meta, meta);
  result_free(&r);
}

/* The meta's JSON between "requests" and "tla" (holder names left out). */
static void expect_record(const char *src, const char *record) {
  result r = module_ok(src);
  const char *a = strstr(r.meta, "\"requests\"");
  assert_non_null(a);
  if (strcmp(a, record) != 0) fail_msg("source: %s\n  got:  %s\n  want: %s", src, a, record);
  result_free(&r);
}

static void expect_env(const char *src, const char *env) {
  result r = module_ok(src);
  if (strcmp(r.env, env) != 0) fail_msg("source: %s\n  got:  %s\n  want: %s", src, r.env, env);
  result_free(&r);
}

static void expect_error_goal(const char *src, eddy__parse_goal goal, unsigned line, unsigned column,
                              const char *message) {
  result r = transform(src, goal);
  if (r.status != 1) fail_msg("source: %s\n  expected SyntaxError '%s', got status %d", src, message, r.status);
  if (r.line != line || r.column != column || !strstr(r.error, message))
    fail_msg("source: %s\n  got:  %u:%u %s\n  want: %u:%u %s", src, r.line, r.column, r.error,
             line, column, message);
  result_free(&r);
}

static void expect_error(const char *src, unsigned line, unsigned column, const char *message) {
  expect_error_goal(src, EDDY__PARSE_MODULE, line, column, message);
}

static void expect_script(const char *src, const char *code) {
  result r = transform(src, EDDY__PARSE_SCRIPT);
  if (r.status != 0) fail_msg("%s\n  -> status %d: %u:%u %s", src, r.status, r.line, r.column, r.error ? r.error : "");
  if (strcmp(r.code, code) != 0) fail_msg("source: %s\n  got:  %s\n  want: %s", src, r.code, code);
  result_free(&r);
}

static size_t count_lines(const char *s) {
  size_t n = 0;
  for (; *s; s++) {
    if (*s == '\n') n++;
    else if (*s == '\r' && s[1] != '\n') n++;
    else if (!strncmp(s, "\xe2\x80\xa8", 3) || !strncmp(s, "\xe2\x80\xa9", 3)) n++;
  }
  return n;
}

/* ---- the module record -------------------------------------------------------------------- */

static void every_import_form_is_recorded(void **state) {
  (void)state;
  expect_meta("import x from './a.js';",
              "{\"holder\":\"$eddyh\",\"imports_object\":\"$eddyi\",\"default_local\":\"$eddyd\","
              "\"requests\":[{\"specifier\":\"./a.js\",\"attributes\":[]}],"
              "\"imports\":[{\"request\":0,\"import\":\"default\",\"local\":\"x\"}],"
              "\"exports\":[],\"reexports\":[],\"stars\":[],\"tla\":false}");
  expect_record("import {a, b as c, \"str-name\" as d, default as e} from 'm'",
                "\"requests\":[{\"specifier\":\"m\",\"attributes\":[]}],\"imports\":["
                "{\"request\":0,\"import\":\"a\",\"local\":\"a\"},"
                "{\"request\":0,\"import\":\"b\",\"local\":\"c\"},"
                "{\"request\":0,\"import\":\"str-name\",\"local\":\"d\"},"
                "{\"request\":0,\"import\":\"default\",\"local\":\"e\"}],"
                "\"exports\":[],\"reexports\":[],\"stars\":[],\"tla\":false}");
  expect_record("import * as ns from 'm';",
                "\"requests\":[{\"specifier\":\"m\",\"attributes\":[]}],"
                "\"imports\":[{\"request\":0,\"import\":null,\"local\":\"ns\"}],"
                "\"exports\":[],\"reexports\":[],\"stars\":[],\"tla\":false}");
  expect_record("import x, {a,} from 'm'; import y, * as ns from 'n'",
                "\"requests\":[{\"specifier\":\"m\",\"attributes\":[]},{\"specifier\":\"n\",\"attributes\":[]}],"
                "\"imports\":[{\"request\":0,\"import\":\"default\",\"local\":\"x\"},"
                "{\"request\":0,\"import\":\"a\",\"local\":\"a\"},"
                "{\"request\":1,\"import\":\"default\",\"local\":\"y\"},"
                "{\"request\":1,\"import\":null,\"local\":\"ns\"}],"
                "\"exports\":[],\"reexports\":[],\"stars\":[],\"tla\":false}");
  expect_record("import 'side-effect'; import {} from 'empty'; import from from 'from';",
                "\"requests\":[{\"specifier\":\"side-effect\",\"attributes\":[]},"
                "{\"specifier\":\"empty\",\"attributes\":[]},{\"specifier\":\"from\",\"attributes\":[]}],"
                "\"imports\":[{\"request\":2,\"import\":\"default\",\"local\":\"from\"}],"
                "\"exports\":[],\"reexports\":[],\"stars\":[],\"tla\":false}");
}

static void import_attributes_are_sorted_and_requests_deduplicated(void **state) {
  (void)state;
  expect_record("import a from './a.json' with { type: 'json' };\n"
                "import b from './a.json' with { \"type\": \"json\" };\n"
                "import c from './a.json';\n"
                "import d from './b' with { z: '1', \"a\": '2', };\n"
                "export * from './b' with {a: '2', z: '1'};",
                "\"requests\":[{\"specifier\":\"./a.json\",\"attributes\":[[\"type\",\"json\"]]},"
                "{\"specifier\":\"./a.json\",\"attributes\":[]},"
                "{\"specifier\":\"./b\",\"attributes\":[[\"a\",\"2\"],[\"z\",\"1\"]]}],"
                "\"imports\":[{\"request\":0,\"import\":\"default\",\"local\":\"a\"},"
                "{\"request\":0,\"import\":\"default\",\"local\":\"b\"},"
                "{\"request\":1,\"import\":\"default\",\"local\":\"c\"},"
                "{\"request\":2,\"import\":\"default\",\"local\":\"d\"}],"
                "\"exports\":[],\"reexports\":[],\"stars\":[2],\"tla\":false}");
  /* Dynamic import() is not a request. */
  expect_record("import('./x.js')", "\"requests\":[],\"imports\":[],\"exports\":[],\"reexports\":[],"
                                    "\"stars\":[],\"tla\":false}");
}

static void every_export_form_is_recorded(void **state) {
  (void)state;
  expect_record("export var a = 1, {b, c: [d, ...e], ...f} = o;\n"
                "export let g; export const h = 1;\n"
                "export function i() {} export async function j() {}\n"
                "export function* k() {} export async function* l() {}\n"
                "export class M {}\n"
                "var x, y; export { x, y as z, x as \"s t\", y as default };",
                "\"requests\":[],\"imports\":[],\"exports\":["
                "{\"export\":\"a\",\"local\":\"a\"},{\"export\":\"b\",\"local\":\"b\"},"
                "{\"export\":\"d\",\"local\":\"d\"},{\"export\":\"e\",\"local\":\"e\"},"
                "{\"export\":\"f\",\"local\":\"f\"},{\"export\":\"g\",\"local\":\"g\"},"
                "{\"export\":\"h\",\"local\":\"h\"},{\"export\":\"i\",\"local\":\"i\"},"
                "{\"export\":\"j\",\"local\":\"j\"},{\"export\":\"k\",\"local\":\"k\"},"
                "{\"export\":\"l\",\"local\":\"l\"},{\"export\":\"M\",\"local\":\"M\"},"
                "{\"export\":\"x\",\"local\":\"x\"},{\"export\":\"z\",\"local\":\"y\"},"
                "{\"export\":\"s t\",\"local\":\"x\"},{\"export\":\"default\",\"local\":\"y\"}],"
                "\"reexports\":[],\"stars\":[],\"tla\":false}");
  expect_record("export {a as b, default, c} from 'm';\n"
                "export * from 'n'; export * as ns from 'm'; export * as \"s\" from 'o';\n"
                "export {\"a\" as \"b2\", default as d} from 'n' with {type: 'css'};",
                "\"requests\":[{\"specifier\":\"m\",\"attributes\":[]},{\"specifier\":\"n\",\"attributes\":[]},"
                "{\"specifier\":\"o\",\"attributes\":[]},{\"specifier\":\"n\",\"attributes\":[[\"type\",\"css\"]]}],"
                "\"imports\":[],\"exports\":[],\"reexports\":["
                "{\"export\":\"b\",\"request\":0,\"import\":\"a\"},"
                "{\"export\":\"default\",\"request\":0,\"import\":\"default\"},"
                "{\"export\":\"c\",\"request\":0,\"import\":\"c\"},"
                "{\"export\":\"ns\",\"request\":0,\"import\":null},"
                "{\"export\":\"s\",\"request\":2,\"import\":null},"
                "{\"export\":\"b2\",\"request\":3,\"import\":\"a\"},"
                "{\"export\":\"d\",\"request\":3,\"import\":\"default\"}],"
                "\"stars\":[1],\"tla\":false}");
  /* An exported import keeps its local name; the loader resolves it. */
  expect_record("import {a as x} from 'm'; export {x, x as y};",
                "\"requests\":[{\"specifier\":\"m\",\"attributes\":[]}],"
                "\"imports\":[{\"request\":0,\"import\":\"a\",\"local\":\"x\"}],"
                "\"exports\":[{\"export\":\"x\",\"local\":\"x\"},{\"export\":\"y\",\"local\":\"x\"}],"
                "\"reexports\":[],\"stars\":[],\"tla\":false}");
}

static void env_has_a_getter_per_exported_local(void **state) {
  (void)state;
  expect_env("export let a = 1; var b; export {b, b as c, a as d};",
             "function $eddyenv(){return{__proto__:null,get a(){return a},get b(){return b},}}})");
  /* Imported bindings are the loader's, except namespaces re-exported by name. */
  expect_env("import {x} from 'm'; import * as ns from 'n'; export {x, ns};",
             "function $eddyenv(){return{__proto__:null,get ns(){return $eddyi.ns},}}})");
  expect_env("export default function () {}",
             "function $eddyenv(){$eddyh.n($eddyd);return{__proto__:null,get $eddyd(){return $eddyd},}}})");
  expect_env("export default 42",
             "function $eddyenv(){return{__proto__:null,get $eddyd(){return $eddyd},}}})");
  expect_env("", "function $eddyenv(){return{__proto__:null,}}})");
}

/* ---- edits -------------------------------------------------------------------------------- */

static void import_and_export_lists_are_blanked(void **state) {
  (void)state;
  expect_user("import {a,\n  b} from 'm'\nx;", ";         \n             \nx;");
  expect_user("import x from 'm' with {type: 'json'};",
              ";                                     ");
  expect_user("var q; export {q};export * from 'a'\nexport {b} from 'c'",
              "var q; ;          ;                \n;                  ");
  expect_user("import /* a\n comment */ 'm'\n;", ";          \n               \n ");
}

static void export_keyword_before_declarations_is_blanked(void **state) {
  (void)state;
  expect_user("export var a = 1;", "       var a = 1;");
  expect_user("export async function f() {}", "       async function f() {}");
  expect_user("export class C {}", "       class C {}");
  expect_user("export const {a, b: [c]} = o;", "       const {a, b: [c]} = o;");
}

static void export_default_forms(void **state) {
  (void)state;
  expect_user("export default function f() {}", "               function f() {}");
  expect_user("export default class C {}", "               class C {}");
  expect_user("export default function () {}", "               function  $eddyd() {}");
  expect_user("export default function() {}", "               function $eddyd() {}");
  expect_user("export default async function*(){}", "               async function* $eddyd(){}");
  expect_user("export default class {}", "let $eddyd={default: class {}}.default;");
  expect_user("export default class extends B {};", "let $eddyd={default: class extends B {}}.default;;");
  expect_user("export default 1 + 2;", "let $eddyd={default: 1 + 2}.default;");
  expect_user("export default a => a", "let $eddyd={default: a => a}.default;");
  /* ASI ends the expression; the line break stays where it was. */
  expect_user("export default foo\nbar()", "let $eddyd={default: foo}.default;\nbar()");
  expect_user("export default foo\n(bar)", "let $eddyd={default: foo\n(bar)}.default;");
  expect_user("export\ndefault\n(1)", "let $eddyd={default:\n\n(1)}.default;");
  expect_record("export default function f() {}",
                "\"requests\":[],\"imports\":[],\"exports\":[{\"export\":\"default\",\"local\":\"f\"}],"
                "\"reexports\":[],\"stars\":[],\"tla\":false}");
  expect_record("export default (class {})",
                "\"requests\":[],\"imports\":[],\"exports\":[{\"export\":\"default\",\"local\":\"$eddyd\"}],"
                "\"reexports\":[],\"stars\":[],\"tla\":false}");
  /* A declaration, not an expression: what follows is a new statement. */
  expect_user("export default function f() {}\n(1)", "               function f() {}\n(1)");
}

static void imported_references_are_rewritten(void **state) {
  (void)state;
  expect_user("import {x} from 'm';x; x.y; x[0]; x = 1; x++; -x; typeof x; new x; new x(1);",
              ";                   $eddyi.x; $eddyi.x.y; $eddyi.x[0]; $eddyi.x = 1; $eddyi.x++; "
              "-$eddyi.x; typeof $eddyi.x; new $eddyi.x; new $eddyi.x(1);");
  /* Called without a this value. */
  expect_user("import {x} from 'm';x(); x`t`; (x)(); ((x))``; x?.(); x.y(); (0, x)(); y = x();",
              ";                   0,(0,$eddyi.x)(); 0,(0,$eddyi.x)`t`; ((0,$eddyi.x))(); (((0,$eddyi.x)))``; "
              "0,(0,$eddyi.x)?.(); $eddyi.x.y(); (0, $eddyi.x)(); y = (0,$eddyi.x)();");
  /* Shorthand properties, in literals and in assignment patterns. */
  expect_user("import {x} from 'm';o = {x}; ({x} = o); ({x = 1} = o); [x] = a; ({a: x} = o);",
              ";                   o = {x:$eddyi.x}; ({x:$eddyi.x} = o); ({x:$eddyi.x = 1} = o); "
              "[$eddyi.x] = a; ({a: $eddyi.x} = o);");
  /* The imports object is keyed by local names. */
  expect_after("import {\"a-b\" as y, default as z} from 'm';", "y + z", "$eddyi.y + $eddyi.z");
  expect_user("import {x} from 'm';export default x", ";                   let $eddyd={default: $eddyi.x}.default;");
  expect_user("import x from 'm';function f(a = x) { return [x, `${x}`, x in o, o instanceof x] }",
              ";                 function f(a = $eddyi.x) { return [$eddyi.x, `${$eddyi.x}`, $eddyi.x in o, "
              "o instanceof $eddyi.x] }");
  expect_user("import x from 'm';class C extends x { [x] = x; static { x } m() { x } }",
              ";                 class C extends $eddyi.x { [$eddyi.x] = $eddyi.x; static { $eddyi.x } "
              "m() { $eddyi.x } }");
}

static void shadowing_declarations_are_respected(void **state) {
  (void)state;
  const char *imp = "import {x, y} from 'm';";
  const struct { const char *body, *want; } cases[] = {
      {"function f(x) { x }", "function f(x) { x }"},
      {"function f({a: [x]}) { x } x", "function f({a: [x]}) { x } $eddyi.x"},
      {"function f(a = x, x) {}", "function f(a = x, x) {}"},
      {"(x) => x; x => x; async x => x; async (x, y) => x + y;",
       "(x) => x; x => x; async x => x; async (x, y) => x + y;"},
      {"({x}) => x; ([x = y]) => x; (...x) => x; (a = x) => y;",
       "({x}) => x; ([x = $eddyi.y]) => x; (...x) => x; (a = $eddyi.x) => $eddyi.y;"},
      {"{ let x; x } x", "{ let x; x } $eddyi.x"},
      {"{ x; let x; }", "{ x; let x; }"},
      {"{ class x {} x } x", "{ class x {} x } $eddyi.x"},
      {"{ function x() {} x } x", "{ function x() {} x } $eddyi.x"},
      {"try {} catch (x) { x } x", "try {} catch (x) { x } $eddyi.x"},
      {"try {} catch ({x}) { x }", "try {} catch ({x}) { x }"},
      {"for (let x of y) x; x", "for (let x of $eddyi.y) x; $eddyi.x"},
      {"for (const [x] = [1]; x;) x;", "for (const [x] = [1]; x;) x;"},
      {"function f() { x; { var x; } } x", "function f() { x; { var x; } } $eddyi.x"},
      {"function f() { return function x() { x } }", "function f() { return function x() { x } }"},
      {"let c = class x { m() { x } }; x", "let c = class x { m() { x } }; $eddyi.x"},
      {"function f() { g(); function x() {} x(); }", "function f() { g(); function x() {} x(); }"},
      {"function f(a = () => x) { var x; }", "function f(a = () => $eddyi.x) { var x; }"},
      {"switch (y) { case 1: let x; x; } x", "switch ($eddyi.y) { case 1: let x; x; } $eddyi.x"},
      {"(function (x) { return (y) => x + y; })", "(function (x) { return (y) => x + y; })"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char src[512], want[512];
    snprintf(src, sizeof src, "%s%s", imp, cases[i].body);
    snprintf(want, sizeof want, ";%*s%s", (int)strlen(imp) - 1, "", cases[i].want);
    expect_user(src, want);
  }
}

static void names_that_are_not_references_are_left_alone(void **state) {
  (void)state;
  expect_user("import {x} from 'm';o.x; o?.x; o = {x: 1, x() {}, get x() {}, [x]: 2, 'x': 3};\n"
              "class C { x = 1; x() {} static x; #x; get [x]() {} }\n"
              "x: for (;;) { break x; continue x; }\n"
              "import.meta.x;",
              ";                   o.x; o?.x; o = {x: 1, x() {}, get x() {}, [$eddyi.x]: 2, 'x': 3};\n"
              "class C { x = 1; x() {} static x; #x; get [$eddyi.x]() {} }\n"
              "x: for (;;) { break x; continue x; }\n"
              "$eddyh.meta.x;");
  /* Inside strings, templates' text, comments and regular expressions. */
  expect_user("import {x} from 'm';'x'; \"x\"; `x${x}x`; /x/; // x\n/* x */",
              ";                   'x'; \"x\"; `x${$eddyi.x}x`; /x/; // x\n/* x */");
}

static void an_import_after_its_uses_still_rewrites_them(void **state) {
  (void)state;
  expect_user("x(); function f() { return x; }\nimport {x} from 'm';",
              "0,(0,$eddyi.x)(); function f() { return $eddyi.x; }\n;                   ");
}

static void regular_expressions_and_division_are_told_apart(void **state) {
  (void)state;
  /* b is rewritten only where it is an identifier, not inside a regular expression. */
  const struct { const char *body, *want; } cases[] = {
      {"a / b / c", "a / $eddyi.b / c"},
      {"x = /b/g", "x = /b/g"},
      {"if (a) /b/.test(c)", "if (a) /b/.test(c)"},
      {"(a) / b / c", "(a) / $eddyi.b / c"},
      {"a[0] / b", "a[0] / $eddyi.b"},
      {"a++ / b", "a++ / $eddyi.b"},
      {"function f() {}\n/b/.test(c)", "function f() {}\n/b/.test(c)"},
      {"x = function () {} / b", "x = function () {} / $eddyi.b"},
      {"({}) / b", "({}) / $eddyi.b"},
      {"{}\n/b/", "{}\n/b/"},
      {"x = {} / b", "x = {} / $eddyi.b"},
      {"typeof /b/", "typeof /b/"},
      {"function* g() { yield /b/ }", "function* g() { yield /b/ }"},
      {"x = a\n/b/c", "x = a\n/$eddyi.b/c"},
      {"x = /[/]b/", "x = /[/]b/"},
      {"x = /\\/b/", "x = /\\/b/"},
      {"x = 1 /b/ 2", "x = 1 /$eddyi.b/ 2"},
      {"x = `${1}` / b", "x = `${1}` / $eddyi.b"},
      {"x = a /= b", "x = a /= $eddyi.b"},
      {"x = [/=b/]", "x = [/=b/]"},
      {"x = y => /b/", "x = y => /b/"},
      {"do /b/; while (0)", "do /b/; while (0)"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char src[256], want[256];
    snprintf(src, sizeof src, "import {b} from 'm';%s", cases[i].body);
    snprintf(want, sizeof want, ";%19s%s", "", cases[i].want);
    expect_user(src, want);
  }
}

static void template_literals_nest(void **state) {
  (void)state;
  expect_user("import {b} from 'm';x = `b${ `b${ {b}.b }b` }b${b}` + b",
              ";                   x = `b${ `b${ {b:$eddyi.b}.b }b` }b${$eddyi.b}` + $eddyi.b");
  expect_user("import {b} from 'm';x = `${ function () { return { b: `}${b}` } } }`",
              ";                   x = `${ function () { return { b: `}${$eddyi.b}` } } }`");
  expect_user("import {b} from 'm';x = b`a${b}c`", ";                   x = (0,$eddyi.b)`a${$eddyi.b}c`");
  expect_user("import {b} from 'm';x = `\\${b}\\`${b}`", ";                   x = `\\${b}\\`${$eddyi.b}`");
}

static void semicolons_are_inserted_where_the_grammar_says(void **state) {
  (void)state;
  expect_user("import {b} from 'm';function f() { return\nb }", ";                   function f() { return\n$eddyi.b }");
  expect_user("import {b} from 'm';a\n++b", ";                   a\n++$eddyi.b");
  expect_user("import {b} from 'm';let a = 1\nlet c = b\nb\n(1)", ";                   let a = 1\nlet c = $eddyi.b\n0,(0,$eddyi.b)\n(1)");
  expect_user("import {b} from 'm';x = () => {}\nb", ";                   x = () => {}\n$eddyi.b");
  expect_user("import {b} from 'm';do {} while (0) b", ";                   do {} while (0) $eddyi.b");
  expect_user("import {b} from 'm';class C { a = 1\n b = b\n get\n c() {} }",
              ";                   class C { a = 1\n b = $eddyi.b\n get\n c() {} }");
  result r = transform("a\nb c", EDDY__PARSE_MODULE);
  assert_int_equal(r.status, 1);
  assert_int_equal(r.line, 2);
  assert_int_equal(r.column, 3);
  result_free(&r);
}

/* Without semicolons, a statement may end only because the next one cannot continue it; the
   edits keep it so: blanked declarations start with ;, and a statement that a rewrite would make
   start with ( starts with 0, instead. */
static void rewrites_never_join_a_statement_to_the_one_before(void **state) {
  (void)state;
  expect_user("const a = 'a'\nimport {f} from 'm'\n(() => a)()",
              "const a = 'a'\n;                  \n(() => a)()");
  expect_user("var x = 1\nexport {x}\n[1].map(g)\nexport * from 'm'\n`t`",
              "var x = 1\n;         \n[1].map(g)\n;                \n`t`");
  expect_after("import {f} from 'm';", "x = 1\nf()\nf`t`\nif (x) f(); else f?.()",
               "x = 1\n0,(0,$eddyi.f)()\n0,(0,$eddyi.f)`t`\nif (x) 0,(0,$eddyi.f)(); else 0,(0,$eddyi.f)?.()");
  expect_user("x = 1\nawait y\nif (x) await y\nz = await y", "x = 1\n0,(yield y)\nif (x) 0,(yield y)\nz = (yield y)");
}

static void top_level_await_becomes_yield(void **state) {
  (void)state;
  expect_user("await a.b(c)[d] + 1", "0,(yield a.b(c)[d]) + 1");
  expect_user("x = await await y, z", "x = (yield (yield y)), z");
  expect_user("x = await\ny", "x = (yield(\ny))");
  expect_user("if (a) { for (;;) { try { await b } finally {} } }", "if (a) { for (;;) { try { 0,(yield b) } finally {} } }");
  expect_user("class C { [await a]() {} }", "class C { [(yield a)]() {} }");
  expect_user("import {x} from 'm'; await x()", ";                    0,(yield (0,$eddyi.x)())");
  expect_user("x = await (async () => await y)()", "x = (yield (async () => await y)())");
  expect_user("async function f() { await x; for await (const y of z); }",
              "async function f() { await x; for await (const y of z); }");
  expect_record("await 1", "\"requests\":[],\"imports\":[],\"exports\":[],\"reexports\":[],\"stars\":[],\"tla\":true}");
  expect_record("async function f() { await 1 } x = async () => { await 1 }",
                "\"requests\":[],\"imports\":[],\"exports\":[],\"reexports\":[],\"stars\":[],\"tla\":false}");
}

static void top_level_for_await_is_desugared(void **state) {
  (void)state;
  expect_user("for await (const x of y) f(x);",
              "{let $eddys0=$eddyh.fa(           y);try{while(yield $eddys0.next()){const x=$eddys0.value; f(x);}}"
              "catch($eddye0){$eddys0.fail($eddye0)}finally{yield $eddys0.close()}}");
  expect_user("for await (let {a, b} of y) { g(a, b) }",
              "{let $eddys0=$eddyh.fa(              y);try{while(yield $eddys0.next()){let {a, b}=$eddys0.value; { g(a, b) }}}"
              "catch($eddye0){$eddys0.fail($eddye0)}finally{yield $eddys0.close()}}");
  expect_user("for await (var v of y) ;\nfor await (o.p of z) h()\nk()",
              "{let $eddys0=$eddyh.fa(         y);try{while(yield $eddys0.next()){var v=$eddys0.value; ;}}"
              "catch($eddye0){$eddys0.fail($eddye0)}finally{yield $eddys0.close()}}\n"
              "{let $eddys1=$eddyh.fa(       z);try{while(yield $eddys1.next()){(o.p=$eddys1.value); h()}}"
              "catch($eddye1){$eddys1.fail($eddye1)}finally{yield $eddys1.close()}}\nk()");
  /* Imported names inside the moved head are rewritten where the head lands. */
  expect_user("import {x} from 'm';for await ({a = x} of x) ;",
              ";                   {let $eddys0=$eddyh.fa(           $eddyi.x);try{while(yield $eddys0.next())"
              "{({a = $eddyi.x}=$eddys0.value); ;}}catch($eddye0){$eddys0.fail($eddye0)}"
              "finally{yield $eddys0.close()}}");
  /* Labels of the loop move to the while that iterates, for continue and break. */
  expect_user("a: b: for await (x of y) continue a;",
              "      {let $eddys0=$eddyh.fa(     y);try{a:b:while(yield $eddys0.next()){(x=$eddys0.value); continue a;}}"
              "catch($eddye0){$eddys0.fail($eddye0)}finally{yield $eddys0.close()}}");
  expect_record("for await (const x of y);",
                "\"requests\":[],\"imports\":[],\"exports\":[],\"reexports\":[],\"stars\":[],\"tla\":true}");
}

static void dynamic_import_meta_and_arguments_go_through_the_holder(void **state) {
  (void)state;
  expect_user("import('./a.js').then(f); import.meta.url; x = import . meta;",
              "$eddyh.import('./a.js').then(f); $eddyh.meta.url; x = $eddyh . meta;");
  expect_user("arguments; () => arguments; o = {arguments}; function f() { arguments }",
              "$eddyh.arguments; () => $eddyh.arguments; o = {arguments:$eddyh.arguments}; function f() { arguments }");
  /* typeof of the unresolvable name is "undefined". */
  expect_user("x = typeof arguments, typeof (arguments), () => typeof arguments",
              "x = typeof void 0, typeof (void 0), () => typeof void 0");
}

static void hashbang_is_blanked(void **state) {
  (void)state;
  expect_user("#!/usr/bin/env eddy\nx", "                   \nx");
  expect_error("x\n#!/usr/bin/env eddy", 2, 1, "Unexpected token '#'");
}

static void line_breaks_inside_the_source_are_preserved(void **state) {
  (void)state;
  const char *src =
      "#!hash\r\n"
      "import {a,\n b} from 'm'\r\n"
      "import * as ns\u2028from 'n'\n"
      "export {\na\n}\n"
      "export default\nfunction\n() {}\n"
      "export * from\n'x'\n"
      "for await (const\nv of\nns.it\n)\nf(v)\n"
      "await\nb\n"
      "x = `a\nb${a\n}`\n"
      "/* c\u2029 */ import.meta\n";
  result r = module_ok(src);
  assert_int_equal(count_lines(r.user), count_lines(src));
  /* Lines of the user's code are where they were. */
  assert_non_null(strstr(r.user, "\nx = `a\nb${$eddyi.a\n}`\n"));
  result_free(&r);
}

static void the_prefix_avoids_identifiers_of_the_source(void **state) {
  (void)state;
  result r = module_ok("var $eddyhx = 1;");
  assert_true(!strncmp(r.code, "(function*($eddy1h,$eddy1i){\"use strict\";yield $eddy1env;", 55));
  assert_non_null(strstr(r.meta, "\"holder\":\"$eddy1h\",\"imports_object\":\"$eddy1i\",\"default_local\":\"$eddy1d\""));
  result_free(&r);
  r = module_ok("$eddy; $eddy1x; $eddy12; $eddy3; o.$eddy2; $eddy0");
  assert_non_null(strstr(r.meta, "\"holder\":\"$eddy4h\""));
  result_free(&r);
  /* Spelled with escapes, still the same name. */
  r = module_ok("\\u0024eddy = 1");
  assert_non_null(strstr(r.meta, "\"holder\":\"$eddy1h\""));
  result_free(&r);
  /* Strings and comments do not count. */
  r = module_ok("'$eddy' // $eddy");
  assert_non_null(strstr(r.meta, "\"holder\":\"$eddyh\""));
  result_free(&r);
}

static void script_goal_rewrites_only_dynamic_import(void **state) {
  (void)state;
  expect_script("import('./a.js'); x.import('b'); o = {import(c) {}}; class K { import() {} static import() {} }",
                "__eddy_import[3]('./a.js'); x.import('b'); o = {import(c) {}}; class K { import() {} static import() {} }");
  expect_script("'import(1)'; // import(2)\n/import(3)/; `import(4)${import(5)}`",
                "'import(1)'; // import(2)\n/import(3)/; `import(4)${__eddy_import[3](5)}`");
  /* Sloppy-mode code parses: with, let and yield and await as names, HTML comments, octal. */
  expect_script("with (o) { let = 1; yield = 2; await = 3; var static = 010; }\n<!-- c\n--> d\nimport(x)",
                "with (o) { let = 1; yield = 2; await = 3; var static = 010; }\n<!-- c\n--> d\n__eddy_import[3](x)");
  expect_script("let\nx = 1; let [a] = [import.meta]; if (a) function f() {}",
                "let\nx = 1; let [a] = [import.meta]; if (a) function f() {}");
  expect_script("", "");
}

static void meta_strings_are_escaped(void **state) {
  (void)state;
  expect_record("import a from 'q\"\\\\\\n\\t\\u0001\\u00e9\\ud83d\\ude00\\ud800'",
                "\"requests\":[{\"specifier\":\"q\\\"\\\\\\n\\t\\u0001\xc3\xa9\xf0\x9f\x98\x80\\ud800\",\"attributes\":[]}],"
                "\"imports\":[{\"request\":0,\"import\":\"default\",\"local\":\"a\"}],"
                "\"exports\":[],\"reexports\":[],\"stars\":[],\"tla\":false}");
  expect_record("import {\"\\u{1F600}\" as \\u00e9} from 'x\\\r\ny'",
                "\"requests\":[{\"specifier\":\"xy\",\"attributes\":[]}],"
                "\"imports\":[{\"request\":0,\"import\":\"\xf0\x9f\x98\x80\",\"local\":\"\xc3\xa9\"}],"
                "\"exports\":[],\"reexports\":[],\"stars\":[],\"tla\":false}");
}

static void identifiers_may_use_unicode_escapes_and_non_ascii(void **state) {
  (void)state;
  expect_user("import {\\u0078} from 'm';x; \\u{78}; o = {x}",
              ";                        $eddyi.x; $eddyi.\\u{78}; o = {x:$eddyi.x}");
  expect_after("import {\xc3\xa9t\xc3\xa9} from 'm';", "\xc3\xa9t\xc3\xa9()\xe2\x80\x83+ \xe3\x81\x82",
               "0,(0,$eddyi.\xc3\xa9t\xc3\xa9)()\xe2\x80\x83+ \xe3\x81\x82");
}

static void modern_syntax_parses(void **state) {
  (void)state;
  const char *src =
      "class A extends B { #p = 1; static #s; static { this.#s = 2 } get #g() { return #p in this }\n"
      "  static async *gen() { yield* [await 1] } 'str' = 1; 42 = 2; [k] = 3; static\n z\n"
      "  constructor(...a) { super(...a); new.target } accessor; get; set = 1; static async\n m() {} }\n"
      "const o = { get, set, async, get x() { return 1 }, set x(v) {}, async *m() {}, async() {}, 1: 2, ...r };\n"
      "let { a: aa = 1, b: { c: [d, , ...e] = [] } = {}, ...rest } = o;\n"
      "x = a ?? b; x ||= 1; x &&= 2; x ?\?= 3; x **= 2; x = (-a) ** 2; x = a?.b?.[c]?.(d) ?.5:1; x = a ?\?= b;\n"
      "x = 1_000n + 0x1_Fn + 0o7 + 0b1 + .5e-3 + 1e+5 + 1.e2 + 5..toString();\n"
      "label: { break label }\n"
      "x = async (a, {b} = {}, [c] = [], ...d) => { for await (const e of d); };\n"
      "x = function* () { yield; yield a; yield* b; const c = yield };\n"
      "x = { __proto__: null, if: 1, class: 2 }.if + a.if.class.new;\n"
      "try {} catch {} finally {}\n";
  result r = module_ok(src);
  assert_int_equal(count_lines(r.user), count_lines(src));
  result_free(&r);
}

/* ---- early errors ------------------------------------------------------------------------- */

static void module_early_errors_have_positions(void **state) {
  (void)state;
  expect_error("function f() {\n  import x from 'm'\n}", 2, 3, "import declarations may only appear at top level of a module");
  expect_error("if (a) export var x", 1, 8, "export declarations may only appear at top level of a module");
  expect_error("x;\nyield 1", 2, 1, "yield");
  expect_error("function f() { var yield }", 1, 20, "yield");
  expect_error("function f() { yield(1) }", 1, 16, "yield");
  expect_error("function* g(a = yield) {}", 1, 17, "yield");
  expect_error("return 1", 1, 1, "Return statements are only valid inside functions");
  expect_error("{ return }", 1, 3, "Return statements are only valid inside functions");
  expect_error("x = new.target", 1, 5, "new.target is only valid inside functions");
  expect_error("x = () => new.target", 1, 11, "new.target is only valid inside functions");
  expect_error("var await", 1, 5, "Cannot use 'await' as an identifier");
  expect_error("await: 1", 1, 1, "Cannot use 'await' as an identifier");
  expect_error("function f(await) {}", 1, 12, "await");
  expect_error("o = {await}", 1, 6, "Cannot use 'await' as an identifier");
  expect_error("function f() { await x }", 1, 16, "await is only valid in async functions");
  expect_error("x = () => await y", 1, 11, "await is only valid in async functions");
  expect_error("function f(a = await x) {}", 1, 16, "await");
  expect_error("async function f(a = await x) {}", 1, 22, "await");
  expect_error("class C { x = await y }", 1, 15, "class field initializer");
  expect_error("class C { static { await y } }", 1, 20, "static block");
  expect_error("async function f() { class C { x = await y } }", 1, 36, "class field initializer");
  expect_error("x = a <!-- b", 1, 7, "HTML comments are not allowed in modules");
  expect_error("x\n  --> b", 2, 3, "HTML comments are not allowed in modules");
  expect_error("var a, b; export {a as c, b as c}", 1, 32, "Cannot export a duplicate name 'c'.");
  expect_error("export var x; export function x() {}", 1, 31, "Cannot export a duplicate name 'x'.");
  expect_error("export * as m from 'a'; export {m} from 'b'", 1, 33, "Cannot export a duplicate name 'm'.");
  expect_error("export {nope}", 1, 9, "Exported binding 'nope' needs to refer to a top-level declared variable.");
  expect_error("{ var v; let l; } export {v, l}", 1, 30, "Exported binding 'l' needs to refer to a top-level declared variable.");
  expect_error("import {a} from 'x'\nimport {b as a} from 'y'", 2, 14, "Cannot declare an imported binding name twice: 'a'.");
  expect_error("import a, * as a from 'x'", 1, 16, "Cannot declare an imported binding name twice: 'a'.");
  expect_error("import {a} from 'x'; let a", 1, 26, "Cannot declare a let variable twice: 'a'.");
  expect_error("var a; import {a} from 'x'", 1, 16, "Cannot declare an imported binding name twice: 'a'.");
  expect_error("import {a} from 'x'; function a() {}", 1, 31, "shadows");
  expect_error("import {a} from 'x'; { var a }", 1, 28, "shadows");
  expect_error("function f() {} function f() {}", 1, 26, "shadows");
  expect_error("export default 1;\nexport default 2", 2, 8, "Only one 'default' export is allowed.");
  expect_error("var a; export {a as default}; export default function () {}", 1, 38, "Only one 'default' export is allowed.");
  expect_error("export {'a' as b}", 1, 9, "string");
  expect_error("var a; export {a as '\\uD800'}", 1, 21, "well-formed");
  expect_error("export * as '\\uDC00' from 'x'", 1, 13, "well-formed");
  expect_error("import {'\\uD800' as a} from 'x'", 1, 9, "well-formed");
  expect_error("import a from 'x' with {type: 'json', type: 'css'}", 1, 39, "Duplicate import attribute key 'type'");
  expect_error("import {if} from 'x'", 1, 9, "Unexpected keyword 'if'");
  expect_error("import {a as eval} from 'x'", 1, 14, "eval");
  expect_error("import a from 'x\\08'", 1, 17, "numeric escape");
  expect_error("delete x", 1, 1, "Cannot delete unqualified property 'x'");
  expect_error("class C { x = arguments }", 1, 15, "arguments");
  expect_error("function f() { for await (x of y); }", 1, 20, "for await");
  expect_error("let let = 1", 1, 5, "reserved word 'let'");
  expect_error("x = -a ** 2", 1, 8, "exponentiation");
  /* What the for await rewrite's block, or the (yield ...) of an await, would hide. */
  expect_error("for await (const a of b) let c = 1", 1, 26, "single-statement context");
  expect_error("if (a) function f() {}", 1, 8, "single-statement context");
  expect_error("L: class C {}", 1, 4, "single-statement context");
  expect_error("x = await (a) => a", 1, 11, "arrow function");
  expect_error("x = !a => a", 1, 6, "arrow function");
  expect_error("x = 1 + a => a", 1, 9, "arrow function");
}

static void unterminated_literals_and_comments_are_errors(void **state) {
  (void)state;
  for (int goal = 0; goal < 2; goal++) {
    expect_error_goal("x = 'abc", (eddy__parse_goal)goal, 1, 5, "Unterminated string literal");
    expect_error_goal("x = 'abc\ndef'", (eddy__parse_goal)goal, 1, 5, "Unterminated string literal");
    expect_error_goal("x = 1;\nx = `abc", (eddy__parse_goal)goal, 2, 5, "Unterminated template literal");
    expect_error_goal("x = `a${b}c", (eddy__parse_goal)goal, 1, 10, "Unterminated template literal");
    expect_error_goal("x = `a${b", (eddy__parse_goal)goal, 1, 10, "Unexpected end of script");
    expect_error_goal("/* abc", (eddy__parse_goal)goal, 1, 1, "Multiline comment was not closed properly");
    expect_error_goal("x = /abc", (eddy__parse_goal)goal, 1, 5, "Unterminated regular expression literal");
    expect_error_goal("x = /a[/]\n/", (eddy__parse_goal)goal, 1, 5, "Unterminated regular expression literal");
    expect_error_goal("x = 'a\\", (eddy__parse_goal)goal, 1, 5, "Unterminated string literal");
    expect_error_goal("f(a, b", (eddy__parse_goal)goal, 1, 7, "Unexpected end of script");
  }
}

static void columns_count_utf16_units(void **state) {
  (void)state;
  /* U+1F600 is two UTF-16 units; U+00E9 one. */
  expect_error("x = '\xf0\x9f\x98\x80\xc3\xa9'; return", 1, 12, "Return statements");
  expect_error("a\r\nb\rc\xe2\x80\xa8" "d\n\nreturn", 6, 1, "Return statements");
}

/* ---- robustness --------------------------------------------------------------------------- */

static void transform_units(const uint16_t *u, size_t n) {
  static const uint16_t name[] = {'I'};
  for (int goal = 0; goal < 2; goal++) {
    eddy__parse_result r;
    int st = eddy__module_parse(u, n, (eddy__parse_goal)goal, name, 1, &r);
    assert_true(st == 0 || st == 1);
    if (st == 0) assert_true(r.code != NULL || n == 0);
    else assert_non_null(r.error);
    eddy__parse_result_free(&r);
  }
}

static unsigned next_rand(unsigned *seed) {
  *seed = *seed * 1103515245u + 12345u;
  return (*seed >> 16) & 0x7FFF;
}

static void random_and_truncated_input_never_crashes(void **state) {
  (void)state;
  unsigned seed = 12345;
#define RND() next_rand(&seed)
  static const char alpha[] = "(){}[]`'\"/\\$ \n;,.=>*ax0#!?:-+<";
  uint16_t u[96];
  for (int it = 0; it < 20000; it++) {
    size_t n = RND() % 96;
    for (size_t i = 0; i < n; i++) {
      unsigned k = RND() % 10;
      u[i] = k < 7 ? (uint16_t)alpha[RND() % (sizeof alpha - 1)] : k < 9 ? (uint16_t)(RND() % 128)
                                                                          : (uint16_t)(RND() * 2 + 0xD000);
    }
    transform_units(u, n);
  }
  const char *sample =
      "#!x\nimport a, {b as c, 'd' as e} from './m.js' with {type: 'json'};\n"
      "export default async function* () { yield* await a`x${ {c} }y`; }\n"
      "export const {f, g: [h = /re[/]/g]} = await import('./n.js');\n"
      "for await (const [k, v] of c) label: { if (k / 2 > v) break label; }\n"
      "class K extends c { static #p = 1; static { new.target } m(x = () => arguments) {} }\n"
      "export * as ns from 'o'; export {f as \"z\"};\n";
  size_t n;
  uint16_t *s = to16(sample, strlen(sample), &n);
  for (size_t cut = 0; cut <= n; cut++) transform_units(s, cut);
  for (int it = 0; it < 5000; it++) {
    uint16_t *m = malloc(n * sizeof *m);
    assert_non_null(m);
    memcpy(m, s, n * sizeof *m);
    for (int k = 0; k < 3; k++) m[RND() % n] = (uint16_t)alpha[RND() % (sizeof alpha - 1)];
    transform_units(m, n);
    free(m);
  }
  free(s);
#undef RND
  /* NULL with a zero length is an empty module. */
  eddy__parse_result r;
  assert_int_equal(eddy__module_parse(NULL, 0, EDDY__PARSE_MODULE, NULL, 0, &r), 0);
  eddy__parse_result_free(&r);
  assert_int_equal(eddy__module_parse(NULL, 3, EDDY__PARSE_MODULE, NULL, 0, &r), EDDY_EINVAL);
  eddy__parse_result_free(&r);
  eddy__parse_result_free(NULL);
}

static void deep_nesting_is_an_error_not_a_crash(void **state) {
  (void)state;
  const char *units[] = {"(", "[", "{", "!", "a=", "`${", "function f(){", "a**", "x=>", "class A extends ",
                         "new ", "a?b:", "if(1)", "async()=>", "({a:", "-", "await ", "typeof ", "[...", "x?.[", "({a(){"};
  const size_t levels = 100000;
  for (size_t k = 0; k < sizeof units / sizeof *units; k++) {
    size_t ul = strlen(units[k]);
    char *src = malloc(ul * levels + 2);
    assert_non_null(src);
    for (size_t i = 0; i < levels; i++) memcpy(src + i * ul, units[k], ul);
    src[ul * levels] = 'x';
    src[ul * levels + 1] = '\0';
    for (int goal = 0; goal < 2; goal++) {
      if (goal == EDDY__PARSE_SCRIPT && !strcmp(units[k], "await ")) continue; /* a name there */
      result r = transform(src, (eddy__parse_goal)goal);
      assert_int_equal(r.status, 1);
      if (!strstr(r.error, "too deeply nested")) fail_msg("%s x %zu: %s", units[k], levels, r.error);
      result_free(&r);
    }
    free(src);
  }
  char *lets = malloc(levels + 8);
  assert_non_null(lets);
  memcpy(lets, "let ", 4);
  memset(lets + 4, '[', levels);
  lets[levels + 4] = '\0';
  result lr = transform(lets, EDDY__PARSE_MODULE);
  assert_int_equal(lr.status, 1);
  assert_non_null(strstr(lr.error, "too deeply nested"));
  result_free(&lr);
  free(lets);
  /* 900 levels are fine. */
  char *src = malloc(2000);
  assert_non_null(src);
  memset(src, '(', 900);
  src[900] = 'x';
  memset(src + 901, ')', 900);
  src[1801] = '\0';
  result r = module_ok(src);
  result_free(&r);
  free(src);
}

/* ---- throughput --------------------------------------------------------------------------- */

static double transform_ms(const uint16_t *u, size_t n, int *status) {
  struct timespec a, b;
  eddy__parse_result r;
  clock_gettime(CLOCK_MONOTONIC, &a);
  *status = eddy__module_parse(u, n, EDDY__PARSE_MODULE, NULL, 0, &r);
  clock_gettime(CLOCK_MONOTONIC, &b);
  eddy__parse_result_free(&r);
  return (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
}

static void five_megabytes_transform_quickly(void **state) {
  (void)state;
  static const char chunk[] =
      "{ function render(items, opts = {}) {\n"
      "  const { limit = 10, filter = (x) => x != null } = opts;\n"
      "  let out = [], i = 0;\n"
      "  for (const item of items) {\n"
      "    if (!filter(item) || i++ >= limit) continue;\n"
      "    out.push(`<li class=\"${item.kind}\">${escape(item.name)} (${item.count / 2 | 0})</li>`);\n"
      "  }\n"
      "  return out.join('\\n').replace(/\\s+$/g, '') + \"\\u2026\";\n"
      "}\n"
      "class Store extends Base {\n"
      "  #items = new Map(); static version = 3;\n"
      "  get size() { return this.#items.size; }\n"
      "  async load(url) { const r = await fetch(url); for (const [k, v] of Object.entries(await r.json())) this.#items.set(k, v); }\n"
      "}\n"
      "exportsTable[\"render\"] = render; /* a comment with words in it */ // and another\n}\n";
  size_t reps = 5 * 1000 * 1000 / (sizeof chunk - 1) + 1;
  char *src = malloc(reps * (sizeof chunk - 1) + 128);
  assert_non_null(src);
  size_t off = 0;
  for (size_t i = 0; i < reps; i++, off += sizeof chunk - 1) memcpy(src + off, chunk, sizeof chunk - 1);
  src[off] = '\0';
  size_t n;
  uint16_t *u = to16(src, off, &n);
  int st;
  double best = 1e9;
  for (int i = 0; i < 3; i++) {
    double ms = transform_ms(u, n, &st);
    assert_int_equal(st, 0);
    if (ms < best) best = ms;
  }
  print_message("module_parse: %.1f MB in %.1f ms: %.0f MB/s (no imports)\n", (double)off / 1e6, best,
                (double)off / 1e3 / best);
  free(u);
  /* The same code importing the names it uses. */
  static const char imp[] = "import {escape, Base, fetch, exportsTable, render as r0} from './x.js';\n";
  char *src2 = malloc(off + sizeof imp);
  assert_non_null(src2);
  memcpy(src2, imp, sizeof imp - 1);
  memcpy(src2 + sizeof imp - 1, src, off + 1);
  u = to16(src2, off + sizeof imp - 1, &n);
  free(src2);
  best = 1e9;
  for (int i = 0; i < 3; i++) {
    double ms = transform_ms(u, n, &st);
    assert_int_equal(st, 0);
    if (ms < best) best = ms;
  }
  print_message("module_parse: %.1f MB in %.1f ms: %.0f MB/s (with imports)\n", (double)off / 1e6, best,
                (double)off / 1e3 / best);
  free(u);
  free(src);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_import_form_is_recorded),
      cmocka_unit_test(import_attributes_are_sorted_and_requests_deduplicated),
      cmocka_unit_test(every_export_form_is_recorded),
      cmocka_unit_test(env_has_a_getter_per_exported_local),
      cmocka_unit_test(import_and_export_lists_are_blanked),
      cmocka_unit_test(export_keyword_before_declarations_is_blanked),
      cmocka_unit_test(export_default_forms),
      cmocka_unit_test(imported_references_are_rewritten),
      cmocka_unit_test(shadowing_declarations_are_respected),
      cmocka_unit_test(names_that_are_not_references_are_left_alone),
      cmocka_unit_test(an_import_after_its_uses_still_rewrites_them),
      cmocka_unit_test(regular_expressions_and_division_are_told_apart),
      cmocka_unit_test(template_literals_nest),
      cmocka_unit_test(semicolons_are_inserted_where_the_grammar_says),
      cmocka_unit_test(rewrites_never_join_a_statement_to_the_one_before),
      cmocka_unit_test(top_level_await_becomes_yield),
      cmocka_unit_test(top_level_for_await_is_desugared),
      cmocka_unit_test(dynamic_import_meta_and_arguments_go_through_the_holder),
      cmocka_unit_test(hashbang_is_blanked),
      cmocka_unit_test(line_breaks_inside_the_source_are_preserved),
      cmocka_unit_test(the_prefix_avoids_identifiers_of_the_source),
      cmocka_unit_test(script_goal_rewrites_only_dynamic_import),
      cmocka_unit_test(meta_strings_are_escaped),
      cmocka_unit_test(identifiers_may_use_unicode_escapes_and_non_ascii),
      cmocka_unit_test(modern_syntax_parses),
      cmocka_unit_test(module_early_errors_have_positions),
      cmocka_unit_test(unterminated_literals_and_comments_are_errors),
      cmocka_unit_test(columns_count_utf16_units),
      cmocka_unit_test(random_and_truncated_input_never_crashes),
      cmocka_unit_test(deep_nesting_is_an_error_not_a_crash),
      cmocka_unit_test(five_megabytes_transform_quickly),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
