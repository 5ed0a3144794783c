#!/usr/bin/env python3
"""Golden Llama-family fixtures for Lethe's parity tests, made with Hugging Face transformers.

Writes Tests/LetheLayersTests/Fixtures/llama/<case>/ for small random configurations:
  llama_gqa        LlamaForCausalLM, 4 query / 2 key-value heads, untied head, rope_theta 500,
                   pad_token_id 0 with a real token 0 in the batch (padding_idx gradient), classifier
  qwen2_tied       Qwen2ForCausalLM (q/k/v biases, no o bias), 4/1 heads, tied embeddings, theta 1e6
  llama3_scaled    LlamaForCausalLM with rope_scaling llama3, attention and MLP biases, head_dim 12
                   (not hidden_size / heads), tied embeddings
  mistral_linear   MistralForCausalLM (sliding_window null), rope_scaling linear (factor 2)
Each case folder holds:
  model/config.json, model/model.safetensors   save_pretrained output
  expected.safetensors    logits [B,T,V], grad.<name> for every parameter (and classifier.*)
  expected.json           the right-padded batch, loss, greedy continuations of left-padded
                          prompts from model.generate(do_sample=False)

Run: /work/peers-env/bin/python scripts/reference/make_llama_fixture.py
"""
import json, os
import torch
import transformers
from safetensors.torch import save_file
from transformers import (LlamaConfig, LlamaForCausalLM, LlamaForSequenceClassification, MistralConfig,
                          MistralForCausalLM, Qwen2Config, Qwen2ForCausalLM)

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "LetheLayersTests", "Fixtures", "llama")
B, T, V = 3, 12, 80
LENGTHS, PROMPT = [12, 9, 5], 3
COMMON = dict(vocab_size=V, hidden_size=32, intermediate_size=40, num_hidden_layers=2, max_position_embeddings=64,
              rms_norm_eps=1e-5, attention_dropout=0.0, bos_token_id=1, eos_token_id=2)

CASES = {
    "llama_gqa": (LlamaConfig, LlamaForCausalLM, dict(
        num_attention_heads=4, num_key_value_heads=2, tie_word_embeddings=False, rope_theta=500.0, pad_token_id=0,
        num_labels=3)),
    "qwen2_tied": (Qwen2Config, Qwen2ForCausalLM, dict(
        num_attention_heads=4, num_key_value_heads=1, tie_word_embeddings=True, rope_theta=1e6)),
    "llama3_scaled": (LlamaConfig, LlamaForCausalLM, dict(
        num_attention_heads=4, num_key_value_heads=2, head_dim=12, tie_word_embeddings=True, attention_bias=True,
        mlp_bias=True, rope_theta=10000.0,
        rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                      "original_max_position_embeddings": 32})),
    "mistral_linear": (MistralConfig, MistralForCausalLM, dict(
        num_attention_heads=4, num_key_value_heads=4, tie_word_embeddings=False, sliding_window=None,
        rope_theta=10000.0, rope_scaling={"rope_type": "linear", "factor": 2.0})),
}


def make_config(config_class, extra):
    kwargs = dict(COMMON, **extra)
    scaling = kwargs.pop("rope_scaling", None)
    theta = kwargs.pop("rope_theta")
    rope = dict(scaling or {"rope_type": "default"}, rope_theta=theta)
    return config_class(rope_parameters=rope, **kwargs)


def randomize(model):
    """Weights large enough that every path matters (HF's 0.02 init is nearly flat)."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("norm.weight"):
                p.copy_(1 + 0.1 * torch.randn_like(p))
            elif name.endswith("bias"):
                p.copy_(0.1 * torch.randn_like(p))
            else:
                p.copy_(0.3 * torch.randn_like(p))


def batch():
    ids = torch.randint(3, V, (B, T))
    mask = torch.zeros(B, T, dtype=torch.long)
    for b, n in enumerate(LENGTHS):
        mask[b, :n] = 1
    ids = ids * mask  # pad id 0 after each sequence (right padding)
    ids[0, 4] = 0  # a real token equal to the pad id
    labels = ids.clone()
    labels[:, :PROMPT] = -100
    labels[mask == 0] = -100
    return ids, mask, labels


def main():
    for case, (config_class, model_class, extra) in CASES.items():
        torch.manual_seed(0)
        out_dir = os.path.join(ROOT, case)
        config = make_config(config_class, extra)
        model = model_class(config)
        randomize(model)
        model.eval()
        os.makedirs(os.path.join(out_dir, "model"), exist_ok=True)
        model.save_pretrained(os.path.join(out_dir, "model"), safe_serialization=True)
        for leftover in ["generation_config.json"]:
            path = os.path.join(out_dir, "model", leftover)
            if os.path.exists(path):
                os.remove(path)

        ids, mask, labels = batch()
        out = model(input_ids=ids, attention_mask=mask, labels=labels)
        out.loss.backward()
        tensors = {"logits": out.logits.detach().contiguous()}
        for name, p in model.named_parameters():
            tensors["grad." + name] = p.grad.detach().clone().contiguous()
        hidden = model(input_ids=ids, attention_mask=mask, output_hidden_states=True).hidden_states
        tensors["residual.layer0"] = hidden[1].detach().contiguous()

        if case == "llama_gqa":
            classifier = LlamaForSequenceClassification(config)
            with torch.no_grad():
                classifier.model.load_state_dict(model.model.state_dict())
                classifier.score.weight.copy_(0.3 * torch.randn_like(classifier.score.weight))
            classifier.eval()
            class_ids = ids.clone()
            class_ids[0, 4] = 5  # the classifier finds the last real token by the pad id
            tensors["classifier.ids"] = class_ids.to(torch.float32)
            tensors["classifier.logits"] = classifier(input_ids=class_ids, attention_mask=mask).logits.detach().contiguous()
            tensors["classifier.score.weight"] = classifier.score.weight.detach().contiguous()

        reloaded = model_class.from_pretrained(os.path.join(out_dir, "model")).eval()
        prompts = [[5, 17, 33], [8, 2, 70, 41, 7, 12], [64]]
        width = max(len(p) for p in prompts)
        gen_ids = torch.tensor([[0] * (width - len(p)) + p for p in prompts])
        gen_mask = torch.tensor([[0] * (width - len(p)) + [1] * len(p) for p in prompts])
        generated = reloaded.generate(input_ids=gen_ids, attention_mask=gen_mask, max_new_tokens=10, do_sample=False,
                                      pad_token_id=0, eos_token_id=None)
        save_file(tensors, os.path.join(out_dir, "expected.safetensors"))
        with open(os.path.join(out_dir, "expected.json"), "w") as f:
            json.dump({
                "versions": {"torch": torch.__version__, "transformers": transformers.__version__},
                "batch": {"ids": ids.flatten().tolist(), "attention_mask": mask.flatten().tolist(),
                          "labels": labels.flatten().tolist(), "batch_size": B, "length": T},
                "loss": float(out.loss),
                "generation": {"prompts": prompts, "max_new_tokens": 10,
                               "greedy_continuations": generated[:, width:].tolist()},
            }, f, indent=1)
        print("wrote", os.path.normpath(out_dir), "loss", float(out.loss))


if __name__ == "__main__":
    main()
