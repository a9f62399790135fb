// 1,000,000 sequential `await null` in one async function, and 200,000 chained promise
// reactions (then): the cost of the microtask machinery per step. Prints one JSON line, ms.
const runtime = globalThis.jscFloor ? "jsc" : globalThis.eddy ? "eddy" : globalThis.Bun ? "bun" : "node";
(async () => {
  const out = {};
  let t0 = performance.now();
  for (let i = 0; i < 1e6; i++) await null;
  out.await_null_1e6 = Math.round((performance.now() - t0) * 10) / 10;
  t0 = performance.now();
  let p = Promise.resolve(0);
  for (let i = 0; i < 2e5; i++) p = p.then((v) => v + 1);
  const n = await p;
  out.then_chain_2e5 = Math.round((performance.now() - t0) * 10) / 10;
  if (n !== 2e5) throw new Error("wrong count " + n);
  console.log(JSON.stringify({ bench: "await_chain", runtime, ms: out }));
})();
