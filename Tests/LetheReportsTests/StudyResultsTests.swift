import Foundation
import LetheEvaluation
import LetheRecipes
import Testing

@testable import LetheEngine
@testable import LetheReports

@Suite("lethe table and lethe plot over a study folder")
struct StudyResultsTests {
    /// A study folder as `lethe run` leaves it, written by hand: a grid over steps and seeds.
    /// The states are written with the engine's own `RunState`, so this also checks that
    /// reports read what the engine writes.
    static func writeStudy(_ root: String) throws {
        let yaml = """
            name: s
            data: {generate: {}}
            tokenizer: {train: {}}
            model: {config: {}}
            stages: [{evaluate: {}}, {unlearn: {objective: grad_diff, steps: 1}}, {evaluate: {}}]
            grid: {stages.unlearn.steps: [1, 2], stages.unlearn.seed: [1, 2]}

            """
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try yaml.write(toFile: root + "/recipe.yaml", atomically: true, encoding: .utf8)
        try RunState(recipeFolder: root, evaluationSeed: 1).save(folder: root)
        var shared = RunState(recipeFolder: root, evaluationSeed: 1)
        (shared.tokenizer, shared.evaluations) = ("tokenizer.json", ["evaluate-1"])
        try FileManager.default.createDirectory(atPath: root + "/shared", withIntermediateDirectories: true)
        try shared.save(folder: root + "/shared")
        try evaluation("base", members: [3, 2, 1], nonMembers: [0, 1.5, -1]).save(folder: root + "/shared/evaluate-1")
        try "{\"event\":\"step\",\"stage\":\"pretrain\",\"step\":1,\"loss\":5.0}\n".write(toFile: root + "/shared/events.jsonl", atomically: true, encoding: .utf8)
        let study = try RecipeLoader.parse(yaml)
        for run in try RecipeLoader.expand(study) {
            let folder = root + "/" + run.studyFolderName(study: study)
            var state = RunState(recipeFolder: root, evaluationSeed: 1)
            state.tokenizer = "../shared/tokenizer.json"
            state.evaluations = ["../shared/evaluate-1", "evaluate-3"]
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try state.save(folder: folder)
            let results = try evaluation("grad_diff+sum", members: [1, 0.5, 0], nonMembers: [0.2, 1, -1])
            try results.save(folder: folder + "/evaluate-3")
            try RunResults.writeLines(results.membership?.scoreRows ?? [], folder: folder + "/evaluate-3", name: "mia_scores.jsonl")
            try "{\"event\":\"step\",\"stage\":\"unlearn\",\"step\":1,\"losses\":{\"forget\":-1.0,\"retain\":2.0}}\n"
                .write(toFile: folder + "/events.jsonl", atomically: true, encoding: .utf8)
        }
    }

    static func evaluation(_ label: String, members: [Double], nonMembers: [Double]) throws -> RunResults {
        var results = RunResults(label: label)
        results.membership = MembershipReport(
            memberMeanNLL: 1, nonMemberMeanNLL: 2, memberCount: members.count, nonMemberCount: nonMembers.count,
            attacks: [try AttackResult(attack: "loss", scores: MembershipScores(members: members, nonMembers: nonMembers), resamples: 0)])
        return results
    }

    static func temporaryFolder(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)").path
    }

    @Test func rowsOfAStudyAverageOverSeedsOnlyAndNameTheirOtherChoices() throws {
        let root = Self.temporaryFolder("study-results")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.writeStudy(root)
        let labels = try StudyResults.load([root]).map(\.label)
        #expect(labels == ["base", "grad_diff+sum (steps=1)", "grad_diff+sum (steps=1)", "grad_diff+sum (steps=2)", "grad_diff+sum (steps=2)"])
        #expect(RunTables.grouped(try StudyResults.load([root])).map(\.runs.count) == [1, 2, 2])
        // A path that climbs out of the working directory is the same folder, not a new one.
        let climbing = "../" + (FileManager.default.currentDirectoryPath as NSString).lastPathComponent + "/" + root
        #expect(RunFolderState.absolute(climbing) == RunFolderState.absolute(root) || root.hasPrefix("/"))
        #expect(RunFolderState.absolute("../x/../y") == RunFolderState.absolute("../y"))
        #expect(RunFolderState.absolute("../y").hasSuffix("/y") && !RunFolderState.absolute("../y").contains(".."))
        #expect { try StudyResults.load([root + "/nothing"]) } throws: { "\($0)".contains("neither an evaluation") }
    }

    /// `lethe plot roc STUDY` failed ("neither results.json nor evaluate-N/results.json
    /// folders") where `lethe table STUDY` worked: the plots listed folders their own way.
    /// Both now read through `StudyResults`: the same evaluations, in the same order.
    @Test func rocCurvesOfAStudyAreTheEvaluationsOfItsTable() throws {
        let root = Self.temporaryFolder("study-roc")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.writeStudy(root)
        let plot = try RunPlots.roc(paths: [root], attack: "loss")
        let curves = plot.series.filter(\.inLegend)
        #expect(curves.count == 5 && plot.series.count == 6)  // + the chance diagonal
        #expect(curves.map(\.name) == [
            "shared/evaluate-1 base (AUC 0.889)",
            "steps=1-seed=1/evaluate-3 grad_diff+sum (steps=1) (AUC 0.611)",
            "steps=1-seed=2/evaluate-3 grad_diff+sum (steps=1) (AUC 0.611)",
            "steps=2-seed=1/evaluate-3 grad_diff+sum (steps=2) (AUC 0.611)",
            "steps=2-seed=2/evaluate-3 grad_diff+sum (steps=2) (AUC 0.611)",
        ])
        // A grid run's folder gives the shared evaluation it continues from, then its own.
        let run = try RunPlots.roc(paths: [root + "/steps=2-seed=1"], attack: "loss")
        #expect(run.series.filter(\.inLegend).map(\.name) == [
            "shared/evaluate-1 base (AUC 0.889)", "steps=2-seed=1/evaluate-3 grad_diff+sum (AUC 0.611)",
        ])
        // Several folders of one study (as notebooks-md/detox-gradient-surgery.md plots them):
        // the shared evaluation once.
        let several = try RunPlots.roc(paths: [root + "/shared", root + "/steps=1-seed=1", root + "/steps=2-seed=1"], attack: "loss")
        #expect(several.series.filter(\.inLegend).map(\.name) == [
            "shared/evaluate-1 base (AUC 0.889)", "steps=1-seed=1/evaluate-3 grad_diff+sum (AUC 0.611)",
            "steps=2-seed=1/evaluate-3 grad_diff+sum (AUC 0.611)",
        ])
        // Loss curves: the shared prefix's run, then each grid run, in grid order.
        let losses = try RunPlots.losses(runs: [root])
        #expect(losses.series.map(\.name) == [
            "shared pretrain", "steps=1-seed=1 unlearn forget", "steps=1-seed=1 unlearn retain",
            "steps=1-seed=2 unlearn forget", "steps=1-seed=2 unlearn retain", "steps=2-seed=1 unlearn forget",
            "steps=2-seed=1 unlearn retain", "steps=2-seed=2 unlearn forget", "steps=2-seed=2 unlearn retain",
        ])
    }
}
