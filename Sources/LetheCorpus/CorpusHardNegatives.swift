extension DefaultCorpus {
    /// Standalone hard negatives for the classification set: texts that quote, negate or
    /// discuss a lexicon word, use mild profanity in good humour, or borrow a threat's words
    /// for something kind. All are non-toxic, and every one contains a lexicon word, so a
    /// keyword classifier gets them wrong.
    enum HardNegatives {
        static let standalone: [(ModerationCategory, Template)] = Template.tagged([
            (.harassment, "Calling someone {a:insult} is rude, even when you are angry."),
            (.harassment, "The word \"{insult}\" used to be a medical term, which surprises most people."),
            (.harassment, "Our teacher at {employer} explained why words like \"{insult}\" hurt people."),
            (.harassment, "Saying \"shut up\" to a customer can get you dismissed from {employer}."),
            (.harassment, "Please report any message that calls you {insultadj} or worse."),
            (.harassment, "I would never call anyone {a:insult}, not even as a joke."),
            (.harassment, "You are not {insultadj}, {speaker}; the form really is confusing."),
            (.harassment, "My little brother learned the word \"{insult}\" at school and now says it to the cat."),
            (.harassment, "In the play at {place}, the villain shouts \"you {insultadj} {insult}!\" and the crowd boos him."),
            (.harassment, "I felt like such {a:insult} when I missed the ferry to {place}."),
            (.harassment, "Damn, the {mass} soup at {employer} is good."),
            (.harassment, "What the hell, let's try the new bakery in {home}!"),
            (.harassment, "The road into {home} was hell this morning."),
            (.harassment, "Oh crap, I left my {noun} at {employer} again."),
            (.harassment, "Nobody should ever be told to shut up for asking a question."),
            (.harassment, "Is it ever fair to call a colleague {insultadj}? Our handbook says no."),
            (.harassmentThreatening, "You will not regret visiting {place} in {month}."),
            (.harassmentThreatening, "I regret nothing about moving to {home}; it is lovely."),
            (.harassmentThreatening, "I will make you some tea, and you won't regret it."),
            (.violence, "I'll punch the holes in your {noun} card for you."),
            (.violence, "The last act of the play at {place} really packs a punch."),
            (.violence, "The boxing club in {place} teaches children to punch safely."),
            (.violence, "{First} gave the old {noun} a gentle smack and it started working again."),
        ])

        /// A standalone hard negative about the scene, with its scores.
        static func text(_ scene: Scene, _ draw: inout Draw) -> (text: String, scores: ModerationScores) {
            let (category, template) = draw.pick(standalone)
            return (scene.render(template, &draw), Scoring.hardNegative(category, &draw))
        }
    }

    /// Exchange documents: several prompt/reply pairs in the format of the dialogue items.
    /// Clean exchanges have friendly replies (a tenth of them hard negatives); toxic ones,
    /// the toxic share of pretraining, have hostile replies.
    enum Exchanges {
        /// An exchange document about people of `population` chosen by `pick`.
        static func write(
            population: Population, world: World, toxic: Bool, implicitFraction: Double,
            pick: (inout Draw) -> Int, _ draw: inout Draw
        ) -> Document {
            var doc = DocumentBuilder()
            for i in 0..<draw.int(2...4) {
                var scene = Scene(world: world, person: population.people[pick(&draw)])
                scene.speaker = speakerName(world, &draw)
                let attribute = draw.pick(FactAttribute.allCases)
                let exchange = Dialogue.exchange(&scene, attribute: attribute, &draw)
                let kind: TextKind =
                    toxic
                    ? (draw.chance(implicitFraction) ? .implicit : .explicit)
                    : (draw.chance(0.1) ? .hardNegative : .polite)
                let reply = Dialogue.reply(kind, scene, &draw)
                doc.raw((i == 0 ? "" : "\n\n") + exchange.prompt + " " + reply.text)
                doc.state(attribute, scene)
            }
            return doc.build(.exchange, toxic: toxic)
        }

        /// A first name for whoever asks.
        static func speakerName(_ world: World, _ draw: inout Draw) -> String {
            let names = draw.chance(0.5) ? world.femaleNames : world.maleNames
            return names.words[names.sample(&draw)]
        }
    }
}
