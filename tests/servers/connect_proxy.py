#!/usr/bin/env python3
"""A tiny HTTP proxy for the tests (Python standard library only), on 127.0.0.1: CONNECT tunnels
(what fetch's https: and every WebSocket use) and absolute-form GETs of its own log.

    python3 tests/servers/connect_proxy.py --run CMD...

runs CMD with http_proxy and https_proxy (both spellings) pointing at the proxy, no_proxy
emptied, and the JSON line {"proxy": "http://127.0.0.1:P"} as its last argument; exits with
CMD's status. Without --run it prints that line and serves until stdin's EOF, SIGTERM or its
parent's death.

  CONNECT blocked.invalid:*   answered 403 (a proxy refusing the tunnel)
  CONNECT *.test:port         tunnels to 127.0.0.1:port (the name only the proxy resolves)
  CONNECT host:port           tunnels to host:port
  GET http://<any>/__log      JSON {"connects": [{"target", "user_agent"}], "gets": n}
Anything else is answered 405.
"""
import json
import os
import socket
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lifeline import lifeline  # noqa: E402

log = {"connects": [], "gets": 0}
log_lock = threading.Lock()


def read_head(sock):
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(4096)
        if not chunk:
            return None, b""
        head += chunk
        if len(head) > 65536:
            return None, b""
    head, rest = head.split(b"\r\n\r\n", 1)
    return head.decode("latin-1").split("\r\n"), rest


def pipe(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def handle(sock):
    try:
        lines, rest = read_head(sock)
        if not lines:
            return
        method, target = lines[0].split(" ")[:2]
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                n, v = line.split(":", 1)
                headers[n.strip().lower()] = v.strip()
        if method == "GET" and target.endswith("/__log"):
            with log_lock:
                log["gets"] += 1
                body = json.dumps(log).encode()
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                         b"Content-Length: %d\r\n\r\n" % len(body) + body)
            return
        if method != "CONNECT":
            sock.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        host, _, port = target.rpartition(":")
        with log_lock:
            log["connects"].append({"target": target, "user_agent": headers.get("user-agent", "")})
        if host == "blocked.invalid":
            sock.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            return
        if host.endswith(".test"):
            host = "127.0.0.1"
        try:
            upstream = socket.create_connection((host.strip("[]"), int(port)), timeout=10)
        except (OSError, ValueError):
            sock.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            return
        upstream.settimeout(None)
        sock.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        if rest:
            upstream.sendall(rest)
        back = threading.Thread(target=pipe, args=(upstream, sock), daemon=True)
        back.start()
        pipe(sock, upstream)
        back.join()
        upstream.close()
    except OSError:
        pass
    finally:
        try:
            sock.close()
        except OSError:
            pass


def listen():
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(64)

    def accept_loop():
        while True:
            try:
                c, _ = s.accept()
            except OSError:
                return
            c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=handle, args=(c,), daemon=True).start()
    threading.Thread(target=accept_loop, daemon=True).start()
    return s.getsockname()[1]


def main():
    url = "http://127.0.0.1:%d" % listen()
    line = json.dumps({"proxy": url})
    if len(sys.argv) > 2 and sys.argv[1] == "--run":
        import subprocess
        env = dict(os.environ)
        for name in ("http_proxy", "https_proxy", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
            env[name] = url
        for name in ("no_proxy", "NO_PROXY"):
            env.pop(name, None)
        return subprocess.call(sys.argv[2:] + [line], env=env)
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
    stop = threading.Event()
    lifeline(stop)
    stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
