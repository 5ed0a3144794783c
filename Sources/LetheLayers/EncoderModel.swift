import LetheTensor

/// A bidirectional encoder (BERT, RoBERTa): hidden states, a pooled sentence vector and the
/// heads built on them. Stages, suites and LoRA use encoders through this protocol.
///
/// Inputs are a right-padded `TokenBatch` (its `attentionMask` marks real tokens; padded keys
/// are hidden from every query) and optional token types [B·T] (segment ids of a pair, row
/// major like `batch.ids`; `nil` means all 0). Parameters are `NamedTensors` named with Hugging
/// Face keys (`embeddings.word_embeddings.weight`, `encoder.layer.0.attention.self.query.weight`,
/// `classifier.weight`, ...); `linears` holds the maps LoRA may adapt, by Hugging Face prefix.
public protocol EncoderModel: TrainableModel {
    /// Width C of the hidden states.
    var hiddenSize: Int { get }
    /// Outputs of the classification head (`num_labels`).
    var labelCount: Int { get }
    // From `TrainableModel`: `family` (`bert`, `roberta`), `dropout`, `configurationJSON()`.

    /// The last layer's hidden states [B, T, C].
    func hiddenStates(_ batch: TokenBatch, tokenTypes: [Int]?) throws -> Tensor
    /// The sentence vector [B, C] of the model's pooler (BERT: tanh(dense(h[:, 0]))).
    func pooledOutput(_ batch: TokenBatch, tokenTypes: [Int]?) throws -> Tensor
    /// Sequence-classification logits [B, labels].
    func classificationLogits(_ batch: TokenBatch, tokenTypes: [Int]?) throws -> Tensor
    /// Hugging Face's sequence-classification loss for `labels` (class ids for single-label
    /// classification, B targets for regression, B × labels targets in [0, 1] for multi-label).
    func classificationLoss(_ batch: TokenBatch, tokenTypes: [Int]?, labels: [Double], reduction: LossReduction) throws -> Tensor
    /// Masked-LM logits [B, T, V], when the model has the head.
    func maskedLanguageModelLogits(_ batch: TokenBatch, tokenTypes: [Int]?) throws -> Tensor
    /// The state dict with the keys `save_pretrained` writes.
    func huggingFaceState() -> [(name: String, tensor: Tensor)]
}

extension EncoderModel {
    /// Sequence-classification logits [B, labels] with every token type 0 (single texts).
    public func classificationLogits(_ batch: TokenBatch) throws -> Tensor {
        try classificationLogits(batch, tokenTypes: nil)
    }

    /// Mean of the hidden states over each row's real tokens [B, C] (sentence-transformers'
    /// mean pooling):  e_b = Σ_t m_bt h_bt / max(Σ_t m_bt, 1e-9).
    public func meanPooled(_ batch: TokenBatch, tokenTypes: [Int]? = nil) throws -> Tensor {
        let hidden = try hiddenStates(batch, tokenTypes: tokenTypes)
        let (B, T) = (batch.batchSize, batch.length)
        let mask = batch.attentionMask ?? [Int](repeating: 1, count: B * T)
        let weights = try Tensor(mask.map { Float($0 != 0 ? 1 : 0) }, shape: [B, T, 1])
        let counts = (0..<B).map { b in Float(max(Double(mask[(b * T)..<(b * T + T)].filter { $0 != 0 }.count), 1e-9)) }
        return try (hidden * weights).sum(axes: [1]) / Tensor(counts, shape: [B, 1])
    }

    /// Masked-LM loss: cross-entropy of each position against `labels` [B·T] (−100 = not
    /// predicted), the mean over predicted positions (no shift, unlike a causal LM).
    public func maskedLanguageModelLoss(
        _ batch: TokenBatch, tokenTypes: [Int]? = nil, labels: [Int], reduction: LossReduction = .mean
    ) throws -> Tensor {
        guard labels.count == batch.ids.count else {
            throw LayerError.invalidInput(reason: "\(labels.count) masked-LM labels for \(batch.ids.count) tokens")
        }
        return try maskedLanguageModelLogits(batch, tokenTypes: tokenTypes).crossEntropy(targets: labels, reduction: reduction)
    }
}
