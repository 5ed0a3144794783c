import LetheTensor

/// Projecting conflicting gradients (Yu et al. 2020, "Gradient Surgery for Multi-Task
/// Learning", Algorithm 1): each gradient is projected off the ORIGINAL of every other one it
/// conflicts with, then the results are summed:
///
///     gᵢᴾᶜ ← gᵢ;  for j ≠ i (in index order):  if gᵢᴾᶜ ⋅ gⱼ < 0:  gᵢᴾᶜ ← gᵢᴾᶜ − (gᵢᴾᶜ ⋅ gⱼ / ‖gⱼ‖²) gⱼ
///     d = Σᵢ gᵢᴾᶜ        (or the mean, with `reduction: mean`)
///
/// Computed from the Gramian (Double): gᵢᴾᶜ = Σₖ wᵢₖ gₖ, with gᵢᴾᶜ ⋅ gⱼ = Σₖ wᵢₖ Gₖⱼ, so the
/// cost beyond the plain sum is one pass for the dot products. With two losses the order
/// does not matter and the result is deterministic.
///
/// Options: `mode` — `symmetric` (default, every loss projected) or `one_sided` (only the
/// losses in `project`, default [`forget`], are projected: SAGO's and GRU's asymmetric
/// variant); `granularity` — `model` (one flattened vector, default) or `tensor` (each
/// parameter tensor on its own); `reduction` — `sum` (default, as the paper) or `mean`.
public struct PCGrad: GradientCombiner {
    public static let name = "pcgrad"
    public let oneSided: Bool
    public let projectedLosses: [String]
    public let perTensor: Bool
    public let mean: Bool

    public init(options: PluginOptions) throws {
        try options.accept(["mode", "project", "granularity", "reduction"])
        oneSided = try options.text("mode", default: "symmetric", allowed: ["symmetric", "one_sided"]) == "one_sided"
        projectedLosses = try options.list("project", default: ["forget"])
        perTensor = try GramianCombination.perTensor(options)
        mean = try options.text("reduction", default: "sum", allowed: ["sum", "mean"]) == "mean"
    }

    /// One gradient has no other to conflict with; its sum and its mean are itself.
    public func leavesUnchanged(single name: String) -> Bool { true }

    public func combine(_ parts: [NamedGradients], into output: NamedTensors) throws -> CombinerReport {
        let names = parts.map(\.name)
        return try GramianCombination.combine(parts, into: output, perTensor: perTensor) { g, _ in
            let (coefficients, projected) = weights(g, names: names)
            return GramianWeights(coefficients, projected: projected)
        }
    }

    /// Coefficients c with d = Σₖ cₖ gₖ for one Gramian, and which losses were projected.
    func weights(_ g: [[Double]], names: [String]) -> (coefficients: [Double], projected: [Bool]) {
        let n = names.count
        var w = (0..<n).map { i in (0..<n).map { $0 == i ? 1.0 : 0.0 } }
        var fired = [Bool](repeating: false, count: n)
        for i in 0..<n where !oneSided || projectedLosses.contains(names[i]) {
            for j in 0..<n where j != i {
                let dot = (0..<n).reduce(0.0) { $0 + w[i][$1] * g[$1][j] }
                if dot < 0, g[j][j] > 0 {
                    w[i][j] -= dot / g[j][j]
                    fired[i] = true
                }
            }
        }
        let scale = mean ? 1 / Double(n) : 1
        return ((0..<n).map { k in (0..<n).reduce(0.0) { $0 + w[$1][k] } * scale }, fired)
    }
}
