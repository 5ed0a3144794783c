import LetheTensor

/// A differentiable linear map of the last axis, `[..., in] → [..., out]`. GPT-2's blocks
/// hold their maps behind this protocol so LoRA can wrap them without the model knowing.
public protocol LinearMap {
    var inputSize: Int { get }
    var outputSize: Int { get }
    /// Applies the map; `dropout` (training mode when non-nil) may be used by adapters.
    func callAsFunction(_ x: Tensor, dropout: inout RandomGenerator?) throws -> Tensor
}

/// A plain (not yet adapted) linear map with a weight tensor LoRA can fold an update into.
public protocol AdaptableLinear: LinearMap {
    /// The weight, in the map's own layout.
    var weight: Tensor { get }
    /// A new weight tensor, in the map's layout, equal to W + Δ where Δ is given as the
    /// [in, out] matrix of `x ↦ x Δ`.
    func weight(adding delta: Tensor) throws -> Tensor
}

/// Hugging Face's `Conv1D`: `y = x W + b` with W stored [in, out] (the transpose of
/// `nn.Linear`'s layout), so the forward product needs no transpose.
public struct Conv1D: AdaptableLinear {
    public let weight: Tensor  // [in, out]
    public let bias: Tensor?  // [out]

    public init(weight: Tensor, bias: Tensor?) throws {
        guard weight.rank == 2, bias.map({ $0.shape == [weight.shape[1]] }) ?? true else {
            throw LayerError.invalidInput(
                reason: "Conv1D weight \(weight.shape) and bias \(bias?.shape ?? []) do not fit")
        }
        self.weight = weight
        self.bias = bias
    }

    public var inputSize: Int { weight.shape[0] }
    public var outputSize: Int { weight.shape[1] }

    public func callAsFunction(_ x: Tensor, dropout: inout RandomGenerator?) throws -> Tensor {
        let y = try x.matmul(weight)
        guard let bias else { return y }
        return try y + bias
    }
}

extension Conv1D {
    public func weight(adding delta: Tensor) throws -> Tensor { try weight + delta }
}

/// PyTorch's `nn.Linear`: `y = x Wᵀ + b` with W stored [out, in] (Llama, BERT).
public struct Linear: AdaptableLinear {
    public let weight: Tensor  // [out, in]
    public let bias: Tensor?  // [out]

    public init(weight: Tensor, bias: Tensor?) throws {
        guard weight.rank == 2, bias.map({ $0.shape == [weight.shape[0]] }) ?? true else {
            throw LayerError.invalidInput(
                reason: "Linear weight \(weight.shape) and bias \(bias?.shape ?? []) do not fit")
        }
        self.weight = weight
        self.bias = bias
    }

    public var inputSize: Int { weight.shape[1] }
    public var outputSize: Int { weight.shape[0] }

    public func callAsFunction(_ x: Tensor, dropout: inout RandomGenerator?) throws -> Tensor {
        let y = try x.matmul(weight, transposeB: true)
        guard let bias else { return y }
        return try y + bias
    }

    public func weight(adding delta: Tensor) throws -> Tensor { try weight + delta.transposed() }
}
