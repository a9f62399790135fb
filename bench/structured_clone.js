// structuredClone throughput, the same script under eddy, node, bun and deno (bench/structured_clone.sh
// runs them side by side): clones per second of a small object, a nested object with arrays, a
// Map and a Set, a 64 KiB ArrayBuffer and a typed array on one, a 1 KiB string, a Date with a
// RegExp, and a cyclic graph. Inputs are built here, deterministically. Prints one JSON line.
const runtime = globalThis.eddy ? "eddy" : globalThis.Bun ? "bun" : globalThis.Deno ? "deno" : "node";
const seconds = Number((globalThis.eddy ? eddy.args[0] : globalThis.Bun ? Bun.argv[2] :
  globalThis.Deno ? Deno.args[0] : process.argv[2]) || 1);

function rate(value) {
  let last;
  for (let i = 0; i < 100; i++) last = structuredClone(value); // warm-up
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  // Clones in groups of 64 between two clock reads, so reading the clock costs little.
  while (t - t0 < seconds * 1000) {
    for (let i = 0; i < 64; i++) last = structuredClone(value);
    n += 64;
    t = performance.now();
  }
  if (typeof value === "object" && last === value) throw new Error("a clone is the original");
  return Math.round(n / ((t - t0) / 1000));
}

const small = { id: 7, name: "widget", ok: true, price: 9.5, tags: null };

const nested = {
  user: { id: 1, name: "Ada", roles: ["admin", "dev"], address: { city: "London", zip: "N1" } },
  items: [],
  meta: { version: 3, flags: [true, false, true], created: "2024-01-01T00:00:00Z" },
};
for (let i = 0; i < 20; i++) nested.items.push({ sku: `sku-${i}`, qty: i, price: i * 1.25, dims: [i, i + 1, i + 2] });

const map = new Map();
const set = new Set();
for (let i = 0; i < 50; i++) {
  map.set(`key${i}`, { n: i, s: `v${i}` });
  set.add(i * 3);
  set.add(`s${i}`);
}
const mapSet = { map, set };

const buffer = new ArrayBuffer(64 * 1024);
new Uint8Array(buffer).fill(0xab);
const floats = new Float64Array(8 * 1024);
for (let i = 0; i < floats.length; i++) floats[i] = i / 7;

const string1k = "abcdefghijklmnopqrstuvwxyz012345".repeat(32);

const dateRegExp = { when: new Date(1700000000000), pattern: /^[a-z]+(\d{2,4})$/giu };

const cyclic = { name: "root", children: [] };
for (let i = 0; i < 10; i++) {
  const child = { name: `child${i}`, parent: cyclic, siblings: cyclic.children };
  cyclic.children.push(child);
}
cyclic.self = cyclic;

const out = { runtime };
out.small_object_per_s = rate(small);
out.nested_object_per_s = rate(nested);
out.map_set_per_s = rate(mapSet);
out.arraybuffer_64k_per_s = rate(buffer);
out.float64array_64k_per_s = rate(floats);
out.string_1k_per_s = rate(string1k);
out.date_regexp_per_s = rate(dateRegExp);
out.cyclic_graph_per_s = rate(cyclic);
console.log(JSON.stringify(out));
