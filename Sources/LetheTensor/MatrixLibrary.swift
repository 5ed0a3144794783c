import CDNNL
import Foundation

/// The library that runs Float32 matrix products: `Tensor.matmul` (forward and backward) and
/// the per-head products of the attention kernels.
///
/// - `oneDNN`: `dnnl_sgemm` (Intel oneDNN, Debian `libdnnl-dev` 2.6), which picks at run time
///   the widest vector kernels the CPU has (AVX-512 where present). The default.
/// - `openBLAS`: `cblas_sgemm` (the system OpenBLAS). Also the fallback when oneDNN rejects
///   a call.
///
/// Float64 products (gradient checks) always run on OpenBLAS's `cblas_dgemm`. Either way a
/// large product is split by rows or columns of C over Lethe's workers (`Parallel`), each
/// part one single-threaded library call: one thread pool, so nothing oversubscribes the
/// cores, and for a given thread count the same split and the same bits on every call.
///
/// The environment variable `LETHE_MATRIX_LIBRARY=openblas` makes OpenBLAS the default.
public enum MatrixLibrary: String, Sendable, CaseIterable {
    case oneDNN
    case openBLAS

    /// The library used by the products an op starts: the default, or the one given to
    /// `MatrixLibrary.with` around it. Ops read it on their own thread, before any parallel
    /// region (a task-local value does not reach Lethe's worker threads).
    @TaskLocal public static var current: MatrixLibrary = defaultLibrary

    /// oneDNN, or OpenBLAS when the environment variable `LETHE_MATRIX_LIBRARY` is `openblas`.
    public static let defaultLibrary: MatrixLibrary =
        ProcessInfo.processInfo.environment["LETHE_MATRIX_LIBRARY"]?.lowercased() == "openblas" ? .openBLAS : .oneDNN

    /// Runs `body` with its Float32 products on `library` (benchmarks and tests compare them).
    public static func with<R>(_ library: MatrixLibrary, _ body: () throws -> R) rethrows -> R {
        try $current.withValue(library, operation: body)
    }
}

/// `dnnl_sgemm` on the calling thread alone.
///
/// Debian builds oneDNN on OpenMP (libgomp), and a `dnnl_sgemm` call opens a team of the
/// calling thread's OpenMP thread count (by default one thread per core). Lethe calls it from
/// its own workers, each with a share of the product, so the count is set to 1 on every
/// calling thread (a per-thread setting in OpenMP): no OpenMP team is ever started, and no
/// OpenMP worker spins beside Lethe's after a product.
enum OneDNN {
    /// Row-major `C[m, n] = alpha ⋅ op(A)[m, k] ⋅ op(B)[k, n] + beta ⋅ C`, where op(X) = Xᵀ
    /// when its flag is set; `lda`, `ldb`, `ldc` are the row strides of A, B and C as stored.
    /// Falls back to OpenBLAS when oneDNN reports an error.
    static func sgemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if omp_get_max_threads() != 1 { omp_set_num_threads(1) }
        let (no, yes) = (CChar(UInt8(ascii: "N")), CChar(UInt8(ascii: "T")))
        let status = dnnl_sgemm(
            transA ? yes : no, transB ? yes : no, dnnl_dim_t(m), dnnl_dim_t(n), dnnl_dim_t(k),
            alpha, a, dnnl_dim_t(lda), b, dnnl_dim_t(ldb), beta, c, dnnl_dim_t(ldc))
        if status != dnnl_success {
            Float.gemm(
                transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        }
    }
}

extension Float {
    public static func gemm(
        on library: MatrixLibrary, transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        switch library {
        case .oneDNN:
            OneDNN.sgemm(
                transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        case .openBLAS:
            gemm(
                transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        }
    }
}

extension Double {
    public static func gemm(
        on _: MatrixLibrary, transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
        a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        gemm(
            transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
            a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }
}
