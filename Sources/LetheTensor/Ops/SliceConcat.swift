/// Slicing along an axis and concatenation of tensors along an axis.
///
///     slice:   y = x[..., range, ...]           ∂x = ∂y placed back at `range`, 0 elsewhere
///     concat:  y = [x₀ | x₁ | ...] along axis   ∂xᵢ = the matching slice of ∂y
extension Tensor {
    /// The elements whose index along `axis` lies in `range` (a copy).
    public func slice(axis: Int, _ range: Range<Int>) throws -> Tensor {
        let a = try Shape.axis(axis, rank: rank, op: "slice")
        guard range.lowerBound >= 0, range.upperBound <= shape[a] else {
            throw TensorError.invalidArgument(
                op: "slice", reason: "range \(range) exceeds size \(shape[a]) of axis \(a) in \(shape)")
        }
        var target = shape
        target[a] = range.count
        let out = Tensor.uninitialized(target, dtype: dtype)
        copyBlocks(from: self, axis: a, start: range.lowerBound, into: out, at: 0, length: range.count)
        let inputShape = shape
        return Tensor.record("slice", out, inputs: [self]) { g in
            let dx = Tensor(zeros: inputShape, dtype: g.dtype)
            copyBlocks(from: g, axis: a, start: 0, into: dx, at: range.lowerBound, length: range.count)
            return [dx]
        }
    }

    /// Joins tensors along `axis`; all other sizes must agree.
    public static func concatenate(_ parts: [Tensor], axis: Int) throws -> Tensor {
        guard let first = parts.first else {
            throw TensorError.invalidArgument(op: "concatenate", reason: "no tensors given")
        }
        let a = try Shape.axis(axis, rank: first.rank, op: "concatenate")
        for part in parts.dropFirst() {
            var (x, y) = (first.shape, part.shape)
            if x.count == y.count {
                x[a] = 0
                y[a] = 0
            }
            guard x == y else {
                throw TensorError.shapeMismatch(
                    op: "concatenate", lhs: first.shape, rhs: part.shape,
                    reason: "sizes must agree except on axis \(a)")
            }
            guard part.dtype == first.dtype else {
                throw TensorError.dtypeMismatch(op: "concatenate", lhs: first.dtype, rhs: part.dtype)
            }
        }
        var target = first.shape
        target[a] = parts.reduce(0) { $0 + $1.shape[a] }
        let out = Tensor.uninitialized(target, dtype: first.dtype)
        var starts: [Int] = []
        var start = 0
        for part in parts {
            starts.append(start)
            copyBlocks(from: part, axis: a, start: 0, into: out, at: start, length: part.shape[a])
            start += part.shape[a]
        }
        return record("concatenate", out, inputs: parts) { g in
            try zip(parts, starts).map { part, s in
                part.tracksGradient ? try g.slice(axis: a, s..<(s + part.shape[a])) : nil
            }
        }
    }
}

/// Copies `length` positions along `axis`, from `source` starting at `start` into
/// `destination` starting at `at`; both share every other axis size.
private func copyBlocks(
    from source: Tensor, axis: Int, start: Int, into destination: Tensor, at: Int, length: Int
) {
    let (outer, sourceLength, inner) = Shape.around(source.shape, axis: axis)
    let destinationLength = destination.shape[axis]
    let width = source.dtype.byteWidth
    let block = length * inner * width
    let src = source.storage.raw + source.offset * width
    let dst = destination.storage.raw + destination.offset * width
    for o in 0..<outer {
        (dst + ((o * destinationLength + at) * inner) * width).copyMemory(
            from: src + ((o * sourceLength + start) * inner) * width, byteCount: block)
    }
}
