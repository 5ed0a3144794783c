/// Errors of reports (plots, notebooks, reading run folders); each names the file, folder or
/// notebook line.
public enum ReportError: Error, CustomStringConvertible {
    case cannotWrite(path: String, reason: String)
    case invalid(String)

    public var description: String {
        switch self {
        case let .cannotWrite(path, reason): return "\(path): cannot write (\(reason))"
        case let .invalid(reason): return reason
        }
    }
}
