import Foundation
import LetheOptions
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
        let u = recipe.stages[3].options
        let objective = try PluginChoice(try #require(u["objective"]))
        let combiner = try PluginChoice(try #require(u["combiner"]))
        #expect(objective.name == "grad_diff" && objective.options["gamma"]?.value == .number(1))
        #expect(combiner.name == "pcgrad" && combiner.options["mode"]?.value == .text("symmetric"))
        #expect(u["steps"]?.value == .number(40) && u["learning_rate"]?.value == .number(1e-4) && u["seed"] == nil)
        // Every node knows its line: stage options are checked by the stage plugins later.
        let text = try String(contentsOfFile: Self.recipes + "/quickstart.yaml", encoding: .utf8)
        let line = (text.components(separatedBy: "\n").firstIndex { $0.contains("steps: 40") } ?? -1) + 1
        #expect(u["steps"]?.origin.line == line && u["steps"]?.origin.path == "stages.3.unlearn.steps")
        #expect(recipe.tokenizer == .train(vocabularySize: 4096))
    }

    @Test func unknownKeysAndWrongTypesNameThePathAndLine() {
        let base = "name: x\ndata: {generate: {}}\ntokenizer: {train: {vocab_size: 512}}\nmodel: {config: {}}\nstages:\n"
        let typo = message { try RecipeLoader.parse(base.replacingOccurrences(of: "tokenizer:", with: "tokeniser:") + "  - pretrain: {}\n", file: "r.yaml") }
        #expect(typo.contains("r.yaml:3") && typo.contains("tokeniser") && typo.contains("tokenizer"), "got: \(typo)")
        let type = message { try RecipeLoader.parse(base + "  - pretrain: [1, 2]\n", file: "r.yaml") }
        #expect(type.contains("r.yaml:6") && type.contains("stages.0.pretrain") && type.contains("mapping"), "got: \(type)")
        let missing = message { try RecipeLoader.parse("name: x\nstages: []\n", file: "r.yaml") }
        #expect(missing.contains("missing key") || missing.contains("stage"), "\(missing)")
        let twoKinds = message { try RecipeLoader.parse(base + "  - {pretrain: {}, finetune: {}}\n", file: "r.yaml") }
        #expect(twoKinds.contains("one key"), "\(twoKinds)")
        // Issue 12: every top-level mistake at once, in file order (it used to stop at the first).
        let several = message {
            try RecipeLoader.parse(
                "name: x\nseeed: 3\ndata: {generate: {}}\ntokenizer: {train: {vocab_size: 12}}\nmodel: {config: {}}\noutptu: o\nstages:\n  - pretrain: [1]\n",
                file: "r.yaml")
        }
        #expect(several.hasPrefix("4 problems:"), "\(several)")
        for expected in ["r.yaml:2: seeed: unknown key", "r.yaml:4", "vocab_size", "r.yaml:6: outptu: unknown key", "r.yaml:8"] {
            #expect(several.contains(expected), "\(expected) in \(several)")
        }
        // Issue 15: `name: ""` used to write the run straight into checkpoints/.
        for bad in ["\"\"", "a/b", "..", "\".\""] {
            let named = message { try RecipeLoader.parse(base.replacingOccurrences(of: "name: x", with: "name: \(bad)") + "  - pretrain: {}\n", file: "r.yaml") }
            #expect(named.contains("r.yaml:1") && named.contains("folder name"), "\(bad): \(named)")
        }
    }

    @Test func overridesAreTypeChecked() throws {
        let path = Self.recipes + "/quickstart.yaml"
        let recipe = try RecipeLoader.load(path: path, overrides: ["stages.unlearn.steps=200", "seed=7", "stages.unlearn.combiner.mode=one_sided"])
        #expect(recipe.seed == 7)
        let u = recipe.stages[3].options
        let combiner = try PluginChoice(try #require(u["combiner"]))
        #expect(u["steps"]?.value == .number(200) && combiner.options["mode"]?.value == .text("one_sided"))
        #expect(u["steps"]?.origin.line == 0)  // from an override: no line in the file
        #expect(recipe.yaml.contains("one_sided"))  // the resolved recipe is what runs store
        let unknown = message { try RecipeLoader.load(path: path, overrides: ["stages.unlearm.steps=3"]) }
        #expect(unknown.contains("unlearm") && unknown.hasPrefix(path + ": "), "\(unknown)")
        #expect(message { try RecipeLoader.load(path: path, overrides: ["seed"]) }.contains("key.path=value"))
        // Issue 15: a stage kind sets every stage of that kind (both evaluations measure alike);
        // an index sets one.
        let both = try RecipeLoader.load(path: path, overrides: ["stages.evaluate.toxicity.new_tokens=9"])
        let evaluations = both.stages.filter { $0.kind == "evaluate" }
        #expect(evaluations.count == 2 && evaluations.allSatisfy { $0.options["toxicity"]?["new_tokens"]?.value == .number(9) })
        let one = try RecipeLoader.load(path: path, overrides: ["stages.2.evaluate.toxicity.new_tokens=9"])
        #expect(one.stages.filter { $0.options["toxicity"]?["new_tokens"]?.value == .number(9) }.count == 1)
    }

    @Test func gridsExpandToTheCartesianProductInFileOrder() throws {
        let recipe = try RecipeLoader.load(path: Self.recipes + "/detox-gradient-surgery.yaml")
        let runs = try RecipeLoader.expand(recipe)
        #expect(runs.count == 12)
        #expect(Set(runs.map(\.name)).count == 12)
        let cells = try runs.map { run -> String in
            let u = run.stages[4].options
            return "\(try PluginChoice(try #require(u["objective"])).name) \(try PluginChoice(try #require(u["combiner"])).name) \(u["seed"]?.scalarText ?? "0")"
        }
        // The first axis in the file varies slowest.
        #expect(cells.prefix(4) == ["grad_diff sum 1", "grad_diff sum 2", "grad_diff sum 3", "grad_diff pcgrad 1"])
        #expect(Set(cells).count == 12 && Set(runs.map(\.seed)) == [1])
        #expect(runs.allSatisfy { (try? RecipeLoader.expand($0).count) == 1 })
    }

    @Test func inputPathsResolveAgainstTheRecipeFolderAndOutputAgainstTheWorkingDirectory() throws {
        let yaml = "name: x\ndata: {files: {forget: f.jsonl}}\ntokenizer: {file: ../t.json}\nmodel: {checkpoint: /abs/m.h5}\nstages: [{evaluate: {}}]\n"
        let recipe = try RecipeLoader.parse(yaml, file: "studies/x.yaml", folder: "studies")
        #expect(recipe.data == .files(["forget": Recipe.DataFile(path: "studies/f.jsonl")]))
        #expect(recipe.tokenizer == .file("studies/../t.json"))
        #expect(recipe.model == .checkpoint("/abs/m.h5"))
        #expect(recipe.output == "checkpoints/x")
        #expect(message { try RecipeLoader.load(path: Self.recipes + "/missing.yaml") }.contains("no such file"))
    }
}
