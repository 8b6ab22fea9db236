#!/usr/bin/env bash
# Host quirks seen on this kind of machine (see docs/architecture.md, "Host quirks").
set -euo pipefail
[[ $(id -u) -eq 0 ]] || { echo "prepare: not root, skipping host preparation"; exit 0; }
# crun 1.8 refuses hybrid cgroups while a cgroup2 mount still holds hugetlb: move hugetlb to v1.
if [[ -d /sys/fs/cgroup/unified ]] && grep -qw hugetlb /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null \
   && ! grep -q ' /sys/fs/cgroup/hugetlb ' /proc/mounts; then
  mkdir -p /sys/fs/cgroup/hugetlb 2>/dev/null || mount -o remount,rw /sys/fs/cgroup 2>/dev/null || true
  mkdir -p /sys/fs/cgroup/hugetlb && mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb || echo "prepare: could not mount hugetlb v1 (crun may refuse; use --runtime runc)"
fi
# podman asks for nofile=1048576 and an unlimited nproc by default; root here lacks CAP_SYS_RESOURCE and the
# hard limits are lower, so crun's setrlimit fails. Cap both at the hard limits.
# podman 4.3 itself runs conmon with the nproc hard limit lowered to 32768, so that is the most it can grant.
nofile=$(ulimit -Hn) nproc=$(ulimit -Hu)
[[ $nproc == unlimited || $nproc -gt 32768 ]] && nproc=32768
[[ $nofile == unlimited ]] && nofile=1048576
line="default_ulimits = [\"nofile=${nofile}:${nofile}\", \"nproc=${nproc}:${nproc}\"]"
mkdir -p /etc/containers
conf=/etc/containers/containers.conf
if [[ ! -f $conf ]] || ! grep -q '^\[containers\]' "$conf"; then
  printf '[containers]\n%s\n' "$line" >> "$conf"
elif grep -q '^default_ulimits' "$conf"; then
  sed -i "s|^default_ulimits.*|${line}|" "$conf"
else
  sed -i "/^\[containers\]/a ${line}" "$conf"
fi
