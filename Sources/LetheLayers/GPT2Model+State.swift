import Foundation
import LetheTensor

extension GPT2Model {
    /// Copies a Hugging Face state dict into the model, strictly: every missing, unexpected
    /// and mis-shaped key is reported together in one `LayerError.stateMismatch`.
    ///
    /// Accepted spellings: keys with or without the `transformer.` prefix (the hub's `gpt2`
    /// has none, `save_pretrained` writes it); the causal-mask buffers `*.attn.bias` and
    /// `*.attn.masked_bias` are ignored; `lm_head.weight` is accepted only when it equals
    /// `wte.weight` (GPT-2 ties them). Float64 values are converted to float32.
    /// - Parameter source: named in errors (e.g. the file path).
    public func loadState(_ state: [String: Tensor], source: String) throws {
        var normalized: [String: Tensor] = [:]
        var unexpected: [String] = []
        var lmHead: Tensor?
        for (key, value) in state {
            let name = key.hasPrefix("transformer.") ? String(key.dropFirst("transformer.".count)) : key
            if name.hasSuffix(".attn.bias") || name.hasSuffix(".attn.masked_bias") { continue }
            if name == "lm_head.weight" {
                lmHead = value
                continue
            }
            if parameters[name] == nil { unexpected.append(key) } else { normalized[name] = value }
        }
        let tied = lmHead.map { [TiedTensor(key: "lm_head.weight", value: $0, equals: "wte.weight", reason: "Lethe's GPT-2 ties them")] } ?? []
        try parameters.assignStrictly(normalized, unexpected: unexpected, tied: tied, source: source)
    }

    /// An independent copy with the same configuration, head and parameter values (base
    /// weights only: LoRA adapters are not copied, so a copy of a freshly adapted model is the
    /// base model). Frozen reference models for DPO, NPO and KL losses are copies.
    public func copy() throws -> any CausalLanguageModel { try copyGPT2() }

    /// `copy()` with its concrete type.
    public func copyGPT2() throws -> GPT2Model {
        var unused = RandomGenerator(seed: 0)
        let clone = try GPT2Model(configuration: configuration, head: head, rng: &unused)
        try clone.parameters.flat.assign(parameters.flat)
        return clone
    }

    /// `config.json` as sorted JSON text (Hugging Face's keys).
    public func configurationJSON() throws -> String { try sortedJSONText(configuration) }

    /// `transformer.` + name, except the classifier head `score.weight`.
    public func huggingFaceKey(_ name: String) -> String {
        name.hasPrefix("score.") ? name : "transformer." + name
    }

    /// The state dict with Hugging Face's keys as `save_pretrained` writes them
    /// (`transformer.` prefix on the backbone, `score.weight` for the classifier head).
    public func huggingFaceState() -> [(name: String, tensor: Tensor)] {
        zip(parameters.names, parameters.tensors).map { name, tensor in (huggingFaceKey(name), tensor) }
    }
}
