import Foundation
import LetheText
import Testing

/// Lethe's ids equal Hugging Face `tokenizers`' ids for every case of `cases.json`, for each
/// way of loading the same tokenizer, and decoding gives the text back.
@Suite struct TokenizerGoldenTests {
    let cases: [TokenizerCase]

    init() throws { cases = try TokenizerFixtures.cases("cases.json") }

    private func checkAll(_ tokenizer: GPT2Tokenizer, _ source: String) {
        #expect(cases.count >= 340)
        var failures = 0
        for c in cases {
            let ids = tokenizer.encode(c.text)
            if ids != c.ids {
                failures += 1
                if failures <= 10 { Issue.record("\(source): \(c.text.debugDescription): \(ids) != \(c.ids)") }
            }
            #expect(tokenizer.decode(c.ids) == c.text, "\(source): decode \(c.text.debugDescription)")
        }
        #expect(failures == 0, "\(source): \(failures) of \(cases.count) cases differ")
    }

    @Test func tokenizerJSONMatchesHuggingFace() throws {
        checkAll(try GPT2Tokenizer(tokenizerJSON: TokenizerFixtures.path("tokenizer.json")), "tokenizer.json")
    }

    @Test func vocabAndMergesMatchHuggingFace() throws {
        let tokenizer = try GPT2Tokenizer(vocabularyFile: TokenizerFixtures.path("vocab.json"), mergesFile: TokenizerFixtures.path("merges.txt"))
        #expect(tokenizer.endOfTextID == 0)
        checkAll(tokenizer, "vocab.json + merges.txt")
    }

    /// Older `tokenizer.json` files spell each merge rule as one `"a b"` string.
    @Test func stringMergesMatchHuggingFace() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: TokenizerFixtures.path("tokenizer.json")))
        var root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var model = try #require(root["model"] as? [String: Any])
        let pairs = try #require(model["merges"] as? [[String]])
        model["merges"] = pairs.map { $0.joined(separator: " ") }
        root["model"] = model
        try TokenizerFixtures.withTemporaryFolder("string-merges") { folder in
            let path = folder + "/tokenizer.json"
            try JSONSerialization.data(withJSONObject: root).write(to: URL(fileURLWithPath: path))
            checkAll(try GPT2Tokenizer.load(from: path), "string merges")
        }
    }

    @Test func loadFindsEitherFormatInAFolder() throws {
        let fromFolder = try GPT2Tokenizer.load(from: TokenizerFixtures.folder.path)
        let fromVocab = try GPT2Tokenizer.load(from: TokenizerFixtures.path("vocab.json"))
        #expect(fromFolder.vocabularySize == 700)
        #expect(fromVocab.vocabularySize == 700)
        #expect(fromFolder.merges.count == fromVocab.merges.count)
        #expect(fromFolder.merges.elementsEqual(fromVocab.merges) { $0 == $1 })
    }

    /// The ids of a prefix can cut a character's UTF-8 bytes; decoding gives U+FFFD there, as
    /// Python's `tokenizer.decode` does.
    @Test func partialIDsDecodeLikeHuggingFace() throws {
        let tokenizer = try GPT2Tokenizer.load(from: TokenizerFixtures.path("tokenizer.json"))
        let withPrefix = cases.filter { $0.prefixIDs != nil }
        #expect(withPrefix.count >= 40)
        for c in withPrefix {
            #expect(tokenizer.decode(c.prefixIDs ?? []) == c.prefixDecoded, "\(c.text.debugDescription)")
        }
    }

    @Test func batchEncodingEqualsSingleCalls() throws {
        let tokenizer = try GPT2Tokenizer.load(from: TokenizerFixtures.path("tokenizer.json"))
        #expect(tokenizer.encode(batch: cases.map(\.text)) == cases.map(\.ids))
        let joined = cases.map(\.text).joined(separator: "\n")
        #expect(tokenizer.decode(tokenizer.encode(joined)) == joined)
    }
}
