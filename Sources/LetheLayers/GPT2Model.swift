import LetheTensor

/// GPT-2 exactly as Hugging Face's `GPT2LMHeadModel` (Radford et al. 2019), with the
/// optional `GPT2ForSequenceClassification` head:
///
///     x = wte[ids] + wpe[positions]                                   [B, T, C]
///     for each block:  x = x + c_proj(attn(ln_1(x)))                  pre-LayerNorm
///                      x = x + mlp.c_proj(gelu_new(mlp.c_fc(ln_2(x))))
///     h = ln_f(x);   logits = h wteᵀ (tied)                            [B, T, V]
///
/// Conv1D weights are stored [in, out] as in Hugging Face, so each linear map is
/// `x W + b`. Parameters live in one flat buffer (`parameters`), named by Hugging Face's keys
/// (`wte.weight`, `h.0.attn.c_attn.weight`, ..., `ln_f.bias`, and `score.weight` [labels, C]
/// for the classifier). Dropout applies when `dropout` holds a generator (training mode).
/// Reference: transformers/models/gpt2/modeling_gpt2.py.
public final class GPT2Model: CausalLanguageModel {
    public typealias Head = ModelHead

    public let configuration: GPT2Configuration
    public let head: Head
    public let parameters: NamedTensors
    /// Training mode when set: embedding, attention and residual dropout (`embd_pdrop`,
    /// `attn_pdrop`, `resid_pdrop`) draw their masks from it, in the order of the forward pass.
    public var dropout: RandomGenerator?
    /// Linear maps in the blocks, by Hugging Face prefix (`h.0.attn.c_attn`); LoRA replaces
    /// entries with adapted maps.
    public var linears: [String: any LinearMap]
    /// Reads or changes each layer's attention head outputs in the forward pass (nil: none).
    public var headOutputHook: HeadOutputHook?
    private let blocks: [BlockNames]

    public var family: String { "gpt2" }

    public var dimensions: ModelDimensions {
        let c = configuration
        return ModelDimensions(
            vocabularySize: c.vocabularySize, contextLength: c.contextLength, embeddingSize: c.embeddingSize,
            layerCount: c.layerCount, headCount: c.headCount, keyValueHeadCount: c.headCount, headSize: c.headSize,
            mlpSize: c.mlpSize, endOfTextID: c.endOfTextID, padTokenID: c.padTokenID, labelCount: c.labelCount)
    }

    private struct BlockNames {
        let ln1: String, attention: String, attentionProjection: String
        let ln2: String, fc: String, mlpProjection: String
    }

    /// Parameter names and shapes in Hugging Face's state-dict order.
    public static func parameterShapes(_ c: GPT2Configuration, head: Head = .languageModel) -> [(name: String, shape: [Int])] {
        let (C, M) = (c.embeddingSize, c.mlpSize)
        var shapes: [(String, [Int])] = [("wte.weight", [c.vocabularySize, C]), ("wpe.weight", [c.contextLength, C])]
        for l in 0..<c.layerCount {
            let p = "h.\(l)."
            shapes += [
                (p + "ln_1.weight", [C]), (p + "ln_1.bias", [C]),
                (p + "attn.c_attn.weight", [C, 3 * C]), (p + "attn.c_attn.bias", [3 * C]),
                (p + "attn.c_proj.weight", [C, C]), (p + "attn.c_proj.bias", [C]),
                (p + "ln_2.weight", [C]), (p + "ln_2.bias", [C]),
                (p + "mlp.c_fc.weight", [C, M]), (p + "mlp.c_fc.bias", [M]),
                (p + "mlp.c_proj.weight", [M, C]), (p + "mlp.c_proj.bias", [C]),
            ]
        }
        shapes += [("ln_f.weight", [C]), ("ln_f.bias", [C])]
        if head == .sequenceClassification { shapes.append(("score.weight", [c.labelCount, C])) }
        return shapes
    }

    /// A model with Hugging Face's initialisation: N(0, 0.02) weights and embeddings, the
    /// residual projections (`c_proj`) N(0, 0.02/√(2L)), zero biases, unit LayerNorm gains.
    public init(configuration: GPT2Configuration, head: Head = .languageModel, rng: inout RandomGenerator) throws {
        try configuration.validate()
        self.configuration = configuration
        self.head = head
        parameters = try NamedTensors(shapes: Self.parameterShapes(configuration, head: head))
        blocks = (0..<configuration.layerCount).map { l in
            BlockNames(
                ln1: "h.\(l).ln_1", attention: "h.\(l).attn.c_attn", attentionProjection: "h.\(l).attn.c_proj",
                ln2: "h.\(l).ln_2", fc: "h.\(l).mlp.c_fc", mlpProjection: "h.\(l).mlp.c_proj")
        }
        linears = [:]
        let projectionStd = 0.02 / (2 * Double(configuration.layerCount)).squareRoot()
        for (name, tensor) in zip(parameters.names, parameters.tensors) {
            if name.hasSuffix(".bias") {
                tensor.zero()
            } else if name.contains("ln_") {
                tensor.fill(1)
            } else {
                let std = name.hasSuffix("c_proj.weight") ? projectionStd : 0.02
                tensor.fill { std * rng.nextNormal() }
            }
        }
        for block in blocks {
            for prefix in [block.attention, block.attentionProjection, block.fc, block.mlpProjection] {
                linears[prefix] = try Conv1D(weight: tensor(prefix + ".weight"), bias: tensor(prefix + ".bias"))
            }
        }
        parameters.markTrainable()
    }

    /// Final hidden states after `ln_f`, [B, T, C]. With a `cache`, the batch continues the
    /// cached sequences (attention also sees the cached keys; no gradient is recorded).
    public func hiddenStates(_ batch: TokenBatch, cache: KeyValueCache?) throws -> Tensor {
        try layerNorm(residualStream(batch, afterLayer: nil, cache: cache), "ln_f")
    }

    /// The residual stream [B, T, C] after block `layer` (0-based; all blocks when nil),
    /// before the final LayerNorm: the activations RMU steers (the output of decoder layer ℓ).
    public func residualStream(_ batch: TokenBatch, afterLayer layer: Int?, cache: KeyValueCache?) throws -> Tensor {
        if let layer, !(0..<configuration.layerCount).contains(layer) || cache != nil {
            throw LayerError.invalidInput(
                reason: "layer \(layer) is outside 0..<\(configuration.layerCount) (n_layer), or combined with a cache")
        }
        let c = configuration
        let (B, T, C, H) = (batch.batchSize, batch.length, c.embeddingSize, c.headCount)
        guard T <= c.contextLength else {
            throw LayerError.invalidInput(reason: "sequence length \(T) exceeds the context of \(c.contextLength) (n_positions)")
        }
        let positions = batch.positions ?? (0..<B).flatMap { _ in 0..<T }
        var x = try tensor("wte.weight").indexSelect(batch.ids, indexShape: [B, T])
            + tensor("wpe.weight").indexSelect(positions, indexShape: [B, T])
        x = try applyDropout(x, c.embeddingDropout)
        let mask = try batch.attentionMask.map { try Tensor($0.map(Float.init), shape: [B, T]) }
        for (index, block) in blocks.enumerated() {
            let h = try layerNorm(x, block.ln1)
            let qkv = try linear(block.attention, h)  // [B, T, 3C]
            let heads = try qkv.reshaped([B, T, 3, H, C / H]).permuted([2, 0, 3, 1, 4])  // [3, B, H, T, D]
            let (q, k, v) = try (
                heads.slice(axis: 0, 0..<1).reshaped([B, H, T, C / H]),
                heads.slice(axis: 0, 1..<2).reshaped([B, H, T, C / H]),
                heads.slice(axis: 0, 2..<3).reshaped([B, H, T, C / H])
            )
            let attended =
                try cache?.attend(layer: index, query: q, key: k, value: v, newMask: batch.attentionMask)
                ?? attention(q, k, v, mask)
            var merged = try attended.permuted([0, 2, 1, 3]).reshaped([B, T, C])
            if let hook = headOutputHook { merged = try hook(index, merged) }
            x = try x + applyDropout(linear(block.attentionProjection, merged), c.residualDropout)
            let inner = try linear(block.fc, layerNorm(x, block.ln2)).gelu()
            x = try x + applyDropout(linear(block.mlpProjection, inner), c.residualDropout)
            if index == layer { return x }
        }
        cache?.advance(by: T)
        return x
    }

    /// The tied head: logits = h wteᵀ, [..., C] → [..., V].
    public func languageModelHead(_ hidden: Tensor) throws -> Tensor {
        try hidden.matmul(tensor("wte.weight"), transposeB: true)
    }

    private func layerNorm(_ x: Tensor, _ prefix: String) throws -> Tensor {
        try x.layerNorm(
            weight: tensor(prefix + ".weight"), bias: tensor(prefix + ".bias"), epsilon: configuration.layerNormEpsilon)
    }

    private func linear(_ prefix: String, _ x: Tensor) throws -> Tensor {
        guard let map = linears[prefix] else { throw LayerError.invalidInput(reason: "no linear map \(prefix)") }
        return try map(x, dropout: &dropout)
    }

    /// Fused causal attention, with attention-probability dropout in training mode.
    private func attention(_ q: Tensor, _ k: Tensor, _ v: Tensor, _ mask: Tensor?) throws -> Tensor {
        guard configuration.attentionDropout > 0, var rng = dropout else {
            return try Tensor.causalSelfAttention(query: q, key: k, value: v, keyPaddingMask: mask)
        }
        defer { dropout = rng }
        return try Tensor.causalSelfAttention(
            query: q, key: k, value: v, keyPaddingMask: mask, dropout: configuration.attentionDropout, rng: &rng)
    }

    private func applyDropout(_ x: Tensor, _ probability: Double) throws -> Tensor {
        guard probability > 0, var rng = dropout else { return x }
        defer { dropout = rng }
        return try x.dropout(probability: probability, using: &rng)
    }
}
