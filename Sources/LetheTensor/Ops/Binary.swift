/// Element-wise add, subtract, multiply and divide with NumPy broadcasting.
///
///     out = a ∘ b            shapes broadcast from the right (sizes equal or 1)
///     ∂a = Σ_broadcast ∂out ⋅ ∂(a∘b)/∂a, reduced back to a's shape (likewise b)
extension Tensor {
    public static func + (a: Tensor, b: Tensor) throws -> Tensor {
        let out = try binary(a, b, op: "add", { $0 + $1 }, { $0 + $1 })
        return record("add", out, inputs: [a, b]) { g in
            [try g.sum(toShape: a.shape), try g.sum(toShape: b.shape)]
        }
    }

    public static func - (a: Tensor, b: Tensor) throws -> Tensor {
        let out = try binary(a, b, op: "sub", { $0 - $1 }, { $0 - $1 })
        return record("sub", out, inputs: [a, b]) { g in
            [try g.sum(toShape: a.shape), try (-g).sum(toShape: b.shape)]
        }
    }

    public static func * (a: Tensor, b: Tensor) throws -> Tensor {
        let out = try binary(a, b, op: "mul", { $0 * $1 }, { $0 * $1 })
        return record("mul", out, inputs: [a, b]) { g in
            [
                a.tracksGradient ? try (g * b).sum(toShape: a.shape) : nil,
                b.tracksGradient ? try (g * a).sum(toShape: b.shape) : nil,
            ]
        }
    }

    public static func / (a: Tensor, b: Tensor) throws -> Tensor {
        let out = try binary(a, b, op: "div", { $0 / $1 }, { $0 / $1 })
        return record("div", out, inputs: [a, b]) { [saved = out.detached()] g in
            let ga = try g / b
            return [
                a.tracksGradient ? try ga.sum(toShape: a.shape) : nil,
                b.tracksGradient ? try (-(ga * saved)).sum(toShape: b.shape) : nil,
            ]
        }
    }

    /// Sums a broadcast gradient back to `shape` (the shape the operand had).
    func sum(toShape target: [Int]) throws -> Tensor {
        if shape == target { return self }
        let lead = rank - target.count
        var axes = Array(0..<lead)
        for i in target.indices where target[i] == 1 && shape[lead + i] != 1 { axes.append(lead + i) }
        return try sum(axes: axes, keepDims: true).reshaped(target)
    }

    /// Forward kernel shared by the four operators: a flat loop when shapes match or one side
    /// is a single value, else rows of the last axis with per-row offsets.
    @inline(__always)
    private static func binary(
        _ a: Tensor, _ b: Tensor, op: String,
        _ float: (Float, Float) -> Float, _ double: (Double, Double) -> Double
    ) throws -> Tensor {
        guard a.dtype == b.dtype else { throw TensorError.dtypeMismatch(op: op, lhs: a.dtype, rhs: b.dtype) }
        let out = Tensor.uninitialized(try Shape.broadcast(a.shape, b.shape, op: op), dtype: a.dtype)
        if a.dtype == .float32 {
            binaryKernel(a, b, out, float)
        } else {
            binaryKernel(a, b, out, double)
        }
        return out
    }
}

@inline(__always)
private func binaryKernel<S: TensorScalar>(
    _ a: Tensor, _ b: Tensor, _ out: Tensor, _ f: (S, S) -> S
) {
    let (pa, pb, po) = (a.pointer(S.self), b.pointer(S.self), out.pointer(S.self))
    let n = out.count
    if a.shape == b.shape {
        Parallel.forEachRange(n) { r in for i in r { po[i] = f(pa[i], pb[i]) } }
    } else if b.count == 1 {
        let y = pb[0]
        Parallel.forEachRange(n) { r in for i in r { po[i] = f(pa[i], y) } }
    } else if a.count == 1 {
        let x = pa[0]
        Parallel.forEachRange(n) { r in for i in r { po[i] = f(x, pb[i]) } }
    } else {
        let shape = out.shape
        let rank = shape.count
        let (sa, sb) = (Shape.broadcastStrides(a.shape, to: shape), Shape.broadcastStrides(b.shape, to: shape))
        let inner = shape[rank - 1]
        let (ia, ib) = (sa[rank - 1], sb[rank - 1])
        Parallel.forEachRange(n / max(inner, 1), costPerItem: inner) { rows in
            for row in rows {
                // Offsets of this row in a and b: decompose the row index over the outer axes.
                var rest = row
                var (oa, ob) = (0, 0)
                for axis in stride(from: rank - 2, through: 0, by: -1) {
                    let index = rest % shape[axis]
                    rest /= shape[axis]
                    oa += index * sa[axis]
                    ob += index * sb[axis]
                }
                let o = po + row * inner
                for j in 0..<inner { o[j] = f(pa[oa + j * ia], pb[ob + j * ib]) }
            }
        }
    }
}
