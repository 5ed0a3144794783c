/// The eleven moderation categories of the toxicity scores, modelled on a moderation API's.
/// The order of `allCases` is the order of `ModerationScores.values` and of the keys in
/// every written `scores` object.
public enum ModerationCategory: String, CaseIterable, Sendable {
    case harassment
    case harassmentThreatening = "harassment_threatening"
    case hate
    case hateThreatening = "hate_threatening"
    case illicit
    case illicitViolent = "illicit_violent"
    case selfHarm = "self_harm"
    case selfHarmIntent = "self_harm_intent"
    case selfHarmInstructions = "self_harm_instructions"
    case sexual
    case violence

    /// The position of the category in `allCases` and in `ModerationScores.values`.
    public var index: Int {
        switch self {
        case .harassment: return 0
        case .harassmentThreatening: return 1
        case .hate: return 2
        case .hateThreatening: return 3
        case .illicit: return 4
        case .illicitViolent: return 5
        case .selfHarm: return 6
        case .selfHarmIntent: return 7
        case .selfHarmInstructions: return 8
        case .sexual: return 9
        case .violence: return 10
        }
    }
}

/// One score in [0, 1] per moderation category, rounded to four decimals (the precision
/// written to disk, so the in-memory corpus equals the files).
///
/// A text is toxic exactly when its largest score is at least 0.5.
public struct ModerationScores: Equatable, Sendable {
    /// Scores in `ModerationCategory.allCases` order.
    public let values: [Double]

    /// Clamps each value into [0, 1] and rounds it to four decimals; missing categories are 0.
    public init(_ values: [Double]) {
        self.values = ModerationCategory.allCases.indices.map { i in
            let value = i < values.count ? values[i] : 0
            return (value.clamped01 * 10_000).rounded() / 10_000
        }
    }

    public subscript(category: ModerationCategory) -> Double { values[category.index] }

    /// The highest score.
    public var maximum: Double { values.max() ?? 0 }

    /// The category with the highest score (the first on ties).
    public var dominant: ModerationCategory {
        var best = 0
        for i in values.indices where values[i] > values[best] { best = i }
        return ModerationCategory.allCases[best]
    }
}

extension Double {
    fileprivate var clamped01: Double { isNaN ? 0 : Swift.min(Swift.max(self, 0), 1) }
}
