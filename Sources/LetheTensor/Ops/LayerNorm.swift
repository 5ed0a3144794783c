/// Layer normalisation over the last axis, fused (Ba, Kiros and Hinton 2016; GPT-2 uses
/// ε = 1e-5). For each row of C values (llm.c's `layernorm_forward/backward`):
///
///     μ = mean(x)   σ⁻¹ = 1/√(var(x) + ε)   n = (x − μ) σ⁻¹   y = w ⊙ n + b
///     ∂n = w ⊙ ∂y
///     ∂x = σ⁻¹ (∂n − mean(∂n) − n ⊙ mean(∂n ⊙ n))
///     ∂w = Σ_rows ∂y ⊙ n          ∂b = Σ_rows ∂y
///
/// Shapes: x [..., C], weight [C], bias [C] → y [..., C]. Rows run in parallel; the weight
/// and bias gradients are summed from one partial buffer per worker.
extension Tensor {
    public func layerNorm(weight: Tensor, bias: Tensor, epsilon: Double = 1e-5) throws -> Tensor {
        let (rows, c) = try lastAxisRows(op: "layerNorm")
        guard weight.shape == [c], bias.shape == [c] else {
            throw TensorError.shapeMismatch(
                op: "layerNorm", lhs: shape, rhs: weight.shape == [c] ? bias.shape : weight.shape,
                reason: "weight and bias need shape [\(c)]")
        }
        guard weight.dtype == dtype, bias.dtype == dtype else {
            throw TensorError.dtypeMismatch(op: "layerNorm", lhs: dtype, rhs: weight.dtype)
        }
        let out = Tensor.uninitialized(shape, dtype: dtype)
        let stats = Tensor.uninitialized([rows, 2], dtype: dtype)  // (μ, σ⁻¹) per row
        func forward<S: TensorScalar>(_: S.Type) {
            let (x, y, w, b, st) = (
                pointer(S.self), out.pointer(S.self), weight.pointer(S.self), bias.pointer(S.self),
                stats.pointer(S.self)
            )
            let eps = S(epsilon)
            Parallel.forEachRange(rows, costPerItem: 4 * c) { range in
                for r in range {
                    let (xr, yr) = (x + r * c, y + r * c)
                    let mean = rowSum(xr, c) / S(c)
                    for j in 0..<c { yr[j] = xr[j] - mean }  // centred values, scaled below
                    let variance = rowDot(yr, yr, c) / S(c)
                    let rstd = 1 / S.sqrt(variance + eps)
                    for j in 0..<c { yr[j] = yr[j] * rstd * w[j] + b[j] }
                    st[2 * r] = mean
                    st[2 * r + 1] = rstd
                }
            }
        }
        dtype == .float32 ? forward(Float.self) : forward(Double.self)
        return Tensor.record("layerNorm", out, inputs: [self, weight, bias]) { g in
            let dx = Tensor.uninitialized(self.shape, dtype: self.dtype)
            let workers = Parallel.plan(rows, costPerItem: 6 * c)
            let partial = Tensor(zeros: [workers, 2, c], dtype: self.dtype)  // per worker: ∂w, ∂b
            func backward<S: TensorScalar>(_: S.Type) {
                let (x, gy, d, w, st, part) = (
                    self.pointer(S.self), g.pointer(S.self), dx.pointer(S.self),
                    weight.pointer(S.self), stats.pointer(S.self), partial.pointer(S.self)
                )
                Parallel.forEachWorker(rows, workers: workers) { worker, range in
                    let (dw, db) = (part + worker * 2 * c, part + worker * 2 * c + c)
                    for r in range {
                        let (xr, gr, dr) = (x + r * c, gy + r * c, d + r * c)
                        let (mean, rstd) = (st[2 * r], st[2 * r + 1])
                        for j in 0..<c { dr[j] = (xr[j] - mean) * rstd }  // n, overwritten below
                        let meanDn = rowDot(w, gr, c) / S(c)
                        let meanDnN = rowDot3(w, gr, dr, c) / S(c)
                        for j in 0..<c {
                            let n = dr[j]
                            dw[j] += gr[j] * n
                            db[j] += gr[j]
                            dr[j] = (w[j] * gr[j] - meanDn - n * meanDnN) * rstd
                        }
                    }
                }
            }
            self.dtype == .float32 ? backward(Float.self) : backward(Double.self)
            let sums = try partial.sum(axes: [0])  // [2, c]
            return [dx, try sums.slice(axis: 0, 0..<1).reshaped([c]), try sums.slice(axis: 0, 1..<2).reshaped([c])]
        }
    }
}
