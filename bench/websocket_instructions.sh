#!/bin/sh
# Userland instructions per WebSocket echo round trip (32-byte text message, sequential), counted
# by valgrind's cachegrind: noise-free where bench/websocket.sh's timings swing with the
# machine's load. Per message = (I(N2) - I(N1)) / (N2 - N1), so start-up, the connection and the
# first JIT compiles cancel out. The server is bench/websocket_floor.c's, not counted.
#
#   bench/websocket_instructions.sh         EDDY=build-rel/eddy N1=500 N2=2500 by default
#   BINARY=1 bench/websocket_instructions.sh   1 MiB binary round trips instead (N1=10 N2=30)
set -eu
cd "$(dirname "$0")/.."
EDDY="${EDDY:-build/eddy}"
if [ -n "${BINARY:-}" ]; then
  script=bench/js/websocket_binary_n.js what="1 MiB binary"
  N1="${N1:-10}" N2="${N2:-30}"
else
  script=bench/js/websocket_echo_n.js what="32-byte"
  N1="${N1:-500}" N2="${N2:-2500}"
fi
out=bench/build
mkdir -p "$out"
command -v valgrind >/dev/null 2>&1 || { echo "websocket_instructions.sh: needs valgrind" >&2; exit 1; }
cc -O2 -Wall -Wextra -o "$out/websocket_floor" bench/websocket_floor.c -lcrypto -lpthread
fifo="$out/websocket_server_ir.out"
rm -f "$fifo"
"$out/websocket_floor" serve > "$fifo" &
server=$!
tmp=$(mktemp -d)
trap 'kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP PIPE
until grep -q "^ws://.*$" "$fifo" 2>/dev/null; do sleep 0.05; done
url=$(head -n 1 "$fifo")

# JSC's JIT and GC serially, no busy-polling: other threads would spin under valgrind's
# one-thread-at-a-time scheduler and blur the count.
instructions() {
  JSC_useConcurrentJIT=false JSC_useConcurrentGC=false \
    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file="$tmp/cg.$1" \
    "$EDDY" --busy-poll-us 0 "$script" "$url" "$1" >"$tmp/stdout" 2>"$tmp/stderr" ||
    { cat "$tmp/stderr" >&2; exit 1; }
  sed -n 's/.*I *refs: *//p' "$tmp/stderr" | tr -d ','
}
a=$(instructions "$N1")
b=$(instructions "$N2")
echo "eddy: $(( (b - a) / (N2 - N1) )) instructions per $what echo round trip (userland, all threads)"
# ANNOTATE=1: where the difference goes, function by function (JIT code shows as ???).
if [ -n "${ANNOTATE:-}" ]; then
  cg_diff "$tmp/cg.$N1" "$tmp/cg.$N2" > "$tmp/cg.diff"
  cg_annotate "$tmp/cg.diff" | sed -n '/file:function/,$p' | head -"${ANNOTATE_LINES:-50}"
fi
