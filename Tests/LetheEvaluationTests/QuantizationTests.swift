import Foundation
import LetheEvaluation
import LetheRecipes
import LetheLayers
import LetheTensor
import Testing

/// The committed numpy reference of `scripts/reference/make_quantization_fixture.py`.
private struct QuantizationFixture: Decodable {
    struct Trip: Decodable { var values: [Float]; var codes: [Int] }
    struct Case: Decodable { var rows: Int; var columns: Int; var weights: [Float]; var int8: Trip; var nf4: Trip }
    var nf4_table: [Double]
    var block_size: Int
    var cases: [Case]
}

@Suite("Weight quantization (int8 per channel, NF4 block 64) and the quantization suite")
struct QuantizationTests {
    private func fixture() throws -> QuantizationFixture {
        try JSONDecoder().decode(QuantizationFixture.self, from: fixtureData("quantization_reference.json"))
    }

    @Test("int8 and NF4 round trips equal numpy's, codes and values")
    func matchesNumpy() throws {
        let f = try fixture()
        #expect(f.nf4_table == WeightQuantization.nf4Table && f.block_size == WeightQuantization.nf4BlockSize)
        for (i, c) in f.cases.enumerated() {
            for (scheme, expected) in [(WeightQuantization.int8, c.int8), (.nf4, c.nf4)] {
                let trip = try scheme.roundTrip(c.weights, rows: c.rows, columns: c.columns)
                #expect(trip.codes == expected.codes, "case \(i) \(scheme)")
                let worst = zip(trip.values, expected.values).map { abs($0 - $1) }.max() ?? 0
                #expect(worst == 0, "case \(i) \(scheme): largest difference \(worst)")
            }
        }
    }

    @Test("Bad input is refused; a zero matrix stays zero")
    func edges() throws {
        #expect(throws: EvaluationError.self) { try WeightQuantization.int8.roundTrip([1, 2, 3], rows: 2, columns: 2) }
        #expect(throws: EvaluationError.self) { try WeightQuantization.nf4.roundTrip([.nan, 1], rows: 1, columns: 2) }
        let zero = try WeightQuantization.nf4.roundTrip([0, 0, 0, 0], rows: 2, columns: 2)
        #expect(zero.values == [0, 0, 0, 0] && zero.codes == [7, 7, 7, 7])
    }

    @Test("Applied to a model copy: only linear weights change, Conv1D is quantized per output column")
    func modelCopy() throws {
        let model = try tinyModel()
        let copy = try model.copy()
        let codes = try ModelQuantization.apply(.int8, to: copy, targets: .linears)
        let matrices = try ModelQuantization.matrices(of: model, targets: .linears)
        #expect(Set(codes.keys) == Set(matrices.map(\.name)) && matrices.allSatisfy(\.transposed))
        #expect(matrices.map(\.layer).allSatisfy { $0 == "h.0" })
        for (name, original) in zip(model.parameters.names, model.parameters.tensors) {
            let changed = original.floats != (try copy.tensor(name)).floats
            #expect(changed == (codes[name] != nil), "\(name)")
        }
        // Conv1D [in, out]: each output column has one scale, and its largest |w| is exact.
        let name = try #require(matrices.first?.name)
        let (w, q) = (try model.tensor(name), try copy.tensor(name))
        let (rowsIn, out) = (w.shape[0], w.shape[1])
        for o in 0..<out {
            let column = (0..<rowsIn).map { w.floats[$0 * out + o] }
            let i = try #require(column.indices.max { abs(column[$0]) < abs(column[$1]) })
            #expect(abs(q.floats[i * out + o] - column[i]) <= abs(column[i]) * 1e-6)
        }
        // The same model has no changed bucket; the matrices target adds the embeddings.
        let again = try ModelQuantization.codes(.int8, of: model, targets: .linears)
        #expect(try ModelQuantization.changedBuckets(codes, again, matrices: matrices).allSatisfy { $0.changed == 0 })
        #expect(try ModelQuantization.matrices(of: model, targets: .matrices).map(\.name).contains("wte.weight"))
    }

    @Test("The suite re-evaluates its inner suites under each scheme and compares buckets with a reference")
    func suite() throws {
        let (model, tokenizer, data) = (try tinyTokenizerModel(), try fixtureTokenizer(), suiteDatasets())
        let reference = try tinyTokenizerModel(seed: 2)
        let context = EvaluationContext(model: model, tokenizer: tokenizer, datasets: data, loadModel: { _ in reference })
        let (name, suite) = try EvaluationSuites.builtIn.make(
            try PluginChoice(try OptionAssignments.value(
                "{quantization: {schemes: [int8, nf4], metrics: {perplexity: {}, membership: {attacks: [loss], resamples: 0}}, reference: base/}}")))
        #expect(name == "quantization" && suite.requirements.map(\.name) == ["heldout", "forget", "nonmember"])
        let result = try suite.evaluate(context)
        let m = result.summary.metrics
        let before = try #require(m["before.perplexity.token_ppl"])
        for scheme in ["int8", "nf4"] {
            let after = try #require(m["\(scheme).perplexity.token_ppl"])
            #expect(after != before, "\(scheme) changes the model")
            #expect(m["q.\(scheme).perplexity.token_ppl"] == min(after / before, 1))
            // Two independently initialised models share few buckets.
            #expect((m["bucket_change.\(scheme)"] ?? 0) > 0.5)
        }
        // int8 is the finer grid: it moves perplexity less than NF4.
        #expect(abs((m["int8.perplexity.token_ppl"] ?? 0) - before) < abs((m["nf4.perplexity.token_ppl"] ?? 0) - before))
        #expect(result.rows.map(\.file).prefix(2) == ["quantization_metrics.jsonl", "quantization_buckets.jsonl"])
        #expect(result.rows.map(\.file).contains("quantization_nf4_mia_scores.jsonl"))
        // The original model is untouched.
        #expect(try PerplexitySuite(options: PluginOptions()).evaluate(context).summary.metrics["token_ppl"] == before)
        #expect(throws: OptionError.self) {
            try EvaluationSuites.builtIn.make(try PluginChoice(try OptionAssignments.value("{quantization: {metrics: {quantization: {}}}}")))
        }
        #expect(throws: OptionError.self) {
            try EvaluationSuites.builtIn.make(try PluginChoice(try OptionAssignments.value("{quantization: {schemes: [int4]}}")))
        }
    }
}
