/// Branch-free float32 `exp` and `tanh` that the compiler can vectorise (libm's `expf` and
/// `tanhf` are one call per element). Used inside the fused kernels (softmax, cross-entropy,
/// attention, GELU); the `exp()` and `tanh()` tensor ops keep libm. Double keeps libm
/// everywhere, so gradient checks see exact functions.
///
/// - `fastExp`: Cephes `expf`: n = round(x log₂e), r = x − n ln 2 (in two parts),
///   eʳ by a degree-7 polynomial, times 2ⁿ built from the exponent bits. Inputs are clamped
///   to [−87.3, 88.3], so eˣ for x < −87.3 is about 1e−38 rather than 0.
///   Relative error about 1e−7.
/// - `fastTanh`: the odd/even rational approximation (degree 13 over degree 6) that Eigen
///   uses for float `tanh`, on x clamped to ±7.905; absolute error below 4e−7.
extension Double {
    @inline(__always) public static func fastExp(_ x: Double) -> Double { exp(x) }
    @inline(__always) public static func fastTanh(_ x: Double) -> Double { tanh(x) }
}

extension Float {
    @inline(__always) public static func fastExp(_ input: Float) -> Float {
        let x = Swift.min(Swift.max(input, -87.3), 88.3)
        // Round x·log₂e to the nearest integer with the 1.5·2²³ trick (no rounding instruction).
        let shifted = x * 1.442_695_04 + 12_582_912
        let n = shifted - 12_582_912
        let r = x - n * 0.693_359_375 + n * 2.121_944_4e-4
        var p: Float = 1.987_569_15e-4
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        p = p * r * r + r + 1
        // `shifted` holds n in its low mantissa bits (its bit pattern is 0x4B40_0000 + n), so
        // 2ⁿ comes from integer arithmetic alone (a checked Int32(n) would block vectorising).
        let exponent = (shifted.bitPattern &- 0x4B40_0000 &+ 127) << 23
        let scale = Float(bitPattern: exponent)
        return p * scale
    }

    @inline(__always) public static func fastTanh(_ input: Float) -> Float {
        let x = Swift.min(Swift.max(input, -7.905_311_1), 7.905_311_1)
        let x2 = x * x
        var p: Float = -2.760_768_477_423_55e-16
        p = p * x2 + 2.000_187_904_824_77e-13
        p = p * x2 - 8.604_671_522_137_35e-11
        p = p * x2 + 5.122_297_090_371_14e-8
        p = p * x2 + 1.485_722_357_179_79e-5
        p = p * x2 + 6.372_619_288_754_36e-4
        p = p * x2 + 4.893_524_558_917_86e-3
        var q: Float = 1.198_258_394_667_02e-6
        q = q * x2 + 1.185_347_056_866_54e-4
        q = q * x2 + 2.268_434_632_439_00e-3
        q = q * x2 + 4.893_525_185_543_85e-3
        return x * p / q
    }
}
