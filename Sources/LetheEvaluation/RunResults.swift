import Foundation
import LetheTensor

/// The evaluation results of one folder, `FOLDER/results.json`: what `Evaluation.run`
/// writes (for `lethe run` and `lethe eval`) and what `lethe table` reads. One key per suite,
/// by the name it ran under, beside the row label:
///
///     {"label": "GradDiff+PCGrad", "perplexity": {...}, "membership": {...},
///      "toxicity": {...}, "classification": {"<set>": {...}}, "<plugin suite>": {"metrics": {...}}}
///
/// The built-in suites keep the shapes older runs wrote, so their results.json files still
/// load (their top-level `privLeak` moves into `membership.privLeak`). Per-example values
/// sit beside it (`perplexity_documents.jsonl`, `mia_scores.jsonl`, `toxicity_completions.jsonl`,
/// `classification_scores.jsonl`).
public struct RunResults: Equatable, Sendable {
    /// The row label (default: the folder's name).
    public var label: String
    /// Each suite's summary by the name it ran under.
    public var suites: [String: SuiteSummary]

    /// Keys of results.json that are not suite names.
    public static let reservedNames: Set<String> = ["label", "privLeak"]

    public init(label: String, suites: [String: SuiteSummary] = [:]) { (self.label, self.suites) = (label, suites) }

    /// The perplexity result: the suite named `perplexity`, else the first (by name) of that
    /// kind. Setting it sets (or, with nil, removes) the suite named `perplexity`.
    public var perplexity: PerplexityResult? {
        get { find(\.perplexity, "perplexity")?.value }
        set { suites["perplexity"] = newValue.map(SuiteSummary.perplexity) }
    }

    /// The membership report, found and set as `perplexity`.
    public var membership: MembershipReport? {
        get { find(\.membership, "membership")?.value }
        set { suites["membership"] = newValue.map(SuiteSummary.membership) }
    }

    /// The toxicity summary, found and set as `perplexity`.
    public var toxicity: ToxicitySummary? {
        get { find(\.toxicity, "toxicity")?.value }
        set { suites["toxicity"] = newValue.map(SuiteSummary.toxicity) }
    }

    /// Classification metrics per named test set, found and set as `perplexity`.
    public var classification: [String: ClassificationMetrics]? {
        get { find(\.classification, "classification")?.value }
        set { suites["classification"] = newValue.map(SuiteSummary.classification) }
    }

    /// PrivLeak (percent) per membership attack, against a model retrained without the
    /// members (MUSE): the membership report's `privLeak`. Setting it without a membership
    /// report does nothing.
    public var privLeak: [String: Double]? {
        get { membership?.privLeak }
        set {
            guard let (name, report) = find(\.membership, "membership") else { return }
            var changed = report
            changed.privLeak = newValue
            suites[name] = .membership(changed)
        }
    }

    /// The suite `preferred`, else the first suite by name whose summary `kind` extracts.
    private func find<T>(_ kind: (SuiteSummary) -> T?, _ preferred: String) -> (name: String, value: T)? {
        if let summary = suites[preferred], let value = kind(summary) { return (preferred, value) }
        for name in suites.keys.sorted() {
            if let summary = suites[name], let value = kind(summary) { return (name, value) }
        }
        return nil
    }

    /// Mean toxicity figures of a generation protocol (the per-completion values are in
    /// `toxicity_completions.jsonl`).
    public struct ToxicitySummary: Codable, Equatable, Sendable {
        public var protocolName: String
        public var meanToxicity: Double
        public var shareToxic: Double
        public var expectedMaximumToxicity: Double
        /// Share of prompts with a continuation at ≥ 0.5 (nil in results written before it
        /// was recorded).
        public var toxicityProbability: Double?
        public var prompts: Int

        public init(_ result: ToxicityResult) {
            protocolName = result.protocolName
            meanToxicity = result.meanToxicity
            shareToxic = result.shareToxic
            expectedMaximumToxicity = result.expectedMaximumToxicity
            toxicityProbability = result.toxicityProbability
            prompts = result.scores.count
        }
    }

    /// Reads `folder/results.json` (this layout, or the one older runs wrote); a folder
    /// without one starts empty when `orEmpty`.
    public static func load(folder: String, orEmpty: Bool = false) throws -> RunResults {
        let path = folder + "/results.json"
        guard let data = FileManager.default.contents(atPath: path) else {
            if orEmpty { return RunResults(label: (folder as NSString).lastPathComponent) }
            throw EvaluationError.badFile(path: path, reason: "missing (run an evaluation with --out \(folder) first)")
        }
        do {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            return try decoder.decode(RunResults.self, from: data)
        } catch {
            throw EvaluationError.badFile(path: path, reason: "not a Lethe results file (\(error))")
        }
    }

    /// Writes `folder/results.json` (creating the folder), atomically, with sorted keys;
    /// non-finite numbers as the strings "inf", "-inf", "nan".
    public func save(folder: String) throws {
        let path = folder + "/results.json"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            try AtomicFile.write(encoder.encode(self), to: path)
        } catch {
            throw EvaluationError.badFile(path: path, reason: "cannot write (\(error.localizedDescription))")
        }
    }

    /// Writes one JSON object per line to `folder/name` (per-example values).
    public static func writeLines(_ rows: [[String: Any]], folder: String, name: String) throws {
        let path = folder + "/" + name
        do {
            let lines = try rows.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
            try AtomicFile.write((lines.joined(separator: "\n") + "\n"), to: path)
        } catch {
            throw EvaluationError.badFile(path: path, reason: "cannot write (\(error.localizedDescription))")
        }
    }
}
