#!/usr/bin/env bash
# Installs what Strata's build, demo and tests need on Debian 12. Idempotent; quiet when all is there.
set -euo pipefail
pkgs=(docker-registry skopeo podman buildah umoci crun runc busybox-static debootstrap hyperfine wrk apache2-utils iproute2 iptables uidmap fuse-overlayfs chromium chromium-driver
  postgresql haproxy ceph-mon ceph-osd radosgw ceph-common curl afl++ tini docker-compose nftables iperf3 netavark aardvark-dns)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then echo "deps: need root to apt-get install ${missing[*]}" >&2; exit 1; fi
  echo "deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if ! command -v dotnet >/dev/null || ! dotnet --list-sdks | grep -q '^10\.'; then
  echo "deps: installing the .NET 10 SDK"
  curl -fsSL https://dot.net/v1/dotnet-install.sh -o /tmp/dotnet-install.sh
  bash /tmp/dotnet-install.sh --channel 10.0 --install-dir /usr/share/dotnet >/dev/null
  ln -sf /usr/share/dotnet/dotnet /usr/local/bin/dotnet
fi
# NativeAOT needs clang/zlib for linking.
for p in clang zlib1g-dev; do dpkg -s "$p" >/dev/null 2>&1 || { apt-get install -y -qq --no-install-recommends "$p" >/dev/null; }; done
