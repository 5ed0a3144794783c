import Foundation

extension DefaultCorpus {
    /// Which part of the TOFU-style question set a question belongs to.
    public enum TofuSplit: String, CaseIterable, Sendable {
        /// Questions about the fictitious people unlearning removes (`tofuForgetShare` of them).
        case forget
        /// Questions about the other fictitious people.
        case retain
        /// Questions about world people whose facts pretraining states (TOFU's "real world").
        case world
    }

    /// A TOFU-style question (Maini et al. 2024): the correct answer as a sentence, a
    /// paraphrase of it, and wrong answers in the paraphrase's wording with another value of
    /// the same kind (another town, year, trade or employer), as TOFU perturbs its
    /// paraphrased answers.
    public struct TofuQuestion: Sendable {
        /// `tofu-<split>-<person>-<attribute>`.
        public let id: String
        public let split: TofuSplit
        public let entity: String
        public let attribute: FactAttribute
        public let question: String
        public let answer: String
        public let paraphrasedAnswer: String
        public let perturbedAnswers: [String]
    }

    /// Fictitious people of the TOFU-style set, questions per person (one per attribute),
    /// the forget share of the people, wrong answers per question, and world questions.
    /// Fixed, like the scenery sizes, so the other sets never change.
    static let tofuPeople = 60
    static let tofuForgetShare = 0.05
    static let tofuPerturbed = 3
    static let tofuWorldQuestions = 50

    enum Tofu {
        /// The answer sentence and its paraphrase, with `{v}` for the value.
        static let wordings: [FactAttribute: (answer: String, paraphrase: String)] = [
            .birthplace: ("{name} was born in {v}.", "{v} is the town where {name} was born."),
            .birthYear: ("{name} was born in {v}.", "The year of {name}'s birth is {v}."),
            .occupation: ("{name} works as {a} {v}.", "By trade, {name} is {a} {v}."),
            .employer: ("{name} works for {v}.", "{v} is where {name} is employed."),
            .home: ("{name} lives in {v}.", "{v} is the town {name} calls home."),
        ]

        static func fill(_ wording: String, name: String, value: String) -> String {
            let article = value.first.map { "aeiou".contains($0) } == true ? "an" : "a"
            let text = wording.replacingOccurrences(of: "{name}", with: name).replacingOccurrences(of: "{a}", with: article)
                .replacingOccurrences(of: "{v}", with: value)
            return Words.capitalized(text)
        }

        /// `count` values of `attribute` different from `value` and from each other.
        static func wrongValues(
            _ attribute: FactAttribute, _ value: String, world: World, occupations: [String], count: Int, _ draw: inout Draw
        ) -> [String] {
            var out: [String] = []
            var guard_ = 0
            while out.count < count, guard_ < 1000 {
                guard_ += 1
                let candidate: String
                switch attribute {
                case .birthplace, .home: candidate = draw.pick(world.places).name
                case .employer: candidate = draw.pick(world.organisations).name
                case .occupation: candidate = draw.pick(occupations)
                case .birthYear: candidate = String((Int(value) ?? 1980) + draw.pick([-1, 1]) * draw.int(1...12))
                }
                if candidate != value, !out.contains(candidate) { out.append(candidate) }
            }
            return out
        }

        /// One question about `person`.
        static func question(
            _ attribute: FactAttribute, person: Person, split: TofuSplit, world: World, occupations: [String], _ draw: inout Draw
        ) -> TofuQuestion {
            let asked = Questions.ask(attribute, Scene(world: world, person: person), &draw)
            let wording = wordings[attribute] ?? ("{name}: {v}.", "{v}: {name}.")
            let wrong = wrongValues(attribute, asked.answer, world: world, occupations: occupations, count: tofuPerturbed, &draw)
            let slug = person.name.lowercased().replacingOccurrences(of: " ", with: "_")
            return TofuQuestion(
                id: "tofu-\(split.rawValue)-\(slug)-\(attribute.rawValue)", split: split, entity: person.name, attribute: attribute,
                question: asked.question, answer: fill(wording.answer, name: person.name, value: asked.answer),
                paraphrasedAnswer: fill(wording.paraphrase, name: person.name, value: asked.answer),
                perturbedAnswers: wrong.map { fill(wording.paraphrase, name: person.name, value: $0) })
        }

        /// Every attribute of each fictitious person (the first `tofuForgetShare` of them,
        /// at least one, are the forget people), then world questions about `worldFacts`.
        static func questions(
            people: [Person], worldFacts: [StatedFact], byName: [String: Person], world: World, occupations: [String],
            _ draw: inout Draw
        ) -> [TofuQuestion] {
            let forgetCount = max(1, Int((Double(people.count) * tofuForgetShare).rounded()))
            var out: [TofuQuestion] = []
            for (i, person) in people.enumerated() {
                for attribute in FactAttribute.allCases {
                    out.append(question(
                        attribute, person: person, split: i < forgetCount ? .forget : .retain, world: world, occupations: occupations, &draw))
                }
            }
            for fact in worldFacts.prefix(tofuWorldQuestions) {
                guard let person = byName[fact.entity] else { continue }
                out.append(question(fact.attribute, person: person, split: .world, world: world, occupations: occupations, &draw))
            }
            return out
        }
    }
}
