/// The options a recipe gives a plugin (`gamma: 1.0`, `retain_loss: kl`, ...). A plugin
/// reads them through typed getters and first declares the keys it accepts, so a typo is an
/// error that lists the accepted keys rather than a silently ignored setting.
public struct PluginOptions: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case number(Double)
        case text(String)
        case list([String])
        case flag(Bool)
    }

    public var values: [String: Value]
    /// Named in errors, e.g. "objective grad_diff".
    public var owner: String

    public init(_ values: [String: Value] = [:], owner: String = "plugin") {
        self.values = values
        self.owner = owner
    }

    /// Throws when a key outside `accepted` is present.
    public func accept(_ accepted: [String]) throws {
        let unknown = values.keys.filter { !accepted.contains($0) }.sorted()
        if !unknown.isEmpty { throw UnlearningError.unknownOptions(owner: owner, keys: unknown, accepted: accepted.sorted()) }
    }

    public func number(_ key: String, default value: Double) throws -> Double {
        switch values[key] {
        case nil: return value
        case let .number(n)? where n.isFinite: return n
        default: throw UnlearningError.invalidOption(owner: owner, key: key, reason: "expects a finite number")
        }
    }

    public func text(_ key: String, default value: String, allowed: [String]? = nil) throws -> String {
        guard let raw = values[key] else { return value }
        guard case let .text(s) = raw else { throw UnlearningError.invalidOption(owner: owner, key: key, reason: "expects text") }
        if let allowed, !allowed.contains(s) {
            throw UnlearningError.invalidOption(owner: owner, key: key, reason: "'\(s)' is not one of \(allowed.joined(separator: ", "))")
        }
        return s
    }

    public func list(_ key: String, default value: [String]) throws -> [String] {
        switch values[key] {
        case nil: return value
        case let .list(items)?: return items
        case let .text(s)?: return [s]
        default: throw UnlearningError.invalidOption(owner: owner, key: key, reason: "expects a list of text")
        }
    }

    public func flag(_ key: String, default value: Bool) throws -> Bool {
        switch values[key] {
        case nil: return value
        case let .flag(b)?: return b
        default: throw UnlearningError.invalidOption(owner: owner, key: key, reason: "expects true or false")
        }
    }

    /// A number that must be positive.
    public func positive(_ key: String, default value: Double) throws -> Double {
        let n = try number(key, default: value)
        guard n > 0 else { throw UnlearningError.invalidOption(owner: owner, key: key, reason: "must be positive, got \(n)") }
        return n
    }
}
