import LetheTensor

/// Conflict-averse gradient descent (Liu et al. 2021, "Conflict-Averse Gradient Descent for
/// Multi-task Learning", NeurIPS, Algorithm 1): the direction closest to the mean gradient
/// g₀ = (1/m) Σᵢ gᵢ, within a ball of radius c‖g₀‖ around it, that maximises the worst
/// loss's decrease. Its dual gives, with g_w = Σᵢ wᵢ gᵢ and √φ = c ‖g₀‖,
///
///     w* = argmin_{w ∈ Δ}  g_wᵀ g₀ + √φ ‖g_w‖            (= wᵀGḡ + √φ √(wᵀGw), ḡ = 1/m)
///     d  = g₀ + (√φ / ‖g_w*‖) g_w*                        (coefficients 1/m + (√φ/‖g_w*‖) w*)
///
/// a function of the Gramian G alone, which is first normalised by its trace (as torchjd;
/// d does not change). When ‖g_w*‖² < `norm_eps` on the normalised Gramian (the gradients
/// are about Pareto-stationary) the direction is zero, as torchjd's `CAGradWeighting`.
/// The problem on the simplex is solved exactly by enumerating its faces S: on a face the
/// stationarity conditions reduce to one quadratic equation in the multiplier λ,
///
///     (λ1 − b)ᵀ G_S⁻¹ (λ1 − b) = φ,   w_S = (λ G_S⁻¹1 − G_S⁻¹b) / √disc,   b = Gḡ,
///
/// and the face whose point meets the KKT conditions is the minimiser.
///
/// Paper versus references: the official code and LibMTL (`rescale=1`, the default) divide
/// d by 1 + c²; the paper's Algorithm 1 and torchjd do not. Lethe follows the paper:
/// `rescale: none` (default), `c_squared` (÷ (1 + c²)) or `c` (÷ (1 + c)) for LibMTL's 1
/// and 2. LibMTL solves with SLSQP and adds 1e-8 inside its square roots, torchjd with
/// Clarabel; both agree with this exact solution to their solvers' tolerances.
///
/// Options: `c` (default 0.4, as the official code's NYU-v2 runs; ≥ 0),
/// `rescale`, `norm_eps` (default 1e-4), `granularity` (`model` or `tensor`).
public struct CAGrad: GradientCombiner {
    public static let name = "cagrad"
    public let c: Double
    public let rescale: Double
    public let normEpsilon: Double
    public let perTensor: Bool

    public init(options: PluginOptions) throws {
        try options.accept(["c", "rescale", "norm_eps", "granularity"])
        c = try options.number("c", default: 0.4, in: 0...1e6)
        let mode = try options.text("rescale", default: "none", allowed: ["none", "c_squared", "c"])
        rescale = mode == "c_squared" ? 1 + c * c : (mode == "c" ? 1 + c : 1)
        normEpsilon = try options.number("norm_eps", default: 1e-4, in: 0...1)
        perTensor = try GramianCombination.perTensor(options)
    }

    public func combine(_ parts: [NamedGradients], into output: NamedTensors) throws -> CombinerReport {
        try GramianCombination.combine(parts, into: output, perTensor: perTensor) { g, _ in GramianWeights(weights(g)) }
    }

    /// The coefficients of d for one Gramian.
    func weights(_ gramian: [[Double]]) -> [Double] {
        let m = gramian.count
        let g = GramianSolvers.normalized(gramian, eps: normEpsilon)
        let mean = [Double](repeating: 1 / Double(m), count: m)
        let b = GramianSolvers.multiply(g, mean)
        let sqrtPhi = c * max(0, GramianSolvers.dot(mean, b)).squareRoot()
        let w = Self.conflictAverseWeights(g, b: b, sqrtPhi: sqrtPhi)
        let norm = max(0, GramianSolvers.quadratic(g, w)).squareRoot()
        guard norm >= normEpsilon else { return [Double](repeating: 0, count: m) }
        return (0..<m).map { (1 / Double(m) + sqrtPhi / norm * w[$0]) / rescale }
    }

    /// argmin over the simplex of bᵀw + √φ √(wᵀGw), by faces (see the type's comment); if no
    /// face passes the KKT test to rounding (a singular G), the feasible candidate with the
    /// lowest objective.
    static func conflictAverseWeights(_ g: [[Double]], b: [Double], sqrtPhi: Double) -> [Double] {
        let m = g.count
        func objective(_ w: [Double]) -> Double { GramianSolvers.dot(b, w) + sqrtPhi * max(0, GramianSolvers.quadratic(g, w)).squareRoot() }
        var best: (w: [Double], value: Double, kkt: Bool)?
        let scale = max(g.indices.map { g[$0][$0] }.max() ?? 0, 1e-300)
        for mask in 1..<(1 << m) {
            let face = (0..<m).filter { mask & (1 << $0) != 0 }
            var w = [Double](repeating: 0, count: m)
            if face.count == 1 {
                w[face[0]] = 1
            } else {
                let gs = GramianSolvers.submatrix(g, face)
                let bs = face.map { b[$0] }
                guard let p = GramianSolvers.solvePositiveDefinite(gs, [Double](repeating: 1, count: face.count)),
                    let q = GramianSolvers.solvePositiveDefinite(gs, bs)
                else { continue }
                let (a, bq, cq) = (p.reduce(0, +), q.reduce(0, +), GramianSolvers.dot(bs, q) - sqrtPhi * sqrtPhi)
                let discriminant = bq * bq - a * cq
                guard a > 0, discriminant > 0 else { continue }
                let lambda = (bq + discriminant.squareRoot()) / a
                for (index, i) in face.enumerated() { w[i] = (lambda * p[index] - q[index]) / discriminant.squareRoot() }
                guard face.allSatisfy({ w[$0] >= -1e-12 }) else { continue }
                for i in face { w[i] = max(0, w[i]) }
            }
            let gw = GramianSolvers.multiply(g, w)
            let s = max(0, GramianSolvers.dot(w, gw)).squareRoot()
            var kkt = s > 0
            if kkt {
                let gradient = (0..<m).map { b[$0] + sqrtPhi * gw[$0] / s }
                let lambda = face.reduce(0) { $0 + gradient[$1] } / Double(face.count)
                kkt = (0..<m).allSatisfy { face.contains($0) || gradient[$0] >= lambda - 1e-10 * scale }
            }
            let value = objective(w)
            if let current = best, (current.kkt && !kkt) || (current.kkt == kkt && current.value <= value) { continue }
            best = (w, value, kkt)
        }
        return best?.w ?? [Double](repeating: 1 / Double(m), count: m)
    }
}
