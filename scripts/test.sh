#!/usr/bin/env bash
# Runs the whole suite and prints one summary line for all test assemblies.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp /tmp/strata-test.XXXXXX.log)
dotnet test Strata.slnx -c "${CONFIG:-Release}" --nologo "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
passed=0 failed=0 skipped=0
while read -r f p s; do passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s)); done < <(
  grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\1 \2 \3/')
echo "SUMMARY: ${passed} passed, ${failed} failed, ${skipped} skipped (exit ${rc})"
exit "$rc"
