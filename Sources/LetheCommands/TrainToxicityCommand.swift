import ArgumentParser
import Foundation
import LetheEngine
import LetheEvaluation
import LetheText

extension EvalCommand {
    /// `lethe eval train-toxicity`: the toxicity scorer, trained through the one training
    /// loop with the settings a run uses for its own scorer, and measured.
    struct TrainToxicity: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train-toxicity",
            abstract: "Train the GPT-2 toxicity classifier on a labelled set (as a run trains its scorer); print test metrics; save it.")

        @Option(help: "Labelled training file (JSONL/CSV with text and toxic fields).")
        var train: String
        @Option(help: "Labelled test file.")
        var test: String
        @Option(help: "tokenizer.json (or a folder holding it).")
        var tokenizer: String
        @Option(help: "Folder to write the classifier to.")
        var out: String
        @Option(help: "A Hugging Face GPT-2 folder to start the backbone from (default: a new model).")
        var backbone: String?
        @Option(help: "Updates (default: min(150, max(20, examples / 8)), as a run).")
        var steps: Int?
        @Option var batch = ClassifierTraining().batchSize
        @Option var learningRate = ClassifierTraining().learningRate
        @Option var maxLength = ClassifierTraining().maxLength
        @Option var layers = ClassifierTraining().layers
        @Option var width = ClassifierTraining().width
        @Option var heads = ClassifierTraining().heads
        @Option var seed: UInt64 = 0

        func run() throws {
            let tokens = try loadTextTokenizer(from: tokenizer)
            let trainSet = try DatasetLoader.load(path: train)
            let testSet = try DatasetLoader.load(path: test)
            var training = ClassifierTraining()
            (training.steps, training.batchSize, training.learningRate, training.maxLength) = (steps, batch, learningRate, maxLength)
            (training.layers, training.width, training.heads, training.backbone) = (layers, width, heads, backbone)
            let classifier = try training.train(examples: trainSet, tokenizer: tokens, seed: seed) { print($0) }.classifier
            let scores = try classifier.scores(testSet.map { $0.text ?? $0.completion ?? "" })
            let metrics = try ClassificationMetrics(scores: scores, labels: testSet.map { $0.label ?? 0 })
            print("| accuracy | precision | recall | F1 | TP | FP | TN | FN |")
            print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
            print(String(format: "| %.4f | %.4f | %.4f | %.4f | %d | %d | %d | %d |", metrics.accuracy, metrics.precision, metrics.recall,
                         metrics.f1, metrics.truePositives, metrics.falsePositives, metrics.trueNegatives, metrics.falseNegatives))
            try classifier.save(directory: out)
            print("wrote \(out)")
        }
    }
}
