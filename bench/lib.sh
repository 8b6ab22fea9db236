# Shared helpers for the benches: timing, temp dirs, cleanup of what we started.
set -euo pipefail
ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STRATA=${STRATA_BIN:-$ROOT_DIR/bin/strata}
RUNS=${BENCH_RUNS:-3}
WORK=$(mktemp -d /tmp/strata-bench.XXXXXX)
cleanup_bench() {
  # unmount anything left under our work dir, then remove it
  grep -o " $WORK[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup_bench EXIT

# now_ms: wall clock in milliseconds
now_ms() { date +%s%3N; }

# median of the numbers on stdin
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }

# time_runs LABEL SETUP_FN CMD_FN: runs SETUP (untimed) then CMD (timed) RUNS times; prints median ms
time_runs() {
  local label=$1 setup=$2 cmd=$3 times=() i t0
  for ((i = 0; i < RUNS; i++)); do
    $setup
    t0=$(now_ms)
    $cmd >/dev/null 2>&1 || { echo "bench: $label failed" >&2; $cmd; exit 1; }
    times+=($(($(now_ms) - t0)))
  done
  printf '%s\n' "${times[@]}" | median
}

# ratio A B -> A/B with two decimals
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# busybox_rootfs DIR: a minimal root filesystem from busybox-static
busybox_rootfs() {
  local d=$1
  mkdir -p "$d/bin" "$d/etc" "$d/tmp" "$d/root" "$d/proc" "$d/sys" "$d/dev"
  cp /bin/busybox "$d/bin/busybox"
  for a in $(/bin/busybox --list); do [[ -e $d/bin/$a ]] || ln -s busybox "$d/bin/$a"; done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$d/etc/passwd"
  echo 'root:x:0:' >"$d/etc/group"
}
