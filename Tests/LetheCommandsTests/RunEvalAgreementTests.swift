import Foundation
import LetheCommands
import LetheCorpus
import LetheEngine
import LetheEvaluation
import LetheRecipes
import Testing

/// `lethe run` and `lethe eval` are one evaluation path: the same model and data give the
/// same numbers (and the same per-example rows) through a recipe's evaluate stage and
/// through `lethe eval SUITE`, for every built-in suite, with each suite's own defaults.
@Suite("lethe run and lethe eval agree on every suite")
struct RunEvalAgreementTests {
    @Test func everySuiteGivesTheSameNumbersThroughBothCommands() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("agree-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let corpus = DefaultCorpus.generate(try DefaultCorpus.Configuration(
            seed: 2, people: 30, pretrainDocuments: 30, heldoutDocuments: 3, forgetItems: 8, nonmemberItems: 8, retainItems: 8,
            finetuneDocuments: 10, evalPrompts: 3, classificationItems: 40, qaQuestions: 5))
        _ = try corpus.write(to: root + "/data")
        let sets = ["pretrain", "heldout", "forget", "nonmember", "eval_prompts", "classification_train", "classification_test"]
        let files = sets.map { "\($0): data/\($0).jsonl" }.joined(separator: ", ")
        // Each suite with the options both commands get (toxicity shortened; everything else default).
        let suites: [(name: String, options: [String])] = [
            ("perplexity", []), ("membership", ["attacks=[loss, zlib, {min_k: {k: 0.3}}, min_k_plus_plus]"]),
            ("toxicity", ["protocol=sampled", "samples=2", "new_tokens=6"]), ("classification", []),
        ]
        func yamlOptions(_ options: [String]) -> String {
            "{" + options.map { $0.replacingOccurrences(of: "=", with: ": ") }.joined(separator: ", ") + "}"
        }
        let evaluate = suites.map { "\($0.name): \(yamlOptions($0.options))" }.joined(separator: ", ")
        let yaml = """
            name: agree
            seed: 5
            output: \(root)/run
            data: {files: {\(files)}}
            tokenizer: {train: {vocab_size: 320}}
            model: {config: {n_layer: 1, n_embd: 16, n_head: 2, n_positions: 64}}
            stages:
              - pretrain: {steps: 3, batch_size: 4, learning_rate: 1.0e-3}
              - evaluate: {\(evaluate)}

            """
        try yaml.write(toFile: root + "/agree.yaml", atomically: true, encoding: .utf8)
        _ = try RecipeRunner(recipe: RecipeLoader.load(path: root + "/agree.yaml")) { _ in }.run()
        let run = try RunResults.load(folder: root + "/run/evaluate-2")

        for (name, options) in suites {
            let out = root + "/eval-\(name)"
            var arguments = ["eval", "suite", name, "--model", root + "/run/model.h5", "--tokenizer", root + "/run/tokenizer.json",
                             "--out", out, "--seed", "5", "--classifier", root + "/run/toxicity-classifier"]
            for set in sets { arguments += ["--data", "\(set)=\(root)/data/\(set).jsonl"] }
            for option in options { arguments += ["--option", option] }
            var command = try Lethe.parseAsRoot(Self.onlyReadSets(arguments, suite: name))
            try command.run()
            let evaluated = try RunResults.load(folder: out)
            #expect(evaluated.suites[name] != nil && evaluated.suites[name] == run.suites[name], "\(name)")
        }
        // The per-example rows too (membership scores, toxicity completions).
        for file in ["mia_scores.jsonl", "toxicity_completions.jsonl"] {
            let folder = file.hasPrefix("mia") ? "membership" : "toxicity"
            let a = try String(contentsOfFile: root + "/run/evaluate-2/" + file, encoding: .utf8)
            let b = try String(contentsOfFile: root + "/eval-\(folder)/" + file, encoding: .utf8)
            #expect(a == b && !a.isEmpty, "\(file)")
        }
    }

    /// `lethe eval` refuses a `--data` set the suite does not read: keep the ones it does.
    static func onlyReadSets(_ arguments: [String], suite: String) -> [String] {
        let reads: [String: Set<String>] = [
            "perplexity": ["heldout"], "membership": ["forget", "nonmember"], "toxicity": ["eval_prompts"],
            "classification": ["classification_test"],
        ]
        var kept: [String] = []
        var index = 0
        while index < arguments.count {
            if arguments[index] == "--data", index + 1 < arguments.count {
                let set = String(arguments[index + 1].prefix { $0 != "=" })
                if reads[suite]?.contains(set) == true { kept += ["--data", arguments[index + 1]] }
                index += 2
            } else {
                kept.append(arguments[index])
                index += 1
            }
        }
        return kept
    }
}
