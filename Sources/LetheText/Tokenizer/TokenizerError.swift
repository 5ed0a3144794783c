/// A failure loading, building, training or saving a tokenizer.
///
/// Every case about a file carries the file's path, and every case about something inside the
/// file also says where: a dotted key (`model.vocab`, `added_tokens[2].id`, `model.merges[17]`)
/// or a 1-based line number (`merges.txt`), so the message alone says where to look:
///
///     tokenizer.json: model.merges[17]: token "Ġx" is not in the vocabulary
public enum TokenizerError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be read: it is missing, a directory or unreadable.
    case cannotRead(path: String, reason: String)
    /// The file (or its folder) could not be written.
    case cannotWrite(path: String, reason: String)
    /// The file is not what its name says: not JSON, not UTF-8 text, not an object at the top.
    case malformedFile(path: String, reason: String)
    /// A key is missing, or holds a value of the wrong kind or an inconsistent value.
    case invalidKey(path: String, key: String, reason: String)
    /// A line of a text file (`merges.txt`) is malformed; `line` counts from 1.
    case invalidLine(path: String, line: Int, reason: String)
    /// The file asks for a feature the reader does not implement (for `GPT2Tokenizer` a normalizer
    /// or a pre-tokenizer other than byte-level; for either, BPE dropout or an unknown component
    /// `type`); `key` names the setting by its JSON path.
    case unsupported(path: String, key: String, value: String)
    /// An argument of a call is out of range (a vocabulary size below the byte alphabet, ...).
    case invalidArgument(String)

    /// The `path` used for tokenizers built in memory rather than read from a file.
    public static let inMemory = "(in memory)"

    public var description: String {
        switch self {
        case .cannotRead(let path, let reason):
            return "\(path): cannot read: \(reason)"
        case .cannotWrite(let path, let reason):
            return "\(path): cannot write: \(reason)"
        case .malformedFile(let path, let reason):
            return "\(path): \(reason)"
        case .invalidKey(let path, let key, let reason):
            return "\(path): \(key): \(reason)"
        case .invalidLine(let path, let line, let reason):
            return "\(path): line \(line): \(reason)"
        case .unsupported(let path, let key, let value):
            return "\(path): \(key): \(value) is not supported"
        case .invalidArgument(let reason):
            return reason
        }
    }
}
