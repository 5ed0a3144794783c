extension DefaultCorpus {
    /// A word and how often it occurs.
    public struct WordCount: Equatable, Sendable {
        public let word: String
        public let count: Int
    }

    /// Sizes and distributions of a corpus, as written to `manifest.json` and the corpus notes.
    ///
    /// Words are maximal runs of letters, digits and apostrophes, lower-cased. Approximate
    /// GPT-2 tokens are `words * 1.3` (the usual ratio for English prose; invented names split
    /// into more pieces, so treat it as a lower estimate) and `bytes / 4` (an upper one).
    public struct Statistics: Sendable {
        public let pretrainDocuments: Int
        public let pretrainToxicDocuments: Int
        public let pretrainBytes: Int
        public let pretrainToxicBytes: Int
        public let pretrainWords: Int
        public let pretrainWordTypes: Int
        /// Word types seen once.
        public let pretrainHapaxTypes: Int
        /// The ten most frequent words, most frequent first (ties by word).
        public let topWords: [WordCount]
        /// Documents per kind, in `DocumentKind.allCases` order.
        public let documentKinds: [Int]
        public let heldoutWords: Int
        /// Dominant categories of the toxic forget, non-member and classification items,
        /// counted in `ModerationCategory.allCases` order.
        public let toxicCategories: [Int]
        /// Classification texts per kind in `TextKind.allCases` order (train + test).
        public let classificationKinds: [Int]
        public let classificationToxic: Int

        /// `words * 1.3`, rounded.
        public var approximateTokens: Int { (pretrainWords * 13 + 5) / 10 }
        /// Toxic share of pretraining bytes.
        public var toxicByteShare: Double { pretrainBytes == 0 ? 0 : Double(pretrainToxicBytes) / Double(pretrainBytes) }
        /// Share of all word occurrences taken by the most frequent word.
        public var topWordShare: Double {
            pretrainWords == 0 ? 0 : Double(topWords.first?.count ?? 0) / Double(pretrainWords)
        }
    }

    /// Counts of the corpus (a pass over the pretraining text; about a second at default size).
    public var statistics: Statistics {
        var frequency: [String: Int] = [:]
        var words = 0
        var bytes = 0
        var toxicBytes = 0
        var kinds = [Int](repeating: 0, count: DocumentKind.allCases.count)
        for document in pretraining {
            let size = document.text.utf8.count
            bytes += size
            if document.toxic { toxicBytes += size }
            kinds[DocumentKind.allCases.firstIndex(of: document.kind) ?? 0] += 1
            for word in Words.tokens(document.text) {
                frequency[word, default: 0] += 1
                words += 1
            }
        }
        let ranked = frequency.map { WordCount(word: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.word < $1.word }
        var categories = [Int](repeating: 0, count: ModerationCategory.allCases.count)
        let toxicScores = (forget + nonmembers).filter(\.toxic).map(\.scores)
            + (classificationTrain + classificationTest).filter(\.toxic).map(\.scores)
        for scores in toxicScores { categories[scores.dominant.index] += 1 }
        let classification = classificationTrain + classificationTest
        return Statistics(
            pretrainDocuments: pretraining.count, pretrainToxicDocuments: pretraining.filter(\.toxic).count,
            pretrainBytes: bytes, pretrainToxicBytes: toxicBytes, pretrainWords: words,
            pretrainWordTypes: frequency.count, pretrainHapaxTypes: frequency.values.filter { $0 == 1 }.count,
            topWords: Array(ranked.prefix(10)), documentKinds: kinds,
            heldoutWords: heldout.reduce(0) { $0 + Words.tokens($1.text).count },
            toxicCategories: categories,
            classificationKinds: TextKind.allCases.map { kind in classification.filter { $0.kind == kind }.count },
            classificationToxic: classification.filter(\.toxic).count)
    }
}
