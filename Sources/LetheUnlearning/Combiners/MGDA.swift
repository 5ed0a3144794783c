import LetheTensor

/// The multiple-gradient descent algorithm (Désidéri 2012; Sener & Koltun 2018, "Multi-Task
/// Learning as Multi-Objective Optimization", NeurIPS): the minimum-norm point of the convex
/// hull of the (optionally normalised) gradients,
///
///     g̃ᵢ = gᵢ / nᵢ,   α* = argmin_{α ∈ Δ} ‖Σᵢ αᵢ g̃ᵢ‖² = argmin αᵀ G̃ α,   G̃ᵢⱼ = Gᵢⱼ / (nᵢ nⱼ)
///     d  = Σᵢ αᵢ* g̃ᵢ                                  (coefficients αᵢ* / nᵢ)
///
/// solved by Frank–Wolfe on the Gramian (the paper's Algorithm 2, with its Algorithm 1, the
/// closed form for two losses, as its line search), from α = 1/m until the step γ falls
/// below `tolerance` (default 1e-3) or `max_iterations` (default 100) — torchjd's
/// `MGDAWeighting` exactly. With two losses one step is exact.
///
/// `normalization` (Sener & Koltun's code, LibMTL's `mgda_gn`): `none` (default, nᵢ = 1),
/// `l2` (nᵢ = ‖gᵢ‖), `loss` (nᵢ = |Lᵢ|) or `loss+` (nᵢ = |Lᵢ| ‖gᵢ‖); a zero or missing
/// normaliser counts as 1. Loss values are taken in absolute value because unlearning
/// losses (gradient ascent's −NLL) can be negative; the references assume positive losses.
/// As LibMTL, the weights apply to the normalised gradients (so d is the minimum-norm
/// point of their hull); Sener & Koltun's training script applies them to the raw losses.
///
/// Paper versus references: LibMTL (from the official code) clips the two-loss γ to
/// [0.001, 0.999] and runs projected-gradient steps for m ≥ 3; Lethe follows the paper
/// (γ ∈ [0, 1], Frank–Wolfe), as torchjd does.
///
/// Options: `normalization`, `tolerance`, `max_iterations`, `granularity` (`model`, `tensor`).
public struct MGDA: GradientCombiner {
    public static let name = "mgda"
    public let normalization: String
    public let tolerance: Double
    public let maxIterations: Int
    public let perTensor: Bool

    public init(options: PluginOptions) throws {
        try options.accept(["normalization", "tolerance", "max_iterations", "granularity"])
        normalization = try options.text("normalization", default: "none", allowed: ["none", "l2", "loss", "loss+"])
        tolerance = try options.number("tolerance", default: 1e-3, in: 0...1)
        maxIterations = try options.int("max_iterations", default: 100, in: 1...OptionLimits.repetitions)
        perTensor = try GramianCombination.perTensor(options)
    }

    public func combine(_ parts: [NamedGradients], into output: NamedTensors) throws -> CombinerReport {
        let losses = parts.map(\.loss)
        if normalization.hasPrefix("loss"), let missing = parts.first(where: { $0.loss == nil }) {
            throw UnlearningError.invalidInput("combiner mgda: normalization '\(normalization)' needs the value of loss '\(missing.name)'")
        }
        return try GramianCombination.combine(parts, into: output, perTensor: perTensor) { g, _ in
            GramianWeights(weights(g, losses: losses))
        }
    }

    /// The coefficients of d for one Gramian and the losses' values.
    func weights(_ g: [[Double]], losses: [Double?]) -> [Double] {
        let m = g.count
        let normalisers = (0..<m).map { i -> Double in
            let norm = max(0, g[i][i]).squareRoot()
            let loss = abs(losses[i] ?? 1)
            let n = normalization == "l2" ? norm : normalization == "loss" ? loss : normalization == "loss+" ? loss * norm : 1
            return n > 0 && n.isFinite ? n : 1
        }
        let scaled = (0..<m).map { i in (0..<m).map { j in g[i][j] / (normalisers[i] * normalisers[j]) } }
        let alpha = GramianSolvers.minimumNormFrankWolfe(scaled, tolerance: tolerance, maxIterations: maxIterations)
        return (0..<m).map { alpha[$0] / normalisers[$0] }
    }
}
