// Chunk-to-reader latency: a server drips chunks that carry the wall-clock time (ms) at which
// each was written (tests/servers/httpserver.py's /drip?clock=1); the reader stamps each chunk's
// arrival with performance.timeOrigin + performance.now() and reports the median and p99 of the
// difference. The first chunk (it comes with the head) is left out.
//   <runtime> fetch_latency.js BASE_URL [default|byob] [CHUNKS] [DELAY_MS]
const args = globalThis.eddy ? eddy.args : process.argv.slice(2);
const base = args[0];
const mode = args[1] || "default";
const chunks = Number(args[2] || 200);
const delay = Number(args[3] || 10);
const runtime = globalThis.eddy ? "eddy" : globalThis.Bun ? "bun" : "node";

(async () => {
  await (await fetch(base + "/plain")).text(); // connection and code warm
  const res = await fetch(`${base}/drip?chunks=${chunks}&delay_ms=${delay}&clock=1`);
  const byob = mode === "byob";
  const reader = byob ? res.body.getReader({ mode: "byob" }) : res.body.getReader();
  let buf = new ArrayBuffer(4096);
  let text = "";
  const lags = [];
  for (;;) {
    const { value, done } = byob ? await reader.read(new Uint8Array(buf)) : await reader.read();
    if (done) break;
    const now = performance.timeOrigin + performance.now();
    if (byob) buf = value.buffer;
    for (let i = 0; i < value.length; i++) text += String.fromCharCode(value[i]);
    let nl;
    while ((nl = text.indexOf("\n")) >= 0) {
      lags.push(now - Number(text.slice(0, nl)));
      text = text.slice(nl + 1);
    }
  }
  if (lags.length !== chunks) throw new Error(`got ${lags.length} of ${chunks} chunks`);
  const sorted = lags.slice(1).sort((a, b) => a - b);
  const at = (q) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] * 1000) / 1000;
  console.log(JSON.stringify({ bench: "fetch_latency", runtime, mode, chunks, median_ms: at(0.5), p99_ms: at(0.99) }));
})().catch((err) => {
  console.log(JSON.stringify({ bench: "fetch_latency", runtime, mode, error: String(err) }));
});
