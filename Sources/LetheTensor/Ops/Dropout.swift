/// Inverted dropout with a seeded generator (Srivastava et al. 2014):
///
///     mᵢ ~ Bernoulli(1 − p)        y = x ⊙ m / (1 − p)        ∂x = ∂y ⊙ m / (1 − p)
///
/// The mask comes from `rng`, so the same seed gives the same mask. With `p == 0` the input
/// is returned unchanged and the generator is not advanced.
extension Tensor {
    public func dropout(probability p: Double, using rng: inout RandomGenerator) throws -> Tensor {
        guard p >= 0, p < 1 else {
            throw TensorError.invalidArgument(op: "dropout", reason: "probability \(p) is outside [0, 1)")
        }
        if p == 0 { return self }
        let keep = 1 / (1 - p)
        let mask = Tensor(zeros: shape, dtype: dtype)
        mask.fill { rng.nextUniform() >= p ? keep : 0 }
        let out = try withoutGradients { try self * mask }
        return Tensor.record("dropout", out, inputs: [self]) { g in [try g * mask] }
    }
}
