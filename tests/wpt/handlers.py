"""The wptserve behaviour run.py's local server needs beyond static files.

WPT's own server (wptserve) runs a resource's `.py` file as a handler, sends `.asis` files as
raw HTTP responses and substitutes `{{host}}`-style templates in `.sub.` files. None of WPT's
handlers is copied here: each function below is written from what the test files expect of the
handler of that path (its query parameters and its response), so a `.py` file need not be in
the checkout. A path with no entry falls back to the static file server.
"""
import atexit
import json
import os
import re
import shutil
import tempfile
import threading
import time
import urllib.parse

# wptserve's stash: values put by one request and taken (once) by another, keyed by the
# directory of the handler's URL and the key.
_stash = {}
_stash_lock = threading.Lock()


def stash_put(path_dir, key, value):
    with _stash_lock:
        _stash[(path_dir, key)] = value


def stash_take(path_dir, key):
    with _stash_lock:
        return _stash.pop((path_dir, key), None)


def substitute(text, host, port, headers=None):
    """The `{{...}}` templates of a `.sub.` file (or one served with ?pipe=sub) that the tests
    fetched here use: host, ports, and the request's headers[name] when served. Only one
    HTTP server runs, so every HTTP port is its port; HTTPS has none (port 0)."""
    values = {'host': host, 'domains[]': host, 'hosts[][]': host,
              'ports[http][0]': str(port), 'ports[http][1]': str(port),
              'ports[https][0]': '0', 'ports[https][1]': '0'}

    def one(m):
        name = m.group(1).strip()
        if name.startswith('headers[') and name.endswith(']') and headers is not None:
            return headers.get(name[8:-1], '')
        if name.startswith('GET[') or name.startswith('headers['):
            return ''
        return values.get(name, host if name.startswith(('domains[', 'hosts[')) else m.group(0))
    return re.sub(r'\{\{([^}]*)\}\}', one, text)


_sub_dir = []


def substituted_copy(path, host, port):
    """A `.sub.` script run.py loads from disk (META: script=) gets its templates filled in a
    copy in a temporary directory (removed at exit); other scripts are returned unchanged."""
    if '.sub.' not in os.path.basename(path) or not os.path.isfile(path):
        return path
    with open(path, encoding='utf-8') as f:
        text = substitute(f.read(), host, port)
    if not _sub_dir:
        _sub_dir.append(tempfile.mkdtemp(prefix='wpt-sub-'))
        atexit.register(shutil.rmtree, _sub_dir[0], True)
    out = os.path.join(_sub_dir[0], os.path.basename(path))
    with open(out, 'w', encoding='utf-8') as f:
        f.write(text)
    return out


class Request:
    def __init__(self, h, path, query):
        self.h = h
        self.path = path
        self.dir = path.rsplit('/', 1)[0] + '/'
        self.q = query
        self.body = h.wpt_read_body()

    def arg(self, name, default=None):
        v = self.q.get(name)
        return v[0] if v else default

    def start(self, status=200, headers=(), reason=None):
        """Status line and headers of a response whose body ends when the connection does
        (no Content-Length), as wptserve's streamed responses are."""
        h = self.h
        h.close_connection = True
        h.send_response(status, reason)
        for k, v in headers:
            h.send_header(k, v)
        h.send_header('Connection', 'close')
        h.end_headers()
        h.wfile.flush()

    def write(self, data):
        """False once the client has gone away."""
        if isinstance(data, str):
            data = data.encode('utf-8')
        try:
            self.h.wfile.write(data)
            self.h.wfile.flush()
            return True
        except OSError:
            return False

    def whole(self, status, headers, body):
        if isinstance(body, str):
            body = body.encode('utf-8')
        h = self.h
        h.send_response(status)
        for k, v in headers:
            h.send_header(k, v)
        h.send_header('Content-Length', str(len(body)))
        h.end_headers()
        if h.command != 'HEAD':
            h.wfile.write(body)


def trickle(r):
    """fetch/api/resources/trickle.py: `count` lines of TEST_TRICKLE, `ms` apart, after a first
    wait before the headers; no Content-Type with `notype`."""
    delay = float(r.arg('ms', '500')) / 1000
    count = int(r.arg('count', '50'))
    time.sleep(delay)
    r.start(200, [] if 'notype' in r.q else [('Content-Type', 'text/plain')])
    time.sleep(delay)
    for _ in range(count):
        if not r.write(b'TEST_TRICKLE\n'):
            return
        time.sleep(delay)


def echo_content(r):
    """fetch/api/resources/echo-content.py: the request body back, the request's method and
    some of its headers as X-Request-* headers."""
    g = r.h.headers.get
    r.whole(200, [('X-Request-Method', r.h.command),
                  ('X-Request-Content-Length', g('Content-Length', 'NO')),
                  ('X-Request-Content-Type', g('Content-Type', 'NO')),
                  ('X-Request-Referer', g('Referer', 'NO')),
                  ('Content-Type', 'text/plain')], r.body)


def infinite_slow_response(r):
    """fetch/api/resources/infinite-slow-response.py: records `open` under stateKey, sends 2 KiB
    and then a byte every 10 ms until the client goes away or abortKey is stashed, then
    records `closed`."""
    state, abort = r.arg('stateKey'), r.arg('abortKey')
    if state:
        stash_take(r.dir, state)
        stash_put(r.dir, state, 'open')
    r.start(200, [('Content-Type', 'text/plain')])
    ok = r.write(b'.' * 2048)
    while ok:
        if abort and stash_take(r.dir, abort):
            break
        ok = r.write(b'.')
        time.sleep(0.01)
    if state:
        stash_take(r.dir, state)
        stash_put(r.dir, state, 'closed')


def stash_put_handler(r):
    """fetch/api/resources/stash-put.py?key=K&value=V."""
    cors = [('Access-Control-Allow-Origin', '*')]
    if r.h.command == 'OPTIONS':
        r.whole(200, cors + [('Access-Control-Allow-Methods', '*'),
                             ('Access-Control-Allow-Headers', '*')], 'done')
        return
    stash_put(r.dir, r.arg('key'), r.arg('value'))
    r.whole(200, cors, 'done')


def stash_take_handler(r):
    """fetch/api/resources/stash-take.py?key=K: the value as JSON (null when none), taken."""
    r.whole(200, [('Access-Control-Allow-Origin', '*'), ('Content-Type', 'application/json')],
            json.dumps(stash_take(r.dir, r.arg('key'))))


def redirect(r):
    """fetch/api/resources/redirect.py?location=URL[&redirect_status=N]: a redirect there; an
    http(s) or relative location without a fragment gets this request's query parameters and
    `count=1` appended, so they reach the target."""
    status = int(r.arg('redirect_status', '302'))
    origin = r.h.headers.get('Origin')
    headers = [('Content-Type', 'text/plain'), ('Cache-Control', 'no-cache'), ('Pragma', 'no-cache'),
               ('Access-Control-Allow-Origin', origin or '*')]
    if origin:
        headers.append(('Access-Control-Allow-Credentials', 'true'))
    url = r.arg('location')
    if url is not None:
        scheme = urllib.parse.urlsplit(url).scheme
        if scheme in ('', 'http', 'https') and '#' not in url:
            params = {k: v[0] for k, v in r.q.items()}
            url += ('&' if '?' in url else '?') + urllib.parse.urlencode(params) + '&count=1'
        headers.append(('Location', url))
    r.whole(status, headers, '')


def inspect_headers(r):
    """fetch/api/resources/inspect-headers.py?headers=a|b[&cors]: each named request header
    back as x-request-<name>, with CORS headers that expose them under `cors`."""
    checked = r.arg('headers', '').split('|') if 'headers' in r.q else []
    req = r.h.headers
    headers = [('x-request-' + n, req.get(n, '')) for n in checked if n in req]
    if 'cors' in r.q:
        headers += [('Access-Control-Allow-Origin', req.get('Origin', '*')),
                    ('Access-Control-Allow-Credentials', 'true'),
                    ('Access-Control-Allow-Methods', 'GET, POST, HEAD'),
                    ('Access-Control-Expose-Headers', ', '.join('x-request-' + n for n in checked)),
                    ('Access-Control-Allow-Headers', r.arg('allow_headers') or ', '.join(req.keys()))]
    r.whole(200, headers + [('Content-Type', 'text/plain'), ('Cache-Control', 'no-cache'),
                            ('Vary', '*')], '')


def echo_headers(r):
    """XMLHttpRequest/resources/echo-headers.py: the request's header lines as the body."""
    r.whole(200, [('Content-Type', 'text/plain')],
            ''.join('%s: %s\r\n' % (k, v) for k, v in r.h.headers.items()))


def message(r):
    """eventsource/resources/message.py: `message` (default "data: data") and `newline`
    (default two LFs, "none" for nothing) then one more LF, as `mime` (default
    text/event-stream), after `sleep` ms."""
    sleep = r.arg('sleep')
    if sleep:
        time.sleep(float(sleep) / 1000)
    newline = r.arg('newline', '\n\n')
    if newline == 'none':
        newline = ''
    r.start(200, [('Content-Type', r.arg('mime', 'text/event-stream'))])
    r.write(r.arg('message', 'data: data') + newline + '\n')


def last_event_id(r):
    """eventsource/resources/last-event-id.py: an event with id "…" and retry 200, and on a
    reconnection the Last-Event-ID it came with as data."""
    last = r.h.headers.get('Last-Event-ID')
    if last:
        body = 'data: %s\n\n' % last.encode('latin-1').decode('utf-8', 'replace')
    else:
        body = 'id: \u2026\nretry: 200\ndata: hello\n\n'
    r.whole(200, [('Content-Type', 'text/event-stream')], body)


_partitions = {}


def network_partition_key(r):
    """fetch/connection-pool/resources/network-partition-key.py, its check_partition dispatch:
    counts the requests of `uuid` and those on each connection (client address and port), and
    answers `status` with "ok", followed by both counts with `addcounter`."""
    uuid, dispatch = r.arg('uuid'), r.arg('dispatch')
    if not uuid or dispatch != 'check_partition' or not r.arg('partition_id'):
        r.whole(404, [('Content-Type', 'text/plain')], 'Invalid query parameters')
        return
    conn = '%s:%d' % r.h.client_address[:2]
    with _stash_lock:
        state = _partitions.setdefault(uuid, {'requests': 0, 'connections': {}})
        state['requests'] += 1
        on_conn = state['connections'][conn] = state['connections'].get(conn, 0) + 1
        body = 'ok' + ('%d%d' % (state['requests'], on_conn) if r.arg('addcounter') else '')
    r.whole(int(r.arg('status', '200')), [('Content-Type', 'text/plain'), ('Cache-Control', 'no-store')],
            body)


HANDLERS = {
    'fetch/connection-pool/resources/network-partition-key.py': network_partition_key,
    'fetch/api/resources/trickle.py': trickle,
    'fetch/api/resources/echo-content.py': echo_content,
    'fetch/api/resources/infinite-slow-response.py': infinite_slow_response,
    'fetch/api/resources/stash-put.py': stash_put_handler,
    'fetch/api/resources/stash-take.py': stash_take_handler,
    'fetch/api/resources/redirect.py': redirect,
    'fetch/api/resources/inspect-headers.py': inspect_headers,
    'XMLHttpRequest/resources/echo-headers.py': echo_headers,
    'eventsource/resources/message.py': message,
    'eventsource/resources/last-event-id.py': last_event_id,
}


def handler_class(base, wpt):
    """base (a SimpleHTTPRequestHandler) with the handlers above, `.asis` files, `.sub.`
    templates and every method the tests send."""

    class WptHandler(base):
        def wpt_read_body(self):
            if self.headers.get('Transfer-Encoding', '').lower() == 'chunked':
                out = b''
                while True:
                    size = int(self.rfile.readline().split(b';')[0].strip() or b'0', 16)
                    if size == 0:
                        while self.rfile.readline() not in (b'\r\n', b'\n', b''):
                            pass
                        return out
                    out += self.rfile.read(size)
                    self.rfile.readline()
            n = int(self.headers.get('Content-Length') or 0)
            return self.rfile.read(n) if n else b''

        def wpt_dispatch(self):
            u = urllib.parse.urlsplit(self.path)
            rel = urllib.parse.unquote(u.path).lstrip('/')
            fn = HANDLERS.get(rel)
            if fn:
                fn(Request(self, u.path, urllib.parse.parse_qs(u.query, keep_blank_values=True)))
                return True
            full = os.path.join(wpt, rel)
            if rel.endswith('.asis') and os.path.isfile(full):
                self.wpt_read_body()
                self.close_connection = True
                with open(full, 'rb') as f:
                    self.wfile.write(f.read())
                return True
            query = urllib.parse.parse_qs(u.query)
            if ('.sub.' in os.path.basename(rel) or 'sub' in query.get('pipe', [])) and os.path.isfile(full):
                host = (self.headers.get('Host') or '127.0.0.1').rsplit(':', 1)[0]
                with open(full, encoding='utf-8') as f:
                    body = substitute(f.read(), host, self.server.server_address[1], self.headers).encode()
                ctype = ('text/javascript' if rel.endswith('.js') else
                         'text/event-stream' if rel.endswith('.event_stream') else self.guess_type(full))
                self.send_response(200)
                self.send_header('Content-Type', ctype)
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                if self.command != 'HEAD':
                    self.wfile.write(body)
                return True
            return False

        def wpt_handle(self, static):
            # A client that goes away mid-request (an aborted fetch) is no server error.
            try:
                if not self.wpt_dispatch():
                    static()
            except ConnectionError:
                self.close_connection = True

        def do_GET(self):
            self.wpt_handle(super().do_GET)

        def do_HEAD(self):
            self.wpt_handle(super().do_HEAD)

        def do_other(self):
            # A static resource answers any method as GET would (wptserve's file handler does).
            def static():
                self.wpt_read_body()
                super(WptHandler, self).do_GET()
            self.wpt_handle(static)

        do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_other

    return WptHandler
