/// Operations that change how values are laid out: reshape, broadcast, permute, transpose.
///
///     reshape:  same values, new shape (a view; -1 infers one size)    ∂x = reshape(∂y)
///     expand:   broadcast to a larger shape                             ∂x = Σ_broadcast ∂y
///     permute:  y[i_p0, i_p1, ...] = x[i_0, i_1, ...]                   ∂x = permute⁻¹(∂y)
extension Tensor {
    /// The same values with another shape; one size may be -1 (inferred). Shares storage.
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        var target = newShape
        let inferred = newShape.indices.filter { newShape[$0] == -1 }
        let known = newShape.filter { $0 != -1 }.reduce(1, *)
        if inferred.count == 1, known > 0, count % known == 0 { target[inferred[0]] = count / known }
        guard inferred.count <= 1, target.allSatisfy({ $0 >= 0 }), Shape.count(target) == count else {
            throw TensorError.shapeMismatch(
                op: "reshape", lhs: shape, rhs: newShape, reason: "element counts differ")
        }
        if target == shape { return self }
        let out = Tensor(shape: target, storage: storage, offset: offset)
        let inputShape = shape
        return Tensor.record("reshape", out, inputs: [self]) { g in [try g.reshaped(inputShape)] }
    }

    /// Broadcasts to `target` (NumPy rules), copying values.
    public func expanded(to target: [Int]) throws -> Tensor {
        let full = try Shape.broadcast(shape, target, op: "expand")
        guard full == target else {
            throw TensorError.shapeMismatch(
                op: "expand", lhs: shape, rhs: target, reason: "cannot broadcast to the target")
        }
        if target == shape { return self }
        let strides = Shape.broadcastStrides(shape, to: target)
        let out = Tensor.uninitialized(target, dtype: dtype)
        if dtype == .float32 {
            stridedCopy(pointer(Float.self), strides, out.pointer(Float.self), target)
        } else {
            stridedCopy(pointer(Double.self), strides, out.pointer(Double.self), target)
        }
        let inputShape = shape
        return Tensor.record("expand", out, inputs: [self]) { g in [try g.sum(toShape: inputShape)] }
    }

    /// Reorders the axes: output axis `i` is input axis `axes[i]`.
    public func permuted(_ axes: [Int]) throws -> Tensor {
        let normalized = try axes.map { try Shape.axis($0, rank: rank, op: "permute") }
        guard normalized.count == rank, Set(normalized).count == rank else {
            throw TensorError.invalidArgument(
                op: "permute", reason: "axes \(axes) are not a permutation of 0..<\(rank)")
        }
        if normalized == Array(0..<rank) { return self }
        let own = Shape.strides(shape)
        let target = normalized.map { shape[$0] }
        let strides = normalized.map { own[$0] }
        let out = Tensor.uninitialized(target, dtype: dtype)
        if dtype == .float32 {
            stridedCopy(pointer(Float.self), strides, out.pointer(Float.self), target)
        } else {
            stridedCopy(pointer(Double.self), strides, out.pointer(Double.self), target)
        }
        var inverse = [Int](repeating: 0, count: rank)
        for (i, a) in normalized.enumerated() { inverse[a] = i }
        return Tensor.record("permute", out, inputs: [self]) { g in [try g.permuted(inverse)] }
    }

    /// Swaps two axes.
    public func transposed(_ axis0: Int = -2, _ axis1: Int = -1) throws -> Tensor {
        let a = try Shape.axis(axis0, rank: rank, op: "transpose")
        let b = try Shape.axis(axis1, rank: rank, op: "transpose")
        var axes = Array(0..<rank)
        axes.swapAt(a, b)
        return try permuted(axes)
    }
}

/// Writes `y` (contiguous, shape `shape`) from `x` read with `strides` per output axis.
func stridedCopy<S: TensorScalar>(
    _ x: UnsafeMutablePointer<S>, _ strides: [Int], _ y: UnsafeMutablePointer<S>, _ shape: [Int]
) {
    let rank = shape.count
    if rank == 0 {
        y[0] = x[0]
        return
    }
    let inner = shape[rank - 1]
    let innerStride = strides[rank - 1]
    let rows = Shape.count(shape) / max(inner, 1)
    Parallel.forEachRange(rows, costPerItem: inner) { range in
        for row in range {
            var rest = row
            var source = 0
            for axis in stride(from: rank - 2, through: 0, by: -1) {
                source += (rest % shape[axis]) * strides[axis]
                rest /= shape[axis]
            }
            let out = y + row * inner
            if innerStride == 1 {
                out.update(from: x + source, count: inner)
            } else {
                for j in 0..<inner { out[j] = x[source + j * innerStride] }
            }
        }
    }
}
