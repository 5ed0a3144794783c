import Foundation
import LetheLayers
import LetheStorage
import LetheTensor
import LetheText
import LetheUnlearning
import Testing

/// Counts `losses` calls across copies of an objective (one call per micro-batch).
private final class CallCounter {
    var calls = 0
}

/// grad_diff (forget = −CE, retain = CE) that goes wrong on chosen calls of `losses`
/// (1-based; with accumulation 1, call k is step k): a NaN forget loss, or a finite forget
/// loss whose gradient is NaN in the `poisoned` parameter tensors only. The NaN gradient
/// comes from √(Σ 0·p), which is 0 forward and 0/0 backward.
private struct FaultyObjective: TrainingObjective {
    enum Fault { case nanLoss, nanGradient(poisoned: [String]) }
    static let name = "faulty_grad_diff"
    var parts: [String] { [TrainingBatch.forget, TrainingBatch.retain] }
    let fault: Fault
    let faultyCalls: Set<Int>
    let counter = CallCounter()

    init(options: PluginOptions) throws { (fault, faultyCalls) = (.nanLoss, []) }
    init(_ fault: Fault, calls: Set<Int>) { (self.fault, faultyCalls) = (fault, calls) }

    func losses(model: any TrainableModel, reference: ReferenceModel?, batch: TrainingBatch) throws -> [NamedLoss] {
        let model = try model.languageModel(for: Self.name)
        guard let forget = batch.forget, let retain = batch.retain else {
            throw UnlearningError.missingBatch(owner: Self.name, part: "forget and retain")
        }
        counter.calls += 1
        var forgetLoss = try model.languageModelLoss(forget.tokens, labels: forget.labels).affine(scale: -1)
        if faultyCalls.contains(counter.calls) {
            switch fault {
            case .nanLoss: forgetLoss = forgetLoss.affine(scale: 1, shift: .nan)
            case .nanGradient(let poisoned):
                for name in poisoned {
                    guard let parameter = model.parameters[name] else { throw UnlearningError.invalidInput("no \(name)") }
                    forgetLoss = try forgetLoss + (try parameter.affine(scale: 0).sum()).sqrt()
                }
            }
        }
        return [NamedLoss("forget", forgetLoss), NamedLoss("retain", try model.languageModelLoss(retain.tokens, labels: retain.labels))]
    }
}

/// The sum combiner, then a NaN written into one tensor of the direction.
private struct PoisonedSum: GradientCombiner {
    static let name = "poisoned_sum"
    let sum: any GradientCombiner
    init(options: PluginOptions) throws { sum = try CombinerRegistry.builtIn.make("sum") }

    func combine(_ parts: [NamedGradients], into output: NamedTensors) throws -> CombinerReport {
        let report = try sum.combine(parts, into: output)
        output["h.0.ln_2.bias"]?.fill(.nan)
        return report
    }
}

private func data() throws -> UnlearningData { try toyUnlearningData() }

private func trainer(
    _ objective: any TrainingObjective, combiner: any GradientCombiner, steps: Int = 5, accumulation: Int = 1,
    policy: NonFinitePolicy = .stop, maxConsecutiveSkips: Int = 10
) throws -> Trainer {
    var rng = RandomGenerator(seed: 21)
    let c = GPT2Configuration(
        vocabularySize: 20, contextLength: 32, embeddingSize: 8, layerCount: 1, headCount: 2,
        residualDropout: 0, embeddingDropout: 0, attentionDropout: 0)
    let configuration = TrainerConfiguration(
        steps: steps, learningRate: 1e-2, accumulation: accumulation, seed: 3, nonFinite: policy, maxConsecutiveSkips: maxConsecutiveSkips)
    return try Trainer(
        model: try GPT2Model(configuration: c, rng: &rng), objective: objective, combiner: combiner, configuration: configuration)
}

private func sum() throws -> any GradientCombiner { try CombinerRegistry.builtIn.make("sum") }

/// Parameters, both AdamW moments and the optimiser's step: everything a step may change.
private func state(_ t: Trainer) -> [[Float]] {
    [t.model.parameters.flat.floats, t.optimizer.firstMoment.flat.floats, t.optimizer.secondMoment.flat.floats, [Float(t.optimizer.step)]]
}

/// Whether two states are bitwise equal (a Bool, so a failure does not print every weight).
private func same(_ a: [[Float]], _ b: [[Float]]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { x, y in x.count == y.count && zip(x, y).allSatisfy { $0.bitPattern == $1.bitPattern } }
}

private func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).h5").path
}

@Suite("NaN and infinities in losses, gradients and the combined direction")
struct NumericalFaultTests {
    @Test func aNonFiniteGradientStopsNamingStepLossAndFirstParameterAndKeepsTheCheckpoint() throws {
        let poisoned = ["h.0.mlp.c_proj.weight", "h.0.attn.c_attn.weight"]  // c_attn comes first in storage order
        let t = try trainer(FaultyObjective(.nanGradient(poisoned: poisoned), calls: [3]), combiner: sum())
        let path = temporaryPath("before-fault")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var afterStep2: [[Float]] = []
        do {
            try t.train(data: try data()) { record in
                if record.step == 2 {
                    afterStep2 = state(t)
                    try Checkpoint.save(t, to: path)
                }
                return true
            }
            Issue.record("should fail")
        } catch {
            #expect(error as? UnlearningError == .nonFinite(step: 3, fault: .gradient(loss: "forget", parameter: "h.0.attn.c_attn.weight"), consecutiveSkips: 0))
            #expect("\(error)" == "step 3: loss \"forget\" has a non-finite gradient (first in h.0.attn.c_attn.weight); no update was applied")
        }
        #expect(t.step == 2)
        #expect(same(state(t), afterStep2))  // no update on the faulty step
        let fileBytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let restored = try trainer(FaultyObjective(.nanLoss, calls: []), combiner: sum())
        try Checkpoint.restore(restored, from: path)
        #expect(restored.step == 2 && same(state(restored), afterStep2))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == fileBytes)
    }

    @Test func aNonFiniteLossNamesTheMicroBatch() throws {
        // Accumulation 2: call 4 is step 2's second micro-batch.
        let t = try trainer(FaultyObjective(.nanLoss, calls: [4]), combiner: sum(), accumulation: 2)
        var afterStep1: [[Float]] = []
        do {
            try t.train(data: try data()) { _ in afterStep1 = state(t); return true }
            Issue.record("should fail")
        } catch {
            #expect("\(error)" == "step 2: loss \"forget\" is nan (micro-batch 2); no update was applied")
        }
        #expect(t.step == 1 && same(state(t), afterStep1))
    }

    @Test func aNonFiniteDirectionNamesTheCombinerAndParameter() throws {
        let t = try trainer(FaultyObjective(.nanLoss, calls: []), combiner: PoisonedSum(options: PluginOptions([:], owner: "test")))
        let before = state(t)
        do {
            try t.runStep(data: try data())
            Issue.record("should fail")
        } catch {
            #expect("\(error)" == "step 1: the combined direction (poisoned_sum) is non-finite (first in h.0.ln_2.bias); no update was applied")
        }
        #expect(t.step == 0 && same(state(t), before))
    }

    @Test func skippingAStepEqualsAdvancingTheStepWithoutAnUpdate() throws {
        let d = try data()
        let skipping = try trainer(FaultyObjective(.nanGradient(poisoned: ["h.0.attn.c_attn.weight"]), calls: [3]), combiner: sum(), policy: .skip)
        var records: [StepRecord] = []
        try skipping.train(data: d) { records.append($0); return true }
        #expect(skipping.step == 5 && skipping.skippedSteps == 1)
        #expect(records.map(\.skipped) == [nil, nil, .gradient(loss: "forget", parameter: "h.0.attn.c_attn.weight"), nil, nil])
        #expect(records[2].directionNorm.isNaN && records[3].directionNorm.isFinite)

        // The same run without the fault: two steps, a checkpoint whose step counter says 3
        // (step 3 taken, nothing changed), then steps 4 and 5 on the batches of steps 4 and 5.
        let path = temporaryPath("skip-reference")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try trainer(FaultyObjective(.nanLoss, calls: []), combiner: sum())
        try first.train(data: d) { $0.step < 2 }
        try Checkpoint.save(first, to: path)
        let file = try HDF5File.open(at: path, writable: true)
        try file.setAttribute("step", 3)
        file.close()
        let second = try trainer(FaultyObjective(.nanLoss, calls: []), combiner: sum())
        try Checkpoint.restore(second, from: path)
        try second.train(data: d)
        #expect(second.step == 5 && second.optimizer.step == 4)
        #expect(same(state(skipping), state(second)))
    }

    @Test func tooManySkipsInARowStopTheRun() throws {
        // Steps 2 and 3 skipped, step 4 faulty too: the third in a row stops the run.
        let stops = try trainer(FaultyObjective(.nanLoss, calls: [2, 3, 4]), combiner: sum(), steps: 6, policy: .skip, maxConsecutiveSkips: 2)
        do {
            try stops.train(data: try data())
            Issue.record("should fail")
        } catch {
            #expect("\(error)".hasPrefix("step 4: loss \"forget\" is nan (micro-batch 1); no update was applied"))
            #expect("\(error)".hasSuffix("(stopping after 2 skipped steps in a row)"))
        }
        #expect(stops.step == 3 && stops.skippedSteps == 2)
        // An applied step in between resets the count.
        let finishes = try trainer(FaultyObjective(.nanLoss, calls: [2, 3, 5, 6]), combiner: sum(), steps: 6, policy: .skip, maxConsecutiveSkips: 2)
        try finishes.train(data: try data())
        #expect(finishes.step == 6 && finishes.skippedSteps == 4 && finishes.consecutiveSkips == 2)
    }

    @Test func configurationsWithoutThePolicyStillDecode() throws {
        var configuration = TrainerConfiguration(steps: 4, nonFinite: .skip, maxConsecutiveSkips: 3)
        configuration.evaluateEvery = 2
        let encoded = try JSONEncoder().encode(configuration)
        #expect(try JSONDecoder().decode(TrainerConfiguration.self, from: encoded) == configuration)
        guard var old = try JSONSerialization.jsonObject(with: encoded) as? [String: Any] else {
            Issue.record("not a JSON object")
            return
        }
        old["nonFinite"] = nil
        old["maxConsecutiveSkips"] = nil
        let decoded = try JSONDecoder().decode(TrainerConfiguration.self, from: try JSONSerialization.data(withJSONObject: old))
        #expect(decoded.nonFinite == .stop && decoded.maxConsecutiveSkips == 10 && decoded.evaluateEvery == 2 && decoded.steps == 4)
    }
}
