#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static void strerror_names_every_status(void **state) {
  (void)state;
  assert_string_equal(eddy_strerror(EDDY_OK), "success");
  assert_string_equal(eddy_err_name(EDDY_EINVAL), "EDDY_EINVAL");
  assert_string_equal(eddy_err_name(EDDY_ECLOSED), "EDDY_ECLOSED");
  assert_string_equal(eddy_strerror(-9999), "unknown status");
  for (int s = 0; s > EDDY__ERR_LAST; s--) assert_string_not_equal(eddy_err_name(s), "EDDY_UNKNOWN");
}

static void version_matches_header(void **state) {
  (void)state;
  assert_string_equal(eddy_version(), EDDY_VERSION_STRING);
  assert_int_equal(eddy_version_number(), EDDY_VERSION_NUMBER);
}

static void build_and_read_a_tree(void **state) {
  (void)state;
  eddy_value *o = eddy_value_new_object();
  assert_int_equal(eddy_value_set(o, "n", eddy_value_new_number(1.5)), 0);
  assert_int_equal(eddy_value_set(o, "s", eddy_value_new_string("a\0b", 3)), 0);
  eddy_value *arr = eddy_value_new_array();
  eddy_value_push(arr, eddy_value_new_bool(1));
  eddy_value_push(arr, eddy_value_new_null());
  eddy_value_set(o, "a", arr);
  eddy_value_set(o, "n", eddy_value_new_number(2)); /* replaces in place */
  assert_int_equal(eddy_value_length(o), 3);
  assert_string_equal(eddy_value_key(o, 0, NULL), "n");
  assert_true(eddy_value_number(eddy_value_get(o, "n")) == 2);
  size_t len;
  const char *s = eddy_value_string(eddy_value_get(o, "s"), &len);
  assert_int_equal(len, 3);
  assert_memory_equal(s, "a\0b", 3);
  assert_int_equal(eddy_value_type(eddy_value_at(eddy_value_get(o, "a"), 1)), EDDY_TYPE_NULL);
  assert_null(eddy_value_at(arr, 2));
  eddy_value *copy = eddy_value_copy(o);
  eddy_value_free(o);
  char *json;
  assert_int_equal(eddy_value_to_json(copy, &json, NULL), 0);
  assert_string_equal(json, "{\"n\":2,\"s\":\"a\\u0000b\",\"a\":[true,null]}");
  eddy_free(json);
  eddy_value_free(copy);
}

static void push_to_non_array_is_einval_and_frees(void **state) {
  (void)state;
  eddy_value *o = eddy_value_new_object();
  TU_ASSERT_STATUS(EDDY_EINVAL, eddy_value_push(o, eddy_value_new_number(1)));
  TU_ASSERT_STATUS(EDDY_EINVAL, eddy_value_set(NULL, "x", eddy_value_new_number(1)));
  eddy_value_free(o);
  eddy_value_free(NULL);
  assert_int_equal(eddy_value_type(NULL), EDDY_TYPE_UNDEFINED);
  assert_true(isnan(eddy_value_number(NULL)));
  assert_null(eddy_value_string(NULL, NULL));
}

static void invalid_utf8_becomes_replacement_character(void **state) {
  (void)state;
  eddy_value *v = eddy_value_new_string("a\xff" "b\xe2\x82", 5);
  assert_string_equal(eddy_value_string(v, NULL), "a\xef\xbf\xbd" "b\xef\xbf\xbd");
  eddy_value_free(v);
}

static void json_round_trip_and_errors(void **state) {
  (void)state;
  const char *src = "{\"a\":[1,2.5,-3e2,true,false,null],\"b\":\"\\u00e9\\ud83d\\ude00\\n\",\"c\":{}}";
  eddy_value *v = NULL;
  assert_int_equal(eddy_value_from_json(src, strlen(src), &v, NULL), 0);
  assert_string_equal(eddy_value_string(eddy_value_get(v, "b"), NULL), "\xc3\xa9\xf0\x9f\x98\x80\n");
  char *out;
  assert_int_equal(eddy_value_to_json(v, &out, NULL), 0);
  assert_string_equal(out, "{\"a\":[1,2.5,-300,true,false,null],\"b\":\"\xc3\xa9\xf0\x9f\x98\x80\\n\",\"c\":{}}");
  eddy_free(out);
  eddy_value_free(v);
  const char *bad[] = {"", "{", "[1,]", "{\"a\" 1}", "01", "\"\\x\"", "tru", "[1] x", "\"a\nb\""};
  size_t offsets[] = {0, 1, 3, 5, 1, 3, 0, 4, 2};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    size_t off = 999;
    v = (eddy_value *)1;
    TU_ASSERT_STATUS(EDDY_EINVAL, eddy_value_from_json(bad[i], strlen(bad[i]), &v, &off));
    assert_null(v);
    if (off != offsets[i]) fail_msg("`%s`: offset %zu, expected %zu", bad[i], off, offsets[i]);
  }
}

static void json_rejects_excessive_depth(void **state) {
  (void)state;
  size_t n = 5000;
  char *deep = malloc(2 * n);
  memset(deep, '[', n);
  memset(deep + n, ']', n);
  eddy_value *v = NULL;
  TU_ASSERT_STATUS(EDDY_EINVAL, eddy_value_from_json(deep, 2 * n, &v, NULL));
  free(deep);
}

static void bigint_constructor_validates(void **state) {
  (void)state;
  eddy_value *v = eddy_value_new_bigint("-123456789012345678901234567890");
  assert_int_equal(eddy_value_type(v), EDDY_TYPE_BIGINT);
  eddy_value_free(v);
  assert_null(eddy_value_new_bigint("12a"));
  assert_null(eddy_value_new_bigint("-"));
  assert_null(eddy_value_new_bigint(NULL));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(strerror_names_every_status),
      cmocka_unit_test(version_matches_header),
      cmocka_unit_test(build_and_read_a_tree),
      cmocka_unit_test(push_to_non_array_is_einval_and_frees),
      cmocka_unit_test(invalid_utf8_becomes_replacement_character),
      cmocka_unit_test(json_round_trip_and_errors),
      cmocka_unit_test(json_rejects_excessive_depth),
      cmocka_unit_test(bigint_constructor_validates),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
