/// A combiner whose direction depends on the steps before (GradVac's target similarities,
/// Nash-MTL's last weights, GradDrop's random stream). The trainer's checkpoints save its
/// state and restore it, so a resumed run gives the weights of an uninterrupted one:
///
///     /combiner_state/<key>      float64 [n], one dataset per key of `state`
///     root attributes: combiner (the registry name), combiner_state_keys (JSON list)
///
/// Combiners with state are classes: `combine` updates the state it reads.
public protocol StatefulCombiner: GradientCombiner, AnyObject {
    /// The state as named arrays of numbers; empty before the first step.
    var state: [String: [Double]] { get }
    /// Sets the state to one `state` returned (empty: the state before the first step).
    /// - Throws: `UnlearningError.invalidInput` naming a missing or mis-sized key.
    func restore(_ state: [String: [Double]]) throws
}

extension StatefulCombiner {
    /// The array under `key` of `state`, which must hold `count` numbers when given.
    func stateArray(_ state: [String: [Double]], _ key: String, count: Int? = nil) throws -> [Double] {
        guard let values = state[key] else {
            throw UnlearningError.invalidInput("combiner \(Self.name): its saved state lacks '\(key)'")
        }
        if let count, values.count != count {
            throw UnlearningError.invalidInput("combiner \(Self.name): saved state '\(key)' has \(values.count) numbers, expected \(count)")
        }
        return values
    }
}
