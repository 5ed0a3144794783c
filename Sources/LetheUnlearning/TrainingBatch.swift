import LetheText

/// The batches one training step reads, by part name: `forget` examples, `retain` examples
/// (paired with the forget ones), `preferred` answers to the forget prompts (refusals such as
/// "I don't know" for idkDPO), or `train` examples for plain training (pretraining windows,
/// fine-tuning pairs, a classifier's labelled texts). Each objective declares the parts it
/// reads (`TrainingObjective.parts`); a data source (`TrainingData`) fills them.
///
/// The part names are static constants (`TrainingBatch.forget` is `"forget"`); the instance
/// properties of the same names read and write those parts.
public struct TrainingBatch: Sendable, Equatable {
    public static let forget = "forget"
    public static let retain = "retain"
    public static let preferred = "preferred"
    public static let train = "train"

    public var parts: [String: LabelledBatch]

    public init(parts: [String: LabelledBatch]) { self.parts = parts }

    public init(
        forget: LabelledBatch? = nil, retain: LabelledBatch? = nil, preferred: LabelledBatch? = nil, train: LabelledBatch? = nil
    ) {
        parts = [:]
        (self.forget, self.retain, self.preferred, self.train) = (forget, retain, preferred, train)
    }

    /// The part named `name`, or nil.
    public subscript(name: String) -> LabelledBatch? {
        get { parts[name] }
        set { parts[name] = newValue }
    }

    public var forget: LabelledBatch? {
        get { parts[Self.forget] }
        set { parts[Self.forget] = newValue }
    }

    public var retain: LabelledBatch? {
        get { parts[Self.retain] }
        set { parts[Self.retain] = newValue }
    }

    public var preferred: LabelledBatch? {
        get { parts[Self.preferred] }
        set { parts[Self.preferred] = newValue }
    }

    public var train: LabelledBatch? {
        get { parts[Self.train] }
        set { parts[Self.train] = newValue }
    }
}
