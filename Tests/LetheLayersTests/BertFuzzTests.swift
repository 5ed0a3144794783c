import Foundation
import LetheLayers
import LetheStorage
import LetheTestSupport
import Testing

/// Seeded mutation fuzzing of BERT folders: a damaged `config.json` or `model.safetensors`
/// ends in an error, never a crash or an unbounded allocation.
@Suite("Fuzz: BERT config.json and model.safetensors")
struct BertFuzzTests {
    static let iterations = Fuzz.iterations(default: 150)

    @Test(arguments: ["config.json", "model.safetensors"])
    func damagedFolderNeverCrashes(_ file: String) throws {
        let source = BertFixture.root + "/roberta_classifier_3/model"
        let valid = [UInt8](try Data(contentsOf: URL(fileURLWithPath: source + "/" + file)))
        let path = Fuzz.temporaryPath(file)
        defer { Fuzz.removeTemporary(path) }
        let folder = (path as NSString).deletingLastPathComponent
        for other in ["config.json", "model.safetensors"] where other != file {
            try FileManager.default.copyItem(atPath: source + "/" + other, toPath: folder + "/" + other)
        }
        let tally = try Fuzz.run(file, valid: valid, seed: 41, iterations: Self.iterations, path: path) { _ in
            _ = try BertModel.load(huggingFaceDirectory: folder)
        }
        #expect(tally.inputs == Self.iterations && tally.errors > 0)
    }
}
