/// Errors from building, loading and running layers; each names the key, file or shape.
public indirect enum LayerError: Error, CustomStringConvertible, Equatable {
    case invalidConfiguration(key: String, reason: String)
    case cannotRead(path: String)
    case cannotWrite(path: String, reason: String)
    case invalidFile(path: String, reason: String)
    case inFile(path: String, error: LayerError)
    /// Loading a state dict: every missing, unexpected and mis-shaped key at once.
    case stateMismatch(source: String, missing: [String], unexpected: [String], misshapen: [String])
    case invalidInput(reason: String)

    public var description: String {
        switch self {
        case let .invalidConfiguration(key, reason): return "config key \(key): \(reason)"
        case let .cannotRead(path): return "\(path): cannot read the file"
        case let .cannotWrite(path, reason): return "\(path): cannot write (\(reason))"
        case let .invalidFile(path, reason): return "\(path): \(reason)"
        case let .inFile(path, error): return "\(path): \(error)"
        case let .stateMismatch(source, missing, unexpected, misshapen):
            var parts: [String] = []
            if !missing.isEmpty { parts.append("missing keys: \(missing.joined(separator: ", "))") }
            if !unexpected.isEmpty { parts.append("unexpected keys: \(unexpected.joined(separator: ", "))") }
            if !misshapen.isEmpty { parts.append("mis-shaped keys: \(misshapen.joined(separator: "; "))") }
            return "\(source): weights do not fit the model; " + parts.joined(separator: "; ")
        case let .invalidInput(reason): return reason
        }
    }
}
