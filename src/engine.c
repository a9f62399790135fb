/* The engine: lifecycle, the thread model and host requests (entering JS is in entry.c, the
   set-up of its JS side in bootstrap.c).

   JS runs on one thread at a time. `busy`/`owner` (under mu) say which thread that is. A thread
   that runs the loop (the driver, or a host inside eddy_run or waiting in eddy_eval) sets
   `pumping`: other threads then queue their requests to it and wake it with uv_async_send, instead
   of waiting for the lock. A call made on the owning thread itself (from a callback) runs inline. */
#define _GNU_SOURCE /* pthread_setname_np */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "internal.h"

#define DRIVER_STACK_SIZE (8u << 20)


eddy__names eddy__n;
static uv_once_t names_once = UV_ONCE_INIT;
static uv_once_t process_once = UV_ONCE_INIT;

static void names_init_once(void) {
#define N(field) eddy__n.field = JSStringCreateWithUTF8CString(#field)
  N(then); N(length); N(name); N(message); N(stack); N(line); N(column); N(sourceURL); N(cause);
  N(code); N(buffer); N(byteOffset); N(byteLength); N(constructor);
#undef N
}
void eddy__names_init(void) { uv_once(&names_once, names_init_once); }

/* Engines by context group, for native callbacks to find theirs. The global object cannot carry
   the engine: a global created from a JSClass is a callback object, whose properties JSC never
   caches, so every lookup of a built-in such as Math or JSON took ~60 ns. A thread remembers its
   last answer; registry_gen changes whenever an engine goes, so an address reused by a later
   engine can never return a freed one. */
static uv_mutex_t registry_mu;
static eddy_engine *registry;
static atomic_uint registry_gen;
static _Thread_local struct {
  JSContextGroupRef group;
  eddy_engine *e;
  unsigned gen;
} registry_hit;

static void registry_add(eddy_engine *e) {
  uv_mutex_lock(&registry_mu);
  e->registry_next = registry;
  registry = e;
  uv_mutex_unlock(&registry_mu);
}

static void registry_remove(eddy_engine *e) {
  uv_mutex_lock(&registry_mu);
  for (eddy_engine **p = &registry; *p; p = &(*p)->registry_next)
    if (*p == e) {
      *p = e->registry_next;
      break;
    }
  atomic_fetch_add(&registry_gen, 1);
  uv_mutex_unlock(&registry_mu);
}

/* JSC options eddy changes, through the JSC_* variables JSC reads once, when it initialises.
   (jsc_options_set_* would crash if the host had already created a VM: JSC freezes its options
   then. A variable set too late is merely ignored.) A value the host set itself is kept.
   - Polling traps: JSC stops running JIT code (interrupt, close, time limit) with signal-based
     traps by default, which break as soon as the host installs its own SIGSEGV handler (crash
     reporters, test frameworks). Polling traps work regardless.
   - Baseline JIT after 200 instead of JSC's 500 (a function call counts 15): I/O glue that runs
     once per request is compiled after ~13 requests instead of ~33, so an app's early requests
     stop running in the interpreter sooner, and the compiles (~50 functions, ~60 µs each)
     happen in its start-up instead of in the middle of its work (bench/README.md).
   The DFG and FTL JITs keep JSC's thresholds: raising the DFG's 100-fold (an earlier setting,
   against fetch benchmark outliers) made a 10^8-iteration loop 5x slower.
   - SharedArrayBuffer, which WebKitGTK turns off (a browser exposes it only to cross-origin
     isolated pages) and Node, Deno and Bun always have: libraries test for it, and the Encoding
     and Streams APIs take views on one. structuredClone still refuses one (DataCloneError), as
     HTML says for an agent that is not cross-origin isolated. */
static const struct {
  const char *name, *value;
} jsc_settings[] = {
    {"JSC_usePollingTraps", "true"},
    {"JSC_thresholdForJITAfterWarmUp", "200"},
    {"JSC_useSharedArrayBuffer", "true"},
};
#define JSC_SETTINGS (sizeof(jsc_settings) / sizeof(jsc_settings[0]))

static void configure_jsc(void) {
  int added[JSC_SETTINGS] = {0};
  for (size_t i = 0; i < JSC_SETTINGS; i++)
    if (!getenv(jsc_settings[i].name))
      added[i] = setenv(jsc_settings[i].name, jsc_settings[i].value, 0) == 0;
  /* JSC reads its environment now (jsc_optional.c's probe VM, an option query, or a throwaway
     VM); the variables then leave the environment, so child processes (a WebKit helper, say) do
     not inherit them. */
  eddy__jsc jsc;
  eddy__jsc_for_engine(&jsc);
  eddy__jsc_read_options(&jsc);
  for (size_t i = 0; i < JSC_SETTINGS; i++)
    if (added[i]) unsetenv(jsc_settings[i].name);
}

/* Process-wide set-up, once, before the first engine. libcurl's global init is not thread-safe:
   it is done here too. */
static void process_init_once(void) {
  configure_jsc();
  curl_global_init(CURL_GLOBAL_DEFAULT);
  uv_mutex_init(&registry_mu);
}

uint64_t eddy__now_ns(void) { return uv_hrtime(); }

int eddy__on_this_thread(eddy_engine *e) {
  uv_thread_t self = uv_thread_self();
  return e->busy && uv_thread_equal(&e->owner, &self);
}

/* The engine keeps its own copies of the option strings: the host's may not outlive
   eddy_engine_new. On failure the ones copied so far are freed by free_option_strings. */
static int copy_option_strings(eddy_options *o) {
  const char **fields[] = {&o->base_url, &o->ca_file, &o->ca_path};
  int failed = 0;
  for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
    const char *given = *fields[i];
    *fields[i] = given ? strdup(given) : NULL;
    if (given && !*fields[i]) failed = 1;
  }
  return failed;
}

static void free_option_strings(eddy_options *o) {
  free((char *)o->base_url);
  free((char *)o->ca_file);
  free((char *)o->ca_path);
}

void eddy__engine_ref(eddy_engine *e) { atomic_fetch_add(&e->refs, 1); }

void eddy__engine_unref(eddy_engine *e) {
  if (atomic_fetch_sub(&e->refs, 1) != 1) return;
  eddy__bridge_free(e);
  eddy__modules_free(e);
  uv_mutex_destroy(&e->mu);
  uv_mutex_destroy(&e->drive_mu);
  uv_cond_destroy(&e->idle);
  free_option_strings(&e->opts);
  free(e->handles);
  free(e->handles_free);
  free(e->released);
  free(e);
}

/* ---- the job queue --------------------------------------------------------------------------- */

/* Wakes the pumping thread; mu held. After teardown started the handle is gone. */
static void wake_locked(eddy_engine *e) {
  if (!e->torn_down) uv_async_send(&e->wakeup);
}

void eddy__wake(eddy_engine *e) {
  uv_mutex_lock(&e->mu);
  wake_locked(e);
  uv_mutex_unlock(&e->mu);
}

void eddy__enqueue_locked(eddy_engine *e, eddy__job *job) {
  job->next = NULL;
  if (e->queue_tail) e->queue_tail->next = job;
  else e->queue_head = job;
  e->queue_tail = job;
  atomic_fetch_add(&e->queued, 1);
  atomic_fetch_add(&e->pending, 1);
  wake_locked(e);
}

int eddy__enqueue(eddy_engine *e, eddy__job *job) {
  uv_mutex_lock(&e->mu);
  if (e->closed) {
    uv_mutex_unlock(&e->mu);
    return EDDY_ECLOSED;
  }
  eddy__enqueue_locked(e, job);
  uv_mutex_unlock(&e->mu);
  return 0;
}

static eddy__job *take_queue_locked(eddy_engine *e) {
  eddy__job *list = e->queue_head;
  e->queue_head = e->queue_tail = NULL;
  atomic_store(&e->queued, 0);
  return list;
}

static void cancel_jobs(eddy_engine *e, eddy__job *job) {
  while (job) {
    eddy__job *next = job->next;
    atomic_fetch_sub(&e->pending, 1);
    job->cancel(e, job);
    job = next;
  }
}

static void release_handles(eddy_engine *e);

void eddy__run_queued(eddy_engine *e) {
  uv_mutex_lock(&e->mu);
  eddy__job *job = take_queue_locked(e);
  int closed = e->closed;
  uv_mutex_unlock(&e->mu);
  if (closed) {
    cancel_jobs(e, job);
    return;
  }
  while (job) {
    eddy__job *next = job->next;
    atomic_fetch_sub(&e->pending, 1);
    job->run(e, job);
    job = next;
  }
}

static void on_wakeup(uv_async_t *handle) {
  eddy_engine *e = EDDY__CONTAINER_OF(handle, eddy_engine, wakeup);
  eddy__run_queued(e);
  eddy__waits_interrupt(e);
  release_handles(e);
  uv_mutex_lock(&e->mu);
  int stop = e->stop_requested || e->closed;
  uv_mutex_unlock(&e->mu);
  if (stop) uv_stop(&e->loop);
}

/* The wakeup handle keeps the loop alive while the driver runs or async host calls are out.
   JS thread: `pumping` is written only by the thread that owns the JS side, so it reads it
   without the lock. */
static void update_wakeup_ref(eddy_engine *e) {
  if (e->pumping == 2 || e->keepalive > 0) uv_ref((uv_handle_t *)&e->wakeup);
  else uv_unref((uv_handle_t *)&e->wakeup);
}

void eddy__keepalive(eddy_engine *e, int delta) {
  e->keepalive += delta;
  update_wakeup_ref(e);
}

/* ---- owning the JS side ---------------------------------------------------------------------- */

static void teardown(eddy_engine *e);

/* Releases ownership taken by this thread; completes a deferred close first. */
void eddy__release_js(eddy_engine *e) {
  uv_mutex_lock(&e->mu);
  if (e->closed && !e->torn_down && e->depth == 0) {
    uv_mutex_unlock(&e->mu);
    teardown(e);
    uv_mutex_lock(&e->mu);
  }
  e->busy = 0;
  uv_cond_broadcast(&e->idle);
  uv_mutex_unlock(&e->mu);
}

/* Stops pumping: jobs queued meanwhile run here, before other threads go back to taking the lock
   themselves, so none is stranded. */
void eddy__finish_pumping(eddy_engine *e) {
  for (;;) {
    uv_mutex_lock(&e->mu);
    if (!e->queue_head || e->closed) {
      e->pumping = 0;
      uv_mutex_unlock(&e->mu);
      break;
    }
    uv_mutex_unlock(&e->mu);
    eddy__run_queued(e);
  }
  update_wakeup_ref(e);
}

void eddy__start_pumping(eddy_engine *e, int driver) {
  uv_mutex_lock(&e->mu);
  e->pumping = driver ? 2 : 1;
  /* Callers waiting for the lock should now queue to us instead. */
  uv_cond_broadcast(&e->idle);
  uv_mutex_unlock(&e->mu);
  update_wakeup_ref(e);
}

/* ---- a context's engine (the JS side's set-up is bootstrap.c) -------------------------------- */

eddy_engine *eddy__engine_of(JSContextRef ctx) {
  JSContextGroupRef group = JSContextGetGroup(ctx);
  unsigned gen = atomic_load_explicit(&registry_gen, memory_order_acquire);
  if (registry_hit.group == group && registry_hit.gen == gen) return registry_hit.e;
  uv_mutex_lock(&registry_mu);
  eddy_engine *e = registry;
  while (e && e->group != group) e = e->registry_next;
  gen = atomic_load_explicit(&registry_gen, memory_order_relaxed);
  uv_mutex_unlock(&registry_mu);
  registry_hit.group = group;
  registry_hit.e = e;
  registry_hit.gen = gen;
  return e;
}

void eddy_options_init(eddy_options *opts, size_t size) {
  if (!opts || size < sizeof(opts->size)) return;
  eddy_options d;
  memset(&d, 0, sizeof d);
  d.start_driver = 1;
  d.busy_poll_us = 50;
  d.module_files = 1;
  d.max_response_body = (uint64_t)1 << 30;
  d.size = size < sizeof d ? size : sizeof d;
  memcpy(opts, &d, d.size);
}

static int spawn_driver_locked(eddy_engine *e);
static void create_vm(eddy_engine *e);

int eddy_engine_new(const eddy_options *opts, eddy_engine **out) {
  if (!out) return EDDY_EINVAL;
  *out = NULL;
  eddy_options o;
  eddy_options_init(&o, sizeof o);
  if (opts) {
    if (opts->size < offsetof(eddy_options, start_driver) + sizeof(int) ||
        opts->size > sizeof(eddy_options))
      return EDDY_EINVAL;
    memcpy(&o, opts, opts->size);
    o.size = sizeof(o);
  }
  uv_once(&process_once, process_init_once);
  eddy__names_init();

  eddy__jsc jsc;
  eddy__jsc_for_engine(&jsc); /* reads EDDY_JSC_OPTIONAL */
  if (o.time_limit_ms && !jsc.set_execution_time_limit) return EDDY_ENOTSUP;

  eddy_engine *e = calloc(1, sizeof(*e));
  if (!e) return EDDY_ENOMEM;
  atomic_init(&e->refs, 1);
  e->opts = o;
  e->jsc = jsc;
  if (copy_option_strings(&e->opts)) {
    free_option_strings(&e->opts);
    free(e);
    return EDDY_ENOMEM;
  }
  e->waiters.next = e->waiters.prev = &e->waiters;
  if (uv_mutex_init(&e->mu) || uv_mutex_init(&e->drive_mu) || uv_cond_init(&e->idle) ||
      uv_loop_init(&e->loop)) {
    free_option_strings(&e->opts);
    free(e);
    return EDDY_EIO;
  }
  uv_async_init(&e->loop, &e->wakeup, on_wakeup);
  uv_unref((uv_handle_t *)&e->wakeup);
  eddy__waits_init(e);

  /* The creating thread owns the engine while it bootstraps. */
  e->busy = 1;
  e->owner = uv_thread_self();
  /* JSC runs its deferred work (async WebAssembly, FinalizationRegistry callbacks) only on the
     thread that created the VM (runloop.c): with the driver on, that must be the driver. It
     starts now, creates the VM, and waits for the set-up below to finish before it drives. */
  int vm_on_driver = 0;
  if (o.start_driver) {
    uv_mutex_lock(&e->mu);
    e->create_vm = 1;
    vm_on_driver = spawn_driver_locked(e) == 0;
    while (vm_on_driver && e->create_vm) uv_cond_wait(&e->idle, &e->mu);
    uv_mutex_unlock(&e->mu);
  }
  if (!vm_on_driver) create_vm(e);
  /* The watchdog behind interrupts, time limits and a close that stops running JS. */
  if (e->jsc.set_execution_time_limit)
    eddy__watchdog_arm(e, EDDY__WATCHDOG_PERIOD_S);
  registry_add(e); /* before any JS can run */
  e->ctx = JSGlobalContextCreateInGroup(e->group, NULL);

  JSClassDefinition settle_def = kJSClassDefinitionEmpty;
  settle_def.className = "settle";
  settle_def.callAsFunction = eddy__on_settle;
  settle_def.finalize = eddy__settle_finalize;
  e->settle_fn_class = JSClassCreate(&settle_def);

  atomic_init(&e->entry_gen, 1);
  e->booting = 1;
  int st = eddy__bootstrap(e);
  if (!st) st = eddy__memlimit_init(e);
  /* No collection here: one made the engine's first later collection cheaper (the built-ins
     would be old-generation by then) but cost every engine 3.1 M instructions, a fifth of its
     creation, also the many engines that never collect at all (bench/README.md). */
  e->booting = 0;
  /* Registers the wakeup and timer fds with the backend now, so a host polling
     eddy_backend_fd() sees them from the start. */
  uv_run(&e->loop, UV_RUN_NOWAIT);
  uv_mutex_lock(&e->mu);
  e->busy = 0;
  uv_cond_broadcast(&e->idle); /* a driver started early waits for it */
  uv_mutex_unlock(&e->mu);
  if (st) {
    eddy_engine_free(e);
    return st;
  }
  if (o.start_driver && (st = eddy_start_drive(e))) {
    eddy_engine_free(e);
    return st;
  }
  *out = e;
  return 0;
}

/* ---- function handles ------------------------------------------------------------------------ */

int eddy__handle_new(eddy_engine *e, JSObjectRef fn, uint32_t *out) {
  uv_mutex_lock(&e->mu);
  uint32_t slot;
  if (e->handles_free_len) {
    slot = e->handles_free[--e->handles_free_len];
  } else {
    if (e->handles_len == e->handles_cap) {
      uint32_t cap = e->handles_cap ? e->handles_cap * 2 : 16;
      JSObjectRef *h = realloc(e->handles, cap * sizeof(*h));
      if (!h) {
        uv_mutex_unlock(&e->mu);
        return EDDY_ENOMEM;
      }
      e->handles = h;
      e->handles_cap = cap;
    }
    slot = e->handles_len++;
  }
  e->handles[slot] = fn;
  uv_mutex_unlock(&e->mu);
  JSValueProtect(e->ctx, fn);
  *out = slot;
  return 0;
}

JSObjectRef eddy__handle_get(eddy_engine *e, uint32_t handle) {
  uv_mutex_lock(&e->mu);
  JSObjectRef fn = handle < e->handles_len ? e->handles[handle] : NULL;
  uv_mutex_unlock(&e->mu);
  return fn;
}

static int push_u32(uint32_t **arr, uint32_t *len, uint32_t *cap, uint32_t v) {
  if (*len == *cap) {
    uint32_t c = *cap ? *cap * 2 : 16;
    uint32_t *p = realloc(*arr, c * sizeof(*p));
    if (!p) return EDDY_ENOMEM;
    *arr = p;
    *cap = c;
  }
  (*arr)[(*len)++] = v;
  return 0;
}

/* Any thread: the JS function is unprotected later, on the JS thread. */
void eddy__handle_release(eddy_engine *e, uint32_t handle) {
  uv_mutex_lock(&e->mu);
  if (!e->torn_down && push_u32(&e->released, &e->released_len, &e->released_cap, handle) == 0)
    wake_locked(e);
  uv_mutex_unlock(&e->mu);
}

static void release_handles(eddy_engine *e) {
  uv_mutex_lock(&e->mu);
  for (uint32_t i = 0; i < e->released_len; i++) {
    uint32_t slot = e->released[i];
    if (slot >= e->handles_len || !e->handles[slot]) continue;
    JSValueUnprotect(e->ctx, e->handles[slot]);
    e->handles[slot] = NULL;
    push_u32(&e->handles_free, &e->handles_free_len, &e->handles_free_cap, slot);
  }
  e->released_len = 0;
  uv_mutex_unlock(&e->mu);
}

/* ---- closing --------------------------------------------------------------------------------- */

static void on_close_walk(uv_handle_t *h, void *arg) {
  (void)arg;
  if (!uv_is_closing(h)) uv_close(h, NULL);
}

/* Releases everything; runs on the thread owning the JS side, outside any JS call. */
static void teardown(eddy_engine *e) {
  uv_mutex_lock(&e->mu);
  eddy__job *jobs = take_queue_locked(e);
  uv_mutex_unlock(&e->mu);
  cancel_jobs(e, jobs);

  eddy__timers_close(e);
  eddy__http_close(e);
  eddy__ws_close(e);
  eddy__crypto_close(e);
  eddy__compression_close(e);
  eddy__bridge_close(e);
  while (e->waiters.next != &e->waiters) {
    eddy__waiter *w = e->waiters.next;
    eddy__detach_waiter(e, w);
    w->complete(e, w, EDDY_ECLOSED, NULL);
  }

  uv_mutex_lock(&e->mu);
  for (uint32_t i = 0; i < e->handles_len; i++)
    if (e->handles[i]) JSValueUnprotect(e->ctx, e->handles[i]);
  e->handles_len = e->handles_free_len = e->released_len = 0;
  e->torn_down = 1; /* no more wakeups: the async handle closes below */
  uv_mutex_unlock(&e->mu);

  JSObjectRef *kept[] = {&e->native,        &e->internal,      &e->dispatch_error,
                         &e->trampoline,    &e->entry,         &e->object_keys,
                         &e->error_ctor,    &e->dataview_ctor, &e->string_ctor,
                         &e->promise_resolve, &e->promise_ctor};
  for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
    if (*kept[i]) {
      JSValueUnprotect(e->ctx, *kept[i]);
      *kept[i] = NULL;
    }
  eddy__runloop_close(e);
  JSGlobalContextRelease(e->ctx);
  registry_remove(e); /* after the last finalizer, before the group's address can be reused */
  JSContextGroupRelease(e->group);
  e->ctx = NULL;
  e->group = NULL;
  JSClassRelease(e->settle_fn_class);
  if (e->host_fn_class) JSClassRelease(e->host_fn_class);
  if (e->async_fn_class) JSClassRelease(e->async_fn_class);

  /* A close from a callback left the loop's stop flag set, which makes the next uv_run return
     before it ran the close callbacks: run it until the loop closes, or every handle and its
     descriptors stay behind. */
  int rc;
  do {
    uv_walk(&e->loop, on_close_walk, NULL);
    uv_run(&e->loop, UV_RUN_DEFAULT);
  } while ((rc = uv_loop_close(&e->loop)) == UV_EBUSY);
  eddy__runloop_free(e);
  eddy__memlimit_free(e);
  (void)rc;
#ifndef NDEBUG
  if (rc) fprintf(stderr, "eddy: loop not closed cleanly: %s\n", uv_strerror(rc));
#endif
}

int eddy_engine_close(eddy_engine *e) {
  if (!e) return EDDY_EINVAL;
  uv_mutex_lock(&e->mu);
  eddy__job *jobs = NULL;
  if (!e->closed) {
    e->closed = 1;
    atomic_store(&e->closing, 1);
    jobs = take_queue_locked(e);
    wake_locked(e);
  }
  if (eddy__on_this_thread(e)) {
    /* From a callback: the owner tears down when control returns to the top. */
    uv_mutex_unlock(&e->mu);
    cancel_jobs(e, jobs);
    uv_stop(&e->loop);
    return 0;
  }
  uv_mutex_unlock(&e->mu);
  cancel_jobs(e, jobs);

  uv_mutex_lock(&e->drive_mu);
  uv_mutex_lock(&e->mu);
  uv_thread_t self = uv_thread_self();
  int join = e->driving && !uv_thread_equal(&e->driver, &self);
  uv_mutex_unlock(&e->mu);
  if (join) {
    uv_thread_join(&e->driver);
    uv_mutex_lock(&e->mu);
    e->driving = 0;
    uv_mutex_unlock(&e->mu);
  }
  uv_mutex_unlock(&e->drive_mu);

  uv_mutex_lock(&e->mu);
  while (e->busy) uv_cond_wait(&e->idle, &e->mu);
  if (!e->torn_down) {
    e->busy = 1;
    e->owner = self;
    uv_mutex_unlock(&e->mu);
    teardown(e);
    uv_mutex_lock(&e->mu);
    e->busy = 0;
    uv_cond_broadcast(&e->idle);
  }
  uv_mutex_unlock(&e->mu);
  return 0;
}

void eddy_engine_free(eddy_engine *e) {
  if (!e) return;
  eddy_engine_close(e);
  eddy__engine_unref(e);
}

void eddy_engine_set_userdata(eddy_engine *e, void *userdata) {
  if (e) e->userdata = userdata;
}
void *eddy_engine_get_userdata(eddy_engine *e) { return e ? e->userdata : NULL; }

/* ---- driving --------------------------------------------------------------------------------- */

/* The VM, with JSC's run loop on this thread (runloop.c). A run loop that cannot be set up only
   costs JSC's deferred work. */
static void create_vm(eddy_engine *e) {
  if (e->jsc.features & EDDY_JSC_RUNLOOP) eddy__runloop_init(e);
  e->group = JSContextGroupCreate();
  eddy__runloop_vm_created(e);
}

static void driver_main(void *arg) {
  eddy_engine *e = arg;
  pthread_setname_np(pthread_self(), "eddy-driver");
  uv_mutex_lock(&e->mu);
  if (e->create_vm) {
    create_vm(e);
    e->create_vm = 0;
    uv_cond_broadcast(&e->idle);
  }
  while (e->busy) uv_cond_wait(&e->idle, &e->mu);
  e->busy = 1;
  e->owner = uv_thread_self();
  uv_mutex_unlock(&e->mu);
  eddy__start_pumping(e, 1);
  for (;;) {
    uv_mutex_lock(&e->mu);
    int stop = e->stop_requested || e->closed;
    uv_mutex_unlock(&e->mu);
    if (stop) break;
    uv_run(&e->loop, UV_RUN_DEFAULT);
  }
  eddy__finish_pumping(e);
  eddy__release_js(e);
}

/* mu held. */
static int spawn_driver_locked(eddy_engine *e) {
  uv_thread_options_t topts;
  topts.flags = UV_THREAD_HAS_STACK_SIZE;
  topts.stack_size = DRIVER_STACK_SIZE;
  e->stop_requested = 0;
  if (uv_thread_create_ex(&e->driver, &topts, driver_main, e)) return EDDY_ETHREAD;
  e->driving = 1;
  return 0;
}

int eddy_start_drive(eddy_engine *e) {
  if (!e) return EDDY_EINVAL;
  uv_mutex_lock(&e->drive_mu);
  uv_mutex_lock(&e->mu);
  int st = 0;
  if (e->closed) st = EDDY_ECLOSED;
  else if (eddy__on_this_thread(e)) st = EDDY_EBUSY;
  else if (!e->driving) st = spawn_driver_locked(e);
  /* Return only once the driver owns the loop, so that every call made after this one is queued
     to it (a call running on its own thread would not keep the loop alive). */
  while (!st && e->driving && e->pumping != 2 && !e->closed) uv_cond_wait(&e->idle, &e->mu);
  uv_mutex_unlock(&e->mu);
  uv_mutex_unlock(&e->drive_mu);
  return st;
}

int eddy_stop_drive(eddy_engine *e) {
  if (!e) return EDDY_EINVAL;
  uv_mutex_lock(&e->mu);
  uv_thread_t self = uv_thread_self();
  /* From a callback (on the driver or a host thread running JS) the join could never end. */
  int refuse = eddy__on_this_thread(e) || (e->driving && uv_thread_equal(&e->driver, &self));
  uv_mutex_unlock(&e->mu);
  if (refuse) return EDDY_EBUSY;
  uv_mutex_lock(&e->drive_mu);
  uv_mutex_lock(&e->mu);
  int driving = e->driving;
  if (driving) {
    e->stop_requested = 1;
    wake_locked(e);
  }
  uv_mutex_unlock(&e->mu);
  if (driving) {
    uv_thread_join(&e->driver);
    uv_mutex_lock(&e->mu);
    e->driving = 0;
    e->stop_requested = 0;
    uv_mutex_unlock(&e->mu);
  }
  uv_mutex_unlock(&e->drive_mu);
  return 0;
}

int eddy_is_driving(eddy_engine *e) {
  if (!e) return EDDY_EINVAL;
  uv_mutex_lock(&e->mu);
  int d = e->driving && !e->stop_requested;
  uv_mutex_unlock(&e->mu);
  return d;
}

int eddy_jsc_features(eddy_engine *e) {
  if (e) return e->jsc.features;
  uv_once(&process_once, process_init_once); /* JSC's options before its first VM */
  return eddy__jsc_resolved()->features;
}

int eddy_pending(eddy_engine *e) {
  if (!e) return EDDY_EINVAL;
  if (atomic_load(&e->closing)) return EDDY_ECLOSED;
  return atomic_load(&e->pending) > 0;
}

int eddy_run(eddy_engine *e, eddy_run_mode mode) {
  if (!e || mode < EDDY_RUN_DEFAULT || mode > EDDY_RUN_NOWAIT) return EDDY_EINVAL;
  eddy__engine_ref(e);
  uv_mutex_lock(&e->mu);
  int st = 0;
  for (;;) {
    if (e->closed) st = EDDY_ECLOSED;
    else if (e->driving || eddy__on_this_thread(e)) st = EDDY_EBUSY;
    else if (e->busy) {
      uv_cond_wait(&e->idle, &e->mu);
      continue;
    }
    break;
  }
  if (st) {
    uv_mutex_unlock(&e->mu);
    eddy__engine_unref(e);
    return st;
  }
  e->busy = 1;
  e->owner = uv_thread_self();
  uv_mutex_unlock(&e->mu);
  eddy__start_pumping(e, 0);
  static const uv_run_mode modes[] = {UV_RUN_DEFAULT, UV_RUN_ONCE, UV_RUN_NOWAIT};
  e->nowait = modes[mode] == UV_RUN_NOWAIT;
  uv_run(&e->loop, modes[mode]);
  eddy__runloop_poll(e);
  e->nowait = 0;
  eddy__finish_pumping(e);
  eddy__release_js(e);
  st = atomic_load(&e->closing) ? EDDY_ECLOSED : atomic_load(&e->pending) > 0;
  eddy__engine_unref(e);
  return st;
}

int eddy_backend_fd(eddy_engine *e) {
  if (!e) return EDDY_EINVAL;
  if (atomic_load(&e->closing)) return EDDY_ECLOSED;
  return uv_backend_fd(&e->loop);
}

int eddy_backend_timeout(eddy_engine *e) {
  if (!e) return EDDY_EINVAL;
  if (atomic_load(&e->closing)) return EDDY_ECLOSED;
  if (atomic_load(&e->queued)) return 0;
  /* Watchers started since the last poll are not in the epoll set yet: run once to add them. */
  void **wq = e->loop.watcher_queue;
  if (wq[0] != (void *)wq) return 0;
  /* Nothing keeps the loop alive: nothing to wait for (libuv would say 0). */
  if (!uv_loop_alive(&e->loop)) return -1;
  return uv_backend_timeout(&e->loop);
}
