#!/usr/bin/env bash
# The registry UI's repository list with 5,000 repositories: server time (curl time_starttransfer) of the JSON API
# the page calls (/ui/api/repositories), median of 20 requests, against a 300 ms target. Repositories are made
# through the Distribution API over one keep-alive connection: blobs uploaded once, then per repository a
# cross-repository mount of the config and layer and a manifest PUT.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/registry-lib.sh"
REPOS=${BENCH_REPOS:-5000}
REQS=${BENCH_UI_REQUESTS:-20}
TARGET_MS=300

port=$(free_port)
mkdir -p "$WORK/reg"
start_strata_registry "$WORK/reg" "$port"
t0=$(now_ms)
python3 - "$port" "$REPOS" <<'PY'
import gzip, hashlib, http.client, io, json, sys, tarfile
port, repos = int(sys.argv[1]), int(sys.argv[2])
c = http.client.HTTPConnection("127.0.0.1", port)
def req(method, path, body=None, headers=None, want=(200, 201, 202)):
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse(); data = r.read()
    if r.status not in want:
        sys.exit(f"{method} {path}: {r.status} {data[:200]!r}")
    return r
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w") as t:
    data = b"hello from the registry ui bench\n"
    info = tarfile.TarInfo("hello.txt"); info.size = len(data); t.addfile(info, io.BytesIO(data))
tar = buf.getvalue(); layer = gzip.compress(tar, mtime=0)
def d(b): return "sha256:" + hashlib.sha256(b).hexdigest()
config = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": [d(tar)]}}).encode()
manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": d(config), "size": len(config)},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": d(layer), "size": len(layer)}]}).encode()
first = "bench/repo-00000"
for blob in (config, layer):
    req("POST", f"/v2/{first}/blobs/uploads/?digest={d(blob)}", blob, {"Content-Type": "application/octet-stream"})
mt = {"Content-Type": "application/vnd.oci.image.manifest.v1+json"}
for i in range(repos):
    repo = f"bench/repo-{i:05}"
    if i:
        for blob in (config, layer):
            r = req("POST", f"/v2/{repo}/blobs/uploads/?mount={d(blob)}&from={first}")
            if r.status != 201:
                sys.exit(f"mount into {repo} gave {r.status}")
    req("PUT", f"/v2/{repo}/manifests/v1", manifest, mt)
PY
made=$(($(now_ms) - t0))
count=$(curl -s "http://127.0.0.1:$port/v2/_catalog?n=100000" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["repositories"]))')
[[ $count -ge $REPOS ]] || { echo "bench: only $count repositories" >&2; exit 1; }

# measure LABEL QUERY [curl args]: median time to first byte (ms) of REQS GETs of /ui/api/repositories?QUERY
measure() {
  local i times=() label=$1 query=$2
  shift 2
  curl -s -o /dev/null "$@" "http://127.0.0.1:$port/ui/api/repositories?$query" # warm-up
  for ((i = 0; i < REQS; i++)); do
    times+=("$(curl -s -o /dev/null "$@" -w '%{http_code} %{time_starttransfer}' "http://127.0.0.1:$port/ui/api/repositories?$query" |
      awk '$1 != 200 { print "bench: HTTP " $1 > "/dev/stderr"; exit 1 } { printf "%.1f\n", $2 * 1000 }')")
  done
  local m
  m=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.1f\n", (a[NR/2]+a[NR/2+1])/2}')
  echo "$label: median ${m} ms over $REQS requests, target ${TARGET_MS} ms, ratio strata/target $(ratio "$m" "$TARGET_MS")"
}
echo "made $count repositories in ${made} ms ($((count * 1000 / (made > 0 ? made : 1))) repos/s, 3 requests each)"
measure "UI repositories, first page (50)      " "page=1&size=50"
measure "UI repositories, last page (offset $((REPOS - 50)))" "page=$((REPOS / 50))&size=50"
measure "UI repositories, search q=repo-049     " "q=repo-049&page=1&size=50"
# A signed-in user whose rule lets them see a fifth of the repositories (bench/repo-00*): the list is filtered by the access rules.
echo 'reader-Password-1' | "$STRATA" --root "$WORK/strata-registry-root" registry --data-dir "$WORK/reg" user add reader --password-stdin >/dev/null
echo 'admin-Password-1' | "$STRATA" --root "$WORK/strata-registry-root" registry --data-dir "$WORK/reg" user add admin --password-stdin --admin >/dev/null
"$STRATA" --root "$WORK/strata-registry-root" registry --data-dir "$WORK/reg" access grant user:reader 'bench/repo-00*' pull >/dev/null
sleep 2.5 # the server reloads users and rules every 2 s
jar=$WORK/cookies
curl -s -o /dev/null -c "$jar" -d username=reader -d password=reader-Password-1 "http://127.0.0.1:$port/ui/api/login"
measure "UI repositories as a user with a rule   " "page=1&size=50" -b "$jar"
visible=$(curl -s -b "$jar" "http://127.0.0.1:$port/ui/api/repositories?page=1&size=50" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
echo "  (the user sees $visible of $count repositories)"
curl -s -o /dev/null -c "$jar.admin" -d username=admin -d password=admin-Password-1 "http://127.0.0.1:$port/ui/api/login"
measure "UI repositories as an admin, signed in  " "page=1&size=50" -b "$jar.admin"
echo "RSS after: strata $(rss_mb "$STRATA_REG_PID") MB"
