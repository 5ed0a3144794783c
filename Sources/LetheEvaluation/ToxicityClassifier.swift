import Foundation
import LetheLayers
import LetheStorage
import LetheTensor
import LetheText

/// The toxicity scorer Lethe trains itself: GPT-2 with the sequence-classification head
/// (`GPT2ForSequenceClassification`, two labels, the score read at each text's last real
/// token), fine-tuned with cross-entropy on a labelled set. The score of a text is
/// P(toxic) = softmax(logits)₁. Texts are encoded with the GPT-2 tokenizer, truncated to
/// their first `maxLength` tokens, right-padded.
///
/// Saved as a Hugging Face folder (`config.json` with `num_labels: 2`, `model.safetensors`
/// with `score.weight`) plus `tokenizer.json`, so transformers' `GPT2ForSequenceClassification`
/// and Lethe both load it.
public final class ToxicityClassifier: ToxicityScorer {
    public struct Training: Codable, Equatable, Sendable {
        public var steps = 300
        public var batchSize = 16
        public var learningRate = 3e-4
        public var weightDecay = 0.01
        public var maxLength = 64
        public var seed: UInt64 = 0

        public init(steps: Int = 300, batchSize: Int = 16, learningRate: Double = 3e-4, maxLength: Int = 64, seed: UInt64 = 0) {
            (self.steps, self.batchSize, self.learningRate, self.maxLength, self.seed) = (steps, batchSize, learningRate, maxLength, seed)
        }
    }

    public let model: GPT2Model
    public let tokenizer: GPT2Tokenizer
    public let maxLength: Int

    public init(model: GPT2Model, tokenizer: GPT2Tokenizer, maxLength: Int) throws {
        guard model.head == .sequenceClassification, model.configuration.labelCount == 2 else {
            throw EvaluationError.invalidArgument(name: "model", reason: "a toxicity classifier needs a GPT-2 classification head with 2 labels")
        }
        (self.model, self.tokenizer, self.maxLength) = (model, tokenizer, maxLength)
    }

    /// Trains a classifier on labelled texts (label 1 = toxic). `backbone`, when given, is a
    /// Hugging Face state (e.g. a pretrained GPT-2's `huggingFaceState()`) to start from; the
    /// score head starts from N(0, 0.02) either way.
    public static func train(
        examples: [TextExample], tokenizer: GPT2Tokenizer, configuration: GPT2Configuration,
        backbone: [String: Tensor]? = nil, training: Training = Training(), progress: (Int, Double) -> Void = { _, _ in }
    ) throws -> ToxicityClassifier {
        let labelled = try examples.map { example -> (ids: [Int], label: Int) in
            guard let text = example.text ?? example.completion, let label = example.label, label == 0 || label == 1 else {
                throw EvaluationError.badFile(path: example.source, reason: "line \(example.line): needs a text and a 0/1 label")
            }
            return (Array(tokenizer.encode(text).prefix(training.maxLength)), label)
        }.filter { !$0.ids.isEmpty }
        guard !labelled.isEmpty, training.steps >= 0, training.batchSize > 0 else {
            throw EvaluationError.invalidArgument(name: "training", reason: "needs labelled texts, a positive batch size and steps ≥ 0")
        }
        var c = configuration
        c.labelCount = 2
        c.padTokenID = c.padTokenID ?? tokenizer.endOfTextID
        c.vocabularySize = max(c.vocabularySize, tokenizer.vocabularySize)
        var rng = RandomGenerator(seed: training.seed)
        let model = try GPT2Model(configuration: c, head: .sequenceClassification, rng: &rng)
        if var state = backbone {
            state["score.weight"] = try model.tensor("score.weight").copy()
            try model.loadState(state, source: "backbone")
        }
        model.dropout = RandomGenerator(seed: training.seed &+ 1)
        let optimizer = AdamW(parameters: model.parameters, configuration: .init(weightDecay: training.weightDecay))
        let classifier = try ToxicityClassifier(model: model, tokenizer: tokenizer, maxLength: training.maxLength)
        var order: [Int] = []
        for step in 0..<training.steps {
            if order.count < training.batchSize { order += Sampling.shuffled(Array(labelled.indices), rng: &rng) }
            let picked = order.prefix(training.batchSize).map { labelled[$0] }
            order.removeFirst(min(training.batchSize, order.count))
            let loss = try classifier.logits(picked.map(\.ids)).crossEntropy(targets: picked.map(\.label))
            let value = try loss.item()
            guard value.isFinite else { throw EvaluationError.invalidArgument(name: "training", reason: "loss is \(value) at step \(step + 1)") }
            let gradients = try model.parameters.gradients(of: loss)
            gradients.clipNorm(to: 1)
            let rate = training.learningRate * LearningRateSchedule.linear(warmupSteps: training.steps / 10, totalSteps: training.steps).multiplier(step: step)
            try optimizer.update(gradients: gradients, learningRate: rate)
            progress(step + 1, value)
        }
        model.dropout = nil
        return classifier
    }

    /// P(toxic) of `text`.
    public func toxicity(of text: String) throws -> Double { try scores([text]).first ?? 0 }

    /// P(toxic) of each text, in batches of 32.
    public func toxicity(of texts: [String]) throws -> [Double] { try scores(texts) }

    /// P(toxic) of each text, in batches.
    public func scores(_ texts: [String], batchSize: Int = 32) throws -> [Double] {
        var result: [Double] = []
        for start in stride(from: 0, to: texts.count, by: max(1, batchSize)) {
            let ids = texts[start..<min(texts.count, start + batchSize)].map {
                let encoded = Array(tokenizer.encode($0).prefix(maxLength))
                return encoded.isEmpty ? [tokenizer.endOfTextID ?? 0] : encoded
            }
            let probabilities = try withoutGradients { try logits(ids).softmax().doubles }
            result += stride(from: 1, to: probabilities.count, by: 2).map { probabilities[$0] }
        }
        return result
    }

    /// Classification logits [B, 2] of right-padded token sequences.
    func logits(_ sequences: [[Int]]) throws -> Tensor {
        let T = sequences.map(\.count).max() ?? 1
        let pad = model.configuration.padTokenID ?? 0
        let ids = sequences.flatMap { $0 + [Int](repeating: pad, count: T - $0.count) }
        let mask = sequences.flatMap { [Int](repeating: 1, count: $0.count) + [Int](repeating: 0, count: T - $0.count) }
        return try model.classificationLogits(TokenBatch(ids: ids, batchSize: sequences.count, length: T, attentionMask: mask))
    }

    /// Writes the Hugging Face folder and `tokenizer.json` (plus `lethe_classifier.json`
    /// with the maximum length).
    public func save(directory: String) throws {
        try model.save(huggingFaceDirectory: directory)
        try tokenizer.save(to: directory)
        let settings = try JSONSerialization.data(withJSONObject: ["max_length": maxLength, "labels": ["non-toxic", "toxic"]])
        do {
            try settings.write(to: URL(fileURLWithPath: directory + "/lethe_classifier.json"))
        } catch {
            throw EvaluationError.badFile(path: directory + "/lethe_classifier.json", reason: "cannot write (\(error.localizedDescription))")
        }
    }

    public static func load(directory: String) throws -> ToxicityClassifier {
        let model = try GPT2Model.load(huggingFaceDirectory: directory, head: .sequenceClassification)
        let tokenizer = try GPT2Tokenizer.load(from: directory + "/tokenizer.json")
        let settings = FileManager.default.contents(atPath: directory + "/lethe_classifier.json")
            .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        return try ToxicityClassifier(model: model, tokenizer: tokenizer, maxLength: settings?["max_length"] as? Int ?? 64)
    }
}
