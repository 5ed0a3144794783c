import Foundation
import Testing

@testable import LetheCorpus

/// Corpora shared by the corpus tests, generated once per test run at sizes a debug build
/// handles in about a second.
enum CorpusFixtures {
    /// Small sizes for every set.
    static func smallConfiguration(seed: UInt64) throws -> DefaultCorpus.Configuration {
        try DefaultCorpus.Configuration(
            seed: seed, people: 120, pretrainDocuments: 300, pretrainToxicRatio: 0.1, heldoutDocuments: 20,
            forgetItems: 60, nonmemberItems: 50, retainItems: 40, forgetRepeats: 3, finetuneDocuments: 25,
            evalPrompts: 15, classificationItems: 240, classificationTestFraction: 0.3, implicitFraction: 0.15,
            qaQuestions: 30)
    }

    /// The small corpus of seed 11 (`smallConfiguration` is tested separately, so the
    /// fallback to the defaults never runs in a passing suite).
    static let small: DefaultCorpus = DefaultCorpus.generate((try? smallConfiguration(seed: 11)) ?? .defaults)

    /// Pretraining text large enough for vocabulary statistics (a quarter of the default).
    static let medium: DefaultCorpus = DefaultCorpus.generate(
        (try? DefaultCorpus.Configuration(
            seed: 5, people: 600, pretrainDocuments: 1500, heldoutDocuments: 10, forgetItems: 10, nonmemberItems: 10,
            retainItems: 10, finetuneDocuments: 0, evalPrompts: 10, classificationItems: 10, qaQuestions: 10))
            ?? .defaults)
}

/// A fresh folder path under the temporary directory (not created).
func corpusTemporaryDirectory(_ label: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("lethe-corpus-\(label)-\(UUID().uuidString)").path
}

/// True if `phrase` occurs in `text` with no letter directly before or after it.
func containsWord(_ text: String, _ phrase: String) -> Bool {
    var searchRange = text.startIndex..<text.endIndex
    while let found = text.range(of: phrase, range: searchRange) {
        let before = found.lowerBound == text.startIndex ? nil : text[text.index(before: found.lowerBound)]
        let after = found.upperBound == text.endIndex ? nil : text[found.upperBound]
        if !(before?.isLetter ?? false), !(after?.isLetter ?? false) { return true }
        searchRange = found.upperBound..<text.endIndex
    }
    return false
}

/// The lines of a JSONL file as dictionaries.
func corpusJSONLines(_ path: String) throws -> [[String: Any]] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return try text.split(separator: "\n").map { line in
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }
}
