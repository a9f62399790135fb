// Streams a 256 MiB body (/256m, see bench/fetch_stream.sh) and reports MB/s; peak RSS is
// measured around the process by the driver. The body is read through res.body.getReader(), or
// with "iter" as the second argument through `for await (const chunk of res.body)` (the issue's
// own wording). With "idle" as the second argument it only starts up and fetches a small body
// (the RSS baseline). Floor: raw_curl's "fetch_stream".
const args = globalThis.eddy ? eddy.args : process.argv.slice(2);
const base = args[0];
const mode = args[1] || "reader";
const runtime = globalThis.eddy ? "eddy" : globalThis.Bun ? "bun" : "node";

(async () => {
  if (mode === "idle") {
    await (await fetch(base + "/2b")).text();
    console.log(JSON.stringify({ bench: "fetch_stream_idle", runtime }));
    return;
  }
  await (await fetch(base + "/64k")).arrayBuffer(); // connection and code warm
  const t0 = performance.now();
  const res = await fetch(base + "/256m");
  let n = 0;
  let chunks = 0;
  if (mode === "iter") {
    for await (const chunk of res.body) {
      n += chunk.byteLength;
      chunks++;
    }
  } else {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      n += value.byteLength;
      chunks++;
    }
  }
  const ms = performance.now() - t0;
  if (n !== 256 * 1024 * 1024) throw new Error("unexpected length: " + n);
  console.log(JSON.stringify({ bench: "fetch_stream", runtime, mode,
    mb_s: Math.round(n / ms / 1e3 * 10) / 10, chunks, mean_chunk_kib: Math.round(n / chunks / 1024) }));
})();
