#!/bin/sh
# URL parsing and URLSearchParams throughput: bench/url_parse.js under eddy, node, bun and deno,
# interleaved run by run (drift on a shared machine hits all alike), medians and ratios.
#   bench/url_parse.sh                 # RUNS=3, 1 s per measurement
#   EDDY=build-rel/eddy RUNS=5 SECONDS_EACH=2 bench/url_parse.sh
exec "$(dirname "$0")/peer_medians.sh" "$(dirname "$0")/url_parse.js" "${SECONDS_EACH:-1}"
