#!/usr/bin/env bash
# `strata version` start time: the NativeAOT binary versus the same program on the JIT.
source "$(dirname "$0")/lib.sh"
dotnet build "$ROOT_DIR/src/Strata.Cli/Strata.Cli.csproj" -c Release -o "$WORK/jit" --nologo -v quiet >/dev/null
root=$WORK/root
out=$(hyperfine -N --warmup 3 --runs 30 --export-json "$WORK/h.json" \
  "$STRATA --root $root version" "dotnet $WORK/jit/strata.dll --root $root version" 2>&1) || { echo "$out"; exit 1; }
read -r aot jit < <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print(*(round(x["mean"]*1000,1) for x in r))' "$WORK/h.json")
echo "startup  strata version: native ${aot} ms, JIT ${jit} ms, ratio native/JIT $(ratio "$aot" "$jit")"
