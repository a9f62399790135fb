// A small HTTP server on 127.0.0.1 for the mock-only fetch tests (fetch_mock.test.js). The
// real runtime tests use the Python server in tests/servers/.
'use strict';

const http = require('http');
const zlib = require('zlib');

function handler(req, res) {
  const u = new URL(req.url, 'http://x');
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const p = u.pathname;
    const send = (status, type, data, extra = {}) => {
      res.writeHead(status, { 'content-type': type, ...extra });
      res.end(data);
    };
    if (p === '/text') return send(200, 'text/plain', 'hello');
    if (p === '/json') return send(200, 'application/json', '{"a":1}');
    if (p === '/bom') return send(200, 'text/plain', Buffer.from([0xEF, 0xBB, 0xBF, 0x78]));
    if (p === '/echo') {
      return send(200, 'application/json', JSON.stringify({
        method: req.method,
        url: req.url,
        headers: req.rawHeaders.map((h, i) => (i % 2 === 0 ? h.toLowerCase() : h)),
        body: body.toString('utf8'),
      }));
    }
    let m = /^\/status\/(\d+)$/.exec(p);
    if (m) {
      const code = Number(m[1]);
      res.writeHead(code, 'Custom Reason', { 'x-status': String(code) });
      return res.end(code === 204 || code === 304 ? undefined : `status ${code}`);
    }
    m = /^\/redirect\/(\d+)$/.exec(p);
    if (m) {
      const n = Number(m[1]);
      res.writeHead(302, { location: n > 1 ? `/redirect/${n - 1}` : '/echo' });
      return res.end('redirecting');
    }
    if (p === '/redirect-to') {
      res.writeHead(Number(u.searchParams.get('status') || 302), { location: u.searchParams.get('url') });
      return res.end();
    }
    if (p === '/gzip') {
      const data = zlib.gzipSync('compressed hello');
      if (/gzip/.test(req.headers['accept-encoding'] || '')) {
        return send(200, 'text/plain', data, { 'content-encoding': 'gzip' });
      }
      return send(200, 'text/plain', 'identity hello');
    }
    if (p === '/cookies') {
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.setHeader('x-multi', ['x', 'y']);
      return res.end('ok');
    }
    if (p === '/slow-body') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('part1;');
      const t = setTimeout(() => res.end('part2'), 300);
      res.on('close', () => clearTimeout(t));
      return undefined;
    }
    if (p === '/hang') {
      // Answers only after 3 s (bounded), long after the tests abort it.
      const t = setTimeout(() => send(200, 'text/plain', 'late'), 3000);
      res.on('close', () => clearTimeout(t));
      return undefined;
    }
    if (p === '/big') return send(200, 'application/octet-stream', Buffer.alloc(1 << 20, 0x61));
    return send(404, 'text/plain', 'not found');
  });
}

function start() {
  return new Promise((resolve) => {
    const server = http.createServer(handler);
    server.on('connection', (socket) => socket.unref());
    server.listen(0, '127.0.0.1', () => {
      server.unref();
      resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() });
    });
  });
}

module.exports = { start };
