import Foundation
import LetheCorpus
import LetheRecipes
import LetheText
import Testing

@testable import LetheEngine

@Suite("data.files: a study's data read from files")
struct StudyDataTests {
    @Test func filesWrittenByTheGeneratorReadBackAsTheSameStudy() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("files-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let corpus = DefaultCorpus.generate(try DefaultCorpus.Configuration(
            seed: 4, people: 30, pretrainDocuments: 20, heldoutDocuments: 4, forgetItems: 8, nonmemberItems: 8, retainItems: 8,
            finetuneDocuments: 10, evalPrompts: 3, classificationItems: 40, qaQuestions: 5))
        try corpus.write(to: folder)
        let keys = ["pretrain", "heldout", "finetune", "forget", "retain", "nonmember", "eval_prompts", "classification_train"]
        let read = try StudyData(files: Dictionary(uniqueKeysWithValues: keys.map { ($0, "\(folder)/\($0).jsonl") }))
        let generated = StudyData(corpus)
        #expect(read.pretraining == generated.pretraining && read.heldout == generated.heldout)
        #expect(read.finetuning == generated.finetuning && read.forget == generated.forget)
        #expect(read.retain == generated.retain && read.nonmembers == generated.nonmembers && read.evalPrompts == generated.evalPrompts)
        #expect(read.classificationTrain.map(\.text) == generated.classificationTrain.map(\.text))
        #expect(read.classificationTrain.map(\.toxic) == generated.classificationTrain.map(\.toxic))
        // The oracle's set is the fine-tuning set without any forget pair.
        #expect(read.finetuningWithoutForget.count == read.finetuning.count - 3 * read.forget.count)
    }

    @Test func aMissingSetNamesTheStageAndTheKey() throws {
        let data = try StudyData(files: [:])
        let recipe = try RecipeLoader.parse("name: x\ndata: {files: {}}\ntokenizer: {train: {}}\nmodel: {config: {}}\nstages: [{unlearn: {objective: grad_diff}}]\n")
        #expect { try data.check(for: recipe.stages) } throws: { "\($0)".contains("unlearn") && "\($0)".contains("data.files.forget") }
        #expect { try StudyData(files: ["forget": "/nonexistent/forget.jsonl"]) } throws: { "\($0)".contains("/nonexistent/forget.jsonl") }
    }
}
