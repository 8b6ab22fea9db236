#!/usr/bin/env bash
# strata registry serve versus the CNCF distribution registry (docker-registry), same content pushed to both with
# skopeo: wrk on manifest GET by tag and by digest and a 1 MiB blob GET, RSS after the load, then a timed skopeo
# push and pull of a ~400 MB image of random layers to each.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/registry-lib.sh"
BIG_LAYERS=${BENCH_BIG_LAYERS:-4}
BIG_MB=${BENCH_BIG_MB:-100}

sport=$(free_port) dport=$(free_port)
mkdir -p "$WORK/sreg"
start_strata_registry "$WORK/sreg" "$sport"
spid=$STRATA_REG_PID
start_distribution "$WORK/dreg" "$dport"
dpid=$DIST_PID

# The same small image in both (busybox, from a docker-archive).
busybox_rootfs "$WORK/bb"
tar -C "$WORK/bb" --numeric-owner -cf "$WORK/bb.tar" .
"$STRATA" --root "$WORK/s" import -c 'CMD ["sh"]' "$WORK/bb.tar" bench/busybox:1 >/dev/null
"$STRATA" --root "$WORK/s" save -o "$WORK/bb-image.tar" bench/busybox:1
for port in "$sport" "$dport"; do
  skopeo copy -q --dest-tls-verify=false "docker-archive:$WORK/bb-image.tar" "docker://127.0.0.1:$port/bench/busybox:1"
done
digest=$(skopeo inspect --tls-verify=false "docker://127.0.0.1:$sport/bench/busybox:1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Digest"])')

# A 1 MiB blob, uploaded to both through the API (POST, then PUT with the digest).
head -c 1048576 /dev/urandom >"$WORK/blob.bin"
bdigest=sha256:$(sha256sum "$WORK/blob.bin" | cut -d' ' -f1)
for port in "$sport" "$dport"; do
  loc=$(curl -s -D - -o /dev/null -X POST "http://127.0.0.1:$port/v2/bench/blob/blobs/uploads/" | awk -F': ' 'tolower($1) == "location" { print $2 }' | tr -d '\r')
  [[ $loc == http* ]] || loc="http://127.0.0.1:$port$loc"
  sep='?'; [[ $loc == *\?* ]] && sep='&'
  code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$WORK/blob.bin" "$loc${sep}digest=$bdigest")
  [[ $code == 201 ]] || { echo "bench: blob upload to $port gave $code" >&2; exit 1; }
done

accept=(-H 'Accept: application/vnd.docker.distribution.manifest.v2+json' -H 'Accept: application/vnd.oci.image.manifest.v1+json')
report() { # label strata_line dist_line
  local sr sm dr dm
  read -r sr sm <<<"$2"
  read -r dr dm <<<"$3"
  echo "$1: strata ${sr} req/s ${sm} MB/s, distribution ${dr} req/s ${dm} MB/s, ratio strata/distribution $(ratio "$sr" "$dr") (req/s, higher is better)"
}
s=$(wrk_measure "http://127.0.0.1:$sport/v2/bench/busybox/manifests/1" "${accept[@]}")
d=$(wrk_measure "http://127.0.0.1:$dport/v2/bench/busybox/manifests/1" "${accept[@]}")
report "manifest GET by tag    " "$s" "$d"
s=$(wrk_measure "http://127.0.0.1:$sport/v2/bench/busybox/manifests/$digest" "${accept[@]}")
d=$(wrk_measure "http://127.0.0.1:$dport/v2/bench/busybox/manifests/$digest" "${accept[@]}")
report "manifest GET by digest " "$s" "$d"
s=$(wrk_measure "http://127.0.0.1:$sport/v2/bench/blob/blobs/$bdigest")
d=$(wrk_measure "http://127.0.0.1:$dport/v2/bench/blob/blobs/$bdigest")
report "1 MiB blob GET         " "$s" "$d"
srss=$(rss_mb "$spid") drss=$(rss_mb "$dpid")
echo "RSS after the load      : strata ${srss} MB, distribution ${drss} MB, ratio strata/distribution $(ratio "$srss" "$drss")"

# A ~400 MB image of random layers: skopeo push (from an OCI layout, blobs already gzip) and pull (to a fresh OCI layout).
random_oci_layout "$WORK/big" "$BIG_LAYERS" "$BIG_MB"
size=$(du -sm "$WORK/big" | cut -f1)
noop() { :; }
# Push once per registry (a fresh registry: every blob is uploaded), then pull RUNS times to a fresh OCI layout.
push_to() { skopeo copy -q --dest-tls-verify=false "oci:$WORK/big:1" "docker://127.0.0.1:$1/bench/big:1"; }
pull_from() { skopeo copy -q --src-tls-verify=false "docker://127.0.0.1:$1/bench/big:1" "oci:$WORK/pulled:1"; }
fresh_pull() { rm -rf "$WORK/pulled"; }
s_push() { push_to "$sport"; }
d_push() { push_to "$dport"; }
s_pull() { pull_from "$sport"; }
d_pull() { pull_from "$dport"; }
sp=$(RUNS=1 time_runs "skopeo push to strata" noop s_push)
dp=$(RUNS=1 time_runs "skopeo push to distribution" noop d_push)
spl=$(time_runs "skopeo pull from strata" fresh_pull s_pull)
dpl=$(time_runs "skopeo pull from distribution" fresh_pull d_pull)
echo "skopeo push ${size} MB     : strata ${sp} ms, distribution ${dp} ms, ratio strata/distribution $(ratio "$sp" "$dp")"
echo "skopeo pull ${size} MB     : strata ${spl} ms, distribution ${dpl} ms, ratio strata/distribution $(ratio "$spl" "$dpl")"
srss=$(rss_mb "$spid") drss=$(rss_mb "$dpid")
echo "RSS after push and pull : strata ${srss} MB, distribution ${drss} MB"
