import Foundation

extension RunTables {
    /// Seed 003's detoxification table over groups of runs that share a label (e.g. one
    /// method over three seeds): each cell is the mean over the group's runs with a 95%
    /// Student-t interval, mean ± t(0.975, n−1) · s / √n; a group of one keeps the run's own
    /// values (and the AUC's bootstrap interval). A PrivLeak column appears when any run has
    /// one (runs evaluated after a `retrain` stage).
    /// - Parameters:
    ///   - groups: (row label, the runs averaged into the row), in table order.
    ///   - attack: the membership attack whose AUC (and PrivLeak) is shown.
    public static func detoxification(groups: [(label: String, runs: [RunResults])], attack: String = "loss") throws -> ResultsTable {
        let hasPrivLeak = groups.contains { $0.runs.contains { $0.privLeak?[attack] != nil } }
        let seeds = Set(groups.map(\.runs.count).filter { $0 > 1 }).sorted()
        let spread = seeds.isEmpty ? "" : "; rows over \(seeds.map(String.init).joined(separator: " or ")) runs: mean [95% t-interval over seeds]"
        var table = ResultsTable(
            title: "Detoxification", rowHeader: "Method",
            columns: ["Toxicity", "Word PPL", "Member NLL", "Non-member NLL", "ROC-AUC"] + (hasPrivLeak ? ["PrivLeak"] : []),
            digits: [3, 2, 3, 3, 3] + (hasPrivLeak ? [1] : []),
            note: "Toxicity: mean P(toxic) of generations; Word PPL: \(groups.first?.runs.first?.perplexity?.convention ?? "n/a"); "
                + "ROC-AUC: \(attack) attack, one model: [95% bootstrap interval]" + spread
                + (hasPrivLeak ? "; PrivLeak: % against the retrained oracle (0 = oracle)" : ""))
        for (label, runs) in groups {
            func cell(_ metric: (RunResults) -> Double?, single: ((RunResults) -> Interval?)? = nil) -> ResultsTable.Cell? {
                let values = runs.compactMap(metric)
                guard !values.isEmpty else { return nil }
                if values.count == 1 { return ResultsTable.Cell(values[0], interval: runs.first.flatMap { single?($0) }) }
                return ResultsTable.Cell(mean(values), interval: tInterval(values))
            }
            let auc = { (r: RunResults) in r.membership?[attack: attack] }
            var cells = [
                cell { $0.toxicity?.meanToxicity }, cell { $0.perplexity?.wordPerplexity },
                cell { $0.membership?.memberMeanNLL }, cell { $0.membership?.nonMemberMeanNLL },
                cell({ auc($0)?.rocAUC }, single: { auc($0)?.rocAUCInterval }),
            ]
            if hasPrivLeak { cells.append(cell { $0.privLeak?[attack] }) }
            try table.append(label, cells)
        }
        return table
    }

    /// Groups runs by label, in order of first appearance.
    public static func grouped(_ runs: [RunResults]) -> [(label: String, runs: [RunResults])] {
        var groups: [(label: String, runs: [RunResults])] = []
        for run in runs {
            if let i = groups.firstIndex(where: { $0.label == run.label }) { groups[i].runs.append(run) } else { groups.append((run.label, [run])) }
        }
        return groups
    }

    static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }

    /// 95% Student-t interval of the mean of `values` (n ≥ 2).
    static func tInterval(_ values: [Double]) -> Interval {
        let n = Double(values.count)
        let m = mean(values)
        let s = (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)).squareRoot()
        let half = studentT975(degreesOfFreedom: values.count - 1) * s / n.squareRoot()
        return Interval(lower: m - half, upper: m + half, level: 0.95)
    }

    /// The 0.975 quantile of Student's t (two-sided 95%), tabulated for small degrees of
    /// freedom, the normal 1.96 beyond 30.
    static func studentT975(degreesOfFreedom df: Int) -> Double {
        let table = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                     2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                     2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]
        return df >= 1 && df <= table.count ? table[df - 1] : 1.96
    }
}
