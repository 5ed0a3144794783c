/// The options a recipe gives a plugin (`gamma: 1.0`, `retain_loss: kl`, `lora: {rank: 8}`),
/// read through typed getters. A plugin first declares the keys it accepts, so a typo is an
/// error that lists the accepted keys rather than a silently ignored setting.
///
/// Every error names the file, line and key path of the value (`recipe.yaml:14:
/// stages.3.unlearn.objective.gamma: expects a finite number (objective grad_diff)`).
/// With `diagnostics`, getters record a mistake and return the default instead of throwing,
/// so the run plan reports every mistake of a recipe in one pass.
public struct PluginOptions: Sendable, Equatable {
    /// Swift values for building options in code (tests, command-line flags).
    public enum Value: Sendable, Equatable {
        case number(Double)
        case text(String)
        case list([String])
        case flag(Bool)

        func node(_ origin: OptionOrigin) -> OptionNode {
            switch self {
            case let .number(n): return OptionNode(.number(n), origin: origin)
            case let .text(s): return OptionNode(.text(s), origin: origin)
            case let .flag(b): return OptionNode(.flag(b), origin: origin)
            case let .list(items):
                return OptionNode(.list(items.enumerated().map { OptionNode(.text($1), origin: origin.child("\($0)")) }), origin: origin)
            }
        }
    }

    /// The map of options (an empty map when none were given).
    public let node: OptionNode
    /// Named in errors, e.g. "objective grad_diff".
    public var owner: String
    /// When set, mistakes are recorded here and getters return their defaults.
    public var diagnostics: Diagnostics?

    /// Options from a recipe node: a map, or null / `true` / an empty text for none.
    /// - Throws: `OptionError` when the node is a list or another scalar.
    public init(node: OptionNode, owner: String, diagnostics: Diagnostics? = nil) throws {
        switch node.value {
        case .map: self.node = node
        case .null, .flag(true): self.node = .emptyMap(origin: node.origin)
        case let .text(s) where s.isEmpty: self.node = .emptyMap(origin: node.origin)
        default: throw OptionError(origin: node.origin, owner: owner, reason: "expected a map of options, got \(node)")
        }
        (self.owner, self.diagnostics) = (owner, diagnostics)
    }

    public init(_ values: [String: Value] = [:], owner: String = "plugin") {
        node = .map(values)
        self.owner = owner
    }

    public static func == (a: PluginOptions, b: PluginOptions) -> Bool { a.node == b.node && a.owner == b.owner }

    /// The keys given, in order.
    public var keys: [String] { node.entries?.map(\.key) ?? [] }

    /// The value under `key`, if given.
    public subscript(key: String) -> OptionNode? { node[key] }

    /// An error about `key` (or the options as a whole), with its origin.
    public func fail(_ key: String?, _ reason: String) -> OptionError {
        OptionError(origin: key.flatMap { self[$0]?.origin } ?? node.origin, owner: owner, reason: reason)
    }

    /// Records (with diagnostics) or throws `problem`.
    public func problem(_ problem: OptionError) throws {
        guard let diagnostics else { throw problem }
        diagnostics.report(problem)
    }

    /// Checks that every key given is in `accepted`; each unknown key is one problem.
    public func accept(_ accepted: [String]) throws {
        for key in keys where !accepted.contains(key) {
            let hint = accepted.isEmpty ? "takes no options" : "accepted: \(accepted.sorted().joined(separator: ", "))"
            try problem(fail(key, "unknown option '\(key)'; \(hint)"))
        }
    }

    public func number(_ key: String, default value: Double) throws -> Double {
        try optionalNumber(key) ?? value
    }

    /// A finite number within `range` (an error names the key and the range).
    public func number(_ key: String, default value: Double, in range: ClosedRange<Double>) throws -> Double {
        let n = try number(key, default: value)
        guard range.contains(n) else {
            try problem(fail(key, "must lie in [\(range.lowerBound.formatted), \(range.upperBound.formatted)], got \(n.formatted)"))
            return value
        }
        return n
    }

    public func optionalNumber(_ key: String) throws -> Double? {
        guard let node = self[key] else { return nil }
        guard case let .number(n) = node.value, n.isFinite else {
            try problem(fail(key, "expects a finite number, got \(node)"))
            return nil
        }
        return n
    }

    /// An integer, optionally within `range`.
    public func int(_ key: String, default value: Int, in range: ClosedRange<Int>? = nil) throws -> Int {
        try optionalInt(key, in: range) ?? value
    }

    public func optionalInt(_ key: String, in range: ClosedRange<Int>? = nil) throws -> Int? {
        guard let node = self[key] else { return nil }
        guard case let .number(n) = node.value, n == n.rounded(), abs(n) < 1e15 else {
            try problem(fail(key, "expects an integer, got \(node)"))
            return nil
        }
        if let range, !range.contains(Int(n)) {
            let bounds = range.upperBound == Int.max ? "at least \(range.lowerBound)" : "between \(range.lowerBound) and \(range.upperBound)"
            try problem(fail(key, "must be \(bounds), got \(Int(n))"))
            return nil
        }
        return Int(n)
    }

    public func text(_ key: String, default value: String, allowed: [String]? = nil) throws -> String {
        try optionalText(key, allowed: allowed) ?? value
    }

    public func optionalText(_ key: String, allowed: [String]? = nil) throws -> String? {
        guard let node = self[key] else { return nil }
        guard let s = node.scalarText, node.value != .null else {
            try problem(fail(key, "expects text, got \(node)"))
            return nil
        }
        if let allowed, !allowed.contains(s) {
            try problem(fail(key, "'\(s)' is not one of \(allowed.joined(separator: ", "))"))
            return nil
        }
        return s
    }

    /// A list of text (a single text is a list of one).
    public func list(_ key: String, default value: [String]) throws -> [String] {
        guard let node = self[key] else { return value }
        if let s = node.scalarText, case .text = node.value { return [s] }
        guard let items = node.items, items.allSatisfy({ $0.scalarText != nil }) else {
            try problem(fail(key, "expects a list of text, got \(node)"))
            return value
        }
        return items.compactMap(\.scalarText)
    }

    public func flag(_ key: String, default value: Bool) throws -> Bool {
        guard let node = self[key] else { return value }
        guard case let .flag(b) = node.value else {
            try problem(fail(key, "expects true or false, got \(node)"))
            return value
        }
        return b
    }

    /// A number that must be positive.
    public func positive(_ key: String, default value: Double) throws -> Double {
        let n = try number(key, default: value)
        guard n > 0 else {
            try problem(fail(key, "must be positive, got \(n)"))
            return value
        }
        return n
    }

    /// Nested options under `key` (a map; `true` or null mean none); nil when absent.
    public func options(_ key: String, owner: String? = nil) throws -> PluginOptions? {
        guard let node = self[key] else { return nil }
        do {
            return try PluginOptions(node: node, owner: owner ?? self.owner, diagnostics: diagnostics)
        } catch let error as OptionError {
            try problem(error)
            return nil
        }
    }
}

extension Double {
    /// 1, 0.5, 1e-08: integers without a trailing ".0".
    fileprivate var formatted: String { self == rounded() && abs(self) < 1e15 ? String(Int(self)) : "\(self)" }
}
