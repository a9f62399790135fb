"""Server-sent event endpoints of the test HTTP server (httpserver.py routes /sse/... here).

  /sse/script?chunks=JSON[&delay_ms=D][&ctype=T][&status=N][&retry=MS]
        writes each string of the JSON list as its own chunk (flushed, D ms apart, default 20),
        then ends the response; Content-Type T (default text/event-stream), status N (200)
  /sse/reconnect?key=K&n=N[&retry=MS]
        connection i (from 1) sends "retry: MS" (default 50), then "id: i" and "data: i", and ends;
        after N connections, answers 204, which makes an EventSource fail
  /sse/clock?count=N&interval_ms=D[&gzip=1]
        N events D ms apart whose data is the server's time.time() in ms when it was written;
        with gzip=1 the body is one gzip stream (Content-Encoding: gzip), flushed at each event
  /sse/hold?key=K
        one comment, then holds the response open until the client goes away
  /sse/log?key=K
        JSON {connections, lastEventIds (the Last-Event-ID header of each, or null), accept,
        cacheControl and pragma (those headers of each connection, or null),
        closed (connections of /sse/hold that saw the client go away)}
"""
import json
import socket
import threading
import time
import zlib

_lock = threading.Lock()
_log = {}


def _entry(key):
    with _lock:
        return _log.setdefault(key, {"connections": 0, "lastEventIds": [], "accept": [], "closed": 0,
                                      "cacheControl": [], "pragma": []})


def _start(h, status=200, ctype="text/event-stream", coding=None):
    # Each event goes out as written: no Nagle wait for the client's delayed ACK.
    h.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    h.send_response(status)
    h.send_header("Content-Type", ctype)
    if coding:
        h.send_header("Content-Encoding", coding)
    h.send_header("Cache-Control", "no-store")
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    h.wfile.flush()


def _chunk(h, data):
    if isinstance(data, str):
        data = data.encode()
    if data:
        h.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        h.wfile.flush()


def _end(h):
    h.wfile.write(b"0\r\n\r\n")
    h.wfile.flush()


def ep_sse(h, parts, q, u, body, stop):
    kind = parts[1] if len(parts) > 1 else ""
    key = q.get("key", "")
    if kind == "log":
        h.send(200, json.dumps(_entry(key)), ctype="application/json")
        return
    e = _entry(key)
    with _lock:
        e["connections"] += 1
        n = e["connections"]
        e["lastEventIds"].append(h.headers.get("Last-Event-ID"))
        e["accept"].append(h.headers.get("Accept"))
        e["cacheControl"].append(h.headers.get("Cache-Control"))
        e["pragma"].append(h.headers.get("Pragma"))
    if kind == "script":
        status = int(q.get("status", "200"))
        _start(h, status, q.get("ctype", "text/event-stream"))
        delay = float(q.get("delay_ms", "20")) / 1000
        for i, c in enumerate(json.loads(q.get("chunks", "[]"))):
            if i and stop.wait(delay):
                break
            _chunk(h, c.encode("utf-8", "surrogatepass"))
        _end(h)
    elif kind == "reconnect":
        if n > int(q.get("n", "3")):
            h.send_response(204)
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        _start(h)
        _chunk(h, "retry: %s\nid: %d\ndata: %d\n\n" % (q.get("retry", "50"), n, n))
        _end(h)
    elif kind == "clock":
        gz = zlib.compressobj(6, zlib.DEFLATED, 31) if q.get("gzip") == "1" else None
        _start(h, coding="gzip" if gz else None)
        delay = float(q.get("interval_ms", "20")) / 1000
        for i in range(int(q.get("count", "10"))):
            if i and stop.wait(delay):
                break
            event = ("data: %.3f\n\n" % (time.time() * 1000)).encode()
            _chunk(h, gz.compress(event) + gz.flush(zlib.Z_SYNC_FLUSH) if gz else event)
        if gz:
            _chunk(h, gz.flush())
        _end(h)
    elif kind == "hold":
        _start(h)
        _chunk(h, ": held\n\n")
        while not stop.wait(0.02):
            try:
                _chunk(h, ":\n")
            except OSError:
                with _lock:
                    e["closed"] += 1
                break
        h.close_connection = True
    else:
        h.send(404, "no such SSE endpoint: %s\n" % kind)
