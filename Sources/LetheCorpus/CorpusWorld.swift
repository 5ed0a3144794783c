import Foundation

extension DefaultCorpus {
    /// A town, village or port of the synthetic world.
    struct Place {
        let name: String
        let kind: String
        let region: String
        let river: String
        let founded: Int
        /// A plural noun the place is known for.
        let knownFor: String
        let marketDay: String
    }

    /// A mill, school, infirmary, press, ... located in one place.
    struct Organisation {
        let name: String
        let kind: String
        let place: Int
        let founded: Int
        /// A plural noun: what it makes or deals in.
        let product: String
    }

    /// A dated event (a fair, a regatta, a lecture) held in a place by an organisation.
    struct Event {
        let name: String
        let kind: String
        let place: Int
        let organiser: Int
        let year: Int
        let month: Int
        let day: Int
    }

    /// The fixed scenery every document shares: vocabulary, first names, places,
    /// organisations and events. Built once per seed, before any person.
    struct World {
        let vocabulary: Vocabulary
        let femaleNames: Vocabulary.Ranked
        let maleNames: Vocabulary.Ranked
        let regions: [String]
        let places: [Place]
        let organisations: [Organisation]
        let events: [Event]
        /// Organisation indices by place index.
        let organisationsIn: [[Int]]
        /// Event indices by place index.
        let eventsIn: [[Int]]

        /// Organisation name forms and the kind each names: `Orvex Mills` is a mill.
        static let organisationForms: [(pattern: String, kind: String)] = [
            ("{W} Mills", "mill"), ("{W} Brothers", "trading firm"), ("{S} and Daughters", "family firm"),
            ("{P} Savings Bank", "bank"), ("{P} Grammar School", "school"), ("{P} Infirmary", "infirmary"),
            ("{W} Press", "printing press"), ("{W} Glassworks", "glassworks"), ("{W} Boatyard", "boatyard"),
            ("{W} Bakery", "bakery"), ("{P} Library", "library"), ("{W} Theatre", "theatre"),
            ("{W} Foundry", "foundry"), ("{P} Ferry Company", "ferry company"), ("{W} Dairy", "dairy"),
            ("{W} Tannery", "tannery"), ("{W} Ropeworks", "ropeworks"), ("{P} Observatory", "observatory"),
            ("{W} Clockworks", "clock workshop"), ("{P} {N} Cooperative", "cooperative"),
            ("{P} Gazette", "newspaper"), ("{W} Pottery", "pottery"), ("{P} Museum", "museum"),
        ]

        /// Builds the scenery; `places`, `organisations` and `events` are counts.
        init(
            _ draw: inout Draw, book: inout NameBook, places placeCount: Int, organisations organisationCount: Int,
            events eventCount: Int, inventedWords: Int
        ) {
            vocabulary = Vocabulary(&draw, invented: inventedWords, book: &book)
            func fresh(_ suffixes: [String], _ second: Double, _ draw: inout Draw, maxLength: Int = 10) -> String {
                let name = Syllables.fresh(
                    &draw, suffixes: suffixes, secondSyllable: second, capitalized: true, maxLength: maxLength,
                    isFree: { book.isFree($0) }) ?? "Nameless"
                _ = book.claim(name)
                return name
            }
            var female: [String] = []
            var male: [String] = []
            for i in 0..<600 {
                let endings = Syllables.firstNameEndings
                let pool = i % 2 == 0 ? Array(endings.prefix(14)) : Array(endings.suffix(from: 14))
                let name = fresh(pool, 0.3, &draw, maxLength: 8)
                if i % 2 == 0 { female.append(name) } else { male.append(name) }
            }
            femaleNames = Vocabulary.Ranked(female)
            maleNames = Vocabulary.Ranked(male)
            let regionKinds = ["Valley", "Coast", "Hills", "Fens", "Downs", "Marches", "Heath", "Lowlands"]
            regions = (0..<max(3, placeCount / 8)).map { i in
                "the " + fresh([""], 0.3, &draw) + " " + regionKinds[i % regionKinds.count]
            }
            let rivers = (0..<max(3, placeCount / 4)).map { _ in "the " + fresh(["", "el", "en", "ow"], 0.3, &draw) }
            var placeList: [Place] = []
            for _ in 0..<placeCount {
                placeList.append(
                    Place(
                        name: fresh(Syllables.placeSuffixes, 0.3, &draw), kind: draw.pick(English.placeKinds),
                        region: draw.pick(regions), river: draw.pick(rivers), founded: draw.int(880...1850),
                        knownFor: vocabulary.nounPlural(&draw), marketDay: draw.pick(English.weekdays)))
            }
            places = placeList
            var organisationList: [Organisation] = []
            var organisationsIn = Array(repeating: [Int](), count: placeCount)
            var usedOrganisationNames = Set<String>()
            while organisationList.count < organisationCount {
                let place = organisationList.count < placeCount ? organisationList.count : draw.index(placeCount)
                let form = draw.pick(World.organisationForms)
                let name = form.pattern
                    .replacingOccurrences(of: "{W}", with: fresh(["", "ex", "an", "ell", "ow"], 0.3, &draw))
                    .replacingOccurrences(of: "{S}", with: fresh(Syllables.surnameEndings, 0.3, &draw))
                    .replacingOccurrences(of: "{P}", with: placeList[place].name)
                    .replacingOccurrences(of: "{N}", with: Words.capitalized(vocabulary.noun(&draw)))
                guard usedOrganisationNames.insert(name).inserted else { continue }
                organisationsIn[place].append(organisationList.count)
                organisationList.append(
                    Organisation(
                        name: name, kind: form.kind, place: place, founded: draw.int(1790...2010),
                        product: vocabulary.nounPlural(&draw)))
            }
            organisations = organisationList
            self.organisationsIn = organisationsIn
            var eventList: [Event] = []
            var eventsIn = Array(repeating: [Int](), count: placeCount)
            for _ in 0..<eventCount {
                let organiser = draw.index(organisationList.count)
                let place = organisationList[organiser].place
                let kind = draw.pick(English.eventKinds)
                let name = "the \(placeList[place].name) \(Words.capitalized(vocabulary.noun(&draw))) \(kind)"
                eventsIn[place].append(eventList.count)
                eventList.append(
                    Event(
                        name: name, kind: kind.lowercased(), place: place, organiser: organiser,
                        year: draw.int(1965...2023), month: draw.index(12), day: draw.int(1...28)))
            }
            events = eventList
            self.eventsIn = eventsIn
        }

        /// "14 March 1998", "March 14, 1998" or "the 14th of March, 1998".
        func date(of event: Event, _ draw: inout Draw) -> String {
            let month = English.months[event.month]
            switch draw.index(3) {
            case 0: return "\(event.day) \(month) \(event.year)"
            case 1: return "\(month) \(event.day), \(event.year)"
            default: return "the \(Words.ordinal(event.day)) of \(month), \(event.year)"
            }
        }
    }
}
