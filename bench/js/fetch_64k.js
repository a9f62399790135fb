// 200 sequential fetch() + arrayBuffer() of a 64 KiB body over keep-alive,
// after 20 warm-up requests: body transfer and buffer handling.
// Floor: raw_curl's "fetch_64k".
// An optional second argument replaces N (bench/instructions.sh varies it).
const [base, count] = globalThis.eddy ? eddy.args : process.argv.slice(2);
const WARMUP = 20, N = count ? Number(count) : 200;
const runtime = globalThis.eddy ? "eddy" : globalThis.Bun ? "bun" : "node";

function pct(sorted, p) {
  const k = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[k - 1];
}
const r1 = (x) => Math.round(x * 10) / 10;

(async () => {
  const url = base + "/64k";
  const lat = [];
  for (let i = 0; i < WARMUP + N; i++) {
    const t0 = performance.now();
    const buf = await (await fetch(url)).arrayBuffer();
    const t1 = performance.now();
    if (buf.byteLength !== 65536) throw new Error("unexpected length: " + buf.byteLength);
    if (i >= WARMUP) lat.push((t1 - t0) * 1000);
  }
  lat.sort((a, b) => a - b);
  console.log(JSON.stringify({ bench: "fetch_64k", runtime,
    median_us: r1(pct(lat, 50)), p99_us: r1(pct(lat, 99)) }));
})();
