/* The host bridge: host functions (sync and async), settling async calls from any thread, calling
   JS functions by path or by function value, and setting globals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct {
  void *fn;
  void *userdata;
} host_fn;

typedef struct call_record {
  uint64_t id;
  JSObjectRef resolve, reject; /* protected */
  struct call_record *next;    /* chain in the table bucket, or the cancelled list */
} call_record;

#define CALL_BUCKETS 256

struct eddy__calls {
  uv_mutex_t mu; /* the table is read by eddy_settle on any thread */
  call_record *buckets[CALL_BUCKETS];
  call_record *cancelled; /* settled after close began: unprotected at teardown */
  uint64_t next_id;
  int closed; /* teardown released the JS side: records are plain memory now */
};

/* ---- paths ----------------------------------------------------------------------------------- */

static const char *describe(JSContextRef ctx, JSValueRef v) {
  switch (JSValueGetType(ctx, v)) {
    case kJSTypeUndefined: return "undefined";
    case kJSTypeNull: return "null";
    case kJSTypeBoolean: return "a boolean";
    case kJSTypeNumber: return "a number";
    case kJSTypeString: return "a string";
    case kJSTypeSymbol: return "a symbol";
    case kJSTypeObject: return "an object";
    default: return "a bigint";
  }
}

/* A TypeError naming the path, its segment [seg, seg + n) that failed and what it found there:
   "path 'app.nope.run': segment 'nope' ('app.nope') is undefined, not an object". */
static void path_error(JSContextRef ctx, JSValueRef *exc, const char *path, const char *seg,
                       size_t n, JSValueRef found, const char *wanted) {
  const char *what = describe(ctx, found);
  size_t upto = (size_t)(seg - path) + n;
  size_t cap = strlen(path) + upto + n + strlen(what) + strlen(wanted) + 48;
  char *msg = malloc(cap);
  if (!msg) {
    eddy__throw_type_error(ctx, exc, "out of memory");
    return;
  }
  snprintf(msg, cap, "path '%s': segment '%.*s' ('%.*s') is %s, not %s", path, (int)n, seg,
           (int)upto, path, what, wanted);
  eddy__throw_type_error(ctx, exc, msg);
  free(msg);
}

int eddy__resolve_path(eddy_engine *e, const char *path, int create, JSObjectRef *holder,
                       JSStringRef *last, JSValueRef *exc) {
  JSContextRef ctx = e->ctx;
  JSObjectRef obj = JSContextGetGlobalObject(ctx);
  const char *seg = path;
  for (;;) {
    const char *dot = strchr(seg, '.');
    size_t n = dot ? (size_t)(dot - seg) : strlen(seg);
    if (n == 0) {
      eddy__throw_type_error(ctx, exc, "invalid path: empty segment");
      return EDDY_EEXCEPTION;
    }
    JSStringRef name;
    int st = eddy__jsstring_from_utf8_checked(seg, n, &name);
    if (st) return st;
    if (!dot) {
      *holder = obj;
      *last = name;
      return 0;
    }
    JSValueRef next = JSObjectGetProperty(ctx, obj, name, exc);
    if (*exc) {
      JSStringRelease(name);
      return EDDY_EEXCEPTION;
    }
    if (!JSValueIsObject(ctx, next)) {
      if (!create || !(JSValueIsUndefined(ctx, next) || JSValueIsNull(ctx, next))) {
        JSStringRelease(name);
        path_error(ctx, exc, path, seg, n, next, "an object");
        return EDDY_EEXCEPTION;
      }
      next = JSObjectMake(ctx, NULL, NULL);
      JSObjectSetProperty(ctx, obj, name, next, kJSPropertyAttributeNone, exc);
    }
    JSStringRelease(name);
    if (*exc) return EDDY_EEXCEPTION;
    obj = (JSObjectRef)next;
    seg = dot + 1;
  }
}

/* A dotted path from globalThis: non-empty segments, none of which could reach a prototype
   (`__proto__`, `constructor`, `prototype`): eddy_set(e, "__proto__.x", v) would otherwise
   set x on Object.prototype of the whole engine. */
int eddy__check_path(const char *path) {
  if (!path || !*path) return EDDY_EINVAL;
  for (const char *seg = path;;) {
    const char *dot = strchr(seg, '.');
    size_t n = dot ? (size_t)(dot - seg) : strlen(seg);
    if (n == 0 || (n == 9 && !memcmp(seg, "__proto__", 9)) ||
        (n == 11 && !memcmp(seg, "constructor", 11)) || (n == 9 && !memcmp(seg, "prototype", 9)))
      return EDDY_EINVAL;
    if (!dot) return 0;
    seg = dot + 1;
  }
}

static int check_args(const eddy_value *args) {
  return !args || args->type == EDDY_TYPE_ARRAY ? 0 : EDDY_EINVAL;
}

static void args_release(eddy_engine *e, JSValueRef *argv, size_t argc) {
  for (size_t i = 0; i < argc; i++) JSValueUnprotect(e->ctx, argv[i]);
  free(argv);
}

/* argv is malloc'd, where the collector does not look: each value is protected until
   args_release (converting a later argument may collect). */
static int args_to_js(eddy_engine *e, const eddy_value *args, JSValueRef **argv, size_t *argc,
                      JSValueRef *exc) {
  size_t n = args ? args->u.list.len : 0;
  *argc = 0;
  *argv = NULL;
  if (!n) return 0;
  *argv = malloc(n * sizeof(**argv));
  if (!*argv) return EDDY_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    JSValueRef v;
    int st = eddy__to_js_checked(e, args->u.list.items[i], &v, exc);
    if (st) {
      args_release(e, *argv, i);
      *argv = NULL;
      return st;
    }
    JSValueProtect(e->ctx, v);
    (*argv)[i] = v;
  }
  *argc = n;
  return 0;
}

static int args_from_js(eddy_engine *e, size_t argc, const JSValueRef argv[], eddy_value **out,
                        JSValueRef *exc) {
  eddy_value *args = eddy_value_new_array();
  if (!args) return EDDY_ENOMEM;
  for (size_t i = 0; i < argc; i++) {
    eddy_value *v = NULL;
    int st = eddy__from_js(e, argv[i], &v, exc);
    if (st || eddy_value_push(args, v)) {
      eddy_value_free(args);
      return st ? st : EDDY_ENOMEM;
    }
  }
  *out = args;
  return 0;
}

/* ---- sync host functions --------------------------------------------------------------------- */

static JSValueRef host_call(JSContextRef ctx, JSObjectRef function, JSObjectRef self, size_t argc,
                           const JSValueRef argv[], JSValueRef *exc) {
  (void)self;
  host_fn *h = JSObjectGetPrivate(function);
  eddy_engine *e = eddy__engine_of(ctx);
  eddy_value *args = NULL;
  int st = args_from_js(e, argc, argv, &args, exc);
  if (st) {
    if (st == EDDY_ENOMEM) eddy__throw_type_error(ctx, exc, "out of memory");
    return NULL;
  }
  eddy_value *result = NULL;
  st = ((eddy_host_fn)h->fn)(e, args, &result, h->userdata);
  eddy_value_free(args);
  if (st || (result && result->type == EDDY_TYPE_ERROR)) {
    if (result && result->type == EDDY_TYPE_ERROR) {
      JSValueRef err = eddy__to_js(e, result, exc); /* or *exc says why it could not be made */
      if (err) *exc = err;
    } else {
      *exc = eddy__make_error(ctx, "Error", eddy_strerror(st));
    }
    eddy_value_free(result);
    return NULL;
  }
  JSValueRef r = eddy__to_js(e, result, exc);
  eddy_value_free(result);
  return r;
}

static void host_finalize(JSObjectRef object) { free(JSObjectGetPrivate(object)); }

/* ---- async host functions -------------------------------------------------------------------- */

static void calls_insert(eddy__calls *c, call_record *rec) {
  call_record **b = &c->buckets[rec->id % CALL_BUCKETS];
  rec->next = *b;
  *b = rec;
}

static call_record *calls_remove(eddy__calls *c, uint64_t id) {
  for (call_record **p = &c->buckets[id % CALL_BUCKETS]; *p; p = &(*p)->next) {
    if ((*p)->id == id) {
      call_record *rec = *p;
      *p = rec->next;
      rec->next = NULL;
      return rec;
    }
  }
  return NULL;
}

static JSValueRef async_call(JSContextRef ctx, JSObjectRef function, JSObjectRef self, size_t argc,
                             const JSValueRef argv[], JSValueRef *exc) {
  (void)self;
  host_fn *h = JSObjectGetPrivate(function);
  eddy_engine *e = eddy__engine_of(ctx);
  JSObjectRef resolve, reject;
  JSObjectRef promise = JSObjectMakeDeferredPromise(ctx, &resolve, &reject, exc);
  if (!promise) return NULL;
  eddy_value *args = NULL;
  JSValueRef conv_exc = NULL;
  int st = args_from_js(e, argc, argv, &args, &conv_exc);
  if (st) {
    /* Like an async function: argument problems reject the returned promise. */
    JSValueRef reason = conv_exc ? conv_exc : eddy__make_error(ctx, "TypeError", "out of memory");
    JSObjectCallAsFunction(ctx, reject, NULL, 1, &reason, NULL);
    return promise;
  }
  call_record *rec = calloc(1, sizeof(*rec));
  if (!rec) {
    eddy_value_free(args);
    return eddy__throw_type_error(ctx, exc, "out of memory");
  }
  rec->resolve = resolve;
  rec->reject = reject;
  JSValueProtect(ctx, resolve);
  JSValueProtect(ctx, reject);
  eddy__calls *c = e->calls;
  uv_mutex_lock(&c->mu);
  rec->id = ++c->next_id;
  calls_insert(c, rec);
  uv_mutex_unlock(&c->mu);
  atomic_fetch_add(&e->pending, 1);
  eddy__keepalive(e, 1);
  ((eddy_async_fn)h->fn)(e, rec->id, args, h->userdata);
  return promise;
}

typedef struct {
  eddy__job job;
  call_record *rec;
  int rejected;
  eddy_value *value;
} settle_job;

static void settle_run(eddy_engine *e, eddy__job *job) {
  settle_job *s = EDDY__CONTAINER_OF(job, settle_job, job);
  JSValueRef exc = NULL;
  JSValueRef v = eddy__to_js(e, s->value, &exc);
  JSObjectRef fn = s->rejected ? s->rec->reject : s->rec->resolve;
  if (!v) {
    /* The host's value could not become JS (e.g. a function of another engine): reject. */
    fn = s->rec->reject;
    v = exc;
  }
  /* Whoever awaits this promise may look at eddy_pending() as soon as it settles. */
  atomic_fetch_sub(&e->pending, 1);
  eddy__call_detached(e, fn, NULL, 1, &v);
  JSValueUnprotect(e->ctx, s->rec->resolve);
  JSValueUnprotect(e->ctx, s->rec->reject);
  free(s->rec);
  eddy_value_free(s->value);
  free(s);
  eddy__keepalive(e, -1);
}

static void settle_cancel(eddy_engine *e, eddy__job *job) {
  settle_job *s = EDDY__CONTAINER_OF(job, settle_job, job);
  eddy__calls *c = e->calls;
  uv_mutex_lock(&c->mu);
  if (c->closed) {
    free(s->rec);
  } else {
    s->rec->next = c->cancelled;
    c->cancelled = s->rec;
  }
  uv_mutex_unlock(&c->mu);
  atomic_fetch_sub(&e->pending, 1);
  eddy_value_free(s->value);
  free(s);
}

int eddy_settle(eddy_engine *e, uint64_t call_id, int rejected, eddy_value *value) {
  if (!e) {
    eddy_value_free(value);
    return EDDY_EINVAL;
  }
  if (atomic_load(&e->closing)) {
    eddy_value_free(value);
    return EDDY_ECLOSED;
  }
  eddy__calls *c = e->calls;
  settle_job *s = malloc(sizeof(*s));
  if (!s) {
    eddy_value_free(value);
    return EDDY_ENOMEM;
  }
  uv_mutex_lock(&c->mu);
  call_record *rec = calls_remove(c, call_id);
  uv_mutex_unlock(&c->mu);
  if (!rec) {
    free(s);
    eddy_value_free(value);
    return atomic_load(&e->closing) ? EDDY_ECLOSED : EDDY_ENOTFOUND;
  }
  s->rec = rec;
  s->rejected = rejected;
  s->value = value;
  s->job.run = settle_run;
  s->job.cancel = settle_cancel;
  if (eddy__enqueue(e, &s->job)) {
    settle_cancel(e, &s->job);
    atomic_fetch_add(&e->pending, 1); /* settle_cancel counted a job that was never queued */
    return EDDY_ECLOSED;
  }
  return 0;
}

/* ---- defining -------------------------------------------------------------------------------- */

static int define_request(eddy_engine *e, eddy__request *r, JSValueRef *value, JSValueRef *exc) {
  JSContextRef ctx = e->ctx;
  JSObjectRef holder;
  JSStringRef last;
  int st = eddy__resolve_path(e, r->path, 1, &holder, &last, exc);
  if (st) return st;
  host_fn *h = malloc(sizeof(*h));
  if (!h) {
    JSStringRelease(last);
    return EDDY_ENOMEM;
  }
  h->fn = r->fn_ptr;
  h->userdata = r->fn_userdata;
  JSObjectRef fn = JSObjectMake(ctx, r->async_fn ? e->async_fn_class : e->host_fn_class, h);
  /* Give the function its name so stacks and console show it. */
  JSStringRef name_key = JSStringCreateWithUTF8CString("name");
  JSObjectSetProperty(ctx, fn, name_key, JSValueMakeString(ctx, last),
                      kJSPropertyAttributeDontEnum | kJSPropertyAttributeReadOnly, NULL);
  JSStringRelease(name_key);
  JSObjectSetProperty(ctx, holder, last, fn, kJSPropertyAttributeNone, exc);
  JSStringRelease(last);
  *value = NULL;
  return *exc ? EDDY_EEXCEPTION : 0;
}

static int define(eddy_engine *e, const char *path, void *fn, void *userdata, int async) {
  if (!e || eddy__check_path(path) || !fn) return EDDY_EINVAL;
  eddy__request r;
  memset(&r, 0, sizeof r);
  r.fn = define_request;
  r.direct = 1;
  r.path = path;
  r.fn_ptr = fn;
  r.fn_userdata = userdata;
  r.async_fn = async;
  return eddy__submit_sync(e, &r, NULL);
}

int eddy_define_function(eddy_engine *e, const char *path, eddy_host_fn fn, void *userdata) {
  return define(e, path, (void *)fn, userdata, 0);
}

int eddy_define_async_function(eddy_engine *e, const char *path, eddy_async_fn fn,
                               void *userdata) {
  return define(e, path, (void *)fn, userdata, 1);
}

static int set_request(eddy_engine *e, eddy__request *r, JSValueRef *value, JSValueRef *exc) {
  JSObjectRef holder;
  JSStringRef last;
  int st = eddy__resolve_path(e, r->path, 1, &holder, &last, exc);
  if (st) return st;
  JSValueRef v;
  st = eddy__to_js_checked(e, r->value, &v, exc);
  /* A value JS cannot hold (too deep, a string or bytes too large) is the host's problem to
     know about: a status, with nothing set. */
  if (!st) JSObjectSetProperty(e->ctx, holder, last, v, kJSPropertyAttributeNone, exc);
  JSStringRelease(last);
  *value = NULL;
  if (st == EDDY_ERANGE || st == EDDY_ENOMEM || st == EDDY_EINTERRUPTED) return st;
  return *exc ? EDDY_EEXCEPTION : 0;
}

int eddy_set(eddy_engine *e, const char *path, const eddy_value *value) {
  if (!e || eddy__check_path(path)) return EDDY_EINVAL;
  eddy__request r;
  memset(&r, 0, sizeof r);
  r.fn = set_request;
  r.direct = 1;
  r.path = path;
  r.value = value;
  return eddy__submit_sync(e, &r, NULL);
}

/* ---- calling --------------------------------------------------------------------------------- */

static int call_with(eddy_engine *e, JSObjectRef fn, JSObjectRef self, const eddy_value *args,
                     JSValueRef *value, JSValueRef *exc) {
  JSValueRef *argv;
  size_t argc;
  int st = args_to_js(e, args, &argv, &argc, exc);
  if (st) return st;
  st = eddy__call_js(e, fn, self, argc, argv, value, exc);
  args_release(e, argv, argc);
  return st;
}

static int call_path_request(eddy_engine *e, eddy__request *r, JSValueRef *value,
                             JSValueRef *exc) {
  JSObjectRef holder;
  JSStringRef last;
  int st = eddy__resolve_path(e, r->path, 0, &holder, &last, exc);
  if (st) return st;
  JSValueRef fn = JSObjectGetProperty(e->ctx, holder, last, exc);
  JSStringRelease(last);
  if (*exc) return EDDY_EEXCEPTION;
  if (!JSValueIsObject(e->ctx, fn) || !JSObjectIsFunction(e->ctx, (JSObjectRef)fn)) {
    const char *dot = strrchr(r->path, '.'), *seg = dot ? dot + 1 : r->path;
    path_error(e->ctx, exc, r->path, seg, strlen(seg), fn, "a function");
    return EDDY_EEXCEPTION;
  }
  return call_with(e, (JSObjectRef)fn, holder, r->args, value, exc);
}

static int call_value_request(eddy_engine *e, eddy__request *r, JSValueRef *value,
                              JSValueRef *exc) {
  JSValueRef fn = eddy__to_js(e, r->value, exc);
  if (!fn) return EDDY_EEXCEPTION;
  return call_with(e, (JSObjectRef)fn, NULL, r->args, value, exc);
}

int eddy_call(eddy_engine *e, const char *path, const eddy_value *args, eddy_value **result) {
  if (result) *result = NULL;
  if (!e || eddy__check_path(path) || check_args(args)) return EDDY_EINVAL;
  eddy__request r;
  memset(&r, 0, sizeof r);
  r.fn = call_path_request;
  r.await = 1;
  r.path = path;
  r.args = args;
  return eddy__submit_sync(e, &r, result);
}

static int check_fn_value(eddy_engine *e, const eddy_value *fn) {
  if (!fn || fn->type != EDDY_TYPE_FUNCTION) return EDDY_ETYPE;
  return fn->u.fn.ref->engine == e ? 0 : EDDY_EINVAL;
}

int eddy_call_value(eddy_engine *e, const eddy_value *fn, const eddy_value *args,
                    eddy_value **result) {
  if (result) *result = NULL;
  if (!e || check_args(args)) return EDDY_EINVAL;
  int st = check_fn_value(e, fn);
  if (st) return st;
  eddy__request r;
  memset(&r, 0, sizeof r);
  r.fn = call_value_request;
  r.await = 1;
  r.value = fn;
  r.args = args;
  return eddy__submit_sync(e, &r, result);
}

static int submit_call_async(eddy_engine *e, eddy__request_fn fn, const char *path,
                             const eddy_value *fnv, const eddy_value *args, eddy_done_cb cb,
                             void *userdata) {
  eddy__request *r = eddy__request_new_async(cb, userdata);
  if (!r) return EDDY_ENOMEM;
  r->fn = fn;
  r->await = 1;
  if (path && !(r->owned_path = strdup(path))) goto oom;
  if (args && !(r->owned_args = eddy_value_copy(args))) goto oom;
  if (fnv && !(r->owned_value = eddy_value_copy(fnv))) goto oom;
  r->path = r->owned_path;
  r->args = r->owned_args;
  r->value = r->owned_value;
  return eddy__submit_async(e, r);
oom:
  eddy__request_free(r);
  return EDDY_ENOMEM;
}

int eddy_call_async(eddy_engine *e, const char *path, const eddy_value *args, eddy_done_cb cb,
                    void *userdata) {
  if (!e || eddy__check_path(path) || check_args(args)) return EDDY_EINVAL;
  return submit_call_async(e, call_path_request, path, NULL, args, cb, userdata);
}

int eddy_call_value_async(eddy_engine *e, const eddy_value *fn, const eddy_value *args,
                          eddy_done_cb cb, void *userdata) {
  if (!e || check_args(args)) return EDDY_EINVAL;
  int st = check_fn_value(e, fn);
  if (st) return st;
  return submit_call_async(e, call_value_request, NULL, fn, args, cb, userdata);
}

/* ---- lifecycle ------------------------------------------------------------------------------- */

int eddy__bridge_init(eddy_engine *e) {
  eddy__calls *c = calloc(1, sizeof(*c));
  if (!c) return EDDY_ENOMEM;
  uv_mutex_init(&c->mu);
  e->calls = c;
  JSClassDefinition def = kJSClassDefinitionEmpty;
  def.className = "HostFunction";
  def.callAsFunction = host_call;
  def.finalize = host_finalize;
  e->host_fn_class = JSClassCreate(&def);
  def.className = "AsyncHostFunction";
  def.callAsFunction = async_call;
  e->async_fn_class = JSClassCreate(&def);
  return 0;
}

static void release_record(eddy_engine *e, call_record *rec) {
  JSValueUnprotect(e->ctx, rec->resolve);
  JSValueUnprotect(e->ctx, rec->reject);
  free(rec);
}

void eddy__bridge_close(eddy_engine *e) {
  eddy__calls *c = e->calls;
  if (!c) return;
  uv_mutex_lock(&c->mu);
  for (int i = 0; i < CALL_BUCKETS; i++) {
    while (c->buckets[i]) {
      call_record *rec = c->buckets[i];
      c->buckets[i] = rec->next;
      atomic_fetch_sub(&e->pending, 1);
      release_record(e, rec);
    }
  }
  while (c->cancelled) {
    call_record *rec = c->cancelled;
    c->cancelled = rec->next;
    release_record(e, rec);
  }
  c->closed = 1;
  uv_mutex_unlock(&c->mu);
}

/* eddy_settle may race with close on another thread, so the table outlives the teardown. */
void eddy__bridge_free(eddy_engine *e) {
  if (!e->calls) return;
  uv_mutex_destroy(&e->calls->mu);
  free(e->calls);
  e->calls = NULL;
}
