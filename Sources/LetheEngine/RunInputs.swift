import Foundation
import LetheRecipes
import LetheTensor

/// Fingerprints of a run's input files, `RUN/inputs.json`: the SHA-256 of every data file,
/// the tokenizer file and the starting model (each file of a model folder) the recipe names.
/// Written when a run starts; checked when it continues, so an edited data file is not
/// silently mixed with results computed from the old one.
struct RunInputs: Codable, Equatable {
    static let fileName = "inputs.json"
    /// Recipe key (`data.files.forget`, `tokenizer.file`, `model.huggingface`) → path → SHA-256.
    var files: [String: [String: String]]

    /// The fingerprints of the inputs `recipe` names.
    /// - Throws: `EngineError.invalid` naming the key and file when one cannot be read.
    init(recipe: Recipe) throws {
        var files: [String: [String: String]] = [:]
        func add(_ key: String, _ path: String) throws {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw EngineError.invalid("\(key): \(path) does not exist")
            }
            let members = isFolder.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 }
                    .filter { FileManager.default.fileExists(atPath: $0, isDirectory: &isFolder) && !isFolder.boolValue }
                : [path]
            for member in members {
                guard let digest = SHA256.hex(file: member) else { throw EngineError.invalid("\(key): cannot read \(member)") }
                files[key, default: [:]][member] = digest
            }
        }
        if case let .files(named) = recipe.data {
            for (name, file) in named.sorted(by: { $0.key < $1.key }) { try add("data.files.\(name)", file.path) }
        }
        if case let .file(path) = recipe.tokenizer { try add("tokenizer.file", path) }
        switch recipe.model {
        case let .huggingFace(path): try add("model.huggingface", path)
        case let .checkpoint(path): try add("model.checkpoint", path)
        case .config: break
        }
        self.files = files
    }

    /// Records the fingerprints in `folder` when it has none; otherwise requires them to be
    /// unchanged.
    /// - Throws: `EngineError.invalid` naming each changed, added or removed file.
    func check(folder: String) throws {
        let path = folder + "/" + Self.fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            do {
                try AtomicFile.write(encoder.encode(self), to: path)
            } catch {
                throw EngineError.cannotWrite(path: path, reason: error.localizedDescription)
            }
            return
        }
        guard let stored = try? JSONDecoder().decode(RunInputs.self, from: data) else {
            throw EngineError.invalid("\(path): not a Lethe inputs file; the run folder is damaged")
        }
        var changes: [String] = []
        for key in Set(stored.files.keys).union(files.keys).sorted() {
            let (old, new) = (stored.files[key] ?? [:], files[key] ?? [:])
            for file in Set(old.keys).union(new.keys).sorted() where old[file] != new[file] {
                switch (old[file], new[file]) {
                case let (before?, after?): changes.append("\(key): \(file) changed (SHA-256 \(before.prefix(12))… → \(after.prefix(12))…)")
                case (nil, _): changes.append("\(key): \(file) is new")
                case (_, nil): changes.append("\(key): \(file) is gone")
                }
            }
        }
        guard changes.isEmpty else {
            throw EngineError.invalid(
                "\(folder) was started with other inputs, so its results would mix old and new data:\n  "
                    + changes.joined(separator: "\n  ") + "\nrestore the files, or run into another output")
        }
    }
}
