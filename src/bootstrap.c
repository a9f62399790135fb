/* An engine's JS side, set up at creation (eddy__bootstrap, called by eddy_engine_new in
   engine.c): the `native` and `internal` objects, the natives every engine has, the `eddy`
   global, each web API's native part, then internal.js; the other embedded files are installed
   on first use (native.installFile). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void eddy__set_value(JSContextRef ctx, JSObjectRef obj, const char *name, JSValueRef v) {
  JSStringRef s = JSStringCreateWithUTF8CString(name);
  JSObjectSetProperty(ctx, obj, s, v, kJSPropertyAttributeNone, NULL);
  JSStringRelease(s);
}

void eddy__set_function(JSContextRef ctx, JSObjectRef obj, const char *name,
                        JSObjectCallAsFunctionCallback fn) {
  JSStringRef s = JSStringCreateWithUTF8CString(name);
  JSObjectSetProperty(ctx, obj, s, JSObjectMakeFunctionWithCallback(ctx, s, fn),
                      kJSPropertyAttributeDontEnum, NULL);
  JSStringRelease(s);
}

JSObjectRef eddy__make_error(JSContextRef ctx, const char *ctor, const char *message) {
  JSObjectRef global = JSContextGetGlobalObject(ctx);
  JSStringRef name = JSStringCreateWithUTF8CString(ctor);
  JSValueRef c = JSObjectGetProperty(ctx, global, name, NULL);
  JSStringRelease(name);
  JSStringRef m = JSStringCreateWithUTF8CString(message);
  JSValueRef arg = JSValueMakeString(ctx, m);
  JSStringRelease(m);
  if (c && JSValueIsObject(ctx, c) && JSObjectIsConstructor(ctx, (JSObjectRef)c))
    return JSObjectCallAsConstructor(ctx, (JSObjectRef)c, 1, &arg, NULL);
  return JSObjectMakeError(ctx, 1, &arg, NULL);
}

JSValueRef eddy__throw_type_error(JSContextRef ctx, JSValueRef *exc, const char *message) {
  *exc = eddy__make_error(ctx, "TypeError", message);
  return NULL;
}

static JSValueRef native_report_error(JSContextRef ctx, JSObjectRef function, JSObjectRef self,
                                      size_t argc, const JSValueRef argv[], JSValueRef *exc) {
  (void)function;
  (void)self;
  (void)exc;
  eddy_engine *e = eddy__engine_of(ctx);
  int skip = argc > 1 && JSValueToBoolean(ctx, argv[1]);
  eddy__report(e, EDDY_ERROR_UNCAUGHT, argc ? argv[0] : JSValueMakeUndefined(ctx), NULL, skip);
  return JSValueMakeUndefined(ctx);
}

/* JSC calls this after a microtask checkpoint for each rejection still unhandled. */
static JSValueRef on_unhandled_rejection(JSContextRef ctx, JSObjectRef function, JSObjectRef self,
                                         size_t argc, const JSValueRef argv[], JSValueRef *exc) {
  (void)function;
  (void)self;
  (void)exc;
  eddy_engine *e = eddy__engine_of(ctx);
  JSValueRef promise = argc > 0 ? argv[0] : NULL;
  JSValueRef reason = argc > 1 ? argv[1] : JSValueMakeUndefined(ctx);
  eddy__report(e, EDDY_ERROR_UNHANDLED_REJECTION, reason, promise, 0);
  return JSValueMakeUndefined(ctx);
}

static JSObjectRef get_object(JSContextRef ctx, JSObjectRef obj, const char *name) {
  JSStringRef s = JSStringCreateWithUTF8CString(name);
  JSValueRef v = JSObjectGetProperty(ctx, obj, s, NULL);
  JSStringRelease(s);
  return v && JSValueIsObject(ctx, v) ? (JSObjectRef)v : NULL;
}

static JSObjectRef keep(JSContextRef ctx, JSObjectRef o) {
  if (o) JSValueProtect(ctx, o);
  return o;
}

/* Set-up has no script to throw to: a failure is told through the host's log sink at error
   level, "eddy: engine set-up failed: <where>: <why>", and eddy_engine_new returns st. */
int eddy__setup_failed(eddy_engine *e, const char *where, JSValueRef exc, const char *why, int st) {
  eddy_value *v = exc ? eddy__error_from_js(e, exc) : NULL;
  if (v) why = eddy_value_error_stack(v);
  if (!why || !*why) why = eddy_strerror(st);
  size_t n = strlen(where) + strlen(why) + 32;
  char *text = malloc(n);
  if (text) {
    int len = snprintf(text, n, "eddy: engine set-up failed: %s: %s", where, why);
    eddy__log(e, EDDY_LOG_ERROR, text, (size_t)len);
    free(text);
  }
  eddy_value_free(v);
  return st;
}

/* Evaluates embedded file f and calls the function it evaluates to with (native, internal).
   On failure returns the status with *exc set (or NULL) and *why a static description. */
static int run_js_file(eddy_engine *e, const eddy__js_file *f, JSValueRef *exc, char **why,
                       int *err_line) {
  JSContextRef ctx = e->ctx;
  char url[128];
  snprintf(url, sizeof url, "eddy:%s", f->name);
  JSStringRef jurl = JSStringCreateWithUTF8CString(url);
  JSStringRef src = NULL, err_msg = NULL;
  JSValueRef fn = NULL;
  JSScriptRef script = NULL;
  /* An ASCII file is parsed straight from the library's own bytes, which every engine shares
     (internal.js: 18 KiB less per engine than a copy, 16-bit for one non-ASCII byte). */
  if (e->jsc.script_create_ascii)
    script = e->jsc.script_create_ascii(e->group, jurl, 1, f->source, f->len, &err_msg, err_line);
  if (!script && !err_msg) {
    src = eddy__jsstring_from_utf8(f->source, f->len);
    if (!src) {
      JSStringRelease(jurl);
      return EDDY_ENOMEM;
    }
    if (e->jsc.script_create) /* parsed once, evaluated without re-parsing the string */
      script = e->jsc.script_create(e->group, jurl, 1, src, &err_msg, err_line);
  }
  if (script || err_msg) {
    if (!script) {
      if (src) JSStringRelease(src);
      JSStringRelease(jurl);
      eddy__jsstring_to_utf8(err_msg, why, NULL);
      JSStringRelease(err_msg);
      return EDDY_EEXCEPTION;
    }
    fn = e->jsc.script_evaluate(ctx, script, NULL, exc);
    e->jsc.script_release(script);
  } else {
    fn = JSEvaluateScript(ctx, src, NULL, jurl, 1, exc);
  }
  if (src) JSStringRelease(src);
  JSStringRelease(jurl);
  int st = *exc ? EDDY_EEXCEPTION : 0;
  if (!st && (!JSValueIsObject(ctx, fn) || !JSObjectIsFunction(ctx, (JSObjectRef)fn)))
    st = EDDY_EINVAL;
  if (!st) {
    JSValueRef args[2] = {e->native, e->internal};
    st = eddy__call_js(e, (JSObjectRef)fn, NULL, 2, args, NULL, exc);
  }
  return st;
}

static int run_embedded(eddy_engine *e) {
  for (size_t i = 0; i < eddy__js_files_count; i++) {
    const eddy__js_file *f = &eddy__js_files[i];
    if (f->lazy) continue; /* installed on first use: native.installFile */
    char url[128], *why = NULL;
    snprintf(url, sizeof url, "eddy:%s", f->name);
    JSValueRef exc = NULL;
    int err_line = 0;
    int st = run_js_file(e, f, &exc, &why, &err_line);
    if (st && why) {
      char where[160];
      snprintf(where, sizeof where, "%s:%d", url, err_line);
      eddy__setup_failed(e, where, NULL, why, st);
      free(why);
      return st;
    }
    if (st) return eddy__setup_failed(e, url, exc, NULL, st);
  }
  return 0;
}

/* native.installFile(name): runs a lazily installed embedded file (internal.require calls it
   once per file). */
static JSValueRef native_install_file(JSContextRef ctx, JSObjectRef function, JSObjectRef self,
                                      size_t argc, const JSValueRef argv[], JSValueRef *exc) {
  (void)function;
  (void)self;
  eddy_engine *e = eddy__engine_of(ctx);
  JSStringRef name = argc > 0 && JSValueIsString(ctx, argv[0]) ? JSValueToStringCopy(ctx, argv[0], NULL)
                                                               : NULL;
  const eddy__js_file *f = NULL;
  for (size_t i = 0; name && i < eddy__js_files_count && !f; i++)
    if (eddy__js_files[i].lazy == 1 && JSStringIsEqualToUTF8CString(name, eddy__js_files[i].name))
      f = &eddy__js_files[i];
  if (name) JSStringRelease(name);
  if (!f) return eddy__throw_type_error(ctx, exc, "installFile: no such embedded file");
  char *why = NULL;
  int line = 0;
  int st = run_js_file(e, f, exc, &why, &line);
  if (st && !*exc) {
    char msg[256];
    snprintf(msg, sizeof msg, "eddy:%s:%d: %s", f->name, line, why ? why : eddy_strerror(st));
    *exc = eddy__make_error(ctx, "Error", msg);
  }
  free(why);
  return st ? NULL : JSValueMakeUndefined(ctx);
}

int eddy__bootstrap(eddy_engine *e) {
  JSContextRef ctx = e->ctx;
  JSObjectRef global = JSContextGetGlobalObject(ctx);

  JSValueRef exc = NULL;
  /* Without the callback (EDDY_JSC_REJECTION_CALLBACK) unhandled rejections go unreported. */
  if (e->jsc.set_unhandled_rejection_callback) {
    JSStringRef name = JSStringCreateWithUTF8CString("onUnhandledRejection");
    JSObjectRef cb = JSObjectMakeFunctionWithCallback(ctx, name, on_unhandled_rejection);
    JSStringRelease(name);
    e->jsc.set_unhandled_rejection_callback(e->ctx, cb, &exc);
    if (exc)
      return eddy__setup_failed(e, "unhandled rejection callback", exc, NULL, EDDY_EEXCEPTION);
  }

  e->native = keep(ctx, JSObjectMake(ctx, NULL, NULL));
  e->internal = keep(ctx, JSObjectMake(ctx, NULL, NULL));
  e->object_keys = keep(ctx, get_object(ctx, get_object(ctx, global, "Object"), "keys"));
  JSStringRef tname = JSStringCreateWithUTF8CString(EDDY__HOST_FRAME);
  e->trampoline = keep(ctx, JSObjectMakeFunctionWithCallback(ctx, tname, eddy__trampoline));
  e->entry = keep(ctx, JSObjectMakeFunctionWithCallback(ctx, tname, eddy__entry));
  JSStringRelease(tname);
  e->error_ctor = keep(ctx, get_object(ctx, global, "Error"));
  e->dataview_ctor = keep(ctx, get_object(ctx, global, "DataView"));
  e->string_ctor = keep(ctx, get_object(ctx, global, "String"));
  e->promise_ctor = keep(ctx, get_object(ctx, global, "Promise"));
  e->promise_resolve = keep(ctx, get_object(ctx, e->promise_ctor, "resolve"));

  JSObjectRef eddy_obj = JSObjectMake(ctx, NULL, NULL);
  JSStringRef ver = JSStringCreateWithUTF8CString(EDDY_VERSION_STRING);
  eddy__set_value(ctx, eddy_obj, "version", JSValueMakeString(ctx, ver));
  eddy__set_value(ctx, e->native, "version", JSValueMakeString(ctx, ver));
  JSStringRelease(ver);
  eddy__set_value(ctx, eddy_obj, "args", JSObjectMakeArray(ctx, 0, NULL, NULL));
  /* eddy.jscFeatures: the names of the EDDY_JSC_* features this engine uses (eddy.h). */
  JSValueRef features[32];
  size_t nfeatures = 0;
  for (int bit = 1; bit <= EDDY_JSC_RUNLOOP; bit <<= 1) {
    const char *fname = (e->jsc.features & bit) ? eddy__jsc_feature_name(bit) : NULL;
    if (!fname) continue;
    JSStringRef fs = JSStringCreateWithUTF8CString(fname);
    features[nfeatures++] = JSValueMakeString(ctx, fs);
    JSStringRelease(fs);
  }
  eddy__set_value(ctx, eddy_obj, "jscFeatures", JSObjectMakeArray(ctx, nfeatures, features, NULL));
  /* Without JSC's run loop on ours, native.jscRunLoop false, async WebAssembly compiles now. */
  eddy__set_value(ctx, e->native, "jscRunLoop", JSValueMakeBoolean(ctx, e->runloop != NULL));
  eddy__set_value(ctx, global, "eddy", eddy_obj);
  if (e->opts.base_url) {
    JSStringRef b = eddy__jsstring_from_utf8(e->opts.base_url, strlen(e->opts.base_url));
    eddy__set_value(ctx, e->native, "baseURL", JSValueMakeString(ctx, b));
    JSStringRelease(b);
  }
  eddy__set_function(ctx, e->native, "reportError", native_report_error);
  eddy__set_function(ctx, e->native, "installFile", native_install_file);
  eddy__set_function(ctx, e->native, "holdPending", eddy__native_hold_pending);

  /* internal.js's table of the lazy files, JSON text (see there). */
  for (size_t i = 0; i < eddy__js_files_count; i++) {
    if (eddy__js_files[i].lazy != 2 || strcmp(eddy__js_files[i].name, "lazy_files.json")) continue;
    JSStringRef text = JSStringCreateWithUTF8CString(eddy__js_files[i].source);
    eddy__set_value(ctx, e->native, "lazyFiles", JSValueMakeString(ctx, text));
    JSStringRelease(text);
  }

  int st;
  if ((st = eddy__timers_init(e)) || (st = eddy__bridge_init(e)) ||
      (st = eddy__console_init(e, e->native)) || (st = eddy__encoding_init(e, e->native)) ||
      (st = eddy__url_init(e, e->native)) || (st = eddy__http_init(e, e->native)) ||
      (st = eddy__modules_init(e, e->native)) || (st = eddy__crypto_init(e, e->native)))
    return st;
  if ((st = eddy__base64_init(e, e->native)) || (st = eddy__clone_init(e, e->native)) ||
      (st = eddy__navigator_init(e, e->native)) || (st = eddy__compression_init(e, e->native)))
    return st;
  if ((st = eddy__ws_init(e, e->native))) return st;
  if ((st = run_embedded(e))) return st;
  e->dispatch_error = keep(ctx, get_object(ctx, e->internal, "dispatchError"));
  return 0;
}
