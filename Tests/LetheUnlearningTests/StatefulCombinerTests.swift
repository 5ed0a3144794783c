import Foundation
import LetheLayers
import LetheStorage
import LetheTensor
import LetheUnlearning
import Testing

private func tinyUnlearningModel(seed: UInt64) throws -> GPT2Model {
    var rng = RandomGenerator(seed: seed)
    let c = GPT2Configuration(
        vocabularySize: 20, contextLength: 32, embeddingSize: 16, layerCount: 1, headCount: 2,
        residualDropout: 0.1, embeddingDropout: 0.1, attentionDropout: 0.1)
    return try GPT2Model(configuration: c, rng: &rng)
}

private func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).h5").path
}

private func bits(_ set: NamedTensors) -> [UInt32] { set.flat.floats.map(\.bitPattern) }

/// A grad_diff trainer with the combiner `name` (a fresh instance each call).
private func trainer(_ name: String, _ options: [String: PluginOptions.Value], modelSeed: UInt64 = 5) throws -> Trainer {
    try Trainer(
        model: try tinyUnlearningModel(seed: modelSeed), objective: ObjectiveRegistry.builtIn.make("grad_diff"),
        combiner: CombinerRegistry.builtIn.make(name, options: options),
        configuration: TrainerConfiguration(steps: 5, learningRate: 1e-2, seed: 4))
}

/// Per step, every loss's whole-model weight (GradDrop has none: its direction norms).
private func weightsPerStep(_ t: Trainer, data: UnlearningData, until: Int = .max) throws -> [[Double]] {
    var rows: [[Double]] = []
    try t.train(data: data) { record in
        let w = record.report.weights
        rows.append(w.isEmpty ? [record.directionNorm] : w.keys.sorted().map { w[$0] ?? .nan })
        return record.step < until
    }
    return rows
}

@Suite("Stateful combiners: state in checkpoints, exact resume")
struct StatefulCombinerTests {
    static let cases: [(String, [String: PluginOptions.Value])] = [
        ("gradvac", ["beta": .number(0.5), "granularity": .text("tensor")]),
        ("nash_mtl", ["update_weights_every": .number(3), "max_norm": .number(0.5)]),
        ("graddrop", ["seed": .number(3)]),
    ]

    /// Five steps straight vs two, a checkpoint, a fresh trainer and combiner restored from
    /// it, three more: the same weights on the last three steps and the same parameters, bit
    /// for bit. Restoring everything but the combiner's state gives other weights, so the
    /// state is what makes the resume exact.
    @Test(arguments: cases.indices)
    func aResumedRunGivesTheWeightsOfAnUninterruptedOne(index: Int) throws {
        let (name, options) = Self.cases[index]
        let data = try toyUnlearningData()
        let straight = try trainer(name, options)
        let all = try weightsPerStep(straight, data: data)
        #expect(all.count == 5)
        let path = temporaryPath("resume-\(name)")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try trainer(name, options)
        _ = try weightsPerStep(first, data: data, until: 2)
        try Checkpoint.save(first, to: path)

        let resumed = try trainer(name, options, modelSeed: 77)
        try Checkpoint.restore(resumed, from: path)
        let rest = try weightsPerStep(resumed, data: data)
        #expect(rest == Array(all.suffix(3)), "\(name): \(rest) vs \(all.suffix(3))")
        #expect(bits(resumed.model.parameters) == bits(straight.model.parameters), "\(name)")

        let forgetful = try trainer(name, options, modelSeed: 77)
        try Checkpoint.restore(forgetful, from: path)
        try (forgetful.combiner as? any StatefulCombiner)?.restore([:])
        #expect(try weightsPerStep(forgetful, data: data) != rest, "\(name): the state made no difference")
    }

    @Test func theStateIsReadableWithoutLetheAndCheckedOnRestore() throws {
        let data = try toyUnlearningData()
        let t = try trainer("nash_mtl", [:])
        _ = try weightsPerStep(t, data: data, until: 1)
        let path = temporaryPath("nash-state")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Checkpoint.save(t, to: path)
        let file = try HDF5File.open(at: path)
        #expect(try file.stringAttribute("combiner") == "nash_mtl")
        #expect(try file.stringAttribute("combiner_state_keys") == #"["alpha","step"]"#)
        #expect(try file.readTensor("/combiner_state/step").doubles == [1])
        #expect(try file.readTensor("/combiner_state/alpha").doubles.count == 2)
        file.close()
        // Another stateful combiner cannot take this state; a checkpoint of a stateless run has none.
        #expect(throws: UnlearningError.self) { try Checkpoint.restore(try trainer("gradvac", [:]), from: path) }
        let plain = try trainer("sum", [:])
        try Checkpoint.save(plain, to: path)
        #expect(throws: UnlearningError.self) { try Checkpoint.restore(try trainer("graddrop", [:]), from: path) }
    }
}
