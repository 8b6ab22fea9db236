#!/usr/bin/env bash
# Runs one SharpFuzz harness under afl-fuzz: `make fuzz TARGET=oci SECONDS=1800` (fuzz/README.md).
# Publishes fuzz/Strata.Fuzz to fuzz/out/bin, instruments Strata's assemblies there (never the normal
# build output), and fuzzes from fuzz/corpus/TARGET into fuzz/out/TARGET. Crashes and hangs it finds are
# copied to fuzz/crashes/TARGET/, which `make test` replays (tests/Strata.Fuzz.Tests).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: fuzz/fuzz.sh TARGET [SECONDS]}
seconds=${2:-600}
out=fuzz/out
bin=$out/bin
command -v afl-fuzz >/dev/null || { echo "fuzz: afl-fuzz is missing (apt-get install afl++, or make deps)" >&2; exit 1; }
export PATH="$PATH:$HOME/.dotnet/tools"
command -v sharpfuzz >/dev/null || dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0 >/dev/null
[[ -d fuzz/corpus/$target ]] || { echo "fuzz: no corpus for \"$target\"; targets: $(ls fuzz/corpus | tr '\n' ' ')" >&2; exit 2; }

# One instrumented build serves every target; rebuilt when a source is newer than it.
stamp=$bin/.instrumented
if [[ -z ${FUZZ_REUSE_BUILD:-} || ! -f $stamp ]] && { [[ ! -f $stamp ]] || [[ -n $(find src fuzz/Strata.Fuzz -name '*.cs' -newer "$stamp" -print -quit) ]]; }; then
  rm -rf "$bin"
  dotnet publish fuzz/Strata.Fuzz -c Release -o "$bin" --nologo -v quiet
  for dll in "$bin"/Strata.*.dll; do
    [[ $(basename "$dll") == Strata.Fuzz.dll ]] && continue
    sharpfuzz "$dll" >/dev/null
  done
  touch "$stamp"
fi

# afl++ and .NET: the target is `dotnet`, not an instrumented ELF; coverage comes from SharpFuzz's
# shared-memory map. Timeouts: -t is per input (ms); a .NET start takes a few hundred ms of it.
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1
export AFL_FORKSRV_INIT_TMOUT=60000 DOTNET_TieredCompilation=0 DOTNET_gcServer=0
rm -rf "${out:?}/$target"
mkdir -p "$out/$target" "fuzz/crashes/$target"
echo "fuzz: $target for ${seconds}s (findings in $out/$target)"
afl-fuzz -i "fuzz/corpus/$target" -o "$out/$target" -t 5000 -m none -V "$seconds" -- dotnet "$bin/Strata.Fuzz.dll" "$target" \
  > "$out/$target.log" 2>&1 && rc=0 || rc=$?
stats=$out/$target/default/fuzzer_stats
[[ -f $stats ]] && grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|bitmap_cvg)' "$stats" | tr -s ' ' | tee "$out/$target.stats"
found=0
for f in "$out/$target"/default/crashes/id:* "$out/$target"/default/hangs/id:*; do
  [[ -f $f ]] || continue
  sum=$(sha256sum "$f" | cut -c1-16)
  kind=crash; [[ $f == */hangs/* ]] && kind=hang
  cp "$f" "fuzz/crashes/$target/$kind-$sum"
  found=$((found + 1))
done
echo "fuzz: $target: $found crash/hang inputs saved to fuzz/crashes/$target"
if ((rc != 0)); then
  # afl-fuzz stops when the persistent .NET target dies under it (a hang past -t, a stack overflow): the
  # input it was running is .cur_input, kept like any other crash.
  if [[ -s $out/$target/default/.cur_input ]]; then
    cp "$out/$target/default/.cur_input" "fuzz/crashes/$target/abort-$(sha256sum "$out/$target/default/.cur_input" | cut -c1-16)"
    echo "fuzz: $target: afl-fuzz stopped; its last input is saved to fuzz/crashes/$target" >&2
  fi
  grep -v 'Fuzzing test case' "$out/$target.log" | tail -8 >&2
  exit "$rc"
fi
