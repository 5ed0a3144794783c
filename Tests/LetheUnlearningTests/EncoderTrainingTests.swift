import Foundation
import LetheLayers
import LetheTensor
import LetheTestSupport
import LetheText
import LetheUnlearning
import Testing

/// A tiny BERT or RoBERTa with the sequence-classification head of `labels` outputs, dropout on.
private func tinyEncoder(_ family: BertConfiguration.Family, labels: Int, seed: UInt64) throws -> BertModel {
    var rng = RandomGenerator(seed: seed)
    let c = BertConfiguration(
        family: family, vocabularySize: 24, hiddenSize: 8, layerCount: 1, headCount: 2, intermediateSize: 16, maxPositions: 40,
        labelCount: labels)
    return try BertModel(configuration: c, head: .sequenceClassification, rng: &rng)
}

private func bits(_ set: NamedTensors) -> [UInt32] { set.flat.floats.map(\.bitPattern) }
private func mean(_ values: ArraySlice<Double>) -> Double { values.reduce(0, +) / Double(max(1, values.count)) }

/// Examples shifted by two ids so that no text uses RoBERTa's padding id 1 or BERT's 0.
private func encoderExamples() throws -> [EncodedExample] {
    try scoredExamples().map { example in
        var shifted = example
        shifted.ids = example.ids.map { 2 + $0 % 22 }
        return shifted
    }
}

@Suite("the one training loop trains encoders: BERT and RoBERTa classifiers, LoRA, checkpoints")
struct EncoderTrainingTests {
    @Test(arguments: [BertConfiguration.Family.bert, .roberta])
    func anEncoderLearnsLabelsAndScores(family: BertConfiguration.Family) throws {
        for (objective, labels, options) in [
            ("classification", 1, ["loss": PluginOptions.Value.text("bce")]), ("distillation", 3, ["sigma": .number(0.8)]),
        ] {
            let model = try tinyEncoder(family, labels: labels, seed: 3)
            let data = try ExampleBatches(
                examples: try encoderExamples(), batchSize: 4, seed: 2, padID: model.configuration.padTokenID ?? 0,
                scoreNames: ["insult", "threat"])
            let trainer = try Trainer(
                model: model, objective: ObjectiveRegistry.builtIn.make(objective, options: options),
                configuration: TrainerConfiguration(steps: 40, learningRate: 1e-2, seed: 4))
            var losses: [Double] = []
            try trainer.train(data: data) { losses.append($0.losses["train"] ?? .nan); return true }
            #expect(mean(losses.suffix(5)) < 0.5 * mean(losses.prefix(5)), "\(family) \(objective): \(losses.prefix(5)) … \(losses.suffix(5))")
        }
    }

    /// LoRA on query/key/value trains only the adapters: the base weights keep their bits.
    @Test func loraOnQueryKeyValueLeavesTheBaseUnchanged() throws {
        let model = try tinyEncoder(.bert, labels: 1, seed: 5)
        let before = bits(model.parameters)
        var rng = RandomGenerator(seed: 6)
        let adapters = try model.applyLoRA(LoRAConfiguration(rank: 2, alpha: 4, targets: ["query", "key", "value"]), rng: &rng)
        let data = try ExampleBatches(examples: try encoderExamples(), batchSize: 3, seed: 2)
        let trainer = try Trainer(
            model: model, trainable: adapters.parameters, objective: Classification(loss: .bce),
            configuration: TrainerConfiguration(steps: 5, learningRate: 1e-2))
        let adapterBefore = bits(adapters.parameters)
        try trainer.train(data: data)
        #expect(bits(model.parameters) == before)
        #expect(bits(adapters.parameters) != adapterBefore)
    }

    /// N steps straight vs k steps, a checkpoint, a fresh encoder restored from it, N − k steps:
    /// the same bits, dropout on.
    @Test func anEncoderRunResumesExactly() throws {
        let data = try ExampleBatches(examples: try encoderExamples(), batchSize: 3, seed: 2, scoreNames: ["insult", "threat"])
        let configuration = TrainerConfiguration(steps: 6, learningRate: 1e-2, clipNorm: 0.5, seed: 9)
        func trainer(_ seed: UInt64) throws -> Trainer {
            try Trainer(model: try tinyEncoder(.roberta, labels: 3, seed: seed), objective: Distillation(sigma: 0.8), configuration: configuration)
        }
        let straight = try trainer(8)
        try straight.train(data: data)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lethe-encoder-resume-\(getpid()).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try trainer(8)
        try first.train(data: data) { $0.step < 2 }
        try Checkpoint.save(first, to: path)
        let second = try trainer(99)
        try Checkpoint.restore(second, from: path)
        try second.train(data: data)
        #expect(bits(second.model.parameters) == bits(straight.model.parameters))
    }

    /// Objectives that read next-token logits refuse an encoder, naming themselves.
    @Test func languageModelObjectivesRefuseAnEncoder() throws {
        let data = try ExampleBatches(examples: try encoderExamples(), batchSize: 2, seed: 2)
        let trainer = try Trainer(
            model: try tinyEncoder(.bert, labels: 2, seed: 1), objective: NextToken(),
            configuration: TrainerConfiguration(steps: 1, learningRate: 1e-2))
        #expect { try trainer.train(data: data) } throws: { "\($0)".contains("next_token needs a causal language model; this is a bert model") }
    }
}
