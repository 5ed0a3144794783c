import Foundation
import LetheEngine
import LetheEvaluation
import LetheOptions
import LetheRecipes
import Testing

@Suite("The run plan: every mistake of a recipe, before stage 1")
struct RunPlanTests {
    private func problems(_ yaml: String, file: String = "r.yaml") -> [String] {
        do {
            let folder = (file as NSString).deletingLastPathComponent
            _ = try RecipeRunner(recipe: try RecipeLoader.parse(yaml, file: file, folder: folder.isEmpty ? "." : folder)) { _ in }.check()
            return []
        } catch let error as OptionErrors {
            return error.problems.map(\.description)
        } catch {
            return ["\(error)"]
        }
    }

    @Test func tenMistakesGiveTenMessagesWithLines() {
        let yaml = """
            name: ten
            seed: 1
            \(TinyRecipe.data)
            stages:
              - pretrain: {steps: 4, batch_sise: 4}
              - finetune: {steps: -1, schedule: cosinus}
              - pretrian: {steps: 2}
              - unlearn: {objective: {name: grad_dif}, combiner: pcgard, steps: 2}
              - unlearn: {objective: {name: npo, beta: -1}, learning_rate: fast}
              - evaluate: {perplexty: {}, membership: {attacks: [loss, lira]}}

            """
        let found = problems(yaml)
        #expect(found.count == 10, "\(found.joined(separator: "\n"))")
        for (needle, line) in [
            ("batch_sise", 9), ("stages.1.finetune.steps", 10), ("cosinus", 10), ("unknown stage 'pretrian'", 11), ("grad_dif", 12),
            ("pcgard", 12), ("beta", 13), ("learning_rate", 13), ("perplexty", 14), ("lira", 14),
        ] {
            #expect(found.contains { $0.contains(needle) && $0.hasPrefix("r.yaml:\(line):") }, "\(needle) at line \(line): \(found)")
        }
    }

    @Test func hostileNumbersAreMistakesToo() {
        let yaml = "name: x\n" + TinyRecipe.data + "\nstages: [{pretrain: {steps: -1e308, learning_rate: .nan, warmup_steps: 1e300}}]\n"
        let found = problems(yaml)
        #expect(found.count == 3 && found.allSatisfy { $0.contains("stages.0.pretrain.") }, "\(found)")
    }

    @Test func aModelConfigTypoIsAnErrorNotGPT2Small() {
        let yaml = "name: x\n" + TinyRecipe.data.replacingOccurrences(of: "n_layer: 1", with: "n_layre: 1") + "\nstages: [{pretrain: {steps: 1}}]\n"
        let found = problems(yaml)
        #expect(found.count == 1 && found[0].contains("n_layre") && found[0].contains("n_layer"), "\(found)")
    }

    @Test func aWrongNameStopsTheRunBeforeAnythingRuns() throws {
        let output = TinyRecipe.temporaryFolder("plan")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let yaml = TinyRecipe.yaml(output: output, unlearn: "{name: grad_dif}")
        #expect { try RecipeRunner(recipe: RecipeLoader.parse(yaml)) { _ in }.run() } throws: { "\($0)".contains("grad_dif") }
        #expect(!FileManager.default.fileExists(atPath: output), "the run started before the plan failed")
    }

    @Test func dataFilesAreCheckedAgainstWhatTheStagesRead() throws {
        let folder = TinyRecipe.temporaryFolder("files")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "{\"text\": \"a document\"}\n".write(toFile: folder + "/docs.jsonl", atomically: true, encoding: .utf8)
        try "{\"prompt\": \"hi\"}\n".write(toFile: folder + "/forget.jsonl", atomically: true, encoding: .utf8)
        let yaml = """
            name: files
            data: {files: {pretrain: docs.jsonl, forget: forget.jsonl, classification_test: docs.jsonl, missing: nowhere.jsonl}}
            tokenizer: {train: {vocab_size: 300}}
            model: {config: {n_layer: 1, n_embd: 16, n_head: 2, n_positions: 32}}
            stages:
              - pretrain: {steps: 1}
              - unlearn: {objective: grad_ascent, steps: 1}

            """
        let found = problems(yaml, file: folder + "/r.yaml").joined(separator: "\n")
        #expect(found.contains("nowhere.jsonl"), "\(found)")
        #expect(found.contains("forget.jsonl:1") && found.contains("prompt and completion"), "\(found)")
        #expect(found.contains("no stage reads the data set 'classification_test'"), "\(found)")
    }

    @Test func everyTrainingStageTakesTheSameOptions() throws {
        let yaml = """
            name: same
            \(TinyRecipe.data)
            stages:
              - pretrain: {steps: 2, accumulation: 2, betas: [0.8, 0.95], epsilon: 1.0e-6, checkpoint_every: 1, gradient_log_every: 2}
              - finetune: {steps: 2, accumulation: 3, lora: {rank: 2, targets: [attn.c_attn]}, eval_every: 1, early_stop: {metric: train_loss, below: 0.1}}
              - unlearn: {objective: dpo, preferred: retain, steps: 1}

            """
        let plans = try RecipeRunner(recipe: RecipeLoader.parse(yaml)) { _ in }.check()
        let stages = try #require(plans.first?.stages)
        let pretrain = try #require(stages[0] as? PretrainStage)
        #expect(pretrain.training.options.accumulation == 2 && pretrain.training.options.betas == [0.8, 0.95])
        let finetune = try #require(stages[1] as? FinetuneStage)
        #expect(finetune.training.options.accumulation == 3 && finetune.training.options.lora?.rank == 2)
        #expect(finetune.training.options.earlyStop?.metric == "train_loss")
        let noPreferred = problems(yaml.replacingOccurrences(of: "objective: dpo, preferred: retain", with: "objective: dpo"))
        #expect(noPreferred.count == 1 && noPreferred[0].contains("preferred"), "\(noPreferred)")
    }
}

@Suite("data.files: plain-text files read as the stage that reads them says")
struct TextUnitTests {
    /// A `.txt` held-out file is one document for perplexity, in `lethe run` as in
    /// `lethe eval perplexity`; a `.txt` of pretraining text is a record per line.
    @Test func aTextFileOfHeldOutTextIsOneDocument() throws {
        let folder = TinyRecipe.temporaryFolder("txt")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let lines = (0..<40).map { "Line \($0) of a small document about the weather and the sea." }
        try lines.joined(separator: "\n").write(toFile: folder + "/pretrain.txt", atomically: true, encoding: .utf8)
        try lines.prefix(5).joined(separator: "\n").write(toFile: folder + "/heldout.txt", atomically: true, encoding: .utf8)
        let yaml = """
            name: txt
            output: \(folder)/run
            data: {files: {pretrain: pretrain.txt, heldout: heldout.txt}}
            tokenizer: {train: {vocab_size: 300}}
            model: {config: {n_layer: 1, n_embd: 16, n_head: 2, n_positions: 32}}
            stages:
              - pretrain: {steps: 1, batch_size: 2}
              - evaluate: {perplexity: {}}

            """
        _ = try RecipeRunner(recipe: RecipeLoader.parse(yaml, file: folder + "/r.yaml", folder: folder)) { _ in }.run()
        let results = try RunResults.load(folder: folder + "/run/evaluate-2")
        #expect(results.perplexity?.documents == 1)
    }
}
