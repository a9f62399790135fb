// CPU-bound workloads, long and short, for comparing JIT settings (bench/jit_tiering.sh).
// Prints one JSON line: milliseconds per workload.
const runtime = globalThis.jscFloor ? "jsc" : globalThis.eddy ? "eddy" : globalThis.Bun ? "bun" : "node";
const out = {};
function time(name, fn) {
  const t0 = performance.now();
  const r = fn();
  out[name] = Math.round((performance.now() - t0) * 10) / 10;
  if (r === undefined) throw new Error(name + " returned nothing");
}

// Long: the optimising tiers matter.
time("int_loop_1e8", () => { let h = 0x811c9dc5; for (let i = 0; i < 1e8; i++) { h ^= i & 0xff; h = Math.imul(h, 0x01000193) >>> 0; } return h; });
time("objects_2e7", () => { let s = 0; for (let i = 0; i < 2e7; i++) { const o = { x: i, y: i * 2 }; s += o.x + o.y; } return s; });
time("sort_2e6", () => { const a = Array.from({ length: 2e6 }, (_, i) => (i * 7919) % 1000003); a.sort((x, y) => x - y); return a[5]; });
time("json_1e5_x10", () => { const o = Array.from({ length: 1e5 }, (_, i) => ({ id: i, name: "n" + i, tags: ["a", "b"] })); let n = 0; for (let k = 0; k < 10; k++) n += JSON.parse(JSON.stringify(o)).length; return n; });
// Short: a few ms, where waiting longer to optimise could cost.
time("map_filter_2e3_x50", () => { let n = 0; for (let k = 0; k < 50; k++) { const a = Array.from({ length: 2000 }, (_, i) => ({ id: i, v: i * 3 })); n += a.map((o) => ({ ...o, w: o.v + 1 })).filter((o) => o.w % 2).reduce((s, o) => s + o.w, 0); } return n; });
time("calls_1e5", () => { function f(a, b) { return (a * 31 + b) | 0; } let s = 0; for (let i = 0; i < 1e5; i++) s = f(s, i); return s; });
time("methods_2e5", () => { class P { constructor(x, y) { this.x = x; this.y = y; } add(o) { return new P(this.x + o.x, this.y + o.y); } } let p = new P(0, 0); for (let i = 0; i < 2e5; i++) p = p.add(new P(1, 2)); return p.x; });

console.log(JSON.stringify({ bench: "compute", runtime, ms: out }));
