import Foundation
import LetheEvaluation
import LetheRecipes

/// A recipe's grid, run as one study (see `RecipeRunner`): the shared prefix once in
/// `OUTPUT/shared/`, then each run in `OUTPUT/<axis=value-...>/`, then one table whose
/// rows average the runs that share a label.
struct StudyRunner {
    let runner: RecipeRunner
    /// Each run's plan and data.
    let runs: [(plan: RunPlan, data: Datasets)]

    func run() throws -> ResultsTable {
        let study = runner.recipe
        let root = study.output
        if try RunState.load(folder: root) == nil {
            // The study folder's state only records where the recipe's relative paths point.
            _ = try RunFolder(path: root, recipeYAML: study.yaml)
            try RunState(recipeFolder: RunState.absolute(study.folder), evaluationSeed: study.seed).save(folder: root)
        }
        let k = Self.sharedStages(runs.map(\.plan.recipe))
        var initial: RunState?
        if k > 0, let first = runs.first {
            runner.log("== shared stages 1–\(k) -> \(root)/shared")
            let shared = try RunSession(plan: first.plan, path: root + "/shared", data: first.data, log: runner.log)
            try shared.run(stages: 0..<k)
            initial = shared.state.relocated(prefix: "../shared/")
        }
        for (plan, data) in runs {
            let name = Self.folderName(plan.recipe, study: study)
            let path = root + "/" + name
            runner.log("== \(name) -> \(path)")
            let session = try RunSession(plan: plan, path: path, data: data, initial: initial, log: runner.log)
            try session.run(stages: 0..<plan.stages.count)
        }
        return try runner.writeTable(RunTables.detoxification(groups: RunTables.grouped(Self.results(root: root, study: study))))
    }

    /// How many leading stages every run shares (same data, tokenizer, model, seed and
    /// stages up to there).
    static func sharedStages(_ runs: [Recipe]) -> Int {
        guard let first = runs.first else { return 0 }
        guard runs.allSatisfy({ $0.data == first.data && $0.tokenizer == first.tokenizer && $0.model == first.model && $0.seed == first.seed })
        else { return 0 }
        var k = 0
        while runs.allSatisfy({ k < $0.stages.count && $0.stages[k] == first.stages[k] }) { k += 1 }
        return min(k, first.stages.count - 1)
    }

    /// The run's folder: its grid choices (`objective=npo-seed=2`).
    static func folderName(_ run: Recipe, study: Recipe) -> String {
        run.studyFolderName(study: study)
    }

    /// The study's rows, as `lethe table STUDY` reads them back (LetheReports' `StudyResults`,
    /// which the engine cannot import): the shared prefix's evaluations once, then each run's
    /// in grid order, labelled with its grid choices (`Recipe.studyLabelSuffix`).
    static func results(root: String, study: Recipe) throws -> [RunResults] {
        var rows: [RunResults] = []
        var seen: Set<String> = []
        for run in try RecipeLoader.expand(study) {
            let folder = root + "/" + folderName(run, study: study)
            guard let state = try RunState.load(folder: folder) else { continue }
            for evaluation in state.evaluations where seen.insert(RunState.absolute(folder + "/" + evaluation)).inserted {
                var row = try RunResults.load(folder: folder + "/" + evaluation)
                if !evaluation.hasPrefix("../") { row.label += run.studyLabelSuffix }
                rows.append(row)
            }
        }
        return rows
    }
}
