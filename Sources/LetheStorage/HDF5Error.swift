/// A failure reading or writing an HDF5 file.
///
/// Every case carries the file's path, and every case about something inside the file also
/// carries the object's path in the file (`/model/h.0.attn.c_attn.weight`), so a message
/// alone says where to look:
///
///     model.h5: dataset /model/h.0.attn.c_attn.weight not found
public enum HDF5Error: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be opened: it is missing, a directory, unreadable or not HDF5.
    case cannotOpen(path: String, reason: String)
    /// The file could not be created (or, for an atomic write, moved into place).
    case cannotCreate(path: String, reason: String)
    /// No object (group or dataset) exists at `object`.
    case notFound(path: String, object: String)
    /// The object exists but has no attribute `name`.
    case attributeNotFound(path: String, object: String, name: String)
    /// The object exists but is not what the call needs (a group where a dataset is expected,
    /// integers where floats are expected, a string attribute read as a number, ...).
    case wrongType(path: String, object: String, expected: String, found: String)
    /// The shapes of the data and of the dataset (or its declared shape) do not agree.
    case shapeMismatch(path: String, object: String, expected: [Int], found: [Int])
    /// An argument cannot be stored (an invalid chunk size, compression level, ...).
    case invalidArgument(path: String, object: String, reason: String)
    /// An HDF5 library call failed; `reason` is HDF5's innermost error message, if any.
    case callFailed(path: String, object: String, call: String, reason: String)
    /// The file was used after `close()`.
    case closed(path: String)

    /// The file path this error is about.
    public var path: String {
        switch self {
        case .cannotOpen(let path, _), .cannotCreate(let path, _), .notFound(let path, _),
            .attributeNotFound(let path, _, _), .wrongType(let path, _, _, _),
            .shapeMismatch(let path, _, _, _), .invalidArgument(let path, _, _),
            .callFailed(let path, _, _, _), .closed(let path):
            return path
        }
    }

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "\(path): cannot open HDF5 file: \(reason)"
        case .cannotCreate(let path, let reason):
            return "\(path): cannot create HDF5 file: \(reason)"
        case .notFound(let path, let object):
            return "\(path): \(object) not found"
        case .attributeNotFound(let path, let object, let name):
            return "\(path): attribute '\(name)' of \(object) not found"
        case .wrongType(let path, let object, let expected, let found):
            return "\(path): \(object) is \(found), expected \(expected)"
        case .shapeMismatch(let path, let object, let expected, let found):
            return "\(path): \(object) has shape \(found), expected \(expected)"
        case .invalidArgument(let path, let object, let reason):
            return "\(path): \(object): \(reason)"
        case .callFailed(let path, let object, let call, let reason):
            let detail = reason.isEmpty ? "" : ": \(reason)"
            return "\(path): \(call) failed on \(object)\(detail)"
        case .closed(let path):
            return "\(path): file is closed"
        }
    }
}
