/// Where an option came from: the file, the 1-based line (0 when it came from a `--set`
/// override, a command-line flag or a default) and the key path (`stages.3.unlearn.steps`).
public struct OptionOrigin: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var path: String

    public init(file: String = "", line: Int = 0, path: String = "") {
        (self.file, self.line, self.path) = (file, line, path)
    }

    /// The origin of `key` (or list index) below this one: same file and line.
    public func child(_ key: String) -> OptionOrigin {
        OptionOrigin(file: file, line: line, path: path.isEmpty ? key : "\(path).\(key)")
    }

    /// `file:line: path` (parts that are unknown are left out).
    public var description: String {
        var parts: [String] = []
        if !file.isEmpty { parts.append(line > 0 ? "\(file):\(line)" : file) }
        if !path.isEmpty { parts.append(path) }
        return parts.joined(separator: ": ")
    }
}

/// A value of a recipe's option tree (YAML's data model, without tags): what plugins —
/// stages, objectives, combiners, evaluation suites, attacks — are configured with.
public indirect enum OptionValue: Sendable, Equatable {
    case null
    case flag(Bool)
    case number(Double)
    case text(String)
    case list([OptionNode])
    /// Keys in the order written.
    case map([OptionEntry])
}

/// One key of a map, in order.
public struct OptionEntry: Sendable, Equatable {
    public var key: String
    public var node: OptionNode

    public init(_ key: String, _ node: OptionNode) { (self.key, self.node) = (key, node) }
}

/// A value with where it came from. Equality compares values only: the same options
/// written on another line are the same options.
public struct OptionNode: Sendable, Equatable, CustomStringConvertible {
    public var value: OptionValue
    public var origin: OptionOrigin

    public init(_ value: OptionValue, origin: OptionOrigin = OptionOrigin()) {
        (self.value, self.origin) = (value, origin)
    }

    public static func == (a: OptionNode, b: OptionNode) -> Bool { a.value == b.value }

    /// An empty map (no options).
    public static func emptyMap(origin: OptionOrigin = OptionOrigin()) -> OptionNode { OptionNode(.map([]), origin: origin) }

    /// A map from Swift values (tests, command-line flags): numbers, text, flags, lists of text.
    public static func map(_ values: [String: PluginOptions.Value], origin: OptionOrigin = OptionOrigin()) -> OptionNode {
        OptionNode(.map(values.sorted { $0.key < $1.key }.map { OptionEntry($0.key, $0.value.node(origin.child($0.key))) }), origin: origin)
    }

    /// The entries of a map (nil when this is not a map).
    public var entries: [OptionEntry]? {
        if case let .map(entries) = value { return entries }
        return nil
    }

    /// The value under `key` of a map.
    public subscript(key: String) -> OptionNode? { entries?.first { $0.key == key }?.node }

    /// The items of a list (nil when this is not a list).
    public var items: [OptionNode]? {
        if case let .list(items) = value { return items }
        return nil
    }

    /// The scalar as text (numbers and flags as written), nil for lists, maps and null.
    public var scalarText: String? {
        switch value {
        case let .text(s): return s
        case let .number(n): return n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
        case let .flag(b): return String(b)
        default: return nil
        }
    }

    /// A short rendering for messages: `3`, `pcgrad`, `[a, b]`, `{k: v}`.
    public var description: String {
        switch value {
        case .null: return "null"
        case let .list(items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case let .map(entries): return "{" + entries.map { "\($0.key): \($0.node)" }.joined(separator: ", ") + "}"
        default: return scalarText ?? ""
        }
    }

    /// Plain Swift values (Double, String, Bool, [Any], [String: Any], NSNull-free: null is
    /// omitted from maps), e.g. to decode a `config.json`-like map with JSONSerialization.
    public var plain: Any? {
        switch value {
        case .null: return nil
        case let .flag(b): return b
        case let .number(n): return n == n.rounded() && abs(n) < 1e15 ? Int(n) as Any : n as Any
        case let .text(s): return s
        case let .list(items): return items.compactMap(\.plain)
        case let .map(entries):
            var object: [String: Any] = [:]
            for entry in entries { if let v = entry.node.plain { object[entry.key] = v } }
            return object
        }
    }
}
