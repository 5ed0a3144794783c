import Foundation
import LetheEngine
import LetheLayers
import LetheRecipes
import LetheStorage
import LetheUnlearning
import Testing

/// grad_diff that fails on its `failAt`-th call: an interrupted run, in process.
private struct InterruptedGradDiff: TrainingObjective {
    static let name = "interrupted_grad_diff"
    nonisolated(unsafe) static var calls = 0
    nonisolated(unsafe) static var failAt = 4
    let inner: GradDiff
    var parts: [String] { inner.parts }
    init(options: PluginOptions) throws { inner = try GradDiff(options: options) }
    func losses(model: any TrainableModel, reference: ReferenceModel?, batch: TrainingBatch) throws -> [NamedLoss] {
        let model = try model.languageModel(for: Self.name)
        Self.calls += 1
        if Self.calls == Self.failAt { throw UnlearningError.invalidInput("simulated crash") }
        return try inner.losses(model: model, reference: reference, batch: batch)
    }
}

@Suite("lethe resume: an interrupted run continues to the same numbers", .serialized)
struct ResumeTests {
    /// Full fine-tuning, and LoRA adapters (rank 2 on q, k, v; exported in PEFT's layout).
    @Test(arguments: ["", ", lora: {rank: 2, targets: [attn.c_attn], export: true}"])
    func aRunInterruptedInsideUnlearningResumesToTheSameWeights(lora: String) throws {
        let (whole, broken) = (TinyRecipe.temporaryFolder("whole"), TinyRecipe.temporaryFolder("broken"))
        defer { for f in [whole, broken] { try? FileManager.default.removeItem(atPath: f) } }
        // A plugin objective (not in the built-in registry): resume must be given the plugins too.
        let plugins = Plugins.builtIn.adding(objective: InterruptedGradDiff.self)
        let extra = ", checkpoint_every: 2" + lora
        let unlearn = "{name: interrupted_grad_diff}"
        (InterruptedGradDiff.calls, InterruptedGradDiff.failAt) = (0, 1_000)
        _ = try RecipeRunner(recipe: RecipeLoader.parse(TinyRecipe.yaml(output: whole, unlearn: unlearn, extra: extra)), plugins: plugins) { _ in }.run()

        let interrupted = RecipeRunner(recipe: try RecipeLoader.parse(TinyRecipe.yaml(output: broken, unlearn: unlearn, extra: extra)), plugins: plugins) { _ in }
        // Call 1 names the losses for the gradient log; calls 2–5 are steps 1–4: it fails in
        // step 5, after the checkpoint at step 4.
        (InterruptedGradDiff.calls, InterruptedGradDiff.failAt) = (0, 6)
        #expect(throws: UnlearningError.self) { try interrupted.run() }
        let files = try FileManager.default.contentsOfDirectory(atPath: broken)
        #expect(files.contains("unlearn-5-step-4.h5") && !files.contains("stage-5-unlearn.h5"), "\(files.sorted())")

        #expect { try RecipeRunner.resume(folder: broken) { _ in } } throws: { "\($0)".contains("interrupted_grad_diff") }
        (InterruptedGradDiff.calls, InterruptedGradDiff.failAt) = (0, 1_000)
        let table = try RecipeRunner.resume(folder: broken, plugins: plugins) { _ in }
        #expect(try TinyRecipe.weights(broken + "/model.h5") == TinyRecipe.weights(whole + "/model.h5"))
        let expected = try String(contentsOfFile: whole + "/table.md", encoding: .utf8)
        #expect(table.markdown() == expected)
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: broken)).contains("unlearn-5-step-4.h5"))
        if !lora.isEmpty {
            for file in ["adapter_config.json", "adapter_model.safetensors"] {
                #expect(FileManager.default.fileExists(atPath: broken + "/stage-5-unlearn-adapters/" + file), "\(file)")
            }
            // The exported adapters load in PEFT's layout onto a model of the same shape.
            let model = try ModelFile.load(broken + "/model.h5")
            let adapters = try model.loadLoRA(directory: broken + "/stage-5-unlearn-adapters")
            #expect(adapters.configuration.rank == 2 && adapters.prefixes == ["h.0.attn.c_attn"])
            #expect(adapters.parameters.flat.floats.contains { $0 != 0 })
        }
    }

    @Test func resumingAFinishedRunChangesNothing() throws {
        let folder = TinyRecipe.temporaryFolder("finished")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try RecipeRunner(recipe: RecipeLoader.parse(TinyRecipe.yaml(output: folder, retrain: false))) { _ in }.run()
        var lines: [String] = []
        let again = try RecipeRunner.resume(folder: folder) { lines.append($0) }
        #expect(again == first)
        #expect(!lines.contains { $0.contains("pretrain") || $0.contains("unlearn") }, "\(lines)")
    }

    @Test func resumeNamesWhatIsMissing() {
        let folder = TinyRecipe.temporaryFolder("empty")
        #expect { try RecipeRunner.resume(folder: folder) { _ in } } throws: { "\($0)".contains(folder) && "\($0)".contains("state.json") }
    }
}
