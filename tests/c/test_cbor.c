/* CBOR (RFC 8949) through the public API: the RFC's own examples, round trips of random trees
   of every type, the nesting limit, invalid and truncated buffers (always a status, never a
   crash: run under ASan), and the one-call eval/call variants against a real engine. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* ---- helpers --------------------------------------------------------------------------------- */

static size_t unhex(const char *hex, uint8_t *out) {
  size_t n = 0;
  for (; hex[0] && hex[1]; hex += 2) {
    unsigned b;
    sscanf(hex, "%2x", &b);
    out[n++] = (uint8_t)b;
  }
  return n;
}

static char *tohex(const uint8_t *p, size_t n) {
  char *s = malloc(n * 2 + 1);
  for (size_t i = 0; i < n; i++) sprintf(s + 2 * i, "%02x", p[i]);
  s[n * 2] = 0;
  return s;
}

/* The encoding of v as hex (caller frees). */
static char *encode_hex(const eddy_value *v) {
  uint8_t *buf;
  size_t n;
  TU_ASSERT_STATUS(EDDY_OK, eddy_value_to_cbor(v, &buf, &n));
  char *h = tohex(buf, n);
  eddy_free(buf);
  return h;
}

static void expect_encoding(eddy_value *v, const char *hex) {
  char *got = encode_hex(v);
  if (strcmp(got, hex)) fail_msg("encoding: expected %s, got %s", hex, got);
  free(got);
  eddy_value_free(v);
}

static eddy_value *decode_hex(const char *hex) {
  uint8_t buf[256];
  size_t n = unhex(hex, buf);
  eddy_value *v = NULL;
  size_t off = 999;
  int st = eddy_value_from_cbor(buf, n, &v, &off);
  if (st) fail_msg("decoding %s: %s at %zu", hex, eddy_err_name(st), off);
  return v;
}

static void expect_decode_error(const char *hex, int status, size_t offset) {
  uint8_t buf[256];
  size_t n = unhex(hex, buf);
  eddy_value *v = (eddy_value *)1;
  size_t off = 999;
  int st = eddy_value_from_cbor(buf, n, &v, &off);
  if (st != status || off != offset)
    fail_msg("decoding %s: expected %s at %zu, got %s at %zu", hex, eddy_err_name(status),
             offset, eddy_err_name(st), off);
  assert_null(v);
}

static int same_double(double a, double b) {
  if (isnan(a) || isnan(b)) return isnan(a) && isnan(b);
  return memcmp(&a, &b, sizeof a) == 0; /* tells -0 from 0 */
}

/* Structural equality; describes the first difference into why. */
static int equal(const eddy_value *a, const eddy_value *b, char *why, size_t why_len) {
  eddy_type t = eddy_value_type(a);
  if (t != eddy_value_type(b)) {
    snprintf(why, why_len, "type %d vs %d", t, eddy_value_type(b));
    return 0;
  }
  size_t la, lb;
  switch (t) {
    case EDDY_TYPE_BOOLEAN:
      if (eddy_value_bool(a) == eddy_value_bool(b)) return 1;
      snprintf(why, why_len, "boolean");
      return 0;
    case EDDY_TYPE_NUMBER:
    case EDDY_TYPE_DATE:
      if (same_double(eddy_value_number(a), eddy_value_number(b))) return 1;
      snprintf(why, why_len, "number %.17g vs %.17g", eddy_value_number(a), eddy_value_number(b));
      return 0;
    case EDDY_TYPE_STRING:
    case EDDY_TYPE_BIGINT: {
      const char *sa = eddy_value_string(a, &la), *sb = eddy_value_string(b, &lb);
      if (la == lb && !memcmp(sa, sb, la)) return 1;
      snprintf(why, why_len, "text '%s' vs '%s'", sa, sb);
      return 0;
    }
    case EDDY_TYPE_BYTES: {
      const uint8_t *pa = eddy_value_bytes(a, &la), *pb = eddy_value_bytes(b, &lb);
      if (la == lb && !memcmp(pa, pb, la)) return 1;
      snprintf(why, why_len, "bytes of %zu vs %zu", la, lb);
      return 0;
    }
    case EDDY_TYPE_ARRAY:
    case EDDY_TYPE_OBJECT:
    case EDDY_TYPE_ERROR:
      if (eddy_value_length(a) != eddy_value_length(b)) {
        snprintf(why, why_len, "length %zu vs %zu", eddy_value_length(a), eddy_value_length(b));
        return 0;
      }
      for (size_t i = 0; i < eddy_value_length(a); i++) {
        if (t != EDDY_TYPE_ARRAY) {
          const char *ka = eddy_value_key(a, i, &la), *kb = eddy_value_key(b, i, &lb);
          if (la != lb || memcmp(ka, kb, la)) {
            snprintf(why, why_len, "key %zu '%s' vs '%s'", i, ka, kb);
            return 0;
          }
        }
        if (!equal(eddy_value_at(a, i), eddy_value_at(b, i), why, why_len)) return 0;
      }
      return 1;
    default:
      return 1;
  }
}

static void assert_equal_values(const eddy_value *a, const eddy_value *b) {
  char why[512];
  if (!equal(a, b, why, sizeof why)) fail_msg("values differ: %s", why);
}

/* xorshift64*: reproducible trees, the seed printed on failure. */
static uint64_t rng;
static uint64_t rnd(void) {
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return rng * 2685821657736338717ull;
}
static unsigned below(unsigned n) { return (unsigned)(rnd() % n); }

static double random_number(void) {
  static const double special[] = {0.0, -0.0, 1, -1, 23, 24, 255, 256, 65535, 65536, -24, -25,
                                   1.5, 0.1, -4.1, 65504, 65505, 1e300, 5.960464477539063e-8,
                                   9007199254740992.0, -9007199254740992.0, 9007199254740993.0,
                                   18446744073709551616.0, 3.4028234663852886e38, 1e-310};
  switch (below(6)) {
    case 0: return special[below(sizeof special / sizeof *special)];
    case 1: return (double)(int64_t)(rnd() >> below(64)) * (below(2) ? 1 : -1);
    case 2: return below(2) ? INFINITY : below(2) ? -INFINITY : NAN;
    case 3: { /* any bit pattern that is not a NaN */
      uint64_t b = rnd();
      double d;
      memcpy(&d, &b, sizeof d);
      return isnan(d) ? 0.25 : d;
    }
    case 4: return ldexp((double)below(2048), (int)below(60) - 40); /* halves and singles */
    default: return (double)below(100000) / 8;
  }
}

static eddy_value *random_string(void) {
  static const char *pieces[] = {"a", "Z", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", " ",
                                 "\"", "\\", "\n", "key", "\x7f"};
  char buf[256];
  size_t n = 0, count = below(12);
  for (size_t i = 0; i < count; i++) {
    if (below(10) == 0) {
      buf[n++] = 0; /* embedded NUL */
      continue;
    }
    const char *p = pieces[below(sizeof pieces / sizeof *pieces)];
    memcpy(buf + n, p, strlen(p));
    n += strlen(p);
  }
  return eddy_value_new_string(buf, n);
}

static eddy_value *random_bigint(void) {
  char buf[120];
  size_t n = 0;
  if (below(2)) buf[n++] = '-';
  switch (below(4)) {
    case 0: n = (size_t)sprintf(buf, "0"); break; /* JS has no -0n */
    case 1: n += (size_t)sprintf(buf + n, "18446744073709551616"); break; /* 2^64 */
    case 2: n += (size_t)sprintf(buf + n, "%llu", (unsigned long long)(rnd() >> below(64) | 1)); break;
    default: {
      buf[n++] = (char)('1' + below(9));
      for (unsigned i = below(100); i > 0; i--) buf[n++] = (char)('0' + below(10));
    }
  }
  buf[n] = 0;
  return eddy_value_new_bigint(buf);
}

static eddy_value *random_tree(int depth) {
  unsigned kind = below(depth > 0 ? 12 : 9);
  switch (kind) {
    case 0: return eddy_value_new_undefined();
    case 1: return eddy_value_new_null();
    case 2: return eddy_value_new_bool((int)below(2));
    case 3: return eddy_value_new_number(random_number());
    case 4: return random_bigint();
    case 5: return random_string();
    case 6: {
      uint8_t b[64];
      size_t n = below(sizeof b);
      for (size_t i = 0; i < n; i++) b[i] = (uint8_t)rnd();
      return eddy_value_new_bytes(b, n);
    }
    case 7: { /* every Date JS can hold, and an invalid one */
      if (below(8) == 0) return eddy_value_new_date(NAN);
      int64_t ms = (int64_t)(rnd() % 17280000000000001ull) - 8640000000000000ll;
      if (below(2)) ms %= 4000000000000ll;
      return eddy_value_new_date((double)ms);
    }
    case 8: return eddy_value_new_cstring("");
    case 9: {
      eddy_value *a = eddy_value_new_array();
      for (unsigned n = below(6); n > 0; n--) eddy_value_push(a, random_tree(depth - 1));
      return a;
    }
    case 10: {
      eddy_value *o = eddy_value_new_object();
      for (unsigned n = below(6); n > 0; n--) {
        char key[32];
        snprintf(key, sizeof key, below(3) ? "k%u" : "%u", below(40));
        eddy_value_set(o, key, random_tree(depth - 1));
      }
      return o;
    }
    default: {
      eddy_value *err = eddy_value_new_error(below(2) ? "TypeError" : "DatabaseError", "it broke");
      eddy_value_set(err, "stack", eddy_value_new_cstring("TypeError: it broke\n    at f (a.js:1:2)"));
      if (below(2)) eddy_value_set(err, "code", random_tree(depth - 1));
      if (below(2)) eddy_value_set(err, "cause", random_tree(depth - 1));
      return err;
    }
  }
}

/* ---- RFC 8949 Appendix A --------------------------------------------------------------------- */

static void rfc_examples_encode_as_the_rfc_prints_them(void **state) {
  (void)state;
  static const struct {
    double d;
    const char *hex;
  } nums[] = {
      {0, "00"}, {1, "01"}, {10, "0a"}, {23, "17"}, {24, "1818"}, {25, "1819"}, {100, "1864"},
      {1000, "1903e8"}, {1000000, "1a000f4240"}, {1000000000000.0, "1b000000e8d4a51000"},
      {-1, "20"}, {-10, "29"}, {-100, "3863"}, {-1000, "3903e7"}, {-0.0, "f98000"},
      {1.1, "fb3ff199999999999a"}, {1.5, "f93e00"}, {100000.5, "fa47c35040"},
      {3.4028234663852886e+38, "fa7f7fffff"}, {1.0e+300, "fb7e37e43c8800759c"},
      {5.960464477539063e-8, "f90001"}, {0.00006103515625, "f90400"}, {-4.1, "fbc010666666666666"},
      {INFINITY, "f97c00"}, {-INFINITY, "f9fc00"}, {NAN, "f97e00"},
      {9007199254740992.0, "1b0020000000000000"}, {-9007199254740992.0, "3b001fffffffffffff"},
      {18446744073709551616.0, "fa5f800000"},
  };
  for (size_t i = 0; i < sizeof nums / sizeof *nums; i++)
    expect_encoding(eddy_value_new_number(nums[i].d), nums[i].hex);
  expect_encoding(eddy_value_new_bool(0), "f4");
  expect_encoding(eddy_value_new_bool(1), "f5");
  expect_encoding(eddy_value_new_null(), "f6");
  expect_encoding(eddy_value_new_undefined(), "f7");
  expect_encoding(eddy_value_new_cstring(""), "60");
  expect_encoding(eddy_value_new_cstring("IETF"), "6449455446");
  expect_encoding(eddy_value_new_cstring("\xc3\xbc"), "62c3bc");
  expect_encoding(eddy_value_new_cstring("\xf0\x90\x85\x91"), "64f0908591");
  expect_encoding(eddy_value_new_bytes("\x01\x02\x03\x04", 4), "4401020304");
  expect_encoding(eddy_value_new_bigint("18446744073709551616"), "c249010000000000000000");
  expect_encoding(eddy_value_new_bigint("-18446744073709551617"), "c349010000000000000000");
  expect_encoding(eddy_value_new_bigint("0"), "c240");
  expect_encoding(eddy_value_new_bigint("-1"), "c340");
  expect_encoding(eddy_value_new_bigint("255"), "c241ff");
  expect_encoding(eddy_value_new_bigint("-256"), "c341ff");
  expect_encoding(eddy_value_new_date(1363896240000.0), "c1fb41d452d9ec000000");
  expect_encoding(eddy_value_new_date(1363896240500.0), "c1fb41d452d9ec200000");
  expect_encoding(eddy_value_new_date(0), "c1f90000");
  eddy_value *a = eddy_value_new_array();
  eddy_value_push(a, eddy_value_new_number(1));
  eddy_value *inner = eddy_value_new_array();
  eddy_value_push(inner, eddy_value_new_number(2));
  eddy_value_push(inner, eddy_value_new_number(3));
  eddy_value_push(a, inner);
  expect_encoding(a, "82018202" "03");
  eddy_value *o = eddy_value_new_object();
  eddy_value_set(o, "a", eddy_value_new_number(1));
  eddy_value_set(o, "b", eddy_value_new_array());
  expect_encoding(o, "a26161016162" "80");
  eddy_value *err = eddy_value_new_error("TypeError", "x");
  expect_encoding(err, "d81b82654572726f72a2646e616d6569547970654572726f72676d6573736167656178");
}

static void rfc_examples_decode(void **state) {
  (void)state;
  static const struct {
    const char *hex;
    double d;
  } nums[] = {
      {"00", 0}, {"1b000000e8d4a51000", 1000000000000.0}, {"f90000", 0}, {"f93c00", 1},
      {"f97bff", 65504}, {"fa47c35000", 100000}, {"f90001", 5.960464477539063e-8},
      {"f90400", 0.00006103515625}, {"f9c400", -4}, {"fb7e37e43c8800759c", 1e300},
      {"1b0020000000000000", 9007199254740992.0}, {"3b001fffffffffffff", -9007199254740992.0},
      {"f97c00", INFINITY}, {"fa7f800000", INFINITY}, {"fbfff0000000000000", -INFINITY},
      {"f97e00", NAN}, {"fa7fc00000", NAN}, {"1818", 24}, {"3903e7", -1000},
  };
  for (size_t i = 0; i < sizeof nums / sizeof *nums; i++) {
    eddy_value *v = decode_hex(nums[i].hex);
    assert_int_equal(eddy_value_type(v), EDDY_TYPE_NUMBER);
    if (!same_double(eddy_value_number(v), nums[i].d))
      fail_msg("%s decoded as %.17g, expected %.17g", nums[i].hex, eddy_value_number(v), nums[i].d);
    eddy_value_free(v);
  }
  static const struct {
    const char *hex, *decimal;
  } big[] = {
      {"1b0020000000000001", "9007199254740993"},
      {"1bffffffffffffffff", "18446744073709551615"},
      {"3b0020000000000000", "-9007199254740993"},
      {"3bffffffffffffffff", "-18446744073709551616"},
      {"c249010000000000000000", "18446744073709551616"},
      {"c349010000000000000000", "-18446744073709551617"},
      {"c240", "0"}, {"c340", "-1"}, {"c24300ffff", "65535"},
      {"c25f4101420000ff", "65536"},
  };
  for (size_t i = 0; i < sizeof big / sizeof *big; i++) {
    eddy_value *v = decode_hex(big[i].hex);
    assert_int_equal(eddy_value_type(v), EDDY_TYPE_BIGINT);
    assert_string_equal(eddy_value_string(v, NULL), big[i].decimal);
    eddy_value_free(v);
  }
  eddy_value *v = decode_hex("c11a514b67b0");
  assert_int_equal(eddy_value_type(v), EDDY_TYPE_DATE);
  assert_true(eddy_value_number(v) == 1363896240000.0);
  eddy_value_free(v);
  v = decode_hex("c1fb41d452d9ec200000");
  assert_true(eddy_value_number(v) == 1363896240500.0);
  eddy_value_free(v);
  v = decode_hex("c074323031332d30332d32315432303a30343a30305a"); /* 2013-03-21T20:04:00Z */
  assert_int_equal(eddy_value_type(v), EDDY_TYPE_DATE);
  assert_true(eddy_value_number(v) == 1363896240000.0);
  eddy_value_free(v);
  /* 2013-03-21T22:04:00.25+02:00 */
  v = decode_hex("c0781c323031332d30332d32315432323a30343a30302e32352b30323a3030");
  assert_true(eddy_value_number(v) == 1363896240250.0);
  eddy_value_free(v);
  v = decode_hex("5f42010243030405ff");
  size_t n;
  const uint8_t *b = eddy_value_bytes(v, &n);
  assert_int_equal(n, 5);
  assert_memory_equal(b, "\x01\x02\x03\x04\x05", 5);
  eddy_value_free(v);
  v = decode_hex("d8404401020304"); /* RFC 8746 uint8 typed array */
  assert_int_equal(eddy_value_type(v), EDDY_TYPE_BYTES);
  assert_int_equal(eddy_value_length(v), 4);
  eddy_value_free(v);
  v = decode_hex("7f657374726561646d696e67ff");
  assert_string_equal(eddy_value_string(v, NULL), "streaming");
  eddy_value_free(v);
  v = decode_hex("9f018202039f0405ffff");
  assert_int_equal(eddy_value_length(v), 3);
  assert_int_equal(eddy_value_length(eddy_value_at(v, 2)), 2);
  eddy_value_free(v);
  v = decode_hex("bf61610161629f0203ffff");
  assert_int_equal(eddy_value_type(v), EDDY_TYPE_OBJECT);
  assert_int_equal(eddy_value_length(eddy_value_get(v, "b")), 2);
  eddy_value_free(v);
  v = decode_hex("d9d9f7f7"); /* self-described CBOR: undefined */
  assert_int_equal(eddy_value_type(v), EDDY_TYPE_UNDEFINED);
  eddy_value_free(v);
  v = decode_hex("a2016178206179"); /* {1: "x", -1: "y"}: integer keys, as JS names them */
  assert_string_equal(eddy_value_key(v, 0, NULL), "1");
  assert_string_equal(eddy_value_key(v, 1, NULL), "-1");
  eddy_value_free(v);
  v = decode_hex("62ff41"); /* invalid UTF-8 becomes U+FFFD */
  assert_string_equal(eddy_value_string(v, NULL), "\xef\xbf\xbd" "A");
  eddy_value_free(v);
}

static void an_error_decodes_with_its_fields(void **state) {
  (void)state;
  eddy_value *v = decode_hex("d81b82654572726f72a2646e616d6569547970654572726f72676d6573736167656178");
  assert_int_equal(eddy_value_type(v), EDDY_TYPE_ERROR);
  assert_string_equal(eddy_value_error_name(v), "TypeError");
  assert_string_equal(eddy_value_error_message(v), "x");
  eddy_value_free(v);
}

static void duplicate_keys_keep_the_first_place_and_the_last_value(void **state) {
  (void)state;
  eddy_value *v = decode_hex("a3616101616202616103");
  assert_int_equal(eddy_value_length(v), 2);
  assert_string_equal(eddy_value_key(v, 0, NULL), "a");
  assert_true(eddy_value_number(eddy_value_at(v, 0)) == 3);
  eddy_value_free(v);
  /* a large map goes through the hash index: 3000 pairs over 1000 keys */
  size_t cap = 3000 * 8 + 16, n = 0;
  uint8_t *buf = malloc(cap);
  buf[n++] = 0xb9, buf[n++] = 3000 >> 8, buf[n++] = 3000 & 0xff;
  for (int i = 0; i < 3000; i++) {
    n += (size_t)sprintf((char *)buf + n + 1, "%04d", i % 1000);
    buf[n - 4] = 0x64; /* text of 4: the sprintf above wrote after this byte */
    n += 1;
    buf[n++] = 0x19, buf[n++] = (uint8_t)(i >> 8), buf[n++] = (uint8_t)i;
  }
  assert_int_equal(eddy_value_from_cbor(buf, n, &v, NULL), EDDY_OK);
  assert_int_equal(eddy_value_length(v), 1000);
  assert_string_equal(eddy_value_key(v, 7, NULL), "0007");
  assert_true(eddy_value_number(eddy_value_at(v, 7)) == 2007);
  eddy_value_free(v);
  free(buf);
}

/* ---- property tests -------------------------------------------------------------------------- */

static void random_trees_round_trip_exactly(void **state) {
  (void)state;
  for (uint64_t seed = 1; seed <= 3000; seed++) {
    rng = seed * 0x9e3779b97f4a7c15ull;
    eddy_value *t = random_tree(5);
    uint8_t *buf;
    size_t n;
    int st = eddy_value_to_cbor(t, &buf, &n);
    if (st) fail_msg("seed %llu: encode: %s", (unsigned long long)seed, eddy_err_name(st));
    eddy_value *back = NULL;
    size_t off;
    st = eddy_value_from_cbor(buf, n, &back, &off);
    if (st) fail_msg("seed %llu: decode: %s at %zu", (unsigned long long)seed, eddy_err_name(st), off);
    char why[512];
    if (!equal(t, back, why, sizeof why)) fail_msg("seed %llu: %s", (unsigned long long)seed, why);
    /* and the encoding is canonical: encoding the decoded tree gives the same bytes */
    uint8_t *again;
    size_t n2;
    TU_ASSERT_STATUS(EDDY_OK, eddy_value_to_cbor(back, &again, &n2));
    if (n2 != n || memcmp(buf, again, n)) fail_msg("seed %llu: second encoding differs", (unsigned long long)seed);
    eddy_free(again);
    eddy_value_free(back);
    eddy_free(buf);
    eddy_value_free(t);
  }
}

static void every_js_date_round_trips(void **state) {
  (void)state;
  /* s * 1000 is not always the ms that ms / 1000 gave: the decoder finds the integer again */
  rng = 42;
  for (int i = 0; i < 200000; i++) {
    double ms = (double)((int64_t)(rnd() % 17280000000000001ull) - 8640000000000000ll);
    eddy_value *d = eddy_value_new_date(ms), *back = NULL;
    uint8_t *buf;
    size_t n;
    TU_ASSERT_STATUS(EDDY_OK, eddy_value_to_cbor(d, &buf, &n));
    TU_ASSERT_STATUS(EDDY_OK, eddy_value_from_cbor(buf, n, &back, NULL));
    if (eddy_value_number(back) != ms) fail_msg("date %.0f came back as %.3f", ms, eddy_value_number(back));
    eddy_free(buf);
    eddy_value_free(d);
    eddy_value_free(back);
  }
}

static void every_prefix_of_a_valid_buffer_is_truncated(void **state) {
  (void)state;
  for (uint64_t seed = 1; seed <= 300; seed++) {
    rng = seed * 7919;
    eddy_value *t = random_tree(4);
    uint8_t *buf;
    size_t n;
    TU_ASSERT_STATUS(EDDY_OK, eddy_value_to_cbor(t, &buf, &n));
    for (size_t k = 0; k < n; k++) {
      /* a copy of exactly k bytes, so ASan sees any read past the end */
      uint8_t *prefix = malloc(k ? k : 1);
      memcpy(prefix, buf, k);
      eddy_value *v = (eddy_value *)1;
      size_t off = 12345;
      int st = eddy_value_from_cbor(prefix, k, &v, &off);
      if (st != EDDY_EINVAL || off != k || v)
        fail_msg("seed %llu: prefix %zu of %zu: %s at %zu", (unsigned long long)seed, k, n,
                 eddy_err_name(st), off);
      free(prefix);
    }
    eddy_free(buf);
    eddy_value_free(t);
  }
}

static void mutated_buffers_give_a_status_never_a_crash(void **state) {
  (void)state;
  int counts[4] = {0};
  for (uint64_t seed = 1; seed <= 3000; seed++) {
    rng = seed * 104729;
    eddy_value *t = random_tree(4);
    uint8_t *buf;
    size_t n;
    TU_ASSERT_STATUS(EDDY_OK, eddy_value_to_cbor(t, &buf, &n));
    uint8_t *m = malloc(n);
    memcpy(m, buf, n);
    for (unsigned flips = 1 + below(4); flips > 0; flips--) m[below((unsigned)n)] ^= (uint8_t)(1u << below(8));
    eddy_value *v = NULL;
    size_t off = 0;
    int st = eddy_value_from_cbor(m, n, &v, &off);
    if (st == EDDY_OK) {
      counts[0]++;
      assert_non_null(v);
    } else {
      assert_null(v);
      if (st == EDDY_EINVAL) counts[1]++;
      else if (st == EDDY_ETYPE || st == EDDY_ERANGE) counts[2]++;
      else fail_msg("seed %llu: unexpected %s", (unsigned long long)seed, eddy_err_name(st));
      assert_true(off <= n);
    }
    eddy_value_free(v);
    free(m);
    eddy_free(buf);
    eddy_value_free(t);
  }
  assert_true(counts[1] > 100); /* most mutations are caught */
}

static void malformed_buffers_name_the_offset(void **state) {
  (void)state;
  expect_decode_error("", EDDY_EINVAL, 0);                      /* nothing */
  expect_decode_error("1c", EDDY_EINVAL, 0);                    /* reserved additional info */
  expect_decode_error("ff", EDDY_EINVAL, 0);                    /* a break outside anything */
  expect_decode_error("0101", EDDY_EINVAL, 1);                  /* trailing bytes */
  expect_decode_error("8201", EDDY_EINVAL, 2);                  /* an item missing */
  expect_decode_error("8201d863f6", EDDY_EINVAL, 2);            /* unsupported tag 99 */
  expect_decode_error("a18001", EDDY_EINVAL, 1);                /* an array as a map key */
  expect_decode_error("5bffffffffffffffff00", EDDY_EINVAL, 10); /* claims 2^64-1 bytes */
  expect_decode_error("9b100000000000000001", EDDY_EINVAL, 10); /* claims 2^60 items */
  expect_decode_error("f814", EDDY_EINVAL, 0);                  /* two-byte false */
  expect_decode_error("f820", EDDY_EINVAL, 0);                  /* unassigned simple value */
  expect_decode_error("5f6161ff", EDDY_EINVAL, 1);              /* text chunk in bytes */
  expect_decode_error("5f5f4100ffff", EDDY_EINVAL, 1);          /* nested indefinite chunk */
  expect_decode_error("1f", EDDY_EINVAL, 0);                    /* indefinite integer */
  expect_decode_error("c16161", EDDY_EINVAL, 0);                /* a date of text */
  expect_decode_error("c0647a7a7a7a", EDDY_EINVAL, 0);          /* not RFC 3339 */
  expect_decode_error("c26161", EDDY_EINVAL, 0);                /* a bignum of text */
  expect_decode_error("d81b8263466f6f01", EDDY_EINVAL, 3);      /* 27(["Foo", 1]) */
  expect_decode_error("d81b8265457272" "6f7201", EDDY_EINVAL, 0); /* 27(["Error", 1]) */
  expect_decode_error("81d81b8268" "46756e6374696f6e" "61" "66", EDDY_ETYPE, 1); /* function */
  expect_decode_error("9f01", EDDY_EINVAL, 2);                  /* indefinite, no break */
  expect_decode_error("bf6161ff", EDDY_EINVAL, 3);              /* a key without a value */
  expect_decode_error("1a0001", EDDY_EINVAL, 3);                /* argument cut short */
  eddy_value *v = NULL;
  assert_int_equal(eddy_value_from_cbor(NULL, 1, &v, NULL), EDDY_EINVAL);
  assert_int_equal(eddy_value_from_cbor((const uint8_t *)"\x01", 1, NULL, NULL), EDDY_EINVAL);
  assert_int_equal(eddy_value_to_cbor(NULL, NULL, NULL), EDDY_EINVAL);
  uint8_t *buf;
  size_t n;
  assert_int_equal(eddy_value_to_cbor(NULL, &buf, &n), EDDY_OK); /* NULL reads as undefined */
  assert_int_equal(n, 1);
  assert_int_equal(buf[0], 0xf7);
  eddy_free(buf);
}

static uint8_t *nested_arrays(size_t levels, size_t *len) {
  uint8_t *b = malloc(levels + 1);
  memset(b, 0x81, levels);
  b[levels] = 0xf6;
  *len = levels + 1;
  return b;
}

static void nesting_limit_is_1000_both_ways(void **state) {
  (void)state;
  size_t n;
  uint8_t *b = nested_arrays(1000, &n);
  eddy_value *v = NULL;
  TU_ASSERT_STATUS(EDDY_OK, eddy_value_from_cbor(b, n, &v, NULL));
  uint8_t *out;
  size_t out_len;
  TU_ASSERT_STATUS(EDDY_OK, eddy_value_to_cbor(v, &out, &out_len));
  assert_int_equal(out_len, n);
  assert_memory_equal(out, b, n);
  eddy_free(out);
  /* one more level in the tree: refused on the way out */
  eddy_value *outer = eddy_value_new_array();
  eddy_value_push(outer, v);
  TU_ASSERT_STATUS(EDDY_ERANGE, eddy_value_to_cbor(outer, &out, &out_len));
  assert_null(out);
  eddy_value_free(outer);
  free(b);
  /* and on the way in, also for a million levels (no recursion anywhere) */
  size_t off = 0;
  b = nested_arrays(1001, &n);
  TU_ASSERT_STATUS(EDDY_ERANGE, eddy_value_from_cbor(b, n, &v, &off));
  assert_int_equal(off, 1000);
  free(b);
  b = nested_arrays(1000000, &n);
  TU_ASSERT_STATUS(EDDY_ERANGE, eddy_value_from_cbor(b, n, &v, &off));
  free(b);
  /* a host-built tree a million levels deep is refused, not a stack overflow */
  eddy_value *deep = eddy_value_new_array();
  for (int i = 0; i < 1000000; i++) {
    eddy_value *a = eddy_value_new_array();
    eddy_value_push(a, deep);
    deep = a;
  }
  TU_ASSERT_STATUS(EDDY_ERANGE, eddy_value_to_cbor(deep, &out, &out_len));
  eddy_value_free(deep);
  /* errors count a level each, as elsewhere in the value layer */
  eddy_value *e = eddy_value_new_error("Error", "deep");
  eddy_value *cur = eddy_value_new_array();
  eddy_value_set(e, "cause", cur);
  for (int i = 0; i < 998; i++) {
    eddy_value *a = eddy_value_new_array();
    eddy_value_push(cur, a);
    cur = a;
  }
  TU_ASSERT_STATUS(EDDY_OK, eddy_value_to_cbor(e, &out, &out_len));
  TU_ASSERT_STATUS(EDDY_OK, eddy_value_from_cbor(out, out_len, &v, NULL));
  eddy_value_free(v);
  eddy_free(out);
  eddy_value_push(cur, eddy_value_new_array());
  TU_ASSERT_STATUS(EDDY_ERANGE, eddy_value_to_cbor(e, &out, &out_len));
  eddy_value_free(e);
}

static void big_strings_and_bignums(void **state) {
  (void)state;
  size_t n = 1 << 20;
  char *s = malloc(n);
  memset(s, 'x', n);
  eddy_value *v = eddy_value_new_string(s, n), *back = NULL;
  uint8_t *buf;
  size_t len;
  TU_ASSERT_STATUS(EDDY_OK, eddy_value_to_cbor(v, &buf, &len));
  assert_int_equal(len, n + 5);
  TU_ASSERT_STATUS(EDDY_OK, eddy_value_from_cbor(buf, len, &back, NULL));
  assert_equal_values(v, back);
  eddy_value_free(back);
  eddy_value_free(v);
  eddy_free(buf);
  /* a 3000-digit bigint: 10^2999 */
  s[0] = '1';
  memset(s + 1, '0', 2999);
  s[3000] = 0;
  v = eddy_value_new_bigint(s);
  TU_ASSERT_STATUS(EDDY_OK, eddy_value_to_cbor(v, &buf, &len));
  TU_ASSERT_STATUS(EDDY_OK, eddy_value_from_cbor(buf, len, &back, NULL));
  assert_equal_values(v, back);
  eddy_value_free(back);
  eddy_value_free(v);
  eddy_free(buf);
  free(s);
}

/* ---- through an engine ----------------------------------------------------------------------- */

static void eval_cbor_matches_the_tree(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(0);
  const char *js =
      "({ n: 1.5, i: -7, big: 2n ** 70n, small: 5n, s: 'h\\u00e9', u: undefined, z: null,"
      "   t: true, d: new Date(1700000000123), bad: new Date(NaN), b: new Uint8Array([1, 2, 255]),"
      "   a: [1, , 3], nested: { deep: [[{}]] }, err: new RangeError('r'), negz: -0,"
      "   huge: 2 ** 60, f: function named() {} })";
  eddy_value *tree = tu_eval(e, js);
  uint8_t *buf;
  size_t n;
  TU_ASSERT_STATUS(EDDY_OK, eddy_eval_cbor(e, js, strlen(js), "t.js", &buf, &n));
  /* the function can be written but not read back: compare without it */
  eddy_value *back = NULL;
  size_t off;
  TU_ASSERT_STATUS(EDDY_ETYPE, eddy_value_from_cbor(buf, n, &back, &off));
  eddy_free(buf);
  const char *js2 = "(() => { const o = eval(globalThis.src); delete o.f; return o; })()";
  eddy_value *src = eddy_value_new_cstring(js);
  TU_ASSERT_STATUS(EDDY_OK, eddy_set(e, "src", src));
  eddy_value_free(src);
  eddy_value_free(tree);
  tree = tu_eval(e, js2);
  TU_ASSERT_STATUS(EDDY_OK, eddy_eval_cbor(e, js2, strlen(js2), "test.js", &buf, &n));
  TU_ASSERT_STATUS(EDDY_OK, eddy_value_from_cbor(buf, n, &back, &off));
  assert_equal_values(tree, back);
  assert_int_equal(eddy_value_type(eddy_value_get(back, "big")), EDDY_TYPE_BIGINT);
  assert_string_equal(eddy_value_string(eddy_value_get(back, "big"), NULL), "1180591620717411303424");
  assert_int_equal(eddy_value_type(eddy_value_get(back, "small")), EDDY_TYPE_BIGINT);
  assert_int_equal(eddy_value_type(eddy_value_get(back, "u")), EDDY_TYPE_UNDEFINED);
  assert_int_equal(eddy_value_type(eddy_value_get(back, "b")), EDDY_TYPE_BYTES);
  assert_true(eddy_value_number(eddy_value_get(back, "d")) == 1700000000123.0);
  eddy_value_free(back);
  eddy_value_free(tree);
  eddy_free(buf);
  eddy_engine_free(e);
}

static void eval_cbor_hands_back_the_thrown_error(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(0);
  const char *js = "Promise.reject(new TypeError('nope', { cause: 42n }))";
  uint8_t *buf = NULL;
  size_t n = 0;
  TU_ASSERT_STATUS(EDDY_EEXCEPTION, eddy_eval_cbor(e, js, strlen(js), "t.js", &buf, &n));
  eddy_value *err = NULL;
  TU_ASSERT_STATUS(EDDY_OK, eddy_value_from_cbor(buf, n, &err, NULL));
  assert_int_equal(eddy_value_type(err), EDDY_TYPE_ERROR);
  assert_string_equal(eddy_value_error_name(err), "TypeError");
  assert_string_equal(eddy_value_error_message(err), "nope");
  assert_int_equal(eddy_value_type(eddy_value_get(err, "cause")), EDDY_TYPE_BIGINT);
  eddy_value_free(err);
  eddy_free(buf);
  /* no result pointer: the value is dropped, the status stays */
  TU_ASSERT_STATUS(EDDY_EEXCEPTION, eddy_eval_cbor(e, js, strlen(js), "t.js", NULL, NULL));
  /* a status without a value leaves *out NULL */
  buf = (uint8_t *)1;
  n = 7;
  TU_ASSERT_STATUS(EDDY_EPENDING, eddy_eval_cbor(e, "new Promise(() => {})", 21, NULL, &buf, &n));
  assert_null(buf);
  assert_int_equal(n, 0);
  eddy_engine_free(e);
}

static void call_cbor_passes_every_type_into_js(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(1);
  eddy_value_free(tu_eval(e,
      "globalThis.app = { describe(...args) { return args.map(a =>"
      "  a === undefined ? 'undefined' : a === null ? 'null' : a instanceof Date ? 'date:' + a.getTime() :"
      "  a instanceof Uint8Array ? 'bytes:' + a.join(',') : a instanceof Error ? 'error:' + a.name + ':' + a.message :"
      "  Array.isArray(a) ? 'array:' + a.length : typeof a === 'object' ? 'object:' + Object.keys(a) :"
      "  typeof a + ':' + String(a)).join('|'); } }"));
  eddy_value *args = eddy_value_new_array();
  eddy_value_push(args, eddy_value_new_undefined());
  eddy_value_push(args, eddy_value_new_null());
  eddy_value_push(args, eddy_value_new_number(3));
  eddy_value_push(args, eddy_value_new_bigint("-12345678901234567890"));
  eddy_value_push(args, eddy_value_new_date(86400000));
  eddy_value_push(args, eddy_value_new_bytes("\x01\x02", 2));
  eddy_value_push(args, eddy_value_new_error("RangeError", "far"));
  eddy_value *obj = eddy_value_new_object();
  eddy_value_set(obj, "k", eddy_value_new_bool(1));
  eddy_value_push(args, obj);
  eddy_value_push(args, eddy_value_new_array());
  uint8_t *in;
  size_t in_len;
  TU_ASSERT_STATUS(EDDY_OK, eddy_value_to_cbor(args, &in, &in_len));
  eddy_value_free(args);
  uint8_t *out;
  size_t out_len;
  TU_ASSERT_STATUS(EDDY_OK, eddy_call_cbor(e, "app.describe", in, in_len, &out, &out_len));
  eddy_value *r = NULL;
  TU_ASSERT_STATUS(EDDY_OK, eddy_value_from_cbor(out, out_len, &r, NULL));
  assert_string_equal(eddy_value_string(r, NULL),
                      "undefined|null|number:3|bigint:-12345678901234567890|date:86400000|"
                      "bytes:1,2|error:RangeError:far|object:k|array:0");
  eddy_value_free(r);
  eddy_free(out);
  eddy_free(in);
  /* no arguments */
  TU_ASSERT_STATUS(EDDY_OK, eddy_call_cbor(e, "app.describe", NULL, 0, &out, &out_len));
  assert_int_equal(out_len, 1);
  assert_int_equal(out[0], 0x60); /* "" */
  eddy_free(out);
  /* arguments that are not an array, or not CBOR: nothing runs */
  eddy_value_free(tu_eval(e, "globalThis.ran = 0; app.count = () => ++ran"));
  out = (uint8_t *)1;
  TU_ASSERT_STATUS(EDDY_EINVAL, eddy_call_cbor(e, "app.count", (const uint8_t *)"\x01", 1, &out, &out_len));
  assert_null(out);
  TU_ASSERT_STATUS(EDDY_EINVAL, eddy_call_cbor(e, "app.count", (const uint8_t *)"\x82\x01", 2, &out, &out_len));
  assert_true(tu_eval_number(e, "ran") == 0);
  TU_ASSERT_STATUS(EDDY_OK, eddy_call_cbor(e, "app.count", (const uint8_t *)"\x80", 1, NULL, NULL));
  assert_true(tu_eval_number(e, "ran") == 1);
  eddy_engine_free(e);
}

static void call_export_cbor_calls_a_module_export(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(1);
  const char *src = "export const twice = (x) => x * 2n;";
  TU_ASSERT_STATUS(EDDY_OK, eddy_module_declare(e, "m.js", src, strlen(src)));
  uint8_t args[] = {0x81, 0xc2, 0x41, 0x15}; /* [21n] */
  uint8_t *out;
  size_t n;
  TU_ASSERT_STATUS(EDDY_OK, eddy_call_export_cbor(e, "m.js", "twice", args, sizeof args, &out, &n));
  eddy_value *v = NULL;
  TU_ASSERT_STATUS(EDDY_OK, eddy_value_from_cbor(out, n, &v, NULL));
  assert_int_equal(eddy_value_type(v), EDDY_TYPE_BIGINT);
  assert_string_equal(eddy_value_string(v, NULL), "42");
  eddy_value_free(v);
  eddy_free(out);
  eddy_engine_free(e);
}

static void js_dates_round_trip_through_js(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(0);
  const char *js =
      "(() => { let x = 88172645463325252n; const out = [];"
      "  for (let i = 0; i < 2000; i++) {"
      "    x ^= (x << 13n) & 0xffffffffffffffffn; x ^= x >> 7n; x ^= (x << 17n) & 0xffffffffffffffffn;"
      "    out.push(new Date(Number(x % 17280000000000001n) - 8640000000000000)); }"
      "  return out; })()";
  eddy_value *tree = tu_eval(e, js);
  uint8_t *buf;
  size_t n;
  TU_ASSERT_STATUS(EDDY_OK, eddy_eval_cbor(e, js, strlen(js), NULL, &buf, &n));
  eddy_value *back = NULL;
  TU_ASSERT_STATUS(EDDY_OK, eddy_value_from_cbor(buf, n, &back, NULL));
  assert_equal_values(tree, back);
  /* and back into JS: the same milliseconds */
  TU_ASSERT_STATUS(EDDY_OK, eddy_set(e, "dates", back));
  eddy_value *ms = tu_eval(e, "dates.map(d => d instanceof Date ? d.getTime() : 'not a date')");
  for (size_t i = 0; i < eddy_value_length(tree); i++)
    assert_true(eddy_value_number(eddy_value_at(ms, i)) == eddy_value_number(eddy_value_at(tree, i)));
  eddy_value_free(ms);
  eddy_value_free(back);
  eddy_value_free(tree);
  eddy_free(buf);
  eddy_engine_free(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(rfc_examples_encode_as_the_rfc_prints_them),
      cmocka_unit_test(rfc_examples_decode),
      cmocka_unit_test(an_error_decodes_with_its_fields),
      cmocka_unit_test(duplicate_keys_keep_the_first_place_and_the_last_value),
      cmocka_unit_test(random_trees_round_trip_exactly),
      cmocka_unit_test(every_js_date_round_trips),
      cmocka_unit_test(every_prefix_of_a_valid_buffer_is_truncated),
      cmocka_unit_test(mutated_buffers_give_a_status_never_a_crash),
      cmocka_unit_test(malformed_buffers_name_the_offset),
      cmocka_unit_test(nesting_limit_is_1000_both_ways),
      cmocka_unit_test(big_strings_and_bignums),
      cmocka_unit_test(eval_cbor_matches_the_tree),
      cmocka_unit_test(eval_cbor_hands_back_the_thrown_error),
      cmocka_unit_test(call_cbor_passes_every_type_into_js),
      cmocka_unit_test(call_export_cbor_calls_a_module_export),
      cmocka_unit_test(js_dates_round_trip_through_js),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
