extension DefaultCorpus {
    /// A named gap in a template, filled from the scene being written (`Scene.fill`).
    enum Slot: String, CaseIterable {
        // The person a document or item is about.
        case name, first, last, he, him, his, himself
        case birthplace, birthyear, occupation, employer, home, joinyear, hobby
        // A second person related to the first.
        case oname, ofirst, ohe, ooccupation, oemployer, ohome, relation
        // A place, an organisation and an event of the world.
        case place, placekind, region, river, founded, marketday
        case org, orgkind, orgplace, orgyear, product
        case event, eventkind, eventplace, date, eventyear
        // Dialogue: who speaks, and the fact a reply states.
        case speaker, fact
        // Words drawn from the Zipf-ranked vocabulary, and numbers.
        case noun, nouns, mass, adj, verb, verbs, verbed, verbing
        case number, count, price, weekday, month, year, hour
        // The subject of a how-to guide, fixed for the whole guide.
        case topic, topicverb
        // The mild toxicity lexicon, and the groups hostile replies single out.
        case insult, insults, insultadj, occupations, group
    }

    /// A sentence pattern, parsed once from a string, rendered many times.
    ///
    /// Syntax: literal text; `{slot}` (a `Slot` name; a capitalised name such as `{He}`
    /// capitalises the filler; `{a:noun}` / `{A:noun}` prefixes "a" or "an"); `[x|y|z]`
    /// picks one alternative uniformly, and alternatives may hold slots and choices:
    ///
    ///     "{name} [grew up|was raised] in {birthplace}, where {he} {verbed} {a:adj} {noun}."
    struct Template {
        indirect enum Part {
            case text(String)
            case slot(Slot, article: Bool, capitalized: Bool)
            case choice([[Part]])
            /// A `{name}` that is not a `Slot`: rendered literally; tests reject it.
            case unknown(String)
        }

        let parts: [Part]
        let pattern: String

        init(_ pattern: String) {
            self.pattern = pattern
            var parser = Parser(characters: Array(pattern))
            parts = parser.sequence(until: [])
        }

        /// Templates parsed from patterns, each kept with its tag.
        static func tagged<Tag>(_ patterns: [(Tag, String)]) -> [(Tag, Template)] {
            patterns.map { ($0.0, Template($0.1)) }
        }

        /// Slot names in the pattern that are not `Slot` cases (empty for a valid template).
        var unknownSlots: [String] { Template.unknown(in: parts) }

        /// The rendered text; `fill` supplies each slot's words.
        func render(_ draw: inout Draw, fill: (Slot, inout Draw) -> String) -> String {
            var out = ""
            Template.render(parts, into: &out, draw: &draw, fill: fill)
            return out
        }

        private static func render(
            _ parts: [Part], into out: inout String, draw: inout Draw,
            fill: (Slot, inout Draw) -> String
        ) {
            for part in parts {
                switch part {
                case .text(let text):
                    out += text
                case .slot(let slot, let article, let capitalized):
                    var word = fill(slot, &draw)
                    if article { word = Words.article(for: word) + " " + word }
                    out += capitalized ? Words.capitalized(word) : word
                case .choice(let alternatives):
                    render(draw.pick(alternatives), into: &out, draw: &draw, fill: fill)
                case .unknown(let name):
                    out += "{" + name + "}"
                }
            }
        }

        private static func unknown(in parts: [Part]) -> [String] {
            parts.flatMap { part -> [String] in
                switch part {
                case .unknown(let name): return [name]
                case .choice(let alternatives): return alternatives.flatMap { unknown(in: $0) }
                case .text, .slot: return []
                }
            }
        }

        /// A recursive-descent reader of the pattern syntax.
        private struct Parser {
            let characters: [Character]
            var position = 0

            init(characters: [Character]) { self.characters = characters }

            /// Parts up to (not including) one of `terminators` at this nesting level.
            mutating func sequence(until terminators: Set<Character>) -> [Part] {
                var parts: [Part] = []
                var text = ""
                func flush() {
                    if !text.isEmpty { parts.append(.text(text)) }
                    text = ""
                }
                while position < characters.count {
                    let c = characters[position]
                    if terminators.contains(c) { break }
                    position += 1
                    if c == "{" {
                        flush()
                        parts.append(slot())
                    } else if c == "[" {
                        flush()
                        parts.append(choice())
                    } else {
                        text.append(c)
                    }
                }
                flush()
                return parts
            }

            private mutating func slot() -> Part {
                var name = ""
                while position < characters.count, characters[position] != "}" {
                    name.append(characters[position])
                    position += 1
                }
                position += 1  // the closing brace
                var article = false
                var capitalized = false
                if name.hasPrefix("a:") || name.hasPrefix("A:") {
                    article = true
                    capitalized = name.hasPrefix("A:")
                    name.removeFirst(2)
                } else if let first = name.first, first.isUppercase {
                    capitalized = true
                }
                guard let slot = Slot(rawValue: name.lowercased()) else { return .unknown(name) }
                return .slot(slot, article: article, capitalized: capitalized)
            }

            private mutating func choice() -> Part {
                var alternatives: [[Part]] = []
                while position < characters.count {
                    alternatives.append(sequence(until: ["|", "]"]))
                    let terminator = position < characters.count ? characters[position] : "]"
                    position += 1
                    if terminator == "]" { break }
                }
                return .choice(alternatives)
            }
        }
    }
}
