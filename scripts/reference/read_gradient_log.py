#!/usr/bin/env python3
"""Reads a Lethe gradient log (gradients.h5) with h5py alone and prints, as JSON, the steps
and per-tensor mean forget/retain cosine and norm ratio, the statistics `lethe inspect
gradients` reports, and, in logs that have them, each loss's mean whole-model weight in
the combined direction, the number of clipped steps and the mean direction norm. Its output on the committed fixture is committed beside it:

    python3 scripts/reference/read_gradient_log.py \
        Tests/LetheUnlearningTests/Fixtures/gradients_tiny.h5 > Tests/LetheUnlearningTests/Fixtures/gradients_tiny.h5py.json
"""
import json, sys
import h5py
import numpy as np

with h5py.File(sys.argv[1], "r") as f:
    names = json.loads(f.attrs["parameter_names"])
    losses = json.loads(f.attrs["loss_names"])
    cosine = f["cosine"][...].astype(np.float64)
    first, second = f["norm/" + losses[0]][...].astype(np.float64), f["norm/" + losses[1]][...].astype(np.float64)
    out = {
        "steps": f["step"][...].tolist(),
        "mean_cosine": {n: float(np.nanmean(cosine[:, p])) for p, n in enumerate(names)},
        "norm_ratio": {n: float(first[:, p].mean() / second[:, p].mean()) for p, n in enumerate(names)},
        "full_tensors": sorted(f"full/{l}/{k}" for l in f["full"] for k in f["full"][l]),
    }
    # Later additions within format version 1 (absent from older logs).
    if "model_weight" in f:
        out["mean_model_weight"] = {l: float(np.mean(f["model_weight/" + l][...])) for l in losses}
        out["clipped_steps"] = int(np.sum(f["clipped"][...]))
        out["mean_direction_norm"] = float(np.mean(f["direction_norm"][...]))
print(json.dumps(out, indent=1, sort_keys=True))
