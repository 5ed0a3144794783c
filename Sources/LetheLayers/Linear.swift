import LetheTensor

/// A differentiable linear map of the last axis, `[..., in] → [..., out]`. GPT-2's blocks
/// hold their maps behind this protocol so LoRA can wrap them without the model knowing.
public protocol LinearMap {
    var inputSize: Int { get }
    var outputSize: Int { get }
    /// Applies the map; `dropout` (training mode when non-nil) may be used by adapters.
    func callAsFunction(_ x: Tensor, dropout: inout RandomGenerator?) throws -> Tensor
}

/// Hugging Face's `Conv1D`: `y = x W + b` with W stored [in, out] (the transpose of
/// `nn.Linear`'s layout), so the forward product needs no transpose.
public struct Conv1D: LinearMap {
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
