/// Anything that turns text into token ids (the GPT-2 tokenizer; a test double).
public protocol TokenEncoder {
    func encode(_ text: String) throws -> [Int]
}

/// An example as token ids with the positions the loss counts: for a prompt/completion pair,
/// only the completion tokens (positions after the prompt), as the seed studies train; for a
/// plain text, every token.
public struct EncodedExample: Sendable, Equatable {
    public var ids: [Int]
    /// Per position: whether the loss counts this token (as a prediction target).
    public var lossMask: [Bool]
    /// Number of prompt tokens kept.
    public var promptLength: Int
    public var label: Int?
    /// Per-category scores (a moderation service's output), copied from the `TextExample`;
    /// a batch orders them by a list of names (`padded(scoreNames:)`).
    public var scores: [String: Double] = [:]

    /// Hugging Face labels: the id where the loss counts, -100 elsewhere.
    public var labels: [Int] { zip(ids, lossMask).map { $1 ? $0 : -100 } }
}

/// What to do with an example longer than the maximum length.
public enum Truncation: String, Codable, Sendable {
    /// Keep the first tokens (the end of the completion is lost).
    case keepStart
    /// Drop tokens from the start of the prompt, keeping the completion whole when it fits.
    case dropPromptStart
    /// Refuse: an error naming the example's file and line.
    case error
}

public struct EncodingOptions: Codable, Equatable, Sendable {
    public var maxLength: Int
    public var truncation: Truncation
    /// Appended after the completion (or text) when set, e.g. `<|endoftext|>`.
    public var endOfTextID: Int?

    public init(maxLength: Int = 128, truncation: Truncation = .keepStart, endOfTextID: Int? = nil) {
        (self.maxLength, self.truncation, self.endOfTextID) = (maxLength, truncation, endOfTextID)
    }
}

extension TextExample {
    /// Token ids of prompt + completion (each encoded on its own, as TOFU and open-unlearning
    /// do) or of the text, with the completion-only loss mask.
    public func encoded(with encoder: TokenEncoder, options: EncodingOptions) throws -> EncodedExample {
        guard options.maxLength > 0 else { throw DatasetError.invalidArgument("max_length must be positive") }
        var prompt = try self.prompt.map { try encoder.encode($0) } ?? []
        var answer: [Int] = []
        if let completion {
            answer = try encoder.encode(completion)
        } else if self.prompt == nil, let text {
            answer = try encoder.encode(text)
        }
        if let end = options.endOfTextID { answer.append(end) }
        let total = prompt.count + answer.count
        if total > options.maxLength {
            switch options.truncation {
            case .error:
                throw DatasetError.badRecord(
                    path: source, line: line, reason: "\(total) tokens exceed max_length \(options.maxLength)")
            case .keepStart:
                if prompt.count >= options.maxLength {
                    prompt = Array(prompt.prefix(options.maxLength))
                    answer = []
                } else {
                    answer = Array(answer.prefix(options.maxLength - prompt.count))
                }
            case .dropPromptStart:
                let room = max(0, options.maxLength - answer.count)
                prompt = Array(prompt.suffix(room))
                answer = Array(answer.prefix(options.maxLength - prompt.count))
            }
        }
        return EncodedExample(
            ids: prompt + answer, lossMask: [Bool](repeating: false, count: prompt.count) + [Bool](repeating: true, count: answer.count),
            promptLength: prompt.count, label: label, scores: scores)
    }
}
