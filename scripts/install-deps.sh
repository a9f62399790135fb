#!/bin/sh
# Installs the Debian 12 packages eddy needs to build and test. Idempotent: installs only what is
# missing, and runs `apt-get update` only when something is.
set -eu
packages="gcc make cmake pkg-config libjavascriptcoregtk-4.1-dev libuv1-dev libcurl4-openssl-dev libicu-dev
libcmocka-dev libssl-dev zlib1g-dev libbrotli-dev libzstd-dev python3 python3-cbor2 openssl ca-certificates nginx"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing:$missing"
$sudo apt-get update -qq
# The tests start their own nginx (HTTP/2 over TLS) on ephemeral ports: keep the package's
# service from being started on port 80 by its postinst (policy-rc.d, as in Debian's images).
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod 755 "$policy"
  trap '$sudo rm -f "$policy"' EXIT
fi
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
