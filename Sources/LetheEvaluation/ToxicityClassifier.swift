import Foundation
import LetheLayers
import LetheStorage
import LetheTensor
import LetheText

/// A toxicity scorer built on any sequence classifier (`TrainableModel` with a classification
/// head): the GPT-2 Lethe trains itself (LetheEngine's `ClassifierTraining`), a fine-tuned
/// BERT / RoBERTa / MiniLM encoder, or a Llama-family classifier, with its own tokenizer.
/// The score of a text:
///
///     2 labels:         P(toxic) = softmax(z)₁              (label 1 = toxic)
///     any other count:  P(toxic) = σ(z₀)                    (BCE head; distillation's 1 + K head)
///
/// Texts are encoded as the classifier was trained (`TextExample.encoded`, the tokenizer's
/// template included, the first `maxLength` tokens kept), right-padded with the model's
/// padding id under an attention mask.
///
/// Saved as a Hugging Face folder (`config.json`, `model.safetensors`) plus the tokenizer's
/// files and `lethe_classifier.json` (the maximum length), so transformers'
/// `AutoModelForSequenceClassification` and Lethe both load it.
public final class ToxicityClassifier: ToxicityScorer {
    public let model: any TrainableModel
    public let tokenizer: any TextTokenizer
    public let maxLength: Int

    public init(model: any TrainableModel, tokenizer: any TextTokenizer, maxLength: Int) throws {
        guard let labels = model.classificationLabelCount, labels >= 1 else {
            throw EvaluationError.invalidArgument(name: "model", reason: "a toxicity classifier needs a sequence-classification head")
        }
        guard maxLength >= 1 else { throw EvaluationError.invalidArgument(name: "max_length", reason: "must be at least 1") }
        (self.model, self.tokenizer, self.maxLength) = (model, tokenizer, maxLength)
    }

    /// P(toxic) of `text`.
    public func toxicity(of text: String) throws -> Double { try scores([text]).first ?? 0 }

    /// P(toxic) of each text, in batches of 32.
    public func toxicity(of texts: [String]) throws -> [Double] { try scores(texts) }

    /// P(toxic) of each text, in batches, in evaluation mode (no dropout).
    public func scores(_ texts: [String], batchSize: Int = 32) throws -> [Double] {
        let dropout = model.dropout
        model.dropout = nil
        defer { model.dropout = dropout }
        var result: [Double] = []
        let options = EncodingOptions(maxLength: maxLength, truncation: .keepStart)
        let fallback = tokenizer.specialTokenIDs.endOfSequence ?? model.paddingTokenID ?? 0
        for start in stride(from: 0, to: texts.count, by: max(1, batchSize)) {
            let ids = try texts[start..<min(texts.count, start + batchSize)].map { text -> [Int] in
                let encoded = try TextExample(text: text).encoded(with: tokenizer, options: options).ids
                return encoded.isEmpty ? [fallback] : encoded
            }
            let logits = try withoutGradients { try self.logits(ids) }
            let L = logits.shape[1]
            let values = logits.doubles
            result += (0..<ids.count).map { b in
                let row = values[(b * L)..<(b * L + L)]
                if L == 2 {
                    let (z0, z1) = (row[row.startIndex], row[row.startIndex + 1])
                    return 1 / (1 + Foundation.exp(z0 - z1))  // softmax(z)₁
                }
                return 1 / (1 + Foundation.exp(-row[row.startIndex]))  // σ(z₀)
            }
        }
        return result
    }

    /// Classification logits [B, labels] of right-padded token sequences.
    func logits(_ sequences: [[Int]]) throws -> Tensor {
        let T = sequences.map(\.count).max() ?? 1
        let pad = model.paddingTokenID ?? 0
        let ids = sequences.flatMap { $0 + [Int](repeating: pad, count: T - $0.count) }
        let mask = sequences.flatMap { [Int](repeating: 1, count: $0.count) + [Int](repeating: 0, count: T - $0.count) }
        return try model.classificationLogits(TokenBatch(ids: ids, batchSize: sequences.count, length: T, attentionMask: mask))
    }

    /// Writes the Hugging Face folder and `tokenizer.json` (plus `lethe_classifier.json`
    /// with the maximum length).
    public func save(directory: String) throws {
        try ClassifierFolder.save(model, directory: directory)
        try tokenizer.save(to: directory)
        let settings = try JSONSerialization.data(withJSONObject: ["max_length": maxLength, "labels": ["non-toxic", "toxic"]])
        do {
            try settings.write(to: URL(fileURLWithPath: directory + "/lethe_classifier.json"))
        } catch {
            throw EvaluationError.badFile(path: directory + "/lethe_classifier.json", reason: "cannot write (\(error.localizedDescription))")
        }
    }

    public static func load(directory: String) throws -> ToxicityClassifier {
        let model = try ClassifierFolder.load(directory)
        let tokenizer = try loadTextTokenizer(from: directory)
        let settings = FileManager.default.contents(atPath: directory + "/lethe_classifier.json")
            .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        return try ToxicityClassifier(model: model, tokenizer: tokenizer, maxLength: settings?["max_length"] as? Int ?? 64)
    }
}
