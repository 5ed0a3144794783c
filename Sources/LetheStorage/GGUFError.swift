/// A failure reading a GGUF file; every case names the file, and the field, key or tensor.
public enum GGUFError: Error, CustomStringConvertible, Equatable {
    case cannotRead(path: String, reason: String)
    /// The bytes are not valid GGUF: a truncated file, a count larger than the file can hold,
    /// a bad magic, an offset past the end, ... `field` says where ("header", "metadata key 3",
    /// "metadata llama.block_count", "tensor info 7", "tensor blk.0.attn_q.weight").
    case malformed(path: String, field: String, reason: String)
    /// A tensor whose ggml type Lethe does not dequantize.
    case unsupportedType(path: String, tensor: String, type: String)
    case missingKey(path: String, key: String)
    case wrongType(path: String, key: String, expected: String, found: String)
    case missingTensor(path: String, tensor: String)

    public var description: String {
        switch self {
        case let .cannotRead(path, reason): return "\(path): cannot read (\(reason))"
        case let .malformed(path, field, reason): return "\(path): not a valid GGUF file at \(field): \(reason)"
        case let .unsupportedType(path, tensor, type):
            return "\(path): tensor \(tensor) has ggml type \(type); Lethe reads \(GGMLType.supportedNames)"
        case let .missingKey(path, key): return "\(path): metadata key \(key) is missing"
        case let .wrongType(path, key, expected, found): return "\(path): metadata key \(key) holds \(found), expected \(expected)"
        case let .missingTensor(path, tensor): return "\(path): no tensor named \(tensor)"
        }
    }
}
