import Foundation
import LetheLayers
import LetheTensor

/// A family of causal language models (GPT-2, Llama, ...): how to load one from a Hugging Face
/// folder and how to rebuild one from the `config_json` a checkpoint stores. A family is a
/// registered type (`ModelFamilies`); adding one never edits a switch.
public protocol ModelFamily {
    /// The registry name checkpoints record (`gpt2`).
    static var name: String { get }
    /// The `model_type` values of Hugging Face `config.json` files this family loads.
    static var modelTypes: [String] { get }
    /// A model from a Hugging Face folder (`config.json` + safetensors weights).
    static func load(huggingFaceDirectory directory: String, head: ModelHead) throws -> any CausalLanguageModel
    /// Writes `model` (of this family) as a Hugging Face folder: `config.json` and
    /// `model.safetensors` that transformers loads.
    static func save(_ model: any CausalLanguageModel, huggingFaceDirectory directory: String) throws
    /// A model of the configuration `json` (the family's `config.json` text), its sizes checked
    /// against the stored weights (`storedShape` by parameter name, nil when absent) before
    /// anything is allocated. Values are left for the caller to read in.
    static func make(
        configurationJSON json: String, head: ModelHead, source: String, storedShape: (String) throws -> [Int]?
    ) throws -> any CausalLanguageModel
    /// The `config.json` keys a recipe's `model.config` may set for a new model of this family.
    static var configurationKeys: [String] { get }
    /// Reads and validates the configuration `json` of a new model, allocating nothing.
    /// - Throws: `LayerError.invalidConfiguration` naming the key.
    static func checkConfiguration(json: String) throws
    /// A new model of the configuration `json` with the family's Hugging Face initialisation.
    static func create(configurationJSON json: String, rng: inout RandomGenerator) throws -> any CausalLanguageModel
    /// The GGUF `general.architecture` values this family loads (none by default).
    static var ggufArchitectures: [String] { get }
    /// A model from a GGUF file of one of `ggufArchitectures`.
    static func load(gguf path: String) throws -> any CausalLanguageModel
}

extension ModelFamily {
    public static var ggufArchitectures: [String] { [] }

    public static func load(gguf path: String) throws -> any CausalLanguageModel {
        throw LayerError.invalidFile(path: path, reason: "the \(name) family reads no GGUF files")
    }
}

/// The model families Lethe loads: one literal table, extended by `adding`.
public struct ModelFamilies {
    public let types: [any ModelFamily.Type]

    public static let builtIn = ModelFamilies(types: [GPT2Family.self, LlamaFamily.self])

    public init(types: [any ModelFamily.Type]) { self.types = types }

    public var names: [String] { types.map { $0.name }.sorted() }

    public func adding(_ type: any ModelFamily.Type) -> ModelFamilies {
        ModelFamilies(types: types.filter { $0.name != type.name } + [type])
    }

    /// The family registered as `name`.
    /// - Throws: `LayerError.invalidConfiguration` listing the known names.
    public func family(named name: String) throws -> any ModelFamily.Type {
        guard let type = types.first(where: { $0.name == name }) else {
            throw LayerError.invalidConfiguration(key: "model family", reason: "unknown family \(name); known: \(names.joined(separator: ", "))")
        }
        return type
    }

    /// The family that loads GGUF files of `general.architecture` `architecture`.
    /// - Throws: naming the file and the architecture when none does.
    public func family(ofGGUFArchitecture architecture: String, path: String) throws -> any ModelFamily.Type {
        guard let type = types.first(where: { $0.ggufArchitectures.contains(architecture) }) else {
            let known = types.flatMap { $0.ggufArchitectures }.sorted().joined(separator: ", ")
            throw LayerError.invalidFile(path: path, reason: "general.architecture \(architecture) is not one Lethe loads; it loads \(known)")
        }
        return type
    }

    /// The family of a Hugging Face `config.json` by its `model_type` (a config without one is
    /// read as GPT-2, as old GPT-2 exports are).
    /// - Throws: naming the file, `model_type` and `architectures` when no family loads it.
    public func family(ofConfigurationAt path: String) throws -> any ModelFamily.Type {
        guard let data = FileManager.default.contents(atPath: path) else { throw LayerError.cannotRead(path: path) }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw LayerError.invalidFile(path: path, reason: "not a JSON object")
        }
        let modelType = object["model_type"] as? String ?? "gpt2"
        guard let type = types.first(where: { $0.modelTypes.contains(modelType) }) else {
            let architectures = (object["architectures"] as? [String])?.joined(separator: ", ") ?? "none"
            let known = types.flatMap { $0.modelTypes }.sorted().joined(separator: ", ")
            throw LayerError.invalidFile(
                path: path, reason: "model_type \(modelType) (architectures: \(architectures)) is not a family Lethe loads; it loads \(known)")
        }
        return type
    }
}

/// GPT-2 (`GPT2LMHeadModel`, `GPT2ForSequenceClassification`).
public enum GPT2Family: ModelFamily {
    public static let name = "gpt2"
    public static let modelTypes = ["gpt2"]

    public static func load(huggingFaceDirectory directory: String, head: ModelHead) throws -> any CausalLanguageModel {
        try GPT2Model.load(huggingFaceDirectory: directory, head: head)
    }

    public static func save(_ model: any CausalLanguageModel, huggingFaceDirectory directory: String) throws {
        guard let gpt2 = model as? GPT2Model else {
            throw LayerError.invalidInput(reason: "the gpt2 family cannot save a \(model.family) model")
        }
        try gpt2.save(huggingFaceDirectory: directory)
    }

    public static func make(
        configurationJSON json: String, head: ModelHead, source: String, storedShape: (String) throws -> [Int]?
    ) throws -> any CausalLanguageModel {
        let configuration: GPT2Configuration
        do {
            configuration = try JSONDecoder().decode(GPT2Configuration.self, from: Data(json.utf8))
        } catch {
            throw LayerError.invalidFile(path: source, reason: "config_json: \(error)")
        }
        try configuration.requireStoredSizes(source: source, shape: storedShape)
        var unused = RandomGenerator(seed: 0)
        return try GPT2Model(configuration: configuration, head: head, rng: &unused)
    }

    public static var configurationKeys: [String] { GPT2Configuration.keys }

    public static func checkConfiguration(json: String) throws {
        _ = try JSONDecoder().decode(GPT2Configuration.self, from: Data(json.utf8))
    }

    public static func create(configurationJSON json: String, rng: inout RandomGenerator) throws -> any CausalLanguageModel {
        try GPT2Model(configuration: JSONDecoder().decode(GPT2Configuration.self, from: Data(json.utf8)), rng: &rng)
    }
}
