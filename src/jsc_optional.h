/* JavaScriptCore beyond its public C API, as optional accelerators.

   eddy compiles and links against JavaScriptCore/JavaScript.h alone. Everything else it can use
   (functions declared only in WebKit's private headers, C++ members, WebKitGTK's GLib API) is
   looked up at run time in the library that provides the public API (jsc_optional.c), once per
   process, and checked where eddy assumes a layout. Each engine then gets its own copy of the
   table (eddy__jsc_for_engine), minus what EDDY_JSC_OPTIONAL leaves out: every pointer may be
   NULL and every user has a fallback. docs/porting.md lists what a host loses without each. */
#ifndef EDDY_JSC_OPTIONAL_H
#define EDDY_JSC_OPTIONAL_H

#include <stdbool.h>

#include <JavaScriptCore/JavaScript.h>

/* Called on the JS thread when the execution time limit elapsed; true terminates the script. */
typedef bool (*JSShouldTerminateCallback)(JSContextRef ctx, void *context);
/* A parsed script that can be evaluated many times in contexts of the same group. */
typedef struct OpaqueJSScript *JSScriptRef;

/* JSC::JSLockHolder (runtime/JSLock.h), whose only member is a RefPtr<VM>. The constructor is
   called on this storage only after jsc_optional.c saw it write the VM into vm and nothing else
   (EDDY_JSC_LOCK). */
typedef struct {
  void *vm;
  void *spare[3]; /* room to spare if the holder ever grows */
} eddy__jsc_lock_holder;

typedef struct eddy__jsc {
  int features; /* EDDY_JSC_* bits (eddy.h) of the pointers below that are set */

  /* JSContextRefPrivate.h. The limit is in seconds of the executing thread's CPU time. */
  void (*set_execution_time_limit)(JSContextGroupRef group, double limit,
                                   JSShouldTerminateCallback callback, void *context);
  void (*clear_execution_time_limit)(JSContextGroupRef group);
  /* function(promise, reason) is called after a microtask checkpoint for each rejected promise
     that still has no handler. */
  void (*set_unhandled_rejection_callback)(JSGlobalContextRef ctx, JSObjectRef function,
                                           JSValueRef *exception);
  /* JSBasePrivate.h: an object describing the heap (heapSize, heapCapacity, extraMemorySize,
     objectCount, ...), and a full collection, now, on the calling thread. */
  JSObjectRef (*memory_usage_statistics)(JSContextRef ctx);
  void (*collect_now)(JSContextRef ctx);
  /* JSScriptRefPrivate.h: parsed once, evaluated without re-parsing the string. */
  JSScriptRef (*script_create)(JSContextGroupRef group, JSStringRef url, int starting_line,
                               JSStringRef source, JSStringRef *error_message, int *error_line);
  /* The same over a pure-ASCII buffer that outlives every VM (an embedded file), referenced
     instead of copied; NULL if a byte is not ASCII, or on a syntax error (with a message). */
  JSScriptRef (*script_create_ascii)(JSContextGroupRef group, JSStringRef url, int starting_line,
                                     const char *source, size_t length,
                                     JSStringRef *error_message, int *error_line);
  JSValueRef (*script_evaluate)(JSContextRef ctx, JSScriptRef script, JSValueRef this_value,
                                JSValueRef *exception);
  void (*script_release)(JSScriptRef script);
  /* JSObjectRefPrivate.h: the target of a Proxy (or of the proxy JSC gives scripts for a global
     object), NULL for any other object. Runs no trap; a revoked Proxy still gives non-NULL. */
  JSObjectRef (*proxy_target)(JSObjectRef object);
  /* C++ members, called with a JSContextGroupRef as the VM (API/APICast.h casts one to the
     other). JSC drops its API lock around native callbacks; a holder taken there makes the API
     calls made meanwhile cheap recursive acquisitions. drainMicrotasks runs every queued
     microtask, then the unhandled-rejection check, now; it needs the lock held, so it is only
     ever set together with lock/unlock. */
  void (*lock)(eddy__jsc_lock_holder *holder, JSContextGroupRef vm);
  void (*unlock)(eddy__jsc_lock_holder *holder);
  void (*drain_microtasks)(JSContextGroupRef vm);
  /* WebKitGTK's jsc_options_get_boolean (gboolean is int): any option query makes JSC read its
     JSC_* environment variables now, without creating a VM. */
  int (*options_get_boolean)(const char *option, int *value);
} eddy__jsc;

/* What the process's JavaScriptCore offers, resolved and checked on first use; thread-safe. The
   result lives as long as the process. */
const eddy__jsc *eddy__jsc_resolved(void);
/* *out = what the process offers, minus what EDDY_JSC_OPTIONAL leaves out: unset (or "all"),
   everything; "none", nothing; otherwise a comma-separated list of the feature names to keep
   (eddy__jsc_feature_name). Read once per call: an engine calls it as it is created. */
void eddy__jsc_for_engine(eddy__jsc *out);
/* Checks candidate's lock and drain on a probe VM, on a thread of its own: the EDDY_JSC_LOCK and
   EDDY_JSC_DRAIN bits of those that behave as eddy assumes (the drain is tried only with a lock
   that passed). */
int eddy__jsc_probe(const eddy__jsc *candidate);
/* The name EDDY_JSC_OPTIONAL uses for one EDDY_JSC_* bit ("time_limit", ...), NULL if unknown. */
const char *eddy__jsc_feature_name(int bit);

/* Makes JSC read its JSC_* environment variables now (it reads them once, as it initialises):
   with jsc->options_get_boolean, else by creating and releasing a VM on a thread of its own. */
void eddy__jsc_read_options(const eddy__jsc *jsc);

/* The optional lock: a holder taken on a JSC without one is a no-op. */
static inline void eddy__jsc_lock(const eddy__jsc *jsc, eddy__jsc_lock_holder *h,
                                  JSContextGroupRef vm) {
  if (jsc->lock) jsc->lock(h, vm);
}
static inline void eddy__jsc_unlock(const eddy__jsc *jsc, eddy__jsc_lock_holder *h) {
  if (jsc->lock) jsc->unlock(h);
}

#endif
