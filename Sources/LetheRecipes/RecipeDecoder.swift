import Foundation
import LetheOptions
import Yams

/// Decodes a recipe's node tree into `Recipe`: the top level strictly; stage options into
/// option trees for the stage plugins to check.
struct RecipeDecoder {
    let file: String
    let folder: String

    /// The recipe, or every mistake of its top level at once (unknown keys, missing keys, bad
    /// values of each section), in file order.
    func recipe(_ root: RecipeNode, yaml: String) throws -> Recipe {
        var problems: [RecipeError] = []
        func attempt<T>(_ body: () throws -> T) -> T? {
            do {
                return try body()
            } catch let error as RecipeError {
                if case let .several(errors) = error { problems += errors } else { problems.append(error) }
                return nil
            } catch {
                problems.append(root.fail("\(error)"))
                return nil
            }
        }
        let top = try root.mapping(allowing: ["name", "seed", "output", "data", "tokenizer", "model", "stages", "grid"]) { problems.append($0) }
        func required(_ key: String) throws -> RecipeNode {
            guard let node = top[key] else { throw root.fail("missing key \(key)") }
            return node
        }
        let name = attempt { () throws -> String in
            let name = try required("name").string()
            // The name is a folder name (the default output is checkpoints/<name>).
            guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
                throw (top["name"] ?? root).fail("name must be a non-empty folder name without '/', got '\(name)'")
            }
            return name
        }
        let seed = attempt { () throws -> UInt64 in
            let seed = try top["seed"].map { try $0.int() } ?? 0
            guard seed >= 0 else { throw top["seed"].map { $0.fail("must not be negative") } ?? root.fail("seed") }
            return UInt64(seed)
        }
        let output = attempt { try top["output"]?.string() }
        let dataSource = attempt { try self.data(required("data")) }
        let tokenizerSource = attempt { try self.tokenizer(required("tokenizer")) }
        let modelSource = attempt { try self.model(required("model")) }
        let stageList = attempt { () throws -> [Recipe.Stage] in
            var stages: [Recipe.Stage] = []
            for item in try required("stages").sequence() { if let stage = attempt({ try self.stage(item) }) { stages.append(stage) } }
            guard !stages.isEmpty || !problems.isEmpty else { throw root.fail("stages: needs at least one stage") }
            return stages
        }
        let axes = attempt { try top["grid"].map { try self.grid($0) } ?? [] }
        guard problems.isEmpty, let name, let seed, let dataSource, let tokenizerSource, let modelSource, let stageList, let axes else {
            let sorted = problems.sorted { Self.line($0) < Self.line($1) }
            throw sorted.count == 1 ? sorted[0] : RecipeError.several(sorted)
        }
        return Recipe(
            name: name, seed: seed, output: (output ?? nil) ?? "checkpoints/\(name)", data: dataSource, tokenizer: tokenizerSource,
            model: modelSource, stages: stageList, gridAxes: axes, file: file, folder: folder, yaml: yaml)
    }

    private static func line(_ error: RecipeError) -> Int {
        if case let .invalid(_, _, line, _) = error { return line }
        return 0
    }

    private func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : (folder == "." ? path : folder + "/" + path)
    }

    private func oneOf(_ node: RecipeNode, _ choices: [String]) throws -> (String, RecipeNode) {
        let entries = try node.mapping(allowing: choices)
        guard entries.count == 1, let (key, value) = entries.first else { throw node.fail("needs exactly one of \(choices.joined(separator: ", "))") }
        return (key, value)
    }

    private func data(_ node: RecipeNode) throws -> Recipe.DataSource {
        let (kind, value) = try oneOf(node, ["generate", "files"])
        if kind == "generate" { return .generate(try value.optionNode()) }
        var files: [String: Recipe.DataFile] = [:]
        for (key, entry) in try value.anyMapping() {
            files[key] = Recipe.DataFile(path: resolve(try entry.string()), origin: entry.origin)
        }
        return .files(files)
    }

    private func tokenizer(_ node: RecipeNode) throws -> Recipe.TokenizerSource {
        let (kind, value) = try oneOf(node, ["train", "file"])
        if kind == "file" { return .file(resolve(try value.string())) }
        let size = try value.mapping(allowing: ["vocab_size"])["vocab_size"].map { try $0.int() } ?? 4096
        guard size >= 257 else { throw value.fail("vocab_size must be at least 257 (the byte alphabet plus one)") }
        return .train(vocabularySize: size)
    }

    private func model(_ node: RecipeNode) throws -> Recipe.ModelSource {
        let (kind, value) = try oneOf(node, ["config", "huggingface", "checkpoint"])
        switch kind {
        case "config": return .config(try value.optionNode())
        case "huggingface": return .huggingFace(resolve(try value.string()))
        default: return .checkpoint(resolve(try value.string()))
        }
    }

    /// A stage: a one-key mapping, kind → options (a mapping, or nothing).
    private func stage(_ node: RecipeNode) throws -> Recipe.Stage {
        let entries = try node.anyMapping()
        guard entries.count == 1, let (kind, value) = entries.first else {
            throw node.fail("a stage is one key, its kind, with its options (e.g. `- pretrain: {steps: 100}`)")
        }
        let options = try value.optionNode()
        switch options.value {
        case .map, .null: break
        case .flag(true): break
        default: throw value.fail("expected the stage's options as a mapping")
        }
        return Recipe.Stage(kind: kind, options: options, origin: node.origin)
    }

    private func grid(_ node: RecipeNode) throws -> [Recipe.GridAxis] {
        try node.anyMapping().map { key, values in
            let items = try values.sequence()
            guard !items.isEmpty else { throw values.fail("a grid axis needs at least one value") }
            return Recipe.GridAxis(path: key, values: try items.map { try Yams.serialize(node: $0.node).trimmingCharacters(in: .whitespacesAndNewlines) })
        }
    }
}
