// MessageChannel throughput, the same script under eddy, node and bun (bench/message_channel.sh
// runs them side by side): messages per second for a ping-pong between two ports (each message
// posted from the other side's listener: one task per hop), a burst of small messages posted at
// once to a started port, a burst of 1 KiB objects, and BroadcastChannel one-to-one. Ports are
// closed at the end so that every runtime exits. Prints one JSON line.
const runtime = globalThis.eddy ? "eddy" : globalThis.Bun ? "bun" : "node";
const seconds = Number((globalThis.eddy ? eddy.args[0] : globalThis.Bun ? Bun.argv[2] : process.argv[2]) || 1);

function pingPong(ms) {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    let n = 0;
    const end = performance.now() + ms;
    port2.onmessage = (e) => port2.postMessage(e.data + 1);
    port1.onmessage = (e) => {
      n++;
      if ((n & 255) === 0 && performance.now() > end) {
        port1.close();
        port2.close();
        resolve(n / (ms / 1000));
        return;
      }
      port1.postMessage(e.data + 1);
    };
    port1.postMessage(0);
  });
}

function burst(ms, make) {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    const BATCH = 1000;
    let got = 0;
    let sent = 0;
    const start = performance.now();
    const send = () => {
      for (let i = 0; i < BATCH; i++) port1.postMessage(make(i));
      sent += BATCH;
    };
    port2.onmessage = () => {
      if (++got < sent) return;
      const t = performance.now() - start;
      if (t > ms) {
        port1.close();
        port2.close();
        resolve(got / (t / 1000));
      } else {
        send();
      }
    };
    send();
  });
}

function broadcast(ms) {
  return new Promise((resolve) => {
    const a = new BroadcastChannel("bench");
    const b = new BroadcastChannel("bench");
    let n = 0;
    const end = performance.now() + ms;
    b.onmessage = (e) => b.postMessage(e.data + 1);
    a.onmessage = (e) => {
      n++;
      if ((n & 255) === 0 && performance.now() > end) {
        a.close();
        b.close();
        resolve(n / (ms / 1000));
        return;
      }
      a.postMessage(e.data + 1);
    };
    a.postMessage(0);
  });
}

(async () => {
  const ms = seconds * 1000;
  const kib = { id: 0, name: "x".repeat(900), list: [1, 2, 3, 4, 5, 6, 7, 8], nested: { a: true, b: null } };
  await pingPong(100); // warm up
  const out = { runtime };
  out.pingpong_per_s = Math.round(await pingPong(ms));
  out.burst_int_per_s = Math.round(await burst(ms, (i) => i));
  out.burst_1k_obj_per_s = Math.round(await burst(ms, (i) => ({ ...kib, id: i })));
  out.broadcast_pingpong_per_s = Math.round(await broadcast(ms));
  console.log(JSON.stringify(out));
})();
