import LetheLayers
import LetheTensor

/// Gradient ascent on the forget set (Jang et al. 2023, "Knowledge Unlearning"):
///
///     forget = −γ ⋅ CE(θ; x_f, y_f)          (token mean over completion tokens)
///
/// No retain term. Options: `gamma` (1).
public struct GradientAscent: TrainingObjective {
    public static let name = "grad_ascent"
    public let gamma: Double

    public init(options: PluginOptions) throws {
        try options.accept(["gamma"])
        gamma = try options.number("gamma", default: 1, in: 0...1e6)
    }

    public var parts: [String] { [TrainingBatch.forget] }

    public func losses(model: any TrainableModel, reference: ReferenceModel?, batch: TrainingBatch) throws -> [NamedLoss] {
        let model = try model.languageModel(for: Self.name)
        let forget = try LossTerms.require(batch.forget, "forget", owner: Self.name)
        return [NamedLoss("forget", try LossTerms.nll(model, forget) * -gamma)]
    }
}
