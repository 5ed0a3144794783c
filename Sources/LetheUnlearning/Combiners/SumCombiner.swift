import LetheTensor

/// The weighted sum of the losses' gradients, `d = Σ_i w_i g_i` (w_i = 1 unless a
/// `weight_<loss>` option sets it, e.g. `weight_retain: 0.5`).
public struct SumCombiner: GradientCombiner {
    public static let name = "sum"
    public let weights: [String: Double]

    public init(options: PluginOptions) throws {
        var weights: [String: Double] = [:]
        for key in options.keys.sorted() {
            guard key.hasPrefix("weight_"), key.count > "weight_".count else {
                throw UnlearningError.unknownOptions(owner: options.owner, keys: [key], accepted: ["weight_<loss name>"])
            }
            weights[String(key.dropFirst("weight_".count))] = try options.number(key, default: 1)
        }
        self.weights = weights
    }

    /// The sum with per-loss weights (absent names weigh 1).
    public init(weights: [String: Double] = [:]) { self.weights = weights }

    public func leavesUnchanged(single name: String) -> Bool { (weights[name] ?? 1) == 1 }

    public func combine(_ parts: [NamedGradients], into output: NamedTensors) throws -> CombinerReport {
        let sets = parts.map(\.gradients)
        let gramians = try NamedTensors.gramians(sets)
        let c = parts.map { weights[$0.name] ?? 1 }
        let coefficients = [[Double]](repeating: c, count: output.tensors.count)
        try output.assignCombination(sets, coefficients: coefficients)
        var report = CombinerReport(names: parts.map(\.name), tensorGramians: gramians)
        report.coefficients = coefficients
        for part in parts { (report.projected[part.name], report.projectedTensors[part.name]) = (false, 0) }
        return report
    }
}
