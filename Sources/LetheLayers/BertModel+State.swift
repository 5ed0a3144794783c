import LetheTensor

extension BertModel {
    /// The prefix `save_pretrained` puts on the backbone of a model with a head.
    public var backbonePrefix: String { head == .base ? "" : configuration.family.rawValue + "." }

    /// The Hugging Face class this model is (`BertForSequenceClassification`, `RobertaModel`, ...).
    public var architecture: String {
        let family = configuration.family == .bert ? "Bert" : "Roberta"
        switch head {
        case .base: return family + "Model"
        case .sequenceClassification: return family + "ForSequenceClassification"
        case .maskedLanguageModel: return family + "ForMaskedLM"
        }
    }

    /// Copies a Hugging Face state dict into the model, strictly: every missing, unexpected
    /// and mis-shaped key is reported together in one `LayerError.stateMismatch`.
    ///
    /// Accepted spellings: backbone keys with or without the `bert.` / `roberta.` prefix; the
    /// buffers `embeddings.position_ids` and `embeddings.token_type_ids` are ignored; the tied
    /// masked-LM decoder (`cls.predictions.decoder.*`, `lm_head.decoder.*`) is accepted only
    /// when it equals the word embeddings and the head's bias. Float64 values become float32.
    /// - Parameter source: named in errors (e.g. the file path).
    public func loadState(_ state: [String: Tensor], source: String) throws {
        let prefix = configuration.family.rawValue + "."
        var normalized: [String: Tensor] = [:]
        var unexpected: [String] = []
        var tied: [TiedTensor] = []
        let decoder = configuration.family == .bert ? "cls.predictions" : "lm_head"
        for (key, value) in state {
            let name = key.hasPrefix(prefix) ? String(key.dropFirst(prefix.count)) : key
            if name == "embeddings.position_ids" || name == "embeddings.token_type_ids" { continue }
            if head == .maskedLanguageModel, name == decoder + ".decoder.weight" {
                tied.append(TiedTensor(key: key, value: value, equals: "embeddings.word_embeddings.weight", reason: "Lethe's masked-LM head ties them"))
            } else if head == .maskedLanguageModel, name == decoder + ".decoder.bias" {
                tied.append(TiedTensor(key: key, value: value, equals: decoder + ".bias", reason: "Lethe's masked-LM head ties them"))
            } else if parameters[name] == nil {
                unexpected.append(key)
            } else {
                normalized[name] = value
            }
        }
        try parameters.assignStrictly(normalized, unexpected: unexpected, tied: tied, source: source)
    }

    /// Copies only the encoder (embeddings, layers, and the pooler when both have one) from a
    /// state dict of any BERT / RoBERTa class (`BertModel`, `BertForMaskedLM`,
    /// `BertForPreTraining`, another classifier), keeping this model's own head as initialised:
    /// the start of fine-tuning a pretrained encoder into a new classifier, as transformers'
    /// `from_pretrained` does with a new head. Strict on the encoder: a missing or mis-shaped
    /// encoder key throws `LayerError.stateMismatch`.
    /// - Returns: the keys of `state` left unused (the other model's head), sorted.
    public func loadEncoder(_ state: [String: Tensor], source: String) throws -> [String] {
        let prefix = configuration.family.rawValue + "."
        var encoder: [String: Tensor] = [:]
        var unused: [String] = []
        for (key, value) in state {
            let name = key.hasPrefix(prefix) ? String(key.dropFirst(prefix.count)) : key
            let isEncoder = name.hasPrefix("embeddings.") || name.hasPrefix("encoder.") || (hasPooler && name.hasPrefix("pooler."))
            if isEncoder { encoder[name] = value } else { unused.append(key) }
        }
        var completed = encoder
        for (name, tensor) in zip(parameters.names, parameters.tensors) where !Self.isEncoderKey(name) || (name.hasPrefix("pooler.") && encoder[name] == nil) {
            completed[name] = tensor.copy()  // the head (and a pooler the source lacks) stays as initialised
        }
        try loadState(completed, source: source)
        return unused.sorted()
    }

    private static func isEncoderKey(_ name: String) -> Bool {
        name.hasPrefix("embeddings.") || name.hasPrefix("encoder.") || name.hasPrefix("pooler.")
    }

    /// The state dict with Hugging Face's keys as `save_pretrained` writes them (the backbone
    /// under `bert.` / `roberta.` when the model has a head; the tied decoder left out).
    public func huggingFaceState() -> [(name: String, tensor: Tensor)] {
        zip(parameters.names, parameters.tensors).map { name, tensor in
            let isBackbone = name.hasPrefix("embeddings.") || name.hasPrefix("encoder.") || name.hasPrefix("pooler.")
            return (isBackbone ? backbonePrefix + name : name, tensor)
        }
    }

    public var classificationLabelCount: Int? { head == .sequenceClassification ? configuration.labelCount : nil }
    public var paddingTokenID: Int? { configuration.padTokenID }

    /// `bert` or `roberta` (the configuration's `model_type`).
    public var family: String { configuration.family.rawValue }

    /// `config.json` as sorted JSON text (checkpoints record and compare it).
    public func configurationJSON() throws -> String { try sortedJSONText(configuration) }

    /// An independent copy with the same configuration, head and parameter values (base
    /// weights only: LoRA adapters are not copied).
    public func copy() throws -> BertModel {
        var unused = RandomGenerator(seed: 0)
        let clone = try BertModel(configuration: configuration, head: head, rng: &unused)
        try clone.parameters.flat.assign(parameters.flat)
        return clone
    }
}
