import Foundation
import LetheLayers
import LetheTensor
import LetheText

/// `logit_lens`: where a forgotten answer still lives (issue 19, item 4; nostalgebraist's
/// "logit lens", 2020). Each layer's residual stream is decoded through the model's final
/// norm and output head, and the rank of every answer token of the forget set is read:
///
///     logitsₗ[t] = head(finalNorm(residualStream(afterLayer: l)[t]))      [V]
///     rankₗ(x_{t+1}) = #{v : logitsₗ[t][v] > logitsₗ[t][x_{t+1}]}          0 = top
///
/// The final norm is read from the parameters: GPT-2's LayerNorm `ln_f` (ε
/// `layer_norm_epsilon`), or an RMSNorm `model.norm.weight` / `norm.weight` (ε `rms_norm_eps`);
/// the suite checks that the last layer's lens equals the model's own logits and refuses a
/// model where it does not.
///
/// Options (defaults):
/// - `data` (`forget`): prompt/completion pairs (the completion's tokens are ranked) or texts
///   (every token after the first).
/// - `max_length` (the model's context length), `batch_size` (8).
///
/// Summary metrics per layer l = 1 … L: `median_rank.layer<l>`, `top1.layer<l>` (share of
/// tokens ranked first), `top10.layer<l>`, `log_probability.layer<l>` (mean log p of the
/// token under the lens). Rows: `logit_lens_layers.jsonl`, one per layer.
public struct LogitLensSuite: EvaluationSuite {
    public static let name = "logit_lens"
    public static let summary = "logit lens: each layer's residual stream through the final norm and head, rank of the forget answers' tokens"

    public var data: String
    public var maxLength: Int?
    public var batchSize: Int
    private let origin: OptionOrigin

    public init(options: PluginOptions) throws {
        try options.accept(["data", "max_length", "batch_size"])
        data = try options.text("data", default: "forget")
        maxLength = try options.optionalInt("max_length", in: 2...OptionLimits.tokens)
        batchSize = try options.int("batch_size", default: 8, in: 1...OptionLimits.batchSize)
        origin = options["data"]?.origin ?? options.node.origin
    }

    public var requirements: [DataRequirement] {
        [DataRequirement(data, role: "answers to rank", accepted: DataRequirement.pairOrText, origin: origin)]
    }

    public func evaluate(_ context: EvaluationContext) throws -> SuiteResult {
        let model = context.model
        let (L, C, V) = (model.dimensions.layerCount, model.dimensions.embeddingSize, model.dimensions.vocabularySize)
        let norm = try FinalNorm(model)
        let encoding = EncodingOptions(maxLength: min(maxLength ?? model.dimensions.contextLength, model.dimensions.contextLength), truncation: .dropPromptStart)
        let sequences = try context.dataset(data).map { try ScoredSequence($0, encoder: context.tokenizer, options: encoding) }
            .filter { $0.ids.count > 1 }
        var ranks = [[Int]](repeating: [], count: L)
        var logProbabilities = [[Double]](repeating: [], count: L)
        try model.withoutDropout {
            for start in stride(from: 0, to: sequences.count, by: batchSize) {
                let chunk = Array(sequences[start..<min(start + batchSize, sequences.count)])
                let T = chunk.map(\.ids.count).max() ?? 1
                let ids = chunk.flatMap { $0.ids + [Int](repeating: model.dimensions.endOfTextID, count: T - $0.ids.count) }
                let mask = chunk.flatMap { [Int](repeating: 1, count: $0.ids.count) + [Int](repeating: 0, count: T - $0.ids.count) }
                let batch = try TokenBatch(ids: ids, batchSize: chunk.count, length: T, attentionMask: chunk.count > 1 ? mask : nil)
                for layer in 0..<L {
                    let logits = try withoutGradients { () -> [Float] in
                        let stream = try model.residualStream(batch, afterLayer: layer)  // [B, T, C]
                        let lens = try model.languageModelHead(norm(stream, C))  // [B, T, V]
                        if start == 0, layer == L - 1 { try checkAgainstModel(lens, model.logits(batch)) }
                        return lens.floats
                    }
                    for (b, s) in chunk.enumerated() {
                        for t in 1..<s.ids.count where s.scored[t] {
                            let row = (b * T + t - 1) * V
                            let target = logits[row + s.ids[t]]
                            var (above, maximum) = (0, -Float.infinity)
                            for v in 0..<V {
                                let x = logits[row + v]
                                if x > target { above += 1 }
                                maximum = max(maximum, x)
                            }
                            var total = 0.0
                            for v in 0..<V { total += exp(Double(logits[row + v] - maximum)) }
                            ranks[layer].append(above)
                            logProbabilities[layer].append(Double(target - maximum) - log(total))
                        }
                    }
                }
            }
        }
        guard !(ranks.first ?? []).isEmpty else { throw EvaluationError.insufficientData("data set '\(data)' has no token to rank") }
        var metrics: [String: Double] = [:]
        var rows: [[String: Any]] = []
        for layer in 0..<L {
            let r = ranks[layer].sorted()
            let n = Double(r.count)
            let median = r.count % 2 == 1 ? Double(r[r.count / 2]) : Double(r[r.count / 2 - 1] + r[r.count / 2]) / 2
            let values: [(String, Double)] = [
                ("median_rank", median), ("top1", Double(r.filter { $0 == 0 }.count) / n),
                ("top10", Double(r.filter { $0 < 10 }.count) / n), ("log_probability", logProbabilities[layer].reduce(0, +) / n),
            ]
            var row: [String: Any] = ["layer": layer + 1, "tokens": r.count]
            for (key, value) in values {
                metrics["\(key).layer\(layer + 1)"] = value
                row[key] = value
            }
            rows.append(row)
            context.log("  logit lens: layer \(layer + 1) median rank \(median), top-1 \(values[1].1)")
        }
        return SuiteResult(summary: .generic(metrics), rows: [ExampleRows(file: "logit_lens_layers.jsonl", rows: rows)])
    }

    /// The lens of the last layer must be the model's logits (else the norm was misread).
    private func checkAgainstModel(_ lens: Tensor, _ logits: Tensor) throws {
        let (a, b) = (lens.floats, logits.floats)
        let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
        let scale = b.map(abs).max() ?? 1
        guard a.count == b.count, worst <= 1e-4 * max(scale, 1) else {
            throw EvaluationError.invalidArgument(
                name: "model", reason: "the logit lens of the last layer differs from the model's logits by \(worst); its final norm is not one the lens knows")
        }
    }
}

/// A model's final norm, read from its parameters and configuration.
struct FinalNorm {
    let weight: [Double]
    let bias: [Double]?
    let epsilon: Double

    /// - Throws: `EvaluationError.invalidArgument` when the model has no norm the lens knows.
    init(_ model: any CausalLanguageModel) throws {
        let configuration = (try? JSONSerialization.jsonObject(with: Data(model.configurationJSON().utf8))) as? [String: Any] ?? [:]
        if let w = model.parameters["ln_f.weight"], let b = model.parameters["ln_f.bias"] {
            (weight, bias, epsilon) = (w.doubles, b.doubles, configuration["layer_norm_epsilon"] as? Double ?? 1e-5)
        } else if let w = model.parameters["model.norm.weight"] ?? model.parameters["norm.weight"] {
            (weight, bias, epsilon) = (w.doubles, nil, configuration["rms_norm_eps"] as? Double ?? 1e-6)
        } else {
            throw EvaluationError.invalidArgument(name: "model", reason: "the logit lens knows no final norm of the \(model.family) family")
        }
    }

    /// LayerNorm (with a bias) or RMSNorm over the last axis of x [..., C].
    func callAsFunction(_ x: Tensor, _ C: Int) throws -> Tensor {
        var values = x.doubles
        for start in stride(from: 0, to: values.count, by: C) {
            let row = values[start..<(start + C)]
            let mean = bias == nil ? 0 : row.reduce(0, +) / Double(C)
            let variance = row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(C)
            let inverse = 1 / (variance + epsilon).squareRoot()
            for j in 0..<C { values[start + j] = (values[start + j] - mean) * inverse * weight[j] + (bias?[j] ?? 0) }
        }
        return try Tensor(values.map(Float.init), shape: x.shape)
    }
}
