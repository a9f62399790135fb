/* setTimeout/setInterval, queueMicrotask and performance on the engine's loop.

   Deadlines are kept in nanoseconds of CLOCK_MONOTONIC and armed on a timerfd with an absolute
   deadline: libuv's own timers count whole milliseconds of a cached loop clock, which fires them
   up to 1 ms early or late. A timer never fires before its deadline. One fd serves all timers;
   it is armed only for the nearest deadline, so an idle engine has no wake-ups at all. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "../internal.h"

/* How long one timer pass may run due callbacks back to back (setTimeout(0) chains) before the
   loop polls I/O again. Queued host calls run between callbacks regardless. */
#define PASS_BUDGET_NS 1000000u
#define MAX_TIMER_ID 2147483647

typedef struct timer {
  uint32_t id;
  uint32_t heap_index;
  uint64_t deadline;
  uint64_t interval; /* 0 for setTimeout */
  uint64_t seq;      /* creation order breaks deadline ties */
  int unref;         /* does not keep the loop alive nor count as pending work */
  JSObjectRef callback; /* protected */
  size_t argc;
  JSValueRef *argv; /* protected */
  int immediate;              /* a setImmediate: in the FIFO below, never in the heap */
  struct timer *prev, *next;  /* the immediates' FIFO */
} timer;

struct eddy__timers {
  int fd;
  uv_poll_t poll;
  uint64_t armed; /* deadline the fd is armed for, 0 = disarmed */
  timer **heap;
  uint32_t len, cap;
  timer **table; /* open addressing by id */
  uint32_t table_cap, table_used;
  uint32_t next_id;
  uint64_t next_seq;
  int in_pass;
  uint64_t pass_now; /* during a pass: its latest clock reading */
  uint32_t refd; /* timers that keep the loop alive */
  double time_origin_ms;
  JSObjectRef compile_handler; /* protected; made on the first string handler */
  /* setImmediate: a FIFO run in the loop's check phase, as Node does. The handles are set up on
     the first setImmediate; the idle handle runs only while ref'd immediates wait, so that the
     poll phase before their check phase does not sleep. */
  timer *imm_head, *imm_tail;
  uint32_t imm_refd;
  int imm_started;
  uv_check_t imm_check;
  uv_idle_t imm_idle;
  JSClassRef imm_class; /* Immediate objects: their private data is the id */
  int handles_open;     /* handles whose close callback has not run: t is freed by the last */
};

/* ---- heap ------------------------------------------------------------------------------------ */

static int before(const timer *a, const timer *b) {
  return a->deadline < b->deadline || (a->deadline == b->deadline && a->seq < b->seq);
}

static void heap_swap(eddy__timers *t, uint32_t i, uint32_t j) {
  timer *a = t->heap[i];
  t->heap[i] = t->heap[j];
  t->heap[j] = a;
  t->heap[i]->heap_index = i;
  t->heap[j]->heap_index = j;
}

static void sift_up(eddy__timers *t, uint32_t i) {
  while (i > 0) {
    uint32_t parent = (i - 1) / 2;
    if (!before(t->heap[i], t->heap[parent])) break;
    heap_swap(t, i, parent);
    i = parent;
  }
}

static void sift_down(eddy__timers *t, uint32_t i) {
  for (;;) {
    uint32_t l = 2 * i + 1, r = l + 1, m = i;
    if (l < t->len && before(t->heap[l], t->heap[m])) m = l;
    if (r < t->len && before(t->heap[r], t->heap[m])) m = r;
    if (m == i) break;
    heap_swap(t, i, m);
    i = m;
  }
}

static int heap_push(eddy__timers *t, timer *tm) {
  if (t->len == t->cap) {
    uint32_t cap = t->cap ? t->cap * 2 : 16;
    timer **h = realloc(t->heap, cap * sizeof(*h));
    if (!h) return EDDY_ENOMEM;
    t->heap = h;
    t->cap = cap;
  }
  tm->heap_index = t->len;
  t->heap[t->len++] = tm;
  sift_up(t, tm->heap_index);
  return 0;
}

static void heap_remove(eddy__timers *t, timer *tm) {
  uint32_t i = tm->heap_index;
  t->len--;
  if (i != t->len) {
    t->heap[i] = t->heap[t->len];
    t->heap[i]->heap_index = i;
    sift_down(t, i);
    sift_up(t, t->heap[i]->heap_index);
  }
}

/* ---- id table (linear probing, tombstones are rehashed away on growth) ---------------------- */

#define TOMBSTONE ((timer *)1)

static uint32_t slot_of(uint32_t id, uint32_t cap) { return (id * 2654435761u) & (cap - 1); }

static int table_insert(eddy__timers *t, timer *tm);

static int table_grow(eddy__timers *t) {
  uint32_t old_cap = t->table_cap;
  timer **old = t->table;
  /* Sized for the timers it holds, not twice the old table: tombstones fill a table as fast as
     timers are set and cleared, and doubling for them grew it without bound (a 64-slot table
     after 1M setTimeout + clearTimeout pairs was 2M slots, 16 MB). */
  uint32_t live = 0;
  for (uint32_t i = 0; i < old_cap; i++) live += old[i] && old[i] != TOMBSTONE;
  uint32_t cap = 64;
  while (cap < (live + 1) * 4) cap *= 2;
  t->table = calloc(cap, sizeof(*t->table));
  if (!t->table) {
    t->table = old;
    return EDDY_ENOMEM;
  }
  t->table_cap = cap;
  t->table_used = 0;
  for (uint32_t i = 0; i < old_cap; i++)
    if (old[i] && old[i] != TOMBSTONE) table_insert(t, old[i]);
  free(old);
  return 0;
}

static int table_insert(eddy__timers *t, timer *tm) {
  if ((t->table_used + 1) * 2 > t->table_cap && table_grow(t)) return EDDY_ENOMEM;
  uint32_t i = slot_of(tm->id, t->table_cap);
  while (t->table[i] && t->table[i] != TOMBSTONE) i = (i + 1) & (t->table_cap - 1);
  if (!t->table[i]) t->table_used++;
  t->table[i] = tm;
  return 0;
}

static timer **table_find(eddy__timers *t, uint32_t id) {
  if (!t->table_cap) return NULL;
  uint32_t i = slot_of(id, t->table_cap);
  while (t->table[i]) {
    if (t->table[i] != TOMBSTONE && t->table[i]->id == id) return &t->table[i];
    i = (i + 1) & (t->table_cap - 1);
  }
  return NULL;
}

/* ---- arming ---------------------------------------------------------------------------------- */

static void arm(eddy_engine *e) {
  eddy__timers *t = e->timers;
  uint64_t want = t->len ? t->heap[0]->deadline : 0;
  /* The poll handle keeps the loop alive exactly while timers that count are pending; unref'd
     ones still fire whenever the loop runs for other work. */
  if (t->refd) uv_ref((uv_handle_t *)&t->poll);
  else uv_unref((uv_handle_t *)&t->poll);
  if (want == t->armed) return;
  struct itimerspec its;
  memset(&its, 0, sizeof its);
  if (want) {
    its.it_value.tv_sec = (time_t)(want / 1000000000u);
    its.it_value.tv_nsec = (long)(want % 1000000000u);
  }
  timerfd_settime(t->fd, TFD_TIMER_ABSTIME, &its, NULL);
  t->armed = want;
}

static void timer_free(eddy_engine *e, timer *tm) {
  JSValueUnprotect(e->ctx, tm->callback);
  for (size_t i = 0; i < tm->argc; i++) JSValueUnprotect(e->ctx, tm->argv[i]);
  free(tm->argv);
  free(tm);
}

/* No longer findable by id nor due; the caller frees it. */
static void timer_detach(eddy_engine *e, timer *tm) {
  eddy__timers *t = e->timers;
  timer **slot = table_find(t, tm->id);
  if (slot) *slot = TOMBSTONE;
  heap_remove(t, tm);
  if (!tm->unref) {
    t->refd--;
    atomic_fetch_sub(&e->pending, 1);
  }
}

static void timer_drop(eddy_engine *e, timer *tm) {
  timer_detach(e, tm);
  timer_free(e, tm);
}

/* One pass: its start, to bound it (its latest clock reading is t->pass_now). */
typedef struct {
  uint64_t start;
  unsigned since_read; /* callbacks run since now was read */
} pass;
#define CLOCK_EVERY 16

/* The due timers' callbacks, as tasks of one batch (see eddy__batch): returns 1 to be called
   again in a fresh entry. */
static int run_due(eddy_engine *e, void *data) {
  eddy__timers *t = e->timers;
  pass *p = data;
  while (t->len && !atomic_load(&e->closing)) {
    if (atomic_load(&e->queued)) return 1;
    timer *tm = t->heap[0];
    /* The clock is read when the next timer is not yet due by the last reading, and every
       CLOCK_EVERY callbacks for the budget: a setTimeout(0) chain reads it rarely. */
    if (tm->deadline > t->pass_now || ++p->since_read >= CLOCK_EVERY) {
      t->pass_now = eddy__now_ns();
      p->since_read = 0;
      if (tm->deadline > t->pass_now) break;
    }
    if (t->pass_now - p->start > PASS_BUDGET_NS) break;
    int st;
    if (!tm->interval) {
      /* Detached, a timeout cannot be cleared by its callback: call with its own references. */
      timer_detach(e, tm);
      st = eddy__task_call(e, tm->callback, NULL, tm->argc, tm->argv);
      timer_free(e, tm);
    } else {
      /* An interval stays scheduled through its callback, which may clear (free) it. */
      JSObjectRef cb = tm->callback;
      JSValueProtect(e->ctx, cb);
      size_t argc = tm->argc;
      JSValueRef *argv = argc ? malloc(argc * sizeof(*argv)) : NULL;
      for (size_t i = 0; argv && i < argc; i++) {
        argv[i] = tm->argv[i];
        JSValueProtect(e->ctx, argv[i]);
      }
      heap_remove(t, tm);
      tm->deadline = t->pass_now + tm->interval;
      tm->seq = t->next_seq++;
      heap_push(t, tm);
      st = eddy__task_call(e, cb, NULL, argv ? argc : 0, argv);
      JSValueUnprotect(e->ctx, cb);
      for (size_t i = 0; argv && i < argc; i++) JSValueUnprotect(e->ctx, argv[i]);
      free(argv);
    }
    if (st == EDDY_EINTERRUPTED) return 1;
  }
  return 0;
}

static void run_pass(eddy_engine *e) {
  eddy__timers *t = e->timers;
  pass p;
  p.start = t->pass_now = eddy__now_ns();
  p.since_read = 0;
  t->in_pass = 1;
  eddy__batch(e, run_due, &p);
  t->in_pass = 0;
  if (!atomic_load(&e->closing)) arm(e);
}

static void on_timerfd(uv_poll_t *handle, int status, int events) {
  (void)status;
  (void)events;
  eddy_engine *e = handle->data;
  uint64_t expirations;
  ssize_t n = read(e->timers->fd, &expirations, sizeof expirations);
  (void)n;
  e->timers->armed = 0;
  run_pass(e);
}

/* ---- JS API ---------------------------------------------------------------------------------- */

static double to_delay(JSContextRef ctx, size_t argc, const JSValueRef argv[], JSValueRef *exc) {
  if (argc < 2) return 0;
  double d = JSValueToNumber(ctx, argv[1], exc);
  if (!(d > 0)) return 0; /* NaN and negatives are 0 */
  if (d > MAX_TIMER_ID) d = 1; /* as browsers do for delays that overflow int32 */
  return d;
}

/* HTML's TimerHandler is a Function or a DOMString: a string is converted now (its toString()
   runs inside setTimeout) and run as a script in the global scope when the timer fires, through
   an indirect eval captured the first time a script needs one. */
static const char compile_handler_src[] =
    "(function (evaluate) {\n"
    "  return (code) => function () { evaluate(code); };\n"
    "})(eval)";

static JSObjectRef string_handler(JSContextRef ctx, eddy__timers *t, JSValueRef handler,
                                  JSValueRef *exc) {
  JSStringRef code = JSValueToStringCopy(ctx, handler, exc);
  if (!code) return NULL;
  if (!t->compile_handler) {
    JSStringRef src = JSStringCreateWithUTF8CString(compile_handler_src);
    JSStringRef url = JSStringCreateWithUTF8CString("eddy:timers");
    JSValueRef made = JSEvaluateScript(ctx, src, NULL, url, 1, exc);
    JSStringRelease(src);
    JSStringRelease(url);
    if (!made || !JSValueIsObject(ctx, made)) {
      JSStringRelease(code);
      return NULL;
    }
    t->compile_handler = (JSObjectRef)made;
    JSValueProtect(ctx, made);
  }
  JSValueRef arg = JSValueMakeString(ctx, code);
  JSStringRelease(code);
  JSValueRef fn = JSObjectCallAsFunction(ctx, t->compile_handler, NULL, 1, &arg, exc);
  return fn && JSValueIsObject(ctx, fn) ? (JSObjectRef)fn : NULL;
}

static JSValueRef start_timer(JSContextRef ctx, size_t argc, const JSValueRef argv[],
                              JSValueRef *exc, int repeat) {
  eddy_engine *e = eddy__engine_of(ctx);
  eddy__timers *t = e->timers;
  if (atomic_load(&e->closing)) return JSValueMakeNumber(ctx, 0);
  if (argc < 1)
    return eddy__throw_type_error(ctx, exc, "1 argument required (the handler), but only 0 present");
  JSObjectRef callback;
  if (JSValueIsObject(ctx, argv[0]) && JSObjectIsFunction(ctx, (JSObjectRef)argv[0])) {
    callback = (JSObjectRef)argv[0];
  } else {
    callback = string_handler(ctx, t, argv[0], exc);
    if (!callback) return NULL;
  }
  double delay = to_delay(ctx, argc, argv, exc);
  if (*exc) return NULL;
  timer *tm = calloc(1, sizeof(*tm));
  if (!tm) return eddy__throw_type_error(ctx, exc, "out of memory");
  do {
    t->next_id = t->next_id >= MAX_TIMER_ID ? 1 : t->next_id + 1;
  } while (table_find(t, t->next_id));
  tm->id = t->next_id;
  tm->seq = t->next_seq++;
  uint64_t delay_ns = (uint64_t)(delay * 1e6);
  /* Inside a pass a 0 ms timer is due at the pass's latest clock reading: it still runs after
     every timer created before it (their deadlines are no later, and seq breaks ties), and
     a setTimeout(0) chain saves a clock read per link. */
  tm->deadline = (delay_ns || !t->in_pass ? eddy__now_ns() : t->pass_now) + delay_ns;
  tm->interval = repeat ? (delay_ns ? delay_ns : 1) : 0;
  tm->callback = callback;
  if (argc > 2) {
    tm->argc = argc - 2;
    tm->argv = malloc(tm->argc * sizeof(*tm->argv));
    if (!tm->argv) {
      free(tm);
      return eddy__throw_type_error(ctx, exc, "out of memory");
    }
    for (size_t i = 0; i < tm->argc; i++) {
      tm->argv[i] = argv[i + 2];
      JSValueProtect(ctx, tm->argv[i]);
    }
  }
  JSValueProtect(ctx, tm->callback);
  if (table_insert(t, tm) || heap_push(t, tm)) {
    timer **slot = table_find(t, tm->id);
    if (slot) *slot = TOMBSTONE;
    timer_free(e, tm);
    return eddy__throw_type_error(ctx, exc, "out of memory");
  }
  atomic_fetch_add(&e->pending, 1);
  t->refd++;
  if (!t->in_pass) arm(e);
  return JSValueMakeNumber(ctx, tm->id);
}

/* JSC drops its API lock around native callbacks: holding it across start_timer's handful of
   API calls makes them recursive acquisitions instead of full ones. */
static JSValueRef start_timer_locked(JSContextRef ctx, size_t argc, const JSValueRef argv[],
                                     JSValueRef *exc, int repeat) {
  const eddy__jsc *jsc = &eddy__engine_of(ctx)->jsc;
  eddy__jsc_lock_holder lock;
  eddy__jsc_lock(jsc, &lock, JSContextGetGroup(ctx));
  JSValueRef r = start_timer(ctx, argc, argv, exc, repeat);
  eddy__jsc_unlock(jsc, &lock);
  return r;
}

static JSValueRef js_set_timeout(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                                 const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  return start_timer_locked(ctx, argc, argv, exc, 0);
}

static JSValueRef js_set_interval(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                                  const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  return start_timer_locked(ctx, argc, argv, exc, 1);
}

static JSValueRef js_clear_timer(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                                 const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  eddy_engine *e = eddy__engine_of(ctx);
  if (argc < 1 || !JSValueIsNumber(ctx, argv[0]) || !e->timers) return JSValueMakeUndefined(ctx);
  double id = JSValueToNumber(ctx, argv[0], exc);
  if (!(id >= 1 && id <= MAX_TIMER_ID) || id != (uint32_t)id) return JSValueMakeUndefined(ctx);
  timer **slot = table_find(e->timers, (uint32_t)id);
  if (slot && !(*slot)->immediate) {
    timer_drop(e, *slot);
    if (!e->timers->in_pass) arm(e);
  }
  return JSValueMakeUndefined(ctx);
}

/* native.unrefTimer(id): the timer no longer keeps the loop alive (AbortSignal.timeout, as in
   Node). Unknown ids are ignored. */
static JSValueRef native_unref_timer(JSContextRef ctx, JSObjectRef f, JSObjectRef self,
                                     size_t argc, const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  eddy_engine *e = eddy__engine_of(ctx);
  double id = argc ? JSValueToNumber(ctx, argv[0], exc) : 0;
  timer **slot = id >= 1 && id <= MAX_TIMER_ID ? table_find(e->timers, (uint32_t)id) : NULL;
  if (slot && !(*slot)->unref && !(*slot)->immediate) {
    (*slot)->unref = 1;
    e->timers->refd--;
    atomic_fetch_sub(&e->pending, 1);
    if (!e->timers->in_pass) arm(e);
  }
  return JSValueMakeUndefined(ctx);
}

/* ---- setImmediate ---------------------------------------------------------------------------- */

/* Node's setImmediate: the callbacks run in the loop's check phase (after the I/O and the timers
   that were due in that turn), first in first out, each a task of its own (its microtasks run
   before the next one). Those queued while they run wait for the next turn, as in Node, so a
   setImmediate chain lets I/O and timers in between. */

static void on_imm_idle(uv_idle_t *handle) { (void)handle; }
static void on_imm_check(uv_check_t *handle);

/* The check handle runs while immediates wait and never keeps the loop alive by itself; the idle
   handle (which does, and makes the poll phase before the check phase not sleep) runs while a
   ref'd one waits. */
static void imm_update(eddy__timers *t) {
  if (t->imm_head) uv_check_start(&t->imm_check, on_imm_check);
  else uv_check_stop(&t->imm_check);
  if (t->imm_refd) uv_idle_start(&t->imm_idle, on_imm_idle);
  else uv_idle_stop(&t->imm_idle);
}

/* No longer findable by id nor queued; the caller frees it. */
static void imm_detach(eddy_engine *e, timer *tm) {
  eddy__timers *t = e->timers;
  timer **slot = table_find(t, tm->id);
  if (slot) *slot = TOMBSTONE;
  if (tm->prev) tm->prev->next = tm->next;
  else t->imm_head = tm->next;
  if (tm->next) tm->next->prev = tm->prev;
  else t->imm_tail = tm->prev;
  tm->prev = tm->next = NULL;
  if (!tm->unref) {
    t->imm_refd--;
    atomic_fetch_sub(&e->pending, 1);
  }
}

/* The immediates queued before this check phase began (seq below *data), as tasks of one batch. */
static int run_immediates(eddy_engine *e, void *data) {
  eddy__timers *t = e->timers;
  uint64_t limit = *(const uint64_t *)data;
  while (t->imm_head && t->imm_head->seq < limit && !atomic_load(&e->closing)) {
    if (atomic_load(&e->queued)) return 1;
    timer *tm = t->imm_head;
    imm_detach(e, tm);
    int st = eddy__task_call(e, tm->callback, NULL, tm->argc, tm->argv);
    timer_free(e, tm);
    if (st == EDDY_EINTERRUPTED) return 1;
  }
  return 0;
}

static void on_imm_check(uv_check_t *handle) {
  eddy_engine *e = handle->data;
  eddy__timers *t = e->timers;
  uint64_t limit = t->next_seq;
  eddy__batch(e, run_immediates, &limit);
  if (!atomic_load(&e->closing) && e->timers == t) imm_update(t);
}

/* The immediate an Immediate object stands for, while it is queued. */
static timer *imm_of(JSContextRef ctx, JSValueRef v) {
  eddy__timers *t = eddy__engine_of(ctx)->timers;
  if (!t || !t->imm_class || !JSValueIsObjectOfClass(ctx, v, t->imm_class)) return NULL;
  timer **slot = table_find(t, (uint32_t)(uintptr_t)JSObjectGetPrivate((JSObjectRef)v));
  return slot && (*slot)->immediate ? *slot : NULL;
}

static void imm_set_ref(JSContextRef ctx, JSValueRef self, int ref) {
  eddy_engine *e = eddy__engine_of(ctx);
  timer *tm = imm_of(ctx, self);
  if (!tm || tm->unref == !ref) return;
  tm->unref = !ref;
  e->timers->imm_refd += ref ? 1 : -1;
  atomic_fetch_add(&e->pending, ref ? 1 : -1);
  imm_update(e->timers);
}

/* Immediate.prototype.ref() / unref() / hasRef(), as in Node: whether a queued immediate keeps
   the loop alive (and counts as pending work). */
static JSValueRef imm_ref(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                          const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)argc;
  (void)argv;
  (void)exc;
  imm_set_ref(ctx, self, 1);
  return self;
}

static JSValueRef imm_unref(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                            const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)argc;
  (void)argv;
  (void)exc;
  imm_set_ref(ctx, self, 0);
  return self;
}

static JSValueRef imm_has_ref(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                              const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)argc;
  (void)argv;
  (void)exc;
  timer *tm = imm_of(ctx, self);
  return JSValueMakeBoolean(ctx, tm && !tm->unref);
}

static const JSStaticFunction imm_functions[] = {
    {"ref", imm_ref, kJSPropertyAttributeDontEnum},
    {"unref", imm_unref, kJSPropertyAttributeDontEnum},
    {"hasRef", imm_has_ref, kJSPropertyAttributeDontEnum},
    {NULL, NULL, 0},
};

/* What the first setImmediate sets up: nothing of it is paid by an engine that never calls it. */
static int imm_start(eddy_engine *e) {
  eddy__timers *t = e->timers;
  if (!t->imm_class) {
    JSClassDefinition def = kJSClassDefinitionEmpty;
    def.className = "Immediate";
    def.staticFunctions = imm_functions;
    t->imm_class = JSClassCreate(&def);
    if (!t->imm_class) return EDDY_ENOMEM;
  }
  if (!t->imm_started) {
    uv_check_init(&e->loop, &t->imm_check);
    uv_idle_init(&e->loop, &t->imm_idle);
    t->imm_check.data = t->imm_idle.data = e;
    uv_unref((uv_handle_t *)&t->imm_check);
    t->imm_started = 1;
    t->handles_open += 2;
  }
  return 0;
}

/* setImmediate(callback, ...args) -> an Immediate object (as Node and Bun return: code written
   for them calls its unref()). A callback that is not a function is a TypeError, as in Node:
   unlike setTimeout there is no string form to compile. */
static JSValueRef set_immediate(JSContextRef ctx, size_t argc, const JSValueRef argv[],
                                JSValueRef *exc) {
  eddy_engine *e = eddy__engine_of(ctx);
  eddy__timers *t = e->timers;
  if (atomic_load(&e->closing)) return JSValueMakeUndefined(ctx);
  if (argc < 1 || !JSValueIsObject(ctx, argv[0]) || !JSObjectIsFunction(ctx, (JSObjectRef)argv[0]))
    return eddy__throw_type_error(ctx, exc, "setImmediate: the \"callback\" argument must be a function");
  if (imm_start(e)) return eddy__throw_type_error(ctx, exc, "out of memory");
  timer *tm = calloc(1, sizeof(*tm));
  if (!tm) return eddy__throw_type_error(ctx, exc, "out of memory");
  do {
    t->next_id = t->next_id >= MAX_TIMER_ID ? 1 : t->next_id + 1;
  } while (table_find(t, t->next_id));
  tm->id = t->next_id;
  tm->seq = t->next_seq++;
  tm->immediate = 1;
  tm->callback = (JSObjectRef)argv[0];
  if (argc > 1) {
    tm->argc = argc - 1;
    tm->argv = malloc(tm->argc * sizeof(*tm->argv));
    if (!tm->argv) {
      free(tm);
      return eddy__throw_type_error(ctx, exc, "out of memory");
    }
  }
  if (table_insert(t, tm)) {
    free(tm->argv);
    free(tm);
    return eddy__throw_type_error(ctx, exc, "out of memory");
  }
  JSValueProtect(ctx, tm->callback);
  for (size_t i = 0; i < tm->argc; i++) {
    tm->argv[i] = argv[i + 1];
    JSValueProtect(ctx, tm->argv[i]);
  }
  tm->prev = t->imm_tail;
  if (t->imm_tail) t->imm_tail->next = tm;
  else t->imm_head = tm;
  t->imm_tail = tm;
  t->imm_refd++;
  atomic_fetch_add(&e->pending, 1);
  imm_update(t);
  return JSObjectMake(ctx, t->imm_class, (void *)(uintptr_t)tm->id);
}

static JSValueRef js_set_immediate(JSContextRef ctx, JSObjectRef f, JSObjectRef self,
                                   size_t argc, const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  const eddy__jsc *jsc = &eddy__engine_of(ctx)->jsc;
  eddy__jsc_lock_holder lock;
  eddy__jsc_lock(jsc, &lock, JSContextGetGroup(ctx));
  JSValueRef r = set_immediate(ctx, argc, argv, exc);
  eddy__jsc_unlock(jsc, &lock);
  return r;
}

/* clearImmediate(immediate): anything but a queued Immediate is ignored, as in Node. */
static JSValueRef js_clear_immediate(JSContextRef ctx, JSObjectRef f, JSObjectRef self,
                                     size_t argc, const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  (void)exc;
  eddy_engine *e = eddy__engine_of(ctx);
  timer *tm = argc > 0 ? imm_of(ctx, argv[0]) : NULL;
  if (tm) {
    imm_detach(e, tm);
    timer_free(e, tm);
    imm_update(e->timers);
  }
  return JSValueMakeUndefined(ctx);
}

double eddy__performance_now(eddy_engine *e) {
  return (double)eddy__now_ns() / 1e6 - e->timers->time_origin_ms;
}

static JSValueRef js_performance_now(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                                     const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  (void)argc;
  (void)argv;
  (void)exc;
  return JSValueMakeNumber(ctx, eddy__performance_now(eddy__engine_of(ctx)));
}

/* Bound to native.reportError at creation: a script replacing globalThis.reportError must not
   change where a throwing microtask is reported. */
static const char queue_microtask_src[] =
    "(function (report) {\n"
    "  return function queueMicrotask(callback) {\n"
    "    if (typeof callback !== 'function')\n"
    "      throw new TypeError('The \"callback\" argument must be a function');\n"
    "    Promise.resolve().then(() => { try { callback(); } catch (e) { report(e); } });\n"
    "  };\n"
    "})";

int eddy__timers_init(eddy_engine *e) {
  eddy__timers *t = calloc(1, sizeof(*t));
  if (!t) return EDDY_ENOMEM;
  t->fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (t->fd < 0) {
    int err = errno;
    free(t);
    return eddy__setup_failed(e, "timerfd_create", NULL, strerror(err), EDDY_EIO);
  }
  e->timers = t;
  t->handles_open = 1;
  uv_poll_init(&e->loop, &t->poll, t->fd);
  t->poll.data = e;
  uv_poll_start(&t->poll, UV_READABLE, on_timerfd);
  uv_unref((uv_handle_t *)&t->poll);

  struct timespec wall;
  clock_gettime(CLOCK_REALTIME, &wall);
  double wall_ms = (double)wall.tv_sec * 1e3 + (double)wall.tv_nsec / 1e6;
  t->time_origin_ms = (double)eddy__now_ns() / 1e6;

  JSContextRef ctx = e->ctx;
  JSObjectRef global = JSContextGetGlobalObject(ctx);
  eddy__set_function(ctx, global, "setTimeout", js_set_timeout);
  eddy__set_function(ctx, global, "setInterval", js_set_interval);
  eddy__set_function(ctx, global, "clearTimeout", js_clear_timer);
  eddy__set_function(ctx, global, "clearInterval", js_clear_timer);
  eddy__set_function(ctx, global, "setImmediate", js_set_immediate);
  eddy__set_function(ctx, global, "clearImmediate", js_clear_immediate);
  eddy__set_function(ctx, e->native, "unrefTimer", native_unref_timer);

  /* The performance global is src/js/performance.js, installed on first use; its clock: */
  eddy__set_function(ctx, e->native, "performanceNow", js_performance_now);
  eddy__set_value(ctx, e->native, "timeOrigin", JSValueMakeNumber(ctx, wall_ms));

  /* JSC's API contexts have no queueMicrotask; the spec's is a thin shim over promise jobs. */
  JSStringRef probe = JSStringCreateWithUTF8CString("queueMicrotask");
  int has = JSObjectHasProperty(ctx, global, probe);
  JSStringRelease(probe);
  if (!has) {
    JSStringRef src = JSStringCreateWithUTF8CString(queue_microtask_src);
    JSStringRef url = JSStringCreateWithUTF8CString("eddy:timers");
    JSValueRef exc = NULL;
    JSValueRef make = JSEvaluateScript(ctx, src, NULL, url, 1, &exc);
    JSStringRelease(src);
    JSStringRelease(url);
    JSStringRef name = JSStringCreateWithUTF8CString("reportError");
    JSValueRef report = JSObjectGetProperty(ctx, e->native, name, NULL);
    JSStringRelease(name);
    JSValueRef fn = make && JSValueIsObject(ctx, make)
                        ? JSObjectCallAsFunction(ctx, (JSObjectRef)make, NULL, 1, &report, &exc)
                        : NULL;
    if (!fn) return eddy__setup_failed(e, "eddy:timers", exc, NULL, EDDY_EEXCEPTION);
    eddy__set_value(ctx, global, "queueMicrotask", fn);
  }
  return 0;
}

static void on_handle_closed(uv_handle_t *handle) {
  eddy__timers *t = handle->data;
  if (--t->handles_open == 0) free(t);
}

void eddy__timers_close(eddy_engine *e) {
  eddy__timers *t = e->timers;
  if (!t) return;
  while (t->len) timer_drop(e, t->heap[0]);
  while (t->imm_head) {
    timer *tm = t->imm_head;
    imm_detach(e, tm);
    timer_free(e, tm);
  }
  if (t->imm_class) JSClassRelease(t->imm_class);
  if (t->compile_handler) JSValueUnprotect(e->ctx, t->compile_handler);
  free(t->heap);
  free(t->table);
  e->timers = NULL;
  /* t holds the handles, so it is freed by the last close callback; libuv stops watching the fd
     inside uv_close, so closing the fd right after is safe. */
  t->poll.data = t;
  uv_close((uv_handle_t *)&t->poll, on_handle_closed);
  if (t->imm_started) {
    t->imm_check.data = t->imm_idle.data = t;
    uv_close((uv_handle_t *)&t->imm_check, on_handle_closed);
    uv_close((uv_handle_t *)&t->imm_idle, on_handle_closed);
  }
  close(t->fd);
}
