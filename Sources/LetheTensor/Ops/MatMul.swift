/// Matrix products: Float32 through oneDNN's `dnnl_sgemm` (see `MatrixLibrary`), Float64
/// through OpenBLAS's `cblas_dgemm`, with a naive reference kernel for tests.
///
///     C[.., M, N] = op(A)[.., M, K] ⋅ op(B)[.., K, N]      op(X) = X or Xᵀ (last two axes)
///     ∂A = ∂C ⋅ op(B)ᵀ   (transposed back when A was)       ∂B = op(A)ᵀ ⋅ ∂C
///
/// Shapes: both operands rank 2; or the same leading (batch) axes on both; or a batched A
/// with a rank-2 B (a shared weight: the batch folds into M, one large product).
/// The backward products are matmuls too, so they take the same path. Empty products are
/// allowed (M, N or K = 0; K = 0 gives zeros).
extension Tensor {
    public func matmul(_ other: Tensor, transposeA: Bool = false, transposeB: Bool = false)
        throws -> Tensor
    {
        let (a, b) = (self, other)
        guard a.dtype == b.dtype else {
            throw TensorError.dtypeMismatch(op: "matmul", lhs: a.dtype, rhs: b.dtype)
        }
        guard a.rank >= 2, b.rank >= 2 else {
            throw TensorError.shapeMismatch(
                op: "matmul", lhs: a.shape, rhs: b.shape, reason: "operands need rank 2 or more")
        }
        if a.rank > 2, b.rank == 2, !transposeA {
            // A shared weight: fold the batch axes into M.
            let k = a.shape[a.rank - 1]
            let folded = try a.reshaped([-1, k]).matmul(b, transposeB: transposeB)
            return try folded.reshaped(Array(a.shape.dropLast()) + [folded.shape[1]])
        }
        if a.rank != b.rank {
            let batch = a.rank > b.rank ? Array(a.shape.dropLast(2)) : Array(b.shape.dropLast(2))
            let ea = a.rank > b.rank ? a : try a.expanded(to: batch + a.shape.suffix(2))
            let eb = b.rank > a.rank ? b : try b.expanded(to: batch + b.shape.suffix(2))
            return try ea.matmul(eb, transposeA: transposeA, transposeB: transposeB)
        }
        let batch = Array(a.shape.dropLast(2))
        let (ar, ac) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let (br, bc) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
        let (m, k) = transposeA ? (ac, ar) : (ar, ac)
        let (kb, n) = transposeB ? (bc, br) : (br, bc)
        guard batch == Array(b.shape.dropLast(2)), k == kb else {
            throw TensorError.shapeMismatch(
                op: "matmul", lhs: a.shape, rhs: b.shape,
                reason: "inner sizes \(k) and \(kb)"
                    + (transposeA || transposeB ? " (transposeA \(transposeA), transposeB \(transposeB))" : "")
                    + (batch == Array(b.shape.dropLast(2)) ? "" : ", batch axes differ"))
        }
        let out = Tensor.uninitialized(batch + [m, n], dtype: a.dtype)
        let product = MatrixProduct(
            batch: Shape.count(batch), m: m, n: n, k: k, transA: transposeA, transB: transposeB)
        if a.dtype == .float32 {
            product.run(a.pointer(Float.self), b.pointer(Float.self), out.pointer(Float.self))
        } else {
            product.run(a.pointer(Double.self), b.pointer(Double.self), out.pointer(Double.self))
        }
        return Tensor.record("matmul", out, inputs: [a, b]) { g in
            var ga: Tensor?
            var gb: Tensor?
            switch (transposeA, transposeB) {
            case (false, false):
                if a.tracksGradient { ga = try g.matmul(b, transposeB: true) }
                if b.tracksGradient { gb = try a.matmul(g, transposeA: true) }
            case (true, false):
                if a.tracksGradient { ga = try b.matmul(g, transposeB: true) }
                if b.tracksGradient { gb = try a.matmul(g) }
            case (false, true):
                if a.tracksGradient { ga = try g.matmul(b) }
                if b.tracksGradient { gb = try g.matmul(a, transposeA: true) }
            case (true, true):
                if a.tracksGradient { ga = try b.matmul(g, transposeA: true, transposeB: true) }
                if b.tracksGradient { gb = try g.matmul(a, transposeA: true, transposeB: true) }
            }
            return [ga, gb]
        }
    }
}

/// One (batched) product `C = op(A) ⋅ op(B)` over contiguous row-major operands:
/// A [batch, M, K] (stored [batch, K, M] when `transA`), B [batch, K, N] (stored [batch, N, K]
/// when `transB`), C [batch, M, N].
struct MatrixProduct {
    let batch: Int, m: Int, n: Int, k: Int
    let transA: Bool, transB: Bool

    /// Runs the product on `MatrixLibrary.current` (Float; Double on OpenBLAS), splitting the
    /// work over Lethe's threads, each part one single-threaded library call: by batch entry
    /// when there are several, else by rows (or columns) of C once it is worth it.
    func run<S: TensorScalar>(_ a: UnsafePointer<S>, _ b: UnsafePointer<S>, _ c: UnsafeMutablePointer<S>) {
        if batch * m * n == 0 { return }
        if k == 0 {  // an empty sum
            c.update(repeating: 0, count: batch * m * n)
            return
        }
        let library = MatrixLibrary.current  // read here: task-local values do not reach the workers
        let (lda, ldb) = (transA ? m : k, transB ? k : n)
        let (strideA, strideB, strideC) = (m * k, k * n, m * n)
        /// C[rows, columns] of one batch entry, as one call.
        func part(_ a: UnsafePointer<S>, _ b: UnsafePointer<S>, _ c: UnsafeMutablePointer<S>, rows: Int, columns: Int) {
            S.gemm(
                on: library, transA: transA, transB: transB, m: rows, n: columns, k: k, alpha: 1,
                a: a, lda: lda, b: b, ldb: ldb, beta: 0, c: c, ldc: n)
        }
        let workers = Parallel.threadCount
        if batch >= workers || m * n * k < 1 << 18 || workers == 1 {
            Parallel.forEachRange(batch, costPerItem: m * n * k) { range in
                for i in range { part(a + i * strideA, b + i * strideB, c + i * strideC, rows: m, columns: n) }
            }
            return
        }
        for i in 0..<batch {
            let (ai, bi, ci) = (a + i * strideA, b + i * strideB, c + i * strideC)
            if m >= n || m >= 4 * workers {
                // Split rows of C: rows of op(A).
                Parallel.forEachRange(m, costPerItem: 1 << 16) { rows in
                    let aRows = transA ? ai + rows.lowerBound : ai + rows.lowerBound * lda
                    part(aRows, bi, ci + rows.lowerBound * n, rows: rows.count, columns: n)
                }
            } else {
                // Split columns of C: columns of op(B).
                Parallel.forEachRange(n, costPerItem: 1 << 16) { columns in
                    let bColumns = transB ? bi + columns.lowerBound * ldb : bi + columns.lowerBound
                    part(ai, bColumns, ci + columns.lowerBound, rows: m, columns: columns.count)
                }
            }
        }
    }
}

/// The reference product, three plain loops accumulating in Double: what the BLAS path is
/// tested against. Same shapes and flags as `Tensor.matmul`, rank 2 or equal batch axes.
public func matmulNaive(
    _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false
) throws -> Tensor {
    let batch = Array(a.shape.dropLast(2))
    let (m, k) = transposeA ? (a.shape[a.rank - 1], a.shape[a.rank - 2]) : (a.shape[a.rank - 2], a.shape[a.rank - 1])
    let n = transposeB ? b.shape[b.rank - 2] : b.shape[b.rank - 1]
    let (x, y) = (a.doubles, b.doubles)
    var out = [Double](repeating: 0, count: Shape.count(batch) * m * n)
    for p in 0..<Shape.count(batch) {
        for i in 0..<m {
            for j in 0..<n {
                var total = 0.0
                for l in 0..<k {
                    let av = transposeA ? x[p * m * k + l * m + i] : x[p * m * k + i * k + l]
                    let bv = transposeB ? y[p * k * n + j * k + l] : y[p * k * n + l * n + j]
                    total += av * bv
                }
                out[p * m * n + i * n + j] = total
            }
        }
    }
    let result = try Tensor(out, shape: batch + [m, n])
    return a.dtype == .float64 ? result : result.converted(to: .float32)
}
