#!/usr/bin/env python3
"""Python peer of `lethe bench tokenizer`: encode throughput of Hugging Face `tokenizers` on one
thread, for the same tokenizer file and text as Lethe.

Two ways a Python user encodes a corpus, both single-threaded (TOKENIZERS_PARALLELISM=false,
RAYON_NUM_THREADS=1, set before the import):
  whole  `tokenizer.encode(text)` on the whole text
  lines  `tokenizer.encode_batch(lines)` on its lines (keeping the newlines)
Each is timed `--repeats` times after a warm-up (the BPE word cache persists across calls, so
timed runs are warm); the median is reported. Prints one JSON object:
  {"whole_s", "lines_s", "bytes", "tokens", "checksum", "lines_match", "version"}
where checksum = sum over i of (i + 1) * ids[i] mod 2^61 for the whole-text ids, the same
number Lethe computes, so the two can be compared without moving millions of ids.

    pip install tokenizers
    python3 scripts/reference/tokenizer_speed.py --tokenizer tokenizer.json --text corpus.txt
"""
import argparse, json, os, statistics, time

os.environ["TOKENIZERS_PARALLELISM"] = "false"
os.environ["RAYON_NUM_THREADS"] = "1"
import tokenizers  # noqa: E402  (after the environment is set)


def median_seconds(f, repeats):
    f()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tokenizer", required=True)
    parser.add_argument("--text", required=True)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    tokenizer = tokenizers.Tokenizer.from_file(args.tokenizer)
    with open(args.text, encoding="utf-8", newline="") as f:
        text = f.read()
    lines = text.splitlines(keepends=True)

    ids = tokenizer.encode(text).ids
    line_ids = [i for encoding in tokenizer.encode_batch(lines) for i in encoding.ids]
    checksum = 0
    for index, token in enumerate(ids):
        checksum = (checksum + (index + 1) * token) % (1 << 61)
    print(json.dumps({
        "whole_s": median_seconds(lambda: tokenizer.encode(text), args.repeats),
        "lines_s": median_seconds(lambda: tokenizer.encode_batch(lines), args.repeats),
        "bytes": len(text.encode("utf-8")), "tokens": len(ids), "checksum": checksum,
        "lines_match": line_ids == ids, "version": tokenizers.__version__,
    }))


if __name__ == "__main__":
    main()
