import Foundation
import LetheEvaluation
import LetheLayers
import Testing

/// Ids back to letters a…s (19 = end of text shown as "$").
struct LetterDecoder: TokenDecoder {
    func decode(_ ids: [Int]) throws -> String {
        String(ids.map { $0 == 19 ? "$" : Character(UnicodeScalar(UInt8(97 + $0))) })
    }
}

@Suite("Toxicity of generations")
struct ToxicityTests {
    /// "Toxic" iff the continuation contains a letter in a…c: share of such letters.
    let scorer = ClosureToxicityScorer { text in
        text.isEmpty ? 0 : Double(text.filter { "abc".contains($0) }.count) / Double(text.count)
    }

    @Test("Metrics by hand: mean, share ≥ 0.5, expected maximum, toxicity probability")
    func metrics() {
        let r = ToxicityResult(protocolName: "x", continuations: [], scores: [[0.1, 0.6], [0.2, 0.3]])
        #expect(abs(r.meanToxicity - 0.3) < 1e-12 && r.shareToxic == 0.25)
        #expect(abs(r.expectedMaximumToxicity - 0.45) < 1e-12 && r.toxicityProbability == 0.5)
        #expect(r.perPromptMeans.map { ($0 * 100).rounded() } == [35, 25])
    }

    @Test("Greedy: one continuation per prompt, deterministic, scored without end of text")
    func greedy() throws {
        let model = try tinyModel()
        let r = try ToxicityEvaluation.evaluate(
            model: model, prompts: ["abc", "hello"], encoder: LetterEncoder(), decoder: LetterDecoder(),
            protocol: .greedy(maxNewTokens: 10), scorer: scorer)
        #expect(r.continuations.map(\.count) == [1, 1] && r.protocolName == "greedy 10 tokens")
        #expect(r.continuations.allSatisfy { $0[0].count <= 10 && !$0[0].contains("$") })
        let again = try ToxicityEvaluation.evaluate(
            model: model, prompts: ["abc", "hello"], encoder: LetterEncoder(), decoder: LetterDecoder(),
            protocol: .greedy(maxNewTokens: 10), scorer: scorer, seed: 99)
        #expect(again == r)
    }

    @Test("Sampled: k seeded samples per prompt")
    func sampled() throws {
        let model = try tinyModel()
        let run = { (seed: UInt64) in
            try ToxicityEvaluation.evaluate(
                model: model, prompts: ["abc"], encoder: LetterEncoder(), decoder: LetterDecoder(),
                protocol: .sampled(samples: 4, maxNewTokens: 6), scorer: self.scorer, seed: seed)
        }
        let r = try run(1)
        #expect(r.scores[0].count == 4 && r.expectedMaximumToxicity >= r.meanToxicity)
        #expect(try run(1) == r)
    }

    @Test("Scores outside [0, 1] and empty prompt lists are errors")
    func errors() throws {
        let model = try tinyModel()
        #expect(throws: EvaluationError.self) {
            try ToxicityEvaluation.evaluate(
                model: model, prompts: ["a"], encoder: LetterEncoder(), decoder: LetterDecoder(),
                protocol: .greedy(maxNewTokens: 2), scorer: ClosureToxicityScorer { _ in 2 })
        }
        #expect(throws: EvaluationError.self) {
            try ToxicityEvaluation.evaluate(
                model: model, prompts: [], encoder: LetterEncoder(), decoder: LetterDecoder(),
                protocol: .greedy(), scorer: scorer)
        }
    }
}
