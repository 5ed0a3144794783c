/// Root-mean-square layer normalisation over the last axis, fused (Zhang and Sennrich 2019;
/// Llama's `LlamaRMSNorm`, computed in the tensor's dtype as Hugging Face does in float32):
///
///     r = 1/√(mean(x²) + ε)   n = x r   y = w ⊙ n
///     ∂n = w ⊙ ∂y
///     ∂x = r (∂n − n ⊙ mean(∂n ⊙ n))
///     ∂w = Σ_rows ∂y ⊙ n
///
/// Shapes: x [..., C], weight [C] → y [..., C]. Rows run in parallel; the weight gradient is
/// summed from one partial buffer per worker.
extension Tensor {
    public func rmsNorm(weight: Tensor, epsilon: Double = 1e-6) throws -> Tensor {
        let (rows, c) = try lastAxisRows(op: "rmsNorm")
        guard weight.shape == [c] else {
            throw TensorError.shapeMismatch(op: "rmsNorm", lhs: shape, rhs: weight.shape, reason: "weight needs shape [\(c)]")
        }
        guard weight.dtype == dtype else { throw TensorError.dtypeMismatch(op: "rmsNorm", lhs: dtype, rhs: weight.dtype) }
        let out = Tensor.uninitialized(shape, dtype: dtype)
        let inverseRMS = Tensor.uninitialized([rows], dtype: dtype)  // r per row
        func forward<S: TensorScalar>(_: S.Type) {
            let (x, y, w, rs) = (pointer(S.self), out.pointer(S.self), weight.pointer(S.self), inverseRMS.pointer(S.self))
            let eps = S(epsilon)
            Parallel.forEachRange(rows, costPerItem: 3 * c) { range in
                for row in range {
                    let (xr, yr) = (x + row * c, y + row * c)
                    let r = 1 / S.sqrt(rowDot(xr, xr, c) / S(c) + eps)
                    for j in 0..<c { yr[j] = w[j] * (xr[j] * r) }
                    rs[row] = r
                }
            }
        }
        dtype == .float32 ? forward(Float.self) : forward(Double.self)
        return Tensor.record("rmsNorm", out, inputs: [self, weight]) { g in
            let dx = Tensor.uninitialized(self.shape, dtype: self.dtype)
            let workers = Parallel.plan(rows, costPerItem: 5 * c)
            let partial = Tensor(zeros: [workers, c], dtype: self.dtype)  // ∂w per worker
            func backward<S: TensorScalar>(_: S.Type) {
                let (x, gy, d, w, rs, part) = (
                    self.pointer(S.self), g.pointer(S.self), dx.pointer(S.self), weight.pointer(S.self),
                    inverseRMS.pointer(S.self), partial.pointer(S.self)
                )
                Parallel.forEachWorker(rows, workers: workers) { worker, range in
                    let dw = part + worker * c
                    for row in range {
                        let (xr, gr, dr, r) = (x + row * c, gy + row * c, d + row * c, rs[row])
                        for j in 0..<c { dr[j] = xr[j] * r }  // n, overwritten below
                        let meanDnN = rowDot3(w, gr, dr, c) / S(c)
                        for j in 0..<c {
                            let n = dr[j]
                            dw[j] += gr[j] * n
                            dr[j] = (w[j] * gr[j] - n * meanDnN) * r
                        }
                    }
                }
            }
            self.dtype == .float32 ? backward(Float.self) : backward(Double.self)
            return [dx, try partial.sum(axes: [0])]
        }
    }
}
