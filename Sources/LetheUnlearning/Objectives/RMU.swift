import LetheLayers
import LetheTensor
import LetheText

/// Representation misdirection for unlearning (Li et al. 2024, "The WMDP Benchmark", RMU):
/// steer the forget examples' activations after block ℓ towards a fixed random direction
/// scaled by c, and keep the retain examples' activations where the frozen model has them:
///
///     u ~ U[0,1)^C, normalised to ‖u‖ = 1, drawn once from `seed`
///     forget = γ ⋅ mean_{real tokens, channels} (h_ℓ^θ(x_f) − c u)²
///     retain = α ⋅ mean_{real tokens, channels} (h_ℓ^θ(x_r) − h_ℓ^ref(x_r))²
///
/// The means run over real (attention-mask 1) tokens, as open-unlearning masks (the WMDP code
/// also averages padding). Options: `layer` (ℓ, default the middle block), `steering`
/// (c, 20), `alpha` (100, WMDP's default), `gamma` (1), `seed` (0).
public struct RMU: TrainingObjective {
    public static let name = "rmu"
    public let layer: Int?
    public let steering: Double, alpha: Double, gamma: Double
    public let seed: UInt64

    public init(options: PluginOptions) throws {
        try options.accept(["layer", "steering", "alpha", "gamma", "seed"])
        layer = try options.optionalInt("layer", in: 0...OptionLimits.modelSize)
        steering = try options.number("steering", default: 20, in: 0...1e6)
        alpha = try options.number("alpha", default: 100, in: 0...1e6)
        gamma = try options.number("gamma", default: 1, in: 0...1e6)
        seed = UInt64(try options.int("seed", default: 0, in: 0...OptionLimits.seed))
    }

    public var usesReferenceModel: Bool { true }

    public var parts: [String] { [TrainingBatch.forget, TrainingBatch.retain] }

    public func losses(model: any TrainableModel, reference: ReferenceModel?, batch: TrainingBatch) throws -> [NamedLoss] {
        let model = try model.languageModel(for: Self.name)
        let forget = try LossTerms.require(batch.forget, "forget", owner: Self.name)
        let retain = try LossTerms.require(batch.retain, "retain", owner: Self.name)
        guard let reference else { throw UnlearningError.invalidInput("\(Self.name) needs the reference model") }
        let l = layer ?? model.dimensions.layerCount / 2
        let C = model.dimensions.embeddingSize
        var rng = RandomGenerator(seed: seed)
        let raw = (0..<C).map { _ in rng.nextUniform() }
        let length = raw.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let target = try Tensor(raw.map { Float(steering * $0 / length) }, shape: [C])
        let forgetActivations = try model.residualStream(forget.tokens, afterLayer: l)
        let retainActivations = try model.residualStream(retain.tokens, afterLayer: l)
        let frozen = try withoutGradients { try reference.model.residualStream(retain.tokens, afterLayer: l) }
        return [
            NamedLoss("forget", try maskedMeanSquare(forgetActivations - target, forget) * gamma),
            NamedLoss("retain", try maskedMeanSquare(retainActivations - frozen, retain) * alpha),
        ]
    }

    /// Mean of d² over real tokens and channels; d is [B, T, C].
    private func maskedMeanSquare(_ d: Tensor, _ batch: LabelledBatch) throws -> Tensor {
        let (B, T, C) = (d.shape[0], d.shape[1], d.shape[2])
        let mask = batch.tokens.attentionMask ?? [Int](repeating: 1, count: B * T)
        let weights = try Tensor(mask.map(Float.init), shape: [B, T, 1])
        return try (d * d * weights).sum() / Double(max(1, mask.reduce(0, +) * C))
    }
}
