#!/bin/sh
# Installs the build into a temporary prefix, moves the prefix elsewhere (the install must be
# relocatable), and builds and runs the README's embedding example against it three ways, as a
# host would: with pkg-config (the README's own command line), with find_package(eddy) (shared
# and static), and with add_subdirectory(eddy) from the source tree. Also runs the installed
# eddy command. Each check prints ok/not ok; the last line counts them.
# usage: check_install.sh BUILD_DIR SOURCE_DIR [SANITIZERS]
set -u
build=$1 src=$(cd "$2" && pwd) sanitize=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok - $1"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $1"; [ -f "$tmp/log" ] && sed 's/^/    /' "$tmp/log" | tail -40; }
check() { # check NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then ok "$1"; else echo "    expected '$2', got '$3'" >"$tmp/log"; not_ok "$1"; fi
}
# Runs a command quietly, its output kept for a failure report.
quiet() { "$@" >"$tmp/log" 2>&1; }
# Runs a built program: its output, or why it did not finish within 2 minutes.
prog() { timeout 120 "$@" 2>&1 || { st=$?; [ "$st" -eq 124 ] && echo "(timed out: hung)" || echo "(exit $st)"; }; }

flags=""
[ -n "$sanitize" ] && flags="-fsanitize=$sanitize"

if quiet cmake --install "$build" --prefix "$tmp/staging"; then ok "cmake --install into a prefix"
else not_ok "cmake --install into a prefix"; echo "$passed passed, $failed failed"; exit 1; fi
mv "$tmp/staging" "$tmp/prefix"
prefix=$tmp/prefix
libdir=$prefix/lib
[ -d "$libdir" ] || libdir=$(dirname "$(find "$prefix" -name libeddy.so -print | head -1)")
sed -n '/^```c$/,/^```$/p' "$src/README.md" | sed '1d;$d' >"$tmp/main.c"

# ---- the installed command finds its library through its RUNPATH ----------------------------
runpath=$(readelf -d "$prefix/bin/eddy" 2>/dev/null | sed -n 's/.*R\(UN\)*PATH.*\[\(.*\)\]/\2/p')
check "bin/eddy has a relocatable RUNPATH" "\$ORIGIN/../$(basename "$libdir")" "$runpath"
check "the moved, installed eddy command runs" "42" "$(prog env -u LD_LIBRARY_PATH "$prefix/bin/eddy" -e 'console.log(6 * 7)')"

# ---- pkg-config: the README's command line, with no other package's .pc file around ----------
export PKG_CONFIG_LIBDIR="$libdir/pkgconfig"
unset PKG_CONFIG_PATH
check "pkg-config --cflags is eddy's include directory alone" "-I$prefix/include" \
  "$(pkg-config --cflags eddy | sed "s|$libdir/pkgconfig/\.\./\.\./include|$prefix/include|; s/ *$//")"
cmd=$(grep -o '`cc main.c $(pkg-config[^`]*`' "$src/README.md" | head -1 | tr -d '`')
if [ -z "$cmd" ]; then
  echo "    no \`cc main.c \$(pkg-config ...)\` line in README.md" >"$tmp/log"; not_ok "README's pkg-config line"
elif (cd "$tmp" && quiet eval "$cmd $flags -o main"); then
  check "README's pkg-config line builds a program that runs" "42" "$(prog "$tmp/main")"
else
  not_ok "README's pkg-config line builds ($cmd)"
fi
# A static link: libeddy.a and Libs.private (plain flags: again no other .pc file needed).
# shellcheck disable=SC2046,SC2086
if quiet cc $flags "$tmp/main.c" -I"$prefix/include" "$libdir/libeddy.a" \
     $(pkg-config --static --libs-only-l eddy | sed 's/-leddy\b//') -o "$tmp/main_static"; then
  check "a static link with pkg-config --static runs" "42" "$(prog "$tmp/main_static")"
else
  not_ok "a static link with pkg-config --static"
fi
unset PKG_CONFIG_LIBDIR

# ---- find_package(eddy): eddy::eddy and eddy::eddy_static -----------------------------------
fp=$tmp/find_package
if quiet cmake -S "$here/find_package" -B "$fp" -DCMAKE_PREFIX_PATH="$prefix" -DMAIN_C="$tmp/main.c" \
     -DCMAKE_C_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" \
   && quiet cmake --build "$fp" -j2; then
  check "find_package(eddy): eddy::eddy runs" "42" "$(prog "$fp/app_shared")"
  check "find_package(eddy): eddy::eddy_static runs" "42" "$(prog "$fp/app_static")"
  if readelf -d "$fp/app_static" | grep -q 'libeddy\.so'; then
    echo "    app_static needs libeddy.so" >"$tmp/log"; not_ok "eddy::eddy_static links no libeddy.so"
  else ok "eddy::eddy_static links no libeddy.so"; fi
else
  not_ok "find_package(eddy) consumer configures and builds"
fi
# A version the package does not provide is refused.
mkdir -p "$tmp/fp_version"
printf 'cmake_minimum_required(VERSION 3.25)\nproject(v LANGUAGES C)\nfind_package(eddy 9.0 REQUIRED)\n' \
  >"$tmp/fp_version/CMakeLists.txt"
if quiet cmake -S "$tmp/fp_version" -B "$tmp/fp_version/b" -DCMAKE_PREFIX_PATH="$prefix"; then
  not_ok "find_package(eddy 9.0) is refused"
else ok "find_package(eddy 9.0) is refused"; fi

# ---- add_subdirectory(eddy): eddy::eddy, and none of eddy's tests, benchmarks or command -------
sd=$tmp/subdirectory
if quiet cmake -S "$here/subdirectory" -B "$sd" -DEDDY_SOURCE_DIR="$src" -DMAIN_C="$tmp/main.c" \
     -DCMAKE_BUILD_TYPE=Debug; then
  targets=$(cmake --build "$sd" --target help 2>/dev/null)
  extra=$(printf '%s\n' "$targets" | grep -E '^\.\.\. (eddy_cli|bench_|test_|eddy_testutil)' | tr '\n' ' ')
  check "add_subdirectory(eddy) adds no tests, benchmarks or command" "" "$extra"
  if quiet cmake --build "$sd" --target app -j2; then
    check "add_subdirectory(eddy): eddy::eddy runs" "42" "$(prog "$sd/app")"
  else
    not_ok "add_subdirectory(eddy) consumer builds"
  fi
else
  not_ok "add_subdirectory(eddy) consumer configures"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
