// N sequential round trips of a 1 MiB binary message, then a close: for
// bench/websocket_instructions.sh (BINARY=1), which counts instructions at two N.
//   eddy bench/js/websocket_binary_n.js ws://127.0.0.1:PORT N
const [base, count] = globalThis.eddy ? eddy.args : process.argv.slice(2);
const N = +count;
const ws = new WebSocket(base + "/echo");
ws.binaryType = "arraybuffer";
const big = new Uint8Array(1 << 20).fill(7);
let i = 0;
ws.onopen = () => ws.send(big);
ws.onmessage = (e) => {
  if (e.data.byteLength !== big.length) throw new Error("short echo");
  if (++i === N) return ws.close();
  ws.send(big);
};
