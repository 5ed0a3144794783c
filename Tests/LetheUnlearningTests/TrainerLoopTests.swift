import Foundation
import LetheLayers
import LetheStorage
import LetheTensor
import LetheText
import LetheUnlearning
import Testing

private func tinyLanguageModel(seed: UInt64, dropout: Double = 0.1) throws -> GPT2Model {
    var rng = RandomGenerator(seed: seed)
    let c = GPT2Configuration(
        vocabularySize: 20, contextLength: 32, embeddingSize: 16, layerCount: 1, headCount: 2,
        residualDropout: dropout, embeddingDropout: dropout, attentionDropout: dropout)
    return try GPT2Model(configuration: c, rng: &rng)
}

/// A token stream with structure to learn: sentences of one id per character.
private func stream() throws -> [Int] {
    let text = String(repeating: "the cat sat on the mat. a dog ran to the cat. ", count: 12)
    return try CharacterEncoder().encode(text)
}

private func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).h5").path
}

private func bits(_ set: NamedTensors) -> [UInt32] { set.flat.floats.map(\.bitPattern) }

private func mean(_ values: ArraySlice<Double>) -> Double { values.reduce(0, +) / Double(max(1, values.count)) }

/// `sum`, but without declaring that it leaves a single gradient unchanged: the trainer's
/// general path (combined direction in its own buffer).
private struct CopyingSum: GradientCombiner {
    static let name = "copying_sum"
    init(options: PluginOptions) throws {}
    init() {}
    func combine(_ parts: [NamedGradients], into output: NamedTensors) throws -> CombinerReport {
        try SumCombiner().combine(parts, into: output)
    }
}

@Suite("One training loop: pretraining, classifiers, logs, exact resume")
struct TrainerLoopTests {
    @Test func aTinyGPT2LearnsTokenWindowsWithNextToken() throws {
        let data = try TokenWindows(stream: try stream(), length: 16, batchSize: 4, seed: 1)
        let trainer = try Trainer(
            model: try tinyLanguageModel(seed: 1, dropout: 0), objective: ObjectiveRegistry.builtIn.make("next_token"),
            configuration: TrainerConfiguration(steps: 60, learningRate: 1e-2, adamW: .init(beta1: 0.9, beta2: 0.95)))
        var losses: [Double] = []
        try trainer.train(data: data) { losses.append($0.losses["train"] ?? .nan); return true }
        #expect(losses.count == 60)
        #expect(mean(losses.suffix(5)) < mean(losses.prefix(5)) - 1, "\(losses.prefix(5)) … \(losses.suffix(5))")
    }

    @Test func aTinyClassifierLearnsLabelsAndScores() throws {
        for (objective, labels, options) in [
            ("classification", 2, [String: PluginOptions.Value]()), ("classification", 1, ["loss": .text("bce")]),
            ("distillation", 3, ["sigma": .number(0.8)]),
        ] {
            let data = try ExampleBatches(examples: try scoredExamples(), batchSize: 4, seed: 2, scoreNames: ["insult", "threat"])
            let trainer = try Trainer(
                model: try tinyClassifier(labels: labels, seed: 3), objective: ObjectiveRegistry.builtIn.make(objective, options: options),
                configuration: TrainerConfiguration(steps: 40, learningRate: 1e-2))
            var losses: [Double] = []
            try trainer.train(data: data) { losses.append($0.losses["train"] ?? .nan); return true }
            #expect(mean(losses.suffix(5)) < 0.5 * mean(losses.prefix(5)), "\(objective) \(options): \(losses.prefix(5)) … \(losses.suffix(5))")
        }
    }

    @Test func theGradientLogAppendsEveryNthStepOnly() throws {
        let path = temporaryPath("every")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var configuration = TrainerConfiguration(steps: 7, learningRate: 1e-2)
        configuration.gradientLogEvery = 3
        let trainer = try Trainer(model: try tinyLanguageModel(seed: 4), objective: NextToken(), configuration: configuration)
        trainer.gradientLog = try GradientLog(path: path, parameterNames: trainer.trainable.names, lossNames: ["train"])
        try trainer.train(data: try TokenWindows(stream: try stream(), length: 8, batchSize: 2, seed: 0))
        trainer.gradientLog?.close()
        let file = try HDF5File.open(at: path)
        defer { file.close() }
        #expect(try file.readTensor("/step").doubles == [3, 6])
        #expect(try file.shape(of: "/norm/train") == [2, trainer.trainable.names.count])
        configuration.gradientLogEvery = 0
        #expect(throws: UnlearningError.self) { try Trainer(model: try tinyLanguageModel(seed: 4), objective: NextToken(), configuration: configuration) }
    }

    /// The buffer-as-direction path and the general path (a copy into the direction) give
    /// the same update: bit for bit without clipping, to rounding with it (the norm is summed
    /// in another order).
    @Test func theSingleLossShortcutIsTheGeneralPath() throws {
        let data = try TokenWindows(stream: try stream(), length: 8, batchSize: 2, seed: 6)
        for clip in [nil, 0.05] as [Double?] {
            let configuration = TrainerConfiguration(steps: 4, learningRate: 1e-2, clipNorm: clip, accumulation: 2, seed: 3)
            let fast = try Trainer(model: try tinyLanguageModel(seed: 5), objective: NextToken(), configuration: configuration)
            let general = try Trainer(
                model: try tinyLanguageModel(seed: 5), objective: NextToken(), combiner: CopyingSum(), configuration: configuration)
            var norms: [Double] = []
            try fast.train(data: data) { norms.append($0.directionNorm); return true }
            try general.train(data: data) { norms.append($0.directionNorm); return true }
            if clip == nil {
                #expect(bits(fast.model.parameters) == bits(general.model.parameters))
            } else {
                let gap = zip(fast.model.parameters.flat.floats, general.model.parameters.flat.floats).map { abs($0 - $1) }.max() ?? 1
                #expect(gap < 1e-5 && norms.prefix(4).allSatisfy { $0 > 0.05 }, "gap \(gap), norms \(norms)")
            }
            #expect(zip(norms.prefix(4), norms.suffix(4)).allSatisfy { abs($0 - $1) <= 1e-9 * $1 }, "\(norms)")
        }
    }

    /// N steps straight vs k steps, a checkpoint, a fresh trainer restored from it, N − k
    /// steps: the same bits (dropout on, accumulation 2, a schedule, clipping).
    @Test func nextTokenOnTokenWindowsResumesExactly() throws {
        let data = try TokenWindows(stream: try stream(), length: 8, batchSize: 2, seed: 7)
        let configuration = TrainerConfiguration(
            steps: 6, learningRate: 1e-2, schedule: .cosine(warmupSteps: 2, totalSteps: 6), clipNorm: 0.5, accumulation: 2, seed: 9)
        let straight = try Trainer(model: try tinyLanguageModel(seed: 8), objective: NextToken(), configuration: configuration)
        try straight.train(data: data)
        let path = temporaryPath("resume-next-token")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try Trainer(model: try tinyLanguageModel(seed: 8), objective: NextToken(), configuration: configuration)
        try first.train(data: data) { $0.step < 2 }
        try Checkpoint.save(first, to: path)
        let second = try Trainer(model: try tinyLanguageModel(seed: 99), objective: NextToken(), configuration: configuration)
        try Checkpoint.restore(second, from: path)
        #expect(second.step == 2)
        try second.train(data: data)
        #expect(second.step == 6)
        #expect(bits(second.model.parameters) == bits(straight.model.parameters))
        #expect(bits(second.optimizer.secondMoment) == bits(straight.optimizer.secondMoment))
    }

    /// A checkpoint saved from `progress` on a step that ran an evaluation (as the engine
    /// saves them) holds the dropout stream of training, not the evaluation's "no dropout".
    @Test func aCheckpointAtAnEvaluatedStepResumesExactly() throws {
        let data = try TokenWindows(stream: try stream(), length: 8, batchSize: 2, seed: 7)
        var configuration = TrainerConfiguration(steps: 4, learningRate: 1e-2, seed: 9)
        configuration.evaluateEvery = 2
        func trainer(_ seed: UInt64) throws -> Trainer {
            let t = try Trainer(model: try tinyLanguageModel(seed: seed), objective: NextToken(), configuration: configuration)
            t.evaluator = { t in ["train_loss": try NextToken().losses(model: t.model, reference: nil, batch: try data.batch(0))[0].value.item()] }
            return t
        }
        let straight = try trainer(8)
        try straight.train(data: data)
        let path = temporaryPath("resume-evaluated")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try trainer(8)
        try first.train(data: data) { record in
            if record.step == 2 {
                #expect(record.evaluation != nil)
                try Checkpoint.save(first, to: path)
            }
            return record.step < 2
        }
        let second = try trainer(99)
        try Checkpoint.restore(second, from: path)
        #expect(second.model.dropout != nil)
        try second.train(data: data)
        #expect(bits(second.model.parameters) == bits(straight.model.parameters))
    }

    @Test func aLoRARunResumesExactly() throws {
        let lora = LoRAConfiguration(rank: 2, alpha: 4, dropout: 0.1, targets: ["attn.c_attn", "mlp.c_fc"])
        func adapted(_ seed: UInt64) throws -> (GPT2Model, LoRAAdapters) {
            let model = try tinyLanguageModel(seed: seed)
            var rng = RandomGenerator(seed: seed &+ 1)
            return (model, try model.applyLoRA(lora, rng: &rng))
        }
        let data = try TokenWindows(stream: try stream(), length: 8, batchSize: 2, seed: 10)
        let configuration = TrainerConfiguration(steps: 5, learningRate: 5e-2, seed: 4)
        let (model, adapters) = try adapted(11)
        let baseBefore = bits(model.parameters)
        let straight = try Trainer(model: model, trainable: adapters.parameters, objective: NextToken(), configuration: configuration)
        try straight.train(data: data)
        #expect(bits(model.parameters) == baseBefore)  // only the adapters trained
        let path = temporaryPath("resume-lora")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (m1, a1) = try adapted(11)
        let first = try Trainer(model: m1, trainable: a1.parameters, objective: NextToken(), configuration: configuration)
        try first.train(data: data) { $0.step < 3 }
        try Checkpoint.save(first, lora: lora, to: path)
        let (m2, a2) = try adapted(50)
        let second = try Trainer(model: m2, trainable: a2.parameters, objective: NextToken(), configuration: configuration)
        try Checkpoint.restore(second, from: path)
        try second.train(data: data)
        #expect(bits(a2.parameters) == bits(adapters.parameters))
        #expect(bits(m2.parameters) == bits(model.parameters))
    }

    @Test func configurationsWrittenBeforeTheNewKeysStillDecode() throws {
        let old = #"{"steps":4,"learningRate":0.001,"schedule":{"constant":{}},"adamW":{"beta1":0.9,"beta2":0.95,"epsilon":1e-08,"weightDecay":0.1},"clipNorm":1,"accumulation":2,"seed":3,"nonFinite":"skip","maxConsecutiveSkips":5}"#
        let decoded = try JSONDecoder().decode(TrainerConfiguration.self, from: Data(old.utf8))
        #expect(decoded.gradientLogEvery == nil && decoded.weightDecayScope == .matrices && decoded.adamW.beta2 == 0.95)
        #expect(decoded.accumulation == 2 && decoded.nonFinite == .skip && decoded.maxConsecutiveSkips == 5)
        var configuration = decoded
        (configuration.gradientLogEvery, configuration.weightDecayScope) = (10, .all)
        #expect(try JSONDecoder().decode(TrainerConfiguration.self, from: JSONEncoder().encode(configuration)) == configuration)
    }
}
