#!/usr/bin/env python3
"""CBOR against the tree walk through a real FFI (Python ctypes), where each call costs: the same
large result read with the accessors node by node, and with eddy_eval_cbor + cbor2.loads.
usage: EDDY_LIB=build/libeddy.so bench/cbor_ffi.py [ROWS] [RUNS]; prints one JSON line (medians
of process CPU ms, steadier than wall time on a shared machine)."""
import ctypes
import json
import os
import statistics
import sys
import time
from ctypes import POINTER, byref, c_char_p, c_double, c_int, c_size_t, c_uint8, c_void_p

try:
    import cbor2
except ImportError:  # Debian's python3-cbor2 under another python3
    sys.path.append("/usr/lib/python3/dist-packages")
    import cbor2

lib = ctypes.CDLL(os.environ.get("EDDY_LIB", "build/libeddy.so"))
buf_p = POINTER(c_uint8)
for name, res, args in [
    ("eddy_engine_new", c_int, [c_void_p, POINTER(c_void_p)]), ("eddy_engine_free", None, [c_void_p]),
    ("eddy_eval", c_int, [c_void_p, c_char_p, c_size_t, c_char_p, POINTER(c_void_p)]),
    ("eddy_eval_cbor", c_int, [c_void_p, c_char_p, c_size_t, c_char_p, POINTER(buf_p), POINTER(c_size_t)]),
    ("eddy_free", None, [c_void_p]), ("eddy_value_free", None, [c_void_p]),
    ("eddy_value_type", c_int, [c_void_p]), ("eddy_value_number", c_double, [c_void_p]),
    ("eddy_value_string", c_void_p, [c_void_p, POINTER(c_size_t)]),
    ("eddy_value_bytes", c_void_p, [c_void_p, POINTER(c_size_t)]),
    ("eddy_value_length", c_size_t, [c_void_p]), ("eddy_value_at", c_void_p, [c_void_p, c_size_t]),
    ("eddy_value_key", c_void_p, [c_void_p, c_size_t, POINTER(c_size_t)]),
]:
    f = getattr(lib, name)
    f.restype, f.argtypes = res, args


def walk(v):
    """What a host without CBOR does: several calls per node."""
    t = lib.eddy_value_type(v)
    n = c_size_t()
    if t in (3, 9):
        return lib.eddy_value_number(v)
    if t in (4, 5):
        return ctypes.string_at(lib.eddy_value_string(v, byref(n)), n.value).decode()
    if t == 6:
        return ctypes.string_at(lib.eddy_value_bytes(v, byref(n)), n.value)
    if t == 7:
        return [walk(lib.eddy_value_at(v, i)) for i in range(lib.eddy_value_length(v))]
    if t == 8:
        out = {}
        for i in range(lib.eddy_value_length(v)):
            k = ctypes.string_at(lib.eddy_value_key(v, i, byref(n)), n.value).decode()
            out[k] = walk(lib.eddy_value_at(v, i))
        return out
    return None


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    make = (f"globalThis.rows = Array.from({{ length: {rows} }}, (_, i) => ({{ id: i, name: 'user' + i,"
            " score: i * 1.5, tags: ['a', 'b'], big: BigInt(i + 1) * 10n ** 20n,"
            " when: new Date(1.7e12 + i), blob: new TextEncoder().encode('0123456789abcdef') })); 0").encode()
    src = b"rows"  # made once: the timings are of moving the value, not of making it
    e = c_void_p()
    assert lib.eddy_engine_new(None, byref(e)) == 0
    assert lib.eddy_eval(e, make, len(make), None, None) == 0
    t_walk, t_cbor = [], []
    for _ in range(runs):
        t0 = time.process_time()
        v = c_void_p()
        assert lib.eddy_eval(e, src, len(src), None, byref(v)) == 0
        a = walk(v)
        lib.eddy_value_free(v)
        t_walk.append((time.process_time() - t0) * 1e3)
        t0 = time.process_time()
        p, n = buf_p(), c_size_t()
        assert lib.eddy_eval_cbor(e, src, len(src), None, byref(p), byref(n)) == 0
        b = cbor2.loads(ctypes.string_at(p, n.value))
        lib.eddy_free(p)
        t_cbor.append((time.process_time() - t0) * 1e3)
        assert len(a) == len(b) == rows
    lib.eddy_engine_free(e)
    print(json.dumps({"bench": "cbor_ffi_python", "rows": rows, "walk_ms": round(statistics.median(t_walk), 1),
                      "eval_cbor_and_cbor2_ms": round(statistics.median(t_cbor), 1)}))


if __name__ == "__main__":
    main()
