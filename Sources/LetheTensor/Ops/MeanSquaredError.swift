/// Squared error (PyTorch's `mse_loss`), fused:
///
///     ℓᵢ = (xᵢ − yᵢ)²          ∂xᵢ = 2 ∂ℓᵢ (xᵢ − yᵢ)          ∂yᵢ = −2 ∂ℓᵢ (xᵢ − yᵢ)
///
/// Shapes: predictions x and targets y of one shape (any), same dtype. Reductions: `.mean`
/// over all elements (PyTorch's default), `.sum`, or `.none` (ℓ per element, x's shape). The
/// targets get a gradient only when they track one.
extension Tensor {
    public func meanSquaredError(targets: Tensor, reduction: LossReduction = .mean) throws -> Tensor {
        try checkSameLayout(targets, op: "meanSquaredError")
        let losses = Tensor.uninitialized(shape, dtype: dtype)
        func forward<S: TensorScalar>(_: S.Type) {
            let (x, y, l) = (pointer(S.self), targets.pointer(S.self), losses.pointer(S.self))
            Parallel.forEachRange(count, costPerItem: 2) { range in
                for i in range { l[i] = (x[i] - y[i]) * (x[i] - y[i]) }
            }
        }
        dtype == .float32 ? forward(Float.self) : forward(Double.self)
        let perElement = Tensor.record("meanSquaredError", losses, inputs: [self, targets]) { g in
            let dx = Tensor.uninitialized(self.shape, dtype: self.dtype)
            let dy = targets.tracksGradient ? Tensor.uninitialized(self.shape, dtype: self.dtype) : nil
            func backward<S: TensorScalar>(_: S.Type) {
                let (x, y, gl, d) = (self.pointer(S.self), targets.pointer(S.self), g.pointer(S.self), dx.pointer(S.self))
                let dt = dy?.pointer(S.self)
                Parallel.forEachRange(self.count, costPerItem: 2) { range in
                    for i in range {
                        d[i] = 2 * gl[i] * (x[i] - y[i])
                        if let dt { dt[i] = -d[i] }
                    }
                }
            }
            self.dtype == .float32 ? backward(Float.self) : backward(Double.self)
            return [dx, dy]
        }
        return try perElement.reduced(reduction)
    }
}
