/// The type codes of GGUF metadata values (GGUF spec, `gguf_metadata_value_type`).
public enum GGUFValueType: UInt32, Sendable, CustomStringConvertible {
    case uint8 = 0, int8 = 1, uint16 = 2, int16 = 3, uint32 = 4, int32 = 5, float32 = 6, bool = 7
    case string = 8, array = 9, uint64 = 10, int64 = 11, float64 = 12

    public var description: String {
        ["uint8", "int8", "uint16", "int16", "uint32", "int32", "float32", "bool", "string", "array", "uint64", "int64", "float64"][
            Int(rawValue)]
    }

    /// Bytes of one value of a fixed-size type; `nil` for strings and arrays.
    var fixedWidth: Int? {
        switch self {
        case .uint8, .int8, .bool: return 1
        case .uint16, .int16: return 2
        case .uint32, .int32, .float32: return 4
        case .uint64, .int64, .float64: return 8
        case .string, .array: return nil
        }
    }
}

/// One metadata value of a GGUF file, with its stored type.
public enum GGUFValue: Equatable, Sendable, CustomStringConvertible {
    case uint8(UInt8), int8(Int8), uint16(UInt16), int16(Int16), uint32(UInt32), int32(Int32)
    case uint64(UInt64), int64(Int64), float32(Float), float64(Double), bool(Bool), string(String)
    /// An array of `elementType` values (never of arrays: Lethe refuses nested arrays).
    case array(elementType: GGUFValueType, values: [GGUFValue])

    public var type: GGUFValueType {
        switch self {
        case .uint8: return .uint8
        case .int8: return .int8
        case .uint16: return .uint16
        case .int16: return .int16
        case .uint32: return .uint32
        case .int32: return .int32
        case .uint64: return .uint64
        case .int64: return .int64
        case .float32: return .float32
        case .float64: return .float64
        case .bool: return .bool
        case .string: return .string
        case .array: return .array
        }
    }

    /// An integer of any width that fits `Int`, else `nil`.
    public var integer: Int? {
        switch self {
        case let .uint8(v): return Int(v)
        case let .int8(v): return Int(v)
        case let .uint16(v): return Int(v)
        case let .int16(v): return Int(v)
        case let .uint32(v): return Int(v)
        case let .int32(v): return Int(v)
        case let .uint64(v): return Int(exactly: v)
        case let .int64(v): return Int(v)
        default: return nil
        }
    }

    /// A float, or an integer as a float, else `nil`.
    public var number: Double? {
        switch self {
        case let .float32(v): return Double(v)
        case let .float64(v): return v
        default: return integer.map(Double.init)
        }
    }

    public var string: String? {
        if case let .string(v) = self { return v }
        return nil
    }

    public var bool: Bool? {
        if case let .bool(v) = self { return v }
        return nil
    }

    /// The elements of an array, else `nil`.
    public var array: [GGUFValue]? {
        if case let .array(_, values) = self { return values }
        return nil
    }

    /// The type as a message names it: `uint32`, `array of string`.
    public var typeDescription: String {
        if case let .array(elementType, _) = self { return "array of \(elementType)" }
        return "\(type)"
    }

    public var description: String {
        switch self {
        case let .string(v): return "\"\(v)\""
        case let .bool(v): return "\(v)"
        case let .array(_, values):
            let shown = values.prefix(8).map(\.description).joined(separator: ", ")
            return "[\(shown)\(values.count > 8 ? ", ... (\(values.count) values)" : "")]"
        default: return number.map { integer == nil ? "\($0)" : "\(integer ?? 0)" } ?? "?"
        }
    }
}
