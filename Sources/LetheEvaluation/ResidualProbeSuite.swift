import Foundation
import LetheLayers
import LetheTensor
import LetheText

/// `probe`: residual knowledge (issue 19, item 4). A linear probe on each layer's residual
/// stream, at the last token of each example, trained to tell the forget items (members)
/// from non-members; an unlearned model whose probes still separate them keeps the knowledge
/// in its hidden states although its outputs no longer show it.
///
///     xₗ(e) = residualStream(e, afterLayer: l)[last token]        [C]   l = 0 … L − 1
///     accuracyₗ = stratified k-fold accuracy of `LogisticRegression` on standardised xₗ
///
/// Features are standardised with each training fold's mean and standard deviation. Run it
/// before and after unlearning (two `evaluate` stages) to compare.
///
/// Options (defaults):
/// - `members` (`forget`), `non_members` (`nonmember`): the two sets (prompt/completion pairs,
///   the whole text read, or texts).
/// - `folds` (5): k of the stratified cross-validation, 2…20 (each class needs k examples).
/// - `c` (1.0): the inverse regularisation C.
/// - `max_length` (the model's context length): tokens kept per example (the end kept).
/// - `batch_size` (8): sequences per forward pass.
///
/// Summary metrics: `accuracy.layer<l>` (l = 1 … L, after block l), `max_accuracy`,
/// `majority` (the larger class's share, the chance level). Rows: `probe_layers.jsonl`, one
/// `{layer, accuracy, fold_accuracies}` per layer.
public struct ResidualProbeSuite: EvaluationSuite {
    public static let name = "probe"
    public static let summary = "residual knowledge: a logistic-regression probe per layer, forget vs non-members, k-fold accuracy"

    public var members: String
    public var nonMembers: String
    public var folds: Int
    public var inverseRegularization: Double
    public var maxLength: Int?
    public var batchSize: Int
    private let origin: OptionOrigin

    public init(options: PluginOptions) throws {
        try options.accept(["members", "non_members", "folds", "c", "max_length", "batch_size"])
        members = try options.text("members", default: "forget")
        nonMembers = try options.text("non_members", default: "nonmember")
        folds = try options.int("folds", default: 5, in: 2...20)
        inverseRegularization = try options.positive("c", default: 1)
        maxLength = try options.optionalInt("max_length", in: 2...OptionLimits.tokens)
        batchSize = try options.int("batch_size", default: 8, in: 1...OptionLimits.batchSize)
        origin = options.node.origin
    }

    public var requirements: [DataRequirement] {
        [
            DataRequirement(members, role: "members", accepted: DataRequirement.pairOrText, origin: origin),
            DataRequirement(nonMembers, role: "non-members", accepted: DataRequirement.pairOrText, origin: origin),
        ]
    }

    public func evaluate(_ context: EvaluationContext) throws -> SuiteResult {
        let model = context.model
        let length = min(maxLength ?? model.dimensions.contextLength, model.dimensions.contextLength)
        func ids(_ set: String) throws -> [[Int]] {
            try context.dataset(set).map { e in
                let text = e.text ?? ((e.prompt ?? "") + (e.completion ?? ""))
                let encoded = context.tokenizer.encode(text)
                return Array((encoded.isEmpty ? [model.dimensions.endOfTextID] : encoded).suffix(length))
            }
        }
        let (positive, negative) = (try ids(members), try ids(nonMembers))
        guard positive.count >= folds, negative.count >= folds else {
            throw EvaluationError.insufficientData("the probe's \(folds) folds need \(folds) members and non-members; got \(positive.count) and \(negative.count)")
        }
        let sequences = positive + negative
        let labels = [Int](repeating: 1, count: positive.count) + [Int](repeating: 0, count: negative.count)
        let assignment = Self.stratifiedFolds(labels: labels, folds: folds, seed: context.seed)
        var metrics: [String: Double] = ["majority": Double(max(positive.count, negative.count)) / Double(labels.count)]
        var rows: [[String: Any]] = []
        let C = model.dimensions.embeddingSize
        for layer in 0..<model.dimensions.layerCount {
            let features = try lastTokenStates(model, sequences, layer: layer)  // [n, C]
            var correct = 0
            var perFold: [Double] = []
            for fold in 0..<folds {
                let train = labels.indices.filter { assignment[$0] != fold }
                let test = labels.indices.filter { assignment[$0] == fold }
                let (mean, scale) = Self.standardisation(features, rows: train, dimension: C)
                func matrix(_ rows: [Int]) -> [Double] {
                    rows.flatMap { i in (0..<C).map { (features[i * C + $0] - mean[$0]) / scale[$0] } }
                }
                let probe = try LogisticRegression.fit(
                    features: matrix(train), labels: train.map { labels[$0] }, dimension: C, inverseRegularization: inverseRegularization)
                let hits = zip(probe.probabilities(matrix(test)), test).filter { ($0.0 >= 0.5 ? 1 : 0) == labels[$0.1] }.count
                correct += hits
                perFold.append(Double(hits) / Double(test.count))
            }
            let accuracy = Double(correct) / Double(labels.count)
            metrics["accuracy.layer\(layer + 1)"] = accuracy
            rows.append(["layer": layer + 1, "accuracy": accuracy, "fold_accuracies": perFold])
            context.log("  probe: layer \(layer + 1) accuracy \(accuracy)")
        }
        metrics["max_accuracy"] = rows.compactMap { $0["accuracy"] as? Double }.max()
        return SuiteResult(summary: .generic(metrics), rows: [ExampleRows(file: "probe_layers.jsonl", rows: rows)])
    }

    /// The residual stream after block `layer` at each sequence's last token, [n, C] row-major.
    func lastTokenStates(_ model: any CausalLanguageModel, _ sequences: [[Int]], layer: Int) throws -> [Double] {
        let C = model.dimensions.embeddingSize
        var out: [Double] = []
        out.reserveCapacity(sequences.count * C)
        try model.withoutDropout {
            for start in stride(from: 0, to: sequences.count, by: batchSize) {
                let chunk = Array(sequences[start..<min(start + batchSize, sequences.count)])
                let T = chunk.map(\.count).max() ?? 1
                let ids = chunk.flatMap { $0 + [Int](repeating: model.dimensions.endOfTextID, count: T - $0.count) }
                let mask = chunk.flatMap { [Int](repeating: 1, count: $0.count) + [Int](repeating: 0, count: T - $0.count) }
                let batch = try TokenBatch(ids: ids, batchSize: chunk.count, length: T, attentionMask: chunk.count > 1 ? mask : nil)
                let states = try withoutGradients { try model.residualStream(batch, afterLayer: layer).doubles }  // [B, T, C]
                for (b, s) in chunk.enumerated() {
                    let row = (b * T + s.count - 1) * C
                    out += states[row..<(row + C)]
                }
            }
        }
        return out
    }

    /// Fold of each example: each class shuffled (seeded) and dealt round-robin.
    static func stratifiedFolds(labels: [Int], folds: Int, seed: UInt64) -> [Int] {
        var rng = RandomGenerator(seed: seed)
        var assignment = [Int](repeating: 0, count: labels.count)
        for label in [0, 1] {
            var members = labels.indices.filter { labels[$0] == label }
            for i in stride(from: members.count - 1, to: 0, by: -1) { members.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
            for (k, i) in members.enumerated() { assignment[i] = k % folds }
        }
        return assignment
    }

    /// Per-feature mean and standard deviation (1 where it is 0) over `rows`.
    static func standardisation(_ x: [Double], rows: [Int], dimension C: Int) -> (mean: [Double], scale: [Double]) {
        var mean = [Double](repeating: 0, count: C)
        var square = [Double](repeating: 0, count: C)
        for i in rows { for j in 0..<C { mean[j] += x[i * C + j]; square[j] += x[i * C + j] * x[i * C + j] } }
        let n = Double(max(rows.count, 1))
        let scale = (0..<C).map { j -> Double in
            let variance = square[j] / n - (mean[j] / n) * (mean[j] / n)
            return variance > 1e-24 ? variance.squareRoot() : 1
        }
        return (mean.map { $0 / n }, scale)
    }
}
