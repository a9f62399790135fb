/* Entering JS: every call from C into JS (eddy__call_js, detached callbacks, batches of them),
   evaluating scripts (eddy_eval), the watchdog that interrupts running JS, and the reporting of
   errors of detached work. Split from engine.c, which owns the thread model these run under. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- calling JS ------------------------------------------------------------------------------ */

/* Opens a new generation for the watchdog: eddy_interrupt targets the generation it saw running.
   0 means "no interrupt requested", so the count skips it when it wraps (after 2^32 entries,
   a day or two of a busy app) instead of interrupting whatever runs then. */
static void next_entry(eddy_engine *e) {
  if (atomic_fetch_add(&e->entry_gen, 1) + 1 == 0) atomic_fetch_add(&e->entry_gen, 1);
  if (e->opts.time_limit_ms) atomic_store(&e->entry_ns, eddy__now_ns()); /* its only reader */
}

/* Every entry into JS goes through enter_js/leave_js; the outermost one is a new generation. */
static int enter_js(eddy_engine *e) {
  int top = e->depth == 0;
  if (top) {
    next_entry(e);
    if (e->watchdog_backoff) { /* the previous entry lengthened the period: a new one starts short */
      e->watchdog_backoff = 0;
      eddy__watchdog_arm(e, EDDY__WATCHDOG_PERIOD_S);
    }
    atomic_store(&e->in_js, 1);
    e->terminated = 0;
    e->stop_reason = 0;
  }
  e->depth++;
  return top;
}

/* An allocation memory_limit refused: the entry ends as if the watchdog had terminated it, also
   when the RangeError got out before the watchdog's next check. */
static void take_refusal(eddy_engine *e) {
  if (e->memlimit && eddy__memlimit_take_refusal(e)) {
    e->terminated = 1;
    e->stop_reason = EDDY_ENOMEM;
  }
}

static int leave_js(eddy_engine *e, int top, JSValueRef thrown, JSValueRef *exc) {
  e->depth--;
  if (top) atomic_store(&e->in_js, 0);
  take_refusal(e);
  if (e->terminated) {
    int st = e->stop_reason == EDDY_ENOMEM ? EDDY_ENOMEM : EDDY_EINTERRUPTED;
    if (top) e->terminated = 0;
    return st;
  }
  if (thrown) {
    if (exc) *exc = thrown;
    return EDDY_EEXCEPTION;
  }
  return 0;
}

/* A call from C into JS with nothing of JS on the stack, or a batch of them. */
struct eddy__entry_call {
  JSObjectRef fn, self;
  size_t argc;
  const JSValueRef *argv;
  JSValueRef result, thrown;
  eddy__batch_fn batch; /* instead of fn: runs tasks with eddy__task_call */
  void *data;
  int more;
};

/* Runs the microtasks queued so far, inside the current VM entry. Only called from entry(),
   which holds the API lock the drain needs. Without JSC's drain (EDDY_JSC_DRAIN) JSC runs them
   as the outermost API call returns: eddy__batch then makes every task an entry of its own. */
static void drain_microtasks(eddy_engine *e) {
  if (e->jsc.drain_microtasks) e->jsc.drain_microtasks(e->group);
}

/* The native function every outermost call goes through: it makes the call, then drains the
   microtasks it queued itself, inside the same VM entry. Left to JSC, the drain happens as the
   outermost API call returns and every job is a VM entry of its own, which re-arms the watchdog
   (a CPU-clock system call, ~0.5-2 us here): an `await` cost twice what it costs now. Named like
   the trampoline so that stacks leave it out. */
JSValueRef eddy__entry(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                        const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  (void)argc;
  (void)argv;
  (void)exc;
  eddy_engine *e = eddy__engine_of(ctx);
  struct eddy__entry_call *c = e->entry_call;
  /* JSC dropped its API lock to call us; holding it for the whole entry makes the API calls
     made in here (a batch makes many) cheap recursive acquisitions instead of full ones. */
  eddy__jsc_lock_holder lock;
  eddy__jsc_lock(&e->jsc, &lock, e->group);
  if (c->batch) {
    int saved = e->batch_depth;
    e->batch_depth = e->depth;
    c->more = c->batch(e, c->data);
    e->batch_depth = saved;
  } else {
    c->result = JSObjectCallAsFunction(ctx, c->fn, c->self, c->argc, c->argv, &c->thrown);
    /* After a termination JSC's own drain (when the call returns) decides what still runs. */
    if (!e->terminated) drain_microtasks(e);
  }
  eddy__jsc_unlock(&e->jsc, &lock);
  return NULL;
}

/* Runs c through entry(); returns what the entry call itself threw. */
static JSValueRef run_entry(eddy_engine *e, struct eddy__entry_call *c) {
  struct eddy__entry_call *saved = e->entry_call;
  e->entry_call = c;
  JSValueRef thrown = NULL;
  JSObjectCallAsFunction(e->ctx, e->entry, NULL, 0, NULL, &thrown);
  e->entry_call = saved;
  return thrown;
}

int eddy__call_js(eddy_engine *e, JSObjectRef fn, JSObjectRef self, size_t argc,
                  const JSValueRef argv[], JSValueRef *result, JSValueRef *exc) {
  int top = enter_js(e);
  JSValueRef thrown = NULL, r;
  if (top && e->entry) {
    struct eddy__entry_call c = {0};
    c.fn = fn;
    c.self = self;
    c.argc = argc;
    c.argv = argv;
    thrown = run_entry(e, &c);
    r = c.result;
    if (!thrown) thrown = c.thrown;
  } else {
    r = JSObjectCallAsFunction(e->ctx, fn, self, argc, argv, &thrown);
  }
  if (result) *result = r;
  return leave_js(e, top, thrown, exc);
}

static int eval_js(eddy_engine *e, JSStringRef source, JSStringRef url, JSValueRef *result,
                   JSValueRef *exc) {
  int top = enter_js(e);
  JSValueRef thrown = NULL;
  *result = JSEvaluateScript(e->ctx, source, NULL, url, 1, &thrown);
  return leave_js(e, top, thrown, exc);
}

void eddy__log(eddy_engine *e, int level, const char *text, size_t len) {
  if (e->opts.log) {
    if (e->opts.owned_callback_data) { /* an asynchronous host reads it later: its own copy */
      char *copy = malloc(len + 1);
      if (!copy) return;
      if (len) memcpy(copy, text, len);
      copy[len] = '\0';
      text = copy;
    }
    e->opts.log(e, level, text, len, e->opts.log_userdata);
    return;
  }
  FILE *out = level >= EDDY_LOG_WARN ? stderr : stdout;
  fwrite(text, 1, len, out);
  fputc('\n', out);
  if (out == stderr) fflush(out);
}

static void deliver(eddy_engine *e, int kind, const eddy_value *error) {
  if (e->opts.on_error) {
    if (e->opts.owned_callback_data && !(error = eddy_value_copy(error))) return;
    e->opts.on_error(e, kind, error, e->opts.error_userdata);
    return;
  }
  const char *prefix = kind == EDDY_ERROR_UNHANDLED_REJECTION ? "Uncaught (in promise) " : "Uncaught ";
  const char *stack = eddy_value_error_stack(error);
  size_t n = strlen(prefix) + strlen(stack) + 1;
  char *text = malloc(n);
  if (!text) return;
  snprintf(text, n, "%s%s", prefix, stack);
  eddy__log(e, EDDY_LOG_ERROR, text, strlen(text));
  free(text);
}

void eddy__report(eddy_engine *e, int kind, JSValueRef error, JSValueRef promise,
                  int skip_dispatch) {
  if (atomic_load(&e->closing)) return;
  if (!skip_dispatch && e->dispatch_error) {
    JSValueRef args[3] = {JSValueMakeNumber(e->ctx, kind), error,
                          promise ? promise : JSValueMakeUndefined(e->ctx)};
    JSValueRef prevented = NULL, exc = NULL;
    int st = eddy__call_js(e, e->dispatch_error, NULL, 3, args, &prevented, &exc);
    if (st == 0 && JSValueToBoolean(e->ctx, prevented)) return;
    if (st == EDDY_EEXCEPTION) eddy__report(e, EDDY_ERROR_UNCAUGHT, exc, NULL, 1);
  }
  eddy_value *v = eddy__error_from_js(e, error);
  if (v) deliver(e, kind, v);
  eddy_value_free(v);
}

void eddy__report_stopped(eddy_engine *e, int status) {
  if (atomic_load(&e->closing)) return;
  eddy_value *v = eddy__stopped_error(status);
  if (v) deliver(e, status == EDDY_ENOMEM ? EDDY_ERROR_MEMORY_LIMIT : EDDY_ERROR_INTERRUPTED, v);
  eddy_value_free(v);
}

void eddy__call_detached(eddy_engine *e, JSObjectRef fn, JSObjectRef self, size_t argc,
                         const JSValueRef argv[]) {
  JSValueRef exc = NULL;
  int st = eddy__call_js(e, fn, self, argc, argv, NULL, &exc);
  if (st == EDDY_EEXCEPTION) eddy__report(e, EDDY_ERROR_UNCAUGHT, exc, NULL, 0);
  else if (st == EDDY_EINTERRUPTED || st == EDDY_ENOMEM) eddy__report_stopped(e, st);
}

/* ---- batches: many callbacks of detached work in one VM entry ---------------------------------

   A timer pass or a loop turn's HTTP responses would otherwise cost one outermost entry each: the
   JSC lock, the watchdog's CPU-clock system call, the entry bookkeeping. Inside a batch every
   callback is still a task of its own, as the event loop has it: a fresh interrupt generation and
   time limit, its errors reported on their own, and its microtasks run before the next task. */

void eddy__batch(eddy_engine *e, eddy__batch_fn fn, void *data) {
  for (;;) {
    int more;
    /* Already inside JS, or no drain to run each task's microtasks before the next one: the
       tasks are plain detached calls. */
    if (e->depth > 0 || !e->entry || !e->jsc.drain_microtasks) {
      more = fn(e, data);
    } else {
      struct eddy__entry_call c = {0};
      c.batch = fn;
      c.data = data;
      int top = enter_js(e);
      run_entry(e, &c);
      leave_js(e, top, NULL, NULL); /* each task reported its own outcome */
      more = c.more;
    }
    if (!more || atomic_load(&e->closing)) return;
    if (atomic_load(&e->queued)) eddy__run_queued(e);
  }
}

int eddy__task_batched(eddy_engine *e) {
  return e->batch_depth && e->depth == e->batch_depth;
}

int eddy__task_call(eddy_engine *e, JSObjectRef fn, JSObjectRef self, size_t argc,
                    const JSValueRef argv[]) {
  return eddy__task_call_then(e, fn, self, argc, argv, NULL, NULL);
}

int eddy__task_call_then(eddy_engine *e, JSObjectRef fn, JSObjectRef self, size_t argc,
                         const JSValueRef argv[], eddy__task_result_fn on_result, void *data) {
  if (!eddy__task_batched(e)) {
    eddy__call_detached(e, fn, self, argc, argv);
    return 0;
  }
  next_entry(e);
  JSValueRef thrown = NULL;
  JSValueRef r = JSObjectCallAsFunction(e->ctx, fn, self, argc, argv, &thrown);
  take_refusal(e);
  if (on_result && r && !e->terminated) on_result(data, r);
  if (!e->terminated) drain_microtasks(e);
  take_refusal(e);
  if (!e->terminated && thrown) {
    eddy__report(e, EDDY_ERROR_UNCAUGHT, thrown, NULL, 0);
    if (!e->terminated) drain_microtasks(e); /* what error listeners queued */
  }
  if (e->terminated) {
    /* The entry cannot run more JS: the batch stops here and goes on in a fresh entry. */
    eddy__report_stopped(e, e->stop_reason == EDDY_ENOMEM ? EDDY_ENOMEM : EDDY_EINTERRUPTED);
    return EDDY_EINTERRUPTED;
  }
  return thrown ? EDDY_EEXCEPTION : 0;
}

/* ---- the watchdog ---------------------------------------------------------------------------- */

void eddy__watchdog_arm(eddy_engine *e, double seconds) {
  e->jsc.set_execution_time_limit(e->group, seconds, eddy__should_terminate, e);
}

/* JSC calls this on the JS thread once an entry has used the CPU time it was armed with. */
bool eddy__should_terminate(JSContextRef ctx, void *context) {
  (void)ctx;
  eddy_engine *e = context;
  unsigned gen = atomic_load(&e->entry_gen);
  int stop = atomic_load(&e->closing) || atomic_load(&e->interrupt_gen) == gen;
  /* The engine's own set-up is not the host's script: neither a time limit nor an interrupt
     (nobody has the engine yet) applies. On a slow device or under valgrind it runs longer than
     one watchdog period; stopping it would fail eddy_engine_new. */
  if (e->booting) stop = 0;
  else if (!stop && e->opts.time_limit_ms) {
    uint64_t elapsed = eddy__now_ns() - atomic_load(&e->entry_ns);
    stop = elapsed >= (uint64_t)e->opts.time_limit_ms * 1000000u;
  }
  if (!stop && e->memlimit && !e->booting && eddy__memlimit_exceeded(e)) {
    stop = 1;
    e->stop_reason = EDDY_ENOMEM;
  }
  if (stop) {
    e->terminated = 1;
    return true;
  }
  /* Returning false does not re-arm JSC's watchdog by itself: arm it again. Each check costs
   JIT code that was running (JSC recompiles what it stopped: checks every 10 ms took a third of
   a 2-second URL-parsing loop's CPU), so a long entry is checked after 20, then every 40 ms,
   unless a memory limit needs its checks; a time limit still gets its check by its deadline.
   Not longer: a close or an interrupt from another thread waits for the next check (JSC counts
   the spinning thread's CPU time: a close takes under 200 ms of CPU, tests/c/test_driver.c).
   enter_js starts the next entry short again. */
  double period = EDDY__WATCHDOG_PERIOD_S;
  if (!e->memlimit && !e->booting) {
    if (e->watchdog_backoff < 2) e->watchdog_backoff++;
    period *= (double)(1u << e->watchdog_backoff);
  }
  if (e->opts.time_limit_ms) {
    double left = (double)e->opts.time_limit_ms / 1e3 -
                  (double)(eddy__now_ns() - atomic_load(&e->entry_ns)) / 1e9;
    if (left < period) period = left > 0.001 ? left : 0.001;
  }
  eddy__watchdog_arm(e, period);
  return false;
}

int eddy_interrupt(eddy_engine *e) {
  if (!e) return EDDY_EINVAL;
  eddy__interrupt_waits(e); /* a caller waiting for a promise: JS may not be running at all */
  if (!e->jsc.set_execution_time_limit) return EDDY_ENOTSUP; /* no watchdog to ask */
  if (atomic_load(&e->in_js)) atomic_store(&e->interrupt_gen, atomic_load(&e->entry_gen));
  return 0;
}

/* ---- public requests ------------------------------------------------------------------------- */

/* JSC's SyntaxError has a line but no column. Recover one: the position of the token the message
   names ("Unexpected token ';'", "Unexpected identifier 'x'") on that line, else the line's
   first non-blank character. Columns are 1-based, in UTF-16 units like JS positions. */
void eddy__add_syntax_column(eddy_engine *e, JSStringRef src, JSValueRef exc) {
  JSContextRef ctx = e->ctx;
  if (!JSValueIsObject(ctx, exc)) return;
  JSObjectRef o = (JSObjectRef)exc;
  JSValueRef line_v = JSObjectGetProperty(ctx, o, eddy__n.line, NULL);
  JSValueRef col_v = JSObjectGetProperty(ctx, o, eddy__n.column, NULL);
  if (!JSValueIsNumber(ctx, line_v)) return;
  if (JSValueIsNumber(ctx, col_v) && JSValueToNumber(ctx, col_v, NULL) > 0) return;
  JSValueRef name_v = JSObjectGetProperty(ctx, o, eddy__n.name, NULL);
  JSStringRef syntax = JSStringCreateWithUTF8CString("SyntaxError");
  JSStringRef name = JSValueToStringCopy(ctx, name_v, NULL);
  int is_syntax = name && JSStringIsEqual(name, syntax);
  if (name) JSStringRelease(name);
  JSStringRelease(syntax);
  if (!is_syntax) return;
  const JSChar *chars = JSStringGetCharactersPtr(src);
  size_t n = JSStringGetLength(src), i = 0;
  int line = (int)JSValueToNumber(ctx, line_v, NULL);
  for (int l = 1; l < line && i < n; i++)
    if (chars[i] == '\n') l++;
  size_t start = i, end = i;
  while (end < n && chars[end] != '\n') end++;
  size_t col = start;
  while (col < end && (chars[col] == ' ' || chars[col] == '\t')) col++;
  JSStringRef msg = JSValueToStringCopy(ctx, JSObjectGetProperty(ctx, o, eddy__n.message, NULL), NULL);
  if (msg) {
    const JSChar *m = JSStringGetCharactersPtr(msg);
    size_t mn = JSStringGetLength(msg), q1 = mn, q2 = mn;
    for (size_t k = 0; k < mn; k++)
      if (m[k] == '\'') {
        if (q1 == mn) q1 = k;
        else q2 = k;
      }
    if (q1 < mn && q2 < mn && q2 > q1 + 1) {
      size_t tl = q2 - q1 - 1;
      for (size_t k = start; k + tl <= end; k++)
        if (!memcmp(chars + k, m + q1 + 1, tl * sizeof(JSChar))) {
          col = k;
          break;
        }
    }
    JSStringRelease(msg);
  }
  JSObjectSetProperty(ctx, o, eddy__n.column, JSValueMakeNumber(ctx, (double)(col - start + 1)),
                      kJSPropertyAttributeNone, NULL);
}

static int eval_request(eddy_engine *e, eddy__request *r, JSValueRef *value, JSValueRef *exc) {
  JSStringRef src = eddy__jsstring_from_utf8(r->source, r->len);
  const char *fname = r->filename ? r->filename : "<eval>";
  JSStringRef url = eddy__jsstring_from_utf8(fname, strlen(fname));
  int st = EDDY_ENOMEM;
  /* A classic script's import() goes to eddy's module loader (JSC's own rejects it). */
  JSStringRef rewritten = src ? eddy__script_rewrite(src, fname) : NULL;
  if (rewritten) {
    JSStringRelease(src);
    src = rewritten;
  }
  if (src && url) st = eval_js(e, src, url, value, exc);
  if (st == EDDY_EEXCEPTION) eddy__add_syntax_column(e, src, *exc);
  if (src) JSStringRelease(src);
  if (url) JSStringRelease(url);
  return st;
}

int eddy_eval(eddy_engine *e, const char *source, size_t len, const char *filename,
              eddy_value **result) {
  if (result) *result = NULL;
  if (!e || (!source && len)) return EDDY_EINVAL;
  eddy__request r;
  memset(&r, 0, sizeof r);
  r.fn = eval_request;
  r.await = 1;
  r.source = source ? source : "";
  r.len = len;
  r.filename = filename;
  return eddy__submit_sync(e, &r, result);
}

int eddy_exec(eddy_engine *e, const char *source, size_t len, const char *filename,
              eddy_value **error) {
  if (error) *error = NULL;
  if (!e || (!source && len)) return EDDY_EINVAL;
  eddy__request r;
  memset(&r, 0, sizeof r);
  r.fn = eval_request;
  r.discard = 1;
  r.source = source ? source : "";
  r.len = len;
  r.filename = filename;
  eddy_value *result = NULL;
  int st = eddy__submit_sync(e, &r, &result);
  /* Without JSC's rejection callback a promise it ends with was awaited (request_run): one that
     can never settle can never reject either, and what it fulfilled with is not wanted. */
  if (st == EDDY_EPENDING) st = 0;
  if (st && error) *error = result;
  else eddy_value_free(result);
  return st;
}

int eddy_eval_async(eddy_engine *e, const char *source, size_t len, const char *filename,
                    eddy_done_cb cb, void *userdata) {
  if (!e || (!source && len)) return EDDY_EINVAL;
  eddy__request *r = eddy__request_new_async(cb, userdata);
  if (!r) return EDDY_ENOMEM;
  r->fn = eval_request;
  r->await = 1;
  r->owned_source = malloc(len ? len : 1);
  r->owned_filename = filename ? strdup(filename) : NULL;
  if (!r->owned_source || (filename && !r->owned_filename)) {
    eddy__request_free(r);
    return EDDY_ENOMEM;
  }
  if (len) memcpy(r->owned_source, source, len);
  r->source = r->owned_source;
  r->len = len;
  r->filename = r->owned_filename;
  return eddy__submit_async(e, r);
}

static int memory_request(eddy_engine *e, eddy__request *r, JSValueRef *value, JSValueRef *exc) {
  (void)r;
  (void)exc;
  JSObjectRef stats = e->jsc.memory_usage_statistics(e->ctx);
  /* JSC counts the heap's objects when it collects, and reports none (and a heap of a few
     bytes) before its first collection, which engine creation skips to stay cheap: the host
     asked for figures, so collect once for them. */
  JSStringRef name = JSStringCreateWithUTF8CString("objectCount");
  JSValueRef count = stats ? JSObjectGetProperty(e->ctx, stats, name, NULL) : NULL;
  JSStringRelease(name);
  if (count && JSValueToNumber(e->ctx, count, NULL) == 0 && e->jsc.collect_now) {
    e->jsc.collect_now(e->ctx);
    stats = e->jsc.memory_usage_statistics(e->ctx);
  }
  *value = stats;
  return 0;
}

int eddy_memory_usage(eddy_engine *e, eddy_value **out) {
  if (!e || !out) return EDDY_EINVAL;
  *out = NULL;
  if (!e->jsc.memory_usage_statistics) return EDDY_ENOTSUP; /* the public API has no heap size */
  eddy__request r;
  memset(&r, 0, sizeof r);
  r.fn = memory_request;
  return eddy__submit_sync(e, &r, out);
}

static int gc_request(eddy_engine *e, eddy__request *r, JSValueRef *value, JSValueRef *exc) {
  (void)r;
  (void)exc;
  /* JSGarbageCollect only hints that a collection would be welcome; this one collects, now. */
  *value = NULL;
  if (e->jsc.collect_now) {
    e->jsc.collect_now(e->ctx);
    return 0;
  }
  JSGarbageCollect(e->ctx);
  return EDDY_ENOTSUP;
}

int eddy_gc(eddy_engine *e) {
  if (!e) return EDDY_EINVAL;
  eddy__request r;
  memset(&r, 0, sizeof r);
  r.fn = gc_request;
  return eddy__submit_sync(e, &r, NULL);
}
