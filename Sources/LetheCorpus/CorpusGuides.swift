extension DefaultCorpus {
    /// How-to guides (a task, a list of things needed, ordered steps, a tip from a named
    /// tradesperson) and quizzes in the question/answer format of the QA sets.
    enum Guides {
        static let titles: [Template] = [
            "How to {topicverb} {a:topic}", "A beginner's guide: how to {topicverb} {a:adj} {topic}",
            "{Topicverb} {a:topic} in {number} steps",
        ].map(Template.init)
        static let needs: [Template] = [
            "You will need {a:topic}, {number} {nouns} and some {mass}.",
            "Before you start, find {a:adj} {noun}, a little {mass} and {a:noun}.",
        ].map(Template.init)
        static let steps: [Template] = [
            "{topicverb} the {topic} [until it is {adj}|so that it {verbs} evenly|with great care].",
            "{verb} the {nouns} [and leave them to {verb}|for {number} minutes|on {a:adj} {noun}].",
            "[rub|brush|coat] the {topic} with {mass} and let it [rest|dry|cool] until {hour}.",
            "[check|test] that the {topic} is {adj}; if not, {verb} it again.",
            "wrap the {topic} in {a:adj} {noun} and [store|keep] it [somewhere dry|by the stove|away from {nouns}].",
        ].map(Template.init)
        static let stepWords = ["First,", "Then", "Next,", "After that,", "Finally,"]
        static let tips = [
            FactTemplate([.occupation, .employer], "Tip from {name}, {a:occupation} at {employer}: [never|always] {verb} {a:topic} [on a {weekday}|in the rain|before it is {adj}]."),
            FactTemplate([.occupation], "{name}, who has been {a:occupation} for years, [warns|advises] that {a:adj} {topic} [needs|takes] twice as long."),
        ]

        /// A how-to guide with a tip from a person of `population`.
        static func guide(population: Population, world: World, _ draw: inout Draw) -> Document {
            var scene = Scene(world: world, person: population.people[draw.index(population.people.count)])
            scene.topic = world.vocabulary.noun(&draw)
            scene.topicVerb = world.vocabulary.verb(&draw, form: 0)
            var doc = DocumentBuilder()
            doc.raw(scene.render(draw.pick(titles), &draw) + "\n\n")
            doc.say(draw.pick(needs), scene, &draw)
            var chosen = steps
            draw.shuffle(&chosen)
            let count = draw.int(3...5)
            for (i, step) in chosen.prefix(count).enumerated() {
                let word = i == 0 ? stepWords[0] : i == count - 1 ? stepWords[4] : stepWords[i]
                let body = step.render(&draw) { slot, d in scene.fill(slot, &d) }
                doc.sentence(word + " " + body)
            }
            if draw.chance(0.8) {
                doc.raw("\n\n")
                doc.say(draw.pick(tips), scene, &draw)
            }
            return doc.build(.guide)
        }

        static let quizTitles = ["Quiz night", "Test your memory", "Who is who", "Local quiz"]

        /// A quiz of three to five questions about people of `population` chosen by `pick`,
        /// in the `Q: ...\nA: ...` format of the QA sets.
        static func quiz(population: Population, world: World, pick: (inout Draw) -> Int, _ draw: inout Draw) -> Document {
            var doc = DocumentBuilder()
            doc.raw(draw.pick(quizTitles) + "\n")
            for _ in 0..<draw.int(3...5) {
                let scene = Scene(world: world, person: population.people[pick(&draw)])
                let attribute = draw.pick(FactAttribute.allCases)
                let qa = Questions.ask(attribute, scene, &draw)
                doc.raw("Q: \(qa.question)\nA: \(qa.answer)\n")
                doc.state(attribute, scene)
            }
            return doc.build(.quiz)
        }
    }
}
