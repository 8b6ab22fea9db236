#!/usr/bin/env bash
# Pull and push of a ~300 MB multi-layer image (busybox + random layers, gzip) against one CNCF distribution
# registry: strata versus podman (both unpack into a store on pull), skopeo copy to/from an OCI layout as a
# reference. Fresh stores for every pull, a fresh (empty) registry for every push.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/registry-lib.sh"
BIG_LAYERS=${BENCH_BIG_LAYERS:-3}
BIG_MB=${BENCH_BIG_MB:-100}

random_oci_layout "$WORK/big" "$BIG_LAYERS" "$BIG_MB"
size=$(du -sm "$WORK/big" | cut -f1)
port=$(free_port)
start_distribution "$WORK/dreg" "$port"
reg=127.0.0.1:$port
skopeo copy -q --dest-tls-verify=false "oci:$WORK/big:1" "docker://$reg/bench/big:1"

sroot=$WORK/sroot proot=$WORK/proot
podman_() { podman --root "$proot/root" --runroot "$proot/run" --storage-driver overlay --events-backend file "$@"; }
reset_strata() { grep -o " $sroot[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true; rm -rf "$sroot"; }
reset_podman() { podman_ system reset -f >/dev/null 2>&1 || true; rm -rf "$proot"; }
reset_layout() { rm -rf "$WORK/pulled"; }
s_pull() { "$STRATA" --root "$sroot" pull -q "$reg/bench/big:1"; }
p_pull() { podman_ pull -q --tls-verify=false "$reg/bench/big:1"; }
k_pull() { skopeo copy -q --src-tls-verify=false "docker://$reg/bench/big:1" "oci:$WORK/pulled:1"; }
spl=$(time_runs "strata pull" reset_strata s_pull)
ppl=$(time_runs "podman pull" reset_podman p_pull)
kpl=$(time_runs "skopeo pull" reset_layout k_pull)

# Push sources: the image pulled once into each store (kept), pushed to an emptied registry each run.
reset_strata; s_pull >/dev/null
reset_podman; p_pull >/dev/null
"$STRATA" --root "$sroot" tag "$reg/bench/big:1" "$reg/bench/pushed:1"
podman_ tag "$reg/bench/big:1" "$reg/bench/pushed:1"
fresh_registry() { stop_server "$WORK/dreg"; rm -rf "$WORK/dreg/storage"; start_distribution "$WORK/dreg" "$port" >/dev/null; }
s_push() { "$STRATA" --root "$sroot" push -q "$reg/bench/pushed:1"; }
p_push() { podman_ push -q --tls-verify=false "$reg/bench/pushed:1"; }
k_push() { skopeo copy -q --dest-tls-verify=false "oci:$WORK/big:1" "docker://$reg/bench/pushed:1"; }
sps=$(time_runs "strata push" fresh_registry s_push)
pps=$(time_runs "podman push" fresh_registry p_push)
kps=$(time_runs "skopeo push" fresh_registry k_push)
reset_strata; reset_podman

echo "pull ${size} MB, $((BIG_LAYERS + 1)) layers: strata ${spl} ms, podman ${ppl} ms, ratio strata/podman $(ratio "$spl" "$ppl"); skopeo to an OCI layout ${kpl} ms, ratio strata/skopeo $(ratio "$spl" "$kpl")"
echo "push ${size} MB, $((BIG_LAYERS + 1)) layers: strata ${sps} ms, podman ${pps} ms, ratio strata/podman $(ratio "$sps" "$pps"); skopeo from an OCI layout ${kps} ms, ratio strata/skopeo $(ratio "$sps" "$kps")"
