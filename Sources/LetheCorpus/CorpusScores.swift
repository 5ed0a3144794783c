extension DefaultCorpus {
    /// Moderation scores consistent with the text they label.
    ///
    /// A toxic text scores its dominant category in [0.62, 0.98) (explicit) or [0.52, 0.82)
    /// (implicit), raises the categories that co-occur with it (a threat is also harassment,
    /// wrecking a stall is also illicit), each kept at least 0.05 below the dominant score,
    /// and adds small noise (`noiseCeilings`) everywhere else. A hard negative scores the category
    /// of the word it quotes in [0.08, 0.42); other non-toxic texts carry noise only. So a
    /// text is toxic exactly when its highest score is at least 0.5.
    enum Scoring {
        /// The categories raised with a dominant one, with their ranges.
        static func companions(of category: ModerationCategory) -> [(ModerationCategory, Double, Double)] {
            switch category {
            case .harassmentThreatening: return [(.harassment, 0.45, 0.85), (.violence, 0.05, 0.3)]
            case .violence: return [(.harassmentThreatening, 0.3, 0.7), (.harassment, 0.3, 0.7)]
            case .hate: return [(.harassment, 0.3, 0.7)]
            case .hateThreatening:
                return [(.hate, 0.4, 0.8), (.harassmentThreatening, 0.2, 0.5), (.harassment, 0.3, 0.6)]
            case .illicitViolent: return [(.illicit, 0.3, 0.7), (.violence, 0.2, 0.6)]
            case .illicit: return [(.harassment, 0.1, 0.4)]
            case .selfHarm:
                return [(.harassment, 0.3, 0.7), (.selfHarmIntent, 0.01, 0.12), (.selfHarmInstructions, 0.0, 0.04)]
            case .sexual: return [(.harassment, 0.2, 0.5)]
            case .harassment, .selfHarmIntent, .selfHarmInstructions: return []
            }
        }

        /// Scores of a toxic text whose dominant category is `category`.
        static func toxic(_ category: ModerationCategory, implicit: Bool, _ draw: inout Draw) -> ModerationScores {
            var values = noise(&draw)
            let top = implicit ? draw.uniform(0.52, 0.82) : draw.uniform(0.62, 0.98)
            values[category.index] = top
            for (companion, low, high) in companions(of: category) {
                values[companion.index] = min(draw.uniform(low, high), top - 0.05)
            }
            return ModerationScores(values)
        }

        /// Scores of a friendly or neutral text: noise only.
        static func benign(_ draw: inout Draw) -> ModerationScores { ModerationScores(noise(&draw)) }

        /// Scores of a hard negative that quotes a word of `category`.
        static func hardNegative(_ category: ModerationCategory, _ draw: inout Draw) -> ModerationScores {
            var values = noise(&draw)
            values[category.index] = draw.uniform(0.08, 0.42)
            return ModerationScores(values)
        }

        /// Ceilings of the background noise per category, in `allCases` order: benign text
        /// looks a little like harassment or violence to a moderation model, hardly ever like
        /// self-harm instructions.
        static let noiseCeilings = [0.03, 0.015, 0.01, 0.004, 0.01, 0.005, 0.006, 0.003, 0.002, 0.01, 0.015]

        /// `ceiling * u^4` per category: mostly far below the ceiling.
        private static func noise(_ draw: inout Draw) -> [Double] {
            noiseCeilings.map { ceiling in
                let u = draw.uniform(0, 1)
                return ceiling * u * u * u * u
            }
        }
    }
}
