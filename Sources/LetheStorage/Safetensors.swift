import Foundation
import LetheTensor

/// A failure reading or writing a safetensors file; every case names the file.
public enum SafetensorsError: Error, CustomStringConvertible, Equatable {
    case cannotRead(path: String, reason: String)
    /// The header or the data section is not valid safetensors (truncated file, bad JSON,
    /// offsets that do not match shapes, ...); `tensor` is empty when the header itself is bad.
    case malformed(path: String, tensor: String, reason: String)
    case unsupportedDType(path: String, tensor: String, dtype: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotRead(path, reason): return "\(path): cannot read (\(reason))"
        case let .malformed(path, tensor, reason):
            return "\(path): not a valid safetensors file\(tensor.isEmpty ? "" : " at tensor \(tensor)"): \(reason)"
        case let .unsupportedDType(path, tensor, dtype):
            return "\(path): tensor \(tensor) has dtype \(dtype); Lethe reads F32, F64, F16, BF16, I64, I32"
        case let .cannotWrite(path, reason): return "\(path): cannot write (\(reason))"
        }
    }
}

/// Hugging Face's safetensors format: 8 bytes of little-endian header length N, N bytes of
/// UTF-8 JSON `{"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__":
/// {str: str}}`, then the raw little-endian row-major data, offsets relative to byte 8 + N.
/// (https://github.com/huggingface/safetensors, "Format")
///
/// Floating tensors load as `Tensor` (F32 and half formats as float32, F64 as float64);
/// integer tensors (token ids in fixtures) load as `[Int64]` with their shape.
public struct SafetensorsFile {
    public var tensors: [String: Tensor] = [:]
    public var integers: [String: (shape: [Int], values: [Int64])] = [:]
    public var metadata: [String: String] = [:]

    public init() {}

    /// Reads and validates a whole file.
    /// - Throws: `SafetensorsError` naming the file (and the tensor) on any defect.
    public static func read(path: String) throws -> SafetensorsFile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw SafetensorsError.cannotRead(path: path, reason: "\(error.localizedDescription)")
        }
        return try parse(data, path: path)
    }

    static func parse(_ data: Data, path: String) throws -> SafetensorsFile {
        func malformed(_ reason: String, _ tensor: String = "") -> SafetensorsError {
            .malformed(path: path, tensor: tensor, reason: reason)
        }
        guard data.count >= 8 else { throw malformed("\(data.count) bytes, shorter than the 8-byte header length") }
        let headerLength = data.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard headerLength <= UInt64(data.count - 8), headerLength <= 100_000_000 else {
            throw malformed("header length \(headerLength) exceeds the file (\(data.count) bytes)")
        }
        let dataStart = 8 + Int(headerLength)
        let header = data.subdata(in: 8..<dataStart)
        guard let object = try? JSONSerialization.jsonObject(with: header) as? [String: Any] else {
            throw malformed("the header is not a JSON object")
        }
        var file = SafetensorsFile()
        if let meta = object["__metadata__"] {
            guard let strings = meta as? [String: String] else { throw malformed("__metadata__ must map strings to strings") }
            file.metadata = strings
        }
        let available = data.count - dataStart
        var spans: [(Int, Int, String)] = []
        for name in object.keys.sorted() where name != "__metadata__" {
            guard let entry = object[name] as? [String: Any], let dtype = entry["dtype"] as? String,
                let shape = integers(entry["shape"]), let offsets = integers(entry["data_offsets"]),
                offsets.count == 2, shape.allSatisfy({ $0 >= 0 })
            else { throw malformed("entry needs dtype, shape and data_offsets [begin, end]", name) }
            guard let width = elementWidth(dtype) else {
                throw SafetensorsError.unsupportedDType(path: path, tensor: name, dtype: dtype)
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard let count = elementCount(shape, width: width) else {
                throw malformed("shape \(shape) of \(dtype) is too large to address", name)
            }
            guard begin >= 0, end >= begin, end - begin == count * width else {
                throw malformed("data_offsets \(offsets) do not hold shape \(shape) of \(dtype)", name)
            }
            guard end <= available else {
                throw malformed("data ends at byte \(end) but the data section has \(available) bytes (truncated?)", name)
            }
            spans.append((begin, end, name))
            try data.withUnsafeBytes { raw in
                let bytes = UnsafeRawBufferPointer(rebasing: raw[(dataStart + begin)..<(dataStart + end)])
                try file.store(name, dtype: dtype, shape: shape, bytes: bytes, path: path)
            }
        }
        spans.sort { $0.0 < $1.0 }
        for (a, b) in zip(spans, spans.dropFirst()) where b.0 < a.1 {
            throw malformed("overlaps tensor \(a.2)", b.2)
        }
        return file
    }

    private mutating func store(
        _ name: String, dtype: String, shape: [Int], bytes: UnsafeRawBufferPointer, path: String
    ) throws {
        let count = bytes.count / max(1, Self.elementWidth(dtype) ?? 1)
        switch dtype {
        case "F32", "F64":
            let tensor = Tensor(zeros: shape, dtype: dtype == "F32" ? .float32 : .float64)
            tensor.withUnsafeMutableRawBytes { $0.copyMemory(from: bytes) }
            tensors[name] = tensor
        case "F16", "BF16":
            var values = [Float](repeating: 0, count: count)
            for i in 0..<count {
                let bits = bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)
                values[i] = dtype == "BF16" ? bfloat16ToFloat(bits) : halfToFloat(bits)
            }
            tensors[name] = try Tensor(values, shape: shape)
        default:  // I64, I32
            let values = (0..<count).map { i in
                dtype == "I64"
                    ? bytes.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self)
                    : Int64(bytes.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self))
            }
            integers[name] = (shape, values)
        }
    }

    /// A JSON array whose every element is an integer exactly representable as `Int`
    /// (not 1.5, not 1e300), or `nil`.
    private static func integers(_ value: Any?) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var result: [Int] = []
        for element in array {
            guard let exact = element as? Int else { return nil }  // NSNumber bridging is exact
            result.append(exact)
        }
        return result
    }

    /// The number of elements of `shape`, or `nil` when the product of its non-zero axes
    /// times `width` overflows `Int` (so no later product of the axes, in any order, can).
    static func elementCount(_ shape: [Int], width: Int) -> Int? {
        var bytes = width
        for axis in shape where axis > 0 {
            let (product, overflow) = bytes.multipliedReportingOverflow(by: axis)
            if overflow { return nil }
            bytes = product
        }
        return shape.contains(0) ? 0 : bytes / width
    }

    private static func elementWidth(_ dtype: String) -> Int? {
        ["F32": 4, "F64": 8, "F16": 2, "BF16": 2, "I64": 8, "I32": 4][dtype]
    }

    /// Writes `tensors` (float32 as F32, float64 as F64) in name order with `metadata`, to a
    /// temporary file renamed over `path` on success.
    public static func write(
        _ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:], to path: String
    ) throws {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        let ordered = tensors.sorted { $0.name < $1.name }
        for (name, tensor) in ordered {
            let bytes = tensor.count * tensor.dtype.byteWidth
            header[name] = [
                "dtype": tensor.dtype == .float32 ? "F32" : "F64", "shape": tensor.shape,
                "data_offsets": [offset, offset + bytes],
            ]
            offset += bytes
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(0x20) }  // pad with spaces, as the Python writer does
        var out = Data(capacity: 8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        for (_, tensor) in ordered { tensor.withUnsafeRawBytes { out.append(contentsOf: $0) } }
        let temporary = path + ".tmp"
        do {
            try out.write(to: URL(fileURLWithPath: temporary))
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: temporary, toPath: path)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw SafetensorsError.cannotWrite(path: path, reason: "\(error.localizedDescription)")
        }
    }
}
