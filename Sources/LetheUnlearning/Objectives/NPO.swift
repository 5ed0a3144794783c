import LetheLayers
import LetheTensor

/// Negative preference optimisation (Zhang et al. 2024, "Negative Preference Optimization";
/// open-unlearning `npo.py` via `compute_dpo_loss(win=None)`), with sequence-summed
/// log-probabilities:
///
///     forget = −γ ⋅ (2/β) ⋅ mean_rows log σ(−β (log π_θ(y_f|x_f) − log π_ref(y_f|x_f)))
///     retain =  α ⋅ CE(θ; x_r, y_r)   (or KL; only when a retain batch is given)
///
/// Options: `beta` (0.1), `gamma` (1), `alpha` (1), `retain_loss` (`nll` | `kl`).
public struct NPO: TrainingObjective {
    public static let name = "npo"
    public let beta: Double, gamma: Double, alpha: Double
    public let retainLoss: String

    public init(options: PluginOptions) throws {
        let o = try PreferenceOptions(options)
        (beta, gamma, alpha, retainLoss) = (o.beta, o.gamma, o.alpha, o.retainLoss)
    }

    public var usesReferenceModel: Bool { true }

    public var parts: [String] { [TrainingBatch.forget] }

    public func losses(model: any TrainableModel, reference: ReferenceModel?, batch: TrainingBatch) throws -> [NamedLoss] {
        let model = try model.languageModel(for: Self.name)
        let forget = try LossTerms.require(batch.forget, "forget", owner: Self.name)
        guard let reference else { throw UnlearningError.invalidInput("\(Self.name) needs the reference model") }
        let policy = try sequenceLogProbabilitiesTensor(model, forget)
        let frozen = try Tensor(reference.sequenceLogProbabilities(forget).map(Float.init), shape: [forget.tokens.batchSize])
        let forgetLoss = try LossTerms.meanLogSigmoid((policy - frozen) * -beta) * (-2 / beta * gamma)
        return [NamedLoss("forget", forgetLoss)]
            + (try LossTerms.optionalRetain(retainLoss, alpha: alpha, model, reference, batch, owner: Self.name))
    }
}
