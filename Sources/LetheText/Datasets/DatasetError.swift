/// Errors reading data sets; each names the file and, for a bad record, the line.
public enum DatasetError: Error, CustomStringConvertible, Equatable {
    case cannotRead(path: String, reason: String)
    /// A record that cannot be parsed or lacks a field (line numbers start at 1).
    case badRecord(path: String, line: Int, reason: String)
    case invalidArgument(String)

    public var description: String {
        switch self {
        case let .cannotRead(path, reason): return "\(path): cannot read (\(reason))"
        case let .badRecord(path, line, reason): return "\(path):\(line): \(reason)"
        case let .invalidArgument(reason): return reason
        }
    }
}
