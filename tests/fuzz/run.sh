#!/bin/sh
# Builds eddy with clang (libFuzzer, AddressSanitizer, UBSan) and runs the fuzz targets of
# tests/fuzz for a while each (docs/testing.md#fuzzing).
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]
#
# SECONDS per target (default 60); TARGETs among value, eval, module_parse, ws_frames (default:
# all four).
# EDDY_FUZZ_BUILD_DIR (default build-fuzz) holds the build, the growing corpora (corpus/TARGET,
# kept between runs) and what a target finds (artifacts/TARGET: crash-*, leak-*, timeout-*).
# Reproduce a finding with `build-fuzz/fuzz_TARGET build-fuzz/artifacts/TARGET/crash-...`.
# Exits non-zero if any target failed. Installs clang from Debian if it is missing.
set -eu
cd "$(dirname "$0")/../.."
seconds="${1:-60}"
[ $# -gt 0 ] && shift
targets="${*:-value eval module_parse ws_frames}"
dir="${EDDY_FUZZ_BUILD_DIR:-build-fuzz}"

if ! command -v clang >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends clang
fi
./scripts/install-deps.sh

# The library gets coverage instrumentation (fuzzer-no-link); only the targets link libFuzzer.
CC=clang cmake -S . -B "$dir" -DEDDY_SANITIZE=address,undefined \
  -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link" -DEDDY_BUILD_TESTS=OFF -DEDDY_BUILD_CLI=OFF \
  -DEDDY_BUILD_BENCH=OFF >/dev/null
cmake --build "$dir" --target eddy -j"$(nproc)"

flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
flags="$flags -Iinclude -Isrc"
link="-L$dir -leddy -Wl,-rpath,$PWD/$dir"
for t in $targets; do
  extra="" libs="$link"
  [ "$t" = module_parse ] && extra="src/module_parse.c src/module_lex.c src/module_expr.c src/module_stmt.c src/module_decl.c src/utf.c"
  if [ "$t" = ws_frames ]; then
    # websocket_frame.c alone, websocket.c's functions defined by the target: no libeddy.
    extra="src/web/websocket_frame.c src/utf.c $(pkg-config --cflags javascriptcoregtk-4.1 libuv libcurl libcrypto zlib)"
    libs="$(pkg-config --libs libuv libcrypto zlib)"
  fi
  # shellcheck disable=SC2086
  clang $flags -o "$dir/fuzz_$t" "tests/fuzz/fuzz_$t.c" $extra $libs
done

# JSC's conservative GC must see real stack frames: no fake stacks.
export ASAN_OPTIONS="detect_stack_use_after_return=0:detect_leaks=1:allocator_may_return_null=1:malloc_context_size=2"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
status=0
for t in $targets; do
  mkdir -p "$dir/corpus/$t" "$dir/artifacts/$t"
  dict=""
  [ "$t" = eval ] || [ "$t" = module_parse ] && dict="-dict=tests/fuzz/js.dict"
  [ "$t" = value ] && dict="-dict=tests/fuzz/value.dict"
  echo "fuzz_$t: ${seconds}s"
  # shellcheck disable=SC2086
  if ! "$dir/fuzz_$t" "$dir/corpus/$t" "tests/fuzz/seeds/$t" $dict \
      -max_total_time="$seconds" -timeout=20 -rss_limit_mb=6144 -max_len=8192 \
      -artifact_prefix="$dir/artifacts/$t/" -print_final_stats=1 >"$dir/fuzz_$t.log" 2>&1; then
    echo "fuzz_$t FAILED: see $dir/fuzz_$t.log and $dir/artifacts/$t/"
    tail -n 40 "$dir/fuzz_$t.log"
    status=1
  else
    grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb)|cov: " "$dir/fuzz_$t.log" | tail -n 3
  fi
done
exit $status
