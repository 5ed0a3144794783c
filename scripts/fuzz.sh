#!/usr/bin/env bash
# The long fuzz campaign of issue 8: runs the seeded fuzz suites (hostile safetensors files and
# sharded folders, GGUF, HDF5, checkpoints, recipes, tokenizer files, data sets) in release with
# many inputs per target, then prints per target how many inputs ran and how many ended in a
# value or a thrown error.
# A crash or a hang in a reader fails the run; the inputs are reproducible from the seeds.
#
#     scripts/fuzz.sh             # 20,000 inputs per target
#     scripts/fuzz.sh 100000      # more
#
# LETHE_FUZZ_KEEP=FILE makes each test leave its current input there, so after a crash FILE
# holds the input that caused it.
set -uo pipefail
cd "$(dirname "$0")/.."
iterations="${1:-20000}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

echo "fuzz: $iterations inputs per target (release build)"
start=$(date +%s)
# Some test targets use @testable import, which a release build only allows with testing enabled.
LETHE_FUZZ_ITERATIONS="$iterations" swift test -c release -Xswiftc -enable-testing \
    --filter 'FuzzTests|HostileFileTests' >"$log" 2>&1
status=$?
elapsed=$(( $(date +%s) - start ))

grep -E '✘|error:|crashed|signal' "$log" | head -40
echo
printf '%-24s %10s %10s %10s\n' target inputs values errors
grep -o 'fuzz-summary .*' "$log" | sort | awk '
    {
        for (i = 2; i <= NF; i++) { split($i, kv, "="); field[kv[1]] = kv[2] }
        printf "%-24s %10d %10d %10d\n", field["target"], field["inputs"], field["values"], field["errors"]
        inputs += field["inputs"]; values += field["values"]; errors += field["errors"]
    }
    END { printf "%-24s %10d %10d %10d\n", "total", inputs, values, errors }'
echo
if [ "$status" -eq 0 ]; then
    echo "fuzz: ok after ${elapsed}s"
else
    echo "fuzz: FAILED (swift test exit status $status) after ${elapsed}s; see the lines above"
fi
exit "$status"
