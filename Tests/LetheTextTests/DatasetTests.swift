import Foundation
import LetheTensor
import LetheText
import Testing

/// A word-level stand-in for the tokenizer: one id per space-separated word (its length).
private struct WordEncoder: TokenEncoder {
    func encode(_ text: String) throws -> [Int] { text.components(separatedBy: " ").filter { !$0.isEmpty }.map(\.count) }
}

@Suite("Data sets: files, encoding with completion masks, batches, seeded sampling")
struct DatasetTests {
    private func write(_ content: String, _ ext: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("data-\(UUID().uuidString).\(ext)").path
        try content.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func jsonLinesWithLabelsAndScores() throws {
        let path = try write(
            """
            {"id": "a", "prompt": "Hi there", "completion": "you idiot", "toxic": 1, "scores": {"harassment": 0.9, "violence": 0.1}}

            {"prompt": "Hello", "completion": "good day", "toxic": false}
            {"text": "plain words", "toxic": 0.7}
            """, "jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let examples = try DatasetLoader.load(path: path)
        #expect(examples.count == 3)
        #expect(examples[0].id == "a" && examples[0].label == 1 && examples[0].scores["harassment"] == 0.9)
        #expect(examples[1].label == 0 && examples[1].line == 3)
        #expect(examples[2].text == "plain words" && examples[2].label == 1)
    }

    @Test func csvWithQuotesAndScoreColumns() throws {
        let path = try write("text,toxic,insult\r\n\"Hello, \"\"friend\"\"\",0,0.1\r\n\"two\nlines\",1,0.8\r\n", "csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let examples = try DatasetLoader.load(path: path, fields: DatasetFields(scoreFields: ["insult"]))
        #expect(examples.map(\.text) == ["Hello, \"friend\"", "two\nlines"])
        #expect(examples.map(\.label) == [0, 1] && examples[1].scores["insult"] == 0.8)
        #expect(examples.map(\.line) == [2, 3])
    }

    @Test func plainTextByLineOrDocument() throws {
        let path = try write("first line\n\n  \nsecond line\n", "txt")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try DatasetLoader.load(path: path).map(\.text) == ["first line", "second line"])
        #expect(try DatasetLoader.load(path: path, textUnit: .document).count == 1)
    }

    @Test func badRecordsNameFileAndLine() throws {
        let cases: [(String, String, String)] = [
            ("{\"prompt\": \"a\", \"completion\": \"b\"}\n{not json}\n", "jsonl", ":2:"),
            ("{\"question\": \"a\"}\n", "jsonl", "needs field text"),
            ("{\"text\": \"a\", \"toxic\": \"maybe\"}\n", "jsonl", "toxic is not a number"),
            ("text,toxic\nfine,0\nbroken\n", "csv", ":3:"),
            ("text\n\"open quote\n", "csv", "unterminated"),
        ]
        for (content, ext, fragment) in cases {
            let path = try write(content, ext)
            defer { try? FileManager.default.removeItem(atPath: path) }
            do {
                _ = try DatasetLoader.load(path: path)
                Issue.record("\(content) should fail")
            } catch {
                #expect("\(error)".contains(path) && "\(error)".contains(fragment), "\(error)")
            }
        }
        #expect(throws: DatasetError.self) { try DatasetLoader.load(path: "/nonexistent/data.jsonl") }
    }

    @Test func lossCountsOnlyCompletionTokens() throws {
        let pair = TextExample(prompt: "a bb ccc", completion: "dddd eeeee")
        let encoded = try pair.encoded(with: WordEncoder(), options: EncodingOptions(maxLength: 16, endOfTextID: 99))
        #expect(encoded.ids == [1, 2, 3, 4, 5, 99] && encoded.promptLength == 3)
        #expect(encoded.labels == [-100, -100, -100, 4, 5, 99])
        let text = try TextExample(text: "a bb").encoded(with: WordEncoder(), options: EncodingOptions())
        #expect(text.labels == [1, 2])
    }

    @Test func truncationPolicies() throws {
        let pair = TextExample(prompt: "a bb ccc dddd", completion: "eeeee ffffff", source: "f.jsonl", line: 7)
        let start = try pair.encoded(with: WordEncoder(), options: EncodingOptions(maxLength: 5, truncation: .keepStart))
        #expect(start.ids == [1, 2, 3, 4, 5] && start.promptLength == 4)
        let end = try pair.encoded(with: WordEncoder(), options: EncodingOptions(maxLength: 4, truncation: .dropPromptStart))
        #expect(end.ids == [3, 4, 5, 6] && end.labels == [-100, -100, 5, 6])
        #expect(throws: DatasetError.badRecord(path: "f.jsonl", line: 7, reason: "6 tokens exceed max_length 4")) {
            try pair.encoded(with: WordEncoder(), options: EncodingOptions(maxLength: 4, truncation: .error))
        }
    }

    @Test func batchesArePaddedRightWithMasks() throws {
        let examples = try [TextExample(prompt: "a", completion: "bb ccc"), TextExample(text: "dddd")].map {
            try $0.encoded(with: WordEncoder(), options: EncodingOptions())
        }
        let batch = try examples.padded(padID: 0)
        #expect(batch.tokens.ids == [1, 2, 3, 4, 0, 0])
        #expect(batch.tokens.attentionMask == [1, 1, 1, 1, 0, 0])
        #expect(batch.labels == [-100, 2, 3, 4, -100, -100])
        #expect(try examples.batches(of: 1).count == 2)
    }

    @Test func seededShuffleSplitBalanceAndPairs() throws {
        var a = RandomGenerator(seed: 3)
        var b = RandomGenerator(seed: 3)
        let items = Array(0..<100)
        let shuffled = Sampling.shuffled(items, rng: &a)
        #expect(shuffled == Sampling.shuffled(items, rng: &b))
        #expect(shuffled != items && shuffled.sorted() == items)
        let parts = try Sampling.split(items, ratios: [7, 3], rng: &a)
        #expect(parts.map(\.count) == [70, 30] && Set(parts[0]).isDisjoint(with: parts[1]))
        let labelled = (0..<30).map { TextExample(text: "\($0)", label: $0 < 25 ? 0 : 1) }
        let balanced = try Sampling.balanced(labelled, rng: &a)
        #expect(balanced.filter { $0.label == 0 }.count == 5 && balanced.filter { $0.label == 1 }.count == 5)
        let pairs = try Sampling.pairs(forget: [1, 2, 3], retain: ["x", "y"], rng: &a)
        #expect(pairs.count == 3 && pairs.allSatisfy { ["x", "y"].contains($0.retain) })
        #expect(throws: DatasetError.self) { try Sampling.split(items, ratios: [-1, 2], rng: &a) }
    }
}
