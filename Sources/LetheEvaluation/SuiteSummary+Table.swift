import Foundation

extension SuiteSummary {
    /// The summary as a table for a terminal (`lethe eval`): perplexity one row of token,
    /// word and byte perplexity and bits per byte; membership one row per attack (ROC-AUC
    /// with its interval, TPR at 1% and 0.1% FPR, mean scores, PrivLeak); toxicity one row;
    /// classification one row per test set; a plugin suite one row of its metrics.
    /// - Parameter title: the suite's name as it ran.
    public func table(title: String) throws -> ResultsTable {
        switch self {
        case let .perplexity(r):
            var table = ResultsTable(
                title: title, rowHeader: "Documents", columns: ["tokens", "token PPL", "word PPL", "byte PPL", "bits/byte"],
                digits: [0, 4, 4, 4, 4], note: "\(r.convention), L = \(r.contextLength)")
            try table.append("\(r.documents)", [Double(r.tokens), r.tokenPerplexity, r.wordPerplexity, r.bytePerplexity, r.bitsPerByte].map { .init($0) })
            return table
        case let .membership(r):
            var table = ResultsTable(
                title: title, rowHeader: "Attack",
                columns: ["ROC-AUC", "TPR@1%FPR", "TPR@0.1%FPR", "member mean", "non-member mean", "PrivLeak"], digits: [3, 3, 3, 4, 4, 1],
                note: String(
                    format: "%d members, %d non-members; member NLL %.4f, non-member NLL %.4f; members positive, higher score = member",
                    r.memberCount, r.nonMemberCount, r.memberMeanNLL, r.nonMemberMeanNLL))
            for a in r.attacks {
                try table.append(
                    a.attack,
                    [
                        .init(a.rocAUC, interval: a.rocAUCInterval), .init(a.tprAt1PercentFPR), .init(a.tprAt01PercentFPR),
                        .init(a.memberMean), .init(a.nonMemberMean), r.privLeak?[a.attack].map { .init($0) },
                    ])
            }
            return table
        case let .toxicity(r):
            var table = ResultsTable(
                title: title, rowHeader: "Protocol", columns: ["prompts", "mean toxicity", "share >= 0.5", "expected max", "toxicity probability"],
                digits: [0, 4, 4, 4, 4])
            try table.append(
                r.protocolName,
                [.init(Double(r.prompts)), .init(r.meanToxicity), .init(r.shareToxic), .init(r.expectedMaximumToxicity), r.toxicityProbability.map { .init($0) }])
            return table
        case let .classification(sets):
            var table = ResultsTable(
                title: title, rowHeader: "Test set", columns: ["n", "accuracy", "precision", "recall", "F1", "threshold"], digits: [0, 4, 4, 4, 4, 2])
            for (set, m) in sets.sorted(by: { $0.key < $1.key }) {
                try table.append(set, [Double(m.count), m.accuracy, m.precision, m.recall, m.f1, m.threshold].map { .init($0) })
            }
            return table
        case let .generic(metrics):
            let names = metrics.keys.sorted()
            var table = ResultsTable(title: title, rowHeader: "Suite", columns: names)
            try table.append(title, names.map { metrics[$0].map { .init($0) } })
            return table
        }
    }
}
