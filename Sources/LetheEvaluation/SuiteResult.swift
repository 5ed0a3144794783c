/// What a suite returns: the summary stored in `results.json` under the suite's name, and
/// per-example rows written beside it.
public struct SuiteResult {
    public var summary: SuiteSummary
    /// Per-example files (`perplexity_documents.jsonl`, `mia_scores.jsonl`, ...).
    public var rows: [ExampleRows]

    /// - Parameters: see the properties.
    public init(summary: SuiteSummary, rows: [ExampleRows] = []) { (self.summary, self.rows) = (summary, rows) }
}

/// One JSON Lines file of per-example values, one object per example.
public struct ExampleRows {
    /// The file name inside the evaluation folder, by convention `<suite>_<what>.jsonl`
    /// (the membership suite keeps `mia_scores.jsonl`, which the ROC plot reads).
    public var file: String
    /// JSON objects (values: numbers, text, booleans, arrays, nested objects).
    public var rows: [[String: Any]]

    /// - Parameters: see the properties.
    public init(file: String, rows: [[String: Any]]) { (self.file, self.rows) = (file, rows) }
}

/// A suite's entry in `results.json`: typed for the built-in suites (the shapes older runs
/// wrote), a map of named numbers for any other suite (`{"metrics": {"accuracy": 0.91}}`).
public enum SuiteSummary: Equatable, Sendable {
    case perplexity(PerplexityResult)
    case membership(MembershipReport)
    case toxicity(RunResults.ToxicitySummary)
    /// Metrics per labelled test set (seed 000's layout).
    case classification([String: ClassificationMetrics])
    /// A plugin suite's named numbers.
    case generic([String: Double])

    /// `perplexity`, `membership`, `toxicity`, `classification` or `metrics`.
    public var kind: String {
        switch self {
        case .perplexity: "perplexity"
        case .membership: "membership"
        case .toxicity: "toxicity"
        case .classification: "classification"
        case .generic: "metrics"
        }
    }

    public var perplexity: PerplexityResult? { if case let .perplexity(r) = self { r } else { nil } }
    public var membership: MembershipReport? { if case let .membership(r) = self { r } else { nil } }
    public var toxicity: RunResults.ToxicitySummary? { if case let .toxicity(r) = self { r } else { nil } }
    public var classification: [String: ClassificationMetrics]? { if case let .classification(r) = self { r } else { nil } }

    /// The headline numbers by name, for any suite (what `RunTables.metrics` shows):
    /// perplexity `token_ppl`, `word_ppl`, `byte_ppl`, `bits_per_byte`; membership
    /// `member_nll`, `non_member_nll`, `auc.<attack>`, `privleak.<attack>`; toxicity `mean`,
    /// `share_toxic`, `expected_max`, `probability`; classification `<set>.accuracy`,
    /// `.precision`, `.recall`, `.f1`; a plugin suite its own map.
    public var metrics: [String: Double] {
        switch self {
        case let .perplexity(r):
            return ["token_ppl": r.tokenPerplexity, "word_ppl": r.wordPerplexity, "byte_ppl": r.bytePerplexity, "bits_per_byte": r.bitsPerByte]
        case let .membership(r):
            var m = ["member_nll": r.memberMeanNLL, "non_member_nll": r.nonMemberMeanNLL]
            for a in r.attacks { m["auc.\(a.attack)"] = a.rocAUC }
            for (attack, value) in r.privLeak ?? [:] { m["privleak.\(attack)"] = value }
            return m
        case let .toxicity(r):
            var m = ["mean": r.meanToxicity, "share_toxic": r.shareToxic, "expected_max": r.expectedMaximumToxicity]
            m["probability"] = r.toxicityProbability
            return m
        case let .classification(sets):
            var m: [String: Double] = [:]
            for (set, c) in sets {
                (m["\(set).accuracy"], m["\(set).precision"], m["\(set).recall"], m["\(set).f1"]) = (c.accuracy, c.precision, c.recall, c.f1)
            }
            return m
        case let .generic(m):
            return m
        }
    }
}
