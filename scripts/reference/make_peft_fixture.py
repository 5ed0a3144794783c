#!/usr/bin/env python3
"""PEFT LoRA fixture for Lethe's adapter parity tests, made with the `peft` package.

On the tiny GPT-2 of Tests/LetheLayersTests/Fixtures/gpt2_tiny/model (made by
make_gpt2_fixture.py), builds a PEFT LoRA (r=4, lora_alpha=8, lora_dropout=0.1,
target_modules=["c_attn", "attn.c_proj", "mlp.c_fc"]: `attn.c_proj` adapts the attention
projection but not `mlp.c_proj`, so PEFT's suffix matching is exercised), gives lora_A and
lora_B random non-zero values (PEFT starts B at 0, which would test nothing) and writes
Tests/LetheLayersTests/Fixtures/peft_tiny/:
  adapter/adapter_config.json, adapter/adapter_model.safetensors
                          the adapter as PeftModel.save_pretrained writes it
  expected.safetensors    logits [B,T,V] of the adapted model in eval mode ("logits") and of
                          the merged model, merge_and_unload() ("merged_logits")
  expected.json           the batch (ids, attention mask), sizes and package versions

Set-up (once): python3 -m venv peers-env && peers-env/bin/pip install torch transformers peft safetensors
Run:           peers-env/bin/python scripts/reference/make_peft_fixture.py
"""
import json, os
import peft
import torch
import transformers
from peft import LoraConfig, PeftModel, get_peft_model
from safetensors.torch import save_file
from transformers import GPT2LMHeadModel

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "LetheLayersTests", "Fixtures")
BASE = os.path.join(FIXTURES, "gpt2_tiny", "model")
OUT = os.path.join(FIXTURES, "peft_tiny")
B, T, V = 3, 12, 96
LENGTHS = [12, 9, 5]

torch.manual_seed(0)
base = GPT2LMHeadModel.from_pretrained(BASE).eval()
config = LoraConfig(r=4, lora_alpha=8, lora_dropout=0.1, target_modules=["c_attn", "attn.c_proj", "mlp.c_fc"],
                    task_type="CAUSAL_LM")
model = get_peft_model(base, config)
with torch.no_grad():
    for name, p in model.named_parameters():
        if "lora_A" in name or "lora_B" in name:
            p.copy_(0.3 * torch.randn_like(p))
model.eval()
os.makedirs(OUT, exist_ok=True)
model.save_pretrained(os.path.join(OUT, "adapter"))
readme = os.path.join(OUT, "adapter", "README.md")  # a model card template: not needed
if os.path.exists(readme):
    os.remove(readme)
# No absolute path of this machine in the fixture, and target_modules (a set in PEFT) sorted.
config_path = os.path.join(OUT, "adapter", "adapter_config.json")
saved = json.load(open(config_path))
saved["base_model_name_or_path"] = "../../gpt2_tiny/model"
saved["target_modules"] = sorted(saved["target_modules"])
with open(config_path, "w") as f:
    json.dump(saved, f, indent=2, sort_keys=True)

ids = torch.randint(1, V - 1, (B, T))
mask = torch.zeros(B, T, dtype=torch.long)
for b, n in enumerate(LENGTHS):
    mask[b, :n] = 1
ids = ids * mask  # pad id 0 after each sequence (right padding)

# The adapter as saved, loaded back the usual way, gives the expected logits.
reloaded = PeftModel.from_pretrained(GPT2LMHeadModel.from_pretrained(BASE), os.path.join(OUT, "adapter")).eval()
with torch.no_grad():
    logits = reloaded(input_ids=ids, attention_mask=mask).logits
    assert (logits - model(input_ids=ids, attention_mask=mask).logits).abs().max() == 0
    merged = reloaded.merge_and_unload().eval()
    merged_logits = merged(input_ids=ids, attention_mask=mask).logits
    base_logits = GPT2LMHeadModel.from_pretrained(BASE).eval()(input_ids=ids, attention_mask=mask).logits
print("max |adapted - base| logit", (logits - base_logits).abs().max().item(),
      "max |merged - adapted|", (merged_logits - logits).abs().max().item())

save_file({"logits": logits.contiguous(), "merged_logits": merged_logits.contiguous()},
          os.path.join(OUT, "expected.safetensors"))
with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump({
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__, "peft": peft.__version__},
        "batch": {"ids": ids.flatten().tolist(), "attention_mask": mask.flatten().tolist(),
                  "batch_size": B, "length": T},
        "lora": {"r": config.r, "lora_alpha": config.lora_alpha, "lora_dropout": config.lora_dropout,
                 "target_modules": sorted(config.target_modules)},
    }, f, indent=1)
print("wrote", os.path.normpath(OUT))
