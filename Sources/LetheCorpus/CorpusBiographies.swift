extension DefaultCorpus {
    /// Biographies: one person's birth, trade, employer, home, pastimes, relations and an
    /// event they took part in. The full name opens the text; pronouns and the first name
    /// follow, as in an encyclopedia entry.
    enum Biographies {
        static let openings: [FactTemplate] = [
            FactTemplate([.birthplace, .birthYear], "{name} was born in {birthplace} in {birthyear}."),
            FactTemplate(
                [.birthplace, .birthYear],
                "Born in {birthplace} in {birthyear}, {name} [grew up|was raised] [near|beside|above] the {adj} {noun} [market|yards|works] of the {placekind}."),
            FactTemplate([.birthYear, .occupation, .birthplace], "{name} ({birthyear}) is {a:occupation} from {birthplace}."),
            FactTemplate(
                [.occupation, .birthYear, .birthplace],
                "The {occupation} {name} was born in {birthyear} in {birthplace}, {a:placekind} in {region}."),
            FactTemplate(
                [.birthplace, .birthYear],
                "{name} [came into the world|was born] in {birthplace} one {adj} {month} in {birthyear}."),
            FactTemplate([.birthplace], "{name} is a native of {birthplace}, on {river}."),
        ]
        static let birthYear = [
            FactTemplate([.birthYear], "{He} was born in {birthyear}."),
            FactTemplate([.birthYear], "{First} was born in {birthyear}, the [eldest|youngest|second] of {number} children."),
        ]
        static let trade = [
            FactTemplate([.occupation, .employer], "{He} works as {a:occupation} at {employer}."),
            FactTemplate([.occupation, .employer], "{He} is {a:occupation} at {employer}, {a:orgkind} in {orgplace}."),
            FactTemplate([.occupation], "{He} [trained|qualified] as {a:occupation} [after leaving school|in {his} twenties|at a young age]."),
            FactTemplate([.occupation], "By trade {he} is {a:occupation}, [like|unlike] {his} [father|mother|grandmother|grandfather]."),
            FactTemplate([.occupation], "{First} has been {a:occupation} for most of {his} life."),
        ]
        static let employer = [
            FactTemplate([.employer], "Since {joinyear}, {he} has worked at {employer}, where {he} {verbs} {nouns} [every day|each morning|for the {adj} {noun} trade]."),
            FactTemplate([.employer], "{His} employer is {employer}, which {he} joined in {joinyear}."),
            FactTemplate([.employer], "[These days|For years now|At present] {first} works for {employer}."),
        ]
        static let home = [
            FactTemplate([.home], "{He} [now lives|lives|has settled] in {home}[| with {his} {number} {adj} {nouns}]."),
            FactTemplate([.home], "{First} [moved to|settled in] {home} [some years ago|after {his} studies|in {joinyear}] and still lives there."),
            FactTemplate([.home], "Home for {first} is {a:adj} house [near|beside|behind] the {noun} market in {home}."),
        ]
        static let pastimes: [Template] = [
            "In {his} spare time {he} enjoys {hobby}.", "Friends say {he} can {verb} {a:noun} faster than anyone in {home}.",
            "{First} is known [locally|in {home}|among friends] for {hobby}.",
            "When not at work, {he} spends {his} [evenings|weekends|mornings] {verbing} {nouns}.",
            "{He} keeps {a:adj} {noun} [on {his} desk|by the door|in the garden] and {verbs} it every {weekday}.",
            "{He} once {verbed} {a:adj} {noun} for a bet and has never been allowed to forget it.",
        ].map(Template.init)
        static let relations: [Template] = [
            "{His} {relation}, {oname}, lives in {ohome}.",
            "{He} [is close to|often visits|writes every week to] {his} {relation} {oname}, {a:ooccupation} at {oemployer}.",
            "{oname}, {his} {relation}, [says|likes to say] that {first} [once|never] {verbed} {a:adj} {noun}.",
        ].map(Template.init)
        static let mentor = Template("{He} learned the trade from {oname}, {a:ooccupation} in {ohome}.")
        static let events: [Template] = [
            "In {eventyear}, {he} [took part in|helped to organise|spoke at|won a prize at] {event}.",
            "{First} still remembers {event} of {eventyear}, when [the {nouns} ran out|it rained all day|the {noun} broke|the crowd sang until dawn].",
        ].map(Template.init)
        static let closings: [Template] = [
            "{He} still visits {birthplace} every {month}.", "{First} says {his} favourite month is {month}.",
            "Asked about {his} plans, {first} said only that {he} hoped to {verb} more {nouns}.",
        ].map(Template.init)

        /// The biography of `population.people[index]`.
        static func write(_ index: Int, of population: Population, world: World, _ draw: inout Draw) -> Document {
            let person = population.people[index]
            var scene = Scene(world: world, person: person)
            scene.place = person.birthplace
            var doc = DocumentBuilder()
            doc.say(draw.pick(openings), scene, &draw)
            var said = Set(doc.facts.map(\.attribute))
            if !said.contains(.birthYear), draw.chance(0.9) { doc.say(draw.pick(birthYear), scene, &draw) }
            scene.place = person.home
            let trade = draw.pick(said.contains(.occupation) ? Array(self.trade.prefix(2)) : self.trade)
            doc.say(trade, scene, &draw)
            said = Set(doc.facts.map(\.attribute))
            if !said.contains(.employer) { doc.say(draw.pick(employer), scene, &draw) }
            if draw.chance(0.85) { doc.say(draw.pick(home), scene, &draw) }
            for _ in 0..<draw.int(1...2) { doc.say(draw.pick(pastimes), scene, &draw) }
            for relation in person.relations.prefix(draw.int(1...2)) {
                scene.relate(to: population.people[relation.other], as: relation.kind)
                doc.mention(scene.other)
                doc.say(relation.kind == .mentor ? mentor : draw.pick(relations), scene, &draw)
            }
            let eligible = world.events.indices.filter { world.events[$0].year >= person.birthYear + 16 }
            if !eligible.isEmpty, draw.chance(0.6) {
                scene.event = eligible[draw.index(eligible.count)]
                doc.say(draw.pick(events), scene, &draw)
            }
            if draw.chance(0.5) { doc.say(draw.pick(closings), scene, &draw) }
            return doc.build(.biography)
        }
    }
}
