import LetheLayers
import LetheTensor

/// Weight quantization of a whole causal language model: which matrices are quantized, the
/// round trip applied in place (to a copy: `model.copy()`), and the share of buckets that
/// differ between two models of the same shape.
public enum ModelQuantization {
    /// Which parameters are quantized.
    public enum Targets: String, Sendable, CaseIterable {
        /// The weights of the linear maps (`model.linears`: attention and MLP projections),
        /// as bitsandbytes replaces `nn.Linear` layers and keeps embeddings and `lm_head`.
        case linears
        /// Every rank-2 parameter: the linear maps, the token and position embeddings and an
        /// untied output head (rows = output channels = tokens for an embedding).
        case matrices
    }

    /// A parameter that is quantized: its name, the layer it belongs to (`h.3`,
    /// `model.layers.3`, or the name itself outside the blocks), and its shape as
    /// [out, in] with whether the stored layout is [in, out] (a Conv1D).
    public struct Matrix: Sendable, Equatable {
        public var name: String
        public var layer: String
        public var rows: Int
        public var columns: Int
        public var transposed: Bool
    }

    /// The matrices `targets` selects, in parameter order; norms and biases are never included.
    /// - Throws: `EvaluationError.invalidArgument` for a model that is not float32 or has no
    ///   matrix to quantize.
    public static func matrices(of model: any CausalLanguageModel, targets: Targets) throws -> [Matrix] {
        guard model.parameters.flat.dtype == .float32 else {
            throw EvaluationError.invalidArgument(name: "model", reason: "quantization takes a float32 model")
        }
        var conv: Set<String> = []
        var linearWeights: Set<String> = []
        for (prefix, map) in model.linears {
            linearWeights.insert(prefix + ".weight")
            if map is Conv1D { conv.insert(prefix + ".weight") }
        }
        var out: [Matrix] = []
        for (name, tensor) in zip(model.parameters.names, model.parameters.tensors) where tensor.rank == 2 {
            guard targets == .matrices || linearWeights.contains(name) else { continue }
            let transposed = conv.contains(name)
            let (r, c) = transposed ? (tensor.shape[1], tensor.shape[0]) : (tensor.shape[0], tensor.shape[1])
            out.append(Matrix(name: name, layer: layer(of: name), rows: r, columns: c, transposed: transposed))
        }
        guard !out.isEmpty else {
            throw EvaluationError.invalidArgument(name: "model", reason: "has no weight matrix to quantize (\(targets.rawValue))")
        }
        return out
    }

    /// The block a parameter belongs to: the name up to its first all-digit component
    /// (`h.3.attn.c_attn.weight` → `h.3`), or the name without `.weight`.
    public static func layer(of name: String) -> String {
        let parts = name.split(separator: ".")
        if let i = parts.firstIndex(where: { !$0.isEmpty && $0.allSatisfy(\.isNumber) }) {
            return parts[...i].joined(separator: ".")
        }
        return name.hasSuffix(".weight") ? String(name.dropLast(7)) : name
    }

    /// W [out, in] row-major from the stored tensor.
    static func outputMajor(_ tensor: Tensor, _ m: Matrix) -> [Float] {
        let stored = tensor.floats
        guard m.transposed else { return stored }
        // stored [in, out] → [out, in]
        var w = [Float](repeating: 0, count: stored.count)
        for i in 0..<m.columns { for o in 0..<m.rows { w[o * m.columns + i] = stored[i * m.rows + o] } }
        return w
    }

    /// Replaces every selected matrix of `model` (in place: give it a copy) by its round trip
    /// and returns each matrix's codes ([out, in] order) by name.
    /// - Throws: the selection's and the quantizer's errors.
    @discardableResult
    public static func apply(
        _ scheme: WeightQuantization, to model: any CausalLanguageModel, targets: Targets
    ) throws -> [String: [Int]] {
        var codes: [String: [Int]] = [:]
        for m in try matrices(of: model, targets: targets) {
            let tensor = try model.tensor(m.name)
            let trip = try scheme.roundTrip(outputMajor(tensor, m), rows: m.rows, columns: m.columns)
            let p = tensor.floatPointer
            if m.transposed {
                for i in 0..<m.columns { for o in 0..<m.rows { p[i * m.rows + o] = trip.values[o * m.columns + i] } }
            } else {
                for j in 0..<trip.values.count { p[j] = trip.values[j] }
            }
            codes[m.name] = trip.codes
        }
        return codes
    }

    /// The codes of every selected matrix of `model`, without changing it.
    /// - Throws: the selection's and the quantizer's errors.
    public static func codes(
        _ scheme: WeightQuantization, of model: any CausalLanguageModel, targets: Targets
    ) throws -> [String: [Int]] {
        var codes: [String: [Int]] = [:]
        for m in try matrices(of: model, targets: targets) {
            codes[m.name] = try scheme.roundTrip(outputMajor(try model.tensor(m.name), m), rows: m.rows, columns: m.columns).codes
        }
        return codes
    }

    /// Per layer (in first-appearance order of `matrices`): how many weights fall in a
    /// different bucket in `a` than in `b`, of how many.
    /// - Throws: `EvaluationError.invalidArgument` when a matrix is missing from either or
    ///   their sizes differ.
    public static func changedBuckets(_ a: [String: [Int]], _ b: [String: [Int]], matrices: [Matrix]) throws
        -> [(layer: String, changed: Int, total: Int)]
    {
        var order: [String] = []
        var counts: [String: (changed: Int, total: Int)] = [:]
        for m in matrices {
            guard let x = a[m.name], let y = b[m.name], x.count == y.count else {
                throw EvaluationError.invalidArgument(name: "reference model", reason: "has no matching \(m.name) [\(m.rows), \(m.columns)]")
            }
            let changed = zip(x, y).reduce(0) { $0 + ($1.0 == $1.1 ? 0 : 1) }
            if counts[m.layer] == nil { order.append(m.layer) }
            let c = counts[m.layer] ?? (0, 0)
            counts[m.layer] = (c.changed + changed, c.total + x.count)
        }
        return order.map { ($0, counts[$0]?.changed ?? 0, counts[$0]?.total ?? 0) }
    }
}
