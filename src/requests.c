/* Host requests on the JS thread: running them (eddy__submit_sync/async, queued to the thread
   that pumps the loop or run inline), and awaiting the promises they return. Split from engine.c,
   which owns the thread model (who holds the JS side, who pumps). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define SYNC_SPIN_NS 50000u /* how long a blocked caller polls before sleeping */

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

/* ---- requests -------------------------------------------------------------------------------- */

/* An error eddy makes for JS it stopped: no frames to show, so its stack is "Name: message"
   (what an Uncaught line prints). */
static eddy_value *stop_error(const char *name, const char *message) {
  eddy_value *v = eddy_value_new_error(name, message);
  char stack[128];
  snprintf(stack, sizeof stack, "%s: %s", name, message);
  if (v) eddy_value_set(v, "stack", eddy_value_new_cstring(stack)); /* without: no stack, still v */
  return v;
}

eddy_value *eddy__interrupted_error(void) {
  return stop_error("InterruptedError", "JavaScript execution was interrupted");
}

eddy_value *eddy__stopped_error(int status) {
  if (status == EDDY_ENOMEM) return stop_error("RangeError", "memory limit exceeded");
  if (status == EDDY_ETIMEDOUT)
    return stop_error("TimeoutError", "the promise did not settle within wait_timeout_ms");
  return eddy__interrupted_error();
}

static void request_complete(eddy_engine *e, eddy__request *r, int status, eddy_value *result) {
  if (r->sync) {
    uv_mutex_lock(&e->mu);
    r->status = status;
    r->result = result;
    __atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
    uv_cond_signal(&r->cond);
    uv_mutex_unlock(&e->mu);
    return;
  }
  if (r->cb) r->cb(e, status, result, r->userdata);
  else eddy_value_free(result);
  eddy__request_free(r);
}

/* request_start's record of a request it started: running, awaiting its promise, or done. */
enum { REQ_NOT_STARTED, REQ_STARTED, REQ_AWAITING, REQ_SETTLED };

static void waiter_complete(eddy_engine *e, eddy__waiter *w, int status, eddy_value *result) {
  eddy__request *r = EDDY__CONTAINER_OF(w, eddy__request, waiter);
  if (r == e->current_request && e->current_started) *e->current_started = REQ_SETTLED;
  request_complete(e, r, status, result);
}

/* Runs a request; called by the trampoline so that evaluating and attaching promise handlers
   happen under one JSC lock: JSC drains microtasks (and decides unhandled rejections) whenever
   the outermost API call returns, which would flag a rejected completion value too early. */
static void request_run(eddy_engine *e, eddy__request *r) {
  JSValueRef value = NULL, exc = NULL;
  int st = r->fn(e, r, &value, &exc);
  if (st == EDDY_EINTERRUPTED || st == EDDY_ENOMEM) {
    request_complete(e, r, st, eddy__stopped_error(st));
    return;
  }
  /* From here on the request has its answer: a stop later in this entry is someone else's. */
  *e->current_started = REQ_SETTLED;
  if (st == EDDY_EEXCEPTION) {
    request_complete(e, r, st, eddy__error_from_js(e, exc));
    return;
  }
  if (st || r->direct) {
    request_complete(e, r, st, r->direct ? r->result : NULL);
    return;
  }
  /* eddy_exec's value is unwanted, not even looked at (a `then` getter would run). A promise is
     still awaited, as eddy_eval does, when no JSC rejection callback would report it rejected:
     that would lose the error. */
  int thenable = value && (r->await || r->discard) &&
                 !(r->discard && e->jsc.set_unhandled_rejection_callback) &&
                 eddy__is_thenable(e, value);
  if (r->discard && !thenable) {
    request_complete(e, r, 0, NULL);
    return;
  }
  if (thenable) {
    if (r->nested && r->sync) {
      /* Inside a callback the loop cannot be re-entered, so nothing could settle it. */
      request_complete(e, r, EDDY_EBUSY, NULL);
      return;
    }
    r->waiter.complete = waiter_complete;
    r->waiter.sync = r->sync;
    st = eddy__await(e, value, &r->waiter, &exc);
    if (st) request_complete(e, r, st, eddy__error_from_js(e, exc));
    else *e->current_started = REQ_AWAITING;
    return;
  }
  eddy_value *result = NULL;
  st = eddy__from_js(e, value, &result, &exc);
  if (st == EDDY_EINTERRUPTED) {
    *e->current_started = REQ_STARTED; /* the caller hears of the stop: not detached */
    if (e->stop_reason == EDDY_ENOMEM) {
      request_complete(e, r, EDDY_ENOMEM, eddy__stopped_error(EDDY_ENOMEM));
      return;
    }
  }
  if (st) result = eddy__error_from_js(e, exc);
  request_complete(e, r, st, result);
}

JSValueRef eddy__trampoline(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                             const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  (void)argc;
  (void)argv;
  (void)exc;
  eddy_engine *e = eddy__engine_of(ctx);
  *e->current_started = REQ_STARTED;
  request_run(e, e->current_request);
  return JSValueMakeUndefined(ctx);
}

static void request_start(eddy_engine *e, eddy__request *r) {
  eddy__request *saved = e->current_request;
  int *saved_started = e->current_started;
  /* A completed sync request may be gone (its caller returned): track starting on our stack. */
  int started = 0;
  int nested = r->nested = e->depth > 0; /* r may be gone once it completed: read it now */
  e->current_request = r;
  e->current_started = &started;
  JSValueRef exc = NULL;
  int st = eddy__call_js(e, e->trampoline, NULL, 0, NULL, NULL, &exc);
  e->current_request = saved;
  e->current_started = saved_started;
  int stopped = st == EDDY_EINTERRUPTED || st == EDDY_ENOMEM;
  /* Terminated before the request could even start */
  if (started == REQ_NOT_STARTED) /* or it could not: no stack left to call the trampoline */
    request_complete(e, r, st ? st : EDDY_EINTERRUPTED,
                     st == EDDY_EEXCEPTION ? eddy__error_from_js(e, exc) : eddy__stopped_error(st));
  /* Terminated while its promise was pending: the code that would have settled it (an async
     function after an await, say) was what ran away, in the microtasks of this same entry.
     The promise cannot settle any more; the caller learns why. */
  else if (started == REQ_AWAITING && stopped) {
    eddy__detach_waiter(e, &r->waiter);
    request_complete(e, r, st, eddy__stopped_error(st));
  }
  /* The request had its answer; what it left behind in the entry's microtasks (an async
     function it did not return) was stopped: detached work, told to on_error. */
  else if (started == REQ_SETTLED && stopped && !nested)
    eddy__report_stopped(e, st);
}

static void request_job_run(eddy_engine *e, eddy__job *job) {
  request_start(e, EDDY__CONTAINER_OF(job, eddy__request, job));
}

static void request_job_cancel(eddy_engine *e, eddy__job *job) {
  request_complete(e, EDDY__CONTAINER_OF(job, eddy__request, job), EDDY_ECLOSED, NULL);
}

eddy__request *eddy__request_new_async(eddy_done_cb cb, void *userdata) {
  eddy__request *r = calloc(1, sizeof(*r));
  if (!r) return NULL;
  r->cb = cb;
  r->userdata = userdata;
  return r;
}

void eddy__request_free(eddy__request *r) {
  if (!r) return;
  free(r->owned_source);
  free(r->owned_filename);
  free(r->owned_path);
  eddy_value_free(r->owned_args);
  eddy_value_free(r->owned_value);
  free(r);
}


/* Runs the loop on this thread until r is done or nothing can complete it. */
static void pump_until_done(eddy_engine *e, eddy__request *r) {
  eddy__start_pumping(e, 0);
  while (!r->done && !atomic_load(&e->closing)) {
    int alive = uv_run(&e->loop, UV_RUN_ONCE);
    if (r->done) break;
    if (!alive && !atomic_load(&e->queued)) {
      eddy__detach_waiter(e, &r->waiter);
      r->status = EDDY_EPENDING;
      r->done = 1;
    }
  }
  eddy__finish_pumping(e);
}

static int check_engine(eddy_engine *e) { return e ? 0 : EDDY_EINVAL; }

int eddy__submit_sync(eddy_engine *e, eddy__request *r, eddy_value **result) {
  if (result) *result = NULL;
  if (check_engine(e)) return EDDY_EINVAL;
  eddy__engine_ref(e);
  r->sync = 1;
  r->job.run = request_job_run;
  r->job.cancel = request_job_cancel;
  uv_cond_init(&r->cond);
  int status;
  uv_mutex_lock(&e->mu);
  for (;;) {
    if (e->closed) {
      uv_mutex_unlock(&e->mu);
      status = EDDY_ECLOSED;
      goto out;
    }
    if (eddy__on_this_thread(e)) {
      uv_mutex_unlock(&e->mu);
      request_start(e, r);
      status = r->done ? r->status : EDDY_EBUSY;
      goto out;
    }
    if (e->pumping) {
      eddy__enqueue_locked(e, &r->job);
      /* Most requests finish within microseconds: wait for them briefly on this CPU before
         sleeping, so the answer needs no second cross-CPU wake-up. Only the blocked caller
         spins, never the idle driver. */
      uv_mutex_unlock(&e->mu);
      uint64_t spin_until = eddy__now_ns() + SYNC_SPIN_NS;
      while (!__atomic_load_n(&r->done, __ATOMIC_ACQUIRE) && eddy__now_ns() < spin_until)
        cpu_relax();
      uv_mutex_lock(&e->mu);
      while (!r->done) uv_cond_wait(&r->cond, &e->mu);
      uv_mutex_unlock(&e->mu);
      status = r->status;
      goto out;
    }
    if (!e->busy) break;
    uv_cond_wait(&e->idle, &e->mu);
  }
  e->busy = 1;
  e->owner = uv_thread_self();
  uv_mutex_unlock(&e->mu);
  request_start(e, r);
  if (!r->done) pump_until_done(e, r);
  eddy__release_js(e); /* completes r with ECLOSED if the engine closed meanwhile */
  status = r->status;
out:
  if (result) *result = r->result;
  else eddy_value_free(r->result);
  uv_cond_destroy(&r->cond);
  eddy__engine_unref(e);
  return status;
}

int eddy__submit_async(eddy_engine *e, eddy__request *r) {
  r->job.run = request_job_run;
  r->job.cancel = request_job_cancel;
  eddy__engine_ref(e);
  uv_mutex_lock(&e->mu);
  for (;;) {
    if (e->closed) {
      uv_mutex_unlock(&e->mu);
      eddy__request_free(r);
      eddy__engine_unref(e);
      return EDDY_ECLOSED;
    }
    if (eddy__on_this_thread(e)) {
      uv_mutex_unlock(&e->mu);
      request_start(e, r);
      eddy__engine_unref(e);
      return 0;
    }
    if (e->pumping) {
      eddy__enqueue_locked(e, &r->job);
      uv_mutex_unlock(&e->mu);
      eddy__engine_unref(e);
      return 0;
    }
    if (!e->busy) break;
    uv_cond_wait(&e->idle, &e->mu);
  }
  e->busy = 1;
  e->owner = uv_thread_self();
  uv_mutex_unlock(&e->mu);
  request_start(e, r);
  eddy__release_js(e);
  eddy__engine_unref(e);
  return 0;
}

/* ---- awaiting promises ----------------------------------------------------------------------- */

typedef struct {
  eddy_engine *engine;
  eddy__waiter *waiter; /* NULL once settled or detached */
  int refs;             /* the two settle functions */
} settle_record;

static void update_wait_handles(eddy_engine *e);

static void waiter_link(eddy_engine *e, eddy__waiter *w) {
  w->next = e->waiters.next;
  w->prev = &e->waiters;
  e->waiters.next->prev = w;
  e->waiters.next = w;
  w->seq = atomic_fetch_add(&e->wait_seq, 1) + 1;
  w->deadline_ns = e->opts.wait_timeout_ms
                       ? eddy__now_ns() + (uint64_t)e->opts.wait_timeout_ms * 1000000u
                       : 0;
  atomic_fetch_add(&e->waiting, 1);
  update_wait_handles(e);
}

static void waiter_unlink(eddy_engine *e, eddy__waiter *w) {
  w->prev->next = w->next;
  w->next->prev = w->prev;
  w->prev = w->next = w;
  atomic_fetch_sub(&e->waiting, 1);
  /* The last wait ended: nothing to check before each poll, no deadline to keep. */
  if (e->waiters.next == &e->waiters) {
    uv_prepare_stop(&e->wait_check);
    uv_timer_stop(&e->wait_timer);
  }
}

void eddy__detach_waiter(eddy_engine *e, eddy__waiter *w) {
  if (w->link) ((settle_record *)w->link)->waiter = NULL;
  w->link = NULL;
  if (w->next && w->next != w) waiter_unlink(e, w);
}

JSValueRef eddy__on_settle(JSContextRef ctx, JSObjectRef function, JSObjectRef self, size_t argc,
                            const JSValueRef argv[], JSValueRef *exception) {
  (void)self;
  (void)exception;
  settle_record *rec = JSObjectGetPrivate(function);
  /* The rejecting function carries its record with the low bit set. */
  int rejected = (uintptr_t)rec & 1u;
  rec = (settle_record *)((uintptr_t)rec & ~(uintptr_t)1u);
  eddy__waiter *w = rec->waiter;
  if (!w) return JSValueMakeUndefined(ctx);
  eddy_engine *e = rec->engine;
  rec->waiter = NULL;
  w->link = NULL;
  waiter_unlink(e, w);
  JSValueRef arg = argc ? argv[0] : JSValueMakeUndefined(ctx);
  eddy_value *result = NULL;
  int status;
  if (rejected) {
    status = EDDY_EEXCEPTION;
    result = eddy__error_from_js(e, arg);
  } else {
    JSValueRef exc = NULL;
    status = eddy__from_js(e, arg, &result, &exc);
    if (status) result = eddy__error_from_js(e, exc);
  }
  w->complete(e, w, status, result);
  return JSValueMakeUndefined(ctx);
}

void eddy__settle_finalize(JSObjectRef object) {
  settle_record *rec = (settle_record *)((uintptr_t)JSObjectGetPrivate(object) & ~(uintptr_t)1u);
  if (rec && --rec->refs == 0) free(rec);
}

int eddy__is_thenable(eddy_engine *e, JSValueRef v) {
  if (!JSValueIsObject(e->ctx, v)) return 0;
  JSValueRef then = JSObjectGetProperty(e->ctx, (JSObjectRef)v, eddy__n.then, NULL);
  return then && JSValueIsObject(e->ctx, then) && JSObjectIsFunction(e->ctx, (JSObjectRef)then);
}

int eddy__await(eddy_engine *e, JSValueRef thenable, eddy__waiter *w, JSValueRef *exc) {
  JSContextRef ctx = e->ctx;
  settle_record *rec = malloc(sizeof(*rec));
  if (!rec) {
    *exc = eddy__make_error(ctx, "RangeError", "out of memory");
    return EDDY_EEXCEPTION;
  }
  rec->engine = e;
  rec->waiter = w;
  rec->refs = 2;
  JSObjectRef on_ok = JSObjectMake(ctx, e->settle_fn_class, rec);
  JSObjectRef on_err = JSObjectMake(ctx, e->settle_fn_class, (void *)((uintptr_t)rec | 1u));
  w->link = rec;
  waiter_link(e, w);
  /* Promise.resolve() adopts thenables the way `await` does. */
  JSValueRef promise;
  int st = eddy__call_js(e, e->promise_resolve, e->promise_ctor, 1, &thenable, &promise, exc);
  if (st == 0) {
    JSValueRef then = JSObjectGetProperty(ctx, (JSObjectRef)promise, eddy__n.then, exc);
    JSValueRef args[2] = {on_ok, on_err};
    if (!*exc) st = eddy__call_js(e, (JSObjectRef)then, (JSObjectRef)promise, 2, args, NULL, exc);
    else st = EDDY_EEXCEPTION;
  }
  if (st && rec->waiter) {
    eddy__detach_waiter(e, w);
    return st;
  }
  return 0;
}

/* ---- ending waits: interrupts, deadlines, promises nothing can settle ------------------------

   A caller waiting for a promise is woken by the settling, by close, or by one of these, all on
   the JS thread: eddy_interrupt (through the wakeup handle), the wait timer at the earliest
   wait_timeout_ms deadline, and, with the driver on, a check before each poll that some work
   is pending that could still settle the promise (driver off, pump_until_done does that). Both
   handles are unref'd: a deadline never keeps a loop alive that would otherwise end. */

typedef int (*wait_match)(const eddy__waiter *w, uint64_t arg);

/* Ends the waits that match, one at a time: each completion may run a host callback that
   changes the list (a new wait never matches: its sequence number and deadline are later). */
static void end_waits(eddy_engine *e, int status, wait_match match, uint64_t arg) {
  for (;;) {
    eddy__waiter *w = e->waiters.next;
    while (w != &e->waiters && !match(w, arg)) w = w->next;
    if (w == &e->waiters) break;
    eddy__detach_waiter(e, w);
    w->complete(e, w, status, status == EDDY_EPENDING ? NULL : eddy__stopped_error(status));
  }
}

static int started_by(const eddy__waiter *w, uint64_t seq) { return w->seq <= seq; }
static int expired_by(const eddy__waiter *w, uint64_t now) {
  return w->deadline_ns && w->deadline_ns <= now;
}
static int is_sync(const eddy__waiter *w, uint64_t arg) {
  (void)arg;
  return w->sync;
}

static void on_wait_deadline(uv_timer_t *t) {
  eddy_engine *e = EDDY__CONTAINER_OF(t, eddy_engine, wait_timer);
  end_waits(e, EDDY_ETIMEDOUT, expired_by, eddy__now_ns());
  update_wait_handles(e);
}

/* Before the driver sleeps: with no pending work at all (timers, transfers, host calls, queued
   requests, module loads) and nothing else keeping the loop alive but the driver's own hold on
   its wakeup handle (what the loop of a waiting caller, driver off, would run dry on), nothing
   can settle a promise any more. Async requests keep waiting (for close, as with the driver
   off). */
static void on_wait_check(uv_prepare_t *p) {
  eddy_engine *e = EDDY__CONTAINER_OF(p, eddy_engine, wait_check);
  if (e->pumping != 2 || e->keepalive > 0 || atomic_load(&e->pending) > 0) return;
  uv_handle_t *wakeup = (uv_handle_t *)&e->wakeup;
  int held = uv_has_ref(wakeup);
  uv_unref(wakeup);
  int alive = uv_loop_alive(&e->loop);
  if (held) uv_ref(wakeup);
  if (!alive) end_waits(e, EDDY_EPENDING, is_sync, 0);
}

static void update_wait_handles(eddy_engine *e) {
  uint64_t next = 0;
  for (eddy__waiter *w = e->waiters.next; w != &e->waiters; w = w->next)
    if (w->deadline_ns && (!next || w->deadline_ns < next)) next = w->deadline_ns;
  if (e->waiters.next == &e->waiters) {
    uv_prepare_stop(&e->wait_check);
  } else {
    uv_prepare_start(&e->wait_check, on_wait_check);
  }
  if (!next) {
    uv_timer_stop(&e->wait_timer);
    return;
  }
  uint64_t now = eddy__now_ns();
  uv_timer_start(&e->wait_timer, on_wait_deadline, next > now ? (next - now + 999999u) / 1000000u : 0,
                 0);
}

void eddy__waits_init(eddy_engine *e) {
  uv_timer_init(&e->loop, &e->wait_timer);
  uv_unref((uv_handle_t *)&e->wait_timer);
  uv_prepare_init(&e->loop, &e->wait_check);
  uv_unref((uv_handle_t *)&e->wait_check);
}

void eddy__waits_interrupt(eddy_engine *e) {
  uint64_t seq = atomic_exchange(&e->interrupt_waits, 0);
  if (seq) end_waits(e, EDDY_EINTERRUPTED, started_by, seq);
}

void eddy__interrupt_waits(eddy_engine *e) {
  if (!atomic_load(&e->waiting)) return;
  atomic_store(&e->interrupt_waits, atomic_load(&e->wait_seq));
  eddy__wake(e);
}
