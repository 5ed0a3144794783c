import Foundation
import LetheText
import Testing

/// Malformed tokenizer files throw a `TokenizerError` that names the file and the key or line.
@Suite struct TokenizerErrorTests {
    /// The fixture `tokenizer.json` with `edit` applied to its JSON object.
    private func editedTokenizerJSON(_ folder: String, _ edit: (inout [String: Any]) -> Void) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: TokenizerFixtures.path("tokenizer.json")))
        var root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        edit(&root)
        let path = folder + "/tokenizer.json"
        try JSONSerialization.data(withJSONObject: root).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func editModel(_ root: inout [String: Any], _ edit: (inout [String: Any]) -> Void) {
        var model = root["model"] as? [String: Any] ?? [:]
        edit(&model)
        root["model"] = model
    }

    @Test func missingAndUnreadableFiles() throws {
        let missing = "/nonexistent/lethe/tokenizer.json"
        #expect(throws: TokenizerError.cannotRead(path: missing, reason: "no such file or folder")) {
            try GPT2Tokenizer.load(from: missing)
        }
        try TokenizerFixtures.withTemporaryFolder("empty") { folder in
            let error = try #require(tokenizerError { _ = try GPT2Tokenizer.load(from: folder) })
            #expect(error == .cannotRead(path: folder + "/vocab.json", reason: "no such file"))
        }
    }

    @Test func notJSON() throws {
        try TokenizerFixtures.withTemporaryFolder("not-json") { folder in
            let path = folder + "/tokenizer.json"
            try Data("{\"model\": [".utf8).write(to: URL(fileURLWithPath: path))
            let error = try #require(tokenizerError { _ = try GPT2Tokenizer(tokenizerJSON: path) })
            guard case .malformedFile(path, _) = error else { Issue.record("\(error)"); return }
            try Data("[1, 2]".utf8).write(to: URL(fileURLWithPath: path))
            #expect(throws: TokenizerError.malformedFile(path: path, reason: "expected a JSON object at the top level")) {
                try GPT2Tokenizer(tokenizerJSON: path)
            }
        }
    }

    @Test func badKeysAreNamed() throws {
        let cases: [(String, (inout [String: Any]) -> Void)] = [
            ("model: missing", { $0["model"] = nil }),
            ("model.vocab: expected an object of token ids", { root in editModel(&root) { $0["vocab"] = [1, 2] } }),
            ("model.vocab[\"!\"]: expected a non-negative integer id", { root in
                editModel(&root) { model in
                    var vocab = model["vocab"] as? [String: Any] ?? [:]
                    vocab["!"] = "one"
                    model["vocab"] = vocab
                }
            }),
            ("model.merges[2]: expected \"left right\"", { root in
                editModel(&root) { model in
                    var merges = model["merges"] as? [Any] ?? []
                    merges[2] = "a b c"
                    model["merges"] = merges
                }
            }),
            ("model.merges[0]: token \"Ġzzz\" is not in the vocabulary", { root in
                editModel(&root) { model in
                    var merges = model["merges"] as? [Any] ?? []
                    merges[0] = ["Ġzzz", "t"]
                    model["merges"] = merges
                }
            }),
            ("added_tokens[0].id: missing", { root in
                root["added_tokens"] = [["content": "<|endoftext|>", "special": true]]
            }),
            ("normalizer: \"NFC\" is not supported", { $0["normalizer"] = ["type": "NFC"] }),
            ("pre_tokenizer.type: \"Whitespace\" is not supported", { $0["pre_tokenizer"] = ["type": "Whitespace"] }),
            ("model.type: \"WordPiece\" is not supported", { root in editModel(&root) { $0["type"] = "WordPiece" } }),
            ("model.dropout: 0.1 is not supported", { root in editModel(&root) { $0["dropout"] = 0.1 } }),
        ]
        try TokenizerFixtures.withTemporaryFolder("bad-keys") { folder in
            for (message, edit) in cases {
                let path = try editedTokenizerJSON(folder, edit)
                let error = try #require(tokenizerError { _ = try GPT2Tokenizer(tokenizerJSON: path) })
                #expect(error.description.hasPrefix(path + ": " + message), "\(error)")
            }
        }
    }

    @Test func badMergesLineIsNamed() throws {
        try TokenizerFixtures.withTemporaryFolder("bad-merges") { folder in
            let vocab = folder + "/vocab.json"
            let merges = folder + "/merges.txt"
            try Data(#"{"a": 0, "b": 1, "ab": 2}"#.utf8).write(to: URL(fileURLWithPath: vocab))
            try Data("#version: 0.2\na b\nab\n".utf8).write(to: URL(fileURLWithPath: merges))
            #expect(throws: TokenizerError.invalidLine(
                path: merges, line: 3, reason: "expected two tokens separated by one space, found \"ab\"")) {
                try GPT2Tokenizer(vocabularyFile: vocab, mergesFile: merges)
            }
            try Data("a b\r\n\r\n".utf8).write(to: URL(fileURLWithPath: merges))  // CRLF and blank lines are fine
            #expect(try GPT2Tokenizer(vocabularyFile: vocab, mergesFile: merges).encode("ab") == [2])
        }
    }

    @Test func clashingIDsAreNamed() {
        let error = tokenizerError { _ = try GPT2Tokenizer(vocabulary: ["a": 0, "b": 0], merges: []) }
        #expect(error?.description.contains("model.vocab: id 0 is used by") == true)
        let negative = tokenizerError {
            _ = try GPT2Tokenizer(vocabulary: ["a": 0], merges: [], addedTokens: [AddedToken(content: "<x>", id: -1)])
        }
        #expect(negative?.description.contains("added_tokens[0]") == true)
    }
}
