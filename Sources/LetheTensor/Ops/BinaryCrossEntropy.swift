/// Binary cross-entropy from logits (PyTorch's `binary_cross_entropy_with_logits`), fused with
/// the sigmoid and written so that no exponential overflows:
///
///     ℓᵢ = max(xᵢ, 0) − xᵢ yᵢ + log(1 + e^(−|xᵢ|))        (= −y log σ(x) − (1 − y) log(1 − σ(x)))
///     ∂xᵢ = ∂ℓᵢ (σ(xᵢ) − yᵢ)          ∂yᵢ = −∂ℓᵢ xᵢ
///
/// Shapes: logits x and targets y of one shape (any); y in [0, 1] (hard 0/1 labels or soft
/// targets such as moderation scores), same dtype. Reductions: `.mean` over all elements,
/// `.sum`, or `.none` (ℓ per element, x's shape). The targets get a gradient only when they
/// track one (a teacher's output under distillation usually does not).
extension Tensor {
    public func binaryCrossEntropyWithLogits(targets: Tensor, reduction: LossReduction = .mean) throws -> Tensor {
        try checkSameLayout(targets, op: "binaryCrossEntropyWithLogits")
        let losses = Tensor.uninitialized(shape, dtype: dtype)
        func forward<S: TensorScalar>(_: S.Type) {
            let (x, y, l) = (pointer(S.self), targets.pointer(S.self), losses.pointer(S.self))
            Parallel.forEachRange(count, costPerItem: 8) { range in
                for i in range { l[i] = Swift.max(x[i], 0) - x[i] * y[i] + S.log1p(S.exp(-abs(x[i]))) }
            }
        }
        dtype == .float32 ? forward(Float.self) : forward(Double.self)
        let perElement = Tensor.record("binaryCrossEntropyWithLogits", losses, inputs: [self, targets]) { g in
            let dx = Tensor.uninitialized(self.shape, dtype: self.dtype)
            let dy = targets.tracksGradient ? Tensor.uninitialized(self.shape, dtype: self.dtype) : nil
            func backward<S: TensorScalar>(_: S.Type) {
                let (x, y, gl, d) = (self.pointer(S.self), targets.pointer(S.self), g.pointer(S.self), dx.pointer(S.self))
                let dt = dy?.pointer(S.self)
                Parallel.forEachRange(self.count, costPerItem: 8) { range in
                    for i in range {
                        d[i] = gl[i] * (sigmoidScalar(x[i]) - y[i])
                        if let dt { dt[i] = -gl[i] * x[i] }
                    }
                }
            }
            self.dtype == .float32 ? backward(Float.self) : backward(Double.self)
            return [dx, dy]
        }
        return try perElement.reduced(reduction)
    }

    /// A per-element loss reduced as `reduction` says: mean over every element, sum, or none.
    func reduced(_ reduction: LossReduction) throws -> Tensor {
        switch reduction {
        case .none: return self
        case .sum: return try sum()
        case .mean: return try sum().affine(scale: 1 / Double(Swift.max(count, 1)))
        }
    }
}
