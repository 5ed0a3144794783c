import LetheEvaluation
import Testing

@Suite("lethe table --attack: labels with options, typos")
struct TableAttackTests {
    private func run(_ labels: [String]) throws -> RunResults {
        let scores = MembershipScores(members: [3, 4, 5], nonMembers: [1, 2, 3.5])
        let attacks = try labels.map { try AttackResult(attack: $0, scores: scores, resamples: 10) }
        var results = RunResults(label: "base")
        results.membership = MembershipReport(memberMeanNLL: 1, nonMemberMeanNLL: 2, memberCount: 3, nonMemberCount: 3, attacks: attacks)
        return results
    }

    /// Issue 15, "silently wrong" 8: `--attack min_k` finds `min_k@0.2` (it used to show "–"),
    /// and a typo is an error listing what the runs hold (it used to exit 0).
    @Test func attackNamesResolveOrFail() throws {
        let runs = [try run(["loss", "zlib", "min_k@0.2"])]
        #expect(try RunTables.attackLabel("loss", in: runs) == "loss")
        #expect(try RunTables.attackLabel("min_k", in: runs) == "min_k@0.2")
        #expect { try RunTables.attackLabel("bogus", in: runs) } throws: { "\($0)".contains("bogus") && "\($0)".contains("min_k@0.2") }
        let two = [try run(["min_k@0.1", "min_k@0.2"])]
        #expect { try RunTables.attackLabel("min_k", in: two) } throws: { "\($0)".contains("ambiguous") }
        let table = try RunTables.table(runs, layout: .detoxification, attack: RunTables.attackLabel("min_k", in: runs))
        #expect(table.rows.first?.cells.contains { $0 != nil } == true)
    }
}
