import Foundation
import LetheEngine
import LetheEvaluation
import LetheLayers
import LetheTensor
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
        let classifier = try training.train(examples: data, tokenizer: tokenizer, seed: 1)
        #expect(try training.train(examples: data, tokenizer: tokenizer, seed: 1).scores(["Bo, you are an idiot."])
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
}
