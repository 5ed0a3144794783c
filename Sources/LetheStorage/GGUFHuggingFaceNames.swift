import LetheTensor

/// The tensors of a Llama-family GGUF file under their Hugging Face names and layouts, as
/// transformers' GGUF loader gives them (`from_pretrained(..., gguf_file=...)`):
///
///     token_embd.weight          model.embed_tokens.weight
///     output_norm.weight         model.norm.weight
///     output.weight              lm_head.weight          (absent: tied to the embedding)
///     blk.N.attn_norm.weight     model.layers.N.input_layernorm.weight
///     blk.N.ffn_norm.weight      model.layers.N.post_attention_layernorm.weight
///     blk.N.attn_{q,k,v}.{weight,bias}  model.layers.N.self_attn.{q,k,v}_proj.{weight,bias}
///     blk.N.attn_output.weight   model.layers.N.self_attn.o_proj.weight
///     blk.N.ffn_{gate,up,down}.weight   model.layers.N.mlp.{gate,up,down}_proj.weight
///
/// For architecture `llama` (Llama, Mistral, SmolLM) the q and k rows are un-permuted
/// (`GGUFLlamaPermutation.undo`); `qwen2` files are stored unpermuted. Other tensors
/// (`rope_freqs.weight` of Llama-3 scaling) keep their GGUF names and are read with `tensor(_:)`.
extension GGUFFile {
    /// The architectures whose tensor names map to Hugging Face's Llama layout.
    public static let huggingFaceLlamaArchitectures = ["llama", "qwen2"]

    /// The Hugging Face name of a llama.cpp tensor name, or `nil` when it has none.
    public static func huggingFaceName(ofLlamaTensor name: String) -> String? {
        let fixed = [
            "token_embd.weight": "model.embed_tokens.weight", "output_norm.weight": "model.norm.weight",
            "output.weight": "lm_head.weight",
        ]
        if let mapped = fixed[name] { return mapped }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "blk", let layer = Int(parts[1]), layer >= 0 else { return nil }
        let blocks = [
            "attn_norm": "input_layernorm", "ffn_norm": "post_attention_layernorm", "attn_q": "self_attn.q_proj",
            "attn_k": "self_attn.k_proj", "attn_v": "self_attn.v_proj", "attn_output": "self_attn.o_proj",
            "ffn_gate": "mlp.gate_proj", "ffn_up": "mlp.up_proj", "ffn_down": "mlp.down_proj",
        ]
        guard let module = blocks[String(parts[2])], parts[3] == "weight" || parts[3] == "bias" else { return nil }
        return "model.layers.\(layer).\(module).\(parts[3])"
    }

    /// Hugging Face name → GGUF name for every tensor that has one.
    /// - Throws: `GGUFError.wrongType` when `general.architecture` is not in
    ///   `huggingFaceLlamaArchitectures`.
    public func huggingFaceLlamaNames() throws -> [String: String] {
        let arch = try architecture()
        guard Self.huggingFaceLlamaArchitectures.contains(arch) else {
            throw GGUFError.wrongType(
                path: path, key: "general.architecture",
                expected: "one of \(Self.huggingFaceLlamaArchitectures.joined(separator: ", "))", found: arch)
        }
        var names: [String: String] = [:]
        for info in tensorInfos {
            if let mapped = Self.huggingFaceName(ofLlamaTensor: info.name) { names[mapped] = info.name }
        }
        return names
    }

    /// The tensor with Hugging Face name `name`, float32 in Hugging Face layout (q / k rows
    /// un-permuted for `llama` files, with `{arch}.attention.head_count` and `head_count_kv`).
    /// - Throws: `GGUFError.missingTensor` naming `name`, or any error of `tensor(_:)`.
    public func huggingFaceLlamaTensor(_ name: String) throws -> Tensor {
        guard let ggufName = try huggingFaceLlamaNames()[name] else { throw GGUFError.missingTensor(path: path, tensor: name) }
        let tensor = try self.tensor(ggufName)
        guard try architecture() == "llama" else { return tensor }
        let isQuery = name.contains(".self_attn.q_proj."), isKey = name.contains(".self_attn.k_proj.")
        guard isQuery || isKey else { return tensor }
        let model = try modelHyperparameters()
        do {
            return try GGUFLlamaPermutation.undo(tensor, headCount: model.headCount, headCountKV: isKey ? model.headCountKV : model.headCount)
        } catch {
            throw GGUFError.malformed(
                path: path, field: "tensor \(ggufName)",
                reason: "shape \(tensor.shape) is not \(isKey ? model.headCountKV : model.headCount) heads of an even size")
        }
    }
}
