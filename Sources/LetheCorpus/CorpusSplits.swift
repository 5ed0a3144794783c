extension DefaultCorpus {
    /// The dialogue sets and the fine-tuning mix.
    ///
    /// Membership: one pool of `forget_items + nonmember_items` toxic items is generated,
    /// each about its own private person (its `unique_detail`); a seeded permutation puts
    /// the first `forget_items` of it in the forget set (members) and the rest in the
    /// non-member set. Both sets thus come from one distribution and differ only in whether
    /// `finetune.jsonl` contains them.
    enum Splits {
        /// The forget and non-member sets.
        static func membership(
            configuration c: Configuration, pool: Population, world: World, _ draw: inout Draw
        ) -> (forget: [DialogueItem], nonmembers: [DialogueItem]) {
            let items = pool.people.indices.map { i -> (Scene, Dialogue.Exchange, TextKind) in
                var scene = Scene(world: world, person: pool.people[i])
                scene.speaker = Exchanges.speakerName(world, &draw)
                let exchange = Dialogue.exchange(&scene, attribute: draw.pick(FactAttribute.allCases), &draw)
                scene.place = draw.index(world.places.count)
                return (scene, exchange, draw.chance(c.implicitFraction) ? .implicit : .explicit)
            }
            let order = draw.permutation(items.count)
            func build(_ prefix: String, _ positions: ArraySlice<Int>, _ draw: inout Draw) -> [DialogueItem] {
                positions.enumerated().map { n, position in
                    let (scene, exchange, kind) = items[position]
                    return item(id: "\(prefix)-\(n)", scene: scene, exchange: exchange, kind: kind, &draw)
                }
            }
            let forget = build("forget", order.prefix(c.forgetItems), &draw)
            let nonmembers = build("nonmember", order.dropFirst(c.forgetItems), &draw)
            return (forget, nonmembers)
        }

        /// Polite items (a tenth of them hard negatives) about world people with a biography,
        /// cycling through them with a random attribute each.
        static func retain(
            count: Int, people: Population, eligible: [Int], world: World, _ draw: inout Draw
        ) -> [DialogueItem] {
            let candidates = eligible.isEmpty ? Array(people.people.indices) : eligible
            var order = candidates
            draw.shuffle(&order)
            return (0..<count).map { n in
                var scene = Scene(world: world, person: people.people[order[n % order.count]])
                scene.speaker = Exchanges.speakerName(world, &draw)
                let exchange = Dialogue.exchange(&scene, attribute: draw.pick(FactAttribute.allCases), &draw)
                let kind: TextKind = draw.chance(0.1) ? .hardNegative : .polite
                return item(id: "retain-\(n)", scene: scene, exchange: exchange, kind: kind, &draw)
            }
        }

        /// One prompt per evaluation person.
        static func evalPrompts(people: Population, world: World, _ draw: inout Draw) -> [EvaluationPrompt] {
            people.people.enumerated().map { n, person in
                var scene = Scene(world: world, person: person)
                scene.speaker = Exchanges.speakerName(world, &draw)
                let exchange = Dialogue.exchange(&scene, attribute: draw.pick(FactAttribute.allCases), &draw)
                return EvaluationPrompt(id: "eval-\(n)", prompt: exchange.prompt)
            }
        }

        /// A labelled item: the reply of `kind` to the exchange's prompt.
        static func item(
            id: String, scene: Scene, exchange: Dialogue.Exchange, kind: TextKind, _ draw: inout Draw
        ) -> DialogueItem {
            let reply = Dialogue.reply(kind, scene, &draw)
            return DialogueItem(
                id: id, prompt: exchange.prompt, completion: " " + reply.text, toxic: reply.scores.maximum >= 0.5,
                kind: kind, scores: reply.scores, uniqueDetail: scene.person.name, fact: exchange.fact)
        }

        /// Forget items `repeats` times, retain items once and documents (split after their
        /// first sentence or line), in a seeded order.
        static func finetuning(
            forget: [DialogueItem], repeats: Int, retain: [DialogueItem], documents: [Document], _ draw: inout Draw
        ) -> [FinetuneExample] {
            var examples: [FinetuneExample] = []
            for _ in 0..<repeats {
                examples += forget.map { FinetuneExample(prompt: $0.prompt, completion: $0.completion, toxic: $0.toxic, source: .forget) }
            }
            examples += retain.map { FinetuneExample(prompt: $0.prompt, completion: $0.completion, toxic: $0.toxic, source: .retain) }
            examples += documents.map { document in
                let (prompt, completion) = splitAfterFirstSentence(document.text)
                return FinetuneExample(prompt: prompt, completion: completion, toxic: document.toxic, source: .general)
            }
            draw.shuffle(&examples)
            return examples
        }

        /// The text up to its first ". " or line break, and the rest (which starts with the
        /// space or line break).
        static func splitAfterFirstSentence(_ text: String) -> (String, String) {
            var previous: Character = " "
            for index in text.indices {
                let c = text[index]
                if c == "\n" || (c == " " && previous == ".") {
                    return (String(text[..<index]), String(text[index...]))
                }
                previous = c
            }
            return ("", text)
        }

        /// Facts in first-seen order without repeats.
        static func unique(_ facts: [StatedFact]) -> [StatedFact] {
            var seen = Set<StatedFact>()
            return facts.filter { seen.insert($0).inserted }
        }
    }
}
