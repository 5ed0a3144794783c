import LetheLayers
import LetheTensor

/// Gradient difference (Liu et al. 2022; open-unlearning `grad_diff.py`):
///
///     forget = −γ ⋅ CE(θ; x_f, y_f)
///     retain =  α ⋅ CE(θ; x_r, y_r)         or α ⋅ KL(π_ref ‖ π_θ) on the retain batch
///
/// Options: `gamma` (1), `alpha` (1), `retain_loss` (`nll` | `kl`).
public struct GradDiff: TrainingObjective {
    public static let name = "grad_diff"
    public let gamma: Double
    public let alpha: Double
    public let retainLoss: String

    public init(options: PluginOptions) throws {
        try options.accept(["gamma", "alpha", "retain_loss"])
        gamma = try options.number("gamma", default: 1, in: 0...1e6)
        alpha = try options.number("alpha", default: 1, in: 0...1e6)
        retainLoss = try options.text("retain_loss", default: "nll", allowed: ["nll", "kl"])
    }

    public var usesReferenceModel: Bool { retainLoss == "kl" }

    public var parts: [String] { [TrainingBatch.forget, TrainingBatch.retain] }

    public func losses(model: any TrainableModel, reference: ReferenceModel?, batch: TrainingBatch) throws -> [NamedLoss] {
        let model = try model.languageModel(for: Self.name)
        let forget = try LossTerms.require(batch.forget, "forget", owner: Self.name)
        let retain = try LossTerms.require(batch.retain, "retain", owner: Self.name)
        return [
            NamedLoss("forget", try LossTerms.nll(model, forget) * -gamma),
            NamedLoss("retain", try LossTerms.retain(retainLoss, model, reference, retain, owner: Self.name) * alpha),
        ]
    }
}
