/* Finds JavaScriptCore's optional functions (jsc_optional.h) at run time.

   They are looked up in the very library that provides the public C API (found with dladdr from
   JSEvaluateScript), so that an app shipping its own JSC (jsc-android) is asked, not whatever
   else the process loaded. The C++ members are checked on a probe VM before eddy uses them: the
   lock holder must write the VM pointer into its first word and nothing past it, and the drain
   must run a queued reaction inside a native call. The probe runs on a short-lived thread of its
   own, so that the caller's thread gets no JSC run loop (runloop.c picks that run loop's GLib
   context when the engine's VM is created). */
#define _GNU_SOURCE /* dladdr */
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "eddy.h"
#include "jsc_optional.h"

static eddy__jsc resolved;
static uv_once_t resolve_once = UV_ONCE_INIT;

static const struct {
  int bit;
  const char *name;
} feature_names[] = {
    {EDDY_JSC_TIME_LIMIT, "time_limit"},     {EDDY_JSC_REJECTION_CALLBACK, "rejection_callback"},
    {EDDY_JSC_MEMORY_STATS, "memory_stats"}, {EDDY_JSC_SYNC_GC, "sync_gc"},
    {EDDY_JSC_SCRIPT, "script"},             {EDDY_JSC_PROXY_TARGET, "proxy_target"},
    {EDDY_JSC_LOCK, "lock"},                 {EDDY_JSC_DRAIN, "drain"},
    {EDDY_JSC_OPTIONS, "options"},           {EDDY_JSC_RUNLOOP, "runloop"},
};
#define FEATURES (sizeof feature_names / sizeof feature_names[0])

const char *eddy__jsc_feature_name(int bit) {
  for (size_t i = 0; i < FEATURES; i++)
    if (feature_names[i].bit == bit) return feature_names[i].name;
  return NULL;
}

static void *find(void *lib, const char *name) {
  void *p = dlsym(lib, name);
  return p ? p : dlsym(RTLD_DEFAULT, name);
}

/* Object pointers from dlsym become function pointers through memcpy: ISO C has no cast. */
#define FIND(lib, field, name)                  \
  do {                                          \
    void *p_ = find(lib, name);                 \
    memcpy(&resolved.field, &p_, sizeof p_);    \
  } while (0)

/* ---- the probe ------------------------------------------------------------------------------- */

#define PROBE_WORDS 16
#define SENTINEL ((void *)(uintptr_t)0x5a5a5a5a5a5a5a5aull)

typedef struct {
  void *words[PROBE_WORDS]; /* room for a holder that grew, so that its destructor stays safe */
} probe_holder;

typedef struct {
  const eddy__jsc *candidate;
  int found; /* EDDY_JSC_LOCK | EDDY_JSC_DRAIN as they passed */
} probe;

static _Thread_local probe *current_probe;

/* probeDrain(): a reaction queued before the call has run once the drain returns. */
static JSValueRef probe_drain(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                              const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  (void)argc;
  (void)argv;
  const eddy__jsc *c = current_probe->candidate;
  JSObjectRef global = JSContextGetGlobalObject(ctx);
  JSStringRef ran = JSStringCreateWithUTF8CString("probeRan");
  int before = JSValueToBoolean(ctx, JSObjectGetProperty(ctx, global, ran, exc));
  probe_holder h;
  c->lock((eddy__jsc_lock_holder *)&h, JSContextGetGroup(ctx));
  c->drain_microtasks(JSContextGetGroup(ctx));
  c->unlock((eddy__jsc_lock_holder *)&h);
  int after = JSValueToBoolean(ctx, JSObjectGetProperty(ctx, global, ran, exc));
  JSStringRelease(ran);
  if (!before && after) current_probe->found |= EDDY_JSC_DRAIN;
  return JSValueMakeUndefined(ctx);
}

static void probe_thread(void *arg) {
  probe *p = arg;
  const eddy__jsc *c = p->candidate;
  JSContextGroupRef group = JSContextGroupCreate();
  probe_holder h;
  for (int i = 0; i < PROBE_WORDS; i++) h.words[i] = SENTINEL;
  c->lock((eddy__jsc_lock_holder *)&h, group);
  int ok = h.words[0] == (void *)group;
  for (int i = 1; i < PROBE_WORDS; i++)
    if (h.words[i] != SENTINEL) ok = 0;
  c->unlock((eddy__jsc_lock_holder *)&h);
  if (ok) p->found |= EDDY_JSC_LOCK;
  if (ok && c->drain_microtasks) {
    current_probe = p;
    JSGlobalContextRef ctx = JSGlobalContextCreateInGroup(group, NULL);
    JSStringRef name = JSStringCreateWithUTF8CString("probeDrain");
    JSObjectSetProperty(ctx, JSContextGetGlobalObject(ctx), name,
                        JSObjectMakeFunctionWithCallback(ctx, name, probe_drain),
                        kJSPropertyAttributeNone, NULL);
    JSStringRelease(name);
    JSStringRef src = JSStringCreateWithUTF8CString(
        "Promise.resolve().then(() => { globalThis.probeRan = true; }); probeDrain();");
    JSEvaluateScript(ctx, src, NULL, NULL, 1, NULL);
    JSStringRelease(src);
    JSGlobalContextRelease(ctx);
    current_probe = NULL;
  }
  JSContextGroupRelease(group);
}

int eddy__jsc_probe(const eddy__jsc *candidate) {
  probe p = {candidate, 0};
  uv_thread_t t;
  if (!candidate->lock || !candidate->unlock) return 0;
  if (uv_thread_create(&t, probe_thread, &p) == 0) uv_thread_join(&t);
  return p.found;
}

/* ---- WTF's main run loop --------------------------------------------------------------------- */

/* JSC's full-collection timer, once runloop.c lets it fire, asks WTF::MemoryPressureHandler
   whether the process is under memory pressure; constructing that singleton takes WTF's main run
   loop, which only a WebKit embedder initialises: without one the first such timer dereferences
   NULL and kills the process. So a process without one gets one, on a thread of its own that
   never exits, because WTF keeps a raw pointer to the initialising thread's run loop (a host
   thread that exits would leave it dangling). Nothing iterates that run loop: the handler only
   builds a timer there. A process whose WebKit initialised it already keeps its own. */
typedef void *(*wtf_main_run_loop_fn)(void);
typedef void (*wtf_initialize_fn)(void);

typedef struct {
  wtf_initialize_fn initialize_main;
  uv_mutex_t mu;
  uv_cond_t cond;
  int ready;
} main_run_loop_start;

static void *main_run_loop_thread(void *arg) {
  main_run_loop_start *s = arg;
  s->initialize_main();
  uv_mutex_lock(&s->mu);
  s->ready = 1;
  uv_cond_signal(&s->cond);
  uv_mutex_unlock(&s->mu);
  /* Parked for the life of the process; s lives on the creator's stack, so no more use of it. */
  uv_mutex_t park;
  uv_cond_t never;
  uv_mutex_init(&park);
  uv_cond_init(&never);
  uv_mutex_lock(&park);
  for (;;) uv_cond_wait(&never, &park);
  return NULL;
}

/* → whether WTF's main run loop exists, after making one if the process has none. */
static int ensure_main_run_loop(void *lib) {
  wtf_main_run_loop_fn main_run_loop = NULL;
  wtf_initialize_fn initialize_main = NULL;
  void *p = find(lib, "_ZN3WTF7RunLoop13mainSingletonEv"); /* WebKit 2.48 and later */
  if (!p) p = find(lib, "_ZN3WTF7RunLoop4mainEv");
  memcpy(&main_run_loop, &p, sizeof p);
  p = find(lib, "_ZN3WTF7RunLoop14initializeMainEv");
  memcpy(&initialize_main, &p, sizeof p);
  if (!main_run_loop) return 0;
  if (main_run_loop()) return 1;
  if (!initialize_main) return 0;
  main_run_loop_start s;
  memset(&s, 0, sizeof s);
  s.initialize_main = initialize_main;
  uv_mutex_init(&s.mu);
  uv_cond_init(&s.cond);
  pthread_t t;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, 256 * 1024);
  int started = pthread_create(&t, &attr, main_run_loop_thread, &s) == 0;
  pthread_attr_destroy(&attr);
  uv_mutex_lock(&s.mu);
  while (started && !s.ready) uv_cond_wait(&s.cond, &s.mu);
  uv_mutex_unlock(&s.mu);
  uv_cond_destroy(&s.cond);
  uv_mutex_destroy(&s.mu);
  return started && main_run_loop() != NULL;
}

/* ---- resolution ------------------------------------------------------------------------------ */

static void resolve(void) {
  void *lib = NULL;
  Dl_info info;
  void *api;
  JSValueRef (*public_fn)(JSContextRef, JSStringRef, JSObjectRef, JSStringRef, int,
                          JSValueRef *) = JSEvaluateScript;
  memcpy(&api, &public_fn, sizeof api);
  if (dladdr(api, &info) && info.dli_fname) lib = dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD);
  if (!lib) lib = RTLD_DEFAULT;

  FIND(lib, set_execution_time_limit, "JSContextGroupSetExecutionTimeLimit");
  FIND(lib, clear_execution_time_limit, "JSContextGroupClearExecutionTimeLimit");
  FIND(lib, set_unhandled_rejection_callback, "JSGlobalContextSetUnhandledRejectionCallback");
  FIND(lib, memory_usage_statistics, "JSGetMemoryUsageStatistics");
  FIND(lib, collect_now, "JSSynchronousGarbageCollectForDebugging");
  FIND(lib, script_create, "JSScriptCreateFromString");
  FIND(lib, script_create_ascii, "JSScriptCreateReferencingImmortalASCIIText");
  FIND(lib, script_evaluate, "JSScriptEvaluate");
  FIND(lib, script_release, "JSScriptRelease");
  FIND(lib, proxy_target, "JSObjectGetProxyTarget");
  FIND(lib, lock, "_ZN3JSC12JSLockHolderC1EPNS_2VME");
  FIND(lib, unlock, "_ZN3JSC12JSLockHolderD1Ev");
  FIND(lib, drain_microtasks, "_ZN3JSC2VM15drainMicrotasksEv");
  FIND(lib, options_get_boolean, "jsc_options_get_boolean");

  int passed = eddy__jsc_probe(&resolved);
  if (!(passed & EDDY_JSC_LOCK)) resolved.lock = NULL, resolved.unlock = NULL;
  if (!(passed & EDDY_JSC_DRAIN)) resolved.drain_microtasks = NULL;

  int f = 0;
  if (resolved.set_execution_time_limit && resolved.clear_execution_time_limit) f |= EDDY_JSC_TIME_LIMIT;
  if (resolved.set_unhandled_rejection_callback) f |= EDDY_JSC_REJECTION_CALLBACK;
  if (resolved.memory_usage_statistics) f |= EDDY_JSC_MEMORY_STATS;
  if (resolved.collect_now) f |= EDDY_JSC_SYNC_GC;
  if (resolved.script_create && resolved.script_evaluate && resolved.script_release)
    f |= EDDY_JSC_SCRIPT;
  else resolved.script_create_ascii = NULL;
  if (resolved.proxy_target) f |= EDDY_JSC_PROXY_TARGET;
  if (resolved.lock) f |= EDDY_JSC_LOCK;
  if (resolved.drain_microtasks) f |= EDDY_JSC_DRAIN;
  if (resolved.options_get_boolean) f |= EDDY_JSC_OPTIONS;
#ifdef EDDY_JSC_GLIB
  /* runloop.c, compiled in; its timers need WTF's main run loop (see ensure_main_run_loop). */
  if (ensure_main_run_loop(lib)) f |= EDDY_JSC_RUNLOOP;
#endif
  resolved.features = f;
}

const eddy__jsc *eddy__jsc_resolved(void) {
  uv_once(&resolve_once, resolve);
  return &resolved;
}

/* The EDDY_JSC_* bits EDDY_JSC_OPTIONAL lets engines use. An unknown name in the list is
   ignored: a list written for a newer eddy still keeps what it names and this one knows. */
static int allowed_features(void) {
  const char *s = getenv("EDDY_JSC_OPTIONAL");
  if (!s || !*s || !strcmp(s, "all")) return ~0;
  int keep = 0;
  while (*s) {
    size_t n = strcspn(s, ",");
    for (size_t i = 0; i < FEATURES; i++)
      if (strlen(feature_names[i].name) == n && !strncmp(s, feature_names[i].name, n))
        keep |= feature_names[i].bit;
    s += n;
    if (*s == ',') s++;
  }
  return keep; /* "none" names nothing */
}

void eddy__jsc_for_engine(eddy__jsc *out) {
  *out = *eddy__jsc_resolved();
  int keep = out->features & allowed_features();
  /* The drain needs the lock held around it. */
  if (!(keep & EDDY_JSC_LOCK)) keep &= ~EDDY_JSC_DRAIN;
  out->features = keep;
  if (!(keep & EDDY_JSC_TIME_LIMIT))
    out->set_execution_time_limit = NULL, out->clear_execution_time_limit = NULL;
  if (!(keep & EDDY_JSC_REJECTION_CALLBACK)) out->set_unhandled_rejection_callback = NULL;
  if (!(keep & EDDY_JSC_MEMORY_STATS)) out->memory_usage_statistics = NULL;
  if (!(keep & EDDY_JSC_SYNC_GC)) out->collect_now = NULL;
  if (!(keep & EDDY_JSC_SCRIPT))
    out->script_create = NULL, out->script_create_ascii = NULL, out->script_evaluate = NULL,
    out->script_release = NULL;
  if (!(keep & EDDY_JSC_PROXY_TARGET)) out->proxy_target = NULL;
  if (!(keep & EDDY_JSC_LOCK)) out->lock = NULL, out->unlock = NULL;
  if (!(keep & EDDY_JSC_DRAIN)) out->drain_microtasks = NULL;
  if (!(keep & EDDY_JSC_OPTIONS)) out->options_get_boolean = NULL;
}

static void create_a_vm(void *arg) {
  (void)arg;
  JSContextGroupRelease(JSContextGroupCreate());
}

void eddy__jsc_read_options(const eddy__jsc *jsc) {
  int value;
  if (jsc->options_get_boolean) {
    jsc->options_get_boolean("useJIT", &value);
    return;
  }
  /* The public API's way: JSC initialises, options and all, with its first VM. */
  uv_thread_t t;
  if (uv_thread_create(&t, create_a_vm, NULL) == 0) uv_thread_join(&t);
}
