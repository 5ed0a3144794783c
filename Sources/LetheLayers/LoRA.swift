import LetheTensor

/// Low-rank adaptation of a linear map (Hu et al. 2021, "LoRA"):
///
///     y = base(x) + (α / r) ⋅ dropout(x) A B          A [in, r] ~ U(±1/√in),  B [r, out] = 0
///
/// The base map is frozen; only A and B train. With B = 0 the adapted model equals the base
/// model at initialisation. `fusedWeight()` folds the update into the base weight:
/// W' = W + (α / r) A B (transposed for an `nn.Linear` base stored [out, in]). A and B are
/// laid out [in, r] and [r, out] so the adapter composes with x without transposes (PEFT
/// stores lora_A as [r, in]; the adapter file names keep PEFT's meaning).
public struct LoRALinear: LinearMap {
    public let base: any AdaptableLinear
    public let a: Tensor  // [in, r]
    public let b: Tensor  // [r, out]
    public let rank: Int
    public let alpha: Double
    public let dropoutProbability: Double

    public var scale: Double { alpha / Double(rank) }
    public var inputSize: Int { base.inputSize }
    public var outputSize: Int { base.outputSize }

    public init(base: any AdaptableLinear, a: Tensor, b: Tensor, alpha: Double, dropout: Double) throws {
        guard a.shape == [base.inputSize, a.shape.last ?? 0], b.shape == [a.shape.last ?? 0, base.outputSize],
            let r = a.shape.last, r > 0
        else {
            throw LayerError.invalidInput(reason: "LoRA A \(a.shape) and B \(b.shape) do not fit a [\(base.inputSize), \(base.outputSize)] map")
        }
        guard alpha > 0, dropout >= 0, dropout < 1 else {
            throw LayerError.invalidInput(reason: "LoRA alpha must be positive and dropout in [0, 1)")
        }
        self.base = base
        self.a = a
        self.b = b
        self.rank = r
        self.alpha = alpha
        self.dropoutProbability = dropout
    }

    public func callAsFunction(_ x: Tensor, dropout rng: inout RandomGenerator?) throws -> Tensor {
        var generator = RandomGenerator(seed: 0)
        let y = try base(x, dropout: &rng)
        var input = x
        if dropoutProbability > 0, let state = rng {
            generator = state
            input = try x.dropout(probability: dropoutProbability, using: &generator)
            rng = generator
        }
        return try y + input.matmul(a).matmul(b).affine(scale: scale)
    }

    /// The base weight plus the scaled update, as a new (unshared) tensor in the base's layout.
    public func fusedWeight() throws -> Tensor {
        try withoutGradients { try base.weight(adding: a.matmul(b).affine(scale: scale)) }
    }
}
