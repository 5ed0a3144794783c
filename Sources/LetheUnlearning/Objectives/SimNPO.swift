import LetheLayers
import LetheTensor

/// SimNPO (Fan et al. 2024, "Simplicity Prevails"): NPO without a reference model, with
/// length-normalised log-probabilities and a margin δ:
///
///     forget = −γ ⋅ (2/β) ⋅ mean_rows log σ(−β log π_θ(y_f|x_f) / |y_f| − δ)
///     retain =  α ⋅ CE(θ; x_r, y_r)   (only when a retain batch is given)
///
/// Options: `beta` (4.5), `delta` (0), `gamma` (0.125, open-unlearning's npo_coeff), `alpha` (1).
public struct SimNPO: TrainingObjective {
    public static let name = "simnpo"
    public let beta: Double, delta: Double, gamma: Double, alpha: Double

    public init(options: PluginOptions) throws {
        try options.accept(["beta", "delta", "gamma", "alpha"])
        beta = try options.positive("beta", default: 4.5)
        delta = try options.number("delta", default: 0)
        gamma = try options.number("gamma", default: 0.125, in: 0...1e6)
        alpha = try options.number("alpha", default: 1, in: 0...1e6)
    }

    public var parts: [String] { [TrainingBatch.forget] }

    public func losses(model: any TrainableModel, reference: ReferenceModel?, batch: TrainingBatch) throws -> [NamedLoss] {
        let model = try model.languageModel(for: Self.name)
        let forget = try LossTerms.require(batch.forget, "forget", owner: Self.name)
        let lengths = try Tensor(answerLengths(forget).map { Float(max(1, $0)) }, shape: [forget.tokens.batchSize])
        let normalised = try sequenceLogProbabilitiesTensor(model, forget) / lengths
        let forgetLoss = try LossTerms.meanLogSigmoid((normalised * -beta) - delta) * (-2 / beta * gamma)
        return [NamedLoss("forget", forgetLoss)]
            + (try LossTerms.optionalRetain("nll", alpha: alpha, model, reference, batch, owner: Self.name))
    }
}
