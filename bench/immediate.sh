#!/bin/sh
# setImmediate chains and bursts under eddy, node and bun, interleaved run by run
# (bench/js/immediate.js).   bench/immediate.sh     RUNS=3 by default; EDDY=, NODE=, BUN= override
exec "$(dirname "$0")/peers.sh" bench/js/immediate.js
