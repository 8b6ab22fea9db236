#!/usr/bin/env bash
# `strata build` versus `buildah bud --layers` of a 3-step Dockerfile (FROM busybox, RUN write, RUN rm): cold (empty
# cache, base image present) and fully cached, side by side, median of BENCH_RUNS (default 5). Then two BuildKit-style
# cases: a package install into a RUN cache mount from a local HTTP server, rebuilt after a change above it, and two
# independent stages (strata builds them in parallel; buildah with its default --jobs 1).
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

# --- RUN --mount=type=cache: a "package install" that downloads into a cache mount from a local HTTP server,
# rebuilt after a change above it (the step reruns, the packages come from the cache mount, not the server).
pkgs=$WORK/pkgs
mkdir -p "$pkgs"
for p in p1 p2 p3 p4 p5 p6 p7 p8; do head -c 4194304 /dev/urandom >"$pkgs/$p"; done
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$pkgs" >/dev/null 2>&1 &
http_pid=$!
trap 'kill $http_pid 2>/dev/null || true; cleanup_all' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/p1" -o /dev/null && break; sleep 0.1; done
cctx=$WORK/cache-ctx
mkdir -p "$cctx"
cat >"$cctx/Dockerfile" <<DOCKERFILE
FROM localhost/busybox:latest
ARG BUMP=0
RUN echo \$BUMP > /bump
RUN --mount=type=cache,target=/var/cache/pkgs cd /var/cache/pkgs && for p in p1 p2 p3 p4 p5 p6 p7 p8; do [ -f \$p ] || wget -q http://127.0.0.1:$port/\$p; done && mkdir -p /opt && cat p1 p2 p3 p4 p5 p6 p7 p8 | md5sum > /opt/installed
DOCKERFILE
bump=0
s_cache() { bump=$((bump + 1)); "$STRATA" --root "$sroot" build --build-arg BUMP=$bump -t bench/sc "$cctx"; }
b_cache() { bump=$((bump + 1)); buildah_ bud --layers --network host --build-arg BUMP=$bump -t bench/bc "$cctx"; }
s_cache >/dev/null 2>&1; b_cache >/dev/null 2>&1 # prime both cache mounts
scm=$(time_runs "strata build cache mount" noop s_cache)
bcm=$(time_runs "buildah bud cache mount" noop b_cache)
echo "cache mount : strata ${scm} ms, buildah ${bcm} ms, ratio strata/buildah $(ratio "$scm" "$bcm")"

# --- two independent stages (each RUN sleeps 1 s) copied into a final stage, no cache.
pctx=$WORK/par-ctx
mkdir -p "$pctx"
cat >"$pctx/Dockerfile" <<'DOCKERFILE'
FROM localhost/busybox:latest AS a
RUN sleep 1 && echo a > /a
FROM localhost/busybox:latest AS b
RUN sleep 1 && echo b > /b
FROM localhost/busybox:latest
COPY --from=a /a /a
COPY --from=b /b /b
DOCKERFILE
s_par() { "$STRATA" --root "$sroot" build --no-cache -t bench/sp "$pctx"; }
b_par() { buildah_ bud --layers --no-cache -t bench/bp "$pctx"; }
sp=$(time_runs "strata build two stages" noop s_par)
bp=$(time_runs "buildah bud two stages" noop b_par)
echo "two stages  : strata ${sp} ms, buildah ${bp} ms, ratio strata/buildah $(ratio "$sp" "$bp")"
