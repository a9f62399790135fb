// WebSocket through an HTTP proxy, as fetch goes through it: tests/servers/ws_server.py's URLs
// and then tests/servers/connect_proxy.py's arrive as the last two arguments; the proxy is in
// http_proxy / https_proxy, where libcurl finds it for both.
const srv = JSON.parse(eddy.args[eddy.args.length - 2]);
const { proxy } = JSON.parse(eddy.args[eddy.args.length - 1]);
const wsPort = new URL(srv.ws).port;

function run(ws, onOpen, onMessage) {
  return new Promise((resolve) => {
    const log = [];
    ws.onopen = () => {
      log.push(['open']);
      if (onOpen) onOpen(ws);
    };
    ws.onmessage = (e) => {
      log.push(['message', e.data]);
      if (onMessage) onMessage(ws, e.data);
    };
    ws.onerror = () => log.push(['error']);
    ws.onclose = (e) => {
      log.push(['close', e.code, e.reason, e.wasClean]);
      resolve(log);
    };
  });
}

// The proxy's record, fetched through the proxy itself (fetch takes http_proxy too).
async function proxyLog() {
  const res = await fetch(`${proxy}/__log`);
  return res.json();
}

test('ws: through http_proxy: a CONNECT tunnel, the name resolved by the proxy, eddy\'s User-Agent', async () => {
  // ws.test resolves nowhere but at the proxy: only a tunnel can reach the server.
  const log = await run(new WebSocket(`ws://ws.test:${wsPort}/echo`), (s) => s.send('via proxy'),
    (s) => s.close(1000, 'done'));
  assertEqual(log, [['open'], ['message', 'via proxy'], ['close', 1000, 'done', true]]);
  const record = await proxyLog();
  const c = record.connects.find((x) => x.target === `ws.test:${wsPort}`);
  assert(c !== undefined, JSON.stringify(record));
  assert(c.user_agent.startsWith('eddy/'), c.user_agent);
  assert(record.gets >= 1, 'fetch went through the same proxy');
});

test('wss: through https_proxy: TLS inside the tunnel, the test CA trusted as without a proxy', async () => {
  const got = [];
  const log = await run(new WebSocket(`${srv.wss}/echo`), (s) => s.send('tls via proxy'), (s, d) => {
    got.push(d);
    s.close();
  });
  assertEqual(got, ['tls via proxy']);
  assertEqual(log[log.length - 1], ['close', 1005, '', true]);
  const record = await proxyLog();
  assert(record.connects.some((x) => x.target === new URL(srv.wss).host), JSON.stringify(record));
});

test('a proxy that refuses the tunnel fails the connection: error, then close 1006', async () => {
  const log = await run(new WebSocket('ws://blocked.invalid:8080/echo'));
  assertEqual(log, [['error'], ['close', 1006, '', false]]);
});

test('WebSocketStream goes through the proxy too', async () => {
  const wss = new WebSocketStream(`ws://stream.test:${wsPort}/echo`);
  const { readable, writable } = await wss.opened;
  await writable.getWriter().write('stream via proxy');
  assertEqual((await readable.getReader().read()).value, 'stream via proxy');
  wss.close();
  await wss.closed;
  const record = await proxyLog();
  assert(record.connects.some((x) => x.target === `stream.test:${wsPort}`), JSON.stringify(record));
});
