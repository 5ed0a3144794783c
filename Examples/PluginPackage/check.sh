#!/usr/bin/env bash
# Issue 12's "extensible from outside" check: this package's `lethe-plugins` (Lethe's command
# line plus four plugins) runs recipe.yaml, is killed with SIGKILL inside its unlearn stage,
# resumes, and ends with the same weights (bit for bit) and the same tables as a run that was
# never interrupted. Also: `recipe check` accepts the recipe and `list` shows the four names.
#
# Builds in debug: the toy recipe runs in seconds either way, a debug build of Lethe compiles
# several times faster than a release one, and .ci/run builds the root package in debug too.
# Everything it writes stays in this folder: .build/ and runs/check/ (both git-ignored).
# Prints one PASS or FAIL line at the end; exits non-zero on failure.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
start=$SECONDS
out="$here/runs/check"
child=""

say() { printf '[%4ds] %s\n' $((SECONDS - start)) "$*"; }
fail() {
    echo "check.sh: FAIL: $* (after $((SECONDS - start)) s; logs in $out)"
    exit 1
}
# Only the one child this script started, by its id.
cleanup() { if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then kill -KILL "$child" 2>/dev/null || true; fi; }
trap cleanup EXIT

# The last unlearn step events.jsonl records (0: none yet). Keys are sorted, so a complete
# step line reads ..."stage":"unlearn","step":N,"time":...
last_unlearn_step() {
    local step
    step=$(grep -F '"event":"step"' "$1/events.jsonl" 2>/dev/null | grep -F '"stage":"unlearn"' |
        grep -oE '"step":[0-9]+,' | tail -n 1 | tr -dc '0-9') || true
    echo "${step:-0}"
}

rm -rf "$out"
mkdir -p "$out"

say "building lethe-plugins (debug; Lethe by path from ../..)"
clock=$SECONDS
timeout 3600 swift build --product lethe-plugins >"$out/build.log" 2>&1 || { tail -n 30 "$out/build.log"; fail "swift build"; }
bin="$(swift build --show-bin-path)/lethe-plugins"
say "built in $((SECONDS - clock)) s: $bin"

"$bin" recipe check recipe.yaml >"$out/recipe-check.txt" 2>&1 || { cat "$out/recipe-check.txt"; fail "lethe-plugins recipe check recipe.yaml"; }
say "recipe check: $(tail -n 1 "$out/recipe-check.txt")"

"$bin" list >"$out/list.txt" 2>&1 || fail "lethe-plugins list"
for name in max_entropy mean shrink weight_norm; do
    grep -qE "^  $name( |$)" "$out/list.txt" || fail "lethe-plugins list does not list $name"
done
say "list: max_entropy (objective), mean (combiner), shrink (stage), weight_norm (suite) are listed"

clock=$SECONDS
timeout 600 "$bin" run recipe.yaml --set output="$out/whole" >"$out/whole.log" 2>&1 || { tail -n 20 "$out/whole.log"; fail "the uninterrupted run"; }
say "uninterrupted run in $((SECONDS - clock)) s -> $out/whole"

# The same recipe into another folder, killed with SIGKILL once an unlearn step after the
# first checkpoint (checkpoint_every: 2, so step 2) is logged; bounded wait.
clock=$SECONDS
"$bin" run recipe.yaml --set output="$out/killed" >"$out/killed.log" 2>&1 &
child=$!
deadline=$((SECONDS + 600))
step=0
while kill -0 "$child" 2>/dev/null; do
    step=$(last_unlearn_step "$out/killed")
    if [ "$step" -gt 2 ]; then
        kill -KILL "$child"
        break
    fi
    [ "$SECONDS" -lt "$deadline" ] || fail "no unlearn step past 2 within 600 s"
    sleep 0.02
done
status=0
{ wait "$child"; } 2>/dev/null || status=$?  # 137: killed by SIGKILL (bash's "Killed" notice hidden)
child=""
[ "$status" -eq 137 ] || fail "the run was not killed (exit status $status): it ended before unlearn step 3 was seen"
[ ! -e "$out/killed/table.md" ] || fail "the killed run had already written its table"
checkpoint=$(grep -oE '"checkpoint" : "[^"]+"' "$out/killed/state.json" | cut -d'"' -f4) || true
[ -n "$checkpoint" ] || fail "after the kill, state.json points at no checkpoint inside a stage"
say "SIGKILL after unlearn step $step ($((SECONDS - clock)) s in); state.json points at $checkpoint"

clock=$SECONDS
timeout 600 "$bin" resume "$out/killed" >"$out/resume.log" 2>&1 || { tail -n 20 "$out/resume.log"; fail "lethe-plugins resume"; }
say "resumed in $((SECONDS - clock)) s: $(grep -m 1 'resuming at step' "$out/resume.log" | sed 's/^ *//' || echo '(no stage resumed inside)')"

"$bin" compare-weights "$out/whole/model.h5" "$out/killed/model.h5" >"$out/compare.txt" 2>&1 || { cat "$out/compare.txt"; fail "final weights differ"; }
say "model.h5: $(cat "$out/compare.txt")"
cmp -s "$out/whole/table.md" "$out/killed/table.md" || { diff "$out/whole/table.md" "$out/killed/table.md" || true; fail "table.md differs"; }
say "table.md: equal"
# Every suite's numbers at full precision, the plugin suite's included (table.md shows the
# detox layout, which has no column for a plugin suite): `table --layout metrics` as JSON.
for run in whole killed; do
    "$bin" table "$out/$run" --layout metrics --output "$out/metrics-$run" >"$out/metrics-$run.md" 2>&1 || fail "lethe-plugins table $run"
done
cmp -s "$out/metrics-whole.json" "$out/metrics-killed.json" || { diff "$out/metrics-whole.json" "$out/metrics-killed.json" || true; fail "the metrics tables differ"; }
grep -q '"weight_norm.l2"' "$out/metrics-whole.json" || fail "the metrics table has no weight_norm.l2"
say "metrics table (perplexity, weight_norm): equal"

echo "check.sh: PASS: killed after unlearn step $step, resumed to the same weights and tables ($((SECONDS - start)) s)"
