#!/bin/sh
# TextDecoder MB/s under eddy, node and bun, interleaved run by run (bench/text_decode.js).
#   bench/text_decode.sh [seconds-per-figure]      RUNS=3 by default; EDDY=, NODE=, BUN= override
set -eu
cd "$(dirname "$0")/.."
secs=${1:-1}
runs=${RUNS:-3}
eddy=${EDDY:-build/eddy}
node=${NODE:-node}
bun=${BUN:-bench/node_modules/.bin/bun}
for i in $(seq "$runs"); do
  [ -x "$eddy" ] && { "$eddy" bench/text_decode.js "$secs" || echo "eddy failed: $?"; }
  command -v "$node" >/dev/null && { "$node" bench/text_decode.js "$secs" || echo "node failed: $?"; }
  [ -x "$bun" ] && { "$bun" bench/text_decode.js "$secs" || echo "bun failed: $?"; }
done
