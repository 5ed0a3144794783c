/// The two-sample Kolmogorov–Smirnov test, two-sided, with the exact p-value: TOFU's forget
/// quality is its p-value on the truth ratios of the unlearned and the retrained model
/// (`scipy.stats.ks_2samp(a, b)`, whose default `method="auto"` is exact for samples of up
/// to 10 000).
///
///     D = sup_x |F₁(x) − F₂(x)|                 F the empirical CDFs (right-continuous)
///     p = P(D_{n₁,n₂} ≥ D)                       under H₀, exactly
///
/// The exact distribution counts lattice paths (Hodges 1958): the merged order of the two
/// samples is a uniformly random path from (0, 0) to (n₁, n₂); with g = gcd(n₁, n₂) and
/// D in units of 1/lcm(n₁, n₂), h = D·lcm, a path point (x, y) is outside when
/// |x·n₂/g − y·n₁/g| ≥ h. p is the probability that the path reaches an outside point. It is
/// summed as probability mass that first reaches the boundary (no 1 − P(inside)
/// subtraction), so small p-values keep their relative precision; scipy computes the same
/// quantity (`_compute_prob_outside_square`, `_compute_outer_prob_inside_method`).
/// Reference: `scripts/reference/make_qa_metrics_fixture.py`.
public enum KolmogorovSmirnov {
    /// Largest n₁·n₂ computed exactly (the walk is O(n₁ n₂)).
    public static let maximumExactWork = 100_000_000

    /// The statistic D and the exact two-sided p-value.
    /// - Throws: `EvaluationError.invalidArgument` for an empty sample, a value that is not
    ///   finite, or samples too large for the exact walk.
    public static func twoSample(_ a: [Double], _ b: [Double]) throws -> (statistic: Double, pValue: Double) {
        let (n1, n2) = (a.count, b.count)
        guard n1 > 0, n2 > 0 else { throw EvaluationError.invalidArgument(name: "KS samples", reason: "\(n1) and \(n2) values; both need one") }
        guard (a + b).allSatisfy(\.isFinite) else {
            throw EvaluationError.invalidArgument(name: "KS samples", reason: "hold a NaN or an infinity")
        }
        guard n1 * n2 <= maximumExactWork else {
            throw EvaluationError.invalidArgument(name: "KS samples", reason: "\(n1) × \(n2) is too large for the exact test")
        }
        let g = gcd(n1, n2)
        let (u1, u2) = (n2 / g, n1 / g)  // one step of F₁ / F₂ in units of 1/lcm
        // h = max over all values of |c₁·u1 − c₂·u2|, cᵢ = #{sample i ≤ x}: exact integers.
        let (x, y) = (a.sorted(), b.sorted())
        var (i, j, h) = (0, 0, 0)
        while i < n1 || j < n2 {
            let next = min(i < n1 ? x[i] : .infinity, j < n2 ? y[j] : .infinity)
            while i < n1, x[i] == next { i += 1 }
            while j < n2, y[j] == next { j += 1 }
            h = max(h, abs(i * u1 - j * u2))
        }
        let lcm = n1 / g * n2
        let statistic = Double(h) / Double(lcm)
        guard h > 0 else { return (statistic, 1) }
        return (statistic, min(max(outsideProbability(n1, n2, u1: u1, u2: u2, h: h), 0), 1))
    }

    /// P(a uniformly random path from (0, 0) to (n₁, n₂) meets |x·u1 − y·u2| ≥ h).
    static func outsideProbability(_ n1: Int, _ n2: Int, u1: Int, u2: Int, h: Int) -> Double {
        // inside[y] = P(at (x, y), never outside so far), column by column in x.
        var inside = [Double](repeating: 0, count: n2 + 1)
        var outside = 0.0
        func isOutside(_ x: Int, _ y: Int) -> Bool { abs(x * u1 - y * u2) >= h }
        inside[0] = 1
        for x in 0...n1 {
            // Steps up within the column x (y → y + 1), then right into column x + 1.
            var next = [Double](repeating: 0, count: n2 + 1)
            for y in 0...n2 {
                let p = inside[y]
                guard p > 0 else { continue }
                let remaining = Double(n1 - x + n2 - y)
                guard remaining > 0 else { continue }
                if y < n2 {
                    let up = p * Double(n2 - y) / remaining
                    if isOutside(x, y + 1) { outside += up } else { inside[y + 1] += up }
                }
                if x < n1 {
                    let right = p * Double(n1 - x) / remaining
                    if isOutside(x + 1, y) { outside += right } else { next[y] += right }
                }
            }
            inside = next
        }
        return outside
    }

    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}
