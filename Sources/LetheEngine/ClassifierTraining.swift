import Foundation
import LetheStorage
import LetheEvaluation
import LetheLayers
import LetheOptions
import LetheTensor
import LetheText
import LetheUnlearning

/// Trains a toxicity classifier through the one training loop: GPT-2 with the
/// sequence-classification head (two labels; the score read at each text's last real
/// token), the `classification` objective (cross-entropy), AdamW, a linear schedule with 10%
/// warm-up, clipping at 1. Texts keep their first `maxLength` tokens.
///
/// The same settings serve a run's own scorer (trained the first time a toxicity suite asks
/// for `scorer: run`) and `lethe eval train-toxicity`.
public struct ClassifierTraining: Sendable {
    public var layers = 2
    public var width = 64
    public var heads = 2
    public var maxLength = 64
    /// nil: min(150, max(20, examples / 8)).
    public var steps: Int?
    public var batchSize = 16
    public var learningRate = 1e-3
    /// A Hugging Face GPT-2 folder whose weights (and sizes) the classifier starts from;
    /// nil: a new model of `layers` × `width`. The score head starts from N(0, 0.02) either way.
    public var backbone: String?

    /// The data set a run trains its own classifier on.
    public static let dataSet = "classification_train"

    public init() {}

    /// Trains on `examples` (text and a 0/1 label each) with `tokenizer`.
    public func train(
        examples: [TextExample], tokenizer: any TextTokenizer, seed: UInt64, log: @escaping (String) -> Void = { _ in }
    ) throws -> ToxicityClassifier {
        let labelled = try examples.map { example -> TextExample in
            guard let text = example.text ?? example.completion, let label = example.label, label == 0 || label == 1 else {
                throw EngineError.invalid("\(example.source):\(example.line): a classifier example needs a text and a 0/1 label")
            }
            return TextExample(text: text, label: label, source: example.source, line: example.line)
        }
        let options = EncodingOptions(maxLength: maxLength, truncation: .keepStart)
        let encoded = try labelled.map { try $0.encoded(with: tokenizer, options: options) }.filter { !$0.ids.isEmpty }
        guard Set(encoded.compactMap(\.label)).count == 2 else {
            throw EngineError.invalid("a toxicity classifier needs toxic and non-toxic examples, got \(encoded.count) examples of one class")
        }
        let pad = tokenizer.endOfSequenceID ?? 0
        var configuration = GPT2Configuration(
            vocabularySize: tokenizer.vocabularySize, contextLength: maxLength, embeddingSize: width, layerCount: layers, headCount: heads,
            residualDropout: 0, embeddingDropout: 0, attentionDropout: 0, endOfTextID: pad, labelCount: 2, padTokenID: pad)
        let base = try backbone.map { try GPT2Model.load(huggingFaceDirectory: $0) }
        if let base {
            configuration = base.configuration
            (configuration.labelCount, configuration.padTokenID) = (2, pad)
            configuration.vocabularySize = max(configuration.vocabularySize, tokenizer.vocabularySize)
        }
        var rng = RandomGenerator(seed: seed)
        let model = try GPT2Model(configuration: configuration, head: .sequenceClassification, rng: &rng)
        if let base {
            var state = Dictionary(uniqueKeysWithValues: base.huggingFaceState().map { ($0.name, $0.tensor) })
            state["score.weight"] = try model.tensor("score.weight").copy()
            try model.loadState(state, source: backbone ?? "backbone")
        }
        let total = steps ?? min(150, max(20, encoded.count / 8))
        var settings = TrainingOptions(objective: PluginChoice(name: "classification"))
        (settings.steps, settings.batchSize, settings.learningRate) = (total, batchSize, learningRate)
        (settings.schedule, settings.warmupSteps) = ("linear", total / 10)
        let trainer = try Trainer(
            model: model, objective: Classification(loss: .crossEntropy), combiner: SumCombiner(),
            configuration: settings.trainerConfiguration(seed: seed))
        let data = try ExampleBatches(examples: encoded, batchSize: batchSize, seed: seed, padID: pad)
        let progress = Progress(total: total, label: "  toxicity classifier", write: log)
        try trainer.train(data: data) { record in
            progress.update(record.step, status: String(format: "loss %.4f", record.losses["train"] ?? Double.nan))
            return true
        }
        progress.finish()
        return try ToxicityClassifier(model: model, tokenizer: tokenizer, maxLength: maxLength)
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
        let trained = try ClassifierTraining().train(examples: data[ClassifierTraining.dataSet], tokenizer: tokenizer, seed: recipe.seed, log: log)
        let directory = "toxicity-classifier"
        try trained.save(directory: folder.path + "/" + directory)
        classifier = trained
        try commit { $0.classifier = directory }
        return trained
    }
}
