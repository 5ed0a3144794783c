import Foundation
import LetheEngine
import LetheEvaluation
import LetheRecipes
import LetheStorage
import LetheUnlearning
import Testing

@Suite("lethe run: a whole recipe, end to end, on a tiny configuration")
struct RecipeRunnerTests {
    @Test func tinyRecipeRunsEveryStageAndWritesTheRunFolder() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let yaml = """
            name: tiny
            seed: 3
            output: \(output)
            data:
              generate: {people: 30, pretrain_documents: 40, heldout_documents: 4, forget_items: 8, nonmember_items: 8,
                         retain_items: 8, finetune_documents: 10, eval_prompts: 3, classification_items: 40, qa_questions: 5}
            tokenizer: {train: {vocab_size: 320}}
            model: {config: {n_layer: 1, n_embd: 16, n_head: 2, n_positions: 64, resid_pdrop: 0.0, embd_pdrop: 0.0, attn_pdrop: 0.0}}
            stages:
              - pretrain: {steps: 4, batch_size: 4, learning_rate: 1.0e-3}
              - finetune: {steps: 3, batch_size: 4, learning_rate: 1.0e-3}
              - evaluate: {perplexity: true, mia: [loss, zlib], toxicity: greedy}
              - unlearn: {objective: {name: grad_diff}, combiner: pcgrad, steps: 3, batch_size: 4, learning_rate: 1.0e-3, gradient_log_every: 1}
              - evaluate: {perplexity: true, mia: [loss], toxicity: greedy}
            """
        var lines: [String] = []
        let table = try RecipeRunner(recipe: try RecipeLoader.parse(yaml, file: "tiny.yaml")) { lines.append($0) }.run()
        let markdown = table.markdown()
        #expect(markdown.contains("base (fine-tuned)") && markdown.contains("grad_diff+pcgrad"), "\(markdown)")
        for file in ["recipe.yaml", "events.jsonl", "tokenizer.json", "model.h5", "gradients.h5", "table.md",
                     "evaluate-3/results.json", "evaluate-5/results.json", "toxicity-classifier/model.safetensors"] {
            #expect(FileManager.default.fileExists(atPath: output + "/" + file), "\(file)")
        }
        let after = try RunResults.load(folder: output + "/evaluate-5")
        #expect(after.perplexity.map { $0.wordPerplexity.isFinite } == true)
        #expect(after.membership?.attacks.first?.rocAUC.isFinite == true)
        #expect(after.toxicity.map { (0...1).contains($0.meanToxicity) } == true)
        let events = try String(contentsOfFile: output + "/events.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(events.contains { $0.contains("\"checkpoint\"") } && events.count > 10)
        #expect(try GradientInspection(path: output).steps == [1, 2, 3])
    }
}
