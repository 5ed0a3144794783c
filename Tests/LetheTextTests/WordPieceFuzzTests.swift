import Foundation
import LetheTestSupport
import LetheText
import Testing

/// Seeded mutation fuzzing of the WordPiece tokenizer: damaged `vocab.txt` files and damaged
/// input text never crash, and every id it returns is in the vocabulary.
@Suite("Fuzz: WordPiece vocab.txt and input text")
struct WordPieceFuzzTests {
    static let iterations = Fuzz.iterations(default: 200)
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/wordpiece/uncased").path

    @Test func damagedVocabularyNeverCrashes() throws {
        let valid = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.folder + "/vocab.txt")))
        let path = Fuzz.temporaryPath("vocab.txt")
        defer { Fuzz.removeTemporary(path) }
        let tally = try Fuzz.run("vocab.txt", valid: valid, seed: 31, iterations: Self.iterations, path: path) { path in
            let tokenizer = try WordPieceTokenizer.load(directory: (path as NSString).deletingLastPathComponent)
            let ids = tokenizer.encode("Hello, naïve 中国 [MASK] world!", pair: "ok").ids
            #expect(ids.allSatisfy { (0..<tokenizer.vocabularySize).contains($0) })
        }
        #expect(tally.inputs == Self.iterations && tally.values > 0)
    }

    @Test func damagedTextEncodesWithinTheVocabulary() throws {
        let tokenizer = try WordPieceTokenizer.load(directory: Self.folder)
        let valid = Array("[CLS] Ünïcödé\u{0}\u{FFFD} 中国人 jumped... \t[MASK]e\u{301} 🙂 İ ΣΑΣ".utf8)
        var mutator = Mutator(seed: 37)
        for _ in 0..<Self.iterations {
            let text = String(decoding: mutator.mutate(valid), as: UTF8.self)
            let encoding = tokenizer.encode(text, pair: text, maxLength: 24)
            #expect(encoding.ids.count <= 24 && encoding.ids.count == encoding.tokenTypes.count)
            #expect(encoding.ids.allSatisfy { (0..<tokenizer.vocabularySize).contains($0) })
            _ = tokenizer.decode(encoding.ids)
        }
    }
}
