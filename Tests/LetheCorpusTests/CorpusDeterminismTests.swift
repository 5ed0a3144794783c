import Foundation
import LetheTensor
import LetheText
import Testing

@testable import LetheCorpus

@Suite("Default corpus: determinism and files")
struct CorpusDeterminismTests {
    @Test func sameSeedGivesByteIdenticalFilesAndDifferentSeedDiffers() throws {
        let (a, b, c) = (corpusTemporaryDirectory("a"), corpusTemporaryDirectory("b"), corpusTemporaryDirectory("c"))
        defer { for d in [a, b, c] { try? FileManager.default.removeItem(atPath: d) } }
        try DefaultCorpus.generate(try CorpusFixtures.smallConfiguration(seed: 3)).write(to: a)
        try DefaultCorpus.generate(try CorpusFixtures.smallConfiguration(seed: 3)).write(to: b)
        try DefaultCorpus.generate(try CorpusFixtures.smallConfiguration(seed: 4)).write(to: c)
        for name in DefaultCorpus.fileNames + ["manifest.json"] {
            let x = try Data(contentsOf: URL(fileURLWithPath: a + "/" + name))
            let y = try Data(contentsOf: URL(fileURLWithPath: b + "/" + name))
            let z = try Data(contentsOf: URL(fileURLWithPath: c + "/" + name))
            #expect(x == y, "\(name) differs between two runs with the same seed")
            #expect(x != z, "\(name) is the same for seeds 3 and 4")
        }
    }

    @Test func manifestListsEveryFileWithItsChecksumAndCounts() throws {
        let directory = corpusTemporaryDirectory("manifest")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let corpus = CorpusFixtures.small
        let written = try corpus.write(to: directory)
        let manifest = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/manifest.json")))
                as? [String: Any])
        #expect(manifest["seed"] as? Int == 11)
        #expect(manifest["generator_version"] as? Int == DefaultCorpus.generatorVersion)
        #expect(manifest["categories"] as? [String] == ModerationCategory.allCases.map(\.rawValue))
        let files = try #require(manifest["files"] as? [[String: Any]])
        #expect(files.map { $0["name"] as? String } == DefaultCorpus.fileNames)
        for (entry, file) in zip(files, written) {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/" + file.name)))
            #expect(entry["sha256"] as? String == SHA256.hex(bytes))
            #expect(entry["bytes"] as? Int == bytes.count)
            #expect(entry["lines"] as? Int == bytes.filter { $0 == UInt8(ascii: "\n") }.count)
        }
    }

    @Test func filesHaveTheDocumentedKeys() throws {
        let directory = corpusTemporaryDirectory("keys")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try CorpusFixtures.small.write(to: directory)
        let dialogue: Set = ["id", "prompt", "completion", "toxic", "kind", "scores", "unique_detail"]
        let expected: [String: Set<String>] = [
            "pretrain.jsonl": ["text", "kind", "toxic"], "heldout.jsonl": ["text", "kind"],
            "finetune.jsonl": ["prompt", "completion", "toxic", "source"], "forget.jsonl": dialogue,
            "nonmember.jsonl": dialogue, "retain.jsonl": dialogue, "eval_prompts.jsonl": ["id", "prompt"],
            "classification_train.jsonl": ["text", "toxic", "kind", "scores"],
            "classification_test.jsonl": ["text", "toxic", "kind", "scores"],
            "qa_retain.jsonl": ["question", "answer", "entity", "attribute"],
            "qa_forget.jsonl": ["question", "answer", "entity", "attribute"],
        ]
        for (name, keys) in expected {
            let lines = try corpusJSONLines(directory + "/" + name)
            #expect(!lines.isEmpty, "\(name) is empty")
            for line in lines { #expect(Set(line.keys) == keys, "\(name): keys \(line.keys.sorted())") }
            if let scores = lines.first?["scores"] as? [String: Double] {
                #expect(Set(scores.keys) == Set(ModerationCategory.allCases.map(\.rawValue)))
            }
        }
    }

    @Test func filesLoadWithTheDatasetLoader() throws {
        let directory = corpusTemporaryDirectory("loader")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let corpus = CorpusFixtures.small
        try corpus.write(to: directory)
        let forget = try DatasetLoader.load(path: directory + "/forget.jsonl")
        #expect(forget.count == corpus.forget.count)
        #expect(forget.first?.completion == corpus.forget.first?.completion)
        #expect(forget.allSatisfy { $0.label == 1 && $0.scores.count == ModerationCategory.allCases.count })
        let classification = try DatasetLoader.load(path: directory + "/classification_test.jsonl")
        #expect(classification.map(\.label) == corpus.classificationTest.map { $0.toxic ? 1 : 0 })
        let pretrain = try DatasetLoader.load(path: directory + "/pretrain.jsonl")
        #expect(pretrain.map(\.text) == corpus.pretraining.map(\.text))
        let qa = try DatasetLoader.load(
            path: directory + "/qa_retain.jsonl", fields: DatasetFields(prompt: "question", completion: "answer"))
        #expect(qa.map(\.completion) == corpus.qaRetain.map(\.answer))
    }

    @Test func jsonEscapesAndFormatsNumbersFixed() {
        let value = DefaultCorpus.JSON.object([
            ("text", .string("a \"quote\"\\\n\t\u{1}")), ("x", .fixed(0.5, decimals: 4)), ("y", .fixed(-0.00004, decimals: 4)),
            ("z", .fixed(12.34567, decimals: 2)),
        ])
        #expect(value.compact == #"{"text":"a \"quote\"\\\n\t\u0001","x":0.5000,"y":0.0000,"z":12.35}"#)
    }

    @Test func writingIntoAnUnwritablePathThrowsAnErrorNamingIt() throws {
        let file = corpusTemporaryDirectory("blocker")
        try Data("not a directory".utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let target = file + "/corpus"
        do {
            try CorpusFixtures.small.write(to: target)
            Issue.record("writing under a regular file succeeded")
        } catch let error as CorpusError {
            guard case .cannotWrite(let path, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(path == target)
            #expect(error.description.contains(target))
        }
        #expect(throws: CorpusError.self) { try CorpusFixtures.small.write(to: file) }
    }
}
