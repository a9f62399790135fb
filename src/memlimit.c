/* eddy_options.memory_limit: bytes of JS heap plus external memory (ArrayBuffers, strings) an
   engine's scripts may hold.

   JavaScriptCore has no hard cap and no allocation hook in its C API, so the limit combines what
   can be reached from outside:
   - The exact figure is JSC's heapSize right after a full collection: live cells, butterflies,
     large allocations and the extra memory JSC accounts (ArrayBuffer contents and string
     buffers). It costs a collection plus a walk of the heap (1-30 ms), so it is taken only when
     the cheap signals say the limit may be near.
   - The cheap signal is the process's resident size (/proc/self/statm, ~15 us), read at every
     watchdog check (10 ms of JS CPU time): its growth since the last exact figure is added to
     that figure. It counts pages other engines or the host touched too, which only makes the
     exact figure come sooner; it cannot see a buffer that is allocated but not yet written,
     which is why:
   - ArrayBuffers and typed arrays of 1 MiB or more are announced before JSC allocates them
     (memlimit.js wraps the constructors and resize/transfer/grow): `new ArrayBuffer(2 ** 31)`
     is refused before a byte exists, where a later native fill() would have written 2 GiB
     between two watchdog checks.
   Over the limit, the running JS is terminated at the watchdog's next check (at once for a
   refused allocation, which throws a RangeError meanwhile): the call returns EDDY_ENOMEM. */
#include <fcntl.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#define ANNOUNCE_MIN (1u << 20) /* smaller buffers are left to the periodic check (memlimit.js) */

struct eddy__memlimit {
  uint64_t limit;
  uint64_t measured; /* heapSize after the last collection made here */
  uint64_t rss_base; /* the resident size then */
  uint64_t announced; /* bytes of buffers announced since */
  int statm;          /* /proc/self/statm, or -1 */
  int refused;        /* an allocation was refused: terminate at the next check */
  long page;
};

static uint64_t resident(eddy__memlimit *m) {
  if (m->statm < 0) {
    /* Where there is no /proc (Apple platforms): the peak resident size, which grows with the
       heap whenever the heap grows past every earlier peak; coarser, but it costs as little. */
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru)) return 0;
#ifdef __APPLE__
    return (uint64_t)ru.ru_maxrss;
#else
    return (uint64_t)ru.ru_maxrss * 1024u;
#endif
  }
  char buf[128];
  ssize_t n = pread(m->statm, buf, sizeof buf - 1, 0);
  if (n <= 0) return 0;
  buf[n] = '\0';
  char *p = strchr(buf, ' '); /* size resident shared ...: in pages */
  return p ? strtoull(p + 1, NULL, 10) * (uint64_t)m->page : 0;
}

static double number_field(JSContextRef ctx, JSObjectRef o, const char *name) {
  JSStringRef s = JSStringCreateWithUTF8CString(name);
  JSValueRef v = JSObjectGetProperty(ctx, o, s, NULL);
  JSStringRelease(s);
  return v ? JSValueToNumber(ctx, v, NULL) : 0;
}

/* The exact figure, after a full collection; resets the cheap signals. JS thread, inside JS or
   not (a collection is allowed wherever JS may allocate). */
static uint64_t measure(eddy_engine *e) {
  eddy__memlimit *m = e->memlimit;
  e->jsc.collect_now(e->ctx);
  JSObjectRef stats = e->jsc.memory_usage_statistics(e->ctx);
  double heap = stats ? number_field(e->ctx, stats, "heapSize") : 0;
  m->measured = heap > 0 ? (uint64_t)heap : 0;
  m->rss_base = resident(m);
  m->announced = 0;
  return m->measured;
}

static uint64_t estimate(eddy__memlimit *m) {
  uint64_t rss = resident(m);
  return m->measured + (rss > m->rss_base ? rss - m->rss_base : 0) + m->announced;
}

int eddy__memlimit_exceeded(eddy_engine *e) {
  eddy__memlimit *m = e->memlimit;
  if (m->refused) {
    m->refused = 0;
    return 1;
  }
  if (estimate(m) <= m->limit) return 0;
  return measure(e) > m->limit;
}

int eddy__memlimit_take_refusal(eddy_engine *e) {
  eddy__memlimit *m = e->memlimit;
  int refused = m->refused;
  m->refused = 0;
  return refused;
}

/* native.memoryReserve(bytes): memlimit.js, before JSC allocates a buffer of that many bytes.
   Throws RangeError('memory limit exceeded') if they do not fit, and has the watchdog stop the
   JS at once: a script that catches the error is terminated all the same. */
static JSValueRef native_memory_reserve(JSContextRef ctx, JSObjectRef f, JSObjectRef self,
                                        size_t argc, const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  eddy_engine *e = eddy__engine_of(ctx);
  eddy__memlimit *m = e->memlimit;
  double want = argc ? JSValueToNumber(ctx, argv[0], NULL) : 0;
  if (!m || !(want > 0)) return JSValueMakeUndefined(ctx);
  uint64_t bytes = want >= 1.8e19 ? UINT64_MAX / 2 : (uint64_t)want;
  if (bytes <= m->limit && estimate(m) + bytes <= m->limit) {
    m->announced += bytes;
    return JSValueMakeUndefined(ctx);
  }
  if (bytes <= m->limit && measure(e) + bytes <= m->limit) {
    m->announced = bytes;
    return JSValueMakeUndefined(ctx);
  }
  m->refused = 1;
  eddy__watchdog_arm(e, 0.0001);
  *exc = eddy__make_error(ctx, "RangeError", "memory limit exceeded");
  return NULL;
}

/* Sets the limit up at the end of engine set-up (JS thread): installs memlimit.js, the
   constructor guards, and takes the first exact figure, so that the engine's own set-up counts
   against the limit like the script's heap. */
int eddy__memlimit_init(eddy_engine *e) {
  if (!e->opts.memory_limit) return 0;
  /* Without the watchdog, the heap statistics and a real collection nothing can be enforced:
     say so rather than pretend. */
  if (!e->jsc.set_execution_time_limit || !e->jsc.memory_usage_statistics || !e->jsc.collect_now)
    return EDDY_ENOTSUP;
  eddy__memlimit *m = calloc(1, sizeof *m);
  if (!m) return EDDY_ENOMEM;
  m->limit = e->opts.memory_limit;
  m->page = sysconf(_SC_PAGESIZE);
  m->statm = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  e->memlimit = m;
  JSContextRef ctx = e->ctx;
  eddy__set_function(ctx, e->native, "memoryReserve", native_memory_reserve);
  /* Installed here, once, by C: no global of it waits to be touched (internal.js's lazyFiles). */
  JSStringRef s = JSStringCreateWithUTF8CString("installFile");
  JSValueRef install = JSObjectGetProperty(ctx, e->native, s, NULL);
  JSStringRelease(s);
  s = JSStringCreateWithUTF8CString("memlimit.js");
  JSValueRef file = JSValueMakeString(ctx, s);
  JSStringRelease(s);
  JSValueRef exc = NULL;
  int st = JSValueIsObject(ctx, install)
               ? eddy__call_js(e, (JSObjectRef)install, NULL, 1, &file, NULL, &exc)
               : EDDY_EINVAL;
  if (st) return eddy__setup_failed(e, "memory_limit", exc, NULL, st);
  measure(e);
  return 0;
}

void eddy__memlimit_free(eddy_engine *e) {
  eddy__memlimit *m = e->memlimit;
  if (!m) return;
  if (m->statm >= 0) close(m->statm);
  free(m);
  e->memlimit = NULL;
}
