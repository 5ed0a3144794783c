import LetheLayers
import LetheTensor
import LetheText

/// Loss terms shared by the objectives.
enum LossTerms {
    /// Hugging Face's token-mean cross-entropy over the counted (completion) tokens.
    static func nll(_ model: any CausalLanguageModel, _ batch: LabelledBatch) throws -> Tensor {
        try model.languageModelLoss(batch.tokens, labels: batch.labels)
    }

    /// KL(π_ref ‖ π_θ) per position, Σ_v p_ref (log p_ref − log p_θ), averaged over the real
    /// (attention-mask 1) positions of the batch. open-unlearning averages over every position,
    /// padding included; Lethe masks padding, so the value does not depend on batch padding.
    static func kl(_ model: any CausalLanguageModel, _ reference: ReferenceModel, _ batch: LabelledBatch) throws -> Tensor {
        let (B, T) = (batch.tokens.batchSize, batch.tokens.length)
        let referenceLogProbabilities = try reference.logProbabilities(batch)  // [B, T, V], constant
        let logProbabilities = try model.logits(batch.tokens).logSoftmax()
        let perPosition = try (referenceLogProbabilities.exp() * (referenceLogProbabilities - logProbabilities))
            .sum(axes: [-1])  // [B, T]
        let mask = batch.tokens.attentionMask ?? [Int](repeating: 1, count: B * T)
        let weights = try Tensor(mask.map(Float.init), shape: [B, T])
        return try (perPosition * weights).sum() / Double(max(1, mask.reduce(0, +)))
    }

    /// The retain term named in options: `nll` (default) or `kl` to the reference model.
    static func retain(
        _ kind: String, _ model: any CausalLanguageModel, _ reference: ReferenceModel?, _ batch: LabelledBatch, owner: String
    ) throws -> Tensor {
        if kind == "kl" {
            guard let reference else { throw UnlearningError.invalidInput("\(owner): retain_loss kl needs the reference model") }
            return try kl(model, reference, batch)
        }
        return try nll(model, batch)
    }

    /// α ⋅ (NLL or KL) on the retain batch, when the batch has one (NPO, DPO, SimNPO, IDK-SFT).
    static func optionalRetain(
        _ kind: String, alpha: Double, _ model: any CausalLanguageModel, _ reference: ReferenceModel?, _ batch: TrainingBatch,
        owner: String
    ) throws -> [NamedLoss] {
        guard let retain = batch.retain else { return [] }
        return [NamedLoss("retain", try LossTerms.retain(kind, model, reference, retain, owner: owner) * alpha)]
    }

    static func require(_ part: LabelledBatch?, _ name: String, owner: String) throws -> LabelledBatch {
        guard let part else { throw UnlearningError.missingBatch(owner: owner, part: name) }
        return part
    }

    /// log σ(x) averaged over rows, as a tensor [].
    static func meanLogSigmoid(_ x: Tensor) throws -> Tensor { try x.logSigmoid().mean() }
}

/// The options NPO and DPO share: `beta` (0.1), `gamma` (1), `alpha` (1) and `retain_loss`
/// (`nll` | `kl`), plus any `extraKeys` the objective reads itself.
struct PreferenceOptions {
    let beta: Double, gamma: Double, alpha: Double
    let retainLoss: String

    init(_ options: PluginOptions, extraKeys: [String] = []) throws {
        try options.accept(["beta", "gamma", "alpha", "retain_loss"] + extraKeys)
        beta = try options.positive("beta", default: 0.1)
        gamma = try options.number("gamma", default: 1, in: 0...1e6)
        alpha = try options.number("alpha", default: 1, in: 0...1e6)
        retainLoss = try options.text("retain_loss", default: "nll", allowed: ["nll", "kl"])
    }
}
