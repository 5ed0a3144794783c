import LetheTensor

/// Impartial multi-task learning, gradient part (Liu et al. 2021, "Towards Impartial
/// Multi-task Learning", ICLR, IMTL-G): the combination d = Σᵢ αᵢ gᵢ with Σᵢ αᵢ = 1 whose
/// projections onto every unit gradient uᵢ = gᵢ/‖gᵢ‖ are equal, dᵀuᵢ = dᵀuⱼ. From the
/// Gramian, (Gα)ᵢ / √Gᵢᵢ is the same for all i, so
///
///     v = G⁺ √diag(G),     α = v / Σᵢ vᵢ          (α = 0 when |Σᵢ vᵢ| < 1e-12)
///
/// with the pseudo-inverse G⁺ (torchjd's `IMTLGWeighting`, the generalisation of Quinton &
/// Rey 2024 to linearly dependent gradients). The paper's closed form
/// α₂..ₘ = g₁Uᵀ(DUᵀ)⁻¹, α₁ = 1 − Σ, with D, U the differences of g₁ and u₁ to the others
/// (LibMTL's `IMTL`), is the same α when G is invertible. LibMTL's `IMTL` also learns loss
/// scales (IMTL-L, losses e^s L − s); that part is not here: its first step (s = 0) equals
/// IMTL-G.
///
/// Options: `granularity` (`model`, default, or `tensor`).
public struct IMTLG: GradientCombiner {
    public static let name = "imtl_g"
    public let perTensor: Bool

    public init(options: PluginOptions) throws {
        try options.accept(["granularity"])
        perTensor = try GramianCombination.perTensor(options)
    }

    /// One unit-sum weight on one gradient: itself.
    public func leavesUnchanged(single name: String) -> Bool { true }

    public func combine(_ parts: [NamedGradients], into output: NamedTensors) throws -> CombinerReport {
        try GramianCombination.combine(parts, into: output, perTensor: perTensor) { g, _ in GramianWeights(Self.weights(g)) }
    }

    static func weights(_ g: [[Double]]) -> [Double] {
        let d = g.indices.map { max(0, g[$0][$0]).squareRoot() }
        let v = GramianSolvers.multiply(GramianSolvers.pseudoInverse(g), d)
        let sum = v.reduce(0, +)
        return abs(sum) < 1e-12 ? v.map { _ in 0 } : v.map { $0 / sum }
    }
}
