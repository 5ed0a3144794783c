"""Writes the sharded safetensors fixture (Tests/LetheStorageTests/Fixtures/safetensors_sharded/):

    model-00001-of-00002.safetensors   F16 `a.weight` [3, 6] (with -0, a subnormal, 65504, inf)
                                       and BF16 `b.weight` [4]
    model-00002-of-00002.safetensors   F32 `c.bias` [5], BF16 `d.weight` [2, 3], I64 `ids` [3]
    model.safetensors.index.json       the weight_map, as transformers' save_pretrained writes it
    expected.safetensors               every float tensor as F32 (torch's own .float() conversion)

Written with the `safetensors` package and torch (for bfloat16):

    /work/peers-env/bin/python scripts/reference/make_safetensors_fixture.py
"""

import json
import os

import torch
from safetensors.torch import save_file

OUT = os.path.join(os.path.dirname(__file__), "../../Tests/LetheStorageTests/Fixtures/safetensors_sharded")
torch.manual_seed(7)


def main():
    os.makedirs(OUT, exist_ok=True)
    special = torch.tensor([-0.0, 6e-8, 65504.0, float("inf"), -2.0**-14, 1 / 3])
    shards = {
        "model-00001-of-00002.safetensors": {
            "a.weight": torch.cat([torch.randn(12), special]).reshape(3, 6).to(torch.float16),
            "b.weight": torch.tensor([1.0, -0.0, 3.14159, -1e30]).to(torch.bfloat16),
        },
        "model-00002-of-00002.safetensors": {
            "c.bias": torch.randn(5),
            "d.weight": (torch.randn(2, 3) * 1e-3).to(torch.bfloat16),
            "ids": torch.tensor([1, -2, 1 << 40]),
        },
    }
    weight_map = {}
    for shard, tensors in shards.items():
        save_file(tensors, os.path.join(OUT, shard), metadata={"format": "pt"})
        weight_map.update({name: shard for name in tensors})
    total = sum(t.numel() * t.element_size() for tensors in shards.values() for t in tensors.values())
    with open(os.path.join(OUT, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": dict(sorted(weight_map.items()))}, f, indent=2)
    expected = {name: t.float() for tensors in shards.values() for name, t in tensors.items() if t.is_floating_point()}
    save_file(expected, os.path.join(OUT, "expected.safetensors"))
    for name, t in expected.items():
        print(name, list(t.shape), t.reshape(-1)[:4].tolist())


if __name__ == "__main__":
    main()
