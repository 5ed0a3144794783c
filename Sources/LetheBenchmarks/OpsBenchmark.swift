import Foundation
import LetheTensor

/// `lethe bench ops`: matrix-product GFLOP/s at GPT-2-small shapes and GB/s of the fused
/// row kernels, beside numpy (the reference peer `gemm_numpy.py`, and
/// `scripts/reference/elementwise_numpy.py`) run on the same machine in the same invocation.
///
/// The matrix-product table: Lethe's `matmul` (oneDNN `dnnl_sgemm`, the default), the same
/// `matmul` on the system OpenBLAS (`cblas_sgemm`, `MatrixLibrary.openBLAS`), and numpy with
/// its own OpenBLAS (`OPENBLAS_CORETYPE` and `OPENBLAS_L2_SIZE` unset for that command alone).
public struct OpsBenchmark {
    /// One matrix product: C[M, N] = op(A) op(B) with inner size K.
    public struct Product {
        public let name: String
        public let m: Int, k: Int, n: Int
        public let transposeA: Bool, transposeB: Bool
    }

    /// GPT-2 small with 4 × 128 tokens: the forward products of c_attn, the attention's
    /// c_proj, c_fc and the MLP's c_proj, the two backward products of c_fc (∂X = ∂Y Wᵀ,
    /// ∂W = Xᵀ ∂Y), and the tied LM head (logits = H Wₜₑᵀ).
    public static let products: [Product] = [
        Product(name: "qkv [512,768]x[768,2304]", m: 512, k: 768, n: 2304, transposeA: false, transposeB: false),
        Product(name: "attn proj [512,768]x[768,768]", m: 512, k: 768, n: 768, transposeA: false, transposeB: false),
        Product(name: "fc [512,768]x[768,3072]", m: 512, k: 768, n: 3072, transposeA: false, transposeB: false),
        Product(name: "proj [512,3072]x[3072,768]", m: 512, k: 3072, n: 768, transposeA: false, transposeB: false),
        Product(name: "fc dX [512,3072]x[768,3072]^T", m: 512, k: 3072, n: 768, transposeA: false, transposeB: true),
        Product(name: "fc dW [512,768]^T x[512,3072]", m: 768, k: 512, n: 3072, transposeA: true, transposeB: false),
        Product(name: "lm head [512,768]x[50257,768]^T", m: 512, k: 768, n: 50257, transposeA: false, transposeB: true),
    ]

    public var rows = 512
    public var cols = 3072
    public var peers: PeerScripts?
    public var budget = 0.6

    public init(peers: PeerScripts?) { self.peers = peers }

    /// Runs the benchmark, printing a table through `log`, and returns the summary object
    /// that `lethe` prints as the last line (JSON).
    public func run(log: (String) -> Void) throws -> [String: Any] {
        var rng = RandomGenerator(seed: 0)
        let threads = Parallel.threadCount
        log("Lethe ops benchmark: \(threads) threads, float32")

        // Matrix products: Lethe on oneDNN, Lethe on the system OpenBLAS, numpy.
        let numpy = peers?.numpyGemm(Self.products.map { ($0.m, $0.k, $0.n, $0.transposeA, $0.transposeB) }, threads: threads)
        var gemm: [String: Double] = [:]
        var openBLAS: [String: Double] = [:]
        var numpyRates: [String: Double] = [:]
        var ratios: [String: Double] = [:]
        log(pad("matmul GFLOP/s", 34) + "  oneDNN  OpenBLAS     numpy   oneDNN/numpy")
        for (index, p) in Self.products.enumerated() {
            let a = Tensor.randomNormal(p.transposeA ? [p.k, p.m] : [p.m, p.k], using: &rng)
            let b = Tensor.randomNormal(p.transposeB ? [p.n, p.k] : [p.k, p.n], using: &rng)
            let flops = 2.0 * Double(p.m * p.n * p.k)
            let rates = try [MatrixLibrary.oneDNN, .openBLAS].map { library in
                let seconds = try withoutGradients {
                    try MatrixLibrary.with(library) {
                        try medianSeconds(budget: budget) { _ = try a.matmul(b, transposeA: p.transposeA, transposeB: p.transposeB) }
                    }
                }
                return flops / seconds / 1e9
            }
            (gemm[p.name], openBLAS[p.name]) = (rates[0], rates[1])
            var line = pad(p.name, 34) + String(format: "%8.1f  %8.1f", rates[0], rates[1])
            if let peer = numpy?[index] {
                numpyRates[p.name] = peer
                ratios[p.name] = rates[0] / peer
                line += String(format: "  %8.1f   %.2f", peer, rates[0] / peer)
            }
            log(line)
        }

        // Fused row kernels, forward, on all threads and on one.
        let x = Tensor.randomNormal([rows, cols], using: &rng)
        let weight = Tensor(filled: 1, shape: [cols])
        let bias = Tensor(zeros: [cols])
        let kernels: [(String, () throws -> Void)] = [
            ("layer_norm", { _ = try x.layerNorm(weight: weight, bias: bias) }),
            ("gelu", { _ = x.gelu() }),
            ("softmax", { _ = try x.softmax() }),
        ]
        let elementwisePeers = peers?.numpyElementwise(rows: rows, cols: cols)
        let bytes = Double(2 * rows * cols * 4)  // read x, write y
        var bandwidth: [String: Double] = [:]
        var speedup: [String: Double] = [:]
        var elementwiseRatios: [String: Double] = [:]
        for (name, body) in kernels {
            let all = try withoutGradients { try medianSeconds(budget: budget, body) }
            let one = try withoutGradients { try Parallel.withThreadLimit(1) { try medianSeconds(budget: budget, body) } }
            bandwidth[name] = bytes / all / 1e9
            speedup[name] = one / all
            var line = pad("\(name) [\(rows),\(cols)]", 34)
                + String(format: "%7.1f GB/s   %d threads vs 1: x%.2f", bytes / all / 1e9, threads, one / all)
            if let peer = elementwisePeers?[name + "_s"] {
                elementwiseRatios[name] = peer / all
                line += String(format: "   numpy %6.2f GB/s   ratio %.2f", bytes / peer / 1e9, peer / all)
            }
            log(line)
        }

        var summary: [String: Any] = [
            "bench": "ops", "threads": threads, "matmul_gflops": gemm, "matmul_openblas_gflops": openBLAS,
            "ratio_vs_openblas_sgemm": gemm.merging(openBLAS) { $0 / $1 },
            "rowwise_shape": [rows, cols], "rowwise_gbps": bandwidth, "rowwise_speedup_vs_1_thread": speedup,
        ]
        if !ratios.isEmpty {
            summary["numpy_sgemm_gflops"] = numpyRates
            summary["ratio_vs_numpy_sgemm"] = ratios
            summary["min_ratio_vs_numpy_sgemm"] = ratios.values.min()
        }
        if !elementwiseRatios.isEmpty { summary["rowwise_ratio_vs_numpy"] = elementwiseRatios }
        if numpy == nil { summary["numpy"] = "unavailable" }
        return summary
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
}
