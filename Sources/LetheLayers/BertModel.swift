import LetheTensor

/// BERT (Devlin et al. 2019) and RoBERTa (Liu et al. 2019) exactly as Hugging Face's
/// `BertModel` / `RobertaModel`, with the sequence-classification and masked-LM heads:
///
///     x = LayerNorm(word[ids] + position[p] + tokenType[types])            [B, T, C]
///     for each layer:  a = attention(x W_q, x W_k, x W_v)   bidirectional, padded keys hidden
///                      x = LayerNorm(x + a W_o)                               post-LayerNorm
///                      x = LayerNorm(x + gelu(x W_i) W_out)                   exact (erf) GELU
///     pooled = tanh(x[:, 0] W_p + b_p)                                        [B, C]
///
/// BERT's positions are 0..<T; RoBERTa's start after the padding id and skip padding
/// (`create_position_ids_from_input_ids`: p = padding_idx + cumsum(ids ≠ pad) on real
/// tokens, padding_idx on padding). Linear maps are `nn.Linear` ([out, in]). Parameters live in
/// one flat buffer named by Hugging Face's keys without the `bert.` / `roberta.` prefix
/// (`embeddings.word_embeddings.weight`, `encoder.layer.0.attention.self.query.weight`, ...,
/// plus the head's own keys). Dropout applies when `dropout` holds a generator.
/// References: transformers/models/bert/modeling_bert.py, roberta/modeling_roberta.py.
public final class BertModel: EncoderModel {
    /// Which Hugging Face class the model is: `BertModel` (backbone and pooler),
    /// `…ForSequenceClassification` or `…ForMaskedLM`.
    public enum Head: Sendable, Equatable { case base, sequenceClassification, maskedLanguageModel }

    public let configuration: BertConfiguration
    public let head: Head
    public let parameters: NamedTensors
    public var dropout: RandomGenerator?
    /// Linear maps in the layers, by Hugging Face prefix (`encoder.layer.0.attention.self.query`);
    /// LoRA replaces entries with adapted maps.
    public var linears: [String: any LinearMap]

    public var hiddenSize: Int { configuration.hiddenSize }
    public var labelCount: Int { configuration.labelCount }
    /// Whether the model has BERT's pooler (`pooler.dense`): `BertModel`, `RobertaModel` and
    /// `BertForSequenceClassification` do; the masked-LM models and RoBERTa's classifier do not.
    public var hasPooler: Bool { head == .base || (head == .sequenceClassification && configuration.family == .bert) }

    /// Parameter names and shapes in Hugging Face's state-dict order.
    public static func parameterShapes(_ c: BertConfiguration, head: Head) -> [(name: String, shape: [Int])] {
        let (C, M, V) = (c.hiddenSize, c.intermediateSize, c.vocabularySize)
        var shapes: [(String, [Int])] = [
            ("embeddings.word_embeddings.weight", [V, C]), ("embeddings.position_embeddings.weight", [c.maxPositions, C]),
            ("embeddings.token_type_embeddings.weight", [c.tokenTypeCount, C]),
            ("embeddings.LayerNorm.weight", [C]), ("embeddings.LayerNorm.bias", [C]),
        ]
        for l in 0..<c.layerCount {
            let p = "encoder.layer.\(l)."
            for name in ["query", "key", "value"] {
                shapes += [(p + "attention.self.\(name).weight", [C, C]), (p + "attention.self.\(name).bias", [C])]
            }
            shapes += [
                (p + "attention.output.dense.weight", [C, C]), (p + "attention.output.dense.bias", [C]),
                (p + "attention.output.LayerNorm.weight", [C]), (p + "attention.output.LayerNorm.bias", [C]),
                (p + "intermediate.dense.weight", [M, C]), (p + "intermediate.dense.bias", [M]),
                (p + "output.dense.weight", [C, M]), (p + "output.dense.bias", [C]),
                (p + "output.LayerNorm.weight", [C]), (p + "output.LayerNorm.bias", [C]),
            ]
        }
        if head == .base || (head == .sequenceClassification && c.family == .bert) {
            shapes += [("pooler.dense.weight", [C, C]), ("pooler.dense.bias", [C])]
        }
        switch (head, c.family) {
        case (.base, _): break
        case (.sequenceClassification, .bert):
            shapes += [("classifier.weight", [c.labelCount, C]), ("classifier.bias", [c.labelCount])]
        case (.sequenceClassification, .roberta):
            shapes += [
                ("classifier.dense.weight", [C, C]), ("classifier.dense.bias", [C]),
                ("classifier.out_proj.weight", [c.labelCount, C]), ("classifier.out_proj.bias", [c.labelCount]),
            ]
        case (.maskedLanguageModel, .bert):
            shapes += [
                ("cls.predictions.bias", [V]), ("cls.predictions.transform.dense.weight", [C, C]),
                ("cls.predictions.transform.dense.bias", [C]), ("cls.predictions.transform.LayerNorm.weight", [C]),
                ("cls.predictions.transform.LayerNorm.bias", [C]),
            ]
        case (.maskedLanguageModel, .roberta):
            shapes += [
                ("lm_head.bias", [V]), ("lm_head.dense.weight", [C, C]), ("lm_head.dense.bias", [C]),
                ("lm_head.layer_norm.weight", [C]), ("lm_head.layer_norm.bias", [C]),
            ]
        }
        return shapes
    }

    /// A model with Hugging Face's initialisation: N(0, 0.02) weights and embeddings (the
    /// padding rows zero), zero biases, unit LayerNorm gains.
    public init(configuration: BertConfiguration, head: Head = .base, rng: inout RandomGenerator) throws {
        try configuration.validate()
        self.configuration = configuration
        self.head = head
        parameters = try NamedTensors(shapes: Self.parameterShapes(configuration, head: head))
        linears = [:]
        for (name, tensor) in zip(parameters.names, parameters.tensors) {
            if name.hasSuffix(".bias") || name == "cls.predictions.bias" || name == "lm_head.bias" {
                tensor.zero()
            } else if name.contains("LayerNorm") || name.contains("layer_norm") {
                tensor.fill(1)
            } else {
                tensor.fill { 0.02 * rng.nextNormal() }
            }
        }
        let (C, pad) = (configuration.hiddenSize, configuration.padTokenID)
        (try tensor("embeddings.word_embeddings.weight").floatPointer + pad * C).update(repeating: 0, count: C)
        if configuration.family == .roberta, pad < configuration.maxPositions {
            (try tensor("embeddings.position_embeddings.weight").floatPointer + pad * C).update(repeating: 0, count: C)
        }
        for l in 0..<configuration.layerCount {
            for suffix in ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense", "intermediate.dense", "output.dense"] {
                let prefix = "encoder.layer.\(l).\(suffix)"
                linears[prefix] = try Linear(weight: tensor(prefix + ".weight"), bias: tensor(prefix + ".bias"))
            }
        }
        // The classification head's maps too, so LoRA can adapt the head of a new classifier.
        for prefix in Self.headMaps(configuration, head: head) {
            linears[prefix] = try Linear(weight: tensor(prefix + ".weight"), bias: tensor(prefix + ".bias"))
        }
        parameters.markTrainable()
    }

    /// The parameter named `name`.
    /// - Throws: `LayerError.invalidInput` for an unknown name.
    public func tensor(_ name: String) throws -> Tensor {
        guard let t = parameters[name] else { throw LayerError.invalidInput(reason: "this encoder has no parameter \(name)") }
        return t
    }

    /// Position ids [B·T]: 0..<T in each row for BERT (or `batch.positions`); for RoBERTa,
    /// padding_idx + the running count of non-padding ids, padding_idx on padding ids.
    public func positionIDs(_ batch: TokenBatch) -> [Int] {
        let (B, T, pad) = (batch.batchSize, batch.length, configuration.padTokenID)
        guard configuration.family == .roberta else { return batch.positions ?? (0..<B).flatMap { _ in 0..<T } }
        var positions = [Int](repeating: pad, count: B * T)
        for b in 0..<B {
            var count = 0
            for t in 0..<T where batch.ids[b * T + t] != pad {
                count += 1
                positions[b * T + t] = pad + count
            }
        }
        return positions
    }

    /// The last layer's hidden states [B, T, C].
    /// - Throws: when the sequence needs more positions than `max_position_embeddings`, or the
    ///   token types do not fit the batch or `type_vocab_size`.
    public func hiddenStates(_ batch: TokenBatch, tokenTypes: [Int]? = nil) throws -> Tensor {
        try layerOutputs(batch, tokenTypes: tokenTypes, keepAll: false)[0]
    }

    /// The embeddings' output and every layer's, L + 1 tensors [B, T, C] (transformers'
    /// `output_hidden_states`): the activations a per-layer probe reads.
    public func allHiddenStates(_ batch: TokenBatch, tokenTypes: [Int]? = nil) throws -> [Tensor] {
        try layerOutputs(batch, tokenTypes: tokenTypes, keepAll: true)
    }

    private func layerOutputs(_ batch: TokenBatch, tokenTypes: [Int]?, keepAll: Bool) throws -> [Tensor] {
        let c = configuration
        let (B, T, C, H) = (batch.batchSize, batch.length, c.hiddenSize, c.headCount)
        let positions = positionIDs(batch)
        if let last = positions.max(), last >= c.maxPositions {
            throw LayerError.invalidInput(
                reason: "sequence length \(T) needs position \(last), beyond max_position_embeddings \(c.maxPositions)")
        }
        let types = tokenTypes ?? [Int](repeating: 0, count: B * T)
        guard types.count == B * T, types.allSatisfy({ (0..<c.tokenTypeCount).contains($0) }) else {
            throw LayerError.invalidInput(
                reason: "token types need \(B * T) values in 0..<\(c.tokenTypeCount) (type_vocab_size), got \(types.count)")
        }
        var x = try tensor("embeddings.word_embeddings.weight").indexSelect(batch.ids, indexShape: [B, T])
            + tensor("embeddings.position_embeddings.weight").indexSelect(positions, indexShape: [B, T])
            + tensor("embeddings.token_type_embeddings.weight").indexSelect(types, indexShape: [B, T])
        x = try applyDropout(layerNorm(x, "embeddings.LayerNorm"), c.hiddenDropout)
        var outputs = keepAll ? [x] : []
        let mask = try batch.attentionMask.map { try Tensor($0.map(Float.init), shape: [B, T]) }
        for l in 0..<c.layerCount {
            let p = "encoder.layer.\(l)."
            func heads(_ name: String) throws -> Tensor {  // [B, H, T, D]
                try linear(p + "attention.self." + name, x).reshaped([B, T, H, C / H]).permuted([0, 2, 1, 3])
            }
            let attended = try attention(heads("query"), heads("key"), heads("value"), mask)
            let merged = try attended.permuted([0, 2, 1, 3]).reshaped([B, T, C])
            let projected = try applyDropout(linear(p + "attention.output.dense", merged), c.hiddenDropout)
            x = try layerNorm(x + projected, p + "attention.output.LayerNorm")
            let inner = try activate(linear(p + "intermediate.dense", x))
            let output = try applyDropout(linear(p + "output.dense", inner), c.hiddenDropout)
            x = try layerNorm(x + output, p + "output.LayerNorm")
            if keepAll { outputs.append(x) }
        }
        return keepAll ? outputs : [x]
    }

    /// The hidden state of each row's first token ([CLS] or <s>), [B, C].
    func firstToken(_ hidden: Tensor) throws -> Tensor {
        try hidden.slice(axis: 1, 0..<1).reshaped([hidden.shape[0], hidden.shape[2]])
    }

    func layerNorm(_ x: Tensor, _ prefix: String) throws -> Tensor {
        try x.layerNorm(weight: tensor(prefix + ".weight"), bias: tensor(prefix + ".bias"), epsilon: configuration.layerNormEpsilon)
    }

    /// `hidden_act`: the exact GELU for `gelu`, the tanh approximation otherwise.
    func activate(_ x: Tensor) -> Tensor { configuration.activation == "gelu" ? x.geluExact() : x.gelu() }

    /// x Wᵀ + b for a head's `nn.Linear` stored as `<prefix>.weight` / `<prefix>.bias`.
    func dense(_ prefix: String, _ x: Tensor) throws -> Tensor {
        try x.matmul(tensor(prefix + ".weight"), transposeB: true) + tensor(prefix + ".bias")
    }

    /// The linear maps of the sequence-classification head (BERT: `classifier`; RoBERTa:
    /// `classifier.dense`, `classifier.out_proj`); none for other heads.
    public static func headMaps(_ c: BertConfiguration, head: Head) -> [String] {
        guard head == .sequenceClassification else { return [] }
        return c.family == .bert ? ["classifier"] : ["classifier.dense", "classifier.out_proj"]
    }

    func linear(_ prefix: String, _ x: Tensor) throws -> Tensor {
        guard let map = linears[prefix] else { throw LayerError.invalidInput(reason: "no linear map \(prefix)") }
        return try map(x, dropout: &dropout)
    }

    /// Bidirectional attention over the real keys, with attention-probability dropout in training mode.
    private func attention(_ q: Tensor, _ k: Tensor, _ v: Tensor, _ mask: Tensor?) throws -> Tensor {
        guard configuration.attentionDropout > 0, var rng = dropout else {
            return try Tensor.bidirectionalSelfAttention(query: q, key: k, value: v, keyPaddingMask: mask)
        }
        defer { dropout = rng }
        return try Tensor.selfAttention(
            query: q, key: k, value: v, keyPaddingMask: mask, causal: false, dropout: configuration.attentionDropout, rng: &rng)
    }

    func applyDropout(_ x: Tensor, _ probability: Double) throws -> Tensor {
        guard probability > 0, var rng = dropout else { return x }
        defer { dropout = rng }
        return try x.dropout(probability: probability, using: &rng)
    }
}
