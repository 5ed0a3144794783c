import Foundation

/// Command-line options for a plugin, `key=value` (`lethe eval membership --option
/// resamples=200 --option 'attacks=[loss, {min_k: {k: 0.4}}]'`), turned into the option tree
/// a recipe would give the same plugin.
///
/// A key may be a dotted path (`scorer.path=DIR` is `scorer: {path: DIR}`). A value is YAML
/// flow syntax, which JSON is a subset of: a number (`3`, `-1.5e-4`, `.5`), `true`/`false`
/// (any case), `null` or `~` or nothing, a quoted string (`"..."` with JSON escapes, or
/// `'...'` with `''` for a quote), a list `[a, b]`, a map `{k: v}` or `{"k": v}`, and plain
/// text otherwise (at the top level the rest of the argument, commas and spaces included).
/// Scalars resolve as the recipe reader resolves them: a plain scalar is a flag when it is
/// true/false, a number when it parses as one and starts with a digit, `-` or `.`, else text.
public enum OptionArguments {
    /// The map of all `assignments`, keys in the order given; errors name the argument.
    /// - Parameter source: shown as the file of every origin (default `--option`).
    /// - Throws: `OptionError` for a missing `=`, an empty key, a key given twice or a value
    ///   that is not valid flow syntax.
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
            let origin = root.child(path.joined(separator: "."))
            let value = try self.value(String(assignment[assignment.index(after: equals)...]), origin: origin)
            try insert(value, at: path[...], into: &entries, origin: root)
        }
        // The map itself has no place on the command line; each value is `--option: key`.
        return OptionNode(.map(entries), origin: OptionOrigin())
    }

    /// One value in flow syntax.
    /// - Throws: `OptionError` at `origin` for text that is not valid flow syntax.
    public static func value(_ text: String, origin: OptionOrigin = OptionOrigin()) throws -> OptionNode {
        var parser = FlowParser(Array(text.unicodeScalars), origin: origin)
        return try parser.document()
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
        if let index = entries.firstIndex(where: { $0.key == key }) {
            guard let existing = entries[index].node.entries else { throw OptionError(origin: here, reason: "given as a value and as a map") }
            inner = existing
            entries.remove(at: index)
            try insert(value, at: path.dropFirst(), into: &inner, origin: here)
            entries.insert(OptionEntry(key, OptionNode(.map(inner), origin: here)), at: index)
        } else {
            try insert(value, at: path.dropFirst(), into: &inner, origin: here)
            entries.append(OptionEntry(key, OptionNode(.map(inner), origin: here)))
        }
    }
}

/// A recursive-descent reader of YAML flow values (JSON included).
struct FlowParser {
    private let text: [Unicode.Scalar]
    private var position = 0
    private let origin: OptionOrigin
    /// Nesting limit, so a hostile argument cannot exhaust the stack.
    private static let maximumDepth = 64

    init(_ text: [Unicode.Scalar], origin: OptionOrigin) { (self.text, self.origin) = (text, origin) }

    private func fail(_ reason: String) -> OptionError {
        OptionError(origin: origin, reason: "\(reason) at character \(position + 1) of '\(String(String.UnicodeScalarView(text)))'")
    }

    private var current: Unicode.Scalar? { position < text.count ? text[position] : nil }

    private mutating func skipSpaces() {
        while let c = current, c == " " || c == "\t" || c == "\n" || c == "\r" { position += 1 }
    }

    /// The whole argument: one value, nothing after it.
    mutating func document() throws -> OptionNode {
        skipSpaces()
        guard let c = current, c == "[" || c == "{" || c == "\"" || c == "'" else {
            return Self.resolve(String(String.UnicodeScalarView(text)).trimmingCharacters(in: .whitespacesAndNewlines), origin: origin)
        }
        let node = try value(origin: origin, depth: 0)
        skipSpaces()
        guard current == nil else { throw fail("unexpected text after the value") }
        return node
    }

    private mutating func value(origin: OptionOrigin, depth: Int) throws -> OptionNode {
        guard depth < Self.maximumDepth else { throw fail("nested too deeply") }
        skipSpaces()
        switch current {
        case "[": return try list(origin: origin, depth: depth)
        case "{": return try map(origin: origin, depth: depth)
        case "\"", "'": return OptionNode(.text(try quoted()), origin: origin)
        case nil: throw fail("expected a value")
        default: return Self.resolve(plain(stoppingAtColon: false), origin: origin)
        }
    }

    private mutating func list(origin: OptionOrigin, depth: Int) throws -> OptionNode {
        position += 1
        var items: [OptionNode] = []
        while true {
            skipSpaces()
            if current == "]" { position += 1; return OptionNode(.list(items), origin: origin) }
            let here = origin.child("\(items.count)")
            // A single pair (`[min_k: {k: 0.2}]`) is a one-key map, as in YAML.
            let start = position
            if current != "[", current != "{", current != "\"", current != "'" {
                let key = plain(stoppingAtColon: false)
                if current == ":", !key.isEmpty {
                    position += 1
                    items.append(OptionNode(.map([OptionEntry(key, try value(origin: here.child(key), depth: depth + 1))]), origin: here))
                } else {
                    position = start
                    items.append(try value(origin: here, depth: depth + 1))
                }
            } else {
                items.append(try value(origin: here, depth: depth + 1))
            }
            try separator(closing: "]")
        }
    }

    private mutating func map(origin: OptionOrigin, depth: Int) throws -> OptionNode {
        position += 1
        var entries: [OptionEntry] = []
        while true {
            skipSpaces()
            if current == "}" { position += 1; return OptionNode(.map(entries), origin: origin) }
            let key = current == "\"" || current == "'" ? try quoted() : plain(stoppingAtColon: true)
            skipSpaces()
            guard current == ":", !key.isEmpty else { throw fail("expected key: value") }
            guard !entries.contains(where: { $0.key == key }) else { throw fail("key '\(key)' is given twice") }
            position += 1
            entries.append(OptionEntry(key, try value(origin: origin.child(key), depth: depth + 1)))
            try separator(closing: "}")
        }
    }

    /// After an item: `,` (a trailing one allowed) or the closing bracket, left in place.
    private mutating func separator(closing: Unicode.Scalar) throws {
        skipSpaces()
        if current == "," { position += 1; return }
        guard current == closing else { throw fail(current == nil ? "missing '\(closing)'" : "expected ',' or '\(closing)'") }
    }

    /// Plain text up to `,`, `]`, `}` (and `:` followed by a space or a bracket, for keys),
    /// trimmed.
    private mutating func plain(stoppingAtColon: Bool) -> String {
        var scalars = String.UnicodeScalarView()
        while let c = current, c != ",", c != "]", c != "}" {
            if c == ":" {
                let next = position + 1 < text.count ? text[position + 1] : " "
                if stoppingAtColon || next == " " || next == "\t" || next == "{" || next == "[" { break }
            }
            scalars.append(c)
            position += 1
        }
        return String(scalars).trimmingCharacters(in: .whitespaces)
    }

    /// A double-quoted (JSON escapes) or single-quoted (`''` = `'`) string.
    private mutating func quoted() throws -> String {
        guard let quote = current else { throw fail("expected a quote") }
        position += 1
        var scalars = String.UnicodeScalarView()
        while let c = current {
            position += 1
            if c == quote {
                if quote == "'", current == "'" { scalars.append("'"); position += 1; continue }
                return String(scalars)
            }
            guard quote == "\"", c == "\\" else { scalars.append(c); continue }
            guard let e = current else { break }
            position += 1
            switch e {
            case "n": scalars.append("\n")
            case "t": scalars.append("\t")
            case "r": scalars.append("\r")
            case "b": scalars.append("\u{08}")
            case "f": scalars.append("\u{0C}")
            case "u":
                guard position + 4 <= text.count, let code = UInt32(String(String.UnicodeScalarView(text[position..<position + 4])), radix: 16),
                    let scalar = Unicode.Scalar(code)
                else { throw fail("bad \\u escape") }
                scalars.append(scalar)
                position += 4
            default: scalars.append(e)
            }
        }
        throw fail("unterminated string")
    }

    /// A plain scalar's type, as the recipe reader resolves it.
    static func resolve(_ s: String, origin: OptionOrigin) -> OptionNode {
        switch s.lowercased() {
        case "true": return OptionNode(.flag(true), origin: origin)
        case "false": return OptionNode(.flag(false), origin: origin)
        case "", "null", "~": return OptionNode(.null, origin: origin)
        default: break
        }
        if let first = s.unicodeScalars.first, first == "-" || first == "." || ("0"..."9").contains(first), let n = Double(s), n.isFinite {
            return OptionNode(.number(n), origin: origin)
        }
        return OptionNode(.text(s), origin: origin)
    }
}
