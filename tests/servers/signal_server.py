#!/usr/bin/env python3
"""Seed-scenario helper: two raw TCP HTTP servers, A and B.

    python3 tests/servers/signal_server.py

Prints one JSON line {"a": "http://127.0.0.1:PA/", "b": "http://127.0.0.1:PB/"}.
For every request it reads the complete request head (and any
Content-Length body), and only then prints "A got <ms>" / "B got <ms>"
(flushed), where <ms> is CLOCK_MONOTONIC in milliseconds with three
decimals (parse with strtod; the integer part alone also works), then
answers 200 OK with a tiny body. Connections are kept alive, and every
request on them is reported. Exits when a piped stdin reaches EOF, on
SIGTERM, when the reader of its stdout closes it (popen + pclose), or when
its parent dies -- see lifeline().

Raw sockets rather than http.server so that nothing is reported before the
whole head has arrived: the test observes arrival from the server side only.
"""

import json
import socket
import sys
import threading
import time

from lifeline import lifeline  # noqa: E402 (sibling module)

stop = threading.Event()
out_lock = threading.Lock()


def report(name):
    # time.monotonic() is CLOCK_MONOTONIC on Linux: comparable with C.
    ms = time.monotonic() * 1000.0
    with out_lock:
        try:
            sys.stdout.write("%s got %.3f\n" % (name, ms))
            sys.stdout.flush()
        except (OSError, ValueError):
            stop.set()  # the reader is gone: nobody left to observe


def serve_conn(name, conn):
    buf = b""
    try:
        while True:
            while b"\r\n\r\n" not in buf:
                data = conn.recv(65536)
                if not data:
                    return
                buf += data
            head, buf = buf.split(b"\r\n\r\n", 1)
            length = 0
            close = False
            for line in head.split(b"\r\n")[1:]:
                k, _, v = line.partition(b":")
                k = k.strip().lower()
                if k == b"content-length":
                    length = int(v.strip())
                elif k == b"connection" and v.strip().lower() == b"close":
                    close = True
            report(name)
            while len(buf) < length:
                data = conn.recv(65536)
                if not data:
                    return
                buf += data
            buf = buf[length:]
            body = b"%s ok\n" % name.encode()
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                         b"Content-Length: %d\r\n%s\r\n%s"
                         % (len(body), b"Connection: close\r\n" if close else b"", body))
            if close:
                return
    except OSError:
        pass
    finally:
        conn.close()


def accept_loop(name, lsock):
    while not stop.is_set():
        try:
            conn, _ = lsock.accept()
        except OSError:
            return
        threading.Thread(target=serve_conn, args=(name, conn), daemon=True).start()


def main():
    socks = {}
    for name in ("A", "B"):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", 0))
        s.listen(128)
        socks[name] = s
        threading.Thread(target=accept_loop, args=(name, s), daemon=True).start()

    lifeline(stop)

    with out_lock:
        sys.stdout.write(json.dumps({
            "a": "http://127.0.0.1:%d/" % socks["A"].getsockname()[1],
            "b": "http://127.0.0.1:%d/" % socks["B"].getsockname()[1],
        }) + "\n")
        sys.stdout.flush()

    while not stop.wait(0.2):  # timed wait so signal handlers get to run
        pass
    for s in socks.values():
        s.close()


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        # reader went away: nothing left to report to
        pass
