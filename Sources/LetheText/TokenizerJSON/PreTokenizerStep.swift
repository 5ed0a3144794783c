/// A `tokenizer.json` pre-tokenizer: splits each piece of text into smaller pieces (the words
/// the model encodes one at a time), and may rewrite them, as Hugging Face `tokenizers` does.
/// Empty pieces are dropped after every step.
///
///     ByteLevel(add_prefix_space, use_regex)   " " + piece unless it starts with one; the GPT-2
///                                              regex split; each byte as its ByteLevelAlphabet scalar
///     Metaspace(replacement, prepend_scheme, split)
///                                              " " -> "▁"; "▁" + piece (always, or first: only the
///                                              piece at the input's start); split before each "▁"
///     Split(pattern, behavior, invert)         see SplitPattern and SplitBehavior
///     Digits(individual_digits)                numbers isolated, one scalar or one run each
///     Whitespace                               \w+|[^\w\s]+, whitespace removed
///     WhitespaceSplit                          whitespace removed
///     Punctuation(behavior)                    punctuation scalars split off
///     Sequence                                 each in order
///
/// Reference: https://github.com/huggingface/tokenizers/tree/main/tokenizers/src/pre_tokenizers
indirect enum PreTokenizerStep: Sendable, Equatable {
    case byteLevel(addPrefixSpace: Bool, useRegex: Bool)
    case metaspace(replacement: UInt32, prependScheme: PrependScheme, split: Bool)
    case split(SplitPattern, SplitBehavior, invert: Bool)
    case sequence([PreTokenizerStep])

    /// Metaspace's rule for the leading replacement character.
    enum PrependScheme: String, Sendable {
        case always, first, never
    }

    /// The pieces after this step.
    func apply(_ pieces: [TextPiece]) -> [TextPiece] {
        switch self {
        case .sequence(let steps):
            return steps.reduce(pieces) { $1.apply($0) }
        case .split(let pattern, let behavior, let invert):
            return pieces.flatMap { piece in
                let matches = pattern.matches(piece.bytes).map { ($0.range, $0.isMatch != invert) }
                return behavior.pieces(of: piece, matches)
            }
        case .byteLevel(let addPrefixSpace, let useRegex):
            return pieces.flatMap { piece -> [TextPiece] in
                var piece = piece
                if addPrefixSpace && piece.bytes.first != 0x20 { piece.bytes.insert(0x20, at: 0) }
                let parts = useRegex ? SplitBehavior.isolated.pieces(of: piece, SplitPattern.gpt2.matches(piece.bytes)) : [piece]
                return parts.map { part in
                    var mapped: [UInt8] = []
                    mapped.reserveCapacity(part.bytes.count * 2)
                    for byte in part.bytes { mapped += ByteLevelAlphabet.utf8[Int(byte)] }
                    return TextPiece(bytes: mapped, atStart: part.atStart)
                }
            }
        case .metaspace(let replacement, let scheme, let split):
            let mark = Array(String(Unicode.Scalar(replacement).map(Character.init) ?? "\u{2581}").utf8)
            return pieces.flatMap { piece -> [TextPiece] in
                var bytes: [UInt8] = []
                bytes.reserveCapacity(piece.bytes.count + 3)
                for byte in piece.bytes {
                    if byte == 0x20 { bytes += mark } else { bytes.append(byte) }
                }
                let startsWithMark = bytes.starts(with: mark)
                if !startsWithMark && (scheme == .always || (scheme == .first && piece.atStart)) { bytes = mark + bytes }
                let rewritten = TextPiece(bytes: bytes, atStart: piece.atStart)
                guard split else { return bytes.isEmpty ? [] : [rewritten] }
                return SplitBehavior.mergedWithNext.pieces(of: rewritten, SplitPattern.scalars(.equal(replacement)).matches(bytes))
            }
        }
    }
}

/// What a split does with the ranges that match (`tokenizers`' `SplitDelimiterBehavior`):
///
///     removed              drop them
///     isolated             keep each as its own piece
///     mergedWithPrevious   append each to the piece before it
///     mergedWithNext       prepend each to the piece after it
///     contiguous           keep runs of adjacent matches together as one piece
enum SplitBehavior: String, Sendable {
    case removed = "Removed", isolated = "Isolated", mergedWithPrevious = "MergedWithPrevious"
    case mergedWithNext = "MergedWithNext", contiguous = "Contiguous"

    /// The non-empty pieces of `piece` for its `matches` (ranges covering it, in order).
    func pieces(of piece: TextPiece, _ matches: [(Range<Int>, Bool)]) -> [TextPiece] {
        var kept: [(range: Range<Int>, remove: Bool)] = []
        var previousMatch = false
        switch self {
        case .isolated:
            kept = matches.map { ($0.0, false) }
        case .removed:
            kept = matches.map { ($0.0, $0.1) }
        case .contiguous, .mergedWithPrevious:
            for (range, isMatch) in matches {
                let merge = self == .contiguous ? isMatch == previousMatch : isMatch && !previousMatch
                if merge, let last = kept.last {
                    kept[kept.count - 1].range = last.range.lowerBound..<range.upperBound
                } else {
                    kept.append((range, false))
                }
                previousMatch = isMatch
            }
        case .mergedWithNext:
            for (range, isMatch) in matches.reversed() {
                if isMatch && !previousMatch, let last = kept.last {
                    kept[kept.count - 1].range = range.lowerBound..<last.range.upperBound
                } else {
                    kept.append((range, false))
                }
                previousMatch = isMatch
            }
            kept.reverse()
        }
        return kept.compactMap { range, remove in
            guard !remove, !range.isEmpty else { return nil }
            return TextPiece(bytes: Array(piece.bytes[range]), atStart: piece.atStart && range.lowerBound == 0)
        }
    }
}

extension ByteLevelAlphabet {
    /// `utf8[b]`: the UTF-8 bytes of byte `b`'s scalar (`" "` -> `"Ġ"` = C4 A0).
    static let utf8: [[UInt8]] = scalars.map { value in
        Unicode.Scalar(value).map { Array(String($0).utf8) } ?? []
    }
}

extension PreTokenizerStep {
    /// Reads the pre-tokenizer object `json`.
    ///
    /// - Throws: `TokenizerError.unsupported` naming the JSON path of an unknown `type`, split
    ///   behaviour or regex (the GPT-2, Llama-3, Qwen2 and `\w+|[^\w\s]+` patterns are known);
    ///   `.invalidKey` for a missing or mistyped setting.
    init(json: JSONFile) throws {
        let type = try json.componentType()
        switch type {
        case "ByteLevel":
            self = .byteLevel(
                addPrefixSpace: try json.optionalBool("add_prefix_space") ?? true,
                useRegex: try json.optionalBool("use_regex") ?? true)
        case "Metaspace":
            let replacement = try json.optionalString("replacement") ?? "\u{2581}"
            guard replacement.unicodeScalars.count == 1, let scalar = replacement.unicodeScalars.first else {
                throw json.invalid("replacement", "expected one character, found \(quoted(replacement))")
            }
            let legacyPrefix = try json.optionalBool("add_prefix_space") ?? true
            let schemeName = try json.optionalString("prepend_scheme") ?? (legacyPrefix ? "always" : "never")
            guard let scheme = PrependScheme(rawValue: schemeName) else {
                throw TokenizerError.unsupported(path: json.path, key: json.prefix + "prepend_scheme", value: quoted(schemeName))
            }
            self = .metaspace(replacement: scalar.value, prependScheme: scheme, split: try json.optionalBool("split") ?? true)
        case "Split":
            let patternObject = try json.object("pattern")
            let pattern: SplitPattern
            if let literal = try patternObject.optionalString("String") {
                pattern = .literal(Array(literal.utf8))
            } else if let regex = try patternObject.optionalString("Regex") {
                guard let known = SplitPattern.regexes[regex] else {
                    throw TokenizerError.unsupported(path: json.path, key: json.prefix + "pattern.Regex", value: quoted(regex))
                }
                pattern = known
            } else {
                throw json.invalid("pattern", "expected {\"String\": ...} or {\"Regex\": ...}")
            }
            self = .split(pattern, try json.splitBehavior("behavior"), invert: try json.optionalBool("invert") ?? false)
        case "Digits":
            let individual = try json.optionalBool("individual_digits") ?? false
            self = .split(.scalars(.numeric), individual ? .isolated : .contiguous, invert: false)
        case "Whitespace":
            self = .split(.words, .removed, invert: true)
        case "WhitespaceSplit":
            self = .split(.scalars(.whitespace), .removed, invert: false)
        case "Punctuation":
            self = .split(.scalars(.punctuation), try json.splitBehavior("behavior", default: .isolated), invert: false)
        case "Sequence":
            self = .sequence(try json.objects("pretokenizers").map { try PreTokenizerStep(json: $0) })
        default:
            throw json.unsupportedType(type)
        }
    }
}

extension JSONFile {
    /// A split behaviour (`"Isolated"`, ...; lower-case spellings too).
    func splitBehavior(_ key: String, default fallback: SplitBehavior? = nil) throws -> SplitBehavior {
        guard let name = try optionalString(key) else {
            if let fallback { return fallback }
            throw invalid(key, "missing")
        }
        let spelled = name.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        guard let behavior = SplitBehavior(rawValue: name) ?? SplitBehavior(rawValue: spelled) else {
            throw TokenizerError.unsupported(path: path, key: prefix + key, value: quoted(name))
        }
        return behavior
    }
}
