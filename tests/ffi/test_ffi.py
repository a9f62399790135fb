#!/usr/bin/env python3
"""FFI test: drives libeddy through ctypes from several Python threads, the way a Dart (dart:ffi)
or Swift host would, using nothing but the public ABI in include/eddy.h.

What it proves:
- the ABI is declarable from a foreign language: eddy_options as a plain struct filled by
  eddy_options_init (told our struct's size), opaque handles as void pointers, callbacks as C
  function pointers invoked on eddy's driver thread;
- async host functions: the handler runs on the driver thread, copies its args and frees them,
  and a Python worker thread settles the call later (fulfil or reject) while the main thread is
  blocked in eddy_eval; several calls in flight at once plus a timer;
- errors: rejections and JS exceptions come back as EDDY_EEXCEPTION with name/message/stack;
- sync host functions returning numbers or error values; eddy_eval_async with a completion
  callback; eddy_call by dotted path; JS function values kept by the host and called from other
  threads (eddy_call_value), also while an eval is waiting;
- eddy_settle rules (EDDY_ENOTFOUND twice, EDDY_ECLOSED after close) and a clean teardown.

Environment: EDDY_LIB is the path of libeddy.so (default: <repo>/build/libeddy.so).
Prints "N passed, 0 failed" at the end; exits non-zero on any failure.
"""
import ctypes
import faulthandler
import json
import os
import queue
import random
import sys
import threading
import time
import traceback
from ctypes import (CFUNCTYPE, POINTER, Structure, byref, c_char_p, c_double, c_int, c_size_t,
                    c_uint32, c_uint64, c_void_p, sizeof)

# Nothing below may hang: a blocking eddy call that never returns dumps every thread's stack and
# fails the test long before CTest's timeout.
WATCHDOG_S = 50
faulthandler.dump_traceback_later(WATCHDOG_S, exit=True)

WAIT_S = 10.0  # timeout of every condition wait

EDDY_OK = 0
EDDY_EINVAL = -1
EDDY_EEXCEPTION = -3
EDDY_ECLOSED = -4
EDDY_EBUSY = -7
EDDY_ENOTFOUND = -8
EDDY_ETYPE = -9

T_UNDEFINED, T_NULL, T_BOOLEAN, T_NUMBER, T_BIGINT, T_STRING = 0, 1, 2, 3, 4, 5
T_BYTES, T_ARRAY, T_OBJECT, T_DATE, T_ERROR, T_FUNCTION = 6, 7, 8, 9, 10, 11

# ---- loading and declaring the ABI ---------------------------------------------------------------

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LIB_PATH = os.environ.get("EDDY_LIB") or os.path.join(REPO, "build", "libeddy.so")
lib = ctypes.CDLL(LIB_PATH)  # CDLL releases the GIL around every call, as a blocking eval needs

engine_p = c_void_p  # eddy_engine *
value_p = c_void_p   # eddy_value *

# typedef void (*eddy_log_cb)(eddy_engine *e, int level, const char *text, size_t len, void *ud);
LOG_CB = CFUNCTYPE(None, engine_p, c_int, c_void_p, c_size_t, c_void_p)
# typedef void (*eddy_error_cb)(eddy_engine *e, int kind, const eddy_value *error, void *ud);
ERROR_CB = CFUNCTYPE(None, engine_p, c_int, value_p, c_void_p)
# typedef void (*eddy_done_cb)(eddy_engine *e, int status, eddy_value *result, void *ud);
DONE_CB = CFUNCTYPE(None, engine_p, c_int, value_p, c_void_p)
# typedef int (*eddy_host_fn)(eddy_engine *e, const eddy_value *args, eddy_value **result, void *ud);
HOST_FN = CFUNCTYPE(c_int, engine_p, value_p, POINTER(value_p), c_void_p)
# typedef void (*eddy_async_fn)(eddy_engine *e, uint64_t call_id, eddy_value *args, void *ud);
ASYNC_FN = CFUNCTYPE(None, engine_p, c_uint64, value_p, c_void_p)


class EddyOptions(Structure):
    _fields_ = [
        ("size", c_size_t),
        ("start_driver", c_int),
        ("log", LOG_CB),
        ("log_userdata", c_void_p),
        ("on_error", ERROR_CB),
        ("error_userdata", c_void_p),
        ("base_url", c_char_p),
        ("time_limit_ms", c_uint32),
        ("busy_poll_us", c_uint32),
        ("ca_file", c_char_p),
        ("ca_path", c_char_p),
        ("module_loader", c_void_p),
        ("module_loader_userdata", c_void_p),
        ("module_files", c_int),
    ]


def declare(name, restype, *argtypes):
    fn = getattr(lib, name)
    fn.restype = restype
    fn.argtypes = list(argtypes)
    return fn


declare("eddy_strerror", c_char_p, c_int)
declare("eddy_err_name", c_char_p, c_int)
declare("eddy_version", c_char_p)
declare("eddy_version_number", c_int)

declare("eddy_value_free", None, value_p)
declare("eddy_value_copy", value_p, value_p)
declare("eddy_value_type", c_int, value_p)
declare("eddy_value_bool", c_int, value_p)
declare("eddy_value_number", c_double, value_p)
declare("eddy_value_string", c_void_p, value_p, POINTER(c_size_t))
declare("eddy_value_length", c_size_t, value_p)
declare("eddy_value_at", value_p, value_p, c_size_t)
declare("eddy_value_get", value_p, value_p, c_char_p)
declare("eddy_value_error_name", c_char_p, value_p)
declare("eddy_value_error_message", c_char_p, value_p)
declare("eddy_value_error_stack", c_char_p, value_p)
declare("eddy_value_new_number", value_p, c_double)
declare("eddy_value_new_cstring", value_p, c_char_p)
declare("eddy_value_new_string", value_p, c_char_p, c_size_t)
declare("eddy_value_new_array", value_p)
declare("eddy_value_new_error", value_p, c_char_p, c_char_p)
declare("eddy_value_push", c_int, value_p, value_p)
declare("eddy_value_to_json", c_int, value_p, POINTER(c_void_p), POINTER(c_size_t))
declare("eddy_free", None, c_void_p)

declare("eddy_options_init", None, POINTER(EddyOptions), c_size_t)
declare("eddy_engine_new", c_int, POINTER(EddyOptions), POINTER(engine_p))
declare("eddy_engine_close", c_int, engine_p)
declare("eddy_engine_free", None, engine_p)
declare("eddy_eval", c_int, engine_p, c_char_p, c_size_t, c_char_p, POINTER(value_p))
declare("eddy_eval_async", c_int, engine_p, c_char_p, c_size_t, c_char_p, DONE_CB, c_void_p)
declare("eddy_pending", c_int, engine_p)
declare("eddy_is_driving", c_int, engine_p)
declare("eddy_define_function", c_int, engine_p, c_char_p, HOST_FN, c_void_p)
declare("eddy_define_async_function", c_int, engine_p, c_char_p, ASYNC_FN, c_void_p)
declare("eddy_settle", c_int, engine_p, c_uint64, c_int, value_p)
declare("eddy_call", c_int, engine_p, c_char_p, value_p, POINTER(value_p))
declare("eddy_call_value", c_int, engine_p, value_p, value_p, POINTER(value_p))
declare("eddy_module_declare", c_int, engine_p, c_char_p, c_char_p, c_size_t)
declare("eddy_import", c_int, engine_p, c_char_p, POINTER(value_p))
declare("eddy_call_export", c_int, engine_p, c_char_p, c_char_p, value_p, POINTER(value_p))

# ---- checks ------------------------------------------------------------------------------------

_lock = threading.Lock()
_passed = 0
_failed = 0


def check(cond, what, detail=None):
    """Records one check; callable from any thread (also from callbacks on the driver thread)."""
    global _passed, _failed
    with _lock:
        if cond:
            _passed += 1
        else:
            _failed += 1
            msg = "FAIL: " + what
            if detail is not None:
                msg += " -- " + repr(detail)
            print(msg, flush=True)
    return bool(cond)


def check_eq(actual, expected, what):
    return check(actual == expected, what, {"actual": actual, "expected": expected})


def status_name(st):
    return lib.eddy_err_name(st).decode()


def check_status(actual, expected, what):
    return check(actual == expected, what,
                 "got %d (%s), expected %d (%s)" % (actual, status_name(actual), expected,
                                                     status_name(expected)))


def guarded(fn):
    """A ctypes callback must never raise (the exception would be printed and swallowed): count
    it as a failure instead."""
    def wrapper(*args):
        try:
            return fn(*args)
        except BaseException:  # noqa: BLE001 — report everything, on any thread
            check(False, "exception in callback " + fn.__name__, traceback.format_exc())
            return EDDY_EINVAL
    wrapper.__name__ = fn.__name__
    return wrapper


# ---- value helpers -----------------------------------------------------------------------------


def vstr(v):
    """Python str of a string/bigint/error message/function name value; None for other types."""
    n = c_size_t(0)
    p = lib.eddy_value_string(v, byref(n))
    return None if not p else ctypes.string_at(p, n.value).decode("utf-8")


def to_json(v):
    out = c_void_p()
    n = c_size_t(0)
    st = lib.eddy_value_to_json(v, byref(out), byref(n))
    if st != EDDY_OK:
        return None
    try:
        return ctypes.string_at(out, n.value).decode("utf-8")
    finally:
        lib.eddy_free(out)


def to_py(v):
    """Copies a value out through JSON (None when it has no JSON form)."""
    s = to_json(v)
    return None if s is None else json.loads(s)


def new_args(*items):
    """An owned array value of numbers/strings."""
    arr = lib.eddy_value_new_array()
    for it in items:
        if isinstance(it, str):
            b = it.encode()
            item = lib.eddy_value_new_string(b, len(b))
        else:
            item = lib.eddy_value_new_number(float(it))
        assert lib.eddy_value_push(arr, item) == EDDY_OK
    return arr


def error_fields(v):
    return (lib.eddy_value_error_name(v).decode(), lib.eddy_value_error_message(v).decode(),
            lib.eddy_value_error_stack(v).decode())


def js_eval(e, src, filename="test.js"):
    """Blocking eval from the calling thread: (status, python copy of the result value, raw kind).
    For EDDY_EEXCEPTION the second item is (name, message, stack)."""
    res = value_p()
    b = src.encode()
    st = lib.eddy_eval(e, b, len(b), filename.encode(), byref(res))
    try:
        kind = lib.eddy_value_type(res)
        if kind == T_ERROR:
            return st, error_fields(res), kind
        return st, to_py(res), kind
    finally:
        lib.eddy_value_free(res)


def wait_for(pred, what, timeout=WAIT_S):
    """Waits on a condition with a deadline (no sleeping-and-hoping: polls a predicate)."""
    end = time.monotonic() + timeout
    while not pred():
        if time.monotonic() >= end:
            return check(False, "timed out waiting for " + what)
        time.sleep(0.002)
    return True


# ---- the host ------------------------------------------------------------------------------------


class Host:
    """Host state shared by callbacks (driver thread) and Python worker threads."""

    def __init__(self):
        self.e = None
        self.mu = threading.Lock()
        self.jobs = queue.Queue()
        self.workers = []
        self.threads = []          # extra threads, joined at the end
        self.call_ids = []         # ids handed to fetchUser's handler, in order
        self.second_settles = []   # statuses of the deliberate double settles
        self.held = queue.Queue()  # ids of "hold" calls, settled by the test itself
        self.logs = []
        self.errors = []           # (kind, name, message) from on_error
        self.error_seen = threading.Event()
        self.registered = None     # a JS function value kept by the host (eddy_value_copy)
        self.driver_threads = set()  # threads callbacks ran on
        self.on_main = []            # callbacks that ran on the main thread (must stay empty)

        # Keep every callback object alive for as long as the engine may call it.
        self.cb_log = LOG_CB(guarded(self.on_log))
        self.cb_error = ERROR_CB(guarded(self.on_error))
        self.cb_fetch_user = ASYNC_FN(guarded(self.fetch_user))
        self.cb_use_registered = ASYNC_FN(guarded(self.use_registered))
        self.cb_add = HOST_FN(guarded(self.add))
        self.cb_fail = HOST_FN(guarded(self.fail))
        self.cb_register = HOST_FN(guarded(self.register))

    # -- callbacks, all on the driver thread --

    def note_thread(self):
        """The engine runs with its driver, so every callback must come from the driver thread,
        never from the main thread blocked in an eddy call."""
        me = threading.get_ident()
        with self.mu:
            self.driver_threads.add(me)
            if me == threading.main_thread().ident:
                self.on_main.append(sys._getframe(1).f_code.co_name)

    def on_log(self, e, level, text, n, ud):
        self.note_thread()
        with self.mu:
            self.logs.append((level, ctypes.string_at(text, n).decode("utf-8")))

    def on_error(self, e, kind, err, ud):
        self.note_thread()
        name, message, _ = error_fields(err)  # err is borrowed: copy what we need, do not free
        with self.mu:
            self.errors.append((kind, name, message))
        self.error_seen.set()

    def fetch_user(self, e, call_id, args, ud):
        """host.fetchUser(id): owns args; must not block: hands the id to a worker."""
        self.note_thread()
        try:
            first = lib.eddy_value_at(args, 0)
            kind = lib.eddy_value_type(first)
            if kind == T_NUMBER:
                key = "%d" % lib.eddy_value_number(first)
            elif kind == T_STRING:
                key = vstr(first)
            else:
                key = None
        finally:
            lib.eddy_value_free(args)
        with self.mu:
            self.call_ids.append(call_id)
        if key == "hold":
            self.held.put(call_id)
        else:
            self.jobs.put((call_id, key))

    def worker(self):
        rnd = random.Random()
        while True:
            job = self.jobs.get()
            if job is None:
                return
            call_id, key = job
            time.sleep(rnd.uniform(0.001, 0.020))  # the "network"
            if key == "missing":
                st = lib.eddy_settle(self.e, call_id, 1,
                                     lib.eddy_value_new_error(b"NotFound", b"no user missing"))
            elif key is None:
                st = lib.eddy_settle(self.e, call_id, 1,
                                     lib.eddy_value_new_error(b"TypeError", b"bad id"))
            else:
                st = lib.eddy_settle(self.e, call_id, 0,
                                     lib.eddy_value_new_cstring(("user:" + key).encode()))
            check_status(st, EDDY_OK, "eddy_settle from a worker thread (id %d)" % call_id)
            # A second settle of the same id is refused and still consumes the value.
            again = lib.eddy_settle(self.e, call_id, 0, lib.eddy_value_new_cstring(b"again"))
            with self.mu:
                self.second_settles.append(again)

    def add(self, e, args, result, ud):
        """host.add(a, b) -> number."""
        self.note_thread()
        total = 0.0
        for i in range(lib.eddy_value_length(args)):  # args is borrowed: never freed here
            total += lib.eddy_value_number(lib.eddy_value_at(args, i))
        result[0] = lib.eddy_value_new_number(total)
        return EDDY_OK

    def fail(self, e, args, result, ud):
        """host.fail(name, message) throws name(message) into JS."""
        self.note_thread()
        name = vstr(lib.eddy_value_at(args, 0)) or "Error"
        message = vstr(lib.eddy_value_at(args, 1)) or ""
        result[0] = lib.eddy_value_new_error(name.encode(), message.encode())
        return EDDY_EEXCEPTION

    def register(self, e, args, result, ud):
        """host.register(fn): keeps a JS function value for later calls from any thread."""
        self.note_thread()
        fn = lib.eddy_value_at(args, 0)
        if lib.eddy_value_type(fn) != T_FUNCTION:
            result[0] = lib.eddy_value_new_error(b"TypeError", b"register needs a function")
            return EDDY_EEXCEPTION
        copy = lib.eddy_value_copy(fn)
        with self.mu:
            old, self.registered = self.registered, copy
        lib.eddy_value_free(old)
        result[0] = lib.eddy_value_new_cstring((vstr(fn) or "").encode())  # the function's name
        return EDDY_OK

    def use_registered(self, e, call_id, args, ud):
        """host.useRegistered(...args): a worker thread calls the registered JS function with args
        (eddy_call_value) while the caller's eval is waiting, then settles with its result."""
        self.note_thread()
        with self.mu:
            fn = self.registered

        def run():
            res = value_p()
            st = lib.eddy_call_value(self.e, fn, args, byref(res))
            lib.eddy_value_free(args)
            check_status(st, EDDY_OK, "eddy_call_value from a worker while an eval waits")
            # eddy_settle consumes the result value: no free here.
            check_status(lib.eddy_settle(self.e, call_id, 1 if st else 0, res), EDDY_OK,
                         "settle useRegistered")

        t = threading.Thread(target=run, name="use-registered")
        with self.mu:
            self.threads.append(t)
        t.start()

    # -- lifecycle --

    def start_workers(self, n=4):
        for i in range(n):
            t = threading.Thread(target=self.worker, name="worker-%d" % i)
            t.start()
            self.workers.append(t)

    def stop_workers(self):
        for _ in self.workers:
            self.jobs.put(None)
        for t in self.workers:
            t.join(WAIT_S)
            check(not t.is_alive(), "worker thread %s exits" % t.name)
        with self.mu:
            threads = list(self.threads)
        for t in threads:
            t.join(WAIT_S)
            check(not t.is_alive(), "helper thread %s exits" % t.name)


# ---- the tests ---------------------------------------------------------------------------------


def test_abi_basics(h):
    check_eq(lib.eddy_version(), b"0.1.0", "eddy_version")
    check_eq(lib.eddy_version_number(), 100, "eddy_version_number")
    check_eq(lib.eddy_err_name(EDDY_ENOTFOUND), b"EDDY_ENOTFOUND", "eddy_err_name")
    check_eq(lib.eddy_strerror(EDDY_ECLOSED), b"engine is closed", "eddy_strerror")
    opts = EddyOptions()
    lib.eddy_options_init(byref(opts), sizeof(opts))
    check_eq(opts.size, sizeof(EddyOptions), "eddy_options.size equals the ctypes struct size")
    check_eq(opts.start_driver, 1, "driver on by default")
    check_eq(opts.time_limit_ms, 0, "no time limit by default")
    check_eq(opts.busy_poll_us, 50, "50 µs of busy-polling by default")
    check(not opts.log and not opts.on_error and opts.base_url is None, "NULL callbacks by default")
    check(opts.ca_file is None and opts.ca_path is None, "the system trust store by default")


def make_engine(h):
    opts = EddyOptions()
    lib.eddy_options_init(byref(opts), sizeof(opts))
    opts.log = h.cb_log
    opts.on_error = h.cb_error
    e = engine_p()
    st = lib.eddy_engine_new(byref(opts), byref(e))
    if not check_status(st, EDDY_OK, "eddy_engine_new"):
        raise SystemExit(1)
    h.e = e
    check_eq(lib.eddy_is_driving(e), 1, "the driver thread runs")
    for path, cb in ((b"host.fetchUser", h.cb_fetch_user),
                     (b"host.useRegistered", h.cb_use_registered)):
        check_status(lib.eddy_define_async_function(e, path, cb, None), EDDY_OK,
                     "define async " + path.decode())
    for path, cb in ((b"host.add", h.cb_add), (b"host.fail", h.cb_fail),
                     (b"host.register", h.cb_register)):
        check_status(lib.eddy_define_function(e, path, cb, None), EDDY_OK,
                     "define " + path.decode())
    return e


def test_concurrent_async_calls(h):
    with h.mu:
        before = len(h.call_ids)
    st, out, _ = js_eval(h.e, """
(async () => {
  const ids = [1, 2, 3, 4, 5, 6, 7, 8];
  const users = await Promise.all(ids.map(id => host.fetchUser(id)));
  const t0 = Date.now();
  await new Promise(r => setTimeout(r, 20));
  const waited = Date.now() - t0;
  console.log("fetched " + users.length);
  return { users, timerOk: waited >= 19, sum: host.add(40, 2), nested: { ok: true, n: null } };
})()
""", "concurrent.js")
    check_status(st, EDDY_OK, "eval with Promise.all of async host calls and a timer")
    check_eq(out, {"users": ["user:%d" % i for i in range(1, 9)], "timerOk": True, "sum": 42,
                   "nested": {"ok": True, "n": None}}, "eval result via eddy_value_to_json")
    with h.mu:
        ids = h.call_ids[before:]
        logs = list(h.logs)
    check(len(ids) == 8 and len(set(ids)) == 8, "8 distinct call ids", ids)
    check((1, "fetched 8") in logs, "console.log reached the log callback", logs)


def test_rejection(h):
    st, err, kind = js_eval(h.e, """
(async () => {
  const ok = await host.fetchUser(1);
  return await host.fetchUser("missing");
})()
""", "reject.js")
    check_status(st, EDDY_EEXCEPTION, "a rejected host call rejects the eval")
    check_eq(kind, T_ERROR, "the thrown value is an error value")
    check_eq(err[:2], ("NotFound", "no user missing"), "error name and message from the host")

    st, out, _ = js_eval(h.e, """
(async () => {
  try { await host.fetchUser("missing"); return "no throw"; }
  catch (e) { return { isError: e instanceof Error, name: e.name, message: e.message }; }
})()
""", "catch.js")
    check_status(st, EDDY_OK, "JS catches a host rejection")
    check_eq(out, {"isError": True, "name": "NotFound", "message": "no user missing"},
             "host rejection as seen by JS")


def test_js_exception_stack(h):
    st, err, kind = js_eval(h.e, """(async () => {
  await host.fetchUser(5);
  function explode(x) {
    throw new TypeError("exploded on " + x);
  }
  explode(await host.fetchUser(6));
})()
""", "stacky.js")
    check_status(st, EDDY_EEXCEPTION, "a throw after await fails the eval")
    name, message, stack = err
    check_eq((name, message), ("TypeError", "exploded on user:6"), "thrown error name/message")
    check("stacky.js:4" in stack, "stack names the file and line", stack)


def test_sync_host_functions(h):
    st, out, _ = js_eval(h.e, """
const r = { sum: host.add(1.5, 2.25, 10) };
try { host.fail("RangeError", "too far"); } catch (e) {
  r.range = [e instanceof RangeError, e instanceof Error, e.name, e.message];
}
try { host.fail("Error", "plain failure"); } catch (e) {
  r.plain = [e instanceof Error, e.message];
}
r
""", "sync.js")
    check_status(st, EDDY_OK, "eval calling sync host functions")
    check_eq(out, {"sum": 13.75, "range": [True, True, "RangeError", "too far"],
                   "plain": [True, "plain failure"]}, "sync results and thrown host errors")


def test_eval_async(h):
    done = threading.Event()
    got = {}

    @guarded
    def on_done(e, status, result, ud):
        got["status"] = status
        got["thread"] = threading.get_ident()
        got["value"] = to_py(result) if lib.eddy_value_type(result) != T_ERROR else \
            error_fields(result)
        lib.eddy_value_free(result)  # the callback owns result
        done.set()

    cb = DONE_CB(on_done)  # alive until the callback has run (we wait for it below)
    src = b"(async () => { await new Promise(r => setTimeout(r, 5)); " \
          b"return (await host.fetchUser(7)) + '!'; })()"
    st = lib.eddy_eval_async(h.e, src, len(src), b"async.js", cb, None)
    check_status(st, EDDY_OK, "eddy_eval_async returns at once")
    check(done.wait(WAIT_S), "eval_async completion callback called")
    check_eq(got.get("status"), EDDY_OK, "eval_async status")
    check_eq(got.get("value"), "user:7!", "eval_async value")
    check(got.get("thread") not in (None, threading.main_thread().ident),
          "completion callback ran on the driver thread")
    del cb


def test_call_by_path(h):
    st, _, _ = js_eval(h.e, """
globalThis.app = { math: {
  async describe(id, n) { const u = await host.fetchUser(id); return u + "|" + (id * n); },
} };
""", "defs.js")
    check_status(st, EDDY_OK, "define app.math.describe")
    args = new_args(3, 14)
    res = value_p()
    st = lib.eddy_call(h.e, b"app.math.describe", args, byref(res))
    check_status(st, EDDY_OK, "eddy_call by dotted path awaits the promise")
    check_eq(vstr(res), "user:3|42", "eddy_call result")
    lib.eddy_value_free(res)
    res = value_p()
    st = lib.eddy_call(h.e, b"app.nope.describe", args, byref(res))
    check_status(st, EDDY_EEXCEPTION, "eddy_call of a missing path")
    check_eq(lib.eddy_value_type(res), T_ERROR, "missing path gives an error value")
    lib.eddy_value_free(res)
    lib.eddy_value_free(args)


def test_modules(h):
    main = b"import { scale } from './lib.js';\nexport const api = { run: async (x) => scale * x };\n" \
           b"export default function hello(name) { return 'hello ' + name; }\n"
    lib_src = b"export const scale = await new Promise(r => setTimeout(() => r(3), 5));\n"
    check_status(lib.eddy_module_declare(h.e, b"app/lib.js", lib_src, len(lib_src)), EDDY_OK, "declare app/lib.js")
    check_status(lib.eddy_module_declare(h.e, b"app/main.js", main, len(main)), EDDY_OK, "declare app/main.js")
    ns = value_p()
    st = lib.eddy_import(h.e, b"app/main.js", byref(ns))
    check_status(st, EDDY_OK, "eddy_import of a declared module with a top-level-await dependency")
    check_eq(lib.eddy_value_type(lib.eddy_value_get(ns, b"default")), T_FUNCTION, "default export is a function value")
    lib.eddy_value_free(ns)
    args = new_args(14)
    res = value_p()
    st = lib.eddy_call_export(h.e, b"app/main.js", b"api.run", args, byref(res))
    check_status(st, EDDY_OK, "eddy_call_export of a nested async export")
    check_eq(lib.eddy_value_number(res), 42.0, "eddy_call_export result")
    lib.eddy_value_free(res)
    lib.eddy_value_free(args)
    args = new_args("ffi")
    res = value_p()
    st = lib.eddy_call_export(h.e, b"app/main.js", b"default", args, byref(res))
    check_eq(vstr(res), "hello ffi", "eddy_call_export of the default export")
    lib.eddy_value_free(res)
    lib.eddy_value_free(args)
    check_status(lib.eddy_module_declare(h.e, b"app/main.js", main, len(main)), EDDY_EBUSY,
                 "a loaded module cannot be declared again")


def test_function_values(h):
    st, out, _ = js_eval(h.e, """
(async () => {
  const name = host.register(function greet(who, times) {
    return who.repeat(times) + "/" + host.add(times, 1);
  });
  const during = await host.useRegistered("ab", 2);
  return { name, during };
})()
""", "register.js")
    check_status(st, EDDY_OK, "register a JS function and call it from a worker during the eval")
    check_eq(out, {"name": "greet", "during": "abab/3"}, "function value called while waiting")

    # Later, from another thread, with no eval in flight; the function itself awaits a host call.
    st, _, _ = js_eval(h.e, """
host.register(async function later(id) { return "later:" + await host.fetchUser(id); })
""", "register2.js")
    check_status(st, EDDY_OK, "register a second function (the host frees the first)")
    results = []

    def caller(i):
        args = new_args(100 + i)
        res = value_p()
        st = lib.eddy_call_value(h.e, h.registered, args, byref(res))
        results.append((st, vstr(res)))
        lib.eddy_value_free(res)
        lib.eddy_value_free(args)

    threads = [threading.Thread(target=caller, args=(i,), name="caller-%d" % i) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WAIT_S)
        check(not t.is_alive(), "caller thread finished")
    check_eq(sorted(results), [(EDDY_OK, "later:user:%d" % (100 + i)) for i in range(3)],
             "eddy_call_value from three threads at once")

    not_fn = lib.eddy_value_new_number(1)
    check_status(lib.eddy_call_value(h.e, not_fn, None, None), EDDY_ETYPE,
                 "eddy_call_value of a non-function")
    lib.eddy_value_free(not_fn)


def test_threads_evaluating_at_once(h):
    """Four Python threads each run blocking evals that fan out async host calls."""
    results = {}

    def runner(t):
        for k in range(5):
            ids = [t * 100 + k * 10 + j for j in range(5)]
            src = "Promise.all(%s.map(id => host.fetchUser(id))).then(a => a.join(','))" % ids
            st, out, _ = js_eval(h.e, src, "thread%d.js" % t)
            results[(t, k)] = (st, out, ",".join("user:%d" % i for i in ids))

    threads = [threading.Thread(target=runner, args=(t,), name="eval-%d" % t) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WAIT_S * 2)
        check(not t.is_alive(), "eval thread finished")
    bad = [(k, v) for k, v in results.items() if v[0] != EDDY_OK or v[1] != v[2]]
    check(len(results) == 20 and not bad, "20 concurrent evals from 4 threads", bad)


def test_uncaught_error_callback(h):
    h.error_seen.clear()
    st, _, _ = js_eval(h.e, "setTimeout(() => { throw new RangeError('from a timer'); }, 1); 0",
                       "timer.js")
    check_status(st, EDDY_OK, "eval scheduling a throwing timer")
    check(h.error_seen.wait(WAIT_S), "on_error callback called")
    with h.mu:
        errors = list(h.errors)
    check((1, "RangeError", "from a timer") in errors, "on_error got EDDY_ERROR_UNCAUGHT", errors)


def test_settle_rules(h):
    # Every worker settled its id a second time: always EDDY_ENOTFOUND.
    wait_for(lambda: h.jobs.empty() and len(h.second_settles) == len(h.call_ids) - h.held.qsize(),
             "workers to finish settling")
    with h.mu:
        seconds = list(h.second_settles)
    check(seconds and all(s == EDDY_ENOTFOUND for s in seconds),
          "double settles from workers give EDDY_ENOTFOUND (%d)" % len(seconds),
          sorted(set(seconds)))
    check_status(lib.eddy_settle(h.e, 0xFFFFFFFFFFFF, 0, None), EDDY_ENOTFOUND,
                 "settle of an unknown id")

    # A call the test settles itself, twice, from the main thread.
    done = threading.Event()
    got = {}

    @guarded
    def on_done(e, status, result, ud):
        got["status"], got["value"] = status, vstr(result)
        lib.eddy_value_free(result)
        done.set()

    cb = DONE_CB(on_done)
    src = b"host.fetchUser('hold').then(v => 'held:' + v)"
    check_status(lib.eddy_eval_async(h.e, src, len(src), b"hold.js", cb, None), EDDY_OK,
                 "eval_async of a held call")
    try:
        call_id = h.held.get(timeout=WAIT_S)
    except queue.Empty:
        check(False, "held call reached the handler")
        return
    check_eq(lib.eddy_pending(h.e), 1, "an unsettled host call is pending work")
    check_status(lib.eddy_settle(h.e, call_id, 0, lib.eddy_value_new_cstring(b"x")), EDDY_OK,
                 "first settle")
    check_status(lib.eddy_settle(h.e, call_id, 0, lib.eddy_value_new_cstring(b"y")),
                 EDDY_ENOTFOUND, "second settle of the same id")
    check(done.wait(WAIT_S), "held call completed")
    check_eq((got.get("status"), got.get("value")), (EDDY_OK, "held:x"), "first settle wins")
    del cb


def test_close(h):
    """Close with a host call in flight: the waiting eval_async gets EDDY_ECLOSED, a late settle
    gets EDDY_ECLOSED, and a kept function value stays freeable."""
    done = threading.Event()
    got = {}

    @guarded
    def on_done(e, status, result, ud):
        got["status"] = status
        got["thread"] = threading.get_ident()
        lib.eddy_value_free(result)
        done.set()

    cb = DONE_CB(on_done)
    src = b"host.fetchUser('hold')"
    check_status(lib.eddy_eval_async(h.e, src, len(src), b"close.js", cb, None), EDDY_OK,
                 "eval_async left waiting on a held call")
    try:
        call_id = h.held.get(timeout=WAIT_S)
    except queue.Empty:
        check(False, "held call reached the handler before close")
        return
    check_status(lib.eddy_engine_close(h.e), EDDY_OK, "eddy_engine_close")
    check(done.wait(WAIT_S), "pending eval_async completed by close")
    check_eq(got.get("status"), EDDY_ECLOSED, "pending eval_async gets EDDY_ECLOSED")
    check_status(lib.eddy_settle(h.e, call_id, 0, lib.eddy_value_new_cstring(b"late")),
                 EDDY_ECLOSED, "settle after close")
    check_status(lib.eddy_engine_close(h.e), EDDY_OK, "second eddy_engine_close is fine")
    res = value_p()
    check_status(lib.eddy_eval(h.e, b"1", 1, None, byref(res)), EDDY_ECLOSED, "eval after close")
    lib.eddy_value_free(res)
    check_status(lib.eddy_call_value(h.e, h.registered, None, None), EDDY_ECLOSED,
                 "calling a kept function value after close")
    check_eq(lib.eddy_is_driving(h.e), 0, "driver stopped after close")
    del cb


def main():
    print("eddy FFI test: %s" % LIB_PATH, flush=True)
    h = Host()
    tests = [test_concurrent_async_calls, test_rejection, test_js_exception_stack,
             test_sync_host_functions, test_eval_async, test_call_by_path, test_modules,
             test_function_values,
             test_threads_evaluating_at_once, test_uncaught_error_callback, test_settle_rules,
             test_close]
    test_abi_basics(h)
    make_engine(h)
    h.start_workers()
    try:
        for t in tests:
            try:
                t(h)
            except Exception:  # noqa: BLE001
                check(False, "exception in " + t.__name__, traceback.format_exc())
    finally:
        h.stop_workers()
        lib.eddy_engine_free(h.e)
        lib.eddy_value_free(h.registered)  # function values outlive the engine safely
        h.registered = None
    check(len(h.driver_threads) == 1 and not h.on_main,
          "callbacks ran on the driver thread, never on the main thread",
          {"threads": len(h.driver_threads), "on_main": h.on_main})
    faulthandler.cancel_dump_traceback_later()
    print("%d passed, %d failed" % (_passed, _failed), flush=True)
    return 1 if _failed else 0


if __name__ == "__main__":
    sys.exit(main())
