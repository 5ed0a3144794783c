import LetheTensor

/// The gradient of one named loss over all trainable parameters (the parameters' layout),
/// with the loss's value when the trainer knows it (MGDA's loss normalisation reads it).
public struct NamedGradients {
    public let name: String
    public let gradients: NamedTensors
    public let loss: Double?

    public init(_ name: String, _ gradients: NamedTensors, loss: Double? = nil) {
        (self.name, self.gradients, self.loss) = (name, gradients, loss)
    }
}

/// What a combiner saw and did in one step, for logs: Gramians (whole model and per tensor),
/// per-loss norms, the first two losses' cosine, the weight each loss got, and where
/// projections or clipping fired.
public struct CombinerReport {
    public let names: [String]
    /// Per parameter tensor, the Gramian of the losses' gradients (Double).
    public let tensorGramians: [[[Double]]]
    /// Per loss: whether a projection changed its gradient (anywhere, at tensor granularity).
    public var projected: [String: Bool] = [:]
    /// Per loss: how many tensors were projected (tensor granularity; 0 or 1 for the model).
    public var projectedTensors: [String: Int] = [:]
    /// Per parameter tensor k and loss i, the coefficient c[k][i] of the direction
    /// d[k] = Σᵢ c[k][i] gᵢ[k]; nil when the direction is no such combination (GradDrop).
    public var coefficients: [[Double]]?
    /// Whether the combiner scaled its direction down to a norm bound (Nash-MTL's max_norm).
    public var clipped = false

    /// A report of the losses `names` with their per-tensor Gramians (a combiner outside this
    /// module builds its report with it); `projected` and `projectedTensors` start empty.
    public init(names: [String], tensorGramians: [[[Double]]]) {
        (self.names, self.tensorGramians) = (names, tensorGramians)
    }

    /// Whole-model Gramian: the sum of the per-tensor ones.
    public var gramian: [[Double]] {
        let n = names.count
        var g = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for t in tensorGramians { for i in 0..<n { for j in 0..<n { g[i][j] += t[i][j] } } }
        return g
    }

    /// Per-loss whole-model gradient norms.
    public var norms: [String: Double] {
        let g = gramian
        return Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, g[$0][$0].squareRoot()) })
    }

    /// Per loss, its whole-model weight: the coefficient when every tensor has the same one,
    /// else the mean of the per-tensor coefficients weighted by the loss's squared gradient
    /// norm in each tensor, Σₖ c[k][i] ‖gᵢ[k]‖² / Σₖ ‖gᵢ[k]‖² (NaN for a zero gradient);
    /// empty when there are no coefficients.
    public var weights: [String: Double] {
        guard let c = coefficients, c.count == tensorGramians.count, let first = c.first else { return [:] }
        let uniform = c.allSatisfy { $0 == first }
        return Dictionary(uniqueKeysWithValues: names.enumerated().map { i, name in
            if uniform { return (name, first[i]) }
            var (weighted, total) = (0.0, 0.0)
            for (k, g) in tensorGramians.enumerated() { (weighted, total) = (weighted + c[k][i] * g[i][i], total + g[i][i]) }
            return (name, total > 0 ? weighted / total : .nan)
        })
    }

    /// Cosine between the first two losses' gradients (forget and retain), whole model.
    public var cosine: Double? { names.count >= 2 ? Self.cosine(gramian, 0, 1) : nil }

    static func cosine(_ g: [[Double]], _ i: Int, _ j: Int) -> Double? {
        let denominator = (g[i][i] * g[j][j]).squareRoot()
        return denominator > 0 ? g[i][j] / denominator : nil
    }
}

/// A gradient combiner plugin: from the gradients of one step's named losses to one update
/// direction over all trainable parameters (written into `output`), plus a report.
public protocol GradientCombiner {
    static var name: String { get }
    init(options: PluginOptions) throws
    func combine(_ parts: [NamedGradients], into output: NamedTensors) throws -> CombinerReport
    /// Whether, given the one gradient of the loss `name` alone, the combiner returns it
    /// unchanged (and a report of its Gramian with no projection). The trainer then uses the
    /// loss's gradient buffer as the update direction, with no copy. Default: false.
    func leavesUnchanged(single name: String) -> Bool
}

extension GradientCombiner {
    public func leavesUnchanged(single name: String) -> Bool { false }
}

/// The combiners recipes can name: one literal table, extended by `adding`.
public struct CombinerRegistry {
    public let types: [any GradientCombiner.Type]

    public static let builtIn = CombinerRegistry(types: [
        SumCombiner.self, PCGrad.self, CAGrad.self, MGDA.self, IMTLG.self, AlignedMTL.self, UPGrad.self, GradVac.self,
        NashMTL.self, GradDrop.self,
    ])

    public init(types: [any GradientCombiner.Type]) { self.types = types }

    public var names: [String] { types.map { $0.name }.sorted() }

    public func adding(_ type: any GradientCombiner.Type) -> CombinerRegistry {
        CombinerRegistry(types: types.filter { $0.name != type.name } + [type])
    }

    public func make(_ name: String, options: [String: PluginOptions.Value] = [:]) throws -> any GradientCombiner {
        guard let type = types.first(where: { $0.name == name }) else {
            throw UnlearningError.unknownName(kind: "combiner", name: name, available: names)
        }
        return try type.init(options: PluginOptions(options, owner: "combiner \(name)"))
    }
}
