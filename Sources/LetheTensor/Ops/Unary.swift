/// Element-wise functions of one tensor, and arithmetic with a scalar constant.
///
///     affine:     y = s⋅x + c          ∂x = s⋅∂y
///     exp:        y = eˣ               ∂x = y⋅∂y
///     log:        y = ln x             ∂x = ∂y / x
///     tanh:       y = tanh x           ∂x = (1 − y²)⋅∂y
///     sqrt:       y = √x               ∂x = ∂y / (2y)
///     pow:        y = xᵖ               ∂x = p⋅xᵖ⁻¹⋅∂y
///     sigmoid:    y = 1/(1+e⁻ˣ)        ∂x = y(1 − y)⋅∂y
///     logSigmoid: y = min(x,0) − log1p(e^−|x|)   ∂x = σ(−x)⋅∂y   (stable for any x)
extension Tensor {
    /// `scale * x + shift`.
    public func affine(scale: Double, shift: Double = 0) -> Tensor {
        let (fs, fc) = (Float(scale), Float(shift))
        let out = Tensor.map(self, { fs * $0 + fc }, { scale * $0 + shift })
        return Tensor.record("affine", out, inputs: [self]) { g in [g.affine(scale: scale)] }
    }

    public static prefix func - (x: Tensor) -> Tensor { x.affine(scale: -1) }
    public static func + (x: Tensor, c: Double) -> Tensor { x.affine(scale: 1, shift: c) }
    public static func + (c: Double, x: Tensor) -> Tensor { x.affine(scale: 1, shift: c) }
    public static func - (x: Tensor, c: Double) -> Tensor { x.affine(scale: 1, shift: -c) }
    public static func - (c: Double, x: Tensor) -> Tensor { x.affine(scale: -1, shift: c) }
    public static func * (x: Tensor, c: Double) -> Tensor { x.affine(scale: c) }
    public static func * (c: Double, x: Tensor) -> Tensor { x.affine(scale: c) }
    public static func / (x: Tensor, c: Double) -> Tensor { x.affine(scale: 1 / c) }
    public static func / (c: Double, x: Tensor) -> Tensor { x.pow(-1).affine(scale: c) }

    /// Element-wise `eˣ`.
    public func exp() -> Tensor {
        let out = Tensor.map(self, Float.exp, Double.exp)
        return Tensor.record("exp", out, inputs: [self]) { [saved = out.detached()] g in [try g * saved] }
    }

    /// Element-wise natural logarithm.
    public func log() -> Tensor {
        let out = Tensor.map(self, Float.log, Double.log)
        return Tensor.record("log", out, inputs: [self]) { g in [try g / self] }
    }

    /// Element-wise hyperbolic tangent.
    public func tanh() -> Tensor {
        let out = Tensor.map(self, Float.tanh, Double.tanh)
        return Tensor.record("tanh", out, inputs: [self]) { [saved = out.detached()] g in
            [try g * (try saved * saved).affine(scale: -1, shift: 1)]
        }
    }

    /// Element-wise square root.
    public func sqrt() -> Tensor {
        let out = Tensor.map(self, Float.sqrt, Double.sqrt)
        return Tensor.record("sqrt", out, inputs: [self]) { [saved = out.detached()] g in
            [try g / saved.affine(scale: 2)]
        }
    }

    /// Element-wise power with a constant exponent.
    public func pow(_ exponent: Double) -> Tensor {
        let fe = Float(exponent)
        let out = Tensor.map(self, { Float.pow($0, fe) }, { Double.pow($0, exponent) })
        return Tensor.record("pow", out, inputs: [self]) { g in
            [try g * self.pow(exponent - 1).affine(scale: exponent)]
        }
    }

    /// Element-wise logistic function.
    public func sigmoid() -> Tensor {
        let out = Tensor.map(self, sigmoidScalar, sigmoidScalar)
        return Tensor.record("sigmoid", out, inputs: [self]) { [saved = out.detached()] g in
            [try g * (try saved * saved.affine(scale: -1, shift: 1))]
        }
    }

    /// Element-wise `log σ(x)`, computed without overflow for large |x|.
    public func logSigmoid() -> Tensor {
        let out = Tensor.map(self, logSigmoidScalar, logSigmoidScalar)
        return Tensor.record("logSigmoid", out, inputs: [self]) { g in
            [try g * Tensor.map(self, { sigmoidScalar(-$0) }, { sigmoidScalar(-$0) })]
        }
    }

    /// Applies a scalar function to every element, in parallel.
    @inline(__always)
    static func map(_ x: Tensor, _ float: (Float) -> Float, _ double: (Double) -> Double) -> Tensor {
        let out = Tensor.uninitialized(x.shape, dtype: x.dtype)
        if x.dtype == .float32 {
            mapKernel(x.pointer(Float.self), out.pointer(Float.self), x.count, float)
        } else {
            mapKernel(x.pointer(Double.self), out.pointer(Double.self), x.count, double)
        }
        return out
    }
}

@inline(__always)
private func mapKernel<S: TensorScalar>(
    _ x: UnsafeMutablePointer<S>, _ y: UnsafeMutablePointer<S>, _ n: Int, _ f: (S) -> S
) {
    Parallel.forEachRange(n, costPerItem: 4) { r in for i in r { y[i] = f(x[i]) } }
}

@inline(__always)
func sigmoidScalar<S: TensorScalar>(_ x: S) -> S {
    // Never exponentiate a large positive number.
    if x >= 0 { return 1 / (1 + S.exp(-x)) }
    let e = S.exp(x)
    return e / (1 + e)
}

@inline(__always)
func logSigmoidScalar<S: TensorScalar>(_ x: S) -> S {
    min(x, 0) - S.log1p(S.exp(-abs(x)))
}
