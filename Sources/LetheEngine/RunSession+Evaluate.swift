import Foundation
import LetheEvaluation
import LetheLayers
import LetheRecipes
import LetheText
import LetheUnlearning

/// The evaluate stage: perplexity on held-out documents, membership inference on forget
/// (members) against non-members, toxicity of continuations; the retrained oracle beside
/// the first evaluation after it, and PrivLeak against the oracle from then on.
extension RunSession {
    func evaluate(index: Int, perplexity: Bool, attacks: [String], toxicity: String?) throws {
        var added: [String] = []
        var oracleAUC = state.oracleAUC
        if let oracleFile = state.oracle, oracleAUC == nil {
            log("  evaluating the retrained oracle")
            let oracle = try Checkpoint.loadModel(from: folder.path + "/" + oracleFile)
            let name = "evaluate-\(index + 1)-oracle"
            let results = try evaluate(
                oracle, label: "retrained (oracle)", folder: name, perplexity: perplexity, attacks: attacks, toxicity: toxicity, oracleAUC: nil)
            oracleAUC = Dictionary(uniqueKeysWithValues: (results.membership?.attacks ?? []).map { ($0.attack, $0.rocAUC) })
            added.append(name)
        }
        let name = "evaluate-\(index + 1)"
        _ = try evaluate(model, label: state.label, folder: name, perplexity: perplexity, attacks: attacks, toxicity: toxicity, oracleAUC: oracleAUC)
        added.insert(name, at: 0)
        try commit {
            $0.evaluations += added
            $0.oracleAUC = oracleAUC
            $0.completedStages = index + 1
        }
        try folder.record(["event": "evaluation", "index": index, "folders": added])
    }

    /// Evaluates `target` into `folder/name`; with the oracle's AUCs, PrivLeak per attack too.
    private func evaluate(
        _ target: GPT2Model, label: String, folder name: String, perplexity: Bool, attacks: [String], toxicity: String?,
        oracleAUC: [String: Double]?
    ) throws -> RunResults {
        let out = folder.path + "/" + name
        let seed = state.evaluationSeed
        let T = target.configuration.contextLength
        var results = RunResults(label: label)
        if perplexity {
            results.perplexity = try Perplexity.evaluate(model: target, documents: data.heldout, encoder: tokenizer)
        }
        if !attacks.isEmpty {
            func scored(_ pairs: [StudyData.Pair]) throws -> [ScoredSequence] {
                try pairs.map { try ScoredSequence(TextExample(prompt: $0.prompt, completion: $0.completion), encoder: tokenizer, options: encodingOptions) }
            }
            let report = try MembershipInference.evaluate(
                model: target, members: scored(data.forget), nonMembers: scored(data.nonmembers),
                attacks: try attacks.map(RecipeRunner.attack), resamples: 200, seed: seed)
            results.membership = report
            if let oracleAUC {
                results.privLeak = Dictionary(uniqueKeysWithValues: report.attacks.compactMap { r in
                    oracleAUC[r.attack].map { (r.attack, privLeak(auc: r.rocAUC, retrainedAUC: $0)) }
                })
            }
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try RunResults.writeLines(report.scoreRows, folder: out, name: "mia_scores.jsonl")
        }
        if let toxicity {
            let scorer = try toxicityScorer()
            let newTokens = min(toxicity == "sampled" ? 20 : 30, T / 2)
            let outcome = try ToxicityEvaluation.evaluate(
                model: target, prompts: data.evalPrompts, encoder: LastTokens(tokenizer: tokenizer, count: T - newTokens), decoder: tokenizer,
                protocol: toxicity == "sampled" ? .sampled(samples: 5, maxNewTokens: newTokens, topP: 0.9) : .greedy(maxNewTokens: newTokens),
                scorer: scorer, seed: seed)
            results.toxicity = RunResults.ToxicitySummary(outcome)
        }
        try results.save(folder: out)
        return results
    }

    /// The run's toxicity scorer: trained once on the labelled set with the run's tokenizer
    /// (a small GPT-2 classifier), saved in the run folder and reloaded on resume.
    private func toxicityScorer() throws -> ToxicityClassifier {
        if let classifier { return classifier }
        log("  training the toxicity classifier")
        let examples = data.classificationTrain.map { TextExample(text: $0.text, label: $0.toxic ? 1 : 0) }
        let configuration = GPT2Configuration(
            vocabularySize: tokenizer.vocabularySize, contextLength: 64, embeddingSize: 64, layerCount: 2, headCount: 2,
            residualDropout: 0, embeddingDropout: 0, attentionDropout: 0)
        let trained = try ToxicityClassifier.train(
            examples: examples, tokenizer: tokenizer, configuration: configuration,
            training: .init(steps: min(150, max(20, examples.count / 8)), batchSize: 16, learningRate: 1e-3, maxLength: 64, seed: recipe.seed))
        let directory = "toxicity-classifier"
        try trained.save(directory: folder.path + "/" + directory)
        classifier = trained
        try commit { $0.classifier = directory }
        return trained
    }
}

/// Encodes with the tokenizer and keeps the last `count` tokens (prompts leave room for the
/// continuation inside the context).
private struct LastTokens: TokenEncoder {
    let tokenizer: GPT2Tokenizer
    let count: Int
    func encode(_ text: String) throws -> [Int] { Array(tokenizer.encode(text).suffix(count)) }
}
