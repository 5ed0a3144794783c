import CDNNL

/// The library that runs Float32 matrix products (`Tensor.matmul` and its backward products).
///
/// - `oneDNN`: `dnnl_sgemm` (Intel oneDNN, Debian `libdnnl-dev` 2.6), which dispatches at run
///   time to the widest vector kernels the CPU has (AVX-512 where present). The default.
/// - `openBLAS`: `cblas_sgemm` (the system OpenBLAS), single-threaded per call, with the
///   product split by rows or columns of C over Lethe's workers. Also the fallback when
///   oneDNN rejects a call.
///
/// Float64 products (gradient checks) always run through OpenBLAS's `cblas_dgemm`.
/// The attention kernels' per-head products run inside Lethe's parallel regions and stay on
/// single-threaded OpenBLAS there (see `OneDNN` for why oneDNN is never called from a worker).
public enum MatrixLibrary: String, Sendable, CaseIterable {
    case oneDNN
    case openBLAS

    /// The library used by the products started in this task: `oneDNN` unless
    /// `MatrixLibrary.with` says otherwise.
    @TaskLocal public static var current: MatrixLibrary = .oneDNN

    /// Runs `body` with its Float32 products on `library` (benchmarks and tests compare them).
    public static func with<R>(_ library: MatrixLibrary, _ body: () throws -> R) rethrows -> R {
        try $current.withValue(library, operation: body)
    }
}

/// Calls into oneDNN's `dnnl_sgemm` on an OpenMP team of `Parallel.threadCount` threads.
///
/// Thread policy: Lethe's workers (Dispatch) and oneDNN's OpenMP team never run at once. A
/// product is started only from the thread that runs the op (never from inside a
/// `Parallel.forEachRange` region); it opens a team of `Parallel.threadCount` threads (the
/// calling thread and `threadCount − 1` OpenMP workers) while Lethe's workers are idle, and
/// returns when the team has finished. The OpenMP thread count is a per-thread setting, so it
/// is set on the calling thread whenever it differs from Lethe's worker count (first call,
/// another calling thread, `Parallel.withThreadLimit`).
///
/// For a given thread count and shape, oneDNN partitions the product the same way on every
/// call, so the results are bit-identical from call to call (`MatMulOneDNNTests`).
enum OneDNN {
    /// Row-major `C[m, n] = alpha ⋅ op(A)[m, k] ⋅ op(B)[k, n] + beta ⋅ C`, where op(X) = Xᵀ
    /// when its flag is set; `lda`, `ldb`, `ldc` are the row strides of A, B and C as stored.
    /// Returns false when oneDNN reports an error (the caller falls back to OpenBLAS).
    static func sgemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) -> Bool {
        let threads = Int32(Parallel.threadCount)
        if omp_get_max_threads() != threads { omp_set_num_threads(threads) }
        let (no, yes) = (CChar(UInt8(ascii: "N")), CChar(UInt8(ascii: "T")))
        let status = dnnl_sgemm(
            transA ? yes : no, transB ? yes : no, dnnl_dim_t(m), dnnl_dim_t(n), dnnl_dim_t(k),
            alpha, a, dnnl_dim_t(lda), b, dnnl_dim_t(ldb), beta, c, dnnl_dim_t(ldc))
        return status == dnnl_success
    }
}
