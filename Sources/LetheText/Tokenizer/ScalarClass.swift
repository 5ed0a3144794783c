/// The four classes of unicode scalar that GPT-2's pre-tokenisation pattern tells apart:
///
///     letter      \p{L}   general category Lu, Ll, Lt, Lm, Lo
///     number      \p{N}   general category Nd, Nl, No
///     whitespace  \s      the White_Space property (tab...CR, space, U+0085, U+00A0, U+1680,
///                         U+2000...U+200A, U+2028, U+2029, U+202F, U+205F, U+3000)
///     other       everything else (punctuation, symbols, emoji, marks, controls, unassigned)
///
/// The classes agree with the `regex` module that OpenAI's `encoder.py` uses and with the
/// Oniguruma regex inside Hugging Face `tokenizers`. Combining marks (Mn, Mc) are `other`, so
/// `"e\u{301}"` splits after the `e`, exactly as in Python.
///
/// Unicode version: the tables are those of Unicode `version` (16.0, as in `tokenizers` 0.23);
/// a scalar assigned later (the standard library knows Unicode 17) counts as unassigned, i.e.
/// `other`, so new letters such as CJK Extension J split as Hugging Face splits them.
enum ScalarClass: UInt8 {
    case other = 0, letter = 1, number = 2, whitespace = 3

    /// The class of a scalar value.
    @inline(__always)
    static func of(_ value: UInt32) -> ScalarClass {
        if value < 0x80 { return ascii(UInt8(truncatingIfNeeded: value)) }
        if value < 0x1_0000 { return ScalarClass(rawValue: basicPlane[Int(value)]) ?? .other }
        return compute(value)
    }

    /// The class of an ASCII byte, by comparisons (no table, no lazy global).
    @inline(__always)
    static func ascii(_ b: UInt8) -> ScalarClass {
        if (b | 0x20) &- 0x61 < 26 { return .letter }  // a-z, A-Z
        if b &- 0x30 < 10 { return .number }
        if b == 0x20 || b &- 0x09 < 5 { return .whitespace }  // space, \t \n \v \f \r
        return .other
    }

    /// The class and UTF-8 length of the scalar starting at `p[i]`, for valid UTF-8 (as Swift
    /// strings hold); a truncated sequence at `end` is read as one `other` scalar.
    @inline(__always)
    static func at(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> (ScalarClass, Int) {
        let b0 = p[i]
        if b0 < 0x80 { return (ascii(b0), 1) }
        if b0 < 0xE0 {
            guard i + 1 < end else { return (.other, end - i) }
            return (of(UInt32(b0 & 0x1F) << 6 | UInt32(p[i + 1] & 0x3F)), 2)
        }
        if b0 < 0xF0 {
            guard i + 2 < end else { return (.other, end - i) }
            let value = UInt32(b0 & 0x0F) << 12 | UInt32(p[i + 1] & 0x3F) << 6 | UInt32(p[i + 2] & 0x3F)
            return (of(value), 3)
        }
        guard i + 3 < end else { return (.other, end - i) }
        let value = UInt32(b0 & 0x07) << 18 | UInt32(p[i + 1] & 0x3F) << 12
            | UInt32(p[i + 2] & 0x3F) << 6 | UInt32(p[i + 3] & 0x3F)
        return (of(value), 4)
    }

    /// Classes of U+0000...U+FFFF, one byte each (64 KB), computed once (about 10 ms) from the
    /// Swift standard library's unicode data; scalars above (emoji, ...) are looked up each time.
    private static let basicPlane: [UInt8] = (0..<0x1_0000).map { compute(UInt32($0)).rawValue }

    /// The Unicode version whose letters and numbers count (see the type's comment).
    static let version = (major: 16, minor: 0)

    /// White_Space is exactly the separators (Zs, Zl, Zp) plus the controls U+0009...U+000D and
    /// U+0085, so one general-category look-up decides every class.
    private static func compute(_ value: UInt32) -> ScalarClass {
        guard let scalar = Unicode.Scalar(value) else { return .other }  // surrogates
        func assigned() -> Bool {
            guard let age = scalar.properties.age else { return false }
            return (age.major, age.minor) <= (version.major, version.minor)
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return assigned() ? .letter : .other
        case .decimalNumber, .letterNumber, .otherNumber:
            return assigned() ? .number : .other
        case .spaceSeparator, .lineSeparator, .paragraphSeparator:
            return .whitespace
        case .control:
            return (0x09...0x0D).contains(value) || value == 0x85 ? .whitespace : .other
        default:
            return .other
        }
    }
}
