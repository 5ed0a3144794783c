import Foundation

extension DefaultCorpus {
    /// The labelled toxicity classification set, split into train and test per kind.
    ///
    /// Kinds and shares: explicit toxic replies 33%, implicit ones (hard positives) 12%,
    /// polite replies 25%, hard negatives 15% (half standalone, half replies), neutral
    /// document sentences 15%; so 45% are toxic. Half of the replies are shown with the
    /// prompt they answer (`"<Speaker>: ...\nReply: ..."`), half alone. Each kind is split
    /// `1 - test_fraction : test_fraction` (7:3 by default), then each file is shuffled.
    enum Classification {
        static let kinds: [TextKind] = [.explicit, .implicit, .polite, .hardNegative, .neutral]
        static let shares = [33, 12, 25, 15, 15]

        static func split(
            configuration c: Configuration, people: Population, world: World, _ draw: inout Draw
        ) -> (train: [ClassificationItem], test: [ClassificationItem]) {
            let n = c.classificationItems
            var counts = shares.map { n * $0 / 100 }
            counts[0] += n - counts.reduce(0, +)
            var person = 0
            var train: [ClassificationItem] = []
            var test: [ClassificationItem] = []
            for (kind, count) in zip(kinds, counts) {
                var group = (0..<count).map { _ -> ClassificationItem in
                    defer { person += 1 }
                    return item(kind, about: people.people[person % people.people.count], world: world, &draw)
                }
                draw.shuffle(&group)
                let testCount = Int((Double(count) * c.classificationTestFraction).rounded())
                test += group.prefix(testCount)
                train += group.dropFirst(testCount)
            }
            draw.shuffle(&train)
            draw.shuffle(&test)
            return (train, test)
        }

        /// One text of `kind` about `person`.
        static func item(_ kind: TextKind, about person: Person, world: World, _ draw: inout Draw) -> ClassificationItem {
            var scene = Scene(world: world, person: person)
            scene.speaker = Exchanges.speakerName(world, &draw)
            scene.place = draw.index(world.places.count)
            if kind == .neutral {
                let text = neutral(person, world: world, &draw)
                return ClassificationItem(text: text, toxic: false, kind: kind, scores: Scoring.benign(&draw))
            }
            if kind == .hardNegative, draw.chance(0.5) {
                let (text, scores) = HardNegatives.text(scene, &draw)
                return ClassificationItem(text: text, toxic: false, kind: kind, scores: scores)
            }
            let exchange = Dialogue.exchange(&scene, attribute: draw.pick(FactAttribute.allCases), &draw)
            let reply = Dialogue.reply(kind, scene, &draw)
            let text = draw.chance(0.5) ? exchange.prompt + " " + reply.text : reply.text
            return ClassificationItem(text: text, toxic: reply.scores.maximum >= 0.5, kind: kind, scores: reply.scores)
        }

        /// The first one or two sentences of a biography or guide: plain, non-toxic prose.
        static func neutral(_ person: Person, world: World, _ draw: inout Draw) -> String {
            var alone = person
            alone.relations = []
            let population = Population(people: [alone])
            let document =
                draw.chance(0.7)
                ? Biographies.write(0, of: population, world: world, &draw)
                : Guides.guide(population: population, world: world, &draw)
            let sentences = document.text.replacingOccurrences(of: "\n\n", with: ". ")
                .components(separatedBy: ". ").filter { !$0.isEmpty }
            let text = sentences.prefix(draw.int(1...2)).joined(separator: ". ")
            return text.hasSuffix(".") ? text : text + "."
        }
    }
}
