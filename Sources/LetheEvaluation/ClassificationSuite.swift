import LetheText

/// `classification`: a toxicity classifier scored on labelled test sets (seed 000):
/// accuracy, precision, recall and F1 of "toxic ⇔ P(toxic) ≥ threshold" per set
/// (`ClassificationMetrics`, scikit-learn's `zero_division=0` conventions). It scores the
/// classifier only, not the language model under evaluation.
///
/// Options (defaults):
/// - `data` (`classification_test`): a set name or a list of them, records with `text` and
///   a 0/1 `label` (1 = toxic); results are keyed by set name.
/// - `scorer` (`run`): `run` = the classifier the run trained (in `lethe eval`, the one given
///   with `--classifier`), or `{path: DIR}` = a classifier folder.
/// - `threshold` (0.5): the decision threshold on P(toxic).
///
/// Rows: `classification_scores.jsonl`, one `{"set", "index", "score", "label"}` per record.
public struct ClassificationSuite: EvaluationSuite {
    public static let name = "classification"
    public static let summary = "accuracy, precision, recall and F1 of a toxicity classifier on labelled test sets"
    public static var usesLanguageModel: Bool { false }

    public var data: [String]
    public var scorer: String?
    /// `scorer: run`: the classifier the run trains.
    public var usesRunClassifier: Bool { scorer == nil }
    public var threshold: Double
    private let origin: OptionOrigin

    public init(options: PluginOptions) throws {
        try options.accept(["data", "scorer", "threshold"])
        data = try options.list("data", default: ["classification_test"])
        if data.isEmpty { try options.problem(options.fail("data", "needs at least one set")) }
        scorer = try ToxicitySuite.scorer(options)
        threshold = try options.number("threshold", default: 0.5, in: 0...1)
        origin = options["data"]?.origin ?? options.node.origin
    }

    public var requirements: [DataRequirement] {
        data.map { DataRequirement($0, role: "labelled test set", accepted: DataRequirement.labelledText, origin: origin) }
    }

    public func evaluate(_ context: EvaluationContext) throws -> SuiteResult {
        let classifier = try context.toxicityScorer(scorer)
        var metrics: [String: ClassificationMetrics] = [:]
        var rows: [[String: Any]] = []
        for set in data {
            let examples = try context.dataset(set)
            let labels = examples.map { $0.label ?? -1 }
            let scores = try classifier.toxicity(of: examples.map { $0.text ?? "" })
            let result = try ClassificationMetrics(scores: scores, labels: labels, threshold: threshold)
            metrics[set] = result
            rows += zip(scores, labels).enumerated().map { ["set": set, "index": $0, "score": $1.0, "label": $1.1] }
            context.log("  classification: \(set) accuracy \(result.accuracy), F1 \(result.f1)")
        }
        return SuiteResult(summary: .classification(metrics), rows: [ExampleRows(file: "classification_scores.jsonl", rows: rows)])
    }
}
