/* Functions exported by libjavascriptcoregtk but declared only in WebKit's private headers
   (JSContextRefPrivate.h, JSContextRefPrivate.h, JSScriptRefPrivate.h). Declared here, in one place,
   with the signatures WebKit ships; tests/c/test_jsc_private.c covers each of them. */
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

/* A parsed script that can be evaluated many times in contexts of the same group. */
typedef struct OpaqueJSScript *JSScriptRef;
JSScriptRef JSScriptCreateFromString(JSContextGroupRef group, JSStringRef url,
                                     int startingLineNumber, JSStringRef source,
                                     JSStringRef *errorMessage, int *errorLine);
JSValueRef JSScriptEvaluate(JSContextRef ctx, JSScriptRef script, JSValueRef thisValue,
                            JSValueRef *exception);
void JSScriptRelease(JSScriptRef script);

#ifdef __cplusplus
}
#endif
#endif
