extension DefaultCorpus {
    /// A template that states facts about the scene's person when rendered.
    struct FactTemplate {
        let states: [FactAttribute]
        let template: Template

        init(_ states: [FactAttribute], _ pattern: String) {
            self.states = states
            template = Template(pattern)
        }
    }

    /// Accumulates the sentences of one document with the people it mentions and the facts
    /// it states.
    struct DocumentBuilder {
        private(set) var text = ""
        private(set) var facts: [StatedFact] = []
        private(set) var entities: [String] = []

        /// Appends a sentence, separated from the previous one by a space.
        mutating func sentence(_ sentence: String) {
            if !text.isEmpty, !text.hasSuffix("\n") { text += " " }
            text += sentence
        }

        /// Appends raw text (titles, line breaks, dialogue lines).
        mutating func raw(_ piece: String) { text += piece }

        /// Renders `template` in `scene` as a sentence, recording the facts it states.
        mutating func say(_ template: FactTemplate, _ scene: Scene, _ draw: inout Draw) {
            sentence(scene.render(template.template, &draw))
            for attribute in template.states { state(attribute, scene) }
        }

        /// Renders a plain template as a sentence.
        mutating func say(_ template: Template, _ scene: Scene, _ draw: inout Draw) {
            sentence(scene.render(template, &draw))
        }

        /// Records that the text states `attribute` of the scene's person.
        mutating func state(_ attribute: FactAttribute, _ scene: Scene) {
            mention(scene.person)
            let fact = StatedFact(
                entity: scene.person.name, attribute: attribute, value: Dialogue.value(of: attribute, scene))
            if !facts.contains(fact) { facts.append(fact) }
        }

        /// Records a person as mentioned (once, in order of first mention).
        mutating func mention(_ person: Person) {
            if !entities.contains(person.name) { entities.append(person.name) }
        }

        /// The document, without trailing line breaks.
        func build(_ kind: DocumentKind, toxic: Bool = false) -> Document {
            var text = self.text
            while text.hasSuffix("\n") { text.removeLast() }
            return Document(text: text, kind: kind, toxic: toxic, entities: entities, facts: facts)
        }
    }
}
