/// Reductions over one contiguous row with eight SIMD lanes: a plain `total += x[j]` loop
/// is never vectorised (floating-point addition order is strict), so row kernels use these.
@inline(__always)
func rowSum<S: TensorScalar>(_ x: UnsafePointer<S>, _ n: Int) -> S {
    var acc = SIMD8<S>()
    var j = 0
    while j + 8 <= n {
        acc += UnsafeRawPointer(x + j).loadUnaligned(as: SIMD8<S>.self)
        j += 8
    }
    var total = acc.sum()
    while j < n {
        total += x[j]
        j += 1
    }
    return total
}

/// Σ x[j] y[j]
@inline(__always)
func rowDot<S: TensorScalar>(_ x: UnsafePointer<S>, _ y: UnsafePointer<S>, _ n: Int) -> S {
    var acc = SIMD8<S>()
    var j = 0
    while j + 8 <= n {
        acc += UnsafeRawPointer(x + j).loadUnaligned(as: SIMD8<S>.self)
            * UnsafeRawPointer(y + j).loadUnaligned(as: SIMD8<S>.self)
        j += 8
    }
    var total = acc.sum()
    while j < n {
        total += x[j] * y[j]
        j += 1
    }
    return total
}

/// Σ x[j] y[j] z[j]
@inline(__always)
func rowDot3<S: TensorScalar>(
    _ x: UnsafePointer<S>, _ y: UnsafePointer<S>, _ z: UnsafePointer<S>, _ n: Int
) -> S {
    var acc = SIMD8<S>()
    var j = 0
    while j + 8 <= n {
        acc += UnsafeRawPointer(x + j).loadUnaligned(as: SIMD8<S>.self)
            * UnsafeRawPointer(y + j).loadUnaligned(as: SIMD8<S>.self)
            * UnsafeRawPointer(z + j).loadUnaligned(as: SIMD8<S>.self)
        j += 8
    }
    var total = acc.sum()
    while j < n {
        total += x[j] * y[j] * z[j]
        j += 1
    }
    return total
}

/// max_j x[j]; `n` must be at least 1.
@inline(__always)
func rowMax<S: TensorScalar>(_ x: UnsafePointer<S>, _ n: Int) -> S {
    var j = 0
    var best = x[0]
    if n >= 8 {
        var acc = UnsafeRawPointer(x).loadUnaligned(as: SIMD8<S>.self)
        j = 8
        while j + 8 <= n {
            acc = pointwiseMax(acc, UnsafeRawPointer(x + j).loadUnaligned(as: SIMD8<S>.self))
            j += 8
        }
        best = acc.max()
    }
    while j < n {
        if x[j] > best { best = x[j] }
        j += 1
    }
    return best
}
