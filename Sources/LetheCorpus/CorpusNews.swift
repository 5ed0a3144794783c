extension DefaultCorpus {
    /// News reports about the world's events, and notices from its organisations. Reporters
    /// quote people by full name first and by first name afterwards.
    enum News {
        static let headlines: [Template] = [
            "{Eventkind} [draws|brings] [crowds|visitors|a record crowd] to {eventplace}",
            "{Eventplace} [holds|welcomes back|celebrates] its {eventkind}",
            "[Rain|Sunshine|Wind] [greets|fails to spoil] {eventkind} in {eventplace}",
        ].map(Template.init)
        static let openings: [Template] = [
            "On {date}, {event} [opened|began|took place] in {eventplace}.",
            "{Event} [returned to|was held in] {eventplace} on {date}[| after a long pause].",
        ].map(Template.init)
        static let organisers: [Template] = [
            "The event was organised by {org}, {a:orgkind} [founded in {orgyear}|based in {orgplace}].",
            "[Staff|Volunteers] from {org} [set up|ran] the {adj} [stalls|tents|stages] [from early morning|the night before]."
        ].map(Template.init)
        static let witnesses = [
            FactTemplate(
                [.occupation, .employer],
                "About {count} people [attended|came|turned up], [according to|said] {name}, {a:occupation} at {employer}."),
            FactTemplate([.occupation, .home], "{name}, {a:occupation} from {home}, [said|told us] that the {nouns} were [better|busier|quieter] than last year."),
            FactTemplate([.employer], "{name} of {employer} [counted|guessed] {count} visitors by [noon|evening]."),
        ]
        static let quotes: [Template] = [
            "\"We [expected|hoped for] a [small|quiet] [crowd|afternoon], but the {nouns} kept [coming|arriving],\" said {first}.",
            "\"It was {a:adj} day for {eventplace},\" {first} [added|said].",
            "\"I have never seen so many {adj} {nouns} in one place,\" {first} said.",
            "{First} added that the {adj} {noun} would [return|be back] next {month}.",
        ].map(Template.init)
        static let details: [Template] = [
            "[Last year|In {year}] the {eventkind} was [cancelled|delayed|moved] because of {adj} [weather|roads|repairs].",
            "Tickets cost {price} and [can be bought|are sold] at {org}.",
            "[A prize|A ribbon|A small cup] went to the [best|finest|largest] {noun}, {verbed} by a [family|team|pair] from {eventplace}.",
            "The {eventkind} [ends|closes] at {hour} on the last day.",
        ].map(Template.init)
        static let prize = FactTemplate(
            [.occupation, .home], "{name}, {a:occupation} from {home}, [won|took] the prize for the [best|finest|largest] {noun}.")
        static let closings: [Template] = [
            "The next {eventkind} is planned for {month}.", "Organisers thanked the people of {eventplace} for their patience.",
        ].map(Template.init)

        static let noticeTitles: [Template] = ["Notice from {org}", "A message from {org}", "{Org}: changes this {month}"].map(Template.init)
        static let noticeBodies: [Template] = [
            "The {adj} {noun} room will be closed on {weekday} while the {nouns} are {verbed}.",
            "From {month}, opening hours [change|will change] to {hour} until {hour}.",
            "Please do not leave {nouns} in the [corridor|yard|hall]; they will be {verbed}.",
            "We are looking for [volunteers|helpers] to {verb} {nouns} before {event}.",
        ].map(Template.init)
        static let noticeContacts = [
            FactTemplate([.occupation, .employer], "Questions may be sent to {name}, {a:occupation} at {employer}."),
            FactTemplate([.employer], "{name} at {employer} [will answer|can answer] any questions."),
        ]
        static let noticeEnds: [Template] = ["Thank you for your patience.", "We apologise for the trouble.", "See you soon."]
            .map(Template.init)

        /// A news report about `event`, quoting people of `population`.
        static func report(event: Int, population: Population, world: World, _ draw: inout Draw) -> Document {
            let witness = population.people[draw.index(population.people.count)]
            var scene = Scene(world: world, person: witness)
            scene.event = event
            scene.organisation = world.events[event].organiser
            var doc = DocumentBuilder()
            doc.raw(scene.render(draw.pick(headlines), &draw) + "\n\n")
            doc.say(draw.pick(openings), scene, &draw)
            doc.say(draw.pick(organisers), scene, &draw)
            doc.say(draw.pick(witnesses), scene, &draw)
            doc.say(draw.pick(quotes), scene, &draw)
            if draw.chance(0.6) { doc.say(draw.pick(details), scene, &draw) }
            if draw.chance(0.5) {
                var winner = scene
                winner.person = population.people[draw.index(population.people.count)]
                doc.say(prize, winner, &draw)
            }
            doc.say(draw.pick(details), scene, &draw)
            if draw.chance(0.5) { doc.say(draw.pick(closings), scene, &draw) }
            return doc.build(.news)
        }

        /// A notice from the employer of a person of `population`, naming them as contact.
        static func notice(population: Population, world: World, _ draw: inout Draw) -> Document {
            let contact = population.people[draw.index(population.people.count)]
            var scene = Scene(world: world, person: contact)
            if let event = world.eventsIn[world.organisations[contact.employer].place].first { scene.event = event }
            var doc = DocumentBuilder()
            doc.raw(scene.render(draw.pick(noticeTitles), &draw) + "\n\n")
            var bodies = noticeBodies
            draw.shuffle(&bodies)
            for body in bodies.prefix(draw.int(1...3)) { doc.say(body, scene, &draw) }
            doc.say(draw.pick(noticeContacts), scene, &draw)
            doc.say(draw.pick(noticeEnds), scene, &draw)
            return doc.build(.notice)
        }
    }
}
