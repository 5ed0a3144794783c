/// Reductions over axes: sum, mean and max.
///
///     sum:  y = Σ_axes x                ∂x = ∂y broadcast back over the axes
///     mean: y = (1/n) Σ_axes x          ∂x = ∂y / n broadcast back
///     max:  y = max_axis x              ∂x = ∂y at the (first) arg-max, 0 elsewhere
extension Tensor {
    /// Sum over `axes` (all axes when `nil`); reduced axes are kept as size 1 when `keepDims`.
    public func sum(axes: [Int]? = nil, keepDims: Bool = false) throws -> Tensor {
        let normalized = try normalizedAxes(axes, op: "sum")
        var out = self
        for axis in normalized.sorted(by: >) { out = try out.sumAlong(axis) }
        return keepDims ? out : try out.reshaped(reducedShape(normalized))
    }

    /// Mean over `axes` (all axes when `nil`).
    public func mean(axes: [Int]? = nil, keepDims: Bool = false) throws -> Tensor {
        let normalized = try normalizedAxes(axes, op: "mean")
        let n = normalized.reduce(1) { $0 * shape[$1] }
        return try sum(axes: normalized, keepDims: keepDims).affine(scale: 1 / Double(Swift.max(n, 1)))
    }

    /// Maximum along one axis.
    public func max(axis: Int, keepDims: Bool = false) throws -> Tensor {
        let a = try Shape.axis(axis, rank: rank, op: "max")
        guard shape[a] > 0 else {
            throw TensorError.invalidShape(op: "max", shape: shape, reason: "axis \(a) is empty")
        }
        let (outer, length, inner) = Shape.around(shape, axis: a)
        var keptShape = shape
        keptShape[a] = 1
        let out = Tensor.uninitialized(keptShape, dtype: dtype)
        var argmax = [Int32](repeating: 0, count: outer * inner)
        func run<S: TensorScalar>(_: S.Type) {
            let (x, y) = (pointer(S.self), out.pointer(S.self))
            argmax.withUnsafeMutableBufferPointer { am in
                for o in 0..<outer {
                    for i in 0..<inner {
                        var best = x[o * length * inner + i]
                        var bestIndex = 0
                        for l in 1..<Swift.max(length, 1) where x[(o * length + l) * inner + i] > best {
                            best = x[(o * length + l) * inner + i]
                            bestIndex = l
                        }
                        y[o * inner + i] = best
                        am[o * inner + i] = Int32(bestIndex)
                    }
                }
            }
        }
        dtype == .float32 ? run(Float.self) : run(Double.self)
        Tensor.record("max", out, inputs: [self]) { g in
            let dx = Tensor(zeros: self.shape, dtype: self.dtype)
            func back<S: TensorScalar>(_: S.Type) {
                let (d, gp) = (dx.pointer(S.self), g.pointer(S.self))
                for o in 0..<outer {
                    for i in 0..<inner {
                        let l = Int(argmax[o * inner + i])
                        d[(o * length + l) * inner + i] = gp[o * inner + i]
                    }
                }
            }
            self.dtype == .float32 ? back(Float.self) : back(Double.self)
            return [dx]
        }
        return keepDims ? out : try out.reshaped(reducedShape([a]))
    }

    /// Sum along one axis, keeping it as size 1.
    private func sumAlong(_ axis: Int) throws -> Tensor {
        let (outer, length, inner) = Shape.around(shape, axis: axis)
        var keptShape = shape
        keptShape[axis] = 1
        let out = Tensor.uninitialized(keptShape, dtype: dtype)
        if dtype == .float32 {
            sumKernel(pointer(Float.self), out.pointer(Float.self), outer, length, inner)
        } else {
            sumKernel(pointer(Double.self), out.pointer(Double.self), outer, length, inner)
        }
        let inputShape = shape
        return Tensor.record("sum", out, inputs: [self]) { g in [try g.expanded(to: inputShape)] }
    }

    private func normalizedAxes(_ axes: [Int]?, op: String) throws -> [Int] {
        guard let axes else { return Array(0..<rank) }
        let normalized = try axes.map { try Shape.axis($0, rank: rank, op: op) }
        guard Set(normalized).count == normalized.count else {
            throw TensorError.invalidArgument(op: op, reason: "axes \(axes) repeat an axis")
        }
        return normalized
    }

    private func reducedShape(_ axes: [Int]) -> [Int] {
        shape.indices.filter { !axes.contains($0) }.map { shape[$0] }
    }
}

/// `y[o, i] = Σ_l x[o, l, i]` for x viewed as [outer, length, inner].
private func sumKernel<S: TensorScalar>(
    _ x: UnsafeMutablePointer<S>, _ y: UnsafeMutablePointer<S>, _ outer: Int, _ length: Int,
    _ inner: Int
) {
    if inner == 1 {
        Parallel.forEachRange(outer, costPerItem: length) { rows in
            for o in rows { y[o] = rowSum(x + o * length, length) }
        }
        return
    }
    for o in 0..<outer {
        let out = y + o * inner
        let src = x + o * length * inner
        Parallel.forEachRange(inner, costPerItem: length) { columns in
            for i in columns { out[i] = 0 }
            for l in 0..<length {
                let row = src + l * inner
                for i in columns { out[i] += row[i] }
            }
        }
    }
}
