#!/usr/bin/env bash
# Coverage-guided fuzzing of one parser with libFuzzer and AddressSanitizer.
#
#   scripts/fuzz.sh TARGET SECONDS [OUT]    e.g. scripts/fuzz.sh edf 60
#   scripts/fuzz.sh all SECONDS [OUT]       every target in turn
#   scripts/fuzz.sh smoke SECONDS [OUT]     every target but store and mat73 (the CI smoke)
#
# Targets: wfdb-header wfdb-data edf csv mat mat73 safetensors store keyscript (Sources/m2ae-fuzz).
# The seed corpus is Fuzz/corpus/TARGET (read-only here; new inputs go to a temporary copy).
# A crash, a leak-free hang past 10 s, or an allocation over 512 MB is a failure: libFuzzer
# writes the input to OUT (default .build-fuzz/artifacts) and this script exits non-zero.
# Put the input in Fuzz/corpus/TARGET once the bug is fixed: the replay test keeps it fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh TARGET|all|smoke SECONDS [OUT]}
seconds=${2:?usage: scripts/fuzz.sh TARGET|all|smoke SECONDS [OUT]}
out=${3:-.build-fuzz/artifacts}
targets=(wfdb-header wfdb-data edf csv mat mat73 safetensors store keyscript)
# The CI smoke leaves out the HDF5 targets, `store` and `mat73`: a damaged HDF5 file can loop
# forever (Fuzz/hangs) or crash (Fuzz/crashes) inside the HDF5 library itself, which libFuzzer
# cannot fuzz past and which would fail CI at random; m2ae ends such a run with its watchdog
# and its crash guard (docs/reliability.md).
smoke=(wfdb-header wfdb-data edf csv mat safetensors keyscript)
case "$target" in
  all) selected=("${targets[@]}") ;;
  smoke) selected=("${smoke[@]}") ;;
  *) selected=("$target") ;;
esac

swift build --product m2ae-fuzz --scratch-path .build-fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING >&2
binary=$(swift build --product m2ae-fuzz --scratch-path .build-fuzz --show-bin-path \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING)/m2ae-fuzz
mkdir -p "$out"
status=0
for t in "${selected[@]}"; do
  work=$(mktemp -d)
  echo "fuzz $t for $seconds s" >&2
  # HDF5 keeps global state ASan reports at exit; leaks are not what these runs look for.
  if ! M2AE_FUZZ_TARGET=$t ASAN_OPTIONS=detect_leaks=0 "$binary" "$work" "Fuzz/corpus/$t" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=512 \
      -artifact_prefix="$out/$t-" -print_final_stats=1 2>"$out/$t.log"; then
    echo "fuzz $t: FAILED (input and log in $out)" >&2
    tail -n 40 "$out/$t.log" >&2
    status=1
  else
    grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb)|cov: " "$out/$t.log" | tail -n 3 >&2
  fi
  rm -rf "$work"
done
exit $status
