/// Binary classification metrics at one decision threshold, with the confusion counts.
///
///     predicted positive  ⇔  score ≥ threshold
///     accuracy  = (TP + TN) / n
///     precision = TP / (TP + FP)          (0 when nothing is predicted positive)
///     recall    = TP / (TP + FN)          (0 when there are no positives)
///     F1        = 2 · precision · recall / (precision + recall)   (0 when both are 0)
///
/// Label 1 is the positive class (toxic, in seed 000). The zero conventions are
/// scikit-learn's `zero_division=0` (`precision_recall_fscore_support`, binary average).
public struct ClassificationMetrics: Codable, Equatable, Sendable {
    /// The threshold on the positive-class score.
    public var threshold: Double
    public var truePositives: Int
    public var falsePositives: Int
    public var trueNegatives: Int
    public var falseNegatives: Int

    /// Metrics of scores (e.g. P(toxic)) against 0/1 labels.
    /// - Parameters:
    ///   - scores: one positive-class score per example.
    ///   - labels: 1 = positive, 0 = negative.
    ///   - threshold: default 0.5.
    /// - Throws: `EvaluationError` when the counts differ, a label is not 0/1, or there is no
    ///   example.
    public init(scores: [Double], labels: [Int], threshold: Double = 0.5) throws {
        guard scores.count == labels.count, !scores.isEmpty else {
            throw EvaluationError.invalidArgument(
                name: "labels", reason: "need one label per score and at least one example (\(scores.count) scores, \(labels.count) labels)")
        }
        if let bad = labels.first(where: { $0 != 0 && $0 != 1 }) {
            throw EvaluationError.invalidArgument(name: "labels", reason: "labels must be 0 or 1, found \(bad)")
        }
        self.threshold = threshold
        (truePositives, falsePositives, trueNegatives, falseNegatives) = (0, 0, 0, 0)
        for (score, label) in zip(scores, labels) {
            switch (score >= threshold, label == 1) {
            case (true, true): truePositives += 1
            case (true, false): falsePositives += 1
            case (false, false): trueNegatives += 1
            case (false, true): falseNegatives += 1
            }
        }
    }

    /// Metrics of hard 0/1 predictions (threshold 0.5 on the predictions).
    /// - Throws: as `init(scores:labels:threshold:)`.
    public init(predictions: [Int], labels: [Int]) throws {
        try self.init(scores: predictions.map(Double.init), labels: labels, threshold: 0.5)
    }

    /// Number of examples.
    public var count: Int { truePositives + falsePositives + trueNegatives + falseNegatives }
    /// (TP + TN) / n.
    public var accuracy: Double { Double(truePositives + trueNegatives) / Double(count) }
    /// TP / (TP + FP), 0 when undefined.
    public var precision: Double { ratio(truePositives, truePositives + falsePositives) }
    /// TP / (TP + FN), 0 when undefined.
    public var recall: Double { ratio(truePositives, truePositives + falseNegatives) }
    /// Harmonic mean of precision and recall, 0 when both are 0.
    public var f1: Double {
        let (p, r) = (precision, recall)
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }

    private func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }

    /// The metrics at each threshold, in the order given (a threshold sweep, e.g.
    /// 0.05, 0.10, …, 0.95 to choose an operating point).
    /// - Throws: as `init(scores:labels:threshold:)`.
    public static func sweep(scores: [Double], labels: [Int], thresholds: [Double]) throws -> [ClassificationMetrics] {
        try thresholds.map { try ClassificationMetrics(scores: scores, labels: labels, threshold: $0) }
    }

    /// The threshold of `sweep` with the highest F1 (the first one on ties).
    /// - Throws: as `sweep`, or `EvaluationError.insufficientData` with no threshold.
    public static func bestF1(scores: [Double], labels: [Int], thresholds: [Double]) throws -> ClassificationMetrics {
        let all = try sweep(scores: scores, labels: labels, thresholds: thresholds)
        guard var best = all.first else { throw EvaluationError.insufficientData("no threshold to sweep") }
        for m in all.dropFirst() where m.f1 > best.f1 { best = m }
        return best
    }
}
