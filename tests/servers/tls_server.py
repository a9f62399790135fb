#!/usr/bin/env python3
"""TLS test server: nginx (Debian's, which speaks HTTP/2 through ALPN) on two ports of 127.0.0.1,
with certificates generated at start.

    python3 tests/servers/tls_server.py

Prints one JSON line:
    {"h2": "https://127.0.0.1:P1", "wrong_host": "https://127.0.0.1:P2",
     "cacert": ".../trusted.pem", "capath": ".../capath", "dir": "..."}
"h2" presents a self-signed certificate for 127.0.0.1 and localhost; "wrong_host" one for
other.invalid only, so trusting it still fails the host name check. "cacert" is a PEM bundle of
both certificates, "capath" a hashed directory (openssl rehash layout) of the first only.
Endpoints: /proto answers "<protocol> <connection serial>" (e.g. "HTTP/2.0 1"), so a client can
see which HTTP version it spoke and whether requests shared a connection; /proto_unsized
answers the same gzip-encoded (to a client that accepts gzip), without a Content-Length, so
only the end of its stream delimits it; /late/proto and /late/proto_unsized answer the same
after a delay (nginx's limit_req: every request after the first in a second waits its 50 ms turn),
without reading the request body meanwhile; /slow sends 4 MiB at
64 KiB/s (a body still arriving when a test aborts it); PUT /upload/<name> stores a body (WebDAV),
which GET and HEAD then serve; anything else answers "ok", without reading a request body.
Stops nginx and removes its files when a piped stdin reaches EOF, on SIGTERM, or when its parent
dies (lifeline).
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

from certs import self_signed  # noqa: E402 (sibling modules)
from lifeline import lifeline  # noqa: E402

stop = threading.Event()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def config(d, good, other, p1, p2):
    temp = "\n".join("    %s_temp_path %s/%s;" % (t, d, t)
                     for t in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""worker_processes 1;
daemon off;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
{temp}
    default_type text/plain;
    limit_req_zone $server_port zone=late:64k rate=20r/s;
    server {{
        listen 127.0.0.1:{p1} ssl http2;
        ssl_certificate {good[0]};
        ssl_certificate_key {good[1]};
        location = /proto {{ return 200 "$server_protocol $connection"; }}
        location = /proto_unsized {{
            gzip on;
            gzip_types text/plain;
            gzip_min_length 0;
            return 200 "$server_protocol $connection";
        }}
        location /late/ {{
            limit_req zone=late burst=1000;
            location = /late/proto {{ return 200 "$server_protocol $connection"; }}
            location = /late/proto_unsized {{
                gzip on;
                gzip_types text/plain;
                gzip_min_length 0;
                return 200 "$server_protocol $connection";
            }}
        }}
        location = /slow {{ root {d}/www; limit_rate 64k; }}
        location /gz/ {{
            alias {d}/www/upload/;
            gzip on;
            gzip_types *;
            gzip_min_length 0;
        }}
        location /upload/ {{
            root {d}/www;
            dav_methods PUT;
            client_max_body_size 64m;
            client_body_temp_path {d}/client_body;
        }}
        location / {{ return 200 "ok"; }}
    }}
    server {{
        listen 127.0.0.1:{p2} ssl http2;
        ssl_certificate {other[0]};
        ssl_certificate_key {other[1]};
        location / {{ return 200 "ok"; }}
    }}
}}
"""


def start_nginx(d, good, other):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.access(nginx, os.X_OK):
        sys.exit("tls_server: nginx not found (scripts/install-deps.sh installs nginx)")
    # A free port can be taken between probing and binding: retry a few times.
    for _ in range(5):
        p1, p2 = free_port(), free_port()
        conf = os.path.join(d, "nginx.conf")
        with open(conf, "w") as f:
            f.write(config(d, good, other, p1, p2))
        proc = subprocess.Popen([nginx, "-p", d, "-e", d + "/error.log", "-c", conf],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and proc.poll() is None:
            if answers(p1) and answers(p2):
                return proc, p1, p2
            time.sleep(0.02)
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    with open(os.path.join(d, "error.log")) as f:
        sys.exit("tls_server: nginx did not start:\n" + f.read())


def main():
    d = tempfile.mkdtemp(prefix="eddy-tls-")
    os.chmod(d, 0o755)
    proc = None
    try:
        good = self_signed(d, "good")
        other = self_signed(d, "other", "/CN=other.invalid", "DNS:other.invalid")
        bundle = os.path.join(d, "trusted.pem")
        with open(bundle, "w") as out:
            for cert in (good[0], other[0]):
                with open(cert) as f:
                    out.write(f.read())
        capath = os.path.join(d, "capath")
        os.mkdir(capath)
        digest = subprocess.run(["openssl", "x509", "-hash", "-noout", "-in", good[0]],
                                check=True, capture_output=True, text=True).stdout.strip()
        shutil.copy(good[0], os.path.join(capath, digest + ".0"))

        os.makedirs(os.path.join(d, "www", "upload"))
        os.chmod(os.path.join(d, "www"), 0o755)
        os.chmod(os.path.join(d, "www", "upload"), 0o777)  # workers write uploads there
        with open(os.path.join(d, "www", "slow"), "wb") as f:
            f.write(b"x" * (4 << 20))
        proc, p1, p2 = start_nginx(d, good, other)
        lifeline(stop)
        sys.stdout.write(json.dumps({
            "h2": "https://127.0.0.1:%d" % p1, "wrong_host": "https://127.0.0.1:%d" % p2,
            "cacert": bundle, "capath": capath, "dir": d}) + "\n")
        sys.stdout.flush()
        while not stop.wait(0.2):  # timed wait so signal handlers get to run
            if proc.poll() is not None:
                break
    finally:
        if proc and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
