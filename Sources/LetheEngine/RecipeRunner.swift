import Foundation
import LetheEvaluation
import LetheRecipes
import LetheText
import LetheUnlearning

/// Runs a recipe into its run folder `recipe.output` and returns the table of its
/// evaluations (seed 003's layout), also written to `table.md`.
///
/// A recipe with a grid is a study: its runs share the stages before the first one the grid
/// changes (e.g. pretrain, fine-tune, retrain and the base evaluation), which run once into
/// `OUTPUT/shared/`; each run continues from there in `OUTPUT/<axis=value-...>/`. The study
/// table has one row per distinct label, averaged over the runs that differ only in seed,
/// with a 95% t-interval over seeds.
///
/// Runs are resumable: `resume(folder:)` continues a killed run (or study) from its last
/// completed stage or unlearning checkpoint, with the same numbers as an uninterrupted run.
public struct RecipeRunner {
    public let recipe: Recipe
    public var log: (String) -> Void
    public var objectives = ObjectiveRegistry.builtIn
    public var combiners = CombinerRegistry.builtIn

    public init(recipe: Recipe, log: @escaping (String) -> Void = { print($0) }) {
        self.recipe = recipe
        self.log = log
    }

    /// Runs the recipe. A folder that already holds a run of the same recipe is continued
    /// (a finished run just prints its table again); a run of another recipe is refused, so
    /// nothing saved is overwritten.
    public func run() throws -> ResultsTable {
        if FileManager.default.fileExists(atPath: recipe.output + "/" + RunState.fileName) {
            let stored = try? String(contentsOfFile: recipe.output + "/recipe.yaml", encoding: .utf8)
            guard stored == recipe.yaml else {
                throw EngineError.invalid(
                    "\(recipe.output) already holds a run of another recipe (see its recipe.yaml); set another output, or continue that run with `lethe resume \(recipe.output)`")
            }
            log("\(recipe.output) holds a run of this recipe: continuing it")
        }
        return try execute()
    }

    /// Continues the run (or study) in `folder` from where it stopped, with the recipe stored
    /// there.
    public static func resume(folder: String, log: @escaping (String) -> Void = { print($0) }) throws -> ResultsTable {
        guard let state = try RunState.load(folder: folder) else {
            throw EngineError.invalid("\(folder): no \(RunState.fileName); not a Lethe run folder (or the run never started)")
        }
        let file = folder + "/recipe.yaml"
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw EngineError.invalid("\(file): missing or unreadable; the run folder is damaged")
        }
        var recipe = try RecipeLoader.parse(text, file: file, folder: state.recipeFolder)
        recipe.output = folder
        return try RecipeRunner(recipe: recipe, log: log).execute()
    }

    private func execute() throws -> ResultsTable {
        let runs = try RecipeLoader.expand(recipe)
        if runs.count == 1 && recipe.grid.isEmpty {
            let data = try loadData(recipe)
            try data.check(for: recipe.stages)
            let session = try makeSession(recipe, path: recipe.output, data: data)
            try session.run(stages: 0..<recipe.stages.count)
            return try writeTable(RunTables.table(session.results(), layout: .detoxification))
        }
        return try StudyRunner(runner: self, runs: runs).run()
    }

    func makeSession(_ recipe: Recipe, path: String, data: StudyData, initial: RunState? = nil) throws -> RunSession {
        let session = try RunSession(recipe: recipe, path: path, data: data, initial: initial, log: log)
        session.objectives = objectives
        session.combiners = combiners
        return session
    }

    func writeTable(_ table: ResultsTable) throws -> ResultsTable {
        let path = recipe.output + "/table.md"
        do {
            try table.markdown().write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw EngineError.cannotWrite(path: path, reason: error.localizedDescription)
        }
        return table
    }
}
