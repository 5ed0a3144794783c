import LetheTensor

/// The heads on BERT's and RoBERTa's hidden states h [B, T, C]:
///
///     pooler (BERT, RobertaModel)        pooled = tanh(h[:, 0] W_p + b_p)                       [B, C]
///     BertForSequenceClassification      logits = dropout(pooled) W_c + b_c                     [B, labels]
///     RobertaForSequenceClassification   logits = tanh(dropout(h[:, 0]) W_d + b_d) W_o + b_o    (no pooler)
///     BertForMaskedLM                    logits = LayerNorm(act(h W_t + b_t)) Eᵀ + b            [B, T, V]
///     RobertaForMaskedLM                 logits = LayerNorm(gelu(h W_d + b_d)) Eᵀ + b           (E: word embeddings, tied)
///
/// Losses as transformers computes them: regression = mean squared error, single-label =
/// softmax cross-entropy (labels −100 ignored), multi-label = mean binary cross-entropy with logits.
extension BertModel {
    public func pooledOutput(_ batch: TokenBatch, tokenTypes: [Int]? = nil) throws -> Tensor {
        try pooled(hiddenStates(batch, tokenTypes: tokenTypes))
    }

    public func classificationLogits(_ batch: TokenBatch, tokenTypes: [Int]?) throws -> Tensor {
        guard head == .sequenceClassification else {
            throw LayerError.invalidInput(reason: "this encoder has no sequence-classification head (load it as one)")
        }
        let hidden = try hiddenStates(batch, tokenTypes: tokenTypes)
        let probability = configuration.classifierDropout ?? configuration.hiddenDropout
        switch configuration.family {
        case .bert:
            return try linear("classifier", applyDropout(pooled(hidden), probability))
        case .roberta:
            let inner = try linear("classifier.dense", applyDropout(firstToken(hidden), probability)).tanh()
            return try linear("classifier.out_proj", applyDropout(inner, probability))
        }
    }

    /// - Parameter labels: B class ids (single-label; −100 skips a row), B × labels targets
    ///   (regression), or B × labels targets in [0, 1] (multi-label), row major.
    public func classificationLoss(
        _ batch: TokenBatch, tokenTypes: [Int]? = nil, labels: [Double], reduction: LossReduction = .mean
    ) throws -> Tensor {
        let (B, L) = (batch.batchSize, configuration.labelCount)
        let logits = try classificationLogits(batch, tokenTypes: tokenTypes)
        switch configuration.resolvedProblemType {
        case .singleLabelClassification:
            guard labels.count == B, labels.allSatisfy({ $0 == -100 || ($0 >= 0 && $0 < Double(L) && $0 == $0.rounded()) }) else {
                throw LayerError.invalidInput(reason: "single-label classification needs \(B) class ids in 0..<\(L), got \(labels)")
            }
            return try logits.crossEntropy(targets: labels.map { Int($0) }, reduction: reduction)
        case .regression:
            guard labels.count == B * L else {
                throw LayerError.invalidInput(reason: "regression needs \(B * L) targets (\(B) rows × \(L) labels), got \(labels.count)")
            }
            return try logits.meanSquaredError(targets: Tensor(labels.map(Float.init), shape: [B, L]), reduction: reduction)
        case .multiLabelClassification:
            guard labels.count == B * L, labels.allSatisfy({ (0...1).contains($0) }) else {
                throw LayerError.invalidInput(reason: "multi-label classification needs \(B * L) targets in [0, 1], got \(labels)")
            }
            return try logits.binaryCrossEntropyWithLogits(targets: Tensor(labels.map(Float.init), shape: [B, L]), reduction: reduction)
        }
    }

    public func maskedLanguageModelLogits(_ batch: TokenBatch, tokenTypes: [Int]? = nil) throws -> Tensor {
        guard head == .maskedLanguageModel else {
            throw LayerError.invalidInput(reason: "this encoder has no masked-LM head (load a …ForMaskedLM folder)")
        }
        let hidden = try hiddenStates(batch, tokenTypes: tokenTypes)
        let transformed: Tensor
        let bias: String
        switch configuration.family {
        case .bert:
            let inner = try activate(dense("cls.predictions.transform.dense", hidden))
            transformed = try layerNorm(inner, "cls.predictions.transform.LayerNorm")
            bias = "cls.predictions.bias"
        case .roberta:
            transformed = try layerNorm(dense("lm_head.dense", hidden).geluExact(), "lm_head.layer_norm")
            bias = "lm_head.bias"
        }
        return try transformed.matmul(tensor("embeddings.word_embeddings.weight"), transposeB: true) + tensor(bias)
    }

    private func pooled(_ hidden: Tensor) throws -> Tensor {
        guard hasPooler else {
            throw LayerError.invalidInput(reason: "this encoder has no pooler (pooler.dense); use mean pooling or the first token")
        }
        return try dense("pooler.dense", firstToken(hidden)).tanh()
    }
}
