import Foundation
import LetheEvaluation
import LetheOptions

/// `train_classifier`: trains the run's toxicity classifier, the scorer that `scorer: run`
/// means in the toxicity and classification suites, through the one training loop
/// (`ClassifierTraining`: GPT-2 with a two-label classification head, cross-entropy).
/// Without this stage, the first suite that needs the scorer trains it with the defaults.
///
///     - train_classifier: {data: classification_train, layers: 2, width: 64, heads: 2,
///                          max_length: 64, steps: 150, batch_size: 16, learning_rate: 1.0e-3,
///                          backbone: DIR, seed: 1}
///
/// `steps` defaults to min(150, max(20, examples / 8)); `backbone` is a Hugging Face GPT-2
/// folder to start from; `seed` defaults to the recipe's.
public struct TrainClassifierStage: Stage {
    public static let kind = "train_classifier"
    public static let summary = "train the run's toxicity classifier (the scorer of scorer: run)"
    public let training: ClassifierTraining
    public let dataSet: String
    public let seed: UInt64?
    let origin: OptionOrigin

    public init(options: PluginOptions, plan: StagePlanContext) throws {
        try options.accept(["data", "layers", "width", "heads", "max_length", "steps", "batch_size", "learning_rate", "backbone", "seed"])
        var t = ClassifierTraining()
        t.layers = try options.int("layers", default: t.layers, in: 1...OptionLimits.modelSize)
        t.width = try options.int("width", default: t.width, in: 1...OptionLimits.modelSize)
        t.heads = try options.int("heads", default: t.heads, in: 1...OptionLimits.modelSize)
        if t.width % t.heads != 0 { try options.problem(options.fail("width", "\(t.width) is not a multiple of heads \(t.heads)")) }
        t.maxLength = try options.int("max_length", default: t.maxLength, in: 1...OptionLimits.tokens)
        t.steps = try options.optionalInt("steps", in: 0...OptionLimits.steps)
        t.batchSize = try options.int("batch_size", default: t.batchSize, in: 1...OptionLimits.batchSize)
        t.learningRate = try options.positive("learning_rate", default: t.learningRate)
        t.backbone = try options.optionalText("backbone").map(plan.recipe.resolve)
        if let backbone = t.backbone, !FileManager.default.fileExists(atPath: backbone + "/config.json") {
            try options.problem(options.fail("backbone", "\(backbone): no config.json (not a Hugging Face GPT-2 folder)"))
        }
        training = t
        dataSet = try options.text("data", default: ClassifierTraining.dataSet)
        seed = try options.optionalInt("seed", in: 0...OptionLimits.seed).map(UInt64.init)
        origin = options["data"]?.origin ?? plan.origin
    }

    public var dataRequirements: [DataRequirement] {
        [DataRequirement(dataSet, role: "labelled texts of the toxicity classifier", accepted: DataRequirement.labelledText, origin: origin)]
    }

    public func run(in run: RunSession, index: Int) throws {
        let trained = try training.train(examples: run.data[dataSet], tokenizer: run.tokenizer, seed: seed ?? run.recipe.seed, log: run.log)
        let directory = "toxicity-classifier"
        try trained.save(directory: run.folder.path + "/" + directory)
        run.classifier = trained
        try run.commit {
            $0.classifier = directory
            $0.completedStages = index + 1
        }
    }
}
