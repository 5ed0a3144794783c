import Foundation
import LetheText
import Testing

/// The tokenizer fixtures written by `scripts/reference/make_tokenizer_fixture.py` and
/// `check_trained_tokenizer.py`, found from this file's path (no bundle resources).
enum TokenizerFixtures {
    /// The folder `Fixtures/tokenizer`.
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tokenizer")

    /// A fixture path, e.g. `TokenizerFixtures.path("tokenizer.json")`.
    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// The cases of a `[{"text", "ids", ...}]` fixture file.
    static func cases(_ name: String) throws -> [TokenizerCase] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path(name)))
        let list = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        return try list.map { entry in
            TokenizerCase(
                text: try #require(entry["text"] as? String), ids: try #require(entry["ids"] as? [Int]),
                prefixIDs: entry["prefix_ids"] as? [Int], prefixDecoded: entry["prefix_decoded"] as? String)
        }
    }

    /// Runs `body` with a unique temporary folder (tests run in parallel), removed afterwards.
    static func withTemporaryFolder<R>(_ label: String, _ body: (String) throws -> R) throws -> R {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("lethe-tokenizer-\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }
}

/// One golden case: a text and the ids Hugging Face `tokenizers` gives it; hand-picked cases
/// also carry the decode of the first half of the ids.
struct TokenizerCase {
    var text: String
    var ids: [Int]
    var prefixIDs: [Int]?
    var prefixDecoded: String?
}

/// The `TokenizerError` a call threw, or `nil` (recording an issue) when it threw nothing else.
func tokenizerError(_ body: () throws -> Void) -> TokenizerError? {
    do {
        try body()
        Issue.record("expected a TokenizerError")
    } catch let error as TokenizerError {
        return error
    } catch {
        Issue.record("expected a TokenizerError, got \(error)")
    }
    return nil
}
