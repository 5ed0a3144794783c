#!/usr/bin/env python3
"""Checks that LoRA adapters saved by Lethe (`LoRAAdapters.save(directory:)`) load in the
`peft` package and give Lethe's logits, adapted and merged.

    peers-env/bin/python scripts/reference/check_peft_export.py ADAPTER_DIR BASE_DIR EXPECTED

ADAPTER_DIR  adapter_config.json + adapter_model.safetensors written by Lethe
BASE_DIR     the base GPT-2 in transformers' layout (config.json, model.safetensors)
EXPECTED     a safetensors file written by Lethe: `logits` [B,T,V] of the adapted model,
             optionally `merged_logits` of the fused model (`fuseLoRA`), and metadata
             `batch`: JSON {"ids", "attention_mask", "batch_size", "length"}

The Swift test `exportedAdaptersRoundTripAndCanBeCheckedWithPEFT` writes all three when
LETHE_WRITE_PEFT_EXPORT=DIR is set:

    LETHE_WRITE_PEFT_EXPORT=/tmp/peft-export swift test --filter PEFTExportTests
    peers-env/bin/python scripts/reference/check_peft_export.py /tmp/peft-export/adapter \\
        Tests/LetheLayersTests/Fixtures/gpt2_tiny/model /tmp/peft-export/lethe_logits.safetensors

PEFT is loaded with PeftModel.from_pretrained (the adapted model, in eval mode) and then
merge_and_unload() (the merged one). Prints the adapted modules and the max |logit
difference| of each as JSON; exits 1 when one is 1e-4 or more.
"""
import json, sys
import torch
from peft import PeftModel
from safetensors import safe_open
from transformers import GPT2LMHeadModel

TOLERANCE = 1e-4
adapter_dir, base_dir, expected_path = sys.argv[1:4]
with safe_open(expected_path, "pt") as f:
    expected = {name: f.get_tensor(name) for name in f.keys()}
    batch = json.loads(f.metadata()["batch"])
ids = torch.tensor(batch["ids"]).view(batch["batch_size"], batch["length"])
mask = torch.tensor(batch["attention_mask"]).view(batch["batch_size"], batch["length"])

model = PeftModel.from_pretrained(GPT2LMHeadModel.from_pretrained(base_dir), adapter_dir).eval()
adapted = sorted(name.removeprefix("base_model.model.transformer.") for name, module in model.named_modules()
                 if hasattr(module, "lora_A") and len(module.lora_A) > 0)
report = {"adapted_modules": adapted, "target_modules": sorted(model.peft_config["default"].target_modules)}
with torch.no_grad():
    report["max_abs_logit_difference"] = (model(input_ids=ids, attention_mask=mask).logits
                                          - expected["logits"]).abs().max().item()
    if "merged_logits" in expected:
        merged = model.merge_and_unload().eval()
        report["max_abs_merged_logit_difference"] = (merged(input_ids=ids, attention_mask=mask).logits
                                                     - expected["merged_logits"]).abs().max().item()
ok = all(v < TOLERANCE for k, v in report.items() if k.startswith("max_abs"))
report["ok"] = ok
print(json.dumps(report, indent=1))
sys.exit(0 if ok else 1)
