import LetheLayers

/// `quantization`: the quantization attack (Zhang et al., "Catastrophic Failure of LLM
/// Unlearning via Quantization", ICLR 2025). A copy of the model has its weight matrices
/// quantized and dequantized (`WeightQuantization`, `ModelQuantization`), then inner suites
/// are evaluated again on it; forgetting that quantization undoes shows as a metric moving
/// back towards the model before unlearning.
///
///     Q(metric) = min(metric after / metric before, 1)      per scheme, suite and metric
///
/// With a reference model (the model before unlearning), also the share of weights whose
/// quantization bucket differs between the evaluated and the reference model, per layer:
/// few changed buckets means the unlearning update is smaller than the quantization step
/// and quantization maps both models to the same weights.
///
/// Options (defaults):
/// - `schemes` (`[int8, nf4]`): round-to-nearest int8 per output channel, and NF4 with
///   block-64 absmax.
/// - `metrics` (`{perplexity: {}, membership: {attacks: [loss], resamples: 0}}`): the inner
///   suites, a map of suite name → options or a list of choices, built from
///   `EvaluationSuites.builtIn` (not `quantization` itself).
/// - `targets` (`linears`): `linears` quantizes the linear maps' weights (bitsandbytes keeps
///   embeddings and the output head); `matrices` every rank-2 parameter. Norms and biases never.
/// - `reference` (none): a model path (loaded through the context) whose buckets are compared.
///
/// The evaluated model must have no unmerged adapters (the copy holds base weights only).
///
/// Summary metrics: `before.<suite>.<metric>`, `<scheme>.<suite>.<metric>`,
/// `q.<scheme>.<suite>.<metric>`, and with a reference `bucket_change.<scheme>`.
/// Rows: `quantization_metrics.jsonl` (one per scheme, suite and metric: before, after, q),
/// `quantization_buckets.jsonl` (one per scheme and layer, with a reference) and each inner
/// suite's rows under the quantized model as `quantization_<scheme>_<file>`.
public struct QuantizationSuite: EvaluationSuite {
    public static let name = "quantization"
    public static let summary = "quantization attack: int8 / NF4 round trip of the weights, inner suites re-evaluated, Q = min(after/before, 1)"

    public var schemes: [WeightQuantization]
    public var inner: [Evaluation.NamedSuite]
    public var targets: ModelQuantization.Targets
    public var reference: String?

    public init(options: PluginOptions) throws {
        try options.accept(["schemes", "metrics", "targets", "reference"])
        let names = try options.list("schemes", default: WeightQuantization.allCases.map(\.rawValue))
        schemes = []
        for name in names {
            guard let scheme = WeightQuantization(rawValue: name) else {
                try options.problem(options.fail("schemes", "unknown scheme '\(name)'; there are: int8, nf4"))
                continue
            }
            if !schemes.contains(scheme) { schemes.append(scheme) }
        }
        if schemes.isEmpty, !names.isEmpty || options["schemes"] != nil {
            try options.problem(options.fail("schemes", "needs at least one scheme"))
        }
        let targetName = try options.text("targets", default: "linears", allowed: ModelQuantization.Targets.allCases.map(\.rawValue))
        targets = ModelQuantization.Targets(rawValue: targetName) ?? .linears
        reference = try options.optionalText("reference")
        inner = try Self.innerSuites(options)
    }

    /// The default inner suites.
    static let defaultMetrics = OptionNode(
        .map([
            OptionEntry("perplexity", .emptyMap()),
            OptionEntry("membership", OptionNode(.map([
                OptionEntry("attacks", OptionNode(.list([OptionNode(.text("loss"))]))),
                OptionEntry("resamples", OptionNode(.number(0))),
            ]))),
        ]))

    private static func innerSuites(_ options: PluginOptions) throws -> [Evaluation.NamedSuite] {
        let node = options["metrics"] ?? defaultMetrics
        let choices: [OptionNode]
        if let entries = node.entries {
            choices = entries.map { OptionNode(.map([$0]), origin: $0.node.origin) }
        } else if let items = node.items {
            choices = items
        } else {
            try options.problem(options.fail("metrics", "expected a map of suite name → options, or a list of suites"))
            return []
        }
        var built: [Evaluation.NamedSuite] = []
        for choice in choices {
            do {
                let parsed = try PluginChoice(choice)
                guard parsed.name != name else {
                    throw OptionError(origin: choice.origin, owner: options.owner, reason: "quantization cannot run inside itself")
                }
                let made = try EvaluationSuites.builtIn.make(parsed, diagnostics: options.diagnostics)
                guard !built.contains(where: { $0.name == made.name }) else {
                    throw OptionError(origin: choice.origin, owner: options.owner, reason: "suite \(made.name) is listed twice")
                }
                built.append(made)
            } catch let error as OptionError {
                try options.problem(error)
            }
        }
        if built.isEmpty, !choices.isEmpty || options["metrics"] != nil {
            try options.problem(options.fail("metrics", "needs at least one suite"))
        }
        return built
    }

    public var requirements: [DataRequirement] { inner.flatMap(\.suite.requirements) }
    public var usesRunClassifier: Bool { inner.contains { $0.suite.usesRunClassifier } }

    public func evaluate(_ context: EvaluationContext) throws -> SuiteResult {
        if let adapted = context.model.linears.first(where: { !($0.value is any AdaptableLinear) }) {
            throw EvaluationError.invalidArgument(
                name: "model", reason: "map \(adapted.key) carries an adapter; merge it before the quantization suite")
        }
        var metrics: [String: Double] = [:]
        var rows: [ExampleRows] = []
        var metricRows: [[String: Any]] = []
        var before: [String: [String: Double]] = [:]
        for (name, suite) in inner {
            context.log("  quantization: \(name) before")
            before[name] = try suite.evaluate(context).summary.metrics
            for (key, value) in before[name] ?? [:] { metrics["before.\(name).\(key)"] = value }
        }
        let referenceModel = try reference.map { path -> any CausalLanguageModel in
            context.log("  quantization: loading the reference model \(path)")
            return try context.loadModel(path)
        }
        var bucketRows: [[String: Any]] = []
        for scheme in schemes {
            let quantized = try context.model.copy()
            let codes = try ModelQuantization.apply(scheme, to: quantized, targets: targets)
            var inside = context
            inside.model = quantized
            for (name, suite) in inner {
                context.log("  quantization: \(name) under \(scheme.rawValue)")
                let result = try suite.evaluate(inside)
                for (key, after) in result.summary.metrics.sorted(by: { $0.key < $1.key }) {
                    let old = before[name]?[key] ?? .nan
                    let q = Self.ratio(after: after, before: old)
                    metrics["\(scheme.rawValue).\(name).\(key)"] = after
                    if let q { metrics["q.\(scheme.rawValue).\(name).\(key)"] = q }
                    var row: [String: Any] = ["scheme": scheme.rawValue, "suite": name, "metric": key]
                    for (field, value) in [("before", old), ("after", after), ("q", q ?? .nan)] where value.isFinite { row[field] = value }
                    metricRows.append(row)
                }
                rows += result.rows.map { ExampleRows(file: "quantization_\(scheme.rawValue)_\($0.file)", rows: $0.rows) }
            }
            guard let referenceModel else { continue }
            let matrices = try ModelQuantization.matrices(of: context.model, targets: targets)
            let other = try ModelQuantization.codes(scheme, of: referenceModel, targets: targets)
            let layers = try ModelQuantization.changedBuckets(codes, other, matrices: matrices)
            let (changed, total) = layers.reduce((0, 0)) { ($0.0 + $1.changed, $0.1 + $1.total) }
            metrics["bucket_change.\(scheme.rawValue)"] = Double(changed) / Double(max(total, 1))
            for l in layers {
                bucketRows.append([
                    "scheme": scheme.rawValue, "layer": l.layer, "changed": l.changed, "total": l.total,
                    "share": Double(l.changed) / Double(max(l.total, 1)),
                ])
            }
            context.log("  quantization: \(scheme.rawValue) buckets changed vs reference \(metrics["bucket_change.\(scheme.rawValue)"] ?? .nan)")
        }
        rows.insert(ExampleRows(file: "quantization_metrics.jsonl", rows: metricRows), at: 0)
        if !bucketRows.isEmpty { rows.insert(ExampleRows(file: "quantization_buckets.jsonl", rows: bucketRows), at: 1) }
        return SuiteResult(summary: .generic(metrics), rows: rows)
    }

    /// min(after / before, 1); nil when the ratio is undefined (before 0 or not finite).
    public static func ratio(after: Double, before: Double) -> Double? {
        guard before != 0, before.isFinite, after.isFinite else { return nil }
        return min(after / before, 1)
    }
}
