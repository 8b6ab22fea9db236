# Registry helpers for the benches (source after lib.sh): start strata registry serve and the CNCF distribution
# registry on 127.0.0.1 and free ports, stop only what we started, build random-layer images.
# Each server we start writes its PID to DIR.pid (also from inside $(...) subshells), and only those are stopped.
cleanup_registries() {
  local f
  for f in "$WORK"/*.pid; do [[ -e $f ]] && kill "$(cat "$f")" 2>/dev/null || true; done
  sleep 0.2
  cleanup_bench
}
trap cleanup_registries EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wait_http URL: until the server answers anything
wait_http() {
  local i
  for ((i = 0; i < 300; i++)); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "bench: $1 never answered" >&2
  return 1
}

# start_strata_registry DATA_DIR PORT [flags...]: sets STRATA_REG_PID
start_strata_registry() {
  local dir=$1 port=$2
  shift 2
  "$STRATA" --root "$WORK/strata-registry-root" registry serve --data-dir "$dir" --addr "127.0.0.1:$port" --insecure-http --no-access-log "$@" >"$dir.log" 2>&1 &
  STRATA_REG_PID=$!
  echo "$STRATA_REG_PID" >"$dir.pid"
  wait_http "http://127.0.0.1:$port/v2/"
}

# start_distribution DIR PORT: sets DIST_PID (docker-registry with filesystem storage under DIR, as PEERS.md)
start_distribution() {
  local dir=$1 port=$2
  mkdir -p "$dir"
  cat >"$dir/config.yml" <<YML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: 127.0.0.1:$port
YML
  docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 &
  DIST_PID=$!
  echo "$DIST_PID" >"$dir.pid"
  wait_http "http://127.0.0.1:$port/v2/"
}

# stop_server DIR: stop the server started on DIR (and wait until its port is free)
stop_server() {
  local pid
  pid=$(cat "$1.pid")
  kill "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  rm -f "$1.pid"
}

# rss_mb PID: resident set size in MB
rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# random_oci_layout DIR LAYERS MB: an OCI layout (tag "1") of LAYERS gzip layers of MB MiB random bytes each, on
# top of busybox, written by skopeo from a hand-made docker-archive (so both sides get the same compressed blobs).
random_oci_layout() {
  local out=$1 layers=$2 mb=$3 d=$WORK/img-$RANDOM i diffs=() names=()
  mkdir -p "$d/rootfs"
  busybox_rootfs "$d/rootfs"
  tar -C "$d/rootfs" --numeric-owner -cf "$d/l0.tar" .
  for ((i = 1; i <= layers; i++)); do
    mkdir -p "$d/r$i/data"
    head -c $((mb * 1024 * 1024)) /dev/urandom >"$d/r$i/data/random-$i.bin"
    tar -C "$d/r$i" --numeric-owner -cf "$d/l$i.tar" .
    rm -rf "$d/r$i"
  done
  for ((i = 0; i <= layers; i++)); do
    diffs+=("\"sha256:$(sha256sum "$d/l$i.tar" | cut -d' ' -f1)\"")
    names+=("\"l$i.tar\"")
  done
  local IFS=,
  printf '{"architecture":"amd64","os":"linux","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":[%s]}}' "${diffs[*]}" >"$d/config.json"
  printf '[{"Config":"config.json","RepoTags":["bench/random:1"],"Layers":[%s]}]' "${names[*]}" >"$d/manifest.json"
  unset IFS
  tar -C "$d" -cf "$d/archive.tar" config.json manifest.json $(cd "$d" && ls l*.tar)
  skopeo copy -q "docker-archive:$d/archive.tar" "oci:$out:1"
  rm -rf "$d"
}

# wrk_measure URL [wrk -H args...]: prints "REQS_PER_S MB_PER_S" from wrk -t2 -c16 -d${BENCH_WRK_SECONDS:-10}s
wrk_measure() {
  local url=$1 out
  shift
  out=$(wrk -t2 -c16 -d"${BENCH_WRK_SECONDS:-10}s" "$@" "$url")
  awk '/Requests\/sec/ { r = $2 } /Transfer\/sec/ { v = $2; if (v ~ /GB$/) m = v * 1024; else if (v ~ /MB$/) m = v + 0; else if (v ~ /KB$/) m = v / 1024; else m = v / 1048576 } /Non-2xx/ { bad = $NF } END { if (bad) { print "bench: " bad " non-2xx responses" > "/dev/stderr"; exit 1 } printf "%.0f %.1f\n", r, m }' <<<"$out"
}
