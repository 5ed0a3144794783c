import LetheTensor
import LetheUnlearning

/// `mean`: the average of the losses' gradients,
///
///     d = (1/n) Σ_i g_i
///
/// over the n named losses of a step (for grad_diff or max_entropy, n = 2: the forget and
/// retain gradients). The same direction as `sum` at half the length for two losses, so the
/// learning rate means the same whatever the number of losses. No projection: the report
/// holds the Gramians (hence norms and the forget/retain cosine) and marks nothing projected.
/// No options.
///
///     combiner: mean
public struct MeanCombiner: GradientCombiner {
    public static let name = "mean"

    public init(options: PluginOptions) throws { try options.accept([]) }

    public init() {}

    /// The mean of one gradient is that gradient.
    public func leavesUnchanged(single name: String) -> Bool { true }

    public func combine(_ parts: [NamedGradients], into output: NamedTensors) throws -> CombinerReport {
        guard !parts.isEmpty else { throw UnlearningError.invalidInput("\(Self.name): no gradients to average") }
        let sets = parts.map(\.gradients)
        let gramians = try NamedTensors.gramians(sets)
        let weights = [Double](repeating: 1 / Double(parts.count), count: parts.count)
        // One row of coefficients per parameter tensor: the same weights everywhere.
        try output.assignCombination(sets, coefficients: [[Double]](repeating: weights, count: output.tensors.count))
        var report = CombinerReport(names: parts.map(\.name), tensorGramians: gramians)
        for part in parts { (report.projected[part.name], report.projectedTensors[part.name]) = (false, 0) }
        return report
    }
}
