import Foundation

/// Rotary position embeddings (Su et al. 2021, RoFormer), in Hugging Face's `rotate_half`
/// convention (Llama, Qwen2, Mistral): the head vector's two halves x₁, x₂ (D/2 each) rotate
/// by the angles θᵢ = position ⋅ inv_freqᵢ:
///
///     y₁ = x₁ cos θ − x₂ sin θ      y₂ = x₂ cos θ + x₁ sin θ
///     ∂x₁ = ∂y₁ cos θ + ∂y₂ sin θ   ∂x₂ = ∂y₂ cos θ − ∂y₁ sin θ
///
/// (HF: `q * cos + rotate_half(q) * sin`, `cos = cat(freqs, freqs).cos()`.)
/// Shapes: x [B, T, H, D] (heads not yet moved forward, as the projections produce them);
/// cos, sin [B, T, D/2] (`rotaryTables`), constants (no gradient). Output [B, T, H, D].
extension Tensor {
    public func rotated(cos: Tensor, sin: Tensor) throws -> Tensor {
        guard rank == 4, shape[3] % 2 == 0, cos.shape == [shape[0], shape[1], shape[3] / 2], sin.shape == cos.shape else {
            throw TensorError.shapeMismatch(
                op: "rotated", lhs: shape, rhs: cos.shape == sin.shape ? cos.shape : sin.shape,
                reason: "x [B, T, H, D] with D even needs cos and sin [B, T, D/2]")
        }
        guard cos.dtype == dtype, sin.dtype == dtype else { throw TensorError.dtypeMismatch(op: "rotated", lhs: dtype, rhs: cos.dtype) }
        let out = Tensor.uninitialized(shape, dtype: dtype)
        Tensor.rotate(self, into: out, cos: cos, sin: sin, inverse: false)
        return Tensor.record("rotated", out, inputs: [self]) { g in
            let dx = Tensor.uninitialized(g.shape, dtype: g.dtype)
            Tensor.rotate(g, into: dx, cos: cos, sin: sin, inverse: true)
            return [dx]
        }
    }

    /// y = R(θ) x, or Rᵀ x (the rotation by −θ) when `inverse`: the backward pass.
    private static func rotate(_ x: Tensor, into y: Tensor, cos: Tensor, sin: Tensor, inverse: Bool) {
        let (H, D) = (x.shape[2], x.shape[3])
        let half = D / 2
        func run<S: TensorScalar>(_: S.Type) {
            let (xp, yp, cp, sp) = (x.pointer(S.self), y.pointer(S.self), cos.pointer(S.self), sin.pointer(S.self))
            let sign: S = inverse ? -1 : 1
            Parallel.forEachRange(x.shape[0] * x.shape[1], costPerItem: 4 * H * D) { positions in
                for bt in positions {
                    let (c, s) = (cp + bt * half, sp + bt * half)
                    for h in 0..<H {
                        let (xr, yr) = (xp + (bt * H + h) * D, yp + (bt * H + h) * D)
                        for i in 0..<half {
                            let (x1, x2, si) = (xr[i], xr[half + i], sign * s[i])
                            yr[i] = x1 * c[i] - x2 * si
                            yr[half + i] = x2 * c[i] + x1 * si
                        }
                    }
                }
            }
        }
        x.dtype == .float32 ? run(Float.self) : run(Double.self)
    }

    /// The cos and sin tables [B, T, D/2] for the `rotated` op: θ = position ⋅ inv_freqᵢ,
    /// the product rounded to `dtype` before cos and sin as Hugging Face computes it in float32
    /// (`inv_freq[None, :, None].float() @ position_ids[:, None, :].float()`).
    /// - Parameters:
    ///   - positions: B × T position ids, row-major.
    ///   - inverseFrequencies: D/2 values (`inv_freq`).
    public static func rotaryTables(
        positions: [Int], batchSize: Int, length: Int, inverseFrequencies: [Double], dtype: DType = .float32
    ) throws -> (cos: Tensor, sin: Tensor) {
        guard positions.count == batchSize * length else {
            throw TensorError.invalidArgument(op: "rotaryTables", reason: "\(positions.count) positions for a [\(batchSize), \(length)] batch")
        }
        let half = inverseFrequencies.count
        var cosines = [Double](repeating: 0, count: positions.count * half)
        var sines = cosines
        for (index, position) in positions.enumerated() {
            for (i, frequency) in inverseFrequencies.enumerated() {
                let angle = dtype == .float32 ? Double(Float(position) * Float(frequency)) : Double(position) * frequency
                cosines[index * half + i] = Foundation.cos(angle)
                sines[index * half + i] = Foundation.sin(angle)
            }
        }
        let shape = [batchSize, length, half]
        if dtype == .float32 {
            return (try Tensor(cosines.map { Float($0) }, shape: shape), try Tensor(sines.map { Float($0) }, shape: shape))
        }
        return (try Tensor(cosines, shape: shape), try Tensor(sines, shape: shape))
    }
}
