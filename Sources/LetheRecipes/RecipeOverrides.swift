import Yams

/// `--set a.b.c=value` overrides, applied to the recipe's YAML tree before it is decoded, so
/// the decoder type-checks them like any key. A path segment is a mapping key, a list index,
/// or (in `stages`) a stage kind: `stages.unlearn.steps=200` sets the steps of every unlearn
/// stage (so two evaluate stages cannot end up measured differently; `stages.4.unlearn.steps=200`
/// sets one). The value is YAML (`3`, `1.0e-4`, `pcgrad`, `[sum, pcgrad]`, `{name: npo, beta: 0.2}`).
enum RecipeOverrides {
    static func apply(_ assignment: String, to root: Node, file: String) throws -> Node {
        guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
            throw RecipeError.invalid(file: file, path: assignment, line: 0, reason: "an override is key.path=value")
        }
        let path = assignment[..<equals].split(separator: ".").map(String.init)
        let text = String(assignment[assignment.index(after: equals)...])
        let value: Node
        do {
            value = try Yams.compose(yaml: text) ?? Node("")
        } catch {
            throw RecipeError.invalid(file: file, path: path.joined(separator: "."), line: 0, reason: "the value '\(text)' is not YAML")
        }
        return try set(root, path[...], unmarked(value), file: file, done: [])
    }

    /// The node without source positions: an overridden value has no line in the recipe.
    static func unmarked(_ node: Node) -> Node {
        switch node {
        case let .scalar(scalar): return .scalar(Node.Scalar(scalar.string, scalar.tag, scalar.style))
        case let .mapping(mapping): return .mapping(Node.Mapping(mapping.map { (unmarked($0.key), unmarked($0.value)) }, mapping.tag, mapping.style))
        case let .sequence(sequence): return .sequence(Node.Sequence(sequence.map(unmarked), sequence.tag, sequence.style))
        case .alias: return node
        }
    }

    private static func set(_ node: Node, _ path: ArraySlice<String>, _ value: Node, file: String, done: [String]) throws -> Node {
        guard let key = path.first else { return value }
        let here = done + [key]
        func fail(_ reason: String) -> RecipeError {
            .invalid(file: file, path: here.joined(separator: "."), line: 0, reason: reason)
        }
        switch node {
        case .mapping(var mapping):
            let current = mapping[key] ?? Node.mapping(Node.Mapping([]))
            let updated = try set(current, path.dropFirst(), value, file: file, done: here)
            if mapping[key] == nil { mapping[Node(key)] = updated } else { mapping[key] = updated }
            return .mapping(mapping)
        case .sequence(var items):
            if let index = Int(key) {
                guard items.indices.contains(index) else { throw fail("no item \(index) (the list has \(items.count))") }
                items[index] = try set(items[index], path.dropFirst(), value, file: file, done: here)
                return .sequence(items)
            }
            // A stage kind: every item that is a one-key mapping with that key.
            let matching = items.indices.filter { items[$0].mapping?[key] != nil }
            guard !matching.isEmpty else { throw fail("no list item named \(key)") }
            for index in matching {
                guard var stage = items[index].mapping, let inner = stage[key] else { continue }
                stage[key] = try set(inner, path.dropFirst(), value, file: file, done: here)
                items[index] = .mapping(stage)
            }
            return .sequence(items)
        case .scalar, .alias:
            if path.count >= 1, node.scalar?.string.isEmpty == false, path.count > 0 {
                // e.g. `combiner: sum` then `stages.unlearn.combiner.mode=one_sided`: the plugin
                // becomes {name: sum, mode: one_sided}.
                var mapping = Node.Mapping([])
                mapping["name"] = node
                return try set(.mapping(mapping), path, value, file: file, done: done)
            }
            throw fail("is not a mapping or a list")
        }
    }
}
