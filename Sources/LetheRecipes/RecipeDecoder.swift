import Foundation
import Yams

/// Decodes a recipe's node tree into `Recipe`, strictly.
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
        let seed = try top["seed"].map { try $0.int() } ?? 0
        guard seed >= 0 else { throw top["seed"].map { $0.fail("must not be negative") } ?? root.fail("seed") }
        let stages = try required("stages").sequence().map(stage)
        guard !stages.isEmpty else { throw root.fail("stages: needs at least one stage") }
        return Recipe(
            name: name, seed: UInt64(seed), output: try top["output"]?.string() ?? "checkpoints/\(name)",
            data: try data(required("data")), tokenizer: try tokenizer(required("tokenizer")), model: try model(required("model")),
            stages: stages, gridAxes: try top["grid"].map(grid) ?? [], folder: folder, yaml: yaml)
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
        if kind == "generate" { return .generate(options: try options(value)) }
        var files: [String: String] = [:]
        let allowed = ["pretrain", "heldout", "finetune", "forget", "retain", "nonmember", "eval_prompts", "classification_train", "classification_test"]
        for (key, entry) in try value.mapping(allowing: allowed) { files[key] = resolve(try entry.string()) }
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
        case "config": return .config(try options(value))
        case "huggingface": return .huggingFace(resolve(try value.string()))
        default: return .checkpoint(resolve(try value.string()))
        }
    }

    private func stage(_ node: RecipeNode) throws -> Recipe.Stage {
        let (kind, value) = try oneOf(node, ["pretrain", "finetune", "retrain", "unlearn", "evaluate"])
        switch kind {
        case "pretrain": return .pretrain(try training(value, extra: []).0)
        case "finetune": return .finetune(try training(value, extra: []).0)
        case "retrain": return .retrain(try training(value, extra: []).0)
        case "unlearn":
            let (settings, entries) = try training(
                value, extra: ["objective", "combiner", "gradient_log_every", "checkpoint_every", "seed", "skip_non_finite"])
            guard let objective = entries["objective"] else { throw value.fail("unlearn needs an objective") }
            for key in ["gradient_log_every", "checkpoint_every", "seed"] {
                if let entry = entries[key], try entry.int() < (key == "seed" ? 0 : 1) { throw entry.fail("out of range") }
            }
            return .unlearn(Recipe.Unlearning(
                objective: try plugin(objective), combiner: try entries["combiner"].map(plugin) ?? PluginChoice(name: "sum", options: [:]),
                training: settings, gradientLogEvery: try entries["gradient_log_every"]?.int(),
                checkpointEvery: try entries["checkpoint_every"]?.int(), seed: try entries["seed"].map { UInt64(try $0.int()) },
                skipNonFinite: try entries["skip_non_finite"]?.bool() ?? false))
        default:
            let entries = try value.mapping(allowing: ["perplexity", "mia", "toxicity"])
            let toxicity = try entries["toxicity"]?.string()
            if let toxicity, !["greedy", "sampled"].contains(toxicity), let node = entries["toxicity"] {
                throw node.fail("'\(toxicity)' is not greedy or sampled")
            }
            return .evaluate(
                perplexity: try entries["perplexity"]?.bool() ?? true,
                attacks: try entries["mia"]?.sequence().map { try $0.string() } ?? [], toxicity: toxicity)
        }
    }

    private func training(_ node: RecipeNode, extra: [String]) throws -> (Recipe.Training, [String: RecipeNode]) {
        let keys = ["steps", "batch_size", "learning_rate", "warmup_steps", "schedule", "weight_decay", "clip_norm", "accumulation"]
        let entries = try node.mapping(allowing: keys + extra)
        var t = Recipe.Training()
        if let n = entries["steps"] { t.steps = try n.int() }
        if let n = entries["batch_size"] { t.batchSize = try n.int() }
        if let n = entries["learning_rate"] { t.learningRate = try n.double() }
        if let n = entries["warmup_steps"] { t.warmupSteps = try n.int() }
        if let n = entries["schedule"] {
            t.schedule = try n.string()
            guard ["constant", "linear", "cosine"].contains(t.schedule) else { throw n.fail("'\(t.schedule)' is not constant, linear or cosine") }
        }
        if let n = entries["weight_decay"] { t.weightDecay = try n.double() }
        if let n = entries["clip_norm"] { t.clipNorm = try n.double() }
        if let n = entries["accumulation"] { t.accumulation = try n.int() }
        for (key, valid) in [("steps", t.steps >= 0), ("batch_size", t.batchSize > 0), ("learning_rate", t.learningRate >= 0),
                             ("warmup_steps", t.warmupSteps >= 0), ("accumulation", t.accumulation > 0)] where !valid {
            throw (entries[key] ?? node).fail("out of range")
        }
        return (t, entries)
    }

    /// `name` or `{name: n, option: value, ...}`.
    private func plugin(_ node: RecipeNode) throws -> PluginChoice {
        if node.node.scalar != nil { return PluginChoice(name: try node.string(), options: [:]) }
        var name: String?
        var values: [String: OptionValue] = [:]
        for (key, entry) in try node.anyMapping() {
            if key == "name" { name = try entry.string() } else { values[key] = try entry.optionValue() }
        }
        guard let name else { throw node.fail("needs a name") }
        return PluginChoice(name: name, options: values)
    }

    private func options(_ node: RecipeNode) throws -> [String: OptionValue] {
        if let text = node.node.scalar?.string, ["", "~", "null"].contains(text) { return [:] }
        return Dictionary(uniqueKeysWithValues: try node.anyMapping().map { ($0.0, try $0.1.optionValue()) })
    }

    private func grid(_ node: RecipeNode) throws -> [Recipe.GridAxis] {
        try node.anyMapping().map { key, values in
            let items = try values.sequence()
            guard !items.isEmpty else { throw values.fail("a grid axis needs at least one value") }
            return Recipe.GridAxis(path: key, values: try items.map { try Yams.serialize(node: $0.node).trimmingCharacters(in: .whitespacesAndNewlines) })
        }
    }
}
