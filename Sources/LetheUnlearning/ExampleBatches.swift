import LetheTensor
import LetheText

/// Encoded examples in shuffled epochs, as one batch part (`train` by default): fine-tuning
/// pairs, a classifier's labelled texts, a retraining set.
///
/// The examples are walked in the sequence perm₀ ++ perm₁ ++ …, where epoch e's permutation
/// permₑ is drawn (Fisher-Yates) from `RandomGenerator(seed: seed ^ e·0x9E3779B97F4A7C15)`;
/// micro-batch i holds positions i·B ..< (i+1)·B of that sequence. So every batch is full,
/// every example is seen once per epoch, and `batch(i)` is a pure function of (seed, i): a
/// resumed run sees the batches an uninterrupted one would.
///
/// Each batch is right-padded with `padID` (loss labels −100 on padding), carries the
/// examples' class labels and, with `scoreNames`, their scores as float targets in that
/// order (`LabelledBatch.targets[b][k] = scores[scoreNames[k]]`), e.g. the moderation scores
/// a distillation objective regresses on.
public struct ExampleBatches: TrainingData {
    public let examples: [EncodedExample]
    public let batchSize: Int
    public let seed: UInt64
    public let padID: Int
    public let part: String
    /// The score names whose values become each example's targets, in order; nil: none.
    public let scoreNames: [String]?

    /// - Throws: when there are no examples, an example is empty, the batch size is not
    ///   positive, or an example lacks one of `scoreNames`.
    public init(
        examples: [EncodedExample], batchSize: Int, seed: UInt64, padID: Int = 0, part: String = TrainingBatch.train,
        scoreNames: [String]? = nil
    ) throws {
        guard !examples.isEmpty, examples.allSatisfy({ !$0.ids.isEmpty }) else {
            throw UnlearningError.invalidInput("\(part): needs at least one example, none empty")
        }
        guard batchSize > 0 else { throw UnlearningError.invalidInput("batch size must be positive") }
        if let scoreNames { _ = try examples.targets(scoreNames) }
        (self.examples, self.batchSize, self.seed, self.padID) = (examples, batchSize, seed, padID)
        (self.part, self.scoreNames) = (part, scoreNames)
    }

    public var parts: [String] { [part] }

    /// Micro-batches per epoch, counting a batch that straddles two epochs in the first.
    public var batchesPerEpoch: Int { (examples.count + batchSize - 1) / batchSize }

    /// The examples (indices into `examples`) of micro-batch `index`.
    public func indices(_ index: Int) throws -> [Int] {
        guard index >= 0 else { throw UnlearningError.invalidInput("batch index \(index) is negative") }
        let n = examples.count
        let start = index * batchSize
        var result: [Int] = []
        result.reserveCapacity(batchSize)
        var epoch = start / n
        var order = permutation(epoch)
        for position in start..<(start + batchSize) {
            if position / n != epoch {
                epoch = position / n
                order = permutation(epoch)
            }
            result.append(order[position % n])
        }
        return result
    }

    public func batch(_ index: Int) throws -> TrainingBatch {
        let batch = try indices(index).map { examples[$0] }.padded(padID: padID, scoreNames: scoreNames)
        return TrainingBatch(parts: [part: batch])
    }

    private func permutation(_ epoch: Int) -> [Int] {
        var rng = RandomGenerator(seed: mixedSeed(seed, epoch))
        return Sampling.shuffled(Array(examples.indices), rng: &rng)
    }
}
