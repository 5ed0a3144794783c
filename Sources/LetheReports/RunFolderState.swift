import Foundation

/// What reports read of a run folder's `state.json` (LetheEngine's `RunState` writes it): the
/// recipe file's folder, the tokenizer (a study's own state names none) and the evaluation
/// folders in order, relative to the run folder (a grid run's may point into the study's
/// `../shared/`). Other keys are ignored. `LetheReportsTests` writes states with the engine's
/// `RunState` and reads them back here, so the two stay in step.
struct RunFolderState: Decodable, Equatable {
    static let fileName = "state.json"

    var recipeFolder: String
    var tokenizer: String?
    var evaluations: [String]

    /// Reads `folder/state.json`; nil when the folder has none.
    static func load(folder: String) throws -> RunFolderState? {
        let path = folder + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do {
            return try JSONDecoder().decode(RunFolderState.self, from: data)
        } catch {
            throw ReportError.invalid("\(path): not a Lethe run state (\(error.localizedDescription)); the run folder is damaged")
        }
    }

    /// `path` made absolute against the working directory, with `.` and `..` removed.
    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).absoluteURL.standardized.path
    }
}
