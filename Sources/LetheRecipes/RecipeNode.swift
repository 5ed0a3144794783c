import LetheOptions
import Yams

/// A YAML node with where it sits (file, key path, line), read strictly: each mapping
/// declares the keys it accepts, and a wrong type names the path and the line.
struct RecipeNode {
    let node: Node
    let file: String
    let path: String

    var line: Int { node.mark?.line ?? 0 }  // Yams marks are 1-based; 0 = from an override

    func fail(_ reason: String) -> RecipeError { .invalid(file: file, path: path, line: line, reason: reason) }

    func child(_ key: String, _ value: Node) -> RecipeNode {
        RecipeNode(node: value, file: file, path: path.isEmpty ? key : "\(path).\(key)")
    }

    /// The mapping's entries, after checking every key is in `allowed`.
    func mapping(allowing allowed: [String]) throws -> [String: RecipeNode] {
        guard let mapping = node.mapping else { throw fail("expected a mapping with keys \(allowed.joined(separator: ", "))") }
        var entries: [String: RecipeNode] = [:]
        for (key, value) in mapping {
            guard let name = key.string else { throw fail("keys must be text") }
            let entry = child(name, value)
            guard allowed.contains(name) else {
                throw entry.fail("unknown key; accepted here: \(allowed.sorted().joined(separator: ", "))")
            }
            entries[name] = entry
        }
        return entries
    }

    /// The mapping's entries with keys in `allowed`; each other key is reported to `problem`
    /// (so every unknown key of a recipe is named, not only the first).
    func mapping(allowing allowed: [String], problem: (RecipeError) -> Void) throws -> [String: RecipeNode] {
        guard let mapping = node.mapping else { throw fail("expected a mapping with keys \(allowed.joined(separator: ", "))") }
        var entries: [String: RecipeNode] = [:]
        for (key, value) in mapping {
            guard let name = key.string else { throw fail("keys must be text") }
            let entry = child(name, value)
            if allowed.contains(name) {
                entries[name] = entry
            } else {
                problem(entry.fail("unknown key; accepted here: \(allowed.sorted().joined(separator: ", "))"))
            }
        }
        return entries
    }

    /// Any mapping (plugin options), keys unchecked.
    func anyMapping() throws -> [(String, RecipeNode)] {
        guard let mapping = node.mapping else { throw fail("expected a mapping") }
        return try mapping.map { key, value in
            guard let name = key.string else { throw fail("keys must be text") }
            return (name, child(name, value))
        }
    }

    func sequence() throws -> [RecipeNode] {
        guard let items = node.sequence else { throw fail("expected a list") }
        return items.enumerated().map { child("\($0.offset)", $0.element) }
    }

    func string() throws -> String {
        guard let scalar = node.scalar else { throw fail("expected text") }
        return scalar.string
    }

    func int() throws -> Int {
        guard let value = node.int else { throw fail("expected an integer, got '\(node.string ?? "a collection")'") }
        return value
    }

    func double() throws -> Double {
        guard let value = node.float, value.isFinite else { throw fail("expected a number, got '\(node.string ?? "a collection")'") }
        return value
    }

    func bool() throws -> Bool {
        guard let value = node.bool else { throw fail("expected true or false, got '\(node.string ?? "a collection")'") }
        return value
    }

    var origin: OptionOrigin { OptionOrigin(file: file, line: line, path: path) }

    /// The node as an option tree: scalars typed as YAML 1.2's core schema reads them
    /// (quoted scalars stay text), with file, line and key path on every node.
    func optionNode() throws -> OptionNode {
        switch node {
        case let .scalar(scalar):
            let text = scalar.string
            let quoted = scalar.style == .singleQuoted || scalar.style == .doubleQuoted
            if !quoted {
                if ["", "~", "null", "Null", "NULL"].contains(text) { return OptionNode(.null, origin: origin) }
                if let b = node.bool, ["true", "false"].contains(text.lowercased()) { return OptionNode(.flag(b), origin: origin) }
                if let n = node.float, text.first.map({ $0.isNumber || $0 == "-" || $0 == "." || $0 == "+" }) == true {
                    return OptionNode(.number(n), origin: origin)
                }
            }
            return OptionNode(.text(text), origin: origin)
        case .sequence:
            return OptionNode(.list(try sequence().map { try $0.optionNode() }), origin: origin)
        case .mapping:
            return OptionNode(.map(try anyMapping().map { OptionEntry($0.0, try $0.1.optionNode()) }), origin: origin)
        case .alias:
            throw fail("aliases are not supported here")
        }
    }
}

/// Bounds on a recipe's YAML tree, counted with aliases expanded: an alias "bomb" (nine levels
/// of ten aliases, a billion leaves) or thousands of nested lists is refused before the tree
/// is decoded or serialised. Real recipes have a few hundred nodes, a handful of levels.
enum RecipeLimits {
    static let maximumNodes = 100_000
    static let maximumDepth = 64

    /// Throws `RecipeError.invalid` naming the first node past a limit.
    static func check(_ root: Node, file: String) throws {
        var count = 0
        func visit(_ node: Node, depth: Int) throws {
            count += 1
            guard count <= maximumNodes, depth <= maximumDepth else {
                let reason = count > maximumNodes
                    ? "more than \(maximumNodes) values (with aliases expanded); is this an alias bomb?"
                    : "nested more than \(maximumDepth) levels deep"
                throw RecipeError.invalid(file: file, path: "", line: node.mark?.line ?? 0, reason: reason)
            }
            switch node {
            case .scalar, .alias: return
            case let .sequence(items): for item in items { try visit(item, depth: depth + 1) }
            case let .mapping(pairs):
                for (key, value) in pairs {
                    try visit(key, depth: depth + 1)
                    try visit(value, depth: depth + 1)
                }
            }
        }
        try visit(root, depth: 0)
    }
}
