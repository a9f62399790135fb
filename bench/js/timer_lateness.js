// How late a 5 ms setTimeout fires: callback time - (schedule time + 5 ms),
// 200 times in sequence. Negative = early (a bug: timers must not fire early).
// Floor: bench/epoll_floor.c does the same with a bare epoll_wait.
const N = 200, DELAY = 5;
const runtime = globalThis.eddy ? "eddy" : globalThis.Bun ? "bun" : "node";

// Nearest-rank percentile (same definition as the C benchmarks).
function pct(sorted, p) {
  const k = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[k - 1];
}
const r1 = (x) => Math.round(x * 10) / 10;

function once() {
  return new Promise((resolve) => {
    const t0 = performance.now();
    // measured inside the callback: promise resolution is not timer lateness
    setTimeout(() => resolve((performance.now() - t0 - DELAY) * 1000), DELAY);
  });
}

(async () => {
  const late = [];
  for (let i = 0; i < N; i++) late.push(await once());
  late.sort((a, b) => a - b);
  console.log(JSON.stringify({ bench: "timer_lateness", runtime,
    median_us: r1(pct(late, 50)), p99_us: r1(pct(late, 99)), min_us: r1(late[0]) }));
})();
