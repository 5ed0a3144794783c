"""Writes the GGUF reader's golden fixture (Tests/LetheStorageTests/Fixtures/gguf/):

    tiny.gguf                 GGUF v3, alignment 64, one metadata key per value type, the
                              llama.* and tokenizer.* keys the model and tokenizer read, and one
                              tensor per type Lethe dequantizes (F32, F16, BF16, Q8_0, Q4_0,
                              Q4_1, Q4_K, Q6_K), some of rank 1 and 3
    tiny_expected.safetensors every tensor dequantized to float32, in Hugging Face (numpy) shape

Written with the `gguf` package (pip install gguf; run with 0.19.0). Q8_0, Q4_0, Q4_1 and BF16
blocks come from `gguf.quants.quantize`; the package cannot quantize Q4_K or Q6_K, so their
blocks are random bytes with small finite scales. The expected values are computed twice:
by `gguf.quants.dequantize` and by the element-by-element formulas of llama.cpp's reference
dequantizers (ggml/src/ggml-quants.c: dequantize_row_q8_0 / q4_0 / q4_1 / q4_K / q6_K), in
float32 and in the C order of operations; the script stops unless both agree bit for bit.

    /work/peers-env/bin/python scripts/reference/make_gguf_fixture.py
"""

import os
import struct

import numpy as np
from gguf import GGMLQuantizationType as T
from gguf import GGUFWriter, quants
from safetensors.numpy import save_file

OUT = os.path.join(os.path.dirname(__file__), "../../Tests/LetheStorageTests/Fixtures/gguf")
rng = np.random.default_rng(13)
f32 = np.float32


def half(raw: bytes, at: int) -> np.float32:
    return f32(np.frombuffer(raw[at:at + 2], dtype=np.float16)[0])


def reference_dequantize(raw: bytes, qtype: T, count: int) -> np.ndarray:
    """llama.cpp's dequantize_row_* for one contiguous run of blocks, scalar by scalar."""
    y = []
    if qtype == T.Q8_0:
        for b in range(0, len(raw), 34):
            d = half(raw, b)
            y += [f32(np.int8(np.uint8(raw[b + 2 + j]).view(np.int8))) * d for j in range(32)]
    elif qtype in (T.Q4_0, T.Q4_1):
        size = 18 if qtype == T.Q4_0 else 20
        for b in range(0, len(raw), size):
            d = half(raw, b)
            qs = raw[b + size - 16:b + size]
            if qtype == T.Q4_0:
                low = [f32((q & 0x0F) - 8) * d for q in qs]
                high = [f32((q >> 4) - 8) * d for q in qs]
            else:
                m = half(raw, b + 2)
                low = [f32(q & 0x0F) * d + m for q in qs]
                high = [f32(q >> 4) * d + m for q in qs]
            y += low + high
    elif qtype == T.Q4_K:
        for b in range(0, len(raw), 144):
            d, dmin = half(raw, b), half(raw, b + 2)
            scales, qs = raw[b + 4:b + 16], raw[b + 16:b + 144]

            def scale_min(j):  # get_scale_min_k4
                if j < 4:
                    return scales[j] & 63, scales[j + 4] & 63
                return (scales[j + 4] & 0xF) | ((scales[j - 4] >> 6) << 4), (scales[j + 4] >> 4) | ((scales[j] >> 6) << 4)

            for chunk in range(4):  # 64 values per chunk: 32 low nibbles, 32 high nibbles
                sc1, m1 = scale_min(2 * chunk)
                sc2, m2 = scale_min(2 * chunk + 1)
                d1, mm1, d2, mm2 = d * f32(sc1), dmin * f32(m1), d * f32(sc2), dmin * f32(m2)
                q = qs[32 * chunk:32 * chunk + 32]
                y += [d1 * f32(v & 0xF) - mm1 for v in q]
                y += [d2 * f32(v >> 4) - mm2 for v in q]
    elif qtype == T.Q6_K:
        for b in range(0, len(raw), 210):
            ql, qh = raw[b:b + 128], raw[b + 128:b + 192]
            sc = np.frombuffer(raw[b + 192:b + 208], dtype=np.int8)
            d = half(raw, b + 208)
            for n in range(2):  # 128 values per half
                out = [f32(0)] * 128
                for l in range(32):
                    i = l // 16
                    lo0, lo32, h = ql[64 * n + l], ql[64 * n + l + 32], qh[32 * n + l]
                    q1 = ((lo0 & 0xF) | (((h >> 0) & 3) << 4)) - 32
                    q2 = ((lo32 & 0xF) | (((h >> 2) & 3) << 4)) - 32
                    q3 = ((lo0 >> 4) | (((h >> 4) & 3) << 4)) - 32
                    q4 = ((lo32 >> 4) | (((h >> 6) & 3) << 4)) - 32
                    out[l] = d * f32(sc[8 * n + i]) * f32(q1)
                    out[l + 32] = d * f32(sc[8 * n + i + 2]) * f32(q2)
                    out[l + 64] = d * f32(sc[8 * n + i + 4]) * f32(q3)
                    out[l + 96] = d * f32(sc[8 * n + i + 6]) * f32(q4)
                y += out
    else:
        raise ValueError(qtype)
    assert len(y) == count
    return np.array(y, dtype=np.float32)


def random_k_blocks(qtype: T, rows: int, columns: int) -> np.ndarray:
    """Random Q4_K / Q6_K blocks whose f16 scales are small and finite."""
    size = {T.Q4_K: 144, T.Q6_K: 210}[qtype]
    blocks = rng.integers(0, 256, size=(rows, columns // 256, size), dtype=np.uint8)
    scale = lambda: np.frombuffer(np.float16(rng.uniform(-0.01, 0.01)).tobytes(), dtype=np.uint8)
    for r in range(rows):
        for b in range(columns // 256):
            if qtype == T.Q4_K:
                blocks[r, b, 0:2], blocks[r, b, 2:4] = scale(), scale()
            else:
                blocks[r, b, 208:210] = scale()
    return blocks.reshape(rows, -1)


def main():
    os.makedirs(OUT, exist_ok=True)
    writer = GGUFWriter(os.path.join(OUT, "tiny.gguf"), arch="llama")
    writer.add_custom_alignment(64)
    # One key per value type.
    writer.add_uint8("test.uint8", 200)
    writer.add_int8("test.int8", -100)
    writer.add_uint16("test.uint16", 60000)
    writer.add_int16("test.int16", -30000)
    writer.add_uint32("test.uint32", 4_000_000_000)
    writer.add_int32("test.int32", -2_000_000_000)
    writer.add_float32("test.float32", 0.1)
    writer.add_bool("test.bool", True)
    writer.add_string("test.string", "naïve café 🙂")
    writer.add_uint64("test.uint64", 18_000_000_000_000_000_000)
    writer.add_int64("test.int64", -9_000_000_000_000_000_000)
    writer.add_float64("test.float64", 0.1)
    writer.add_array("test.array.int32", [1, -2, 3])
    writer.add_array("test.array.float32", [0.5, -1.25])
    writer.add_key_value("test.array.uint8", [1, 2, 255], gguf_value_type("ARRAY"), gguf_value_type("UINT8"))
    writer.add_array("test.array.string", ["a", "", "ü"])
    # What the Llama model and the tokenizer read.
    writer.add_block_count(2)
    writer.add_context_length(64)
    writer.add_embedding_length(32)
    writer.add_feed_forward_length(48)
    writer.add_head_count(4)
    writer.add_head_count_kv(2)
    writer.add_rope_freq_base(500000.0)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_rope_dimension_count(8)
    writer.add_vocab_size(5)
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("smollm")
    writer.add_token_list(["<s>", "</s>", "a", "b", "ab"])
    writer.add_token_types([3, 3, 1, 1, 1])
    writer.add_token_merges(["a b"])
    writer.add_bos_token_id(0)
    writer.add_eos_token_id(1)
    writer.add_pad_token_id(1)
    writer.add_add_bos_token(False)
    writer.add_chat_template("{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}")

    expected = {}
    values = lambda shape: rng.standard_normal(shape).astype(np.float32)

    x = values((2, 3, 4))
    writer.add_tensor("f32.rank3", x)
    expected["f32.rank3"] = x
    x = values((5,))
    writer.add_tensor("f32.rank1", x)
    expected["f32.rank1"] = x
    x = np.concatenate([values((1, 13)), np.array([[-0.0, 6e-8, 65504, -2.0 ** -14, np.inf]], dtype=np.float32).reshape(1, 5)], axis=1)
    x = x.reshape(3, 6).astype(np.float16)
    writer.add_tensor("f16", x)
    expected["f16"] = x.astype(np.float32)
    for name, qtype, shape in [
        ("bf16", T.BF16, (2, 16)), ("q8_0", T.Q8_0, (3, 64)), ("q4_0", T.Q4_0, (2, 64)), ("q4_1", T.Q4_1, (2, 96)),
    ]:
        blocks = quants.quantize(values(shape), qtype)
        writer.add_tensor(name, blocks, raw_dtype=qtype)
        package = quants.dequantize(blocks, qtype)
        if qtype != T.BF16:
            formula = reference_dequantize(blocks.tobytes(), qtype, package.size).reshape(shape)
            assert package.tobytes() == formula.tobytes(), name
        expected[name] = package
    for name, qtype, shape in [("q4_k", T.Q4_K, (2, 256)), ("q6_k", T.Q6_K, (2, 512)), ("q4_k.rank3", T.Q4_K, (2, 1, 256))]:
        blocks = random_k_blocks(qtype, shape[0] * (shape[1] if len(shape) == 3 else 1), shape[-1])
        blocks = blocks.reshape(*shape[:-1], -1)
        writer.add_tensor(name, blocks, raw_dtype=qtype)
        package = quants.dequantize(blocks, qtype)
        formula = reference_dequantize(blocks.tobytes(), qtype, package.size).reshape(shape)
        assert package.tobytes() == formula.tobytes(), name
        expected[name] = package

    # convert_hf_to_gguf.py's LlamaModel.permute, which the Swift reader undoes.
    def permute(weights, n_head, n_head_kv):
        if n_head_kv is not None and n_head != n_head_kv:
            n_head = n_head_kv
        return weights.reshape(n_head, 2, weights.shape[0] // n_head // 2, *weights.shape[1:]).swapaxes(1, 2).reshape(weights.shape)

    rows = np.arange(36, dtype=np.float32).reshape(12, 3)
    expected["permute.input"] = rows
    expected["permute.q"] = permute(rows, 2, 2)  # 2 heads of 6 rows
    expected["permute.k"] = permute(rows, 4, 3)  # 3 key-value heads of 4 rows
    expected["permute.bias"] = permute(np.arange(12, dtype=np.float32), 6, 6)

    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    save_file({k: np.ascontiguousarray(v, dtype=np.float32) for k, v in expected.items()},
              os.path.join(OUT, "tiny_expected.safetensors"))
    for name, v in expected.items():
        print(f"{name:12s} {str(list(v.shape)):14s} first {v.reshape(-1)[:3]}")
    print("sizes:", {f: os.path.getsize(os.path.join(OUT, f)) for f in sorted(os.listdir(OUT))})


def gguf_value_type(name):
    from gguf import GGUFValueType
    return GGUFValueType[name]


if __name__ == "__main__":
    main()
