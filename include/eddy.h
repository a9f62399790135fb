/*
 * eddy — an embeddable JavaScript runtime whose async work resolves on its own.
 *
 * This is the only header a host needs. Every function is thread-safe unless its comment says
 * otherwise; "JS thread" means the thread that is running JavaScript for the engine at that moment
 * (the driver thread while the driver runs, otherwise the thread inside an eddy call).
 *
 * Conventions
 * - Status codes: 0 (EDDY_OK) is success, a negative int is an error; eddy_strerror() names it.
 * - When a function that takes a callback returns an error, the callback is never called.
 * - Strings passed in are UTF-8 with an explicit length where a length parameter exists (embedded
 *   NUL bytes are then allowed); invalid UTF-8 sequences are replaced with U+FFFD.
 * - Strings returned are UTF-8, NUL-terminated, and borrowed unless stated otherwise.
 */
#ifndef EDDY_H
#define EDDY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#  define EDDY_EXTERN __declspec(dllexport)
#elif defined(__GNUC__)
#  define EDDY_EXTERN __attribute__((visibility("default")))
#else
#  define EDDY_EXTERN
#endif

#define EDDY_VERSION_MAJOR 0
#define EDDY_VERSION_MINOR 1
#define EDDY_VERSION_PATCH 0
#define EDDY_VERSION_STRING "0.1.0"
/* Compare with eddy_version_number() to check that header and library agree. */
#define EDDY_VERSION_NUMBER \
  (EDDY_VERSION_MAJOR * 10000 + EDDY_VERSION_MINOR * 100 + EDDY_VERSION_PATCH)

/* Status codes. The numbers never change once released. */
#define EDDY_ERRNO_MAP(XX)                                                          \
  XX(OK, 0, "success")                                                              \
  XX(EINVAL, -1, "invalid argument")                                                \
  XX(ENOMEM, -2, "out of memory")                                                   \
  XX(EEXCEPTION, -3, "JavaScript threw an exception")                              \
  XX(ECLOSED, -4, "engine is closed")                                               \
  XX(EINTERRUPTED, -5, "JavaScript execution was interrupted")                     \
  XX(ETIMEDOUT, -6, "timed out")                                                    \
  XX(EBUSY, -7, "engine is busy (driver running, or cannot wait here)")             \
  XX(ENOTFOUND, -8, "not found")                                                    \
  XX(ETYPE, -9, "value has another type")                                           \
  XX(ERANGE, -10, "index or size out of range")                                     \
  XX(EPENDING, -11, "promise can never settle: no async work remains")              \
  XX(ETHREAD, -12, "could not start a thread")                                      \
  XX(EIO, -13, "I/O or event loop failure")                                         \
  XX(ENOTSUP, -14, "not supported by this JavaScriptCore (eddy_jsc_features)")

typedef enum {
#define EDDY__ERR_ENUM(name, value, text) EDDY_##name = value,
  EDDY_ERRNO_MAP(EDDY__ERR_ENUM)
#undef EDDY__ERR_ENUM
  EDDY__ERR_LAST = -15
} eddy_status;

/* A static English description of status; "unknown status" for numbers eddy does not know. */
EDDY_EXTERN const char *eddy_strerror(int status);
/* The symbolic name ("EDDY_EINVAL") of status; "EDDY_UNKNOWN" for numbers eddy does not know. */
EDDY_EXTERN const char *eddy_err_name(int status);

EDDY_EXTERN const char *eddy_version(void);        /* "0.1.0", static */
EDDY_EXTERN int eddy_version_number(void);         /* EDDY_VERSION_NUMBER of the library */

typedef struct eddy_engine eddy_engine;
typedef struct eddy_value eddy_value;

/* ------------------------------------------------------------------------------------------------
 * Values: a host-side immutable tree copied out of JS, independent of the engine, safe to hand to
 * any thread. Every eddy_value* the host receives is owned by the host and freed with
 * eddy_value_free(), unless the comment says "borrowed".
 * ---------------------------------------------------------------------------------------------- */
typedef enum {
  EDDY_TYPE_UNDEFINED = 0,
  EDDY_TYPE_NULL = 1,
  EDDY_TYPE_BOOLEAN = 2,
  EDDY_TYPE_NUMBER = 3,
  EDDY_TYPE_BIGINT = 4,   /* decimal string, e.g. "-12345678901234567890" */
  EDDY_TYPE_STRING = 5,   /* UTF-8; lone surrogates from JS become U+FFFD; symbols arrive as
                             their String() ("Symbol(desc)") */
  EDDY_TYPE_BYTES = 6,    /* ArrayBuffer, typed array or DataView (copied); to JS: Uint8Array */
  EDDY_TYPE_ARRAY = 7,    /* also a Map ([key, value] arrays) and a Set (values); RegExp arrives
                             as a STRING "/source/flags", wrapper objects as their primitive */
  EDDY_TYPE_OBJECT = 8,   /* own enumerable string keys, in JS order */
  EDDY_TYPE_DATE = 9,     /* milliseconds since the epoch */
  EDDY_TYPE_ERROR = 10,   /* fields: name, message, stack; when known: line, column, fileName,
                             code, cause; for a thrown non-Error, thrown (the value itself) */
  EDDY_TYPE_FUNCTION = 11 /* a JS function the host may call later: eddy_call_value() */
} eddy_type;

EDDY_EXTERN void eddy_value_free(eddy_value *v);   /* NULL is fine; frees the whole tree */
/* A deep copy (function values share the same JS function). NULL on out-of-memory. */
EDDY_EXTERN eddy_value *eddy_value_copy(const eddy_value *v);

EDDY_EXTERN eddy_type eddy_value_type(const eddy_value *v);   /* NULL reads as UNDEFINED */
EDDY_EXTERN int eddy_value_bool(const eddy_value *v);          /* 1/0; 0 if not a boolean */
EDDY_EXTERN double eddy_value_number(const eddy_value *v);     /* number or date; else NaN */
/* Pointer + length of a string, bigint, error message or function name; borrowed, lives as long as
   v; NUL-terminated. NULL (and *len = 0) for other types. len may be NULL. */
EDDY_EXTERN const char *eddy_value_string(const eddy_value *v, size_t *len);
/* Bytes of a bytes value; borrowed, lives as long as v (non-NULL even when empty). NULL for
   other types. */
EDDY_EXTERN const uint8_t *eddy_value_bytes(const eddy_value *v, size_t *len);
/* Number of elements (array), keys (object), fields (error) or bytes (bytes); 0 otherwise. */
EDDY_EXTERN size_t eddy_value_length(const eddy_value *v);
/* Element i of an array or value of key i of an object; borrowed. NULL when out of range. */
EDDY_EXTERN const eddy_value *eddy_value_at(const eddy_value *v, size_t i);
/* Key i of an object (borrowed, NUL-terminated). NULL when out of range. len may be NULL. */
EDDY_EXTERN const char *eddy_value_key(const eddy_value *v, size_t i, size_t *len);
/* Value under key (NUL-terminated) of an object, or of an error's fields (see
   EDDY_TYPE_ERROR); borrowed. NULL when absent. */
EDDY_EXTERN const eddy_value *eddy_value_get(const eddy_value *v, const char *key);
/* Error fields, borrowed; "" when absent. */
EDDY_EXTERN const char *eddy_value_error_name(const eddy_value *v);
EDDY_EXTERN const char *eddy_value_error_message(const eddy_value *v);
EDDY_EXTERN const char *eddy_value_error_stack(const eddy_value *v);

/* Constructors. Each returns a new value the caller owns, or NULL on out-of-memory. Strings and
   bytes are copied; invalid UTF-8 is replaced with U+FFFD. */
EDDY_EXTERN eddy_value *eddy_value_new_undefined(void);
EDDY_EXTERN eddy_value *eddy_value_new_null(void);
EDDY_EXTERN eddy_value *eddy_value_new_bool(int b);
EDDY_EXTERN eddy_value *eddy_value_new_number(double d);
EDDY_EXTERN eddy_value *eddy_value_new_bigint(const char *decimal);  /* NULL if not an integer */
EDDY_EXTERN eddy_value *eddy_value_new_string(const char *s, size_t len);
EDDY_EXTERN eddy_value *eddy_value_new_cstring(const char *s);        /* NUL-terminated */
EDDY_EXTERN eddy_value *eddy_value_new_bytes(const void *data, size_t len);
EDDY_EXTERN eddy_value *eddy_value_new_date(double ms_since_epoch);
EDDY_EXTERN eddy_value *eddy_value_new_array(void);
EDDY_EXTERN eddy_value *eddy_value_new_object(void);
/* name: "Error", "TypeError", "RangeError"…; to JS it becomes an instance of that constructor. */
EDDY_EXTERN eddy_value *eddy_value_new_error(const char *name, const char *message);
/* Appends item to an array; takes ownership of item, also on error (then it is freed). */
EDDY_EXTERN int eddy_value_push(eddy_value *array, eddy_value *item);
/* Sets key on an object (replacing an existing key in place); takes ownership of item, also on
   error. */
EDDY_EXTERN int eddy_value_set(eddy_value *object, const char *key, eddy_value *item);

/* Strict JSON (RFC 8259). to_json: *out is a malloc'd NUL-terminated string the caller frees with
   eddy_free(); undefined/functions inside objects are skipped like JSON.stringify, bytes become an
   array of numbers, dates ISO strings, errors {name,message}; nesting deeper than 1000, or a
   text longer than 2^31 - 1 bytes, is EDDY_ERANGE. from_json: bad JSON → EDDY_EINVAL and, if
   error_offset is not NULL, the byte offset of the problem; nesting deeper than 1000: EDDY_ERANGE
   (error_offset at the bracket that opens level 1001). */
EDDY_EXTERN int eddy_value_to_json(const eddy_value *v, char **out, size_t *out_len);
EDDY_EXTERN int eddy_value_from_json(const char *json, size_t len, eddy_value **out,
                                     size_t *error_offset);
EDDY_EXTERN void eddy_free(void *p);   /* frees memory eddy allocated for the host */

/* CBOR (RFC 8949), lossless for every type (docs/values.md#cbor): one buffer that any language's
   CBOR decoder reads, instead of a walk with several FFI calls per node. Numbers are integers
   within ±2^53 and the shortest exact float otherwise; bigints tag 2/3 bignums; bytes byte
   strings; dates tag 1 (epoch seconds, a float); undefined simple value 23; errors
   27(["Error", {fields}]); functions 27(["Function", name]) (written, never read back:
   EDDY_ETYPE). to_cbor: *out is malloc'd (free with eddy_free), nesting deeper than 1000 is
   EDDY_ERANGE. from_cbor: exactly one item of len bytes; integers beyond ±2^53 become bigints,
   tags 0 (RFC 3339 text) and 1 dates, tag 64 bytes, invalid UTF-8 U+FFFD; malformed or
   truncated input, another tag or simple value, a map key that is not a text string or an
   integer, trailing bytes: EDDY_EINVAL with *error_offset (may be NULL) at the item at fault
   (len when truncated); nesting deeper than 1000: EDDY_ERANGE. Never a buffer sized from a
   length the input claims. Both never touch an engine; any thread. */
EDDY_EXTERN int eddy_value_to_cbor(const eddy_value *v, uint8_t **out, size_t *out_len);
EDDY_EXTERN int eddy_value_from_cbor(const uint8_t *cbor, size_t len, eddy_value **out,
                                     size_t *error_offset);

/* ------------------------------------------------------------------------------------------------
 * Engine
 * ---------------------------------------------------------------------------------------------- */
typedef enum {
  EDDY_LOG_DEBUG = 0,
  EDDY_LOG_INFO = 1,   /* console.log, console.info */
  EDDY_LOG_WARN = 2,
  EDDY_LOG_ERROR = 3
} eddy_log_level;

/* Receives console output: one call per console call, text is UTF-8 without a trailing newline,
   borrowed for the duration of the call (owned by the callback with owned_callback_data).
   Called on the JS thread. May be asynchronous on the host side (return before the host reads
   text) only with owned_callback_data. */
typedef void (*eddy_log_cb)(eddy_engine *e, int level, const char *text, size_t len,
                            void *userdata);

typedef enum {
  EDDY_ERROR_UNCAUGHT = 1,            /* a timer, callback or event listener threw */
  EDDY_ERROR_UNHANDLED_REJECTION = 2, /* a promise rejected with no handler after the microtask
                                         checkpoint */
  EDDY_ERROR_INTERRUPTED = 3,         /* detached JS was interrupted (eddy_interrupt, time limit) */
  EDDY_ERROR_MEMORY_LIMIT = 4         /* detached JS was stopped by memory_limit (a RangeError
                                         "memory limit exceeded") */
} eddy_error_kind;

/* Receives errors of detached async work, after listeners on globalThis ('error',
   'unhandledrejection') had their chance to preventDefault(). error is borrowed (copy it with
   eddy_value_copy to keep it; owned by the callback with owned_callback_data). Called on the JS
   thread; may call back into the engine (inline). May be asynchronous on the host side only with
   owned_callback_data (then any thread-safe eddy call is fine from wherever it runs later). */
typedef void (*eddy_error_cb)(eddy_engine *e, int kind, const eddy_value *error, void *userdata);

/* A host's module loader (eddy_options.module_loader). Called on the JS thread for each module
   specifier the engine meets for the first time that no eddy_module_declare'd module matches:
   specifier is resolved against the importing module (relative ones made absolute, bare ones as
   written), referrer is the importer's URL or name (NULL for eddy_import). Both are borrowed
   for the call. Return EDDY_ENOTFOUND if the host does not serve it (then the file system may,
   see module_files), another negative status to fail the import with it, or EDDY_OK after
   answering with eddy_module_answer(load_id, ...) — from inside the callback or later from any
   thread. Must not block; a load not yet answered keeps the loop alive. Must be synchronous on
   the host side (its status is its answer): an asynchronous host answers EDDY_OK at once and
   calls eddy_module_answer later, after copying specifier and referrer in the callback. */
typedef int (*eddy_module_loader)(eddy_engine *e, uint64_t load_id, const char *specifier,
                                  const char *referrer, void *userdata);

typedef struct eddy_options {
  size_t size;            /* the struct's size as the host compiled it: set by eddy_options_init */
  int start_driver;       /* 1 (default): start the background driver thread at creation */
  eddy_log_cb log;        /* NULL (default): log/info/debug to stdout, warn/error to stderr */
  void *log_userdata;
  eddy_error_cb on_error; /* NULL (default): "Uncaught <stack>" to the log sink at error level */
  void *error_userdata;
  const char *base_url;   /* NULL: relative URLs in fetch() are an error. Copied. */
  uint32_t time_limit_ms; /* 0 (default): none. Otherwise each host-initiated eval/call and each
                             callback is interrupted after this long (EDDY_EINTERRUPTED).
                             Needs EDDY_JSC_TIME_LIMIT: eddy_engine_new fails with
                             EDDY_ENOTSUP without it. */
  uint32_t busy_poll_us;  /* 50 (default): while fetches are in flight and recent waits for the
                             network were shorter than this, the JS thread polls for up to this
                             long before it sleeps, saving a wake-up on fast (local, LAN)
                             servers. A longer wait turns it off until a wait is short again;
                             it never runs without a transfer in flight. 0: never poll. */
  const char *ca_file;    /* NULL (default): TLS trusts the system store (libcurl's CA bundle and
                             CA directory). Otherwise the path of a PEM file of the certificates
                             TLS trusts instead (a private CA, or a bundle shipped with the app).
                             Copied; read when a connection needs it: a missing or unreadable
                             file fails those fetches (cause.code 77, the message names it). */
  const char *ca_path;    /* NULL (default): as ca_file. Otherwise a directory of PEM certificates
                             named by subject hash (`openssl rehash`), trusted instead of the
                             system store. With ca_file too, both are trusted. Copied.
                             Where libcurl's build-time defaults do not exist (an app on Android
                             or iOS linking its own libcurl), ship a bundle and set ca_file. */
  eddy_module_loader module_loader; /* NULL (default): none. Otherwise asked for every module
                             specifier that no declared module matches (eddy_module_loader). */
  void *module_loader_userdata;
  int module_files;       /* 1 (default): a specifier that neither a declared module nor the
                             loader answers loads from the file system when it resolves to a
                             file: URL or an absolute path, and a bare one through node_modules
                             directories (docs/modules.md). 0: never read files. */
  uint64_t max_response_body; /* 1 GiB (default): the most bytes a fetch() response body may have
                             once decoded. A larger body fails the fetch (or the read of its body,
                             if the headers came first) with TypeError('fetch failed'), cause.code
                             63, the message naming this limit; a Content-Length over it fails at
                             once, and no buffer is ever sized from a server's claim. 0, or more
                             than 4 GiB: 4 GiB, the largest ArrayBuffer JavaScriptCore holds. */
  int owned_callback_data; /* 0 (default): log's text and on_error's error are borrowed for the
                             call. 1: they are the callback's own, NUL-terminated copies that
                             outlive it: free text with eddy_free and error with eddy_value_free
                             (casting away const), when and on whichever thread the host is done
                             with them. Lets log and on_error be asynchronous on the host side,
                             e.g. Dart's NativeCallable.listener (docs/ffi.md). */
  uint32_t wait_timeout_ms; /* 0 (default): none. Otherwise an eval/call/import (sync or async)
                             whose promise has not settled this long after it began waiting
                             ends with EDDY_ETIMEDOUT; the promise is left to itself. */
  uint64_t memory_limit;  /* 0 (default): none. Otherwise the bytes of JS heap plus external
                             memory (ArrayBuffers, strings) the engine's scripts may hold. A script
                             that needs more is terminated: the call returns EDDY_ENOMEM with a
                             RangeError "memory limit exceeded" (on_error kind
                             EDDY_ERROR_MEMORY_LIMIT for detached work); the engine stays usable.
                             Checked every 10 ms of JS CPU time and at every allocation of an
                             ArrayBuffer or typed array: how tight it is, docs/embedding.md#memory. */
  uint64_t max_websocket_message; /* 0 (default): 64 MiB. The most bytes one received WebSocket
                             message may have (once inflated, for permessage-deflate): a larger
                             one fails the connection with close code 1009 (error then close
                             events, the error naming this limit). At most 2^31 - 4096. */
  uint32_t websocket_timeout_ms; /* 0 (default): 30 s to open, 5 s to close. Otherwise the longest
                             a WebSocket's opening handshake (DNS, connect, TLS, the HTTP upgrade)
                             and its closing handshake may each take; past it the connection
                             fails (error, then close with 1006). */
} eddy_options;

/* Fills opts with the defaults and sets opts->size. size is sizeof(eddy_options) as the caller
   compiled it (through FFI: the size of the struct it declared): only that many bytes are
   written, so a host built against an older header never has a newer library write past its
   struct. Any thread. */
EDDY_EXTERN void eddy_options_init(eddy_options *opts, size_t size);

/* Creates an engine. opts may be NULL (defaults); opts->size must be at most sizeof(eddy_options)
   (an older, smaller struct is fine). *out is owned by the caller: eddy_engine_free(). The first
   call in a process initialises libcurl (thread-safe, once). Any thread; set-up runs JS on it,
   which needs a few hundred KiB of stack. If set-up fails (EDDY_EEXCEPTION), the log sink gets
   why at EDDY_LOG_ERROR. */
EDDY_EXTERN int eddy_engine_new(const eddy_options *opts, eddy_engine **out);

/* Closes the engine: stops the driver (terminating running JS within ~20 ms), cancels timers,
   transfers and async host calls, wakes blocked callers with EDDY_ECLOSED, releases the JS heap.
   Idempotent: later calls on e return EDDY_ECLOSED (this one returns 0 again). Any thread; from a
   callback on the JS thread the teardown completes when that callback returns. */
EDDY_EXTERN int eddy_engine_close(eddy_engine *e);
/* Closes if needed and releases the handle. NULL is fine. Safe from a GC finalizer on any thread
   (never from inside a callback of the same engine). Function values that outlive the engine stay
   valid to free; calling them returns EDDY_ECLOSED. */
EDDY_EXTERN void eddy_engine_free(eddy_engine *e);

/* Host data attached to the engine, never touched by eddy. Any thread. */
EDDY_EXTERN void eddy_engine_set_userdata(eddy_engine *e, void *userdata);
EDDY_EXTERN void *eddy_engine_get_userdata(eddy_engine *e);

/* Evaluates a classic script. source is UTF-8 of length len (embedded NULs allowed; invalid UTF-8
   is replaced with U+FFFD); filename (may be NULL: "<eval>") names it in stacks. If the completion
   value is a promise or thenable, waits until it settles (running the loop on this thread if the
   driver is off), then returns its value. *result (may be NULL) receives the value, or the thrown
   error with EDDY_EEXCEPTION; the caller frees it.
   Returns EDDY_EINTERRUPTED if interrupted (also while waiting for the promise), EDDY_ENOMEM if
   the script was terminated by memory_limit, EDDY_ETIMEDOUT if the promise did not settle
   within wait_timeout_ms, EDDY_EPENDING if the promise can never settle (no async work left that
   could settle it; driver on or off), EDDY_EBUSY if called from a callback on the JS thread and the
   result is a promise or thenable (the loop cannot be re-entered there, and a promise's state
   cannot be read without it). Any thread; blocks the caller. */
EDDY_EXTERN int eddy_eval(eddy_engine *e, const char *source, size_t len, const char *filename,
                          eddy_value **result);

/* Runs a classic script for its effects, as the eddy command runs a file: like eddy_eval, but its
   completion value is neither waited for (a promise it ends with settles, or is reported as an
   unhandled rejection, with the loop's other work) nor converted (a script that ends with a large
   array costs nothing more). On failure *error (may be NULL) receives the error value eddy_eval's
   *result would (the thrown error with EDDY_EEXCEPTION); the caller frees it. On success it is
   NULL. The statuses and the thread safety are eddy_eval's, without EDDY_EPENDING. Since 0.1.0
   (additive). */
EDDY_EXTERN int eddy_exec(eddy_engine *e, const char *source, size_t len, const char *filename,
                          eddy_value **error);

/* Sets the value at a dotted path from globalThis ("app.config"), creating plain objects for the
   missing parents. value is borrowed (copied into JS). EDDY_EINVAL for a path with an empty,
   __proto__, constructor or prototype segment (for every call taking a path); EDDY_ERANGE for a
   value JS cannot hold (nested deeper than 1000, a string or bytes too large: docs/values.md).
   Any thread; blocks the caller. */
EDDY_EXTERN int eddy_set(eddy_engine *e, const char *path, const eddy_value *value);

/* Memory statistics of the JS heap as an object value (heapSize, heapCapacity, extraMemorySize,
   objectCount, …). The caller frees *out. EDDY_ENOTSUP (and *out NULL) on a JavaScriptCore
   without EDDY_JSC_MEMORY_STATS. Any thread; blocks the caller. */
EDDY_EXTERN int eddy_memory_usage(eddy_engine *e, eddy_value **out);

/* Runs a full garbage collection now. On a JavaScriptCore without EDDY_JSC_SYNC_GC it can only
   tell JSC that a collection would be welcome (JSGarbageCollect), and returns EDDY_ENOTSUP. Any
   thread; blocks the caller. */
EDDY_EXTERN int eddy_gc(eddy_engine *e);

/* What eddy can use of the JavaScriptCore it runs on beyond the public C API: functions of
   WebKit's private headers and C++ members, looked up at run time, and WebKitGTK's GLib run loop
   (docs/porting.md says what a host loses without each). EDDY_JSC_OPTIONAL, read at engine
   creation, narrows an engine's set: "none", or a comma-separated list of the names below to
   keep ("time_limit,lock,drain"). */
enum {
  EDDY_JSC_TIME_LIMIT = 1 << 0,         /* "time_limit": time_limit_ms, eddy_interrupt, and a
                                           close that stops running JS; else EDDY_ENOTSUP */
  EDDY_JSC_REJECTION_CALLBACK = 1 << 1, /* "rejection_callback": unhandled rejections reported */
  EDDY_JSC_MEMORY_STATS = 1 << 2,       /* "memory_stats": eddy_memory_usage */
  EDDY_JSC_SYNC_GC = 1 << 3,            /* "sync_gc": eddy_gc collects before it returns */
  EDDY_JSC_SCRIPT = 1 << 4,             /* "script": embedded files parsed once, from the
                                           library's own bytes (speed, memory) */
  EDDY_JSC_PROXY_TARGET = 1 << 5,       /* "proxy_target": structuredClone refuses a Proxy */
  EDDY_JSC_LOCK = 1 << 6,               /* "lock": JSC's API lock held across hot calls (speed) */
  EDDY_JSC_DRAIN = 1 << 7,              /* "drain": microtasks drained inside eddy's VM entries
                                           (speed: an await costs about half) */
  EDDY_JSC_OPTIONS = 1 << 8,            /* "options": JSC's options read without a throwaway VM */
  EDDY_JSC_RUNLOOP = 1 << 9             /* "runloop": JSC's deferred work (async WebAssembly
                                           compiles, FinalizationRegistry callbacks, GC timers)
                                           runs on the engine's loop */
};
/* The EDDY_JSC_* bits engine e uses; with e NULL, those the process's JavaScriptCore offers
   (before EDDY_JSC_OPTIONAL). Any thread. */
EDDY_EXTERN int eddy_jsc_features(eddy_engine *e);

/* ------------------------------------------------------------------------------------------------
 * Driving the loop
 * ---------------------------------------------------------------------------------------------- */
/* 1 if any async work is pending (timers, transfers, unsettled async host calls, queued calls),
   else 0; EDDY_EINVAL/EDDY_ECLOSED. A pure state read: never runs JS. Any thread. */
EDDY_EXTERN int eddy_pending(eddy_engine *e);

typedef enum { EDDY_RUN_DEFAULT = 0, EDDY_RUN_ONCE = 1, EDDY_RUN_NOWAIT = 2 } eddy_run_mode;

/* Runs the loop on the calling thread, like uv_run: DEFAULT until no work remains, ONCE one
   iteration (waiting if needed), NOWAIT one iteration without waiting. Returns >0 if work remains,
   0 if none, EDDY_EBUSY while the driver runs or when called from a callback. While it runs, calls
   from other threads are queued to this thread. Any thread. */
EDDY_EXTERN int eddy_run(eddy_engine *e, eddy_run_mode mode);

/* Starts the background driver thread (8 MiB stack) and returns once it owns the loop, so every
   later call is served by it. Idempotent. Any thread; EDDY_EBUSY from a callback. */
EDDY_EXTERN int eddy_start_drive(eddy_engine *e);
/* Stops and joins the driver thread; pending work is kept for a later run. Idempotent. Any thread;
   EDDY_EBUSY from a callback (the driver's or any other JS thread's). */
EDDY_EXTERN int eddy_stop_drive(eddy_engine *e);
/* 1 while the driver runs, 0 otherwise. Any thread. */
EDDY_EXTERN int eddy_is_driving(eddy_engine *e);

/* For hosts with their own event loop (driver off): poll this fd for readability, with a timeout of
   eddy_backend_timeout() ms (-1: no deadline, wait for the fd; this is also the answer when no
   work is pending), then call eddy_run(e, EDDY_RUN_NOWAIT). The fd belongs to the engine; do not
   close it. */
EDDY_EXTERN int eddy_backend_fd(eddy_engine *e);
EDDY_EXTERN int eddy_backend_timeout(eddy_engine *e);

/* Completion of an async host request. status is EDDY_OK, EDDY_EEXCEPTION (result holds the thrown
   value), EDDY_EINTERRUPTED or EDDY_ECLOSED. result is owned by the callee (may be NULL). Called
   exactly once, on the JS thread; with EDDY_ECLOSED on whichever thread tears the engine down
   (the closing thread or the driver). With the driver off it may run before eddy_eval_async
   returns. May be asynchronous on the host side (nothing it gets is borrowed; e is only a
   handle to compare, and may be freed by the time an asynchronous host runs). */
typedef void (*eddy_done_cb)(eddy_engine *e, int status, eddy_value *result, void *userdata);

/* Like eddy_eval but returns at once; cb receives the settled value. source is copied. */
EDDY_EXTERN int eddy_eval_async(eddy_engine *e, const char *source, size_t len,
                                const char *filename, eddy_done_cb cb, void *userdata);

/* ------------------------------------------------------------------------------------------------
 * The host bridge
 * ---------------------------------------------------------------------------------------------- */
/* A synchronous host function. args is an array value, borrowed for the call. Set *result to a new
   value (NULL means undefined). To throw, return a non-zero status (an Error with its
   eddy_strerror text) or set *result to an error value (eddy_value_new_error): an error value as
   result always throws. Runs on the JS thread. Must be synchronous on the host side (its result
   is its answer): an asynchronous host uses eddy_define_async_function instead. */
typedef int (*eddy_host_fn)(eddy_engine *e, const eddy_value *args, eddy_value **result,
                            void *userdata);

/* Defines globalThis.<path> (dotted: "app.log"; missing parents become plain objects) as a JS
   function calling fn. Any thread; blocks the caller. */
EDDY_EXTERN int eddy_define_function(eddy_engine *e, const char *path, eddy_host_fn fn,
                                     void *userdata);

/* An async host function: JS gets a promise at once. The handler runs on the JS thread, must not
   block, owns args (free with eddy_value_free), and settles the call later with eddy_settle.
   May be asynchronous on the host side (it returns nothing and borrows nothing): the way for a
   host whose foreign-thread callbacks are asynchronous, e.g. Dart's NativeCallable.listener. */
typedef void (*eddy_async_fn)(eddy_engine *e, uint64_t call_id, eddy_value *args, void *userdata);
EDDY_EXTERN int eddy_define_async_function(eddy_engine *e, const char *path, eddy_async_fn fn,
                                           void *userdata);

/* Settles async call call_id: fulfils with value, or rejects with it if rejected is non-zero.
   Consumes value in every case (NULL = undefined). Any thread, never blocks, never runs JS: the
   promise reactions run on the JS thread as soon as it is free. EDDY_ENOTFOUND for an unknown or
   already settled id, EDDY_ECLOSED after close. Not after eddy_engine_free: stop settling
   threads (or close first) before freeing. */
EDDY_EXTERN int eddy_settle(eddy_engine *e, uint64_t call_id, int rejected, eddy_value *value);

/* Calls the function at a dotted path with the elements of args (an array value, borrowed; NULL =
   no arguments), awaiting a returned promise like eddy_eval. Any thread; blocks the caller. */
EDDY_EXTERN int eddy_call(eddy_engine *e, const char *path, const eddy_value *args,
                          eddy_value **result);
EDDY_EXTERN int eddy_call_async(eddy_engine *e, const char *path, const eddy_value *args,
                                eddy_done_cb cb, void *userdata);

/* Calls a function value (EDDY_TYPE_FUNCTION) received from this engine. EDDY_ETYPE if fn is not a
   function, EDDY_EINVAL if it belongs to another engine. Any thread. */
EDDY_EXTERN int eddy_call_value(eddy_engine *e, const eddy_value *fn, const eddy_value *args,
                                eddy_value **result);
EDDY_EXTERN int eddy_call_value_async(eddy_engine *e, const eddy_value *fn, const eddy_value *args,
                                      eddy_done_cb cb, void *userdata);

/* ------------------------------------------------------------------------------------------------
 * ES modules (docs/modules.md)
 * ---------------------------------------------------------------------------------------------- */
/* Declares module `specifier` (e.g. "app/main.js" or "config") with its UTF-8 source, copied. It
   is parsed and evaluated only when first imported; a relative import inside it resolves
   against its name like a path. Declaring a name again replaces the source until the module
   has been loaded; after that: EDDY_EBUSY. Any thread, never runs JS. */
EDDY_EXTERN int eddy_module_declare(eddy_engine *e, const char *specifier, const char *source,
                                    size_t len);
/* Answers load load_id of the module loader: url is the module's canonical name (its
   import.meta.url and module map key; NULL: the specifier the loader was given) and source its
   UTF-8 text, both copied. source NULL: not found (the file system may still serve it, see
   module_files). EDDY_ENOTFOUND if load_id is unknown or already answered. Any thread, never
   blocks. */
EDDY_EXTERN int eddy_module_answer(eddy_engine *e, uint64_t load_id, const char *url,
                                   const char *source, size_t len);
/* Imports (loads, links and evaluates, awaiting top-level await) the module `specifier`, resolved
   without a referrer, and returns its namespace as an object value (functions as
   EDDY_TYPE_FUNCTION). namespace_out may be NULL. A module evaluates once per engine; later
   imports return the same module. Errors: EDDY_EEXCEPTION with the error value (a SyntaxError
   keeps fileName/line/column). Thread rules and EDDY_EBUSY as eddy_eval. */
EDDY_EXTERN int eddy_import(eddy_engine *e, const char *specifier, eddy_value **namespace_out);
EDDY_EXTERN int eddy_import_async(eddy_engine *e, const char *specifier, eddy_done_cb cb,
                                  void *userdata);
/* Imports `specifier`, then calls its export at export_path ("default", "run",
   "api.handlers.get": a dotted path from the namespace; methods get their object as `this`)
   with the elements of args (an array value, borrowed; NULL = none), awaiting a returned promise
   like eddy_call. The path follows eddy_call's rules (EDDY_EINVAL for an empty, __proto__,
   constructor or prototype segment). Any thread; blocks the caller. */
EDDY_EXTERN int eddy_call_export(eddy_engine *e, const char *specifier, const char *export_path,
                                 const eddy_value *args, eddy_value **result);
EDDY_EXTERN int eddy_call_export_async(eddy_engine *e, const char *specifier,
                                       const char *export_path, const eddy_value *args,
                                       eddy_done_cb cb, void *userdata);
/* 1 if source (UTF-8) uses module syntax (import/export declarations, import.meta, top-level
   await) and parses as a module, else 0: how the eddy command decides, for a .js file, between
   a module and a classic script. Any thread; no engine needed. */
EDDY_EXTERN int eddy_detect_module(const char *source, size_t len);

/* ------------------------------------------------------------------------------------------------
 * One call per result: CBOR in and out (docs/values.md#one-call-per-result)
 * ---------------------------------------------------------------------------------------------- */
/* eddy_eval, eddy_call and eddy_call_export with the result (the value, or the thrown error with
   EDDY_EEXCEPTION) handed back as CBOR: *out is malloc'd (free with eddy_free), NULL with
   *out_len 0 when there is no result. out may be NULL (the result is dropped); out_len may be
   NULL. args is the CBOR of an array (NULL with args_len 0: no arguments); one that does not
   decode, or is not an array, fails with eddy_value_from_cbor's status and runs nothing. A
   result that cannot be encoded returns that status (EDDY_ENOMEM) instead of the call's. Thread
   rules, blocking and other statuses as the calls they wrap. */
EDDY_EXTERN int eddy_eval_cbor(eddy_engine *e, const char *source, size_t len,
                               const char *filename, uint8_t **out, size_t *out_len);
EDDY_EXTERN int eddy_call_cbor(eddy_engine *e, const char *path, const uint8_t *args,
                               size_t args_len, uint8_t **out, size_t *out_len);
EDDY_EXTERN int eddy_call_export_cbor(eddy_engine *e, const char *specifier,
                                      const char *export_path, const uint8_t *args,
                                      size_t args_len, uint8_t **out, size_t *out_len);

/* Terminates the JS currently running on e (within ~20 ms for a busy loop) and ends every wait
   for a promise in progress (blocked eval/call/import, async requests not yet called back): each
   returns EDDY_EINTERRUPTED and the engine stays usable. Waits and entries that begin later are
   not affected; no effect when nothing runs or waits. Any thread, never blocks (it takes the
   engine's lock for a moment to wake the loop). EDDY_ENOTSUP (waits are still ended) on a JavaScriptCore without EDDY_JSC_TIME_LIMIT:
   running JS cannot be stopped there. */
EDDY_EXTERN int eddy_interrupt(eddy_engine *e);

#ifdef __cplusplus
}
#endif
#endif /* EDDY_H */
