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
