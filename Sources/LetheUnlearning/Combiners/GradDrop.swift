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
        let dropped = Self.drop(inputs, into: output.flat.floatPointer, count: output.flat.count, leak: leak) { x in
            Self.uniform(key: key, index: x)
        }
        for (i, part) in parts.enumerated() {
            report.projected[part.name] = dropped[i]
            report.projectedTensors[part.name] = dropped[i] ? 1 : 0
        }
        return report
    }

    /// The kernel on given uniforms (for checks against references that draw their own).
    public static func combine(_ gradients: [[Float]], uniforms: [Float], leak: Float = 0) -> [Float] {
        var output = [Float](repeating: 0, count: uniforms.count)
        let pointers = gradients.map { $0.withUnsafeBufferPointer { UnsafeMutablePointer(mutating: $0.baseAddress!) } }
        _ = output.withUnsafeMutableBufferPointer { out in
            uniforms.withUnsafeBufferPointer { u in
                drop(pointers.map { UnsafePointer($0) }, into: out.baseAddress!, count: u.count, leak: leak) { u[$0] }
            }
        }
        return output
    }

    /// d = Σᵢ (ℓ + (1 − ℓ) Mᵢ) gᵢ over `count` entries; per loss, whether an entry was dropped.
    private static func drop(
        _ inputs: [UnsafePointer<Float>], into out: UnsafeMutablePointer<Float>, count: Int, leak: Float,
        uniform: (Int) -> Float
    ) -> [Bool] {
        let m = inputs.count
        let workers = Parallel.plan(count, costPerItem: 8 * m)
        let flags = UnsafeMutablePointer<Bool>.allocate(capacity: m * workers)
        defer { flags.deallocate() }
        flags.initialize(repeating: false, count: m * workers)
        Parallel.forEachWorker(count, workers: workers) { worker, range in
            var local = [Bool](repeating: false, count: m)
            for x in range {
                var (sum, absolute) = (0.0, 0.0)
                for input in inputs { (sum, absolute) = (sum + Double(input[x]), absolute + Double(abs(input[x]))) }
                guard absolute > 0 else {
                    out[x] = 0
                    continue
                }
                let p = 0.5 * (1 + sum / absolute)
                let u = Double(uniform(x))
                var d: Float = 0
                for (i, input) in inputs.enumerated() {
                    let g = input[x]
                    let kept = (p > u && g > 0) || (p < u && g < 0)
                    if !kept && g != 0 && leak < 1 { local[i] = true }
                    d += (kept ? 1 : leak) * g
                }
                out[x] = d
            }
            for i in 0..<m where local[i] { flags[worker * m + i] = true }
        }
        return (0..<m).map { i in (0..<workers).contains { flags[$0 * m + i] } }
    }

    /// U[x] for one combination's key: SplitMix64's finaliser of (key + x ⋅ φ64), top 24 bits.
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
