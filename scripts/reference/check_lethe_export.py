#!/usr/bin/env python3
"""Checks that a GPT-2 saved by Lethe (`GPT2Model.save(huggingFaceDirectory:)`) loads in
Hugging Face transformers and gives the fixture's logits.

    peers-env/bin/python scripts/reference/check_lethe_export.py EXPORT_DIR
EXPORT_DIR is written by the Swift test `exportedModelIsReadableByTransformers` when the
environment variable LETHE_EXPORT_DIR is set. Prints the max |logit difference|.
"""
import json, os, sys
import torch
from safetensors.torch import load_file
from transformers import GPT2LMHeadModel

fixture = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "LetheLayersTests", "Fixtures", "gpt2_tiny")
model = GPT2LMHeadModel.from_pretrained(sys.argv[1]).eval()
expected = load_file(os.path.join(fixture, "expected.safetensors"))["logits"]
batch = json.load(open(os.path.join(fixture, "expected.json")))["batch"]
ids = torch.tensor(batch["ids"]).view(batch["batch_size"], batch["length"])
mask = torch.tensor(batch["attention_mask"]).view(batch["batch_size"], batch["length"])
with torch.no_grad():
    logits = model(input_ids=ids, attention_mask=mask).logits
diff = (logits - expected).abs().max().item()
print(json.dumps({"max_abs_logit_difference": diff, "ok": diff < 1e-4}))
sys.exit(0 if diff < 1e-4 else 1)
