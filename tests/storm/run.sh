#!/bin/sh
# The long storm (tests/storm/storm.c, docs/testing.md#storms): 16 threads for 60 s by default,
# on the ASan/UBSan build (or EDDY_BUILD_DIR's; EDDY_SANITIZE=thread for a TSan build).
#
#   tests/storm/run.sh [SECONDS] [THREADS] [SEED]
set -eu
cd "$(dirname "$0")/../.."
dir="${EDDY_BUILD_DIR:-build-storm}"
seconds="${1:-60}"
threads="${2:-16}"
seed="${3:-$(date +%s)}"
cmake -S . -B "$dir" -DEDDY_WERROR=ON -DEDDY_SANITIZE="${EDDY_SANITIZE:-address,undefined}" >/dev/null
cmake --build "$dir" --target storm -j"$(nproc)"
export ASAN_OPTIONS="detect_stack_use_after_return=0:detect_leaks=1:allocator_may_return_null=1:malloc_context_size=2"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export TSAN_OPTIONS="suppressions=$PWD/tests/tsan.supp:halt_on_error=1"
case "${EDDY_SANITIZE:-}" in *thread*) export JSC_useConcurrentGC=false ;; esac
exec "$dir/tests/storm" --seconds "$seconds" --threads "$threads" --seed "$seed"
