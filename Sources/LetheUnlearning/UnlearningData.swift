import LetheTensor
import LetheText

/// The examples of an unlearning run and their order: forget examples (with, for preference
/// objectives, a preferred answer for each), and retain examples paired at random with them.
///
/// The order is a pure function of (seed, epoch): epoch e visits the forget set in the
/// permutation drawn from `RandomGenerator(seed: mixedSeed(seed, e))`, and each forget item meets a
/// retain item drawn from the same stream. A resumed run therefore needs only the step
/// number to continue with exactly the batches an uninterrupted run would have seen.
public struct UnlearningData: TrainingData {
    public let forget: [EncodedExample]
    public let retain: [EncodedExample]
    /// Preferred answers aligned with `forget` (empty when the objective uses none).
    public let preferred: [EncodedExample]
    public let batchSize: Int
    public let seed: UInt64
    public let padID: Int

    public init(
        forget: [EncodedExample], retain: [EncodedExample], preferred: [EncodedExample] = [], batchSize: Int,
        seed: UInt64, padID: Int = 0
    ) throws {
        guard !forget.isEmpty else { throw UnlearningError.invalidInput("the forget set is empty") }
        guard batchSize > 0 else { throw UnlearningError.invalidInput("batch size must be positive") }
        guard preferred.isEmpty || preferred.count == forget.count else {
            throw UnlearningError.invalidInput("\(preferred.count) preferred answers for \(forget.count) forget examples")
        }
        (self.forget, self.retain, self.preferred) = (forget, retain, preferred)
        (self.batchSize, self.seed, self.padID) = (batchSize, seed, padID)
    }

    /// Batches per pass over the forget set (the last one may be smaller).
    public var batchesPerEpoch: Int { (forget.count + batchSize - 1) / batchSize }

    /// `forget`, then `retain` and `preferred` when given.
    public var parts: [String] {
        [TrainingBatch.forget] + (retain.isEmpty ? [] : [TrainingBatch.retain]) + (preferred.isEmpty ? [] : [TrainingBatch.preferred])
    }

    /// The batch of (micro-)step `index` (0-based, counting every micro-batch).
    public func batch(_ index: Int) throws -> TrainingBatch {
        guard index >= 0 else { throw UnlearningError.invalidInput("batch index \(index) is negative") }
        let epoch = index / batchesPerEpoch
        let position = index % batchesPerEpoch
        var rng = RandomGenerator(seed: mixedSeed(seed, epoch))
        let order = Sampling.shuffled(Array(forget.indices), rng: &rng)
        let partners = retain.isEmpty ? [] : try Sampling.pairs(forget: order, retain: Array(retain.indices), rng: &rng).map(\.retain)
        let slots = (position * batchSize)..<min(forget.count, (position + 1) * batchSize)
        return TrainingBatch(
            forget: try slots.map { forget[order[$0]] }.padded(padID: padID),
            retain: retain.isEmpty ? nil : try slots.map { retain[partners[$0]] }.padded(padID: padID),
            preferred: preferred.isEmpty ? nil : try slots.map { preferred[order[$0]] }.padded(padID: padID))
    }
}
