import Foundation
import LetheEvaluation
import LetheRecipes

/// A recipe's grid, run as one study (see `RecipeRunner`): the shared prefix once in
/// `OUTPUT/shared/`, then each run in `OUTPUT/<axis=value-...>/`, then one table whose
/// rows average the runs that share a label.
struct StudyRunner {
    let runner: RecipeRunner
    let runs: [Recipe]

    func run() throws -> ResultsTable {
        let study = runner.recipe
        let root = study.output
        if try RunState.load(folder: root) == nil {
            // The study folder's state only records where the recipe's relative paths point.
            _ = try RunFolder(path: root, recipeYAML: study.yaml)
            try RunState(recipeFolder: RunState.absolute(study.folder), evaluationSeed: study.seed).save(folder: root)
        }
        let k = Self.sharedStages(runs)
        var datasets: [(source: Recipe.DataSource, seed: UInt64, data: StudyData)] = []
        func data(for recipe: Recipe) throws -> StudyData {
            if let cached = datasets.first(where: { $0.source == recipe.data && $0.seed == recipe.seed }) { return cached.data }
            let loaded = try runner.loadData(recipe)
            try loaded.check(for: recipe.stages)
            datasets.append((recipe.data, recipe.seed, loaded))
            return loaded
        }
        var initial: RunState?
        if k > 0, let first = runs.first {
            runner.log("== shared stages 1–\(k) -> \(root)/shared")
            let shared = try runner.makeSession(first, path: root + "/shared", data: try data(for: first))
            try shared.run(stages: 0..<k)
            initial = shared.state.relocated(prefix: "../shared/")
        }
        for run in runs {
            var recipe = run
            let name = Self.folderName(run, study: study)
            recipe.output = root + "/" + name
            runner.log("== \(name) -> \(recipe.output)")
            let session = try runner.makeSession(recipe, path: recipe.output, data: try data(for: recipe), initial: initial)
            try session.run(stages: 0..<recipe.stages.count)
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
