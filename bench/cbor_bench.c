/* CBOR against the tree walk (figures, not assertions): a host moving a large value out of JS and
   one into JS, the way an FFI host would, and how many calls across the FFI boundary each way
   takes (each call costs a foreign host ~10-50 ns in Dart, ~0.3-1 us in Python ctypes).

   out: eddy_eval + a walk of the tree with the accessors (type, length, key, at, number, string,
        bytes) vs eddy_eval_cbor (one buffer; decoding it is the host's, in its own language)
   in:  building the argument tree with the constructors + eddy_call vs eddy_call_cbor with a
        buffer the host encoded
   Also eddy_value_to_cbor / eddy_value_from_cbor alone, and the sizes of CBOR and JSON.
   usage: bench_cbor [ROWS] [RUNS]   (default 10000 rows, 11 runs; medians of process CPU ms).
   One JSON line each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "eddy.h"

/* CPU time of the process (the driver thread does the JS side): on a shared machine wall time
   drifts with the neighbours' load, CPU time much less. */
static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, cmp);
  return v[n / 2];
}

/* What a host does with every node it reads: the calls are what is counted. */
static unsigned long calls;
static double sink;

static void walk(const eddy_value *v) {
  calls++;
  eddy_type t = eddy_value_type(v);
  size_t n;
  switch (t) {
    case EDDY_TYPE_NUMBER:
    case EDDY_TYPE_DATE:
      calls++;
      sink += eddy_value_number(v);
      break;
    case EDDY_TYPE_STRING:
    case EDDY_TYPE_BIGINT:
      calls++;
      sink += (double)(unsigned char)eddy_value_string(v, &n)[0] + (double)n;
      break;
    case EDDY_TYPE_BYTES:
      calls++;
      sink += (double)eddy_value_bytes(v, &n)[0];
      break;
    case EDDY_TYPE_ARRAY:
    case EDDY_TYPE_OBJECT:
      calls++;
      n = eddy_value_length(v);
      for (size_t i = 0; i < n; i++) {
        if (t == EDDY_TYPE_OBJECT) {
          calls++;
          size_t kl;
          const char *k = eddy_value_key(v, i, &kl);
          sink += (double)(unsigned char)k[0] + (double)kl;
        }
        calls++;
        walk(eddy_value_at(v, i));
      }
      break;
    default:
      break;
  }
}

/* The argument tree a host builds node by node: the same shape as the JS result. */
static eddy_value *build_args(int rows) {
  eddy_value *rows_v = eddy_value_new_array();
  calls++;
  for (int i = 0; i < rows; i++) {
    char name[32], big[48];
    snprintf(name, sizeof name, "user%d", i);
    snprintf(big, sizeof big, "%d00000000000000000000", i + 1);
    eddy_value *o = eddy_value_new_object();
    eddy_value_set(o, "id", eddy_value_new_number(i));
    eddy_value_set(o, "name", eddy_value_new_cstring(name));
    eddy_value_set(o, "score", eddy_value_new_number(i * 1.5));
    eddy_value *tags = eddy_value_new_array();
    eddy_value_push(tags, eddy_value_new_cstring("a"));
    eddy_value_push(tags, eddy_value_new_cstring("b"));
    eddy_value_set(o, "tags", tags);
    eddy_value_set(o, "big", eddy_value_new_bigint(big));
    eddy_value_set(o, "when", eddy_value_new_date(1.7e12 + i));
    eddy_value_set(o, "blob", eddy_value_new_bytes("0123456789abcdef", 16));
    eddy_value_push(rows_v, o);
    calls += 1 + 2 * 7 + 2 * 2 + 1 + 1; /* object, 7 values + sets, 2 tags + pushes, array, push */
  }
  eddy_value *args = eddy_value_new_array();
  eddy_value_push(args, rows_v);
  calls += 2;
  return args;
}

int main(int argc, char **argv) {
  int rows = argc > 1 ? atoi(argv[1]) : 10000, runs = argc > 2 ? atoi(argv[2]) : 11;
  eddy_engine *e;
  if (eddy_engine_new(NULL, &e)) return 1;
  char src[512];
  /* made once: the timings are of moving the value, not of making it */
  snprintf(src, sizeof src,
           "globalThis.rows = Array.from({ length: %d }, (_, i) => ({ id: i, name: 'user' + i,"
           " score: i * 1.5, tags: ['a', 'b'], big: BigInt(i + 1) * 10n ** 20n,"
           " when: new Date(1.7e12 + i), blob: new TextEncoder().encode('0123456789abcdef') }));"
           "globalThis.consume = rows => rows.length; 0",
           rows);
  eddy_value *tmp = NULL;
  if (eddy_eval(e, src, strlen(src), NULL, &tmp)) return 1;
  eddy_value_free(tmp);
  strcpy(src, "rows");

  double *t_walk = calloc((size_t)runs, sizeof(double)), *t_cbor = calloc((size_t)runs, sizeof(double));
  double *t_build = calloc((size_t)runs, sizeof(double)), *t_in = calloc((size_t)runs, sizeof(double));
  double *t_enc = calloc((size_t)runs, sizeof(double)), *t_dec = calloc((size_t)runs, sizeof(double));
  unsigned long walk_calls = 0, build_calls = 0;
  size_t cbor_len = 0, json_len = 0;
  for (int r = 0; r < runs; r++) {
    /* out, the walk */
    double t0 = now_ms();
    eddy_value *v = NULL;
    if (eddy_eval(e, src, strlen(src), "rows.js", &v)) return 1;
    calls = 1;
    walk(v);
    eddy_value_free(v);
    calls++;
    t_walk[r] = now_ms() - t0;
    walk_calls = calls;
    /* out, CBOR */
    t0 = now_ms();
    uint8_t *buf;
    size_t n;
    if (eddy_eval_cbor(e, src, strlen(src), "rows.js", &buf, &n)) return 1;
    t_cbor[r] = now_ms() - t0;
    cbor_len = n;
    /* the codec alone, on the same tree */
    if (eddy_value_from_cbor(buf, n, &v, NULL)) return 1;
    eddy_free(buf);
    t0 = now_ms();
    eddy_value_to_cbor(v, &buf, &n);
    t_enc[r] = now_ms() - t0;
    eddy_value *back = NULL;
    t0 = now_ms();
    eddy_value_from_cbor(buf, n, &back, NULL);
    t_dec[r] = now_ms() - t0;
    eddy_value_free(back);
    char *json;
    eddy_value_to_json(v, &json, &json_len);
    eddy_free(json);
    eddy_value_free(v);
    eddy_free(buf);

    /* in, the tree built node by node */
    t0 = now_ms();
    calls = 0;
    eddy_value *args = build_args(rows);
    eddy_value *res = NULL;
    if (eddy_call(e, "consume", args, &res) || eddy_value_number(res) != rows) return 1;
    eddy_value_free(res);
    eddy_value_free(args);
    calls += 3;
    t_build[r] = now_ms() - t0;
    build_calls = calls;
    /* in, a buffer the host encoded (here by eddy_value_to_cbor, outside the timing) */
    args = build_args(rows);
    eddy_value_to_cbor(args, &buf, &n);
    eddy_value_free(args);
    t0 = now_ms();
    uint8_t *out;
    size_t out_n;
    if (eddy_call_cbor(e, "consume", buf, n, &out, &out_n)) return 1;
    t_in[r] = now_ms() - t0;
    eddy_free(out);
    eddy_free(buf);
  }
  printf("{\"bench\":\"cbor_out\",\"rows\":%d,\"walk_ms\":%.2f,\"walk_calls\":%lu,\"eval_cbor_ms\":%.2f,"
         "\"eval_cbor_calls\":2,\"cbor_bytes\":%zu,\"json_bytes\":%zu}\n",
         rows, median(t_walk, runs), walk_calls, median(t_cbor, runs), cbor_len, json_len);
  printf("{\"bench\":\"cbor_in\",\"rows\":%d,\"build_and_call_ms\":%.2f,\"build_calls\":%lu,"
         "\"call_cbor_ms\":%.2f,\"call_cbor_calls\":2}\n",
         rows, median(t_build, runs), build_calls, median(t_in, runs));
  printf("{\"bench\":\"cbor_codec\",\"rows\":%d,\"encode_ms\":%.2f,\"decode_ms\":%.2f,"
         "\"encode_MBps\":%.0f,\"decode_MBps\":%.0f}\n",
         rows, median(t_enc, runs), median(t_dec, runs), cbor_len / 1e3 / median(t_enc, runs),
         cbor_len / 1e3 / median(t_dec, runs));
  eddy_engine_free(e);
  free(t_walk), free(t_cbor), free(t_build), free(t_in), free(t_enc), free(t_dec);
  return sink == 12345.678; /* keeps the walk from being optimised away */
}
