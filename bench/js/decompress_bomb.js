// A decompression bomb read slowly: one DecompressionStream("gzip") chunk of about 1 MB that
// inflates to 1 GiB of zeros, read chunk by chunk with a 1 ms timer every 64 chunks (a reader
// that does other work). bench/decompress_bomb.sh runs it under each runtime with GNU time for
// the peak RSS; this prints the time and the output's size and chunk count. Its input is
// bench/build/bomb_gz.js (made by the script: the gzip bytes as base64), or with "idle" as the
// argument a 20-byte gzip of nothing, for the runtime's RSS without the bomb.
const args = globalThis.eddy ? eddy.args : globalThis.Deno ? Deno.args : process.argv.slice(2);
const runtime = globalThis.eddy ? "eddy" : globalThis.Bun ? "bun" : globalThis.Deno ? "deno" : "node";
const idle = args[0] === "idle";
const b64 = idle ? "H4sIAAAAAAAAAwMAAAAAAAAAAAA=" : (await import("../build/bomb_gz.js")).default;
const bin = atob(b64);
const input = new Uint8Array(bin.length);
for (let i = 0; i < bin.length; i++) input[i] = bin.charCodeAt(i);

const t0 = performance.now();
const ds = new DecompressionStream("gzip");
const writer = ds.writable.getWriter();
writer.write(input);
writer.close();
let bytes = 0, chunks = 0;
for await (const c of ds.readable) {
  bytes += c.byteLength;
  if (++chunks % 64 === 0) await new Promise((r) => setTimeout(r, 1));
}
console.log(JSON.stringify({ bench: "decompress_bomb", runtime, idle, bytes, chunks,
  ms: Math.round(performance.now() - t0) }));
