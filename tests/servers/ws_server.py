#!/usr/bin/env python3
"""WebSocket test server (RFC 6455 framing and RFC 7692 permessage-deflate written here, Python
standard library only), on 127.0.0.1, plain and TLS.

    python3 tests/servers/ws_server.py

Prints one JSON line: {"ws": "ws://127.0.0.1:P", "wss": "wss://127.0.0.1:Q", "cacert": path}.
    python3 tests/servers/ws_server.py --run CMD...
runs CMD with that JSON line as its last argument and SSL_CERT_FILE set to the certificate
(the eddy command trusts it then), and exits with CMD's status.
Stops when a piped stdin reaches EOF, on SIGTERM, or when its parent dies (lifeline). Every
client close frame it receives is also printed as a line "closed <tag> <code>" (tag: the ?tag=
query parameter), for tests that watch stdout.

Paths (query parameters in brackets):
  /echo            [rawhead: a line added to the handshake response as it is, "\\0" a NUL]
                   echoes every message, text as text, binary as binary, and the close frame's
                   code and reason; "Goodbye" is answered with a close frame (as the
                   web-platform-tests' echo does); "__stats" answers JSON
                   {"messages": n, "compressed": n} of what it received so far [closedelay:
                   ms to wait before answering the client's close frame]
  /deflate         as /echo with permessage-deflate accepted [snc, cnc: *_no_context_takeover;
                   smwb, cmwb: *_max_window_bits; bogus: an invalid parameter in the answer;
                   bfinal: first sends "Hello" as RFC 7692 7.2.3.4's example does, in a
                   DEFLATE block with BFINAL set, then "Hello, again" flushed the same way with
                   "Hello" as its window (back-references into the first message)]
  /fragments       sends "Hello, world" in three fragments with a ping in between, then a binary
                   message of bytes 0..9 in two fragments, then echoes
  /ping            pings with payload "p1"; on the pong sends text "pong:<payload>"
  /close           sends a close frame [code, reason] and waits for the client's [linger: ms
                   before closing TCP after it]
  /reset           sends "bye" then resets the TCP connection (SO_LINGER 0)
  /hang            accepts the connection, never answers the handshake
  /status          answers the handshake with HTTP 404
  /badaccept       answers with a wrong Sec-WebSocket-Accept
  /proto           picks the first protocol offered [pick: answer with that one instead]
  /badutf8         sends a text message that is not UTF-8
  /big             sends a binary message of [n] bytes
  /push            sends [count] text messages "<i> <time.monotonic_ns()>" every [interval] ms
  /sink            reads nothing for [delay] ms, then echoes
  /flood           sends [count] binary messages of [size] bytes (a 4-byte big-endian index,
                   then 0x05s) as fast as the client reads, then text "end"; records its progress
                   under [tag]
  /progress        sends the bytes /flood with [tag] had sent so far, as text
  /report          sends JSON {"code", "reason"} of the last close frame received with [tag],
                   or null
"""
import base64
import hashlib
import json
import os
import socket
import ssl
import struct
import sys
import tempfile
import threading
import time
import zlib
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from certs import self_signed  # noqa: E402
from lifeline import lifeline  # noqa: E402

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
closes = {}
progress = {}
closes_lock = threading.Lock()
out_lock = threading.Lock()


quiet = False  # --run: stdout is the command's


def say(line):
    if quiet:
        return
    with out_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


class Closed(Exception):
    pass


class Conn:
    def __init__(self, sock, query):
        self.sock = sock
        self.q = query
        self.buf = b""
        self.deflate = False
        self.inflater = None
        self.compressor = None
        self.snc = self.cnc = False
        self.smwb = 15
        self.messages = 0
        self.compressed = 0
        # /report and /progress name the connection they ask about with [tag]: their own close
        # is not that connection's (recorded, it would replace the one asked for).
        self.records_close = True

    def arg(self, name, default=None):
        v = self.q.get(name)
        return v[0] if v else default

    def recv_exact(self, n):
        if len(self.buf) < n:
            parts, have = [self.buf], len(self.buf)
            while have < n:
                chunk = self.sock.recv(max(65536, min(n - have, 1 << 22)))
                if not chunk:
                    raise Closed()
                parts.append(chunk)
                have += len(chunk)
            self.buf = b"".join(parts)
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def send_frame(self, opcode, payload=b"", fin=True, rsv1=False):
        b0 = (0x80 if fin else 0) | (0x40 if rsv1 else 0) | opcode
        n = len(payload)
        if n < 126:
            head = struct.pack("!BB", b0, n)
        elif n < 65536:
            head = struct.pack("!BBH", b0, 126, n)
        else:
            head = struct.pack("!BBQ", b0, 127, n)
        self.sock.sendall(head + payload)

    def send_message(self, opcode, payload):
        if self.deflate:
            if self.compressor is None or self.snc:
                self.compressor = zlib.compressobj(wbits=-self.smwb)
            data = self.compressor.compress(payload) + self.compressor.flush(zlib.Z_SYNC_FLUSH)
            if data.endswith(b"\x00\x00\xff\xff"):
                data = data[:-4]
            self.send_frame(opcode, data, rsv1=True)
        else:
            self.send_frame(opcode, payload)

    def read_frame(self):
        b0, b1 = self.recv_exact(2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack("!H", self.recv_exact(2))[0]
        elif n == 127:
            n = struct.unpack("!Q", self.recv_exact(8))[0]
        if not b1 & 0x80:
            raise Closed()  # clients must mask
        mask = self.recv_exact(4)
        data = self.recv_exact(n)
        if n:
            # XOR as one big integer: a per-byte loop takes seconds per MiB.
            key = (mask * (n // 4 + 1))[:n]
            data = (int.from_bytes(data, "little") ^ int.from_bytes(key, "little")).to_bytes(n, "little")
        return b0 & 0x80, b0 & 0x40, b0 & 0x0F, data

    def read_message(self):
        """(opcode, payload) of the next data message, answering pings; ('close', code, reason)."""
        parts, opcode, rsv = [], None, False
        while True:
            fin, rsv1, op, data = self.read_frame()
            if op == 9:
                self.send_frame(10, data)
                continue
            if op == 10:
                return ("pong", data)
            if op == 8:
                code = struct.unpack("!H", data[:2])[0] if len(data) >= 2 else None
                return ("close", code, data[2:].decode("utf-8", "replace"))
            if op != 0:
                opcode, rsv = op, bool(rsv1)
            parts.append(data)
            if fin:
                payload = b"".join(parts)
                self.messages += 1
                if rsv:
                    self.compressed += 1
                    if self.inflater is None or self.cnc:
                        self.inflater = zlib.decompressobj(wbits=-15)
                    payload = self.inflater.decompress(payload + b"\x00\x00\xff\xff")
                return (opcode, payload)

    def close(self, code=1000, reason=b""):
        try:
            self.send_frame(8, struct.pack("!H", code) + reason if code else b"")
        except OSError:
            pass

    def record_close(self, msg):
        tag = self.arg("tag")
        if tag is not None and self.records_close:
            with closes_lock:
                closes[tag] = {"code": msg[1], "reason": msg[2]}
        say("closed %s %s" % (tag, msg[1]))

    def echo_loop(self):
        while True:
            msg = self.read_message()
            if msg[0] == "close":
                self.record_close(msg)
                time.sleep(int(self.arg("closedelay", "0")) / 1000)
                self.close(msg[1] or 0, msg[2].encode())  # code and reason, as pywebsocket echoes
                return
            if msg[0] == "pong":
                continue
            opcode, payload = msg
            if opcode == 1 and payload == b"Goodbye":  # pywebsocket's echo closes on it
                self.close(1000)
                continue
            if opcode == 1 and payload == b"__stats":
                stats = {"messages": self.messages - 1, "compressed": self.compressed}
                self.send_message(1, json.dumps(stats).encode())
                continue
            self.send_message(opcode, payload)


def handshake(sock, path, query, headers):
    """Answers the upgrade as the path asks; returns a Conn, or None when it is not to go on."""
    conn = Conn(sock, query)
    conn.request_headers = headers
    key = headers.get("sec-websocket-key", "")
    accept = base64.b64encode(hashlib.sha1(key.encode() + GUID).digest()).decode()
    if path == "/hang":
        time.sleep(60)
        return None
    if path == "/status":
        sock.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        return None
    if path == "/badaccept":
        accept = base64.b64encode(b"x" * 20).decode()
    lines = ["HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade",
             "Sec-WebSocket-Accept: " + accept]
    if conn.arg("rawhead") is not None:
        lines.append(conn.arg("rawhead").replace("\\0", "\0"))
    offered = [p.strip() for p in headers.get("sec-websocket-protocol", "").split(",") if p.strip()]
    if path == "/proto":
        pick = conn.arg("pick")
        if pick is not None:
            lines.append("Sec-WebSocket-Protocol: " + pick)
        elif offered:
            lines.append("Sec-WebSocket-Protocol: " + offered[0])
    if path == "/deflate" and "permessage-deflate" in headers.get("sec-websocket-extensions", ""):
        ext = ["permessage-deflate"]
        conn.deflate = True
        if conn.arg("snc"):
            conn.snc = True
            ext.append("server_no_context_takeover")
        if conn.arg("cnc"):
            conn.cnc = True
            ext.append("client_no_context_takeover")
        if conn.arg("smwb"):
            conn.smwb = int(conn.arg("smwb"))
            ext.append("server_max_window_bits=%d" % conn.smwb)
        if conn.arg("cmwb"):
            ext.append("client_max_window_bits=%s" % conn.arg("cmwb"))
        if conn.arg("bogus"):
            ext.append("bogus_parameter")
        lines.append("Sec-WebSocket-Extensions: " + "; ".join(ext))
    lines.append("X-Offered-Extensions: " + headers.get("sec-websocket-extensions", ""))
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    return conn


def serve(conn, path):
    if path == "/deflate" and conn.deflate and conn.arg("bfinal"):
        conn.send_frame(1, bytes([0xF3, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00, 0x00]), rsv1=True)
        c = zlib.compressobj(wbits=-15, zdict=b"Hello")
        conn.send_frame(1, c.compress(b"Hello, again") + c.flush(zlib.Z_FINISH) + b"\x00", rsv1=True)
    if path in ("/echo", "/deflate", "/proto", "/badaccept"):
        conn.echo_loop()
    elif path == "/fragments":
        conn.send_frame(1, b"Hello", fin=False)
        conn.send_frame(0, b", ", fin=False)
        conn.send_frame(9, b"mid")
        conn.send_frame(0, b"world", fin=True)
        conn.send_frame(2, bytes(range(5)), fin=False)
        conn.send_frame(0, bytes(range(5, 10)), fin=True)
        conn.echo_loop()
    elif path == "/ping":
        conn.send_frame(9, b"p1")
        while True:
            msg = conn.read_message()
            if msg[0] == "pong":
                conn.send_message(1, b"pong:" + msg[1])
            elif msg[0] == "close":
                conn.record_close(msg)
                conn.close(msg[1] or 0)
                return
    elif path == "/close":
        code = int(conn.arg("code", "1000"))
        conn.close(code, conn.arg("reason", "").encode())
        while True:
            msg = conn.read_message()
            if msg[0] == "close":
                conn.record_close(msg)
                time.sleep(int(conn.arg("linger", "0")) / 1000)
                return
    elif path == "/reset":
        conn.send_message(1, b"bye")
        time.sleep(0.05)
        conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    elif path == "/badutf8":
        conn.send_frame(1, b"ok \xff\xfe")
        conn.echo_loop()
    elif path == "/big":
        conn.send_message(2, b"\x07" * int(conn.arg("n", "1024")))
        conn.echo_loop()
    elif path == "/push":
        count, interval = int(conn.arg("count", "10")), int(conn.arg("interval", "50")) / 1000
        for i in range(count):
            time.sleep(interval)
            conn.send_message(1, ("%d %d" % (i, time.monotonic_ns())).encode())
        conn.echo_loop()
    elif path == "/sink":
        time.sleep(int(conn.arg("delay", "500")) / 1000)
        conn.echo_loop()
    elif path == "/flood":
        # As fast as the client takes them: how far it got is in progress[tag].
        tag, size = conn.arg("tag", ""), int(conn.arg("size", "65536"))
        for i in range(int(conn.arg("count", "100"))):
            conn.send_message(2, struct.pack("!I", i) + b"\x05" * (size - 4))
            with closes_lock:
                progress[tag] = (i + 1) * size
        conn.send_message(1, b"end")
        conn.echo_loop()
    elif path == "/progress":
        conn.records_close = False
        with closes_lock:
            sent = progress.get(conn.arg("tag", ""), 0)
        conn.send_message(1, str(sent).encode())
        conn.echo_loop()
    elif path == "/headers":
        # The upgrade request's headers, by lower-case name, as the first message.
        conn.send_message(1, json.dumps(conn.request_headers).encode())
        conn.echo_loop()
    elif path == "/report":
        conn.records_close = False
        with closes_lock:
            rec = closes.get(conn.arg("tag", ""))
        conn.send_message(1, json.dumps(rec).encode())
        conn.echo_loop()
    else:
        conn.close(1008, b"unknown path")


def read_head(sock):
    """(target, headers, rest) of an HTTP request read from sock: headers by lower-case name
    (repeated ones joined with ", "), rest the bytes read past them; None if the client left
    first or sent more than 64 KiB of head. Also tests/wpt/ws_wpt_server.py's."""
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(4096)
        if not chunk:
            return None
        head += chunk
        if len(head) > 65536:
            return None
    head, rest = head.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    target = lines[0].split(" ")[1]
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            n, v = line.split(":", 1)
            n = n.strip().lower()
            headers[n] = headers[n] + ", " + v.strip() if n in headers else v.strip()
    return target, headers, rest


def handle(sock):
    try:
        got = read_head(sock)
        if got is None:
            return
        target, headers, rest = got
        u = urlsplit(target)
        conn = handshake(sock, u.path, parse_qs(u.query), headers)
        if conn is None:
            return
        conn.buf = rest
        serve(conn, u.path)
    except (Closed, OSError, ssl.SSLError, ValueError, zlib.error):
        pass
    finally:
        try:
            sock.close()
        except OSError:
            pass


def listen(ctx, handler=handle):
    """Accepts on an ephemeral 127.0.0.1 port (TLS with ctx), each connection in a thread
    running handler(sock); returns the listening socket."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(128)

    def accept_loop():
        while True:
            try:
                c, _ = s.accept()
            except OSError:
                return
            c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def run(c=c):
                if ctx is not None:
                    try:
                        c.settimeout(10)
                        c = ctx.wrap_socket(c, server_side=True)
                        c.settimeout(None)
                    except (OSError, ssl.SSLError):
                        c.close()
                        return
                handler(c)
            threading.Thread(target=run, daemon=True).start()
    threading.Thread(target=accept_loop, daemon=True).start()
    return s


def main():
    d = tempfile.mkdtemp(prefix="ws_server_")
    cert, key = self_signed(d, "ws")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    ctx.set_alpn_protocols(["http/1.1"])
    port = listen(None).getsockname()[1]
    tls_port = listen(ctx).getsockname()[1]
    line = json.dumps({"ws": "ws://127.0.0.1:%d" % port, "wss": "wss://127.0.0.1:%d" % tls_port,
                       "cacert": cert})
    if len(sys.argv) > 2 and sys.argv[1] == "--run":
        import subprocess
        global quiet
        quiet = True
        env = dict(os.environ, SSL_CERT_FILE=cert)
        try:
            return subprocess.call(sys.argv[2:] + [line], env=env)
        finally:
            os.unlink(cert)
            os.unlink(key)
            os.rmdir(d)
    say(line)
    stop = threading.Event()
    lifeline(stop)
    try:
        stop.wait()
    finally:
        for f in os.listdir(d):
            os.unlink(os.path.join(d, f))
        os.rmdir(d)


if __name__ == "__main__":
    sys.exit(main())
