import Foundation
import LetheEvaluation
import LetheLayers
import LetheText
import Testing

@Suite("Membership-inference attacks")
struct MembershipInferenceTests {
    @Test("Token statistics equal a direct log-softmax of the logits, batched or not")
    func tokenStatisticsMatchLogits() throws {
        let model = try tinyModel()
        let a = randomTokens(12, seed: 3)
        let b = randomTokens(7, seed: 4)
        let sequences = try [
            ScoredSequence(ids: a, scored: [Bool](repeating: true, count: 12), text: ""),
            ScoredSequence(ids: b, scored: [false, false, false, true, true, true, true], text: ""),
        ]
        let batched = try model.tokenStatistics(sequences, distribution: true, batchSize: 2)
        let single = try model.tokenStatistics(sequences, distribution: true, batchSize: 1)
        let directA = try directLogProbabilities(model, a)
        let directB = Array(try directLogProbabilities(model, b).suffix(4))
        #expect(batched[0].logProbabilities.count == 11 && batched[1].logProbabilities.count == 4)
        for (x, y) in zip(batched[0].logProbabilities + batched[1].logProbabilities, directA + directB) {
            #expect(abs(x - y) < 1e-4)
        }
        for (x, y) in zip(batched, single) {
            for (p, q) in zip(x.logProbabilities, y.logProbabilities) { #expect(abs(p - q) < 1e-5) }
        }
        // μ_t ≤ 0 (minus an entropy) and σ²_t ≥ 0.
        #expect(batched[0].expectedLogProbabilities.allSatisfy { $0 <= 0 })
        #expect(batched[0].logProbabilityVariances.allSatisfy { $0 >= -1e-6 })
        #expect(abs(batched[0].meanNLL + directA.reduce(0, +) / 11) < 1e-4)
    }

    @Test("Attack scores by hand: loss, Min-K% with max(1, ⌊kN⌋), Min-K%++ with the σ² clamp, reference, zlib")
    func attackScores() throws {
        let target = TokenStatistics(
            logProbabilities: [-1, -4, -2, -0.5, -3], expectedLogProbabilities: [-1, -1, -1, -1, -2],
            logProbabilityVariances: [1, 4, 0, 1, 1])
        #expect(try LossAttack().score(target: target) == -2.1)
        // k = 0.2, N = 5: K = 1 → the lowest log-prob; k = 0.4: K = 2 → mean(−4, −3).
        #expect(try MinKAttack().score(target: target) == -4)
        #expect(try MinKAttack(k: 0.4).score(target: target) == -3.5)
        // Short text: k = 0.2, N = 3 → K = max(1, 0) = 1 (mimir would give NaN).
        let short = TokenStatistics(logProbabilities: [-1, -2, -3], expectedLogProbabilities: [], logProbabilityVariances: [])
        #expect(try MinKAttack().score(target: short) == -3)
        // z = [0, −1.5, −1/√1e-6 = −1000, 0.5, −1]: the σ² = 0 position is clamped.
        #expect(abs(try MinKPlusPlusAttack().score(target: target) + 1000) < 1e-6)
        #expect(abs(try MinKPlusPlusAttack(k: 0.4).score(target: target) + 500.75) < 1e-6)
        let reference = TokenStatistics(logProbabilities: [-3, -3], expectedLogProbabilities: [], logProbabilityVariances: [])
        #expect(try ReferenceAttack().score(target: target, reference: reference, text: "") == 0.8999999999999999)
        let text = "hello hello hello hello world"  // zlib: 21 bytes
        #expect(try ZlibAttack().score(target: target, reference: nil, text: text) == -2.1 / 21)
        #expect(throws: EvaluationError.self) { try ReferenceAttack().score(target: target) }
        #expect(throws: EvaluationError.self) { try MinKAttack(k: 0).score(target: target) }
        #expect(throws: EvaluationError.self) { try MinKPlusPlusAttack().score(target: short) }
        let all: [any MembershipAttackMethod] = MembershipAttacks.standard + [ReferenceAttack()]
        #expect(all.map(\.label) == ["loss", "zlib", "min_k@0.2", "min_k++@0.2", "reference"])
    }

    @Test("PrivLeak: 0 at the retrained AUC, the MUSE sign convention, fallback reference 0.5")
    func privLeakFormula() {
        #expect(abs(privLeak(auc: 0.7, retrainedAUC: 0.7)) < 1e-6)
        // Under-unlearned (forget still looks like members): negative.
        #expect(abs(privLeak(auc: 0.9, retrainedAUC: 0.5) + 80) < 1e-6)
        #expect(abs(privLeak(auc: 0.3) - 40) < 1e-6)
    }

    @Test("A model trained on nothing cannot tell members apart; memorised members are found")
    func endToEnd() throws {
        let model = try tinyModel()
        let reference = try tinyModel(seed: 2)
        let encoder = LetterEncoder()
        let options = EncodingOptions(maxLength: 32)
        func examples(_ seed: UInt64) throws -> [ScoredSequence] {
            try (0..<12).map { i in
                let letters = randomTokens(10, seed: seed + UInt64(i)).map { String(UnicodeScalar(UInt8(97 + $0))) }
                let example = TextExample(prompt: "abc", completion: letters.joined())
                return try ScoredSequence(example, encoder: encoder, options: options)
            }
        }
        let members = try examples(100)
        let nonMembers = try examples(200)
        #expect(members[0].scored.filter { $0 }.count == 10 && members[0].text.hasPrefix("abc"))
        let report = try MembershipInference.evaluate(
            model: model, references: ["base": reference], members: members, nonMembers: nonMembers,
            attacks: MembershipAttacks.standard + [ReferenceAttack(model: "base")], resamples: 50)
        #expect(report.attacks.count == 5 && report.memberCount == 12)
        let loss = try #require(report[attack: "loss"])
        #expect(abs(loss.memberMean + report.memberMeanNLL) < 1e-9)
        #expect(loss.rocAUC > 0.1 && loss.rocAUC < 0.9)
        #expect(loss.rocAUCInterval.map { $0.lower <= loss.rocAUC && loss.rocAUC <= $0.upper } == true)
        // Members scored as "non-members" by a shifted score: all found (AUC 1).
        let shifted = MembershipScores(members: loss.scores.members.map { $0 + 100 }, nonMembers: loss.scores.nonMembers)
        let perfect = try AttackResult(attack: "shifted", scores: shifted, resamples: 0)
        #expect(perfect.rocAUC == 1 && perfect.tprAt1PercentFPR == 1 && perfect.rocAUCInterval == nil)
        // A reference attack whose model was not given is an error naming it (not skipped).
        do {
            _ = try MembershipInference.evaluate(
                model: model, members: members, nonMembers: nonMembers, attacks: [LossAttack(), ReferenceAttack(model: "base")], resamples: 0)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("reference model base"))
        }
        #expect(throws: EvaluationError.self) {
            try MembershipInference.evaluate(model: model, members: [], nonMembers: nonMembers)
        }
    }
}
