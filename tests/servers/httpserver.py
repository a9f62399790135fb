#!/usr/bin/env python3
"""Test HTTP server for eddy's fetch tests (Python 3 stdlib only).

    python3 tests/servers/httpserver.py [--https] [--verbose]

Binds 127.0.0.1 on ephemeral ports and prints ONE JSON line:
    {"http": "http://127.0.0.1:P1", "http2": "http://127.0.0.1:P2",
     "https": "https://127.0.0.1:P3", "cacert": "/tmp/.../cert.pem"}
("https"/"cacert" only with --https). "http2" is a second plain-HTTP port
so redirects can cross origins; "cacert" is the self-signed certificate
(in a temp dir removed at exit) to trust for "https". Serves until a piped
stdin reaches EOF, SIGTERM/SIGINT, the reader of a piped stdout closes it
(popen + pclose), or the parent dies -- see lifeline().

Every port serves the same endpoints:
  /echo                 any method -> JSON {method, url, path, query,
                        httpVersion, headers: [[lowercased name, value]...],
                        body (utf-8 text, lossy), bodyBase64}
  /status/NNN?text=R    status NNN, reason phrase R; small body unless
                        1xx/204/205/304 or HEAD
  /redirect/CODE?to=U   CODE with Location: U (default /echo; may be relative); &pad=N
                        adds N bytes to its body
  /redirect-chain/N     N relative redirects (302), then /echo
  /redirect-loop        302 to itself forever
  /plain                the uncompressed reference text for /gzip etc.
  /gzip /deflate /br    that text with Content-Encoding (deflate = zlib
                        stream per RFC 9110; /br 404s without `brotli`)
  /drip?chunks=N&delay_ms=D[&size=S]  chunked, N chunks of S bytes ("x")
                        (default S: "chunk i\\n"), D ms apart; the first
                        chunk is sent at once; with clock=1 each chunk is the wall
                        clock in ms when written ("%.3f\\n" of time.time() * 1000),
                        with clock=mono CLOCK_MONOTONIC's (time.monotonic())
  /delay?ms=D           headers (and body) after D ms
  /slow-body?ms=D       headers at once, body after D ms
  /close-mid-body       Content-Length: 1000, 10 bytes, then close
  /close-after?ms=D     "METHOD bodylength\n" with keep-alive, then closes the
                        connection D ms later (default 2) without reading on
  /large?bytes=N        N bytes, byte i = i % 251, with Content-Length
  /claim?length=N       claims Content-Length N, sends 10 bytes, then holds the
                        connection until the client closes it
  /gzip-bomb?mb=N[&chunked=1]  N MiB of zero bytes, gzip-compressed (Content-Encoding:
                        gzip; with chunked=1 no Content-Length)
  /big-header?bytes=N   a response whose X-Big header value is N bytes long
  /cookies              three Set-Cookie headers
  /headers?n=v&...      response carries those headers (in order)
  /coded?ce=V[&ce=W]    the request body back, with those Content-Encoding fields
  /hang                 never responds (until the server stops)
  /count[?path=/p]      decimal count of requests received by this process
                        (all ports), not counting /count itself; with path,
                        only requests whose path (no query) equals /p
  /connections          decimal count of TCP connections accepted
  /multipart            a multipart/form-data request body as Python's email
                        parser reads it: JSON {type, parts: [{name, filename,
                        contentType, body (utf-8, lossy), bodyBase64}]}, or 400
  /reflect              the request body back, with the request's Content-Type
  /sse/...              server-sent events: see sse.py
  /stream?id=K&bytes=N[&chunked=1]  N bytes of the /large pattern (N=0: endless, chunked),
                        written as fast as the client takes them; /stream-status?id=K then
                        answers JSON {written, closed (the client went away mid-body),
                        finished}
  /upload-info          JSON {transferEncoding, contentLength, sizes (of the chunks of a
                        chunked request body, in order), msAfterFirst (each chunk's arrival
                        after the first's), bodyBase64}
  /peer-rss             the VmRSS in KiB of the local process at the other end of this
                        connection (found through /proc), or -1
Request bodies (Content-Length or chunked) are always consumed so that
keep-alive keeps working on every endpoint.
"""

import base64
import email.parser
import email.policy
import gzip
import json
import os
import shutil
import socket
import ssl
import sys
import tempfile
import threading
import time
import zlib
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from certs import self_signed  # noqa: E402 (sibling modules)
from lifeline import lifeline  # noqa: E402
import sse  # the /sse/... endpoints (tests/servers/sse.py)

try:
    import brotli  # optional; /br is skipped without it
except ImportError:
    brotli = None

PLAIN_TEXT = "".join(
    "line %d: the quick brown fox jumps over the lazy dog\n" % i for i in range(100)
).encode()
GZIP_BODY = gzip.compress(PLAIN_TEXT, mtime=0)
DEFLATE_BODY = zlib.compress(PLAIN_TEXT)
BR_BODY = brotli.compress(PLAIN_TEXT) if brotli else None

# One period-aligned block: every write starts at i % 251 == 0, so the
# /large body is just this block repeated plus a prefix of it.
LARGE_BLOCK = bytes(i % 251 for i in range(251 * 4096))

NULL_BODY = {204, 205, 304}

_bombs = {}  # mb -> gzip of mb MiB of zeros, made on first use
_bombs_lock = threading.Lock()


def gzip_bomb(mb):
    with _bombs_lock:
        if mb not in _bombs:
            c = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip container
            zeros = bytes(1 << 20)
            parts = [c.compress(zeros) for _ in range(mb)]
            parts.append(c.flush())
            _bombs[mb] = b"".join(parts)
        return _bombs[mb]

stop = threading.Event()  # set at shutdown; releases /hang, /delay, ...
streams = {}  # /stream id -> {written, closed, finished}


def peer_rss_kib(port):
    """VmRSS of the local process owning the TCP socket bound to 127.0.0.1:port, or -1."""
    inode = None
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    cols = line.split()
                    if int(cols[1].split(":")[1], 16) == port:
                        inode = cols[9]
                        break
        except OSError:
            continue
        if inode:
            break
    if not inode:
        return -1
    target = "socket:[%s]" % inode
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            for fd in os.listdir("/proc/%s/fd" % pid):
                if os.readlink("/proc/%s/fd/%s" % (pid, fd)) == target:
                    with open("/proc/%s/status" % pid) as f:
                        for line in f:
                            if line.startswith("VmRSS:"):
                                return int(line.split()[1])
        except OSError:
            continue
    return -1
stats_lock = threading.Lock()
req_counts = Counter()
req_total = 0
conn_total = 0
misdirected = {}  # /misdirected: key -> {requests, ports}
verbose = False


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    server_version = "eddy-test/1"

    def log_message(self, fmt, *args):
        if verbose:
            sys.stderr.write("%s %s\n" % (self.server.name, fmt % args))

    # Any method name (including custom ones) goes to dispatch().
    def __getattr__(self, name):
        if name.startswith("do_"):
            return self.dispatch
        raise AttributeError(name)

    def read_body(self):
        te = self.headers.get("Transfer-Encoding", "")
        self.chunk_log = []  # (size, arrival time) of each chunk, for /upload-info
        if "chunked" in te.lower():
            parts = []
            while True:
                line = self.rfile.readline(65537)
                if not line:
                    break
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    # skip trailers up to the blank line
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                parts.append(self.rfile.read(size))
                self.chunk_log.append((size, time.monotonic()))
                self.rfile.readline(65537)  # CRLF after chunk data
            return b"".join(parts)
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def send(self, code, body=b"", headers=(), reason=None, ctype="text/plain"):
        if isinstance(body, str):
            body = body.encode()
        self.send_response(code, reason)
        has_ctype = False
        for k, v in headers:
            has_ctype |= k.lower() == "content-type"
            self.send_header(k, v)
        if body and not has_ctype:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def dispatch(self):
        global req_total
        u = urlsplit(self.path)
        path = u.path
        q = dict(parse_qsl(u.query, keep_blank_values=True))
        if path != "/count":
            with stats_lock:
                req_total += 1
                req_counts[path] = req_counts[path] + 1
        if path == "/hang":
            stop.wait()
            self.close_connection = True
            return
        body = self.read_body()
        parts = path.strip("/").split("/")
        head = parts[0]
        try:
            route = ROUTES.get(head)
            if route is None:
                self.send(404, "no such endpoint: %s\n" % path)
            else:
                route(self, parts, q, u, body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    # ---- endpoints ----
    def ep_echo(self, parts, q, u, body):
        out = {
            "method": self.command,
            "url": self.path,
            "path": u.path,
            "query": u.query,
            "httpVersion": self.request_version,
            "headers": [[k.lower(), v] for k, v in self.headers.items()],
            "body": body.decode("utf-8", "replace"),
            "bodyBase64": base64.b64encode(body).decode(),
        }
        self.send(200, json.dumps(out), ctype="application/json")

    def ep_status(self, parts, q, u, body):
        code = int(parts[1])
        reason = q.get("text")
        if code in NULL_BODY or code < 200:
            self.send_response(code, reason)
            if code == 205:
                self.send_header("Content-Length", "0")
            self.end_headers()
            if code < 200:  # a lone 1xx never completes; don't reuse
                self.close_connection = True
        else:
            self.send(code, "status %d\n" % code, reason=reason)

    def ep_redirect(self, parts, q, u, body):
        code = int(parts[1])
        to = q.get("to", "/echo")
        pad = "." * int(q.get("pad", "0"))  # a redirect body of this many more bytes
        self.send(code, "redirecting to %s\n%s" % (to, pad), [("Location", to)])

    def ep_redirect_chain(self, parts, q, u, body):
        n = int(parts[1])
        to = "/redirect-chain/%d" % (n - 1) if n > 1 else "/echo"
        self.send(302, "redirecting\n", [("Location", to)])

    def ep_redirect_loop(self, parts, q, u, body):
        self.send(302, "loop\n", [("Location", "/redirect-loop")])

    def ep_plain(self, parts, q, u, body):
        self.send(200, PLAIN_TEXT)

    def ep_gzip(self, parts, q, u, body):
        self.send(200, GZIP_BODY, [("Content-Encoding", "gzip"), ("Content-Type", "text/plain")])

    def ep_deflate(self, parts, q, u, body):
        self.send(200, DEFLATE_BODY, [("Content-Encoding", "deflate"), ("Content-Type", "text/plain")])

    def ep_br(self, parts, q, u, body):
        if BR_BODY is None:
            self.send(404, "brotli module not available\n")
        else:
            self.send(200, BR_BODY, [("Content-Encoding", "br"), ("Content-Type", "text/plain")])

    def ep_drip(self, parts, q, u, body):
        n = int(q.get("chunks", "5"))
        delay = float(q.get("delay_ms", "50")) / 1000
        size = q.get("size")
        clock = q.get("clock")
        # Each chunk leaves as it is written, as from a streaming server (nginx's tcp_nodelay,
        # Node): with Nagle the first chunks wait for the client's delayed ACK of the head, up to
        # 40 ms, which a latency figure would charge to the client.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if self.command == "HEAD":
            return
        for i in range(n):
            if i and stop.wait(delay):
                self.close_connection = True
                return
            if clock in ("1", "mono"):  # stamped as late as possible, in ms, as it is written
                data = b"%.3f\n" % ((time.monotonic() if clock == "mono" else time.time()) * 1000)
            else:
                data = b"x" * int(size) if size else b"chunk %d\n" % i
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.write(b"0\r\n\r\n")

    def ep_delay(self, parts, q, u, body):
        ms = float(q.get("ms", "100"))
        if stop.wait(ms / 1000):
            self.close_connection = True
            return
        self.send(200, "delayed %g ms\n" % ms)

    def ep_close_after(self, parts, q, u, body):
        # A keep-alive response, then the connection is closed ms later (default 2) without
        # reading on: a client that sent its next request on it meanwhile meets a FIN and a reset
        # before any byte of a response (the kernel resets a socket closed with unread data).
        # Head and body go out at once: with Nagle, the body could wait for the client's delayed
        # ACK and be lost.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.send(200, "%s %d\n" % (self.command, len(body)))
        self.wfile.flush()
        stop.wait(float(q.get("ms", "2")) / 1000)
        self.connection.close()
        self.close_connection = True

    def ep_slow_body(self, parts, q, u, body):
        ms = float(q.get("ms", "100"))
        data = b"slow body\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command == "HEAD":
            return
        self.wfile.flush()
        if stop.wait(ms / 1000):
            self.close_connection = True
            return
        self.wfile.write(data)

    def ep_close_mid_body(self, parts, q, u, body):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.write(b"0123456789")
        self.wfile.flush()
        self.close_connection = True  # handler returns -> socket closed

    def ep_large(self, parts, q, u, body):
        n = int(q.get("bytes", "1048576"))
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(n))
        self.end_headers()
        if self.command == "HEAD":
            return
        block = memoryview(LARGE_BLOCK)
        left = n
        while left > 0:
            k = min(left, len(block))
            self.wfile.write(block[:k])
            left -= k

    def ep_claim(self, parts, q, u, body):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", q.get("length", "1073741824"))
        self.end_headers()
        self.wfile.write(b"0123456789")
        self.wfile.flush()
        try:
            self.rfile.read(1)  # until the client closes (or the server stops)
        except OSError:
            pass
        self.close_connection = True

    def ep_gzip_bomb(self, parts, q, u, body):
        data = gzip_bomb(int(q.get("mb", "8")))
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Encoding", "gzip")
        if q.get("chunked") == "1":
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(b"%x\r\n%s\r\n0\r\n\r\n" % (len(data), data))
        else:
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

    def ep_big_header(self, parts, q, u, body):
        self.send(200, "big header\n", [("X-Big", "b" * int(q.get("bytes", "1048576")))])

    def ep_multipart(self, parts, q, u, body):
        ctype = self.headers.get("Content-Type", "")
        msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + ctype.encode("latin-1") + b"\r\n\r\n" + body)
        if not msg.is_multipart() or msg.get_content_type() != "multipart/form-data" or msg.defects:
            self.send(400, "not a well-formed multipart/form-data body: %r\n" % (msg.defects,))
            return
        out = []
        for part in msg.iter_parts():
            data = part.get_payload(decode=True) or b""
            out.append({
                "name": part.get_param("name", header="content-disposition"),
                "filename": part.get_filename(),
                "contentType": part.get("content-type"),
                "body": data.decode("utf-8", "replace"),
                "bodyBase64": base64.b64encode(data).decode(),
            })
        self.send(200, json.dumps({"type": ctype, "parts": out}), ctype="application/json")

    def ep_reflect(self, parts, q, u, body):
        ctype = self.headers.get("Content-Type")
        self.send(200, body, [("Content-Type", ctype)] if ctype else [],
                  ctype="application/octet-stream")

    def ep_stream(self, parts, q, u, body):
        sid = q.get("id", "")
        n = int(q.get("bytes", "0"))
        chunked = n == 0 or q.get("chunked") == "1"
        st = {"written": 0, "closed": False, "finished": False}
        with stats_lock:
            streams[sid] = st
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(n))
        self.end_headers()
        block = memoryview(LARGE_BLOCK)
        try:
            while n == 0 or st["written"] < n:
                if stop.is_set():
                    break
                k = len(block) if n == 0 else min(len(block), n - st["written"])
                if chunked:
                    self.wfile.write(b"%x\r\n" % k)
                self.wfile.write(block[:k])
                if chunked:
                    self.wfile.write(b"\r\n")
                with stats_lock:
                    st["written"] += k
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
            st["finished"] = True
        except OSError:
            st["closed"] = True
            self.close_connection = True

    def ep_stream_status(self, parts, q, u, body):
        with stats_lock:
            st = dict(streams.get(q.get("id", ""), {}))
        self.send(200, json.dumps(st), [("Cache-Control", "no-store")], ctype="application/json")

    def ep_upload_info(self, parts, q, u, body):
        log = self.chunk_log
        t0 = log[0][1] if log else 0
        out = {
            "transferEncoding": self.headers.get("Transfer-Encoding"),
            "contentLength": self.headers.get("Content-Length"),
            "sizes": [s for s, _ in log],
            "msAfterFirst": [round((t - t0) * 1000, 1) for _, t in log],
            "bodyBase64": base64.b64encode(body).decode(),
        }
        self.send(200, json.dumps(out), ctype="application/json")

    def ep_peer_rss(self, parts, q, u, body):
        self.send(200, str(peer_rss_kib(self.client_address[1])), [("Cache-Control", "no-store")])

    def ep_cookies(self, parts, q, u, body):
        self.send(200, "cookies\n", [
            ("Set-Cookie", "a=1; Path=/"),
            ("Set-Cookie", "b=2; Path=/; HttpOnly"),
            ("Set-Cookie", "c=3; Path=/; Max-Age=3600"),
        ])

    def ep_headers(self, parts, q, u, body):
        hdrs = parse_qsl(u.query, keep_blank_values=True)
        self.send(200, "headers\n", hdrs)

    def ep_coded(self, parts, q, u, body):
        # /coded?ce=V[&ce=W]: the request body back as the response's, with a Content-Encoding
        # field of each value given (a client's own coded bytes: no coding is applied here)
        hdrs = [("Content-Encoding", v) for k, v in parse_qsl(u.query) if k == "ce"]
        self.send(200, body or b"", hdrs + [("Content-Type", "application/octet-stream")])

    def ep_count(self, parts, q, u, body):
        with stats_lock:
            n = req_counts[q["path"]] if "path" in q else req_total
        self.send(200, str(n), [("Cache-Control", "no-store")])

    def ep_misdirected(self, parts, q, u, body):
        # /misdirected?key=K[&times=N]: 421 to the first N (default 1) requests of K, then 200 with
        # JSON {requests, connections (distinct client ports), body}; the 421s' bodies are text.
        with stats_lock:
            e = misdirected.setdefault(q.get("key", ""), {"requests": 0, "ports": set()})
            e["requests"] += 1
            e["ports"].add(self.client_address[1])
            n, ports = e["requests"], len(e["ports"])
        if n <= int(q.get("times", "1")):
            self.send(421, "misdirected %d\n" % n)
        else:
            out = {"requests": n, "connections": ports, "body": body.decode("utf-8", "replace")}
            self.send(200, json.dumps(out), ctype="application/json")

    def ep_connections(self, parts, q, u, body):
        with stats_lock:
            n = conn_total
        self.send(200, str(n), [("Cache-Control", "no-store")])


ROUTES = {
    "sse": lambda h, parts, q, u, body: sse.ep_sse(h, parts, q, u, body, stop),
    "echo": Handler.ep_echo,
    "status": Handler.ep_status,
    "redirect": Handler.ep_redirect,
    "redirect-chain": Handler.ep_redirect_chain,
    "redirect-loop": Handler.ep_redirect_loop,
    "plain": Handler.ep_plain,
    "gzip": Handler.ep_gzip,
    "deflate": Handler.ep_deflate,
    "br": Handler.ep_br,
    "drip": Handler.ep_drip,
    "delay": Handler.ep_delay,
    "slow-body": Handler.ep_slow_body,
    "close-mid-body": Handler.ep_close_mid_body,
    "close-after": Handler.ep_close_after,
    "large": Handler.ep_large,
    "claim": Handler.ep_claim,
    "gzip-bomb": Handler.ep_gzip_bomb,
    "big-header": Handler.ep_big_header,
    "cookies": Handler.ep_cookies,
    "headers": Handler.ep_headers,
    "coded": Handler.ep_coded,
    "count": Handler.ep_count,
    "connections": Handler.ep_connections,
    "misdirected": Handler.ep_misdirected,
    "multipart": Handler.ep_multipart,
    "reflect": Handler.ep_reflect,
    "stream": Handler.ep_stream,
    "stream-status": Handler.ep_stream_status,
    "upload-info": Handler.ep_upload_info,
    "peer-rss": Handler.ep_peer_rss,
}


class Server(ThreadingHTTPServer):
    daemon_threads = True  # idle keep-alive connections must not block exit
    request_queue_size = 256  # concurrency tests open many sockets at once
    ssl_ctx = None

    def __init__(self, name, ssl_ctx=None):
        self.name = name
        self.ssl_ctx = ssl_ctx
        super().__init__(("127.0.0.1", 0), Handler)

    def process_request(self, request, client_address):
        global conn_total
        with stats_lock:
            conn_total += 1
        super().process_request(request, client_address)

    def finish_request(self, request, client_address):
        if self.ssl_ctx is not None:
            # Handshake in the connection's own thread, not the accept loop,
            # so one stalled client cannot block the port.
            request.settimeout(10)
            try:
                request = self.ssl_ctx.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return
            request.settimeout(None)
        super().finish_request(request, client_address)

    def handle_error(self, request, client_address):
        if verbose:
            super().handle_error(request, client_address)


def make_cert(tmpdir):
    cert, key = self_signed(tmpdir, "cert")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    return ctx, cert


def main():
    global verbose
    args = sys.argv[1:]
    verbose = "--verbose" in args
    tmpdir = None
    started = []
    servers = [Server("http"), Server("http2")]
    info = {
        "http": "http://127.0.0.1:%d" % servers[0].server_address[1],
        "http2": "http://127.0.0.1:%d" % servers[1].server_address[1],
    }
    try:
        if "--https" in args:
            tmpdir = tempfile.mkdtemp(prefix="eddy-httpserver-")
            ctx, cert = make_cert(tmpdir)
            s = Server("https", ctx)
            servers.append(s)
            info["https"] = "https://127.0.0.1:%d" % s.server_address[1]
            info["cacert"] = cert

        for s in servers:
            threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.1},
                             daemon=True).start()
            started.append(s)

        lifeline(stop)

        sys.stdout.write(json.dumps(info) + "\n")
        sys.stdout.flush()

        while not stop.wait(0.2):  # timed wait so signal handlers get to run
            pass
    finally:
        stop.set()
        for s in started:  # shutdown() would hang on a never-started server
            s.shutdown()
        for s in servers:
            s.server_close()
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)


if __name__ == "__main__":
    main()
