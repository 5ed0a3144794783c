#!/usr/bin/env python3
"""Golden GPT-2 fixture for Lethe's parity tests, made with Hugging Face transformers.

Writes Tests/LetheLayersTests/Fixtures/gpt2_tiny/:
  model/config.json, model/model.safetensors   a tiny random GPT2LMHeadModel (save_pretrained)
  expected.safetensors    logits [B,T,V], grad.<name> for every parameter, classifier logits
                          and the classifier's score.weight
  expected.json           the batch (ids, attention mask, labels), loss, the 10-step AdamW
                          trajectory (losses and learning rates) and its hyper-parameters

Set-up (once): python3 -m venv peers-env && peers-env/bin/pip install torch transformers safetensors
Run:           peers-env/bin/python scripts/reference/make_gpt2_fixture.py
"""
import json, math, os, sys
import torch
import transformers
from safetensors.torch import save_file
from transformers import GPT2Config, GPT2ForSequenceClassification, GPT2LMHeadModel

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "LetheLayersTests", "Fixtures", "gpt2_tiny")
B, T, V = 3, 12, 96
LENGTHS, PROMPT = [12, 9, 5], 3
LR, BETAS, EPS, WD, CLIP, WARMUP, STEPS = 3e-3, (0.9, 0.95), 1e-8, 0.1, 1.0, 3, 10

torch.manual_seed(0)
config = GPT2Config(vocab_size=V, n_positions=32, n_embd=32, n_layer=2, n_head=2,
                    resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0,
                    bos_token_id=V - 1, eos_token_id=V - 1, pad_token_id=0, num_labels=3)
model = GPT2LMHeadModel(config)
with torch.no_grad():  # weights large enough that every path matters (HF's 0.02 is nearly flat)
    for name, p in model.named_parameters():
        if "ln_" in name and name.endswith("weight"):
            p.copy_(1 + 0.1 * torch.randn_like(p))
        elif name.endswith("bias"):
            p.copy_(0.1 * torch.randn_like(p))
        else:
            p.copy_(0.3 * torch.randn_like(p))
model.eval()
os.makedirs(os.path.join(OUT, "model"), exist_ok=True)
model.save_pretrained(os.path.join(OUT, "model"), safe_serialization=True)
for extra in ["generation_config.json"]:
    path = os.path.join(OUT, "model", extra)
    if os.path.exists(path):
        os.remove(path)

ids = torch.randint(1, V - 1, (B, T))
mask = torch.zeros(B, T, dtype=torch.long)
for b, n in enumerate(LENGTHS):
    mask[b, :n] = 1
ids = ids * mask  # pad id 0 after each sequence (right padding)
labels = ids.clone()
labels[:, :PROMPT] = -100
labels[mask == 0] = -100

out = model(input_ids=ids, attention_mask=mask, labels=labels)
out.loss.backward()
tensors = {"logits": out.logits.detach().contiguous()}
for name, p in model.named_parameters():
    tensors["grad." + name.removeprefix("transformer.")] = p.grad.detach().clone().contiguous()

classifier = GPT2ForSequenceClassification(config)
with torch.no_grad():
    classifier.transformer.load_state_dict(model.transformer.state_dict())
    classifier.score.weight.copy_(0.3 * torch.randn_like(classifier.score.weight))
classifier.eval()
tensors["classifier.logits"] = classifier(input_ids=ids, attention_mask=mask).logits.detach().contiguous()
tensors["classifier.score.weight"] = classifier.score.weight.detach().contiguous()

# Ten AdamW steps: no weight decay on biases and LayerNorm weights (rank-1 tensors),
# global gradient-norm clipping, linear warm-up then cosine decay (HF's scheduler).
decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": WD}, {"params": no_decay, "weight_decay": 0.0}],
                              lr=LR, betas=BETAS, eps=EPS)
scheduler = transformers.get_cosine_schedule_with_warmup(optimizer, WARMUP, STEPS)
losses, lrs, norms = [], [], []
for step in range(STEPS):
    optimizer.zero_grad()
    loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
    loss.backward()
    norms.append(float(torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP)))
    losses.append(float(loss))
    lrs.append(optimizer.param_groups[0]["lr"])
    optimizer.step()
    scheduler.step()
with torch.no_grad():
    losses.append(float(model(input_ids=ids, attention_mask=mask, labels=labels).loss))

# Greedy generation with Hugging Face's generate() on left-padded prompts of different
# lengths, from the saved (untrained) weights.
reloaded = GPT2LMHeadModel.from_pretrained(os.path.join(OUT, "model")).eval()
prompts = [[5, 17, 33], [8, 2, 90, 41, 7, 12], [64]]
width = max(len(p) for p in prompts)
gen_ids = torch.tensor([[0] * (width - len(p)) + p for p in prompts])
gen_mask = torch.tensor([[0] * (width - len(p)) + [1] * len(p) for p in prompts])
generated = reloaded.generate(input_ids=gen_ids, attention_mask=gen_mask, max_new_tokens=10, do_sample=False,
                              pad_token_id=0, eos_token_id=None)
continuations = generated[:, width:].tolist()

save_file(tensors, os.path.join(OUT, "expected.safetensors"))
with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump({
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__},
        "batch": {"ids": ids.flatten().tolist(), "attention_mask": mask.flatten().tolist(),
                  "labels": labels.flatten().tolist(), "batch_size": B, "length": T},
        "loss": float(out.loss),
        "adamw": {"lr": LR, "betas": list(BETAS), "eps": EPS, "weight_decay": WD,
                  "no_decay": "rank-1 parameters (biases, LayerNorm weights)", "clip_norm": CLIP,
                  "schedule": "linear warm-up then cosine (get_cosine_schedule_with_warmup)",
                  "warmup_steps": WARMUP, "total_steps": STEPS,
                  "losses": losses, "learning_rates": lrs, "gradient_norms": norms},
        "generation": {"prompts": prompts, "max_new_tokens": 10, "greedy_continuations": continuations},
    }, f, indent=1)
print("wrote", os.path.normpath(OUT), "loss", float(out.loss), "trajectory", [round(l, 4) for l in losses])
