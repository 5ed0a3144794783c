"""Writes two fixtures from the real SmolLM2-135M-Instruct GGUF (models/, from
scripts/fetch-models.sh) for the Swift tests that read the same file:

Tests/LetheStorageTests/Fixtures/smollm2_rows.safetensors: a few rows dequantized by the `gguf`
package (pip install gguf; run with 0.19.0), under their GGUF names:

    token_embd.weight   Q8_0  rows 0, 1, 2, 1000, 49151 of [49152, 576]
    blk.0.attn_q.weight Q4_1  rows 0, 1, 63, 575        of [576, 576]   (GGUF row order)
    blk.0.attn_k.weight Q4_1  rows 0, 191               of [192, 576]
    blk.29.ffn_down.weight Q4_1 rows 0, 575             of [576, 1536]
    output_norm.weight  F32   all                       of [576]

Each entry is `<tensor>` with shape [rows, columns]; the metadata `<tensor>.rows` lists the
row indices as JSON. Rows are in the file's (permuted) order: no q/k permutation is undone.

Tests/LetheStorageTests/Fixtures/smollm2_transformers_rows.safetensors: rows of the state dict
transformers (5.24.0) loads from the same file (`from_pretrained(gguf_file=...)`, which
dequantizes with the `gguf` package and undoes llama.cpp's q/k permutation), under Hugging
Face names, in the same layout.

    /work/peers-env/bin/python scripts/reference/make_smollm2_rows_fixture.py
"""

import json
import os

import numpy as np
from gguf import GGUFReader, quants
from safetensors.numpy import save_file

ROOT = os.path.join(os.path.dirname(__file__), "../..")
MODEL = os.path.join(ROOT, "models/SmolLM2-135M-Instruct.Q4_1.gguf")
OUT = os.path.join(ROOT, "Tests/LetheStorageTests/Fixtures/smollm2_rows.safetensors")
OUT_TRANSFORMERS = os.path.join(ROOT, "Tests/LetheStorageTests/Fixtures/smollm2_transformers_rows.safetensors")
TRANSFORMERS_ROWS = {
    "model.embed_tokens.weight": [1, 49151],
    "model.layers.0.self_attn.q_proj.weight": [0, 1, 31, 32, 63, 64, 575],
    "model.layers.0.self_attn.k_proj.weight": [0, 1, 32, 63, 64, 191],
    "model.layers.29.self_attn.k_proj.weight": [0, 100, 191],
    "model.layers.0.self_attn.v_proj.weight": [0, 191],
    "model.layers.29.mlp.down_proj.weight": [0],
    "model.layers.0.input_layernorm.weight": None,
    "model.norm.weight": None,
}
ROWS = {
    "token_embd.weight": [0, 1, 2, 1000, 49151],
    "blk.0.attn_q.weight": [0, 1, 63, 575],
    "blk.0.attn_k.weight": [0, 191],
    "blk.29.ffn_down.weight": [0, 575],
    "output_norm.weight": None,
}


def main():
    reader = GGUFReader(MODEL)
    tensors = {t.name: t for t in reader.tensors}
    out, meta = {}, {}
    for name, rows in ROWS.items():
        t = tensors[name]
        values = quants.dequantize(t.data, t.tensor_type)  # numpy order: [rows, columns]
        print(name, t.tensor_type.name, list(values.shape))
        if rows is None:
            out[name] = np.ascontiguousarray(values.reshape(1, -1), dtype=np.float32)
            rows = [0]
        else:
            out[name] = np.ascontiguousarray(values[rows], dtype=np.float32)
        meta[name + ".rows"] = json.dumps(rows)
    save_file(out, OUT, metadata=meta)
    print(OUT, os.path.getsize(OUT), "bytes")
    write_transformers_rows()


def write_transformers_rows():
    import torch
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(os.path.dirname(MODEL), gguf_file=os.path.basename(MODEL), dtype=torch.float32)
    state = model.state_dict()
    out, meta = {}, {}
    for name, rows in TRANSFORMERS_ROWS.items():
        values = state[name].numpy()
        if rows is None:
            out[name] = np.ascontiguousarray(values.reshape(1, -1))
            rows = [0]
        else:
            out[name] = np.ascontiguousarray(values[rows])
        meta[name + ".rows"] = json.dumps(rows)
    save_file(out, OUT_TRANSFORMERS, metadata=meta)
    print(OUT_TRANSFORMERS, os.path.getsize(OUT_TRANSFORMERS), "bytes")


if __name__ == "__main__":
    main()
