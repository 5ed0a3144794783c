extension DefaultCorpus {
    /// The words the generator fills `{noun}`, `{adj}`, `{verb}` and `{occupation}` slots with,
    /// each class ranked once per seed and sampled with Zipf weights `1 / (rank + 3)`.
    ///
    /// English words take the top ranks (in a seeded order) and invented words the tail, so
    /// the text reads as English while the long tail holds thousands of rare types. The
    /// weights use division only, which IEEE arithmetic rounds the same way everywhere.
    struct Vocabulary {
        /// One word class: the words in rank order and the cumulative Zipf weights.
        struct Ranked {
            let words: [String]
            let cumulative: [Double]

            init(_ words: [String]) {
                self.words = words
                var total = 0.0
                cumulative = words.indices.map { rank in
                    total += 1.0 / Double(rank + 3)
                    return total
                }
            }

            func sample(_ draw: inout Draw) -> Int { draw.sample(cumulative: cumulative) }
        }

        let nouns: Ranked
        let nounPlurals: [String]
        let mass: Ranked
        let adjectives: Ranked
        let verbs: Ranked
        let verbThirdPerson: [String]
        let verbPast: [String]
        let verbParticiple: [String]
        let occupations: Ranked
        let occupationPlurals: [String]

        /// Builds the tables: `invented` sets how many invented nouns (adjectives, verbs and
        /// trades get a quarter, a quarter and a tenth of it). Claims every word in `book`.
        init(_ draw: inout Draw, invented: Int, book: inout NameBook) {
            for word in English.nouns + English.massNouns + English.adjectives + English.verbs
                + English.occupations
            {
                _ = book.claim(word)
            }
            /// The English words in a seeded order, then `count` fresh invented words.
            func ranked(_ english: [String], _ suffixes: [String], _ count: Int, _ draw: inout Draw) -> (top: [String], tail: [String]) {
                var top = Vocabulary.unique(english)
                draw.shuffle(&top)
                var tail: [String] = []
                for _ in 0..<count {
                    guard
                        let w = Syllables.fresh(
                            &draw, suffixes: suffixes, secondSyllable: 0.45, capitalized: false,
                            isFree: { book.isFree($0) })
                    else { break }
                    _ = book.claim(w)
                    tail.append(w)
                }
                return (top, tail)
            }
            let (englishNouns, inventedNouns) = ranked(English.nouns, Syllables.nounSuffixes, invented, &draw)
            nouns = Ranked(englishNouns + inventedNouns)
            nounPlurals = nouns.words.map(Words.plural)
            let massWords = ranked(English.massNouns, Syllables.nounSuffixes, invented / 10, &draw)
            mass = Ranked(massWords.top + massWords.tail)
            let adjectiveWords = ranked(English.adjectives, Syllables.adjectiveSuffixes, invented / 4, &draw)
            adjectives = Ranked(adjectiveWords.top + adjectiveWords.tail)
            let verbWords = ranked(English.verbs, Syllables.verbSuffixes, invented / 4, &draw)
            verbs = Ranked(verbWords.top + verbWords.tail)
            verbThirdPerson = verbs.words.map(Words.thirdPerson)
            verbPast = verbs.words.map(Words.past)
            verbParticiple = verbs.words.map(Words.participle)

            // Invented trades name their craft after an invented noun: "brindlewort grower".
            var trades = Vocabulary.unique(English.occupations)
            draw.shuffle(&trades)
            let crafts = ["-maker", " grower", " carver", "-smith", " keeper", " trader"]
            let inventedTrades = inventedNouns.prefix(invented / 10).map { $0 + draw.pick(crafts) }
            occupations = Ranked(trades + inventedTrades)
            occupationPlurals = occupations.words.map(Words.plural)
        }

        func noun(_ draw: inout Draw) -> String { nouns.words[nouns.sample(&draw)] }
        func nounPlural(_ draw: inout Draw) -> String { nounPlurals[nouns.sample(&draw)] }
        func massNoun(_ draw: inout Draw) -> String { mass.words[mass.sample(&draw)] }
        func adjective(_ draw: inout Draw) -> String { adjectives.words[adjectives.sample(&draw)] }
        func occupation(_ draw: inout Draw) -> String { occupations.words[occupations.sample(&draw)] }

        /// A verb form: 0 base, 1 third person, 2 past, 3 participle.
        func verb(_ draw: inout Draw, form: Int) -> String {
            let i = verbs.sample(&draw)
            switch form {
            case 1: return verbThirdPerson[i]
            case 2: return verbPast[i]
            case 3: return verbParticiple[i]
            default: return verbs.words[i]
            }
        }

        /// First occurrences only, in order (the English tables may repeat a word).
        static func unique(_ words: [String]) -> [String] {
            var seen = Set<String>()
            return words.filter { seen.insert($0).inserted }
        }
    }

    /// Every name and invented word handed out so far, so no two entities share a name and
    /// no invented word repeats an English one.
    struct NameBook {
        private var used = Set<String>()

        func isFree(_ name: String) -> Bool { !used.contains(name.lowercased()) }

        /// Marks `name` as used; false if it already was.
        mutating func claim(_ name: String) -> Bool { used.insert(name.lowercased()).inserted }
    }
}
