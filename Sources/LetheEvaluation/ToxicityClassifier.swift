import Foundation
import LetheLayers
import LetheStorage
import LetheTensor
import LetheText

/// The toxicity scorer Lethe trains itself (LetheEngine's `ClassifierTraining`, through the
/// one training loop): GPT-2 with the sequence-classification head
/// (`GPT2ForSequenceClassification`, two labels, the score read at each text's last real
/// token), fine-tuned with cross-entropy on a labelled set. The score of a text is
/// P(toxic) = softmax(logits)₁. Texts are encoded with the GPT-2 tokenizer, truncated to
/// their first `maxLength` tokens, right-padded.
///
/// Saved as a Hugging Face folder (`config.json` with `num_labels: 2`, `model.safetensors`
/// with `score.weight`) plus `tokenizer.json`, so transformers' `GPT2ForSequenceClassification`
/// and Lethe both load it.
public final class ToxicityClassifier: ToxicityScorer {
    public let model: any CausalLanguageModel
    public let tokenizer: any TextTokenizer
    public let maxLength: Int

    public init(model: any CausalLanguageModel, tokenizer: any TextTokenizer, maxLength: Int) throws {
        guard model.head == .sequenceClassification, model.dimensions.labelCount == 2 else {
            throw EvaluationError.invalidArgument(name: "model", reason: "a toxicity classifier needs a classification head with 2 labels")
        }
        (self.model, self.tokenizer, self.maxLength) = (model, tokenizer, maxLength)
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
                return encoded.isEmpty ? [tokenizer.endOfSequenceID ?? 0] : encoded
            }
            let probabilities = try withoutGradients { try logits(ids).softmax().doubles }
            result += stride(from: 1, to: probabilities.count, by: 2).map { probabilities[$0] }
        }
        return result
    }

    /// Classification logits [B, 2] of right-padded token sequences.
    func logits(_ sequences: [[Int]]) throws -> Tensor {
        let T = sequences.map(\.count).max() ?? 1
        let pad = model.dimensions.padTokenID ?? 0
        let ids = sequences.flatMap { $0 + [Int](repeating: pad, count: T - $0.count) }
        let mask = sequences.flatMap { [Int](repeating: 1, count: $0.count) + [Int](repeating: 0, count: T - $0.count) }
        return try model.classificationLogits(TokenBatch(ids: ids, batchSize: sequences.count, length: T, attentionMask: mask))
    }

    /// Writes the Hugging Face folder and `tokenizer.json` (plus `lethe_classifier.json`
    /// with the maximum length).
    public func save(directory: String) throws {
        try ModelFile.saveHuggingFace(model, directory: directory)
        try tokenizer.save(to: directory)
        let settings = try JSONSerialization.data(withJSONObject: ["max_length": maxLength, "labels": ["non-toxic", "toxic"]])
        do {
            try settings.write(to: URL(fileURLWithPath: directory + "/lethe_classifier.json"))
        } catch {
            throw EvaluationError.badFile(path: directory + "/lethe_classifier.json", reason: "cannot write (\(error.localizedDescription))")
        }
    }

    public static func load(directory: String) throws -> ToxicityClassifier {
        let model = try ModelFile.loadHuggingFace(directory, head: .sequenceClassification)
        let tokenizer = try loadTextTokenizer(from: directory + "/tokenizer.json")
        let settings = FileManager.default.contents(atPath: directory + "/lethe_classifier.json")
            .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        return try ToxicityClassifier(model: model, tokenizer: tokenizer, maxLength: settings?["max_length"] as? Int ?? 64)
    }
}
