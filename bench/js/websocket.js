// WebSocket against bench/websocket_floor.c's echo server (the same server for every runtime):
//   echo_seq   2000 sequential round trips of a 32-byte text message after 200 warm-up: median, p99 µs
//   echo_64    20000 32-byte messages with 64 in flight: msgs/s (JSC tiers the message path up
//              meanwhile: ~70 ms, in which its DFG compiles share the 2 cores)
//   echo_64_steady  200000 more, the same way: msgs/s once the code is compiled
//   binary_1m  40 sequential round trips of a 1 MiB binary message: MB/s (MiB echoed per second)
//   push       20 server pushes 50 ms apart, idle in between: server send -> JS handler, median
//              and max µs (the two processes' CLOCK_REALTIME; no floor figure)
// Floor: websocket_floor.c's client, the same three over one blocking socket.
const [base, label] = globalThis.eddy ? eddy.args : process.argv.slice(2);
const runtime = label || (globalThis.eddy ? "eddy" : globalThis.Bun ? "bun" : "node");

function pct(sorted, p) {
  const k = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[k - 1];
}
const r1 = (x) => Math.round(x * 10) / 10;
const PUSHES = 20; // websocket_floor.c's

function open(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = "arraybuffer";
    ws.onopen = () => resolve(ws);
    ws.onerror = () => reject(new Error("cannot connect to " + url));
  });
}

// Resolves after `count` messages came back, calling onEach(i) for each.
function receive(ws, count, onEach) {
  return new Promise((resolve) => {
    let n = 0;
    ws.onmessage = () => {
      n++;
      if (onEach) onEach(n);
      if (n === count) resolve();
    };
  });
}

(async () => {
  const ws = await open(base + "/echo");
  const msg = "x".repeat(32);

  // Sequential round trips.
  const WARMUP = 200, N = 2000;
  const lat = [];
  let t0 = 0;
  await new Promise((resolve) => {
    let i = 0;
    ws.onmessage = () => {
      const t1 = performance.now();
      if (i >= WARMUP) lat.push((t1 - t0) * 1000);
      if (++i === WARMUP + N) return resolve();
      t0 = performance.now();
      ws.send(msg);
    };
    t0 = performance.now();
    ws.send(msg);
  });
  lat.sort((a, b) => a - b);

  // 64 in flight: messages per second over `total` echoes.
  const WINDOW = 64;
  async function inFlight(total) {
    let sent = 0;
    const tc = performance.now();
    const done = receive(ws, total, () => {
      if (sent < total) {
        ws.send(msg);
        sent++;
      }
    });
    for (; sent < WINDOW; sent++) ws.send(msg);
    await done;
    return total / ((performance.now() - tc) / 1000);
  }
  const msgs_per_s = await inFlight(20000);
  const steady_msgs_per_s = await inFlight(200000);

  // 1 MiB binary messages, one at a time.
  const big = new Uint8Array(1 << 20).fill(7);
  const B = 40;
  await new Promise((resolve) => { ws.onmessage = resolve; ws.send(big); }); // warm-up
  const tb = performance.now();
  let j = 0;
  await new Promise((resolve) => {
    ws.onmessage = (e) => {
      if (e.data.byteLength !== big.length) throw new Error("short echo");
      if (++j === B) return resolve();
      ws.send(big);
    };
    ws.send(big);
  });
  const mb_per_s = B / ((performance.now() - tb) / 1000);
  ws.close();

  // Server pushes, 50 ms apart (the runtime idle in between): from the server's send to the
  // message handler, by the wall clock both read (performance.timeOrigin + now(), in µs).
  const push = [];
  const pws = await open(base + "/push");
  await new Promise((resolve) => {
    pws.onmessage = (e) => {
      push.push((performance.timeOrigin + performance.now()) * 1000 - Number(e.data));
      if (push.length === PUSHES) resolve();
    };
  });
  pws.close();
  push.sort((a, b) => a - b);
  console.log(JSON.stringify({ bench: "websocket", runtime,
    echo_seq_median_us: r1(pct(lat, 50)), echo_seq_p99_us: r1(pct(lat, 99)),
    echo_64_msgs_per_s: Math.round(msgs_per_s),
    echo_64_steady_msgs_per_s: Math.round(steady_msgs_per_s), binary_1m_mb_per_s: r1(mb_per_s),
    push_median_us: r1(pct(push, 50)), push_max_us: r1(push[push.length - 1]) }));
})();
