#!/bin/sh
# MessageChannel and BroadcastChannel messages per second under eddy, node and bun, interleaved run by run (bench/message_channel.js).
#   bench/message_channel.sh [seconds-per-figure]      RUNS=3 by default; EDDY=, NODE=, BUN= override
set -eu
cd "$(dirname "$0")/.."
secs=${1:-1}
runs=${RUNS:-3}
eddy=${EDDY:-build/eddy}
node=${NODE:-node}
bun=${BUN:-bench/node_modules/.bin/bun}
for i in $(seq "$runs"); do
  [ -x "$eddy" ] && { "$eddy" bench/message_channel.js "$secs" || echo "eddy failed: $?"; }
  command -v "$node" >/dev/null && { "$node" bench/message_channel.js "$secs" || echo "node failed: $?"; }
  [ -x "$bun" ] && { "$bun" bench/message_channel.js "$secs" || echo "bun failed: $?"; }
done
