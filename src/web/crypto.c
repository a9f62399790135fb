/* native.cryptoRun / cryptoRandom / cryptoRandomUUID: the native half of crypto and SubtleCrypto
   (src/js/crypto.js and subtle.js; contract in src/js/README.md). The algorithms are in
   crypto_ops.c.

   cryptoRun(op, ...args) reads its arguments by the operation's signature below into a job, then
   either runs it at once on the JS thread and returns its result (or throws the DOMException it
   failed with), or, when the job can take long (RSA key generation, many PBKDF2 iterations,
   inputs over 64 KiB: ck_is_heavy), copies its input bytes, queues it on libuv's thread pool
   (uv_queue_work on the engine's loop) and returns a promise. The pool thread runs the job and
   touches nothing of JS; the loop thread then settles the promise as detached work, like a timer
   callback. A queued job counts in e->pending and, being an active libuv request, keeps the loop
   alive. At engine close each job still queued or running is cancelled: a queued one never runs,
   a running one is told to stop at its next check (ck_job.abort) and is freed, without JS, when
   its pool thread hands it back in the teardown's last loop run. */
#include <stdlib.h>
#include <string.h>

#include "../internal.h"
#include "crypto.h"

/* What a job returns to JS. */
enum {
  R_BYTES = 1, /* ArrayBuffer of out[0] */
  R_BOOL,      /* verified */
  R_KEY,       /* a key handle */
  R_PAIR,      /* [private handle, public handle] */
  R_INFO,      /* [handle, family, curve or modulus bits, public exponent (ArrayBuffer) or null] */
  R_LIST,      /* [ArrayBuffer or null, …] of every output */
};

/* Each operation's arguments after `op`, by kind: n a uint32, b bytes (a typed array, DataView or
   ArrayBuffer), B bytes or null/undefined, k a key handle. Kinds fill their own arrays in order. */
static const struct {
  const char *sig;
  int result;
} ops[CK_OP_COUNT] = {
    [CK_DIGEST] = {"nb", R_BYTES},              /* hash, data */
    [CK_HMAC_SIGN] = {"nkb", R_BYTES},          /* hash, key, data */
    [CK_HMAC_VERIFY] = {"nkbb", R_BOOL},        /* hash, key, data, signature */
    [CK_SIGN] = {"nnknb", R_BYTES},             /* scheme, hash, key, saltLength, data */
    [CK_VERIFY] = {"nnknbb", R_BOOL},           /* scheme, hash, key, saltLength, data, sig */
    [CK_AES_CBC] = {"nkbb", R_BYTES},           /* encrypt, key, data, iv */
    [CK_AES_CTR] = {"nknbb", R_BYTES},          /* encrypt, key, length, data, counter */
    [CK_AES_GCM] = {"nknbbB", R_BYTES},         /* encrypt, key, tagLength, data, iv, aad */
    [CK_AES_KW] = {"nkb", R_BYTES},             /* wrap, key, data */
    [CK_RSA_OAEP] = {"nnkbB", R_BYTES},         /* encrypt, hash, key, data, label */
    [CK_PBKDF2] = {"nknnb", R_BYTES},           /* hash, key, iterations, bytes, salt */
    [CK_HKDF] = {"nknbb", R_BYTES},             /* hash, key, bytes, salt, info */
    [CK_DH] = {"kk", R_BYTES},                  /* private key, public key */
    [CK_GEN_SECRET] = {"n", R_KEY},             /* bytes */
    [CK_GEN_RSA] = {"nb", R_PAIR},              /* modulus bits, public exponent */
    [CK_GEN_EC] = {"n", R_PAIR},                /* curve */
    [CK_GEN_OKP] = {"n", R_PAIR},               /* CFRG type */
    [CK_IMPORT_SECRET] = {"b", R_KEY},          /* bytes */
    [CK_IMPORT_SPKI] = {"b", R_INFO},           /* DER */
    [CK_IMPORT_PKCS8] = {"b", R_INFO},          /* DER */
    [CK_IMPORT_EC_RAW] = {"nb", R_KEY},         /* curve, point */
    [CK_IMPORT_OKP_RAW] = {"nb", R_KEY},        /* CFRG type, public key */
    [CK_IMPORT_RSA_JWK] = {"BBBBBBBB", R_INFO}, /* n e d p q dp dq qi */
    [CK_IMPORT_EC_JWK] = {"nbbB", R_KEY},       /* curve, x, y, d */
    [CK_IMPORT_OKP_JWK] = {"nbB", R_KEY},       /* CFRG type, x, d */
    [CK_EXPORT_SECRET] = {"k", R_BYTES},
    [CK_EXPORT_SPKI] = {"k", R_BYTES},
    [CK_EXPORT_PKCS8] = {"k", R_BYTES},
    [CK_EXPORT_RAW] = {"k", R_BYTES},
    [CK_EXPORT_JWK] = {"k", R_LIST},
};

typedef struct job job;
struct job {
  uv_work_t req;
  eddy__crypto *c;
  job *prev, *next; /* c->live */
  JSObjectRef resolve, reject; /* protected while queued */
  ck_job j;
};

/* Per engine, made with its first queued job. Outlives eddy__crypto_close while cancelled jobs
   are still on pool threads: the last one to come back frees it. */
struct eddy__crypto {
  eddy_engine *e;
  job *live; /* queued or running on the pool */
  int closed;
};

/* The handle JS holds for a key (kept in a CryptoKey's private field, never shown to scripts).
   The class is process-wide: it names no engine. */
static JSClassRef key_class;
static uv_once_t key_class_once = UV_ONCE_INIT;

static void key_finalize(JSObjectRef o) { ck_key_unref(JSObjectGetPrivate(o)); }

static void key_class_create(void) {
  JSClassDefinition def = kJSClassDefinitionEmpty;
  def.className = "CryptoKeyHandle";
  def.finalize = key_finalize;
  key_class = JSClassCreate(&def);
}

/* ---- results --------------------------------------------------------------------------------- */

static void free_bytes(void *bytes, void *ctx) {
  (void)ctx;
  free(bytes);
}

/* An ArrayBuffer taking over out[i] (NULL for an absent output: null). */
static JSValueRef take_bytes(JSContextRef ctx, ck_job *j, int i, JSValueRef *exc) {
  if (!j->out[i]) return JSValueMakeNull(ctx);
  if ((uint64_t)j->out_len[i] > EDDY__JS_BYTES_MAX) {
    *exc = eddy__make_error(ctx, "RangeError", "the result is larger than an ArrayBuffer can be");
    return NULL;
  }
  JSObjectRef ab =
      JSObjectMakeArrayBufferWithBytesNoCopy(ctx, j->out[i], j->out_len[i], free_bytes, NULL, exc);
  if (ab) j->out[i] = NULL;
  return ab;
}

static JSValueRef take_key(JSContextRef ctx, ck_job *j, int i) {
  JSObjectRef o = JSObjectMake(ctx, key_class, j->rk[i]);
  j->rk[i] = NULL; /* the finalizer owns it now */
  return o;
}

static JSValueRef to_js(JSContextRef ctx, ck_job *j, int kind, JSValueRef *exc) {
  switch (kind) {
  case R_BYTES: return take_bytes(ctx, j, 0, exc);
  case R_BOOL: return JSValueMakeBoolean(ctx, j->verified);
  case R_KEY: return take_key(ctx, j, 0);
  case R_PAIR: {
    JSValueRef pair[2] = {take_key(ctx, j, 0), take_key(ctx, j, 1)};
    return JSObjectMakeArray(ctx, 2, pair, exc);
  }
  case R_INFO: {
    JSValueRef v[4] = {take_key(ctx, j, 0), JSValueMakeNumber(ctx, j->rn[0]),
                       JSValueMakeNumber(ctx, j->rn[1]), JSValueMakeNull(ctx)};
    if (j->nout > 0 && !(v[3] = take_bytes(ctx, j, 0, exc))) return NULL;
    return JSObjectMakeArray(ctx, 4, v, exc);
  }
  default: {
    JSValueRef v[CK_MAX_OUT];
    for (int i = 0; i < j->nout; i++)
      if (!(v[i] = take_bytes(ctx, j, i, exc))) return NULL;
    return JSObjectMakeArray(ctx, (size_t)j->nout, v, exc);
  }
  }
}

/* The DOMException of a failed job (internal.DOMException, from events.js). */
static JSValueRef error_of(eddy_engine *e, const ck_job *j) {
  static const char *const names[] = {
      [CK_OPERATION] = "OperationError",  [CK_DATA] = "DataError",
      [CK_NOTSUP] = "NotSupportedError",  [CK_ACCESS] = "InvalidAccessError",
      [CK_NOMEM] = "OperationError",      [CK_ABORTED] = "AbortError"};
  JSContextRef ctx = e->ctx;
  const char *name = j->err > 0 && j->err <= CK_ABORTED ? names[j->err] : "OperationError";
  const char *msg = j->msg ? j->msg : "the operation failed";
  JSStringRef key = JSStringCreateWithUTF8CString("DOMException");
  JSValueRef ctor = JSObjectGetProperty(ctx, e->internal, key, NULL);
  JSStringRelease(key);
  if (ctor && JSValueIsObject(ctx, ctor) && JSObjectIsConstructor(ctx, (JSObjectRef)ctor)) {
    JSStringRef m = JSStringCreateWithUTF8CString(msg), n = JSStringCreateWithUTF8CString(name);
    JSValueRef args[2] = {JSValueMakeString(ctx, m), JSValueMakeString(ctx, n)};
    JSStringRelease(m);
    JSStringRelease(n);
    JSValueRef exc = NULL;
    JSObjectRef err = JSObjectCallAsConstructor(ctx, (JSObjectRef)ctor, 2, args, &exc);
    if (err) return err;
  }
  return eddy__make_error(ctx, "Error", msg);
}

/* ---- arguments ------------------------------------------------------------------------------ */

/* Bytes of a typed array, DataView or ArrayBuffer, borrowed: valid until JS runs again. */
static int borrow_bytes(JSContextRef ctx, JSValueRef v, ck_bytes *b, JSValueRef *exc) {
  JSTypedArrayType t = JSValueGetTypedArrayType(ctx, v, NULL);
  JSObjectRef o = (JSObjectRef)v;
  if (t == kJSTypedArrayTypeArrayBuffer) {
    b->p = JSObjectGetArrayBufferBytesPtr(ctx, o, exc);
    b->len = JSObjectGetArrayBufferByteLength(ctx, o, exc);
  } else if (t != kJSTypedArrayTypeNone) {
    /* The pointer is the start of the underlying buffer, not of the view. */
    const uint8_t *p = JSObjectGetTypedArrayBytesPtr(ctx, o, exc);
    b->len = JSObjectGetTypedArrayByteLength(ctx, o, exc);
    b->p = p ? p + JSObjectGetTypedArrayByteOffset(ctx, o, exc) : NULL;
  } else {
    eddy__throw_type_error(ctx, exc, "cryptoRun: expected bytes");
    return -1;
  }
  if (*exc) return -1;
  if (!b->p) b->len = 0;
  b->present = 1;
  return 0;
}

static int read_args(JSContextRef ctx, job *jb, const char *sig, size_t argc,
                     const JSValueRef argv[], JSValueRef *exc) {
  ck_job *j = &jb->j;
  int ni = 0, bi = 0, ki = 0;
  for (size_t i = 0; sig[i]; i++) {
    JSValueRef v = i + 1 < argc ? argv[i + 1] : JSValueMakeUndefined(ctx);
    switch (sig[i]) {
    case 'n': {
      double d = JSValueToNumber(ctx, v, exc);
      if (*exc) return -1;
      if (!(d >= 0 && d <= 4294967295.0)) {
        eddy__throw_type_error(ctx, exc, "cryptoRun: expected an unsigned 32-bit integer");
        return -1;
      }
      j->n[ni++] = (uint32_t)d;
      break;
    }
    case 'B':
      if (JSValueIsUndefined(ctx, v) || JSValueIsNull(ctx, v)) {
        bi++;
        break;
      }
      /* fall through */
    case 'b':
      if (borrow_bytes(ctx, v, &j->b[bi++], exc)) return -1;
      break;
    default: { /* 'k' */
      if (!JSValueIsObjectOfClass(ctx, v, key_class)) {
        eddy__throw_type_error(ctx, exc, "cryptoRun: expected a key handle");
        return -1;
      }
      ck_key *k = JSObjectGetPrivate((JSObjectRef)v);
      ck_key_ref(k);
      j->k[ki++] = k;
      break;
    }
    }
  }
  return 0;
}

/* ---- the pool ------------------------------------------------------------------------------- */

static void job_free(job *jb) {
  ck_job_clear(&jb->j);
  free(jb);
}

static void live_remove(eddy__crypto *c, job *jb) {
  if (jb->prev) jb->prev->next = jb->next;
  else c->live = jb->next;
  if (jb->next) jb->next->prev = jb->prev;
  jb->prev = jb->next = NULL;
}

static void on_work(uv_work_t *req) {
  job *jb = EDDY__CONTAINER_OF(req, job, req);
  ck_run(&jb->j); /* no JS here */
}

static void on_work_done(uv_work_t *req, int status) {
  job *jb = EDDY__CONTAINER_OF(req, job, req);
  eddy__crypto *c = jb->c;
  live_remove(c, jb);
  if (c->closed) {
    /* Cancelled at close, which already released its JS values and its pending count. */
    job_free(jb);
    if (!c->live) free(c);
    return;
  }
  eddy_engine *e = c->e;
  JSContextRef ctx = e->ctx;
  /* Whoever awaits this promise may look at eddy_pending() as soon as it settles. */
  atomic_fetch_sub(&e->pending, 1);
  if (!atomic_load(&e->closing) && status == 0) {
    JSValueRef exc = NULL, v = NULL;
    if (!jb->j.err) v = to_js(ctx, &jb->j, ops[jb->j.op].result, &exc);
    int ok = !jb->j.err && v;
    if (!ok) v = jb->j.err ? error_of(e, &jb->j) : exc;
    eddy__call_detached(e, ok ? jb->resolve : jb->reject, NULL, 1, &v);
  }
  JSValueUnprotect(ctx, jb->resolve);
  JSValueUnprotect(ctx, jb->reject);
  job_free(jb);
}

/* Takes copies of the borrowed inputs, then queues jb; returns the promise it settles, or NULL
   with *exc set (jb freed). */
static JSValueRef queue(eddy_engine *e, job *jb, JSValueRef *exc) {
  JSContextRef ctx = e->ctx;
  for (int i = 0; i < CK_MAX_BYTES; i++) {
    ck_bytes *b = &jb->j.b[i];
    if (!b->present || !b->len) continue;
    if (!(b->owned = malloc(b->len))) {
      job_free(jb);
      return eddy__throw_type_error(ctx, exc, "out of memory");
    }
    memcpy(b->owned, b->p, b->len);
    b->p = b->owned;
  }
  eddy__crypto *c = e->crypto;
  if (!c && (c = e->crypto = calloc(1, sizeof(*c)))) c->e = e;
  JSObjectRef promise = c ? JSObjectMakeDeferredPromise(ctx, &jb->resolve, &jb->reject, exc) : NULL;
  if (!promise) {
    job_free(jb);
    return c ? NULL : eddy__throw_type_error(ctx, exc, "out of memory");
  }
  jb->c = c;
  if (uv_queue_work(&e->loop, &jb->req, on_work, on_work_done)) {
    job_free(jb);
    return eddy__throw_type_error(ctx, exc, "cannot queue work on the thread pool");
  }
  JSValueProtect(ctx, jb->resolve);
  JSValueProtect(ctx, jb->reject);
  jb->next = c->live;
  if (c->live) c->live->prev = jb;
  c->live = jb;
  atomic_fetch_add(&e->pending, 1);
  return promise;
}

/* ---- natives -------------------------------------------------------------------------------- */

static JSValueRef native_run(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                             const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  eddy_engine *e = eddy__engine_of(ctx);
  double op = argc > 0 ? JSValueToNumber(ctx, argv[0], exc) : 0;
  if (*exc) return NULL;
  if (!(op >= 1 && op < CK_OP_COUNT)) return eddy__throw_type_error(ctx, exc, "cryptoRun: unknown operation");
  job *jb = calloc(1, sizeof(*jb));
  if (!jb) return eddy__throw_type_error(ctx, exc, "out of memory");
  jb->j.op = (int)op;
  atomic_init(&jb->j.abort, 0);
  if (read_args(ctx, jb, ops[jb->j.op].sig, argc, argv, exc)) {
    job_free(jb);
    return NULL;
  }
  /* Once the engine is closing, nothing more goes to the pool: the job runs here. */
  if (ck_is_heavy(&jb->j) && !atomic_load(&e->closing)) return queue(e, jb, exc);
  JSValueRef v = NULL;
  if (ck_run(&jb->j)) *exc = error_of(e, &jb->j);
  else v = to_js(ctx, &jb->j, ops[jb->j.op].result, exc);
  job_free(jb);
  return v;
}

static JSValueRef native_random(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                                const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  ck_bytes b = {0};
  if (argc < 1 || borrow_bytes(ctx, argv[0], &b, exc)) return NULL;
  if (ck_random((uint8_t *)b.p, b.len))
    return eddy__throw_type_error(ctx, exc, "the random number generator failed");
  return argv[0];
}

/* RFC 9562 §5.4: a version 4 UUID in its lower-case string form. */
static JSValueRef native_uuid(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                              const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  (void)argc;
  (void)argv;
  static const char hex[] = "0123456789abcdef";
  uint8_t r[16];
  if (ck_random(r, sizeof r)) return eddy__throw_type_error(ctx, exc, "the random number generator failed");
  r[6] = (uint8_t)((r[6] & 0x0F) | 0x40);
  r[8] = (uint8_t)((r[8] & 0x3F) | 0x80);
  char s[37];
  size_t k = 0;
  for (int i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s[k++] = '-';
    s[k++] = hex[r[i] >> 4];
    s[k++] = hex[r[i] & 15];
  }
  s[k] = '\0';
  JSStringRef str = JSStringCreateWithUTF8CString(s);
  JSValueRef v = JSValueMakeString(ctx, str);
  JSStringRelease(str);
  return v;
}

int eddy__crypto_init(eddy_engine *e, JSObjectRef native) {
  uv_once(&key_class_once, key_class_create);
  eddy__set_function(e->ctx, native, "cryptoRun", native_run);
  eddy__set_function(e->ctx, native, "cryptoRandom", native_random);
  eddy__set_function(e->ctx, native, "cryptoRandomUUID", native_uuid);
  return 0;
}

void eddy__crypto_close(eddy_engine *e) {
  eddy__crypto *c = e->crypto;
  if (!c) return;
  e->crypto = NULL;
  c->closed = 1;
  for (job *jb = c->live; jb; jb = jb->next) {
    atomic_store(&jb->j.abort, 1);
    uv_cancel((uv_req_t *)&jb->req); /* fails (harmlessly) for one already running */
    JSValueUnprotect(e->ctx, jb->resolve);
    JSValueUnprotect(e->ctx, jb->reject);
    atomic_fetch_sub(&e->pending, 1);
  }
  if (!c->live) free(c);
}
