#!/usr/bin/env bash
# commit of a container that wrote 1000 small files: strata versus podman, same busybox image, side by side.
source "$(dirname "$0")/lib.sh"
FILES=${BENCH_FILES:-1000}
rootfs=$WORK/rootfs
busybox_rootfs "$rootfs"
tar -C "$rootfs" -cf "$WORK/busybox.tar" .
sroot=$WORK/sroot proot=$WORK/proot
podman_() { podman --root "$proot/root" --runroot "$proot/run" --storage-driver overlay "$@"; }
cleanup_all() {
  "$STRATA" --root "$sroot" rm -f bench >/dev/null 2>&1 || true
  podman_ rm -f bench >/dev/null 2>&1 || true
  podman_ system reset -f >/dev/null 2>&1 || true
  cleanup_bench
}
trap cleanup_all EXIT

write="mkdir -p /data && i=0; while [ \$i -lt $FILES ]; do echo file \$i > /data/f\$i; i=\$((i+1)); done"
"$STRATA" --root "$sroot" import -c 'CMD ["sh"]' "$WORK/busybox.tar" busybox:latest >/dev/null
"$STRATA" --root "$sroot" run --name bench --network none busybox sh -c "$write"
podman_ import -c 'CMD ["sh"]' "$WORK/busybox.tar" localhost/busybox:latest >/dev/null
podman_ run --name bench --network none localhost/busybox:latest sh -c "$write"

n=0
noop() { :; }
s_commit() { n=$((n + 1)); "$STRATA" --root "$sroot" commit bench "bench/s:$n"; }
p_commit() { n=$((n + 1)); podman_ commit bench "localhost/bench/p:$n"; }
sc=$(time_runs "strata commit" noop s_commit)
pc=$(time_runs "podman commit" noop p_commit)
echo "commit   container with $FILES new files: strata ${sc} ms, podman ${pc} ms, ratio strata/podman $(ratio "$sc" "$pc")"
