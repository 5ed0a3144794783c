"""Writes Tests/LetheEvaluationTests/Fixtures/quantization_reference.json: int8 per-output-
channel absmax and NF4 block-64 absmax round trips of small float32 matrices, in numpy, for
WeightQuantization (Sources/LetheEvaluation/WeightQuantization.swift).

NF4 follows bitsandbytes (quantize_4bit(quant_type="nf4", blocksize=64), no double
quantization): the code table of functional.get_4bit_type("nf4") / csrc/kernels.cu, the
flattened weight in blocks of 64, absmax per block, the nearest table entry with a value
exactly on a midpoint taking the lower entry (the kernel's `x > midpoint` tree).
bitsandbytes itself is not needed. Run: /work/peers-env/bin/python scripts/reference/make_quantization_fixture.py
"""
import json
import pathlib

import numpy as np

NF4 = np.array([
    -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453,
    -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
    0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
    0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0,
], dtype=np.float64)


def int8_round_trip(w):
    w = w.astype(np.float64)
    absmax = np.abs(w).max(axis=1, keepdims=True)
    scale = np.where(absmax > 0, absmax / 127.0, 1.0)
    q = np.clip(np.round(w / scale), -127, 127)  # numpy rounds half to even, as torch.round
    q = np.where(absmax > 0, q, 0)
    values = (q * np.where(absmax > 0, scale, 0.0)).astype(np.float32)
    return values, q.astype(np.int64)


def nf4_round_trip(w, block=64):
    flat = w.astype(np.float64).reshape(-1)
    mids = (NF4[:-1] + NF4[1:]) / 2
    values = np.zeros_like(flat)
    codes = np.full(flat.shape, 7, dtype=np.int64)
    for start in range(0, flat.size, block):
        b = flat[start:start + block]
        absmax = np.abs(b).max()
        if absmax == 0:
            continue
        c = np.searchsorted(mids, b / absmax, side="left")  # number of midpoints < x
        codes[start:start + block] = c
        values[start:start + block] = NF4[c] * absmax
    return values.astype(np.float32).reshape(w.shape), codes.reshape(w.shape)


def main():
    rng = np.random.default_rng(19)
    cases = []
    shapes = [(5, 70), (3, 64), (7, 9)]
    for i, (r, c) in enumerate(shapes):
        w = (rng.standard_normal((r, c)) * 0.05).astype(np.float32)
        if i == 0:
            w[2, :] = 0.0  # a zero row and, for NF4, a block that is partly zero
            w[4, 5] = 0.3  # an outlier
        if i == 2:
            w[1, :] = np.array([1, -1, 0.5, -0.5, 0.25, 127, -127, 63.5, 0], dtype=np.float32)  # ties
        i8v, i8c = int8_round_trip(w)
        n4v, n4c = nf4_round_trip(w)
        cases.append({
            "rows": r, "columns": c,
            "weights": [float(x) for x in w.reshape(-1)],
            "int8": {"values": [float(x) for x in i8v.reshape(-1)], "codes": [int(x) for x in i8c.reshape(-1)]},
            "nf4": {"values": [float(x) for x in n4v.reshape(-1)], "codes": [int(x) for x in n4c.reshape(-1)]},
        })
    out = pathlib.Path(__file__).resolve().parents[2] / "Tests/LetheEvaluationTests/Fixtures/quantization_reference.json"
    out.write_text(json.dumps({"nf4_table": NF4.tolist(), "block_size": 64, "cases": cases}, indent=1) + "\n")
    print(f"wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
