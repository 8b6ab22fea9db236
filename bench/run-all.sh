#!/usr/bin/env bash
# Runs every bench; each prints one line per measurement with the strata/peer ratio.
set -euo pipefail
cd "$(dirname "$0")"
for b in startup.sh import-load.sh run.sh commit.sh build.sh pull-push.sh registry.sh registry-ui.sh registry-catalog.sh; do
  [[ -x $b ]] || continue
  echo "== $b"
  ./"$b"
done
