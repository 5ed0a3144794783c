import Foundation
import LetheTestSupport
import LetheText
import Testing

/// Seeded mutation fuzzing of the `tokenizer.json` pipeline reader: a mutated file loads with a
/// `TokenizerError` or encodes and decodes, never crashes, and ids stay in the vocabulary.
@Suite("Fuzz: tokenizer.json pipelines")
struct TokenizerJSONFuzzTests {
    static let iterations = Fuzz.iterations(default: 120)

    @Test(arguments: [("metaspace", UInt64(11)), ("normalized", 12), ("llama3", 13), ("exact", 14)])
    func pipelineLoaderNeverCrashes(kind: String, seed: UInt64) throws {
        let valid = [UInt8](try Data(contentsOf: URL(fileURLWithPath: TokenizerJSONGoldenTests.path(kind))))
        let path = Fuzz.temporaryPath("tokenizer-json-\(kind).json")
        defer { Fuzz.removeTemporary(path) }
        let tally = try Fuzz.run("tokenizer.json \(kind)", valid: valid, seed: seed, iterations: Self.iterations, path: path) { path in
            let tokenizer = try PipelineTokenizer(tokenizerJSON: path)
            let ids = tokenizer.encode("Hello  world, naïve café! 😀 日本語 123 <s> [MASK] Lethe\n\n")
            #expect(ids.allSatisfy { $0 >= 0 && $0 < tokenizer.vocabularySize })
            _ = tokenizer.decode(ids, skipSpecialTokens: true)
        }
        #expect(tally.inputs == Self.iterations && tally.errors > 0)
    }
}
