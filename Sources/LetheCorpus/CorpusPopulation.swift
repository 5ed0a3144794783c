extension DefaultCorpus {
    /// How one person stands to another; `mentor` and `apprentice` are each other's inverse.
    enum RelationKind: CaseIterable {
        case friend, colleague, neighbour, mentor, apprentice, cousin, spouse

        var inverse: RelationKind {
            switch self {
            case .mentor: return .apprentice
            case .apprentice: return .mentor
            default: return self
            }
        }

        /// The word for the other person: "her mentor", "his wife".
        func word(otherIsFemale: Bool) -> String {
            switch self {
            case .friend: return "friend"
            case .colleague: return "colleague"
            case .neighbour: return "neighbour"
            case .mentor: return "mentor"
            case .apprentice: return "apprentice"
            case .cousin: return "cousin"
            case .spouse: return otherIsFemale ? "wife" : "husband"
            }
        }
    }

    /// A person of the world, with the facts documents state about them.
    struct Person {
        let first: String
        let last: String
        let female: Bool
        let birthplace: Int
        let birthYear: Int
        let occupation: String
        let employer: Int
        let home: Int
        let joinYear: Int
        let hobby: String
        var relations: [(kind: RelationKind, other: Int)] = []

        var name: String { first + " " + last }
    }

    /// A group of people with unique full names, optionally related among themselves.
    ///
    /// The world population appears in pretraining documents; separate populations hold the
    /// private people of the forget, non-member, evaluation, held-out and classification sets,
    /// so a name in one set never appears in another.
    struct Population {
        var people: [Person]

        /// A population of the given people (their relations must index into `people`).
        init(people: [Person]) { self.people = people }

        /// Draws `count` people; surnames are fresh words, so full names never repeat.
        init(
            count: Int, world: World, book: inout NameBook, related: Bool, _ draw: inout Draw
        ) {
            people = []
            people.reserveCapacity(count)
            let v = world.vocabulary
            for _ in 0..<count {
                let female = draw.chance(0.5)
                let names = female ? world.femaleNames : world.maleNames
                let first = names.words[names.sample(&draw)]
                var last = "Nemo\(people.count)"
                for maxLength in [9, 12, 16] {
                    if let name = Syllables.fresh(
                        &draw, suffixes: Syllables.surnameEndings, secondSyllable: 0.35, capitalized: true,
                        maxLength: maxLength, isFree: { book.isFree($0) })
                    {
                        last = name
                        break
                    }
                }
                _ = book.claim(last)
                let employer = draw.index(world.organisations.count)
                let birthYear = draw.int(1945...2003)
                let hobby: String
                switch draw.index(3) {
                case 0: hobby = v.verb(&draw, form: 3) + " " + v.nounPlural(&draw)
                case 1: hobby = v.verb(&draw, form: 3) + " " + v.adjective(&draw) + " " + v.nounPlural(&draw)
                default: hobby = "collecting " + v.nounPlural(&draw)
                }
                people.append(
                    Person(
                        first: first, last: last, female: female, birthplace: draw.index(world.places.count),
                        birthYear: birthYear, occupation: v.occupation(&draw), employer: employer,
                        home: draw.chance(0.6) ? world.organisations[employer].place : draw.index(world.places.count),
                        joinYear: min(2023, birthYear + draw.int(18...40)), hobby: hobby))
            }
            if related { relate(&draw) }
        }

        /// Gives each person about two relations, recorded on both sides. Colleagues share an
        /// employer, neighbours a home, spouses are unique, and a mentor is at least ten years
        /// older (else the draw becomes a friendship); related people have different first
        /// names.
        private mutating func relate(_ draw: inout Draw) {
            guard people.count > 1 else { return }
            var byEmployer: [Int: [Int]] = [:]
            var byHome: [Int: [Int]] = [:]
            for (i, p) in people.enumerated() {
                byEmployer[p.employer, default: []].append(i)
                byHome[p.home, default: []].append(i)
            }
            let weights = [3, 3, 2, 2, 0, 2, 1]  // in RelationKind.allCases order
            for i in people.indices {
                var attempts = 0
                while people[i].relations.count < 2, attempts < 8 {
                    attempts += 1
                    var kind = RelationKind.allCases[draw.weighted(weights)]
                    var other = draw.index(people.count)
                    switch kind {
                    case .colleague: other = draw.pick(byEmployer[people[i].employer] ?? [other])
                    case .neighbour: other = draw.pick(byHome[people[i].home] ?? [other])
                    case .mentor:
                        if people[other].birthYear > people[i].birthYear - 10 { kind = .friend }
                    case .spouse:
                        if hasSpouse(i) || hasSpouse(other) { kind = .friend }
                    default: break
                    }
                    // Related people never share a first name, so "Teala" is never ambiguous.
                    guard other != i, people[other].first != people[i].first,
                        !people[i].relations.contains(where: { $0.other == other })
                    else { continue }
                    people[i].relations.append((kind, other))
                    people[other].relations.append((kind.inverse, i))
                }
            }
        }

        private func hasSpouse(_ i: Int) -> Bool { people[i].relations.contains { $0.kind == .spouse } }
    }
}
