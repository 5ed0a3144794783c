/// Errors of the unlearning layer; each names the plugin, option or batch part involved.
public enum UnlearningError: Error, CustomStringConvertible, Equatable {
    case unknownName(kind: String, name: String, available: [String])
    case invalidOption(owner: String, key: String, reason: String)
    case unknownOptions(owner: String, keys: [String], accepted: [String])
    case missingBatch(owner: String, part: String)
    case invalidInput(String)
    /// A NaN or an infinity at (1-based) `step`; the step's update was not applied.
    /// `consecutiveSkips` is the number of steps skipped in a row just before, when the
    /// `skip` policy gave up (0 under the `stop` policy).
    case nonFinite(step: Int, fault: NonFiniteFault, consecutiveSkips: Int)

    public var description: String {
        switch self {
        case let .unknownName(kind, name, available):
            return "unknown \(kind) '\(name)'; available: \(available.joined(separator: ", "))"
        case let .invalidOption(owner, key, reason): return "\(owner): option \(key): \(reason)"
        case let .unknownOptions(owner, keys, accepted):
            return "\(owner): unknown option(s) \(keys.joined(separator: ", ")); accepted: \(accepted.joined(separator: ", "))"
        case let .missingBatch(owner, part): return "\(owner) needs a \(part) batch"
        case let .invalidInput(reason): return reason
        case let .nonFinite(step, fault, consecutiveSkips):
            let limit = consecutiveSkips > 0 ? " (stopping after \(consecutiveSkips) skipped steps in a row)" : ""
            return "step \(step): \(fault); no update was applied\(limit)"
        }
    }
}

/// Where a step met a NaN or an infinity, as the trainer checks them: each loss value, each
/// loss's gradient, then the combined direction.
public enum NonFiniteFault: Equatable, Sendable, CustomStringConvertible {
    /// The loss `name` evaluated to `value` on (1-based) micro-batch `microBatch`.
    case loss(name: String, value: Double, microBatch: Int)
    /// The gradient of loss `name` is non-finite, first in parameter tensor `parameter`.
    case gradient(loss: String, parameter: String)
    /// The combiner's direction is non-finite, first in parameter tensor `parameter`.
    case direction(combiner: String, parameter: String)

    public var description: String {
        switch self {
        case let .loss(name, value, microBatch): return "loss \"\(name)\" is \(value) (micro-batch \(microBatch))"
        case let .gradient(loss, parameter): return "loss \"\(loss)\" has a non-finite gradient (first in \(parameter))"
        case let .direction(combiner, parameter):
            return "the combined direction (\(combiner)) is non-finite (first in \(parameter))"
        }
    }
}
