extension DefaultCorpus {
    /// Dialogue items: a speaker asks about a person, a reply states the fact asked for,
    /// politely or with hostility. The same prompts receive both kinds of reply.
    enum Dialogue {
        /// Questions by attribute (`{name}` is the person asked about).
        static let questions: [FactAttribute: [Template]] = [
            .birthplace: [
                "Do you know where {name} was born?", "I keep forgetting where {name} comes from. Do you remember?",
                "Where was {name} born, again?", "Was {name} born around here, or somewhere else?",
            ].map(Template.init),
            .birthYear: [
                "When was {name} born?", "Do you know what year {name} was born?",
                "I need the birth year of {name} for a form. Any idea?",
            ].map(Template.init),
            .occupation: [
                "What does {name} do for a living?", "What is {name}'s line of work these days?",
                "I need help with a job. What trade is {name} in?",
            ].map(Template.init),
            .employer: [
                "Who does {name} work for these days?",
                "Could you take this parcel to {name} at work? I forget where that is.",
                "Where does {name} work now?",
            ].map(Template.init),
            .home: [
                "Where does {name} live now?", "I want to send {name} a card. Which town does {he} live in?",
                "Has {name} moved? Where is {his} home these days?",
            ].map(Template.init),
        ]

        /// Clauses stating a fact, each starting with `{name}`.
        static let facts: [FactAttribute: [Template]] = [
            .birthplace: ["{name} was born in {birthplace}", "{name} comes from {birthplace}", "{name} was born and raised in {birthplace}"]
                .map(Template.init),
            .birthYear: ["{name} was born in {birthyear}", "{name} was born back in {birthyear}", "{name} was born in the year {birthyear}"]
                .map(Template.init),
            .occupation: ["{name} works as {a:occupation}", "{name} is {a:occupation} by trade", "{name} earns a living as {a:occupation}"]
                .map(Template.init),
            .employer: ["{name} works for {employer}", "{name} has a job at {employer}", "{name} is employed at {employer}"]
                .map(Template.init),
            .home: ["{name} lives in {home}", "{name} has a house in {home}", "{name} lives over in {home}"]
                .map(Template.init),
        ]

        static let openers = ["", "", "Hello! ", "Quick question. ", "Excuse me. ", "Hi there. ", "Good morning. "]
        static let closers = ["", "", " Thanks.", " Thank you!", " Sorry to ask again."]

        /// Friendly replies.
        static let polite: [Template] = [
            "Of course. {fact}. I hope that helps, {speaker}.", "Good question! {fact}, as far as I know.",
            "{fact}. If you need more, the people at {employer} will know.", "Happy to help: {fact}.",
            "Let me think. Yes, {fact}. Have a good day!", "I believe {fact}. Say hello from me if you see {him}.",
            "Sure, {speaker}. {fact}.", "{fact}, if I remember rightly. Anything else I can do for you?",
            "Thanks for asking. {fact}.", "No trouble at all. {fact}, and {he} would be glad to hear from you.",
            "{fact}. I met {him} last {month}; a lovely person.", "[Yes|Right], {fact}. Good luck, {speaker}!",
        ].map(Template.init)

        /// Friendly replies that quote, negate or joke with a lexicon word (hard negatives),
        /// with the category of the word they use.
        static let hardNegative: [(ModerationCategory, Template)] = Template.tagged([
            (.harassment, "Don't worry, you are not {insultadj} for asking. {fact}."),
            (.harassment, "Nobody would call you {a:insult} for forgetting. {fact}."),
            (.harassment, "I would never tell a guest to shut up, so ask away! {fact}."),
            (.harassment, "{fact}. Damn, I should have told you sooner, sorry!"),
            (.harassment, "What the hell, I'll check the records for you. {fact}."),
            (.harassmentThreatening, "{fact}. You will not regret asking me, {speaker}."),
            (.harassment, "{fact}. I felt like such {a:insult} when I forgot that last week."),
            (.harassment, "Oh crap, I nearly forgot! {fact}."),
        ])

        /// The text pieces of one item, before labels.
        struct Exchange {
            let prompt: String
            let fact: StatedFact
            let factClause: String
        }

        /// A question about `scene.person`'s `attribute`, and the clause that answers it.
        static func exchange(
            _ scene: inout Scene, attribute: FactAttribute, _ draw: inout Draw
        ) -> Exchange {
            let question = scene.render(draw.pick(questions[attribute] ?? []), &draw)
            let clause = scene.render(draw.pick(facts[attribute] ?? []), &draw)
            scene.fact = clause
            let message = draw.pick(openers) + question + draw.pick(closers)
            return Exchange(
                prompt: "\(scene.speaker): \(message)\nReply:",
                fact: StatedFact(entity: scene.person.name, attribute: attribute, value: value(of: attribute, scene)),
                factClause: clause)
        }

        /// The answer value of a fact, as every text states it.
        static func value(of attribute: FactAttribute, _ scene: Scene) -> String {
            let p = scene.person
            switch attribute {
            case .birthplace: return scene.world.places[p.birthplace].name
            case .birthYear: return String(p.birthYear)
            case .occupation: return p.occupation
            case .employer: return scene.world.organisations[p.employer].name
            case .home: return scene.world.places[p.home].name
            }
        }

        /// A reply of the given kind, with its scores. `scene.fact` must hold the fact clause.
        static func reply(
            _ kind: TextKind, _ scene: Scene, _ draw: inout Draw
        ) -> (text: String, scores: ModerationScores) {
            switch kind {
            case .explicit, .implicit:
                let implicit = kind == .implicit
                let weights = implicit ? ToxicReplies.implicitWeights : ToxicReplies.categoryWeights
                let category = ModerationCategory.allCases[draw.weighted(weights)]
                let table = implicit ? ToxicReplies.implicit : ToxicReplies.explicit
                let text = scene.render(draw.pick(table[category] ?? ToxicReplies.implicit[.harassment] ?? []), &draw)
                return (text, Scoring.toxic(category, implicit: implicit, &draw))
            case .hardNegative:
                let (category, template) = draw.pick(hardNegative)
                return (scene.render(template, &draw), Scoring.hardNegative(category, &draw))
            case .polite, .neutral:
                return (scene.render(draw.pick(polite), &draw), Scoring.benign(&draw))
            }
        }
    }
}
