import Foundation
import LetheEngine
import LetheEvaluation
import LetheRecipes
import LetheReports
import LetheStorage
import LetheUnlearning
import Testing

@Suite("lethe run: a whole recipe, end to end, on a tiny configuration")
struct RecipeRunnerTests {
    @Test func tinyRecipeRunsEveryStageAndWritesTheRunFolder() throws {
        let output = TinyRecipe.temporaryFolder("run")
        defer { try? FileManager.default.removeItem(atPath: output) }
        var lines: [String] = []
        let recipe = try RecipeLoader.parse(TinyRecipe.yaml(output: output), file: "tiny.yaml")
        let table = try RecipeRunner(recipe: recipe) { lines.append($0) }.run()
        let markdown = table.markdown()
        #expect(table.rows.map(\.label) == ["base (fine-tuned)", "retrained (oracle)", "grad_diff+pcgrad"], "\(markdown)")
        #expect(table.columns.last == "PrivLeak")
        for file in ["recipe.yaml", "state.json", "events.jsonl", "tokenizer.json", "model.h5", "oracle.h5", "gradients.h5", "table.md",
                     "evaluate-4/results.json", "evaluate-4-oracle/results.json", "evaluate-6/results.json", "evaluate-6/mia_scores.jsonl",
                     "toxicity-classifier/model.safetensors"] {
            #expect(FileManager.default.fileExists(atPath: output + "/" + file), "\(file)")
        }
        // Every stage's model is kept (issue 15), so each can be evaluated or generated from;
        // within-stage checkpoints are removed once the state no longer points at them.
        let models = try FileManager.default.contentsOfDirectory(atPath: output).filter { $0.hasPrefix("stage-") }.sorted()
        #expect(models == ["stage-1-pretrain.h5", "stage-2-finetune.h5", "stage-5-unlearn.h5"], "\(models)")
        #expect(try TinyRecipe.weights(output + "/model.h5") == TinyRecipe.weights(output + "/stage-5-unlearn.h5"))

        let after = try RunResults.load(folder: output + "/evaluate-6")
        #expect(after.perplexity.map { $0.wordPerplexity.isFinite } == true)
        #expect(after.toxicity.map { (0...1).contains($0.meanToxicity) } == true)
        // PrivLeak is the formula applied to this run's AUC and the oracle's.
        let oracle = try RunResults.load(folder: output + "/evaluate-4-oracle")
        let auc = try #require(after.membership?[attack: "loss"]?.rocAUC)
        let oracleAUC = try #require(oracle.membership?[attack: "loss"]?.rocAUC)
        #expect(after.privLeak?["loss"] == privLeak(auc: auc, retrainedAUC: oracleAUC))
        let events = try String(contentsOfFile: output + "/events.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(events.contains { $0.contains("\"checkpoint\"") } && events.count > 10)
        #expect(try GradientInspection(path: output).steps == [1, 2, 3, 4, 5, 6])
        // The same recipe again continues the finished run (nothing to do); another is refused.
        var again: [String] = []
        #expect(try RecipeRunner(recipe: recipe) { again.append($0) }.run() == table)
        #expect(again.count == 1 && again[0].contains("continuing"), "\(again)")
        let other = try RecipeLoader.parse(TinyRecipe.yaml(output: output, retrain: false), file: "tiny.yaml")
        #expect { try RecipeRunner(recipe: other) { _ in }.run() } throws: { "\($0)".contains("another recipe") }
    }

    @Test func aGridRunsItsSharedStagesOnceAndAveragesOverSeeds() throws {
        // A relative output (as recipes usually have): `run/../shared` must still be one folder.
        let output = "checkpoints-test-\(UUID().uuidString)/study"
        defer { try? FileManager.default.removeItem(atPath: (output as NSString).deletingLastPathComponent) }
        let yaml = TinyRecipe.yaml(output: output, retrain: false) + "grid: {stages.unlearn.combiner: [sum, pcgrad], stages.unlearn.seed: [1, 2]}\n"
        let table = try RecipeRunner(recipe: try RecipeLoader.parse(yaml, file: "tiny.yaml")) { _ in }.run()
        #expect(table.rows.map(\.label) == ["base (fine-tuned)", "grad_diff+sum", "grad_diff+pcgrad"], "\(table.markdown())")
        let shared = try String(contentsOfFile: output + "/shared/events.jsonl", encoding: .utf8)
        #expect(shared.components(separatedBy: "\"event\":\"stage\"").count - 1 == 3)  // pretrain, finetune, evaluate
        for cell in ["combiner=sum-seed=1", "combiner=sum-seed=2", "combiner=pcgrad-seed=1", "combiner=pcgrad-seed=2"] {
            let events = try String(contentsOfFile: output + "/\(cell)/events.jsonl", encoding: .utf8)
            #expect(!events.contains("\"kind\":\"pretrain\""), "\(cell) ran the shared stages again")
            #expect(FileManager.default.fileExists(atPath: output + "/\(cell)/evaluate-5/results.json"), "\(cell)")
        }
        // The row of a method is the mean over its two seeds, with an interval around it.
        let runs = try ["combiner=sum-seed=1", "combiner=sum-seed=2"].map { try RunResults.load(folder: output + "/\($0)/evaluate-5") }
        let toxicity = runs.compactMap { $0.toxicity?.meanToxicity }
        let sumRow = try #require(table.rows.first { $0.label == "grad_diff+sum" })
        let cell = try #require(sumRow.cells[0])
        #expect(abs(cell.value - (toxicity[0] + toxicity[1]) / 2) < 1e-12)
        #expect(cell.interval.map { $0.lower <= cell.value && cell.value <= $0.upper } == true)
        #expect(FileManager.default.fileExists(atPath: output + "/table.md"))
        // `lethe table STUDY` reads the same evaluations back: the shared one once, then each run's.
        let collected = try StudyResults.load([output])
        #expect(collected.map(\.label) == ["base (fine-tuned)"] + ["grad_diff+sum", "grad_diff+sum", "grad_diff+pcgrad", "grad_diff+pcgrad"])
        #expect(try RunTables.detoxification(groups: RunTables.grouped(collected)) == table)
        #expect(try StudyResults.load([output + "/combiner=sum-seed=1"]).map(\.label) == ["base (fine-tuned)", "grad_diff+sum"])
        // `lethe plot roc STUDY` reads them through the same reader: one curve per evaluation.
        #expect(try RunPlots.roc(paths: [output], attack: "loss").series.filter(\.inLegend).count == collected.count)
    }
}
