/// How a long token sequence is cut into model-sized windows for perplexity.
///
/// Two conventions, and every `PerplexityResult` says which one produced it (their numbers
/// differ: see the research notes, B4):
/// - `rollingDisjoint`: lm-evaluation-harness `loglikelihood_rolling` (`wikitext` task;
///   `get_rolling_token_windows` + `make_disjoint_window`, `context_len = 1`). The sequence
///   is prefixed with a token (end of text for GPT-2) so **every** token is scored, the
///   first one conditioned on the prefix alone; windows predict disjoint chunks of L tokens
///   from the preceding L inputs; the last short chunk gets extra left context.
/// - `slidingWindow(stride:)`: Hugging Face's "Perplexity of fixed-length models"
///   (`docs/source/en/perplexity.md`): windows of L tokens start every `stride` tokens and
///   score only the tokens the previous window did not; the first token is never scored.
///   Lethe counts the tokens actually scored (the doc's `num_valid_tokens − batch_size`
///   under-counts overlapping windows by one each). With stride = L the windows are
///   independent chunks whose first tokens go unscored.
public enum PerplexityConvention: Codable, Equatable, Hashable, Sendable, CustomStringConvertible {
    case rollingDisjoint
    case slidingWindow(stride: Int)

    /// `rolling-disjoint (lm-eval)` or `sliding-window stride S (HF)`.
    public var description: String {
        switch self {
        case .rollingDisjoint: "rolling-disjoint (lm-eval)"
        case let .slidingWindow(stride): "sliding-window stride \(stride) (HF)"
        }
    }
}

/// One forward pass of a perplexity evaluation, as index ranges into the scored sequence
/// (the tokens with the prefix in front for `rollingDisjoint`; the tokens alone for
/// `slidingWindow`): the model reads `inputStart ..< targetEnd − 1` and the tokens
/// `targetStart ..< targetEnd` are scored, each from the inputs before it.
public struct PerplexityWindow: Equatable, Sendable {
    /// First input position.
    public var inputStart: Int
    /// First scored position (> inputStart).
    public var targetStart: Int
    /// One past the last scored position.
    public var targetEnd: Int

    /// - Parameters: see the properties.
    public init(inputStart: Int, targetStart: Int, targetEnd: Int) {
        (self.inputStart, self.targetStart, self.targetEnd) = (inputStart, targetStart, targetEnd)
    }
}

extension PerplexityConvention {
    /// The windows covering `tokenCount` tokens with a model context of `contextLength`.
    ///
    /// lm-eval's example (L = 4, tokens 1…10, prefix 0, so the scored sequence is 0…10):
    /// inputs [0,1,2,3] → 1…4, [4,5,6,7] → 5…8, [6,7,8,9] → 9, 10; that is windows
    /// (0, 1, 5), (4, 5, 9), (6, 9, 11).
    /// - Throws: `EvaluationError.invalidArgument` for a context below 1 or a stride outside
    ///   1…L.
    public func windows(tokenCount n: Int, contextLength L: Int) throws -> [PerplexityWindow] {
        guard L >= 1 else { throw EvaluationError.invalidArgument(name: "context length", reason: "must be ≥ 1, got \(L)") }
        var windows: [PerplexityWindow] = []
        switch self {
        case .rollingDisjoint:
            // Scored sequence s = [prefix] + tokens; token i is s[i + 1].
            var predicted = 0
            while predicted < n {
                let end = min(predicted + L, n)
                windows.append(PerplexityWindow(inputStart: max(0, end - L), targetStart: predicted + 1, targetEnd: end + 1))
                predicted = end
            }
        case let .slidingWindow(stride):
            guard stride >= 1, stride <= L else {
                throw EvaluationError.invalidArgument(name: "stride", reason: "must lie in 1…\(L), got \(stride)")
            }
            var previousEnd = 0
            for begin in Swift.stride(from: 0, to: n, by: stride) {
                let end = min(begin + L, n)
                let targetStart = max(begin + 1, previousEnd)
                if targetStart < end {
                    windows.append(PerplexityWindow(inputStart: begin, targetStart: targetStart, targetEnd: end))
                }
                previousEnd = end
                if end == n { break }
            }
        }
        return windows
    }
}
