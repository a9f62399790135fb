// TextDecoder throughput, the same script under eddy, node and bun (bench/text_decode.sh runs
// them side by side): MB/s of input decoded for UTF-8 (mostly ASCII text with some 2-4 byte
// sequences), windows-1252 (a single-byte encoding), Shift_JIS (a multi-byte one), and UTF-8
// in 4 KiB streaming chunks. Inputs are built here, deterministically. Prints one JSON line.
const runtime = globalThis.eddy ? "eddy" : globalThis.Bun ? "bun" : "node";
const seconds = Number((globalThis.eddy ? eddy.args[0] : globalThis.Bun ? Bun.argv[2] : process.argv[2]) || 1);

let seed = 12345;
const rand = (n) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};

const SIZE = 1 << 20;
function utf8Input() {
  const words = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "café", "naïve",
    "€uro", "日本語", "😀", "Ωmega", "data", "value", "string", "encode"];
  let s = "";
  while (s.length < SIZE) s += words[rand(words.length)] + (rand(8) === 0 ? "\n" : " ");
  return new TextEncoder().encode(s).subarray(0, SIZE);
}
function latinInput() {
  const b = new Uint8Array(SIZE);
  for (let i = 0; i < SIZE; i++) b[i] = rand(5) === 0 ? 0xA0 + rand(0x60) : 0x20 + rand(0x5F);
  return b;
}
function sjisInput() {
  const b = new Uint8Array(SIZE);
  let i = 0;
  while (i < SIZE - 1) {
    if (rand(2) === 0) b[i++] = 0x20 + rand(0x5F);
    else { b[i++] = 0x88 + rand(0x10); b[i++] = 0x40 + rand(0x3F); }
  }
  return b;
}

function rate(fn, bytes) {
  for (let i = 0; i < 3; i++) fn(); // warm-up
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < seconds * 1000) {
    fn();
    n++;
    t = performance.now();
  }
  return Math.round((n * bytes) / ((t - t0) / 1000) / 1e6);
}

const utf8 = utf8Input();
const latin = latinInput();
const sjis = sjisInput();
const d8 = new TextDecoder();
const d1252 = new TextDecoder("windows-1252");
const dsjis = new TextDecoder("shift_jis");
let sink = 0;
const out = { runtime };
out.utf8_mb_s = rate(() => { sink += d8.decode(utf8).length; }, SIZE);
out.windows1252_mb_s = rate(() => { sink += d1252.decode(latin).length; }, SIZE);
out.shift_jis_mb_s = rate(() => { sink += dsjis.decode(sjis).length; }, SIZE);
out.utf8_stream_4k_mb_s = rate(() => {
  for (let i = 0; i < SIZE; i += 4096) sink += d8.decode(utf8.subarray(i, i + 4096), { stream: true }).length;
  sink += d8.decode().length;
}, SIZE);
if (sink < 0) console.log(sink);
console.log(JSON.stringify(out));
