import Foundation
import Testing

@testable import LetheCorpus

@Suite("Default corpus: configuration")
struct CorpusConfigurationTests {
    @Test func smallConfigurationIsValidAndCountsMatchIt() throws {
        let c = try CorpusFixtures.smallConfiguration(seed: 11)
        let corpus = CorpusFixtures.small
        #expect(corpus.configuration == c)
        #expect(corpus.pretraining.count == c.pretrainDocuments)
        #expect(corpus.pretraining.filter(\.toxic).count == Int((c.pretrainToxicRatio * Double(c.pretrainDocuments)).rounded()))
        #expect(corpus.heldout.count == c.heldoutDocuments)
        #expect(corpus.forget.count == c.forgetItems)
        #expect(corpus.nonmembers.count == c.nonmemberItems)
        #expect(corpus.retain.count == c.retainItems)
        #expect(corpus.evalPrompts.count == c.evalPrompts)
        #expect(corpus.classificationTrain.count + corpus.classificationTest.count == c.classificationItems)
        #expect(corpus.finetuning.count == c.forgetItems * c.forgetRepeats + c.retainItems + c.finetuneDocuments)
        #expect(corpus.qaRetain.count == c.qaQuestions)
        #expect(corpus.qaForget.count == min(c.qaQuestions, c.forgetItems))
        let testShare = Double(corpus.classificationTest.count) / Double(c.classificationItems)
        #expect(abs(testShare - c.classificationTestFraction) < 0.02)
    }

    @Test(arguments: [
        ("forget_items", #"{"forget_items": 0}"#), ("pretrain_toxic_ratio", #"{"pretrain_toxic_ratio": 1.5}"#),
        ("classification_test_fraction", #"{"classification_test_fraction": 1}"#),
        ("forget_repeats", #"{"forget_repeats": 0}"#), ("people", #"{"people": 3}"#),
        ("implicit_fraction", #"{"implicit_fraction": -0.1}"#),
    ])
    func outOfRangeValuesThrowNamingTheOption(option: String, json: String) {
        do {
            _ = try JSONDecoder().decode(DefaultCorpus.Configuration.self, from: Data(json.utf8))
            Issue.record("\(option): no error")
        } catch let error as CorpusError {
            guard case .invalidOption(let name, _, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(name == option)
            #expect(error.description.contains("--" + option.replacingOccurrences(of: "_", with: "-")))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func theInitializerChecksToo() {
        #expect(throws: CorpusError.self) { try DefaultCorpus.Configuration(forgetItems: 0) }
        #expect(throws: CorpusError.self) { try DefaultCorpus.Configuration(pretrainToxicRatio: .nan) }
        #expect(throws: CorpusError.self) { try DefaultCorpus.Configuration(classificationItems: 5) }
    }

    @Test func decodesSnakeCaseKeysWithDefaultsAndRejectsUnknownOnes() throws {
        let json = #"{"seed": 9, "forget_items": 12, "pretrain_toxic_ratio": 0.25}"#
        let c = try JSONDecoder().decode(DefaultCorpus.Configuration.self, from: Data(json.utf8))
        #expect(c.seed == 9 && c.forgetItems == 12 && c.pretrainToxicRatio == 0.25)
        #expect(c.retainItems == DefaultCorpus.Configuration.defaults.retainItems)
        let roundTrip = try JSONDecoder().decode(DefaultCorpus.Configuration.self, from: JSONEncoder().encode(c))
        #expect(roundTrip == c)
        #expect(throws: CorpusError.invalidOption(name: "forget_items", value: "-2", reason: "must be between 1 and 200000")) {
            try JSONDecoder().decode(DefaultCorpus.Configuration.self, from: Data(#"{"forget_items": -2}"#.utf8))
        }
        do {
            _ = try JSONDecoder().decode(DefaultCorpus.Configuration.self, from: Data(#"{"forget_itmes": 5}"#.utf8))
            Issue.record("unknown key accepted")
        } catch let error as CorpusError {
            #expect(error.description.contains("forget_itmes"))
        }
    }

    @Test func defaultsAreValid() throws {
        try DefaultCorpus.Configuration.defaults.validate()
        let configuration = try DefaultCorpus.Configuration()
        #expect(configuration == .defaults)
    }
}
