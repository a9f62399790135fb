/* Functions exported by libjavascriptcoregtk but declared only in WebKit's private headers
   (JSContextRefPrivate.h, JSBasePrivate.h, JSScriptRefPrivate.h, runtime/VM.h). Declared
   here, in one place, with the signatures WebKit ships; tests/c/test_jsc_private.c covers each. */
#ifndef EDDY_JSC_PRIVATE_H
#define EDDY_JSC_PRIVATE_H

#include <JavaScriptCore/JavaScript.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Called on the JS thread when the execution time limit elapsed; true terminates the script. */
typedef bool (*JSShouldTerminateCallback)(JSContextRef ctx, void *context);
/* limit is in seconds of the executing thread's CPU time; the callback decides. */
void JSContextGroupSetExecutionTimeLimit(JSContextGroupRef group, double limit,
                                         JSShouldTerminateCallback callback, void *context);
void JSContextGroupClearExecutionTimeLimit(JSContextGroupRef group);

/* function(promise, reason) is called after a microtask checkpoint for each rejected promise that
   still has no handler. */
void JSGlobalContextSetUnhandledRejectionCallback(JSGlobalContextRef ctx, JSObjectRef function,
                                                  JSValueRef *exception);

/* An object describing the heap: heapSize, heapCapacity, extraMemorySize, objectCount,
   protectedObjectCount, globalObjectCount, protectedGlobalObjectCount, objectTypeCounts. */
JSObjectRef JSGetMemoryUsageStatistics(JSContextRef ctx);

/* A full collection, now, on the calling thread (JSBasePrivate.h). */
void JSSynchronousGarbageCollectForDebugging(JSContextRef ctx);

/* A parsed script that can be evaluated many times in contexts of the same group. */
typedef struct OpaqueJSScript *JSScriptRef;
JSScriptRef JSScriptCreateFromString(JSContextGroupRef group, JSStringRef url,
                                     int startingLineNumber, JSStringRef source,
                                     JSStringRef *errorMessage, int *errorLine);
JSValueRef JSScriptEvaluate(JSContextRef ctx, JSScriptRef script, JSValueRef thisValue,
                            JSValueRef *exception);
void JSScriptRelease(JSScriptRef script);

/* The target of a Proxy, or of the proxy JSC gives scripts for a global object; NULL for any other
   object (JSObjectRefPrivate.h). Runs no trap. A revoked Proxy still gives non-NULL. */
JSObjectRef JSObjectGetProxyTarget(JSObjectRef object);

/* JSC::VM::drainMicrotasks() (runtime/VM.h, JS_EXPORT_PRIVATE): runs every queued microtask, and
   then the unhandled-rejection callback, now. JSC otherwise drains when the outermost API call
   returns, running every job as a VM entry of its own (each one re-arming the watchdog, a
   CPU-clock system call). A JSContextGroupRef is the VM itself (API/APICast.h casts one to the
   other), so these C++ members are called with the group as `this`. JSC drops its API lock around
   native callbacks (APICallbackFunction.h), so the drain takes it like every API call does: with
   a JSC::JSLockHolder (runtime/JSLock.h), whose only member is a RefPtr<VM>. eddy also holds one
   across hot native callbacks and VM entries, which turns the API calls made meanwhile into
   cheap recursive acquisitions. */
typedef struct {
  void *vm;
  void *spare[3]; /* room to spare if the holder ever grows */
} eddy__jsc_lock_holder;
void eddy__jsc_lock(eddy__jsc_lock_holder *holder, JSContextGroupRef vm)
    __asm__("_ZN3JSC12JSLockHolderC1EPNS_2VME");
void eddy__jsc_unlock(eddy__jsc_lock_holder *holder) __asm__("_ZN3JSC12JSLockHolderD1Ev");
void eddy__jsc_drain_microtasks(JSContextGroupRef vm) __asm__("_ZN3JSC2VM15drainMicrotasksEv");

#ifdef __cplusplus
}
#endif
#endif
