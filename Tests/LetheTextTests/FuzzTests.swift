import Foundation
import LetheTensor
import LetheTestSupport
import LetheText
import Testing

/// Seeded mutation fuzzing of the text readers (issue 8): tokenizer files and data sets. Each
/// test prints a `fuzz-summary` line; `LETHE_FUZZ_ITERATIONS` raises the count.
@Suite("Fuzz: tokenizer files and data sets")
struct TextFuzzTests {
    static let iterations = Fuzz.iterations(default: 200)
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/tokenizer").path

    private func fixture(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/" + name)))
    }

    private func fuzz(_ target: String, _ valid: [UInt8], seed: UInt64, name: String, _ read: (String) throws -> Void) throws -> Fuzz.Tally {
        let path = Fuzz.temporaryPath(name)
        defer { Fuzz.removeTemporary(path) }
        return try Fuzz.run(target, valid: valid, seed: seed, iterations: Self.iterations, path: path, read)
    }

    @Test func tokenizerJSONLoaderNeverCrashes() throws {
        let tally = try fuzz("tokenizer.json", try fixture("tokenizer.json"), seed: 3, name: "tokenizer.json") { path in
            let tokenizer = try GPT2Tokenizer.load(from: path)
            _ = tokenizer.decode(tokenizer.encode("Hello world, naïve café! <|endoftext|> 123"))
        }
        #expect(tally.inputs == Self.iterations && tally.errors > 0)
    }

    @Test func vocabAndMergesLoadersNeverCrash() throws {
        let vocab = try fixture("vocab.json")
        let merges = try fixture("merges.txt")
        let mergesTally = try fuzz("merges.txt", merges, seed: 4, name: "merges.txt") { path in
            let vocabPath = (path as NSString).deletingLastPathComponent + "/vocab.json"
            try Data(vocab).write(to: URL(fileURLWithPath: vocabPath))
            _ = try GPT2Tokenizer(vocabularyFile: vocabPath, mergesFile: path).encode("Some text 42")
        }
        let vocabTally = try fuzz("vocab.json", vocab, seed: 7, name: "vocab.json") { path in
            let mergesPath = (path as NSString).deletingLastPathComponent + "/merges.txt"
            try Data(merges).write(to: URL(fileURLWithPath: mergesPath))
            _ = try GPT2Tokenizer.load(from: path).encode("Some text 42")
        }
        #expect(mergesTally.inputs == Self.iterations && vocabTally.inputs == Self.iterations && vocabTally.errors > 0)
    }

    @Test func datasetReadersNeverCrash() throws {
        let jsonl = Array("""
            {"prompt": "Hi", "completion": " there", "toxic": 0, "scores": {"insult": 0.1}}
            {"text": "Plain text, with \\"quotes\\" and ünïcode", "toxic": 1}
            """.utf8)
        let csv = Array("text,toxic,insult\n\"a, quoted\nfield\",1,0.9\nplain,0,0.0\n".utf8)
        let txt = Array("First line, naïve.\r\n\n  second line\nthird\n".utf8)
        let t1 = try fuzz("jsonl", jsonl, seed: 5, name: "data.jsonl") { _ = try DatasetLoader.load(path: $0) }
        let t2 = try fuzz("csv", csv, seed: 6, name: "data.csv") {
            _ = try DatasetLoader.load(path: $0, fields: DatasetFields(scoreFields: ["insult"]))
        }
        let t3 = try fuzz("txt", txt, seed: 8, name: "data.txt") {
            _ = try DatasetLoader.load(path: $0)
            _ = try DatasetLoader.load(path: $0, textUnit: .document)
        }
        #expect(t1.inputs == Self.iterations && t2.inputs == Self.iterations && t3.inputs == Self.iterations)
    }

    /// Deep nesting and extreme numbers in JSON inputs end in errors (or values), not in a
    /// stack overflow or a trap.
    @Test func hostileJSONNeverCrashes() throws {
        let path = Fuzz.temporaryPath("hostile.json")
        defer { Fuzz.removeTemporary(path) }
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let inputs = [
            "{\"model\": " + deep + "}", deep, "{\"a\": " + String(repeating: "{\"a\": ", count: 50_000),
            #"{"<|endoftext|>": 99999999999999999999999, "a": 0}"#, #"{"a": -1}"#, #"{"a": 16777216}"#, #"{"a": 1.5}"#,
            #"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [["a"]]}, "pre_tokenizer": {"type": "ByteLevel"}}"#,
        ]
        for input in inputs {
            try input.write(toFile: path, atomically: false, encoding: .utf8)
            #expect(throws: TokenizerError.self) { try GPT2Tokenizer(tokenizerJSON: path) }
            #expect(throws: TokenizerError.self) { try GPT2Tokenizer(vocabularyFile: path, mergesFile: path) }
        }
        let jsonl = Fuzz.temporaryPath("deep.jsonl")
        defer { Fuzz.removeTemporary(jsonl) }
        try ("{\"text\": " + deep + "}\n").write(toFile: jsonl, atomically: false, encoding: .utf8)
        #expect(throws: DatasetError.self) { try DatasetLoader.load(path: jsonl) }
    }
}
