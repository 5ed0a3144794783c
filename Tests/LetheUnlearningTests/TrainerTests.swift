import Foundation
import LetheLayers
import LetheStorage
import LetheTensor
import LetheText
import LetheUnlearning
import Testing

private func model(seed: UInt64, dropout: Double = 0.1) throws -> GPT2Model {
    var rng = RandomGenerator(seed: seed)
    let c = GPT2Configuration(
        vocabularySize: 20, contextLength: 32, embeddingSize: 8, layerCount: 1, headCount: 2,
        residualDropout: dropout, embeddingDropout: dropout, attentionDropout: dropout)
    return try GPT2Model(configuration: c, rng: &rng)
}

private func data() throws -> UnlearningData {
    let forget = try toyExamples([("Say", " you fool"), ("Reply", " go away"), ("Now", " how dumb"), ("Why", " shut it")])
    let retain = try toyExamples([("Hi", " hello there"), ("Thanks", " you're welcome"), ("Bye", " see you")])
    let preferred = try toyExamples([("Say", " I don't know."), ("Reply", " I can't say."), ("Now", " No idea."), ("Why", " Not sure.")])
    return try UnlearningData(forget: forget, retain: retain, preferred: preferred, batchSize: 2, seed: 11)
}

private func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).h5").path
}

@Suite("Trainer, checkpoints and resume")
struct TrainerTests {
    private func trainer(_ m: GPT2Model, objective: String = "idk_dpo", combiner: String = "pcgrad", steps: Int = 6) throws -> Trainer {
        try Trainer(
            model: m, objective: ObjectiveRegistry.builtIn.make(objective), combiner: CombinerRegistry.builtIn.make(combiner),
            configuration: TrainerConfiguration(steps: steps, learningRate: 1e-2, schedule: .linear(warmupSteps: 2, totalSteps: steps), seed: 5))
    }

    @Test func resumedRunEndsWithTheSameWeightsAsAnUninterruptedOne() throws {
        let d = try data()
        let straight = try trainer(try model(seed: 1))
        try straight.train(data: d)
        let path = temporaryPath("resume")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try trainer(try model(seed: 1))
        try first.train(data: d) { $0.step < 3 }
        #expect(first.step == 3)
        try Checkpoint.save(first, recipe: "objective: idk_dpo", to: path)
        // A new process: another random model, restored from the file.
        let second = try trainer(try model(seed: 99))
        try Checkpoint.restore(second, from: path)
        try second.train(data: d)
        #expect(second.step == 6)
        #expect(second.model.parameters.flat.floats == straight.model.parameters.flat.floats)
        #expect(!FileManager.default.fileExists(atPath: path + ".tmp"))
    }

    @Test func unlearningRaisesTheForgetLossAndKeepsTheRetainLoss() throws {
        let d = try data()
        let t = try trainer(try model(seed: 2, dropout: 0), objective: "grad_diff", combiner: "sum", steps: 30)
        var records: [StepRecord] = []
        try t.train(data: d) { records.append($0); return true }
        let (firstForget, lastForget) = (records.first?.losses["forget"] ?? 0, records.last?.losses["forget"] ?? 0)
        #expect(lastForget < firstForget - 0.5)  // −CE fell: the forget answers became less likely
        #expect(records.allSatisfy { $0.report.names == ["forget", "retain"] && $0.directionNorm.isFinite })
    }

    @Test func checkpointExportsAsAHuggingFaceModel() throws {
        let t = try trainer(try model(seed: 3, dropout: 0), objective: "grad_ascent", combiner: "sum", steps: 2)
        try t.train(data: try data())
        let path = temporaryPath("export")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Checkpoint.save(t, to: path)
        let exported = try ModelFile.load(path)
        #expect(exported.parameters.flat.floats == t.model.parameters.flat.floats)
    }

    @Test func badCheckpointsAreNamed() throws {
        let path = temporaryPath("bad")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: URL(fileURLWithPath: path))
        #expect(throws: HDF5Error.self) { try ModelFile.load(path) }
        let other = try HDF5File.create(at: path)
        try other.setAttribute("format", "something else")
        other.close()
        do {
            _ = try ModelFile.load(path)
            Issue.record("should fail")
        } catch {
            #expect("\(error)".contains(path) && "\(error)".contains("not a Lethe checkpoint"))
        }
    }

    @Test func aPluginObjectiveDefinedOutsideTheLibraryRunsAJob() throws {
        let registry = ObjectiveRegistry.builtIn.adding(MarginObjective.self)
        #expect(registry.names.contains("forget_margin"))
        let t = try Trainer(
            model: try model(seed: 4, dropout: 0), objective: registry.make("forget_margin", options: ["margin": .number(6)]),
            combiner: CombinerRegistry.builtIn.make("pcgrad", options: ["mode": .text("one_sided")]),
            configuration: TrainerConfiguration(steps: 5, learningRate: 1e-2))
        try t.train(data: try data())
        #expect(t.step == 5)
    }

    @Test func aNonFiniteLossStopsWithTheStepAndLossNamed() throws {
        let m = try model(seed: 6, dropout: 0)
        let before = m.parameters.flat.floats
        let registry = ObjectiveRegistry.builtIn.adding(MarginObjective.self)
        let t = try Trainer(
            model: m, objective: registry.make("forget_margin", options: ["poison": .flag(true)]),
            combiner: CombinerRegistry.builtIn.make("sum"), configuration: TrainerConfiguration(steps: 3))
        do {
            try t.train(data: try data())
            Issue.record("should fail")
        } catch {
            #expect("\(error)".contains("step 1") && "\(error)".contains("forget"))
        }
        #expect(m.parameters.flat.floats == before)
    }
}

@Suite("Evaluation during training, early stop, RMU")
struct EvaluationAndRMUTests {
    @Test func evaluationEveryNStepsAndEarlyStop() throws {
        let d = try data()
        var configuration = TrainerConfiguration(steps: 20, learningRate: 5e-2, seed: 3)
        configuration.evaluateEvery = 2
        configuration.earlyStop = EarlyStopRule(metric: "forget_nll", direction: .above, threshold: 3.3)
        let t = try Trainer(
            model: try model(seed: 7), objective: ObjectiveRegistry.builtIn.make("grad_ascent"),
            combiner: CombinerRegistry.builtIn.make("sum"), configuration: configuration)
        let forgetBatch = try d.batch(0).forget
        t.evaluator = { trainer in
            guard let forgetBatch else { return [:] }
            let nll = try trainer.model.languageModel(for: "test").languageModelLoss(forgetBatch.tokens, labels: forgetBatch.labels).item()
            #expect(trainer.model.dropout == nil)  // eval mode
            return ["forget_nll": nll]
        }
        var evaluated: [Int] = []
        try t.train(data: d) { record in
            if record.evaluation != nil { evaluated.append(record.step) }
            return true
        }
        #expect(evaluated.allSatisfy { $0 % 2 == 0 } && !evaluated.isEmpty)
        #expect(t.step < 20 && t.step == evaluated.last)  // stopped by the rule at an evaluation
        #expect(t.model.dropout != nil)  // training mode restored
    }

    @Test func rmuSteersTheChosenLayerAndKeepsRetainActivations() throws {
        let m = try model(seed: 8, dropout: 0)
        let reference = ReferenceModel(model: try m.copy())
        let rmu = try ObjectiveRegistry.builtIn.make("rmu", options: ["layer": .number(0), "steering": .number(2), "alpha": .number(3)])
        let batch = try data().batch(0)
        let losses = try rmu.losses(model: m, reference: reference, batch: batch)
        #expect(abs(try losses[1].value.item()) < 1e-10)  // at the reference, retain activations match
        // Direct: mean over real tokens and channels of (h − c u)², u the seeded unit vector.
        guard let forget = batch.forget else { return }
        let h = try withoutGradients { try m.residualStream(forget.tokens, afterLayer: 0) }.doubles
        var rng = RandomGenerator(seed: 0)
        let raw = (0..<8).map { _ in rng.nextUniform() }
        let norm = raw.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let u = raw.map { 2 * Double(Float($0 / norm)) }
        let mask = forget.tokens.attentionMask ?? []
        var total = 0.0
        for (position, real) in mask.enumerated() where real == 1 {
            for c in 0..<8 { total += (h[position * 8 + c] - u[c]) * (h[position * 8 + c] - u[c]) }
        }
        let expected = total / Double(mask.reduce(0, +) * 8)
        #expect(abs(try losses[0].value.item() - expected) < 1e-4 * max(1, expected))
        #expect(throws: LayerError.self) { try m.residualStream(forget.tokens, afterLayer: 5) }
    }
}
