import Foundation
import LetheTensor
import LetheTestSupport
import Testing

private let gqaPadding = try! Tensor([1, 1, 1, 0, 0, 1, 1, 1] as [Double], shape: [2, 4])
private let rotaryTables = try! Tensor.rotaryTables(
    positions: [0, 1, 2, 3, 1, 1, 0, 1], batchSize: 2, length: 4, inverseFrequencies: [1, 0.3, 0.05], dtype: .float64)

/// The Llama family's ops: RMSNorm, SiLU, rotary embeddings, grouped-query attention.
let llamaCases: [GradCase] = [
    GradCase(name: "rmsNorm", shapes: [[2, 3, 6], [6]], low: -2, high: 2) { try $0[0].rmsNorm(weight: $0[1], epsilon: 1e-5) },
    GradCase(name: "rmsNorm of a long row", shapes: [[2, 19], [19]], low: -2, high: 2) { try $0[0].rmsNorm(weight: $0[1]) },
    GradCase(name: "silu", shapes: [[3, 5]], low: -6, high: 6) { $0[0].silu() },
    GradCase(name: "swiGLU", shapes: [[3, 5], [3, 5]], low: -3, high: 3) { try $0[0].silu() * $0[1] },
    GradCase(name: "rotary", shapes: [[2, 4, 3, 6]]) { try $0[0].rotated(cos: rotaryTables.cos, sin: rotaryTables.sin) },
    GradCase(name: "grouped-query attention 4/2 heads", shapes: [[2, 4, 4, 3], [2, 2, 4, 3], [2, 2, 4, 3]]) {
        try Tensor.causalSelfAttention(query: $0[0], key: $0[1], value: $0[2])
    },
    GradCase(name: "grouped-query attention 3/1 heads with left padding", shapes: [[2, 3, 4, 2], [2, 1, 4, 2], [2, 1, 4, 2]]) {
        try Tensor.causalSelfAttention(query: $0[0], key: $0[1], value: $0[2], keyPaddingMask: gqaPadding)
    },
    GradCase(name: "grouped-query attention with dropout", shapes: [[2, 4, 4, 3], [2, 2, 4, 3], [2, 2, 4, 3]]) {
        var rng = RandomGenerator(seed: 5)
        return try Tensor.causalSelfAttention(
            query: $0[0], key: $0[1], value: $0[2], keyPaddingMask: gqaPadding, dropout: 0.25, rng: &rng)
    },
]

@Suite("Llama ops: finite-difference gradients and identities (float64)")
struct LlamaOpsGradientTests {
    @Test(arguments: llamaCases)
    func gradientsMatchFiniteDifferences(_ c: GradCase) throws {
        let inputs = c.shapes.enumerated().map {
            randomDoubles($0.element, low: c.low, high: c.high, seed: UInt64(300 + $0.offset))
        }
        let result = try checkGradients(inputs, c.f)
        #expect(result.passed, "\(c.name): \(result)")
    }

    @Test func groupedQueriesEqualRepeatedKeyValueHeads() throws {
        let (q, k, v) = (randomDoubles([2, 4, 5, 3], seed: 1), randomDoubles([2, 2, 5, 3], seed: 2), randomDoubles([2, 2, 5, 3], seed: 3))
        // repeat_kv: head h of the repeated tensors is head h / 2 of the originals.
        func repeated(_ t: Tensor) throws -> Tensor {
            try Tensor.concatenate([0, 0, 1, 1].map { try t.slice(axis: 1, $0..<($0 + 1)) }, axis: 1)
        }
        let mask = try Tensor([1, 1, 1, 1, 1, 0, 0, 1, 1, 1] as [Double], shape: [2, 5])
        let grouped = try Tensor.causalSelfAttention(query: q, key: k, value: v, keyPaddingMask: mask)
        let full = try Tensor.causalSelfAttention(query: q, key: repeated(k), value: repeated(v), keyPaddingMask: mask)
        #expect(maxAbsDifference(grouped, full) < 1e-12)
        let keyMask = [true, true, true, true, true, false, false, false, false, false, true, true, true, false, false, false]
        let (kc, vc) = (try padded(k, to: 8), try padded(v, to: 8))
        let viaCache = try Tensor.cachedAttention(query: q, keys: kc, values: vc, keyLength: 5, keyMask: keyMask)
        #expect(maxAbsDifference(viaCache, grouped) < 1e-12)
    }

    @Test func rotaryScoresDependOnlyOnRelativePosition() throws {
        let frequencies = [1.0, 0.1, 0.01]
        let (q, k) = (randomDoubles([1, 1, 1, 6], seed: 4), randomDoubles([1, 1, 1, 6], seed: 5))
        func score(_ m: Int, _ n: Int) throws -> Double {
            let (a, b) = (
                try Tensor.rotaryTables(positions: [m], batchSize: 1, length: 1, inverseFrequencies: frequencies, dtype: .float64),
                try Tensor.rotaryTables(positions: [n], batchSize: 1, length: 1, inverseFrequencies: frequencies, dtype: .float64)
            )
            return try (q.rotated(cos: a.cos, sin: a.sin) * k.rotated(cos: b.cos, sin: b.sin)).sum().item()
        }
        #expect(abs(try score(7, 3) - score(4, 0)) < 1e-12)
        #expect(abs(try score(7, 3) - score(3, 7)) > 1e-6)
        let zero = try Tensor.rotaryTables(positions: [0], batchSize: 1, length: 1, inverseFrequencies: frequencies, dtype: .float64)
        #expect(maxAbsDifference(try q.rotated(cos: zero.cos, sin: zero.sin), q) == 0)
    }

    @Test func mismatchedHeadsAreRefused() throws {
        let (q, k) = (randomDoubles([1, 3, 2, 2], seed: 1), randomDoubles([1, 2, 2, 2], seed: 2))
        #expect(throws: TensorError.self) { try Tensor.causalSelfAttention(query: q, key: k, value: k) }
        #expect(throws: TensorError.self) { try q.rotated(cos: rotaryTables.cos, sin: rotaryTables.sin) }
    }
}

/// [B, H, T, D] zero-padded to [B, H, capacity, D] along T.
private func padded(_ t: Tensor, to capacity: Int) throws -> Tensor {
    let s = t.shape
    return try Tensor.concatenate([t, Tensor(zeros: [s[0], s[1], capacity - s[2], s[3]], dtype: t.dtype)], axis: 2)
}
