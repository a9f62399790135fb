#!/usr/bin/env python3
"""Self-test of the test servers: python3 tests/servers/test_httpserver.py"""

import base64
import gzip
import hashlib
import http.client
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import unittest
import urllib.error
import urllib.request
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def start(script, *args):
    p = subprocess.Popen([sys.executable, os.path.join(HERE, script), *args],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    info = json.loads(p.stdout.readline())
    return p, info


def stop(p):
    p.stdin.close()
    rc = p.wait(timeout=5)
    p.stdout.close()
    return rc


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


no_redirect = urllib.request.build_opener(NoRedirect)


def get(url, data=None, method=None, headers=None, timeout=10, opener=None):
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        r = (opener or urllib.request.build_opener()).open(req, timeout=timeout)
    except urllib.error.HTTPError as e:
        r = e  # non-2xx still carries status, headers and body
    with r:
        return r.status, r.headers, r.read(), r


class HttpServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.proc, cls.info = start("httpserver.py", "--https")
        cls.base = cls.info["http"]
        cls.base2 = cls.info["http2"]

    @classmethod
    def tearDownClass(cls):
        stop(cls.proc)

    def count(self, path=None):
        q = "?path=" + path if path else ""
        return int(get(self.base + "/count" + q)[2])

    def test_ports_distinct(self):
        urls = {self.info["http"], self.info["http2"], self.info["https"]}
        self.assertEqual(len(urls), 3)
        for u in urls:
            self.assertTrue(u.startswith(("http://127.0.0.1:", "https://127.0.0.1:")))

    def test_echo_get(self):
        st, h, body, _ = get(self.base + "/echo?a=1&b=x%20y", headers={"X-First": "1", "X-Second": "2"})
        self.assertEqual(st, 200)
        self.assertEqual(h["Content-Type"], "application/json")
        j = json.loads(body)
        self.assertEqual(j["method"], "GET")
        self.assertEqual(j["path"], "/echo")
        self.assertEqual(j["query"], "a=1&b=x%20y")
        names = [k for k, _ in j["headers"]]
        self.assertEqual(names, [n.lower() for n in names])
        self.assertLess(names.index("x-first"), names.index("x-second"))
        self.assertIn(["x-second", "2"], j["headers"])
        self.assertEqual(j["body"], "")

    def test_echo_post_and_methods(self):
        data = "héllo \x00 wörld".encode()
        j = json.loads(get(self.base + "/echo", data=data, method="PUT")[2])
        self.assertEqual(j["method"], "PUT")
        self.assertEqual(j["body"], data.decode())
        import base64
        self.assertEqual(base64.b64decode(j["bodyBase64"]), data)
        for m in ("DELETE", "PATCH", "OPTIONS", "PROPFIND"):
            self.assertEqual(json.loads(get(self.base + "/echo", method=m)[2])["method"], m)
        st, h, body, _ = get(self.base + "/echo", method="HEAD")
        self.assertEqual((st, body), (200, b""))

    def test_echo_chunked_request_body(self):
        c = http.client.HTTPConnection("127.0.0.1", int(self.base.rsplit(":", 1)[1]), timeout=10)
        c.request("POST", "/echo", body=iter([b"abc", b"def"]), encode_chunked=True,
                  headers={"Transfer-Encoding": "chunked"})
        j = json.loads(c.getresponse().read())
        self.assertEqual(j["body"], "abcdef")
        # the connection is still usable after a chunked body
        c.request("GET", "/echo")
        self.assertEqual(json.loads(c.getresponse().read())["method"], "GET")
        c.close()

    def test_status(self):
        st, _, body, r = get(self.base + "/status/418?text=I%27m%20a%20teapot")
        self.assertEqual((st, r.reason), (418, "I'm a teapot"))
        self.assertTrue(body)
        for code in (200, 201, 404, 500, 503):
            self.assertEqual(get(self.base + "/status/%d" % code)[0], code)
        for code in (204, 304):
            st, _, body, _ = get(self.base + "/status/%d" % code)
            self.assertEqual((st, body), (code, b""))
        self.assertEqual(get(self.base + "/nope")[0], 404)

    def test_redirect(self):
        st, h, _, _ = get(self.base + "/redirect/301?to=/echo%3Fx%3D1", opener=no_redirect)
        self.assertEqual((st, h["Location"]), (301, "/echo?x=1"))
        for code in (302, 303, 307, 308):
            st, h, _, _ = get(self.base + "/redirect/%d?to=%s/echo" % (code, self.base2), opener=no_redirect)
            self.assertEqual((st, h["Location"]), (code, self.base2 + "/echo"))
        # cross-origin hop lands on the second port
        st, _, body, r = get(self.base + "/redirect/302?to=%s/echo" % self.base2)
        self.assertEqual(st, 200)
        self.assertTrue(r.url.startswith(self.base2))
        self.assertIn(["host", self.base2[len("http://"):]], json.loads(body)["headers"])

    def test_redirect_chain_and_loop(self):
        before = self.count("/redirect-chain/1")
        st, _, body, r = get(self.base + "/redirect-chain/3")
        self.assertEqual(st, 200)
        self.assertEqual(json.loads(body)["path"], "/echo")
        self.assertEqual(self.count("/redirect-chain/1"), before + 1)
        st, h, _, _ = get(self.base + "/redirect-chain/1", opener=no_redirect)
        self.assertEqual((st, h["Location"]), (302, "/echo"))
        st, h, _, _ = get(self.base + "/redirect-loop", opener=no_redirect)
        self.assertEqual((st, h["Location"]), (302, "/redirect-loop"))
        st, _, _, _ = get(self.base + "/redirect-loop")  # urllib gives up
        self.assertEqual(st, 302)

    def test_compression(self):
        plain = get(self.base + "/plain")[2]
        self.assertGreater(len(plain), 1000)
        st, h, body, _ = get(self.base + "/gzip")
        self.assertEqual(h["Content-Encoding"], "gzip")
        self.assertEqual(gzip.decompress(body), plain)
        st, h, body, _ = get(self.base + "/deflate")
        self.assertEqual(h["Content-Encoding"], "deflate")
        self.assertEqual(zlib.decompress(body), plain)
        st, h, body, _ = get(self.base + "/br")
        try:
            import brotli
        except ImportError:
            self.assertEqual(st, 404)
        else:
            self.assertEqual(brotli.decompress(body), plain)

    def test_drip(self):
        c = http.client.HTTPConnection("127.0.0.1", int(self.base.rsplit(":", 1)[1]), timeout=10)
        t0 = time.monotonic()
        c.request("GET", "/drip?chunks=4&delay_ms=100")
        r = c.getresponse()
        self.assertEqual(r.getheader("Transfer-Encoding"), "chunked")
        self.assertIsNone(r.getheader("Content-Length"))
        self.assertEqual(r.read(), b"chunk 0\nchunk 1\nchunk 2\nchunk 3\n")
        self.assertGreaterEqual(time.monotonic() - t0, 0.3)
        c.request("GET", "/drip?chunks=2&delay_ms=0&size=1000")
        self.assertEqual(c.getresponse().read(), b"x" * 2000)
        c.close()

    def test_delay(self):
        t0 = time.monotonic()
        st = get(self.base + "/delay?ms=300")[0]
        self.assertEqual(st, 200)
        self.assertGreaterEqual(time.monotonic() - t0, 0.3)

    def test_slow_body(self):
        c = http.client.HTTPConnection("127.0.0.1", int(self.base.rsplit(":", 1)[1]), timeout=10)
        t0 = time.monotonic()
        c.request("GET", "/slow-body?ms=400")
        r = c.getresponse()
        t_head = time.monotonic() - t0
        r.read()
        t_body = time.monotonic() - t0
        self.assertLess(t_head, 0.3)
        self.assertGreaterEqual(t_body, 0.4)
        c.close()

    def test_close_mid_body(self):
        c = http.client.HTTPConnection("127.0.0.1", int(self.base.rsplit(":", 1)[1]), timeout=10)
        c.request("GET", "/close-mid-body")
        r = c.getresponse()
        self.assertEqual(r.getheader("Content-Length"), "1000")
        with self.assertRaises(http.client.IncompleteRead) as cm:
            r.read()
        self.assertEqual(cm.exception.partial, b"0123456789")
        c.close()

    def test_large(self):
        n = 1000003
        st, h, body, _ = get(self.base + "/large?bytes=%d" % n)
        self.assertEqual(int(h["Content-Length"]), n)
        self.assertEqual(body, bytes(i % 251 for i in range(n)))
        self.assertEqual(get(self.base + "/large?bytes=0")[2], b"")

    def test_claim(self):
        c = http.client.HTTPConnection("127.0.0.1", int(self.base.rsplit(":", 1)[1]), timeout=10)
        c.request("GET", "/claim?length=1073741824")
        r = c.getresponse()
        self.assertEqual(r.getheader("Content-Length"), "1073741824")
        self.assertEqual(r.read(10), b"0123456789")
        c.close()  # the server's handler ends when we close

    def test_gzip_bomb(self):
        for q in ("mb=3", "mb=3&chunked=1"):
            st, h, body, _ = get(self.base + "/gzip-bomb?" + q)
            self.assertEqual(h["Content-Encoding"], "gzip")
            self.assertLess(len(body), 64 * 1024)
            self.assertEqual(gzip.decompress(body), bytes(3 << 20))

    def test_big_header(self):
        c = http.client.HTTPConnection("127.0.0.1", int(self.base.rsplit(":", 1)[1]), timeout=10)
        c.request("GET", "/big-header?bytes=200000")
        c.sock.settimeout(10)
        data = b""
        while b"\r\n\r\n" not in data:
            data += c.sock.recv(65536)
        self.assertIn(b"X-Big: " + b"b" * 200000 + b"\r\n", data)
        c.close()

    def test_large_200mb(self):
        n = 200 * 1000 * 1000
        want = hashlib.sha256()
        block = bytes(i % 251 for i in range(251 * 4000))
        for _ in range(n // len(block)):
            want.update(block)
        want.update(block[:n % len(block)])
        got = hashlib.sha256()
        total = 0
        t0 = time.monotonic()
        with urllib.request.urlopen(self.base + "/large?bytes=%d" % n, timeout=60) as r:
            while True:
                chunk = r.read(1 << 20)
                if not chunk:
                    break
                got.update(chunk)
                total += len(chunk)
        self.assertEqual(total, n)
        self.assertEqual(got.hexdigest(), want.hexdigest())
        self.assertLess(time.monotonic() - t0, 30)

    def test_cookies(self):
        _, h, _, _ = get(self.base + "/cookies")
        cookies = h.get_all("Set-Cookie")
        self.assertEqual(len(cookies), 3)
        self.assertEqual([c.split(";")[0] for c in cookies], ["a=1", "b=2", "c=3"])

    def test_headers(self):
        _, h, _, _ = get(self.base + "/headers?X-Custom=hello&X-Dup=1&X-Dup=2&Cache-Control=no-cache")
        self.assertEqual(h["X-Custom"], "hello")
        self.assertEqual(h.get_all("X-Dup"), ["1", "2"])
        self.assertEqual(h["Cache-Control"], "no-cache")

    def test_multipart_and_reflect(self):
        body = (b'--B\r\nContent-Disposition: form-data; name="t"\r\n\r\nv\r\n'
                b'--B\r\nContent-Disposition: form-data; name="f"; filename="a.bin"\r\n'
                b'Content-Type: application/x-y\r\n\r\n\x00\xff\r\n--B--\r\n')
        ctype = "multipart/form-data; boundary=B"
        j = json.loads(get(self.base + "/multipart", data=body, headers={"Content-Type": ctype})[2])
        self.assertEqual(j["type"], ctype)
        self.assertEqual([(p["name"], p["filename"], p["contentType"]) for p in j["parts"]],
                         [("t", None, None), ("f", "a.bin", "application/x-y")])
        self.assertEqual(j["parts"][0]["body"], "v")
        self.assertEqual(base64.b64decode(j["parts"][1]["bodyBase64"]), b"\x00\xff")
        st = get(self.base + "/multipart", data=b"x", headers={"Content-Type": "text/plain"})[0]
        self.assertEqual(st, 400)
        st, h, got, _ = get(self.base + "/reflect", data=body, headers={"Content-Type": ctype})
        self.assertEqual((st, h["Content-Type"], got), (200, ctype, body))

    def test_hang_and_count(self):
        before = self.count()
        hang_before = self.count("/hang")
        self.assertEqual(self.count(), before)  # /count does not count itself
        with self.assertRaises((socket.timeout, TimeoutError, urllib.error.URLError)):
            urllib.request.urlopen(self.base + "/hang", timeout=0.5)
        get(self.base2 + "/echo")  # other ports count too
        self.assertEqual(self.count(), before + 2)
        self.assertEqual(self.count("/hang"), hang_before + 1)

    def test_keep_alive(self):
        conns = int(get(self.base + "/connections")[2])
        c = http.client.HTTPConnection("127.0.0.1", int(self.base.rsplit(":", 1)[1]), timeout=10)
        for path in ("/echo", "/status/201", "/gzip", "/cookies", "/large?bytes=100000",
                     "/drip?chunks=2&delay_ms=0", "/status/204", "/redirect-loop", "/echo"):
            c.request("GET", path)
            r = c.getresponse()
            r.read()
            self.assertFalse(r.will_close, path)
        c.close()
        # one connection for all of the above, one for each /connections query
        self.assertEqual(int(get(self.base + "/connections")[2]), conns + 2)

    def test_https(self):
        ctx = ssl.create_default_context(cafile=self.info["cacert"])
        with urllib.request.urlopen(self.info["https"] + "/echo?s=1", context=ctx, timeout=10) as r:
            self.assertEqual(json.loads(r.read())["query"], "s=1")
        with urllib.request.urlopen(self.info["https"] + "/gzip", context=ctx, timeout=10) as r:
            self.assertEqual(r.headers["Content-Encoding"], "gzip")
        # without the CA the certificate is rejected
        with self.assertRaises(urllib.error.URLError):
            urllib.request.urlopen(self.info["https"] + "/echo", timeout=10)


class LifecycleTest(unittest.TestCase):
    def test_exit_on_stdin_close(self):
        p, info = start("httpserver.py", "--https")
        cadir = os.path.dirname(info["cacert"])
        self.assertTrue(os.path.isdir(cadir))
        # a pending /hang and an idle keep-alive connection must not block exit
        s = socket.create_connection(("127.0.0.1", int(info["http"].rsplit(":", 1)[1])))
        s.sendall(b"GET /hang HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(0.2)
        t0 = time.monotonic()
        self.assertEqual(stop(p), 0)
        self.assertLess(time.monotonic() - t0, 3)
        self.assertFalse(os.path.exists(cadir))
        s.close()

    def test_exit_on_sigterm(self):
        p, info = start("httpserver.py")
        self.assertNotIn("https", info)
        p.send_signal(signal.SIGTERM)
        self.assertEqual(p.wait(timeout=5), 0)
        p.stdin.close()
        p.stdout.close()


    def test_popen_style(self):
        # popen(3)/ctest: stdin is not a pipe (must not mean "stop"), and
        # pclose() closes the stdout pipe first, then waits.
        for script in ("httpserver.py", "signal_server.py"):
            p = subprocess.Popen([sys.executable, os.path.join(HERE, script)],
                                 stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
            info = json.loads(p.stdout.readline())
            url = info.get("http") or info["a"]
            time.sleep(0.5)
            self.assertIsNone(p.poll(), script)
            self.assertEqual(urllib.request.urlopen(url.rstrip("/") + "/echo" if "http" in info else url,
                                                    timeout=5).status, 200)
            p.stdout.close()
            self.assertEqual(p.wait(timeout=5), 0, script)


class SignalServerTest(unittest.TestCase):
    def test_reports_after_full_head(self):
        p, info = start("signal_server.py")
        try:
            for name, key in (("A", "a"), ("B", "b")):
                port = int(info[key].rstrip("/").rsplit(":", 1)[1])
                s = socket.create_connection(("127.0.0.1", port))
                s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
                time.sleep(0.3)
                t_sent = time.monotonic() * 1000
                s.sendall(b"\r\n")
                line = p.stdout.readline().decode()
                who, got, ms = line.split()
                self.assertEqual((who, got), (name, "got"))
                # reported only once the head was complete
                self.assertGreaterEqual(float(ms), t_sent)
                resp = s.recv(4096)
                self.assertTrue(resp.startswith(b"HTTP/1.1 200 OK\r\n"))
                # keep-alive with a body: second request is reported too
                s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
                self.assertTrue(p.stdout.readline().startswith(name.encode() + b" got "))
                self.assertIn(b"200 OK", s.recv(4096))
                s.close()
        finally:
            self.assertEqual(stop(p), 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
