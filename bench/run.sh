#!/usr/bin/env bash
# Container start-to-exit latency: `strata run --rm` versus `podman run --rm`, same busybox image, overlay, no network.
# Also a detached start + stop cycle. Median of BENCH_RUNS (default 10) after one warm-up each.
source "$(dirname "$0")/lib.sh"
RUNS=${BENCH_RUNS:-10}
rootfs=$WORK/rootfs
busybox_rootfs "$rootfs"
tar -C "$rootfs" -cf "$WORK/busybox.tar" .
sroot=$WORK/sroot proot=$WORK/proot
podman_() { podman --root "$proot/root" --runroot "$proot/run" --storage-driver overlay --events-backend file "$@"; }
cleanup_all() {
  "$STRATA" --root "$sroot" rm -f bench-d >/dev/null 2>&1 || true
  podman_ rm -f bench-d >/dev/null 2>&1 || true
  podman_ system reset -f >/dev/null 2>&1 || true
  cleanup_bench
}
trap cleanup_all EXIT
"$STRATA" --root "$sroot" import -c 'CMD ["sh"]' "$WORK/busybox.tar" busybox:latest >/dev/null
podman_ import -c 'CMD ["sh"]' "$WORK/busybox.tar" localhost/busybox:latest >/dev/null
runtime=${BENCH_RUNTIME:-crun}
noop() { :; }
s_run() { "$STRATA" --root "$sroot" --runtime "$runtime" run --rm --network none busybox true; }
p_run() { podman_ --runtime "$runtime" run --rm --network none localhost/busybox:latest true; }
s_run >/dev/null; p_run >/dev/null
sr=$(time_runs "strata run" noop s_run)
pr=$(time_runs "podman run" noop p_run)
echo "run --rm true ($runtime): strata ${sr} ms, podman ${pr} ms, ratio strata/podman $(ratio "$sr" "$pr")"

s_cycle() { "$STRATA" --root "$sroot" --runtime "$runtime" run -d --name bench-d --network none busybox sleep 600 && "$STRATA" --root "$sroot" rm -f bench-d; }
p_cycle() { podman_ --runtime "$runtime" run -d --name bench-d --network none localhost/busybox:latest sleep 600 && podman_ rm -f -t 0 bench-d; }
sc=$(time_runs "strata run -d + rm -f" noop s_cycle)
pc=$(time_runs "podman run -d + rm -f" noop p_cycle)
echo "run -d + rm -f ($runtime): strata ${sc} ms, podman ${pc} ms, ratio strata/podman $(ratio "$sc" "$pc")"
