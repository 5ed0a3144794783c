/// GELU with the tanh approximation, as GPT-2's `gelu_new` (Hendrycks and Gimpel 2016):
///
///     u = √(2/π) (x + 0.044715 x³)      y = ½ x (1 + tanh u)
///     ∂x = ∂y [½ (1 + tanh u) + ½ x (1 − tanh² u) √(2/π) (1 + 3 ⋅ 0.044715 x²)]
///
/// Forward and backward are each one fused, parallel pass.
extension Tensor {
    public func gelu() -> Tensor {
        let out = Tensor.uninitialized(shape, dtype: dtype)
        func forward<S: TensorScalar>(_: S.Type) {
            let (x, y) = (pointer(S.self), out.pointer(S.self))
            Parallel.forEachRange(count, costPerItem: 16) { r in
                for i in r { y[i] = geluScalar(x[i]) }
            }
        }
        dtype == .float32 ? forward(Float.self) : forward(Double.self)
        return Tensor.record("gelu", out, inputs: [self]) { g in
            let dx = Tensor.uninitialized(self.shape, dtype: self.dtype)
            func backward<S: TensorScalar>(_: S.Type) {
                let (x, gy, d) = (self.pointer(S.self), g.pointer(S.self), dx.pointer(S.self))
                Parallel.forEachRange(self.count, costPerItem: 20) { r in
                    for i in r { d[i] = gy[i] * geluDerivative(x[i]) }
                }
            }
            self.dtype == .float32 ? backward(Float.self) : backward(Double.self)
            return [dx]
        }
    }
}

/// √(2/π)
private let geluScale = 0.7978845608028654

@inline(__always)
func geluScalar<S: TensorScalar>(_ x: S) -> S {
    let u = S(geluScale) * (x + S(0.044715) * x * x * x)
    return S(0.5) * x * (1 + S.fastTanh(u))
}

@inline(__always)
func geluDerivative<S: TensorScalar>(_ x: S) -> S {
    let x2 = x * x
    let t = S.fastTanh(S(geluScale) * (x + S(0.044715) * x2 * x))
    return S(0.5) * (1 + t) + S(0.5) * x * (1 - t * t) * S(geluScale) * (1 + S(3 * 0.044715) * x2)
}
