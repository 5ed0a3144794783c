#!/usr/bin/env python3
"""numpy peers for `lethe bench ops`: layer norm, GELU (tanh approximation) and softmax
forward passes at [rows, cols] in float32, written the way a numpy user would (unfused,
single-threaded). Prints one JSON object: seconds per call (median of repeats) per kernel.

    python3 scripts/reference/elementwise_numpy.py --rows 512 --cols 3072
"""
import argparse, json, statistics, time
import numpy as np

def layer_norm(x, w, b, eps=1e-5):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b

def gelu(x):
    return 0.5 * x * (1.0 + np.tanh(np.float32(0.7978845608028654) * (x + np.float32(0.044715) * x * x * x)))

def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)

def seconds(f, min_time=0.5, reps=7):
    f()
    t0 = time.perf_counter(); f(); one = time.perf_counter() - t0
    inner = max(1, int(min_time / reps / max(one, 1e-6)))
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(inner):
            f()
        times.append((time.perf_counter() - t0) / inner)
    return statistics.median(times)

if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, default=512)
    p.add_argument("--cols", type=int, default=3072)
    a = p.parse_args()
    rng = np.random.default_rng(0)
    x = rng.standard_normal((a.rows, a.cols), dtype=np.float32)
    w = np.ones(a.cols, np.float32); b = np.zeros(a.cols, np.float32)
    print(json.dumps({
        "numpy": np.__version__,
        "layer_norm_s": seconds(lambda: layer_norm(x, w, b)),
        "gelu_s": seconds(lambda: gelu(x)),
        "softmax_s": seconds(lambda: softmax(x)),
    }))
