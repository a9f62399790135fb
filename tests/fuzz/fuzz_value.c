/* libFuzzer target: the value layer. The first byte picks the decoder (JSON or CBOR) and whether
   the value also crosses into JS and back; the rest is the input. What must hold:
   - a decoded value re-encodes, and the encoding decodes again to the same encoding (JSON and
     CBOR both settle after one round: U+FFFD for bad UTF-8, shortest floats, tag 1 dates);
   - to_json's output is always valid JSON; a copy encodes as the original does;
   - JSON → value → CBOR → value → JSON is the value's own JSON;
   - the JS round trip (eddy_set, then eddy_eval of the global) settles after one round too.
   Statuses other than success are fine (EDDY_EINVAL, EDDY_ERANGE); crashes, leaks, sanitizer
   reports and broken invariants are findings (tests/fuzz/run.sh, docs/testing.md). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eddy.h"

#define CHECK(cond, what)                                                                      \
  do {                                                                                         \
    if (!(cond)) {                                                                             \
      fprintf(stderr, "fuzz_value: %s (%s:%d)\n", what, __FILE__, __LINE__);                   \
      abort();                                                                                 \
    }                                                                                          \
  } while (0)

static eddy_engine *engine;

static char *json_of(const eddy_value *v, size_t *len) {
  char *out = NULL;
  if (eddy_value_to_json(v, &out, len)) return NULL;
  return out;
}

static uint8_t *cbor_of(const eddy_value *v, size_t *len) {
  uint8_t *out = NULL;
  if (eddy_value_to_cbor(v, &out, len)) return NULL;
  return out;
}

static int same(const void *a, size_t alen, const void *b, size_t blen) {
  return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

/* The value's JSON, if it has one, is valid JSON, stable, and the same through CBOR. */
static void check_json(const eddy_value *v) {
  size_t j1_len;
  char *j1 = json_of(v, &j1_len);
  if (!j1) return; /* too deep, or too long: EDDY_ERANGE */
  CHECK(strlen(j1) == j1_len, "to_json's length");
  eddy_value *back = NULL;
  size_t off = 0;
  int rc = eddy_value_from_json(j1, j1_len, &back, &off);
  CHECK(rc == EDDY_OK, "to_json's output does not parse");
  size_t j2_len;
  char *j2 = json_of(back, &j2_len);
  CHECK(j2 && same(j1, j1_len, j2, j2_len), "JSON is not stable after one round");
  eddy_free(j2);

  size_t c_len;
  uint8_t *c = cbor_of(back, &c_len);
  CHECK(c, "a value from JSON has no CBOR");
  eddy_value *via = NULL;
  CHECK(eddy_value_from_cbor(c, c_len, &via, NULL) == EDDY_OK, "to_cbor's output does not decode");
  char *j3 = json_of(via, &j2_len);
  CHECK(j3 && same(j1, j1_len, j3, j2_len), "JSON -> CBOR -> JSON differs");
  eddy_free(j3);
  eddy_value_free(via);
  eddy_free(c);
  eddy_value_free(back);
  eddy_free(j1);
}

/* CBOR of a decoded value decodes, and settles after one round. */
static void check_cbor(const eddy_value *v) {
  size_t c1_len;
  uint8_t *c1 = cbor_of(v, &c1_len);
  if (!c1) return;
  eddy_value *back = NULL;
  size_t off = 0;
  CHECK(eddy_value_from_cbor(c1, c1_len, &back, &off) == EDDY_OK, "to_cbor's output does not decode");
  size_t c2_len;
  uint8_t *c2 = cbor_of(back, &c2_len);
  CHECK(c2, "a decoded value does not encode again");
  /* c1 came from the input, which may hold what the first round normalises; from c1 on it is
     a fixed point. */
  eddy_value *again = NULL;
  CHECK(eddy_value_from_cbor(c2, c2_len, &again, NULL) == EDDY_OK, "second round does not decode");
  size_t c3_len;
  uint8_t *c3 = cbor_of(again, &c3_len);
  CHECK(c3 && same(c2, c2_len, c3, c3_len), "CBOR is not stable after one round");
  eddy_free(c3);
  eddy_value_free(again);
  eddy_free(c2);
  eddy_value_free(back);
  eddy_free(c1);

  eddy_value *copy = eddy_value_copy(v);
  CHECK(copy, "eddy_value_copy failed");
  size_t a_len, b_len;
  uint8_t *a = cbor_of(v, &a_len), *b = cbor_of(copy, &b_len);
  CHECK(a && b && same(a, a_len, b, b_len), "a copy encodes differently");
  eddy_free(a);
  eddy_free(b);
  eddy_value_free(copy);
}

/* v into JS and back, twice: the second round changes nothing. */
static eddy_value *through_js(const eddy_value *v) {
  if (eddy_set(engine, "fuzzValue", v) != EDDY_OK) return NULL; /* EDDY_ERANGE and the like */
  eddy_value *out = NULL;
  int rc = eddy_eval(engine, "fuzzValue", 9, "fuzz.js", &out);
  if (rc != EDDY_OK) {
    eddy_value_free(out);
    return NULL;
  }
  return out;
}

static void check_js(const eddy_value *v) {
  if (!engine) {
    eddy_options o;
    eddy_options_init(&o, sizeof o);
    o.start_driver = 0;
    o.time_limit_ms = 2000;
    CHECK(eddy_engine_new(&o, &engine) == EDDY_OK, "eddy_engine_new");
  }
  eddy_value *once = through_js(v);
  if (!once) return;
  eddy_value *twice = through_js(once);
  CHECK(twice, "a value from JS does not go back into JS");
  size_t a_len, b_len;
  char *a = json_of(once, &a_len), *b = json_of(twice, &b_len);
  CHECK((!a && !b) || (a && b && same(a, a_len, b, b_len)), "the JS round trip is not stable");
  eddy_free(a);
  eddy_free(b);
  eddy_value_free(twice);
  eddy_value_free(once);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  uint8_t mode = data[0];
  data++;
  size--;
  eddy_value *v = NULL;
  size_t off = 0;
  int rc = (mode & 1) ? eddy_value_from_cbor(data, size, &v, &off)
                      : eddy_value_from_json((const char *)data, size, &v, &off);
  if (rc != EDDY_OK) {
    CHECK(v == NULL || rc == EDDY_OK, "a failed decode returned a value");
    CHECK(off <= size, "error offset past the input");
    return 0;
  }
  check_cbor(v);
  check_json(v);
  if (mode & 2) check_js(v);
  eddy_value_free(v);
  return 0;
}
