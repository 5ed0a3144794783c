/// Errors from tensor operations. Every case names the operation and the shapes involved, so
/// a mistake in a model or a recipe reads as "matmul: [4, 3] and [5, 2] do not fit".
public enum TensorError: Error, Equatable, CustomStringConvertible {
    /// Two operands whose shapes do not fit each other.
    case shapeMismatch(op: String, lhs: [Int], rhs: [Int], reason: String)
    /// One operand whose shape the operation cannot take.
    case invalidShape(op: String, shape: [Int], reason: String)
    /// Operands of different element types.
    case dtypeMismatch(op: String, lhs: DType, rhs: DType)
    /// An axis outside `-rank..<rank`.
    case invalidAxis(op: String, axis: Int, rank: Int)
    /// An index (token id, gather index) outside its range.
    case indexOutOfRange(op: String, index: Int, bound: Int)
    /// Any other bad argument, described.
    case invalidArgument(op: String, reason: String)

    public var description: String {
        switch self {
        case let .shapeMismatch(op, lhs, rhs, reason):
            return "\(op): shapes \(lhs) and \(rhs) do not fit (\(reason))"
        case let .invalidShape(op, shape, reason):
            return "\(op): shape \(shape) is invalid (\(reason))"
        case let .dtypeMismatch(op, lhs, rhs):
            return "\(op): element types \(lhs) and \(rhs) differ"
        case let .invalidAxis(op, axis, rank):
            return "\(op): axis \(axis) is out of range for rank \(rank)"
        case let .indexOutOfRange(op, index, bound):
            return "\(op): index \(index) is out of range 0..<\(bound)"
        case let .invalidArgument(op, reason):
            return "\(op): \(reason)"
        }
    }
}
