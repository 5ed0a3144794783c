import LetheLayers
import LetheTensor
import LetheText

/// Multi-target knowledge distillation for a toxicity classifier (seed study 000, after
/// Hinton et al. 2015): learn the toxicity label and, from a teacher (a moderation service),
/// its per-category scores, on part `train` of any `TrainableModel` (decoder or encoder) with the classification head of
/// 1 + K labels:
///
///     z = logits [B, 1 + K]:  z_b0 the toxicity logit,  z_b1 … z_bK the K score logits
///     toxicity = σ ⋅ (1/B) Σ_b BCE(z_b0, y_b)              y_b ∈ {0, 1} the class label
///     scores   = (1 − σ) ⋅ (1/(B K)) Σ_{b,k} (z_bk − s_bk)²   s_bk the teacher's scores
///     train    = toxicity + scores
///
/// BCE(x, y) = max(x, 0) − x y + log(1 + e^(−|x|)). The score logits regress on the scores
/// directly (a regression head, as the seed's MSE does); column k of s is score name k of
/// the data (`ExampleBatches(scoreNames:)`, e.g. the 11 OpenAI moderation categories), so
/// logit k + 1 predicts that category. σ = 1 trains on the label only, σ = 0 on the scores only.
///
/// Options: `sigma` (0.5, in [0, 1]; the seed uses 0.8), `split` (false). One loss `train` by
/// default: the seed's fixed weighted sum, one backward pass. With `split: true` two losses,
/// `toxicity` and `scores` (already weighted, so `sum` reproduces `train`), each with its own
/// backward pass, so a combiner (PCGrad) and the gradient log see whether the two targets
/// conflict, at the cost of a second backward pass.
public struct Distillation: TrainingObjective {
    public static let name = "distillation"
    public let sigma: Double
    public let split: Bool

    public init(options: PluginOptions) throws {
        try options.accept(["sigma", "split"])
        sigma = try options.number("sigma", default: 0.5)
        guard (0...1).contains(sigma) else {
            throw UnlearningError.invalidOption(owner: options.owner, key: "sigma", reason: "must be in [0, 1], got \(sigma)")
        }
        split = try options.flag("split", default: false)
    }

    /// σ in [0, 1] (not checked here: recipes go through `init(options:)`).
    public init(sigma: Double, split: Bool = false) { (self.sigma, self.split) = (sigma, split) }

    public var parts: [String] { [TrainingBatch.train] }

    /// The toxicity logit and one per score (none without scores: the objective needs them).
    public func classificationLabelCount(scoreCount: Int) -> Int? { scoreCount > 0 ? 1 + scoreCount : nil }

    public func losses(model: any TrainableModel, reference: ReferenceModel?, batch: TrainingBatch) throws -> [NamedLoss] {
        let train = try LossTerms.require(batch.train, TrainingBatch.train, owner: Self.name)
        let logits = try model.classificationLogits(train.tokens)
        let (toxicity, scores) = try Self.losses(logits: logits, classLabels: train.classLabels, targets: train.targets, sigma: sigma)
        return split ? [NamedLoss("toxicity", toxicity), NamedLoss("scores", scores)] : [NamedLoss(TrainingBatch.train, try toxicity + scores)]
    }

    /// The weighted terms above from logits [B, 1 + K] (any float dtype).
    public static func losses(logits: Tensor, classLabels: [Int?], targets: [[Float]]?, sigma: Double) throws -> (toxicity: Tensor, scores: Tensor) {
        guard logits.rank == 2, logits.shape[1] >= 2 else {
            throw UnlearningError.invalidInput("\(name): logits must be [B, 1 + K] with K ≥ 1 scores, got \(logits.shape)")
        }
        let (B, K) = (logits.shape[0], logits.shape[1] - 1)
        let labels = try ClassTargets.labels(classLabels, rows: B, below: 2, owner: name)
        let s = try ClassTargets.rows(targets, rows: B, columns: K, owner: "\(name) (num_labels = 1 + K)", unitInterval: false)
        let toxicity = try logits.slice(axis: 1, 0..<1)
            .binaryCrossEntropyWithLogits(targets: ClassTargets.tensor(labels.map(Double.init), [B, 1], like: logits))
        let scores = try logits.slice(axis: 1, 1..<(K + 1)).meanSquaredError(targets: ClassTargets.tensor(s, [B, K], like: logits))
        return (toxicity * sigma, scores * (1 - sigma))
    }
}
