#!/bin/sh
# TextDecoder MB/s under eddy, node and bun, interleaved run by run (bench/text_decode.js).
#   bench/text_decode.sh [seconds-per-figure]      RUNS=3 by default; EDDY=, NODE=, BUN= override
exec "$(dirname "$0")/peers.sh" bench/text_decode.js "${1:-1}"
