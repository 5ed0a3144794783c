/// The sigmoid-weighted linear unit, `silu` / swish (Elfwing et al. 2017; Llama's MLP
/// activation, `down(silu(gate(x)) ⊙ up(x))`, Shazeer 2020's SwiGLU):
///
///     y = x σ(x)        ∂x = ∂y σ(x) (1 + x (1 − σ(x)))
///
/// Forward and backward are each one fused, parallel pass.
extension Tensor {
    public func silu() -> Tensor {
        let out = Tensor.map(self, { $0 * sigmoidScalar($0) }, { $0 * sigmoidScalar($0) })
        return Tensor.record("silu", out, inputs: [self]) { g in
            let derivative = Tensor.map(self, siluDerivative, siluDerivative)
            return [try g * derivative]
        }
    }
}

@inline(__always)
private func siluDerivative<S: TensorScalar>(_ x: S) -> S {
    let s = sigmoidScalar(x)
    return s * (1 + x * (1 - s))
}
