import LetheTensor
import LetheTestSupport
import Testing

@Suite("Seeded randomness")
struct RandomTests {
    @Test func sameSeedSameStreamDifferentSeedDifferentStream() {
        var a = RandomGenerator(seed: 42)
        var b = RandomGenerator(seed: 42)
        var c = RandomGenerator(seed: 43)
        let (xa, xb, xc) = ((0..<5).map { _ in a.next() }, (0..<5).map { _ in b.next() }, (0..<5).map { _ in c.next() })
        #expect(xa == xb)
        #expect(xa != xc)
    }

    @Test func stateRestoresTheStream() throws {
        var a = RandomGenerator(seed: 1)
        _ = a.next()
        var restored = try RandomGenerator(stateWords: a.stateWords)
        #expect(a.next() == restored.next())
        #expect(throws: TensorError.self) { try RandomGenerator(stateWords: [0, 0, 0, 0]) }
    }

    @Test func normalAndUniformHaveTheirMoments() throws {
        var rng = RandomGenerator(seed: 9)
        let n = Tensor.randomNormal([200_000], mean: 1, std: 2, dtype: .float64, using: &rng)
        let mean = try n.mean().item()
        let variance = try ((n - mean) * (n - mean)).mean().item()
        #expect(abs(mean - 1) < 0.02 && abs(variance - 4) < 0.06)
        let u = Tensor.randomUniform([200_000], low: -1, high: 3, dtype: .float64, using: &rng)
        #expect(u.doubles.allSatisfy { $0 >= -1 && $0 < 3 })
        #expect(abs(try u.mean().item() - 1) < 0.02)
    }

    @Test func dropoutIsSeededAndKeepsTheMean() throws {
        let x = Tensor(filled: 1, shape: [100_000])
        var r1 = RandomGenerator(seed: 3)
        var r2 = RandomGenerator(seed: 3)
        let (y1, y2) = (try x.dropout(probability: 0.25, using: &r1), try x.dropout(probability: 0.25, using: &r2))
        #expect(y1.floats == y2.floats)
        let zeros = y1.floats.filter { $0 == 0 }.count
        #expect(abs(Double(zeros) / 100_000 - 0.25) < 0.01)
        #expect(abs(try y1.mean().item() - 1) < 0.02)
    }
}

@Suite("Kernels: extreme inputs, fused against composed")
struct KernelTests {
    @Test func softmaxOfExtremeValuesIsFinite() throws {
        let x = try Tensor([300, -300, 0, -300, -300, -300] as [Float], shape: [2, 3])
        let s = try x.softmax().floats
        #expect(s.allSatisfy { $0.isFinite })
        #expect(abs(s[0] - 1) < 1e-6 && abs(s[3] - 1 / 3) < 1e-6)
        let l = try x.logSoftmax().floats
        #expect(l.allSatisfy { $0.isFinite } && abs(l[1] + 600) < 1e-3)
        #expect(try x.crossEntropy(targets: [1, 0]).item().isFinite)
        #expect(x.logSigmoid().floats.allSatisfy { $0.isFinite })
        #expect(x.sigmoid().floats.allSatisfy { $0.isFinite })
    }

    /// Float32 per-row losses ℓᵣ = log Σⱼ e^(x_rj) − x_r,tᵣ against the log-sum-exp in Double,
    /// over a row width that is not a multiple of the kernel's eight lanes.
    @Test func crossEntropyMatchesDoubleLogSumExp() throws {
        var rng = RandomGenerator(seed: 21)
        let (rows, v) = (5, 1_003)
        let x = Tensor.randomNormal([rows, v], std: 4, using: &rng)
        let targets = [0, 17, -100, v - 1, 500]
        let losses = try x.crossEntropy(targets: targets, reduction: .none).doubles
        let values = x.doubles
        for r in 0..<rows {
            let row = values[(r * v)..<((r + 1) * v)]
            let m = row.max() ?? 0
            let reference = targets[r] < 0 ? 0 : m + log(row.reduce(0) { $0 + exp($1 - m) }) - row[r * v + targets[r]]
            #expect(abs(losses[r] - reference) < 1e-5 * max(1, abs(reference)), "row \(r)")
        }
    }

    @Test func fusedAttentionMatchesComposedOps() throws {
        var rng = RandomGenerator(seed: 8)
        let (B, H, T, D) = (2, 3, 5, 4)
        let q = Tensor.randomNormal([B, H, T, D], using: &rng)
        let k = Tensor.randomNormal([B, H, T, D], using: &rng)
        let v = Tensor.randomNormal([B, H, T, D], using: &rng)
        let padding = try Tensor([1, 1, 1, 1, 1, 1, 1, 1, 0, 0] as [Float], shape: [B, T])
        let fused = try Tensor.causalSelfAttention(query: q, key: k, value: v, keyPaddingMask: padding)
        // Composed: mask = future keys or padded keys, broadcast [B, 1, T, T].
        var blocked = [Float](repeating: 0, count: B * T * T)
        for b in 0..<B {
            for i in 0..<T {
                for j in 0..<T where j > i || padding.floats[b * T + j] == 0 { blocked[(b * T + i) * T + j] = 1 }
            }
        }
        let mask = try Tensor(blocked, shape: [B, 1, T, T])
        let scores = try q.matmul(k, transposeB: true) * (1 / Double(D).squareRoot())
        let composed = try scores.maskedFill(mask, value: -1e9).softmax().matmul(v)
        #expect(maxAbsDifference(fused, composed) < 1e-5)
    }

    @Test func cachedAttentionEqualsTheFusedOpAndContinuesIt() throws {
        var rng = RandomGenerator(seed: 12)
        let (B, H, T, D) = (2, 2, 6, 4)
        let q = Tensor.randomNormal([B, H, T, D], using: &rng)
        let k = Tensor.randomNormal([B, H, T, D], using: &rng)
        let v = Tensor.randomNormal([B, H, T, D], using: &rng)
        let mask: [Float] = [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]  // row 0 left-padded
        let fused = try Tensor.causalSelfAttention(
            query: q, key: k, value: v, keyPaddingMask: Tensor(mask, shape: [B, T]))
        let flags = mask.map { $0 != 0 }
        let whole = try Tensor.cachedAttention(query: q, keys: k, values: v, keyLength: T, keyMask: flags)
        #expect(maxAbsDifference(whole, fused) < 1e-5)
        // The last query alone over the full cache gives the last row of the full result.
        let lastQuery = try q.slice(axis: 2, (T - 1)..<T)
        let last = try Tensor.cachedAttention(query: lastQuery, keys: k, values: v, keyLength: T, keyMask: flags)
        #expect(maxAbsDifference(last, try fused.slice(axis: 2, (T - 1)..<T)) < 1e-5)
    }

    @Test func layerNormNormalisesRows() throws {
        var rng = RandomGenerator(seed: 2)
        let x = Tensor.randomNormal([4, 64], mean: 3, std: 5, using: &rng)
        let y = try x.layerNorm(weight: Tensor(filled: 1, shape: [64]), bias: Tensor(zeros: [64]))
        #expect(abs(try y.mean(axes: [-1]).floats.max() ?? 1) < 1e-5)
        #expect(abs((try (y * y).mean(axes: [-1]).floats.min() ?? 0) - 1) < 1e-3)
    }

    @Test func geluMatchesItsFormula() throws {
        let x = try Tensor([-3, -0.5, 0, 0.5, 3] as [Double], shape: [5])
        let expected = x.doubles.map { 0.5 * $0 * (1 + tanh(0.7978845608028654 * ($0 + 0.044715 * $0 * $0 * $0))) }
        #expect(zip(x.gelu().doubles, expected).allSatisfy { abs($0 - $1) < 1e-15 })
    }

    @Test func largeElementwiseOpsMatchSmallOnes() throws {
        // Large tensors take the parallel path; the result must equal the serial formula.
        var rng = RandomGenerator(seed: 4)
        let a = Tensor.randomNormal([300, 257], using: &rng)
        let b = Tensor.randomNormal([257], using: &rng)
        let sum = try a + b
        let (af, bf, sf) = (a.floats, b.floats, sum.floats)
        #expect((0..<af.count).allSatisfy { sf[$0] == af[$0] + bf[$0 % 257] })
        let column = try a.sum(axes: [0]).floats
        let expected = (0..<257).map { j in (0..<300).reduce(Float(0)) { $0 + af[$1 * 257 + j] } }
        #expect(zip(column, expected).allSatisfy { abs($0 - $1) < 1e-3 })
    }
}

import Foundation

@Suite("Vectorisable float32 exp and tanh")
struct FastMathTests {
    @Test func fastExpIsWithinTwoUlpsRelative() {
        var worst = 0.0
        for i in 0...200_000 {
            let x = Float(-87 + Double(i) * (175.0 / 200_000))
            let exact = Foundation.exp(Double(x))
            worst = Swift.max(worst, abs(Double(Float.fastExp(x)) - exact) / exact)
        }
        #expect(worst < 2.5e-7, "worst relative error \(worst)")
        #expect(Float.fastExp(-300) < 1e-37 && Float.fastExp(-300) >= 0)
        #expect(Float.fastExp(300).isFinite)
    }

    @Test func fastTanhIsWithinFourTenthsOfAMillionth() {
        var worst = 0.0
        for i in 0...200_000 {
            let x = Float(-20 + Double(i) * (40.0 / 200_000))
            worst = Swift.max(worst, abs(Double(Float.fastTanh(x)) - Foundation.tanh(Double(x))))
        }
        #expect(worst < 4e-7, "worst absolute error \(worst)")
    }
}
