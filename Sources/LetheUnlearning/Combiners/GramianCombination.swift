import LetheTensor

/// What a Gramian weighting decided for one Gramian (the whole model's or one tensor's):
/// the coefficients cᵢ of d = Σᵢ cᵢ gᵢ, which losses a projection changed, and whether a norm
/// bound clipped the result.
struct GramianWeights {
    var coefficients: [Double]
    var projected: [Bool]
    var clipped = false

    init(_ coefficients: [Double], projected: [Bool]? = nil, clipped: Bool = false) {
        self.coefficients = coefficients
        self.projected = projected ?? [Bool](repeating: false, count: coefficients.count)
        self.clipped = clipped
    }
}

/// The one path of every Gramian combiner (torchjd's design: a weighting maps the m × m
/// Gramian to m weights, then d = Σᵢ wᵢ gᵢ): per-tensor Gramians in one pass, the weighting
/// on the whole-model Gramian (their sum) or on each tensor's, one combination pass, and
/// the report. Beyond the two passes the cost is the m × m solves.
enum GramianCombination {
    /// Reads the `granularity` option: `model` (default) or `tensor`; true for `tensor`.
    static func perTensor(_ options: PluginOptions) throws -> Bool {
        try options.text("granularity", default: "model", allowed: ["model", "tensor"]) == "tensor"
    }

    /// Combines `parts` into `output` with `weigh(gramian, tensor)` (tensor nil for the
    /// whole model).
    static func combine(
        _ parts: [NamedGradients], into output: NamedTensors, perTensor: Bool,
        _ weigh: (_ gramian: [[Double]], _ tensor: Int?) throws -> GramianWeights
    ) throws -> CombinerReport {
        let sets = parts.map(\.gradients)
        let names = parts.map(\.name)
        var report = CombinerReport(names: names, tensorGramians: try NamedTensors.gramians(sets))
        for name in names { (report.projected[name], report.projectedTensors[name]) = (false, 0) }
        var coefficients: [[Double]] = []
        let scopes: [(gramian: [[Double]], tensor: Int?)] =
            perTensor ? report.tensorGramians.enumerated().map { ($1, $0) } : [(report.gramian, nil)]
        for scope in scopes {
            let result = try weigh(scope.gramian, scope.tensor)
            coefficients.append(result.coefficients)
            report.clipped = report.clipped || result.clipped
            for (i, name) in names.enumerated() where result.projected[i] {
                report.projected[name] = true
                report.projectedTensors[name, default: 0] += 1
            }
        }
        if !perTensor { coefficients = [[Double]](repeating: coefficients[0], count: output.tensors.count) }
        try output.assignCombination(sets, coefficients: coefficients)
        report.coefficients = coefficients
        return report
    }
}
