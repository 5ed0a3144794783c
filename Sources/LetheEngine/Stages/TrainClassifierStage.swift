import Foundation
import LetheEvaluation
import LetheOptions
import LetheStorage
import LetheTensor

/// `train_classifier`: trains the run's toxicity classifier, the scorer that `scorer: run`
/// means in the toxicity and classification suites, through the one training loop
/// (`ClassifierTraining`), on a new GPT-2, a GPT-2 folder, or a BERT / RoBERTa / MiniLM
/// encoder folder, fully or with LoRA. Without this stage, the first suite that needs the
/// scorer trains one with the defaults.
///
///     - train_classifier: {data: classification_train, validation: null, layers: 2, width: 64,
///                          heads: 2, max_length: 64, steps: auto, epochs: null, batch_size: 16,
///                          learning_rate: 1.0e-3, schedule: linear, backbone: DIR,
///                          objective: classification, scores: [], eval_every: null,
///                          patience: null, lora: null, seed: recipe seed}
///
/// Every training option of `TrainingOptions` applies (betas, weight decay, clipping, LoRA
/// with `targets` by module name: BERT's `query`/`key`/`value` (+ `classifier` for the head),
/// GPT-2's `attn.c_attn`). `objective`: `classification` (`loss: cross_entropy` 2 labels,
/// `bce` 1 label) or `distillation` (`sigma`, with `scores`: the score fields, seed 000's 11
/// moderation categories). `steps` defaults to `epochs` × batches per epoch, else
/// min(150, max(20, examples / 8)); `warmup_steps` to 10% of the steps. `validation` (a data
/// set) with `eval_every` measures the classifier every N steps; `patience` stops after that
/// many evaluations without a lower validation loss and keeps the best weights.
///
/// Writes `toxicity-classifier/` (the Hugging Face folder with its tokenizer) and
/// `toxicity-classifier/training.json` (steps, seconds, trainable and total parameters, the
/// evaluations).
public struct TrainClassifierStage: Stage {
    public static let kind = "train_classifier"
    public static let summary = "train the run's toxicity classifier (the scorer of scorer: run), on GPT-2 or a BERT/RoBERTa encoder, full or LoRA"
    public let training: ClassifierTraining
    public let dataSet: String
    public let validationSet: String?
    let origin: OptionOrigin

    public init(options: PluginOptions, plan: StagePlanContext) throws {
        let own = ["data", "validation", "layers", "width", "heads", "max_length", "epochs", "backbone", "scores", "patience"]
        var t = ClassifierTraining()
        let planned = try PlannedTraining(options, plan: plan, defaults: t.settings, extraKeys: own)
        t.settings = planned.options
        (t.objective, t.combiner) = (planned.objective, planned.combiner)
        t.steps = options["steps"] == nil ? nil : planned.options.steps
        t.warmupGiven = options["warmup_steps"] != nil
        t.layers = try options.int("layers", default: t.layers, in: 1...OptionLimits.modelSize)
        t.width = try options.int("width", default: t.width, in: 1...OptionLimits.modelSize)
        t.heads = try options.int("heads", default: t.heads, in: 1...OptionLimits.modelSize)
        if t.width % t.heads != 0 { try options.problem(options.fail("width", "\(t.width) is not a multiple of heads \(t.heads)")) }
        t.maxLength = try options.int("max_length", default: t.maxLength, in: 1...OptionLimits.tokens)
        t.epochs = try options.optionalInt("epochs", in: 1...OptionLimits.steps)
        t.patience = try options.optionalInt("patience", in: 1...OptionLimits.interval)
        t.scoreNames = try options.list("scores", default: [])
        t.backbone = try options.optionalText("backbone").map(plan.recipe.resolve)
        if let backbone = t.backbone, !FileManager.default.fileExists(atPath: backbone + "/config.json") {
            try options.problem(options.fail("backbone", "\(backbone): no config.json (not a Hugging Face model folder)"))
        }
        if t.objective.classificationLabelCount(scoreCount: t.scoreNames.count) == nil {
            try options.problem(options.fail("objective", "\(type(of: t.objective).name) trains no classification head with scores \(t.scoreNames) (classification, or distillation with scores)"))
        }
        validationSet = try options.optionalText("validation")
        if t.patience != nil, validationSet == nil || t.settings.evalEvery == nil {
            try options.problem(options.fail("patience", "needs a validation set and eval_every"))
        }
        if let seed = planned.options.seed { t.settings.seed = seed }
        training = t
        dataSet = try options.text("data", default: ClassifierTraining.dataSet)
        origin = options["data"]?.origin ?? plan.origin
    }

    public var dataRequirements: [DataRequirement] {
        let role = "labelled texts of the toxicity classifier"
        return [DataRequirement(dataSet, role: role, accepted: DataRequirement.labelledText, origin: origin)]
            + (validationSet.map { [DataRequirement($0, role: "validation " + role, accepted: DataRequirement.labelledText, origin: origin)] } ?? [])
    }

    public func run(in run: RunSession, index: Int) throws {
        let outcome = try training.train(
            examples: run.data[dataSet], validation: validationSet.map { run.data[$0] } ?? [], tokenizer: run.tokenizer,
            seed: training.settings.seed ?? run.recipe.seed, log: run.log)
        let directory = "toxicity-classifier"
        let path = run.folder.path + "/" + directory
        try outcome.classifier.save(directory: path)
        let summary = try JSONSerialization.data(withJSONObject: outcome.summary, options: [.sortedKeys, .prettyPrinted])
        try AtomicFile.write(summary, to: path + "/training.json")
        run.log(String(format: "  classifier: %d steps in %.1f s, %d of %d parameters trained", outcome.steps, outcome.seconds,
                       outcome.trainableParameters, outcome.totalParameters))
        run.classifier = outcome.classifier
        try run.commit {
            $0.classifier = directory
            $0.completedStages = index + 1
        }
    }
}
