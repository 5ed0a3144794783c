#!/usr/bin/env python3
"""A tiny Llama GGUF (F32) holding the weights of the `llama_gqa` fixture, written as llama.cpp's
convert_hf_to_gguf.py writes Llama models (q / k rows permuted, llama.* metadata), so that
Lethe's GGUF loader can be checked against the fixture's transformers logits.

Writes Tests/LetheLayersTests/Fixtures/llama/llama_gqa.gguf (run make_llama_fixture.py first).
Run: /work/peers-env/bin/python scripts/reference/make_llama_gguf_fixture.py   (needs `gguf`)
"""
import json, os
import gguf
import numpy as np
from safetensors.numpy import load_file

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "LetheLayersTests", "Fixtures", "llama")
folder = os.path.join(ROOT, "llama_gqa", "model")
config = json.load(open(os.path.join(folder, "config.json")))
state = load_file(os.path.join(folder, "model.safetensors"))
H, Hkv = config["num_attention_heads"], config["num_key_value_heads"]


def permute(w, heads):  # convert_hf_to_gguf.py LlamaModel.permute
    return w.reshape(heads, 2, w.shape[0] // heads // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


names = {"model.embed_tokens.weight": "token_embd.weight", "model.norm.weight": "output_norm.weight",
         "lm_head.weight": "output.weight"}
blocks = {"input_layernorm": "attn_norm", "post_attention_layernorm": "ffn_norm", "self_attn.q_proj": "attn_q",
          "self_attn.k_proj": "attn_k", "self_attn.v_proj": "attn_v", "self_attn.o_proj": "attn_output",
          "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up", "mlp.down_proj": "ffn_down"}
writer = gguf.GGUFWriter(os.path.join(ROOT, "llama_gqa.gguf"), "llama")
writer.add_block_count(config["num_hidden_layers"])
writer.add_context_length(config["max_position_embeddings"])
writer.add_embedding_length(config["hidden_size"])
writer.add_feed_forward_length(config["intermediate_size"])
writer.add_head_count(H)
writer.add_head_count_kv(Hkv)
writer.add_rope_freq_base(config["rope_parameters"]["rope_theta"])
writer.add_layer_norm_rms_eps(config["rms_norm_eps"])
writer.add_rope_dimension_count(config["hidden_size"] // H)
writer.add_vocab_size(config["vocab_size"])
writer.add_bos_token_id(config["bos_token_id"])
writer.add_eos_token_id(config["eos_token_id"])
for name, value in state.items():
    if name.startswith("model.layers."):
        layer, rest = name[len("model.layers."):].split(".", 1)
        module, kind = rest.rsplit(".", 1)
        target = f"blk.{layer}.{blocks[module]}.{kind}"
        if module == "self_attn.q_proj":
            value = permute(value, H)
        elif module == "self_attn.k_proj":
            value = permute(value, Hkv)
    else:
        target = names[name]
    writer.add_tensor(target, np.ascontiguousarray(value.astype(np.float32)))
writer.write_header_to_file()
writer.write_kv_data_to_file()
writer.write_tensors_to_file()
writer.close()
print("wrote", os.path.normpath(os.path.join(ROOT, "llama_gqa.gguf")))
