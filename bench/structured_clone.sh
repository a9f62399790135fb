#!/bin/sh
# structuredClone clones per second under eddy, node, bun and deno, interleaved run by run
# (bench/structured_clone.js), medians and ratios.
#   bench/structured_clone.sh [seconds-per-figure]      RUNS=3 by default; EDDY=, NODE=, BUN=, DENO= override
exec "$(dirname "$0")/peer_medians.sh" "$(dirname "$0")/structured_clone.js" "${1:-1}"
