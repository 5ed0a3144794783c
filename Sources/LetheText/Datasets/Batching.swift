import LetheTensor

/// A padded batch ready for a model: tokens with their attention mask, Hugging Face labels
/// (-100 on prompt and padding positions), the examples' class labels and, for regression
/// and distillation objectives, per-example float targets.
public struct LabelledBatch: Sendable, Equatable {
    public var tokens: TokenBatch
    public var labels: [Int]
    public var classLabels: [Int?]
    /// Per example, K float targets (one row of K per example, K the same for every row): the
    /// example's `scores` in the order of the score names the batch was built with (moderation
    /// scores for distillation, multi-label targets). nil when the batch carries none.
    public var targets: [[Float]]?

    public init(tokens: TokenBatch, labels: [Int], classLabels: [Int?], targets: [[Float]]? = nil) {
        (self.tokens, self.labels, self.classLabels, self.targets) = (tokens, labels, classLabels, targets)
    }
}

extension Array where Element == EncodedExample {
    /// Right-pads the examples to the longest one (or to `length`) with `padID`. With
    /// `scoreNames`, each example's `scores` become its row of `targets`, in that order
    /// (`scores[scoreNames[k]]` is column k).
    /// - Throws: when the list is empty, an example is empty or longer than `length`, or an
    ///   example lacks one of `scoreNames`.
    public func padded(padID: Int = 0, length: Int? = nil, scoreNames: [String]? = nil) throws -> LabelledBatch {
        guard !isEmpty, allSatisfy({ !$0.ids.isEmpty }) else {
            throw DatasetError.invalidArgument("a batch needs at least one non-empty example")
        }
        let T = length ?? map(\.ids.count).max() ?? 0
        if let long = first(where: { $0.ids.count > T }) {
            throw DatasetError.invalidArgument("an example of \(long.ids.count) tokens exceeds the batch length \(T)")
        }
        var ids: [Int] = []
        var mask: [Int] = []
        var labels: [Int] = []
        for example in self {
            let pad = T - example.ids.count
            ids += example.ids + [Int](repeating: padID, count: pad)
            mask += [Int](repeating: 1, count: example.ids.count) + [Int](repeating: 0, count: pad)
            labels += example.labels + [Int](repeating: -100, count: pad)
        }
        return LabelledBatch(
            tokens: try TokenBatch(ids: ids, batchSize: count, length: T, attentionMask: mask),
            labels: labels, classLabels: map(\.label), targets: try scoreNames.map { try targets($0) })
    }

    /// Each example's scores in the order of `names`, as a row of floats.
    /// - Throws: naming the first missing score.
    public func targets(_ names: [String]) throws -> [[Float]] {
        try enumerated().map { index, example in
            try names.map { name in
                guard let value = example.scores[name] else {
                    throw DatasetError.invalidArgument("example \(index) of the batch has no score '\(name)' (has: \(example.scores.keys.sorted().joined(separator: ", ")))")
                }
                return Float(value)
            }
        }
    }

    /// Consecutive batches of `size` (the last may be smaller), each padded.
    public func batches(of size: Int, padID: Int = 0) throws -> [LabelledBatch] {
        guard size > 0 else { throw DatasetError.invalidArgument("batch size must be positive") }
        return try stride(from: 0, to: count, by: size).map { try Array(self[$0..<Swift.min($0 + size, count)]).padded(padID: padID) }
    }
}
