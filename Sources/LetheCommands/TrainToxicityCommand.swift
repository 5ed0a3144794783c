import ArgumentParser
import Foundation
import LetheEvaluation
import LetheLayers
import LetheStorage
import LetheText

extension EvalCommand {
    /// `lethe eval train-toxicity`: the toxicity scorer, trained and measured.
    struct TrainToxicity: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train-toxicity",
            abstract: "Train the GPT-2 toxicity classifier on a labelled set; print test metrics; save it.")

        @Option(help: "Labelled training file (JSONL/CSV with text and toxic fields).")
        var train: String
        @Option(help: "Labelled test file.")
        var test: String
        @Option(help: "tokenizer.json (or a folder holding it).")
        var tokenizer: String
        @Option(help: "Folder to write the classifier to.")
        var out: String
        @Option(help: "A Hugging Face GPT-2 folder to start the backbone from (default: random).")
        var backbone: String?
        @Option var steps = 300
        @Option var batch = 16
        @Option var learningRate = 3e-4
        @Option var maxLength = 64
        @Option var layers = 4
        @Option var width = 256
        @Option var heads = 4
        @Option var seed: UInt64 = 0

        func run() throws {
            let tokens = try GPT2Tokenizer.load(from: tokenizer)
            let trainSet = try DatasetLoader.load(path: train)
            let testSet = try DatasetLoader.load(path: test)
            var configuration = GPT2Configuration(
                vocabularySize: tokens.vocabularySize, contextLength: maxLength, embeddingSize: width, layerCount: layers,
                headCount: heads, residualDropout: 0.1, embeddingDropout: 0.1, attentionDropout: 0.1)
            var state: [String: Tensor]?
            if let backbone {
                let base = try GPT2Model.load(huggingFaceDirectory: backbone)
                configuration = base.configuration
                state = Dictionary(uniqueKeysWithValues: base.huggingFaceState().map { ($0.name, $0.tensor) })
            }
            let classifier = try ToxicityClassifier.train(
                examples: trainSet, tokenizer: tokens, configuration: configuration, backbone: state,
                training: .init(steps: steps, batchSize: batch, learningRate: learningRate, maxLength: maxLength, seed: seed)
            ) { step, loss in
                if step % 25 == 0 { print(String(format: "step %d  loss %.4f", step, loss)) }
            }
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

import LetheTensor
