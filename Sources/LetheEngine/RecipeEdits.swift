import Foundation
import LetheTensor
import LetheRecipes

/// Continuing a run with an edited recipe (issue 15): after a stage fails on a recipe mistake,
/// the corrected recipe continues the run when everything the completed stages depended on is
/// unchanged (data, tokenizer, starting model, seed and the completed stages themselves); the
/// stages from the first not completed may change. Anything else is refused, naming what changed.
enum RecipeEdits {
    /// Accepts `edited` for the run in its output folder, whose stored recipe is `storedText`:
    /// writes it as the folder's `recipe.yaml` and returns a line saying which stages changed.
    /// A checkpoint inside a stage that changed is dropped (that stage starts again).
    /// - Throws: `EngineError.invalid` naming the first completed part that differs.
    static func accept(_ edited: Recipe, storedText: String) throws -> String {
        let folder = edited.output
        guard let state = try RunState.load(folder: folder) else { return "" }
        let stored = try RecipeLoader.parse(storedText, file: folder + "/recipe.yaml", folder: state.recipeFolder)
        func refuse(_ what: String) -> EngineError {
            .invalid(
                "\(folder) holds a run of another recipe (\(what) differs from its recipe.yaml, and stages depend on it); "
                    + "set another output, or continue that run with `lethe resume \(folder)`")
        }
        guard stored.grid.isEmpty, edited.grid.isEmpty else { throw refuse("a study's recipe") }
        if stored.data != edited.data { throw refuse("data") }
        if stored.tokenizer != edited.tokenizer { throw refuse("tokenizer") }
        if stored.model != edited.model { throw refuse("model") }
        if stored.seed != edited.seed { throw refuse("seed") }
        let done = state.completedStages
        for index in 0..<done where index >= edited.stages.count || stored.stages[index] != edited.stages[index] {
            throw refuse("completed stage \(index + 1) (\(stored.stages[index].kind))")
        }
        let changed = (done..<max(stored.stages.count, edited.stages.count)).filter { index in
            index >= stored.stages.count || index >= edited.stages.count || stored.stages[index] != edited.stages[index]
        }
        if let progress = state.progress, changed.contains(progress.stage) {
            var next = state
            next.progress = nil
            try next.save(folder: folder)
        }
        do {
            try AtomicFile.write(edited.yaml, to: folder + "/recipe.yaml")
        } catch {
            throw EngineError.cannotWrite(path: folder + "/recipe.yaml", reason: error.localizedDescription)
        }
        let names = changed.map { "\($0 + 1)" }.joined(separator: ", ")
        return "\(folder) holds a run of an earlier version of this recipe: its \(done) completed stage(s) are unchanged, "
            + "continuing with the edited recipe (stages changed: \(names.isEmpty ? "none" : names))"
    }
}
