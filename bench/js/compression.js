// CompressionStream / DecompressionStream gzip (and zstd where the runtime has it) throughput, the same script under eddy, node and
// bun: 64 MiB of mildly compressible bytes written in 1 MiB chunks (eddy codes chunks of 256 KiB
// and more on the thread pool) and in 64 KiB chunks (coded on the JS thread), compressed then
// decompressed, in MiB of uncompressed data per second; two 32 MiB streams compressed at once;
// and how many 5 ms interval ticks the JS thread got while one stream compressed. Under node,
// zlib.gzip / zlib.gunzip (the thread pool, one call) are measured too. Prints one JSON line.
const runtime = globalThis.eddy ? "eddy" : globalThis.Bun ? "bun" : "node";
const MIB = 1 << 20;

function sample(n) {
  // Words from a small vocabulary in a pseudo-random order: compresses about 3:1 like text.
  const words = ["stream", "chunk", "queue", "eddy", "deflate", "gzip", "reader", "writer", "byte",
    "the", "of", "a", "pipe", "through", "backpressure", "promise"];
  const out = new Uint8Array(n);
  let x = 2463534242, at = 0;
  while (at < n) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5; x >>>= 0; // xorshift32
    const w = words[x & 15];
    for (let i = 0; i < w.length && at < n; i++) out[at++] = w.charCodeAt(i);
    if (at < n) out[at++] = (x & 0x300) === 0 ? 10 : 32;
    if ((x & 0x7000) === 0 && at < n) out[at++] = 48 + ((x >>> 20) % 10); // a digit now and then
  }
  return out;
}

// Writes the chunks through the transform while reading it; → the output's total length and
// its chunks.
async function through(transform, chunks) {
  const writer = transform.writable.getWriter();
  const pump = (async () => {
    for (const c of chunks) await writer.write(c);
    await writer.close();
  })();
  const out = [];
  let length = 0;
  const reader = transform.readable.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    out.push(value);
    length += value.byteLength;
  }
  await pump;
  return { out, length };
}

function split(bytes, size) {
  const out = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

const round = (v) => Math.round(v * 10) / 10;

async function roundTrip(data, chunkSize, format = "gzip") {
  let t0 = performance.now();
  const packed = await through(new CompressionStream(format), split(data, chunkSize));
  const compressS = (performance.now() - t0) / 1000;
  // Decompress from chunks of the same size as the writer gave.
  const joined = new Uint8Array(packed.length);
  let at = 0;
  for (const c of packed.out) { joined.set(c, at); at += c.byteLength; }
  t0 = performance.now();
  const back = await through(new DecompressionStream(format), split(joined, chunkSize));
  const decompressS = (performance.now() - t0) / 1000;
  if (back.length !== data.length) throw new Error(`round trip lost bytes: ${back.length}`);
  const mib = data.length / MIB;
  return { compress_mib_s: round(mib / compressS), decompress_mib_s: round(mib / decompressS),
    ratio: round(data.length / packed.length) };
}

async function twoAtOnce(data) {
  const half = data.length / 2;
  const t0 = performance.now();
  await Promise.all([through(new CompressionStream("gzip"), split(data.subarray(0, half), MIB)),
    through(new CompressionStream("gzip"), split(data.subarray(half), MIB))]);
  return round(data.length / MIB / ((performance.now() - t0) / 1000));
}

async function ticksWhileCompressing(data, chunkSize) {
  let ticks = 0;
  const id = setInterval(() => ticks++, 5);
  const t0 = performance.now();
  await through(new CompressionStream("gzip"), split(data, chunkSize));
  const ms = performance.now() - t0;
  clearInterval(id);
  return { ms: Math.round(ms), ticks, ticks_expected: Math.floor(ms / 5) };
}

(async () => {
  const data = sample(64 * MIB);
  await roundTrip(data.subarray(0, 4 * MIB), MIB); // warm-up
  const out = {
    gzip_1mib_chunks: await roundTrip(data, MIB),
    gzip_64kib_chunks: await roundTrip(data, 64 * 1024),
    gzip_two_streams_compress_mib_s: await twoAtOnce(data),
    ticks_1mib_chunks: await ticksWhileCompressing(data.subarray(0, 16 * MIB), MIB),
    ticks_64kib_chunks: await ticksWhileCompressing(data.subarray(0, 16 * MIB), 64 * 1024),
  };
  let zstd = true; // a format beyond the standard's three: eddy and Bun have it, Node 20 not
  try { new CompressionStream("zstd"); } catch { zstd = false; }
  if (zstd) {
    await roundTrip(data.subarray(0, 4 * MIB), MIB, "zstd");
    out.zstd_1mib_chunks = await roundTrip(data, MIB, "zstd");
    out.zstd_64kib_chunks = await roundTrip(data, 64 * 1024, "zstd");
  }
  if (runtime === "node") {
    const zlib = await import("node:zlib");
    const { promisify } = await import("node:util");
    const gzip = promisify(zlib.gzip), gunzip = promisify(zlib.gunzip);
    let t0 = performance.now();
    const packed = await gzip(data);
    const c = (performance.now() - t0) / 1000;
    t0 = performance.now();
    await gunzip(packed);
    const d = (performance.now() - t0) / 1000;
    out.node_zlib_gzip_whole = { compress_mib_s: round(64 / c), decompress_mib_s: round(64 / d) };
  }
  console.log(JSON.stringify({ runtime, ...out }));
})();
