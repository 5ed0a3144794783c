import Foundation
import LetheRecipes
import Testing

@Suite("Recipes: strict YAML, overrides, grids")
struct RecipeTests {
    static let recipes = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../recipes").standardized.path

    private func message(_ body: () throws -> Any) -> String {
        do {
            _ = try body()
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func everyRecipeInTheFolderDecodes() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.recipes).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.count >= 2)
        for file in files {
            let recipe = try RecipeLoader.load(path: Self.recipes + "/" + file)
            #expect(!recipe.stages.isEmpty, "\(file)")
            #expect(!(try RecipeLoader.expand(recipe)).isEmpty, "\(file)")
        }
    }

    @Test func quickstartDecodesToTheExpectedStages() throws {
        let recipe = try RecipeLoader.load(path: Self.recipes + "/quickstart.yaml")
        #expect(recipe.stages.map(\.kind) == ["pretrain", "finetune", "evaluate", "unlearn", "evaluate"])
        guard case let .unlearn(u) = recipe.stages[3] else {
            Issue.record("stage 3 is not unlearn")
            return
        }
        #expect(u.objective.name == "grad_diff" && u.objective.options["gamma"] == .number(1))
        #expect(u.combiner.name == "pcgrad" && u.combiner.options["mode"] == .text("symmetric"))
        #expect(u.training.steps == 40 && u.training.learningRate == 1e-4 && u.gradientLogEvery == 1 && u.seed == nil)
        #expect(recipe.tokenizer == .train(vocabularySize: 4096))
    }

    @Test func unknownKeysAndWrongTypesNameThePathAndLine() {
        let base = "name: x\ndata: {generate: {}}\ntokenizer: {train: {vocab_size: 512}}\nmodel: {config: {}}\nstages:\n"
        let typo = message { try RecipeLoader.parse(base + "  - pretrain: {steps: 10, learnin_rate: 0.1}\n", file: "r.yaml") }
        #expect(typo.contains("r.yaml:6") && typo.contains("stages.0.pretrain.learnin_rate") && typo.contains("learning_rate"), "got: \(typo)")
        let type = message { try RecipeLoader.parse(base + "  - pretrain:\n      steps: many\n", file: "r.yaml") }
        #expect(type.contains("r.yaml:7") && type.contains("stages.0.pretrain.steps") && type.contains("integer"), "got: \(type)")
        let missing = message { try RecipeLoader.parse("name: x\nstages: []\n", file: "r.yaml") }
        #expect(missing.contains("missing key") || missing.contains("stage"), "\(missing)")
        let schedule = message { try RecipeLoader.parse(base + "  - pretrain: {schedule: cosinus}\n", file: "r.yaml") }
        #expect(schedule.contains("cosinus"), "\(schedule)")
    }

    @Test func overridesAreTypeChecked() throws {
        let path = Self.recipes + "/quickstart.yaml"
        let recipe = try RecipeLoader.load(path: path, overrides: ["stages.unlearn.steps=200", "seed=7", "stages.unlearn.combiner.mode=one_sided"])
        #expect(recipe.seed == 7)
        guard case let .unlearn(u) = recipe.stages[3] else { return }
        let (combiner, training) = (u.combiner, u.training)
        #expect(training.steps == 200 && combiner.options["mode"] == .text("one_sided"))
        #expect(recipe.yaml.contains("one_sided"))  // the resolved recipe is what runs store
        let bad = message { try RecipeLoader.load(path: path, overrides: ["stages.unlearn.steps=lots"]) }
        #expect(bad.contains("stages.3.unlearn.steps") && bad.contains("integer"), "\(bad)")
        let unknown = message { try RecipeLoader.load(path: path, overrides: ["stages.unlearn.stepz=3"]) }
        #expect(unknown.contains("stepz") && unknown.contains("unknown key") && unknown.hasPrefix(path + ": "), "\(unknown)")
        #expect(message { try RecipeLoader.load(path: path, overrides: ["seed"]) }.contains("key.path=value"))
    }

    @Test func gridsExpandToTheCartesianProductInFileOrder() throws {
        let recipe = try RecipeLoader.load(path: Self.recipes + "/detox-gradient-surgery.yaml")
        let runs = try RecipeLoader.expand(recipe)
        #expect(runs.count == 12)
        #expect(Set(runs.map(\.name)).count == 12)
        let cells = runs.compactMap { run -> String? in
            guard case let .unlearn(u) = run.stages[4] else { return nil }
            return "\(u.objective.name) \(u.combiner.name) \(u.seed ?? 0)"
        }
        // The first axis in the file varies slowest.
        #expect(cells.prefix(4) == ["grad_diff sum 1", "grad_diff sum 2", "grad_diff sum 3", "grad_diff pcgrad 1"])
        #expect(Set(cells).count == 12 && Set(runs.map(\.seed)) == [1])
        #expect(runs.allSatisfy { (try? RecipeLoader.expand($0).count) == 1 })
    }

    @Test func inputPathsResolveAgainstTheRecipeFolderAndOutputAgainstTheWorkingDirectory() throws {
        let yaml = "name: x\ndata: {files: {forget: f.jsonl}}\ntokenizer: {file: ../t.json}\nmodel: {checkpoint: /abs/m.h5}\nstages: [{evaluate: {}}]\n"
        let recipe = try RecipeLoader.parse(yaml, file: "studies/x.yaml", folder: "studies")
        #expect(recipe.data == .files(["forget": "studies/f.jsonl"]))
        #expect(recipe.tokenizer == .file("studies/../t.json"))
        #expect(recipe.model == .checkpoint("/abs/m.h5"))
        #expect(recipe.output == "checkpoints/x")
        #expect(message { try RecipeLoader.load(path: Self.recipes + "/missing.yaml") }.contains("no such file"))
    }
}
