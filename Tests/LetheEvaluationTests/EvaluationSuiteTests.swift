import Foundation
import LetheEvaluation
import LetheRecipes
import LetheLayers
import LetheText
import Testing

@Suite("Evaluation suites: strict options, one path, same numbers")
struct EvaluationSuiteTests {
    /// The message of the error `body` throws ("" when it throws none).
    private func failure(_ body: () throws -> Void) -> String {
        do {
            try body()
            return ""
        } catch {
            return "\(error)"
        }
    }

    private func options(_ node: String, owner: String) throws -> PluginOptions {
        try PluginOptions(node: try OptionAssignments.value(node), owner: owner)
    }

    @Test("Every suite names an unknown key and lists the accepted ones")
    func unknownKeysAreNamed() throws {
        let accepted = [
            "perplexity": "batch_size, context, convention, data, stride",
            "membership": "attacks, batch_size, max_length, members, non_members, resamples, truncation",
            "toxicity": "data, new_tokens, protocol, samples, scorer, top_p",
            "classification": "data, scorer, threshold",
            "quantization": "metrics, reference, schemes, targets",
            "logit_lens": "batch_size, data, max_length",
            "probe": "batch_size, c, folds, max_length, members, non_members",
            "qa": "batch_size, file, forget, max_questions, new_tokens, oracle, oracle_model, retain, world",
        ]
        #expect(EvaluationSuites.builtIn.names == accepted.keys.sorted())
        for (name, type) in EvaluationSuites.builtIn.entries {
            let message = failure { _ = try type.init(options: try options("{resampels: 3}", owner: "evaluation suite \(name)")) }
            #expect(message.contains("resampels: unknown option 'resampels'; accepted: \(accepted[name] ?? "?")"), "\(message)")
            #expect(message.contains("(evaluation suite \(name))"))
            // No options: every default is valid.
            _ = try type.init(options: PluginOptions())
        }
    }

    @Test("Bad values are named with their key")
    func badValues() throws {
        let cases: [(String, String, String)] = [
            ("toxicity", "{samples: 5}", "samples: applies to protocol sampled only"),
            ("toxicity", "{protocol: beam}", "protocol: 'beam' is not one of greedy, sampled"),
            ("toxicity", "{protocol: sampled, top_p: 1.5}", "top_p: must lie in (0, 1]"),
            ("toxicity", "{scorer: {folder: x}}", "scorer: expects run or {path: DIR}"),
            ("perplexity", "{stride: 16}", "stride: applies to convention sliding_window only"),
            ("membership", "{attacks: [loss, lira]}", "unknown membership attack 'lira'; available: loss, min_k, min_k_plus_plus, reference, zlib"),
            ("membership", "{attacks: [{min_k: {k: 2}}]}", "attacks.0.min_k.k: must lie in (0, 1], got 2"),
            ("membership", "{attacks: [{min_k: {kk: 2}}]}", "unknown option 'kk'; accepted: k (membership attack min_k)"),
            ("membership", "{attacks: [reference]}", "the reference attack needs its model"),
            ("membership", "{attacks: [loss, loss]}", "attack loss is listed twice"),
            ("membership", "{resamples: -1}", "resamples: must be between 0 and"),
            ("classification", "{threshold: high}", "threshold: expects a finite number"),
        ]
        for (suite, node, expected) in cases {
            let type = try EvaluationSuites.builtIn.lookup(suite)
            let message = failure { _ = try type.init(options: try options(node, owner: "evaluation suite \(suite)")) }
            #expect(message.contains(expected), "\(suite) \(node): \(message)")
        }
        // With diagnostics every mistake is collected in one pass.
        let diagnostics = Diagnostics()
        let choice = try PluginChoice(try OptionAssignments.value("{membership: {attacks: [lira, {min_k: {k: 3}}], resamples: x}}"))
        _ = try EvaluationSuites.builtIn.make(choice, diagnostics: diagnostics)
        #expect(diagnostics.problems.count == 3)
    }

    @Test("Defaults live in the suites: 1000 resamples, 50 greedy / 20 sampled tokens, 25 samples at top-p 0.9")
    func defaults() throws {
        let membership = try MembershipSuite(options: PluginOptions())
        #expect(membership.resamples == 1000 && membership.attackLabels == ["loss", "zlib", "min_k@0.2"])
        #expect(membership.requirements.map(\.name) == ["forget", "nonmember"])
        #expect(try ToxicitySuite(options: PluginOptions()).generation == .greedy(maxNewTokens: 50))
        let sampled = try ToxicitySuite(options: PluginOptions(["protocol": .text("sampled")]))
        #expect(sampled.generation == .sampled(samples: 25, maxNewTokens: 20, topP: 0.9))
        let renamed = try ToxicitySuite(options: PluginOptions(["data": .text("my_prompts")]))
        #expect(renamed.requirements.map(\.name) == ["my_prompts"])
        #expect(try PerplexitySuite(options: PluginOptions()).requirements.first?.textUnit == .document)
    }

    @Test("The membership suite with attacks as choices gives MembershipInference's AUCs")
    func membershipSuiteMatchesDirectEvaluation() throws {
        let (model, tokenizer, data) = (try tinyTokenizerModel(), try fixtureTokenizer(), suiteDatasets())
        let suite = try MembershipSuite(
            options: try options("{attacks: [loss, zlib, {min_k: {k: 0.4}}, min_k_plus_plus], resamples: 20}", owner: "membership"))
        let context = EvaluationContext(model: model, tokenizer: tokenizer, datasets: data, seed: 7)
        let viaSuite = try #require(try suite.evaluate(context).summary.membership)
        let encoding = EncodingOptions(maxLength: 32, truncation: .dropPromptStart)
        func scored(_ set: String) throws -> [ScoredSequence] {
            try (data[set] ?? []).map { try ScoredSequence($0, encoder: tokenizer, options: encoding) }
        }
        let direct = try MembershipInference.evaluate(
            model: model, members: scored("forget"), nonMembers: scored("nonmember"),
            attacks: [LossAttack(), ZlibAttack(), MinKAttack(k: 0.4), MinKPlusPlusAttack()], resamples: 20, seed: 7)
        #expect(viaSuite == direct)
        #expect(viaSuite.attacks.map(\.attack) == ["loss", "zlib", "min_k@0.4", "min_k++@0.2"])
        // With the oracle's AUCs, PrivLeak per attack it holds.
        var withOracle = context
        withOracle.retrainedAUC = ["loss": 0.6]
        let leak = try #require(try suite.evaluate(withOracle).summary.membership?.privLeak)
        #expect(leak == ["loss": privLeak(auc: direct.attacks[0].rocAUC, retrainedAUC: 0.6)])
    }

    @Test("A reference attack loads its model through the context")
    func referenceModelFromContext() throws {
        let (model, tokenizer, data) = (try tinyTokenizerModel(), try fixtureTokenizer(), suiteDatasets())
        let reference = try tinyTokenizerModel(seed: 2)
        var asked: [String] = []
        let context = EvaluationContext(
            model: model, tokenizer: tokenizer, datasets: data,
            loadModel: { path in
                asked.append(path)
                return reference
            })
        let suite = try MembershipSuite(options: try options("{attacks: [loss, {reference: {model: base/}}], resamples: 0}", owner: "m"))
        let report = try #require(try suite.evaluate(context).summary.membership)
        #expect(asked == ["base/"] && report.attacks.map(\.attack) == ["loss", "reference"])
    }

    @Test("Evaluation.run: checks data first, writes results.json by suite name and the per-example rows")
    func oneEvaluationPath() throws {
        let (model, tokenizer) = (try tinyTokenizerModel(), try fixtureTokenizer())
        var data = suiteDatasets()
        let scorer = ClosureToxicityScorer { text in text.contains("a") ? 0.8 : 0.1 }
        let context = EvaluationContext(
            model: model, tokenizer: tokenizer, datasets: data, seed: 3, toxicityScorer: { _ in scorer })
        let suites = try ["perplexity", "{membership: {resamples: 10}}", "{toxicity: {new_tokens: 4}}", "classification"].map {
            try EvaluationSuites.builtIn.make(try PluginChoice(try OptionAssignments.value($0)))
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("eval-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let results = try Evaluation.run(suites: suites, context: context, label: "tiny", folder: folder)
        #expect(results.suites.keys.sorted() == ["classification", "membership", "perplexity", "toxicity"])
        #expect(try RunResults.load(folder: folder) == results)
        for file in ["results.json", "mia_scores.jsonl", "perplexity_documents.jsonl", "toxicity_completions.jsonl", "classification_scores.jsonl"] {
            #expect(FileManager.default.fileExists(atPath: folder + "/" + file), "\(file)")
        }
        #expect(results.perplexity?.documents == 2 && results.toxicity?.prompts == 3)
        #expect(results.classification?["classification_test"]?.count == 8)
        // Per-document rows sum to the total.
        let lines = try String(contentsOfFile: folder + "/perplexity_documents.jsonl", encoding: .utf8).split(separator: "\n")
        let nll = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])["nll"] as? Double ?? 0 }
        #expect(abs(nll.reduce(0, +) - (results.perplexity?.totalNLL ?? 0)) < 1e-6)
        // Missing fields are found before any model work, with file and line.
        data["forget"]?.append(TextExample(prompt: "no completion", source: "forget.jsonl", line: 9))
        let bad = EvaluationContext(model: model, tokenizer: tokenizer, datasets: data)
        #expect(failure { try Evaluation.run(suites: suites, context: bad, label: "x", folder: folder) }.contains(
            "forget.jsonl:9: a record of data set 'forget' (members) needs prompt and completion, or text (evaluation suite membership)"))
        #expect(failure { try Evaluation.run(suites: [suites[0], suites[0]], context: context, label: "x", folder: folder) }
            .contains("used twice"))
    }

    @Test("Toxicity prompts keep their last (context − new_tokens) tokens")
    func promptsKeepTheirEnd() throws {
        let (model, tokenizer) = (try tinyTokenizerModel(contextLength: 16), try fixtureTokenizer())
        let long = String(repeating: "the old mill by the river ", count: 10)
        let context = EvaluationContext(
            model: model, tokenizer: tokenizer, datasets: ["eval_prompts": [TextExample(prompt: long)]],
            toxicityScorer: { _ in ClosureToxicityScorer { _ in 0 } })
        let result = try ToxicitySuite(options: PluginOptions(["new_tokens": .number(6)])).evaluate(context)
        #expect(result.summary.toxicity?.prompts == 1)
        let tooMany = try ToxicitySuite(options: PluginOptions(["new_tokens": .number(16)]))
        #expect(failure { _ = try tooMany.evaluate(context) }.contains("leaves no room for a prompt"))
    }
}
