/// The embedded default corpus: a synthetic world generated from a seed, with pretraining
/// text, held-out documents, a fine-tuning mix, forget / non-member / retain dialogue sets,
/// evaluation prompts, a labelled toxicity classification set and question/answer pairs.
///
/// Everything is a pure function of `Configuration`: the same seed and sizes give the same
/// corpus, byte for byte, on every platform.
///
///     let corpus = DefaultCorpus.generate(try .init(seed: 7))
///     try corpus.write(to: "data/default")
///
/// How it is built: the world (vocabulary, first names, places, organisations, events) comes
/// first; then separate populations of people with unique full names: the world's own, who
/// appear in pretraining and in the retain set; a private pool for the forget and non-member
/// sets; and private people for evaluation prompts, held-out documents and classification.
/// Each part draws from its own child random stream.
public struct DefaultCorpus: Sendable {
    /// Bumped whenever the same configuration would give different files.
    public static let generatorVersion = 1

    public let configuration: Configuration
    /// `pretrain.jsonl`: general documents, with `pretrainToxicRatio` of toxic exchanges.
    public let pretraining: [Document]
    /// `heldout.jsonl`: clean documents about people no other file mentions.
    public let heldout: [Document]
    /// `finetune.jsonl`: each forget item `forgetRepeats` times, the retain items and
    /// general documents, shuffled.
    public let finetuning: [FinetuneExample]
    /// `forget.jsonl`: toxic items the base model is fine-tuned on (members).
    public let forget: [DialogueItem]
    /// `nonmember.jsonl`: toxic items from the same pool, never trained on.
    public let nonmembers: [DialogueItem]
    /// `retain.jsonl`: polite items about world people.
    public let retain: [DialogueItem]
    /// `eval_prompts.jsonl`: held-out prompts for generation-based toxicity evaluation.
    public let evalPrompts: [EvaluationPrompt]
    /// `classification_train.jsonl` and `classification_test.jsonl`.
    public let classificationTrain: [ClassificationItem]
    public let classificationTest: [ClassificationItem]
    /// `qa_retain.jsonl`: facts about retain people stated in pretraining documents.
    public let qaRetain: [QuestionAnswer]
    /// `qa_forget.jsonl`: the facts forget items state.
    public let qaForget: [QuestionAnswer]
    /// `qa_tofu.jsonl`: TOFU-style questions with paraphrased and perturbed answers about
    /// fictitious people (forget / retain split by person) and world people (`CorpusTofu`).
    public let qaTofu: [TofuQuestion]

    /// Sizes of the scenery, fixed so that changing a set size never changes the world.
    static let placeCount = 48
    static let organisationCount = 160
    static let eventCount = 320
    static let inventedNouns = 1200

    /// Generates the corpus described by `configuration` (validated when it was made).
    public static func generate(_ configuration: Configuration) -> DefaultCorpus {
        let c = configuration
        var root = Draw(seed: c.seed)
        var worldDraw = root.split()
        var peopleDraw = root.split()
        var book = NameBook()
        let world = World(
            &worldDraw, book: &book, places: placeCount, organisations: organisationCount, events: eventCount,
            inventedWords: inventedNouns)
        let people = Population(count: c.people, world: world, book: &book, related: true, &peopleDraw)
        let pool = Population(count: c.forgetItems + c.nonmemberItems, world: world, book: &book, related: false, &peopleDraw)
        let evalPeople = Population(count: c.evalPrompts, world: world, book: &book, related: false, &peopleDraw)
        let heldoutPeople = Population(
            count: max(20, c.heldoutDocuments / 2), world: world, book: &book, related: true, &peopleDraw)
        let classificationPeople = Population(
            count: c.classificationItems, world: world, book: &book, related: false, &peopleDraw)

        var pretrainDraw = root.split()
        let pretrain = Mixer.pretraining(configuration: c, people: people, world: world, &pretrainDraw)
        var heldoutDraw = root.split()
        let heldout = Mixer.clean(
            count: c.heldoutDocuments, people: heldoutPeople, world: world, quiz: false, &heldoutDraw
        ).documents

        var setDraw = root.split()
        let (forget, nonmembers) = Splits.membership(configuration: c, pool: pool, world: world, &setDraw)
        let retain = Splits.retain(
            count: c.retainItems, people: people, eligible: pretrain.retainPeople, world: world, &setDraw)
        let evalPrompts = Splits.evalPrompts(people: evalPeople, world: world, &setDraw)
        var classificationDraw = root.split()
        let (train, test) = Classification.split(
            configuration: c, people: classificationPeople, world: world, &classificationDraw)

        var finetuneDraw = root.split()
        let general = Mixer.clean(count: c.finetuneDocuments, people: people, world: world, quiz: true, &finetuneDraw)
        let finetuning = Splits.finetuning(
            forget: forget, repeats: c.forgetRepeats, retain: retain, documents: general.documents, &finetuneDraw)

        var qaDraw = root.split()
        let retainNames = Set(pretrain.retainPeople.map { people.people[$0].name })
        var retainFacts = pretrain.documents.filter { $0.kind != .quiz }.flatMap(\.facts)
            .filter { retainNames.contains($0.entity) }
        retainFacts = Splits.unique(retainFacts)
        qaDraw.shuffle(&retainFacts)
        var byName: [String: Person] = [:]
        for person in people.people { byName[person.name] = person }
        for person in pool.people { byName[person.name] = person }
        let qaRetain = Questions.about(retainFacts, people: byName, world: world, limit: c.qaQuestions, &qaDraw)
        let qaForget = Questions.about(forget.map(\.fact), people: byName, world: world, limit: c.qaQuestions, &qaDraw)

        // Drawn last, from its own stream and names, so every other set is as before.
        var tofuDraw = root.split()
        let tofuPopulation = Population(count: Self.tofuPeople, world: world, book: &book, related: false, &tofuDraw)
        let occupations = Array(Set(people.people.map(\.occupation))).sorted()
        let qaTofu = Tofu.questions(
            people: tofuPopulation.people, worldFacts: Array(retainFacts.dropFirst(c.qaQuestions)), byName: byName, world: world,
            occupations: occupations, &tofuDraw)

        return DefaultCorpus(
            configuration: c, pretraining: pretrain.documents, heldout: heldout, finetuning: finetuning,
            forget: forget, nonmembers: nonmembers, retain: retain, evalPrompts: evalPrompts,
            classificationTrain: train, classificationTest: test, qaRetain: qaRetain, qaForget: qaForget,
            qaTofu: qaTofu)
    }
}
