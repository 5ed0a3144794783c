import LetheLayers
import LetheTensor
import LetheText

/// Random windows of a token stream, every token counted, as part `train`: pretraining on
/// concatenated documents (Radford et al. 2019's setup; llm.c's data loader draws windows the
/// same way).
///
/// Row r of micro-batch i is `stream[s ..< s + length]`, with s uniform in
/// 0 … count − length, drawn from `RandomGenerator(seed: seed ^ i·0x9E3779B97F4A7C15)`, so
/// `batch(i)` is a pure function of (seed, i). Labels are the tokens themselves (the model
/// shifts them: position t predicts token t + 1); a stream shorter than `length` gives one
/// right-padded window (labels −100 and attention mask 0 on padding).
public struct TokenWindows: TrainingData {
    public let stream: [Int]
    public let length: Int
    public let batchSize: Int
    public let seed: UInt64
    public let padID: Int

    /// - Throws: when the stream has fewer than 2 tokens, or length or batch size is not positive.
    public init(stream: [Int], length: Int, batchSize: Int, seed: UInt64, padID: Int = 0) throws {
        guard stream.count >= 2 else { throw UnlearningError.invalidInput("a token stream of \(stream.count) tokens has nothing to predict") }
        guard length > 0, batchSize > 0 else {
            throw UnlearningError.invalidInput("window length (\(length)) and batch size (\(batchSize)) must be positive")
        }
        (self.stream, self.length, self.batchSize, self.seed, self.padID) = (stream, length, batchSize, seed, padID)
    }

    public var parts: [String] { [TrainingBatch.train] }

    /// The window starts of micro-batch `index`, one per row.
    public func starts(_ index: Int) throws -> [Int] {
        guard index >= 0 else { throw UnlearningError.invalidInput("batch index \(index) is negative") }
        var rng = RandomGenerator(seed: mixedSeed(seed, index))
        let choices = Swift.max(1, stream.count - length + 1)
        return (0..<batchSize).map { _ in Sampling.index(below: choices, rng: &rng) }
    }

    public func batch(_ index: Int) throws -> TrainingBatch {
        var ids: [Int] = []
        var labels: [Int] = []
        var mask: [Int] = []
        for start in try starts(index) {
            let window = stream[start..<Swift.min(stream.count, start + length)]
            let pad = length - window.count
            ids += window + [Int](repeating: padID, count: pad)
            labels += window + [Int](repeating: -100, count: pad)
            mask += [Int](repeating: 1, count: window.count) + [Int](repeating: 0, count: pad)
        }
        let padded = mask.contains(0)
        let tokens = try TokenBatch(ids: ids, batchSize: batchSize, length: length, attentionMask: padded ? mask : nil)
        let batch = LabelledBatch(tokens: tokens, labels: labels, classLabels: [Int?](repeating: nil, count: batchSize))
        return TrainingBatch(parts: [TrainingBatch.train: batch])
    }
}
