import LetheTensor

/// Nash-MTL (Navon et al. 2022, "Multi-Task Learning as a Bargaining Game", ICML,
/// Algorithm 1): the Nash bargaining solution d = Σᵢ αᵢ gᵢ, with α the solution of
///
///     Ĝ α = 1 / α   (element-wise, α > 0),      Ĝ = G / ‖G‖_F
///
/// then, when `max_norm` > 0 and ‖d‖ > max_norm, α ← α ⋅ max_norm / ‖d‖ (the reports mark
/// it clipped). α is recomputed every `update_weights_every` steps and reused in between.
///
/// Lethe's solver: α minimises the strictly convex ½ αᵀĜα − Σ log αᵢ, so damped Newton
/// steps from the last α (the warm start) reach it to machine precision in a few
/// iterations (`GramianSolvers.nashBargaining`). The official code, LibMTL and torchjd
/// instead run up to 20 sequential convex (CVXPY/ECOS) problems and stop once
/// ‖Ĝα − 1/α‖ < 1e-3, so their α is that far from the paper's solution; Lethe follows the
/// paper. When no solution exists (a zero gradient, or gradients with zero in their conic
/// hull) or Newton fails, the last α is kept, as the references keep it when ECOS fails.
/// The first α is 1 (the references' start). LibMTL clips with `clip_grad_norm_`
/// (÷ (‖d‖ + 1e-6)); Lethe and torchjd scale exactly to max_norm.
///
/// State (saved in checkpoints): the last α and the step count. Options: `max_norm`
/// (default 1.0; 0 turns the bound off), `update_weights_every` (default 1). Whole model
/// only (the bargaining is over the whole update).
public final class NashMTL: StatefulCombiner {
    public static let name = "nash_mtl"
    public let maxNorm: Double
    public let updateEvery: Int
    private var alpha: [Double] = []
    private var step = 0

    public init(options: PluginOptions) throws {
        try options.accept(["max_norm", "update_weights_every"])
        maxNorm = try options.number("max_norm", default: 1, in: 0...1e12)
        updateEvery = try options.int("update_weights_every", default: 1, in: 1...OptionLimits.interval)
    }

    public func combine(_ parts: [NamedGradients], into output: NamedTensors) throws -> CombinerReport {
        let m = parts.count
        if alpha.count != m {
            guard alpha.isEmpty else { throw UnlearningError.invalidInput("combiner nash_mtl: the number of losses changed to \(m)") }
            alpha = [Double](repeating: 1, count: m)
        }
        return try GramianCombination.combine(parts, into: output, perTensor: false) { g, _ in weights(g) }
    }

    /// This step's coefficients from the whole-model Gramian, updating the state.
    private func weights(_ g: [[Double]]) -> GramianWeights {
        defer { step += 1 }
        if step % updateEvery == 0 {
            let frobenius = g.reduce(0) { $0 + $1.reduce(0) { $0 + $1 * $1 } }.squareRoot()
            if frobenius > 0, let solved = GramianSolvers.nashBargaining(g.map { $0.map { $0 / frobenius } }, start: alpha) {
                alpha = solved
            }
        }
        let norm = max(0, GramianSolvers.quadratic(g, alpha)).squareRoot()
        if maxNorm > 0, norm > maxNorm { return GramianWeights(alpha.map { $0 * maxNorm / norm }, clipped: true) }
        return GramianWeights(alpha)
    }

    public var state: [String: [Double]] { alpha.isEmpty ? [:] : ["alpha": alpha, "step": [Double(step)]] }

    public func restore(_ state: [String: [Double]]) throws {
        guard !state.isEmpty else { return (alpha, step) = ([], 0) }
        alpha = try stateArray(state, "alpha")
        step = Int(try stateArray(state, "step", count: 1)[0])
    }
}
