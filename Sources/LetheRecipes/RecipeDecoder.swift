import Foundation
import LetheOptions
import Yams

/// Decodes a recipe's node tree into `Recipe`: the top level strictly; stage options into
/// option trees for the stage plugins to check.
struct RecipeDecoder {
    let file: String
    let folder: String

    func recipe(_ root: RecipeNode, yaml: String) throws -> Recipe {
        let top = try root.mapping(allowing: ["name", "seed", "output", "data", "tokenizer", "model", "stages", "grid"])
        func required(_ key: String) throws -> RecipeNode {
            guard let node = top[key] else { throw root.fail("missing key \(key)") }
            return node
        }
        let name = try required("name").string()
        // The name is a folder name (the default output is checkpoints/<name>).
        guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
            throw (top["name"] ?? root).fail("name must be a non-empty folder name without '/', got '\(name)'")
        }
        let seed = try top["seed"].map { try $0.int() } ?? 0
        guard seed >= 0 else { throw top["seed"].map { $0.fail("must not be negative") } ?? root.fail("seed") }
        let stages = try required("stages").sequence().map(stage)
        guard !stages.isEmpty else { throw root.fail("stages: needs at least one stage") }
        return Recipe(
            name: name, seed: UInt64(seed), output: try top["output"]?.string() ?? "checkpoints/\(name)",
            data: try data(required("data")), tokenizer: try tokenizer(required("tokenizer")), model: try model(required("model")),
            stages: stages, gridAxes: try top["grid"].map(grid) ?? [], file: file, folder: folder, yaml: yaml)
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
