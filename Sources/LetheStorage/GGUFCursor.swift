import Foundation

/// Reads the little-endian header of a GGUF file front to back. Every read checks the bytes
/// left first, and every count (string length, array length, key and tensor counts) is
/// checked against the bytes that could hold it before anything is allocated, so what a
/// hostile file makes Lethe allocate is bounded by a small multiple of the file's size.
struct GGUFCursor {
    let bytes: UnsafeRawBufferPointer
    let path: String
    private(set) var position = 0

    init(bytes: UnsafeRawBufferPointer, path: String) {
        self.bytes = bytes
        self.path = path
    }

    var remaining: Int { bytes.count - position }

    func malformed(_ field: String, _ reason: String) -> GGUFError {
        .malformed(path: path, field: field, reason: reason)
    }

    /// Throws unless `count` more bytes are there.
    func require(_ count: Int, _ field: @autoclosure () -> String) throws {
        guard count >= 0, count <= remaining else {
            throw malformed(field(), "needs \(count) bytes at byte \(position), the file has \(remaining) left (truncated?)")
        }
    }

    mutating func integer<T: FixedWidthInteger>(_: T.Type, _ field: @autoclosure () -> String) throws -> T {
        try require(MemoryLayout<T>.size, field())
        let value = T(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: T.self))
        position += MemoryLayout<T>.size
        return value
    }

    /// A u64 count that must fit `Int` and leave room for `count * minimumWidth` more bytes.
    mutating func count(_ field: @autoclosure () -> String, minimumWidth: Int) throws -> Int {
        let raw = try integer(UInt64.self, field())
        guard let count = Int(exactly: raw), count <= remaining / max(minimumWidth, 1) else {
            throw malformed(field(), "count \(raw) cannot fit in the \(remaining) bytes left (at least \(minimumWidth) bytes each)")
        }
        return count
    }

    /// A GGUF string: u64 byte length, then UTF-8 bytes (no terminator).
    mutating func string(_ field: @autoclosure () -> String) throws -> String {
        let length = try count(field(), minimumWidth: 1)
        let start = position
        position += length
        guard let text = String(bytes: bytes[start..<position], encoding: .utf8) else {
            throw malformed(field(), "a string of \(length) bytes that is not valid UTF-8")
        }
        return text
    }

    /// A metadata value of `type` (an array's elements one level deep only).
    mutating func value(_ type: GGUFValueType, _ field: @autoclosure () -> String, insideArray: Bool = false) throws -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try integer(UInt8.self, field()))
        case .int8: return .int8(try integer(Int8.self, field()))
        case .uint16: return .uint16(try integer(UInt16.self, field()))
        case .int16: return .int16(try integer(Int16.self, field()))
        case .uint32: return .uint32(try integer(UInt32.self, field()))
        case .int32: return .int32(try integer(Int32.self, field()))
        case .uint64: return .uint64(try integer(UInt64.self, field()))
        case .int64: return .int64(try integer(Int64.self, field()))
        case .float32: return .float32(Float(bitPattern: try integer(UInt32.self, field())))
        case .float64: return .float64(Double(bitPattern: try integer(UInt64.self, field())))
        case .bool:
            let byte = try integer(UInt8.self, field())
            guard byte <= 1 else { throw malformed(field(), "a bool stored as \(byte) (0 or 1)") }
            return .bool(byte == 1)
        case .string: return .string(try string(field()))
        case .array:
            guard !insideArray else { throw malformed(field(), "an array of arrays (Lethe reads arrays of scalars and strings)") }
            let elementType = try valueType(field())
            let count = try count(field(), minimumWidth: elementType.fixedWidth ?? 8)
            var values: [GGUFValue] = []
            values.reserveCapacity(count)
            for index in 0..<count {
                values.append(try value(elementType, "\(field())[\(index)]", insideArray: true))
            }
            return .array(elementType: elementType, values: values)
        }
    }

    mutating func valueType(_ field: @autoclosure () -> String) throws -> GGUFValueType {
        let code = try integer(UInt32.self, field())
        guard let type = GGUFValueType(rawValue: code) else { throw malformed(field(), "unknown value type \(code)") }
        return type
    }

    /// Moves to the next multiple of `alignment` (the tensor data start).
    mutating func align(to alignment: Int, _ field: String) throws {
        let padding = (alignment - position % alignment) % alignment
        try require(padding, field)
        position += padding
    }
}
