#!/bin/sh
# MessageChannel and BroadcastChannel messages per second under eddy, node and bun, interleaved run by run (bench/message_channel.js).
#   bench/message_channel.sh [seconds-per-figure]      RUNS=3 by default; EDDY=, NODE=, BUN= override
exec "$(dirname "$0")/peers.sh" bench/message_channel.js "${1:-1}"
