/// Row lookup (embedding) and gathering one element per row.
///
///     indexSelect: y[i..., :] = table[idx[i...], :]     ∂table[r, :] = Σ_{idx = r} ∂y[i..., :]
///     gather:      y[i...]    = x[i..., idx[i...]]      ∂x[i..., idx[i...]] = ∂y[i...]
extension Tensor {
    /// Rows of this [V, C] table at `indices` (shaped `indexShape`): the embedding lookup.
    /// The backward pass scatter-adds into the table's gradient.
    /// - Throws: when the table is not rank 2 or an index is outside `0..<V`.
    public func indexSelect(_ indices: [Int], indexShape: [Int]) throws -> Tensor {
        guard rank == 2 else {
            throw TensorError.invalidShape(op: "indexSelect", shape: shape, reason: "the table needs rank 2")
        }
        guard Shape.count(indexShape) == indices.count else {
            throw TensorError.invalidShape(
                op: "indexSelect", shape: indexShape, reason: "\(indices.count) indices given")
        }
        let (rows, width) = (shape[0], shape[1])
        if let bad = indices.first(where: { $0 < 0 || $0 >= rows }) {
            throw TensorError.indexOutOfRange(op: "indexSelect", index: bad, bound: rows)
        }
        let out = Tensor.uninitialized(indexShape + [width], dtype: dtype)
        let bytes = width * dtype.byteWidth
        let (src, dst) = (storage.raw + offset * dtype.byteWidth, out.storage.raw)
        for (i, row) in indices.enumerated() {
            (dst + i * bytes).copyMemory(from: src + row * bytes, byteCount: bytes)
        }
        let tableShape = shape
        return Tensor.record("indexSelect", out, inputs: [self]) { g in
            let dt = Tensor(zeros: tableShape, dtype: g.dtype)
            func scatter<S: TensorScalar>(_: S.Type) {
                let (d, gp) = (dt.pointer(S.self), g.pointer(S.self))
                for (i, row) in indices.enumerated() {
                    let (target, source) = (d + row * width, gp + i * width)
                    for j in 0..<width { target[j] += source[j] }
                }
            }
            g.dtype == .float32 ? scatter(Float.self) : scatter(Double.self)
            return [dt]
        }
    }

    /// One element per row of the last axis: `y[i] = x[i, indices[i]]` for x viewed as
    /// [N, V]; the result has shape `shape.dropLast()`. (Log-probabilities of target tokens.)
    public func gather(lastAxisIndices indices: [Int]) throws -> Tensor {
        guard rank >= 1 else {
            throw TensorError.invalidShape(op: "gather", shape: shape, reason: "needs rank 1 or more")
        }
        let v = shape[rank - 1]
        let rows = count / Swift.max(v, 1)
        guard indices.count == rows else {
            throw TensorError.invalidShape(
                op: "gather", shape: shape, reason: "\(indices.count) indices for \(rows) rows")
        }
        if let bad = indices.first(where: { $0 < 0 || $0 >= v }) {
            throw TensorError.indexOutOfRange(op: "gather", index: bad, bound: v)
        }
        let out = Tensor.uninitialized(Array(shape.dropLast()), dtype: dtype)
        func pick<S: TensorScalar>(_: S.Type) {
            let (x, y) = (pointer(S.self), out.pointer(S.self))
            for (r, j) in indices.enumerated() { y[r] = x[r * v + j] }
        }
        dtype == .float32 ? pick(Float.self) : pick(Double.self)
        let inputShape = shape
        return Tensor.record("gather", out, inputs: [self]) { g in
            let dx = Tensor(zeros: inputShape, dtype: g.dtype)
            func scatter<S: TensorScalar>(_: S.Type) {
                let (d, gp) = (dx.pointer(S.self), g.pointer(S.self))
                for (r, j) in indices.enumerated() { d[r * v + j] = gp[r] }
            }
            g.dtype == .float32 ? scatter(Float.self) : scatter(Double.self)
            return [dx]
        }
    }
}
