import LetheTensor

/// Gradient vaccine (Wang et al. 2021, "Gradient Vaccine: Investigating and Improving
/// Multi-task Optimization in Massively Multilingual Models", ICLR, Algorithm 1): PCGrad
/// with a target similarity. For each pair it keeps an exponential moving average φ̂ᵢⱼ of
/// the cosine, and where the current cosine falls below it, moves gᵢ towards gⱼ just enough
/// to reach it:
///
///     gᵢᴾᶜ ← gᵢ;  for j ≠ i (index order):
///         φ = cos(gᵢᴾᶜ, gⱼ)
///         if φ < φ̂ᵢⱼ:  gᵢᴾᶜ ← gᵢᴾᶜ + ‖gᵢᴾᶜ‖ (φ̂ᵢⱼ √(1−φ²) − φ √(1−φ̂ᵢⱼ²)) / (‖gⱼ‖ √(1−φ̂ᵢⱼ²)) ⋅ gⱼ
///         φ̂ᵢⱼ ← (1 − β) φ̂ᵢⱼ + β φ
///     d = Σᵢ gᵢᴾᶜ
///
/// computed from the Gramian (gᵢᴾᶜ = Σₖ Wᵢₖ gₖ, as `PCGrad`). φ̂ starts at 0, so the first
/// step is PCGrad. β defaults to 0.01, the paper's; LibMTL defaults to 0.5.
///
/// Paper versus LibMTL (`GradVac`, "implemented by us"): LibMTL adds 1e-8 to the
/// denominators, which matters when norms are small (a tensor's gradient of norm 1e-4 has its
/// cosine shrunk by 1e-8 / 1e-8); Lethe follows the paper with no epsilon and skips a pair
/// whose norms, or √(1−φ̂²), are zero. LibMTL shuffles j for each i; Lethe uses index order,
/// as its `pcgrad` (the order matters only from three losses on).
///
/// State (saved in checkpoints): φ̂, per scope (the model, or each tensor) and ordered pair.
/// Options: `beta` (default 0.01, in (0, 1]), `granularity` (`model`, default, or `tensor`:
/// LibMTL's group_type 0 and 2).
public final class GradVac: StatefulCombiner {
    public static let name = "gradvac"
    public let beta: Double
    public let perTensor: Bool
    /// φ̂[scope][i][j].
    private var targets: [[[Double]]] = []

    public init(options: PluginOptions) throws {
        try options.accept(["beta", "granularity"])
        beta = try options.number("beta", default: 0.01, in: 1e-12...1)
        perTensor = try GramianCombination.perTensor(options)
    }

    public func leavesUnchanged(single name: String) -> Bool { true }

    public func combine(_ parts: [NamedGradients], into output: NamedTensors) throws -> CombinerReport {
        let m = parts.count
        let scopes = perTensor ? output.tensors.count : 1
        if targets.count != scopes || targets.first?.count != m {
            guard targets.isEmpty else {
                throw UnlearningError.invalidInput("combiner gradvac: the number of losses or tensors changed (\(m) losses)")
            }
            targets = [[[Double]]](repeating: [[Double]](repeating: [Double](repeating: 0, count: m), count: m), count: scopes)
        }
        return try GramianCombination.combine(parts, into: output, perTensor: perTensor) { g, tensor in
            vaccinate(g, scope: tensor ?? 0)
        }
    }

    /// The coefficients for one Gramian, updating that scope's targets.
    private func vaccinate(_ g: [[Double]], scope: Int) -> GramianWeights {
        let m = g.count
        var w = GramianSolvers.identity(m)
        var fired = [Bool](repeating: false, count: m)
        for i in 0..<m {
            for j in 0..<m where j != i {
                let dot = (0..<m).reduce(0.0) { $0 + w[i][$1] * g[$1][j] }
                let normI = max(0, GramianSolvers.quadratic(g, w[i])).squareRoot()
                let normJ = max(0, g[j][j]).squareRoot()
                guard normI > 0, normJ > 0 else { continue }
                let phi = max(-1, min(1, dot / (normI * normJ)))
                let target = targets[scope][i][j]
                let room = max(0, 1 - target * target).squareRoot()
                if phi < target, room > 0 {
                    w[i][j] += normI * (target * max(0, 1 - phi * phi).squareRoot() - phi * room) / (normJ * room)
                    fired[i] = true
                }
                targets[scope][i][j] = (1 - beta) * target + beta * phi
            }
        }
        return GramianWeights((0..<m).map { k in (0..<m).reduce(0.0) { $0 + w[$1][k] } }, projected: fired)
    }

    public var state: [String: [Double]] {
        guard let m = targets.first?.count else { return [:] }
        return ["targets": targets.flatMap { $0.flatMap { $0 } }, "shape": [Double(targets.count), Double(m)]]
    }

    public func restore(_ state: [String: [Double]]) throws {
        guard !state.isEmpty else { return targets = [] }
        let shape = try stateArray(state, "shape", count: 2)
        let (scopes, m) = (Int(shape[0]), Int(shape[1]))
        let flat = try stateArray(state, "targets", count: scopes * m * m)
        targets = (0..<scopes).map { s in (0..<m).map { i in Array(flat[(s * m + i) * m..<(s * m + i + 1) * m]) } }
    }
}
