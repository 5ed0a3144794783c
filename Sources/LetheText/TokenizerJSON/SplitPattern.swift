/// A piece of text on its way through the pre-tokenizers: its UTF-8 bytes, and whether it
/// starts at the start of the input (Metaspace's `prepend_scheme: "first"` asks).
struct TextPiece: Sendable, Equatable {
    var bytes: [UInt8]
    var atStart: Bool
}

/// What a `Split` pre-tokenizer (and the pre-tokenizers built on it) looks for. Each pattern
/// cuts a text into ranges that match and ranges between, in order, covering the text, as
/// `tokenizers`' `Pattern::find_matches` does.
///
///     literal       every non-overlapping occurrence of a string
///     gpt2          the GPT-2 regex (GPT2PreTokenizer), whose matches cover the text
///     llama3/qwen2  the Llama-3 / Qwen2 regex (Llama3PreTokenizer), which cover it too
///     words         \w+|[^\w\s]+ (the `Whitespace` pre-tokenizer; \w: see WordClass)
///     scalars(p)    each scalar for which p holds, one match each
enum SplitPattern: Sendable, Equatable {
    case literal([UInt8])
    case gpt2, llama3, qwen2, words
    case scalars(ScalarPredicate)

    /// The known regexes of `Split` pre-tokenizers, as written in `tokenizer.json`.
    static let regexes: [String: SplitPattern] = [
        #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#: .gpt2,
        #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)"#: .gpt2,
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#: .llama3,
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#: .qwen2,
        #"\w+|[^\w\s]+"#: .words,
    ]

    /// The ranges of `bytes` in order, each flagged whether it matches.
    func matches(_ bytes: [UInt8]) -> [(range: Range<Int>, isMatch: Bool)] {
        let n = bytes.count
        guard n > 0 else { return [] }
        var result: [(range: Range<Int>, isMatch: Bool)] = []
        var gapStart = 0
        func add(_ start: Int, _ end: Int) {
            if gapStart < start { result.append((gapStart..<start, false)) }
            result.append((start..<end, true))
            gapStart = end
        }
        bytes.withUnsafeBufferPointer { buffer in
            guard let p = buffer.baseAddress else { return }
            var i = 0
            switch self {
            case .literal(let needle):
                guard !needle.isEmpty else { break }
                while i + needle.count <= n {
                    if p[i] == needle[0] && bytes[i..<(i + needle.count)].elementsEqual(needle) {
                        add(i, i + needle.count)
                        i += needle.count
                    } else {
                        i += 1
                    }
                }
            case .gpt2, .llama3, .qwen2:
                while i < n {
                    let end: Int
                    switch self {
                    case .llama3: end = Llama3PreTokenizer.pieceEnd(p, i, n, maximumDigits: 3)
                    case .qwen2: end = Llama3PreTokenizer.pieceEnd(p, i, n, maximumDigits: 1)
                    default: end = GPT2PreTokenizer.pieceEnd(p, i, n)
                    }
                    add(i, end)
                    i = end
                }
            case .words:
                while i < n {
                    let (kind, length) = WordClass.at(p, i, n)
                    if kind == .space {
                        i += length
                        continue
                    }
                    var j = i + length
                    while j < n {
                        let (next, nextLength) = WordClass.at(p, j, n)
                        if next != kind { break }
                        j += nextLength
                    }
                    add(i, j)
                    i = j
                }
            case .scalars(let predicate):
                while i < n {
                    let (value, length) = scalarValue(p, i, n)
                    if predicate.holds(value) { add(i, i + length) }
                    i += length
                }
            }
        }
        if gapStart < n { result.append((gapStart..<n, false)) }
        return result
    }
}

/// A property of one unicode scalar that a pre-tokenizer splits on.
enum ScalarPredicate: Sendable, Equatable {
    /// Rust's `char::is_numeric`: general category Nd, Nl or No (`Digits`).
    case numeric
    /// Rust's `char::is_whitespace`: the White_Space property (`WhitespaceSplit`).
    case whitespace
    /// ASCII punctuation or general category P* (`Punctuation`).
    case punctuation
    /// Equal to this scalar (`Metaspace`'s replacement character).
    case equal(UInt32)

    func holds(_ value: UInt32) -> Bool {
        switch self {
        case .numeric: return ScalarClass.of(value) == .number
        case .whitespace: return ScalarClass.of(value) == .whitespace
        case .equal(let scalar): return value == scalar
        case .punctuation:
            if value < 0x80 {
                return (0x21...0x2F).contains(value) || (0x3A...0x40).contains(value) || (0x5B...0x60).contains(value)
                    || (0x7B...0x7E).contains(value)
            }
            guard let scalar = Unicode.Scalar(value) else { return false }
            switch scalar.properties.generalCategory {
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                .initialPunctuation, .finalPunctuation, .otherPunctuation:
                return true
            default: return false
            }
        }
    }
}

/// The value and UTF-8 length of the scalar at `p[i]` (valid UTF-8; a cut sequence reads as U+FFFD).
@inline(__always)
func scalarValue(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> (UInt32, Int) {
    let b0 = UInt32(p[i])
    if b0 < 0x80 { return (b0, 1) }
    let length = b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4
    guard i + length <= n else { return (0xFFFD, n - i) }
    var value = b0 & (0xFF >> UInt32(length + 1))
    for k in 1..<length { value = value << 6 | UInt32(p[i + k] & 0x3F) }
    return (value, length)
}

/// The classes of `\w+|[^\w\s]+`: word scalars (Alphabetic, marks, decimal digits, connector
/// punctuation and the joiners U+200C/U+200D: Oniguruma's Unicode `\w`, as in UTS #18),
/// whitespace, and the rest.
enum WordClass: Equatable {
    case word, space, symbol

    static func at(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> (WordClass, Int) {
        let (value, length) = scalarValue(p, i, n)
        switch ScalarClass.of(value) {
        case .whitespace: return (.space, length)
        case .letter: return (.word, length)
        default: break
        }
        guard let scalar = Unicode.Scalar(value) else { return (.symbol, length) }
        if value == 0x200C || value == 0x200D || scalar.properties.isAlphabetic { return (.word, length) }
        switch scalar.properties.generalCategory {
        case .decimalNumber, .nonspacingMark, .spacingMark, .enclosingMark, .connectorPunctuation: return (.word, length)
        default: return (.symbol, length)
        }
    }
}
