import LetheLayers
import LetheTensor
import LetheText

/// The batches one unlearning step sees: forget examples, retain examples (paired with the
/// forget ones) and, for preference objectives, preferred answers to the forget prompts
/// (refusals such as "I don't know" for idkDPO). Each objective says which it needs.
public struct UnlearningBatch: Sendable {
    public var forget: LabelledBatch?
    public var retain: LabelledBatch?
    public var preferred: LabelledBatch?

    public init(forget: LabelledBatch? = nil, retain: LabelledBatch? = nil, preferred: LabelledBatch? = nil) {
        (self.forget, self.retain, self.preferred) = (forget, retain, preferred)
    }
}

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

/// An unlearning objective plugin: a registry name, construction from recipe options, and
/// the named losses of one batch. Losses count completion tokens only.
public protocol UnlearningObjective {
    /// The name recipes use (`grad_diff`).
    static var name: String { get }
    /// Builds the objective; throws naming the option on bad options (unknown keys included).
    init(options: PluginOptions) throws
    /// Whether `losses` needs the frozen reference model (the model at the start of unlearning).
    var usesReferenceModel: Bool { get }
    /// Refusal answers this objective wants as `preferred` answers (idkDPO, IDK-SFT); the data
    /// pipeline pairs them with the forget prompts. Empty when not used.
    var preferredAnswers: [String] { get }
    /// The named losses to minimise on `batch`.
    func losses(model: GPT2Model, reference: ReferenceModel?, batch: UnlearningBatch) throws -> [NamedLoss]
}

extension UnlearningObjective {
    public var usesReferenceModel: Bool { false }
    public var preferredAnswers: [String] { [] }
}

/// The refusals idkDPO and IDK-SFT prefer by default (TOFU's `idontknow.jsonl` style).
public let defaultRefusals = [
    "I don't know.", "I'm not sure I can answer that.", "I have no information about that.",
    "I'd rather not say.", "That is not something I can help with.", "I can't answer that.",
]
