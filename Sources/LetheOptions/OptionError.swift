/// A mistake in a plugin's options or a recipe: where (file, line, key path), whose
/// (`objective grad_diff`, `stage unlearn`) and why.
public struct OptionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var origin: OptionOrigin
    public var owner: String
    public var reason: String

    public init(origin: OptionOrigin, owner: String = "", reason: String) {
        (self.origin, self.owner, self.reason) = (origin, owner, reason)
    }

    /// `file:line: key.path: reason (owner)`.
    public var description: String {
        let place = origin.description
        let whose = owner.isEmpty ? "" : " (\(owner))"
        return (place.isEmpty ? "" : place + ": ") + reason + whose
    }
}

/// Collects every mistake of a recipe in one pass (the run plan), so a user sees all of
/// them at once. Reference type: one is shared by all the plugins being planned.
public final class Diagnostics: @unchecked Sendable {
    public private(set) var problems: [OptionError] = []

    public init() {}

    public var isEmpty: Bool { problems.isEmpty }

    public func report(_ problem: OptionError) {
        if !problems.contains(problem) { problems.append(problem) }
    }

    /// Records any error: an `OptionError` as it is, `OptionErrors` one by one, anything
    /// else with `origin` and `owner` attached.
    public func report(_ error: any Error, origin: OptionOrigin, owner: String = "") {
        switch error {
        case is AlreadyReported: return
        case let problem as OptionError: report(problem)
        case let problems as OptionErrors: problems.problems.forEach(report)
        default: report(OptionError(origin: origin, owner: owner, reason: "\(error)"))
        }
    }

    /// Runs `body` when collecting (an error it throws is recorded and nil returned), or
    /// just runs it when `diagnostics` is nil.
    public static func collect<T>(_ diagnostics: Diagnostics?, origin: OptionOrigin, owner: String = "", _ body: () throws -> T) throws -> T? {
        guard let diagnostics else { return try body() }
        return diagnostics.collect(origin: origin, owner: owner, body)
    }

    /// Runs `body`; an error it throws is recorded and nil returned.
    public func collect<T>(origin: OptionOrigin, owner: String = "", _ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch {
            report(error, origin: origin, owner: owner)
            return nil
        }
    }

    /// Throws `OptionErrors` holding every problem, when there is one.
    public func check() throws {
        if !problems.isEmpty { throw OptionErrors(problems: problems) }
    }
}

/// Several mistakes at once, one per line, in the order found.
public struct OptionErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [OptionError]

    public init(problems: [OptionError]) { self.problems = problems }

    public var description: String {
        let lines = problems.map(\.description)
        return lines.count == 1 ? lines[0] : "\(lines.count) problems:\n" + lines.map { "  " + $0 }.joined(separator: "\n")
    }
}

/// Thrown by a plugin that could not be built after recording its mistakes in the plan's
/// `Diagnostics`: the plan reports nothing more for it.
public struct AlreadyReported: Error, Sendable {
    public init() {}
}
