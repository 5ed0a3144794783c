import Foundation
import LetheLayers
import LetheStorage
import LetheTensor
import Testing

@Suite("Model files: checksums and non-finite weights")
struct ModelIntegrityTests {
    private func tinyModel() throws -> GPT2Model {
        var rng = RandomGenerator(seed: 1)
        let c = GPT2Configuration(vocabularySize: 40, contextLength: 8, embeddingSize: 8, layerCount: 1, headCount: 2, endOfTextID: 0)
        return try GPT2Model(configuration: c, rng: &rng)
    }

    private func folder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("integrity-\(UUID().uuidString)").path
    }

    /// Issue 15, "silently wrong" 3: one flipped byte inside the weights is a load error
    /// (Fletcher-32 per chunk), not a different model.
    @Test func aFlippedByteInTheWeightsIsRefused() throws {
        let directory = folder()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let model = try tinyModel()
        // A recognisable run of values: the token embedding filled with 0.75 (0x3F400000).
        model.parameters["wte.weight"]?.fill(0.75)
        let path = directory + "/model.h5"
        try ModelFile.save(model, to: path)
        #expect(try ModelFile.load(path).parameters.flat.floats == model.parameters.flat.floats)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let pattern: [UInt8] = [0x00, 0x00, 0x40, 0x3F, 0x00, 0x00, 0x40, 0x3F, 0x00, 0x00, 0x40, 0x3F]
        let start = try #require((0..<(bytes.count - pattern.count)).first { Array(bytes[$0..<($0 + pattern.count)]) == pattern })
        bytes[start + 5] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect { try ModelFile.load(path) } throws: { error in
            return "\(error)".contains("wte.weight") && "\(error)".contains(path)
        }
    }

    /// Issue 15, "silently wrong" 2: a checkpoint or a model folder whose weights hold NaN is
    /// an error naming the tensor.
    @Test func nonFiniteWeightsAreRefusedOnLoad() throws {
        let directory = folder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let model = try tinyModel()
        model.parameters["h.0.mlp.c_fc.weight"]?.floatPointer[3] = .infinity
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try ModelFile.save(model, to: directory + "/model.h5")
        #expect { try ModelFile.load(directory + "/model.h5") } throws: { "\($0)".contains("h.0.mlp.c_fc.weight") && "\($0)".contains("non-finite") }
        try model.save(huggingFaceDirectory: directory + "/hf")
        #expect { try ModelFile.load(directory + "/hf") } throws: { "\($0)".contains("h.0.mlp.c_fc.weight") && "\($0)".contains("non-finite") }
    }
}
