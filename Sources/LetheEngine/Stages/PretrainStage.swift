import LetheEvaluation
import LetheOptions
import LetheUnlearning

/// `pretrain`: next-token training on random windows of the model's context length cut
/// from the `pretrain` set's documents, joined with end-of-text (nanoGPT's sampling; the
/// window of batch i is a pure function of (seed, i), so a resumed stage sees the same data).
///
///     - pretrain: {steps: 300, batch_size: 16, learning_rate: 1.0e-3, schedule: cosine,
///                  warmup_steps: 30, betas: [0.9, 0.95], data: pretrain}
///
/// Takes every `TrainingOptions` key (objective default `next_token`) and `data`.
public struct PretrainStage: Stage {
    public static let kind = "pretrain"
    public static let summary = "next-token training on windows of the pretraining documents"
    public let training: PlannedTraining
    public let dataSet: String
    let origin: OptionOrigin

    public init(options: PluginOptions, plan: StagePlanContext) throws {
        training = try PlannedTraining(options, plan: plan, defaults: TrainingOptions(objective: PluginChoice(name: "next_token")), extraKeys: ["data"])
        dataSet = try options.text("data", default: "pretrain")
        origin = options["data"]?.origin ?? plan.origin
    }

    public var dataRequirements: [DataRequirement] { [DataRequirement(dataSet, role: "documents", accepted: DataRequirement.text, origin: origin)] }

    public func run(in run: RunSession, index: Int) throws {
        let end = run.tokenizer.endOfSequenceID ?? 0
        let stream = run.data[dataSet].flatMap { run.tokenizer.encode($0.fullText) + [end] }
        let seed = training.seed(run)
        let data = try TokenWindows(
            stream: stream, length: run.model.dimensions.contextLength, batchSize: training.options.batchSize, seed: seed, padID: end)
        let job = RunSession.TrainingJob(
            kind: Self.kind, index: index, options: training.options, objective: training.objective, combiner: training.combiner,
            data: data, seed: seed)
        let trained = try run.train(run.model, job)
        let keep = run.hasStage(RetrainStage.kind, after: index)
        try run.finish(stage: index, model: trained, label: "pretrained") { state in
            if keep { state.pretrained = state.model }
        }
    }
}
