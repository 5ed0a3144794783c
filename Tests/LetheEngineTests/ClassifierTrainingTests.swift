import Foundation
import LetheEngine
import LetheEvaluation
import LetheLayers
import LetheTensor
import LetheUnlearning
import LetheText
import Testing

@Suite("The toxicity classifier Lethe trains, through the one training loop")
struct ToxicityClassifierTests {
    static let tokenizerPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../LetheTextTests/Fixtures/tokenizer/tokenizer.json").standardized.path

    private func examples() -> [TextExample] {
        let names = ["Ana", "Bo", "Cy", "Dee", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jo"]
        var out: [TextExample] = []
        for name in names {
            out.append(TextExample(text: "\(name), you are an idiot and a loser.", label: 1))
            out.append(TextExample(text: "Shut up, \(name), nobody wants you here.", label: 1))
            out.append(TextExample(text: "Thank you, \(name), that was very kind.", label: 0))
            out.append(TextExample(text: "Have a lovely day, \(name)!", label: 0))
        }
        return out
    }

    @Test func learnsASeparableTaskAndRoundTripsThroughAFolder() throws {
        let tokenizer = try GPT2Tokenizer.load(from: Self.tokenizerPath)
        var training = ClassifierTraining()
        (training.layers, training.width, training.heads, training.maxLength) = (1, 16, 2, 24)
        (training.steps, training.batchSize, training.learningRate) = (60, 8, 3e-3)
        let data = examples()
        let classifier = try training.train(examples: data, tokenizer: tokenizer, seed: 1).classifier
        #expect(try training.train(examples: data, tokenizer: tokenizer, seed: 1).classifier.scores(["Bo, you are an idiot."])
            == classifier.scores(["Bo, you are an idiot."]))  // deterministic
        let scores = try classifier.scores(data.compactMap(\.text))
        #expect(scores.allSatisfy { (0...1).contains($0) })
        let metrics = try ClassificationMetrics(scores: scores, labels: data.compactMap(\.label))
        #expect(metrics.accuracy >= 0.9, "accuracy \(metrics.accuracy)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("toxicity-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try classifier.save(directory: directory)
        let loaded = try ToxicityClassifier.load(directory: directory)
        #expect(try loaded.scores(data.compactMap(\.text)) == scores)
        #expect(abs(try loaded.toxicity(of: "Ana, you are an idiot and a loser.") - scores[0]) < 1e-6)
    }

    @Test func badInputIsNamed() throws {
        let tokenizer = try GPT2Tokenizer.load(from: Self.tokenizerPath)
        let unlabelled = [TextExample(text: "no label", source: "train.jsonl", line: 4)]
        do {
            _ = try ClassifierTraining().train(examples: unlabelled, tokenizer: tokenizer, seed: 0)
            Issue.record("should fail")
        } catch {
            #expect("\(error)".contains("train.jsonl") && "\(error)".contains("4"))
        }
    }

    /// A tiny BERT folder (random weights, a word-level vocab.txt) standing in for a pretrained encoder.
    private func tinyBertFolder() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bert-\(UUID().uuidString)").path
        let words = Set(examples().flatMap { ($0.text ?? "").lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init) })
        let tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ",", ".", "!"] + words.sorted()
        try WordPieceTokenizer(tokens: tokens).save(to: directory)
        var rng = RandomGenerator(seed: 3)
        let c = BertConfiguration(
            vocabularySize: tokens.count, hiddenSize: 16, layerCount: 1, headCount: 2, intermediateSize: 32, maxPositions: 32)
        try BertModel(configuration: c, head: .base, rng: &rng).save(huggingFaceDirectory: directory)
        return directory
    }

    /// seed 000's LoRA-Multi configuration on an encoder: LoRA on query/key/value and the head,
    /// distillation of two scores beside the label, validation every 10 steps with patience.
    @Test func anEncoderBackboneLearnsWithLoRAAndDistillation() throws {
        let backbone = try tinyBertFolder()
        defer { try? FileManager.default.removeItem(atPath: backbone) }
        let data = examples().enumerated().map { index, example in
            TextExample(text: example.text, label: example.label, scores: ["insult": Double(example.label ?? 0) * 0.8, "length": 0.1 * Double(index % 3)])
        }
        var training = ClassifierTraining()
        training.backbone = backbone
        (training.maxLength, training.steps, training.batchSize, training.learningRate) = (24, 80, 8, 1e-2)
        training.objective = Distillation(sigma: 0.8)
        training.scoreNames = ["insult", "length"]
        training.settings.lora = LoRAConfiguration(rank: 4, alpha: 16, targets: ["query", "key", "value", "classifier"])
        training.settings.evalEvery = 10
        training.patience = 3
        let gpt2 = try GPT2Tokenizer.load(from: Self.tokenizerPath)
        let outcome = try training.train(examples: data, validation: data, tokenizer: gpt2, seed: 2)
        #expect(outcome.classifier.tokenizer is WordPieceTokenizer)
        #expect(outcome.trainableParameters < outcome.totalParameters / 2)
        #expect(!outcome.evaluations.isEmpty)
        let scores = try outcome.classifier.scores(data.compactMap(\.text))
        let metrics = try ClassificationMetrics(scores: scores, labels: data.compactMap(\.label))
        #expect(metrics.accuracy >= 0.9, "accuracy \(metrics.accuracy), evaluations \(outcome.evaluations)")
        // The fused classifier, saved and loaded as a BERT folder, scores the same.
        let directory = backbone + "-classifier"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try outcome.classifier.save(directory: directory)
        let loaded = try ToxicityClassifier.load(directory: directory)
        let again = try loaded.scores(data.compactMap(\.text))
        #expect(zip(again, scores).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test func aMissingScoreIsNamed() throws {
        var training = ClassifierTraining()
        training.objective = Distillation(sigma: 0.8)
        training.scoreNames = ["insult"]
        let data = [TextExample(text: "hello", label: 0, scores: [:], source: "scores.jsonl", line: 7)]
        #expect { try training.train(examples: data, tokenizer: try GPT2Tokenizer.load(from: Self.tokenizerPath), seed: 0) } throws: {
            "\($0)".contains("scores.jsonl:7") && "\($0)".contains("insult")
        }
    }
}
