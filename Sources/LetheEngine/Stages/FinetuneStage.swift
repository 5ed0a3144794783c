import LetheEvaluation
import LetheOptions
import LetheText
import LetheUnlearning

/// `finetune`: next-token training on prompt/completion pairs (loss on completion tokens
/// only, as the seed studies train), each epoch in a new seeded order.
///
///     - finetune: {steps: 150, batch_size: 16, learning_rate: 3.0e-4, data: finetune}
///
/// Takes every `TrainingOptions` key (objective default `next_token`) and `data`.
public struct FinetuneStage: Stage {
    public static let kind = "finetune"
    public static let summary = "next-token training on prompt/completion pairs (completion tokens only)"
    public let training: PlannedTraining
    public let dataSet: String
    let origin: OptionOrigin

    public init(options: PluginOptions, plan: StagePlanContext) throws {
        try self.init(options: options, plan: plan, extraKeys: [])
    }

    /// With the keys of a stage built on this one (`retrain`'s `without`).
    init(options: PluginOptions, plan: StagePlanContext, extraKeys: [String]) throws {
        let defaults = TrainingOptions(objective: PluginChoice(name: "next_token"))
        training = try PlannedTraining(options, plan: plan, defaults: defaults, extraKeys: ["data"] + extraKeys)
        dataSet = try options.text("data", default: "finetune")
        origin = options["data"]?.origin ?? plan.origin
    }

    public var dataRequirements: [DataRequirement] { [DataRequirement(dataSet, role: "training examples", accepted: DataRequirement.pairOrText, origin: origin)] }

    public func run(in run: RunSession, index: Int) throws {
        let trained = try run.train(run.model, job(run, index: index, examples: run.data[dataSet]))
        try run.finish(stage: index, model: trained, label: "base (fine-tuned)")
    }

    /// The training job on `examples` (shared with `retrain`).
    func job(_ run: RunSession, index: Int, examples: [TextExample]) throws -> RunSession.TrainingJob {
        let seed = training.seed(run)
        let data = try ExampleBatches(
            examples: try run.encode(examples), batchSize: training.options.batchSize, seed: seed, padID: run.tokenizer.endOfSequenceID ?? 0)
        return RunSession.TrainingJob(
            kind: Self.kind, index: index, options: training.options, objective: training.objective, combiner: training.combiner,
            data: data, seed: seed)
    }
}
