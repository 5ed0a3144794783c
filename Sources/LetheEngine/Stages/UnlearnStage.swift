import LetheEvaluation
import LetheOptions
import LetheText
import LetheUnlearning

/// `unlearn`: an objective's named losses on forget examples paired with retain examples
/// (each with its own backward pass), merged by a gradient combiner into one update.
///
///     - unlearn:
///         objective: {name: grad_diff, gamma: 1.0}   # required
///         combiner: pcgrad                           # default sum
///         steps: 60, batch_size: 8, learning_rate: 1.0e-4, gradient_log_every: 1
///         forget: forget, retain: retain             # data sets
///         preferred: idk_answers                     # preferred answers for DPO-style objectives
///
/// The retain set is required and given to every objective: GradDiff always reads it; NPO,
/// SimNPO, DPO, idkDPO and IDK-SFT add their retain term when it is there.
/// `preferred` names a set of prompt/completion pairs aligned with `forget` (same count,
/// same order); without it, objectives with refusals (idk_dpo, idk_sft) pair refusals
/// with the forget prompts. The stage's `seed` (default: the recipe's) sets the data order,
/// dropout, and the sampling of the evaluations after it.
public struct UnlearnStage: Stage {
    public static let kind = "unlearn"
    public static let summary = "unlearn the forget set with an objective and a gradient combiner"
    public let training: PlannedTraining
    public let forget: String
    public let retain: String
    public let preferred: String?
    let label: String
    let origin: OptionOrigin

    public init(options: PluginOptions, plan: StagePlanContext) throws {
        if options["objective"] == nil {
            try options.problem(options.fail(nil, "unlearn needs an objective, e.g. objective: {name: grad_diff}"))
        }
        training = try PlannedTraining(
            options, plan: plan, defaults: TrainingOptions(objective: PluginChoice(name: "grad_diff")), extraKeys: ["forget", "retain", "preferred"])
        forget = try options.text("forget", default: "forget")
        retain = try options.text("retain", default: "retain")
        preferred = try options.optionalText("preferred")
        let parts = training.objective.parts
        if parts.contains("preferred"), preferred == nil, training.objective.preferredAnswers.isEmpty {
            try options.problem(options.fail("objective", "objective \(training.options.objective.name) needs preferred answers: give `preferred: SET` (prompt/completion pairs aligned with \(forget))"))
        }
        label = "\(training.options.objective.name)+\(training.options.combiner.name)"
        origin = plan.origin
    }

    public var dataRequirements: [DataRequirement] {
        let pair: [[DataRequirement.Field]] = [[.prompt, .completion]]
        var needs = [DataRequirement(forget, role: "forget set", accepted: pair, origin: origin)]
        needs.append(DataRequirement(retain, role: "retain set", accepted: pair, origin: origin))
        if let preferred { needs.append(DataRequirement(preferred, role: "preferred answers", accepted: pair, origin: origin)) }
        return needs
    }

    public func run(in run: RunSession, index: Int) throws {
        let seed = training.seed(run)
        let forgetSet = run.data[forget]
        var preferredSet: [TextExample] = []
        if let preferred {
            preferredSet = run.data[preferred]
            guard preferredSet.count == forgetSet.count else {
                throw EngineError.invalid("stage \(index + 1) (unlearn): preferred set '\(preferred)' has \(preferredSet.count) records, forget set '\(forget)' has \(forgetSet.count)")
            }
        } else if !training.objective.preferredAnswers.isEmpty {
            let refusals = training.objective.preferredAnswers
            preferredSet = forgetSet.enumerated().map { TextExample(prompt: $1.prompt, completion: " " + refusals[$0 % refusals.count]) }
        }
        let data = try UnlearningData(
            // The retain set goes to every objective when the data has it: some use it only when
            // present (the retain term of NPO, SimNPO, DPO, idkDPO, IDK-SFT).
            forget: try run.encode(forgetSet), retain: try run.encode(run.data[retain]),
            preferred: try run.encode(preferredSet), batchSize: training.options.batchSize, seed: seed)
        let job = RunSession.TrainingJob(
            kind: Self.kind, index: index, options: training.options, objective: training.objective, combiner: training.combiner,
            data: data, seed: seed)
        let trained = try run.train(run.model, job)
        try run.finish(stage: index, model: trained, label: label) { $0.evaluationSeed = seed }
    }
}
