import LetheTensor

/// Gradient sign dropout (Chen et al. 2020, "Just Pick a Sign: Optimizing Deep Multitask
/// Models with Gradient Sign Dropout", NeurIPS, Algorithm 1 lines 10–15), element-wise over
/// all trainable parameters x:
///
///     P[x] = ½ (1 + Σᵢ gᵢ[x] / Σᵢ |gᵢ[x]|)                 (positive-sign purity)
///     U[x] ~ Uniform(0, 1)
///     Mᵢ[x] = [P > U] ⋅ [gᵢ[x] > 0] + [P < U] ⋅ [gᵢ[x] < 0]
///     d[x] = Σᵢ (ℓ + (1 − ℓ) Mᵢ[x]) gᵢ[x]                   (leak ℓ, default 0)
///
/// so at each x only the gradients of one sign survive, the sign drawn with probability P.
/// Entries where every gradient is 0 stay 0. The paper applies it to the gradients at a
/// layer's activations (LibMTL's `GradDrop`, `rep_grad` only); Lethe, as torchjd's
/// `GradDrop`, applies it to the parameters' gradients.
///
/// U is a counter-based stream: U[x] at the n-th combination is a hash of (seed, n, x)
/// (SplitMix64's finaliser, top 24 bits), so the pass runs in parallel and a resumed run
/// draws the same numbers; the state saved in checkpoints is n.
///
/// Cost: one scalar pass with a hash per entry besides the Gramians, several times a `sum`
/// combine (GPT-2 small, 2 loaded cores: 6.3 s against 0.94 s, 18% of a `sum` step), unlike
/// the Gramian combiners, whose extra work is m × m.
///
/// No Gramian weighting: the report has no coefficients; loss i is marked projected when
/// some non-zero entry of gᵢ was dropped. Options: `leak` (in [0, 1], default 0), `seed`
/// (default 0).
public final class GradDrop: StatefulCombiner {
    public static let name = "graddrop"
    public let leak: Float
    public let seed: UInt64
    private var draws: UInt64 = 0

    public init(options: PluginOptions) throws {
        try options.accept(["leak", "seed"])
        leak = Float(try options.number("leak", default: 0, in: 0...1))
        seed = UInt64(try options.int("seed", default: 0, in: 0...OptionLimits.seed))
    }

    public func combine(_ parts: [NamedGradients], into output: NamedTensors) throws -> CombinerReport {
        let sets = parts.map(\.gradients)
        var report = CombinerReport(names: parts.map(\.name), tensorGramians: try NamedTensors.gramians(sets))
        guard sets.allSatisfy({ $0.names == output.names && $0.scalarCount == output.scalarCount }) else {
            throw UnlearningError.invalidInput("combiner graddrop: the gradients and the direction differ in layout")
        }
        let inputs = sets.map { UnsafePointer($0.flat.floatPointer) }
        let key = seed ^ (draws &* 0x9E37_79B9_7F4A_7C15)
        draws += 1
        let dropped = Self.drop(inputs, into: output.flat.floatPointer, count: output.flat.count, leak: leak, key: key, uniforms: nil)
        for (i, part) in parts.enumerated() {
            report.projected[part.name] = dropped[i]
            report.projectedTensors[part.name] = dropped[i] ? 1 : 0
        }
        return report
    }

    /// The kernel on given uniforms (for checks against references that draw their own).
    /// - Throws: when a gradient's length differs from the uniforms'.
    public static func combine(_ gradients: [[Float]], uniforms: [Float], leak: Float = 0) throws -> [Float] {
        guard gradients.allSatisfy({ $0.count == uniforms.count }) else {
            throw UnlearningError.invalidInput("graddrop: every gradient needs one uniform draw per entry (\(uniforms.count))")
        }
        guard !uniforms.isEmpty else { return [] }
        let rows = try gradients.map { try Tensor($0, shape: [$0.count]) }
        let output = try Tensor([Float](repeating: 0, count: uniforms.count), shape: [uniforms.count])
        let draws = try Tensor(uniforms, shape: [uniforms.count])
        _ = drop(rows.map { UnsafePointer($0.floatPointer) }, into: output.floatPointer, count: uniforms.count, leak: leak, key: 0,
                 uniforms: UnsafePointer(draws.floatPointer))
        return output.floats
    }

    /// d = Σᵢ (ℓ + (1 − ℓ) Mᵢ) gᵢ over `count` entries, in Float as torchjd; U[x] from
    /// `uniforms` when given, else from `key`. Per loss, whether a non-zero entry was dropped.
    private static func drop(
        _ inputs: [UnsafePointer<Float>], into out: UnsafeMutablePointer<Float>, count: Int, leak: Float, key: UInt64,
        uniforms: UnsafePointer<Float>?
    ) -> [Bool] {
        let m = inputs.count
        let workers = Parallel.plan(count, costPerItem: 8 * m)
        let flags = UnsafeMutablePointer<Bool>.allocate(capacity: m * workers)
        defer { flags.deallocate() }
        flags.initialize(repeating: false, count: m * workers)
        Parallel.forEachWorker(count, workers: workers) { worker, range in
            let dropped = flags + worker * m
            if m == 2 {
                // The forget/retain case, unrolled.
                let (a, b) = (inputs[0], inputs[1])
                var (droppedA, droppedB) = (false, false)
                for x in range {
                    let (ga, gb) = (a[x], b[x])
                    let absolute = abs(ga) + abs(gb)
                    if absolute == 0 {
                        out[x] = 0
                        continue
                    }
                    let p = 0.5 * (1 + (ga + gb) / absolute)
                    let u = uniforms?[x] ?? uniform(key: key, index: x)
                    let keepA = (p > u && ga > 0) || (p < u && ga < 0)
                    let keepB = (p > u && gb > 0) || (p < u && gb < 0)
                    droppedA = droppedA || (!keepA && ga != 0)
                    droppedB = droppedB || (!keepB && gb != 0)
                    out[x] = (keepA ? ga : leak * ga) + (keepB ? gb : leak * gb)
                }
                (dropped[0], dropped[1]) = (droppedA && leak < 1, droppedB && leak < 1)
                return
            }
            for x in range {
                var (sum, absolute): (Float, Float) = (0, 0)
                for i in 0..<m { (sum, absolute) = (sum + inputs[i][x], absolute + abs(inputs[i][x])) }
                if absolute == 0 {
                    out[x] = 0
                    continue
                }
                let p = 0.5 * (1 + sum / absolute)
                let u = uniforms?[x] ?? uniform(key: key, index: x)
                var d: Float = 0
                for i in 0..<m {
                    let g = inputs[i][x]
                    let kept = (p > u && g > 0) || (p < u && g < 0)
                    if !kept && g != 0 && leak < 1 { dropped[i] = true }
                    d += kept ? g : leak * g
                }
                out[x] = d
            }
        }
        return (0..<m).map { i in (0..<workers).contains { flags[$0 * m + i] } }
    }

    /// U[x] for one combination's key: SplitMix64's finaliser of (key + x ⋅ φ64), top 24 bits.
    @inline(__always)
    static func uniform(key: UInt64, index: Int) -> Float {
        var z = key &+ UInt64(index) &* 0xD1B5_4A32_D192_ED03
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Float(z >> 40) * 0x1p-24
    }

    public var state: [String: [Double]] { draws == 0 ? [:] : ["draws": [Double(draws)]] }

    public func restore(_ state: [String: [Double]]) throws {
        draws = state.isEmpty ? 0 : UInt64(try stateArray(state, "draws", count: 1)[0])
    }
}
