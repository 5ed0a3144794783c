extension DefaultCorpus {
    /// What a template is being written about: a person (and a related one), a place, an
    /// organisation, an event, a speaker and a fact. `fill` turns a slot into words, keeping
    /// every fact about an entity the same in every document.
    struct Scene {
        let world: World
        var person: Person
        var other: Person
        var relation: RelationKind = .friend
        var place: Int
        var organisation: Int
        var event: Int
        var speaker: String = "Sam"
        var fact: String = ""
        var topic: String = "lantern"
        var topicVerb: String = "mend"

        /// A scene about `person`, set in their home town, at their employer.
        init(world: World, person: Person, other: Person? = nil) {
            self.world = world
            self.person = person
            self.other = other ?? person
            place = person.home
            organisation = person.employer
            event = world.eventsIn[person.home].first ?? 0
        }

        /// Makes `other` the person's relation of the given kind.
        mutating func relate(to other: Person, as kind: RelationKind) {
            self.other = other
            relation = kind
        }

        /// The words for one slot.
        func fill(_ slot: Slot, _ draw: inout Draw) -> String {
            let v = world.vocabulary
            let p = person
            let o = other
            switch slot {
            case .name: return p.name
            case .first: return p.first
            case .last: return p.last
            case .he: return p.female ? "she" : "he"
            case .him: return p.female ? "her" : "him"
            case .his: return p.female ? "her" : "his"
            case .himself: return p.female ? "herself" : "himself"
            case .birthplace: return world.places[p.birthplace].name
            case .birthyear: return String(p.birthYear)
            case .occupation: return p.occupation
            case .employer: return world.organisations[p.employer].name
            case .home: return world.places[p.home].name
            case .joinyear: return String(p.joinYear)
            case .hobby: return p.hobby
            case .oname: return o.name
            case .ofirst: return o.first
            case .ohe: return o.female ? "she" : "he"
            case .ooccupation: return o.occupation
            case .oemployer: return world.organisations[o.employer].name
            case .ohome: return world.places[o.home].name
            case .relation: return relation.word(otherIsFemale: o.female)
            case .place: return world.places[place].name
            case .placekind: return world.places[place].kind
            case .region: return world.places[place].region
            case .river: return world.places[place].river
            case .founded: return String(world.places[place].founded)
            case .marketday: return world.places[place].marketDay
            case .org: return world.organisations[organisation].name
            case .orgkind: return world.organisations[organisation].kind
            case .orgplace: return world.places[world.organisations[organisation].place].name
            case .orgyear: return String(world.organisations[organisation].founded)
            case .product: return world.organisations[organisation].product
            case .event: return world.events[event].name
            case .eventkind: return world.events[event].kind
            case .eventplace: return world.places[world.events[event].place].name
            case .date: return world.date(of: world.events[event], &draw)
            case .eventyear: return String(world.events[event].year)
            case .speaker: return speaker
            case .fact: return fact
            case .noun: return v.noun(&draw)
            case .nouns: return v.nounPlural(&draw)
            case .mass: return v.massNoun(&draw)
            case .adj: return v.adjective(&draw)
            case .verb: return v.verb(&draw, form: 0)
            case .verbs: return v.verb(&draw, form: 1)
            case .verbed: return v.verb(&draw, form: 2)
            case .verbing: return v.verb(&draw, form: 3)
            case .number: return Words.number(draw.int(2...12))
            case .count: return String(draw.int(2...90) * 10)
            case .price: return "\(draw.int(2...40)) \(draw.pick(English.currencies))"
            case .weekday: return draw.pick(English.weekdays)
            case .month: return draw.pick(English.months)
            case .year: return String(draw.int(1970...2023))
            case .hour: return draw.pick(English.hours)
            case .topic: return topic
            case .topicverb: return topicVerb
            case .insult: return draw.pick(Lexicon.insults)
            case .insults: return Words.plural(draw.pick(Lexicon.insults))
            case .insultadj: return draw.pick(Lexicon.insultAdjectives)
            case .occupations: return Words.plural(p.occupation)
            case .group:
                let town = world.places[place].name
                return draw.pick(["people from \(town)", "the people of \(town)", "the \(town) lot", "folk from \(town)"])
            }
        }

        /// The template rendered in this scene, with its first letter capitalised.
        func render(_ template: Template, _ draw: inout Draw) -> String {
            Words.capitalized(template.render(&draw) { slot, d in fill(slot, &d) })
        }
    }
}
