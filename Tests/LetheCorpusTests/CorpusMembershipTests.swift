import Foundation
import Testing

@testable import LetheCorpus

@Suite("Default corpus: membership")
struct CorpusMembershipTests {
    let corpus = CorpusFixtures.small

    @Test func memberAndNonmemberDetailsNeverCollide() {
        let members = corpus.forget.map(\.uniqueDetail)
        let nonmembers = corpus.nonmembers.map(\.uniqueDetail)
        #expect(Set(members).count == members.count, "a forget detail repeats")
        #expect(Set(nonmembers).count == nonmembers.count, "a non-member detail repeats")
        #expect(Set(members).isDisjoint(with: nonmembers))
        for item in corpus.forget + corpus.nonmembers {
            #expect(containsWord(item.completion, item.uniqueDetail), "\(item.id): detail not in the completion")
        }
        for member in members {
            for item in corpus.nonmembers + corpus.retain {
                #expect(!containsWord(item.prompt + item.completion, member), "\(member) appears in \(item.id)")
            }
        }
    }

    @Test func forgetPeopleAppearOnlyInForgetItemsFinetuningAndForgetQuestions() {
        let names = corpus.forget.map(\.uniqueDetail) + corpus.nonmembers.map(\.uniqueDetail)
        let elsewhere =
            corpus.pretraining.map(\.text) + corpus.heldout.map(\.text) + corpus.retain.map { $0.prompt + $0.completion }
            + corpus.evalPrompts.map(\.prompt) + (corpus.classificationTrain + corpus.classificationTest).map(\.text)
            + corpus.qaRetain.map(\.question)
        let joined = elsewhere.joined(separator: "\n")
        for name in names { #expect(!containsWord(joined, name), "\(name) leaks outside the forget/non-member sets") }
        let nonmemberNames = corpus.nonmembers.map(\.uniqueDetail)
        let finetune = corpus.finetuning.map { $0.prompt + $0.completion }.joined(separator: "\n")
        for name in nonmemberNames { #expect(!containsWord(finetune, name), "non-member \(name) is in finetune") }
    }

    @Test func forgetTextsAppearNowhereElse() {
        let others = Set((corpus.nonmembers + corpus.retain).map(\.completion))
        let otherPrompts = Set((corpus.nonmembers + corpus.retain).map(\.prompt))
        for item in corpus.forget {
            #expect(!others.contains(item.completion))
            #expect(!otherPrompts.contains(item.prompt))
        }
    }

    @Test func finetuningRepeatsEachForgetItemAndHoldsRetainAndGeneralText() {
        let c = corpus.configuration
        var copies: [String: Int] = [:]
        for example in corpus.finetuning where example.source == .forget { copies[example.prompt + example.completion, default: 0] += 1 }
        #expect(copies.count == corpus.forget.count)
        #expect(copies.values.allSatisfy { $0 == c.forgetRepeats })
        let retain = Set(corpus.retain.map { $0.prompt + $0.completion })
        let retainInFinetune = corpus.finetuning.filter { $0.source == .retain }.map { $0.prompt + $0.completion }
        #expect(Set(retainInFinetune) == retain)
        let general = corpus.finetuning.filter { $0.source == .general }
        #expect(general.count == c.finetuneDocuments)
        #expect(general.allSatisfy { !$0.toxic && !$0.prompt.isEmpty && ($0.completion.first == " " || $0.completion.first == "\n") })
        #expect(corpus.finetuning.filter { $0.source == .forget }.allSatisfy { $0.toxic })
    }

    @Test func completionsStartWithASpaceAfterAReplyPrompt() {
        for item in corpus.forget + corpus.nonmembers + corpus.retain {
            #expect(item.prompt.hasSuffix("\nReply:"))
            #expect(item.completion.hasPrefix(" ") && !item.completion.hasPrefix("  "))
        }
        #expect(corpus.evalPrompts.allSatisfy { $0.prompt.hasSuffix("\nReply:") })
    }

    @Test func questionsAskAboutFactsTheTrainingTextStates() {
        var textsByEntity: [String: [String]] = [:]
        for document in corpus.pretraining where document.kind != .quiz {
            for entity in document.entities { textsByEntity[entity, default: []].append(document.text) }
        }
        for qa in corpus.qaRetain {
            let texts = textsByEntity[qa.entity] ?? []
            #expect(
                texts.contains { $0.contains(qa.entity) && containsWord($0, qa.answer) },
                "\(qa.entity): \(qa.answer) is not stated in pretraining")
            #expect(containsWord(qa.question, qa.entity))
            #expect(!corpus.pretraining.contains { $0.text.contains(qa.question) }, "\(qa.question) is verbatim in pretraining")
        }
        let forgetByName = Dictionary(corpus.forget.map { ($0.uniqueDetail, $0) }, uniquingKeysWith: { a, _ in a })
        for qa in corpus.qaForget {
            let item = forgetByName[qa.entity]
            #expect(item.map { containsWord($0.completion, qa.answer) } == true, "\(qa.entity): \(qa.answer) not in its forget item")
        }
        let retainPeople = Set(corpus.retain.map(\.uniqueDetail))
        #expect(Set(corpus.qaRetain.map(\.entity)).isDisjoint(with: corpus.forget.map(\.uniqueDetail)))
        #expect(!retainPeople.isDisjoint(with: corpus.qaRetain.map(\.entity)) || corpus.retain.count < 5)
    }
}
