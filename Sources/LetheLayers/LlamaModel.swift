import LetheTensor

/// The Llama family exactly as Hugging Face's `LlamaForCausalLM` (Touvron et al. 2023), which
/// also covers SmolLM/SmolLM2, `Qwen2ForCausalLM` (q/k/v biases) and `MistralForCausalLM`
/// (full attention), with the optional `*ForSequenceClassification` head:
///
///     x = embed_tokens[ids]                                              [B, T, C]
///     for each layer:  h = rmsNorm(x, input_layernorm)
///                      q, k, v = rope(h Wqᵀ), rope(h Wkᵀ), h Wvᵀ          [B, H|Hkv, T, D]
///                      x = x + o_proj(causalAttention(q, k, v))          grouped queries, 1/√D
///                      h = rmsNorm(x, post_attention_layernorm)
///                      x = x + down_proj(silu(gate_proj(h)) ⊙ up_proj(h))  SwiGLU
///     logits = rmsNorm(x, norm) Wₒᵤₜᵀ     Wₒᵤₜ = lm_head.weight, or embed_tokens.weight when tied
///
/// Parameters live in one flat buffer named by Hugging Face's keys (`model.embed_tokens.weight`,
/// `model.layers.0.self_attn.q_proj.weight`, ..., `model.norm.weight`, `lm_head.weight` when
/// untied, `score.weight` [labels, C] for the classifier). Linear maps are `nn.Linear` ([out, in]).
/// Positions come from `batch.positions` (left padding), else 0 ..< T after the cached tokens.
/// As `nn.Embedding(padding_idx=pad_token_id)`, the embedding row of the pad id gets no
/// gradient through the lookup. Reference: transformers/models/llama/modeling_llama.py.
public final class LlamaModel: CausalLanguageModel {
    public let configuration: LlamaConfiguration
    public let head: ModelHead
    public let parameters: NamedTensors
    /// Training mode when set: attention dropout (`attention_dropout`) and LoRA dropout draw from it.
    public var dropout: RandomGenerator?
    /// Linear maps by Hugging Face prefix (`model.layers.0.self_attn.q_proj`); LoRA wraps them.
    public var linears: [String: any LinearMap]
    /// Reads or changes each layer's attention head outputs in the forward pass (nil: none).
    public var headOutputHook: HeadOutputHook?
    /// inv_freq [D/2] of the rotary embedding.
    public let inverseFrequencies: [Double]

    public var family: String { "llama" }

    public var dimensions: ModelDimensions {
        let c = configuration
        return ModelDimensions(
            vocabularySize: c.vocabularySize, contextLength: c.contextLength, embeddingSize: c.embeddingSize,
            layerCount: c.layerCount, headCount: c.headCount, keyValueHeadCount: c.keyValueHeadCount, headSize: c.headSize,
            mlpSize: c.mlpSize, endOfTextID: c.endOfTextIDs.first ?? c.padTokenID ?? 0, padTokenID: c.padTokenID,
            labelCount: c.labelCount)
    }

    /// The linear maps of layer `l`, by role.
    static func linearPrefixes(layer l: Int) -> [(prefix: String, bias: (LlamaConfiguration) -> Bool)] {
        let p = "model.layers.\(l)."
        return [
            (p + "self_attn.q_proj", \.queryKeyValueBias), (p + "self_attn.k_proj", \.queryKeyValueBias),
            (p + "self_attn.v_proj", \.queryKeyValueBias), (p + "self_attn.o_proj", \.outputProjectionBias),
            (p + "mlp.gate_proj", \.hasMLPBias), (p + "mlp.up_proj", \.hasMLPBias), (p + "mlp.down_proj", \.hasMLPBias),
        ]
    }

    /// Parameter names and shapes in Hugging Face's state-dict order.
    public static func parameterShapes(_ c: LlamaConfiguration, head: ModelHead = .languageModel) -> [(name: String, shape: [Int])] {
        let (C, M, D) = (c.embeddingSize, c.mlpSize, c.headSize)
        let (queries, keyValues) = (c.headCount * D, c.keyValueHeadCount * D)
        var shapes: [(String, [Int])] = [("model.embed_tokens.weight", [c.vocabularySize, C])]
        for l in 0..<c.layerCount {
            let sizes = [[queries, C], [keyValues, C], [keyValues, C], [C, queries], [M, C], [M, C], [C, M]]
            for ((prefix, bias), size) in zip(linearPrefixes(layer: l), sizes) {
                shapes.append((prefix + ".weight", size))
                if bias(c) { shapes.append((prefix + ".bias", [size[0]])) }
            }
            shapes += [("model.layers.\(l).input_layernorm.weight", [C]), ("model.layers.\(l).post_attention_layernorm.weight", [C])]
        }
        shapes.append(("model.norm.weight", [C]))
        if head == .sequenceClassification {
            shapes.append(("score.weight", [c.labelCount, C]))
        } else if !c.tiedEmbeddings {
            shapes.append(("lm_head.weight", [c.vocabularySize, C]))
        }
        return shapes
    }

    /// A model with Hugging Face's initialisation: linear weights and embeddings
    /// N(0, initializer_range²), zero biases, unit RMSNorm gains, the pad id's embedding row zero.
    public init(configuration: LlamaConfiguration, head: ModelHead = .languageModel, rng: inout RandomGenerator) throws {
        try configuration.validate()
        self.configuration = configuration
        self.head = head
        parameters = try NamedTensors(shapes: Self.parameterShapes(configuration, head: head))
        inverseFrequencies = configuration.rope.inverseFrequencies(headSize: configuration.headSize)
        linears = [:]
        let std = configuration.initializerRange
        for (name, tensor) in zip(parameters.names, parameters.tensors) {
            if name.hasSuffix(".bias") {
                tensor.zero()
            } else if name.hasSuffix("norm.weight") {
                tensor.fill(1)
            } else {
                tensor.fill { std * rng.nextNormal() }
            }
        }
        if let pad = configuration.padTokenID {
            let C = configuration.embeddingSize
            (try tensor("model.embed_tokens.weight").floatPointer + pad * C).update(repeating: 0, count: C)
        }
        for l in 0..<configuration.layerCount {
            for (prefix, bias) in Self.linearPrefixes(layer: l) {
                linears[prefix] = try Linear(weight: tensor(prefix + ".weight"), bias: bias(configuration) ? tensor(prefix + ".bias") : nil)
            }
        }
        parameters.markTrainable()
    }

    /// Final hidden states after `model.norm`, [B, T, C]. With a `cache`, the batch continues
    /// the cached sequences (attention also sees the cached keys; no gradient is recorded).
    public func hiddenStates(_ batch: TokenBatch, cache: KeyValueCache?) throws -> Tensor {
        try residualStream(batch, afterLayer: nil, cache: cache).rmsNorm(weight: tensor("model.norm.weight"), epsilon: configuration.rmsNormEpsilon)
    }

    /// The residual stream [B, T, C] after decoder layer `layer` (0-based; all layers when nil),
    /// before the final norm: `output_hidden_states[layer + 1]` of transformers.
    public func residualStream(_ batch: TokenBatch, afterLayer layer: Int?, cache: KeyValueCache?) throws -> Tensor {
        let c = configuration
        if let layer, !(0..<c.layerCount).contains(layer) || cache != nil {
            throw LayerError.invalidInput(
                reason: "layer \(layer) is outside 0..<\(c.layerCount) (num_hidden_layers), or combined with a cache")
        }
        let (B, T, H, Hkv, D) = (batch.batchSize, batch.length, c.headCount, c.keyValueHeadCount, c.headSize)
        let start = cache?.length ?? 0
        guard start + T <= c.contextLength else {
            throw LayerError.invalidInput(reason: "sequence length \(start + T) exceeds the context of \(c.contextLength) (max_position_embeddings)")
        }
        let positions = batch.positions ?? (0..<B).flatMap { _ in start..<(start + T) }
        let (cos, sin) = try Tensor.rotaryTables(positions: positions, batchSize: B, length: T, inverseFrequencies: inverseFrequencies)
        var x = try embed(batch.ids, B, T)
        let mask = try batch.attentionMask.map { try Tensor($0.map(Float.init), shape: [B, T]) }
        for l in 0..<c.layerCount {
            let p = "model.layers.\(l)."
            let h = try x.rmsNorm(weight: tensor(p + "input_layernorm.weight"), epsilon: c.rmsNormEpsilon)
            let q = try linear(p + "self_attn.q_proj", h).reshaped([B, T, H, D]).rotated(cos: cos, sin: sin).permuted([0, 2, 1, 3])
            let k = try linear(p + "self_attn.k_proj", h).reshaped([B, T, Hkv, D]).rotated(cos: cos, sin: sin).permuted([0, 2, 1, 3])
            let v = try linear(p + "self_attn.v_proj", h).reshaped([B, T, Hkv, D]).permuted([0, 2, 1, 3])
            let attended =
                try cache?.attend(layer: l, query: q, key: k, value: v, newMask: batch.attentionMask)
                ?? attention(q, k, v, mask)  // [B, H, T, D]
            var merged = try attended.permuted([0, 2, 1, 3]).reshaped([B, T, H * D])
            if let hook = headOutputHook { merged = try hook(l, merged) }
            x = try x + linear(p + "self_attn.o_proj", merged)
            let g = try x.rmsNorm(weight: tensor(p + "post_attention_layernorm.weight"), epsilon: c.rmsNormEpsilon)
            let inner = try linear(p + "mlp.gate_proj", g).silu() * linear(p + "mlp.up_proj", g)
            x = try x + linear(p + "mlp.down_proj", inner)
            if l == layer { return x }
        }
        cache?.advance(by: T)
        return x
    }

    /// logits = h Wₒᵤₜᵀ, [..., C] → [..., V], with `lm_head.weight` or the tied embedding.
    public func languageModelHead(_ hidden: Tensor) throws -> Tensor {
        if let untied = parameters["lm_head.weight"] { return try hidden.matmul(untied, transposeB: true) }
        guard configuration.tiedEmbeddings else {
            throw LayerError.invalidInput(reason: "this classifier has no lm_head.weight (tie_word_embeddings is false)")
        }
        return try hidden.matmul(tensor("model.embed_tokens.weight"), transposeB: true)
    }

    /// The embedding lookup [B, T, C]; rows of the pad id are looked up without a gradient path
    /// (`nn.Embedding`'s `padding_idx`).
    private func embed(_ ids: [Int], _ B: Int, _ T: Int) throws -> Tensor {
        let table = try tensor("model.embed_tokens.weight")
        let x = try table.indexSelect(ids, indexShape: [B, T])
        guard let pad = configuration.padTokenID, ids.contains(pad), x.tracksGradient else { return x }
        let keep = try Tensor(ids.map { $0 == pad ? Float(0) : 1 }, shape: [B, T, 1])
        return try x * keep + table.detached().indexSelect(ids, indexShape: [B, T]) * (1 - keep)
    }

    private func linear(_ prefix: String, _ x: Tensor) throws -> Tensor {
        guard let map = linears[prefix] else { throw LayerError.invalidInput(reason: "no linear map \(prefix)") }
        return try map(x, dropout: &dropout)
    }

    /// Fused causal attention with grouped queries, with attention-probability dropout in training mode.
    private func attention(_ q: Tensor, _ k: Tensor, _ v: Tensor, _ mask: Tensor?) throws -> Tensor {
        guard configuration.attentionDropout > 0, var rng = dropout else {
            return try Tensor.causalSelfAttention(query: q, key: k, value: v, keyPaddingMask: mask)
        }
        defer { dropout = rng }
        return try Tensor.causalSelfAttention(
            query: q, key: k, value: v, keyPaddingMask: mask, dropout: configuration.attentionDropout, rng: &rng)
    }
}
