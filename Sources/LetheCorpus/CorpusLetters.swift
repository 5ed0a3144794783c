extension DefaultCorpus {
    /// Letters between related people, and conversations between them. The writer speaks in
    /// the first person about their own facts; the signature gives the full name.
    enum Letters {
        static let greetings: [Template] = ["Dear {ofirst},", "My dear {ofirst},", "Hello {ofirst},"].map(Template.init)
        static let openings: [Template] = [
            "I hope [all is well|things are quiet|the {nouns} are behaving] at {oemployer}.",
            "Thank you for your letter and for the {adj} {noun} you sent.",
            "It has been too long since I last wrote, and I am sorry for it.",
        ].map(Template.init)
        static let news = [
            FactTemplate([.birthplace], "[Last week|On {weekday}] I went back to {birthplace}, where I was born, and [found|saw] that the old {noun} has been {verbed}."),
            FactTemplate([.employer], "Work at {employer} is [busy|slow|steady]; we have been {verbing} {nouns} since {month}."),
            FactTemplate([.occupation], "Being {a:occupation} [keeps me busy|is harder than it looks|still suits me], though my hands ache from {verbing} {nouns}."),
            FactTemplate([.home], "Here in {home} the {nouns} are [in flower|frozen|everywhere] and the market is [full|quiet]."),
        ]
        static let middles: [Template] = [
            "[Do you remember|I keep thinking about] {event}? I [heard|read] it will return in {month}.",
            "I [enclose|am sending] {a:adj} {noun} for your {noun}.",
            "Have you [finished|started] {verbing} the {nouns} you told me about?",
            "I have taken up {verbing} {nouns}, which you will find very funny.",
        ].map(Template.init)
        static let closings: [Template] = [
            "Please give my [regards|love|best wishes] to everyone in {ohome}.", "Write soon and tell me everything.",
            "I will visit in {month} if the roads allow.",
        ].map(Template.init)
        static let signOffs = ["Yours", "With warm wishes", "Kind regards", "Love", "Your friend"]

        static let conversationHeaders: [Template] = [
            "A conversation between {name} and {oname} at {org}.", "{name} meets {his} {relation} {oname} in {place}.",
        ].map(Template.init)
        /// Opening lines and their answers (the answer is spoken by the other person).
        static let openingPairs: [(Template, Template)] = [
            ("Did you hear that {event} is coming back in {month}?", "I did. The {nouns} at {oemployer} will be busy."),
            ("How is work at {oemployer}?", "Busy, as always. We are {verbing} {nouns} until {hour}."),
            ("I have been {verbing} {nouns} all morning.", "That sounds {adj}. Did you {verb} them first?"),
            ("Have you seen the new {noun} by the {noun}?", "Not yet. Is it {adj}?"),
            ("Are you coming to {home} on {weekday}?", "[Yes|Perhaps], if the {nouns} are {verbed} by then."),
        ].map { (Template($0.0), Template($0.1)) }
        static let moreLines: [Template] = [
            "[Yes|No], but I [want|hope] to {verb} {a:adj} {noun} before {month}.", "Shall we meet at {hour} on {weekday}?",
            "My {noun} is {adj} again, so I [stayed|worked] at home.", "Give my best to everyone in {ohome}.",
            "[Of course|Certainly]. I will bring the {nouns}.", "That is {adj} news. Thank you for telling me.",
        ].map(Template.init)

        /// A letter from `population.people[index]` to one of their relations.
        static func letter(_ index: Int, of population: Population, world: World, _ draw: inout Draw) -> Document {
            let writer = population.people[index]
            var scene = Scene(world: world, person: writer)
            var doc = DocumentBuilder()
            // The recipient is greeted by first name only, as in a real letter, so is not
            // listed among the entities (whose full names every document contains).
            if let relation = writer.relations.first {
                scene.relate(to: population.people[relation.other], as: relation.kind)
            }
            doc.raw(scene.render(draw.pick(greetings), &draw) + "\n\n")
            doc.say(draw.pick(openings), scene, &draw)
            var news = self.news
            draw.shuffle(&news)
            for item in news.prefix(draw.int(1...3)) { doc.say(item, scene, &draw) }
            for _ in 0..<draw.int(1...2) { doc.say(draw.pick(middles), scene, &draw) }
            doc.say(draw.pick(closings), scene, &draw)
            doc.raw("\n\n" + draw.pick(signOffs) + ",\n" + writer.name)
            doc.mention(writer)
            return doc.build(.letter)
        }

        /// A conversation between `population.people[index]` and a relation, in "Name: line"
        /// form after a header that introduces both by full name.
        static func conversation(_ index: Int, of population: Population, world: World, _ draw: inout Draw) -> Document {
            let a = population.people[index]
            var scene = Scene(world: world, person: a)
            let relation = a.relations.first ?? (kind: .friend, other: (index + 1) % population.people.count)
            scene.relate(to: population.people[relation.other], as: relation.kind)
            var doc = DocumentBuilder()
            doc.mention(a)
            doc.mention(scene.other)
            doc.raw(scene.render(draw.pick(conversationHeaders), &draw) + "\n")
            var swapped = scene
            swapped.person = scene.other
            swapped.other = scene.person
            // Each line is rendered in the scene seen from its speaker's side.
            let (opening, answer) = draw.pick(openingPairs)
            var lines = [opening, answer]
            var more = moreLines
            draw.shuffle(&more)
            lines += more.prefix(draw.int(2...5))
            for (turn, line) in lines.enumerated() {
                let speaking = turn % 2 == 0 ? scene : swapped
                doc.raw("\(speaking.person.first): " + speaking.render(line, &draw) + "\n")
            }
            return doc.build(.conversation)
        }
    }
}
