import Foundation
import LetheEvaluation
import LetheRecipes

extension StudyResults {
    /// The evaluations under `paths` (see `evaluations`), as table rows.
    public static func load(_ paths: [String]) throws -> [RunResults] {
        try evaluations(paths).map(\.results)
    }

    /// The run folders under `path`, whose `events.jsonl` the loss plots read: a study gives
    /// its shared prefix's folder (when it has one) and then each run's that has started, in
    /// grid order; any other folder is itself.
    public static func runFolders(_ path: String) throws -> [String] {
        guard let state = try RunFolderState.load(folder: path), state.tokenizer == nil else { return [path] }
        let shared = path + "/shared"  // where the engine's StudyRunner runs the shared stages
        return try ([shared] + studyRuns(path, state: state).map(\.folder)).filter {
            FileManager.default.fileExists(atPath: $0 + "/" + RunFolderState.fileName)
        }
    }

    /// A study's grid runs with their folders, in grid order: its recipe's grid names them
    /// (`Recipe.studyFolderName`).
    static func studyRuns(_ path: String, state: RunFolderState) throws -> [(run: Recipe, folder: String)] {
        let file = path + "/recipe.yaml"
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw ReportError.invalid("\(file): missing; cannot list the study's runs")
        }
        let study = try RecipeLoader.parse(text, file: file, folder: state.recipeFolder)
        return try RecipeLoader.expand(study).map { ($0, path + "/" + $0.studyFolderName(study: study)) }
    }
}
