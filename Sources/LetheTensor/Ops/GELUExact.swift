import Foundation

/// GELU with the exact Gaussian CDF, as BERT's and RoBERTa's `gelu` (PyTorch's
/// `nn.functional.gelu` with `approximate="none"`; Hendrycks and Gimpel 2016):
///
///     Φ(x) = ½ (1 + erf(x / √2))        y = x Φ(x)
///     ∂x = ∂y [Φ(x) + x φ(x)]           φ(x) = e^(−x²/2) / √(2π)
///
/// The tanh approximation (`gelu_new`, GPT-2) is `gelu()`; the two differ by up to about 5e-4.
/// `erf` is evaluated in Double (libm), so float32 results are correctly rounded.
extension Tensor {
    public func geluExact() -> Tensor {
        let out = Tensor.map(self, { Float(exactGELU(Double($0))) }, exactGELU)
        return Tensor.record("geluExact", out, inputs: [self]) { g in
            [try g * Tensor.map(self, { Float(exactGELUDerivative(Double($0))) }, exactGELUDerivative)]
        }
    }
}

/// 1/√2
private let inverseSquareRootTwo = 0.7071067811865476
/// 1/√(2π)
private let inverseSquareRootTwoPi = 0.3989422804014327

@inline(__always)
private func exactGELU(_ x: Double) -> Double { 0.5 * x * (1 + Foundation.erf(x * inverseSquareRootTwo)) }

@inline(__always)
private func exactGELUDerivative(_ x: Double) -> Double {
    0.5 * (1 + Foundation.erf(x * inverseSquareRootTwo)) + x * inverseSquareRootTwoPi * Foundation.exp(-0.5 * x * x)
}
