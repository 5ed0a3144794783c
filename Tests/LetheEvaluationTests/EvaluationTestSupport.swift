import Foundation
import LetheEvaluation
import LetheLayers
import LetheTensor
import LetheText

/// Reads a committed fixture from `Tests/LetheEvaluationTests/Fixtures/`.
func fixtureData(_ name: String) throws -> Data {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
    return try Data(contentsOf: url)
}

/// A tiny GPT-2 (V = 20, L = 32) with dropout off; end of text is token 19.
func tinyModel(seed: UInt64 = 1, contextLength: Int = 32) throws -> GPT2Model {
    var rng = RandomGenerator(seed: seed)
    return try GPT2Model(
        configuration: GPT2Configuration(
            vocabularySize: 20, contextLength: contextLength, embeddingSize: 8, layerCount: 1, headCount: 2,
            residualDropout: 0, embeddingDropout: 0, attentionDropout: 0, endOfTextID: 19),
        rng: &rng)
}

/// Letters a…s map to ids 0…18, anything else to 18: a tokenizer double for the tiny model.
struct LetterEncoder: TokenEncoder {
    func encode(_ text: String) throws -> [Int] {
        text.unicodeScalars.map { s in
            let v = Int(s.value) - 97
            return (0..<19).contains(v) ? v : 18
        }
    }
}

/// log p(x_t | x_<t) straight from the logits of one unpadded forward pass over x_0…x_n−2,
/// t = 1…n−1.
func directLogProbabilities(_ model: GPT2Model, _ ids: [Int]) throws -> [Double] {
    let V = model.configuration.vocabularySize
    let logits = try model.logits(TokenBatch(sequence: Array(ids.dropLast()))).doubles
    return (1..<ids.count).map { t in
        let row = Array(logits[((t - 1) * V)..<(t * V)])
        let m = row.max() ?? 0
        return row[ids[t]] - (m + log(row.map { exp($0 - m) }.reduce(0, +)))
    }
}

/// A random token sequence (ids 0…18).
func randomTokens(_ count: Int, seed: UInt64) -> [Int] {
    var rng = RandomGenerator(seed: seed)
    return (0..<count).map { _ in Int(rng.next() % 19) }
}

/// The committed byte-level BPE tokenizer of the text tests (700 tokens, end of text = 0).
func fixtureTokenizer() throws -> GPT2Tokenizer {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../LetheTextTests/Fixtures/tokenizer/tokenizer.json").standardized.path
    return try GPT2Tokenizer.load(from: path)
}

/// A tiny GPT-2 over the fixture tokenizer's vocabulary (V = 700), dropout off.
func tinyTokenizerModel(seed: UInt64 = 1, contextLength: Int = 32) throws -> GPT2Model {
    var rng = RandomGenerator(seed: seed)
    return try GPT2Model(
        configuration: GPT2Configuration(
            vocabularySize: 700, contextLength: contextLength, embeddingSize: 8, layerCount: 1, headCount: 2,
            residualDropout: 0, embeddingDropout: 0, attentionDropout: 0, endOfTextID: 0),
        rng: &rng)
}

/// Small member / non-member / document / prompt / labelled sets for the suites.
func suiteDatasets() -> [String: [TextExample]] {
    let names = ["Ana", "Bo", "Cy", "Dee", "Eli", "Fay", "Gus", "Hal"]
    return [
        "forget": names.map { TextExample(prompt: "Where does \($0) live?", completion: " \($0) lives by the old mill.") },
        "nonmember": names.map { TextExample(prompt: "What does \($0) eat?", completion: " \($0) eats bread at noon.") },
        "heldout": [
            TextExample(text: "The river runs past the mill. Ana walks there every morning and counts the boats."),
            TextExample(text: "Bo and Cy trade bread for fish at the market."),
        ],
        "eval_prompts": names.prefix(3).map { TextExample(prompt: "\($0) said that") },
        "classification_test": names.enumerated().map { TextExample(text: "\($1) is kind.", label: $0 % 2) },
    ]
}
