import Foundation
import LetheEvaluation
import Testing

@Suite("Results tables")
struct ResultsTableTests {
    func sample() throws -> ResultsTable {
        var table = ResultsTable(title: "T", rowHeader: "Method", columns: ["PPL", "AUC"], digits: [1, 3], note: "note")
        try table.append("base", [.init(20.25), .init(0.75, interval: Interval(lower: 0.7, upper: 0.8))])
        try table.append("grad, diff", [nil, .init(0.5)])
        return table
    }

    @Test("Markdown: header, alignment, intervals, missing cells, note")
    func markdown() throws {
        let expected = """
            **T**

            | Method | PPL | AUC |
            |---|---:|---:|
            | base | 20.2 | 0.750 [0.700, 0.800] |
            | grad, diff | – | 0.500 |

            note

            """
        #expect(try sample().markdown() == expected)
    }

    @Test("CSV: full precision, interval columns, quoting, empty missing cells")
    func csv() throws {
        let expected = """
            Method,PPL,AUC,AUC_lower,AUC_upper
            base,20.25,0.75,0.7,0.8
            "grad, diff",,0.5,,

            """
        #expect(try sample().csv() == expected)
    }

    @Test("JSON round-trips through Codable")
    func json() throws {
        let table = try sample()
        let decoded = try JSONDecoder().decode(ResultsTable.self, from: Data(table.json().utf8))
        #expect(decoded == table)
        #expect(throws: EvaluationError.self) { var t = table; try t.append("bad", [nil]) }
    }

    @Test("Seed layouts: 003 detoxification and 000 classification columns")
    func layouts() throws {
        let scores = MembershipScores(members: [3, 2, 1], nonMembers: [0, 1, 2])
        let attack = try AttackResult(attack: "loss", scores: scores, resamples: 0)
        let report = MembershipReport(
            memberMeanNLL: 1.5, nonMemberMeanNLL: 2.5, memberCount: 3, nonMemberCount: 3, attacks: [attack])
        let detox = try ResultsTable.detoxification(
            [.init(label: "base", toxicity: 0.4, wordPerplexity: 30, membership: report)])
        #expect(detox.columns == ["Toxicity", "Word PPL", "Member NLL", "Non-member NLL", "ROC-AUC"])
        #expect(detox.markdown().contains("| base | 0.400 | 30.00 | 1.500 | 2.500 | 0.778 |"))  // AUC (3 + 2.5 + 1.5) / 9
        let m = try ClassificationMetrics(predictions: [1, 0, 1, 1], labels: [1, 0, 0, 1])
        let classifier = try ResultsTable.classification(testSets: ["original", "re-split"], rows: [("lora", [m, m])])
        #expect(classifier.columns.count == 8 && classifier.columns[7] == "re-split F1")
        #expect(classifier.rows[0].cells[0]?.value == 0.75)
    }
}
