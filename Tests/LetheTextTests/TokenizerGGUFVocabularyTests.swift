import Foundation
import LetheText
import Testing

/// A GGUF-embedded `gpt2` vocabulary (tokens, merges, token types, special ids, as plain
/// arrays) encodes like the `tokenizer.json` it was taken from.
@Suite struct TokenizerGGUFVocabularyTests {
    /// The vocabulary of a fixture `tokenizer.json`, spelled as a GGUF file holds it.
    static func vocabulary(_ kind: String, pre: String?, addsBOS: Bool = false) throws -> GGUFVocabulary {
        let data = try Data(contentsOf: URL(fileURLWithPath: TokenizerJSONGoldenTests.path(kind)))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let model = try #require(root["model"] as? [String: Any])
        let vocab = try #require(model["vocab"] as? [String: Int])
        let merges = try #require(model["merges"] as? [[String]])
        let added = try #require(root["added_tokens"] as? [[String: Any]])
        var tokens = [String](repeating: "", count: (vocab.values.max() ?? 0) + 1)
        for (token, id) in vocab { tokens[id] = token }
        var types = [Int](repeating: 1, count: tokens.count)
        for token in added {
            let id = try #require(token["id"] as? Int)
            types[id] = (token["special"] as? Bool ?? false) ? GGUFVocabulary.controlType : GGUFVocabulary.userDefinedType
        }
        for id in tokens.indices where tokens[id].isEmpty { types[id] = 5 }
        return GGUFVocabulary(
            model: "gpt2", preTokenizer: pre, tokens: tokens, merges: merges.map { $0.joined(separator: " ") }, tokenTypes: types,
            beginOfSequenceID: addsBOS ? 0 : nil, endOfSequenceID: 1, addsBeginOfSequence: addsBOS)
    }

    @Test func gpt2VocabularyMatchesHuggingFace() throws {
        let tokenizer = try PipelineTokenizer(gguf: try Self.vocabulary("gpt2", pre: "gpt2"), path: "model.gguf")
        for c in try TokenizerJSONGoldenTests.cases("gpt2") {
            #expect(tokenizer.encode(c.text) == c.ids, "\(c.text.debugDescription)")
            #expect(tokenizer.decode(c.ids, skipSpecialTokens: false) == c.decoded)
        }
    }

    /// SmolLM2's `tokenizer.ggml.pre == "smollm"` as llama.cpp reads it: digits one by one, then
    /// GPT-2's pattern, as the model's own `tokenizer.json`.
    @Test func smollmVocabularyMatchesHuggingFace() throws {
        let tokenizer = try PipelineTokenizer(gguf: try Self.vocabulary("smollm", pre: "smollm"), convention: .llamaCpp)
        for c in try TokenizerJSONGoldenTests.cases("smollm") {
            #expect(tokenizer.encode(c.text) == c.ids, "\(c.text.debugDescription)")
            #expect(tokenizer.decode(c.ids, skipSpecialTokens: true) == c.decodedSkippingSpecial)
        }
    }

    /// transformers reads `smollm` as GPT-2's pattern alone, numbers whole (here on the GPT-2
    /// fixture's vocabulary, which has tokens of several digits); llama.cpp splits the digits.
    @Test func smollmAsTransformersReadsIt() throws {
        let vocabulary = try Self.vocabulary("gpt2", pre: "smollm")
        let transformers = try PipelineTokenizer(gguf: vocabulary)
        let llamaCpp = try PipelineTokenizer(gguf: vocabulary, convention: .llamaCpp)
        for c in try TokenizerJSONGoldenTests.cases("gpt2") {
            #expect(transformers.encode(c.text) == c.ids, "\(c.text.debugDescription)")
        }
        let year = transformers.encode(" 2024")
        #expect(year.count < llamaCpp.encode(" 2024").count)
        #expect(llamaCpp.encode(" 2024").count == 5)
    }

    /// Llama 3's vocabulary with `add_bos_token`: the BOS comes first, as the template puts it.
    /// (The fixture's whole-word entries need `ignore_merges`, which GGUF does not carry, so those
    /// cases are left out.)
    @Test func llama3VocabularyMatchesHuggingFace() throws {
        let tokenizer = try PipelineTokenizer(gguf: try Self.vocabulary("llama3", pre: "llama-bpe", addsBOS: true))
        #expect(tokenizer.specialTokenIDs.beginOfSequence == 0)
        let cases = try TokenizerJSONGoldenTests.cases("llama3").filter { !$0.text.contains("unlearning") && !$0.text.contains("Tokenizer") }
        #expect(cases.count > 200)
        for c in cases { #expect(tokenizer.encode(c.text) == c.ids, "\(c.text.debugDescription)") }
    }

    /// Qwen2's split pattern; its `tokenizer.json` also applies NFC, which a GGUF vocabulary
    /// does not, so texts that NFC changes are left out.
    @Test func qwen2VocabularyMatchesHuggingFace() throws {
        let tokenizer = try PipelineTokenizer(gguf: try Self.vocabulary("qwen2", pre: "qwen2"))
        let cases = try TokenizerJSONGoldenTests.cases("qwen2").filter { $0.text.precomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual($0.text.unicodeScalars) }
        #expect(cases.count > 200)
        for c in cases { #expect(tokenizer.encode(c.text) == c.ids, "\(c.text.debugDescription)") }
    }

    /// transformers' own GGUF tokenizer conversion (`convert_gguf_tokenizer`) on the same arrays
    /// gives the same ids (`Fixtures/tokenizer_json/gguf/`).
    @Test(arguments: [("gpt2", "smollm"), ("smollm", "smollm"), ("llama3", "llama-bpe"), ("qwen2", "qwen2"), ("gpt2", "gpt2")])
    func matchesTransformersConversion(kind: String, pre: String) throws {
        let tokenizer = try PipelineTokenizer(gguf: try Self.vocabulary(kind, pre: pre))
        let data = try Data(contentsOf: URL(fileURLWithPath: TokenizerJSONGoldenTests.path("gguf", "\(kind)-\(pre).json")))
        let cases = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(cases.count > 200)
        var failures = 0
        for entry in cases {
            let text = try #require(entry["text"] as? String)
            let ids = tokenizer.encode(text, addingSpecialTokens: false)
            if ids != entry["ids"] as? [Int] {
                failures += 1
                if failures <= 5 { Issue.record("\(kind)-\(pre): \(text.debugDescription): \(ids)") }
            }
        }
        #expect(failures == 0)
    }

    @Test func unsupportedKindsAndBadValuesAreNamed() throws {
        var vocabulary = try Self.vocabulary("gpt2", pre: nil)
        vocabulary.model = "llama"
        #expect(throws: TokenizerError.unsupported(path: "m.gguf", key: "tokenizer.ggml.model", value: "\"llama\"")) {
            try PipelineTokenizer(gguf: vocabulary, path: "m.gguf")
        }
        vocabulary.model = "gpt2"
        vocabulary.preTokenizer = "deepseek-coder"
        #expect(throws: TokenizerError.unsupported(path: "m.gguf", key: "tokenizer.ggml.pre", value: "\"deepseek-coder\"")) {
            try PipelineTokenizer(gguf: vocabulary, convention: .llamaCpp, path: "m.gguf")
        }
        _ = try PipelineTokenizer(gguf: vocabulary, path: "m.gguf")  // transformers: GPT-2's pattern
        vocabulary.preTokenizer = "tekken"
        #expect(throws: TokenizerError.unsupported(path: "m.gguf", key: "tokenizer.ggml.pre", value: "\"tekken\"")) {
            try PipelineTokenizer(gguf: vocabulary, path: "m.gguf")
        }
        vocabulary.preTokenizer = nil
        vocabulary.endOfSequenceID = 1_000_000
        let error = try #require(tokenizerError { _ = try PipelineTokenizer(gguf: vocabulary, path: "m.gguf") })
        #expect("\(error)".hasPrefix("m.gguf: tokenizer.ggml.eos_token_id: id 1000000 is outside"))
        vocabulary.endOfSequenceID = nil
        vocabulary.merges[3] = "onlyone"
        #expect(throws: TokenizerError.invalidKey(path: "m.gguf", key: "tokenizer.ggml.merges[3]", reason: "expected \"left right\", found \"onlyone\"")) {
            try PipelineTokenizer(gguf: vocabulary, path: "m.gguf")
        }
        vocabulary.merges[3] = "Ġ zzzz"
        let missing = try #require(tokenizerError { _ = try PipelineTokenizer(gguf: vocabulary, path: "m.gguf") })
        #expect("\(missing)".hasPrefix("m.gguf: tokenizer.ggml.merges[3]: token"))
    }
}
