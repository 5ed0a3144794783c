import Foundation
import LetheTensor

/// Where a run stands, `RUN/state.json`: how many stages are done, which files hold the
/// model after them, and what later stages need (the pretrained model for `retrain`, the
/// oracle and its membership AUC for PrivLeak, the evaluations so far).
///
/// Crash safety follows one rule: a file is written whole under a new name, then the state
/// that points at it is replaced atomically, then files nothing points at any more are
/// removed. So after a crash `state.json` always names complete files, and `lethe resume`
/// continues from the last completed stage (or the last checkpoint inside an unlearn stage).
/// `RUN/model.h5` is a hard link to the newest model, for people and other recipes.
///
/// Paths are relative to the run folder (a grid cell's may point into the shared prefix's
/// folder, `../shared/...`).
public struct RunState: Codable, Equatable, Sendable {
    public static let fileName = "state.json"

    /// The recipe file's folder, against which the stored recipe's relative paths resolve.
    public var recipeFolder: String
    /// Stages completed, counting from the recipe's first.
    public var completedStages = 0
    /// The run's tokenizer file: `tokenizer.json` in the folder when the run trained it, else
    /// the recipe's tokenizer file (an absolute path, read where it is).
    public var tokenizer: String?
    /// The model after the completed stages (nil: the recipe's initial model).
    public var model: String?
    /// Every completed stage's model file, in order (kept, so each can be evaluated or
    /// generated from; nil in runs written before this was recorded).
    public var stageModels: [String]?
    /// A resumable checkpoint inside stage `completedStages` (a training stage), if one was saved.
    public var progress: StageProgress?
    /// The model after the last pretrain stage (kept when a later stage retrains).
    public var pretrained: String?
    /// The retrained oracle, until it is evaluated.
    public var oracle: String?
    /// The oracle's ROC-AUC per attack, the reference of PrivLeak.
    public var oracleAUC: [String: Double]?
    /// Evaluation folders in order (each holds `results.json`).
    public var evaluations: [String] = []
    /// The toxicity scorer's folder, once trained.
    public var classifier: String?
    /// The label the next evaluation's row gets: what the model has been through.
    public var label = "base"
    /// The seed of the evaluations: the last unlearn stage's seed, or the recipe's.
    public var evaluationSeed: UInt64

    public struct StageProgress: Codable, Equatable, Sendable {
        public var stage: Int
        public var step: Int
        public var checkpoint: String
    }

    /// SHA-256 of the state's other fields (its JSON without this one), written by `save` and
    /// checked by `load`: a hand-edited state (a rewound `completedStages` would re-run a stage
    /// on a model that already went through it) is refused, not trusted. Nil in runs written
    /// before the digest.
    public var digest: String?

    /// Reads `folder/state.json`; nil when the folder has none.
    /// - Throws: `EngineError.invalid` naming the file when it is not a state, or when its
    ///   digest does not match its content (edited by hand).
    public static func load(folder: String) throws -> RunState? {
        let path = folder + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let state: RunState
        do {
            state = try JSONDecoder().decode(RunState.self, from: data)
        } catch {
            throw EngineError.invalid("\(path): not a Lethe run state (\(error.localizedDescription)); the run folder is damaged")
        }
        if let digest = state.digest, digest != (try state.contentDigest()) {
            throw EngineError.invalid(
                "\(path) was changed after Lethe wrote it (its digest does not match); a run state is not edited by hand. "
                    + "Restore it, or start the run again into another output")
        }
        return state
    }

    /// Replaces `folder/state.json` atomically (write a temporary file, then rename), with
    /// its digest.
    public func save(folder: String) throws {
        let path = folder + "/" + Self.fileName
        do {
            var stamped = self
            stamped.digest = try contentDigest()
            try AtomicFile.write(Self.encoder.encode(stamped), to: path)
        } catch {
            throw EngineError.cannotWrite(path: path, reason: error.localizedDescription)
        }
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return encoder
    }

    /// SHA-256 of the sorted JSON of every field but `digest`.
    private func contentDigest() throws -> String {
        var bare = self
        bare.digest = nil
        return SHA256.hex([UInt8](try Self.encoder.encode(bare)))
    }

    /// The state of a run that continues from this one in another folder: paths gain the
    /// relative path from there to here (`../shared/`).
    func relocated(prefix: String) -> RunState {
        var copy = self
        func move(_ file: String?) -> String? { file.map { $0.hasPrefix("/") ? $0 : prefix + $0 } }
        (copy.tokenizer, copy.model, copy.pretrained, copy.oracle) = (move(tokenizer), move(model), move(pretrained), move(oracle))
        copy.stageModels = stageModels?.map { prefix + $0 }
        copy.classifier = move(classifier)
        copy.progress = nil
        copy.evaluations = evaluations.map { prefix + $0 }
        return copy
    }

    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).absoluteURL.standardized.path
    }

    /// Every file the state points at.
    public var referencedFiles: Set<String> {
        Set([model, pretrained, oracle, progress?.checkpoint].compactMap { $0 } + (stageModels ?? []))
    }
}

extension RunFolder {
    /// Points `model.h5` at `file` (a hard link, replaced atomically); a copy when the
    /// file system has no hard links.
    func linkLatestModel(_ file: String) throws {
        let source = path + "/" + file
        let target = path + "/model.h5"
        let temporary = target + ".link"
        let manager = FileManager.default
        try? manager.removeItem(atPath: temporary)
        do {
            do {
                try manager.linkItem(atPath: source, toPath: temporary)
            } catch {
                try manager.copyItem(atPath: source, toPath: temporary)
            }
            if rename(temporary, target) != 0 { throw EngineError.cannotWrite(path: target, reason: String(cString: strerror(errno))) }
        } catch {
            try? manager.removeItem(atPath: temporary)
            throw EngineError.cannotWrite(path: target, reason: "\(error)")
        }
    }

    /// Removes files of this folder that `old` pointed at and `new` does not (never files
    /// outside the folder, such as a grid's shared prefix).
    func removeUnreferenced(old: RunState, new: RunState) {
        for file in old.referencedFiles.subtracting(new.referencedFiles) where !file.contains("/") {
            try? FileManager.default.removeItem(atPath: path + "/" + file)
        }
    }
}
