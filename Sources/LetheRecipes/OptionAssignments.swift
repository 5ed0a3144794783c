import LetheOptions
import Yams

/// Command-line options for a plugin, `key=value` (`lethe eval membership --option
/// resamples=200 --option 'attacks=[loss, {min_k: {k: 0.4}}]'`), turned into the option tree
/// a recipe would give the same plugin: each value is read by the recipe reader (YAML, so JSON
/// too), typed as a recipe's values are. A key may be a dotted path (`scorer.path=DIR` is
/// `scorer: {path: DIR}`).
public enum OptionAssignments {
    /// The map of all `assignments`, keys in the order given; origins read `--option: key`.
    /// - Throws: `OptionError` naming the argument for a missing `=`, an empty key, a key given
    ///   twice (or as a value and as a map), or a value that is not YAML.
    public static func parse(_ assignments: [String], source: String = "--option") throws -> OptionNode {
        let root = OptionOrigin(file: source)
        var entries: [OptionEntry] = []
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "=") else {
                throw OptionError(origin: root, reason: "'\(assignment)' is not key=value")
            }
            let path = assignment[..<equals].split(separator: ".", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard !path.contains(where: \.isEmpty) else { throw OptionError(origin: root, reason: "'\(assignment)' has an empty key") }
            let value = try self.value(String(assignment[assignment.index(after: equals)...]), source: source, path: path.joined(separator: "."))
            try insert(value, at: path[...], into: &entries, origin: root)
        }
        return OptionNode(.map(entries), origin: OptionOrigin())
    }

    /// One value, read as a recipe value (YAML; nothing is null).
    /// - Throws: `OptionError` at `source: path` for text that is not YAML.
    public static func value(_ text: String, source: String = "--option", path: String = "") throws -> OptionNode {
        let origin = OptionOrigin(file: source).child(path)
        let node: Node
        do {
            node = try Yams.compose(yaml: text) ?? Node("", Tag(.null))
        } catch {
            throw OptionError(origin: origin, reason: "'\(text)' is not a YAML value")
        }
        try RecipeLimits.check(node, file: source)
        do {
            return try RecipeNode(node: RecipeOverrides.unmarked(node), file: source, path: path).optionNode()
        } catch let error as RecipeError {
            throw OptionError(origin: origin, reason: "\(error)")
        }
    }

    private static func insert(_ value: OptionNode, at path: ArraySlice<String>, into entries: inout [OptionEntry], origin: OptionOrigin) throws {
        guard let key = path.first else { return }
        let here = origin.child(key)
        if path.count == 1 {
            guard !entries.contains(where: { $0.key == key }) else { throw OptionError(origin: here, reason: "given twice") }
            entries.append(OptionEntry(key, value))
            return
        }
        var inner: [OptionEntry] = []
        let index = entries.firstIndex { $0.key == key }
        if let index {
            guard let existing = entries[index].node.entries else { throw OptionError(origin: here, reason: "given as a value and as a map") }
            inner = existing
        }
        try insert(value, at: path.dropFirst(), into: &inner, origin: here)
        let node = OptionEntry(key, OptionNode(.map(inner), origin: here))
        if let index { entries[index] = node } else { entries.append(node) }
    }
}
