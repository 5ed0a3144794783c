import LetheLayers
import LetheTensor
import LetheText

/// Language-model cross-entropy on part `train`: the loss of pretraining, fine-tuning and
/// retraining (Radford et al. 2019; Hugging Face's causal-LM loss):
///
///     train = (1/N) Σ_{b, t : y[b, t+1] ≠ −100} −log softmax(z[b, t])_{y[b, t+1]}
///
/// z = logits [B, T, V]; y = labels [B·T], row-major like the token ids; position t predicts
/// label t + 1; N = the number of counted targets. Labels −100 are not counted: prompt and
/// padding positions of prompt/completion pairs (completion-only loss, as the seed studies
/// fine-tune), padding of token windows (every real token counted). No options.
public struct NextToken: TrainingObjective {
    public static let name = "next_token"

    public init(options: PluginOptions) throws { try options.accept([]) }

    public init() {}

    public var parts: [String] { [TrainingBatch.train] }

    public func losses(model: any TrainableModel, reference: ReferenceModel?, batch: TrainingBatch) throws -> [NamedLoss] {
        let model = try model.languageModel(for: Self.name)
        let train = try LossTerms.require(batch.train, TrainingBatch.train, owner: Self.name)
        return [NamedLoss(TrainingBatch.train, try Self.loss(logits: model.logits(train.tokens), labels: train.labels))]
    }

    /// The formula above from logits [B, T, V] and labels [B·T] (any float dtype).
    public static func loss(logits: Tensor, labels: [Int]) throws -> Tensor {
        guard logits.rank == 3, labels.count == logits.shape[0] * logits.shape[1] else {
            throw UnlearningError.invalidInput("\(name): \(labels.count) labels for logits of shape \(logits.shape) (need [B, T, V] and B·T labels)")
        }
        let T = logits.shape[1]
        let targets = labels.indices.map { i in i % T == T - 1 ? -100 : labels[i + 1] }
        return try logits.crossEntropy(targets: targets)
    }
}
