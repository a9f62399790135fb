// The cost of one chunk through a ReadableStream, without the network: a source whose pull
// enqueues a new 16 KiB Uint8Array, read to its end. Prints one JSON line per way of reading
// with ns per chunk.
//
//   <eddy|node|bun> bench/js/streams_chunk.js [N] [mode...]
//
// N chunks (default 200000; ~2000 is what a 256 MiB fetch body has, read before JSC's JIT tiers
// up). Modes (default the first four): bytes-iter (type 'bytes', `for await`), bytes-read (type
// 'bytes', getReader().read()), default-iter, default-read, and floor (no stream: the chunk's
// allocation and one await). For instruction counts, which hold still on a shared machine, run
// two N under cachegrind and take the difference per chunk:
//   JSC_useJIT=false JSC_useConcurrentGC=false valgrind --tool=cachegrind --cache-sim=no \
//     build/eddy bench/js/streams_chunk.js 500 bytes-iter    (then 1500)
const argv = globalThis.eddy ? eddy.args : process.argv.slice(2);
const N = +(argv[0] || 200000);
const modes = argv.length > 1 ? argv.slice(1) : ["bytes-iter", "bytes-read", "default-iter", "default-read"];
const runtime = globalThis.eddy ? "eddy" : globalThis.Bun ? "bun" : "node";
const SIZE = 16384;

function source(type) {
  let left = N;
  const src = {
    pull(c) {
      if (left-- === 0) c.close();
      else c.enqueue(new Uint8Array(SIZE));
    },
  };
  if (type === "bytes") src.type = "bytes";
  return new ReadableStream(src);
}

async function run(mode) {
  const [type, how] = mode.split("-");
  // Made before the clock starts: the first stream of a process installs eddy's streams code.
  const rs = type === "floor" ? null : source(type);
  let n = 0;
  const t0 = performance.now();
  if (type === "floor") {
    for (let i = 0; i < N; i++) n += (await new Uint8Array(SIZE)).byteLength;
  } else if (how === "iter") {
    for await (const chunk of rs) n += chunk.byteLength;
  } else {
    const reader = rs.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      n += value.byteLength;
    }
  }
  const ms = performance.now() - t0;
  if (n !== N * SIZE) throw new Error(`${mode}: ${n} bytes`);
  console.log(JSON.stringify({ bench: "streams_chunk", runtime, mode, n: N,
    ns_per_chunk: Math.round(ms * 1e6 / N) }));
}

(async () => {
  for (const m of modes) await run(m);
})();
