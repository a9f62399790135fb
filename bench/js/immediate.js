// setImmediate: a chain of 100,000 (each callback queues the next, so each is a loop turn of
// its own) and bursts of 10,000 queued at once (one check phase runs them all), 10 times. Prints
// one JSON line per measure. Run by bench/peers.sh (eddy, node, bun side by side).
const runtime = globalThis.eddy ? 'eddy' : globalThis.Bun ? 'bun' : 'node';
const CHAIN = 100000;
const BURST = 10000;
const ROUNDS = 10;

function report(measure, n, ms) {
  console.log(JSON.stringify({ bench: 'immediate', measure, runtime, n,
    total_ms: Math.round(ms * 10) / 10, per_immediate_us: Math.round((ms / n) * 100000) / 100 }));
}

function chain() {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let left = CHAIN;
    const tick = () => {
      if (--left > 0) setImmediate(tick);
      else resolve(performance.now() - t0);
    };
    setImmediate(tick);
  });
}

function burst() {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let left = BURST;
    const done = () => {
      if (--left === 0) resolve(performance.now() - t0);
    };
    for (let i = 0; i < BURST; i++) setImmediate(done);
  });
}

(async () => {
  report('chain', CHAIN, await chain());
  let total = 0;
  for (let r = 0; r < ROUNDS; r++) total += await burst();
  report('burst', BURST * ROUNDS, total);
})();
