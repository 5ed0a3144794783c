extension MembershipReport {
    /// The per-example scores as `mia_scores.jsonl` rows: `{"set": "member"|"non_member",
    /// "index": i, "<attack>": score, ...}`, members first (what `lethe plot roc` reads).
    public var scoreRows: [[String: Any]] {
        var rows: [[String: Any]] = []
        for (set, count) in [("member", memberCount), ("non_member", nonMemberCount)] {
            for i in 0..<count {
                var row: [String: Any] = ["set": set, "index": i]
                for r in attacks {
                    let scores = set == "member" ? r.scores.members : r.scores.nonMembers
                    if scores.indices.contains(i) { row[r.attack] = scores[i] }
                }
                rows.append(row)
            }
        }
        return rows
    }
}
