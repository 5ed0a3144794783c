/// Errors from evaluation: every case names the argument, file or example at fault.
public enum EvaluationError: Error, CustomStringConvertible, Equatable {
    /// An argument out of its range (`name` is the argument, `reason` says why).
    case invalidArgument(name: String, reason: String)
    /// A metric needs data that is missing, e.g. ROC-AUC with no member scores.
    case insufficientData(String)
    /// A file could not be read or parsed.
    case badFile(path: String, reason: String)
    /// The system zlib library could not be loaded (the zlib membership attack needs it).
    case zlibUnavailable(String)

    public var description: String {
        switch self {
        case let .invalidArgument(name, reason): "invalid \(name): \(reason)"
        case let .insufficientData(reason): "not enough data: \(reason)"
        case let .badFile(path, reason): "\(path): \(reason)"
        case let .zlibUnavailable(reason): "zlib is unavailable: \(reason)"
        }
    }
}
