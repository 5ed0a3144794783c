extension DefaultCorpus {
    /// Question/answer pairs about people: the retain and forget QA sets and the quizzes of
    /// pretraining share these phrasings, and the answer is the bare value every document
    /// states ("Darnholt", "1987", "tanner", "Orvex Mills").
    enum Questions {
        static let phrasings: [FactAttribute: [Template]] = [
            .birthplace: ["Where was {name} born?", "In which town was {name} born?"].map(Template.init),
            .birthYear: ["In which year was {name} born?", "What year was {name} born in?"].map(Template.init),
            .occupation: ["What is {name}'s occupation?", "What is {name}'s trade?"].map(Template.init),
            .employer: ["Who does {name} work for?", "Where does {name} work?"].map(Template.init),
            .home: ["Where does {name} live?", "In which town does {name} live now?"].map(Template.init),
        ]

        /// A question about the scene's person and its answer.
        static func ask(_ attribute: FactAttribute, _ scene: Scene, _ draw: inout Draw) -> QuestionAnswer {
            let question = scene.render(draw.pick(phrasings[attribute] ?? []), &draw)
            return QuestionAnswer(
                question: question, answer: Dialogue.value(of: attribute, scene), entity: scene.person.name,
                attribute: attribute)
        }

        /// Questions about stated facts, one per fact, in the order given (at most `limit`).
        static func about(
            _ facts: [StatedFact], people: [String: Person], world: World, limit: Int, _ draw: inout Draw
        ) -> [QuestionAnswer] {
            var out: [QuestionAnswer] = []
            for fact in facts where out.count < limit {
                guard let person = people[fact.entity] else { continue }
                out.append(ask(fact.attribute, Scene(world: world, person: person), &draw))
            }
            return out
        }
    }
}
