/// Errors in a recipe; each names the file, the key path and, when known, the line.
public enum RecipeError: Error, CustomStringConvertible, Equatable {
    /// A key or value at `path` is wrong (`line` 0 when the value came from an override).
    case invalid(file: String, path: String, line: Int, reason: String)
    case cannotRead(file: String, reason: String)
    /// Several mistakes of one recipe, in file order.
    case several([RecipeError])

    public var description: String {
        switch self {
        case let .invalid(file, path, line, reason):
            return "\(file)\(line > 0 ? ":\(line)" : ""): \(path.isEmpty ? "recipe" : path): \(reason)"
        case let .cannotRead(file, reason): return "\(file): cannot read (\(reason))"
        case let .several(errors):
            return "\(errors.count) problems:\n" + errors.map { "  \($0)" }.joined(separator: "\n")
        }
    }
}
