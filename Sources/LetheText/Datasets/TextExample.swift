/// One record of a data set: a prompt/completion pair or a plain text, with an optional
/// binary label and per-category scores (a moderation service's output), and where it came
/// from (file and line) for error messages.
public struct TextExample: Sendable, Equatable {
    public var id: String?
    public var prompt: String?
    public var completion: String?
    public var text: String?
    public var label: Int?
    public var scores: [String: Double]
    public var source: String
    public var line: Int

    public init(
        id: String? = nil, prompt: String? = nil, completion: String? = nil, text: String? = nil,
        label: Int? = nil, scores: [String: Double] = [:], source: String = "", line: Int = 0
    ) {
        (self.id, self.prompt, self.completion, self.text) = (id, prompt, completion, text)
        (self.label, self.scores, self.source, self.line) = (label, scores, source, line)
    }
}

/// Which fields of a record hold what (recipes name them; defaults follow Hugging Face
/// exports). A `scores` field may be an object of category → value, or `scoreFields` may
/// list flat numeric columns (CSV).
public struct DatasetFields: Codable, Equatable, Sendable {
    public var id = "id"
    public var prompt = "prompt"
    public var completion = "completion"
    public var text = "text"
    public var label = "toxic"
    public var scores = "scores"
    public var scoreFields: [String] = []

    public init(
        id: String = "id", prompt: String = "prompt", completion: String = "completion", text: String = "text",
        label: String = "toxic", scores: String = "scores", scoreFields: [String] = []
    ) {
        (self.id, self.prompt, self.completion, self.text) = (id, prompt, completion, text)
        (self.label, self.scores, self.scoreFields) = (label, scores, scoreFields)
    }
}
