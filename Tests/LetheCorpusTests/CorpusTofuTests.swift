import Foundation
import Testing

@testable import LetheCorpus

@Suite("Default corpus: TOFU-style questions (qa_tofu.jsonl)")
struct CorpusTofuTests {
    @Test("Every fictitious person has one question per attribute; 5% of the people are forget")
    func splitsAndShapes() throws {
        let tofu = CorpusFixtures.small.qaTofu
        let people = DefaultCorpus.tofuPeople
        let byPerson = Dictionary(grouping: tofu.filter { $0.split != .world }, by: \.entity)
        #expect(byPerson.count == people && byPerson.values.allSatisfy { $0.count == DefaultCorpus.FactAttribute.allCases.count })
        let forgetPeople = Set(tofu.filter { $0.split == .forget }.map(\.entity))
        #expect(forgetPeople.count == 3)
        #expect(forgetPeople.isDisjoint(with: tofu.filter { $0.split == .retain }.map(\.entity)))
        #expect(tofu.filter { $0.split == .world }.count == min(DefaultCorpus.tofuWorldQuestions, 300 - 30))
        #expect(Set(tofu.map(\.id)).count == tofu.count)
        for q in tofu {
            #expect(q.perturbedAnswers.count == DefaultCorpus.tofuPerturbed, "\(q.id)")
            #expect(Set(q.perturbedAnswers).count == q.perturbedAnswers.count && !q.perturbedAnswers.contains(q.paraphrasedAnswer))
            #expect(q.answer.contains(q.entity) && q.paraphrasedAnswer.contains(q.entity) && q.answer != q.paraphrasedAnswer)
            #expect(q.question.contains(q.entity), "\(q.question)")
        }
    }

    @Test("The fictitious people appear in no other file; world questions ask about pretraining facts")
    func fictitiousPeopleAreOnlyHere() throws {
        let corpus = CorpusFixtures.small
        let fictitious = Set(corpus.qaTofu.filter { $0.split != .world }.map(\.entity))
        let others = corpus.pretraining.map(\.text) + corpus.finetuning.map { $0.prompt + $0.completion }
            + corpus.forget.map(\.completion) + corpus.heldout.map(\.text) + corpus.qaRetain.map(\.question)
        for name in fictitious { #expect(!others.contains { $0.contains(name) }, "\(name)") }
        let pretrainText = corpus.pretraining.map(\.text).joined(separator: "\n")
        for q in corpus.qaTofu where q.split == .world { #expect(pretrainText.contains(q.entity)) }
    }

    @Test("qa_tofu.jsonl holds the documented keys; the other files are what they were")
    func file() throws {
        let directory = corpusTemporaryDirectory("tofu")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let written = try CorpusFixtures.small.write(to: directory)
        #expect(written.last?.name == "qa_tofu.jsonl")
        let lines = try corpusJSONLines(directory + "/qa_tofu.jsonl")
        #expect(lines.count == CorpusFixtures.small.qaTofu.count)
        let keys: Set = ["id", "split", "entity", "attribute", "question", "answer", "paraphrased_answer", "perturbed_answers"]
        for line in lines { #expect(Set(line.keys) == keys) }
        // SHA-256 of the small corpus's files before qa_tofu.jsonl existed (main at a621918).
        let before: [String: String] = CorpusTofuTests.smallCorpusChecksums
        for file in written where file.name != "qa_tofu.jsonl" {
            #expect(before[file.name] == file.sha256, "\(file.name) changed")
        }
    }

    static let smallCorpusChecksums: [String: String] = [
        "classification_test.jsonl": "596b64b33b8ed4947d4557905798f24fdc2d0132d0f62fbeb9a4b08677c8a5b0",
        "classification_train.jsonl": "a1da7a4bf965b8f5c18c649ce3188c00e257f193954ad62ddd4d2de798fa45f7",
        "eval_prompts.jsonl": "03c30596d3c70dada2378aba111caa51dfe809474c8e87bd752119b99913d5db",
        "finetune.jsonl": "f403e0d719ab64e75af0b7dbf1b9baff4ecf1f3001dffd6aaa7c2cb9859920f7",
        "forget.jsonl": "4d80780d65fb3f722c6db2ba38be94849a1f5f9e36b80008c465f98ab117db92",
        "heldout.jsonl": "a43ca97d573ea04f6b8a11a70aefac7ae0e43d9fc9d7c384c97992b47224b396",
        "nonmember.jsonl": "11691c0f72776d1041f913cf96e86930e0fa5888a65fa78bb3fd6f18e70ef1f6",
        "pretrain.jsonl": "59a54ea8c66e8afc56000b01130ab24cb5676d1d5ab3b86d9e8cde61430350ef",
        "qa_forget.jsonl": "fb673d162214ac29c2aa0119683fe9ca823d2b080f0d46984057578257125081",
        "qa_retain.jsonl": "bea785c56943b765ab6616d166441c13459516edb50a2d03980fc93cca7d42db",
        "retain.jsonl": "bdcd7eceed02d9d6a51d1163b3f24e386a2def8b149baedd6e4ceffb76f57c24",
    ]
}
