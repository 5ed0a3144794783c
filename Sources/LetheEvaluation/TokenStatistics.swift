import Foundation
import LetheLayers
import LetheTensor

/// A token sequence to score: ids, which tokens count as prediction targets, and the text it
/// came from (for byte- and zlib-normalised scores).
public struct ScoredSequence: Sendable, Equatable {
    /// Token ids.
    public var ids: [Int]
    /// Per position: whether the token is scored as a prediction target (the completion of a
    /// prompt/completion pair; every token of a plain text). Position 0 is never scored: it
    /// has no context (Hugging Face's label shift).
    public var scored: [Bool]
    /// The example's text (prompt + completion, or the text), as open-unlearning compresses it.
    public var text: String

    /// - Throws: `EvaluationError.invalidArgument` when `scored` and `ids` differ in length.
    public init(ids: [Int], scored: [Bool], text: String) throws {
        guard ids.count == scored.count else {
            throw EvaluationError.invalidArgument(
                name: "scored", reason: "\(scored.count) flags for \(ids.count) tokens")
        }
        (self.ids, self.scored, self.text) = (ids, scored, text)
    }
}

/// Per-token quantities of one sequence under a causal language model, for the scored
/// tokens in order.
public struct TokenStatistics: Sendable, Equatable {
    /// log p(x_t | x_<t) in nats.
    public var logProbabilities: [Double]
    /// μ_t = Σ_v p(v | x_<t) log p(v | x_<t) (Min-K%++; empty unless requested).
    public var expectedLogProbabilities: [Double]
    /// σ²_t = Σ_v p(v | x_<t) (log p(v | x_<t))² − μ_t² (Min-K%++; empty unless requested).
    public var logProbabilityVariances: [Double]

    /// - Parameters: see the properties (the last two may be empty).
    public init(logProbabilities: [Double], expectedLogProbabilities: [Double] = [], logProbabilityVariances: [Double] = []) {
        self.logProbabilities = logProbabilities
        self.expectedLogProbabilities = expectedLogProbabilities
        self.logProbabilityVariances = logProbabilityVariances
    }

    /// Mean negative log-likelihood −(1/N) Σ_t log p(x_t | x_<t), the LOSS attack's quantity
    /// and Hugging Face's mean causal-LM loss over the labelled tokens.
    public var meanNLL: Double {
        logProbabilities.isEmpty ? .nan : -logProbabilities.reduce(0, +) / Double(logProbabilities.count)
    }
}

extension CausalLanguageModel {
    /// Scores sequences in batches of `batchSize` (right-padded, so causal attention leaves
    /// the real positions unchanged), without dropout and without recording gradients.
    ///
    ///     log p(x_t | x_<t) = logSoftmax(logits[t − 1])[x_t]      for scored t ≥ 1
    ///
    /// The last token of a sequence is only a target, so a sequence may hold
    /// `contextLength + 1` tokens; a one-token sequence has nothing to score.
    /// - Parameters:
    ///   - sequences: each 1 to `dimensions.contextLength + 1` tokens.
    ///   - distribution: also compute μ_t and σ²_t over the vocabulary (Min-K%++).
    ///   - batchSize: sequences per forward pass.
    /// - Returns: one `TokenStatistics` per sequence.
    /// - Throws: `EvaluationError.invalidArgument` for an empty or over-long sequence or a bad
    ///   batch size, or the model's errors.
    public func tokenStatistics(
        _ sequences: [ScoredSequence], distribution: Bool = false, batchSize: Int = 8
    ) throws -> [TokenStatistics] {
        guard batchSize > 0 else {
            throw EvaluationError.invalidArgument(name: "batch size", reason: "must be positive, got \(batchSize)")
        }
        for (i, s) in sequences.enumerated() where s.ids.isEmpty || s.ids.count > dimensions.contextLength + 1 {
            throw EvaluationError.invalidArgument(
                name: "sequence \(i)", reason: "has \(s.ids.count) tokens; needs 1 to \(dimensions.contextLength + 1)")
        }
        let savedDropout = dropout
        dropout = nil
        defer { dropout = savedDropout }
        var results: [TokenStatistics] = []
        for start in stride(from: 0, to: sequences.count, by: batchSize) {
            let chunk = Array(sequences[start..<min(start + batchSize, sequences.count)])
            results += try withoutGradients { try scoreBatch(chunk, distribution: distribution) }
        }
        return results
    }

    private func scoreBatch(_ chunk: [ScoredSequence], distribution: Bool) throws -> [TokenStatistics] {
        // Inputs are the sequences without their last token (it predicts nothing).
        let (B, T, V) = (chunk.count, (chunk.map(\.ids.count).max() ?? 1) - 1, dimensions.vocabularySize)
        let empty = TokenStatistics(logProbabilities: [], expectedLogProbabilities: [], logProbabilityVariances: [])
        if T == 0 { return chunk.map { _ in empty } }
        var ids: [Int] = []
        var mask: [Int] = []
        for s in chunk {
            let n = s.ids.count - 1
            ids += s.ids.prefix(n) + [Int](repeating: dimensions.endOfTextID % V, count: T - n)
            mask += [Int](repeating: 1, count: n) + [Int](repeating: 0, count: T - n)
        }
        let batch = try TokenBatch(ids: ids, batchSize: B, length: T, attentionMask: B > 1 ? mask : nil)
        let logProbs = try logits(batch).logSoftmax().floats  // (B,T,V)
        return chunk.enumerated().map { b, s in
            var stats = empty
            for t in 1..<max(1, s.ids.count) where s.scored[t] {
                let row = (b * T + t - 1) * V
                stats.logProbabilities.append(Double(logProbs[row + s.ids[t]]))
                guard distribution else { continue }
                var (mean, square) = (0.0, 0.0)
                for v in 0..<V {
                    let l = Double(logProbs[row + v])
                    let p = exp(l)
                    mean += p * l
                    square += p * l * l
                }
                stats.expectedLogProbabilities.append(mean)
                stats.logProbabilityVariances.append(square - mean * mean)
            }
            return stats
        }
    }
}
