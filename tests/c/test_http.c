/* HTTP transfers (src/web/http*.c) through the public API: fetch() evaluated in engines, against
   the Python test servers in tests/servers, started here with their stdin and stdout piped.
   Waits use deadlines, never fixed sleeps. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

/* ---- test servers ------------------------------------------------------------------------ */

static tu_server http_server; /* httpserver.py, shared by the tests that need it */
static char base[256];        /* its "http" URL */
static tu_server tls_server;  /* tls_server.py: nginx speaking HTTP/2 over TLS */
static char tls_h2[256], tls_wrong_host[256], tls_cacert[1024], tls_capath[1024];

static int group_setup(void **state) {
  (void)state;
  tu_server_start(&http_server, "httpserver.py");
  tu_server_field(&http_server, "http", base, sizeof base);
  tu_server_start(&tls_server, "tls_server.py");
  tu_server_field(&tls_server, "h2", tls_h2, sizeof tls_h2);
  tu_server_field(&tls_server, "wrong_host", tls_wrong_host, sizeof tls_wrong_host);
  tu_server_field(&tls_server, "cacert", tls_cacert, sizeof tls_cacert);
  tu_server_field(&tls_server, "capath", tls_capath, sizeof tls_capath);
  return 0;
}

static int group_teardown(void **state) {
  (void)state;
  tu_server_stop(&http_server);
  tu_server_stop(&tls_server);
  return 0;
}

/* ---- helpers ----------------------------------------------------------------------------- */

/* JS source with every BASE, TLS_H2 and TLS_WRONG_HOST replaced by that server URL (as a
   quoted string). */
static char *with_base(const char *src) {
  const struct {
    const char *token, *url;
  } urls[] = {{"BASE", base}, {"TLS_H2", tls_h2}, {"TLS_WRONG_HOST", tls_wrong_host}};
  size_t cap = strlen(src) * 2 + 4096, n = 0;
  char *out = malloc(cap);
  for (const char *p = src; *p;) {
    size_t i = 0;
    while (i < sizeof urls / sizeof *urls && strncmp(p, urls[i].token, strlen(urls[i].token)))
      i++;
    if (i < sizeof urls / sizeof *urls) {
      n += (size_t)snprintf(out + n, cap - n, "'%s'", urls[i].url);
      p += strlen(urls[i].token);
    } else {
      out[n++] = *p++;
    }
  }
  out[n] = '\0';
  return out;
}

typedef struct {
  atomic_int done;
  int status;
  eddy_value *result;
} async_result;

static void on_done(eddy_engine *e, int status, eddy_value *result, void *userdata) {
  (void)e;
  async_result *r = userdata;
  r->status = status;
  r->result = result;
  atomic_store(&r->done, 1);
}

static int is_done(void *arg) { return atomic_load(&((async_result *)arg)->done); }

/* Evaluates src (BASE substituted) on a driven engine and waits for its promise, with a deadline.
   Returns the value (caller frees); fails the test on error or timeout. */
static eddy_value *eval_wait(eddy_engine *e, const char *src, int timeout_ms) {
  char *code = with_base(src);
  async_result *r = calloc(1, sizeof *r);
  assert_int_equal(eddy_eval_async(e, code, strlen(code), "test.js", on_done, r), 0);
  if (!tu_wait_until(is_done, r, timeout_ms))
    fail_msg("`%s` did not settle within %d ms", src, timeout_ms); /* r leaks on purpose */
  free(code);
  if (r->status) fail_msg("`%s` failed: %s: %s", src, eddy_err_name(r->status),
                          r->result ? eddy_value_error_stack(r->result) : "");
  eddy_value *v = r->result;
  free(r);
  return v;
}

static char *eval_wait_string(eddy_engine *e, const char *src, int timeout_ms) {
  eddy_value *v = eval_wait(e, src, timeout_ms);
  const char *s = eddy_value_string(v, NULL);
  char *out = strdup(s ? s : "(not a string)");
  eddy_value_free(v);
  return out;
}

static double eval_wait_number(eddy_engine *e, const char *src, int timeout_ms) {
  eddy_value *v = eval_wait(e, src, timeout_ms);
  if (eddy_value_type(v) != EDDY_TYPE_NUMBER) fail_msg("`%s` is not a number", src);
  double d = eddy_value_number(v);
  eddy_value_free(v);
  return d;
}

#define ASSERT_EVAL_STRING(e, src, expected)                                                     \
  do {                                                                                          \
    char *s_ = eval_wait_string((e), (src), 10000);                                             \
    if (strcmp(s_, (expected)) != 0)                                                            \
      fail_msg("%s:%d: `%s` gave \"%s\", expected \"%s\"", __FILE__, __LINE__, (src), s_,        \
               (expected));                                                                     \
    free(s_);                                                                                   \
  } while (0)

static int setup_driven(void **state) {
  *state = tu_engine(1);
  return 0;
}

static int teardown_engine(void **state) {
  eddy_engine_free(*state);
  return 0;
}

/* ---- tests ------------------------------------------------------------------------------- */

static void get_status_headers_and_body(void **state) {
  eddy_engine *e = *state;
  ASSERT_EVAL_STRING(e,
                     "fetch(BASE + '/status/404?text=Nope%20Here').then(async r => "
                     "[r.status, r.statusText, r.ok, r.headers.get('content-type'), "
                     "await r.text()].join('|'))",
                     "404|Nope Here|false|text/plain|status 404\n");
  ASSERT_EVAL_STRING(e,
                     "fetch(BASE + '/headers?X-One=1&x-two=%20padded%20&X-Empty=').then(r => "
                     "[...r.headers].filter(([n]) => n.startsWith('x-')).join(';'))",
                     "x-empty,;x-one,1;x-two,padded");
  ASSERT_EVAL_STRING(e, "fetch(BASE + '/cookies').then(r => r.headers.getSetCookie().join('|'))",
                     "a=1; Path=/|b=2; Path=/; HttpOnly|c=3; Path=/; Max-Age=3600");
}

static void request_method_headers_and_body_arrive(void **state) {
  eddy_engine *e = *state;
  ASSERT_EVAL_STRING(
      e,
      "fetch(BASE + '/echo?q=1', {method: 'PUT', body: new Uint8Array([104, 105, 0, 255]), "
      "headers: {'X-Custom': 'v', 'X-Blank': ''}}).then(r => r.json()).then(j => {"
      "  const h = Object.fromEntries(j.headers);"
      "  return [j.method, j.query, j.bodyBase64, h['x-custom'], h['x-blank'], h.expect,"
      "          h['content-length'], 'content-type' in h].join('|'); })",
      "PUT|q=1|aGkA/w==|v|||4|false");
  /* POST without a body sends Content-Length: 0; a GET sends no body headers at all. */
  ASSERT_EVAL_STRING(e,
                     "Promise.all([fetch(BASE + '/echo', {method: 'POST'}), fetch(BASE + '/echo')])"
                     ".then(rs => Promise.all(rs.map(r => r.json()))).then(js => js.map(j => {"
                     "  const h = Object.fromEntries(j.headers);"
                     "  return j.method + ':' + h['content-length'] + ':' + h['content-type'];"
                     "}).join(' '))",
                     "POST:0:undefined GET:undefined:undefined");
  ASSERT_EVAL_STRING(e,
                     "fetch(BASE + '/echo', {method: 'HEAD'}).then(async r => r.status + ':' + "
                     "(await r.arrayBuffer()).byteLength + ':' + (r.headers.get('content-length') > 0))",
                     "200:0:true");
  ASSERT_EVAL_STRING(e,
                     "fetch(BASE + '/echo', {method: 'DELETE'}).then(r => r.json()).then(j => j.method)",
                     "DELETE");
}

static void compressed_and_chunked_bodies_are_decoded(void **state) {
  eddy_engine *e = *state;
  ASSERT_EVAL_STRING(e,
                     "Promise.all(['/plain', '/gzip', '/deflate'].map(p => fetch(BASE + p)"
                     ".then(r => r.text()))).then(([a, b, c]) => a.length > 1000 && a === b && "
                     "a === c ? 'same' : 'differ')",
                     "same");
  ASSERT_EVAL_STRING(e,
                     "fetch(BASE + '/drip?chunks=4&delay_ms=5').then(r => r.text())",
                     "chunk 0\nchunk 1\nchunk 2\nchunk 3\n");
  /* An unknown-length body that grows the buffer many times. */
  ASSERT_EVAL_STRING(e,
                     "fetch(BASE + '/drip?chunks=64&delay_ms=0&size=65536').then(r => "
                     "r.arrayBuffer()).then(b => b.byteLength + ':' + new Uint8Array(b)[4194303])",
                     "4194304:120");
}

static void large_body_arrives_intact(void **state) {
  eddy_engine *e = *state;
  ASSERT_EVAL_STRING(e,
                     "fetch(BASE + '/large?bytes=20000000').then(r => r.arrayBuffer()).then(b => {"
                     "  const u = new Uint8Array(b);"
                     "  for (let i = 0; i < u.length; i += 4093) if (u[i] !== i % 251) return 'bad ' + i;"
                     "  return String(u.length); })",
                     "20000000");
}

static void hundred_concurrent_fetches_complete(void **state) {
  eddy_engine *e = *state;
  double n = eval_wait_number(
      e,
      "Promise.all(Array.from({length: 100}, (_, i) => fetch(BASE + '/echo?i=' + i)"
      ".then(r => r.json()).then(j => j.query === 'i=' + i))).then(a => a.filter(Boolean).length)",
      20000);
  assert_true(n == 100);
  assert_int_equal(eddy_pending(e), 0);
}

static void sequential_fetches_reuse_one_connection(void **state) {
  eddy_engine *e = *state;
  double extra = eval_wait_number(e,
                                  "(async () => {"
                                  "  const count = async () => Number(await (await fetch(BASE + "
                                  "'/connections')).text());"
                                  "  const before = await count();"
                                  "  for (let i = 0; i < 20; i++) await (await fetch(BASE + "
                                  "'/echo')).text();"
                                  "  return (await count()) - before; })()",
                                  20000);
  assert_true(extra == 0);
}

/* Rounds of 64 fetches at a time keep their connections. curl's default cache size follows the
   number of transfers in the multi, which drops as a loop turn's finished ones leave it. */
static void concurrent_rounds_reuse_their_connections(void **state) {
  eddy_engine *e = *state;
  double extra = eval_wait_number(
      e,
      "(async () => {"
      "  const count = async () => Number(await (await fetch(BASE + '/connections')).text());"
      "  const round = () => Promise.all(Array.from({length: 64}, () => fetch(BASE + '/echo')"
      "    .then((r) => r.text())));"
      "  await round();"
      "  const before = await count();"
      "  for (let i = 0; i < 5; i++) await round();"
      "  return (await count()) - before; })()",
      30000);
  assert_true(extra == 0);
}

static double thread_cpu_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The CPU time of this thread (the loop's, with no driver) over 8 fetches from a server that
   answers in 250 ms, with busy_poll_us as given. */
static double slow_fetches_cpu_ms(int busy_poll_us) {
  eddy_options o;
  eddy_options_init(&o, sizeof o);
  o.start_driver = 0;
  o.busy_poll_us = busy_poll_us;
  eddy_engine *e = tu_engine_opts(&o);
  char *code = with_base("(async () => { for (let i = 0; i < 8; i++) "
                         "await (await fetch(BASE + '/delay?ms=250')).text(); return 'done'; })()");
  double cpu0 = thread_cpu_ms();
  eddy_value *v = NULL;
  assert_int_equal(eddy_eval(e, code, strlen(code), "slow.js", &v), 0);
  double cpu = thread_cpu_ms() - cpu0;
  assert_string_equal(eddy_value_string(v, NULL), "done");
  eddy_value_free(v);
  free(code);
  eddy_engine_free(e);
  return cpu;
}

/* Busy-polling gives up on a slow server: against one that answers in 250 ms, a 30 ms budget is
   spent on the first wait, not on all eight (240 ms of CPU more than without busy-polling).
   Measured against the same fetches without it, so a slow or loaded machine (the scripts' own
   CPU time, ~100-400 ms under ASan) moves both alike. */
static void busy_polling_gives_up_on_a_slow_server(void **state) {
  (void)state;
  eddy_options o;
  eddy_options_init(&o, sizeof o);
  assert_int_equal(o.busy_poll_us, 50);
  double plain = slow_fetches_cpu_ms(0);
  double busy = slow_fetches_cpu_ms(30000);
  printf("# 8 slow fetches: %.0f ms of CPU busy-polling, %.0f ms without\n", busy, plain);
  if (busy - plain >= 150)
    fail_msg("8 slow fetches took %.0f ms of CPU busy-polling, %.0f ms without", busy, plain);
}

/* Responses that finish in the same loop turn are delivered in one VM entry, but each callback
   keeps a time limit of its own: three handlers of 80 ms each fit a 150 ms limit. */
static void time_limit_is_per_callback_when_responses_share_a_turn(void **state) {
  (void)state;
  TU_NEED_JSC(EDDY_JSC_TIME_LIMIT);
  eddy_options o;
  eddy_options_init(&o, sizeof o);
  o.time_limit_ms = 150;
  eddy_engine *e = tu_engine_opts(&o);
  ASSERT_EVAL_STRING(e,
                     "const busy = (ms) => { const t = Date.now(); while (Date.now() - t < ms) {} };"
                     "Promise.all([1, 2, 3].map((i) => fetch(BASE + '/delay?ms=300')"
                     "  .then((r) => r.text()).then(() => { busy(80); return i; })))"
                     ".then((is) => is.join())",
                     "1,2,3");
  eddy_engine_free(e);
}

/* ---- TLS: trust store, host name check, HTTP/2 ------------------------------------------ */

static eddy_engine *tls_engine(const char *ca_file, const char *ca_path) {
  eddy_options o;
  eddy_options_init(&o, sizeof o);
  o.ca_file = ca_file;
  o.ca_path = ca_path;
  return tu_engine_opts(&o);
}

/* Fetches url_token + '/proto' (TLS_H2 or TLS_WRONG_HOST) and checks the outcome, "resolved
   <body>" or "<cause.code> <cause.message>": it must start with `prefix` and contain `needle`. */
static void assert_tls_outcome(eddy_engine *e, const char *url_token, const char *prefix,
                               const char *needle) {
  char src[512];
  snprintf(src, sizeof src,
           "fetch(%s + '/proto').then(r => r.text()).then(t => 'resolved ' + t, "
           "err => err.cause.code + ' ' + err.cause.message)",
           url_token);
  char *s = eval_wait_string(e, src, 10000);
  if (strncmp(s, prefix, strlen(prefix)) != 0 || !strstr(s, needle))
    fail_msg("%s gave \"%s\", expected \"%s…%s…\"", url_token, s, prefix, needle);
  free(s);
}

static void tls_refuses_an_unknown_certificate_by_default(void **state) {
  (void)state;
  eddy_engine *e = tls_engine(NULL, NULL);
  assert_tls_outcome(e, "TLS_H2", "60 ", "self-signed");
  eddy_engine_free(e);
}

/* The host's CA file is trusted, and the server's ALPN offer of h2 is taken: concurrent fetches
   to one origin share one HTTP/2 connection. */
static void tls_trusts_ca_file_and_multiplexes_http2(void **state) {
  (void)state;
  eddy_engine *e = tls_engine(tls_cacert, NULL);
  ASSERT_EVAL_STRING(e,
                     "Promise.all(Array.from({length: 8}, () => fetch(TLS_H2 + '/proto')"
                     "  .then(r => r.text()))).then(all => {"
                     "  const seen = new Set(all.map(t => t.split(' ')[1]));"
                     "  return all.every(t => t.startsWith('HTTP/2.0 ')) && seen.size === 1 ?"
                     "    'one h2 connection' : all.join(', ');"
                     "})",
                     "one h2 connection");
  assert_int_equal(eddy_pending(e), 0);
  eddy_engine_free(e);
}

/* Many streams on HTTP/2 connections: all complete, bodies aborted mid-flight reject with the
   abort reason and free their streams while the connection carries on, and closing the engine
   with streams still arriving is prompt (ASan checks that nothing leaks). */
static void http2_streams_abort_and_close_cleanly(void **state) {
  (void)state;
  eddy_engine *e = tls_engine(tls_cacert, NULL);
  ASSERT_EVAL_STRING(e,
                     "(async () => {"
                     "  const slow = Array.from({length: 10}, async () => {"
                     "    const c = new AbortController();"
                     "    const r = await fetch(TLS_H2 + '/slow', {signal: c.signal});"
                     "    const body = r.arrayBuffer();"
                     "    setTimeout(() => c.abort(), 20);"
                     "    return body.then(() => 'finished', err => err.name);"
                     "  });"
                     "  const fast = Array.from({length: 300}, () =>"
                     "    fetch(TLS_H2 + '/proto').then(r => r.text()));"
                     "  const outcomes = new Set(await Promise.all(slow));"
                     "  const protos = new Set((await Promise.all(fast)).map(t => t.split(' ')[0]));"
                     "  return [...outcomes].join() + ' ' + [...protos].join();"
                     "})()",
                     "AbortError HTTP/2.0");
  assert_int_equal(eddy_pending(e), 0);
  /* The connection still serves new streams after the aborts. */
  ASSERT_EVAL_STRING(e, "fetch(TLS_H2 + '/proto').then(r => r.text()).then(t => t.split(' ')[0])",
                     "HTTP/2.0");
  eddy_value_free(eval_wait(e,
            "globalThis.bodies = Array.from({length: 20}, () => fetch(TLS_H2 + '/slow')"
            "  .then(r => r.arrayBuffer())); 'started'",
            5000));
  ASSERT_EVAL_STRING(e,
                     "new Promise(resolve => setTimeout(resolve, 100)).then(() => 'waited')",
                     "waited");
  assert_int_equal(eddy_pending(e), 1);
  uint64_t t0 = tu_now_ms();
  eddy_engine_free(e);
  uint64_t took = tu_now_ms() - t0;
  if (took >= 1000) fail_msg("closing with streams in flight took %llu ms", (unsigned long long)took);
}

/* An upload the server answers before reading it all (the /proto endpoint never reads bodies)
   completes: libcurl 7.88 would spin forever on it over HTTP/2, so large bodies go over
   HTTP/1.1; small ones stay on HTTP/2, and a large upload the server reads arrives whole. */
static void uploads_complete_when_answered_early(void **state) {
  (void)state;
  eddy_engine *e = tls_engine(tls_cacert, NULL);
  ASSERT_EVAL_STRING(e,
                     "Promise.all([1000, 16384, 70000, 1000000].map(n =>"
                     "  fetch(TLS_H2 + '/proto', {method: 'POST', body: new Uint8Array(n)})"
                     "    .then(r => r.text()).then(t => n + ':' + t.split(' ')[0])))"
                     "  .then(all => all.join(' '))",
                     "1000:HTTP/2.0 16384:HTTP/2.0 70000:HTTP/1.1 1000000:HTTP/1.1");
  ASSERT_EVAL_STRING(e,
                     "fetch(TLS_H2 + '/upload/big', {method: 'PUT', body: new Uint8Array(3e6)})"
                     "  .then(r => fetch(TLS_H2 + '/upload/big', {method: 'HEAD'}))"
                     "  .then(r => r.headers.get('content-length'))",
                     "3000000");
  assert_int_equal(eddy_pending(e), 0);
  eddy_engine_free(e);
}

/* A trusted certificate for another name is still refused: the host name is checked. */
static void tls_checks_the_host_name(void **state) {
  (void)state;
  eddy_engine *e = tls_engine(tls_cacert, NULL);
  assert_tls_outcome(e, "TLS_WRONG_HOST", "60 ", "host name");
  eddy_engine_free(e);
}

/* ca_path alone is the whole trust store: its certificate is trusted, one outside it is not. */
static void tls_trusts_ca_path(void **state) {
  (void)state;
  eddy_engine *e = tls_engine(NULL, tls_capath);
  assert_tls_outcome(e, "TLS_H2", "resolved HTTP/2.0 ", "");
  assert_tls_outcome(e, "TLS_WRONG_HOST", "60 ", "self-signed");
  eddy_engine_free(e);
}

/* A CA file that cannot be read fails the fetch with curl's code, and the message names it. */
static void tls_missing_ca_file_is_named(void **state) {
  (void)state;
  eddy_engine *e = tls_engine("/nonexistent/eddy-ca.pem", NULL);
  assert_tls_outcome(e, "TLS_H2", "77 ", "/nonexistent/eddy-ca.pem");
  eddy_engine_free(e);
}

/* A timer pass is bounded: an endless setTimeout(0) chain still lets a response through. */
static void a_zero_delay_timer_chain_does_not_starve_io(void **state) {
  eddy_engine *e = *state;
  ASSERT_EVAL_STRING(e,
                     "(() => { let stop = false, links = 0;"
                     "  (function spin() { if (!stop) { links++; setTimeout(spin, 0); } })();"
                     "  return fetch(BASE + '/plain').then(r => r.text()).then(() => {"
                     "    stop = true; return links > 1 ? 'fetched while spinning' : 'no spin'; });"
                     "})()",
                     "fetched while spinning");
}

static void connection_refused_is_code_7(void **state) {
  /* Port 2, not 1: 1 is one of Fetch's bad ports, blocked before any connection. */
  eddy_engine *e = *state;
  ASSERT_EVAL_STRING(e,
                     "fetch('http://127.0.0.1:2/').then(() => 'resolved', err => "
                     "err.name + ':' + (err.cause && err.cause.code))",
                     "TypeError:7");
  /* A body cut short is a failure of the body, after the response resolved. */
  ASSERT_EVAL_STRING(e,
                     "fetch(BASE + '/close-mid-body').then(r => r.arrayBuffer()).then(() => 'ok', "
                     "err => String(err.cause && err.cause.code))",
                     "18");
  assert_int_equal(eddy_pending(e), 0);
}

/* ---- limits: hostile servers ------------------------------------------------------------ */

static eddy_engine *engine_with_max_body(uint64_t max) {
  eddy_options o;
  eddy_options_init(&o, sizeof o);
  o.max_response_body = max;
  return tu_engine_opts(&o);
}

/* A body larger than max_response_body fails with code 63 and says why: at once when its
   Content-Length says so, otherwise counted on the decoded bytes as they arrive (a gzip bomb
   of a few KB stops at the limit instead of expanding into memory). */
static void bodies_over_the_limit_fail_with_code_63(void **state) {
  (void)state;
  eddy_engine *e = engine_with_max_body(1 << 20);
  ASSERT_EVAL_STRING(e,
                     "fetch(BASE + '/large?bytes=2097152').then(() => 'resolved', err => [err.name, "
                     "err.message, err.cause.code, /max_response_body/.test(err.cause.message)].join('|'))",
                     "TypeError|fetch failed|63|true");
  ASSERT_EVAL_STRING(e,
                     "fetch(BASE + '/large?bytes=1048576').then(r => r.arrayBuffer())"
                     ".then(b => String(b.byteLength))",
                     "1048576");
  const char *const over[] = {"/drip?chunks=40&delay_ms=0&size=65536", "/gzip-bomb?mb=64",
                              "/gzip-bomb?mb=64&chunked=1"};
  for (size_t i = 0; i < sizeof over / sizeof over[0]; i++) {
    char src[512];
    snprintf(src, sizeof src,
             "fetch(BASE + '%s').then(r => r.arrayBuffer()).then(b => 'read ' + b.byteLength, "
             "err => err.cause.code + ':' + /1048576 bytes/.test(err.cause.message))",
             over[i]);
    ASSERT_EVAL_STRING(e, src, "63:true");
  }
  /* A HEAD's Content-Length describes a body it does not get. */
  ASSERT_EVAL_STRING(e, "fetch(BASE + '/large?bytes=5000000', {method: 'HEAD'}).then(r => r.status + '')",
                     "200");
  assert_int_equal(eddy_pending(e), 0);
  eddy_engine_free(e);
}

static long vm_size_kb(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kb = -1;
  while (f && fgets(line, sizeof line, f))
    if (!strncmp(line, "VmSize:", 7)) kb = strtol(line + 7, NULL, 10);
  if (f) fclose(f);
  return kb;
}

/* No buffer is sized from what a server claims: 40 responses announcing 1 GiB each (and sending
   10 bytes) used to reserve 40 GiB of address space. */
static void content_length_claims_reserve_nothing(void **state) {
  eddy_engine *e = *state;
  long before = vm_size_kb();
  ASSERT_EVAL_STRING(e,
                     "globalThis.ctl = new AbortController();"
                     "Promise.all(Array.from({length: 40}, () => fetch(BASE + '/claim?length=1073741824',"
                     "  {signal: ctl.signal}))).then(rs => rs.map(r => r.headers.get('content-length'))[39])",
                     "1073741824");
  long after = vm_size_kb();
  eddy_value_free(tu_eval(e, "ctl.abort(); 0"));
  if (after - before > 512 * 1024)
    fail_msg("40 claims of 1 GiB grew the address space by %ld MiB", (after - before) / 1024);
}

/* libcurl 7.88 reports a header line over its 100 KiB limit as "Out of memory" (27). */
static void response_headers_too_large_say_so(void **state) {
  eddy_engine *e = *state;
  ASSERT_EVAL_STRING(e,
                     "fetch(BASE + '/big-header?bytes=1048576').then(() => 'resolved', err => "
                     "err.cause.code + ':' + err.cause.message)",
                     "27:response headers too large");
  ASSERT_EVAL_STRING(e,
                     "fetch(BASE + '/big-header?bytes=50000').then(r => String(r.headers.get('x-big').length))",
                     "50000");
}

static void abort_from_inside_callbacks(void **state) {
  eddy_engine *e = *state;
  /* Aborted while its own onResponse runs (the promise reaction runs inside that callback). */
  ASSERT_EVAL_STRING(e,
                     "(() => { const c = new AbortController();"
                     "  return fetch(BASE + '/slow-body?ms=3000', {signal: c.signal}).then(r => {"
                     "    c.abort(); return r.text(); }).then(() => 'read', err => err.name); })()",
                     "AbortError");
  /* One transfer's completion aborts others still in flight, and one that is about to end. */
  ASSERT_EVAL_STRING(e,
                     "(() => { const cs = [0, 1, 2].map(() => new AbortController());"
                     "  const hung = cs.map(c => fetch(BASE + '/hang', {signal: c.signal})"
                     "    .then(() => 'done', err => err.name));"
                     "  const both = [fetch(BASE + '/echo'), fetch(BASE + '/echo')];"
                     "  return both[0].then(() => { cs.forEach(c => c.abort()); return "
                     "Promise.all(hung); }).then(a => a.join(','));"
                     "})()",
                     "AbortError,AbortError,AbortError");
  /* Nothing may stay pending (the second /echo above may still be finishing). */
  eddy_value_free(eval_wait(e, "new Promise(r => setTimeout(r, 50))", 5000));
  assert_int_equal(eddy_pending(e), 0);
  /* Unknown ids are ignored, and the engine keeps working. */
  ASSERT_EVAL_STRING(e, "fetch(BASE + '/echo').then(r => String(r.status))", "200");
}

typedef struct {
  eddy_engine *e;
  atomic_int returned;
} run_arg;

static void *run_thread(void *arg) {
  run_arg *a = arg;
  eddy_run(a->e, EDDY_RUN_DEFAULT);
  atomic_store(&a->returned, 1);
  return NULL;
}

static int run_returned(void *arg) { return atomic_load(&((run_arg *)arg)->returned); }

static void an_idle_engine_keeps_nothing_alive(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(0);
  /* Driver off: eval pumps the loop on this thread until the promise settles. */
  char *src = with_base("fetch(BASE + '/echo').then(r => r.text()).then(t => t.length > 0)");
  eddy_value *v = tu_eval(e, src);
  free(src);
  assert_int_equal(eddy_value_bool(v), 1);
  eddy_value_free(v);
  assert_int_equal(eddy_pending(e), 0);
  /* No transfer left: eddy_run(DEFAULT) must return at once (no ref'd handle, no timer). */
  run_arg a = {e, 0};
  pthread_t t;
  assert_int_equal(pthread_create(&t, NULL, run_thread, &a), 0);
  if (!tu_wait_until(run_returned, &a, 3000)) fail_msg("eddy_run kept running on an idle engine");
  pthread_join(t, NULL);
  eddy_engine_free(e);
}

static void closing_with_transfers_in_flight_is_prompt(void **state) {
  (void)state;
  eddy_engine *probe = tu_engine(1);
  int before = 0;
  {
    char *src = with_base("fetch(BASE + '/count?path=/hang').then(r => r.text())");
    eddy_value *v = tu_eval(probe, src);
    before = atoi(eddy_value_string(v, NULL));
    eddy_value_free(v);
    free(src);
  }
  eddy_engine *e = tu_engine(1);
  eddy_value_free(eval_wait(e,
            "globalThis.results = []; for (let i = 0; i < 100; i++) fetch(BASE + '/hang')"
            ".then(() => results.push('resolved'), () => results.push('rejected')); 'started'",
            5000));
  assert_int_equal(eddy_pending(e), 1);
  /* Wait until the server holds all of them (counts are cumulative across tests). */
  for (uint64_t end = tu_now_ms() + 15000;;) {
    char *src = with_base("fetch(BASE + '/count?path=/hang').then(r => r.text())");
    eddy_value *v = tu_eval(probe, src);
    int n = atoi(eddy_value_string(v, NULL)) - before;
    eddy_value_free(v);
    free(src);
    if (n >= 100) break;
    if (tu_now_ms() > end) fail_msg("the server saw only %d of 100 requests", n);
    tu_sleep_ms(10);
  }
  uint64_t t0 = tu_now_ms();
  eddy_engine_free(e);
  uint64_t took = tu_now_ms() - t0;
  if (took >= 1000) fail_msg("closing took %llu ms", (unsigned long long)took);
  eddy_engine_free(probe);
}

static int close_now(eddy_engine *e, const eddy_value *args, eddy_value **result,
                     void *userdata) {
  (void)args;
  (void)result;
  (void)userdata;
  return eddy_engine_close(e); /* from the JS thread: completes when this callback returns */
}

static int engine_closed(void *arg) { return eddy_pending(arg) == EDDY_ECLOSED; }

static void closing_from_inside_a_response_callback(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(1);
  assert_int_equal(eddy_define_function(e, "closeNow", close_now, NULL), 0);
  /* Several transfers finish in the same dispatch pass as the one whose reaction closes. */
  eddy_value_free(eval_wait(e,
            "for (let i = 0; i < 10; i++) fetch(BASE + '/hang').catch(() => {});"
            "for (let i = 0; i < 5; i++) fetch(BASE + '/echo').then(r => r.text()).then(() => "
            "closeNow()); 'started'",
            5000));
  if (!tu_wait_until(engine_closed, e, 5000)) fail_msg("the engine did not close");
  eddy_engine_free(e);
}

static void many_engines_fetch_and_close(void **state) {
  (void)state;
  /* Engines that never fetch stay cheap; ones that do are independent. */
  eddy_engine *es[8];
  for (int i = 0; i < 8; i++) es[i] = tu_engine(1);
  for (int i = 0; i < 8; i += 2) ASSERT_EVAL_STRING(es[i], "fetch(BASE + '/echo').then(r => "
                                                          "String(r.status))", "200");
  for (int i = 0; i < 8; i++) eddy_engine_free(es[i]);
}

/* ---- the seed scenario: transfers progress only while the loop runs -------------------------- */

typedef struct {
  tu_server *s;
  const char *what;
} seen_arg;

static int server_printed(void *arg) {
  seen_arg *a = arg;
  tu_server_read(a->s, 0);
  return strstr(a->s->buf, a->what) != NULL;
}

static void seed_chain_runs_with_the_driver(void **state) {
  (void)state;
  tu_server sig;
  tu_server_start(&sig, "signal_server.py");
  char a[256], b[256], src[1024];
  tu_server_field(&sig, "a", a, sizeof a);
  tu_server_field(&sig, "b", b, sizeof b);
  snprintf(src, sizeof src, "fetch('%s').then(() => fetch('%s')).catch(() => {}); 'scheduled'", a,
           b);
  eddy_engine *e = tu_engine(1);
  char *r = tu_eval_string(e, src);
  assert_string_equal(r, "scheduled");
  free(r);
  seen_arg got_b = {&sig, "B got"};
  if (!tu_wait_until(server_printed, &got_b, 3000)) fail_msg("B got nothing: %s", sig.buf);
  char *pa = strstr(sig.buf, "A got"), *pb = strstr(sig.buf, "B got");
  assert_non_null(pa);
  assert_true(pa < pb);
  assert_true(strtod(pa + 6, NULL) <= strtod(pb + 6, NULL));
  eddy_engine_free(e);
  tu_server_stop(&sig);
}

static void seed_chain_waits_without_a_loop(void **state) {
  (void)state;
  tu_server sig;
  tu_server_start(&sig, "signal_server.py");
  char a[256], b[256], src[1024];
  tu_server_field(&sig, "a", a, sizeof a);
  tu_server_field(&sig, "b", b, sizeof b);
  snprintf(src, sizeof src, "fetch('%s').then(() => fetch('%s')).catch(() => {}); 'scheduled'", a,
           b);
  eddy_engine *e = tu_engine(0);
  char *r = tu_eval_string(e, src);
  assert_string_equal(r, "scheduled");
  free(r);
  assert_int_equal(eddy_pending(e), 1);
  seen_arg got_b = {&sig, "B got"};
  if (tu_wait_until(server_printed, &got_b, 800)) fail_msg("B got a request without a loop");
  /* Pumping now lets the chain run to its end. */
  for (uint64_t end = tu_now_ms() + 3000; !server_printed(&got_b) && tu_now_ms() < end;)
    eddy_run(e, EDDY_RUN_ONCE);
  assert_true(server_printed(&got_b));
  eddy_engine_free(e);
  tu_server_stop(&sig);
}

/* Runs src (a promise) in an engine trusting the test CA, within ms: its string result is want,
   and it leaves no pending work behind. */
static void tls_expect(const char *src, const char *want, int ms) {
  eddy_engine *e = tls_engine(tls_cacert, NULL);
  char *got = eval_wait_string(e, src, ms);
  assert_string_equal(got, want);
  free(got);
  assert_int_equal(eddy_pending(e), 0);
  eddy_engine_free(e);
}

/* Streamed bodies over HTTP/2: a ReadableStream uploaded as DATA frames as it is produced
   (WebDAV PUT stores it), then read back through response.body. An upload the server answers
   before reading it: the next test. */
static void http2_streams_bodies_both_ways(void **state) {
  (void)state;
  tls_expect("(async () => {"
             "  let i = 0;"
             "  const body = new ReadableStream({ pull(c) {"
             "    if (i === 40) return c.close();"
             "    c.enqueue(new Uint8Array(25000).fill(i++));"
             "  } });"
             "  const put = await fetch(TLS_H2 + '/upload/streamed', {method: 'PUT', body,"
             "    duplex: 'half'});"
             "  await put.arrayBuffer();"
             "  const res = await fetch(TLS_H2 + '/upload/streamed');"
             "  let n = 0, bad = 0;"
             "  for await (const chunk of res.body) {"
             "    for (let k = 0; k < chunk.length; k += 999)"
             "      if (chunk[k] !== Math.floor((n + k) / 25000)) bad++;"
             "    n += chunk.length;"
             "  }"
             "  const proto = await (await fetch(TLS_H2 + '/proto')).text();"
             "  return [put.status, n, bad, proto.split(' ')[0]].join(' ');"
             "})()",
             /* a megabyte each way under ASan on a loaded machine */
             "201 1000000 0 HTTP/2.0", 30000);
}

/* A server that answers a streamed HTTP/2 upload before reading it, as a 401 or 413 would
   (nginx's /late/ paths answer after a short wait, reading nothing meanwhile): the response
   arrives whole and the fetch ends, with or without a Content-Length. Once curl holds more of
   the upload than the stream's window, which the server never opens, libcurl 7.88 hung, its
   loop spinning on POLL_OUT, or failed the unsized response with "stream closed"
   (http_dispatch.c's finish_answered_uploads and http_harvest); without that code, 5 runs of this test in 6 failed. */
static void http2_early_answer_to_a_streamed_upload(void **state) {
  (void)state;
  tls_expect("(async () => {"
             "  const seen = [];"
             "  for (const path of ['/late/proto', '/late/proto_unsized'])"
             "    for (const size of [25000, 1000000])"
             "      for (let round = 0; round < 12; round++) {"
             "        let j = 0;"
             "        const early = new ReadableStream({ pull(c) {"
             "          if (j++ === 8) return c.close();"
             "          c.enqueue(new Uint8Array(size));"
             "        } });"
             "        const r = await fetch(TLS_H2 + path, {method: 'POST', body: early,"
             "          duplex: 'half'});"
             "        const said = path + ' ' + (await r.text()).split(' ')[0];"
             "        if (!seen.includes(said)) seen.push(said);"
             "      }"
             "  return seen.join(', ');"
             "})()",
             "/late/proto HTTP/2.0, /late/proto_unsized HTTP/2.0", 60000);
}

/* A reader that stops reading pauses its HTTP/2 stream only: another request to the origin
   completes meanwhile (libcurl 7.88 gives it a connection of its own rather than multiplex it
   next to a paused stream), and the paused one resumes when read again. */
static void http2_stalled_stream_leaves_other_requests_going(void **state) {
  (void)state;
  tls_expect("(async () => {"
             "  await fetch(TLS_H2 + '/upload/big8', {method: 'PUT',"
             "    body: new Uint8Array(8 << 20)});"
             "  const r = await fetch(TLS_H2 + '/upload/big8');"
             "  const rd = r.body.getReader();"
             "  let n = (await rd.read()).value.length;"
             "  await new Promise(resolve => setTimeout(resolve, 300));"
             "  const other = (await (await fetch(TLS_H2 + '/proto')).text()).split(' ');"
             "  for (;;) { const { done, value } = await rd.read(); if (done) break;"
             "    n += value.length; }"
             "  return [other[0], n].join(' ');"
             "})()",
             "HTTP/2.0 8388608", 30000);
}

/* The same over HTTP/2 for a body nginx gzips (8 MiB of zeros, a few KiB coded): eddy decodes
   it a step at a time, holding the coded rest while the reader stalls. */
static void http2_stalled_gzip_stream_arrives_whole(void **state) {
  (void)state;
  tls_expect("(async () => {"
             "  await fetch(TLS_H2 + '/upload/zeros8', {method: 'PUT',"
             "    body: new Uint8Array(8 << 20)});"
             "  const r = await fetch(TLS_H2 + '/gz/zeros8');"
             "  const rd = r.body.getReader();"
             "  let n = (await rd.read()).value.length, max = n;"
             "  await new Promise(resolve => setTimeout(resolve, 300));"
             "  for (;;) { const { done, value } = await rd.read(); if (done) break;"
             "    if (value.some(b => b !== 0)) return 'not zeros';"
             "    n += value.length; max = Math.max(max, value.length); }"
             "  return [r.headers.get('content-encoding'), n, max <= 768 * 1024].join(' ');"
             "})()",
             "gzip 8388608 true", 30000);
}

static int nothing_pending(void *arg) { return eddy_pending(arg) == 0; }

/* A streamed download the script stopped reading pauses once its buffer is full, and is then no
   pending work: an endless body nobody reads does not keep the engine (or `eddy script.js`)
   waiting. Reading it again would resume it. The same for a compressed body, which eddy decodes
   and holds coded (read once, and never read), whose bytes then all arrive when it is read. */
static void an_unread_paused_stream_is_no_pending_work(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(1);
  ASSERT_EVAL_STRING(e,
                     "fetch(BASE + '/stream?id=idle1').then(async r => {"
                     "  globalThis.idleReader = r.body.getReader();"
                     "  return String((await idleReader.read()).value.length > 0);"
                     "})",
                     "true");
  if (!tu_wait_until(nothing_pending, e, 10000)) fail_msg("the paused transfer is still pending");
  ASSERT_EVAL_STRING(e,
                     "Promise.all([fetch(BASE + '/gzip-bomb?mb=64'),"
                     "             fetch(BASE + '/gzip-bomb?mb=64')])"
                     "  .then(async ([r, unread]) => {"
                     "    globalThis.coded = [r.body.getReader(), unread];"
                     "    return String((await coded[0].read()).value.length > 0);"
                     "  })",
                     "true");
  if (!tu_wait_until(nothing_pending, e, 10000)) fail_msg("a held decoded body is still pending");
  ASSERT_EVAL_STRING(e,
                     "(async () => {"
                     "  let n = 0;"
                     "  for (;;) { const { done, value } = await coded[0].read(); if (done) break;"
                     "    n += value.length; }"
                     "  const b = await coded[1].arrayBuffer();"
                     "  return [n > 60 << 20, b.byteLength === 64 << 20].join();"
                     "})()",
                     "true,true");
  eddy_engine_free(e);
}

/* Closing an engine whose streamed transfers are in flight (a paused download nobody reads, one
   being read, an upload waiting on its producer) is prompt and frees everything (ASan). */
static void closing_with_streamed_transfers_in_flight(void **state) {
  (void)state;
  eddy_engine *e = tu_engine(1);
  eddy_value_free(eval_wait(e,
            "globalThis.held = (async () => {"
            "  const stalled = await fetch(BASE + '/stream?id=close1');"
            "  const r = stalled.body.getReader();"
            "  await r.read();"
            "  globalThis.reading = fetch(BASE + '/stream?id=close2').then(async res => {"
            "    for await (const c of res.body) {}"
            "  });"
            "  globalThis.upload = fetch(BASE + '/echo', {method: 'POST', duplex: 'half',"
            "    body: new ReadableStream({ pull(c) { c.enqueue(new Uint8Array(10)); "
            "      return new Promise(() => {}); } })});"
            "  return 'started';"
            "})()",
            10000));
  ASSERT_EVAL_STRING(e, "held", "started");
  ASSERT_EVAL_STRING(e, "new Promise(resolve => setTimeout(resolve, 200)).then(() => 'waited')",
                     "waited");
  uint64_t t0 = tu_now_ms();
  eddy_engine_free(e);
  uint64_t took = tu_now_ms() - t0;
  if (took >= 1000) fail_msg("closing with streams in flight took %llu ms", (unsigned long long)took);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(get_status_headers_and_body, setup_driven, teardown_engine),
      cmocka_unit_test_setup_teardown(request_method_headers_and_body_arrive, setup_driven,
                                      teardown_engine),
      cmocka_unit_test_setup_teardown(compressed_and_chunked_bodies_are_decoded, setup_driven,
                                      teardown_engine),
      cmocka_unit_test_setup_teardown(large_body_arrives_intact, setup_driven, teardown_engine),
      cmocka_unit_test_setup_teardown(hundred_concurrent_fetches_complete, setup_driven,
                                      teardown_engine),
      cmocka_unit_test_setup_teardown(sequential_fetches_reuse_one_connection, setup_driven,
                                      teardown_engine),
      cmocka_unit_test_setup_teardown(connection_refused_is_code_7, setup_driven, teardown_engine),
      cmocka_unit_test_setup_teardown(a_zero_delay_timer_chain_does_not_starve_io, setup_driven,
                                      teardown_engine),
      cmocka_unit_test(tls_refuses_an_unknown_certificate_by_default),
      cmocka_unit_test(tls_trusts_ca_file_and_multiplexes_http2),
      cmocka_unit_test(http2_streams_abort_and_close_cleanly),
      cmocka_unit_test(uploads_complete_when_answered_early),
      cmocka_unit_test(http2_streams_bodies_both_ways),
      cmocka_unit_test(http2_early_answer_to_a_streamed_upload),
      cmocka_unit_test(http2_stalled_stream_leaves_other_requests_going),
      cmocka_unit_test(http2_stalled_gzip_stream_arrives_whole),
      cmocka_unit_test(closing_with_streamed_transfers_in_flight),
      cmocka_unit_test(an_unread_paused_stream_is_no_pending_work),
      cmocka_unit_test(tls_checks_the_host_name),
      cmocka_unit_test(tls_trusts_ca_path),
      cmocka_unit_test(tls_missing_ca_file_is_named),
      cmocka_unit_test_setup_teardown(concurrent_rounds_reuse_their_connections, setup_driven,
                                      teardown_engine),
      cmocka_unit_test(busy_polling_gives_up_on_a_slow_server),
      cmocka_unit_test(time_limit_is_per_callback_when_responses_share_a_turn),
      cmocka_unit_test_setup_teardown(abort_from_inside_callbacks, setup_driven, teardown_engine),
      cmocka_unit_test(an_idle_engine_keeps_nothing_alive),
      cmocka_unit_test(closing_with_transfers_in_flight_is_prompt),
      cmocka_unit_test(closing_from_inside_a_response_callback),
      cmocka_unit_test(many_engines_fetch_and_close),
      cmocka_unit_test(seed_chain_runs_with_the_driver),
      cmocka_unit_test(seed_chain_waits_without_a_loop),
      cmocka_unit_test(bodies_over_the_limit_fail_with_code_63),
      cmocka_unit_test_setup_teardown(content_length_claims_reserve_nothing, setup_driven,
                                      teardown_engine),
      cmocka_unit_test_setup_teardown(response_headers_too_large_say_so, setup_driven,
                                      teardown_engine),
  };
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
