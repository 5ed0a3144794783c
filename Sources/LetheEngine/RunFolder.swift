import Foundation
import LetheTensor

/// A run's output folder: `events.jsonl` (one JSON object per line: stages, steps,
/// evaluations, checkpoints), `recipe.yaml` (the resolved recipe), checkpoints, gradient logs
/// and one results folder per evaluation.
public final class RunFolder {
    public let path: String
    private let events: FileHandle

    /// Opens (creating it if needed) the folder; `recipe.yaml` is written when `recipeYAML`
    /// is given, and events are appended to what an interrupted run left.
    public init(path: String, recipeYAML: String?) throws {
        self.path = path
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            if let recipeYAML { try AtomicFile.write(recipeYAML, to: path + "/recipe.yaml") }
            let eventsPath = path + "/events.jsonl"
            if !FileManager.default.fileExists(atPath: eventsPath) {
                guard FileManager.default.createFile(atPath: eventsPath, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
            }
            guard let handle = FileHandle(forWritingAtPath: eventsPath) else { throw CocoaError(.fileWriteNoPermission) }
            try handle.seekToEnd()
            events = handle
        } catch {
            throw EngineError.cannotWrite(path: path, reason: error.localizedDescription)
        }
    }

    deinit { try? events.close() }

    /// Appends one event (with its time) to `events.jsonl`. A NaN or infinite number (a
    /// skipped step's loss, an undefined cosine) is written as null: JSON has no such numbers,
    /// and the event must not be lost for it.
    /// - Throws: `EngineError.cannotWrite` naming the file when the disk refuses it.
    public func record(_ event: RunEvent) throws {
        var object = Self.finiteOrNull(event.object) as? [String: Any] ?? [:]
        object["time"] = Date().timeIntervalSince1970
        guard JSONSerialization.isValidJSONObject(object),
            let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        else { return }
        do {
            try events.write(contentsOf: data + Data("\n".utf8))
        } catch {
            throw EngineError.cannotWrite(path: path + "/events.jsonl", reason: error.localizedDescription)
        }
    }

    private static func finiteOrNull(_ value: Any) -> Any {
        switch value {
        case let x as Double: return x.isFinite ? x : NSNull()
        case let x as Float: return x.isFinite ? x : NSNull()
        case let object as [String: Any]: return object.mapValues(finiteOrNull)
        case let list as [Any]: return list.map(finiteOrNull)
        default: return value
        }
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
