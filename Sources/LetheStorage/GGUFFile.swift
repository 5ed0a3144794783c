import Foundation
import LetheTensor

/// One tensor's entry in a GGUF header.
public struct GGUFTensorInfo: Equatable, Sendable {
    public let name: String
    /// GGUF's axis order: `dimensions[0]` is the fastest-varying (a row's length), the reverse
    /// of numpy / PyTorch.
    public let dimensions: [Int]
    /// The ggml type code as stored; `type` is `nil` for types Lethe does not dequantize.
    public let typeCode: UInt32
    public let type: GGMLType?
    /// Byte offset of the data from the start of the tensor data section (a multiple of the
    /// file's alignment).
    public let offset: Int
    /// Bytes of data, `nil` for an unsupported type.
    public let byteCount: Int?

    /// The shape in Hugging Face (row-major) order: `dimensions` reversed.
    public var shape: [Int] { dimensions.reversed() }
    /// Number of values.
    public var count: Int { dimensions.reduce(1, *) }
    /// `F32`, `Q4_K`, ... or `unknown code N`.
    public var typeName: String { GGMLType.name(ofCode: typeCode) }
}

/// A GGUF file (versions 2 and 3; llama.cpp's `gguf` format,
/// https://github.com/ggml-org/ggml/blob/master/docs/gguf.md):
///
///     "GGUF"  u32 version  u64 tensor_count  u64 metadata_kv_count
///     metadata_kv_count × (string key, u32 value_type, value)
///     tensor_count × (string name, u32 n_dims, u64 dims[n_dims], u32 ggml_type, u64 offset)
///     padding to `general.alignment` (default 32), then the tensor data
///
/// where a string is a u64 byte length and UTF-8 bytes, and everything is little-endian. The
/// file is memory-mapped; `open` validates the whole header (every count against the bytes
/// that could hold it, every tensor's extent against the data section) and `tensor(_:)`
/// dequantizes one tensor to float32 in Hugging Face shape order.
public struct GGUFFile {
    public let path: String
    public let version: UInt32
    /// Metadata keys in file order, and their values.
    public let metadataKeys: [String]
    public let metadata: [String: GGUFValue]
    /// Tensor entries in file order.
    public let tensorInfos: [GGUFTensorInfo]
    /// `general.alignment`, or 32.
    public let alignment: Int
    private let data: Data
    private let dataStart: Int
    private let tensorIndex: [String: Int]

    public static let defaultAlignment = 32
    /// ggml's GGML_MAX_DIMS.
    public static let maximumDimensions = 4

    /// Maps and validates the file.
    /// - Throws: `GGUFError` naming the file and the field on any defect.
    public static func open(path: String) throws -> GGUFFile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw GGUFError.cannotRead(path: path, reason: error.localizedDescription)
        }
        return try GGUFFile(data: data, path: path)
    }

    private init(data: Data, path: String) throws {
        self.path = path
        self.data = data
        let header = try data.withUnsafeBytes { try GGUFHeader.parse($0, path: path) }
        version = header.version
        metadataKeys = header.keys
        metadata = header.metadata
        tensorInfos = header.tensors
        alignment = header.alignment
        dataStart = header.dataStart
        tensorIndex = Dictionary(uniqueKeysWithValues: header.tensors.enumerated().map { ($1.name, $0) })
    }

    /// The entry of the tensor called `name`, or `nil`.
    public func tensorInfo(_ name: String) -> GGUFTensorInfo? { tensorIndex[name].map { tensorInfos[$0] } }

    /// The tensor called `name`, dequantized to a float32 `Tensor` of shape `info.shape`.
    /// - Throws: `GGUFError.missingTensor`, or `.unsupportedType` naming the tensor and its type.
    public func tensor(_ name: String) throws -> Tensor {
        guard let info = tensorInfo(name) else { throw GGUFError.missingTensor(path: path, tensor: name) }
        guard let type = info.type, let byteCount = info.byteCount else {
            throw GGUFError.unsupportedType(path: path, tensor: name, type: info.typeName)
        }
        let result = Tensor(zeros: info.shape)
        let start = dataStart + info.offset
        data.withUnsafeBytes { raw in
            type.dequantize(UnsafeRawBufferPointer(rebasing: raw[start..<(start + byteCount)]), into: result.floatPointer, count: info.count)
        }
        return result
    }
}

/// The parsed header of a GGUF file (internal: `GGUFFile` keeps its parts).
struct GGUFHeader {
    var version: UInt32 = 0
    var keys: [String] = []
    var metadata: [String: GGUFValue] = [:]
    var tensors: [GGUFTensorInfo] = []
    var alignment = GGUFFile.defaultAlignment
    var dataStart = 0

    static let magic: [UInt8] = Array("GGUF".utf8)

    static func parse(_ bytes: UnsafeRawBufferPointer, path: String) throws -> GGUFHeader {
        var cursor = GGUFCursor(bytes: bytes, path: path)
        var header = GGUFHeader()
        try cursor.require(4, "header")
        guard bytes.prefix(4).elementsEqual(magic) else {
            throw cursor.malformed("header", "the file does not start with the magic \"GGUF\"")
        }
        _ = try cursor.integer(UInt32.self, "header")
        header.version = try cursor.integer(UInt32.self, "header version")
        guard header.version == 2 || header.version == 3 else {
            let bigEndian = [2, 3].contains(header.version.byteSwapped) ? " (a big-endian file; Lethe reads little-endian GGUF)" : ""
            throw cursor.malformed("header version", "version \(header.version)\(bigEndian); Lethe reads GGUF versions 2 and 3")
        }
        // The smallest tensor entry is 24 bytes (empty name, no dims), a key-value pair 13.
        let tensorCount = try cursor.integer(UInt64.self, "header tensor_count")
        let keyCount = try cursor.count("header metadata_kv_count", minimumWidth: 13)
        guard let tensors = Int(exactly: tensorCount), tensors <= cursor.remaining / 24 else {
            throw cursor.malformed("header tensor_count", "\(tensorCount) tensors cannot fit in the \(cursor.remaining) bytes left")
        }
        header.keys.reserveCapacity(keyCount)
        for index in 0..<keyCount {
            let key = try cursor.string("metadata key \(index)")
            let type = try cursor.valueType("metadata \(key)")
            let value = try cursor.value(type, "metadata \(key)")
            guard header.metadata.updateValue(value, forKey: key) == nil else {
                throw cursor.malformed("metadata \(key)", "the key appears twice")
            }
            header.keys.append(key)
        }
        if let stored = header.metadata["general.alignment"] {
            guard case let .uint32(value) = stored, value > 0, value & (value - 1) == 0 else {
                throw cursor.malformed("metadata general.alignment", "\(stored) (\(stored.typeDescription)); must be a uint32 power of two")
            }
            header.alignment = Int(value)
        }
        header.tensors.reserveCapacity(tensors)
        var names: Set<String> = []
        for index in 0..<tensors {
            let info = try tensorInfo(&cursor, index: index)
            guard names.insert(info.name).inserted else {
                throw cursor.malformed("tensor \(info.name)", "the name appears twice")
            }
            header.tensors.append(info)
        }
        if tensors > 0 { try cursor.align(to: header.alignment, "tensor data (padding)") }
        header.dataStart = cursor.position
        let available = cursor.remaining
        for info in header.tensors {
            guard info.offset % header.alignment == 0 else {
                throw cursor.malformed("tensor \(info.name)", "offset \(info.offset) is not a multiple of the alignment \(header.alignment)")
            }
            if let byteCount = info.byteCount, info.offset > available || byteCount > available - info.offset {
                throw cursor.malformed(
                    "tensor \(info.name)",
                    "data at offset \(info.offset) (\(byteCount) bytes) ends past the \(available)-byte data section (truncated?)")
            }
        }
        return header
    }

    /// One tensor entry, its dims checked (1...4 of them, each fitting `Int`, a product that
    /// does not overflow, a first axis divisible into whole blocks).
    static func tensorInfo(_ cursor: inout GGUFCursor, index: Int) throws -> GGUFTensorInfo {
        let name = try cursor.string("tensor info \(index) name")
        let field = "tensor \(name)"
        let rank = try cursor.integer(UInt32.self, field + " n_dims")
        guard (1...UInt32(GGUFFile.maximumDimensions)).contains(rank) else {
            throw cursor.malformed(field, "\(rank) dimensions (1 to \(GGUFFile.maximumDimensions))")
        }
        var dimensions: [Int] = []
        var product = 1
        for _ in 0..<rank {
            let raw = try cursor.integer(UInt64.self, field + " dims")
            guard let dimension = Int(exactly: raw) else { throw cursor.malformed(field, "dimension \(raw) is too large") }
            dimensions.append(dimension)
            if dimension > 0 {
                let (next, overflow) = product.multipliedReportingOverflow(by: dimension)
                guard !overflow else { throw cursor.malformed(field, "dimensions \(dimensions) hold too many values to address") }
                product = next
            }
        }
        let typeCode = try cursor.integer(UInt32.self, field + " type")
        let rawOffset = try cursor.integer(UInt64.self, field + " offset")
        guard let offset = Int(exactly: rawOffset) else { throw cursor.malformed(field, "offset \(rawOffset) is too large") }
        let type = GGMLType(rawValue: typeCode)
        var byteCount: Int?
        if let type {
            guard dimensions[0] % type.blockSize == 0 else {
                throw cursor.malformed(field, "a row of \(dimensions[0]) values is not whole \(type) blocks of \(type.blockSize)")
            }
            let count = dimensions.contains(0) ? 0 : product
            let (bytes, overflow) = (count / type.blockSize).multipliedReportingOverflow(by: type.blockBytes)
            guard !overflow else { throw cursor.malformed(field, "dimensions \(dimensions) hold too many bytes to address") }
            byteCount = bytes
        }
        return GGUFTensorInfo(name: name, dimensions: dimensions, typeCode: typeCode, type: type, offset: offset, byteCount: byteCount)
    }
}
