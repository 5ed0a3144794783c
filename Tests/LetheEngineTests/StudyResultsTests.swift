import Foundation
import LetheEvaluation
import LetheRecipes
import Testing

@testable import LetheEngine

@Suite("lethe table over a study folder")
struct StudyResultsTests {
    /// A study folder as `lethe run` leaves it, written by hand: a grid over steps and seeds.
    @Test func rowsOfAStudyAverageOverSeedsOnlyAndNameTheirOtherChoices() throws {
        let root = TinyRecipe.temporaryFolder("study-results")
        defer { try? FileManager.default.removeItem(atPath: root) }
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
        try RunResults(label: "base").save(folder: root + "/shared/evaluate-1")
        let study = try RecipeLoader.parse(yaml)
        for run in try RecipeLoader.expand(study) {
            let folder = root + "/" + StudyRunner.folderName(run, study: study)
            var state = RunState(recipeFolder: root, evaluationSeed: 1)
            state.tokenizer = "../shared/tokenizer.json"
            state.evaluations = ["../shared/evaluate-1", "evaluate-3"]
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try state.save(folder: folder)
            try RunResults(label: "grad_diff+sum").save(folder: folder + "/evaluate-3")
        }
        let labels = try StudyResults.load([root]).map(\.label)
        #expect(labels == ["base", "grad_diff+sum (steps=1)", "grad_diff+sum (steps=1)", "grad_diff+sum (steps=2)", "grad_diff+sum (steps=2)"])
        #expect(RunTables.grouped(try StudyResults.load([root])).map(\.runs.count) == [1, 2, 2])
        // A path that climbs out of the working directory is the same folder, not a new one.
        let climbing = "../" + (FileManager.default.currentDirectoryPath as NSString).lastPathComponent + "/" + root
        #expect(RunState.absolute(climbing) == RunState.absolute(root) || root.hasPrefix("/"))
        #expect(RunState.absolute("../x/../y") == RunState.absolute("../y"))
        #expect(RunState.absolute("../y").hasSuffix("/y") && !RunState.absolute("../y").contains(".."))
        #expect { try StudyResults.load([root + "/nothing"]) } throws: { "\($0)".contains("neither an evaluation") }
    }
}
