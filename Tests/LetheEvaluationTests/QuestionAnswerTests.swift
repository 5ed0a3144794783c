import Foundation
import LetheEvaluation
import LetheRecipes
import LetheText
import Testing

/// The committed scipy / rouge-score reference of `scripts/reference/make_qa_metrics_fixture.py`.
private struct QAFixture: Decodable {
    struct KS: Decodable { var a: [Double]; var b: [Double]; var statistic: Double; var pvalue: Double }
    struct Rouge: Decodable { var target: String; var prediction: String; var precision: Double; var recall: Double; var fmeasure: Double }
    struct Set: Decodable { var gt: [Double]; var paraphrased: [Double]; var perturbed: [[Double]]; var rouge: [Double] }
    struct Tofu: Decodable { var sets: [String: Set]; var expected: [String: Double] }
    var ks: [KS]
    var rouge: [Rouge]
    var tofu: Tofu
}

private func close(_ a: Double, _ b: Double, relative: Double = 1e-9) -> Bool { abs(a - b) <= relative * max(abs(b), 1e-300) }

@Suite("TOFU question-answer metrics and the qa suite")
struct QuestionAnswerTests {
    private func fixture() throws -> QAFixture { try JSONDecoder().decode(QAFixture.self, from: fixtureData("qa_metrics_reference.json")) }

    @Test("Two-sample KS statistic and exact p-value equal scipy's ks_2samp, tiny p-values included")
    func kolmogorovSmirnov() throws {
        for (i, c) in try fixture().ks.enumerated() {
            let r = try KolmogorovSmirnov.twoSample(c.a, c.b)
            #expect(close(r.statistic, c.statistic, relative: 1e-12), "case \(i): D \(r.statistic) vs \(c.statistic)")
            #expect(close(r.pValue, c.pvalue, relative: 1e-9), "case \(i): p \(r.pValue) vs \(c.pvalue)")
            // Symmetric in the two samples.
            #expect(close(try KolmogorovSmirnov.twoSample(c.b, c.a).pValue, r.pValue, relative: 1e-12))
        }
        #expect(throws: EvaluationError.self) { try KolmogorovSmirnov.twoSample([], [1]) }
        #expect(throws: EvaluationError.self) { try KolmogorovSmirnov.twoSample([.nan], [1]) }
    }

    @Test("ROUGE-L precision, recall and F equal rouge-score's (no stemmer)")
    func rouge() throws {
        for c in try fixture().rouge {
            let s = RougeL.score(target: c.target, prediction: c.prediction)
            #expect(close(s.recall, c.recall) && close(s.precision, c.precision) && close(s.fMeasure, c.fmeasure), "\(c.target) | \(c.prediction): \(s)")
        }
    }

    @Test("Truth ratio, probabilities, forget quality and model utility follow TOFU's aggregate_eval_stat")
    func tofuAggregates() throws {
        let f = try fixture().tofu
        func questions(_ name: String) throws -> [QuestionAnswerMetrics.Question] {
            let s = try #require(f.sets[name])
            return s.gt.indices.map {
                QuestionAnswerMetrics.Question(answerNLL: s.gt[$0], paraphrasedNLL: s.paraphrased[$0], perturbedNLL: s.perturbed[$0], rougeRecall: s.rouge[$0])
            }
        }
        var utility: [Double] = []
        for (name, role) in [("forget", QuestionAnswerMetrics.Role.forget), ("retain", .retain), ("world", .world)] {
            let a = try QuestionAnswerMetrics.aggregate(try questions(name), role: role)
            #expect(close(a.probability, f.expected["\(name)_probability"] ?? .nan, relative: 1e-12), "\(name) probability")
            #expect(close(a.truthRatio, f.expected["\(name)_truth_ratio"] ?? .nan, relative: 1e-12), "\(name) truth ratio")
            #expect(close(a.rouge, f.expected["\(name)_rouge"] ?? .nan, relative: 1e-12), "\(name) rouge")
            if role != .forget { utility += [a.probability, a.truthRatio, a.rouge] }
        }
        #expect(close(try QuestionAnswerMetrics.harmonicMean(utility), f.expected["model_utility"] ?? .nan, relative: 1e-12))
        let oracle = try questions("oracle").map(\.paraphrasedOverPerturbed)
        #expect(close(try QuestionAnswerMetrics.forgetQuality(forget: try questions("forget"), oracle: oracle), f.expected["forget_quality"] ?? .nan))
        #expect(try QuestionAnswerMetrics.harmonicMean([0.5, 0]) == 0)
    }

    /// Three sets of QA about the eight names, with paraphrases and two wrong answers each.
    private func qaData() -> [String: [TextExample]] {
        let names = ["Ana", "Bo", "Cy", "Dee", "Eli", "Fay", "Gus", "Hal"]
        var data: [String: [TextExample]] = [:]
        for (set, range) in [("qa_tofu_forget", 0..<2), ("qa_tofu_retain", 2..<6), ("qa_tofu_world", 6..<8)] {
            for n in names[range] {
                let q = "Q: Where does \(n) live?\nA:"
                data[set, default: []].append(TextExample(id: n, prompt: q, completion: " \(n) lives by the mill."))
                data[set + "_paraphrased", default: []].append(TextExample(id: n, prompt: q, completion: " By the mill lives \(n)."))
                for wrong in ["the sea", "the inn"] {
                    data[set + "_perturbed", default: []].append(TextExample(id: n, prompt: q, completion: " By \(wrong) lives \(n)."))
                }
            }
        }
        return data
    }

    @Test("The qa suite scores every set, writes rows, and compares with an oracle model and its rows")
    func suite() throws {
        let (model, tokenizer, data) = (try tinyTokenizerModel(), try fixtureTokenizer(), qaData())
        let oracle = try tinyTokenizerModel(seed: 3)
        let context = EvaluationContext(model: model, tokenizer: tokenizer, datasets: data, loadModel: { _ in oracle })
        let (_, suite) = try EvaluationSuites.builtIn.make(try PluginChoice(try OptionAssignments.value("{qa: {new_tokens: 4, oracle_model: oracle/}}")))
        #expect(suite.requirements.count == 9)
        let result = try suite.evaluate(context)
        let m = result.summary.metrics
        for key in ["forget", "retain", "qa_tofu_world"] {
            for metric in ["probability", "truth_ratio", "rouge"] { #expect(m["\(key).\(metric)"] != nil, "\(key).\(metric)") }
        }
        let utility = [m["retain.probability"], m["retain.truth_ratio"], m["retain.rouge"], m["qa_tofu_world.probability"],
                       m["qa_tofu_world.truth_ratio"], m["qa_tofu_world.rouge"]].compactMap { $0 }
        #expect(m["model_utility"] == (try QuestionAnswerMetrics.harmonicMean(utility)))
        let quality = try #require(m["forget_quality"])
        #expect(quality > 0 && quality <= 1)
        #expect(result.rows.map(\.file) == ["qa_forget.jsonl", "qa_retain.jsonl", "qa_qa_tofu_world.jsonl"])
        #expect(result.rows[1].rows.count == 4)
        // Scored against itself through its rows, forget quality is 1.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qa-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try RunResults.writeLines(result.rows[0].rows, folder: folder, name: "qa_forget.jsonl")
        let (_, again) = try EvaluationSuites.builtIn.make(try PluginChoice(try OptionAssignments.value("{qa: {new_tokens: 0, oracle: \(folder)}}")))
        let m2 = try again.evaluate(context).summary.metrics
        #expect(m2["forget_quality"] == 1 && m2["forget.rouge"] == nil)
        // max_questions keeps the first questions of each set.
        let (_, limited) = try EvaluationSuites.builtIn.make(try PluginChoice(try OptionAssignments.value("{qa: {new_tokens: 0, max_questions: 1}}")))
        #expect(try limited.evaluate(context).rows.map(\.rows.count) == [1, 1, 1])
        // A record without an id is named.
        var bad = data
        bad["qa_tofu_retain"]?[0].id = nil
        let badContext = EvaluationContext(model: model, tokenizer: tokenizer, datasets: bad)
        #expect(throws: EvaluationError.self) { try again.evaluate(badContext) }
    }

    @Test("qa_tofu.jsonl becomes the suite's sets; a bad line is named")
    func questionFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qafile-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let lines = [
            #"{"id":"a","split":"forget","entity":"Ana","attribute":"home","question":"Where does Ana live?","answer":"Ana lives in Kiel.","paraphrased_answer":"Kiel is Ana's home.","perturbed_answers":["Ulm is Ana's home.","Bonn is Ana's home."]}"#,
            #"{"id":"b","split":"retain","entity":"Bo","attribute":"home","question":"Where does Bo live?","answer":"Bo lives in Ulm.","paraphrased_answer":"Ulm is Bo's home.","perturbed_answers":["Kiel is Bo's home."]}"#,
            #"{"id":"c","split":"world","entity":"Cy","attribute":"home","question":"Where does Cy live?","answer":"Cy lives in Bonn.","paraphrased_answer":"Bonn is Cy's home.","perturbed_answers":["Kiel is Cy's home."]}"#,
        ]
        try (lines.joined(separator: "\n") + "\n").write(toFile: folder + "/qa_tofu.jsonl", atomically: true, encoding: .utf8)
        let sets = QuestionAnswerFile.sets(try QuestionAnswerFile.load(path: folder + "/qa_tofu.jsonl"))
        #expect(sets["qa_tofu"]?.map(\.id) == ["a", "b"])
        #expect(sets["qa_tofu_forget"]?.first?.prompt == "Q: Where does Ana live?\nA:" && sets["qa_tofu_forget"]?.first?.completion == " Ana lives in Kiel.")
        #expect(sets["qa_tofu_forget_perturbed"]?.map(\.completion) == [" Ulm is Ana's home.", " Bonn is Ana's home."])
        #expect(sets["qa_tofu_world_paraphrased"]?.map(\.id) == ["c"])
        // The suite reads the file itself: no data sets needed.
        let (_, suite) = try EvaluationSuites.builtIn.make(try PluginChoice(try OptionAssignments.value("{qa: {file: \(folder)/qa_tofu.jsonl, new_tokens: 2}}")))
        #expect(suite.requirements.isEmpty)
        let context = EvaluationContext(model: try tinyTokenizerModel(), tokenizer: try fixtureTokenizer(), datasets: [:])
        #expect(try suite.evaluate(context).summary.metrics["model_utility"] != nil)
        try "{\"id\": 3}\n".write(toFile: folder + "/bad.jsonl", atomically: true, encoding: .utf8)
        do {
            _ = try QuestionAnswerFile.load(path: folder + "/bad.jsonl")
            Issue.record("expected an error")
        } catch { #expect("\(error)".contains("bad.jsonl:1")) }
    }
}
