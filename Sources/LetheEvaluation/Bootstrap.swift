import LetheTensor

/// A two-sided interval estimate, e.g. a 95% bootstrap or credible interval.
public struct Interval: Codable, Equatable, Sendable {
    /// Lower bound.
    public var lower: Double
    /// Upper bound.
    public var upper: Double
    /// Coverage, e.g. 0.95.
    public var level: Double

    /// - Parameters: see the properties.
    public init(lower: Double, upper: Double, level: Double = 0.95) {
        (self.lower, self.upper, self.level) = (lower, upper, level)
    }
}

/// Seeded resampling estimates (percentile bootstrap).
public enum Bootstrap {
    /// Stratified percentile bootstrap of a statistic of membership scores: each of the
    /// `resamples` replicates draws n₁ members and n₀ non-members with replacement, each
    /// class separately (so both sizes stay fixed), and evaluates `statistic`; the interval
    /// is the (1 − level)/2 and (1 + level)/2 quantiles of the replicates (linear
    /// interpolation between order statistics, numpy's default). This is the recommendation
    /// of the research notes (B3) — not mimir's paired BCa, whose statistic re-negates the
    /// scores and so reports 1 − AUC.
    ///
    /// - Parameters:
    ///   - scores: the observed scores.
    ///   - resamples: B, default 1000.
    ///   - level: coverage, default 0.95.
    ///   - seed: the `RandomGenerator` seed (same seed, same interval).
    ///   - statistic: e.g. `{ try $0.rocAUC() }`.
    /// - Returns: the percentile interval.
    /// - Throws: `EvaluationError` for bad arguments, or what `statistic` throws.
    public static func stratifiedInterval(
        _ scores: MembershipScores, resamples: Int = 1000, level: Double = 0.95, seed: UInt64 = 0,
        statistic: (MembershipScores) throws -> Double
    ) throws -> Interval {
        try scores.validate()
        guard resamples >= 2 else {
            throw EvaluationError.invalidArgument(name: "resamples", reason: "need at least 2, got \(resamples)")
        }
        guard level > 0, level < 1 else {
            throw EvaluationError.invalidArgument(name: "level", reason: "\(level) is not in (0, 1)")
        }
        var rng = RandomGenerator(seed: seed)
        var replicates: [Double] = []
        replicates.reserveCapacity(resamples)
        for _ in 0..<resamples {
            let m = scores.members.indices.map { _ in scores.members[index(below: scores.members.count, &rng)] }
            let n = scores.nonMembers.indices.map { _ in scores.nonMembers[index(below: scores.nonMembers.count, &rng)] }
            replicates.append(try statistic(MembershipScores(members: m, nonMembers: n)))
        }
        replicates.sort()
        return Interval(
            lower: quantile(sorted: replicates, (1 - level) / 2), upper: quantile(sorted: replicates, (1 + level) / 2),
            level: level)
    }

    /// The p-quantile of sorted values by linear interpolation (numpy `method="linear"`):
    /// h = (n − 1)p, x⌊h⌋ + (h − ⌊h⌋)(x⌊h⌋₊₁ − x⌊h⌋).
    /// - Precondition: `sorted` is non-empty and ascending; p in [0, 1].
    public static func quantile(sorted x: [Double], _ p: Double) -> Double {
        precondition(!x.isEmpty && p >= 0 && p <= 1, "quantile of \(x.count) values at \(p)")
        let h = Double(x.count - 1) * p
        let i = Int(h.rounded(.down))
        if i + 1 >= x.count { return x[x.count - 1] }
        return x[i] + (h - Double(i)) * (x[i + 1] - x[i])
    }

    /// A uniform index in 0..<bound by rejection (no modulo bias).
    static func index(below bound: Int, _ rng: inout RandomGenerator) -> Int {
        let b = UInt64(bound)
        let limit = UInt64.max - UInt64.max % b
        while true {
            let x = rng.next()
            if x < limit { return Int(x % b) }
        }
    }
}
