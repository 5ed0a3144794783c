/// Scores of a two-class membership test (members vs non-members), and the ROC metrics on
/// them.
///
/// **Label convention, used everywhere in LetheEvaluation.** Positives are *members* (the
/// forget set, data the model was trained on); negatives are *non-members* (holdout data).
/// Every score is oriented so that **higher means more likely a member**. So ROC-AUC is
/// P(member score > non-member score) + ½ P(equal): 1 when the members are perfectly
/// recognised, 0.5 when the two sets are indistinguishable, below 0.5 when inverted.
/// Loss-like scores (mimir and open-unlearning: lower = member) are negated before they get
/// here (see `MembershipAttackMethod`); with that negation this AUC equals open-unlearning's
/// `mia_auc` (labels forget 0 / holdout 1 on loss-like scores), so PrivLeak formulas carry
/// over unchanged.
public struct MembershipScores: Codable, Equatable, Sendable {
    /// Scores of the members (positives).
    public var members: [Double]
    /// Scores of the non-members (negatives).
    public var nonMembers: [Double]

    /// - Parameters:
    ///   - members: scores of the positives, higher = more likely a member.
    ///   - nonMembers: scores of the negatives.
    public init(members: [Double], nonMembers: [Double]) {
        (self.members, self.nonMembers) = (members, nonMembers)
    }

    private enum CodingKeys: String, CodingKey {
        case members
        case nonMembers = "non_members"
    }

    /// Throws unless both classes are non-empty and every score is finite.
    public func validate() throws {
        guard !members.isEmpty, !nonMembers.isEmpty else {
            throw EvaluationError.insufficientData(
                "ROC metrics need members and non-members (got \(members.count) and \(nonMembers.count))")
        }
        if let bad = (members + nonMembers).first(where: { !$0.isFinite }) {
            throw EvaluationError.invalidArgument(name: "scores", reason: "every score must be finite, found \(bad)")
        }
    }

    /// ROC-AUC as the Mann-Whitney statistic with ties counted one half:
    ///
    ///     AUC = (1 / n₁n₀) Σ_{i ∈ members} Σ_{j ∈ non-members} ([sᵢ > sⱼ] + ½ [sᵢ = sⱼ])
    ///
    /// computed in O(n log n) over groups of equal scores (each group adds
    /// m_g · (non-members below + ½ non-members in the group)). Equal to scikit-learn's
    /// `roc_auc_score(labels, scores)` with members labelled 1, to the trapezoid area under
    /// `rocCurve()`, and to `scipy.stats.mannwhitneyu(...).statistic / (n₁n₀)`.
    /// - Throws: `EvaluationError` when a class is empty or a score is not finite.
    public func rocAUC() throws -> Double {
        try validate()
        var wins = 0.0
        var nonMembersBelow = 0.0
        for group in Self.tieGroups(members: members, nonMembers: nonMembers, descending: false) {
            wins += Double(group.members) * (nonMembersBelow + 0.5 * Double(group.nonMembers))
            nonMembersBelow += Double(group.nonMembers)
        }
        return wins / (Double(members.count) * Double(nonMembers.count))
    }

    /// The ROC curve at every distinct threshold, from (0, 0) to (1, 1): a point
    /// (FPR, TPR) for "member iff score ≥ threshold", thresholds decreasing. A group of tied
    /// scores is one diagonal step. Matches scikit-learn's
    /// `roc_curve(labels, scores, drop_intermediate=False)` (first threshold +∞).
    /// - Throws: `EvaluationError` when a class is empty or a score is not finite.
    public func rocCurve() throws -> [ROCPoint] {
        try validate()
        var points = [ROCPoint(threshold: .infinity, falsePositiveRate: 0, truePositiveRate: 0)]
        var (tp, fp) = (0, 0)
        for group in Self.tieGroups(members: members, nonMembers: nonMembers, descending: true) {
            tp += group.members
            fp += group.nonMembers
            points.append(
                ROCPoint(
                    threshold: group.score, falsePositiveRate: Double(fp) / Double(nonMembers.count),
                    truePositiveRate: Double(tp) / Double(members.count)))
        }
        return points
    }

    /// True-positive rate at a false-positive-rate budget: the largest TPR over ROC points
    /// (every distinct threshold, as `rocCurve()`) with FPR ≤ `falsePositiveRate` (LiRA's
    /// "≤"; mimir uses "<"). No interpolation between points, so the resolution is 1/n₀:
    /// with fewer than 1/target non-members only FPR = 0 qualifies.
    /// - Parameter falsePositiveRate: the budget in [0, 1], e.g. 0.01 or 0.001.
    /// - Throws: `EvaluationError` for a budget outside [0, 1], an empty class or a
    ///   non-finite score.
    public func truePositiveRate(atFalsePositiveRate target: Double) throws -> Double {
        guard target >= 0, target <= 1 else {
            throw EvaluationError.invalidArgument(name: "false positive rate", reason: "\(target) is not in [0, 1]")
        }
        let curve = try rocCurve()
        // Tolerance so that e.g. 1/100 ≤ 0.01 holds despite rounding.
        return curve.filter { $0.falsePositiveRate <= target + 1e-12 }.map(\.truePositiveRate).max() ?? 0
    }

    /// Scores grouped by equal value, with how many members and non-members hold each.
    static func tieGroups(members: [Double], nonMembers: [Double], descending: Bool)
        -> [(score: Double, members: Int, nonMembers: Int)]
    {
        let labelled = members.map { ($0, true) } + nonMembers.map { ($0, false) }
        let sorted = labelled.sorted { descending ? $0.0 > $1.0 : $0.0 < $1.0 }
        var groups: [(score: Double, members: Int, nonMembers: Int)] = []
        for (score, isMember) in sorted {
            if groups.isEmpty || groups[groups.count - 1].score != score { groups.append((score, 0, 0)) }
            if isMember { groups[groups.count - 1].members += 1 } else { groups[groups.count - 1].nonMembers += 1 }
        }
        return groups
    }
}

/// One point of a ROC curve: the rates of calling "member" when the score is ≥ `threshold`.
public struct ROCPoint: Codable, Equatable, Sendable {
    /// Scores at or above this are called members (+∞ for the (0, 0) start).
    public var threshold: Double
    /// Share of non-members called members.
    public var falsePositiveRate: Double
    /// Share of members called members.
    public var truePositiveRate: Double

    /// - Parameters: see the properties.
    public init(threshold: Double, falsePositiveRate: Double, truePositiveRate: Double) {
        (self.threshold, self.falsePositiveRate, self.truePositiveRate) = (threshold, falsePositiveRate, truePositiveRate)
    }
}
