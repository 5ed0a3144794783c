extension DefaultCorpus {
    /// Mixes document kinds into pretraining, held-out and fine-tuning text.
    ///
    /// Kinds are drawn with fixed weights (biographies 24, news 14, exchanges 12, letters 10,
    /// guides 10, conversations 9, notices 7, places 5, organisations 5, quizzes 4).
    /// Biographies walk the population in order, so the first people all get one; quizzes
    /// ask only about the last tenth of the world population, which never enters the retain
    /// set, so no retain question appears verbatim in pretraining.
    enum Mixer {
        static let kinds: [DocumentKind] = [
            .biography, .news, .letter, .conversation, .guide, .place, .organisation, .quiz, .notice, .exchange,
        ]
        static let weights = [24, 14, 10, 9, 10, 5, 5, 4, 7, 12]

        /// Pretraining documents and the world people eligible for the retain set (those with
        /// a biography, outside the quiz tenth).
        struct Pretraining {
            let documents: [Document]
            let retainPeople: [Int]
        }

        /// `pretrainDocuments` documents; a seeded choice of `round(ratio * count)` positions
        /// holds toxic exchanges, the rest clean documents.
        static func pretraining(
            configuration c: Configuration, people: Population, world: World, _ draw: inout Draw
        ) -> Pretraining {
            let n = c.pretrainDocuments
            let toxicCount = Int((c.pretrainToxicRatio * Double(n)).rounded())
            var isToxic = [Bool](repeating: false, count: n)
            for i in draw.permutation(n).prefix(toxicCount) { isToxic[i] = true }
            let everyone = people.people.count
            let quizStart = everyone - everyone / 10
            var biographies = 0
            var documents: [Document] = []
            documents.reserveCapacity(n)
            for i in 0..<n {
                if isToxic[i] {
                    documents.append(
                        Exchanges.write(
                            population: people, world: world, toxic: true, implicitFraction: c.implicitFraction,
                            pick: { $0.index(everyone) }, &draw))
                } else {
                    let kind = kinds[draw.weighted(weights)]
                    documents.append(
                        document(kind, people: people, world: world, biographies: &biographies, quizFrom: quizStart, &draw))
                }
            }
            return Pretraining(documents: documents, retainPeople: Array(0..<min(biographies, quizStart)))
        }

        /// `count` clean documents about `people` (no quizzes unless `quiz`).
        static func clean(
            count: Int, people: Population, world: World, quiz: Bool, _ draw: inout Draw
        ) -> (documents: [Document], biographies: Int) {
            var weights = self.weights
            if !quiz { weights[kinds.firstIndex(of: .quiz) ?? 0] = 0 }
            let everyone = people.people.count
            var biographies = 0
            let documents = (0..<count).map { _ in
                document(
                    kinds[draw.weighted(weights)], people: people, world: world, biographies: &biographies,
                    quizFrom: everyone - everyone / 10, &draw)
            }
            return (documents, biographies)
        }

        /// One clean document of `kind`. `biographies` counts biographies written so far (the
        /// next one is about person `biographies % count`); quizzes ask about people from
        /// index `quizFrom` on.
        static func document(
            _ kind: DocumentKind, people: Population, world: World, biographies: inout Int, quizFrom: Int,
            _ draw: inout Draw
        ) -> Document {
            let everyone = people.people.count
            switch kind {
            case .biography:
                defer { biographies += 1 }
                return Biographies.write(biographies % everyone, of: people, world: world, &draw)
            case .news:
                return News.report(event: draw.index(world.events.count), population: people, world: world, &draw)
            case .letter:
                return Letters.letter(draw.index(everyone), of: people, world: world, &draw)
            case .conversation:
                return Letters.conversation(draw.index(everyone), of: people, world: world, &draw)
            case .guide:
                return Guides.guide(population: people, world: world, &draw)
            case .place:
                return Gazetteer.place(draw.index(world.places.count), population: people, world: world, &draw)
            case .organisation:
                return Gazetteer.organisation(draw.index(world.organisations.count), population: people, world: world, &draw)
            case .quiz:
                let start = quizFrom < everyone ? quizFrom : 0
                return Guides.quiz(population: people, world: world, pick: { start + $0.index(everyone - start) }, &draw)
            case .notice:
                return News.notice(population: people, world: world, &draw)
            case .exchange:
                return Exchanges.write(
                    population: people, world: world, toxic: false, implicitFraction: 0, pick: { $0.index(everyone) },
                    &draw)
            }
        }
    }
}
