import LetheLayers
import LetheTensor
import LetheText

/// Sequence classification on part `train`, on any `TrainableModel` with a classification
/// head: a decoder (`GPT2ForSequenceClassification`, `LlamaForSequenceClassification`: logits
/// z [B, L] from each row's last real token) or an encoder (`BertForSequenceClassification`:
/// from the pooler; RoBERTa: from `<s>`), L the head's `num_labels`. Option `loss`:
///
///     cross_entropy   train = (1/B) Σ_b −log softmax(z_b)_{c_b}               c_b ∈ 0..<L the class label
///     bce             train = (1/B) Σ_b BCE(z_b0, c_b)                          L = 1, c_b ∈ {0, 1}
///     multilabel_bce  train = (1/(B K)) Σ_{b,k} BCE(z_bk, s_bk)                 L = K, s_bk ∈ [0, 1]
///     mse             train = (1/(B K)) Σ_{b,k} (z_bk − s_bk)²                  L = K, s_bk real
///
/// with BCE(x, y) = max(x, 0) − x y + log(1 + e^(−|x|)) (binary cross-entropy of σ(x), stable).
/// `bce` is seed 000's single-target baseline (num_labels 1, one toxicity logit, BCE); two-label
/// heads use `cross_entropy` (as `ToxicityClassifier`). Class labels c come from
/// `LabelledBatch.classLabels`, float targets s from `LabelledBatch.targets` (the examples'
/// scores, ordered by the data's `scoreNames`). One loss, `train`.
public struct Classification: TrainingObjective {
    public enum Loss: String, CaseIterable, Sendable {
        case crossEntropy = "cross_entropy"
        case bce
        case multilabelBCE = "multilabel_bce"
        case mse
    }

    public static let name = "classification"
    public let loss: Loss

    public init(options: PluginOptions) throws {
        try options.accept(["loss"])
        let text = try options.text("loss", default: Loss.crossEntropy.rawValue, allowed: Loss.allCases.map(\.rawValue))
        loss = Loss(rawValue: text) ?? .crossEntropy
    }

    public init(loss: Loss) { self.loss = loss }

    public var parts: [String] { [TrainingBatch.train] }

    /// cross_entropy: 2 (non-toxic, toxic); bce: 1; multilabel_bce and mse: one per score.
    public func classificationLabelCount(scoreCount: Int) -> Int? {
        switch loss {
        case .crossEntropy: return 2
        case .bce: return 1
        case .multilabelBCE, .mse: return scoreCount > 0 ? scoreCount : nil
        }
    }

    public func losses(model: any TrainableModel, reference: ReferenceModel?, batch: TrainingBatch) throws -> [NamedLoss] {
        let train = try LossTerms.require(batch.train, TrainingBatch.train, owner: Self.name)
        let logits = try model.classificationLogits(train.tokens)
        return [NamedLoss(TrainingBatch.train, try Self.loss(loss, logits: logits, classLabels: train.classLabels, targets: train.targets))]
    }

    /// The formula of `kind` above from logits [B, L] (any float dtype).
    public static func loss(_ kind: Loss, logits: Tensor, classLabels: [Int?], targets: [[Float]]?) throws -> Tensor {
        guard logits.rank == 2 else { throw UnlearningError.invalidInput("\(name): logits must be [B, labels], got \(logits.shape)") }
        let (B, L) = (logits.shape[0], logits.shape[1])
        switch kind {
        case .crossEntropy:
            return try logits.crossEntropy(targets: try ClassTargets.labels(classLabels, rows: B, below: L, owner: "\(name) cross_entropy"))
        case .bce:
            guard L == 1 else {
                throw UnlearningError.invalidInput("\(name) bce reads one logit (num_labels 1); this head has \(L) (use cross_entropy)")
            }
            let labels = try ClassTargets.labels(classLabels, rows: B, below: 2, owner: "\(name) bce")
            return try logits.binaryCrossEntropyWithLogits(targets: ClassTargets.tensor(labels.map(Double.init), [B, 1], like: logits))
        case .multilabelBCE:
            let s = try ClassTargets.rows(targets, rows: B, columns: L, owner: "\(name) multilabel_bce", unitInterval: true)
            return try logits.binaryCrossEntropyWithLogits(targets: ClassTargets.tensor(s, [B, L], like: logits))
        case .mse:
            let s = try ClassTargets.rows(targets, rows: B, columns: L, owner: "\(name) mse", unitInterval: false)
            return try logits.meanSquaredError(targets: ClassTargets.tensor(s, [B, L], like: logits))
        }
    }
}

/// Checks and converts the targets classification objectives read.
enum ClassTargets {
    /// Every row's class label, each in 0..<bound.
    static func labels(_ labels: [Int?], rows: Int, below bound: Int, owner: String) throws -> [Int] {
        guard labels.count == rows else { throw UnlearningError.invalidInput("\(owner): \(labels.count) class labels for \(rows) rows") }
        return try labels.enumerated().map { row, label in
            guard let label, (0..<bound).contains(label) else {
                throw UnlearningError.invalidInput("\(owner): example \(row) of the batch needs a class label in 0..<\(bound), has \(label.map(String.init) ?? "none")")
            }
            return label
        }
    }

    /// The batch's float targets as a flat row-major [rows · columns], checked.
    static func rows(_ targets: [[Float]]?, rows: Int, columns: Int, owner: String, unitInterval: Bool) throws -> [Double] {
        guard let targets else {
            throw UnlearningError.invalidInput("\(owner): the batch has no float targets (give the data its score names)")
        }
        guard targets.count == rows, targets.allSatisfy({ $0.count == columns }) else {
            throw UnlearningError.invalidInput("\(owner): targets must be \(rows) rows of \(columns) (the head's labels), got \(targets.map(\.count))")
        }
        let flat = targets.joined().map(Double.init)
        if let bad = flat.first(where: { !$0.isFinite || (unitInterval && !(0...1).contains($0)) }) {
            throw UnlearningError.invalidInput("\(owner): target \(bad) is not \(unitInterval ? "in [0, 1]" : "finite")")
        }
        return flat
    }

    /// A constant tensor of `values` with `logits`' dtype.
    static func tensor(_ values: [Double], _ shape: [Int], like logits: Tensor) throws -> Tensor {
        let t = try Tensor(values, shape: shape)
        return logits.dtype == .float64 ? t : t.converted(to: logits.dtype)
    }
}
