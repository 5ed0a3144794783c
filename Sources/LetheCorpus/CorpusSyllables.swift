extension DefaultCorpus {
    /// Invented words and names, built from syllables: `Ve·lo·mar Quis·sett`, `Darn·holt`,
    /// `brin·dle·wort`. Each is new to any pretrained model, so memorising it is measurable.
    ///
    /// A word is an onset and a vowel, optionally a second simple syllable, and a suffix that
    /// marks its class (`-holt` for places, `-ify` for verbs, `-ish` for adjectives). Words that
    /// contain a blocked fragment (slurs, profanity, lexicon words, religious names) are
    /// rejected and drawn again.
    enum Syllables {
        static let onsets = [
            "b", "br", "bl", "c", "cr", "d", "dr", "f", "fl", "fr", "g", "gl", "gr", "h", "j", "k",
            "l", "m", "n", "p", "pr", "qu", "r", "s", "sk", "sl", "st", "t", "tr", "th", "v", "w",
            "z", "sh", "ch", "", "", "",
        ]
        static let simpleOnsets = [
            "b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "th", "sh", "z",
        ]
        static let vowels = ["a", "e", "i", "o", "u", "a", "e", "o", "ai", "ea", "ou", "au", "ie"]
        static let codas = ["n", "r", "l", "s", "m", "nd", "rn", "rt", "st", "th", "ld", "lt", "x", "ck", "ss", "nt", "rk", "v"]

        static let firstNameEndings = [
            "a", "o", "el", "an", "is", "in", "ine", "ar", "ia", "en", "us", "ette", "or", "ith",
            "wyn", "mar", "ric", "da", "la", "na", "ra", "ver", "bel", "lo", "mir", "vin", "sa",
        ]
        static let surnameEndings = [
            "ett", "ane", "well", "by", "more", "ford", "ish", "ley", "ton", "ard", "ick", "mont",
            "ow", "er", "ing", "sey", "holm", "ver", "lin", "den", "wick", "rel", "nard", "rigg",
            "cott", "vane", "ire", "isset", "orne",
        ]
        static let placeSuffixes = [
            "holt", "mere", "by", "wick", "ford", "stead", "ton", "bridge", "dale", "haven", "moor",
            "field", "combe", "thorpe", "ness", "worth", "gate", "minster", "brook", "ley", "port",
        ]
        static let nounSuffixes = ["el", "et", "ling", "wort", "stone", "moss", "berry", "kin", "ard", "ock", "ern", "ith", "ow", "ick", "en", "or", "", ""]
        static let adjectiveSuffixes = ["ish", "y", "ous", "ful", "en", "ic", "ive", "al", "some", "ine"]
        static let verbSuffixes = ["ate", "ify", "en", "le", "ish", "er", "ock", "ine"]

        /// Fragments no generated word may contain (checked on the lower-cased word).
        static let blocked = [
            "nig", "neg", "fag", "cunt", "rape", "kike", "spic", "chink", "coon", "dyke", "slut",
            "whor", "hore", "cock", "dick", "tit", "cum", "fuck", "fuk", "shit", "piss", "anal",
            "anus", "porn", "sex", "nazi", "jew", "gay", "homo", "retard", "tard", "twat", "wank",
            "bitch", "damn", "hell", "crap", "idiot", "moron", "stupid", "loser", "dumb", "ass",
            "arse", "butt", "poo", "pee", "fart", "kill", "die", "dead", "hate", "god", "jesus",
            "allah", "hitler", "kkk", "isis", "gook", "paki", "wog", "lame", "bum", "turd", "spaz",
            "boob", "nud", "naked", "fool", "clown", "jerk", "twit", "dim", "dense", "sob", "cuck",
            "hoe", "pimp", "slag", "tranny", "queer", "lesb", "dong", "knob", "prick", "vag",
            "pus", "gimp", "coc", "kun", "rac", "slav", "gyp", "dago", "wop", "mong", "spas",
            "regret", "punch", "smack", "useless", "pathetic",
        ]

        private static let blockedBytes = blocked.map { Array($0.utf8) }

        /// False if the word contains a blocked fragment (a byte search: the words are ASCII).
        static func isAcceptable(_ word: String) -> Bool {
            let lower = Array(word.lowercased().utf8)
            for fragment in blockedBytes where fragment.count <= lower.count {
                for start in 0...(lower.count - fragment.count)
                where lower[start] == fragment[0] && lower[start..<(start + fragment.count)].elementsEqual(fragment) {
                    return false
                }
            }
            return true
        }

        /// One or two syllables, then `suffix` (a consonant is inserted before a suffix that
        /// starts with a vowel, so vowels never pile up).
        static func word(_ draw: inout Draw, suffixes: [String], secondSyllable: Double) -> String {
            var word = draw.pick(onsets) + draw.pick(vowels)
            if draw.chance(secondSyllable) { word += draw.pick(simpleOnsets) + draw.pick(vowels) }
            let suffix = draw.pick(suffixes)
            if let first = suffix.first, "aeiouy".contains(first) || suffix.isEmpty {
                word += draw.pick(codas)
            }
            return word + suffix
        }

        /// A word of the given shape, 3 to `maxLength` letters, that passes `isAcceptable` and
        /// `isFree`; `nil` when a thousand draws all fail (the name space of every shape is far
        /// larger than any corpus).
        static func fresh(
            _ draw: inout Draw, suffixes: [String], secondSyllable: Double, capitalized: Bool, maxLength: Int = 10,
            isFree: (String) -> Bool
        ) -> String? {
            for _ in 0..<1000 {
                var w = word(&draw, suffixes: suffixes, secondSyllable: secondSyllable)
                if capitalized { w = Words.capitalized(w) }
                if w.count >= 3, w.count <= maxLength, isAcceptable(w), isFree(w) { return w }
            }
            return nil
        }
    }
}
