import LetheLayers
import LetheTensor
import LetheText

/// One scalar loss to minimise, named (`forget`, `retain`); each gets its own backward pass
/// so a combiner sees every gradient on its own.
public struct NamedLoss {
    public let name: String
    public let value: Tensor

    public init(_ name: String, _ value: Tensor) {
        self.name = name
        self.value = value
    }
}

/// A training objective plugin: a registry name, construction from recipe options, the batch
/// parts it reads, and the named losses of one batch. Every stage that trains (pretraining,
/// fine-tuning, retraining, unlearning, classifier training) runs one through `Trainer`.
/// Language-model losses count completion tokens only (labels −100 elsewhere).
public protocol TrainingObjective {
    /// The name recipes use (`grad_diff`).
    static var name: String { get }
    /// Builds the objective; throws naming the option on bad options (unknown keys included).
    init(options: PluginOptions) throws
    /// The batch parts `losses` requires (`TrainingBatch.forget`, `.retain`, `.preferred`,
    /// `.train`), so a stage can check its data before the first step. Parts an objective
    /// uses only when present (the optional retain term of NPO, DPO, SimNPO, IDK-SFT) are not
    /// listed.
    var parts: [String] { get }
    /// Whether `losses` needs the frozen reference model (the model at the start of unlearning).
    var usesReferenceModel: Bool { get }
    /// Refusal answers this objective wants as `preferred` answers (idkDPO, IDK-SFT); the data
    /// pipeline pairs them with the forget prompts. Empty when not used.
    var preferredAnswers: [String] { get }
    /// The outputs a new classification head needs for this objective when each example has
    /// `scoreCount` score targets (classifier training builds the head from it); nil for
    /// objectives that do not train a classification head.
    func classificationLabelCount(scoreCount: Int) -> Int?
    /// The named losses to minimise on `batch`.
    func losses(model: any TrainableModel, reference: ReferenceModel?, batch: TrainingBatch) throws -> [NamedLoss]
}

extension TrainingObjective {
    public var usesReferenceModel: Bool { false }
    public var preferredAnswers: [String] { [] }
    public func classificationLabelCount(scoreCount: Int) -> Int? { nil }
}

/// The refusals idkDPO and IDK-SFT prefer by default (TOFU's `idontknow.jsonl` style).
public let defaultRefusals = [
    "I don't know.", "I'm not sure I can answer that.", "I have no information about that.",
    "I'd rather not say.", "That is not something I can help with.", "I can't answer that.",
]
