import LetheEvaluation
import LetheLayers

/// `weight_norm`: how large the model's parameters are, with no data:
///
///     l2  = ‖θ‖₂ = (Σ_i θ_i²)^½      over every parameter of the model (Double accumulation)
///     rms = ‖θ‖₂ / √N                 N the number of parameters
///
/// Metrics `l2`, `rms` and `parameters` (N) in `results.json` and the run's table
/// (`weight_norm.l2`, ...); rows `weight_norm_tensors.jsonl`, one `{"name", "l2", "count"}`
/// per parameter tensor. No options.
///
///     - evaluate: {perplexity: {}, weight_norm: {}}
public struct WeightNormSuite: EvaluationSuite {
    public static let name = "weight_norm"
    public static let summary = "global L2 norm of the model's parameters (no data)"

    public init(options: PluginOptions) throws { try options.accept([]) }

    public var requirements: [DataRequirement] { [] }

    public func evaluate(_ context: EvaluationContext) throws -> SuiteResult {
        let parameters = context.model.parameters
        let l2 = parameters.norm()
        let count = parameters.scalarCount
        let rows: [[String: Any]] = zip(parameters.names, zip(parameters.norms(), parameters.tensors)).map { name, entry in
            ["name": name, "l2": entry.0, "count": entry.1.count]
        }
        context.log("  weight_norm: ‖θ‖₂ \(l2) over \(count) parameters")
        return SuiteResult(
            summary: .generic(["l2": l2, "rms": l2 / Double(max(1, count)).squareRoot(), "parameters": Double(count)]),
            rows: [ExampleRows(file: "weight_norm_tensors.jsonl", rows: rows)])
    }
}
