import LetheText

/// A data set an evaluation suite reads: its name (a suite option renames it: `data: my_set`,
/// `members: forget`), what the suite uses it for, and the fields every record must have.
/// The engine checks every requirement before stage 1 (`Evaluation.checkData`), so a
/// missing field is reported with its file and line before any model work.
///
/// `accepted` lists alternatives, each a set of fields a record must all hold: membership
/// takes `[[prompt, completion], [text]]` (a pair, or a plain text).
public struct DataRequirement: Sendable, Equatable, CustomStringConvertible {
    /// A field of a record (`TextExample`).
    public enum Field: String, Sendable, Equatable, CaseIterable {
        case text, prompt, completion, label, scores
    }

    /// The data set's name (`forget`, `heldout`, `eval_prompts`).
    public var name: String
    /// What the suite uses it for (`members`, `documents`), for messages.
    public var role: String
    /// Alternatives: a record is accepted when it holds every field of one of them.
    public var accepted: [[Field]]
    /// How a plain-text file is read: one record per line, or the whole file as one
    /// document (perplexity's held-out text).
    public var textUnit: DatasetLoader.TextUnit
    /// Where the set was named (the suite option), for messages.
    public var origin: OptionOrigin

    /// - Parameters: see the properties.
    public init(
        _ name: String, role: String, accepted: [[Field]], textUnit: DatasetLoader.TextUnit = .line,
        origin: OptionOrigin = OptionOrigin()
    ) {
        (self.name, self.role, self.accepted, self.textUnit, self.origin) = (name, role, accepted, textUnit, origin)
    }

    /// Plain texts.
    public static let text: [[Field]] = [[.text]]
    /// A prompt, or a text used as one.
    public static let promptOrText: [[Field]] = [[.prompt], [.text]]
    /// A prompt/completion pair, or a plain text.
    public static let pairOrText: [[Field]] = [[.prompt, .completion], [.text]]
    /// A text with a 0/1 label.
    public static let labelledText: [[Field]] = [[.text, .label]]

    /// `forget (members): prompt and completion, or text`.
    public var description: String { "\(name) (\(role)): \(fieldsDescription)" }

    /// `prompt and completion, or text`.
    public var fieldsDescription: String {
        accepted.map { $0.map(\.rawValue).joined(separator: " and ") }.joined(separator: ", or ")
    }

    /// Whether `example` holds every field of one alternative.
    public func accepts(_ example: TextExample) -> Bool {
        accepted.isEmpty || accepted.contains { $0.allSatisfy { Self.has($0, example) } }
    }

    /// Checks a whole set: it must have a record, and every record the fields.
    /// - Throws: `OptionError` at the set's origin when it is empty, or at the first bad
    ///   record's file and line (owned by `owner`, e.g. `evaluation suite membership`).
    public func check(_ examples: [TextExample], owner: String = "") throws {
        guard !examples.isEmpty else {
            throw OptionError(origin: origin, owner: owner, reason: "data set '\(name)' (\(role)) has no records")
        }
        if let bad = examples.first(where: { !accepts($0) }) {
            throw OptionError(
                origin: OptionOrigin(file: bad.source.isEmpty ? name : bad.source, line: bad.line), owner: owner,
                reason: "a record of data set '\(name)' (\(role)) needs \(fieldsDescription)")
        }
    }

    static func has(_ field: Field, _ example: TextExample) -> Bool {
        switch field {
        case .text: example.text != nil
        case .prompt: example.prompt != nil
        case .completion: example.completion != nil
        case .label: example.label != nil
        case .scores: !example.scores.isEmpty
        }
    }
}
