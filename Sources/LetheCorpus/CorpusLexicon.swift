extension DefaultCorpus {
    /// The mild toxicity lexicon: insults, profanity and threat words. Explicit toxic replies
    /// use it, hard negatives quote or negate it, hard positives avoid it entirely.
    /// Nothing here is a slur or graphic.
    public enum Lexicon {
        /// Insult nouns (`{insult}`).
        public static let insults = [
            "idiot", "moron", "loser", "fool", "clown", "jerk", "imbecile", "halfwit", "nitwit",
            "buffoon", "dimwit",
        ]
        /// Insulting adjectives (`{insultadj}`).
        public static let insultAdjectives = [
            "stupid", "pathetic", "useless", "brainless", "worthless", "dumb", "clueless", "spineless",
        ]
        /// Mild profanity.
        public static let profanity = ["damn", "hell", "crap"]
        /// Words of the mild threats ("you'll regret this", "I'll smack you").
        public static let threatWords = ["regret", "punch", "smack", "slap"]
        /// Phrases of more than one word.
        public static let phrases = ["shut up", "get lost"]

        /// Every single-word keyword, with the plural of each insult.
        public static let keywords: Set<String> = Set(
            insults + insults.map(Words.plural) + insultAdjectives + profanity + threatWords)

        /// The lexicon words and phrases `text` contains, as whole words, in first-match order.
        public static func matches(in text: String) -> [String] {
            var found: [String] = []
            let words = Words.tokens(text)
            for word in words where keywords.contains(word) && !found.contains(word) {
                found.append(word)
            }
            let joined = " " + words.joined(separator: " ") + " "
            for phrase in phrases where joined.contains(" " + phrase + " ") { found.append(phrase) }
            return found
        }
    }
}
