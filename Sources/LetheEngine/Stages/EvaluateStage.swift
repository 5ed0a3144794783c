import Foundation
import LetheStorage
import LetheEvaluation
import LetheLayers
import LetheOptions
import LetheUnlearning

/// `evaluate`: runs evaluation suites on the run's model, in the order written, into the
/// folder `evaluate-<stage>/` (results.json by suite name, per-example rows beside it):
///
///     - evaluate:
///         perplexity: {}
///         membership: {attacks: [loss, zlib, {min_k: {k: 0.2}}], resamples: 1000}
///         toxicity: {protocol: greedy, scorer: run}
///
/// Each key is a suite registry name with its options (`{}` or `true` for the defaults);
/// the suites and their options are the ones `lethe eval SUITE` runs, with the same
/// defaults. After a `retrain` stage, the first evaluation also evaluates the oracle, and
/// from then on PrivLeak is reported against the oracle's membership AUC and the `qa` suite's
/// forget quality against the oracle's truth ratios (its rows in `evaluate-<k>-oracle/`).
public struct EvaluateStage: Stage {
    public static let kind = "evaluate"
    public static let summary = "evaluation suites on the model (and the retrained oracle)"
    public let suites: [(name: String, suite: any EvaluationSuite)]

    public init(options: PluginOptions, plan: StagePlanContext) throws {
        var suites: [(String, any EvaluationSuite)] = []
        let d = options.diagnostics
        for key in options.keys {
            guard let node = options[key] else { continue }
            let choice = PluginChoice(name: key, options: node, origin: node.origin)
            let built = try Diagnostics.collect(d, origin: node.origin) { try plan.plugins.suites.make(choice, diagnostics: d) }
            if let built { suites.append(built) }
        }
        if options.keys.isEmpty {
            try options.problem(options.fail(nil, "evaluate needs at least one suite; available: \(plan.plugins.suites.names.joined(separator: ", "))"))
        }
        guard suites.count == options.keys.count else { throw AlreadyReported() }
        self.suites = suites
    }

    /// The suites' sets, and the run classifier's training set when a suite scores with it.
    public var dataRequirements: [DataRequirement] {
        var requirements = suites.flatMap { $0.suite.requirements }
        if suites.contains(where: { $0.suite.usesRunClassifier }) {
            requirements.append(DataRequirement(
                ClassifierTraining.dataSet, role: "the run's toxicity classifier (scorer: run)", accepted: DataRequirement.labelledText))
        }
        return requirements
    }

    public func run(in run: RunSession, index: Int) throws {
        var added: [String] = []
        var oracleAUC = run.state.oracleAUC
        if let oracleFile = run.state.oracle, oracleAUC == nil {
            run.log("  evaluating the retrained oracle")
            let oracle = try ModelFile.load(run.folder.path + "/" + oracleFile)
            let name = "evaluate-\(index + 1)-oracle"
            let results = try evaluate(oracle, run: run, label: "retrained (oracle)", folder: name, retrainedAUC: nil)
            oracleAUC = results.membership.map { Dictionary(uniqueKeysWithValues: $0.attacks.map { ($0.attack, $0.rocAUC) }) }
            added.append(name)
        }
        let name = "evaluate-\(index + 1)"
        let oracleFolder = added.first ?? run.state.evaluations.last { $0.hasSuffix("-oracle") }
        _ = try evaluate(
            run.model, run: run, label: run.state.label, folder: name, retrainedAUC: oracleAUC,
            oracleFolder: oracleFolder.map { run.folder.path + "/" + $0 })
        added.insert(name, at: 0)
        try run.commit {
            $0.evaluations += added
            $0.oracleAUC = oracleAUC
            $0.completedStages = index + 1
        }
        try run.folder.record(.evaluation(index: index, folders: added))
    }

    private func evaluate(
        _ model: any CausalLanguageModel, run: RunSession, label: String, folder name: String, retrainedAUC: [String: Double]?,
        oracleFolder: String? = nil
    ) throws -> RunResults {
        var context = run.evaluationContext(model: model, retrainedAUC: retrainedAUC)
        context.oracleFolder = oracleFolder  // the qa suite's forget quality reads the oracle's rows there
        return try Evaluation.run(suites: suites, context: context, label: label, folder: run.folder.path + "/" + name)
    }
}
