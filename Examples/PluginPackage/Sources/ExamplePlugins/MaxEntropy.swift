import LetheLayers
import LetheTensor
import LetheUnlearning

/// `max_entropy`: an unlearning objective that makes the model unsure on the forget
/// completions instead of wrong. It maximises the entropy of the next-token distribution at
/// every position that predicts a completion token of the forget batch, and keeps the retain
/// batch's likelihood:
///
///     forget = −γ ⋅ (1/|C|) Σ_{(b,t) ∈ C} H(p_θ(· | x_b,≤t)),   H(p) = −Σ_v p(v) log p(v)
///     retain =  α ⋅ CE(θ; x_r, y_r)
///
/// C is the set of positions whose shifted label is a completion token (labels −100 on
/// prompt and padding positions do not count); CE is Hugging Face's token-mean cross-entropy
/// on the retain completions. Unlike gradient ascent (−CE, unbounded below), the forget term
/// is bounded: its minimum, −γ log V, is reached when the model predicts the uniform
/// distribution over the V tokens there.
///
/// Options: `gamma` (1), `alpha` (1).
///
///     objective: {name: max_entropy, gamma: 1.0, alpha: 1.0}
public struct MaxEntropy: TrainingObjective {
    public static let name = "max_entropy"
    public let gamma: Double
    public let alpha: Double

    public init(options: PluginOptions) throws {
        try options.accept(["gamma", "alpha"])
        gamma = try options.number("gamma", default: 1)
        alpha = try options.number("alpha", default: 1)
    }

    public var parts: [String] { [TrainingBatch.forget, TrainingBatch.retain] }

    public func losses(model: any TrainableModel, reference: ReferenceModel?, batch: TrainingBatch) throws -> [NamedLoss] {
        let model = try model.languageModel(for: Self.name)
        guard let forget = batch.forget else { throw UnlearningError.missingBatch(owner: Self.name, part: TrainingBatch.forget) }
        guard let retain = batch.retain else { throw UnlearningError.missingBatch(owner: Self.name, part: TrainingBatch.retain) }
        let (B, T) = (forget.tokens.batchSize, forget.tokens.length)
        // Position t predicts label t + 1: the positions counted are those of the shifted labels.
        let counted = try model.shiftedTargets(forget.tokens, labels: forget.labels).map { $0 == -100 ? Float(0) : 1 }
        let logProbabilities = try model.logits(forget.tokens).logSoftmax()  // [B, T, V]
        let negativeEntropy = try (logProbabilities.exp() * logProbabilities).sum(axes: [-1])  // Σ_v p log p, [B, T]
        let mask = try Tensor(counted, shape: [B, T])
        let meanNegativeEntropy = try (negativeEntropy * mask).sum() / Double(max(1, counted.reduce(0, +)))
        return [
            NamedLoss("forget", meanNegativeEntropy * gamma),
            NamedLoss("retain", try model.languageModelLoss(retain.tokens, labels: retain.labels) * alpha),
        ]
    }
}
