#!/usr/bin/env python3
"""Checks that a tokenizer trained by Lethe loads in Hugging Face `tokenizers` and writes the ids
Python gives for a list of texts, so a Swift test can check Lethe gives the same ids.

The tokenizer comes from Lethe's own trainer on the fixture corpus:

    swift run lethe tokenizer train --vocab-size 600 \\
        --out Tests/LetheTextTests/Fixtures/tokenizer/lethe_trained Tests/LetheTextTests/Fixtures/tokenizer/corpus.txt
    python3 scripts/reference/check_trained_tokenizer.py

Loads lethe_trained/tokenizer.json (and, as a cross-check, vocab.json + merges.txt through
`models.BPE.from_file`), encodes the hand-picked texts of cases.json plus its first 60 random
ones, checks that decoding gives each text back, and writes lethe_trained/hf_ids.json:
[{"text", "ids"}].

    pip install tokenizers
"""
import json, os
from tokenizers import Tokenizer, decoders, models, pre_tokenizers

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "LetheTextTests", "Fixtures", "tokenizer")
TRAINED = os.path.join(FIXTURES, "lethe_trained")


def main():
    tokenizer = Tokenizer.from_file(os.path.join(TRAINED, "tokenizer.json"))
    two_files = Tokenizer(models.BPE.from_file(os.path.join(TRAINED, "vocab.json"), os.path.join(TRAINED, "merges.txt")))
    two_files.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    two_files.decoder = decoders.ByteLevel()
    two_files.add_special_tokens(["<|endoftext|>"])

    with open(os.path.join(FIXTURES, "cases.json"), encoding="utf-8") as f:
        cases = json.load(f)
    hand_picked = [c["text"] for c in cases if "prefix_ids" in c]
    random_ones = [c["text"] for c in cases if "prefix_ids" not in c][:60]
    out = []
    for text in hand_picked + random_ones:
        ids = tokenizer.encode(text).ids
        assert two_files.encode(text).ids == ids, f"vocab.json + merges.txt disagree on {text!r}"
        assert tokenizer.decode(ids, skip_special_tokens=False) == text, f"no round trip for {text!r}"
        out.append({"text": text, "ids": ids})
    with open(os.path.join(TRAINED, "hf_ids.json"), "w", encoding="utf-8") as f:
        f.write("[\n" + ",\n".join(json.dumps(c, ensure_ascii=False) for c in out) + "\n]\n")
    print(f"{len(out)} texts, vocab {tokenizer.get_vocab_size()} -> {TRAINED}/hf_ids.json")


if __name__ == "__main__":
    main()
