// crypto.subtle throughput, the same script under eddy, node and bun: SHA-256 of 1 MiB (awaited
// one after another, and 8 in flight), SHA-256 of 64 bytes (calls per second, 8 in flight), and a
// 10^6-iteration PBKDF2-SHA-256 with a 5 ms interval running meanwhile (the ticks it got show
// whether the JS thread stayed free). Prints one JSON line.
const runtime = globalThis.eddy ? "eddy" : globalThis.Bun ? "bun" : "node";
const subtle = globalThis.crypto.subtle;

async function mibPerSecond(data, rounds, inFlight) {
  for (let i = 0; i < 20; i++) await subtle.digest("SHA-256", data); // warm-up
  const t0 = performance.now();
  for (let done = 0; done < rounds; done += inFlight) {
    const batch = [];
    for (let k = 0; k < inFlight; k++) batch.push(subtle.digest("SHA-256", data));
    await Promise.all(batch);
  }
  const s = (performance.now() - t0) / 1000;
  return Math.round(((rounds * data.byteLength) / (1 << 20) / s) * 10) / 10;
}

async function callsPerSecond(data, calls, inFlight) {
  for (let i = 0; i < 1000; i++) await subtle.digest("SHA-256", data);
  const t0 = performance.now();
  for (let done = 0; done < calls; done += inFlight) {
    const batch = [];
    for (let k = 0; k < inFlight; k++) batch.push(subtle.digest("SHA-256", data));
    await Promise.all(batch);
  }
  return Math.round(calls / ((performance.now() - t0) / 1000));
}

async function pbkdf2WithInterval() {
  const key = await subtle.importKey("raw", new TextEncoder().encode("password"), "PBKDF2", false, ["deriveBits"]);
  let ticks = 0;
  const id = setInterval(() => ticks++, 5);
  const t0 = performance.now();
  await subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: new TextEncoder().encode("salt"), iterations: 1e6 }, key, 256);
  const ms = performance.now() - t0;
  clearInterval(id);
  return { ms: Math.round(ms), ticks, ticks_expected: Math.floor(ms / 5) };
}

(async () => {
  const mib = new Uint8Array(1 << 20).fill(0x61);
  const small = new Uint8Array(64).fill(0x61);
  const out = {
    sha256_1mib_seq_mib_s: await mibPerSecond(mib, 200, 1),
    sha256_1mib_8_in_flight_mib_s: await mibPerSecond(mib, 200, 8),
    sha256_64b_calls_s: await callsPerSecond(small, 100000, 8),
    pbkdf2_sha256_1e6: await pbkdf2WithInterval(),
  };
  console.log(JSON.stringify({ bench: "crypto_digest", runtime, ...out }));
})();
