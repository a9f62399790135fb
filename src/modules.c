/* ES modules: the native side of src/js/modules.js (installed lazily, on the first import), the
   host's declared modules and loader callback, and the public eddy_import / eddy_call_export.
   The module semantics live in modules.js; the source transformation in module_parse.c. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "module_parse.h"

typedef struct declared_module {
  struct declared_module *next;
  char *name;
  char *source;
  size_t len;
  int taken; /* modules.js has read it: the module exists, it cannot be declared again */
} declared_module;

/* A question to the host's loader; answered inline (from the callback) or later, from any
   thread. */
typedef struct module_load {
  eddy__job job;
  struct module_load *next;
  uint64_t id;
  int answered;
  int found;
  int status; /* a failure status from the host, else 0 */
  int queued; /* the answer waits in the job queue */
  char *url;
  char *source;
  size_t len;
} module_load;

struct eddy__modules {
  uv_mutex_t mu; /* declared, loads, next_id: hosts declare and answer from any thread */
  declared_module *declared;
  module_load *loads;
  uint64_t next_id;
  uint64_t inline_id; /* JS thread: the load whose callback runs now */
  int installed;      /* JS thread */
};

static JSValueRef throw_error(JSContextRef ctx, JSValueRef *exc, const char *ctor,
                              const char *message) {
  *exc = eddy__make_error(ctx, ctor, message);
  return NULL;
}

static char *string_arg(JSContextRef ctx, size_t argc, const JSValueRef argv[], size_t i,
                        JSValueRef *exc) {
  if (i >= argc || !JSValueIsString(ctx, argv[i])) {
    throw_error(ctx, exc, "TypeError", "expected a string");
    return NULL;
  }
  JSStringRef s = JSValueToStringCopy(ctx, argv[i], exc);
  if (!s) return NULL;
  char *out = NULL;
  int st = eddy__jsstring_to_utf8(s, &out, NULL);
  JSStringRelease(s);
  if (st) throw_error(ctx, exc, "RangeError", "out of memory");
  return out;
}

static JSValueRef make_string(JSContextRef ctx, const char *s, size_t len) {
  JSStringRef js = eddy__jsstring_from_utf8(s, len);
  if (!js) return NULL;
  JSValueRef v = JSValueMakeString(ctx, js);
  JSStringRelease(js);
  return v;
}

/* ---- parsing and compiling ------------------------------------------------------------------- */

static JSValueRef syntax_error(JSContextRef ctx, JSValueRef *exc, const eddy__parse_result *r,
                               JSValueRef url) {
  JSObjectRef err = eddy__make_error(ctx, "SyntaxError", r->error);
  if (err) {
    JSObjectSetProperty(ctx, err, eddy__n.line, JSValueMakeNumber(ctx, r->error_line),
                        kJSPropertyAttributeNone, NULL);
    JSObjectSetProperty(ctx, err, eddy__n.column, JSValueMakeNumber(ctx, r->error_column),
                        kJSPropertyAttributeNone, NULL);
    if (url && JSValueIsString(ctx, url))
      JSObjectSetProperty(ctx, err, eddy__n.sourceURL, url, kJSPropertyAttributeNone, NULL);
    /* Its stack would be the loader's own frames: it is the position in the module instead. */
    char pos[48];
    snprintf(pos, sizeof pos, ":%u:%u", r->error_line, r->error_column);
    JSStringRef where = NULL;
    if (url && JSValueIsString(ctx, url)) {
      JSStringRef u = JSValueToStringCopy(ctx, url, NULL);
      char *u8 = NULL;
      if (u && !eddy__jsstring_to_utf8(u, &u8, NULL)) {
        size_t n = strlen(u8) + sizeof pos;
        char *text = malloc(n);
        if (text) {
          snprintf(text, n, "%s%s", u8, pos);
          where = JSStringCreateWithUTF8CString(text);
          free(text);
        }
      }
      free(u8);
      if (u) JSStringRelease(u);
    }
    if (!where) where = JSStringCreateWithUTF8CString("");
    JSObjectSetProperty(ctx, err, eddy__n.stack, JSValueMakeString(ctx, where),
                        kJSPropertyAttributeNone, NULL);
    JSStringRelease(where);
  }
  *exc = err;
  return NULL;
}

/* moduleParse(source, goal, importName, url) -> [code, metaJSON]; throws a SyntaxError with
   sourceURL, line and column. */
static JSValueRef native_module_parse(JSContextRef ctx, JSObjectRef f, JSObjectRef self,
                                      size_t argc, const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  if (argc < 2 || !JSValueIsString(ctx, argv[0]))
    return throw_error(ctx, exc, "TypeError", "moduleParse: expected a string");
  int goal = (int)JSValueToNumber(ctx, argv[1], NULL);
  JSStringRef src = JSValueToStringCopy(ctx, argv[0], exc);
  if (!src) return NULL;
  JSStringRef import_name = NULL;
  if (argc > 2 && JSValueIsString(ctx, argv[2])) import_name = JSValueToStringCopy(ctx, argv[2], NULL);
  eddy__parse_result r;
  memset(&r, 0, sizeof r);
  int st = eddy__module_parse(JSStringGetCharactersPtr(src), JSStringGetLength(src),
                              goal ? EDDY__PARSE_SCRIPT : EDDY__PARSE_MODULE,
                              import_name ? JSStringGetCharactersPtr(import_name) : NULL,
                              import_name ? JSStringGetLength(import_name) : 0, &r);
  JSStringRelease(src);
  if (import_name) JSStringRelease(import_name);
  JSValueRef result = NULL;
  if (st == 1) {
    syntax_error(ctx, exc, &r, argc > 3 ? argv[3] : NULL);
  } else if (st) {
    throw_error(ctx, exc, "RangeError", "out of memory while parsing a module");
  } else if (r.code_len > EDDY__JS_STRING_MAX) {
    /* The wrapper and rewrites can grow a source past what JSC can hold (it would abort). */
    throw_error(ctx, exc, "RangeError", "module source too long once transformed");
  } else {
    JSStringRef code = eddy__jsstring_from_utf16(r.code, r.code_len);
    JSValueRef items[2];
    items[0] = JSValueMakeString(ctx, code);
    JSStringRelease(code);
    items[1] = r.meta ? make_string(ctx, r.meta, r.meta_len) : JSValueMakeNull(ctx);
    result = JSObjectMakeArray(ctx, 2, items, exc);
  }
  eddy__parse_result_free(&r);
  return result;
}

/* moduleCompile(code, url) -> the module's generator function, evaluated as a classic script
   named url (so stacks and syntax errors show the module's own URL and lines). */
static JSValueRef native_module_compile(JSContextRef ctx, JSObjectRef f, JSObjectRef self,
                                        size_t argc, const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  if (argc < 2 || !JSValueIsString(ctx, argv[0]) || !JSValueIsString(ctx, argv[1]))
    return throw_error(ctx, exc, "TypeError", "moduleCompile: expected strings");
  JSStringRef code = JSValueToStringCopy(ctx, argv[0], exc);
  JSStringRef url = JSValueToStringCopy(ctx, argv[1], exc);
  JSValueRef v = NULL;
  if (code && url) {
    v = JSEvaluateScript(ctx, code, NULL, url, 1, exc);
    if (!v && *exc) eddy__add_syntax_column(eddy__engine_of(ctx), code, *exc);
  }
  if (code) JSStringRelease(code);
  if (url) JSStringRelease(url);
  return v;
}

/* ---- files ----------------------------------------------------------------------------------- */

/* readFile(path) -> its text (UTF-8, invalid sequences as U+FFFD), or null if there is none. */
static JSValueRef native_read_file(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                                   const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  char *path = string_arg(ctx, argc, argv, 0, exc);
  if (!path) return NULL;
  FILE *fp = fopen(path, "rb");
  if (!fp) {
    int err = errno;
    JSValueRef r = NULL;
    if (err == ENOENT || err == ENOTDIR) r = JSValueMakeNull(ctx);
    else {
      char msg[PATH_MAX + 64];
      snprintf(msg, sizeof msg, "cannot read %s: %s", path, strerror(err));
      throw_error(ctx, exc, "Error", msg);
    }
    free(path);
    return r;
  }
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    n += fread(buf + n, 1, cap - n, fp);
    if (n < cap) break;
    char *bigger = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
    if (!bigger) {
      free(buf);
      buf = NULL;
      break;
    }
    buf = bigger;
    cap *= 2;
  }
  int failed = ferror(fp);
  fclose(fp);
  JSValueRef r = NULL;
  if (!buf) {
    throw_error(ctx, exc, "RangeError", "out of memory reading a module");
  } else if (failed) {
    char msg[PATH_MAX + 64];
    snprintf(msg, sizeof msg, "cannot read %s: %s", path, strerror(EISDIR));
    throw_error(ctx, exc, "Error", msg);
  } else {
    r = make_string(ctx, buf, n);
    if (!r) throw_error(ctx, exc, "RangeError", "out of memory reading a module");
  }
  free(buf);
  free(path);
  return r;
}

/* fileKind(path) -> 0 nothing, 1 a file, 2 a directory. */
static JSValueRef native_file_kind(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                                   const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  char *path = string_arg(ctx, argc, argv, 0, exc);
  if (!path) return NULL;
  struct stat sb;
  int kind = stat(path, &sb) ? 0 : S_ISDIR(sb.st_mode) ? 2 : 1;
  free(path);
  return JSValueMakeNumber(ctx, kind);
}

/* realpath(path) -> the canonical path of an existing file, or null. */
static JSValueRef native_realpath(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                                  const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  char *path = string_arg(ctx, argc, argv, 0, exc);
  if (!path) return NULL;
  char *real = realpath(path, NULL);
  free(path);
  if (!real) return JSValueMakeNull(ctx);
  JSValueRef r = make_string(ctx, real, strlen(real));
  free(real);
  return r;
}

static JSValueRef native_cwd(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                             const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  (void)argc;
  (void)argv;
  char buf[PATH_MAX];
  if (!getcwd(buf, sizeof buf)) return throw_error(ctx, exc, "Error", "cannot read the working directory");
  return make_string(ctx, buf, strlen(buf));
}

/* ---- declared modules ------------------------------------------------------------------------ */

/* Module names a host declares are kept as given, but for "./" prefixes and "." / ".." segments
   of names that are not URLs, which modules.js resolves away the same way. */
static char *normalize_name(const char *name) {
  if (strchr(name, ':') || name[0] == '/') return strdup(name);
  size_t n = strlen(name);
  char *out = malloc(n + 1);
  if (!out) return NULL;
  size_t o = 0;
  const char *p = name;
  while (*p) {
    const char *end = strchr(p, '/');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if ((len == 1 && p[0] == '.') || len == 0) {
      /* skip */
    } else if (len == 2 && p[0] == '.' && p[1] == '.') {
      while (o > 0 && out[o - 1] != '/') o--;
      if (o > 0) o--;
    } else {
      if (o > 0) out[o++] = '/';
      memcpy(out + o, p, len);
      o += len;
    }
    p += len;
    if (*p == '/') p++;
  }
  out[o] = 0;
  return out;
}

int eddy_module_declare(eddy_engine *e, const char *specifier, const char *source, size_t len) {
  if (!e || !specifier || !*specifier || (!source && len)) return EDDY_EINVAL;
  eddy__modules *m = e->modules;
  char *name = normalize_name(specifier);
  char *copy = malloc(len ? len : 1);
  if (!name || !copy) {
    free(name);
    free(copy);
    return EDDY_ENOMEM;
  }
  if (len) memcpy(copy, source, len);
  uv_mutex_lock(&e->mu);
  int closed = e->closed;
  uv_mutex_unlock(&e->mu);
  if (closed) {
    free(name);
    free(copy);
    return EDDY_ECLOSED;
  }
  uv_mutex_lock(&m->mu);
  declared_module *d = m->declared;
  while (d && strcmp(d->name, name)) d = d->next;
  int st = 0;
  if (d && d->taken) {
    st = EDDY_EBUSY;
  } else if (d) {
    free(d->source);
    d->source = copy;
    d->len = len;
    copy = NULL;
  } else if (!(d = calloc(1, sizeof *d))) {
    st = EDDY_ENOMEM;
  } else {
    d->name = name;
    d->source = copy;
    d->len = len;
    d->next = m->declared;
    m->declared = d;
    name = copy = NULL;
  }
  uv_mutex_unlock(&m->mu);
  free(name);
  free(copy);
  return st;
}

/* moduleDeclared(name, take) -> the declared source, or undefined. take marks it as loaded. */
static JSValueRef native_module_declared(JSContextRef ctx, JSObjectRef f, JSObjectRef self,
                                         size_t argc, const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  eddy_engine *e = eddy__engine_of(ctx);
  char *name = string_arg(ctx, argc, argv, 0, exc);
  if (!name) return NULL;
  int take = argc > 1 && JSValueToBoolean(ctx, argv[1]);
  eddy__modules *m = e->modules;
  JSValueRef r = JSValueMakeUndefined(ctx);
  uv_mutex_lock(&m->mu);
  declared_module *d = m->declared;
  while (d && strcmp(d->name, name)) d = d->next;
  if (d) {
    r = make_string(ctx, d->source, d->len);
    if (take) d->taken = 1;
  }
  uv_mutex_unlock(&m->mu);
  free(name);
  if (!r) return throw_error(ctx, exc, "RangeError", "out of memory");
  return r;
}

/* ---- the host's loader ----------------------------------------------------------------------- */

static void load_free(module_load *l) {
  free(l->url);
  free(l->source);
  free(l);
}

/* Unlinks the load with that id; mu held. */
static module_load *take_load_locked(eddy__modules *m, uint64_t id) {
  for (module_load **p = &m->loads; *p; p = &(*p)->next) {
    if ((*p)->id == id) {
      module_load *l = *p;
      *p = l->next;
      return l;
    }
  }
  return NULL;
}

static void answer_run(eddy_engine *e, eddy__job *job) {
  module_load *l = EDDY__CONTAINER_OF(job, module_load, job);
  JSContextRef ctx = e->ctx;
  eddy__keepalive(e, -1);
  atomic_fetch_sub(&e->pending, 1);
  JSStringRef name = JSStringCreateWithUTF8CString("moduleAnswer");
  JSValueRef fn = JSObjectGetProperty(ctx, e->internal, name, NULL);
  JSStringRelease(name);
  JSValueRef argv[4];
  argv[0] = JSValueMakeNumber(ctx, (double)l->id);
  if (l->status) {
    argv[1] = JSValueMakeNumber(ctx, -1);
    argv[2] = eddy__make_error(ctx, "Error", eddy_strerror(l->status));
    argv[3] = JSValueMakeUndefined(ctx);
  } else {
    argv[1] = JSValueMakeNumber(ctx, l->found);
    argv[2] = l->found && l->url ? make_string(ctx, l->url, strlen(l->url)) : JSValueMakeNull(ctx);
    argv[3] = l->found ? make_string(ctx, l->source, l->len) : JSValueMakeNull(ctx);
  }
  if (JSValueIsObject(ctx, fn) && argv[2] && argv[3])
    eddy__call_detached(e, (JSObjectRef)fn, NULL, 4, argv);
  load_free(l);
}

static void answer_cancel(eddy_engine *e, eddy__job *job) {
  (void)e;
  load_free(EDDY__CONTAINER_OF(job, module_load, job));
}

int eddy_module_answer(eddy_engine *e, uint64_t load_id, const char *url, const char *source,
                       size_t len) {
  if (!e || (!source && len)) return EDDY_EINVAL;
  eddy__modules *m = e->modules;
  char *url_copy = NULL, *src_copy = NULL;
  if (source) {
    src_copy = malloc(len ? len : 1);
    url_copy = url ? strdup(url) : NULL;
    if (!src_copy || (url && !url_copy)) {
      free(src_copy);
      free(url_copy);
      return EDDY_ENOMEM;
    }
    if (len) memcpy(src_copy, source, len);
  }
  uv_mutex_lock(&m->mu);
  module_load *l = m->loads;
  while (l && l->id != load_id) l = l->next;
  if (!l || l->answered) {
    uv_mutex_unlock(&m->mu);
    free(src_copy);
    free(url_copy);
    return EDDY_ENOTFOUND;
  }
  l->answered = 1;
  l->found = source != NULL;
  l->source = src_copy;
  l->len = len;
  l->url = url_copy;
  int queue = l->id != m->inline_id;
  if (queue) {
    take_load_locked(m, load_id);
    l->queued = 1;
  }
  uv_mutex_unlock(&m->mu);
  if (queue && eddy__enqueue(e, &l->job)) {
    load_free(l);
    return EDDY_ECLOSED;
  }
  return 0;
}

/* moduleHostLoad(name, referrer) -> [url, source] when answered from the callback, null when the
   host does not know the module, or the load's id to wait for internal.moduleAnswer. */
static JSValueRef native_module_host_load(JSContextRef ctx, JSObjectRef f, JSObjectRef self,
                                          size_t argc, const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  eddy_engine *e = eddy__engine_of(ctx);
  eddy__modules *m = e->modules;
  char *name = string_arg(ctx, argc, argv, 0, exc);
  char *referrer = name ? string_arg(ctx, argc, argv, 1, exc) : NULL;
  module_load *l = referrer ? calloc(1, sizeof *l) : NULL;
  if (!l) {
    free(name);
    free(referrer);
    return *exc ? NULL : throw_error(ctx, exc, "RangeError", "out of memory");
  }
  l->job.run = answer_run;
  l->job.cancel = answer_cancel;
  uv_mutex_lock(&m->mu);
  l->id = ++m->next_id;
  l->next = m->loads;
  m->loads = l;
  uint64_t saved = m->inline_id;
  m->inline_id = l->id;
  uv_mutex_unlock(&m->mu);

  uint64_t id = l->id;
  int st = e->opts.module_loader(e, id, name, *referrer ? referrer : NULL, e->opts.module_loader_userdata);
  free(name);
  free(referrer);

  uv_mutex_lock(&m->mu);
  m->inline_id = saved;
  l = m->loads;
  while (l && l->id != id) l = l->next;
  JSValueRef r = NULL;
  if (st == EDDY_ENOTFOUND || (l && l->answered && !l->found) || (st && st != EDDY_ENOTFOUND)) {
    if (l) load_free(take_load_locked(m, id));
    uv_mutex_unlock(&m->mu);
    if (st && st != EDDY_ENOTFOUND) return throw_error(ctx, exc, "Error", eddy_strerror(st));
    return JSValueMakeNull(ctx);
  }
  if (l && l->answered) {
    take_load_locked(m, id);
    uv_mutex_unlock(&m->mu);
    JSValueRef items[2];
    items[0] = l->url ? make_string(ctx, l->url, strlen(l->url)) : argv[0];
    items[1] = make_string(ctx, l->source, l->len);
    load_free(l);
    if (!items[0] || !items[1]) return throw_error(ctx, exc, "RangeError", "out of memory");
    return JSObjectMakeArray(ctx, 2, items, exc);
  }
  uv_mutex_unlock(&m->mu);
  /* Answered later: the load is pending work, as an async host call is. */
  atomic_fetch_add(&e->pending, 1);
  eddy__keepalive(e, 1);
  r = JSValueMakeNumber(ctx, (double)id);
  return r;
}

/* ---- installing modules.js ------------------------------------------------------------------- */

int eddy__modules_install(eddy_engine *e, JSValueRef *exc) {
  eddy__modules *m = e->modules;
  if (m->installed) return 0;
  JSContextRef ctx = e->ctx;
  JSStringRef s = JSStringCreateWithUTF8CString("require");
  JSValueRef require = JSObjectGetProperty(ctx, e->internal, s, NULL);
  JSStringRelease(s);
  if (!JSValueIsObject(ctx, require)) return EDDY_EINVAL;
  JSValueRef file = make_string(ctx, "modules.js", 10);
  JSObjectCallAsFunction(ctx, (JSObjectRef)require, NULL, 1, &file, exc);
  if (*exc) return EDDY_EEXCEPTION;
  m->installed = 1;
  return 0;
}

/* Calls internal.<name>(args...) after installing the loader. */
static int call_internal(eddy_engine *e, const char *name, size_t argc, const JSValueRef argv[],
                         JSValueRef *value, JSValueRef *exc) {
  int st = eddy__modules_install(e, exc);
  if (st) return st;
  JSStringRef s = JSStringCreateWithUTF8CString(name);
  JSValueRef fn = JSObjectGetProperty(e->ctx, e->internal, s, NULL);
  JSStringRelease(s);
  if (!JSValueIsObject(e->ctx, fn)) return EDDY_EINVAL;
  return eddy__call_js(e, (JSObjectRef)fn, NULL, argc, argv, value, exc);
}

/* The global __eddy_import(referrer): what a classic script's import() is rewritten to call. */
static JSValueRef native_script_import(JSContextRef ctx, JSObjectRef f, JSObjectRef self,
                                       size_t argc, const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  eddy_engine *e = eddy__engine_of(ctx);
  JSValueRef value = NULL;
  JSValueRef ref = argc > 0 ? argv[0] : JSValueMakeUndefined(ctx);
  if (eddy__modules_install(e, exc)) return NULL;
  JSStringRef s = JSStringCreateWithUTF8CString("scriptImporter");
  JSValueRef fn = JSObjectGetProperty(ctx, e->internal, s, NULL);
  JSStringRelease(s);
  if (!JSValueIsObject(ctx, fn)) return NULL;
  value = JSObjectCallAsFunction(ctx, (JSObjectRef)fn, NULL, 1, &ref, exc);
  return value;
}

int eddy__modules_init(eddy_engine *e, JSObjectRef native) {
  eddy__modules *m = calloc(1, sizeof *m);
  if (!m) return EDDY_ENOMEM;
  if (uv_mutex_init(&m->mu)) {
    free(m);
    return EDDY_ENOMEM;
  }
  e->modules = m;
  JSContextRef ctx = e->ctx;
  eddy__set_function(ctx, native, "moduleParse", native_module_parse);
  eddy__set_function(ctx, native, "moduleCompile", native_module_compile);
  eddy__set_function(ctx, native, "moduleDeclared", native_module_declared);
  eddy__set_function(ctx, native, "moduleHostLoad", native_module_host_load);
  eddy__set_function(ctx, native, "readFile", native_read_file);
  eddy__set_function(ctx, native, "fileKind", native_file_kind);
  eddy__set_function(ctx, native, "realpath", native_realpath);
  eddy__set_function(ctx, native, "cwd", native_cwd);
  eddy__set_value(ctx, native, "moduleFiles", JSValueMakeBoolean(ctx, e->opts.module_files != 0));
  eddy__set_value(ctx, native, "hasModuleLoader", JSValueMakeBoolean(ctx, e->opts.module_loader != NULL));
  /* Not writable, not enumerable, not deletable: classic scripts' import() depends on it. */
  JSStringRef name = JSStringCreateWithUTF8CString("__eddy_import");
  JSObjectRef fn = JSObjectMakeFunctionWithCallback(ctx, name, native_script_import);
  JSObjectSetProperty(ctx, JSContextGetGlobalObject(ctx), name, fn,
                      kJSPropertyAttributeReadOnly | kJSPropertyAttributeDontEnum |
                          kJSPropertyAttributeDontDelete,
                      NULL);
  JSStringRelease(name);
  return 0;
}

/* Frees what the host declared and the loads never answered. Any thread, at teardown. */
void eddy__modules_free(eddy_engine *e) {
  eddy__modules *m = e->modules;
  if (!m) return;
  while (m->declared) {
    declared_module *d = m->declared;
    m->declared = d->next;
    free(d->name);
    free(d->source);
    free(d);
  }
  while (m->loads) {
    module_load *l = m->loads;
    m->loads = l->next;
    load_free(l);
  }
  uv_mutex_destroy(&m->mu);
  free(m);
  e->modules = NULL;
}

/* ---- classic scripts: import() --------------------------------------------------------------- */

/* A classic script's import() calls __eddy_import("<referrer>")(...). Returns a new string, or
   NULL to evaluate the source as it is (nothing to rewrite, or the parser gave up: JSC then
   reports the script's real syntax error). */
JSStringRef eddy__script_rewrite(JSStringRef src, const char *referrer) {
  const JSChar *chars = JSStringGetCharactersPtr(src);
  size_t n = JSStringGetLength(src);
  static const JSChar kw[] = {'i', 'm', 'p', 'o', 'r', 't'};
  int found = 0;
  for (size_t i = 0; i + 6 <= n && !found; i++)
    found = chars[i] == 'i' && !memcmp(chars + i, kw, sizeof kw);
  if (!found) return NULL;
  /* __eddy_import("referrer"): the referrer as a JS string literal. */
  size_t rlen = strlen(referrer);
  JSChar *name = malloc((rlen * 6 + 32) * sizeof(JSChar));
  if (!name) return NULL;
  size_t o = 0;
  for (const char *p = "__eddy_import(\""; *p; p++) name[o++] = (JSChar)*p;
  JSStringRef ref = eddy__jsstring_from_utf8(referrer, rlen);
  if (!ref) {
    free(name);
    return NULL;
  }
  const JSChar *rc = JSStringGetCharactersPtr(ref);
  size_t rn = JSStringGetLength(ref);
  static const char hex[] = "0123456789abcdef";
  for (size_t i = 0; i < rn; i++) {
    JSChar c = rc[i];
    if (c < 0x20 || c == '"' || c == '\\' || c == 0x2028 || c == 0x2029) {
      name[o++] = '\\';
      name[o++] = 'u';
      name[o++] = (JSChar)hex[(c >> 12) & 15];
      name[o++] = (JSChar)hex[(c >> 8) & 15];
      name[o++] = (JSChar)hex[(c >> 4) & 15];
      name[o++] = (JSChar)hex[c & 15];
    } else {
      name[o++] = c;
    }
  }
  JSStringRelease(ref);
  name[o++] = '"';
  name[o++] = ')';
  eddy__parse_result r;
  memset(&r, 0, sizeof r);
  int st = eddy__module_parse(chars, n, EDDY__PARSE_SCRIPT, name, o, &r);
  free(name);
  JSStringRef out = NULL;
  if (!st) out = eddy__jsstring_from_utf16(r.code, r.code_len); /* NULL: run it unrewritten */
  eddy__parse_result_free(&r);
  return out;
}

int eddy_detect_module(const char *source, size_t len) {
  if (!source && len) return EDDY_EINVAL;
  static const char *const words[] = {"import", "export", "await"};
  int any = 0;
  for (size_t w = 0; w < 3 && !any; w++) {
    size_t wl = strlen(words[w]);
    for (size_t i = 0; i + wl <= len && !any; i++) any = !memcmp(source + i, words[w], wl);
  }
  if (!any) return 0;
  uint16_t *u16 = NULL;
  size_t n = 0;
  int st = eddy__utf8_to_utf16((const uint8_t *)source, len, 0, &u16, &n);
  if (st) return st;
  eddy__parse_result r;
  memset(&r, 0, sizeof r);
  st = eddy__module_parse(u16, n, EDDY__PARSE_MODULE, NULL, 0, &r);
  int module = 0;
  if (st == 0 && r.meta) {
    /* Module syntax: a request, an export, top-level await, or import.meta (H.meta). */
    module = strstr(r.meta, "\"requests\":[{") || strstr(r.meta, "\"exports\":[{") ||
             strstr(r.meta, "\"reexports\":[{") || strstr(r.meta, "\"stars\":[0") ||
             strstr(r.meta, "\"stars\":[1") || strstr(r.meta, "\"tla\":true");
    if (!module) {
      const char *h = strstr(r.meta, "\"holder\":\"");
      if (h) {
        h += 10;
        const char *end = strchr(h, '"');
        size_t hl = end ? (size_t)(end - h) : 0;
        for (size_t i = 0; hl && i + hl + 5 <= r.code_len && !module; i++) {
          size_t k = 0;
          while (k < hl && r.code[i + k] == (uint16_t)h[k]) k++;
          if (k == hl) {
            static const char tail[] = ".meta";
            size_t t = 0;
            while (t < 5 && r.code[i + hl + t] == (uint16_t)tail[t]) t++;
            module = t == 5;
          }
        }
      }
    }
  }
  if (st == 0 && !module) {
    /* Declarations that leave no entry (`export {}`, TypeScript's marker of a module): the
       script goal refuses them. */
    eddy__parse_result script;
    memset(&script, 0, sizeof script);
    static const uint16_t name[] = {'i', 'm', 'p', 'o', 'r', 't'};
    module = eddy__module_parse(u16, n, EDDY__PARSE_SCRIPT, name, 6, &script) == 1;
    eddy__parse_result_free(&script);
  }
  eddy__parse_result_free(&r);
  free(u16);
  return module ? 1 : 0;
}

/* ---- public requests ------------------------------------------------------------------------- */

static int import_request(eddy_engine *e, eddy__request *r, JSValueRef *value, JSValueRef *exc) {
  JSValueRef spec = make_string(e->ctx, r->path, strlen(r->path));
  if (!spec) return EDDY_ENOMEM;
  return call_internal(e, "moduleImport", 1, &spec, value, exc);
}

static int call_export_request(eddy_engine *e, eddy__request *r, JSValueRef *value,
                               JSValueRef *exc) {
  JSContextRef ctx = e->ctx;
  JSValueRef argv[3];
  argv[0] = make_string(ctx, r->path, strlen(r->path));
  argv[1] = make_string(ctx, r->source, strlen(r->source));
  if (!argv[0] || !argv[1]) return EDDY_ENOMEM;
  if (r->args) {
    argv[2] = eddy__to_js(e, r->args, exc);
    if (!argv[2]) return EDDY_EEXCEPTION;
  } else {
    argv[2] = JSObjectMakeArray(ctx, 0, NULL, NULL);
  }
  return call_internal(e, "moduleCallExport", 3, argv, value, exc);
}

static int check_specifier(const char *s) { return s && *s ? 0 : EDDY_EINVAL; }

int eddy_import(eddy_engine *e, const char *specifier, eddy_value **namespace_out) {
  if (namespace_out) *namespace_out = NULL;
  if (!e || check_specifier(specifier)) return EDDY_EINVAL;
  eddy__request r;
  memset(&r, 0, sizeof r);
  r.fn = import_request;
  r.await = 1;
  r.path = specifier;
  return eddy__submit_sync(e, &r, namespace_out);
}

int eddy_import_async(eddy_engine *e, const char *specifier, eddy_done_cb cb, void *userdata) {
  if (!e || check_specifier(specifier)) return EDDY_EINVAL;
  eddy__request *r = eddy__request_new_async(cb, userdata);
  if (!r) return EDDY_ENOMEM;
  r->fn = import_request;
  r->await = 1;
  r->owned_path = strdup(specifier);
  if (!r->owned_path) {
    eddy__request_free(r);
    return EDDY_ENOMEM;
  }
  r->path = r->owned_path;
  return eddy__submit_async(e, r);
}


int eddy_call_export(eddy_engine *e, const char *specifier, const char *export_path,
                     const eddy_value *args, eddy_value **result) {
  if (result) *result = NULL;
  if (!e || check_specifier(specifier) || eddy__check_path(export_path) ||
      (args && eddy_value_type(args) != EDDY_TYPE_ARRAY))
    return EDDY_EINVAL;
  eddy__request r;
  memset(&r, 0, sizeof r);
  r.fn = call_export_request;
  r.await = 1;
  r.path = specifier;
  r.source = export_path;
  r.args = args;
  return eddy__submit_sync(e, &r, result);
}

int eddy_call_export_async(eddy_engine *e, const char *specifier, const char *export_path,
                           const eddy_value *args, eddy_done_cb cb, void *userdata) {
  if (!e || check_specifier(specifier) || eddy__check_path(export_path) ||
      (args && eddy_value_type(args) != EDDY_TYPE_ARRAY))
    return EDDY_EINVAL;
  eddy__request *r = eddy__request_new_async(cb, userdata);
  if (!r) return EDDY_ENOMEM;
  r->fn = call_export_request;
  r->await = 1;
  r->owned_path = strdup(specifier);
  r->owned_source = strdup(export_path);
  r->owned_args = args ? eddy_value_copy(args) : NULL;
  if (!r->owned_path || !r->owned_source || (args && !r->owned_args)) {
    eddy__request_free(r);
    return EDDY_ENOMEM;
  }
  r->path = r->owned_path;
  r->source = r->owned_source;
  r->args = r->owned_args;
  return eddy__submit_async(e, r);
}
