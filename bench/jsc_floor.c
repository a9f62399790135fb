/* The JavaScriptCore floor for a compute script: runs one JS file on a bare JSC context through
   the public C API, with JSC's default options, no eddy in between. It gives the script only what
   bench/js/compute.js and bench/js/await_chain.js touch (console.log, performance.now, and
   globalThis.jscFloor, by which they name the runtime "jsc"), so their figures can be read side by side with eddy's,
   Node's and Bun's. JSC drains the microtask queue when the evaluation returns the API lock.
   For bench/js/fetch_stream_floor.js it also gives jscFloorArgs (the arguments after the script)
   and jscFloorChunk(n): an ArrayBuffer over n bytes of fresh malloc'd memory, written once as
   curl writes a chunk, freed when JSC collects it (a streamed fetch chunk without the fetch).

     build/bench_jsc_floor bench/js/await_chain.js                                          */
#define _GNU_SOURCE
#include <JavaScriptCore/JavaScript.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static JSValueRef console_log(JSContextRef ctx, JSObjectRef fn, JSObjectRef self, size_t argc,
                              const JSValueRef argv[], JSValueRef *exception) {
  (void)fn;
  (void)self;
  for (size_t i = 0; i < argc; i++) {
    JSStringRef s = JSValueToStringCopy(ctx, argv[i], exception);
    if (!s) return NULL;
    size_t cap = JSStringGetMaximumUTF8CStringSize(s);
    char *buf = malloc(cap);
    JSStringGetUTF8CString(s, buf, cap);
    printf(i ? " %s" : "%s", buf);
    free(buf);
    JSStringRelease(s);
  }
  putchar('\n');
  return JSValueMakeUndefined(ctx);
}

static JSValueRef performance_now(JSContextRef ctx, JSObjectRef fn, JSObjectRef self, size_t argc,
                                  const JSValueRef argv[], JSValueRef *exception) {
  (void)fn;
  (void)self;
  (void)argc;
  (void)argv;
  (void)exception;
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return JSValueMakeNumber(ctx, (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6);
}

static void free_chunk(void *bytes, void *context) {
  (void)context;
  free(bytes);
}

static JSValueRef chunk(JSContextRef ctx, JSObjectRef fn, JSObjectRef self, size_t argc,
                        const JSValueRef argv[], JSValueRef *exception) {
  (void)fn;
  (void)self;
  size_t n = argc ? (size_t)JSValueToNumber(ctx, argv[0], exception) : 0;
  void *bytes = malloc(n ? n : 1);
  if (!bytes) return JSValueMakeUndefined(ctx);
  memset(bytes, 0, n);
  return JSObjectMakeArrayBufferWithBytesNoCopy(ctx, bytes, n, free_chunk, NULL, exception);
}

static void set(JSContextRef ctx, JSObjectRef on, const char *name, JSValueRef value) {
  JSStringRef n = JSStringCreateWithUTF8CString(name);
  JSObjectSetProperty(ctx, on, n, value, kJSPropertyAttributeNone, NULL);
  JSStringRelease(n);
}

static JSObjectRef function(JSContextRef ctx, const char *name, JSObjectCallAsFunctionCallback cb) {
  JSStringRef n = JSStringCreateWithUTF8CString(name);
  JSObjectRef f = JSObjectMakeFunctionWithCallback(ctx, n, cb);
  JSStringRelease(n);
  return f;
}

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  if (fread(buf, 1, (size_t)n, f) != (size_t)n) n = 0;
  buf[n] = '\0';
  fclose(f);
  return buf;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s script.js\n", argv[0]);
    return 2;
  }
  char *src = read_file(argv[1]);
  if (!src) {
    perror(argv[1]);
    return 1;
  }
  JSGlobalContextRef ctx = JSGlobalContextCreate(NULL);
  JSObjectRef global = JSContextGetGlobalObject(ctx);
  JSObjectRef console = JSObjectMake(ctx, NULL, NULL);
  set(ctx, console, "log", function(ctx, "log", console_log));
  set(ctx, global, "console", console);
  JSObjectRef performance = JSObjectMake(ctx, NULL, NULL);
  set(ctx, performance, "now", function(ctx, "now", performance_now));
  set(ctx, global, "performance", performance);
  set(ctx, global, "jscFloor", JSValueMakeBoolean(ctx, true));
  set(ctx, global, "jscFloorChunk", function(ctx, "jscFloorChunk", chunk));
  JSValueRef args[16];
  int nargs = 0;
  for (int i = 2; i < argc && nargs < 16; i++) {
    JSStringRef a = JSStringCreateWithUTF8CString(argv[i]);
    args[nargs++] = JSValueMakeString(ctx, a);
    JSStringRelease(a);
  }
  set(ctx, global, "jscFloorArgs", JSObjectMakeArray(ctx, (size_t)nargs, args, NULL));

  JSStringRef script = JSStringCreateWithUTF8CString(src);
  JSStringRef url = JSStringCreateWithUTF8CString(argv[1]);
  JSValueRef exception = NULL;
  JSEvaluateScript(ctx, script, NULL, url, 1, &exception);
  JSStringRelease(script);
  JSStringRelease(url);
  int rc = 0;
  if (exception) {
    console_log(ctx, NULL, NULL, 1, &exception, NULL);
    rc = 1;
  }
  JSGlobalContextRelease(ctx);
  free(src);
  return rc;
}
