import Foundation
import LetheLayers
import LetheText

/// One attack's result on a member set and a non-member set.
public struct AttackResult: Codable, Equatable, Sendable {
    /// The attack's label (`MembershipAttackMethod.label`: `loss`, `min_k@0.2`).
    public var attack: String
    /// Mean score of the members (higher = member).
    public var memberMean: Double
    /// Mean score of the non-members.
    public var nonMemberMean: Double
    /// ROC-AUC (Mann-Whitney, ties ½; members positive).
    public var rocAUC: Double
    /// Largest TPR with FPR ≤ 1%.
    public var tprAt1PercentFPR: Double
    /// Largest TPR with FPR ≤ 0.1% (resolution 1/n₀).
    public var tprAt01PercentFPR: Double
    /// Stratified percentile bootstrap interval of the ROC-AUC (nil when not requested).
    public var rocAUCInterval: Interval?
    /// The per-example scores.
    public var scores: MembershipScores

    /// Computes every metric of `scores`.
    /// - Parameters:
    ///   - attack: the attack's name.
    ///   - scores: member and non-member scores, higher = member.
    ///   - resamples: bootstrap replicates (0 = no interval).
    ///   - seed: bootstrap seed.
    /// - Throws: `EvaluationError` for empty classes or non-finite scores.
    public init(attack: String, scores: MembershipScores, resamples: Int = 1000, seed: UInt64 = 0) throws {
        self.attack = attack
        self.scores = scores
        memberMean = scores.members.reduce(0, +) / Double(max(1, scores.members.count))
        nonMemberMean = scores.nonMembers.reduce(0, +) / Double(max(1, scores.nonMembers.count))
        rocAUC = try scores.rocAUC()
        tprAt1PercentFPR = try scores.truePositiveRate(atFalsePositiveRate: 0.01)
        tprAt01PercentFPR = try scores.truePositiveRate(atFalsePositiveRate: 0.001)
        rocAUCInterval =
            resamples > 0
            ? try Bootstrap.stratifiedInterval(scores, resamples: resamples, seed: seed) { try $0.rocAUC() } : nil
    }
}

/// Membership inference of a model on members vs non-members: the mean NLLs (seed 003's
/// "member NLL" / "non-member NLL" columns) and one `AttackResult` per attack.
public struct MembershipReport: Codable, Equatable, Sendable {
    /// Mean over members of each example's mean NLL (nats per scored token).
    public var memberMeanNLL: Double
    /// Mean over non-members of each example's mean NLL.
    public var nonMemberMeanNLL: Double
    /// Number of members and non-members.
    public var memberCount: Int
    public var nonMemberCount: Int
    /// Results in the order the attacks were given.
    public var attacks: [AttackResult]
    /// PrivLeak (percent) per attack label against a model retrained without the members
    /// (`privLeak(auc:retrainedAUC:)`); nil when no retrained model's AUCs were given.
    public var privLeak: [String: Double]?

    /// - Parameters: see the properties.
    public init(
        memberMeanNLL: Double, nonMemberMeanNLL: Double, memberCount: Int, nonMemberCount: Int, attacks: [AttackResult],
        privLeak: [String: Double]? = nil
    ) {
        (self.memberMeanNLL, self.nonMemberMeanNLL) = (memberMeanNLL, nonMemberMeanNLL)
        (self.memberCount, self.nonMemberCount, self.attacks, self.privLeak) = (memberCount, nonMemberCount, attacks, privLeak)
    }

    /// The result of the attack with this label, if it ran.
    public subscript(attack name: String) -> AttackResult? { attacks.first { $0.attack == name } }

    /// ROC-AUC per attack label (what a later evaluation needs for PrivLeak).
    public var rocAUCs: [String: Double] {
        Dictionary(attacks.map { ($0.attack, $0.rocAUC) }, uniquingKeysWith: { first, _ in first })
    }

    /// PrivLeak of every attack that `retrainedAUC` holds, keyed by label.
    public func privLeak(against retrainedAUC: [String: Double]) -> [String: Double] {
        Dictionary(
            attacks.compactMap { r in retrainedAUC[r.attack].map { (r.attack, LetheEvaluation.privLeak(auc: r.rocAUC, retrainedAUC: $0)) } },
            uniquingKeysWith: { first, _ in first })
    }
}

/// Runs membership-inference attacks.
public enum MembershipInference {
    /// Scores members and non-members under `model` (and under each reference model an
    /// attack asks for), then computes every attack's metrics.
    ///
    /// - Parameters:
    ///   - model: the target model.
    ///   - references: reference models by the path the attacks name
    ///     (`MembershipAttackMethod.referenceModel`; "" for an attack that names none).
    ///   - members: member sequences (positives).
    ///   - nonMembers: non-member sequences.
    ///   - attacks: default `MembershipAttacks.standard` (LOSS, zlib, Min-K%, Min-K%++).
    ///   - batchSize: sequences per forward pass.
    ///   - resamples: bootstrap replicates for the AUC interval (0 = none).
    ///   - seed: bootstrap seed.
    /// - Returns: the report, attacks in the order given.
    /// - Throws: `EvaluationError` for empty sets, a missing reference model or bad
    ///   arguments; the model's errors.
    public static func evaluate(
        model: any CausalLanguageModel, references: [String: any CausalLanguageModel] = [:], members: [ScoredSequence], nonMembers: [ScoredSequence],
        attacks: [any MembershipAttackMethod] = MembershipAttacks.standard, batchSize: Int = 8, resamples: Int = 1000,
        seed: UInt64 = 0
    ) throws -> MembershipReport {
        guard !members.isEmpty, !nonMembers.isEmpty else {
            throw EvaluationError.insufficientData(
                "membership inference needs members and non-members (got \(members.count) and \(nonMembers.count))")
        }
        let distribution = attacks.contains { $0.needsDistribution }
        func statistics(_ m: any CausalLanguageModel, _ s: [ScoredSequence], _ d: Bool) throws -> [TokenStatistics] {
            try m.tokenStatistics(s, distribution: d, batchSize: batchSize)
        }
        let (targetM, targetN) = try (statistics(model, members, distribution), statistics(model, nonMembers, distribution))
        var referenceStatistics: [String: (members: [TokenStatistics], nonMembers: [TokenStatistics])] = [:]
        for attack in attacks where attack.needsReference {
            let key = attack.referenceModel ?? ""
            guard referenceStatistics[key] == nil else { continue }
            guard let reference = references[key] else {
                throw EvaluationError.insufficientData(
                    "the \(attack.label) attack needs its reference model\(key.isEmpty ? "" : " \(key)"), which was not given")
            }
            referenceStatistics[key] = (try statistics(reference, members, false), try statistics(reference, nonMembers, false))
        }
        func scores(_ attack: any MembershipAttackMethod, _ t: [TokenStatistics], _ r: [TokenStatistics]?, _ s: [ScoredSequence])
            throws -> [Double]
        {
            try t.indices.map { try attack.score(target: t[$0], reference: r?[$0], text: s[$0].text) }
        }
        let results = try attacks.map { attack in
            let reference = attack.needsReference ? referenceStatistics[attack.referenceModel ?? ""] : nil
            return try AttackResult(
                attack: attack.label,
                scores: MembershipScores(
                    members: scores(attack, targetM, reference?.members, members),
                    nonMembers: scores(attack, targetN, reference?.nonMembers, nonMembers)),
                resamples: resamples, seed: seed)
        }
        func meanNLL(_ s: [TokenStatistics]) -> Double { s.map(\.meanNLL).reduce(0, +) / Double(s.count) }
        return MembershipReport(
            memberMeanNLL: meanNLL(targetM), nonMemberMeanNLL: meanNLL(targetN), memberCount: members.count,
            nonMemberCount: nonMembers.count, attacks: results)
    }
}

extension ScoredSequence {
    /// An example encoded for scoring: prompt + completion with only the completion scored,
    /// or a text with every token scored (`TextExample.encoded(with:options:)`); `text` is
    /// the prompt followed by the completion, or the text.
    /// - Throws: the encoder's and `DatasetError`s (naming the example's file and line).
    public init(_ example: TextExample, encoder: TokenEncoder, options: EncodingOptions) throws {
        let encoded = try example.encoded(with: encoder, options: options)
        let text = [example.prompt, example.completion ?? (example.prompt == nil ? example.text : nil)]
            .compactMap { $0 }.joined()
        try self.init(ids: encoded.ids, scored: encoded.lossMask, text: text)
    }
}
