import LetheStorage
import LetheEvaluation
import LetheOptions
import LetheUnlearning

/// `retrain`: the oracle of PrivLeak. The model as it was after the last `pretrain` (or the
/// recipe's initial model), fine-tuned like `finetune` but without the forget set. It is
/// evaluated beside the next evaluation, and its membership AUC is PrivLeak's reference.
///
///     - retrain: {steps: 150, batch_size: 16, learning_rate: 3.0e-4, data: finetune, without: forget}
public struct RetrainStage: Stage {
    public static let kind = "retrain"
    public static let summary = "the oracle: fine-tune the pretrained model without the forget set"
    let finetune: FinetuneStage
    public let without: String

    public init(options: PluginOptions, plan: StagePlanContext) throws {
        finetune = try FinetuneStage(options: options, plan: plan, extraKeys: ["without"])
        without = try options.text("without", default: "forget")
    }

    public var dataRequirements: [DataRequirement] {
        finetune.dataRequirements + [DataRequirement(without, role: "examples left out", accepted: DataRequirement.pairOrText, origin: finetune.origin)]
    }

    public func run(in run: RunSession, index: Int) throws {
        let oracle = try run.state.pretrained.map { try ModelFile.load(run.folder.path + "/" + $0) }
            ?? ModelSources.make(run.recipe, vocabulary: run.tokenizer.vocabularySize, endOfText: run.tokenizer.endOfSequenceID)
        let examples = run.data.subtracting(without, from: finetune.dataSet)
        run.log("  retraining without '\(without)': \(examples.count) of \(run.data[finetune.dataSet].count) examples")
        var job = try finetune.job(run, index: index, examples: examples)
        job.kind = Self.kind
        let trained = try run.train(oracle, job)
        let file = "oracle.h5"
        _ = try RunSession.save(trained, recipe: run.recipe.yaml, to: run.folder.path + "/" + file)
        let retrainsLater = run.hasStage(Self.kind, after: index)
        try run.commit {
            ($0.oracle, $0.oracleAUC, $0.completedStages, $0.progress) = (file, nil, index + 1, nil)
            if !retrainsLater { $0.pretrained = nil }
        }
    }
}
