// 20,000 chained setTimeout(0): each callback schedules the next. Measures
// per-timer overhead plus any minimum-delay clamp (Node clamps 0 to 1 ms).
const N = 20000;
const runtime = globalThis.eddy ? "eddy" : globalThis.Bun ? "bun" : "node";

const t0 = performance.now();
let left = N;
function tick() {
  if (--left > 0) {
    setTimeout(tick, 0);
    return;
  }
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ bench: "timer_chain", runtime, n: N,
    total_ms: Math.round(ms * 10) / 10, per_timer_us: Math.round((ms / N) * 10000) / 10 }));
}
setTimeout(tick, 0);
