import Foundation

/// TOFU's question-answer metrics (Maini et al., "TOFU: A Task of Fictitious Unlearning for
/// LLMs", 2024), with the aggregation of the reference code (`locuslab/tofu`,
/// `aggregate_eval_stat.py`). Per question the model gives mean per-token negative
/// log-likelihoods of the answer given the question: L(a) for the correct answer, L(â) for
/// its paraphrase and L(ãₖ) for each perturbed (wrong) answer.
///
///     probability      P(a|q)^(1/|a|) = exp(−L(a))
///     option share     exp(−L(a)) / (exp(−L(a)) + Σₖ exp(−L(ãₖ)))          "real world" sets
///     s                exp(mean_k L(ãₖ) − L(â))    TOFU's paraphrased-over-perturbed ratio
///     R_truth          1 / s = (Πₖ P(ãₖ|q)^(1/|ãₖ|))^(1/K) / P(â|q)^(1/|â|)  (the paper's)
///     truth ratio      forget: mean min(s, 1/s);  retain and world: mean max(0, 1 − R_truth)
///     ROUGE-L          mean recall of the greedy answer against a (`RougeL`)
///     forget quality   KS p-value of s on the forget set against the retrained oracle's s
///     model utility    harmonic mean of (probability, truth ratio, ROUGE) over the retain
///                      set and every world set (retain's probability is plain, a world
///                      set's is the option share)
/// Reference: `scripts/reference/make_qa_metrics_fixture.py` (numpy, scipy).
public enum QuestionAnswerMetrics {
    /// One question's scores.
    public struct Question: Sendable, Equatable {
        /// L(a), L(â), L(ãₖ): mean NLL per answer token, nats.
        public var answerNLL: Double
        public var paraphrasedNLL: Double
        public var perturbedNLL: [Double]
        /// ROUGE-L recall of the greedy answer (nil when not generated).
        public var rougeRecall: Double?

        public init(answerNLL: Double, paraphrasedNLL: Double, perturbedNLL: [Double], rougeRecall: Double? = nil) {
            (self.answerNLL, self.paraphrasedNLL, self.perturbedNLL, self.rougeRecall) = (answerNLL, paraphrasedNLL, perturbedNLL, rougeRecall)
        }

        /// exp(−L(a)).
        public var probability: Double { exp(-answerNLL) }
        /// exp(−L(a)) over the correct and perturbed answers' together.
        public var optionShare: Double {
            let truth = exp(-answerNLL)
            return truth / (truth + perturbedNLL.reduce(0) { $0 + exp(-$1) })
        }
        /// s = exp(mean_k L(ãₖ) − L(â)); NaN without perturbed answers.
        public var paraphrasedOverPerturbed: Double {
            perturbedNLL.isEmpty ? .nan : exp(perturbedNLL.reduce(0, +) / Double(perturbedNLL.count) - paraphrasedNLL)
        }
    }

    /// How a set is aggregated.
    public enum Role: String, Sendable { case forget, retain, world }

    /// A set's three numbers.
    public struct Aggregate: Sendable, Equatable {
        public var probability: Double
        public var truthRatio: Double
        /// NaN when no answer was generated.
        public var rouge: Double
    }

    /// The set's probability, truth ratio and ROUGE as TOFU aggregates a set of `role`.
    /// - Throws: `EvaluationError.insufficientData` for an empty set or a question without a
    ///   perturbed answer.
    public static func aggregate(_ questions: [Question], role: Role) throws -> Aggregate {
        guard !questions.isEmpty else { throw EvaluationError.insufficientData("no questions in the \(role.rawValue) set") }
        guard questions.allSatisfy({ !$0.perturbedNLL.isEmpty }) else {
            throw EvaluationError.insufficientData("a question of the \(role.rawValue) set has no perturbed answer")
        }
        func mean(_ xs: [Double]) -> Double { xs.isEmpty ? .nan : xs.reduce(0, +) / Double(xs.count) }
        let s = questions.map(\.paraphrasedOverPerturbed)
        let truth = role == .forget ? mean(s.map { min($0, 1 / $0) }) : mean(s.map { max(0, 1 - 1 / $0) })
        let probability = mean(questions.map { role == .world ? $0.optionShare : $0.probability })
        return Aggregate(probability: probability, truthRatio: truth, rouge: mean(questions.compactMap(\.rougeRecall)))
    }

    /// Forget quality: the KS p-value of the forget set's s against the oracle's.
    /// - Throws: `KolmogorovSmirnov`'s errors.
    public static func forgetQuality(forget: [Question], oracle: [Double]) throws -> Double {
        try KolmogorovSmirnov.twoSample(forget.map(\.paraphrasedOverPerturbed), oracle).pValue
    }

    /// The harmonic mean n / Σ 1/xᵢ of positive values; 0 when one is 0 (scipy's `hmean`).
    /// - Throws: `EvaluationError.invalidArgument` for no value, a negative one or a NaN.
    public static func harmonicMean(_ values: [Double]) throws -> Double {
        guard !values.isEmpty, values.allSatisfy({ $0 >= 0 }) else {
            throw EvaluationError.invalidArgument(name: "harmonic mean", reason: "needs non-negative numbers, got \(values)")
        }
        if values.contains(0) { return 0 }
        return Double(values.count) / values.reduce(0) { $0 + 1 / $1 }
    }
}
