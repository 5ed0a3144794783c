/// Errors of the unlearning layer; each names the plugin, option or batch part involved.
public enum UnlearningError: Error, CustomStringConvertible, Equatable {
    case unknownName(kind: String, name: String, available: [String])
    case invalidOption(owner: String, key: String, reason: String)
    case unknownOptions(owner: String, keys: [String], accepted: [String])
    case missingBatch(owner: String, part: String)
    case invalidInput(String)

    public var description: String {
        switch self {
        case let .unknownName(kind, name, available):
            return "unknown \(kind) '\(name)'; available: \(available.joined(separator: ", "))"
        case let .invalidOption(owner, key, reason): return "\(owner): option \(key): \(reason)"
        case let .unknownOptions(owner, keys, accepted):
            return "\(owner): unknown option(s) \(keys.joined(separator: ", ")); accepted: \(accepted.joined(separator: ", "))"
        case let .missingBatch(owner, part): return "\(owner) needs a \(part) batch"
        case let .invalidInput(reason): return reason
        }
    }
}
