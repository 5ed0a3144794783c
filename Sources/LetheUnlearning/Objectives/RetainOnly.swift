import LetheLayers
import LetheTensor

/// Retain-only objectives, for fine-tuning the base model or as a utility baseline:
///
///     retain_nll:  retain = α ⋅ CE(θ; x_r, y_r)
///     retain_kl:   retain = α ⋅ KL(π_ref ‖ π_θ) on the retain batch, over real tokens
///
/// Option: `alpha` (1).
public struct RetainNLL: TrainingObjective {
    public static let name = "retain_nll"
    public let alpha: Double

    public init(options: PluginOptions) throws {
        try options.accept(["alpha"])
        alpha = try options.number("alpha", default: 1, in: 0...1e6)
    }

    public var parts: [String] { [TrainingBatch.retain] }

    public func losses(model: any TrainableModel, reference: ReferenceModel?, batch: TrainingBatch) throws -> [NamedLoss] {
        let model = try model.languageModel(for: Self.name)
        let retain = try LossTerms.require(batch.retain, "retain", owner: Self.name)
        return [NamedLoss("retain", try LossTerms.nll(model, retain) * alpha)]
    }
}

public struct RetainKL: TrainingObjective {
    public static let name = "retain_kl"
    public let alpha: Double

    public init(options: PluginOptions) throws {
        try options.accept(["alpha"])
        alpha = try options.number("alpha", default: 1, in: 0...1e6)
    }

    public var usesReferenceModel: Bool { true }

    public var parts: [String] { [TrainingBatch.retain] }

    public func losses(model: any TrainableModel, reference: ReferenceModel?, batch: TrainingBatch) throws -> [NamedLoss] {
        let model = try model.languageModel(for: Self.name)
        let retain = try LossTerms.require(batch.retain, "retain", owner: Self.name)
        return [NamedLoss("retain", try LossTerms.retain("kl", model, reference, retain, owner: Self.name) * alpha)]
    }
}
