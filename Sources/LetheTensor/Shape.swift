/// Shape arithmetic shared by the kernels. Shapes are row-major: the last axis is contiguous.
enum Shape {
    /// Number of elements of a shape (1 for a scalar `[]`).
    @inline(__always) static func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    /// Row-major strides, in elements.
    static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in shape.indices.reversed() {
            strides[axis] = running
            running *= shape[axis]
        }
        return strides
    }

    /// NumPy broadcasting: align on the right; each pair of sizes must be equal or contain a 1.
    static func broadcast(_ a: [Int], _ b: [Int], op: String) throws -> [Int] {
        let rank = max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if da == db || db == 1 {
                out[i] = da
            } else if da == 1 {
                out[i] = db
            } else {
                throw TensorError.shapeMismatch(
                    op: op, lhs: a, rhs: b, reason: "axis \(i) has sizes \(da) and \(db)")
            }
        }
        return out
    }

    /// Strides that read a tensor of `shape` as if it had `target` (a broadcast of it):
    /// broadcast axes get stride 0.
    static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        let own = strides(shape)
        let lead = target.count - shape.count
        return target.indices.map { i in
            if i < lead { return 0 }
            return shape[i - lead] == 1 ? 0 : own[i - lead]
        }
    }

    /// Normalises a possibly negative axis.
    static func axis(_ axis: Int, rank: Int, op: String) throws -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0, a < rank else { throw TensorError.invalidAxis(op: op, axis: axis, rank: rank) }
        return a
    }

    /// Splits `shape` around `axis` into (outer, length, inner) sizes.
    static func around(_ shape: [Int], axis: Int) -> (outer: Int, length: Int, inner: Int) {
        (count(Array(shape[..<axis])), shape[axis], count(Array(shape[(axis + 1)...])))
    }
}
