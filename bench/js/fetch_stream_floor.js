// The JavaScriptCore floor for bench/js/fetch_stream.js's memory: bare JSC (bench/jsc_floor.c)
// iterating `for await` over the same number of chunks of the same size as eddy's run, each a
// fresh malloc'd ArrayBuffer written once (jscFloorChunk), with no fetch, stream or loop in
// between. Its peak RSS over an iteration of one chunk is what JSC itself keeps of such a body:
// the chunks its collector has not yet found dead, and the JIT's work on the loop.
//   build/bench_jsc_floor bench/js/fetch_stream_floor.js CHUNKS CHUNK_BYTES
const [chunks, size] = jscFloorArgs.map(Number);

async function* body() {
  for (let i = 0; i < chunks; i++) yield new Uint8Array(jscFloorChunk(size));
}

(async () => {
  let n = 0;
  for await (const chunk of body()) n += chunk.byteLength;
  if (n !== chunks * size) throw new Error("unexpected length: " + n);
  console.log(JSON.stringify({ bench: "fetch_stream_floor", runtime: "jsc", chunks, size }));
})();
