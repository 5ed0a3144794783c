import Foundation
import LetheStorage
import LetheLayers
import LetheOptions
import LetheRecipes
import LetheTensor
import LetheUnlearning

/// The recipe's starting model: a Hugging Face folder, a Lethe checkpoint, or a new GPT-2
/// from `config.json` keys (vocabulary and end-of-text from the tokenizer by default).
enum ModelSources {
    static func make(_ recipe: Recipe, vocabulary: Int, endOfText: Int?) throws -> any CausalLanguageModel {
        switch recipe.model {
        case let .huggingFace(path): return try ModelFile.load(path)
        case let .checkpoint(path): return try ModelFile.load(path)
        case let .config(node):
            var rng = RandomGenerator(seed: recipe.seed)
            return try GPT2Model(configuration: try configuration(node, vocabulary: vocabulary, endOfText: endOfText), rng: &rng)
        }
    }

    /// A new model's configuration from `model.config`: only keys GPT-2's `config.json`
    /// has (a typo such as `n_layre` is an error, not GPT-2 small's 12 layers). With
    /// `diagnostics`, every unknown key is recorded there (and the others still decoded).
    static func configuration(
        _ node: OptionNode, vocabulary: Int, endOfText: Int?, diagnostics: Diagnostics? = nil
    ) throws -> GPT2Configuration {
        let options = try PluginOptions(node: node, owner: "model.config", diagnostics: diagnostics)
        try options.accept(GPT2Configuration.keys)
        var object = node.plain as? [String: Any] ?? [:]
        if object["vocab_size"] == nil { object["vocab_size"] = vocabulary }
        if object["eos_token_id"] == nil, let endOfText { object["eos_token_id"] = endOfText }
        do {
            return try JSONDecoder().decode(GPT2Configuration.self, from: JSONSerialization.data(withJSONObject: object))
        } catch let error as LayerError {
            if case let .invalidConfiguration(key, reason) = error { throw options.fail(node[key] == nil ? nil : key, reason) }
            throw options.fail(nil, "\(error)")
        } catch {
            throw options.fail(nil, "\(error)")
        }
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
