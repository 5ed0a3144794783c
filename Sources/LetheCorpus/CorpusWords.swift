extension DefaultCorpus {
    /// English morphology for the generator's regular words: articles, plurals, verb forms,
    /// capitals. Every word the generator inflects is chosen to follow these rules.
    enum Words {
        /// "a" or "an" by the first letter (the word lists avoid "hour"/"unit" exceptions).
        static func article(for word: String) -> String {
            guard let first = word.first else { return "a" }
            return "aeiouAEIOU".contains(first) ? "an" : "a"
        }

        /// The word with its first letter in upper case.
        static func capitalized(_ word: String) -> String {
            guard let first = word.first else { return word }
            return first.uppercased() + word.dropFirst()
        }

        /// Regular plural: -es after s, x, z, ch, sh; consonant + y becomes -ies; else -s.
        static func plural(_ noun: String) -> String {
            if endsInSibilant(noun) { return noun + "es" }
            if endsInConsonantY(noun) { return String(noun.dropLast()) + "ies" }
            return noun + "s"
        }

        /// Third person singular present: the same rule as `plural`.
        static func thirdPerson(_ verb: String) -> String { plural(verb) }

        /// Regular past tense: -d after e, consonant + y becomes -ied, else -ed.
        static func past(_ verb: String) -> String {
            if verb.hasSuffix("e") { return verb + "d" }
            if endsInConsonantY(verb) { return String(verb.dropLast()) + "ied" }
            return verb + "ed"
        }

        /// Present participle: a final silent e (not ee) drops before -ing.
        static func participle(_ verb: String) -> String {
            if verb.hasSuffix("e"), !verb.hasSuffix("ee") { return String(verb.dropLast()) + "ing" }
            return verb + "ing"
        }

        /// Small numbers as words, larger ones as digits.
        static func number(_ n: Int) -> String {
            let names = [
                "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                "ten", "eleven", "twelve",
            ]
            return n >= 0 && n < names.count ? names[n] : String(n)
        }

        /// "1st", "2nd", "3rd", "4th", ..., "11th", "21st".
        static func ordinal(_ n: Int) -> String {
            let suffix: String
            switch (n % 10, n % 100) {
            case (_, 11...13): suffix = "th"
            case (1, _): suffix = "st"
            case (2, _): suffix = "nd"
            case (3, _): suffix = "rd"
            default: suffix = "th"
            }
            return String(n) + suffix
        }

        /// Lower-case words of a text: maximal runs of letters, digits and apostrophes (bytes
        /// beyond ASCII count as letters), for statistics and tests.
        static func tokens(_ text: String) -> [String] {
            var words: [String] = []
            var current: [UInt8] = []
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): current.append(byte + 32)
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "'"), 0x80...:
                    current.append(byte)
                default:
                    if !current.isEmpty {
                        words.append(String(decoding: current, as: UTF8.self))
                        current.removeAll(keepingCapacity: true)
                    }
                }
            }
            if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
            return words
        }

        private static func endsInSibilant(_ word: String) -> Bool {
            word.hasSuffix("s") || word.hasSuffix("x") || word.hasSuffix("z")
                || word.hasSuffix("ch") || word.hasSuffix("sh")
        }

        private static func endsInConsonantY(_ word: String) -> Bool {
            guard word.hasSuffix("y"), word.count >= 2 else { return false }
            let before = word[word.index(word.endIndex, offsetBy: -2)]
            return !"aeiou".contains(before)
        }
    }
}
