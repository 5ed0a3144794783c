import Foundation

/// A `tokenizer.json` normalizer: a rewrite of each text segment (the text between added tokens)
/// before pre-tokenisation, as Hugging Face `tokenizers` applies it.
///
///     NFC / NFD / NFKC / NFKD   Unicode normalization forms (Foundation's mappings)
///     Lowercase                 each scalar's full lowercase mapping (Rust's `char::to_lowercase`)
///     StripAccents              drops combining marks (Mn), after an NFD in the same sequence
///     Prepend(p)                p + text, unless text is empty
///     Replace(pattern, content) every non-overlapping occurrence of a literal string, left to right
///     Strip(left, right)        leading / trailing White_Space
///     Sequence                  each in order
///
/// Reference: https://github.com/huggingface/tokenizers/tree/main/tokenizers/src/normalizers
indirect enum TextNormalizer: Sendable, Equatable {
    case nfc, nfd, nfkc, nfkd, lowercase, stripAccents
    case prepend(String)
    case replace(pattern: String, content: String)
    case strip(left: Bool, right: Bool)
    case sequence([TextNormalizer])

    /// The normalized text.
    func apply(_ text: String) -> String {
        switch self {
        case .nfc: return text.precomposedStringWithCanonicalMapping
        case .nfd: return text.decomposedStringWithCanonicalMapping
        case .nfkc: return text.precomposedStringWithCompatibilityMapping
        case .nfkd: return text.decomposedStringWithCompatibilityMapping
        case .lowercase:
            var scalars = String.UnicodeScalarView()
            for scalar in text.unicodeScalars { scalars.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars) }
            return String(scalars)
        case .stripAccents:
            var scalars = String.UnicodeScalarView()
            for scalar in text.unicodeScalars where scalar.properties.generalCategory != .nonspacingMark { scalars.append(scalar) }
            return String(scalars)
        case .prepend(let prefix):
            return text.isEmpty ? text : prefix + text
        case .replace(let pattern, let content):
            return replacingLiteral(pattern, with: content, in: text)
        case .strip(let left, let right):
            var scalars = Substring(text).unicodeScalars
            if left { while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() } }
            if right { while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() } }
            return String(scalars)
        case .sequence(let steps):
            return steps.reduce(text) { $1.apply($0) }
        }
    }

    /// Reads the normalizer object `json` (its `type` and settings).
    ///
    /// - Throws: `TokenizerError.unsupported` naming the JSON path of an unknown `type` or of a
    ///   regex pattern; `.invalidKey` for a missing or mistyped setting.
    init(json: JSONFile) throws {
        let type = try json.componentType()
        switch type {
        case "NFC": self = .nfc
        case "NFD": self = .nfd
        case "NFKC": self = .nfkc
        case "NFKD": self = .nfkd
        case "Lowercase": self = .lowercase
        case "StripAccents": self = .stripAccents
        case "Prepend": self = .prepend(try json.string("prepend"))
        case "Replace":
            self = .replace(pattern: try json.literalPattern("pattern"), content: try json.string("content"))
        case "Strip":
            self = .strip(left: try json.optionalBool("strip_left") ?? true, right: try json.optionalBool("strip_right") ?? true)
        case "Sequence":
            self = .sequence(try json.objects("normalizers").map { try TextNormalizer(json: $0) })
        default:
            throw json.unsupportedType(type)
        }
    }
}

/// `text` with every non-overlapping occurrence of `pattern` (compared byte for byte, not up to
/// canonical equivalence as Foundation's `replacingOccurrences` would) replaced by `content`.
func replacingLiteral(_ pattern: String, with content: String, in text: String) -> String {
    let needle = Array(pattern.utf8)
    guard !needle.isEmpty else { return text }
    let haystack = Array(text.utf8)
    var result: [UInt8] = []
    result.reserveCapacity(haystack.count)
    var i = 0
    while i < haystack.count {
        if haystack[i] == needle[0], i + needle.count <= haystack.count, haystack[i..<(i + needle.count)].elementsEqual(needle) {
            result += content.utf8
            i += needle.count
        } else {
            result.append(haystack[i])
            i += 1
        }
    }
    return String(decoding: result, as: UTF8.self)
}

extension JSONFile {
    /// A `{"String": "..."}` pattern; a `{"Regex": "..."}` one is refused (only the split regexes
    /// that `SplitPattern` knows are read, and only by `Split`).
    func literalPattern(_ key: String) throws -> String {
        let pattern = try object(key)
        if let literal = try pattern.optionalString("String") { return literal }
        if let regex = try pattern.optionalString("Regex") {
            throw TokenizerError.unsupported(path: path, key: prefix + key + ".Regex", value: quoted(regex))
        }
        throw invalid(key, "expected {\"String\": ...} or {\"Regex\": ...}")
    }
}
