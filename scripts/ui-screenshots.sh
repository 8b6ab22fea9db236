#!/usr/bin/env bash
# Retakes docs/ui/*.png against a real `strata registry serve` on 127.0.0.1: images pushed by skopeo, an admin, a
# user in a group, an access rule and a quota; headless chromium driven by playwright-core (installed from npm
# into a temp dir, never into the repository). Usage: scripts/ui-screenshots.sh [bin/strata]
set -euo pipefail
ROOT_DIR=$(cd "$(dirname "$0")/.." && pwd)
STRATA=${1:-${STRATA_BIN:-$ROOT_DIR/bin/strata}}
CHROMIUM=${CHROMIUM:-$(command -v chromium)}
WORK=$(mktemp -d /tmp/strata-shots.XXXXXX)
PID=
cleanup() { [[ -n $PID ]] && kill "$PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
reg=127.0.0.1:$port
S() { "$STRATA" --root "$WORK/store" "$@"; }
R() { "$STRATA" --root "$WORK/store" registry --data-dir "$WORK/data" "$@"; }

# Users, rules and a quota first (a running server picks them up too, within 2 s).
echo 'admin-Password-1' | R user add admin --password-stdin --admin >/dev/null
echo 'alice-Password-1' | R user add alice --password-stdin --group team-a >/dev/null
R access grant group:team-a 'team-a/**' pull,push >/dev/null
R access grant authenticated 'library/**' pull >/dev/null
R quota set 'team-a/**' 1g >/dev/null
"$STRATA" --root "$WORK/store" registry serve --data-dir "$WORK/data" --addr "$reg" --insecure-http --no-access-log >"$WORK/serve.log" 2>&1 &
PID=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://$reg/v2/" && break; sleep 0.1; done

# Images: busybox, and an app with a few versions (each a layer of random data on busybox), pushed by skopeo.
mkdir -p "$WORK/rootfs/bin" "$WORK/rootfs/etc" "$WORK/rootfs/tmp"
cp /bin/busybox "$WORK/rootfs/bin/"
for a in $(/bin/busybox --list); do [[ -e $WORK/rootfs/bin/$a ]] || ln -s busybox "$WORK/rootfs/bin/$a"; done
echo 'root:x:0:0:root:/root:/bin/sh' >"$WORK/rootfs/etc/passwd"
tar -C "$WORK/rootfs" --numeric-owner -cf "$WORK/busybox.tar" .
S import -c 'CMD ["sh"]' -m "busybox base" "$WORK/busybox.tar" busybox:1.35 >/dev/null
S save -o "$WORK/busybox-image.tar" busybox:1.35
creds=(--dest-creds admin:admin-Password-1 --dest-tls-verify=false)
skopeo copy -q "${creds[@]}" "docker-archive:$WORK/busybox-image.tar" "docker://$reg/library/busybox:1.35"
skopeo copy -q "${creds[@]}" "docker-archive:$WORK/busybox-image.tar" "docker://$reg/library/busybox:latest"
for v in 1.0 1.1 2.0; do
  mkdir -p "$WORK/app$v/srv"
  cp -a "$WORK/rootfs/." "$WORK/app$v/"
  head -c $((RANDOM % 4 * 1024 * 1024 + 2 * 1024 * 1024)) /dev/urandom >"$WORK/app$v/srv/app.bin"
  echo "version $v" >"$WORK/app$v/srv/VERSION"
  tar -C "$WORK/app$v" --numeric-owner -cf "$WORK/app$v.tar" .
  S import -c 'CMD ["/srv/app.bin"]' -c 'EXPOSE 8080' -m "web $v" "$WORK/app$v.tar" "team-a/web:$v" >/dev/null
  S save -o "$WORK/app$v-image.tar" "team-a/web:$v"
  skopeo copy -q "${creds[@]}" "docker-archive:$WORK/app$v-image.tar" "docker://$reg/team-a/web:$v"
done
skopeo copy -q "${creds[@]}" --format oci "docker-archive:$WORK/app2.0-image.tar" "docker://$reg/team-a/web:latest"
skopeo copy -q "${creds[@]}" "docker-archive:$WORK/app1.0-image.tar" "docker://$reg/team-a/api:1.0"
skopeo copy -q "${creds[@]}" "docker-archive:$WORK/busybox-image.tar" "docker://$reg/tools/debug:1"
digest=$(skopeo inspect --tls-verify=false --creds admin:admin-Password-1 "docker://$reg/team-a/web:1.1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Digest"])')

mkdir -p "$WORK/node"
(cd "$WORK/node" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund playwright-core@1 >/dev/null)
cat >"$WORK/node/shots.mjs" <<'JS'
import { chromium } from 'playwright-core';
const [base, out, digest, exe] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: exe, args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 757 } });
const shot = async (name) => { await page.waitForLoadState('networkidle'); await page.waitForTimeout(300); await page.screenshot({ path: `${out}/${name}.png` }); };
await page.goto(`${base}/ui/#/login`);
await page.waitForSelector('#login-form');
await page.fill('#username', 'admin');
await page.fill('#password', 'admin-Password-1');
await shot('sign-in');
await page.click('#login-submit');
await page.waitForSelector('#nav-repos');
await page.goto(`${base}/ui/#/repos`); await page.waitForSelector('td a'); await shot('repositories');
await page.goto(`${base}/ui/#/repo/team-a%2Fweb`); await page.waitForSelector('td a'); await shot('repository');
await page.goto(`${base}/ui/#/image/team-a%2Fweb/${encodeURIComponent(digest)}?tag=1.1`); await page.waitForSelector('h1'); await shot('image');
await page.goto(`${base}/ui/#/admin`); await page.waitForSelector('table'); await shot('admin');
await browser.close();
JS
node "$WORK/node/shots.mjs" "http://$reg" "$ROOT_DIR/docs/ui" "$digest" "$CHROMIUM"
ls -l "$ROOT_DIR"/docs/ui/*.png
