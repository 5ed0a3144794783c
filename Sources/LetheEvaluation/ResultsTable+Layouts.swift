/// The result tables of the seed studies.
extension ResultsTable {
    /// One model's row of seed 003's detoxification table.
    public struct DetoxificationRow: Sendable {
        public var label: String
        /// Mean toxicity of generations (scorer named in the note).
        public var toxicity: Double?
        /// WikiText word perplexity (its convention named in the note).
        public var wordPerplexity: Double?
        /// Membership inference on the forget set (member NLL, non-member NLL, ROC-AUC of an attack).
        public var membership: MembershipReport?
        /// Which attack's AUC to show (default the LOSS attack).
        public var attack: String

        /// - Parameters: see the properties.
        public init(
            label: String, toxicity: Double? = nil, wordPerplexity: Double? = nil, membership: MembershipReport? = nil,
            attack: String = "loss"
        ) {
            (self.label, self.toxicity, self.wordPerplexity, self.membership, self.attack) =
                (label, toxicity, wordPerplexity, membership, attack)
        }
    }

    /// Seed 003 (detoxification via gradient surgery):
    /// `Toxicity | Word PPL | Member NLL | Non-member NLL | ROC-AUC`, with the AUC's
    /// bootstrap interval when there is one.
    /// - Throws: never in practice (every row has five cells).
    public static func detoxification(_ rows: [DetoxificationRow], note: String? = nil) throws -> ResultsTable {
        var table = ResultsTable(
            title: "Detoxification", rowHeader: "Method",
            columns: ["Toxicity", "Word PPL", "Member NLL", "Non-member NLL", "ROC-AUC"], digits: [3, 2, 3, 3, 3],
            note: note)
        for r in rows {
            let auc = r.membership?[attack: r.attack]
            try table.append(
                r.label,
                [
                    r.toxicity.map { Cell($0) }, r.wordPerplexity.map { Cell($0) },
                    r.membership.map { Cell($0.memberMeanNLL) }, r.membership.map { Cell($0.nonMemberMeanNLL) },
                    auc.map { Cell($0.rocAUC, interval: $0.rocAUCInterval) },
                ])
        }
        return table
    }

    /// Seed 000 (toxicity classifier): accuracy, precision, recall and F1 on each named test
    /// set, columns `<set> accuracy`, `<set> precision`, … in the order of `testSets`.
    /// - Parameters:
    ///   - testSets: the test-set names, e.g. ["original", "re-split"].
    ///   - rows: (model label, metrics per test set, in the same order).
    /// - Throws: `EvaluationError.invalidArgument` when a row's metrics do not match the sets.
    public static func classification(
        testSets: [String], rows: [(label: String, metrics: [ClassificationMetrics])], note: String? = nil
    ) throws -> ResultsTable {
        let names = ["accuracy", "precision", "recall", "F1"]
        var table = ResultsTable(
            title: "Toxicity classification", rowHeader: "Model",
            columns: testSets.flatMap { set in names.map { "\(set) \($0)" } }, note: note)
        for row in rows {
            guard row.metrics.count == testSets.count else {
                throw EvaluationError.invalidArgument(
                    name: "row \(row.label)", reason: "\(row.metrics.count) metric sets for test sets \(testSets)")
            }
            try table.append(row.label, row.metrics.flatMap { m in [m.accuracy, m.precision, m.recall, m.f1].map { Cell($0) } })
        }
        return table
    }
}
