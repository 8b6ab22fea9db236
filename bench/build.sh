#!/usr/bin/env bash
# `strata build` versus `buildah bud --layers` of a 3-step Dockerfile (FROM busybox, RUN write, RUN rm): cold (empty
# cache, base image present) and fully cached, side by side, median of BENCH_RUNS (default 5).
source "$(dirname "$0")/lib.sh"
RUNS=${BENCH_RUNS:-5}
rootfs=$WORK/rootfs
busybox_rootfs "$rootfs"
tar -C "$rootfs" -cf "$WORK/busybox.tar" .
ctx=$WORK/ctx
mkdir -p "$ctx"
cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM localhost/busybox:latest
RUN dd if=/dev/zero of=/big bs=1M count=20 2>/dev/null && echo written > /note
RUN rm /big
DOCKERFILE
sroot=$WORK/sroot broot=$WORK/broot
buildah_() { buildah --root "$broot/root" --runroot "$broot/run" --storage-driver overlay "$@"; }
cleanup_all() {
  buildah_ rm --all >/dev/null 2>&1 || true
  buildah_ rmi --all --force >/dev/null 2>&1 || true
  cleanup_bench
}
trap cleanup_all EXIT
"$STRATA" --root "$sroot" import -c 'CMD ["sh"]' "$WORK/busybox.tar" localhost/busybox:latest >/dev/null
podman --root "$broot/root" --runroot "$broot/run" --storage-driver overlay import -c 'CMD ["sh"]' "$WORK/busybox.tar" localhost/busybox:latest >/dev/null

n=0
s_clean() { "$STRATA" --root "$sroot" builder prune >/dev/null; "$STRATA" --root "$sroot" rmi -f bench/s >/dev/null 2>&1 || true; }
b_clean() { buildah_ rmi -f bench/b >/dev/null 2>&1 || true; buildah_ rmi --prune >/dev/null 2>&1 || true; }
s_build() { "$STRATA" --root "$sroot" build -t bench/s "$ctx"; }
b_build() { buildah_ bud --layers -t bench/b "$ctx"; }
noop() { :; }
sc=$(time_runs "strata build cold" s_clean s_build)
bc=$(time_runs "buildah bud cold" b_clean b_build)
echo "build cold  : strata ${sc} ms, buildah ${bc} ms, ratio strata/buildah $(ratio "$sc" "$bc")"
s_build >/dev/null 2>&1; b_build >/dev/null 2>&1
sw=$(time_runs "strata build cached" noop s_build)
bw=$(time_runs "buildah bud cached" noop b_build)
echo "build cached: strata ${sw} ms, buildah ${bw} ms, ratio strata/buildah $(ratio "$sw" "$bw")"
