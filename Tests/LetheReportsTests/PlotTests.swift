import Foundation
import LetheEvaluation
@testable import LetheReports
import Testing

@Suite("SVG line plots of run folders")
struct PlotTests {
    @Test func svgHasOneLinePerSeriesAndAnEscapedLegend() throws {
        var plot = LinePlot(title: "a < b", xLabel: "step", yLabel: "loss")
        plot.series = [
            .init(name: "run & one", points: [(1, 3), (2, 2), (3, .nan), (4, 1)]),
            .init(name: "ref", points: [(1, 1), (4, 4)], dashed: true, inLegend: false),
        ]
        let svg = try plot.svg()
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains("a &lt; b") && svg.contains("run &amp; one"))
        // The NaN splits the first series: a line, then a lone point drawn as a dot.
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)
        #expect(svg.components(separatedBy: "<circle").count - 1 == 1)
        #expect(!svg.contains(">ref<"))
    }

    @Test func logAxisNeedsPositiveValuesAndNiceTicks() throws {
        var plot = LinePlot(title: "t", xLabel: "x", yLabel: "y")
        plot.logY = true
        plot.series = [.init(name: "s", points: [(0, -1), (1, 0)])]
        #expect(throws: ReportError.self) { try plot.svg() }
        let log = Axis(values: [0.3, 80], fixed: nil, log: true)
        #expect(log.ticks.map(log.label) == ["0.1", "1", "10", "100"])
        let narrow = Axis(values: [6.4], fixed: nil, log: true)
        #expect(narrow.ticks.map(narrow.label) == ["1", "2", "5", "10", "20", "50", "100"])
        #expect(narrow.fraction(10) > 0 && narrow.fraction(10) < 1)
        #expect(Axis(values: [0, 9.3], fixed: nil, log: false).ticks == [0, 2, 4, 6, 8, 10])
        #expect(Axis.niceStep(0.37) == 0.5)
    }

    @Test func lossCurvesFromEventsSplitForgetAndRetain() throws {
        let run = try folder()
        defer { try? FileManager.default.removeItem(atPath: run) }
        let events = """
            {"event":"stage","index":0,"kind":"pretrain"}
            {"event":"step","stage":"pretrain","step":25,"loss":5.0}
            {"event":"step","stage":"pretrain","step":50,"loss":4.0}
            {"event":"step","stage":"unlearn","step":1,"losses":{"forget":-3.5,"retain":2.0},"cosine":0.1}
            {"event":"step","stage":"unlearn","step":2,"losses":{"forget":-3.9,"retain":2.1},"cosine":0.2}
            """
        try events.write(toFile: run + "/events.jsonl", atomically: true, encoding: .utf8)
        let name = (run as NSString).lastPathComponent
        let unlearn = try RunPlots.losses(runs: [run], stage: "unlearn")
        #expect(unlearn.series.map(\.name) == ["\(name) forget", "\(name) retain"])
        #expect(unlearn.series[0].points.map(\.y) == [-3.5, -3.9])
        let all = try RunPlots.losses(runs: [run])
        #expect(all.series.map(\.name) == ["\(name) pretrain", "\(name) unlearn forget", "\(name) unlearn retain"])
        #expect(all.series[1].points.map(\.x) == [51, 52])  // unlearn follows the 50 pretraining steps
        #expect(throws: ReportError.self) { try RunPlots.losses(runs: [run], stage: "finetune") }
        #expect(throws: ReportError.self) { try RunPlots.losses(runs: [run + "/missing"]) }
    }

    @Test func rocCurvesFromEachEvaluationFolder() throws {
        let run = try folder()
        defer { try? FileManager.default.removeItem(atPath: run) }
        var results = RunResults(label: "base")
        let scores = MembershipScores(members: [3, 2, 1], nonMembers: [0, 1.5, -1])
        results.membership = MembershipReport(
            memberMeanNLL: 1, nonMemberMeanNLL: 2, memberCount: 3, nonMemberCount: 3,
            attacks: [try AttackResult(attack: "min_k@0.2", scores: scores, resamples: 0)])
        try results.save(folder: run + "/evaluate-3")
        try results.save(folder: run + "/evaluate-5")
        // The run's state.json names its evaluations (as the engine's RunState writes it).
        try #"{"recipeFolder": ".", "tokenizer": "tokenizer.json", "evaluations": ["evaluate-3", "evaluate-5"], "evaluationSeed": 1}"#
            .write(toFile: run + "/state.json", atomically: true, encoding: .utf8)
        let plot = try RunPlots.roc(paths: [run], attack: "min_k")
        #expect(plot.series.count == 3)
        #expect(plot.series[0].name.hasSuffix("/evaluate-3 base (AUC \(String(format: "%.3f", try scores.rocAUC())))"))
        #expect(plot.series[0].points.first.map { $0.x == 0 && $0.y == 0 } == true)
        #expect(plot.series[0].points.last.map { $0.x == 1 && $0.y == 1 } == true)
        #expect(throws: ReportError.self) { try RunPlots.roc(paths: [run], attack: "zlib") }
        #expect(throws: ReportError.self) { try RunPlots.roc(paths: [run], attack: "nope") }
        // mia_scores.jsonl, when present, is preferred.
        try "{\"set\":\"member\",\"index\":0,\"min_k@0.2\":1}\n{\"set\":\"non_member\",\"index\":0,\"min_k@0.2\":0}\n"
            .write(toFile: run + "/evaluate-3/mia_scores.jsonl", atomically: true, encoding: .utf8)
        #expect(try RunPlots.roc(paths: [run + "/evaluate-3"], attack: "min_k").series[0].name.hasSuffix("(AUC 1.000)"))
    }

    private func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("plot-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
