"""The WebSocket side of WPT's server for the websockets/ tests, as tests/wpt/run.py runs them.

WPT runs its WebSocket handlers (websockets/handlers/*_wsh.py) in pywebsocket on the ws and wss
ports its `.sub.js` files name as `{{ports[ws][0]}}` and `{{ports[wss][0]}}`. Here the framing is
tests/servers/ws_server.py's and each handler below is written from what the tests expect of its
path (and the handler's source, read, not copied). No pywebsocket code is used.

    python3 tests/wpt/ws_wpt_server.py      # prints {"ws": port, "wss": port, "cacert": path}

run.py starts it (start()) when a file under websockets/ runs, fills the templates of
`.sub.js` scripts and `?pipe=sub` ones (fill_scripts()), lets its HTTP server upgrade to these
handlers (upgrade_class(): a relative ws URL resolves against the page, the HTTP port) and
points each engine at the test CA (SSL_CERT_FILE for eddy, NODE_EXTRA_CA_CERTS for Node and
Bun, DENO_CERT for Deno).
"""
import atexit
import base64
import hashlib
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from urllib.parse import parse_qs, urlsplit

SERVERS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'servers')
sys.path.insert(0, SERVERS)
import ws_server  # noqa: E402  (RFC 6455 framing of the suite's WebSocket test server)
from ws_server import Closed, Conn, GUID, read_head  # noqa: E402

HOST = '127.0.0.1'


class Request:
    def __init__(self, sock, target, headers):
        u = urlsplit(target)
        self.sock, self.path, self.query, self.headers = sock, u.path, u.query, headers
        self.q = parse_qs(u.query)
        offered = headers.get('sec-websocket-protocol', '').split(',')
        self.offered = [p.strip() for p in offered if p.strip()]

    def arg(self, name, default=None):
        v = self.q.get(name)
        return v[0] if v else default

    def accept_key(self):
        key = self.headers.get('sec-websocket-key', '')
        return base64.b64encode(hashlib.sha1(key.encode() + GUID).digest()).decode()

    def accept(self, protocol=None, extra=(), status='101 Switching Protocols', accept=None):
        """Answers the opening handshake (no extension is ever accepted, as WPT's echo turns
        permessage-deflate off); returns the connection."""
        lines = ['HTTP/1.1 ' + status, 'Upgrade: websocket', 'Connection: Upgrade',
                 'Sec-WebSocket-Accept: ' + (accept if accept is not None else self.accept_key())]
        if protocol is not None:
            lines.append('Sec-WebSocket-Protocol: ' + protocol)
        lines += list(extra)
        self.sock.sendall(('\r\n'.join(lines) + '\r\n\r\n').encode('latin-1'))
        conn = Conn(self.sock, self.q)
        conn.records_close = False
        return conn

    def not_found(self):
        self.sock.sendall(b'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n'
                          b'Connection: close\r\n\r\n')


def send_text(conn, text):
    conn.send_message(1, text.encode('utf-8'))


def wait_for_close(conn):
    while conn.read_message()[0] != 'close':
        pass


def close_and_wait(conn, code=1000, reason=b''):
    """The server's side of a close it starts (pywebsocket's close_connection): a close frame,
    then the client's until it comes or the client leaves."""
    conn.close(code, reason)
    wait_for_close(conn)


def messages(conn, close_delay=0.0):
    """The client's data messages, (opcode, payload); its close frame, which ends them, is
    answered (close_delay seconds later) with its code and reason, as echo_wsh.py's passive
    close does (an empty close frame for one without a code)."""
    while True:
        msg = conn.read_message()
        if msg[0] == 'close':
            time.sleep(close_delay)
            conn.close(msg[1] or 0, msg[2].encode('utf-8'))
            return
        if msg[0] != 'pong':
            yield msg


def echo_loop(conn, close_delay=0.0):
    """echo_wsh.py: text back as text, binary as binary; "Goodbye" is echoed, then the server
    closes (1000)."""
    for opcode, payload in messages(conn, close_delay):
        conn.send_message(opcode, payload)
        if (opcode, payload) == (1, b'Goodbye'):
            close_and_wait(conn)
            return


def h_echo(r):
    echo_loop(r.accept('echo' if 'echo' in r.offered else None))


def h_echo_exit(r):
    # Reads until "Goodbye", which it does not echo, then closes (1000).
    conn = r.accept()
    for msg in messages(conn):
        if msg == (1, b'Goodbye'):
            close_and_wait(conn)
            return


def h_echo_close_data(r):
    # On "Goodbye" the server's close frame is followed by a text frame, which the client must
    # ignore (nothing comes after a close frame).
    conn = r.accept()
    for msg in messages(conn):
        if msg == (1, b'Goodbye'):
            conn.close(1000)
            conn.send_frame(1, b'data after the close frame')
            wait_for_close(conn)
            return


def h_delayed_passive_close(r):
    # The client's close frame is answered a second later.
    echo_loop(r.accept(), close_delay=1.0)


def h_handshake_sleep(r, seconds):
    time.sleep(seconds)
    echo_loop(r.accept())


def h_echo_raw(r):
    # Each text message, its \\xNN escapes decoded, is written to the socket as raw bytes: a
    # test makes the server send the frames it spells out (a reserved opcode...).
    conn = r.accept()
    for opcode, payload in messages(conn):
        if opcode == 1:
            raw = re.sub(rb'\\x([0-9a-fA-F]{2})', lambda m: bytes([int(m.group(1), 16)]), payload)
            conn.sock.sendall(raw)


def h_referrer(r):
    conn = r.accept()
    send_text(conn, r.headers.get('referer') or 'MISSING AS PER FETCH')
    close_and_wait(conn)


def h_protocol_array(r):
    # The first protocol offered is the one chosen, and sent as the first message.
    conn = r.accept(r.offered[0] if r.offered else None)
    send_text(conn, r.offered[0] if r.offered else '')
    echo_loop(conn)


def h_protocol_empty(r):
    # No protocol chosen whatever was offered: the client must fail the connection if it asked.
    echo_loop(r.accept())


def h_echo_query(r):
    conn = r.accept()
    send_text(conn, r.query)
    echo_loop(conn)


def h_remote_close(r):
    # The server closes at once with ?code= and ?reason= (no code: an empty close frame);
    # ?abrupt=1 drops TCP without a close frame.
    conn = r.accept()
    if r.arg('abrupt'):
        return
    code = int(r.arg('code', '0'))
    close_and_wait(conn, code, r.arg('reason', '').encode('utf-8'))


def h_simple_handshake(r):
    # A hand-written 101 with a cookie, then a clean close from the server at once.
    conn = r.accept(status='101 Switching Protocols:', extra=['Set-Cookie: ws_test=test'])
    close_and_wait(conn)


def h_set_cookie(r):
    conn = r.accept(status='101 Switching Protocols:',
                    extra=['Set-Cookie: ws_test_%s=test; Path=/' % r.query])
    close_and_wait(conn)


def h_wrong_accept_key(r):
    conn = r.accept(status='101 Switching Protocols:', accept='thisisawrongacceptkey')
    send_text(conn, 'test')
    close_and_wait(conn)


HANDLERS = {
    '/echo': h_echo,
    '/ws/echo': h_echo,  # the echo's path in the older pages (binary/002.html, 004.html)
    '/delayed-passive-close': h_delayed_passive_close,
    '/echo_raw': h_echo_raw,
    '/echo_exit': h_echo_exit,
    '/echo_close_data': h_echo_close_data,
    '/referrer': h_referrer,
    '/protocol_array': h_protocol_array,
    '/protocol_empty': h_protocol_empty,
    '/echo-query': h_echo_query,
    '/remote-close': h_remote_close,
    '/simple_handshake': h_simple_handshake,
    '/set-cookie': h_set_cookie,
    '/wrong_accept_key': h_wrong_accept_key,
}


def serve_request(sock, target, headers):
    """Runs the handler of target's path on an upgrade request already read; closes sock."""
    try:
        r = Request(sock, target, headers)
        # handshake_sleep_2, sleep_10_v13: the handshake is answered that many seconds later.
        m = re.match(r'^/(?:handshake_sleep_(\d+)|sleep_(\d+)_v13)$', r.path)
        handler = HANDLERS.get(r.path)
        if m:
            h_handshake_sleep(r, int(m.group(1) or m.group(2)))
        elif handler is None or headers.get('upgrade', '').lower() != 'websocket':
            r.not_found()
        else:
            handler(r)
    except (Closed, OSError, ssl.SSLError, ValueError):
        pass
    finally:
        sock.close()


def handle(sock):
    try:
        got = read_head(sock)
    except (OSError, ssl.SSLError, ValueError, IndexError):
        got = None
    if got is None:
        sock.close()
        return
    target, headers, _ = got  # a client sends no frame before the 101
    serve_request(sock, target, headers)


def upgrade_class(handler_cls):
    """handler_cls (run.py's HTTP request handler) with WebSocket upgrades on its port served by
    the handlers here: a relative ws URL resolves against the page's HTTP origin."""
    class Upgrading(handler_cls):
        def do_GET(self):
            if self.headers.get('Upgrade', '').lower() != 'websocket':
                return super().do_GET()
            self.close_connection = True
            headers = {k.lower(): v for k, v in self.headers.items()}
            serve_request(self.connection, self.path, headers)
    return Upgrading


class Server:
    """The ws and wss listeners, with the certificate of a test CA made at start."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix='ws-wpt-')
        self.cacert, cert, key = make_certificates(self.dir)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        ctx.set_alpn_protocols(['http/1.1'])
        self.listeners = [ws_server.listen(None, handle), ws_server.listen(ctx, handle)]
        self.ws, self.wss = (s.getsockname()[1] for s in self.listeners)

    def stop(self):
        for s in self.listeners:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
        shutil.rmtree(self.dir, True)

    def engine_env(self):
        """How each engine is told to trust the test CA."""
        return {'SSL_CERT_FILE': self.cacert, 'NODE_EXTRA_CA_CERTS': self.cacert,
                'DENO_CERT': self.cacert}


def make_certificates(directory):
    """A CA and a server certificate it signs for 127.0.0.1 and localhost: Deno (rustls) takes
    no CA certificate as the server's own, which a self-signed one would be."""
    def run(*args):
        subprocess.run(['openssl'] + list(args), check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, cwd=directory)
    run('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=eddy WPT test CA')
    run('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=' + HOST)
    with open(os.path.join(directory, 'ext.cnf'), 'w') as f:
        f.write('subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n'
                'extendedKeyUsage=serverAuth\n')
    run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key',
        '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'ext.cnf')
    return tuple(os.path.join(directory, n) for n in ('ca.pem', 'server.pem', 'server.key'))


# --- run.py's hooks ------------------------------------------------------------------------------

_server = []


def applies(rel):
    return rel.replace(os.sep, '/').startswith('websockets/')


def start(files):
    """The server, started once if any of files is under websockets/ (None otherwise); the
    engines run by run.py get the test CA through the environment."""
    if _server or not any(applies(f) for f in files):
        return _server[0] if _server else None
    s = Server()
    _server.append(s)
    atexit.register(s.stop)
    os.environ.update(s.engine_env())
    return s


def variants(rel, listed):
    """The variants run here: `?wpt_flags=h2` (WebSocket over HTTP/2, RFC 8441) needs an HTTP/2
    server there is not, so it is left out."""
    if not applies(rel):
        return listed
    return [v for v in listed if 'wpt_flags=h2' not in v]


def substitute(text, http_port):
    s = _server[0]
    values = {'host': HOST, 'domains[]': HOST, 'hosts[][]': HOST,
              'ports[ws][0]': str(s.ws), 'ports[wss][0]': str(s.wss), 'ports[h2][0]': '0',
              'ports[http][0]': str(http_port), 'ports[http][1]': str(http_port)}

    def one(m):
        name = m.group(1).strip()
        if name in values:
            return values[name]
        return HOST if name.startswith(('domains[', 'hosts[')) else m.group(0)
    return re.sub(r'\{\{([^}]*)\}\}', one, text)


def fill_scripts(rel, paths, meta_scripts, http_port):
    """paths, with the META scripts of a websockets/ test that WPT would serve substituted
    (a `.sub.` name or `?pipe=sub`: websocket.sub.js, constants.js?pipe=sub) replaced by a
    filled-in copy. meta_scripts are the META values, paths' last entries their files."""
    if not _server or not applies(rel) or not meta_scripts:
        return paths
    out = list(paths)
    base = len(paths) - len(meta_scripts)
    for i, raw in enumerate(meta_scripts):
        name, _, query = raw.partition('?')
        path = out[base + i]
        if ('.sub.' in os.path.basename(name) or 'pipe=sub' in query) and os.path.isfile(path):
            with open(path, encoding='utf-8') as f:
                text = substitute(f.read(), http_port)
            copy = os.path.join(_server[0].dir, '%d-%s' % (i, os.path.basename(name)))
            with open(copy, 'w', encoding='utf-8') as f:
                f.write(text)
            out[base + i] = copy
    return out


def main():
    s = Server()
    print(json.dumps({'ws': s.ws, 'wss': s.wss, 'cacert': s.cacert}), flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        s.stop()


if __name__ == '__main__':
    main()
