// N sequential round trips of a 32-byte text message, then a close: for
// bench/websocket_instructions.sh, which counts instructions at two N and takes the difference.
//   eddy bench/js/websocket_echo_n.js ws://127.0.0.1:PORT N
const [base, count] = globalThis.eddy ? eddy.args : process.argv.slice(2);
const N = +count;
const ws = new WebSocket(base + "/echo");
ws.binaryType = "arraybuffer";
const msg = "x".repeat(32);
let i = 0;
ws.onopen = () => ws.send(msg);
ws.onmessage = (e) => {
  if (e.data.length !== 32) throw new Error("short echo");
  if (++i === N) return ws.close();
  ws.send(msg);
};
