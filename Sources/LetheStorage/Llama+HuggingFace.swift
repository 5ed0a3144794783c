import Foundation
import LetheLayers
import LetheTensor

/// The Llama family (`LlamaForCausalLM`, SmolLM/SmolLM2, `Qwen2ForCausalLM`,
/// `MistralForCausalLM` with full attention, and their `*ForSequenceClassification` heads).
public enum LlamaFamily: ModelFamily {
    public static let name = "llama"
    public static let modelTypes = LlamaConfiguration.modelTypes

    public static func load(huggingFaceDirectory directory: String, head: ModelHead) throws -> any CausalLanguageModel {
        try LlamaModel.load(huggingFaceDirectory: directory, head: head)
    }

    public static func save(_ model: any CausalLanguageModel, huggingFaceDirectory directory: String) throws {
        guard let llama = model as? LlamaModel else {
            throw LayerError.invalidInput(reason: "the llama family cannot save a \(model.family) model")
        }
        try llama.save(huggingFaceDirectory: directory)
    }

    public static func make(
        configurationJSON json: String, head: ModelHead, source: String, storedShape: (String) throws -> [Int]?
    ) throws -> any CausalLanguageModel {
        let configuration: LlamaConfiguration
        do {
            configuration = try JSONDecoder().decode(LlamaConfiguration.self, from: Data(json.utf8))
        } catch let error as LayerError {
            throw LayerError.inFile(path: source, error: error)
        } catch {
            throw LayerError.invalidFile(path: source, reason: "config_json: \(error)")
        }
        try configuration.requireStoredSizes(source: source, head: head, shape: storedShape)
        var unused = RandomGenerator(seed: 0)
        return try LlamaModel(configuration: configuration, head: head, rng: &unused)
    }

    public static var configurationKeys: [String] { LlamaConfiguration.keys }

    public static func checkConfiguration(json: String) throws {
        _ = try JSONDecoder().decode(LlamaConfiguration.self, from: Data(json.utf8))
    }

    public static func create(configurationJSON json: String, rng: inout RandomGenerator) throws -> any CausalLanguageModel {
        try LlamaModel(configuration: JSONDecoder().decode(LlamaConfiguration.self, from: Data(json.utf8)), rng: &rng)
    }
}

/// Hugging Face Llama-family folders: `config.json` + `model.safetensors` (or the shards of
/// `model.safetensors.index.json`; BF16 and F16 read as float32) in, `model.safetensors` out.
extension LlamaModel {
    /// Loads a model saved by Hugging Face (`save_pretrained`, or a hub snapshot).
    /// - Throws: `LayerError` for a bad or unsupported config (naming the key) or weights that
    ///   do not fit (all missing, unexpected and mis-shaped keys at once); `SafetensorsError`
    ///   for a missing, truncated or malformed weights file.
    public static func load(huggingFaceDirectory directory: String, head: ModelHead = .languageModel) throws -> LlamaModel {
        let configuration = try LlamaConfiguration.load(path: directory + "/config.json")
        let weightsPath = directory + "/" + SafetensorsFile.singleFileName
        let file = try SafetensorsFile.read(folder: directory)  // one file or the index's shards
        try configuration.requireStoredSizes(source: weightsPath, head: head) { file.tensors[$0]?.shape }
        var rng = RandomGenerator(seed: 0)  // every value is overwritten below
        let model = try LlamaModel(configuration: configuration, head: head, rng: &rng)
        try model.loadState(file.tensors, source: weightsPath)
        return model
    }

    /// Writes `config.json` and `model.safetensors` (metadata `format: pt`) into `directory`,
    /// creating it; transformers' `AutoModelForCausalLM.from_pretrained` loads the folder.
    public func save(huggingFaceDirectory directory: String) throws {
        try ModelFile.writeHuggingFaceFolder(directory, state: huggingFaceState()) { try configuration.save(path: $0) }
    }
}

extension LlamaConfiguration {
    /// Throws unless the stored weights have the sizes this configuration declares (the
    /// embedding, the last layer's projections and the output head), checked before a model
    /// of that size is allocated: a hostile config.json or checkpoint cannot ask for terabytes
    /// or trap on an overflowing size. `shape` gives a stored tensor's shape, nil when absent.
    /// - Throws: `LayerError.stateMismatch` naming `source` and the tensor.
    public func requireStoredSizes(source: String, head: ModelHead, shape: (String) throws -> [Int]?) throws {
        try validate()
        func product(_ a: Int, _ b: Int, _ key: String) throws -> Int {
            let (value, overflow) = a.multipliedReportingOverflow(by: b)
            guard !overflow else { throw LayerError.invalidConfiguration(key: key, reason: "\(a) × \(b) overflows") }
            return value
        }
        let (C, M) = (embeddingSize, mlpSize)
        let queries = try product(headCount, headSize, "head_dim")
        let keyValues = try product(keyValueHeadCount, headSize, "head_dim")
        let last = "model.layers.\(layerCount - 1)."
        // The embedding comes first: once it matches, hidden_size is backed by real bytes.
        var expected: [(String, [Int])] = [
            ("model.embed_tokens.weight", [vocabularySize, C]), (last + "self_attn.q_proj.weight", [queries, C]),
            (last + "self_attn.k_proj.weight", [keyValues, C]), (last + "mlp.gate_proj.weight", [M, C]),
        ]
        if head == .sequenceClassification {
            expected.append(("score.weight", [labelCount, C]))
        } else if !tiedEmbeddings {
            expected.append(("lm_head.weight", [vocabularySize, C]))
        }
        for (name, dims) in expected {
            guard let found = try shape(name) else {
                throw LayerError.stateMismatch(source: source, missing: [name], unexpected: [], misshapen: [])
            }
            guard found == dims else {
                throw LayerError.stateMismatch(
                    source: source, missing: [], unexpected: [], misshapen: ["\(name) has \(found), the configuration needs \(dims)"])
            }
        }
    }
}
