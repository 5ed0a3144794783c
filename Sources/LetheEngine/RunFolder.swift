import Foundation

/// A run's output folder: `events.jsonl` (one JSON object per line: stages, steps,
/// evaluations, checkpoints), `recipe.yaml` (the resolved recipe), checkpoints, gradient logs
/// and one results folder per evaluation.
public final class RunFolder {
    public let path: String
    private let events: FileHandle

    public init(path: String, recipeYAML: String) throws {
        self.path = path
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try recipeYAML.write(toFile: path + "/recipe.yaml", atomically: true, encoding: .utf8)
            let eventsPath = path + "/events.jsonl"
            FileManager.default.createFile(atPath: eventsPath, contents: nil)
            guard let handle = FileHandle(forWritingAtPath: eventsPath) else { throw CocoaError(.fileWriteUnknown) }
            events = handle
        } catch {
            throw EngineError.cannotWrite(path: path, reason: error.localizedDescription)
        }
    }

    deinit { try? events.close() }

    /// Appends one event.
    public func record(_ event: [String: Any]) {
        var object = event
        object["time"] = Date().timeIntervalSince1970
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        events.write(data + Data("\n".utf8))
    }
}

/// Errors of a run; each names the stage or file.
public enum EngineError: Error, CustomStringConvertible {
    case cannotWrite(path: String, reason: String)
    case invalid(String)

    public var description: String {
        switch self {
        case let .cannotWrite(path, reason): return "\(path): cannot write (\(reason))"
        case let .invalid(reason): return reason
        }
    }
}
