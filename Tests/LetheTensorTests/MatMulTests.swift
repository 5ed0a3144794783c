import LetheTensor
import LetheTestSupport
import Testing

@Suite("BLAS matrix products against the naive kernel")
struct MatMulTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let a: [Int], b: [Int], transposeA: Bool, transposeB: Bool
        var testDescription: String { "\(a)\(transposeA ? "ᵀ" : "") x \(b)\(transposeB ? "ᵀ" : "")" }
    }

    static let cases: [Case] = [
        Case(a: [7, 5], b: [5, 3], transposeA: false, transposeB: false),
        Case(a: [5, 7], b: [5, 3], transposeA: true, transposeB: false),
        Case(a: [7, 5], b: [3, 5], transposeA: false, transposeB: true),
        Case(a: [5, 7], b: [3, 5], transposeA: true, transposeB: true),
        Case(a: [3, 4, 6], b: [3, 6, 2], transposeA: false, transposeB: false),
        Case(a: [2, 3, 6, 4], b: [2, 3, 5, 6], transposeA: true, transposeB: true),
        // Large enough to be split over threads by rows, then by columns (short and wide C).
        Case(a: [300, 96], b: [96, 130], transposeA: false, transposeB: false),
        Case(a: [96, 300], b: [130, 96], transposeA: true, transposeB: true),
        Case(a: [2, 160], b: [160, 1200], transposeA: false, transposeB: false),
        Case(a: [160, 2], b: [1200, 160], transposeA: true, transposeB: true),
    ]

    @Test(arguments: cases)
    func blasMatchesNaive(_ c: Case) throws {
        var rng = RandomGenerator(seed: 5)
        let a = Tensor.randomNormal(c.a, using: &rng)
        let b = Tensor.randomNormal(c.b, using: &rng)
        let fast = try a.matmul(b, transposeA: c.transposeA, transposeB: c.transposeB)
        let reference = try matmulNaive(a, b, transposeA: c.transposeA, transposeB: c.transposeB)
        #expect(fast.shape == reference.shape)
        let k = c.transposeA ? c.a[c.a.count - 2] : c.a[c.a.count - 1]
        // float32 products of N(0,1) values: error grows like √k ⋅ ε.
        #expect(maxAbsDifference(fast, reference) < 1e-5 * Double(k))
    }

    @Test func sharedWeightFoldsBatchIntoRows() throws {
        var rng = RandomGenerator(seed: 6)
        let x = Tensor.randomNormal([2, 3, 4], using: &rng)
        let w = Tensor.randomNormal([4, 5], using: &rng)
        let folded = try x.matmul(w)
        let reference = try matmulNaive(x.reshaped([6, 4]), w).reshaped([2, 3, 5])
        #expect(folded.shape == [2, 3, 5])
        #expect(maxAbsDifference(folded, reference) < 1e-5)
    }

    @Test func float64UsesDgemm() throws {
        let a = randomDoubles([9, 7], seed: 1)
        let b = randomDoubles([7, 4], seed: 2)
        #expect(maxAbsDifference(try a.matmul(b), try matmulNaive(a, b)) < 1e-13)
    }
}
