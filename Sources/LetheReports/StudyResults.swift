import Foundation
import LetheEvaluation
import LetheRecipes

/// The evaluations behind `lethe table`: a folder holding `results.json` is one; a run
/// folder (`state.json`) gives its evaluations in order; a study folder (a grid's output)
/// gives the shared prefix's and then each run's, in grid order. Each evaluation folder is
/// read once, however many runs point at it. `lethe plot` reads folders through it too.
public enum StudyResults {
    /// The rows of `load`, each with its evaluation folder as reached from `paths`.
    public static func evaluations(_ paths: [String]) throws -> [(folder: String, results: RunResults)] {
        var seen: Set<String> = []
        var results: [(folder: String, results: RunResults)] = []
        for (folder, suffix) in try paths.flatMap(evaluationFolders) {
            let path = RunFolderState.absolute(folder)  // `a/run/../shared/x` and `a/shared/x` are one folder
            guard seen.insert(path).inserted else { continue }
            var evaluation = try RunResults.load(folder: path)
            evaluation.label += suffix
            results.append((folder, evaluation))
        }
        return results
    }

    /// The evaluation folders under `path`, in table order, with what to add to their row
    /// labels: in a study, a run's grid choices other than the objective, the combiner and
    /// seeds (` (steps=8)`), so rows that differ only in seed average together and others not.
    static func evaluationFolders(_ path: String) throws -> [(folder: String, labelSuffix: String)] {
        let manager = FileManager.default
        if manager.fileExists(atPath: path + "/results.json") { return [(path, "")] }
        guard let state = try RunFolderState.load(folder: path) else {
            throw ReportError.invalid("\(path): neither an evaluation (results.json) nor a run folder (state.json)")
        }
        if state.tokenizer != nil {  // a run (a study's own state names no tokenizer)
            return state.evaluations.map { (path + "/" + $0, "") }
        }
        return try studyRuns(path, state: state).flatMap { run, folder -> [(String, String)] in
            guard let cell = try RunFolderState.load(folder: folder) else { return [] }  // not run yet
            let suffix = run.studyLabelSuffix
            return cell.evaluations.map { (folder + "/" + $0, $0.hasPrefix("../") ? "" : suffix) }  // shared rows keep their label
        }
    }
}
