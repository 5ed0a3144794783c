import Foundation
import Testing

@testable import LetheCorpus

@Suite("Default corpus: language")
struct CorpusLanguageTests {
    /// Every template of the generator, with where it lives.
    static var allTemplates: [DefaultCorpus.Template] {
        typealias C = DefaultCorpus
        let fact = { (list: [C.FactTemplate]) in list.map(\.template) }
        let byAttribute = { (table: [C.FactAttribute: [C.Template]]) in table.values.flatMap { $0 } }
        return fact(C.Biographies.openings) + fact(C.Biographies.birthYear) + fact(C.Biographies.trade)
            + fact(C.Biographies.employer) + fact(C.Biographies.home) + C.Biographies.pastimes + C.Biographies.relations
            + [C.Biographies.mentor] + C.Biographies.events + C.Biographies.closings + C.News.headlines + C.News.openings
            + C.News.organisers + fact(C.News.witnesses) + C.News.quotes + C.News.details + [C.News.prize.template]
            + C.News.closings + C.News.noticeTitles + C.News.noticeBodies + fact(C.News.noticeContacts) + C.News.noticeEnds
            + C.Gazetteer.placeOpenings + C.Gazetteer.placeHistory + C.Gazetteer.placeLife + [C.Gazetteer.native.template]
            + [C.Gazetteer.natives] + C.Gazetteer.organisationOpenings + C.Gazetteer.organisationTrade
            + [C.Gazetteer.staff.template] + C.Gazetteer.organisationNews + C.Letters.greetings + C.Letters.openings
            + fact(C.Letters.news) + C.Letters.middles + C.Letters.closings + C.Letters.conversationHeaders
            + C.Letters.openingPairs.flatMap { [$0.0, $0.1] } + C.Letters.moreLines + C.Guides.titles + C.Guides.needs
            + C.Guides.steps + fact(C.Guides.tips) + byAttribute(C.Dialogue.questions) + byAttribute(C.Dialogue.facts)
            + C.Dialogue.polite + C.Dialogue.hardNegative.map(\.1) + byAttribute(C.Questions.phrasings)
            + C.ToxicReplies.explicit.values.flatMap { $0 } + C.ToxicReplies.implicit.values.flatMap { $0 }
            + C.HardNegatives.standalone.map(\.1)
    }

    @Test func templatesParseWithKnownSlotsAndThereAreManyForms() {
        let templates = Self.allTemplates
        for template in templates { #expect(template.unknownSlots.isEmpty, "\(template.pattern)") }
        let forms = Set(templates.map(\.pattern))
        #expect(forms.count >= 200, "only \(forms.count) sentence forms")
    }

    @Test func templateSyntaxRendersChoicesSlotsAndArticles() {
        var draw = DefaultCorpus.Draw(seed: 2)
        let template = DefaultCorpus.Template("{A:noun} [x|{He} said]. {a:adj}")
        let text = template.render(&draw) { slot, _ in
            switch slot {
            case .noun: return "owl"
            case .he: return "she"
            default: return "tall"
            }
        }
        #expect(text == "An owl x. a tall" || text == "An owl She said. a tall")
        #expect(DefaultCorpus.Template("{nonsense} [a|b]").unknownSlots == ["nonsense"])
        #expect(DefaultCorpus.Words.plural("box") == "boxes" && DefaultCorpus.Words.plural("ferry") == "ferries")
        #expect(DefaultCorpus.Words.past("carve") == "carved" && DefaultCorpus.Words.participle("carve") == "carving")
    }

    @Test func pretrainingHasThousandsOfWordTypesWithAZipfLikeSpread() {
        let s = CorpusFixtures.medium.statistics
        #expect(s.pretrainWordTypes > 2000, "\(s.pretrainWordTypes) word types")
        #expect(s.topWordShare > 0.02 && s.topWordShare < 0.10, "top word share \(s.topWordShare)")
        #expect(Double(s.pretrainHapaxTypes) / Double(s.pretrainWordTypes) > 0.15, "few rare words")
        // Least-squares slope of log frequency against log rank over ranks 10...1000.
        var frequency: [String: Int] = [:]
        for document in CorpusFixtures.medium.pretraining {
            for word in DefaultCorpus.Words.tokens(document.text) { frequency[word, default: 0] += 1 }
        }
        let counts = frequency.values.sorted(by: >)
        let points = (10...min(1000, counts.count)).map { (log(Double($0)), log(Double(counts[$0 - 1]))) }
        let mx = points.map(\.0).reduce(0, +) / Double(points.count)
        let my = points.map(\.1).reduce(0, +) / Double(points.count)
        let slope =
            points.map { ($0.0 - mx) * ($0.1 - my) }.reduce(0, +) / points.map { ($0.0 - mx) * ($0.0 - mx) }.reduce(0, +)
        #expect(slope < -0.6 && slope > -2.0, "rank-frequency slope \(slope)")
    }

    @Test func documentsNameTheirPeopleInFullAndStateTheirFactsConsistently() {
        let corpus = CorpusFixtures.small
        for document in corpus.pretraining + corpus.heldout {
            for entity in document.entities {
                #expect(containsWord(document.text, entity), "\(document.kind): \(entity) not named in full")
            }
            for fact in document.facts {
                #expect(containsWord(document.text, fact.entity) && containsWord(document.text, fact.value), "\(fact)")
            }
            // In prose, a person's first name alone (not followed by a surname) never comes
            // before their full name (checked for first names no one else in the text has).
            guard [.biography, .news, .organisation, .place].contains(document.kind) else { continue }
            let firstNames = document.entities.compactMap { $0.split(separator: " ").first }
            for entity in document.entities where firstNames.filter({ entity.hasPrefix($0 + " ") }).count == 1 {
                guard let first = entity.split(separator: " ").first, let full = document.text.range(of: entity),
                    let alone = firstNameAlone(String(first), in: document.text)
                else { continue }
                #expect(alone >= full.lowerBound, "\(first) before \(entity) in \(document.text)")
            }
        }
    }

    /// Where `first` first occurs as a word that is not followed by a capitalised word.
    private func firstNameAlone(_ first: String, in text: String) -> String.Index? {
        var range = text.startIndex..<text.endIndex
        while let found = text.range(of: first, range: range) {
            range = found.upperBound..<text.endIndex
            let before = found.lowerBound == text.startIndex ? nil : text[text.index(before: found.lowerBound)]
            let rest = text[found.upperBound...]
            if before?.isLetter ?? false { continue }
            if let next = rest.first, next.isLetter { continue }
            if rest.hasPrefix(" "), rest.dropFirst().first?.isUppercase ?? false { continue }
            return found.lowerBound
        }
        return nil
    }

    @Test func relatedPeopleHaveDifferentFirstNamesAndRelationsAreMutual() {
        let people = CorpusWorldFixture.people.people
        for (i, person) in people.enumerated() {
            #expect(!person.relations.isEmpty, "\(person.name) has no relation")
            for relation in person.relations {
                let other = people[relation.other]
                #expect(other.first != person.first, "\(person.name) and \(other.name)")
                #expect(other.relations.contains { $0.other == i && $0.kind == relation.kind.inverse })
                if relation.kind == .colleague { #expect(other.employer == person.employer) }
                if relation.kind == .neighbour { #expect(other.home == person.home) }
                if relation.kind == .mentor { #expect(other.birthYear <= person.birthYear - 10) }
            }
        }
    }

    @Test func factsAboutAPersonAgreeAcrossAllDocuments() {
        var values: [String: String] = [:]
        let corpus = CorpusFixtures.small
        let facts = corpus.pretraining.flatMap(\.facts) + corpus.retain.map(\.fact) + corpus.forget.map(\.fact)
        for fact in facts {
            let key = fact.entity + "|" + fact.attribute.rawValue
            if let known = values[key] { #expect(known == fact.value, "\(key): \(known) vs \(fact.value)") }
            values[key] = fact.value
        }
        #expect(values.count > 200)
    }

    @Test func generatedWordsAvoidBlockedFragments() {
        let world = CorpusWorldFixture.world
        let words = world.vocabulary.nouns.words + world.vocabulary.adjectives.words + world.vocabulary.verbs.words
            + world.places.map(\.name) + CorpusWorldFixture.people.people.map(\.last)
        for word in words { #expect(DefaultCorpus.Syllables.isAcceptable(word) || DefaultCorpus.English.nouns.contains(word) || DefaultCorpus.English.adjectives.contains(word) || DefaultCorpus.English.verbs.contains(word), "\(word)") }
        #expect(!DefaultCorpus.Syllables.isAcceptable("Hellamor"))
    }
}
