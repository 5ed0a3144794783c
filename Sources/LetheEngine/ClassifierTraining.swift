import Foundation
import LetheEvaluation
import LetheLayers
import LetheOptions
import LetheStorage
import LetheTensor
import LetheText
import LetheUnlearning

/// Trains a toxicity classifier through the one training loop (`Trainer`), on any backbone:
///
/// - none: a new GPT-2 of `layers` × `width` on the run's tokenizer (the run's own scorer);
/// - a Hugging Face GPT-2 folder (`backbone`): its weights, the run's tokenizer;
/// - a BERT / RoBERTa folder (`backbone`, e.g. all-MiniLM-L6-v2 or bert-base-uncased): the
///   pretrained encoder with a new head, and the folder's own WordPiece / BPE tokenizer.
///
/// The head's outputs come from the objective (`TrainingObjective.classificationLabelCount`):
/// `classification` with cross-entropy 2, with `bce` 1; `distillation` 1 + the scores (seed
/// 000's multi-target training, `scoreNames` the moderation categories). The new head starts
/// from N(0, 0.02). With `settings.lora`, only the adapters train (the head is adapted too when
/// `lora.targets` names it, e.g. `classifier`: at rank ≥ labels the update spans every change
/// of its weight); they are fused into the weights at the end.
///
/// Length of training: `steps`, else `epochs` × ⌈examples / batch⌉, else
/// min(150, max(20, examples / 8)). Defaults: batch 16, learning rate 1e-3, a linear schedule
/// with 10% warm-up (unless `warmup_steps` is given), clipping at 1, AdamW. With a validation
/// set and `settings.evalEvery`, the classifier is measured every N steps (`validation_loss`,
/// the objective's mean loss; `validation_accuracy` and `validation_f1` at P(toxic) ≥ 0.5);
/// with `patience`, training stops after that many evaluations without a lower validation
/// loss, and the weights of the best evaluation are kept (Hugging Face's
/// `load_best_model_at_end` with early stopping).
public struct ClassifierTraining {
    public var layers = 2
    public var width = 64
    public var heads = 2
    public var maxLength = 64
    /// Updates; nil: from `epochs`, else min(150, max(20, examples / 8)).
    public var steps: Int?
    public var epochs: Int?
    /// A Hugging Face folder whose weights (and sizes) the classifier starts from: GPT-2, BERT
    /// or RoBERTa; nil: a new GPT-2 of `layers` × `width`.
    public var backbone: String?
    /// The score fields each example's targets come from, in order (distillation, multi-label).
    public var scoreNames: [String] = []
    /// Evaluations without a better validation loss before training stops; nil: never.
    public var patience: Int?
    /// Batch size, learning rate, schedule, LoRA, AdamW and evaluation interval.
    public var settings: TrainingOptions
    /// Whether `settings.warmupSteps` was given (else 10% of the steps).
    public var warmupGiven = false
    public var objective: any TrainingObjective = Classification(loss: .crossEntropy)
    public var combiner: any GradientCombiner = SumCombiner()

    /// The data set a run trains its own classifier on.
    public static let dataSet = "classification_train"

    public init() {
        settings = TrainingOptions(objective: PluginChoice(name: Classification.name))
        (settings.batchSize, settings.learningRate, settings.schedule) = (16, 1e-3, "linear")
    }

    public var batchSize: Int {
        get { settings.batchSize }
        set { settings.batchSize = newValue }
    }

    public var learningRate: Double {
        get { settings.learningRate }
        set { settings.learningRate = newValue }
    }

    /// What a training produced: the classifier and the figures of seed 000's Table 2.
    public struct Outcome {
        public let classifier: ToxicityClassifier
        public let steps: Int
        public let seconds: Double
        public let trainableParameters: Int
        public let totalParameters: Int
        /// Each evaluation's metrics, with its step.
        public let evaluations: [[String: Double]]

        /// `training.json`'s content.
        public var summary: [String: Any] {
            [
                "steps": steps, "seconds": seconds, "trainable_parameters": trainableParameters,
                "total_parameters": totalParameters, "evaluations": evaluations,
            ]
        }
    }

    /// Trains on `examples` (text and a 0/1 label each; the `scoreNames` scores too), measuring
    /// on `validation` when given. `tokenizer` is used unless the backbone is an encoder folder.
    /// - Throws: `EngineError` naming the file and line of an example without a text, a 0/1
    ///   label or a score, or data of one class only; the backbone's loading errors.
    public func train(
        examples: [TextExample], validation: [TextExample] = [], tokenizer runTokenizer: any TextTokenizer, seed: UInt64,
        log: @escaping (String) -> Void = { _ in }
    ) throws -> Outcome {
        let start = Date()
        let (model, tokenizer) = try makeModel(runTokenizer: runTokenizer, seed: seed)
        let options = EncodingOptions(maxLength: maxLength, truncation: .keepStart)
        let encoded = try Self.checked(examples, scoreNames: scoreNames).map { try $0.encoded(with: tokenizer, options: options) }
            .filter { !$0.ids.isEmpty }
        guard Set(encoded.compactMap(\.label)).count == 2 else {
            throw EngineError.invalid("a toxicity classifier needs toxic and non-toxic examples, got \(encoded.count) examples of one class")
        }
        var rng = RandomGenerator(seed: seed ^ 0x4C6F_5241)
        let adapters = try settings.lora.map { try model.applyLoRA($0, rng: &rng) }
        let total = steps ?? epochs.map { $0 * ((encoded.count + batchSize - 1) / batchSize) } ?? min(150, max(20, encoded.count / 8))
        var run = settings
        run.steps = total
        if !warmupGiven { run.warmupSteps = total / 10 }
        let pad = model.paddingTokenID ?? 0
        let names = scoreNames.isEmpty ? nil : scoreNames
        let data = try ExampleBatches(examples: encoded, batchSize: batchSize, seed: seed, padID: pad, scoreNames: names)
        let trainer = try Trainer(
            model: model, trainable: adapters?.parameters, objective: objective, combiner: combiner,
            configuration: run.trainerConfiguration(seed: seed))
        let classifier = try ToxicityClassifier(model: model, tokenizer: tokenizer, maxLength: maxLength)
        let checked = try Self.checked(validation, scoreNames: scoreNames)
        let measure = checked.isEmpty ? nil : try ValidationMeasure(
            examples: checked, encoded: checked.map { try $0.encoded(with: tokenizer, options: options) }, classifier: classifier,
            objective: objective, batchSize: batchSize, padID: pad, scoreNames: names)
        if let measure { trainer.evaluator = { _ in try measure.metrics() } }
        var evaluations: [[String: Double]] = []
        var best: (loss: Double, weights: [Float])?
        var sinceBest = 0
        let progress = Progress(total: total, label: "  toxicity classifier", write: log)
        try trainer.train(data: data) { record in
            progress.update(record.step, status: String(format: "loss %.4f", record.losses.values.reduce(0, +)))
            guard var metrics = record.evaluation, let loss = metrics["validation_loss"] else { return true }
            metrics["step"] = Double(record.step)
            evaluations.append(metrics)
            if loss < (best?.loss ?? .infinity) {
                (best, sinceBest) = ((loss, trainer.trainable.flat.floats), 0)
            } else {
                sinceBest += 1
            }
            return patience.map { sinceBest < $0 } ?? true
        }
        progress.finish()
        if patience != nil, let best { try trainer.trainable.flat.assign(try Tensor(best.weights, shape: [best.weights.count])) }
        if adapters != nil { try model.fuseLoRA() }
        model.dropout = nil  // the classifier is used for scoring from here on
        return Outcome(
            classifier: classifier, steps: trainer.step, seconds: Date().timeIntervalSince(start),
            trainableParameters: adapters?.parameters.scalarCount ?? model.parameters.scalarCount,
            totalParameters: model.parameters.scalarCount, evaluations: evaluations)
    }

    /// The model to train and its tokenizer.
    private func makeModel(runTokenizer: any TextTokenizer, seed: UInt64) throws -> (any TrainableModel, any TextTokenizer) {
        var rng = RandomGenerator(seed: seed)
        let labels = objective.classificationLabelCount(scoreCount: scoreNames.count)
        guard let labels else {
            throw EngineError.invalid(
                "the objective \(type(of: objective).name) trains no classification head\(scoreNames.isEmpty ? " (or needs scores: the score fields)" : "")")
        }
        if let backbone, try ClassifierFolder.isEncoder(backbone) {
            let (model, _) = try BertModel.load(huggingFaceDirectory: backbone, newHead: .sequenceClassification, labelCount: labels, rng: &rng)
            return (model, try loadTextTokenizer(from: backbone))
        }
        let pad = runTokenizer.specialTokenIDs.endOfSequence ?? 0
        var configuration = GPT2Configuration(
            vocabularySize: runTokenizer.vocabularySize, contextLength: maxLength, embeddingSize: width, layerCount: layers,
            headCount: heads, residualDropout: 0, embeddingDropout: 0, attentionDropout: 0, endOfTextID: pad, labelCount: labels,
            padTokenID: pad)
        let base = try backbone.map { try GPT2Model.load(huggingFaceDirectory: $0) }
        if let base {
            configuration = base.configuration
            (configuration.labelCount, configuration.padTokenID) = (labels, pad)
            configuration.vocabularySize = max(configuration.vocabularySize, runTokenizer.vocabularySize)
        }
        let model = try GPT2Model(configuration: configuration, head: .sequenceClassification, rng: &rng)
        if let base {
            var state = Dictionary(uniqueKeysWithValues: base.huggingFaceState().map { ($0.name, $0.tensor) })
            state["score.weight"] = try model.tensor("score.weight").copy()
            try model.loadState(state, source: backbone ?? "backbone")
        }
        return (model, runTokenizer)
    }

    /// The examples as single texts with a 0/1 label and every score in `scoreNames`.
    static func checked(_ examples: [TextExample], scoreNames: [String]) throws -> [TextExample] {
        try examples.map { example in
            guard let text = example.text ?? example.completion, let label = example.label, label == 0 || label == 1 else {
                throw EngineError.invalid("\(example.source):\(example.line): a classifier example needs a text and a 0/1 label")
            }
            if let missing = scoreNames.first(where: { example.scores[$0] == nil }) {
                throw EngineError.invalid("\(example.source):\(example.line): the example has no score \"\(missing)\"")
            }
            return TextExample(text: text, label: label, scores: example.scores, source: example.source, line: example.line)
        }
    }
}

/// The validation figures of a classifier being trained: the objective's mean loss over the
/// validation set and accuracy / F1 at P(toxic) ≥ 0.5.
struct ValidationMeasure {
    let texts: [String]
    let labels: [Int]
    let classifier: ToxicityClassifier
    let objective: any TrainingObjective
    let batches: [TrainingBatch]

    init(
        examples: [TextExample], encoded: [EncodedExample], classifier: ToxicityClassifier, objective: any TrainingObjective,
        batchSize: Int, padID: Int, scoreNames: [String]?
    ) throws {
        (texts, labels) = (examples.map { $0.text ?? "" }, examples.map { $0.label ?? 0 })
        (self.classifier, self.objective) = (classifier, objective)
        batches = try stride(from: 0, to: encoded.count, by: batchSize).map { start in
            let part = try Array(encoded[start..<min(encoded.count, start + batchSize)]).padded(padID: padID, scoreNames: scoreNames)
            return TrainingBatch(parts: [TrainingBatch.train: part])
        }
    }

    func metrics() throws -> [String: Double] {
        var total = 0.0
        for batch in batches {
            let losses = try objective.losses(model: classifier.model, reference: nil, batch: batch)
            total += try losses.reduce(0) { $0 + (try $1.value.item()) } * Double(batch.train?.tokens.batchSize ?? 0)
        }
        let scores = try classifier.scores(texts)
        let result = try ClassificationMetrics(scores: scores, labels: labels)
        return ["validation_loss": total / Double(max(1, texts.count)), "validation_accuracy": result.accuracy, "validation_f1": result.f1]
    }
}

extension RunSession {
    /// What the evaluation suites see of this run.
    func evaluationContext(model: any CausalLanguageModel, retrainedAUC: [String: Double]?) -> EvaluationContext {
        EvaluationContext(
            model: model, tokenizer: tokenizer, dataset: { [data] name in data[name] }, seed: state.evaluationSeed,
            loadModel: { try ModelFile.load($0) }, toxicityScorer: { [unowned self] path in
                if let path { return try ToxicityClassifier.load(directory: path) }
                return try self.toxicityClassifier()
            }, retrainedAUC: retrainedAUC, log: log)
    }

    /// The run's toxicity scorer: trained once on `classification_train` with the run's
    /// tokenizer, saved in the run folder and reloaded on resume.
    func toxicityClassifier() throws -> ToxicityClassifier {
        if let classifier { return classifier }
        log("  training the toxicity classifier")
        let outcome = try ClassifierTraining().train(
            examples: data[ClassifierTraining.dataSet], tokenizer: tokenizer, seed: recipe.seed, log: log)
        let directory = "toxicity-classifier"
        try outcome.classifier.save(directory: folder.path + "/" + directory)
        classifier = outcome.classifier
        try commit { $0.classifier = directory }
        return outcome.classifier
    }
}
