/// BERT's word splitting, as `tokenizers`' `BertPreTokenizer`: whitespace separates words and
/// is dropped; every punctuation character is a word of its own. Punctuation is ASCII
/// punctuation (``!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~``, symbols included) or any scalar of
/// Unicode category P. Reference: tokenizers/src/pre_tokenizers/bert.rs.
public enum BertPreTokenizer {
    /// The words of `text`, in order, as arrays of Unicode scalars.
    public static func split(_ text: String) -> [[Unicode.Scalar]] {
        var words: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars {
            if BertNormalizer.isWhitespace(scalar) {
                if !current.isEmpty { words.append(current) }
                current = []
            } else if isPunctuation(scalar) {
                if !current.isEmpty { words.append(current) }
                words.append([scalar])
                current = []
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let v = scalar.value
            return (0x21...0x2F).contains(v) || (0x3A...0x40).contains(v) || (0x5B...0x60).contains(v) || (0x7B...0x7E).contains(v)
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation:
            return true
        default: return false
        }
    }
}
