/// In-place updates, outside the gradient tape: for optimisers, gradient buffers and
/// initialisation. They write through views, so a parameter that views a flat buffer updates
/// the buffer.
extension Tensor {
    /// Sets every element to `value`.
    public func fill(_ value: Double) {
        switch dtype {
        case .float32: pointer(Float.self).update(repeating: Float(value), count: count)
        case .float64: pointer(Double.self).update(repeating: value, count: count)
        }
    }

    /// Sets every element to zero.
    public func zero() { fill(0) }

    /// `self += scale * other`, element-wise; shapes must match.
    public func addInPlace(_ other: Tensor, scale: Double = 1) throws {
        try checkSameLayout(other, op: "addInPlace")
        func run<S: TensorScalar>(_: S.Type) {
            let (d, s, a) = (pointer(S.self), other.pointer(S.self), S(scale))
            Parallel.forEachRange(count) { r in
                if a == 1 {
                    for i in r { d[i] += s[i] }
                } else {
                    for i in r { d[i] += a * s[i] }
                }
            }
        }
        dtype == .float32 ? run(Float.self) : run(Double.self)
    }

    /// `self *= factor`, element-wise.
    public func scaleInPlace(_ factor: Double) {
        func run<S: TensorScalar>(_: S.Type) {
            let (d, a) = (pointer(S.self), S(factor))
            Parallel.forEachRange(count) { r in for i in r { d[i] *= a } }
        }
        dtype == .float32 ? run(Float.self) : run(Double.self)
    }

    /// Copies `other`'s values into this tensor's storage; shapes must match.
    public func assign(_ other: Tensor) throws {
        try checkSameLayout(other, op: "assign")
        func run<S: TensorScalar>(_: S.Type) {
            pointer(S.self).update(from: other.pointer(S.self), count: count)
        }
        dtype == .float32 ? run(Float.self) : run(Double.self)
    }

    func checkSameLayout(_ other: Tensor, op: String) throws {
        guard shape == other.shape else {
            throw TensorError.shapeMismatch(
                op: op, lhs: shape, rhs: other.shape, reason: "shapes must be equal")
        }
        guard dtype == other.dtype else {
            throw TensorError.dtypeMismatch(op: op, lhs: dtype, rhs: other.dtype)
        }
    }
}
