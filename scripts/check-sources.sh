#!/usr/bin/env bash
# Source rules that a compiler does not check (see the developers' brief):
#   - no fatalError, try! or as! in Sources/ (a user's input must get a thrown error);
#   - files short enough to read in one sitting: over 400 lines is reported, over 500 fails;
#   - every module folder under Sources/ has a README.md (its job and what it may import).
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

if [ "$status" -eq 0 ]; then echo "check-sources: ok"; fi
exit "$status"
