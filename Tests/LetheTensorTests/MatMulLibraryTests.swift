import LetheTensor
import LetheTestSupport
import Testing

/// Float32 products through oneDNN (and the OpenBLAS fallback) against the Float64 OpenBLAS
/// product, and oneDNN's run-to-run determinism at GPT-2 shapes.
@Suite("Float32 matrix products through oneDNN and OpenBLAS")
struct MatMulLibraryTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let batch: [Int], m: Int, k: Int, n: Int
        var testDescription: String { "\(batch)[\(m)x\(k)]x[\(k)x\(n)]" }
    }

    /// Edge shapes (a row, a column, K = 1, empty M, N or K) and ordinary ones, some batched.
    static let cases: [Case] = [
        Case(batch: [], m: 1, k: 37, n: 50), Case(batch: [], m: 50, k: 37, n: 1),
        Case(batch: [], m: 1, k: 1, n: 1), Case(batch: [], m: 33, k: 1, n: 17),
        Case(batch: [], m: 0, k: 5, n: 4), Case(batch: [], m: 4, k: 5, n: 0),
        Case(batch: [], m: 4, k: 0, n: 6), Case(batch: [], m: 64, k: 200, n: 96),
        Case(batch: [], m: 130, k: 768, n: 300), Case(batch: [3], m: 7, k: 9, n: 5),
        Case(batch: [2, 2], m: 20, k: 64, n: 1), Case(batch: [2], m: 0, k: 3, n: 2),
    ]

    static let arguments: [(Case, MatrixLibrary)] = cases.flatMap { c in MatrixLibrary.allCases.map { (c, $0) } }

    /// |C₃₂ − C₆₄| ≤ 2 K ε₃₂ (|A| |B|) entry by entry, for every transpose combination: the
    /// standard error bound of a float32 dot product of length K (ε₃₂ = 2⁻²⁴).
    @Test(arguments: arguments)
    func matchesFloat64Product(_ c: Case, _ library: MatrixLibrary) throws {
        var rng = RandomGenerator(seed: 11)
        for (transposeA, transposeB) in [(false, false), (true, false), (false, true), (true, true)] {
            let a = Tensor.randomNormal(c.batch + (transposeA ? [c.k, c.m] : [c.m, c.k]), using: &rng)
            let b = Tensor.randomNormal(c.batch + (transposeB ? [c.n, c.k] : [c.k, c.n]), using: &rng)
            let product = try MatrixLibrary.with(library) {
                try a.matmul(b, transposeA: transposeA, transposeB: transposeB)
            }
            let (a64, b64) = (a.converted(to: .float64), b.converted(to: .float64))
            let exact = try a64.matmul(b64, transposeA: transposeA, transposeB: transposeB)
            let magnitude = try absolute(a64).matmul(absolute(b64), transposeA: transposeA, transposeB: transposeB)
            #expect(product.dtype == .float32)
            #expect(product.shape == c.batch + [c.m, c.n])
            let (got, want, bound) = (product.doubles, exact.doubles, magnitude.doubles)
            #expect(got.count == want.count)
            let epsilon = Double(Float.ulpOfOne) / 2
            let failures = (0..<min(got.count, want.count)).filter {
                !(abs(got[$0] - want[$0]) <= 2 * Double(c.k) * epsilon * bound[$0])
            }
            #expect(failures.isEmpty, "transposeA \(transposeA), transposeB \(transposeB): \(failures.count) entries off")
        }
    }

    /// The same product, repeated into freshly allocated outputs, gives the same bits every
    /// time (a forward product and both backward products of GPT-2 small's c_fc, B4 T128,
    /// and the c_attn forward), on all of Lethe's threads and on one.
    @Test func oneDNNIsDeterministicAtGPT2Shapes() throws {
        var rng = RandomGenerator(seed: 12)
        let shapes: [(m: Int, k: Int, n: Int, transposeA: Bool, transposeB: Bool)] = [
            (512, 768, 2304, false, false), (512, 3072, 768, false, true), (768, 512, 3072, true, false),
        ]
        for s in shapes {
            let a = Tensor.randomNormal(s.transposeA ? [s.k, s.m] : [s.m, s.k], using: &rng)
            let b = Tensor.randomNormal(s.transposeB ? [s.n, s.k] : [s.k, s.n], using: &rng)
            for threads in [Parallel.threadCount, 1] {
                let products = try Parallel.withThreadLimit(threads) {
                    try MatrixLibrary.with(.oneDNN) {
                        try (0..<3).map { _ in try a.matmul(b, transposeA: s.transposeA, transposeB: s.transposeB) }
                    }
                }
                let first = products[0].floats.map(\.bitPattern)
                let identical = products.dropFirst().allSatisfy { $0.floats.map(\.bitPattern) == first }
                #expect(identical, "[\(s.m)x\(s.k)]x[\(s.k)x\(s.n)] on \(threads) threads")
            }
        }
    }

    private func absolute(_ x: Tensor) throws -> Tensor { try Tensor(x.doubles.map(abs), shape: x.shape) }
}
