/* Helpers shared by the C tests: cmocka plus assertions that print both sides, deadlines
   instead of sleeps, and a check that an engine's thread left nothing behind. */
#ifndef EDDY_TESTUTIL_H
#define EDDY_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <cmocka.h>

#include "eddy.h"

uint64_t tu_now_ms(void);
/* Polls cond(arg) every 1 ms until it holds or timeout_ms passes; returns whether it held. */
int tu_wait_until(int (*cond)(void *), void *arg, int timeout_ms);
void tu_sleep_ms(int ms);
/* tu_wait_until conditions and qsort comparators the tests share. */
int tu_no_pending(void *engine); /* eddy_pending(engine) == 0 */
int tu_cmp_double(const void *a, const void *b);

/* An engine with the driver on or off and its log captured. */
eddy_engine *tu_engine(int driver);
eddy_engine *tu_engine_opts(eddy_options *opts);
/* Evaluates and expects success; returns the value (caller frees). */
eddy_value *tu_eval(eddy_engine *e, const char *src);
/* Evaluates and returns the number result (fails the test otherwise). */
double tu_eval_number(eddy_engine *e, const char *src);
/* Evaluates and returns a malloc'd copy of the string result (or "" for non-strings). */
char *tu_eval_string(eddy_engine *e, const char *src);

/* The EDDY_JSC_* features an engine made now gets (EDDY_JSC_OPTIONAL applied), asked once. */
int tu_jsc_features(void);
/* Passes the test at once unless engines get every one of the bits: it checks an accelerated
   behaviour, whose fallback tests/c/test_jsc_fallbacks.c covers (docs/porting.md). */
#define TU_NEED_JSC(bits)                                                   \
  do {                                                                      \
    if ((tu_jsc_features() & (bits)) != (bits)) {                           \
      print_message("skipped: this JavaScriptCore (EDDY_JSC_OPTIONAL) lacks it\n"); \
      return;                                                               \
    }                                                                       \
  } while (0)

/* eddy_eval of src (named name) while another thread calls eddy_interrupt every period_ms until
   it returns: for JS that only an interrupt can stop. → the eval's status; *out as eddy_eval's. */
int tu_eval_interrupted(eddy_engine *e, const char *src, const char *name, int period_ms,
                        eddy_value **out);

/* A test server of tests/servers (Python), run with its stdin and stdout piped. */
typedef struct {
  pid_t pid;
  int in_fd;        /* its stdin: closing it stops the server */
  int out_fd;       /* its stdout (non-blocking) */
  char first[1024]; /* the JSON line it prints first, with its URLs */
  char buf[65536];  /* what it printed after that, as tu_server_read read it */
  size_t len;
} tu_server;

/* Starts tests/servers/<script> and waits (15 s at most) for its JSON line. */
void tu_server_start(tu_server *s, const char *script);
/* Appends what the server printed since, waiting up to timeout_ms for the first bytes. */
void tu_server_read(tu_server *s, int timeout_ms);
/* The string value of "key" in its JSON line (fails the test if there is none). */
void tu_server_field(const tu_server *s, const char *key, char *out, size_t cap);
/* Stops it: stdin closed and SIGTERM, then after 5 s SIGKILL (a handler thread blocked on a
   socket would keep it up), and waits for it. */
void tu_server_stop(tu_server *s);

#define TU_ASSERT_STATUS(expected, actual)                                                    \
  do {                                                                                      \
    int tu_a_ = (actual), tu_e_ = (expected);                                               \
    if (tu_a_ != tu_e_)                                                                     \
      fail_msg("%s:%d: expected %s (%d), got %s (%d)", __FILE__, __LINE__,                  \
               eddy_err_name(tu_e_), tu_e_, eddy_err_name(tu_a_), tu_a_);                   \
  } while (0)

#endif
