#!/usr/bin/env bash
# Networks: TCP throughput container-to-container on one user network and through a published port (iperf3 from
# Debian, inside an image made from the host's binary), and DNS lookups/s inside a container (embedded DNS versus
# podman's aardvark-dns). Podman runs with --network-backend netavark explicitly. BENCH_SECONDS per iperf3 run (default 5).
source "$(dirname "$0")/lib.sh"
SECS=${BENCH_SECONDS:-5}
LOOKUPS=${BENCH_LOOKUPS:-200}
rootfs=$WORK/rootfs
busybox_rootfs "$rootfs"
# iperf3 and the libraries it links, at the same paths.
mkdir -p "$rootfs/usr/bin"
cp /usr/bin/iperf3 "$rootfs/usr/bin/"
for lib in $(ldd /usr/bin/iperf3 | grep -o '/[^ ]*'); do cp --parents -L "$lib" "$rootfs"; done
tar -C "$rootfs" -cf "$WORK/img.tar" .
sroot=$WORK/sroot proot=$WORK/proot
port_s=$((20000 + RANDOM % 10000)) port_p=$((30000 + RANDOM % 10000))
S() { "$STRATA" --root "$sroot" "$@"; }
P() { podman --network-backend netavark --root "$proot/root" --runroot "$proot/run" --storage-driver overlay --events-backend file "$@"; }
cleanup_all() {
  S rm -f srv >/dev/null 2>&1 || true
  S network rm benchnet >/dev/null 2>&1 || true
  P rm -f -t 0 srv >/dev/null 2>&1 || true
  P network rm -f benchnet >/dev/null 2>&1 || true
  P system reset -f >/dev/null 2>&1 || true
  cleanup_bench
}
trap cleanup_all EXIT
S import -c 'CMD ["sh"]' "$WORK/img.tar" netbench:latest >/dev/null
P import -c 'CMD ["sh"]' "$WORK/img.tar" localhost/netbench:latest >/dev/null
S network create benchnet >/dev/null
P network create benchnet >/dev/null
S run -d --name srv --network benchnet -p "127.0.0.1:$port_s:5201" netbench iperf3 -s >/dev/null
P run -d --name srv --network benchnet -p "127.0.0.1:$port_p:5201" localhost/netbench:latest iperf3 -s >/dev/null
sleep 1
s_ip=$(S inspect -f '{{.NetworkSettings.Networks.benchnet.IPAddress}}' srv)
p_ip=$(P inspect -f '{{.NetworkSettings.Networks.benchnet.IPAddress}}' srv)

# gbits JSON: the receiver's rate of an iperf3 -J report, in Gbit/s.
gbits() { grep -A3 '"sum_received"' | grep -o '"bits_per_second":[^,]*' | head -1 | awk -F: '{ printf "%.2f", $2 / 1e9 }'; }

s_c2c=$(S run --rm --network benchnet netbench iperf3 -c "$s_ip" -t "$SECS" -J | gbits)
p_c2c=$(P run --rm --network benchnet localhost/netbench:latest iperf3 -c "$p_ip" -t "$SECS" -J | gbits)
echo "container-to-container TCP: strata ${s_c2c} Gbit/s, podman ${p_c2c} Gbit/s, ratio strata/podman $(ratio "$s_c2c" "$p_c2c")"

s_pub=$(iperf3 -c 127.0.0.1 -p "$port_s" -t "$SECS" -J | gbits)
p_pub=$(iperf3 -c 127.0.0.1 -p "$port_p" -t "$SECS" -J | gbits)
echo "published port TCP (host -> 127.0.0.1:PORT): strata ${s_pub} Gbit/s, podman ${p_pub} Gbit/s, ratio strata/podman $(ratio "$s_pub" "$p_pub")"

# DNS: LOOKUPS busybox nslookups (A + AAAA each) of the server's name in one container, timed inside it.
loop="t0=\$(date +%s%N); i=0; while [ \$i -lt $LOOKUPS ]; do nslookup srv >/dev/null || exit 1; i=\$((i+1)); done; echo \$(( ($LOOKUPS * 1000000000) / (\$(date +%s%N) - t0) ))"
s_dns=$(S run --rm --network benchnet netbench sh -c "$loop")
p_dns=$(P run --rm --network benchnet localhost/netbench:latest sh -c "$loop")
echo "DNS lookups/s in a container ($LOOKUPS nslookups): strata ${s_dns}/s, podman (aardvark-dns) ${p_dns}/s, ratio strata/podman $(ratio "$s_dns" "$p_dns")"
