import Testing

@testable import LetheCorpus

@Suite("Default corpus: toxicity labels")
struct CorpusLabelTests {
    let corpus = CorpusFixtures.small

    var labelled: [(text: String, toxic: Bool, kind: DefaultCorpus.TextKind, scores: ModerationScores)] {
        (corpus.forget + corpus.nonmembers + corpus.retain).map { ($0.completion, $0.toxic, $0.kind, $0.scores) }
            + (corpus.classificationTrain + corpus.classificationTest).map { ($0.text, $0.toxic, $0.kind, $0.scores) }
    }

    @Test func labelsAgreeWithScoresAndScoresAreProbabilities() {
        for item in labelled {
            #expect(item.scores.values.count == ModerationCategory.allCases.count)
            #expect(item.scores.values.allSatisfy { $0 >= 0 && $0 <= 1 })
            #expect(item.toxic == (item.scores.maximum >= 0.5), "\(item.text)")
            #expect(item.toxic == (item.kind == .explicit || item.kind == .implicit), "\(item.kind): \(item.text)")
        }
        #expect(corpus.forget.allSatisfy { $0.toxic } && corpus.nonmembers.allSatisfy { $0.toxic })
        #expect(corpus.retain.allSatisfy { !$0.toxic })
    }

    @Test func hardNegativesUseLexiconWordsAndAreLabelledClean() {
        let negatives = labelled.filter { $0.kind == .hardNegative }
        #expect(negatives.count >= 20)
        for item in negatives {
            #expect(!item.toxic)
            #expect(!DefaultCorpus.Lexicon.matches(in: item.text).isEmpty, "no lexicon word in \(item.text)")
        }
    }

    @Test func hardPositivesAvoidTheLexiconAndAreLabelledToxic() {
        let positives = labelled.filter { $0.kind == .implicit }
        #expect(positives.count >= 10)
        for item in positives {
            #expect(item.toxic)
            #expect(DefaultCorpus.Lexicon.matches(in: item.text).isEmpty, "lexicon word in \(item.text)")
        }
        #expect(labelled.filter { $0.kind == .explicit }.allSatisfy { !DefaultCorpus.Lexicon.matches(in: $0.text).isEmpty })
    }

    @Test func everyTemplateOfEachKindKeepsItsLexiconPromise() {
        // Rendered many times, so every template and choice is exercised at least once.
        let world = CorpusWorldFixture.world
        var draw = DefaultCorpus.Draw(seed: 1)
        var scene = DefaultCorpus.Scene(world: world, person: CorpusWorldFixture.people.people[0])
        scene.fact = "Ola Quisset lives in Darnholt"
        for template in DefaultCorpus.ToxicReplies.implicit.values.flatMap({ $0 }) {
            for _ in 0..<20 {
                let text = scene.render(template, &draw)
                #expect(DefaultCorpus.Lexicon.matches(in: text).isEmpty, "\(text)")
            }
        }
        let lexical = DefaultCorpus.ToxicReplies.explicit.values.flatMap { $0 } + DefaultCorpus.Dialogue.hardNegative.map(\.1)
            + DefaultCorpus.HardNegatives.standalone.map(\.1)
        for template in lexical {
            for _ in 0..<20 {
                let text = scene.render(template, &draw)
                #expect(!DefaultCorpus.Lexicon.matches(in: text).isEmpty, "\(text)")
            }
        }
    }

    @Test func categoriesFollowTheModerationMix() {
        let toxic = labelled.filter(\.toxic)
        var counts: [ModerationCategory: Int] = [:]
        for item in toxic { counts[item.scores.dominant, default: 0] += 1 }
        #expect((counts[.harassment] ?? 0) * 3 > toxic.count, "harassment should dominate")
        #expect(counts[.selfHarmIntent] == nil && counts[.selfHarmInstructions] == nil)
        for item in toxic {
            #expect(item.scores[.selfHarmIntent] < 0.2 && item.scores[.selfHarmInstructions] < 0.2)
        }
        let share = Double(toxic.count) / Double(labelled.count)
        #expect(share > 0.3 && share < 0.8)
    }

    @Test func classificationSetIsBalancedEnoughAndEveryKindIsInBothSplits() {
        let all = corpus.classificationTrain + corpus.classificationTest
        let toxicShare = Double(all.filter(\.toxic).count) / Double(all.count)
        #expect(abs(toxicShare - 0.45) < 0.03)
        for kind in DefaultCorpus.TextKind.allCases {
            #expect(corpus.classificationTrain.contains { $0.kind == kind }, "no \(kind) in train")
            #expect(corpus.classificationTest.contains { $0.kind == kind }, "no \(kind) in test")
        }
        #expect(Set(corpus.classificationTrain.map(\.text)).isDisjoint(with: corpus.classificationTest.map(\.text)))
    }
}

/// A small world for rendering templates directly.
enum CorpusWorldFixture {
    static let (world, people): (DefaultCorpus.World, DefaultCorpus.Population) = {
        var draw = DefaultCorpus.Draw(seed: 99)
        var book = DefaultCorpus.NameBook()
        let world = DefaultCorpus.World(&draw, book: &book, places: 12, organisations: 30, events: 20, inventedWords: 200)
        let people = DefaultCorpus.Population(count: 40, world: world, book: &book, related: true, &draw)
        return (world, people)
    }()
}
