import LetheTensor

/// The outcome of comparing back-propagated gradients with central finite differences.
public struct GradientCheckResult: CustomStringConvertible {
    /// Largest |analytic − numeric| / (atol + rtol |numeric|) over all elements; ≤ 1 passes.
    public var worstRatio: Double = 0
    public var worst: String = "no element checked"
    public var checkedElements = 0
    public var passed: Bool { worstRatio <= 1 && checkedElements > 0 }
    public var description: String {
        "\(checkedElements) elements checked, worst ratio \(worstRatio): \(worst)"
    }
}

/// Checks `f`'s gradients with respect to every input, in Double.
///
/// The output is projected onto fixed random weights, L = Σ w ⊙ f(x), so every output
/// element's vector-Jacobian product is exercised; each input element is then perturbed by
/// ±`step` and (L(x + h) − L(x − h)) / 2h is compared with the back-propagated gradient.
/// - Parameters:
///   - inputs: float64 leaves; their values are perturbed and restored.
///   - f: the function under test; it must be deterministic (re-seed any generator inside).
public func checkGradients(
    _ inputs: [Tensor], step: Double = 1e-6, relativeTolerance: Double = 1e-5,
    absoluteTolerance: Double = 1e-7, seed: UInt64 = 7, _ f: ([Tensor]) throws -> Tensor
) throws -> GradientCheckResult {
    for input in inputs {
        precondition(input.dtype == .float64, "gradient checks run in float64")
        input.requiresGrad = true
        input.grad = nil
    }
    let probe = try withoutGradients { try f(inputs) }
    var rng = RandomGenerator(seed: seed)
    let weights = Tensor.randomUniform(probe.shape, low: -1, high: 1, dtype: .float64, using: &rng)
    func objective() throws -> Tensor { try (f(inputs) * weights).sum() }

    let analytic = try objective().gradients(withRespectTo: inputs)
    var result = GradientCheckResult()
    for (index, input) in inputs.enumerated() {
        let gradient = analytic[index]?.doubles ?? [Double](repeating: 0, count: input.count)
        for element in 0..<input.count {
            let original = value(input, element)
            setValue(input, element, original + step)
            let plus = try withoutGradients { try objective().item() }
            setValue(input, element, original - step)
            let minus = try withoutGradients { try objective().item() }
            setValue(input, element, original)
            let numeric = (plus - minus) / (2 * step)
            let ratio = abs(gradient[element] - numeric) / (absoluteTolerance + relativeTolerance * abs(numeric))
            result.checkedElements += 1
            if ratio > result.worstRatio || ratio.isNaN {
                result.worstRatio = ratio.isNaN ? .infinity : ratio
                result.worst = "input \(index) \(input.shape) element \(element): analytic \(gradient[element]), numeric \(numeric)"
            }
        }
    }
    return result
}

private func value(_ t: Tensor, _ i: Int) -> Double {
    t.withUnsafeRawBytes { $0.load(fromByteOffset: i * 8, as: Double.self) }
}

private func setValue(_ t: Tensor, _ i: Int, _ v: Double) {
    t.withUnsafeMutableRawBytes { $0.storeBytes(of: v, toByteOffset: i * 8, as: Double.self) }
}

/// A float64 tensor of uniform values in [low, high), from a fixed seed.
public func randomDoubles(_ shape: [Int], low: Double = -1, high: Double = 1, seed: UInt64) -> Tensor {
    var rng = RandomGenerator(seed: seed)
    return Tensor.randomUniform(shape, low: low, high: high, dtype: .float64, using: &rng)
}

/// Largest absolute difference between two tensors' values (∞ when shapes differ).
public func maxAbsDifference(_ a: Tensor, _ b: Tensor) -> Double {
    guard a.shape == b.shape else { return .infinity }
    return zip(a.doubles, b.doubles).reduce(0) { Swift.max($0, abs($1.0 - $1.1)) }
}
