import LetheTensor

/// llama.cpp stores the query and key projections of Llama-family models with their rows
/// permuted: convert_hf_to_gguf.py's `LlamaModel.permute(weights, n_head, n_head_kv)` turns
/// Hugging Face's rotate-half rotary layout (dimension i paired with i + d/2) into ggml's
/// interleaved one (2i paired with 2i + 1). With `heads = n_head_kv` when it is given and
/// differs from `n_head`, else `n_head`, and `d = rows / heads`:
///
///     gguf[h*d + 2i + p] = hf[h*d + p*(d/2) + i]     h < heads, i < d/2, p ∈ {0, 1}
///
/// (numpy: `w.reshape(heads, 2, d/2, ...).swapaxes(1, 2).reshape(w.shape)`). It is applied to
/// `q_proj.weight` / `q_proj.bias` with `(n_head, n_head)` and to `k_proj.weight` /
/// `k_proj.bias` with `(n_head, n_head_kv)`; GGUF `blk.N.attn_q.weight` / `attn_k.weight`
/// hold the result. Qwen2 and other families converted without it need no undoing.
public enum GGUFLlamaPermutation {
    /// The Hugging Face layout of a GGUF `attn_q` / `attn_k` tensor (weight `[rows, columns]` or
    /// bias `[rows]`): the inverse of `permute(weights, headCount, headCountKV)`. Call it with
    /// `(n_head, n_head)` for queries and `(n_head, n_head_kv)` for keys, as the converter did.
    /// - Throws: `TensorError.invalidShape` when the rows are not `heads` blocks of an even size.
    public static func undo(_ tensor: Tensor, headCount: Int, headCountKV: Int?) throws -> Tensor {
        try rearrange(tensor, headCount: headCount, headCountKV: headCountKV, undo: true)
    }

    /// `permute` itself (Hugging Face to GGUF layout), for writing GGUF files and for tests.
    public static func apply(_ tensor: Tensor, headCount: Int, headCountKV: Int?) throws -> Tensor {
        try rearrange(tensor, headCount: headCount, headCountKV: headCountKV, undo: false)
    }

    private static func rearrange(_ tensor: Tensor, headCount: Int, headCountKV: Int?, undo: Bool) throws -> Tensor {
        let heads = headCountKV ?? headCount  // the converter's rule: n_head_kv when it differs
        let rows = tensor.shape.first ?? 0
        guard tensor.rank == 1 || tensor.rank == 2, heads > 0, rows % heads == 0, (rows / heads) % 2 == 0 else {
            throw TensorError.invalidShape(
                op: "GGUFLlamaPermutation", shape: tensor.shape, reason: "rows must be \(heads) heads of an even size (rank 1 or 2)")
        }
        let source = tensor.dtype == .float32 ? tensor : tensor.converted(to: .float32)
        let width = tensor.rank == 2 ? tensor.shape[1] : 1
        let d = rows / heads, half = d / 2
        let result = Tensor(zeros: tensor.shape)
        let input = source.floatPointer, output = result.floatPointer
        for h in 0..<heads {
            for i in 0..<half {
                for p in 0..<2 {
                    let ggufRow = h * d + 2 * i + p, hfRow = h * d + p * half + i
                    let (from, to) = undo ? (ggufRow, hfRow) : (hfRow, ggufRow)
                    (output + to * width).update(from: input + from * width, count: width)
                }
            }
        }
        return result
    }
}
