import Foundation
import LetheTensor

/// Which output a model computes on top of its backbone: next-token logits (the language-model
/// head, `*ForCausalLM`) or one row of class logits per sequence (`*ForSequenceClassification`,
/// `score.weight` [labels, C] on the last real token).
public enum ModelHead: String, Sendable { case languageModel, sequenceClassification }

/// `value` as JSON text with sorted keys: a model's `configurationJSON()`, comparable as text.
public func sortedJSONText<Value: Encodable>(_ value: Value) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

/// The sizes every user of a decoder needs, whatever its family: trainers, objectives,
/// evaluation suites, generation and caches read these, never a family's configuration.
public struct ModelDimensions: Equatable, Sendable {
    public var vocabularySize: Int
    /// Longest sequence the model takes (`n_positions`, `max_position_embeddings`).
    public var contextLength: Int
    /// Width C of the residual stream (`n_embd`, `hidden_size`).
    public var embeddingSize: Int
    public var layerCount: Int
    /// Query heads H, and key/value heads (H for multi-head attention, fewer with grouped queries).
    public var headCount: Int
    public var keyValueHeadCount: Int
    /// Width D of one head.
    public var headSize: Int
    /// Width of the MLP's hidden layer.
    public var mlpSize: Int
    public var endOfTextID: Int
    public var padTokenID: Int?
    /// Outputs of the sequence-classification head.
    public var labelCount: Int

    public init(
        vocabularySize: Int, contextLength: Int, embeddingSize: Int, layerCount: Int, headCount: Int,
        keyValueHeadCount: Int, headSize: Int, mlpSize: Int, endOfTextID: Int, padTokenID: Int?, labelCount: Int
    ) {
        (self.vocabularySize, self.contextLength, self.embeddingSize) = (vocabularySize, contextLength, embeddingSize)
        (self.layerCount, self.headCount, self.keyValueHeadCount, self.headSize) = (layerCount, headCount, keyValueHeadCount, headSize)
        (self.mlpSize, self.endOfTextID, self.padTokenID, self.labelCount) = (mlpSize, endOfTextID, padTokenID, labelCount)
    }
}

/// A function the forward pass calls with each layer's attention head outputs, [B, T, H·D]
/// (the heads' outputs side by side: the input of the attention output projection), and
/// whose result it continues with: read them (probes) or change them (inference-time
/// intervention, Li et al. 2023).
public typealias HeadOutputHook = (_ layer: Int, _ heads: Tensor) throws -> Tensor

/// A causal (decoder-only) language model of any family: what the trainer, the objectives,
/// the evaluation suites, LoRA, generation and checkpoints use. GPT-2 and the Llama family
/// conform; nothing outside a family's files names the family.
///
///     x⁰ = embed(ids)                                   [B, T, C]
///     xˡ = blockₗ(xˡ⁻¹)     l = 1 … L                  residualStream(afterLayer: l − 1)
///     h  = finalNorm(xᴸ)                                hiddenStates
///     logits = h Wₒᵤₜᵀ                                  languageModelHead(h)   [B, T, V]
///
/// Parameters live in one flat buffer named by the family's Hugging Face state-dict keys.
public protocol CausalLanguageModel: TrainableModel {
    // From `TrainableModel`: `family` (`gpt2`, `llama`: checkpoints record it), `dropout`
    // (training mode when set), `configurationJSON()` and `classificationLogits(_:)` (below).
    var dimensions: ModelDimensions { get }
    var head: ModelHead { get }
    // From `AdaptableModel`: `parameters` (the flat buffer) and `linears`, the linear maps by
    // Hugging Face prefix (`h.0.attn.c_attn`, `model.layers.0.self_attn.q_proj`) that LoRA adapts.

    /// The key `save_pretrained` writes for the parameter or map prefix `name`
    /// (GPT-2: `transformer.` + name; PEFT files use it too).
    func huggingFaceKey(_ name: String) -> String

    /// Called in the forward pass with each layer's head outputs (nil: none).
    var headOutputHook: HeadOutputHook? { get set }

    /// The residual stream [B, T, C] after block `layer` (0-based; after all blocks, before
    /// the final norm, when nil). With a `cache`, the batch continues the cached sequences.
    func residualStream(_ batch: TokenBatch, afterLayer layer: Int?, cache: KeyValueCache?) throws -> Tensor
    /// Final hidden states [B, T, C] (after the final norm).
    func hiddenStates(_ batch: TokenBatch, cache: KeyValueCache?) throws -> Tensor
    /// The output projection of hidden states [..., C] to logits [..., V] (tied or untied).
    func languageModelHead(_ hidden: Tensor) throws -> Tensor
    /// Copies a Hugging Face state dict into the model, strictly (every missing, unexpected
    /// and mis-shaped key reported at once, naming `source`).
    func loadState(_ state: [String: Tensor], source: String) throws
    /// The state dict with the keys `save_pretrained` writes.
    func huggingFaceState() -> [(name: String, tensor: Tensor)]
    /// An independent model with the same configuration, head and base weights (no adapters).
    func copy() throws -> any CausalLanguageModel
}

extension CausalLanguageModel {
    public var classificationLabelCount: Int? { head == .sequenceClassification ? dimensions.labelCount : nil }
    public var paddingTokenID: Int? { dimensions.padTokenID }

    /// The parameter named `name`.
    /// - Throws: `LayerError.invalidInput` for an unknown name.
    public func tensor(_ name: String) throws -> Tensor {
        guard let t = parameters[name] else { throw LayerError.invalidInput(reason: "the \(family) model has no parameter \(name)") }
        return t
    }

    /// Final hidden states [B, T, C] of a batch, with no cache.
    public func hiddenStates(_ batch: TokenBatch) throws -> Tensor { try hiddenStates(batch, cache: nil) }

    /// The residual stream after block `layer` (every block when nil), with no cache.
    public func residualStream(_ batch: TokenBatch, afterLayer layer: Int? = nil) throws -> Tensor {
        try residualStream(batch, afterLayer: layer, cache: nil)
    }

    /// Next-token logits [B, T, V].
    public func logits(_ batch: TokenBatch) throws -> Tensor { try languageModelHead(hiddenStates(batch)) }

    /// Hugging Face's causal-LM loss: position t predicts `labels[t + 1]`; labels equal to
    /// -100 (prompt and padding) are not counted; the mean is over counted tokens.
    /// `labels` is row-major [B, T] like `batch.ids`.
    public func languageModelLoss(_ batch: TokenBatch, labels: [Int], reduction: LossReduction = .mean) throws -> Tensor {
        try logits(batch).crossEntropy(targets: shiftedTargets(batch, labels: labels), reduction: reduction)
    }

    /// Targets aligned with logits positions: `labels` shifted left by one in each row, the
    /// last position ignored (-100).
    public func shiftedTargets(_ batch: TokenBatch, labels: [Int]) throws -> [Int] {
        guard labels.count == batch.ids.count else {
            throw LayerError.invalidInput(reason: "\(labels.count) labels for \(batch.ids.count) tokens")
        }
        let T = batch.length
        return (0..<labels.count).map { i in i % T == T - 1 ? -100 : labels[i + 1] }
    }

    /// Sequence-classification logits [B, labels] from the hidden state of each row's last
    /// real token (the last position whose attention mask is 1), as Hugging Face's
    /// `*ForSequenceClassification` decoders with right padding: pooled · `score.weight`ᵀ.
    public func classificationLogits(_ batch: TokenBatch) throws -> Tensor {
        guard head == .sequenceClassification else {
            throw LayerError.invalidInput(reason: "this \(family) model has no classification head (score.weight)")
        }
        let (B, T, C) = (batch.batchSize, batch.length, dimensions.embeddingSize)
        let last = (0..<B).map { b -> Int in
            guard let mask = batch.attentionMask else { return T - 1 }
            return (0..<T).last { mask[b * T + $0] != 0 } ?? 0
        }
        let hidden = try hiddenStates(batch).reshaped([B * T, C])
        let pooled = try hidden.indexSelect((0..<B).map { $0 * T + last[$0] }, indexShape: [B])
        return try pooled.matmul(tensor("score.weight"), transposeB: true)
    }

    /// A key/value cache for `batchSize` sequences of up to `capacity` tokens.
    public func makeCache(batchSize: Int, capacity: Int) throws -> KeyValueCache {
        try KeyValueCache(dimensions: dimensions, batchSize: batchSize, capacity: capacity)
    }

    /// Runs `body` in evaluation mode (no dropout), restoring the dropout stream after.
    public func withoutDropout<R>(_ body: () throws -> R) rethrows -> R {
        let saved = dropout
        dropout = nil
        defer { dropout = saved }
        return try body()
    }

    /// The attention head outputs of block `layer`, [B, T, H, D]: per head, the attention-weighted
    /// values (honest_llama's activations for probes and steering), read through
    /// `headOutputHook` without changing the forward pass.
    public func attentionHeadOutputs(_ batch: TokenBatch, layer: Int) throws -> Tensor {
        let saved = headOutputHook
        defer { headOutputHook = saved }
        var captured: Tensor?
        headOutputHook = { index, heads in
            let heads = try saved?(index, heads) ?? heads
            if index == layer { captured = heads }
            return heads
        }
        _ = try residualStream(batch, afterLayer: layer)
        guard let captured else { throw LayerError.invalidInput(reason: "layer \(layer) computed no attention") }
        let d = dimensions
        return try captured.reshaped([batch.batchSize, batch.length, d.headCount, d.headSize])
    }
}
