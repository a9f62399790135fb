/* JavaScriptCore's own deferred work on the engine's libuv loop.

   JSC schedules work on the run loop of the thread that created the VM: resolving an async
   WebAssembly compile, FinalizationRegistry callbacks (both through its DeferredWorkTimer), GC
   activity and the incremental sweeper. In WebKitGTK that run loop is a GLib main context, fixed
   when JSC first creates the thread's run loop (see context_for_this_thread). eddy iterates it
   from the engine's loop on whichever thread runs JS: before the loop blocks, the context's poll fds and next timeout become
   a uv_poll and a uv_timer (neither keeps the loop alive: a GC timer is no reason to stay up);
   after the loop wakes, the context is checked and its ready sources dispatched.

   An engine with nothing scheduled still sleeps without wake-ups: the context then has no timeout
   and its one fd (GLib's wake-up eventfd) stays quiet until another thread schedules work. Loop
   turns in between (a WebSocket message each) leave such a context alone (on_check). Async
   WebAssembly is pending work, counted by the JS wrapper in internal.js (native.holdPending). If
   the host iterates the same context itself (a GTK app's main thread), acquiring it fails and the
   host's loop dispatches JSC's work instead. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#ifdef EDDY_JSC_GLIB /* CMake's EDDY_JSC_GLIB: a WebKitGTK JSC, whose run loop is GLib's */
#include <glib.h>

#define MAX_FDS 8

struct eddy__runloop {
  eddy_engine *e;
  GMainContext *ctx;
  uv_prepare_t prepare;
  uv_check_t check;
  uv_timer_t timer;
  /* JSC's context has one fd (GLib's wake-up eventfd); a host's own sources may add more. The
     first MAX_FDS are watched: fds past them are the host's, iterated by its own loop. */
  GPollFD fds[MAX_FDS];
  uv_poll_t polls[MAX_FDS]; /* polls[i] watches fds[i] once opened */
  int watching[MAX_FDS];    /* the uv events polls[i] watches, 0 if stopped */
  int poll_fd[MAX_FDS];     /* the fd polls[i] was opened for */
  int nfds, polls_open;
  int max_priority;
  int prepared; /* prepare ran and holds the context: check must check, dispatch, release */
  int pushed;   /* the context is the thread's default until the VM exists */
  int own;      /* ctx is eddy's (thread_context): only JSC's run loop has sources on it */
  int quiet;    /* nothing was due at the last check: prepare and check wait for a wake-up */
  uv_thread_t vm_thread; /* JSC fires its timers only on the thread that created the VM */
};

/* The context eddy gave this thread's JSC run loop, if the thread had none of its own. A
   thread-specific key releases it when the thread exits: a driver thread is one per engine, and
   each context holds an eventfd. */
static _Thread_local GMainContext *thread_context;
static pthread_key_t thread_context_key;
static pthread_once_t thread_context_once = PTHREAD_ONCE_INIT;
static int thread_context_keyed;

static void release_thread_context(void *c) { g_main_context_unref(c); }

static void make_thread_context_key(void) {
  thread_context_keyed = !pthread_key_create(&thread_context_key, release_thread_context);
}

static GMainContext *new_thread_context(void) {
  GMainContext *c = g_main_context_new();
  pthread_once(&thread_context_once, make_thread_context_key);
  if (thread_context_keyed) pthread_setspecific(thread_context_key, c);
  return c;
}

/* Picks the context JSC's run loop on this thread uses; *push says it must be the thread's
   default while the VM is created (JSC creates the thread's run loop then and keeps its
   context). A thread with a default context of its own keeps it: JSC uses that one. Otherwise
   JSC would take the process's default context, which its timers then never fire on here (seen
   with WebKitGTK 2.50: async WebAssembly and FinalizationRegistry never settle), or make a
   private one: eddy gives it one of its own, made default only for that moment so that the
   thread's other GLib code is not affected. */
static GMainContext *context_for_this_thread(int *push) {
  *push = 0;
  GMainContext *c = g_main_context_get_thread_default();
  if (c && c != thread_context) return c;
  if (!thread_context) thread_context = new_thread_context(); /* as long as the thread */
  *push = c != thread_context;
  return thread_context;
}

static void on_poll(uv_poll_t *h, int status, int events) {
  eddy__runloop *r = h->data;
  int i = (int)(h - r->polls);
  if (i < 0 || i >= r->nfds) return;
  gushort rev = 0;
  if (status < 0) rev |= G_IO_ERR;
  if (events & UV_READABLE) rev |= G_IO_IN;
  if (events & UV_WRITABLE) rev |= G_IO_OUT;
  if (events & UV_DISCONNECT) rev |= G_IO_HUP;
  r->fds[i].revents |= rev;
  r->quiet = 0;
}

static void on_timer(uv_timer_t *t) {
  eddy__runloop *r = t->data;
  r->quiet = 0; /* a source's ready time came: this turn's check dispatches it */
}

static void on_prepare(uv_prepare_t *p) {
  eddy__runloop *r = p->data;
  uv_thread_t self = uv_thread_self();
  /* Elsewhere JSC would skip its due timers and not re-arm them (JSRunLoopTimer::Manager). */
  if (r->prepared || r->quiet || !uv_thread_equal(&self, &r->vm_thread)) return;
  if (!g_main_context_acquire(r->ctx)) return;
  r->prepared = 1;
  g_main_context_prepare(r->ctx, &r->max_priority);
  int timeout = -1;
  int n = g_main_context_query(r->ctx, r->max_priority, &timeout, r->fds, MAX_FDS);
  if (n > MAX_FDS) n = MAX_FDS;
  r->nfds = n;
  for (int i = 0; i < MAX_FDS; i++) {
    int want = 0;
    if (i < n) {
      r->fds[i].revents = 0;
      if (r->fds[i].events & (G_IO_IN | G_IO_HUP | G_IO_ERR)) want |= UV_READABLE;
      if (r->fds[i].events & G_IO_OUT) want |= UV_WRITABLE;
    }
    /* A uv_poll is bound to its fd: open them in order, and leave alone an index whose fd
       changed (only a host's own sources do that; JSC's wake-up fd is first and stays). */
    if (want && i == r->polls_open) {
      if (uv_poll_init(&r->e->loop, &r->polls[i], r->fds[i].fd)) want = 0;
      else {
        r->polls[i].data = r;
        r->poll_fd[i] = r->fds[i].fd;
        uv_unref((uv_handle_t *)&r->polls[i]);
        r->polls_open++;
      }
    }
    if (i >= r->polls_open || (want && r->poll_fd[i] != r->fds[i].fd)) want = 0;
    if (i < r->polls_open && want != r->watching[i]) {
      if (want) uv_poll_start(&r->polls[i], want, on_poll);
      else uv_poll_stop(&r->polls[i]);
      r->watching[i] = want;
    }
  }
  if (timeout >= 0) uv_timer_start(&r->timer, on_timer, (uint64_t)timeout, 0);
  else uv_timer_stop(&r->timer);
}

static void on_check(uv_check_t *c) {
  eddy__runloop *r = c->data;
  if (!r->prepared) return;
  r->prepared = 0;
  int due = g_main_context_check(r->ctx, r->max_priority, r->fds, r->nfds);
  if (due) g_main_context_dispatch(r->ctx);
  g_main_context_release(r->ctx);
  /* Until JSC schedules something, iterating finds nothing (~1,200 instructions a loop turn):
     skip it. JSC's run loop schedules only through g_source_set_ready_time, which always
     signals the context's wake-up fd (polls[0] then fires), and a ready time already set is
     the timer's. Sources of a host's own context may be woken otherwise: iterated every turn,
     as they are when the wake-up fd could not be watched. */
  r->quiet = r->own && !due && r->nfds > 0 && (r->watching[0] & UV_READABLE);
}

/* One non-blocking turn of the context, for eddy_run: libuv skips its prepare and check handles
   when nothing keeps the loop alive, and JSC's work (FinalizationRegistry callbacks) is not
   pending work. JS thread. */
void eddy__runloop_poll(eddy_engine *e) {
  eddy__runloop *r = e->runloop;
  uv_thread_t self = uv_thread_self();
  if (!r || r->prepared || !uv_thread_equal(&self, &r->vm_thread)) return;
  if (!g_main_context_acquire(r->ctx)) return;
  int priority, timeout;
  GPollFD fds[MAX_FDS];
  g_main_context_prepare(r->ctx, &priority);
  int n = g_main_context_query(r->ctx, priority, &timeout, fds, MAX_FDS);
  if (n > MAX_FDS) n = MAX_FDS;
  g_poll(fds, (guint)n, 0);
  if (g_main_context_check(r->ctx, priority, fds, n)) g_main_context_dispatch(r->ctx);
  g_main_context_release(r->ctx);
}

/* Called right before the VM is created, on the thread that creates it; eddy__runloop_vm_created
   right after. */
int eddy__runloop_init(eddy_engine *e) {
  eddy__runloop *r = calloc(1, sizeof *r);
  if (!r) return EDDY_ENOMEM;
  r->e = e;
  r->ctx = g_main_context_ref(context_for_this_thread(&r->pushed));
  r->own = r->ctx == thread_context;
  r->vm_thread = uv_thread_self();
  if (r->pushed) g_main_context_push_thread_default(r->ctx);
  uv_prepare_init(&e->loop, &r->prepare);
  uv_check_init(&e->loop, &r->check);
  uv_timer_init(&e->loop, &r->timer);
  r->prepare.data = r->check.data = r->timer.data = r;
  uv_unref((uv_handle_t *)&r->prepare);
  uv_unref((uv_handle_t *)&r->check);
  uv_unref((uv_handle_t *)&r->timer);
  uv_prepare_start(&r->prepare, on_prepare);
  uv_check_start(&r->check, on_check);
  e->runloop = r;
  return 0;
}

void eddy__runloop_vm_created(eddy_engine *e) {
  eddy__runloop *r = e->runloop;
  if (r && r->pushed) {
    g_main_context_pop_thread_default(r->ctx);
    r->pushed = 0;
  }
}

/* Teardown, on the JS thread, before the loop's handles are closed. */
void eddy__runloop_close(eddy_engine *e) {
  eddy__runloop *r = e->runloop;
  if (!r) return;
  if (r->prepared) {
    g_main_context_release(r->ctx);
    r->prepared = 0;
  }
  /* The handles are closed by the teardown's uv_walk. */
}

/* After the loop closed: nothing refers to the handles any more. */
void eddy__runloop_free(eddy_engine *e) {
  eddy__runloop *r = e->runloop;
  if (!r) return;
  g_main_context_unref(r->ctx);
  free(r);
  e->runloop = NULL;
}

#else /* another JSC: its run loop is not eddy's to drive (docs/porting.md) */

int eddy__runloop_init(eddy_engine *e) {
  (void)e;
  return EDDY_ENOTSUP;
}
void eddy__runloop_vm_created(eddy_engine *e) { (void)e; }
void eddy__runloop_poll(eddy_engine *e) { (void)e; }
void eddy__runloop_close(eddy_engine *e) { (void)e; }
void eddy__runloop_free(eddy_engine *e) { (void)e; }

#endif

/* native.holdPending(delta): JS-side work JSC finishes on its own (async WebAssembly) is pending
   work while it runs, as a timer or a transfer is: it keeps the loop alive and eddy_pending()
   true. */
JSValueRef eddy__native_hold_pending(JSContextRef ctx, JSObjectRef f, JSObjectRef self,
                                     size_t argc, const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  (void)exc;
  eddy_engine *e = eddy__engine_of(ctx);
  int delta = argc > 0 && JSValueToNumber(ctx, argv[0], NULL) > 0 ? 1 : -1;
  atomic_fetch_add(&e->pending, delta);
  eddy__keepalive(e, delta);
  return JSValueMakeUndefined(ctx);
}
