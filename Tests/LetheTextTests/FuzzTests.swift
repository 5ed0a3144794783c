import Foundation
import LetheTensor
import LetheTestSupport
import LetheText
import Testing

/// Seeded mutation fuzzing of the text readers: tokenizer files and data sets.
@Suite("Fuzz: tokenizer files and data sets")
struct TextFuzzTests {
    static let iterations = Int(ProcessInfo.processInfo.environment["LETHE_FUZZ_ITERATIONS"] ?? "") ?? 200
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/tokenizer").path

    private func temporary(_ name: String) -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder + "/" + name
    }

    private func fuzz(_ valid: [UInt8], seed: UInt64, path: String, _ read: (String) throws -> Void) throws -> (Int, Int) {
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        var mutator = Mutator(seed: seed)
        var (values, errors) = (0, 0)
        for _ in 0..<Self.iterations {
            try Data(mutator.mutate(valid)).write(to: URL(fileURLWithPath: path))
            do {
                try read(path)
                values += 1
            } catch {
                errors += 1
            }
        }
        return (values, errors)
    }

    @Test func tokenizerJSONLoaderNeverCrashes() throws {
        let valid = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/tokenizer.json")))
        let (values, errors) = try fuzz(valid, seed: 3, path: temporary("tokenizer.json")) { path in
            let tokenizer = try GPT2Tokenizer.load(from: path)
            _ = tokenizer.decode(tokenizer.encode("Hello world, naïve café! <|endoftext|> 123"))
        }
        #expect(values + errors == Self.iterations && errors > 0)
    }

    @Test func vocabAndMergesLoadersNeverCrash() throws {
        let vocab = try String(contentsOfFile: Self.fixtures + "/vocab.json", encoding: .utf8)
        let merges = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/merges.txt")))
        let folder = temporary("vocab.json")
        try vocab.write(toFile: folder, atomically: true, encoding: .utf8)
        let mergesPath = (folder as NSString).deletingLastPathComponent + "/merges.txt"
        let (values, errors) = try fuzz(merges, seed: 4, path: mergesPath) { path in
            _ = try GPT2Tokenizer(vocabularyFile: folder, mergesFile: path).encode("Some text 42")
        }
        #expect(values + errors == Self.iterations)
    }

    @Test func datasetReadersNeverCrash() throws {
        let jsonl = Array("""
            {"prompt": "Hi", "completion": " there", "toxic": 0, "scores": {"insult": 0.1}}
            {"text": "Plain text, with \\"quotes\\" and ünïcode", "toxic": 1}
            """.utf8)
        let csv = Array("text,toxic,insult\n\"a, quoted\nfield\",1,0.9\nplain,0,0.0\n".utf8)
        let (v1, e1) = try fuzz(jsonl, seed: 5, path: temporary("data.jsonl")) { _ = try DatasetLoader.load(path: $0) }
        let (v2, e2) = try fuzz(csv, seed: 6, path: temporary("data.csv")) {
            _ = try DatasetLoader.load(path: $0, fields: DatasetFields(scoreFields: ["insult"]))
        }
        #expect(v1 + e1 == Self.iterations && v2 + e2 == Self.iterations)
    }
}
