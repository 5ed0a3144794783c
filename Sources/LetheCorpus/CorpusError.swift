import Foundation

/// A failure configuring or writing the default corpus.
///
/// Every case names what it is about, so a message alone says where to look:
///
///     corpus option forget_items (--forget-items) = 0: must be at least 1
///     /data/corpus/pretrain.jsonl: cannot write corpus file: permission denied
public enum CorpusError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A configuration option has a value outside its allowed range, or is unknown.
    /// `name` is the option's key in JSON/YAML (`forget_items`); the command-line flag is the
    /// same words joined by hyphens (`--forget-items`).
    case invalidOption(name: String, value: String, reason: String)
    /// A directory or file could not be created or written.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidOption(let name, let value, let reason):
            let flag = "--" + name.replacingOccurrences(of: "_", with: "-")
            return "corpus option \(name) (\(flag)) = \(value): \(reason)"
        case .cannotWrite(let path, let reason):
            return "\(path): cannot write corpus file: \(reason)"
        }
    }
}
