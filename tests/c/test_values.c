#include <math.h>
#include <stdio.h>
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
  TU_ASSERT_STATUS(EDDY_ERANGE, eddy_value_from_json(deep, 2 * n, &v, NULL));
  free(deep);
}

/* eddy_value_new_string replaces invalid UTF-8 in one pass over the bytes; JS decodes through
   UTF-16. Both must give the same string for any input (the WHATWG "maximal subpart" rule). */
static void invalid_utf8_is_replaced_as_js_decodes_it(void **state) {
  (void)state;
  static const char *const cases[][2] = {
      {"\xF0\x9F\x98", "\xEF\xBF\xBD"},                                 /* truncated 4-byte */
      {"\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},         /* a surrogate */
      {"\xC0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD"},                           /* overlong NUL */
      {"\xF4\x90\x80\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"}, /* > U+10FFFF */
      {"a\xE2\x82\xAC" "b\xE2\x82", "a\xE2\x82\xAC" "b\xEF\xBF\xBD"},
      {"\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    eddy_value *v = eddy_value_new_string(cases[i][0], strlen(cases[i][0]));
    assert_string_equal(eddy_value_string(v, NULL), cases[i][1]);
    eddy_value_free(v);
  }
  /* Random bytes, compared with what TextDecoder makes of them. */
  eddy_engine *e = tu_engine(0);
  uint32_t seed = 12345;
  char src[4096];
  for (int round = 0; round < 200; round++) {
    unsigned char bytes[24];
    size_t n = 1 + round % 24;
    for (size_t i = 0; i < n; i++) {
      seed = seed * 1103515245u + 12345u;
      unsigned r = seed >> 16;
      /* Mostly the bytes that make or break sequences. */
      static const unsigned char pick[] = {0x41, 0x80, 0xBF, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0,
                                           0xF4, 0xF5, 0xA0, 0x9F, 0x90, 0x8F, 0xC0, 0xFF};
      bytes[i] = r % 3 ? pick[r % sizeof pick] : (unsigned char)r;
    }
    size_t k = (size_t)snprintf(src, sizeof src, "new TextDecoder().decode(new Uint8Array([");
    for (size_t i = 0; i < n; i++) k += (size_t)snprintf(src + k, sizeof src - k, "%s%u", i ? "," : "", bytes[i]);
    snprintf(src + k, sizeof src - k, "]))");
    char *js = tu_eval_string(e, src);
    eddy_value *v = eddy_value_new_string((const char *)bytes, n);
    if (strcmp(js, eddy_value_string(v, NULL))) fail_msg("%s: JS and the value differ", src);
    eddy_value_free(v);
    free(js);
  }
  eddy_engine_free(e);
}

/* Nested `levels` arrays around a 1 (built by pushing, as a host would). */
static eddy_value *nested_arrays(size_t levels) {
  eddy_value *v = eddy_value_new_number(1);
  for (size_t i = 0; i < levels; i++) {
    eddy_value *a = eddy_value_new_array();
    assert_int_equal(eddy_value_push(a, v), 0);
    v = a;
  }
  return v;
}

/* Every walk over a value is iterative: a million levels cost no C stack (this crashed with a
   stack overflow in eddy_value_free and eddy_value_copy). */
static void a_million_levels_copy_and_free(void **state) {
  (void)state;
  eddy_value *v = nested_arrays(1000000);
  eddy_value *c = eddy_value_copy(v);
  assert_non_null(c);
  const eddy_value *p = c;
  size_t depth = 0;
  while (eddy_value_type(p) == EDDY_TYPE_ARRAY) {
    p = eddy_value_at(p, 0);
    depth++;
  }
  assert_int_equal(depth, 1000000);
  assert_true(eddy_value_number(p) == 1);
  char *json = (char *)1;
  TU_ASSERT_STATUS(EDDY_ERANGE, eddy_value_to_json(c, &json, NULL));
  assert_null(json);
  eddy_value_free(v);
  eddy_value_free(c);
}

/* One nesting limit (1000 arrays, objects or errors) and one status (EDDY_ERANGE) for JSON in
   and out; the same limit holds for JS <-> host (test_bridge.c). */
static void json_nesting_limit_is_1000_both_ways(void **state) {
  (void)state;
  size_t n = 1001;
  char *text = malloc(2 * n + 1);
  memset(text, '[', n);
  memset(text + n, ']', n);
  eddy_value *v = NULL;
  size_t off = 0;
  TU_ASSERT_STATUS(EDDY_ERANGE, eddy_value_from_json(text, 2 * n, &v, &off));
  assert_null(v);
  assert_int_equal(off, 1000); /* the bracket that opens level 1001 */
  TU_ASSERT_STATUS(EDDY_OK, eddy_value_from_json(text + 1, 2 * n - 2, &v, NULL));
  char *out = NULL;
  size_t len = 0;
  TU_ASSERT_STATUS(EDDY_OK, eddy_value_to_json(v, &out, &len));
  assert_int_equal(len, 2000);
  eddy_free(out);
  eddy_value_free(v);
  v = nested_arrays(1001);
  TU_ASSERT_STATUS(EDDY_ERANGE, eddy_value_to_json(v, &out, NULL));
  eddy_value_free(v);
  free(text);
  /* An object counts like an array. */
  char *obj = malloc(8 * 1001 + 1);
  size_t k = 0;
  for (size_t i = 0; i < 1001; i++) k += (size_t)sprintf(obj + k, "{\"a\":");
  k += (size_t)sprintf(obj + k, "1");
  for (size_t i = 0; i < 1001; i++) obj[k++] = '}';
  TU_ASSERT_STATUS(EDDY_ERANGE, eddy_value_from_json(obj, k, &v, NULL));
  TU_ASSERT_STATUS(EDDY_OK, eddy_value_from_json(obj + 5, k - 6, &v, NULL));
  eddy_value_free(v);
  free(obj);
}

/* Duplicate keys are found through a hash for large objects: 200000 keys used to take 2e10 key
   comparisons. */
static void large_json_objects_parse_in_linear_time(void **state) {
  (void)state;
  size_t n = 200000;
  char *text = malloc(n * 24 + 16);
  size_t k = 0;
  text[k++] = '{';
  for (size_t i = 0; i < n; i++) k += (size_t)sprintf(text + k, "%s\"key%zu\":%zu", i ? "," : "", i, i);
  k += (size_t)sprintf(text + k, ",\"key7\":\"last\"}"); /* a duplicate: first place, last value */
  uint64_t t0 = tu_now_ms();
  eddy_value *v = NULL;
  TU_ASSERT_STATUS(EDDY_OK, eddy_value_from_json(text, k, &v, NULL));
  uint64_t ms = tu_now_ms() - t0;
  if (ms > 5000) fail_msg("parsing %zu keys took %llu ms", n, (unsigned long long)ms);
  assert_int_equal(eddy_value_length(v), n);
  assert_string_equal(eddy_value_key(v, 7, NULL), "key7");
  assert_string_equal(eddy_value_string(eddy_value_at(v, 7), NULL), "last");
  assert_true(eddy_value_number(eddy_value_get(v, "key199999")) == 199999);
  eddy_value_free(v);
  free(text);
}

static void default_max_response_body_is_1_gib(void **state) {
  (void)state;
  eddy_options o;
  eddy_options_init(&o, sizeof o);
  assert_true(o.max_response_body == (uint64_t)1 << 30);
}

/* Found by tests/fuzz/fuzz_value.c: a key with invalid UTF-8 was kept raw, so to_json wrote
   invalid UTF-8 and the CBOR round trip changed the key. */
static void invalid_utf8_in_keys_becomes_replacement_character(void **state) {
  (void)state;
  const char json[] = "{\"a\x97\":1,\"a\xef\xbf\xbd\":2}";
  eddy_value *v = NULL;
  assert_int_equal(eddy_value_from_json(json, sizeof json - 1, &v, NULL), EDDY_OK);
  assert_int_equal(eddy_value_length(v), 1); /* one key once decoded: the later value wins */
  assert_string_equal(eddy_value_key(v, 0, NULL), "a\xef\xbf\xbd");
  assert_true(eddy_value_number(eddy_value_at(v, 0)) == 2);
  char *out = NULL;
  assert_int_equal(eddy_value_to_json(v, &out, NULL), EDDY_OK);
  assert_string_equal(out, "{\"a\xef\xbf\xbd\":2}");
  eddy_free(out);
  eddy_value_free(v);

  v = eddy_value_new_object();
  assert_int_equal(eddy_value_set(v, "\xff", eddy_value_new_null()), EDDY_OK);
  assert_string_equal(eddy_value_key(v, 0, NULL), "\xef\xbf\xbd");
  eddy_value_free(v);
}

/* Found by tests/fuzz/fuzz_value.c: a CBOR date of 1.6e19 s overflowed time_t in to_json. Dates
   write as Date.prototype.toISOString and JSON.stringify do. */
static void dates_outside_the_time_range_are_null_in_json(void **state) {
  (void)state;
  static const struct {
    double ms;
    const char *json;
  } cases[] = {
      {1.6e22, "[null]"},
      {-1.6e22, "[null]"},
      {8.64e15 + 1, "[null]"},
      {8.64e15, "[\"+275760-09-13T00:00:00.000Z\"]"},
      {253402300800000.0, "[\"+010000-01-01T00:00:00.000Z\"]"},
      {-62198755200000.0, "[\"-000001-01-01T00:00:00.000Z\"]"},
      {-1, "[\"1969-12-31T23:59:59.999Z\"]"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    eddy_value *a = eddy_value_new_array();
    assert_int_equal(eddy_value_push(a, eddy_value_new_date(cases[i].ms)), EDDY_OK);
    char *out = NULL;
    assert_int_equal(eddy_value_to_json(a, &out, NULL), EDDY_OK);
    assert_string_equal(out, cases[i].json);
    eddy_free(out);
    eddy_value_free(a);
  }
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
      cmocka_unit_test(invalid_utf8_in_keys_becomes_replacement_character),
      cmocka_unit_test(dates_outside_the_time_range_are_null_in_json),
      cmocka_unit_test(json_round_trip_and_errors),
      cmocka_unit_test(json_rejects_excessive_depth),
      cmocka_unit_test(bigint_constructor_validates),
      cmocka_unit_test(invalid_utf8_is_replaced_as_js_decodes_it),
      cmocka_unit_test(a_million_levels_copy_and_free),
      cmocka_unit_test(json_nesting_limit_is_1000_both_ways),
      cmocka_unit_test(large_json_objects_parse_in_linear_time),
      cmocka_unit_test(default_max_response_body_is_1_gib),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
