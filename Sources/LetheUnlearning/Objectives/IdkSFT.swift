import LetheLayers
import LetheTensor

/// IDK fine-tuning (TOFU's `idk` loss): train the forget prompts towards refusals, keep the
/// retain set, no reference model:
///
///     forget = γ ⋅ CE(θ; x_f, y_idk)        retain = α ⋅ CE(θ; x_r, y_r)
///
/// Options: `gamma` (1), `alpha` (1), `refusals` (default `defaultRefusals`).
public struct IdkSFT: TrainingObjective {
    public static let name = "idk_sft"
    public let gamma: Double, alpha: Double
    public let preferredAnswers: [String]

    public init(options: PluginOptions) throws {
        try options.accept(["gamma", "alpha", "refusals"])
        gamma = try options.number("gamma", default: 1, in: 0...1e6)
        alpha = try options.number("alpha", default: 1, in: 0...1e6)
        preferredAnswers = try options.list("refusals", default: defaultRefusals)
    }

    public var parts: [String] { [TrainingBatch.preferred] }

    public func losses(model: any TrainableModel, reference: ReferenceModel?, batch: TrainingBatch) throws -> [NamedLoss] {
        let model = try model.languageModel(for: Self.name)
        let preferred = try LossTerms.require(batch.preferred, "preferred", owner: Self.name)
        return [NamedLoss("forget", try LossTerms.nll(model, preferred) * gamma)]
            + (try LossTerms.optionalRetain("nll", alpha: alpha, model, reference, batch, owner: Self.name))
    }
}
