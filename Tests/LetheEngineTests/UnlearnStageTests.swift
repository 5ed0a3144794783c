import Foundation
import LetheEngine
import LetheRecipes
import Testing

@Suite("The unlearn stage gives every objective its retain set")
struct UnlearnStageTests {
    /// idkDPO (like NPO and DPO) adds its retain term only when a retain batch is there: the
    /// stage must pass the retain set, or PCGrad has nothing to project and the model drifts.
    @Test func idkDPOTrainsWithItsRetainTerm() throws {
        let output = TinyRecipe.temporaryFolder("idk")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let yaml = TinyRecipe.yaml(output: output, retrain: false, unlearn: "{name: idk_dpo}")
        _ = try RecipeRunner(recipe: RecipeLoader.parse(yaml)) { _ in }.run()
        let steps = try String(contentsOfFile: output + "/events.jsonl", encoding: .utf8).split(separator: "\n")
            .filter { $0.contains("\"event\":\"step\"") && $0.contains("\"stage\":\"unlearn\"") }
        #expect(steps.count == 6)
        #expect(steps.allSatisfy { $0.contains("\"forget\":") && $0.contains("\"retain\":") }, "\(steps.first ?? "")")
    }
}

@Suite("train_classifier: the run's scorer as a stage")
struct TrainClassifierStageTests {
    @Test func theStageTrainsTheScorerTheSuitesThenUse() throws {
        let output = TinyRecipe.temporaryFolder("scorer")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let yaml = """
            name: scorer
            seed: 2
            output: \(output)
            \(TinyRecipe.data)
            stages:
              - pretrain: {steps: 2, batch_size: 4}
              - train_classifier: {layers: 1, width: 16, heads: 2, max_length: 32, steps: 5}
              - evaluate: {toxicity: {protocol: greedy, new_tokens: 4}, classification: {}}

            """
        var lines: [String] = []
        _ = try RecipeRunner(recipe: RecipeLoader.parse(yaml)) { lines.append($0) }.run()
        #expect(FileManager.default.fileExists(atPath: output + "/toxicity-classifier/model.safetensors"))
        #expect(!lines.contains { $0.contains("training the toxicity classifier") }, "the evaluation trained another scorer")
        let config = try String(contentsOfFile: output + "/toxicity-classifier/config.json", encoding: .utf8)
        #expect(config.contains("\"n_embd\" : 16") && config.contains("\"n_layer\" : 1"), "\(config)")
        let bad = yaml.replacingOccurrences(of: "heads: 2,", with: "heads: 3,")
        #expect { try RecipeRunner(recipe: RecipeLoader.parse(bad)) { _ in }.check() } throws: { "\($0)".contains("multiple of heads 3") }
    }
}
