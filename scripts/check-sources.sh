#!/usr/bin/env bash
# Source rules that a compiler does not check (see the developers' brief):
#   - no fatalError, try! or as! in Sources/ (a user's input must get a thrown error);
#   - files short enough to read in one sitting: over 400 lines is reported, over 500 fails;
#   - every module folder under Sources/ has a README.md (its job and what it may import);
#   - imports point downward only: a module imports only modules of lower layers (the list
#     below, DESIGN.md "Architecture"); SwiftPM's own check (.ci/run) only sees imports of
#     targets outside a target's dependency closure.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0

if grep -rnE 'fatalError\(|try!|as! ' Sources --include='*.swift' | grep -vE '^\S+:\s*//'; then
    echo "check-sources: fatalError / try! / as! found in Sources (throw an error instead)"
    status=1
fi

while IFS= read -r file; do
    lines=$(wc -l <"$file")
    if [ "$lines" -gt 500 ]; then
        echo "check-sources: $file has $lines lines (limit 500; split it by concept)"
        status=1
    elif [ "$lines" -gt 400 ]; then
        echo "check-sources: note: $file has $lines lines (aim under 400)"
    fi
done < <(find Sources Tests -name '*.swift')

for module in Sources/*/; do
    if [ ! -f "$module/README.md" ] && [ ! -f "$module/module.modulemap" ]; then
        echo "check-sources: $module has no README.md"
        status=1
    fi
done

# The layers, lowest first. Modules on one line are siblings: neither may import the other
# (LetheReports reads what runs leave on disk and never imports LetheEngine; the benchmarks
# stand beside both). LetheOptions (option trees and registries, importing nothing) is in the
# first layer for the branches that have it.
layers=(
    "CBLAS CDNNL CHDF5 LetheOptions"
    "LetheTensor"
    "LetheLayers"
    "LetheText"
    "LetheCorpus"
    "LetheStorage"
    "LetheUnlearning LetheEvaluation"
    "LetheRecipes"
    "LetheEngine LetheReports LetheBenchmarks"
    "LetheCommands"
    "lethe"
)
# Modules that import no tensor code: nothing above the first layer.
no_tensor_code="LetheRecipes"

layer_of() {
    local i m
    for i in "${!layers[@]}"; do
        for m in ${layers[$i]}; do
            if [ "$m" = "$1" ]; then echo "$i"; return; fi
        done
    done
    echo -1
}

for folder in Sources/*/; do
    module=$(basename "$folder")
    own=$(layer_of "$module")
    if [ "$own" -lt 0 ]; then
        echo "check-sources: $module is in no layer of the import check (add it to scripts/check-sources.sh)"
        status=1
        continue
    fi
    while IFS=: read -r file imported; do
        layer=$(layer_of "$imported")
        if [ "$layer" -lt 0 ]; then continue; fi  # Foundation, ArgumentParser, Yams, ...
        if [ "$layer" -ge "$own" ]; then
            echo "check-sources: $file imports $imported, which is not below $module (imports point downward only)"
            status=1
        elif [[ " $no_tensor_code " == *" $module "* ]] && [ "$layer" -gt 0 ]; then
            echo "check-sources: $file imports $imported ($module imports no tensor code)"
            status=1
        fi
    done < <(grep -rHE '^[[:space:]]*(@[A-Za-z_]+[[:space:]]+)*((public|package|internal|fileprivate|private)[[:space:]]+)?import[[:space:]]' \
        --include='*.swift' "$folder" |
        sed -E 's/^([^:]+):.*import[[:space:]]+((struct|class|enum|protocol|typealias|func|var|let)[[:space:]]+)?([A-Za-z_][A-Za-z_0-9]*).*$/\1:\4/')
done

if [ "$status" -eq 0 ]; then echo "check-sources: ok"; fi
exit "$status"
