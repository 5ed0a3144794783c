import Foundation
import LetheLayers
import LetheStorage
import LetheTensor
import Testing

@Suite("Hugging Face interop: strict loading, clear errors, round trip")
struct InteropTests {
    private func temporaryDirectory() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lethe-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func tinyModel() throws -> GPT2Model {
        var rng = RandomGenerator(seed: 3)
        let c = GPT2Configuration(vocabularySize: 20, contextLength: 8, embeddingSize: 8, layerCount: 1, headCount: 2)
        return try GPT2Model(configuration: c, rng: &rng)
    }

    @Test func saveThenLoadGivesTheSameModel() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let model = try tinyModel()
        try model.save(huggingFaceDirectory: directory)
        let loaded = try GPT2Model.load(huggingFaceDirectory: directory)
        #expect(loaded.configuration == model.configuration)
        #expect(loaded.parameters.flat.floats == model.parameters.flat.floats)
        let file = try SafetensorsFile.read(path: directory + "/model.safetensors")
        #expect(file.metadata["format"] == "pt")
        #expect(file.tensors["transformer.h.0.attn.c_attn.weight"]?.shape == [8, 24])
    }

    @Test func mismatchedWeightsAreReportedTogether() throws {
        let model = try tinyModel()
        var state = Dictionary(uniqueKeysWithValues: model.huggingFaceState().map { ($0.name, $0.tensor) })
        state["transformer.h.0.ln_1.bias"] = nil
        state["transformer.h.0.attn.c_proj.weight"] = Tensor(zeros: [8, 9])
        state["transformer.h.7.mlp.c_fc.weight"] = Tensor(zeros: [1])
        state["transformer.h.0.attn.bias"] = Tensor(zeros: [1, 1, 8, 8])  // causal-mask buffer: ignored
        do {
            try model.loadState(state, source: "weights.safetensors")
            Issue.record("loading should fail")
        } catch {
            let text = "\(error)"
            #expect(text.contains("weights.safetensors"))
            #expect(text.contains("missing keys: h.0.ln_1.bias"))
            #expect(text.contains("unexpected keys: transformer.h.7.mlp.c_fc.weight"))
            #expect(text.contains("h.0.attn.c_proj.weight has [8, 9], the model needs [8, 8]"))
        }
    }

    @Test func corruptSafetensorsFilesGiveErrorsNotCrashes() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try tinyModel().save(huggingFaceDirectory: directory)
        let path = directory + "/model.safetensors"
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        let cases: [(String, Data)] = [
            ("empty", Data()),
            ("truncated data", good.prefix(good.count - 10)),
            ("truncated header", good.prefix(20)),
            ("huge header length", Data([255, 255, 255, 255, 0, 0, 0, 0]) + good.dropFirst(8)),
            ("garbage", Data((0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 37) })),
        ]
        for (name, bytes) in cases {
            try bytes.write(to: URL(fileURLWithPath: path))
            #expect(throws: SafetensorsError.self, "\(name)") { try GPT2Model.load(huggingFaceDirectory: directory) }
        }
        try FileManager.default.removeItem(atPath: path)
        #expect(throws: SafetensorsError.self) { try GPT2Model.load(huggingFaceDirectory: directory) }
    }

    @Test func badConfigurationNamesTheKey() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try #"{"n_embd": 30, "n_head": 4}"#.write(toFile: directory + "/config.json", atomically: true, encoding: .utf8)
        do {
            _ = try GPT2Model.load(huggingFaceDirectory: directory)
            Issue.record("loading should fail")
        } catch {
            #expect("\(error)".contains("config.json") && "\(error)".contains("n_embd"))
        }
    }
}

@Suite("Export for transformers")
struct ExportTests {
    /// Re-saves the fixture model; with LETHE_EXPORT_DIR set, leaves it there for
    /// scripts/reference/check_lethe_export.py to load with transformers.
    @Test func exportedModelIsReadableByTransformers() throws {
        let model = try GPT2Fixture().model()
        let target = ProcessInfo.processInfo.environment["LETHE_EXPORT_DIR"]
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString)").path
        defer { if ProcessInfo.processInfo.environment["LETHE_EXPORT_DIR"] == nil { try? FileManager.default.removeItem(atPath: target) } }
        try model.save(huggingFaceDirectory: target)
        let again = try GPT2Model.load(huggingFaceDirectory: target)
        #expect(again.parameters.flat.floats == model.parameters.flat.floats)
        #expect(FileManager.default.fileExists(atPath: target + "/config.json"))
    }
}
