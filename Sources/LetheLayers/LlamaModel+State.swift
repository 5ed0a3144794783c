import Foundation
import LetheTensor

extension LlamaModel {
    /// Copies a Hugging Face state dict into the model, strictly: every missing, unexpected
    /// and mis-shaped key is reported together in one `LayerError.stateMismatch`.
    ///
    /// Keys are Hugging Face's own (`model.layers.0.self_attn.q_proj.weight`). Old checkpoints'
    /// `*.rotary_emb.inv_freq` buffers are ignored; with tied embeddings `lm_head.weight` is
    /// accepted only when it equals `model.embed_tokens.weight`. Float64 values are converted.
    /// - Parameter source: named in errors (e.g. the file path).
    public func loadState(_ state: [String: Tensor], source: String) throws {
        var unexpected: [String] = []
        var lmHead: Tensor?
        var normalized: [String: Tensor] = [:]
        for (key, value) in state {
            if key.hasSuffix(".rotary_emb.inv_freq") { continue }
            if key == "lm_head.weight", parameters[key] == nil, configuration.tiedEmbeddings {
                lmHead = value
            } else if parameters[key] == nil {
                unexpected.append(key)
            } else {
                normalized[key] = value
            }
        }
        let tied = lmHead.map {
            [TiedTensor(key: "lm_head.weight", value: $0, equals: "model.embed_tokens.weight", reason: "tie_word_embeddings is true")]
        } ?? []
        try parameters.assignStrictly(normalized, unexpected: unexpected, tied: tied, source: source)
    }

    /// An independent copy with the same configuration, head and base weights (LoRA adapters
    /// are not copied). Frozen reference models for DPO, NPO and KL losses are copies.
    public func copy() throws -> any CausalLanguageModel { try copyLlama() }

    /// `copy()` with its concrete type.
    public func copyLlama() throws -> LlamaModel {
        var unused = RandomGenerator(seed: 0)
        let clone = try LlamaModel(configuration: configuration, head: head, rng: &unused)
        try clone.parameters.flat.assign(parameters.flat)
        return clone
    }

    /// `config.json` as sorted JSON text (Hugging Face's keys).
    public func configurationJSON() throws -> String { try sortedJSONText(configuration) }

    /// Parameter names are already Hugging Face's keys.
    public func huggingFaceKey(_ name: String) -> String { name }

    /// The state dict as `save_pretrained` writes it (no `lm_head.weight` when tied).
    public func huggingFaceState() -> [(name: String, tensor: Tensor)] {
        zip(parameters.names, parameters.tensors).map { ($0, $1) }
    }
}
