/// A source of training batches, indexed by micro-batch: `batch(i)` is the i-th micro-batch
/// of the run (0-based; step s with accumulation k reads micro-batches s·k ..< (s+1)·k).
///
/// `batch(i)` must be a pure function of the source's seed and `i`: a run resumed at step s
/// from a checkpoint then sees exactly the batches an uninterrupted run would have, with
/// nothing but the step number restored. Conformers: `UnlearningData` (forget / retain /
/// preferred), `ExampleBatches` (shuffled epochs of encoded examples, one part) and
/// `TokenWindows` (random windows of a token stream, part `train`).
public protocol TrainingData {
    /// The part names every batch holds (`TrainingBatch.train`, ...): checked against the
    /// objective's `parts` before the first step.
    var parts: [String] { get }
    /// The micro-batch `index` (0-based, counting every micro-batch).
    func batch(_ index: Int) throws -> TrainingBatch
}

extension TrainingData {
    /// Throws `UnlearningError.missingBatch` naming the first part `objective` reads that this
    /// data does not provide.
    public func check(for objective: any TrainingObjective) throws {
        if let missing = objective.parts.first(where: { !parts.contains($0) }) {
            throw UnlearningError.missingBatch(owner: "objective \(type(of: objective).name)", part: missing)
        }
    }
}

/// A seed mixed with a counter (an epoch, a batch index) for an independent generator:
/// `seed ^ (counter · 0x9E3779B97F4A7C15)`, which `RandomGenerator`'s SplitMix64 seeding then
/// spreads over its state. Counter 0 gives the seed itself.
func mixedSeed(_ seed: UInt64, _ counter: Int) -> UInt64 {
    seed ^ (UInt64(truncatingIfNeeded: counter) &* 0x9E37_79B9_7F4A_7C15)
}
