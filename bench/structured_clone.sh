#!/bin/sh
# structuredClone clones per second under eddy, node and bun, interleaved run by run (bench/structured_clone.js).
#   bench/structured_clone.sh [seconds-per-figure]      RUNS=3 by default; EDDY=, NODE=, BUN= override
exec "$(dirname "$0")/peers.sh" bench/structured_clone.js "${1:-1}"
