#!/usr/bin/env python3
"""Checks that Llama-family models saved by Lethe (`LlamaModel.save(huggingFaceDirectory:)`)
load in Hugging Face transformers (AutoModelForCausalLM) and give the fixtures' logits.

    LETHE_LLAMA_EXPORT_DIR=/tmp/llama-export swift test --filter LlamaParityTests/exportsAFolderTransformersLoads
    /work/peers-env/bin/python scripts/reference/check_llama_export.py /tmp/llama-export
Prints one JSON line per case with the max |logit difference|; exits 1 unless all are < 1e-4.
"""
import json, os, sys
import torch
from safetensors.torch import load_file
from transformers import AutoModelForCausalLM

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "LetheLayersTests", "Fixtures", "llama")
ok = True
for case in sorted(os.listdir(sys.argv[1])):
    model = AutoModelForCausalLM.from_pretrained(os.path.join(sys.argv[1], case)).eval()
    expected = load_file(os.path.join(FIXTURES, case, "expected.safetensors"))["logits"]
    batch = json.load(open(os.path.join(FIXTURES, case, "expected.json")))["batch"]
    ids = torch.tensor(batch["ids"]).view(batch["batch_size"], batch["length"])
    mask = torch.tensor(batch["attention_mask"]).view(batch["batch_size"], batch["length"])
    with torch.no_grad():
        logits = model(input_ids=ids, attention_mask=mask).logits
    diff = (logits - expected).abs().max().item()
    ok = ok and diff < 1e-4
    print(json.dumps({"case": case, "class": type(model).__name__, "max_abs_logit_difference": diff, "ok": diff < 1e-4}))
sys.exit(0 if ok else 1)
