/// Reverse-mode automatic differentiation on a tape.
///
/// Each operation that sees an input tracking gradients records a `GradNode` on its output:
/// the inputs and a closure mapping the output's gradient to the inputs' gradients (the
/// vector-Jacobian product), written beside the forward kernel in the op's own file.
/// `backward()` walks the recorded graph from a scalar in reverse topological order.
///
/// The graph is not consumed by a backward pass, so several losses computed from one shared
/// forward pass can each run their own backward (what a gradient combiner such as PCGrad
/// needs): point the parameters' `grad` at a different buffer between the passes, or use
/// `gradients(of:withRespectTo:)`, which leaves `grad` untouched.
final class GradNode {
    let op: String
    private(set) var inputs: [Tensor]
    /// Maps the output gradient to one gradient per input (`nil` where none flows).
    /// It must not capture the node's own output tensor (that would be a retain cycle);
    /// ops capture `out.detached()`, which shares the storage but not the node.
    private(set) var backward: (Tensor) throws -> [Tensor?]

    init(op: String, inputs: [Tensor], backward: @escaping (Tensor) throws -> [Tensor?]) {
        self.op = op
        self.inputs = inputs
        self.backward = backward
    }

    /// Releases the graph behind this node with an explicit stack: a chain of thousands of
    /// ops would otherwise free itself by recursion and overflow the thread's stack.
    deinit {
        var pending = inputs
        inputs = []
        while var tensor = pending.popLast() {
            guard isKnownUniquelyReferenced(&tensor), let node = tensor.node else { continue }
            pending.append(contentsOf: node.inputs)
            node.inputs = []
            node.backward = { _ in [] }
        }
    }
}

/// Whether operations record gradient history (on by default).
public enum GradMode {
    @TaskLocal public static var isEnabled = true
}

/// Runs `body` without recording gradient history: evaluation, reference-model log-probs,
/// and the backward closures themselves.
public func withoutGradients<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.$isEnabled.withValue(false, operation: body)
}

extension Tensor {
    /// Attaches a backward closure to `output` when recording is on and an input tracks
    /// gradients; returns `output`.
    @discardableResult
    static func record(
        _ op: String, _ output: Tensor, inputs: [Tensor],
        backward: @escaping (Tensor) throws -> [Tensor?]
    ) -> Tensor {
        if GradMode.isEnabled, inputs.contains(where: { $0.tracksGradient }) {
            output.node = GradNode(op: op, inputs: inputs, backward: backward)
        }
        return output
    }

    /// Back-propagates from this scalar and adds the gradient of every leaf that requires one
    /// into its `grad` (allocated on first use; an existing `grad`, e.g. a view into a flat
    /// buffer, is accumulated into in place).
    /// - Throws: `TensorError.invalidShape` if this tensor is not a single value.
    public func backward() throws {
        guard count == 1 else {
            throw TensorError.invalidShape(
                op: "backward", shape: shape, reason: "backward starts from a single value")
        }
        let grads = try propagate(seed: Tensor(filled: 1, shape: shape, dtype: dtype), keep: [])
        for leaf in grads.leaves {
            guard let g = grads.values[ObjectIdentifier(leaf)] else { continue }
            if let existing = leaf.grad {
                try existing.addInPlace(g)
            } else {
                leaf.grad = g.copy()
            }
        }
    }

    /// The gradients of this scalar with respect to `targets` (leaves or intermediate
    /// tensors), without touching any `grad`; `nil` where a target does not influence it.
    public func gradients(withRespectTo targets: [Tensor]) throws -> [Tensor?] {
        guard count == 1 else {
            throw TensorError.invalidShape(
                op: "gradients", shape: shape, reason: "differentiation starts from a single value")
        }
        let keep = Set(targets.map(ObjectIdentifier.init))
        let grads = try propagate(seed: Tensor(filled: 1, shape: shape, dtype: dtype), keep: keep)
        return targets.map { grads.values[ObjectIdentifier($0)] }
    }

    /// Runs the vector-Jacobian products in reverse topological order. Gradients of
    /// intermediate tensors are dropped once used, unless listed in `keep`.
    private func propagate(seed: Tensor, keep: Set<ObjectIdentifier>) throws
        -> (values: [ObjectIdentifier: Tensor], leaves: [Tensor])
    {
        let order = topologicalOrder()
        var values: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): seed]
        var leaves: [Tensor] = []
        try withoutGradients {
            for tensor in order.reversed() {
                let id = ObjectIdentifier(tensor)
                guard let node = tensor.node else {
                    if tensor.requiresGrad { leaves.append(tensor) }
                    continue
                }
                guard let g = values[id] else { continue }
                if !keep.contains(id) { values[id] = nil }
                let inputGrads = try node.backward(g)
                for (input, inputGrad) in zip(node.inputs, inputGrads) {
                    guard let inputGrad, input.tracksGradient else { continue }
                    guard inputGrad.shape == input.shape else {
                        throw TensorError.shapeMismatch(
                            op: "backward of \(node.op)", lhs: input.shape, rhs: inputGrad.shape,
                            reason: "gradient shape differs from its input")
                    }
                    let inputID = ObjectIdentifier(input)
                    if let existing = values[inputID] {
                        values[inputID] = try existing + inputGrad
                    } else {
                        values[inputID] = inputGrad
                    }
                }
            }
        }
        return (values, leaves)
    }

    /// Tensors reachable from `self` through recorded nodes, inputs before outputs
    /// (iterative depth-first search, so deep graphs cannot overflow the stack).
    private func topologicalOrder() -> [Tensor] {
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Tensor, Bool)] = [(self, false)]
        while let (tensor, expanded) = stack.popLast() {
            let id = ObjectIdentifier(tensor)
            if expanded {
                order.append(tensor)
                continue
            }
            if visited.contains(id) { continue }
            visited.insert(id)
            stack.append((tensor, true))
            for input in tensor.node?.inputs ?? [] where input.tracksGradient {
                if !visited.contains(ObjectIdentifier(input)) { stack.append((input, false)) }
            }
        }
        return order
    }
}
