#!/usr/bin/env bash
# Import and load of a ~200 MB root filesystem: strata versus podman, same inputs, fresh stores per run.
source "$(dirname "$0")/lib.sh"
MB=${BENCH_MB:-200}
rootfs=$WORK/rootfs
busybox_rootfs "$rootfs"
mkdir -p "$rootfs/data"
head -c $((MB / 2 * 1024 * 1024)) /dev/urandom >"$rootfs/data/random.bin"
# compressible half: repeated text in many files, as real distributions look
python3 - "$rootfs/data" "$MB" <<'PY'
import os, sys
d, mb = sys.argv[1], int(sys.argv[2])
line = b"the quick brown fox jumps over the lazy dog 0123456789 strata bench\n"
per = 1024 * 1024
for i in range(mb // 2):
    with open(os.path.join(d, f"text-{i:04}.txt"), "wb") as f:
        f.write((line * (per // len(line) + 1))[:per])
PY
tar -C "$rootfs" -cf "$WORK/rootfs.tar" .
size=$(du -m "$WORK/rootfs.tar" | cut -f1)

sroot=$WORK/sroot proot=$WORK/proot
reset_strata() { grep -o " $sroot[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true; rm -rf "$sroot"; }
reset_podman() { podman --root "$proot/root" --runroot "$proot/run" system reset -f >/dev/null 2>&1 || true; rm -rf "$proot"; }
podman_() { podman --root "$proot/root" --runroot "$proot/run" --storage-driver overlay "$@"; }

s_import() { "$STRATA" --root "$sroot" import "$WORK/rootfs.tar" bench/rootfs:1; }
p_import() { podman_ import "$WORK/rootfs.tar" bench/rootfs:1; }
si=$(time_runs "strata import" reset_strata s_import)
pi=$(time_runs "podman import" reset_podman p_import)

# one archive, written by strata save (docker-archive), loaded by both
reset_strata; s_import >/dev/null
"$STRATA" --root "$sroot" save -o "$WORK/image.tar" bench/rootfs:1
s_load() { "$STRATA" --root "$sroot" load -i "$WORK/image.tar"; }
p_load() { podman_ load -i "$WORK/image.tar"; }
sl=$(time_runs "strata load" reset_strata s_load)
pl=$(time_runs "podman load" reset_podman p_load)
reset_strata; reset_podman

echo "import   ${size} MB rootfs tar: strata ${si} ms, podman ${pi} ms, ratio strata/podman $(ratio "$si" "$pi")"
echo "load     ${size} MB docker-archive: strata ${sl} ms, podman ${pl} ms, ratio strata/podman $(ratio "$sl" "$pl")"
