import Foundation
import Testing

@testable import LetheText

/// GPT-2's pre-tokenisation pattern and byte alphabet, case by case (the pieces were checked
/// against Python's `regex` with the pattern of OpenAI's `encoder.py`).
@Suite struct TokenizerPreTokenizerTests {
    static let splits: [(String, [String])] = [
        ("", []),
        ("Hello world", ["Hello", " world"]),
        ("  Hello  world  ", [" ", " Hello", " ", " world", "  "]),
        ("a   b", ["a", "  ", " b"]),
        ("a\t\tb", ["a", "\t", "\t", "b"]),
        ("a \tb", ["a", " ", "\t", "b"]),
        ("a\n\nb\n", ["a", "\n", "\n", "b", "\n"]),
        ("x\r\ny", ["x", "\r", "\n", "y"]),
        ("end   ", ["end", "   "]),
        ("It's we're they've I'm you'll he'd don't", ["It", "'s", " we", "'re", " they", "'ve", " I", "'m", " you", "'ll", " he", "'d", " don", "'t"]),
        ("IT'S", ["IT", "'", "S"]),
        ("'sup ''s", ["'s", "up", " ''", "s"]),
        ("x.'s", ["x", ".'", "s"]),
        ("abc123 456def", ["abc", "123", " 456", "def"]),
        ("3.14", ["3", ".", "14"]),
        ("Ⅻ² ٣", ["Ⅻ²", " ٣"]),
        ("café cafe\u{301}", ["café", " cafe", "\u{301}"]),
        ("日本語 テキスト", ["日本語", " テキスト"]),
        ("a\u{A0}b", ["a", "\u{A0}", "b"]),
        ("a\u{A0} b", ["a", "\u{A0}", " b"]),
        ("\u{3000}x", ["\u{3000}", "x"]),
        ("zero\u{200B}width", ["zero", "\u{200B}", "width"]),
        ("😀 👍🏽!", ["😀", " 👍🏽!"]),
        ("x\u{3248D}'s \u{88F}'s", ["x", "\u{3248D}'", "s", " \u{88F}'", "s"]),  // Unicode 17 letters: unassigned in 16
        ("$%^ &*()", ["$%^", " &*()"]),
        ("<|endoftext|>", ["<|", "endoftext", "|>"]),
    ]

    @Test func splitsLikeTheGPT2Pattern() {
        for (text, pieces) in Self.splits {
            #expect(GPT2PreTokenizer.split(text) == pieces, "\(text.debugDescription)")
            #expect(GPT2PreTokenizer.split(text).joined() == text)
        }
    }

    @Test func byteAlphabetMatchesGPT2() {
        let expected: [UInt8: String] = [0: "Ā", 10: "Ċ", 32: "Ġ", 33: "!", 127: "ġ", 160: "ł", 173: "Ń", 255: "ÿ"]
        for (byte, text) in expected { #expect(ByteLevelAlphabet.encode([byte]) == text) }
        #expect(ByteLevelAlphabet.encode(Array(" Hello\n".utf8)) == "ĠHelloĊ")
        #expect(Set(ByteLevelAlphabet.scalars).count == 256)
        let all = (0...255).map(UInt8.init)
        #expect(ByteLevelAlphabet.decode(ByteLevelAlphabet.encode(all)) == all)
        #expect(ByteLevelAlphabet.decode("a b") == Array("a b".utf8))  // a space is not a byte symbol
    }

    /// The scanner's classes are \s = White_Space, \p{L}, \p{N} of Unicode 16.0, for every scalar.
    @Test func scalarClassesMatchUnicodeProperties() {
        var mismatches: [UInt32] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let properties = scalar.properties
            let expected: ScalarClass
            if properties.isWhitespace {
                expected = .whitespace
            } else if let age = properties.age, (age.major, age.minor) > (16, 0) {
                expected = .other
            } else {
                switch properties.generalCategory {
                case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: expected = .letter
                case .decimalNumber, .letterNumber, .otherNumber: expected = .number
                default: expected = .other
                }
            }
            if ScalarClass.of(value) != expected { mismatches.append(value) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10).map { String($0, radix: 16) })")
    }
}
