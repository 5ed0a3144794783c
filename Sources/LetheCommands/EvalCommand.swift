import ArgumentParser
import Foundation
import LetheEvaluation

/// `lethe eval`: one evaluation suite on a model (the path `lethe run` takes, written into
/// an evaluation folder), and metrics over saved scores. Parsing and printing only.
public struct EvalCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluation suites on a model (perplexity, mia, toxicity, classification, any registered suite); metrics over saved scores.",
        discussion: """
            lethe eval SUITE --model M --tokenizer T --data NAME=FILE ... [--option KEY=VALUE ...] --out DIR
            runs the suite exactly as a recipe's evaluate stage does (same defaults) and adds its entry to
            DIR/results.json. `lethe eval suite NAME ...` reaches any registered suite.
            """,
        subcommands: [Perplexity.self, MIA.self, Toxicity.self, Classification.self, Suite.self, Compare.self, TrainToxicity.self])

    /// Output formats of a `ResultsTable`.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case markdown, csv, json
    }

    struct MIA: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mia",
            abstract: "Membership inference: the membership suite on a model, or ROC metrics of saved scores (--scores).",
            discussion: """
                On a model: --data forget=FILE --data nonmember=FILE (prompt+completion or text). Options:
                attacks='[loss, zlib, {min_k: {k: 0.2}}, min_k_plus_plus, {reference: {model: PATH}}]'
                (default [loss, zlib, min_k]), resamples=N (1000), members=NAME, non_members=NAME,
                max_length=N, truncation=drop_prompt_start|keep_start, batch_size=N.
                With --scores, FILE is JSON: {"members": [..], "non_members": [..]} for one attack, or
                {"<attack>": {"members": [..], "non_members": [..]}, ...} for several.
                Convention: members are positives and a HIGHER score means MORE LIKELY A MEMBER
                (negate loss-like scores such as NLL first). AUC 0.5 = indistinguishable.
                TPR@FPR is the largest TPR over ROC points with FPR <= the budget. The interval
                is a stratified percentile bootstrap (members and non-members resampled apart).
                PrivLeak = (AUC_retrained - AUC) / (1 - AUC_retrained) * 100.
                """,
            aliases: ["membership"])

        @Option(help: "JSON file of member and non-member scores (instead of a model).")
        var scores: String?
        @OptionGroup var suite: SuiteArguments
        @Option(help: "Bootstrap resamples, with --scores (on a model: --option resamples=N).")
        var resamples: Int?
        @Option(help: "ROC-AUC of a model retrained without the members, for PrivLeak (every attack).")
        var retrainedAuc: Double?
        @Option(help: "The retrained oracle's evaluation folder: its results.json gives PrivLeak's AUC per attack.")
        var retrained: String?
        @Option(help: "markdown, csv or json (with --scores).")
        var format: Format = .markdown

        func validate() throws {
            if let auc = retrainedAuc, !(auc >= 0 && auc < 1) {
                throw ValidationError("--retrained-auc must be a ROC-AUC in [0, 1) (PrivLeak divides by 1 − AUC), got \(auc)")
            }
            if let resamples, !(0...OptionLimits.repetitions).contains(resamples) {
                throw ValidationError("--resamples must lie in 0...\(OptionLimits.repetitions), got \(resamples)")
            }
        }

        func run() throws {
            guard let scores else {
                if resamples != nil { throw ValidationError("on a model, give --option resamples=N") }
                let oracle = try retrained.map { try RunResults.load(folder: $0).membership?.rocAUCs ?? [:] }
                let fixed = retrainedAuc
                try suite.run(suite: "membership") { labels in
                    oracle ?? fixed.map { auc in Dictionary(uniqueKeysWithValues: labels.map { ($0, auc) }) }
                }
                return
            }
            let sets = try readScores(scores)
            let (resamples, seed) = (self.resamples ?? 1000, suite.seed)
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
