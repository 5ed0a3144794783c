#!/usr/bin/env python3
"""Checks that BERT and RoBERTa folders saved by Lethe (`BertModel.save(huggingFaceDirectory:)`)
load in transformers, strictly (no missing or unexpected keys), and give the fixtures' outputs.

    LETHE_EXPORT_DIR=/tmp/be swift test --filter BertInteropTests
    peers-env/bin/python scripts/reference/check_bert_export.py /tmp/be
Prints one JSON line per case with the max |difference| and the loading report.
"""
import json, os, sys
import torch
import transformers
from safetensors.torch import load_file

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "LetheLayersTests", "Fixtures", "bert")
ok = True
for case in sorted(os.listdir(sys.argv[1])):
    folder = os.path.join(sys.argv[1], case)
    architecture = json.load(open(os.path.join(folder, "config.json")))["architectures"][0]
    model, info = getattr(transformers, architecture).from_pretrained(folder, output_loading_info=True)
    model.eval()
    expected = load_file(os.path.join(FIXTURES, case, "expected.safetensors"))
    batch = json.load(open(os.path.join(FIXTURES, case, "expected.json")))["batch"]
    shape = (batch["batch_size"], batch["length"])
    inputs = {k: torch.tensor(batch[v]).view(shape) for k, v in
              [("input_ids", "ids"), ("attention_mask", "attention_mask"), ("token_type_ids", "token_type_ids")]}
    with torch.no_grad():
        out = model(**inputs, output_hidden_states=True)
    name, value = ("logits", out.logits) if hasattr(out, "logits") else ("hidden", out.hidden_states[-1])
    diff = (value - expected[name]).abs().max().item()
    clean = not info["missing_keys"] and not info["unexpected_keys"] and not info["mismatched_keys"]
    ok = ok and diff < 1e-4 and clean
    print(json.dumps({"case": case, "architecture": architecture, name + "_max_abs_difference": diff,
                      "missing": info["missing_keys"], "unexpected": info["unexpected_keys"]}, default=list))
sys.exit(0 if ok else 1)
