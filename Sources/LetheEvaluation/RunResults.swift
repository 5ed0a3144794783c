import Foundation

/// The evaluation results of one run folder, `RUN/results.json`: what `lethe eval ... --out
/// RUN` writes (each command merges its part in) and what `lethe table` reads. Per-example
/// values sit beside it (`perplexity_documents.jsonl`, `mia_scores.jsonl`,
/// `toxicity_completions.jsonl`).
public struct RunResults: Codable, Equatable, Sendable {
    /// The row label (default: the folder's name).
    public var label: String
    public var perplexity: PerplexityResult?
    public var membership: MembershipReport?
    public var toxicity: ToxicitySummary?
    /// Classification metrics per named test set (seed 000's layout).
    public var classification: [String: ClassificationMetrics]?
    /// PrivLeak (percent) per membership attack, against a model retrained without the
    /// members (MUSE): 0 is the oracle's privacy; see `privLeak(auc:retrainedAUC:)`.
    public var privLeak: [String: Double]?

    public init(label: String) { self.label = label }

    /// Mean toxicity figures of a generation protocol (the per-completion values are in
    /// `toxicity_completions.jsonl`).
    public struct ToxicitySummary: Codable, Equatable, Sendable {
        public var protocolName: String
        public var meanToxicity: Double
        public var shareToxic: Double
        public var expectedMaximumToxicity: Double
        public var prompts: Int

        public init(_ result: ToxicityResult) {
            protocolName = result.protocolName
            meanToxicity = result.meanToxicity
            shareToxic = result.shareToxic
            expectedMaximumToxicity = result.expectedMaximumToxicity
            prompts = result.scores.count
        }
    }

    /// Reads `folder/results.json`; a folder without one starts empty when `orEmpty`.
    public static func load(folder: String, orEmpty: Bool = false) throws -> RunResults {
        let path = folder + "/results.json"
        guard let data = FileManager.default.contents(atPath: path) else {
            if orEmpty { return RunResults(label: (folder as NSString).lastPathComponent) }
            throw EvaluationError.badFile(path: path, reason: "missing (run an evaluation with --out \(folder) first)")
        }
        do {
            return try JSONDecoder().decode(RunResults.self, from: data)
        } catch {
            throw EvaluationError.badFile(path: path, reason: "not a Lethe results file (\(error))")
        }
    }

    /// Writes `folder/results.json` (creating the folder), atomically.
    public func save(folder: String) throws {
        let path = folder + "/results.json"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw EvaluationError.badFile(path: path, reason: "cannot write (\(error.localizedDescription))")
        }
    }

    /// Writes one JSON object per line to `folder/name` (per-example values).
    public static func writeLines(_ rows: [[String: Any]], folder: String, name: String) throws {
        let path = folder + "/" + name
        do {
            let lines = try rows.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw EvaluationError.badFile(path: path, reason: "cannot write (\(error.localizedDescription))")
        }
    }
}

/// Tables over run folders (`lethe table RUN...`).
public enum RunTables {
    public enum Layout: String, CaseIterable, Sendable {
        /// Seed 003: Toxicity | Word PPL | Member NLL | Non-member NLL | ROC-AUC.
        case detoxification
        /// Seed 000: accuracy, precision, recall, F1 per test set.
        case classification
    }

    /// The table of `runs` in `layout`; `attack` picks the MIA attack whose AUC is shown.
    public static func table(_ runs: [RunResults], layout: Layout, attack: String = "loss") throws -> ResultsTable {
        switch layout {
        case .detoxification:
            return try detoxification(groups: runs.map { ($0.label, [$0]) }, attack: attack)
        case .classification:
            let sets = Array(Set(runs.flatMap { ($0.classification ?? [:]).keys })).sorted()
            guard !sets.isEmpty else {
                throw EvaluationError.insufficientData("no run holds classification metrics")
            }
            return try ResultsTable.classification(
                testSets: sets,
                rows: try runs.map { run in
                    (run.label, try sets.map { set in
                        guard let metrics = run.classification?[set] else {
                            throw EvaluationError.insufficientData("run \(run.label) has no metrics for test set \(set)")
                        }
                        return metrics
                    })
                })
        }
    }
}
