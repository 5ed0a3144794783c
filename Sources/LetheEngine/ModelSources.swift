import Foundation
import LetheStorage
import LetheLayers
import LetheOptions
import LetheRecipes
import LetheTensor
import LetheUnlearning

/// The recipe's starting model: a Hugging Face folder, a Lethe checkpoint, or a new model of a
/// registered family (`family: llama`; GPT-2 when absent) from its `config.json` keys
/// (vocabulary and end-of-text from the tokenizer by default).
enum ModelSources {
    static func make(_ recipe: Recipe, vocabulary: Int, endOfText: Int?) throws -> any CausalLanguageModel {
        switch recipe.model {
        case let .huggingFace(path): return try ModelFile.load(path)
        case let .checkpoint(path): return try ModelFile.load(path)
        case let .config(node):
            var rng = RandomGenerator(seed: recipe.seed)
            let (family, json, options) = try configuration(node, vocabulary: vocabulary, endOfText: endOfText)
            return try options.naming { try family.create(configurationJSON: json, rng: &rng) }
        }
    }

    /// A new model's family and `config.json` text from `model.config`: `family` (a registered
    /// name, `gpt2` by default) and only keys that family's `config.json` has (a typo such as
    /// `n_layre` is an error, not GPT-2 small's 12 layers), validated. With `diagnostics`,
    /// every unknown key is recorded there (and the others still decoded).
    static func configuration(
        _ node: OptionNode, vocabulary: Int, endOfText: Int?, diagnostics: Diagnostics? = nil, families: ModelFamilies = .builtIn
    ) throws -> (family: any ModelFamily.Type, json: String, options: PluginOptions) {
        let options = try PluginOptions(node: node, owner: "model.config", diagnostics: diagnostics)
        let name = try options.text("family", default: GPT2Family.name)
        guard let family = families.types.first(where: { $0.name == name }) else {
            throw options.fail("family", "unknown model family \(name); known: \(families.names.joined(separator: ", "))")
        }
        try options.accept(family.configurationKeys + ["family"])
        var object = node.plain as? [String: Any] ?? [:]
        object["family"] = nil
        if object["vocab_size"] == nil { object["vocab_size"] = vocabulary }
        if object["eos_token_id"] == nil, let endOfText { object["eos_token_id"] = endOfText }
        let json = try options.naming { String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self) }
        try options.naming { try family.checkConfiguration(json: json) }
        return (family, json, options)
    }

    /// Every problem of the recipe's model and tokenizer sources, found without loading
    /// weights: unknown or bad `model.config` keys, missing files.
    static func check(_ recipe: Recipe, diagnostics: Diagnostics) {
        let origin = OptionOrigin(file: recipe.file, path: "model")
        switch recipe.model {
        case let .config(node):
            _ = diagnostics.collect(origin: node.origin) {
                try configuration(node, vocabulary: 50257, endOfText: nil, diagnostics: diagnostics)
            }
        case let .huggingFace(path):
            if !FileManager.default.fileExists(atPath: path + "/config.json") {
                diagnostics.report(OptionError(origin: origin.child("huggingface"), reason: "\(path): no config.json (not a Hugging Face model folder)"))
            }
        case let .checkpoint(path):
            if !FileManager.default.fileExists(atPath: path) {
                diagnostics.report(OptionError(origin: origin.child("checkpoint"), reason: "\(path): no such checkpoint"))
            }
        }
        if case let .file(path) = recipe.tokenizer, !FileManager.default.fileExists(atPath: path) {
            diagnostics.report(OptionError(origin: OptionOrigin(file: recipe.file, path: "tokenizer.file"), reason: "\(path): no such tokenizer file"))
        }
    }
}

extension PluginOptions {
    /// Runs `body`, turning a `LayerError.invalidConfiguration` into an error at that key of
    /// these options (at the options as a whole for keys not given) and any other error into
    /// one at the options.
    fileprivate func naming<R>(_ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let LayerError.invalidConfiguration(key, reason) {
            throw self[key] == nil ? fail(nil, "\(key): \(reason)") : fail(key, reason)
        } catch let error as OptionError {
            throw error
        } catch {
            throw fail(nil, "\(error)")
        }
    }
}
