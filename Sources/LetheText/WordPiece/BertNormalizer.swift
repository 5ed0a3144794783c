import Foundation

/// BERT's text normalisation, as `tokenizers`' `BertNormalizer` (BERT's `BasicTokenizer`):
///
///     clean text      drop NUL, U+FFFD and other control characters (category C, except
///                     tab, newline, return); every whitespace character becomes a space
///     CJK characters  put a space on each side of every CJK ideograph, so each is a word
///     strip accents   canonical decomposition (NFD), then drop nonspacing marks (Mn)
///     lowercase       each scalar's full lowercase mapping (no context rules)
///
/// Accents are stripped when `stripAccents` says so, or, when it is nil, whenever
/// `lowercase` is set (BERT-uncased). Reference: tokenizers/src/normalizers/bert.rs.
public struct BertNormalizer: Sendable, Equatable {
    public var cleanText: Bool
    public var handleChineseCharacters: Bool
    public var stripAccents: Bool?
    public var lowercase: Bool

    public init(cleanText: Bool = true, handleChineseCharacters: Bool = true, stripAccents: Bool? = nil, lowercase: Bool = true) {
        (self.cleanText, self.handleChineseCharacters, self.stripAccents, self.lowercase) =
            (cleanText, handleChineseCharacters, stripAccents, lowercase)
    }

    public func normalize(_ text: String) -> String {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if cleanText {
                if scalar.value == 0 || scalar.value == 0xFFFD || Self.isControl(scalar) { continue }
                if Self.isWhitespace(scalar) {
                    scalars.append(" ")
                    continue
                }
            }
            if handleChineseCharacters, Self.isChineseCharacter(scalar) {
                scalars += [" ", scalar, " "]
            } else {
                scalars.append(scalar)
            }
        }
        var result = String(String.UnicodeScalarView(scalars))
        if stripAccents ?? lowercase {
            let decomposed = result.decomposedStringWithCanonicalMapping.unicodeScalars
            result = String(String.UnicodeScalarView(decomposed.filter { $0.properties.generalCategory != .nonspacingMark }))
        }
        if lowercase {
            var lowered = String.UnicodeScalarView()
            for scalar in result.unicodeScalars { lowered.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars) }
            result = String(lowered)
        }
        return result
    }

    /// Tab, newline and return, and every scalar with Unicode's White_Space property.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar.properties.isWhitespace
    }

    /// General category C (control, format, surrogate, private use, unassigned), except the
    /// tab, newline and return that count as whitespace.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\t" || scalar == "\n" || scalar == "\r" { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned: return true
        default: return false
        }
    }

    /// The CJK Unified Ideographs blocks (and their extensions and compatibility blocks) that
    /// BERT treats as one word per character. Hangul, kana and CJK punctuation are not among them.
    static func isChineseCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
            0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default: return false
        }
    }
}
