/* Internal declarations shared by the library's files. Nothing here is part of the ABI. */
#ifndef EDDY_INTERNAL_H
#define EDDY_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <JavaScriptCore/JavaScript.h>
#include <uv.h>

#include "eddy.h"
#include "jsc_optional.h"

#define EDDY__CONTAINER_OF(ptr, type, field) ((type *)((char *)(ptr) - offsetof(type, field)))

/* ---- values (value.c) ---------------------------------------------------------------------- */

/* A JS function kept alive for the host. Shared by copies of a function value. */
typedef struct eddy__fnref {
  atomic_int refs;
  eddy_engine *engine; /* holds a reference on the engine */
  uint32_t handle;     /* slot in engine->handles */
} eddy__fnref;

struct eddy_value {
  eddy_type type;
  /* Owners beyond the first: a JS object reached twice converts to one node, which every place
     that reaches it owns (eddy_value_free drops one). Immutable trees only share this way. */
  uint32_t refs;
  union {
    int boolean;
    double number; /* number, date */
    struct {
      char *ptr; /* NUL-terminated */
      size_t len;
    } str; /* string, bigint */
    struct {
      uint8_t *ptr;
      size_t len;
    } bytes;
    struct {
      eddy_value **items;
      char **keys; /* NULL for arrays */
      size_t *key_lens;
      size_t len, cap;
    } list; /* array, object, error (its fields) */
    struct {
      char *name;
      size_t name_len;
      eddy__fnref *ref;
    } fn;
  } u;
};

eddy_value *eddy__value_new(eddy_type type);
eddy_value *eddy__value_new_function(eddy_engine *e, uint32_t handle, const char *name,
                                     size_t name_len);
int eddy__value_set_n(eddy_value *object, const char *key, size_t key_len, eddy_value *item);
/* Appends key (known not to be there yet) to an object or error, taking item. */
int eddy__value_append_n(eddy_value *object, const char *key, size_t key_len, eddy_value *item);

/* Nesting limit of every conversion (JS -> host, host -> JS, JSON in and out): arrays, objects
   and errors count one level each. Deeper is EDDY_ERANGE (a RangeError in JS). */
#define EDDY__MAX_DEPTH 1000

/* A pointer-keyed hash map (open addressing), for the graph walks. Zero-initialised is empty. */
typedef struct {
  struct {
    const void *key;
    void *val;
  } *slots;
  size_t cap, len;
} eddy__ptrmap;
void *eddy__ptrmap_get(const eddy__ptrmap *m, const void *key); /* NULL when absent */
int eddy__ptrmap_put(eddy__ptrmap *m, const void *key, void *val); /* 0 or EDDY_ENOMEM */
void eddy__ptrmap_del(eddy__ptrmap *m, const void *key);
void eddy__ptrmap_free(eddy__ptrmap *m);

/* ---- UTF-8 / UTF-16 (utf.c) ------------------------------------------------------------------ */

#include "utf.h" /* the conversions that need no JSC type */

JSStringRef eddy__jsstring_from_utf8(const char *s, size_t len); /* NULL on ENOMEM or ERANGE */
int eddy__jsstring_to_utf8(JSStringRef s, char **out, size_t *out_len);

/* JSC aborts the process, instead of failing, when asked from C for a string or an ArrayBuffer
   larger than it can hold: 2^31 - 13 UTF-16 units (JSC 2.50, 64-bit) and 4 GiB. Everything eddy
   makes for JS from C is checked against these first; too large is a RangeError in JS and
   EDDY_ERANGE for a host call. */
#define EDDY__JS_STRING_MAX ((size_t)0x7FFFF000) /* 2^31 - 4096 units */
#define EDDY__JS_BYTES_MAX ((uint64_t)1 << 32)
/* 0, EDDY_ENOMEM, or EDDY_ERANGE when longer than EDDY__JS_STRING_MAX (checked before the
   UTF-16 copy is allocated). */
int eddy__jsstring_from_utf8_checked(const char *s, size_t len, JSStringRef *out);
JSStringRef eddy__jsstring_from_utf16(const uint16_t *s, size_t len); /* NULL if too long */
/* A JS string of UTF-8 s, or NULL with *exc set (RangeError: too long; TypeError: no memory). */
JSValueRef eddy__js_string_value(JSContextRef ctx, const char *s, size_t len, JSValueRef *exc);
/* Sets *exc for a failed eddy__jsstring_from_utf8_checked status and returns NULL. */
JSValueRef eddy__js_string_error(JSContextRef ctx, int status, JSValueRef *exc);

/* ---- JS <-> values (convert.c, convert_to_js.c); JS thread only ------------------------------ */

/* On failure returns, with *exc set: EDDY_EEXCEPTION (a getter threw; a TypeError for a cycle;
   a RangeError when nested deeper than EDDY__MAX_DEPTH or over the size budget) or
   EDDY_EINTERRUPTED (eddy_interrupt, the time limit or close stopped it). Shared references
   stay shared (eddy_value.refs). */
int eddy__from_js(eddy_engine *e, JSValueRef v, eddy_value **out, JSValueRef *exc);
/* NULL value converts to undefined. On failure returns NULL and sets *exc. */
JSValueRef eddy__to_js(eddy_engine *e, const eddy_value *v, JSValueRef *exc);
/* Like eddy__to_js, with a status: 0, EDDY_ERANGE (*exc a RangeError: too deep, a string or
   buffer too large for JS), EDDY_EINTERRUPTED (the watchdog stopped it), EDDY_EEXCEPTION or
   EDDY_ENOMEM (*exc set). */
int eddy__to_js_checked(eddy_engine *e, const eddy_value *v, JSValueRef *out, JSValueRef *exc);
/* Converts an exception to an error value, never failing (falls back to a plain description). */
eddy_value *eddy__error_from_js(eddy_engine *e, JSValueRef exc);
JSObjectRef eddy__make_error(JSContextRef ctx, const char *ctor, const char *message);

/* ---- engine (engine.c) ----------------------------------------------------------------------- */

typedef struct eddy__job eddy__job;
struct eddy__job {
  eddy__job *next;
  /* Runs on the JS thread; owns the job from then on. */
  void (*run)(eddy_engine *e, eddy__job *job);
  /* Called instead of run when the engine closes first (any thread, no JS). */
  void (*cancel)(eddy_engine *e, eddy__job *job);
};

/* A request waiting for a promise to settle (eval/call of the host). */
typedef struct eddy__waiter eddy__waiter;
struct eddy__waiter {
  eddy__waiter *prev, *next;
  void *link; /* the settle record pointing back at this waiter */
  void (*complete)(eddy_engine *e, eddy__waiter *w, int status, eddy_value *result);
  uint64_t seq;         /* order the waits began in (requests.c: eddy_interrupt ends those before) */
  uint64_t deadline_ns; /* wait_timeout_ms: when it ends with EDDY_ETIMEDOUT; 0: never */
  int sync;             /* a blocked caller (ends with EDDY_EPENDING when nothing can settle it) */
};

typedef struct eddy__timers eddy__timers;
typedef struct eddy__http eddy__http;
typedef struct eddy__ws eddy__ws;
typedef struct eddy__request eddy__request;
typedef struct eddy__calls eddy__calls;
typedef struct eddy__modules eddy__modules;
typedef struct eddy__runloop eddy__runloop;
typedef struct eddy__crypto eddy__crypto;
typedef struct eddy__memlimit eddy__memlimit;
typedef struct eddy__compression eddy__compression;

struct eddy_engine {
  atomic_int refs; /* the host's handle, function values, calls in progress */
  eddy_engine *registry_next; /* engine.c's registry, under its lock */
  void *userdata;
  eddy_options opts; /* copy; base_url is owned */
  eddy__jsc jsc;     /* what this engine uses of JSC beyond its public API (jsc_optional.h) */

  /* Guarded by mu. */
  uv_mutex_t mu;
  uv_cond_t idle; /* broadcast when busy drops to 0 */
  int busy;       /* a thread owns the JS side */
  uv_thread_t owner;
  int pumping; /* the owner runs the loop: other threads queue their calls to it */
  int nowait;  /* the loop runs without sleeping (eddy_run NOWAIT): the host's loop sleeps */
  int stop_requested;
  int closed;
  int torn_down;
  eddy__job *queue_head, *queue_tail;
  atomic_int queued; /* mirrors queue length for lock-free checks on the JS thread */

  uv_mutex_t drive_mu; /* serializes start/stop/close of the driver */
  int driving;         /* guarded by mu; the driver thread exists */
  uv_thread_t driver;

  atomic_int pending;            /* async work: timers, transfers, async calls, queued jobs */
  atomic_uint entry_gen;         /* bumped at every top-level JS entry (next_entry); never 0 */
  atomic_uint interrupt_gen;     /* entry_gen to interrupt, 0 = none */
  atomic_uint_least64_t entry_ns;/* start of the current top-level entry */
  atomic_int in_js;              /* a top-level entry is running */
  atomic_int closing;            /* mirrors closed for the watchdog */
  int terminated;                /* JS thread: our watchdog terminated the current entry */
  int watchdog_backoff;          /* JS thread: checks of this entry so far, up to 2 (should_terminate) */
  int booting;                   /* eddy_engine_new runs the embedded JS: no watchdog stop */
  int create_vm;                 /* guarded by mu: the driver is to create the VM, then clear it */
  int stop_reason;               /* JS thread: with terminated, EDDY_ENOMEM for the memory limit */
  eddy__memlimit *memlimit;      /* memory_limit's accounting (memlimit.c), NULL without one */
  /* Waits for promises (requests.c): interrupts, deadlines, and promises nothing can settle. */
  atomic_uint_least64_t wait_seq;        /* waits begun so far */
  atomic_uint_least64_t interrupt_waits; /* eddy_interrupt: end the waits up to this seq; 0 none */
  atomic_int waiting;                    /* waits in progress */
  uv_timer_t wait_timer;                 /* JS thread: the earliest deadline */
  uv_prepare_t wait_check;               /* JS thread: driver on, can a promise still settle? */

  /* JS thread only. */
  int depth; /* nesting of JS entries made by eddy */
  uv_loop_t loop;
  uv_async_t wakeup;
  int keepalive; /* reasons to keep the loop alive that are not handles (async calls) */
  JSContextGroupRef group;
  JSGlobalContextRef ctx;
  JSObjectRef native;   /* protected */
  JSObjectRef internal; /* protected */
  JSObjectRef dispatch_error; /* protected, may be NULL */
  JSObjectRef object_keys;    /* protected: Object.keys */
  JSObjectRef trampoline;     /* protected: runs e->current_request under one JS lock */
  eddy__request *current_request;
  int *current_started;
  JSObjectRef entry;              /* protected: runs e->entry_call, then the microtasks it queued */
  struct eddy__entry_call *entry_call;
  int batch_depth; /* e->depth of the batch being run (eddy__batch), else 0 */
  JSObjectRef error_ctor, dataview_ctor, string_ctor, promise_ctor, promise_resolve;
  JSClassRef host_fn_class, async_fn_class, settle_fn_class;
  eddy__waiter waiters; /* list head: requests awaiting a promise */
  eddy__timers *timers;
  eddy__http *http;
  eddy__ws *ws; /* WebSocket connections (web/websocket.c) */
  eddy__calls *calls;
  eddy__modules *modules; /* declared modules and host loads (modules.c) */
  eddy__runloop *runloop; /* JSC's GLib run loop on ours (runloop.c) */
  eddy__crypto *crypto;   /* SubtleCrypto jobs on the thread pool (web/crypto.c) */
  eddy__compression *compression; /* codec jobs on the thread pool (web/compression.c) */

  /* Handles of JS functions held by function values. Guarded by mu except slots (JS thread). */
  JSObjectRef *handles;
  uint32_t handles_len, handles_cap;
  uint32_t *handles_free; /* free slots */
  uint32_t handles_free_len, handles_free_cap;
  uint32_t *released; /* slots whose values were freed, to unprotect on the JS thread */
  uint32_t released_len, released_cap;
};

void eddy__engine_ref(eddy_engine *e);
void eddy__engine_unref(eddy_engine *e);

/* A host request (eval, call, set, define…) executed on the JS thread. fn produces a JS value
   (awaited if r->await and thenable) or returns a status with *exc set for EDDY_EEXCEPTION, or
   sets r->result itself and returns EDDY_OK with *value NULL when r->direct. */
typedef struct eddy__request eddy__request;
typedef int (*eddy__request_fn)(eddy_engine *e, eddy__request *r, JSValueRef *value,
                                JSValueRef *exc);
struct eddy__request {
  eddy__job job;
  eddy__waiter waiter;
  eddy__request_fn fn;
  int await;  /* wait for a thenable result */
  int direct; /* fn sets r->result itself */
  int discard; /* the value fn returns is unwanted: neither awaited nor converted (eddy_exec) */
  int async_fn; /* define: an async host function (eddy_define_async_function) */
  /* inputs (borrowed for sync requests, owned copies for async ones) */
  const char *source, *filename, *path;
  size_t len;
  const eddy_value *args, *value;
  void *fn_ptr, *fn_userdata;
  char *owned_source, *owned_filename, *owned_path;
  eddy_value *owned_args, *owned_value;
  /* completion */
  eddy_done_cb cb;
  void *userdata;
  int sync, done, status;
  int nested;  /* started from a callback on the JS thread */
  eddy_value *result;
  uv_cond_t cond;
};
/* Run r on the JS thread and wait for it (sync) or return at once (async: r is heap-allocated and
   freed after its callback). Both take care of closed engines and inline calls. */
int eddy__submit_sync(eddy_engine *e, eddy__request *r, eddy_value **result);
int eddy__submit_async(eddy_engine *e, eddy__request *r);
eddy__request *eddy__request_new_async(eddy_done_cb cb, void *userdata);
void eddy__request_free(eddy__request *r);
/* EDDY_EINVAL for a dotted path with an empty, __proto__, constructor or prototype segment. */
int eddy__check_path(const char *path);
/* Resolves a dotted path from globalThis: *holder gets the parent object, *fn the value. */
int eddy__resolve_path(eddy_engine *e, const char *path, int create, JSObjectRef *holder,
                       JSStringRef *last, JSValueRef *exc);

/* Queues a job to the thread that pumps the loop and wakes it. Returns EDDY_ECLOSED (job not
   taken) after close. Any thread. */
int eddy__enqueue(eddy_engine *e, eddy__job *job);
/* Runs queued jobs now (JS thread, between macrotasks). */
void eddy__run_queued(eddy_engine *e);

/* The thread model's steps (engine.c), for requests.c. */
int eddy__on_this_thread(eddy_engine *e);                 /* the caller owns the JS side */
void eddy__enqueue_locked(eddy_engine *e, eddy__job *job); /* mu held */
void eddy__start_pumping(eddy_engine *e, int driver);
void eddy__finish_pumping(eddy_engine *e);
void eddy__release_js(eddy_engine *e);
/* requests.c's natives and waiter list, for bootstrap.c's set-up and engine.c's teardown. */
JSValueRef eddy__trampoline(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                            const JSValueRef argv[], JSValueRef *exc);
JSValueRef eddy__on_settle(JSContextRef ctx, JSObjectRef function, JSObjectRef self, size_t argc,
                           const JSValueRef argv[], JSValueRef *exc);
void eddy__settle_finalize(JSObjectRef object);
void eddy__detach_waiter(eddy_engine *e, eddy__waiter *w);
/* Waits that end (requests.c): handles set up at creation; eddy_interrupt's request to end the
   waits in progress (any thread), carried out by the wakeup handler (JS thread). */
void eddy__waits_init(eddy_engine *e);
void eddy__interrupt_waits(eddy_engine *e);
void eddy__waits_interrupt(eddy_engine *e);
void eddy__wake(eddy_engine *e); /* wakes the thread pumping the loop; any thread */

#define EDDY__WATCHDOG_PERIOD_S 0.01 /* CPU time before the first interrupt check of an entry */
/* The watchdog's callback (entry.c), armed by eddy_engine_new. */
bool eddy__should_terminate(JSContextRef ctx, void *context);
/* Arms JSC's watchdog to call eddy__should_terminate after `seconds` of CPU time in JS (JS
   thread; needs EDDY_JSC_TIME_LIMIT). */
void eddy__watchdog_arm(eddy_engine *e, double seconds);
/* The native function every outermost call goes through (entry.c); e->entry wraps it. */
JSValueRef eddy__entry(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                       const JSValueRef argv[], JSValueRef *exc);
/* The error value of an interrupted request. */
eddy_value *eddy__interrupted_error(void);
/* The error value of a request stopped with status: EDDY_EINTERRUPTED, EDDY_ENOMEM (memory
   limit), EDDY_ETIMEDOUT (wait_timeout_ms). */
eddy_value *eddy__stopped_error(int status);
/* Tells on_error that detached JS was stopped with status (EDDY_EINTERRUPTED or EDDY_ENOMEM). */
void eddy__report_stopped(eddy_engine *e, int status);

/* Calls a JS function as a top-level task or nested call: tracks entry generations for the
   watchdog. Returns EDDY_OK, EDDY_EEXCEPTION (*exc set) or EDDY_EINTERRUPTED. */
int eddy__call_js(eddy_engine *e, JSObjectRef fn, JSObjectRef self, size_t argc,
                  const JSValueRef argv[], JSValueRef *result, JSValueRef *exc);
/* Like eddy__call_js for a callback of detached work (timer, transfer, event): errors go to the
   host's error handler (EDDY_ERROR_UNCAUGHT or EDDY_ERROR_INTERRUPTED). */
void eddy__call_detached(eddy_engine *e, JSObjectRef fn, JSObjectRef self, size_t argc,
                         const JSValueRef argv[]);

/* Runs fn(e, data) as one VM entry in which fn makes its JS calls with eddy__task_call, each a
   task of its own (see engine.c). fn returns nonzero to be called again in a fresh entry: after
   a task was interrupted (eddy__task_call returned EDDY_EINTERRUPTED) or to let host calls
   queued meanwhile (e->queued) run first, which eddy__batch does in between. JS thread. */
typedef int (*eddy__batch_fn)(eddy_engine *e, void *data);
void eddy__batch(eddy_engine *e, eddy__batch_fn fn, void *data);
/* A callback of detached work: errors are reported, never returned. Inside a batch, returns
   EDDY_EINTERRUPTED when the task was terminated: the batch function must return 1 at once. */
int eddy__task_call(eddy_engine *e, JSObjectRef fn, JSObjectRef self, size_t argc,
                    const JSValueRef argv[]);
/* Busy-polling before the loop sleeps (src/web/http_curl.c): eddy__busy_poll from a prepare
   handle while transfers or connections wait on fast servers, eddy__busy_poll_woke when one of
   their sockets woke the loop. */
typedef struct {
  uint64_t sleep_ns; /* when the loop went to sleep after polling in vain; 0: not asleep */
  int short_waits;   /* short waits for a socket in a row, up to SHORT_STREAK */
} eddy__spin;
void eddy__busy_poll(eddy_engine *e, eddy__spin *sp);
void eddy__busy_poll_woke(eddy_engine *e, eddy__spin *sp);
/* Whether eddy__task_call runs inside a batch now (else it is a detached call). */
int eddy__task_batched(eddy_engine *e);
/* eddy__task_call that, inside a batch, hands fn's return value to on_result(data, value)
   before the task's microtasks run (what fn left for its caller to do comes before them). */
typedef void (*eddy__task_result_fn)(void *data, JSValueRef result);
int eddy__task_call_then(eddy_engine *e, JSObjectRef fn, JSObjectRef self, size_t argc,
                         const JSValueRef argv[], eddy__task_result_fn on_result, void *data);
/* Reports an error of detached work: dispatches it on globalThis unless skip_dispatch, then
   hands it to the host unless a listener prevented it. JS thread. */
void eddy__report(eddy_engine *e, int kind, JSValueRef error, JSValueRef promise,
                  int skip_dispatch);
/* Keeps the loop alive while > 0 (JS thread). */
void eddy__keepalive(eddy_engine *e, int delta);
void eddy__log(eddy_engine *e, int level, const char *text, size_t len);
/* Logs why set-up failed (exc's stack, else why, else st's text) and returns st. */
int eddy__setup_failed(eddy_engine *e, const char *where, JSValueRef exc, const char *why, int st);
/* Sets up a new engine's JS side (bootstrap.c): natives, the web APIs' native parts, internal.js.
   A failure was logged (eddy__setup_failed); returns its status. */
int eddy__bootstrap(eddy_engine *e);

/* Attaches the waiter to a thenable; complete() runs when it settles, or with EDDY_ECLOSED at
   close. JS thread. Returns EDDY_EEXCEPTION (*exc) if `then` threw. */
int eddy__await(eddy_engine *e, JSValueRef thenable, eddy__waiter *w, JSValueRef *exc);
int eddy__is_thenable(eddy_engine *e, JSValueRef v);

/* A native function on obj, with name. */
void eddy__set_function(JSContextRef ctx, JSObjectRef obj, const char *name,
                        JSObjectCallAsFunctionCallback fn);
void eddy__set_value(JSContextRef ctx, JSObjectRef obj, const char *name, JSValueRef v);
JSValueRef eddy__throw_type_error(JSContextRef ctx, JSValueRef *exc, const char *message);
/* The engine of a context (stored in the global object's private slot). */
eddy_engine *eddy__engine_of(JSContextRef ctx);

/* Function handles for function values. JS thread. */
int eddy__handle_new(eddy_engine *e, JSObjectRef fn, uint32_t *out);
JSObjectRef eddy__handle_get(eddy_engine *e, uint32_t handle);
void eddy__handle_release(eddy_engine *e, uint32_t handle); /* any thread */

/* ---- modules: each installs its globals/natives and tears down on the JS thread ------------ */
int eddy__timers_init(eddy_engine *e);
void eddy__timers_close(eddy_engine *e);
int eddy__bridge_init(eddy_engine *e);
void eddy__bridge_close(eddy_engine *e);
void eddy__bridge_free(eddy_engine *e);
int eddy__encoding_init(eddy_engine *e, JSObjectRef native);
int eddy__console_init(eddy_engine *e, JSObjectRef native);
int eddy__url_init(eddy_engine *e, JSObjectRef native);
int eddy__http_init(eddy_engine *e, JSObjectRef native);
void eddy__http_close(eddy_engine *e);
/* The options every libcurl connection of the engine takes, fetch's and WebSocket's alike: trust
   store, proxy headers, no signals. */
void eddy__curl_common_options(eddy_engine *e, void *easy); /* a CURL * */
int eddy__ws_init(eddy_engine *e, JSObjectRef native);
void eddy__ws_close(eddy_engine *e); /* teardown: open sockets close with 1001, no JS runs */
int eddy__base64_init(eddy_engine *e, JSObjectRef native);
int eddy__clone_init(eddy_engine *e, JSObjectRef native);
int eddy__navigator_init(eddy_engine *e, JSObjectRef native);
int eddy__crypto_init(eddy_engine *e, JSObjectRef native);
/* Cancels the jobs still on the thread pool; before the context is released. */
void eddy__crypto_close(eddy_engine *e);
int eddy__compression_init(eddy_engine *e, JSObjectRef native);
/* Cancels the codec jobs still on the thread pool; before the context is released. */
void eddy__compression_close(eddy_engine *e);
/* JSC's deferred work on the engine's loop (runloop.c): init right before the VM is created, on
   its thread, vm_created right after; close at teardown before the handles close; free after the
   loop closed. */
int eddy__runloop_init(eddy_engine *e);
void eddy__runloop_vm_created(eddy_engine *e);
void eddy__runloop_poll(eddy_engine *e); /* one non-blocking turn, for eddy_run */
void eddy__runloop_close(eddy_engine *e);
void eddy__runloop_free(eddy_engine *e);
/* eddy_options.memory_limit (memlimit.c). init at the end of set-up (EDDY_ENOTSUP without the
   private JSC functions it needs); exceeded from the watchdog: 1 to terminate the running JS;
   take_refusal: whether an allocation was refused since (clears it); free after teardown. */
int eddy__memlimit_init(eddy_engine *e);
int eddy__memlimit_exceeded(eddy_engine *e);
int eddy__memlimit_take_refusal(eddy_engine *e);
void eddy__memlimit_free(eddy_engine *e);
JSValueRef eddy__native_hold_pending(JSContextRef ctx, JSObjectRef f, JSObjectRef self,
                                     size_t argc, const JSValueRef argv[], JSValueRef *exc);
int eddy__modules_init(eddy_engine *e, JSObjectRef native);
void eddy__modules_free(eddy_engine *e); /* at the last reference: hosts may still declare */
/* Compiles src/js/modules.js into the engine if it is not yet (JS thread). */
int eddy__modules_install(eddy_engine *e, JSValueRef *exc);
/* A classic script with import() rewritten to reach the module loader, or NULL to run src as it
   is. */
JSStringRef eddy__script_rewrite(JSStringRef src, const char *referrer);
/* Gives a JSC SyntaxError (which has a line) its column. */
void eddy__add_syntax_column(eddy_engine *e, JSStringRef src, JSValueRef exc);

/* Embedded JS (generated at build time). */
typedef struct {
  const char *name;
  const char *source;
  size_t len;
  int lazy; /* 0: run at engine creation, 1: compiled on first use, 2: text, never run */
} eddy__js_file;
extern const eddy__js_file eddy__js_files[];
extern const size_t eddy__js_files_count;

/* Name of the native frame every host request runs under; stacks leave it out. */
#define EDDY__HOST_FRAME "__eddy_host__"

/* Interned property names, created once per process. */
typedef struct {
  JSStringRef then, length, name, message, stack, line, column, sourceURL, cause, code, buffer,
      byteOffset, byteLength, constructor;
} eddy__names;
extern eddy__names eddy__n;
void eddy__names_init(void);

uint64_t eddy__now_ns(void); /* CLOCK_MONOTONIC, same clock as uv_hrtime */
double eddy__performance_now(eddy_engine *e); /* performance.now(): ms since the time origin */

#endif
