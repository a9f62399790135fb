#!/usr/bin/env python3
"""docs/ffi.md's Python example, run by the tests: a host binding libeddy through ctypes the way
an FFI host with asynchronous callbacks (Dart's NativeCallable.listener) has to.

- Results cross in one call each, as CBOR (eddy_eval_cbor, eddy_call_cbor), decoded by cbor2:
  bigints arrive as int, dates as datetime, bytes as bytes, undefined as cbor2.undefined.
- owned_callback_data = 1: the log and error callbacks only queue the pointers they get; a
  thread of the host reads and frees them later, after the engine has moved on (and after it is
  freed): nothing they get is borrowed.
- An async host function: its handler only queues (call id, args); a worker thread reads the
  args (one call: eddy_value_to_cbor), answers, and settles with eddy_settle.
- The completion of eddy_eval_async is read later the same way.

Environment: EDDY_LIB is the path of libeddy.so. Prints "N passed, M failed".
"""
import ctypes
import datetime
import faulthandler
import os
import queue
import sys
import threading
from ctypes import (CFUNCTYPE, POINTER, Structure, byref, c_char_p, c_int, c_size_t, c_uint8,
                    c_uint32, c_uint64, c_void_p, sizeof)

try:
    import cbor2
except ImportError:  # Debian's python3-cbor2 (scripts/install-deps.sh) under another python3
    sys.path.append("/usr/lib/python3/dist-packages")
    import cbor2
    sys.path.pop()

faulthandler.dump_traceback_later(60, exit=True)  # a hang fails the test with every stack

lib = ctypes.CDLL(os.environ["EDDY_LIB"])
EDDY_OK, EDDY_EEXCEPTION = 0, -3

LOG_CB = CFUNCTYPE(None, c_void_p, c_int, c_void_p, c_size_t, c_void_p)
ERROR_CB = CFUNCTYPE(None, c_void_p, c_int, c_void_p, c_void_p)
DONE_CB = CFUNCTYPE(None, c_void_p, c_int, c_void_p, c_void_p)
ASYNC_FN = CFUNCTYPE(None, c_void_p, c_uint64, c_void_p, c_void_p)


class EddyOptions(Structure):  # include/eddy.h, field for field
    _fields_ = [("size", c_size_t), ("start_driver", c_int),
                ("log", LOG_CB), ("log_userdata", c_void_p),
                ("on_error", ERROR_CB), ("error_userdata", c_void_p),
                ("base_url", c_char_p), ("time_limit_ms", c_uint32), ("busy_poll_us", c_uint32),
                ("ca_file", c_char_p), ("ca_path", c_char_p),
                ("module_loader", c_void_p), ("module_loader_userdata", c_void_p),
                ("module_files", c_int), ("max_response_body", c_uint64),
                ("owned_callback_data", c_int)]


def declare(name, restype, *argtypes):
    f = getattr(lib, name)
    f.restype, f.argtypes = restype, list(argtypes)


buf_p = POINTER(c_uint8)
declare("eddy_options_init", None, POINTER(EddyOptions), c_size_t)
declare("eddy_engine_new", c_int, POINTER(EddyOptions), POINTER(c_void_p))
declare("eddy_engine_free", None, c_void_p)
declare("eddy_free", None, c_void_p)
declare("eddy_value_free", None, c_void_p)
declare("eddy_value_to_cbor", c_int, c_void_p, POINTER(buf_p), POINTER(c_size_t))
declare("eddy_value_from_cbor", c_int, c_char_p, c_size_t, POINTER(c_void_p), POINTER(c_size_t))
declare("eddy_eval_cbor", c_int, c_void_p, c_char_p, c_size_t, c_char_p, POINTER(buf_p),
        POINTER(c_size_t))
declare("eddy_call_cbor", c_int, c_void_p, c_char_p, c_char_p, c_size_t, POINTER(buf_p),
        POINTER(c_size_t))
declare("eddy_eval_async", c_int, c_void_p, c_char_p, c_size_t, c_char_p, DONE_CB, c_void_p)
declare("eddy_define_async_function", c_int, c_void_p, c_char_p, ASYNC_FN, c_void_p)
declare("eddy_settle", c_int, c_void_p, c_uint64, c_int, c_void_p)


def take_buffer(p, n):
    """Copies an eddy-allocated buffer into Python and frees it."""
    try:
        return ctypes.string_at(p, n.value) if p else None
    finally:
        lib.eddy_free(p)


def value_to_py(v):
    """One call for a whole value tree: eddy_value_to_cbor, then cbor2."""
    p, n = buf_p(), c_size_t()
    assert lib.eddy_value_to_cbor(v, byref(p), byref(n)) == EDDY_OK
    return cbor2.loads(take_buffer(p, n))


def py_to_value(obj):
    """An owned eddy_value from a Python object (through cbor2 and eddy_value_from_cbor)."""
    data = cbor2.dumps(obj)
    v = c_void_p()
    assert lib.eddy_value_from_cbor(data, len(data), byref(v), None) == EDDY_OK
    return v


def eval_cbor(e, src):
    p, n = buf_p(), c_size_t()
    b = src.encode()
    st = lib.eddy_eval_cbor(e, b, len(b), b"example.js", byref(p), byref(n))
    return st, cbor2.loads(take_buffer(p, n))


def call_cbor(e, path, *args):
    data = cbor2.dumps(list(args))
    p, n = buf_p(), c_size_t()
    st = lib.eddy_call_cbor(e, path.encode(), data, len(data), byref(p), byref(n))
    return st, cbor2.loads(take_buffer(p, n))


# ---- the "listeners": callbacks that queue what they get and return at once -------------------

inbox = queue.Queue()  # ("log", level, text, len) | ("error", kind, value) | ("done", ...)
calls = queue.Queue()  # (call id, args) of host.lookup


def on_log(e, level, text, n, ud):
    inbox.put(("log", level, text, n))


def on_error(e, kind, error, ud):
    inbox.put(("error", kind, error))


def on_done(e, status, result, ud):
    inbox.put(("done", status, result))


def lookup(e, call_id, args, ud):
    calls.put((call_id, args))


callbacks = [LOG_CB(on_log), ERROR_CB(on_error), DONE_CB(on_done), ASYNC_FN(lookup)]
cb_log, cb_error, cb_done, cb_lookup = callbacks  # alive as long as the engine may call them


def worker(e):
    """Answers host.lookup calls on a thread of the host's own."""
    while True:
        item = calls.get()
        if item is None:
            return
        call_id, args = item
        key = value_to_py(args)[0]
        lib.eddy_value_free(args)  # the handler owns args
        answer = {"key": key, "size": len(key), "at": datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone.utc)}
        lib.eddy_settle(e, call_id, 0, py_to_value(answer))  # consumes the value


def main():
    passed = failed = 0

    def check(name, cond, detail=""):
        nonlocal passed, failed
        if cond:
            passed += 1
            print("ok -", name)
        else:
            failed += 1
            print("not ok -", name, detail)

    opts = EddyOptions()
    lib.eddy_options_init(byref(opts), sizeof(opts))
    opts.owned_callback_data = 1
    opts.log, opts.on_error = cb_log, cb_error
    e = c_void_p()
    check("engine", lib.eddy_engine_new(byref(opts), byref(e)) == EDDY_OK)
    lib.eddy_define_async_function(e, b"host.lookup", cb_lookup, None)
    t = threading.Thread(target=worker, args=(e,))
    t.start()

    st, v = eval_cbor(e, """(async () => {
      const r = await host.lookup('colour');
      console.log('looked up', r.key);
      setTimeout(() => { throw new RangeError('from a timer'); }, 1);
      return { r, big: 2n ** 70n, bytes: new Uint8Array([1, 2, 3]), nothing: undefined,
               when: new Date(Date.UTC(2024, 0, 2)), ratio: 0.5, n: 7 };
    })()""")
    check("eddy_eval_cbor awaits the async host call", st == EDDY_OK, st)
    check("a bigint arrives as an int", v["big"] == 2 ** 70, v)
    check("bytes arrive as bytes", v["bytes"] == b"\x01\x02\x03", v)
    check("undefined arrives as undefined", v["nothing"] is cbor2.undefined, v)
    check("a date arrives as a datetime", v["when"] == datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone.utc), v)
    check("numbers stay numbers", v["n"] == 7 and v["ratio"] == 0.5, v)
    check("the host's answer went through JS and back", v["r"]["size"] == 6 and v["r"]["at"].year == 2024, v)

    st, v = call_cbor(e, "Math.max", 3, 9, 4)
    check("eddy_call_cbor with CBOR arguments", st == EDDY_OK and v == 9, (st, v))
    st, err = call_cbor(e, "app.nope")
    check("an exception arrives as the error tag", st == EDDY_EEXCEPTION and isinstance(err, cbor2.CBORTag)
          and err.tag == 27 and err.value[0] == "Error", (st, err))
    check("and names the segment that failed",
          "segment 'app' ('app') is undefined" in err.value[1]["message"], err)

    b = b"new Promise(r => setTimeout(() => r('later'), 5))"
    check("eddy_eval_async", lib.eddy_eval_async(e, b, len(b), None, cb_done, None) == EDDY_OK)

    # Wait for the timer's error and the completion, then let the engine go before reading.
    seen = []
    while not any(k[0] == "error" for k in seen) or not any(k[0] == "done" for k in seen):
        seen.append(inbox.get(timeout=10))
    calls.put(None)
    t.join()
    lib.eddy_engine_free(e)
    while not inbox.empty():
        seen.append(inbox.get())

    # The asynchronous side reads now: every pointer is still the host's to read and free.
    logs, errors, done = [], [], []
    for item in seen:
        if item[0] == "log":
            _, level, text, n = item
            logs.append((level, ctypes.string_at(text, n).decode()))
            lib.eddy_free(text)
        elif item[0] == "error":
            _, kind, error = item
            errors.append((kind, value_to_py(error)))
            lib.eddy_value_free(error)
        else:
            _, status, result = item
            done.append((status, value_to_py(result)))
            lib.eddy_value_free(result)
    check("console.log arrived, read after the engine was freed", (1, "looked up colour") in logs, logs)
    check("the timer's error arrived as an owned value",
          len(errors) == 1 and errors[0][0] == 1 and errors[0][1].value[1]["name"] == "RangeError", errors)
    check("eddy_eval_async's result arrived", done == [(EDDY_OK, "later")], done)
    faulthandler.cancel_dump_traceback_later()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
