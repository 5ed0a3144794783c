import Foundation

// The built-in membership attacks. Scores (higher = member; each is the negation of the
// loss-like score of mimir `mimir/attacks/*.py` and open-unlearning
// `src/evals/metrics/mia/*.py`):
//
// | name | Lethe score | reference |
// |---|---|---|
// | `loss` | −NLL, NLL = −(1/N) Σ_t log p(x_t) | Yeom et al. 2018 |
// | `zlib` | −NLL / len(zlib(text)) | Carlini et al. 2021 |
// | `min_k` (k) | (1/K) Σ of the K lowest log p(x_t), K = max(1, ⌊kN⌋) | Shi et al. 2024 (Min-K%) |
// | `min_k_plus_plus` (k) | (1/K) Σ of the K lowest z_t = (log p(x_t) − μ_t) / √max(σ²_t, 1e-6) | Zhang et al. 2024 (Min-K%++) |
// | `reference` (model) | NLL_reference − NLL_target | Carlini et al. 2021 / mimir `ref` |
//
// μ_t and σ²_t are the mean and variance of log p(v | x_<t) under the model's own next-token
// distribution. open-unlearning's `max(1, ⌊kN⌋)` and σ² clamp are followed, avoiding mimir's
// NaN for short texts.

/// LOSS (Yeom et al. 2018): score = −NLL, the mean log-probability of the scored tokens.
/// No options.
public struct LossAttack: MembershipAttackMethod {
    public static let name = "loss"
    public static let summary = "LOSS: minus the mean NLL of the scored tokens (Yeom et al. 2018)"

    public init() {}
    public init(options: PluginOptions) throws { try options.accept([]) }

    public func score(target: TokenStatistics, reference: TokenStatistics?, text: String) throws -> Double {
        try scoredTokens(target)
        return -target.meanNLL
    }
}

/// zlib (Carlini et al. 2021): score = −NLL / len(zlib(text)), the compressed length of the
/// example's UTF-8 text at zlib level 6 (`Zlib.compressedLength`). No options.
public struct ZlibAttack: MembershipAttackMethod {
    public static let name = "zlib"
    public static let summary = "zlib: minus the mean NLL over the zlib-compressed length of the text (Carlini et al. 2021)"

    public init() {}
    public init(options: PluginOptions) throws { try options.accept([]) }

    public func score(target: TokenStatistics, reference: TokenStatistics?, text: String) throws -> Double {
        try scoredTokens(target)
        return -target.meanNLL / Double(try Zlib.compressedLength(of: text))
    }
}

/// Min-K% (Shi et al. 2024): score = mean of the K = max(1, ⌊kN⌋) lowest token
/// log-probabilities. Option `k` in (0, 1], default 0.2 (mimir; open-unlearning's TOFU/MUSE
/// configs use 0.4). Label `min_k@<k>`.
public struct MinKAttack: MembershipAttackMethod {
    public static let name = "min_k"
    public static let summary = "Min-K%: mean of the k lowest token log-probabilities (Shi et al. 2024); k default 0.2"
    public var k: Double

    public init(k: Double = 0.2) { self.k = k }
    public init(options: PluginOptions) throws {
        try options.accept(["k"])
        k = try fraction(options)
    }

    public var label: String { "min_k@\(k)" }

    public func score(target: TokenStatistics, reference: TokenStatistics?, text: String) throws -> Double {
        try scoredTokens(target)
        return try meanOfLowest(target.logProbabilities, fraction: k)
    }
}

/// Min-K%++ (Zhang et al. 2024): score = mean of the K = max(1, ⌊kN⌋) lowest
/// z_t = (log p(x_t) − μ_t) / √max(σ²_t, 1e-6). Option `k` in (0, 1], default 0.2. Needs the
/// per-position distribution. Label `min_k++@<k>`.
public struct MinKPlusPlusAttack: MembershipAttackMethod {
    public static let name = "min_k_plus_plus"
    public static let summary = "Min-K%++: Min-K% of log-probabilities standardised by the model's own distribution (Zhang et al. 2024)"
    public var k: Double

    public init(k: Double = 0.2) { self.k = k }
    public init(options: PluginOptions) throws {
        try options.accept(["k"])
        k = try fraction(options)
    }

    public var label: String { "min_k++@\(k)" }
    public var needsDistribution: Bool { true }

    public func score(target: TokenStatistics, reference: TokenStatistics?, text: String) throws -> Double {
        try scoredTokens(target)
        let lp = target.logProbabilities
        guard target.expectedLogProbabilities.count == lp.count, target.logProbabilityVariances.count == lp.count else {
            throw EvaluationError.insufficientData("Min-K%++ needs the model's per-position mean and variance")
        }
        let z = lp.indices.map {
            (lp[$0] - target.expectedLogProbabilities[$0]) / max(target.logProbabilityVariances[$0], 1e-6).squareRoot()
        }
        return try meanOfLowest(z, fraction: k)
    }
}

/// Reference model (Carlini et al. 2021; mimir `ref`): score = NLL_reference − NLL_target,
/// high when the target finds the example much likelier than a model not trained on it.
/// Option `model`: the reference model's path (a Hugging Face folder or a checkpoint); the
/// membership suite requires it. Label `reference`.
public struct ReferenceAttack: MembershipAttackMethod {
    public static let name = "reference"
    public static let summary = "reference: the reference model's NLL minus the target's (Carlini et al. 2021); option model: PATH"
    public var model: String?

    public init(model: String? = nil) { self.model = model }
    public init(options: PluginOptions) throws {
        try options.accept(["model"])
        model = try options.optionalText("model")
    }

    public var needsReference: Bool { true }
    public var referenceModel: String? { model }

    public func score(target: TokenStatistics, reference: TokenStatistics?, text: String) throws -> Double {
        try scoredTokens(target)
        guard let reference, !reference.logProbabilities.isEmpty else {
            throw EvaluationError.insufficientData("the reference attack needs a reference model")
        }
        return reference.meanNLL - target.meanNLL
    }
}

/// Throws when an example has no scored token.
private func scoredTokens(_ statistics: TokenStatistics) throws {
    guard !statistics.logProbabilities.isEmpty else { throw EvaluationError.insufficientData("an example has no scored token") }
}

/// The option `k`, a fraction in (0, 1], default 0.2.
private func fraction(_ options: PluginOptions) throws -> Double {
    let k = try options.number("k", default: 0.2)
    guard k > 0, k <= 1 else {
        try options.problem(options.fail("k", "must lie in (0, 1], got \(k)"))
        return 0.2
    }
    return k
}

/// Mean of the K = max(1, ⌊kN⌋) smallest values.
func meanOfLowest(_ values: [Double], fraction k: Double) throws -> Double {
    guard k > 0, k <= 1 else {
        throw EvaluationError.invalidArgument(name: "Min-K% fraction", reason: "\(k) is not in (0, 1]")
    }
    let count = max(1, Int((k * Double(values.count)).rounded(.down)))
    return values.sorted().prefix(count).reduce(0, +) / Double(count)
}
