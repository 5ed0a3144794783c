import Foundation
import LetheTensor

/// Bayesian estimation of the difference between two groups' means (seed 001: per-prompt
/// toxicity of a model before vs after fine-tuning).
///
/// Model, for each group independently (Gelman et al., *Bayesian Data Analysis*, 3rd ed.,
/// §3.2): x_i ~ Normal(μ, σ²) with the non-informative prior p(μ, σ²) ∝ 1/σ². The marginal
/// posterior of the mean is a Student-t,
///
///     μ | x ~ x̄ + (s / √n) · t_{n−1}        s² = Σ (x_i − x̄)² / (n − 1)
///
/// and the posterior of δ = μ_B − μ_A is estimated from `draws` seeded Monte Carlo pairs
/// (t = Z / √(χ²_ν / ν), χ² drawn as 2 · Gamma(ν/2) by Marsaglia–Tsang). Reported: the
/// posterior mean of δ, its equal-tailed credible interval, and P(δ > 0). (Kruschke's BEST
/// uses t-distributed data and MCMC; this conjugate model is its closed-form analogue for
/// means, adequate for hundreds of prompts.)
public struct BayesianComparison: Codable, Equatable, Sendable {
    /// Posterior mean of μ_A (= x̄_A).
    public var meanA: Double
    /// Posterior mean of μ_B.
    public var meanB: Double
    /// Monte Carlo posterior mean of δ = μ_B − μ_A.
    public var meanDifference: Double
    /// Equal-tailed credible interval of δ (quantiles of the draws).
    public var interval: Interval
    /// Share of draws with δ > 0.
    public var probabilityGreaterThanZero: Double
    /// Number of Monte Carlo draws.
    public var draws: Int

    /// Compares group B (e.g. after fine-tuning) with group A (before).
    /// - Parameters:
    ///   - a: observations of group A (at least 2, not all equal).
    ///   - b: observations of group B.
    ///   - draws: Monte Carlo draws, default 10 000.
    ///   - level: credible level, default 0.95.
    ///   - seed: the `RandomGenerator` seed.
    /// - Throws: `EvaluationError` for too few or constant observations, or bad arguments.
    public init(a: [Double], b: [Double], draws: Int = 10_000, level: Double = 0.95, seed: UInt64 = 0) throws {
        guard draws >= 2, level > 0, level < 1 else {
            throw EvaluationError.invalidArgument(name: "draws/level", reason: "need ≥ 2 draws and a level in (0, 1)")
        }
        let (posteriorA, posteriorB) = try (Self.posterior(a, "group A"), Self.posterior(b, "group B"))
        var rng = RandomGenerator(seed: seed)
        var deltas = (0..<draws).map { _ in
            Self.sample(posteriorB, &rng) - Self.sample(posteriorA, &rng)
        }
        meanA = posteriorA.location
        meanB = posteriorB.location
        meanDifference = deltas.reduce(0, +) / Double(draws)
        probabilityGreaterThanZero = Double(deltas.filter { $0 > 0 }.count) / Double(draws)
        deltas.sort()
        interval = Interval(
            lower: Bootstrap.quantile(sorted: deltas, (1 - level) / 2),
            upper: Bootstrap.quantile(sorted: deltas, (1 + level) / 2), level: level)
        self.draws = draws
    }

    /// The Student-t posterior of a mean: location x̄, scale s/√n, ν = n − 1.
    static func posterior(_ x: [Double], _ name: String) throws -> (location: Double, scale: Double, nu: Double) {
        guard x.count >= 2, x.allSatisfy(\.isFinite) else {
            throw EvaluationError.insufficientData("\(name) needs at least 2 finite observations, got \(x.count)")
        }
        let n = Double(x.count)
        let mean = x.reduce(0, +) / n
        let variance = x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)
        guard variance > 0 else { throw EvaluationError.insufficientData("\(name) has no variance (all observations equal)") }
        return (mean, (variance / n).squareRoot(), n - 1)
    }

    static func sample(_ p: (location: Double, scale: Double, nu: Double), _ rng: inout RandomGenerator) -> Double {
        let chiSquare = 2 * gamma(shape: p.nu / 2, &rng)
        return p.location + p.scale * rng.nextNormal() / (chiSquare / p.nu).squareRoot()
    }

    /// Gamma(shape, 1) by Marsaglia & Tsang (2000); shapes below 1 by the boost
    /// Gamma(α) = Gamma(α + 1) · U^(1/α).
    static func gamma(shape alpha: Double, _ rng: inout RandomGenerator) -> Double {
        if alpha < 1 {
            let u = max(rng.nextUniform(), .leastNormalMagnitude)
            return gamma(shape: alpha + 1, &rng) * pow(u, 1 / alpha)
        }
        let d = alpha - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            let z = rng.nextNormal()
            let v = pow(1 + c * z, 3)
            guard v > 0 else { continue }
            let u = max(rng.nextUniform(), .leastNormalMagnitude)
            if log(u) < 0.5 * z * z + d - d * v + d * log(v) { return d * v }
        }
    }
}
