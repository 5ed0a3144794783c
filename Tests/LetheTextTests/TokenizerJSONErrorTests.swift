import Foundation
import LetheText
import Testing

/// A `tokenizer.json` asking for something the pipeline reader does not implement is refused
/// with an error naming the file and the JSON path; the settings it reads change the ids.
@Suite struct TokenizerJSONErrorTests {
    /// The `kind` fixture's `tokenizer.json` with `edit` applied, written to a temporary file.
    private func edited<R>(_ kind: String, _ edit: (inout [String: Any]) -> Void, _ body: (String) throws -> R) throws -> R {
        let data = try Data(contentsOf: URL(fileURLWithPath: TokenizerJSONGoldenTests.path(kind)))
        var root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        edit(&root)
        return try TokenizerFixtures.withTemporaryFolder("tokenizer-json-\(kind)") { folder in
            let path = folder + "/tokenizer.json"
            try JSONSerialization.data(withJSONObject: root).write(to: URL(fileURLWithPath: path))
            return try body(path)
        }
    }

    @Test func unknownComponentsAreNamedByTheirJSONPath() throws {
        let cases: [(String, String, (inout [String: Any]) -> Void)] = [
            ("llama3", "pre_tokenizer.pretokenizers[1].type: \"BertPreTokenizer\" is not supported", { root in
                root["pre_tokenizer"] = ["type": "Sequence", "pretokenizers": [["type": "Digits"], ["type": "BertPreTokenizer"]]]
            }),
            ("llama3", "pre_tokenizer.pretokenizers[0].pattern.Regex: \"\\d+\" is not supported", { root in
                root["pre_tokenizer"] = ["type": "Sequence", "pretokenizers": [["type": "Split", "pattern": ["Regex": "\\d+"], "behavior": "Isolated"]]]
            }),
            ("normalized", "normalizer.normalizers[1].type: \"Precompiled\" is not supported", { root in
                root["normalizer"] = ["type": "Sequence", "normalizers": [["type": "NFC"], ["type": "Precompiled"]]]
            }),
            ("metaspace", "decoder.decoders[0].type: \"CTC\" is not supported", { root in
                root["decoder"] = ["type": "Sequence", "decoders": [["type": "CTC"]]]
            }),
            ("template", "post_processor.type: \"RobertaPairs\" is not supported", { root in root["post_processor"] = ["type": "RobertaPairs"] }),
            ("gpt2", "model.type: \"Unigram\" is not supported", { root in
                var model = root["model"] as? [String: Any] ?? [:]
                model["type"] = "Unigram"
                root["model"] = model
            }),
            ("split", "pre_tokenizer.pretokenizers[1].behavior: \"Sideways\" is not supported", { root in
                root["pre_tokenizer"] = ["type": "Sequence", "pretokenizers": [["type": "WhitespaceSplit"], ["type": "Split", "pattern": ["String": "-"], "behavior": "Sideways"]]]
            }),
            ("gpt2", "pre_tokenizer.type: missing", { root in root["pre_tokenizer"] = ["add_prefix_space": true] }),
        ]
        for (kind, message, edit) in cases {
            try edited(kind, edit) { path in
                let error = try #require(tokenizerError { _ = try PipelineTokenizer(tokenizerJSON: path) })
                #expect("\(error)".hasPrefix("\(path): \(message)"), "\(error)")
            }
        }
    }

    /// `ignore_merges` is read: a whole word in the vocabulary is one id only with it.
    @Test func ignoreMergesIsRead() throws {
        let withFlag = try PipelineTokenizer.load(from: TokenizerJSONGoldenTests.path("llama3"))
        let word = try #require(withFlag.id(for: "Ġunlearning"))
        #expect(withFlag.encode(" unlearning", addingSpecialTokens: false) == [word])
        try edited("llama3", { root in
            var model = root["model"] as? [String: Any] ?? [:]
            model["ignore_merges"] = false
            root["model"] = model
        }) { path in
            let ids = try PipelineTokenizer(tokenizerJSON: path).encode(" unlearning", addingSpecialTokens: false)
            #expect(ids.count > 1 && !ids.contains(word))
        }
    }

    /// Special tokens are ordinary text when not allowed; `encode` adds the template's tokens.
    @Test func specialTokensAndTemplates() throws {
        let tokenizer = try PipelineTokenizer.load(from: TokenizerJSONGoldenTests.path("template"))
        let bos = try #require(tokenizer.id(for: "<bos>"))
        let eos = try #require(tokenizer.id(for: "<eos>"))
        #expect(tokenizer.specialTokenIDs == SpecialTokenIDs(beginOfSequence: bos, endOfSequence: eos))
        let plain = tokenizer.encode("hi<eos>", addingSpecialTokens: false, allowedSpecial: .none)
        #expect(!plain.contains(eos) && plain.count > 2)
        #expect(tokenizer.encode("hi") == [bos] + tokenizer.encode("hi", addingSpecialTokens: false) + [eos])
        #expect(tokenizer.vocabularySize == 551)
        #expect(tokenizer.token(for: bos) == "<bos>" && tokenizer.token(for: -1) == nil && tokenizer.token(for: 10_000) == nil)
    }
}

/// `loadTextTokenizer` picks the reader by the files present.
@Suite struct TextTokenizerLoadingTests {
    @Test func picksTheReader() throws {
        #expect(try loadTextTokenizer(from: TokenizerJSONGoldenTests.path("llama3", "")) is PipelineTokenizer)
        #expect(try loadTextTokenizer(from: TokenizerJSONGoldenTests.path("metaspace")) is PipelineTokenizer)
        #expect(try loadTextTokenizer(from: TokenizerFixtures.path("vocab.json")) is GPT2Tokenizer)
        #expect(throws: TokenizerError.cannotRead(path: "/nonexistent/lethe", reason: "no such file or folder")) {
            try loadTextTokenizer(from: "/nonexistent/lethe")
        }
    }
}
