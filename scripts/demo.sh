#!/usr/bin/env bash
# The main job end to end on local defaults: a base image from busybox-static, the built-in registry on
# 127.0.0.1, run -> commit -> push -> pull (into an empty store) -> run.
set -euo pipefail
STRATA=${STRATA_BIN:-$(cd "$(dirname "$0")/.." && pwd)/bin/strata}
work=$(mktemp -d /tmp/strata-demo.XXXXXX)
root1=$work/store-a root2=$work/store-b
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
reg_pid=""
cleanup() {
  [[ -n $reg_pid ]] && kill "$reg_pid" 2>/dev/null && wait "$reg_pid" 2>/dev/null
  for r in "$root1" "$root2"; do "$STRATA" --root "$r" rm -f demo >/dev/null 2>&1 || true; done
  grep -o " $work[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
s() { echo "+ strata $*" >&2; "$STRATA" "$@"; }

step "Base image from busybox-static"
rootfs=$work/rootfs
mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,etc,root,tmp,proc,sys,dev}
cp /bin/busybox "$rootfs/bin/" && chroot "$rootfs" /bin/busybox --install -s
echo 'root:x:0:0:root:/root:/bin/sh' > "$rootfs/etc/passwd"; echo 'root:x:0:' > "$rootfs/etc/group"; chmod 1777 "$rootfs/tmp"
tar -C "$rootfs" --numeric-owner --sort=name -cf "$work/busybox.tar" .
s --root "$root1" import -c 'CMD ["sh"]' -m "busybox-static base" "$work/busybox.tar" busybox:latest
s --root "$root1" images

step "Registry on 127.0.0.1:$port"
"$STRATA" registry serve --addr "127.0.0.1:$port" --root "$work/registry" --insecure-http >"$work/registry.log" 2>&1 &
reg_pid=$!
for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS -D - "http://127.0.0.1:$port/v2/" -o /dev/null | grep -i distribution-api

step "run -> commit"
s --root "$root1" run --name demo busybox sh -c 'echo "hello from strata" > /greeting && rm /bin/vi && cat /greeting'
s --root "$root1" diff demo | head
s --root "$root1" commit -m "add /greeting" -a "demo <demo@localhost>" demo "127.0.0.1:$port/demo/hello:v1"
s --root "$root1" history "127.0.0.1:$port/demo/hello:v1"

step "push"
s --root "$root1" push "127.0.0.1:$port/demo/hello:v1"
curl -fsS "http://127.0.0.1:$port/v2/demo/hello/tags/list"; echo

step "pull into an empty store -> run"
s --root "$root2" pull "127.0.0.1:$port/demo/hello:v1"
out=$(s --root "$root2" run --rm "127.0.0.1:$port/demo/hello:v1" sh -c 'cat /greeting; test ! -e /bin/vi && echo "vi is gone (whiteout)"')
echo "$out"
[[ $out == *"hello from strata"* && $out == *"vi is gone"* ]] || { echo "demo: unexpected output" >&2; exit 1; }
s --root "$root2" system check

step "Demo OK"
