import Foundation
import LetheEvaluation
import Testing

/// One case of `Fixtures/mia_reference.json` (scikit-learn and scipy on tied scores).
struct ROCReferenceCase: Decodable {
    var name: String
    var members: [Double]
    var non_members: [Double]
    var auc: Double
    var mann_whitney_auc: Double
    var fpr: [Double]
    var tpr: [Double]
    var thresholds: [Double]
    var tpr_at_fpr: [String: Double]
}

struct ROCReference: Decodable {
    struct ZlibCase: Decodable {
        var text: String
        var length: Int
    }
    var cases: [ROCReferenceCase]
    var zlib: [ZlibCase]

    static func load() throws -> ROCReference {
        try JSONDecoder().decode(ROCReference.self, from: fixtureData("mia_reference.json"))
    }
}

@Suite("ROC metrics against scikit-learn")
struct ROCTests {
    @Test("ROC-AUC equals roc_auc_score and Mann-Whitney U/(n1 n0) within 1e-12, ties included")
    func aucMatchesScikitLearn() throws {
        let reference = try ROCReference.load()
        #expect(reference.cases.count == 7)
        for c in reference.cases {
            let auc = try MembershipScores(members: c.members, nonMembers: c.non_members).rocAUC()
            #expect(abs(auc - c.auc) < 1e-12, "\(c.name): \(auc) vs \(c.auc)")
            #expect(abs(auc - c.mann_whitney_auc) < 1e-12, "\(c.name)")
        }
    }

    @Test("ROC curve equals roc_curve(drop_intermediate=False) point for point")
    func curveMatchesScikitLearn() throws {
        for c in try ROCReference.load().cases {
            let curve = try MembershipScores(members: c.members, nonMembers: c.non_members).rocCurve()
            #expect(curve.count == c.fpr.count, "\(c.name)")
            guard curve.count == c.fpr.count else { continue }
            for (i, p) in curve.enumerated() {
                #expect(abs(p.falsePositiveRate - c.fpr[i]) < 1e-12 && abs(p.truePositiveRate - c.tpr[i]) < 1e-12)
            }
            #expect(curve.dropFirst().map(\.threshold) == c.thresholds, "\(c.name)")
            // Trapezoid area under the curve is the AUC.
            let area = zip(curve, curve.dropFirst()).map {
                ($1.falsePositiveRate - $0.falsePositiveRate) * ($1.truePositiveRate + $0.truePositiveRate) / 2
            }.reduce(0, +)
            #expect(abs(area - c.auc) < 1e-12)
        }
    }

    @Test("TPR at FPR budgets (largest TPR with FPR ≤ budget) equals the reference")
    func tprAtFalsePositiveRate() throws {
        for c in try ROCReference.load().cases {
            let scores = MembershipScores(members: c.members, nonMembers: c.non_members)
            for (budget, expected) in c.tpr_at_fpr {
                let tpr = try scores.truePositiveRate(atFalsePositiveRate: Double(budget) ?? -1)
                #expect(abs(tpr - expected) < 1e-12, "\(c.name) at \(budget): \(tpr) vs \(expected)")
            }
        }
    }

    @Test("Hand-computed AUC with ties: 2 members vs 2 non-members")
    func handComputed() throws {
        // Pairs (m, n): (2,1) win, (2,2) tie, (1,1) tie, (1,2) loss → (1 + ½ + ½ + 0)/4.
        #expect(try MembershipScores(members: [2, 1], nonMembers: [1, 2]).rocAUC() == 0.5)
        #expect(try MembershipScores(members: [3, 2], nonMembers: [1, 2]).rocAUC() == 0.875)
    }

    @Test("Empty classes, NaN scores and bad budgets are errors that say what is wrong")
    func errors() {
        #expect(throws: EvaluationError.self) { try MembershipScores(members: [], nonMembers: [1]).rocAUC() }
        #expect(throws: EvaluationError.self) { try MembershipScores(members: [.nan], nonMembers: [1]).rocAUC() }
        #expect(throws: EvaluationError.self) {
            try MembershipScores(members: [1], nonMembers: [0]).truePositiveRate(atFalsePositiveRate: 2)
        }
        do {
            _ = try MembershipScores(members: [], nonMembers: [1]).rocAUC()
        } catch {
            #expect("\(error)".contains("got 0 and 1"))
        }
    }

    @Test("Stratified bootstrap: seeded, brackets the estimate, narrows with more data")
    func bootstrap() throws {
        let c = try ROCReference.load().cases[5]  // 200 × 1000
        let scores = MembershipScores(members: c.members, nonMembers: c.non_members)
        let a = try Bootstrap.stratifiedInterval(scores, resamples: 200, seed: 7) { try $0.rocAUC() }
        let b = try Bootstrap.stratifiedInterval(scores, resamples: 200, seed: 7) { try $0.rocAUC() }
        #expect(a == b)
        #expect(a.lower < c.auc && c.auc < a.upper && a.level == 0.95)
        // Normal approximation: SE ≈ 0.02 here, so the width is near 4 × 0.02.
        #expect(a.upper - a.lower > 0.04 && a.upper - a.lower < 0.12)
        let small = MembershipScores(members: Array(c.members.prefix(20)), nonMembers: Array(c.non_members.prefix(20)))
        let wide = try Bootstrap.stratifiedInterval(small, resamples: 200, seed: 7) { try $0.rocAUC() }
        #expect(wide.upper - wide.lower > a.upper - a.lower)
    }

    @Test("Quantile interpolation follows numpy's linear method")
    func quantile() {
        #expect(Bootstrap.quantile(sorted: [1, 2, 3, 4], 0.5) == 2.5)
        #expect(Bootstrap.quantile(sorted: [1, 2, 3, 4], 0.025) == 1.075)
        #expect(Bootstrap.quantile(sorted: [5], 0.975) == 5)
    }

    @Test("zlib lengths equal Python's len(zlib.compress(text.encode()))")
    func zlibLengths() throws {
        for c in try ROCReference.load().zlib {
            #expect(try Zlib.compressedLength(of: c.text) == c.length, "\(c.text.prefix(20))")
        }
    }
}
