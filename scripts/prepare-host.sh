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
# podman asks for nofile=1048576 by default; root here lacks CAP_SYS_RESOURCE and the hard limit is lower.
hard=$(ulimit -Hn)
mkdir -p /etc/containers
if ! grep -q '^default_ulimits' /etc/containers/containers.conf 2>/dev/null; then
  { echo "[containers]"; echo "default_ulimits = [\"nofile=${hard}:${hard}\"]"; } >> /etc/containers/containers.conf
fi
