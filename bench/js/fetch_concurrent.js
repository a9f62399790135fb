// 3000 fetch() + text() of a 2-byte body with 64 in flight: throughput.
// An untimed round of 64 first opens the connections.
// Floor: raw_curl's "fetch_concurrent" (curl multi, 64 easy handles).
// An optional second argument replaces N (bench/instructions.sh varies it).
const [base, count] = globalThis.eddy ? eddy.args : process.argv.slice(2);
const N = count ? Number(count) : 3000, INFLIGHT = 64;
const runtime = globalThis.eddy ? "eddy" : globalThis.Bun ? "bun" : "node";

async function get(url) {
  const text = await (await fetch(url)).text();
  if (text !== "ok") throw new Error("unexpected body: " + text);
}

(async () => {
  const url = base + "/2b";
  const warm = [];
  for (let i = 0; i < INFLIGHT; i++) warm.push(get(url));
  await Promise.all(warm);

  let next = 0;
  async function worker() {
    while (next < N) {
      next++;
      await get(url);
    }
  }
  const t0 = performance.now();
  const workers = [];
  for (let i = 0; i < INFLIGHT; i++) workers.push(worker());
  await Promise.all(workers);
  const s = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ bench: "fetch_concurrent", runtime, n: N, inflight: INFLIGHT,
    rps: Math.round(N / s) }));
})();
