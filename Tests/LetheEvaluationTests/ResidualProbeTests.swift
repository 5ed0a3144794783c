import Foundation
import LetheEvaluation
import LetheRecipes
import LetheLayers
import LetheTensor
import LetheText
import Testing

/// The committed scikit-learn reference of `scripts/reference/make_probe_fixture.py`.
private struct ProbeFixture: Decodable {
    struct Case: Decodable {
        var n: Int; var d: Int; var c: Double; var features: [Double]; var labels: [Int]
        var weights: [Double]; var intercept: Double; var probabilities: [Double]
    }
    var cases: [Case]
}

@Suite("Residual-knowledge probe: logistic regression and the probe suite")
struct ResidualProbeTests {
    @Test("Newton's logistic regression reaches scikit-learn's optimum")
    func matchesScikitLearn() throws {
        let fixture = try JSONDecoder().decode(ProbeFixture.self, from: fixtureData("probe_reference.json"))
        for (i, c) in fixture.cases.enumerated() {
            let fit = try LogisticRegression.fit(features: c.features, labels: c.labels, dimension: c.d, inverseRegularization: c.c)
            let worst = zip(fit.weights + [fit.intercept], c.weights + [c.intercept]).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst < 1e-6, "case \(i): largest coefficient difference \(worst)")
            let p = zip(fit.probabilities(c.features), c.probabilities).map { abs($0 - $1) }.max() ?? .infinity
            #expect(p < 1e-7, "case \(i): largest probability difference \(p)")
        }
        #expect(throws: EvaluationError.self) { try LogisticRegression.fit(features: [1, 2], labels: [0, 2], dimension: 1) }
        #expect(throws: EvaluationError.self) { try LogisticRegression.fit(features: [1, 2, 3], labels: [0, 1], dimension: 1) }
    }

    @Test("The probe separates members that share a marker token and not a random split")
    func suite() throws {
        let (model, tokenizer) = (try tinyTokenizerModel(), try fixtureTokenizer())
        let names = ["Ana", "Bo", "Cy", "Dee", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jo"]
        let data: [String: [TextExample]] = [
            // Members end with the same word, non-members with another: the last token differs.
            "forget": names.map { TextExample(prompt: "Where does \($0) live?", completion: " by the mill") },
            "nonmember": names.map { TextExample(prompt: "Where does \($0) live?", completion: " at sea") },
            "same_a": names.prefix(5).map { TextExample(text: "\($0) lives by the mill") },
            "same_b": names.suffix(5).map { TextExample(text: "\($0) lives by the mill") },
        ]
        let context = EvaluationContext(model: model, tokenizer: tokenizer, datasets: data, seed: 2)
        let (_, suite) = try EvaluationSuites.builtIn.make(try PluginChoice(try OptionAssignments.value("{probe: {folds: 5}}")))
        let result = try suite.evaluate(context)
        #expect(result.summary.metrics["accuracy.layer1"] == 1 && result.summary.metrics["majority"] == 0.5)
        #expect(result.rows.first?.file == "probe_layers.jsonl" && result.rows.first?.rows.count == 1)
        // The same texts split in two: the probe cannot do better than chance on average.
        let (_, chance) = try EvaluationSuites.builtIn.make(
            try PluginChoice(try OptionAssignments.value("{probe: {members: same_a, non_members: same_b, folds: 5}}")))
        #expect((try chance.evaluate(context).summary.metrics["accuracy.layer1"] ?? 1) <= 0.8)
        #expect(throws: OptionError.self) { try EvaluationSuites.builtIn.make(try PluginChoice(try OptionAssignments.value("{probe: {folds: 1}}"))) }
    }
}

@Suite("Logit lens")
struct LogitLensTests {
    @Test("The last layer's lens is the model's logits: ranks and log-probabilities agree with direct scoring")
    func lastLayerIsTheModel() throws {
        let (model, tokenizer) = (try tinyTokenizerModel(contextLength: 32), try fixtureTokenizer())
        let examples = ["Ana", "Bo", "Cy"].map { TextExample(prompt: "Where does \($0) live?", completion: " \($0) lives by the mill.") }
        let context = EvaluationContext(model: model, tokenizer: tokenizer, datasets: ["forget": examples])
        let (_, suite) = try EvaluationSuites.builtIn.make(try PluginChoice(try OptionAssignments.value("{logit_lens: {batch_size: 2}}")))
        let m = try suite.evaluate(context).summary.metrics
        // The mean log-probability of the completion tokens under the model itself.
        let encoding = EncodingOptions(maxLength: 32, truncation: .dropPromptStart)
        let stats = try model.tokenStatistics(examples.map { try ScoredSequence($0, encoder: tokenizer, options: encoding) })
        let all = stats.flatMap(\.logProbabilities)
        let direct = all.reduce(0, +) / Double(all.count)
        #expect(abs((m["log_probability.layer1"] ?? 0) - direct) < 1e-4, "\(m["log_probability.layer1"] ?? .nan) vs \(direct)")
        #expect((m["top10.layer1"] ?? -1) >= (m["top1.layer1"] ?? 2))
    }
}

@Suite("Logit lens and quantization on a Llama-family model")
struct LlamaLensTests {
    @Test("RMSNorm lens: the last layer equals the model; quantization keeps norms and embeddings")
    func llama() throws {
        var rng = RandomGenerator(seed: 9)
        let model = try LlamaModel(
            configuration: LlamaConfiguration(
                vocabularySize: 700, embeddingSize: 16, mlpSize: 32, layerCount: 2, headCount: 2, keyValueHeadCount: 1,
                contextLength: 32, rmsNormEpsilon: 1e-5, initializerRange: 0.3, beginningOfTextID: nil, endOfTextIDs: [0]),
            rng: &rng)
        let tokenizer = try fixtureTokenizer()
        let examples = ["Ana", "Bo", "Cy"].map { TextExample(prompt: "Where does \($0) live?", completion: " \($0) lives by the mill.") }
        let context = EvaluationContext(model: model, tokenizer: tokenizer, datasets: ["forget": examples])
        let m = try LogitLensSuite(options: PluginOptions()).evaluate(context).summary.metrics
        let encoding = EncodingOptions(maxLength: 32, truncation: .dropPromptStart)
        let all = try model.tokenStatistics(examples.map { try ScoredSequence($0, encoder: tokenizer, options: encoding) }).flatMap(\.logProbabilities)
        #expect(abs((m["log_probability.layer2"] ?? 0) - all.reduce(0, +) / Double(all.count)) < 1e-4)
        #expect(m["log_probability.layer1"] != m["log_probability.layer2"])
        // int8 on a copy: the linear maps ([out, in]) change, norms and embeddings do not.
        let copy = try model.copy()
        let codes = try ModelQuantization.apply(.int8, to: copy, targets: .linears)
        #expect(!codes.isEmpty && codes.keys.allSatisfy { $0.hasPrefix("model.layers.") })
        for name in model.parameters.names {
            let changed = (try model.tensor(name)).floats != (try copy.tensor(name)).floats
            #expect(changed == (codes[name] != nil), "\(name)")
        }
        #expect(try ModelQuantization.matrices(of: model, targets: .linears).allSatisfy { !$0.transposed && $0.layer.hasPrefix("model.layers.") })
    }
}
