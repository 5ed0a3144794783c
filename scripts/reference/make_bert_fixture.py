#!/usr/bin/env python3
"""Golden BERT and RoBERTa fixtures for Lethe's encoder parity tests, made with transformers.

Writes Tests/LetheLayersTests/Fixtures/bert/<case>/ for each case below:
  model/config.json, model/model.safetensors   a tiny random model (save_pretrained)
  expected.safetensors   logits, last hidden state (bert_model: every layer's, hidden.<i>),
                         pooled and mean-pooled outputs, and
                         grad.<name> for every parameter (names without the bert./roberta.
                         prefix, tied decoder weights counted once, as named_parameters gives)
  expected.json          the batch (ids, attention mask, token types, labels), the loss and
                         the problem type

Cases: BERT sequence classification with 3 labels (single-label softmax), 1 label
(regression) and 3 labels multi-label (sigmoid); BertForMaskedLM; BertModel (pooler and
mean pooling); RoBERTa sequence classification with 3 and 1 labels; RobertaForMaskedLM.
Every batch is right-padded (BERT pads with 0, RoBERTa with 1), BERT batches hold pairs with
token types.

Run: /work/peers-env/bin/python scripts/reference/make_bert_fixture.py
"""
import json, os
import torch
import transformers
from safetensors.torch import save_file
from transformers import (BertConfig, BertForMaskedLM, BertForSequenceClassification, BertModel,
                          RobertaConfig, RobertaForMaskedLM, RobertaForSequenceClassification)

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "LetheLayersTests", "Fixtures", "bert")
V, C, H, M, L, P = 60, 24, 3, 40, 2, 24
B, T, LENGTHS = 3, 10, [10, 7, 4]
SIZES = dict(vocab_size=V, hidden_size=C, num_hidden_layers=L, num_attention_heads=H, intermediate_size=M,
             hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)


def randomize(model):
    """Weights large enough that every path matters (0.02 keeps everything nearly linear)."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "LayerNorm" in name or "layer_norm" in name:
                p.copy_((1 if name.endswith("weight") else 0) + 0.1 * torch.randn_like(p))
            elif name.endswith("bias"):
                p.copy_(0.1 * torch.randn_like(p))
            else:
                p.copy_(0.3 * torch.randn_like(p))
    return model.eval()


def bert_batch(pad):
    ids = torch.randint(5, V, (B, T))
    mask = torch.zeros(B, T, dtype=torch.long)
    types = torch.zeros(B, T, dtype=torch.long)
    for b, n in enumerate(LENGTHS):
        mask[b, :n] = 1
        types[b, n // 2:n] = 1  # a pair: the second segment has type 1
    ids[:, 0] = 2  # [CLS]-like
    return ids * mask + pad * (1 - mask), mask, types


def roberta_batch(pad):
    ids = torch.randint(4, V, (B, T))
    mask = torch.zeros(B, T, dtype=torch.long)
    for b, n in enumerate(LENGTHS):
        mask[b, :n] = 1
        ids[b, 0], ids[b, n - 1] = 0, 2  # <s> ... </s>
    return ids * mask + pad * (1 - mask), mask, torch.zeros(B, T, dtype=torch.long)


def write(case, model, prefix, ids, mask, types, labels, problem):
    folder = os.path.join(OUT, case)
    os.makedirs(os.path.join(folder, "model"), exist_ok=True)
    model.save_pretrained(os.path.join(folder, "model"), safe_serialization=True)
    for extra in ["generation_config.json"]:
        path = os.path.join(folder, "model", extra)
        if os.path.exists(path):
            os.remove(path)
    kwargs = dict(input_ids=ids, attention_mask=mask, token_type_ids=types, output_hidden_states=True)
    if labels is not None:
        kwargs["labels"] = labels
    out = model(**kwargs)
    tensors = {"hidden": out.hidden_states[-1].detach().contiguous()}
    if case == "bert_model":  # every layer's output, the embeddings' first
        tensors.update({f"hidden.{i}": h.detach().clone().contiguous() for i, h in enumerate(out.hidden_states)})
    hidden = out.hidden_states[-1].detach()
    weights = mask.unsqueeze(-1).float()
    tensors["mean_pooled"] = ((hidden * weights).sum(1) / weights.sum(1)).contiguous()
    if hasattr(out, "logits"):
        tensors["logits"] = out.logits.detach().contiguous()
    if hasattr(out, "pooler_output") and out.pooler_output is not None:
        tensors["pooled"] = out.pooler_output.detach().contiguous()
    loss = None
    if labels is not None:
        out.loss.backward()
        loss = out.loss.item()
        for name, p in model.named_parameters():
            tensors["grad." + name.removeprefix(prefix)] = p.grad.detach().clone().contiguous()
    save_file(tensors, os.path.join(folder, "expected.safetensors"))
    label_list = None if labels is None else labels.flatten().tolist()
    with open(os.path.join(folder, "expected.json"), "w") as f:
        json.dump({"versions": {"torch": torch.__version__, "transformers": transformers.__version__},
                   "batch": {"ids": ids.flatten().tolist(), "attention_mask": mask.flatten().tolist(),
                             "token_type_ids": types.flatten().tolist(), "batch_size": B, "length": T},
                   "labels": label_list, "loss": loss, "problem_type": problem}, f, indent=1)
    print(case, "loss", loss)


def masked_labels(ids, mask, mask_id):
    """Every third real token (from position 1) is replaced by mask_id and predicted."""
    labels = torch.full_like(ids, -100)
    masked = ids.clone()
    for b in range(B):
        for t in range(1, LENGTHS[b] - 1, 3):
            labels[b, t] = ids[b, t]
            masked[b, t] = mask_id
    return masked, labels


torch.manual_seed(0)
bert = dict(SIZES, max_position_embeddings=P, type_vocab_size=2, pad_token_id=0)
ids, mask, types = bert_batch(0)
write("bert_classifier_3", randomize(BertForSequenceClassification(BertConfig(**bert, num_labels=3))), "bert.",
      ids, mask, types, torch.tensor([2, 0, 1]), "single_label_classification")
write("bert_regression_1", randomize(BertForSequenceClassification(BertConfig(**bert, num_labels=1))), "bert.",
      ids, mask, types, torch.tensor([0.5, -1.25, 2.0]), "regression")
write("bert_multilabel_3", randomize(BertForSequenceClassification(
          BertConfig(**bert, num_labels=3, problem_type="multi_label_classification"))), "bert.",
      ids, mask, types, torch.tensor([[1.0, 0.0, 1.0], [0.0, 0.0, 0.0], [0.25, 1.0, 0.0]]),
      "multi_label_classification")
masked, labels = masked_labels(ids, mask, 3)
write("bert_masked_lm", randomize(BertForMaskedLM(BertConfig(**bert))), "bert.", masked, mask, types, labels, "masked_lm")
write("bert_model", randomize(BertModel(BertConfig(**bert))), "", ids, mask, types, None, "none")

roberta = dict(SIZES, max_position_embeddings=P + 2, type_vocab_size=1, pad_token_id=1, bos_token_id=0, eos_token_id=2)
ids, mask, types = roberta_batch(1)
write("roberta_classifier_3", randomize(RobertaForSequenceClassification(RobertaConfig(**roberta, num_labels=3))),
      "roberta.", ids, mask, types, torch.tensor([1, 2, 0]), "single_label_classification")
write("roberta_regression_1", randomize(RobertaForSequenceClassification(RobertaConfig(**roberta, num_labels=1))),
      "roberta.", ids, mask, types, torch.tensor([1.5, 0.25, -0.75]), "regression")
masked, labels = masked_labels(ids, mask, 3)
write("roberta_masked_lm", randomize(RobertaForMaskedLM(RobertaConfig(**roberta))), "roberta.", masked, mask, types,
      labels, "masked_lm")

# LoRA on BERT's query and value maps (PEFT), from the bert_classifier_3 weights: random B so
# the adapters matter; expected logits, loss and the adapters' gradients (PEFT's layout:
# lora_A [r, in], lora_B [out, r]).
from peft import LoraConfig, get_peft_model
torch.manual_seed(1)
base = BertForSequenceClassification.from_pretrained(os.path.join(OUT, "bert_classifier_3", "model")).eval()
peft_model = get_peft_model(base, LoraConfig(r=4, lora_alpha=8, lora_dropout=0.0, target_modules=["query", "value"],
                                             task_type="SEQ_CLS"))
with torch.no_grad():
    for name, p in peft_model.named_parameters():
        if "lora_B" in name:
            p.copy_(0.3 * torch.randn_like(p))
peft_model.eval()
torch.manual_seed(0)  # the same batch as bert_classifier_3
ids, mask, types = bert_batch(0)
labels = torch.tensor([2, 0, 1])
out = peft_model(input_ids=ids, attention_mask=mask, token_type_ids=types, labels=labels)
out.loss.backward()
tensors = {"logits": out.logits.detach().contiguous()}
for name, p in peft_model.named_parameters():
    if "lora_" in name:
        key = name.removeprefix("base_model.model.bert.").replace(".default", "")
        tensors[key] = p.detach().clone().contiguous()
        tensors["grad." + key] = p.grad.detach().clone().contiguous()
folder = os.path.join(OUT, "bert_lora")
os.makedirs(folder, exist_ok=True)
save_file(tensors, os.path.join(folder, "expected.safetensors"))
with open(os.path.join(folder, "expected.json"), "w") as f:
    json.dump({"base": "bert_classifier_3", "r": 4, "lora_alpha": 8, "target_modules": ["query", "value"],
               "loss": out.loss.item(), "labels": labels.tolist()}, f, indent=1)
print("bert_lora loss", out.loss.item())
