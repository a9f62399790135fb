/* The host-value conversion (src/convert.c) of the values JSON has no form for: a Map arrives
   as an array of [key, value] arrays, a Set as an array of its values, a RegExp as its
   "/source/flags" text, a Boolean, Number, String or BigInt object as its primitive. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* The JSON text of what src evaluates to. */
static char *eval_json(eddy_engine *e, const char *src) {
  eddy_value *v = tu_eval(e, src);
  char *json = NULL;
  assert_int_equal(eddy_value_to_json(v, &json, NULL), 0);
  eddy_value_free(v);
  return json;
}

static void assert_json(eddy_engine *e, const char *src, const char *want) {
  char *json = eval_json(e, src);
  if (strcmp(json, want) != 0) fail_msg("`%s`: got %s, want %s", src, json, want);
  eddy_free(json);
}

static void a_map_is_an_array_of_entries_in_order(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(0);
  assert_json(e, "new Map([['b', 1], [2, { x: true }], [null, [3]]])",
              "[[\"b\",1],[2,{\"x\":true}],[null,[3]]]");
  assert_json(e, "new Map()", "[]");
  eddy_engine_free(e);
}

static void a_set_is_an_array_of_its_values(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(0);
  assert_json(e, "new Set([3, 'two', [1], 3])", "[3,\"two\",[1]]");
  assert_json(e, "({ s: new Set([new Map([[1, new Set()]])]) })", "{\"s\":[[[1,[]]]]}");
  eddy_engine_free(e);
}

static void a_regexp_is_its_source_and_flags(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(0);
  eddy_value *v = tu_eval(e, "/a+\\/b/gi");
  assert_int_equal(eddy_value_type(v), EDDY_TYPE_STRING);
  assert_string_equal(eddy_value_string(v, NULL), "/a+\\/b/gi");
  eddy_value_free(v);
  /* The text of [[OriginalSource]] and [[OriginalFlags]], not of overridable properties. */
  assert_json(e, "const r = /x/y; Object.defineProperty(r, 'source', { value: 'no' });"
                 "Object.defineProperty(RegExp.prototype, 'flags', { get() { throw 1; } }); [r]",
              "[\"/x/y\"]");
  eddy_engine_free(e);
}

static void wrapper_objects_are_their_primitives(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(0);
  eddy_value *v = tu_eval(e, "[new Number(2.5), new String('ab'), new Boolean(false), Object(5n)]");
  assert_int_equal(eddy_value_length(v), 4);
  assert_int_equal(eddy_value_type(eddy_value_at(v, 0)), EDDY_TYPE_NUMBER);
  assert_true(eddy_value_number(eddy_value_at(v, 0)) == 2.5);
  assert_string_equal(eddy_value_string(eddy_value_at(v, 1), NULL), "ab");
  assert_int_equal(eddy_value_type(eddy_value_at(v, 2)), EDDY_TYPE_BOOLEAN);
  assert_int_equal(eddy_value_bool(eddy_value_at(v, 2)), 0);
  assert_int_equal(eddy_value_type(eddy_value_at(v, 3)), EDDY_TYPE_BIGINT);
  assert_string_equal(eddy_value_string(eddy_value_at(v, 3), NULL), "5");
  eddy_value_free(v);
  eddy_engine_free(e);
}

static void subclasses_convert_and_shared_ones_stay_shared(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(0);
  assert_json(e, "class M extends Map {}; const m = new M([[1, 2]]); [m, { m }]",
              "[[[1,2]],{\"m\":[[1,2]]}]");
  eddy_value *v = tu_eval(e, "const s = new Set([1]); [s, s]");
  assert_ptr_equal(eddy_value_at(v, 0), eddy_value_at(v, 1));
  eddy_value_free(v);
  eddy_engine_free(e);
}

static void impostors_and_class_instances_stay_objects(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(0);
  assert_json(e, "const o = Object.create(Map.prototype); o.x = 1; o", "{\"x\":1}");
  assert_json(e, "new (class A { constructor() { this.y = 2; } })()", "{\"y\":2}");
  assert_json(e, "Object.setPrototypeOf(new Map([[1, 2]]), null)", "{}");
  eddy_engine_free(e);
}

static void replaced_methods_are_not_called(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(0);
  /* The intrinsics are taken when a first Map, Set or RegExp converts. */
  assert_json(e, "new Map([[0, 1]])", "[[0,1]]");
  assert_json(e, "Map.prototype.forEach = Set.prototype.forEach = Array.prototype.push = () => {"
                 " throw new Error('called'); };"
                 "Map.prototype[Symbol.iterator] = null;"
                 "[new Map([[1, 2]]), new Set([3])]",
              "[[[1,2]],[3]]");
  eddy_engine_free(e);
}

static void a_map_that_holds_itself_is_a_cycle_error(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(0);
  eddy_value *v = NULL;
  const char *src = "const m = new Map(); m.set('me', m); m";
  TU_ASSERT_STATUS(EDDY_EEXCEPTION, eddy_eval(e, src, strlen(src), "t.js", &v));
  assert_string_equal(eddy_value_error_name(v), "TypeError");
  assert_non_null(strstr(eddy_value_error_message(v), "cyclic"));
  eddy_value_free(v);
  eddy_engine_free(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(a_map_is_an_array_of_entries_in_order),
      cmocka_unit_test(a_set_is_an_array_of_its_values),
      cmocka_unit_test(a_regexp_is_its_source_and_flags),
      cmocka_unit_test(wrapper_objects_are_their_primitives),
      cmocka_unit_test(subclasses_convert_and_shared_ones_stay_shared),
      cmocka_unit_test(impostors_and_class_instances_stay_objects),
      cmocka_unit_test(replaced_methods_are_not_called),
      cmocka_unit_test(a_map_that_holds_itself_is_a_cycle_error),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
