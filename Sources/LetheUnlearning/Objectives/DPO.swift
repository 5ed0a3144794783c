import LetheLayers
import LetheTensor

/// Direct preference optimisation on the forget prompts (Rafailov et al. 2023; open-unlearning
/// `dpo.py` + `compute_dpo_loss`), with sequence-summed log-probabilities: preferred answers
/// y_w (the `preferred` batch) against the forget answers y_l,
///
///     Δ = (log π_θ(y_w|x) − log π_ref(y_w|x)) − (log π_θ(y_l|x) − log π_ref(y_l|x))
///     forget = −γ ⋅ (2/β) ⋅ mean_rows log σ(β Δ)
///     retain =  α ⋅ CE(θ; x_r, y_r)   (or KL; only when a retain batch is given)
///
/// `dpo` takes the preferred answers from the data; `idk_dpo` is the same loss with refusals
/// ("I don't know") as preferred answers (Maini et al. 2024, TOFU; seed study 003).
/// Options: `beta` (0.1), `gamma` (1), `alpha` (1), `retain_loss` (`nll` | `kl`), and for
/// `idk_dpo` `refusals` (a list; default `defaultRefusals`).
public struct DPO: TrainingObjective {
    public static let name = "dpo"
    public let beta: Double, gamma: Double, alpha: Double
    public let retainLoss: String

    public init(options: PluginOptions) throws {
        try self.init(options: options, extraKeys: [])
    }

    init(options: PluginOptions, extraKeys: [String]) throws {
        let o = try PreferenceOptions(options, extraKeys: extraKeys)
        (beta, gamma, alpha, retainLoss) = (o.beta, o.gamma, o.alpha, o.retainLoss)
    }

    public var usesReferenceModel: Bool { true }

    public var parts: [String] { [TrainingBatch.forget, TrainingBatch.preferred] }

    public func losses(model: any TrainableModel, reference: ReferenceModel?, batch: TrainingBatch) throws -> [NamedLoss] {
        let model = try model.languageModel(for: Self.name)
        let owner = Self.name
        let rejected = try LossTerms.require(batch.forget, "forget", owner: owner)
        let preferred = try LossTerms.require(batch.preferred, "preferred", owner: owner)
        guard let reference else { throw UnlearningError.invalidInput("\(owner) needs the reference model") }
        guard preferred.tokens.batchSize == rejected.tokens.batchSize else {
            throw UnlearningError.invalidInput("\(owner): \(preferred.tokens.batchSize) preferred answers for \(rejected.tokens.batchSize) forget items")
        }
        let n = rejected.tokens.batchSize
        let win = try sequenceLogProbabilitiesTensor(model, preferred)
            - Tensor(reference.sequenceLogProbabilities(preferred).map(Float.init), shape: [n])
        let lose = try sequenceLogProbabilitiesTensor(model, rejected)
            - Tensor(reference.sequenceLogProbabilities(rejected).map(Float.init), shape: [n])
        let forgetLoss = try LossTerms.meanLogSigmoid((win - lose) * beta) * (-2 / beta * gamma)
        return [NamedLoss("forget", forgetLoss)]
            + (try LossTerms.optionalRetain(retainLoss, alpha: alpha, model, reference, batch, owner: owner))
    }
}

/// idkDPO: `DPO` with refusals as the preferred answers (see `DPO`).
public struct IdkDPO: TrainingObjective {
    public static let name = "idk_dpo"
    public let dpo: DPO
    public let preferredAnswers: [String]

    public init(options: PluginOptions) throws {
        dpo = try DPO(options: options, extraKeys: ["refusals"])
        preferredAnswers = try options.list("refusals", default: defaultRefusals)
        guard !preferredAnswers.isEmpty else {
            throw UnlearningError.invalidOption(owner: options.owner, key: "refusals", reason: "needs at least one refusal")
        }
    }

    public var usesReferenceModel: Bool { true }

    public var parts: [String] { [TrainingBatch.forget, TrainingBatch.preferred] }

    public func losses(model: any TrainableModel, reference: ReferenceModel?, batch: TrainingBatch) throws -> [NamedLoss] {
        try dpo.losses(model: model, reference: reference, batch: batch)
    }
}
