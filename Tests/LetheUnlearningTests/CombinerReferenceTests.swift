import Foundation
import LetheTensor
import LetheUnlearning
import Testing

/// The gradients of `scripts/reference/make_combiner_fixture.py`, generated again here:
/// splitmix64, Irwin–Hall sums of four uniforms, gᵢ = scaleᵢ (mixᵢ s + 0.5 nᵢ) in Double,
/// then rounded to Float (pure arithmetic: Python's doubles and these agree).
struct ReferenceGradients {
    static let mix = ["conflicting": [1.0, -0.8, 0.3, -0.5], "aligned": [1.0, 0.7, 1.2, 0.9]]
    static let scales = [1.0, 3.0, 0.2, 1.5]

    struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }
        mutating func centred() -> Double {
            var a = uniform()
            a = a + uniform()
            a = a + uniform()
            a = a + uniform()
            return a - 2
        }
    }

    static func rows(seed: UInt64, losses: Int, dims: Int, kind: String) -> [[Float]] {
        var rng = SplitMix64(state: seed)
        let shared = (0..<dims).map { _ in rng.centred() }
        let mix = Self.mix[kind] ?? []
        return (0..<losses).map { i in
            let noise = (0..<dims).map { _ in rng.centred() }
            return (0..<dims).map { x in Float(scales[i] * (mix[i] * shared[x] + 0.5 * noise[x])) }
        }
    }

    /// Tensors a (the first dims / 2 entries) and b.
    static func set(_ row: [Float]) throws -> NamedTensors {
        let split = row.count / 2
        let t = try NamedTensors(shapes: [("a", [split]), ("b", [row.count - split])])
        try t.flat.assign(Tensor(row, shape: [row.count]))
        return t
    }
}

private struct Fixture: Decodable {
    struct Step: Decodable {
        let seed: UInt64
        let coefficients: [[Double]]
        let norm: Double
        let head: [Double]
        let kind: String?
    }
    enum Option: Decodable {
        case number(Double), text(String)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let n = try? c.decode(Double.self) { self = .number(n) } else { self = .text(try c.decode(String.self)) }
        }
        var value: PluginOptions.Value {
            switch self {
            case let .number(n): return .number(n)
            case let .text(s): return .text(s)
            }
        }
    }
    struct Case: Decodable {
        let combiner: String
        let options: [String: Option]
        let reference: String
        let losses: Int
        let dims: Int
        let kind: String
        let tolerance: Double
        let steps: [Step]
        let loss_values: [Double]?
    }
    struct Drop: Decodable {
        let losses: Int
        let dims: Int
        let kind: String
        let seed: UInt64
        let leak: Double
        let uniforms: [Float]
        let direction: [Double]
    }
    let cases: [Case]
    let graddrop: [Drop]

    static func load() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/combiners.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }
}

private func relativeGap(_ a: [Double], _ b: [Double]) -> Double {
    let difference = zip(a, b).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
    let scale = max(b.reduce(0.0) { $0 + $1 * $1 }.squareRoot(), 1e-300)
    return difference / scale
}

@Suite("Gradient combiners against torchjd and LibMTL (scripts/reference/make_combiner_fixture.py)")
struct CombinerReferenceTests {
    /// Every case: the same seeded gradients through Lethe's combiner, step after step (the
    /// state of GradVac and Nash-MTL carries over), against the reference's direction
    /// Σ c gᵢ per tensor, within the case's relative tolerance (1e-5 unless the fixture
    /// says why not).
    @Test func everyCombinerMatchesItsReferences() throws {
        let fixture = try Fixture.load()
        #expect(fixture.cases.count > 100)
        var covered = Set<String>()
        var largest: [String: Double] = [:]
        for (index, item) in fixture.cases.enumerated() {
            let combiner = try CombinerRegistry.builtIn.make(item.combiner, options: item.options.mapValues(\.value))
            for (number, step) in item.steps.enumerated() {
                let rows = ReferenceGradients.rows(seed: step.seed, losses: item.losses, dims: item.dims, kind: step.kind ?? item.kind)
                let parts = try rows.enumerated().map { i, row in
                    NamedGradients("l\(i)", try ReferenceGradients.set(row), loss: item.loss_values?[i])
                }
                let output = try ReferenceGradients.set([Float](repeating: 0, count: item.dims))
                _ = try combiner.combine(parts, into: output)
                let split = item.dims / 2
                let expected = (0..<item.dims).map { x -> Double in
                    let c = step.coefficients[x < split ? 0 : 1]
                    return (0..<item.losses).reduce(0.0) { $0 + c[$1] * Double(rows[$1][x]) }
                }
                let lethe = output.flat.floats.map(Double.init)
                let gap = relativeGap(lethe, expected)
                let label = "case \(index) step \(number): \(item.combiner) \(item.options) vs \(item.reference), \(item.losses)×\(item.dims) \(item.kind)"
                #expect(gap <= item.tolerance, "\(label): relative gap \(gap)")
                largest["\(item.combiner) vs \(item.reference)", default: 0] = max(largest["\(item.combiner) vs \(item.reference)"] ?? 0, gap)
                // The stored coefficients rebuild the reference's own direction.
                let norm = expected.reduce(0.0) { $0 + $1 * $1 }.squareRoot()
                #expect(abs(norm - step.norm) <= 1e-5 * max(step.norm, 1e-12), "\(label): norm \(norm) vs \(step.norm)")
                #expect(relativeGap(Array(expected.prefix(8)), step.head) <= 1e-4 || step.norm < 1e-9, "\(label): head")
            }
            covered.insert(item.combiner)
        }
        #expect(covered == ["upgrad", "mgda", "imtl_g", "cagrad", "aligned_mtl", "gradvac", "nash_mtl"])
        if ProcessInfo.processInfo.environment["LETHE_PRINT_GAPS"] != nil {
            for (key, gap) in largest.sorted(by: { $0.key < $1.key }) { print(String(format: "%.2e  %@", gap, key)) }
        }
    }

    /// GradDrop draws random numbers: the kernel is fed the uniforms torchjd drew.
    @Test func gradDropMatchesTorchjdOnItsUniforms() throws {
        let fixture = try Fixture.load()
        #expect(fixture.graddrop.count == 4)
        for item in fixture.graddrop {
            let rows = ReferenceGradients.rows(seed: item.seed, losses: item.losses, dims: item.dims, kind: item.kind)
            let d = try GradDrop.combine(rows, uniforms: item.uniforms, leak: Float(item.leak))
            let gap = relativeGap(d.map(Double.init), item.direction)
            #expect(gap <= 1e-6, "graddrop \(item.losses)×\(item.dims) leak \(item.leak): gap \(gap)")
        }
    }
}
