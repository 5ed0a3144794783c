import Foundation
import LetheEvaluation
import LetheTensor
import Testing

@Suite("Bayesian comparison of means")
struct BayesianComparisonTests {
    func normals(_ n: Int, mean: Double, sd: Double, seed: UInt64) -> [Double] {
        var rng = RandomGenerator(seed: seed)
        return (0..<n).map { _ in mean + sd * rng.nextNormal() }
    }

    @Test("Recovers a known difference: mean, interval width and P(δ > 0)")
    func knownDifference() throws {
        let a = normals(200, mean: 0.20, sd: 0.05, seed: 1)
        let b = normals(200, mean: 0.23, sd: 0.05, seed: 2)
        let r = try BayesianComparison(a: a, b: b, seed: 3)
        let observed = b.reduce(0, +) / 200 - a.reduce(0, +) / 200
        // Posterior sd ≈ √(2 · 0.05² / 200) = 0.005; the MC mean is within a few sd/√10⁴.
        #expect(abs(r.meanDifference - observed) < 0.0005)
        #expect(abs(r.meanB - r.meanA - observed) < 1e-12)
        #expect(r.interval.lower < 0.03 && 0.03 < r.interval.upper)
        let width = r.interval.upper - r.interval.lower
        #expect(abs(width - 2 * 1.96 * 0.005) < 0.003)
        #expect(r.probabilityGreaterThanZero > 0.99 && r.draws == 10_000)
        #expect(try BayesianComparison(a: a, b: b, seed: 3) == r)
    }

    @Test("No difference: P(δ > 0) near one half, interval covers 0")
    func noDifference() throws {
        let a = normals(50, mean: 0.5, sd: 0.2, seed: 4)
        let r = try BayesianComparison(a: a, b: a, seed: 5)
        #expect(abs(r.probabilityGreaterThanZero - 0.5) < 0.03)
        #expect(r.interval.lower < 0 && r.interval.upper > 0)
    }

    @Test("Small samples: the t posterior is wider than the normal approximation")
    func heavyTails() throws {
        let r = try BayesianComparison(a: [0, 1], b: [0, 1], draws: 20_000, seed: 6)
        // ν = 1 (Cauchy): the 95% interval of a difference of two Cauchys (scale ½ each) is
        // about ±12.7, far wider than the normal ±1.96 · √(2 · 0.25).
        #expect(r.interval.upper > 5 && r.interval.lower < -5)
    }

    @Test("Too few or constant observations are errors")
    func errors() {
        #expect(throws: EvaluationError.self) { try BayesianComparison(a: [1], b: [1, 2]) }
        #expect(throws: EvaluationError.self) { try BayesianComparison(a: [1, 1, 1], b: [1, 2]) }
    }
}
