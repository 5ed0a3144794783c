import Foundation
import LetheEngine
import LetheLayers
import LetheUnlearning
import LetheRecipes
import LetheStorage
import LetheTensor
import Testing

/// A plugin stage that writes a NaN into the model's first weight and commits the result.
private struct PoisonStage: Stage {
    static let kind = "poison"
    static let summary = "sets a weight to NaN (a test of what is never committed)"
    init(options: PluginOptions, plan: StagePlanContext) throws { try options.accept([]) }
    func run(in run: RunSession, index: Int) throws {
        run.model.parameters.tensors[0].floatPointer[0] = .nan
        try run.finish(stage: index, model: run.model, label: "poisoned")
    }
}

@Suite("Reliability: nothing silently wrong is committed or loaded", .serialized)
struct ReliabilityTests {
    private static let recipe = """
        name: tiny
        seed: 3
        output: OUTPUT
        \(TinyRecipe.data)
        stages:
          - pretrain: {steps: 2, batch_size: 4, learning_rate: 1.0e-3}
          - finetune: {steps: 2, batch_size: 4, learning_rate: 1.0e-3}
          - poison: {}

        """

    /// Issue 15, "silently wrong" 2: a model with a NaN weight is not saved as a stage's
    /// result, the error names the stage and tensor, and the previous stage's model stays.
    @Test func aNonFiniteModelIsNeverCommitted() throws {
        let folder = TinyRecipe.temporaryFolder("poison")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let plugins = Plugins.builtIn.adding(stage: PoisonStage.self)
        let runner = RecipeRunner(recipe: try RecipeLoader.parse(Self.recipe.replacingOccurrences(of: "OUTPUT", with: folder)), plugins: plugins) { _ in }
        #expect { try runner.run() } throws: { error in
            let text = "\(error)"
            return text.contains("stage 3 (poison)") && text.contains("non-finite") && text.contains("wte.weight")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(!files.contains("stage-3-poison.h5"), "\(files.sorted())")
        // Every completed stage's model is kept (the fine-tuned one is not deleted by a later stage).
        #expect(files.contains("stage-1-pretrain.h5") && files.contains("stage-2-finetune.h5"), "\(files.sorted())")
        let state = try #require(try RunState.load(folder: folder))
        #expect(state.completedStages == 2 && state.model == "stage-2-finetune.h5")
        #expect(state.stageModels == ["stage-1-pretrain.h5", "stage-2-finetune.h5"])
        #expect(try TinyRecipe.weights(folder + "/model.h5").allSatisfy { $0.isFinite })
    }
}
