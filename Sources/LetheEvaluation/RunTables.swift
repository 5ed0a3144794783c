import Foundation

/// Tables over run folders (`lethe table RUN...`).
public enum RunTables {
    public enum Layout: String, CaseIterable, Sendable {
        /// Seed 003: Toxicity | Word PPL | Member NLL | Non-member NLL | ROC-AUC.
        case detoxification
        /// Seed 000: accuracy, precision, recall, F1 per test set.
        case classification
        /// Every suite's headline numbers (`SuiteSummary.metrics`), plugin suites included:
        /// one column per `<suite>.<metric>`.
        case metrics
    }

    /// The table of `runs` in `layout`; `attack` picks the MIA attack whose AUC is shown.
    public static func table(_ runs: [RunResults], layout: Layout, attack: String = "loss") throws -> ResultsTable {
        switch layout {
        case .detoxification:
            return try detoxification(groups: runs.map { ($0.label, [$0]) }, attack: attack)
        case .metrics:
            return try metrics(runs)
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

extension RunTables {
    /// Every suite's headline numbers (`SuiteSummary.metrics`), one row per run and one
    /// column per `<suite>.<metric>` (suites and metrics sorted by name; a run without one
    /// shows `–`).
    /// - Parameter suites: the suite names to show (default all).
    /// - Throws: `EvaluationError.insufficientData` when no run holds a metric.
    public static func metrics(_ runs: [RunResults], suites: [String]? = nil) throws -> ResultsTable {
        let names = suites ?? Array(Set(runs.flatMap(\.suites.keys))).sorted()
        var columns: [(suite: String, metric: String)] = []
        for suite in names {
            let metrics = Set(runs.flatMap { $0.suites[suite]?.metrics.keys.map { $0 } ?? [] })
            columns += metrics.sorted().map { (suite, $0) }
        }
        guard !columns.isEmpty else { throw EvaluationError.insufficientData("no run holds metrics of the suites \(names)") }
        var table = ResultsTable(
            title: "Evaluation metrics", rowHeader: "Run", columns: columns.map { "\($0.suite).\($0.metric)" },
            note: "suite.metric as each suite names it; – = not measured")
        for run in runs {
            try table.append(run.label, columns.map { c in run.suites[c.suite]?.metrics[c.metric].map { ResultsTable.Cell($0) } })
        }
        return table
    }
}
