/// Softmax and log-softmax over the last axis, stable for any finite input (the row maximum
/// is subtracted first, so softmax of ±300 neither overflows nor underflows to NaN).
///
///     softmax:    yᵢ = e^(xᵢ − m) / Σⱼ e^(xⱼ − m)        ∂xᵢ = yᵢ (∂yᵢ − Σⱼ yⱼ ∂yⱼ)
///     logSoftmax: yᵢ = xᵢ − m − log Σⱼ e^(xⱼ − m)       ∂xᵢ = ∂yᵢ − e^(yᵢ) Σⱼ ∂yⱼ
extension Tensor {
    public func softmax() throws -> Tensor {
        let (rows, v) = try lastAxisRows(op: "softmax")
        let out = Tensor.uninitialized(shape, dtype: dtype)
        func forward<S: TensorScalar>(_: S.Type) {
            let (x, y) = (pointer(S.self), out.pointer(S.self))
            Parallel.forEachRange(rows, costPerItem: 4 * v) { range in
                for r in range { softmaxRow(x + r * v, y + r * v, v, log: false) }
            }
        }
        dtype == .float32 ? forward(Float.self) : forward(Double.self)
        return Tensor.record("softmax", out, inputs: [self]) { [saved = out.detached()] g in
            let dx = Tensor.uninitialized(g.shape, dtype: g.dtype)
            func backward<S: TensorScalar>(_: S.Type) {
                let (y, gy, d) = (saved.pointer(S.self), g.pointer(S.self), dx.pointer(S.self))
                Parallel.forEachRange(rows, costPerItem: 3 * v) { range in
                    for r in range {
                        let (yr, gr, dr) = (y + r * v, gy + r * v, d + r * v)
                        let dot = rowDot(yr, gr, v)
                        for j in 0..<v { dr[j] = yr[j] * (gr[j] - dot) }
                    }
                }
            }
            g.dtype == .float32 ? backward(Float.self) : backward(Double.self)
            return [dx]
        }
    }

    public func logSoftmax() throws -> Tensor {
        let (rows, v) = try lastAxisRows(op: "logSoftmax")
        let out = Tensor.uninitialized(shape, dtype: dtype)
        func forward<S: TensorScalar>(_: S.Type) {
            let (x, y) = (pointer(S.self), out.pointer(S.self))
            Parallel.forEachRange(rows, costPerItem: 4 * v) { range in
                for r in range { softmaxRow(x + r * v, y + r * v, v, log: true) }
            }
        }
        dtype == .float32 ? forward(Float.self) : forward(Double.self)
        return Tensor.record("logSoftmax", out, inputs: [self]) { [saved = out.detached()] g in
            let dx = Tensor.uninitialized(g.shape, dtype: g.dtype)
            func backward<S: TensorScalar>(_: S.Type) {
                let (y, gy, d) = (saved.pointer(S.self), g.pointer(S.self), dx.pointer(S.self))
                Parallel.forEachRange(rows, costPerItem: 4 * v) { range in
                    for r in range {
                        let (yr, gr, dr) = (y + r * v, gy + r * v, d + r * v)
                        let total = rowSum(gr, v)
                        for j in 0..<v { dr[j] = gr[j] - S.fastExp(yr[j]) * total }
                    }
                }
            }
            g.dtype == .float32 ? backward(Float.self) : backward(Double.self)
            return [dx]
        }
    }

    /// (rows, size of the last axis) for row-wise kernels.
    func lastAxisRows(op: String) throws -> (rows: Int, width: Int) {
        guard rank >= 1, shape[rank - 1] > 0 else {
            throw TensorError.invalidShape(op: op, shape: shape, reason: "needs a non-empty last axis")
        }
        return (count / shape[rank - 1], shape[rank - 1])
    }
}

/// One row of softmax (or log-softmax) from `x` into `y`, `n` values.
@inline(__always)
func softmaxRow<S: TensorScalar>(
    _ x: UnsafePointer<S>, _ y: UnsafeMutablePointer<S>, _ n: Int, log: Bool
) {
    let m = rowMax(x, n)
    for j in 0..<n { y[j] = S.fastExp(x[j] - m) }
    let total = rowSum(y, n)
    if log {
        let lse = m + S.log(total)
        for j in 0..<n { y[j] = x[j] - lse }
    } else {
        let inverse = 1 / total
        for j in 0..<n { y[j] *= inverse }
    }
}
