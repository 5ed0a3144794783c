import ArgumentParser
import Foundation
import LetheEvaluation

/// `lethe eval`: metrics over saved scores (`LetheEvaluation`). Parsing and printing only.
public struct EvalCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluation metrics over saved scores: membership inference, Bayesian comparison.",
        subcommands: [Perplexity.self, MIA.self, Toxicity.self, Compare.self, TrainToxicity.self])

    /// Output formats of a `ResultsTable`.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case markdown, csv, json
    }

    struct MIA: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mia",
            abstract: "ROC-AUC (ties ½), TPR at 1% and 0.1% FPR and a bootstrap 95% CI of membership scores.",
            discussion: """
                FILE is JSON: {"members": [..], "non_members": [..]} for one attack, or
                {"<attack>": {"members": [..], "non_members": [..]}, ...} for several.
                Convention: members are positives and a HIGHER score means MORE LIKELY A MEMBER
                (negate loss-like scores such as NLL first). AUC 0.5 = indistinguishable.
                TPR@FPR is the largest TPR over ROC points with FPR <= the budget. The interval
                is a stratified percentile bootstrap (members and non-members resampled apart).
                With --retrained-auc, PrivLeak = (AUC_retrained - AUC) / (1 - AUC_retrained) * 100.
                """)

        @Option(help: "JSON file of member and non-member scores (or use --model).")
        var scores: String?
        @OptionGroup var model: MembershipModelOptions
        @Option(help: "Bootstrap resamples (0: no interval).")
        var resamples = 1000
        @Option(help: "Bootstrap seed.")
        var seed: UInt64 = 0
        @Option(help: "ROC-AUC of a model retrained without the members, for PrivLeak.")
        var retrainedAuc: Double?
        @Option(help: "markdown, csv or json.")
        var format: Format = .markdown

        func run() throws {
            guard let scores else {
                try model.run(resamples: resamples, seed: seed, retrainedAUC: retrainedAuc, format: format)
                return
            }
            let sets = try readScores(scores)
            var table = ResultsTable(
                title: "Membership inference (\(scores))", rowHeader: "Attack",
                columns: ["ROC-AUC", "TPR@1%FPR", "TPR@0.1%FPR", "member mean", "non-member mean", "PrivLeak"],
                digits: [3, 3, 3, 4, 4, 1],
                note: "members positive, higher score = member; n = members/non-members per attack: "
                    + sets.map { "\($0.name) \($0.scores.members.count)/\($0.scores.nonMembers.count)" }.joined(separator: ", "))
            for (name, set) in sets {
                let r: AttackResult
                do {
                    r = try AttackResult(attack: name, scores: set, resamples: resamples, seed: seed)
                } catch {
                    throw ValidationError("\(scores), attack \(name): \(error)")
                }
                try table.append(
                    name,
                    [
                        .init(r.rocAUC, interval: r.rocAUCInterval), .init(r.tprAt1PercentFPR), .init(r.tprAt01PercentFPR),
                        .init(r.memberMean), .init(r.nonMemberMean),
                        retrainedAuc.map { .init(privLeak(auc: r.rocAUC, retrainedAUC: $0)) },
                    ])
            }
            print(try render(table, format), terminator: "")
        }

        private func readScores(_ path: String) throws -> [(name: String, scores: MembershipScores)] {
            let data = try readFile(path)
            let decoder = JSONDecoder()
            if let single = try? decoder.decode(MembershipScores.self, from: data) {
                return [(((path as NSString).lastPathComponent as NSString).deletingPathExtension, single)]
            }
            do {
                return try decoder.decode([String: MembershipScores].self, from: data).sorted { $0.key < $1.key }
                    .map { ($0.key, $0.value) }
            } catch {
                throw ValidationError(
                    "\(path): expected {\"members\": [...], \"non_members\": [...]} or a map of attack name to that (\(error))")
            }
        }
    }

    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bayesian difference of two groups' means (e.g. per-prompt toxicity before vs after).",
            discussion: """
                FILE is JSON: {"a": [..], "b": [..]}. Each mean has the Student-t posterior of a
                normal model with the prior p(mu, sigma^2) ~ 1/sigma^2 (BDA3 section 3.2); the
                difference mu_b - mu_a is estimated from seeded Monte Carlo draws. Prints the
                posterior mean difference, its 95% credible interval and P(difference > 0).
                """)

        @Option(help: "JSON file with arrays \"a\" and \"b\".")
        var values: String
        @Option(help: "Monte Carlo draws.")
        var draws = 10_000
        @Option(help: "Seed of the draws.")
        var seed: UInt64 = 0
        @Option(help: "markdown, csv or json.")
        var format: Format = .markdown

        func run() throws {
            let groups: [String: [Double]]
            do {
                groups = try JSONDecoder().decode([String: [Double]].self, from: readFile(values))
            } catch let error as ValidationError {
                throw error
            } catch {
                throw ValidationError("\(values): expected {\"a\": [numbers], \"b\": [numbers]} (\(error))")
            }
            guard let a = groups["a"], let b = groups["b"] else { throw ValidationError("\(values): needs arrays \"a\" and \"b\"") }
            let r: BayesianComparison
            do {
                r = try BayesianComparison(a: a, b: b, draws: draws, seed: seed)
            } catch {
                throw ValidationError("\(values): \(error)")
            }
            var table = ResultsTable(
                title: "Bayesian comparison (\(values))", rowHeader: "Quantity",
                columns: ["mean a", "mean b", "difference b - a", "P(difference > 0)"], digits: [4, 4, 4, 3],
                note: "Student-t posterior of each mean; \(r.draws) seeded draws; 95% equal-tailed credible interval")
            try table.append("posterior", [.init(r.meanA), .init(r.meanB), .init(r.meanDifference, interval: r.interval), .init(r.probabilityGreaterThanZero)])
            print(try render(table, format), terminator: "")
        }
    }
}

private func readFile(_ path: String) throws -> Data {
    do {
        return try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
        throw ValidationError("\(path): cannot read (\(error.localizedDescription))")
    }
}

func render(_ table: ResultsTable, _ format: EvalCommand.Format) throws -> String {
    switch format {
    case .markdown: table.markdown()
    case .csv: table.csv()
    case .json: try table.json()
    }
}
