extension DefaultCorpus {
    /// Gazetteer entries: a place with its river, region, employers, market and natives; an
    /// organisation with its trade and staff. People listed here are stated facts
    /// (birthplace, employer), consistent with every other document.
    enum Gazetteer {
        static let placeOpenings: [Template] = [
            "{Place} is {a:placekind} in {region}[|, on {river}].", "{Place}, {a:placekind} on {river}, lies in {region}.",
        ].map(Template.init)
        static let placeHistory: [Template] = [
            "It was founded in {founded} [as {a:noun} market|around an old {noun}|by {noun} traders].",
            "Records of the {placekind} go back to {founded}, when it was little more than {a:adj} {noun}.",
        ].map(Template.init)
        static let placeLife: [Template] = [
            "The {placekind} is known for its {adj} {nouns} and its market, held every {marketday}.",
            "{River} [floods|freezes|runs low] most {month}s, and the {nouns} along its banks are {verbed} every spring.",
            "Visitors [often|usually] come for {event}.",
            "The old {noun} in the square was {verbed} in {year} and is now {a:adj} {noun}.",
        ].map(Template.init)
        static let native = FactTemplate([.birthplace], "{name}, {a:occupation}, was born here in {birthyear}.")
        static let natives = Template("Notable people born in {place} include {name} and {oname}.")

        static let organisationOpenings: [Template] = [
            "{Org} is {a:orgkind} in {orgplace}, founded in {orgyear}.",
            "Founded in {orgyear}, {org} is {a:adj} {orgkind} [on the edge of|in the centre of|near the harbour of] {orgplace}.",
        ].map(Template.init)
        static let organisationTrade: [Template] = [
            "It [makes|sells|repairs|deals in] {product} and employs about {count} people.",
            "Its [workshops|rooms|yards] [turn out|store|prepare] {product} for customers across {region}.",
        ].map(Template.init)
        static let staff = FactTemplate(
            [.occupation, .employer],
            "[Among its staff is|One of its people is|Its staff include] {name}, {a:occupation} who joined {employer} in {joinyear}.")
        static let organisationNews: [Template] = [
            "[In {year}|Recently] the {orgkind} [opened|rebuilt|sold] {a:adj} {noun} [beside|behind|near] the {noun}.",
            "Each year it organises {event}.",
        ].map(Template.init)

        /// The entry of `place`, naming natives from `population`.
        static func place(_ place: Int, population: Population, world: World, _ draw: inout Draw) -> Document {
            let natives = population.people.indices.filter { population.people[$0].birthplace == place }
            var scene = Scene(world: world, person: population.people[natives.first ?? 0])
            scene.place = place
            scene.event = world.eventsIn[place].first ?? scene.event
            var doc = DocumentBuilder()
            doc.say(draw.pick(placeOpenings), scene, &draw)
            doc.say(draw.pick(placeHistory), scene, &draw)
            let employers = world.organisationsIn[place]
            if employers.count >= 2 {
                let a = world.organisations[employers[0]].name
                let b = world.organisations[employers[1 + draw.index(employers.count - 1)]].name
                doc.sentence("\(a) and \(b) are among its \(draw.pick(["largest", "best known"])) employers.")
            }
            var life = world.eventsIn[place].isEmpty ? placeLife.filter { !$0.pattern.contains("{event}") } : placeLife
            draw.shuffle(&life)
            for template in life.prefix(draw.int(1...2)) { doc.say(template, scene, &draw) }
            if natives.count >= 2 {
                let i = draw.index(natives.count)
                let j = (i + 1 + draw.index(natives.count - 1)) % natives.count
                scene.person = population.people[natives[i]]
                scene.other = population.people[natives[j]]
                doc.say(self.natives, scene, &draw)
                doc.state(.birthplace, scene)
                var second = scene
                second.person = scene.other
                doc.state(.birthplace, second)
            } else if let only = natives.first {
                scene.person = population.people[only]
                doc.say(native, scene, &draw)
            }
            return doc.build(.place)
        }

        /// The entry of `organisation`, naming staff from `population`.
        static func organisation(_ organisation: Int, population: Population, world: World, _ draw: inout Draw) -> Document {
            let staff = population.people.indices.filter { population.people[$0].employer == organisation }
            var scene = Scene(world: world, person: population.people[staff.first ?? 0])
            scene.organisation = organisation
            scene.place = world.organisations[organisation].place
            let organised = world.events.indices.filter { world.events[$0].organiser == organisation }
            var doc = DocumentBuilder()
            doc.say(draw.pick(organisationOpenings), scene, &draw)
            doc.say(draw.pick(organisationTrade), scene, &draw)
            var shuffled = staff
            draw.shuffle(&shuffled)
            for member in shuffled.prefix(draw.int(1...3)) {
                scene.person = population.people[member]
                doc.say(self.staff, scene, &draw)
            }
            if let event = organised.first {
                scene.event = event
                doc.say(organisationNews[1], scene, &draw)
            } else {
                doc.say(organisationNews[0], scene, &draw)
            }
            return doc.build(.organisation)
        }
    }
}
