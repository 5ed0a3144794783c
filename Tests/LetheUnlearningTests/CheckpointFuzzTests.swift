import Foundation
import LetheLayers
import LetheStorage
import LetheTensor
import LetheTestSupport
import LetheUnlearning
import Testing

/// Seeded mutation fuzzing of checkpoints: `Checkpoint.restore` and `ModelFile.load` on
/// a small valid checkpoint, mutated, must end in a value or an error (issue 8).
@Suite("Fuzz: checkpoints")
struct CheckpointFuzzTests {
    static let iterations = Fuzz.iterations(default: 150)

    private func trainer() throws -> Trainer {
        var rng = RandomGenerator(seed: 3)
        let configuration = GPT2Configuration(
            vocabularySize: 12, contextLength: 8, embeddingSize: 4, layerCount: 1, headCount: 2,
            residualDropout: 0.1, embeddingDropout: 0.1, attentionDropout: 0.1)
        let model = try GPT2Model(configuration: configuration, rng: &rng)
        return try Trainer(
            model: model, objective: ObjectiveRegistry.builtIn.make("idk_dpo"), combiner: CombinerRegistry.builtIn.make("sum"),
            configuration: TrainerConfiguration(steps: 2, learningRate: 1e-2, seed: 5))
    }

    @Test func mutatedCheckpointsNeverCrash() throws {
        let path = Fuzz.temporaryPath("model.h5")
        defer { Fuzz.removeTemporary(path) }
        let source = try trainer()
        try Checkpoint.save(source, recipe: "name: fuzz\nseed: 1\n", to: path)
        let valid = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let target = try trainer()
        let restored = try Fuzz.run("checkpoint-restore", valid: valid, seed: 21, iterations: Self.iterations, path: path) {
            try Checkpoint.restore(target, from: $0)
        }
        let loaded = try Fuzz.run("checkpoint-load-model", valid: valid, seed: 22, iterations: Self.iterations, path: path) {
            _ = try ModelFile.load($0)
        }
        #expect(restored.inputs == Self.iterations && restored.errors > 0)
        #expect(loaded.inputs == Self.iterations && loaded.errors > 0)
    }

    /// A well-formed file whose config asks for a model far larger than its weights: refused
    /// before the model is allocated (it was an attempt to allocate n_embd = 2^40).
    @Test func configLargerThanTheStoredWeightsIsRefused() throws {
        let path = Fuzz.temporaryPath("huge.h5")
        defer { Fuzz.removeTemporary(path) }
        let file = try HDF5File.create(at: path)
        try file.setAttribute("format", ModelFile.format)
        try file.setAttribute("format_version", ModelFile.formatVersion)
        try file.setAttribute("config_json", #"{"vocab_size": 12, "n_positions": 8, "n_embd": 1099511627776, "n_layer": 1, "n_head": 2}"#)
        try file.write(try Tensor(zeros: [12, 4], dtype: .float32), to: "/model/wte.weight")
        file.close()
        #expect(throws: LayerError.self) { try ModelFile.load(path) }
    }

    /// Was an attempt to allocate adapters of rank 2^40 before any weight was read.
    @Test func loraRankLargerThanTheModelIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lora-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let config = #"{"r": 1099511627776, "lora_alpha": 8, "target_modules": ["c_attn"]}"#
        try config.write(toFile: folder + "/adapter_config.json", atomically: true, encoding: .utf8)
        var rng = RandomGenerator(seed: 1)
        let model = try GPT2Model(
            configuration: GPT2Configuration(vocabularySize: 8, contextLength: 4, embeddingSize: 4, layerCount: 1, headCount: 2),
            rng: &rng)
        #expect(throws: LayerError.self) { try model.loadLoRA(directory: folder) }
    }
}
