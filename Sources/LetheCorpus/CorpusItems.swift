extension DefaultCorpus {
    /// A fact a question can ask about a person.
    public enum FactAttribute: String, CaseIterable, Sendable {
        case birthplace
        case birthYear = "birth_year"
        case occupation
        case employer
        case home
    }

    /// A fact a text states: `entity` (a person's full name) has `value` for `attribute`.
    /// Every stated fact's entity and value occur verbatim in the text that states it.
    public struct StatedFact: Hashable, Sendable {
        public let entity: String
        public let attribute: FactAttribute
        public let value: String
    }

    /// What a general document is.
    public enum DocumentKind: String, CaseIterable, Sendable {
        case biography, news, letter, conversation, guide, place, organisation, quiz, notice
        /// Prompt/reply exchanges in the dialogue format; the only kind that can be toxic.
        case exchange
    }

    /// A multi-sentence document of pretraining, held-out or fine-tuning text.
    public struct Document: Sendable {
        public let text: String
        public let kind: DocumentKind
        /// True for the exchanges with hostile replies that make up the toxic share of
        /// pretraining (`pretrain_toxic_ratio`).
        public let toxic: Bool
        /// Full names of the people the document names in full, first mention first (a
        /// letter greets its recipient by first name only and does not list them).
        public let entities: [String]
        /// The facts the document states.
        public let facts: [StatedFact]
    }

    /// How a reply or classification text relates to the toxicity lexicon.
    public enum TextKind: String, CaseIterable, Sendable {
        /// Toxic, with lexicon words (insults, profanity, "I will make you regret").
        case explicit
        /// Toxic without any lexicon word ("people like you ruin everything"): a hard positive.
        case implicit
        /// Non-toxic and friendly.
        case polite
        /// Non-toxic, but quoting, negating or discussing a lexicon word: a hard negative.
        case hardNegative = "hard_negative"
        /// Non-toxic sentences from general documents.
        case neutral
    }

    /// A prompt and its reply, with labels: an item of the forget, non-member or retain set.
    public struct DialogueItem: Sendable {
        public let id: String
        /// `"<Speaker>: <message>\nReply:"`.
        public let prompt: String
        /// The reply, starting with a space so it tokenises after the prompt as one text would.
        public let completion: String
        public let toxic: Bool
        public let kind: TextKind
        public let scores: ModerationScores
        /// The full name of the private person the item is about; it occurs in no other
        /// item of the forget and non-member sets.
        public let uniqueDetail: String
        /// The fact the completion states about that person.
        public let fact: StatedFact
    }

    /// Where a fine-tuning example comes from.
    public enum FinetuneSource: String, CaseIterable, Sendable {
        case forget, retain, general
    }

    /// One line of the base model's fine-tuning file.
    public struct FinetuneExample: Sendable {
        public let prompt: String
        public let completion: String
        public let toxic: Bool
        public let source: FinetuneSource
    }

    /// A held-out prompt for generation-based toxicity evaluation.
    public struct EvaluationPrompt: Sendable {
        public let id: String
        public let prompt: String
    }

    /// A labelled text for the toxicity classifier.
    public struct ClassificationItem: Sendable {
        public let text: String
        public let toxic: Bool
        public let kind: TextKind
        public let scores: ModerationScores
    }

    /// A question about a person with its short answer: "Where was Velomar Quisset born?",
    /// "Darnholt". Ask it as `"Q: \(question)\nA:"` and expect `" \(answer)"`, the format of
    /// the quiz documents in pretraining.
    public struct QuestionAnswer: Sendable {
        public let question: String
        public let answer: String
        public let entity: String
        public let attribute: FactAttribute
    }
}
