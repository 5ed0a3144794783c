import LetheTensor

/// Unconflicting projection of gradients (Quinton & Rey 2024, "Jacobian Descent for
/// Multi-Objective Optimization", torchjd's `UPGrad`): each gradient, weighted by its
/// preference pᵢ (default 1/m), is projected onto the dual cone {x : gⱼᵀx ≥ 0 ∀j} of all
/// gradients, and the projections are summed:
///
///     d = Σᵢ π_J(pᵢ gᵢ),    π_J(Jᵀu) = Jᵀv,   v = argmin_{v ≥ u} vᵀ G̃ v
///     G̃ = G / tr(G) + reg_eps ⋅ I          (G̃ = reg_eps ⋅ I when tr(G) < norm_eps)
///
/// so d = Σᵢ wᵢ gᵢ with w = Σᵢ vᵢ. Each small quadratic programme is solved exactly by
/// Lethe's own active-set enumeration (`GramianSolvers.projectOntoDualCone`; torchjd calls
/// quadprog). The normalisation and regularisation are torchjd's: they keep the problem
/// strictly convex; reg_eps shifts the result by about reg_eps relative (set 0 for the
/// exact projection when the gradients are linearly independent). Note `norm_eps` compares
/// the raw squared gradient norms: gradients whose squared norms sum below it get the plain
/// preference-weighted sum.
///
/// The report marks loss i as projected when its projection moved (some constraint of
/// another gradient was active).
///
/// Options: `reduction` (`mean`, default, pᵢ = 1/m as the paper; `sum`, pᵢ = 1), `norm_eps`
/// (default 1e-4), `reg_eps` (default 1e-4), `granularity` (`model`, default, or `tensor`).
public struct UPGrad: GradientCombiner {
    public static let name = "upgrad"
    public let mean: Bool
    public let normEpsilon: Double
    public let regularization: Double
    public let perTensor: Bool

    public init(options: PluginOptions) throws {
        try options.accept(["reduction", "norm_eps", "reg_eps", "granularity"])
        mean = try options.text("reduction", default: "mean", allowed: ["sum", "mean"]) == "mean"
        normEpsilon = try options.number("norm_eps", default: 1e-4, in: 0...1)
        regularization = try options.number("reg_eps", default: 1e-4, in: 0...1)
        perTensor = try GramianCombination.perTensor(options)
    }

    public func combine(_ parts: [NamedGradients], into output: NamedTensors) throws -> CombinerReport {
        guard parts.count <= 16 else {
            throw UnlearningError.invalidInput("combiner upgrad: at most 16 losses (its exact solver enumerates 2^m active sets), got \(parts.count)")
        }
        return try GramianCombination.combine(parts, into: output, perTensor: perTensor) { g, _ in weights(g) }
    }

    func weights(_ gramian: [[Double]]) -> GramianWeights {
        let m = gramian.count
        var g = GramianSolvers.normalized(gramian, eps: normEpsilon)
        for i in 0..<m { g[i][i] += regularization }
        let p = mean ? 1 / Double(m) : 1
        var w = [Double](repeating: 0, count: m)
        var moved = [Bool](repeating: false, count: m)
        for i in 0..<m {
            var u = [Double](repeating: 0, count: m)
            u[i] = p
            let projection = GramianSolvers.projectOntoDualCone(u, gramian: g)
            moved[i] = projection.moved
            for j in 0..<m { w[j] += projection.weights[j] }
        }
        return GramianWeights(w, projected: moved)
    }
}
