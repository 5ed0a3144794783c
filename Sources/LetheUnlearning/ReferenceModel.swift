import LetheLayers
import LetheTensor
import LetheText

/// The frozen reference policy π_ref of DPO, NPO and KL objectives: a copy of the model at
/// the start of unlearning. Its outputs carry no gradient; sequence log-probabilities are
/// cached by batch content, so a batch seen again in a later epoch costs nothing.
public final class ReferenceModel {
    public let model: any CausalLanguageModel
    private var cache: [[Int]: [Double]] = [:]
    /// Cache hits so far (tests and logs).
    public private(set) var hits = 0

    public init(model: any CausalLanguageModel) {
        self.model = model
        model.dropout = nil
        model.parameters.markTrainable(except: Set(model.parameters.names))
    }

    /// log π_ref(y|x) per row: the sum of log-probabilities of the counted (label ≠ -100)
    /// tokens.
    public func sequenceLogProbabilities(_ batch: LabelledBatch) throws -> [Double] {
        let key = batch.tokens.ids + [-1] + batch.labels + [-1] + (batch.tokens.attentionMask ?? [])
        if let cached = cache[key] {
            hits += 1
            return cached
        }
        let values = try withoutGradients { try sequenceLogProbabilitiesTensor(model, batch).doubles }
        cache[key] = values
        return values
    }

    /// Per-position log-probabilities [B·T, V] (not cached: V is large).
    public func logProbabilities(_ batch: LabelledBatch) throws -> Tensor {
        try withoutGradients { try model.logits(batch.tokens).logSoftmax() }
    }
}

/// log π(y|x) per row [B]: −Σ_t NLL over the counted target tokens, with gradient.
func sequenceLogProbabilitiesTensor(_ model: any CausalLanguageModel, _ batch: LabelledBatch) throws -> Tensor {
    let perToken = try model.languageModelLoss(batch.tokens, labels: batch.labels, reduction: .none)  // [B, T]
    return try -perToken.sum(axes: [1])
}

/// Number of counted target tokens per row (|y|).
func answerLengths(_ batch: LabelledBatch) -> [Int] {
    let T = batch.tokens.length
    return (0..<batch.tokens.batchSize).map { b in
        (1..<T).filter { batch.labels[b * T + $0] != -100 }.count
    }
}
