/// Replaces the elements where a mask is non-zero with a constant.
///
///     y = mask ? value : x          ∂x = mask ? 0 : ∂y
///
/// The mask broadcasts to the input's shape (e.g. a [T, T] causal mask over [B, H, T, T]).
extension Tensor {
    public func maskedFill(_ mask: Tensor, value: Double) throws -> Tensor {
        let target = try Shape.broadcast(shape, mask.shape, op: "maskedFill")
        guard target == shape else {
            throw TensorError.shapeMismatch(
                op: "maskedFill", lhs: shape, rhs: mask.shape, reason: "the mask must broadcast to the input")
        }
        // keep = 1 where the mask is zero, as a tensor of the input's shape and dtype.
        let keep = Tensor.map(mask.converted(to: dtype), { $0 == 0 ? 1 : 0 }, { $0 == 0 ? 1 : 0 })
        let fill = Tensor.map(keep, { (1 - $0) * Float(value) }, { (1 - $0) * value })
        let out = try withoutGradients {
            // Written as a select, not x*keep + fill, so an infinite x under the mask is replaced
            // cleanly (inf * 0 would be NaN).
            try Tensor.select(keep.expanded(to: shape), self, fill.expanded(to: shape))
        }
        return Tensor.record("maskedFill", out, inputs: [self]) { g in [try g * keep] }
    }

    /// `keep ? a : b`, element-wise, shapes equal.
    private static func select(_ keep: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        let out = Tensor.uninitialized(a.shape, dtype: a.dtype)
        func run<S: TensorScalar>(_: S.Type) {
            let (k, x, y, o) = (keep.pointer(S.self), a.pointer(S.self), b.pointer(S.self), out.pointer(S.self))
            Parallel.forEachRange(a.count) { r in for i in r { o[i] = k[i] != 0 ? x[i] : y[i] } }
        }
        a.dtype == .float32 ? run(Float.self) : run(Double.self)
        return out
    }
}
