import Foundation
import LetheText
import Testing

/// `PipelineTokenizer` gives the ids and decodes of Hugging Face `tokenizers` for each kind of
/// `tokenizer.json` written by `scripts/reference/make_tokenizer_json_fixture.py`.
@Suite struct TokenizerJSONGoldenTests {
    /// The folder `Fixtures/tokenizer_json/<kind>`.
    static func path(_ kind: String, _ file: String = "tokenizer.json") -> String {
        TokenizerFixtures.folder.deletingLastPathComponent().appendingPathComponent("tokenizer_json/\(kind)/\(file)").path
    }

    struct Case {
        var text: String
        var ids: [Int]
        var plainIDs: [Int]
        var decoded: String
        var decodedSkippingSpecial: String
    }

    static func cases(_ kind: String) throws -> [Case] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path(kind, "cases.json")))
        let list = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        return try list.map { entry in
            Case(
                text: try #require(entry["text"] as? String), ids: try #require(entry["ids"] as? [Int]),
                plainIDs: try #require(entry["plain_ids"] as? [Int]), decoded: try #require(entry["decoded"] as? String),
                decodedSkippingSpecial: try #require(entry["decoded_skip"] as? String))
        }
    }

    /// Every case of `kind`: ids with and without special tokens, and both decodes.
    static func check(_ kind: String, _ tokenizer: some TextTokenizer) throws {
        let cases = try cases(kind)
        #expect(cases.count >= 230)
        var failures = 0
        for c in cases {
            let ids = tokenizer.encode(c.text)
            let plain = tokenizer.encode(c.text, addingSpecialTokens: false)
            let decoded = tokenizer.decode(c.ids, skipSpecialTokens: false)
            let skipped = tokenizer.decode(c.ids, skipSpecialTokens: true)
            if ids != c.ids || plain != c.plainIDs || decoded != c.decoded || skipped != c.decodedSkippingSpecial {
                failures += 1
                if failures <= 8 {
                    Issue.record(
                        "\(kind): \(c.text.debugDescription): ids \(ids) vs \(c.ids), plain \(plain == c.plainIDs), decoded \(decoded.debugDescription) vs \(c.decoded.debugDescription), skipped \(skipped.debugDescription) vs \(c.decodedSkippingSpecial.debugDescription)")
                }
            }
        }
        #expect(failures == 0, "\(kind): \(failures) of \(cases.count) cases differ")
    }

    @Test(arguments: ["gpt2", "llama3", "qwen2", "metaspace", "normalized", "template", "split", "exact", "llama2legacy", "smollm", "suffix"])
    func matchesHuggingFace(kind: String) throws {
        try Self.check(kind, try PipelineTokenizer.load(from: Self.path(kind)))
    }

    /// The GPT-2 kind read by both readers gives the same ids.
    @Test func gpt2ReadersAgree() throws {
        try Self.check("gpt2", try GPT2Tokenizer.load(from: Self.path("gpt2")))
    }
}

/// The pipeline reader on the GPT-2 fixture of `TokenizerGoldenTests` (380 cases, with the
/// decodes of cut prefixes).
@Suite struct PipelineTokenizerGPT2FixtureTests {
    @Test func matchesHuggingFace() throws {
        let tokenizer = try PipelineTokenizer.load(from: TokenizerFixtures.path("tokenizer.json"))
        let cases = try TokenizerFixtures.cases("cases.json")
        #expect(cases.count >= 340)
        var failures = 0
        for c in cases {
            if tokenizer.encode(c.text) != c.ids { failures += 1 }
            #expect(tokenizer.decode(c.ids) == c.text)
            if let prefix = c.prefixIDs { #expect(tokenizer.decode(prefix) == c.prefixDecoded) }
        }
        #expect(failures == 0)
        #expect(tokenizer.encode(batch: cases.map(\.text)) == cases.map(\.ids))
    }
}
