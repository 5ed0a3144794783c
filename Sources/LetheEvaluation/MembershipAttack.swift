import Foundation

/// A membership-inference attack: a per-example score from the target model's token
/// statistics (and a reference model's, for `.reference`).
///
/// Scores follow the package convention (`MembershipScores`): **higher = more likely a
/// member**. mimir and open-unlearning report loss-like scores (lower = member); each Lethe
/// score is exactly the negation of theirs, so AUCs agree with open-unlearning's `mia_auc`.
///
/// | attack | Lethe score | reference |
/// |---|---|---|
/// | `loss` | −NLL, NLL = −(1/N) Σ_t log p(x_t) | Yeom et al. 2018 |
/// | `zlib` | −NLL / len(zlib(text)) | Carlini et al. 2021 |
/// | `minK(k)` | (1/K) Σ of the K lowest log p(x_t), K = max(1, ⌊kN⌋) | Shi et al. 2024 (Min-K%) |
/// | `minKPlusPlus(k)` | (1/K) Σ of the K lowest z_t = (log p(x_t) − μ_t) / √max(σ²_t, 1e-6) | Zhang et al. 2024 (Min-K%++) |
/// | `reference` | NLL_reference − NLL_target | Carlini et al. 2021 / mimir `ref` |
///
/// μ_t and σ²_t are the mean and variance of log p(v | x_<t) under the model's own
/// next-token distribution. Implementations: mimir `mimir/attacks/*.py`, open-unlearning
/// `src/evals/metrics/mia/*.py` (whose `max(1, ⌊kN⌋)` and σ² clamp are followed, avoiding
/// mimir's NaN for short texts). Min-K% defaults to k = 0.2 (mimir; open-unlearning's
/// TOFU/MUSE configs use 0.4).
public enum MembershipAttack: Sendable, Equatable, Hashable, CustomStringConvertible {
    case loss
    case zlib
    case minK(fraction: Double = 0.2)
    case minKPlusPlus(fraction: Double = 0.2)
    case reference

    /// The five attacks with default fractions.
    public static let all: [MembershipAttack] = [.loss, .zlib, .minK(), .minKPlusPlus(), .reference]

    /// The names recipes and commands use, in the order of `all`.
    public static let names = ["loss", "zlib", "min_k", "min_k_plus_plus", "reference"]

    /// The attack with this name (`names`; `min_k++` is accepted for `min_k_plus_plus`),
    /// with its default fraction.
    /// - Throws: `EvaluationError.invalidArgument` listing the available names.
    public static func named(_ name: String) throws -> MembershipAttack {
        switch name {
        case "loss": return .loss
        case "zlib": return .zlib
        case "min_k": return .minK()
        case "min_k_plus_plus", "min_k++": return .minKPlusPlus()
        case "reference": return .reference
        default:
            throw EvaluationError.invalidArgument(
                name: "membership attack", reason: "unknown attack '\(name)'; available: \(names.joined(separator: ", "))")
        }
    }

    /// A stable name for tables and JSON: `loss`, `zlib`, `min_k@0.2`, `min_k++@0.2`, `reference`.
    public var description: String {
        switch self {
        case .loss: "loss"
        case .zlib: "zlib"
        case let .minK(k): "min_k@\(k)"
        case let .minKPlusPlus(k): "min_k++@\(k)"
        case .reference: "reference"
        }
    }

    /// Whether the attack needs μ_t and σ²_t over the vocabulary.
    public var needsDistribution: Bool { if case .minKPlusPlus = self { true } else { false } }

    /// The membership score of one example (higher = member).
    /// - Parameters:
    ///   - target: statistics under the model being attacked.
    ///   - reference: statistics under the reference model (`.reference` only).
    ///   - text: the example's text (`.zlib` only).
    /// - Throws: `EvaluationError` when the example has no scored token, k is outside
    ///   (0, 1], or a needed input is missing.
    public func score(target: TokenStatistics, reference: TokenStatistics? = nil, text: String = "") throws -> Double {
        let lp = target.logProbabilities
        guard !lp.isEmpty else { throw EvaluationError.insufficientData("an example has no scored token") }
        switch self {
        case .loss:
            return -target.meanNLL
        case .zlib:
            return -target.meanNLL / Double(try Zlib.compressedLength(of: text))
        case let .minK(k):
            return try Self.meanOfLowest(lp, fraction: k)
        case let .minKPlusPlus(k):
            guard target.expectedLogProbabilities.count == lp.count, target.logProbabilityVariances.count == lp.count
            else { throw EvaluationError.insufficientData("Min-K%++ needs the model's per-position mean and variance") }
            let z = lp.indices.map {
                (lp[$0] - target.expectedLogProbabilities[$0]) / max(target.logProbabilityVariances[$0], 1e-6).squareRoot()
            }
            return try Self.meanOfLowest(z, fraction: k)
        case .reference:
            guard let reference, !reference.logProbabilities.isEmpty else {
                throw EvaluationError.insufficientData("the reference attack needs a reference model")
            }
            return reference.meanNLL - target.meanNLL
        }
    }

    /// Mean of the K = max(1, ⌊kN⌋) smallest values.
    static func meanOfLowest(_ values: [Double], fraction k: Double) throws -> Double {
        guard k > 0, k <= 1 else {
            throw EvaluationError.invalidArgument(name: "Min-K% fraction", reason: "\(k) is not in (0, 1]")
        }
        let count = max(1, Int((k * Double(values.count)).rounded(.down)))
        return values.sorted().prefix(count).reduce(0, +) / Double(count)
    }
}

/// PrivLeak (MUSE, Shi et al. 2024; open-unlearning `src/evals/metrics/privacy.py`): the
/// relative gap between the unlearned model's membership AUC and a model retrained without
/// the forget set,
///
///     PrivLeak = ((1 − AUC_unlearned) − (1 − AUC_retrained)) / (1 − AUC_retrained) · 100
///              = (AUC_retrained − AUC_unlearned) / (1 − AUC_retrained) · 100
///
/// with AUCs in this package's convention (members = forget set, higher = member), which
/// equals open-unlearning's. About 0 is ideal; strongly negative means under-unlearned (the
/// forget set still looks like training data), strongly positive over-unlearned.
/// open-unlearning computes it on Min-K% with k = 0.4 and adds 1e-10 to the denominator.
/// - Parameters:
///   - auc: the unlearned model's forget-vs-holdout AUC.
///   - retrainedAUC: the retrained model's AUC; nil falls back to 0.5 (open-unlearning's
///     `ref_value`).
/// - Returns: PrivLeak in percent.
public func privLeak(auc: Double, retrainedAUC: Double? = nil) -> Double {
    let reference = 1 - (retrainedAUC ?? 0.5)
    return ((1 - auc) - reference) / (reference + 1e-10) * 100
}
