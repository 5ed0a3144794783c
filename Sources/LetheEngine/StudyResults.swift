import Foundation
import LetheEvaluation
import LetheRecipes

/// The evaluations behind `lethe table`: a folder holding `results.json` is one; a run
/// folder (`state.json`) gives its evaluations in order; a study folder (a grid's output)
/// gives the shared prefix's and then each run's, in grid order. Each evaluation folder is
/// read once, however many runs point at it.
public enum StudyResults {
    public static func load(_ paths: [String]) throws -> [RunResults] {
        var seen: Set<String> = []
        var results: [RunResults] = []
        for (folder, suffix) in try paths.flatMap(evaluationFolders) {
            let path = RunState.absolute(folder)  // `a/run/../shared/x` and `a/shared/x` are one folder
            guard seen.insert(path).inserted else { continue }
            var evaluation = try RunResults.load(folder: path)
            evaluation.label += suffix
            results.append(evaluation)
        }
        return results
    }

    /// The evaluation folders under `path`, in table order, with what to add to their row
    /// labels: in a study, a run's grid choices other than the objective, the combiner and
    /// seeds (` (steps=8)`), so rows that differ only in seed average together and others not.
    static func evaluationFolders(_ path: String) throws -> [(folder: String, labelSuffix: String)] {
        let manager = FileManager.default
        if manager.fileExists(atPath: path + "/results.json") { return [(path, "")] }
        guard let state = try RunState.load(folder: path) else {
            throw EngineError.invalid("\(path): neither an evaluation (results.json) nor a run folder (state.json)")
        }
        if state.tokenizer != nil {  // a run (a study's own state names no tokenizer)
            return state.evaluations.map { (path + "/" + $0, "") }
        }
        // A study: its recipe's grid names the run folders.
        let file = path + "/recipe.yaml"
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw EngineError.invalid("\(file): missing; cannot list the study's runs")
        }
        let study = try RecipeLoader.parse(text, file: file, folder: state.recipeFolder)
        return try RecipeLoader.expand(study).flatMap { run -> [(String, String)] in
            let folder = path + "/" + StudyRunner.folderName(run, study: study)
            guard let cell = try RunState.load(folder: folder) else { return [] }  // not run yet
            let named = ["seed", "objective", "objective.name", "combiner", "combiner.name"]
            let extra = run.gridChoice.filter { choice in !named.contains { choice.path == $0 || choice.path.hasSuffix("." + $0) } }
            let suffix = extra.isEmpty ? "" : " (" + extra.map { "\($0.path.split(separator: ".").last ?? "")=\($0.value)" }.joined(separator: ", ") + ")"
            return cell.evaluations.map { (folder + "/" + $0, $0.hasPrefix("../") ? "" : suffix) }  // shared rows keep their label
        }
    }
}
