import LetheTensor

/// Aligned-MTL (Senushkin et al. 2023, "Independent Component Alignment for Multi-Task
/// Learning", CVPR, Algorithm 1): makes the gradient system well conditioned by aligning
/// its principal components. With G = JJᵀ = V Λ Vᵀ, truncated to the rank r (eigenvalues
/// above λ_max ⋅ m ⋅ ε_float32, as the official code), and σ = λ_min of the kept ones,
///
///     B = √σ ⋅ V_r Λ_r^{-1/2} V_rᵀ,      α = B w,      d = Σᵢ αᵢ gᵢ
///
/// so the combined gradients JᵀB have equal singular values √σ. B = I when the rank is 0.
///
/// w is the preference: `reduction: sum` (default) takes w = 1, as the official code and
/// LibMTL (`alpha = B.sum(0)`); `mean` takes w = 1/m, torchjd's default (d divided by m).
/// `scale_mode` (torchjd): `min` (default, the paper's σ = λ_min), `median` (the lower
/// median, as `torch.median`) or `rmse` (the mean eigenvalue).
///
/// Options: `reduction`, `scale_mode`, `granularity` (`model`, default, or `tensor`).
public struct AlignedMTL: GradientCombiner {
    public static let name = "aligned_mtl"
    public let mean: Bool
    public let scaleMode: String
    public let perTensor: Bool

    public init(options: PluginOptions) throws {
        try options.accept(["reduction", "scale_mode", "granularity"])
        mean = try options.text("reduction", default: "sum", allowed: ["sum", "mean"]) == "mean"
        scaleMode = try options.text("scale_mode", default: "min", allowed: ["min", "median", "rmse"])
        perTensor = try GramianCombination.perTensor(options)
    }

    public func combine(_ parts: [NamedGradients], into output: NamedTensors) throws -> CombinerReport {
        try GramianCombination.combine(parts, into: output, perTensor: perTensor) { g, _ in GramianWeights(weights(g)) }
    }

    func weights(_ g: [[Double]]) -> [Double] {
        let m = g.count
        let preference = [Double](repeating: mean ? 1 / Double(m) : 1, count: m)
        let (values, vectors) = GramianSolvers.symmetricEigen(g)
        let tolerance = (values.max() ?? 0) * Double(m) * Double(Float.ulpOfOne)
        let kept = values.indices.filter { values[$0] > tolerance }.sorted { values[$0] > values[$1] }
        guard !kept.isEmpty else { return preference }
        let lambdas = kept.map { values[$0] }
        let scale: Double
        switch scaleMode {
        case "median": scale = lambdas.sorted()[(lambdas.count - 1) / 2]
        case "rmse": scale = lambdas.reduce(0, +) / Double(lambdas.count)
        default: scale = lambdas[lambdas.count - 1]
        }
        // B w = √σ Σₑ vₑ (vₑᵀ w) / √λₑ
        var alpha = [Double](repeating: 0, count: m)
        for e in kept {
            let column = (0..<m).map { vectors[$0][e] }
            let projection = GramianSolvers.dot(column, preference) / values[e].squareRoot()
            for i in 0..<m { alpha[i] += scale.squareRoot() * column[i] * projection }
        }
        return alpha
    }
}
