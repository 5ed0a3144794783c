import Foundation
import LetheLayers
import LetheTensor

/// Hugging Face BERT and RoBERTa folders (`BertModel`, `BertForSequenceClassification`,
/// `BertForMaskedLM` and the RoBERTa equivalents): `config.json` + `model.safetensors`, in
/// and out. Only safetensors weights are read: a folder with just `pytorch_model.bin` (a
/// pickle) is refused with a hint to convert it.
extension BertModel {
    /// Loads an encoder saved by Hugging Face. `head` nil takes the head from the config's
    /// `architectures` (`…ForSequenceClassification`, `…ForMaskedLM`, else the bare model).
    /// - Throws: `LayerError` for a bad config (naming the key) or weights that do not fit
    ///   (all missing, unexpected and mis-shaped keys at once); `SafetensorsError` for a
    ///   truncated or malformed weights file.
    public static func load(huggingFaceDirectory directory: String, head: Head? = nil) throws -> BertModel {
        let configPath = directory + "/config.json"
        let configuration = try BertConfiguration.load(path: configPath)
        let weightsPath = try Self.weightsPath(directory)
        let file = try SafetensorsFile.read(path: weightsPath)
        let prefix = configuration.family.rawValue + "."
        func stored(_ name: String) -> [Int]? { file.tensors[name]?.shape ?? file.tensors[prefix + name]?.shape }
        try configuration.requireStoredSizes(source: weightsPath, shape: stored)
        var rng = RandomGenerator(seed: 0)  // every value is overwritten below
        let model = try BertModel(configuration: configuration, head: head ?? Self.head(configPath: configPath), rng: &rng)
        try model.loadState(file.tensors, source: weightsPath)
        return model
    }

    /// A new classifier (or masked-LM model) on the pretrained encoder of any BERT / RoBERTa
    /// folder: the encoder is loaded strictly, the head (and a pooler the folder lacks) is
    /// initialised as transformers does, N(0, 0.02) weights and zero biases, from `rng`.
    /// - Parameters:
    ///   - labelCount: `num_labels` of the new head; `problemType` its loss (nil: by label count).
    /// - Returns: the model and the folder's keys left unused (its own head), sorted.
    public static func load(
        huggingFaceDirectory directory: String, newHead head: Head, labelCount: Int, problemType: BertConfiguration.ProblemType? = nil,
        rng: inout RandomGenerator
    ) throws -> (model: BertModel, unusedKeys: [String]) {
        var configuration = try BertConfiguration.load(path: directory + "/config.json")
        (configuration.labelCount, configuration.labelNames, configuration.problemType) = (labelCount, nil, problemType)
        let weightsPath = try Self.weightsPath(directory)
        let file = try SafetensorsFile.read(path: weightsPath)
        let prefix = configuration.family.rawValue + "."
        try configuration.requireStoredSizes(source: weightsPath) { file.tensors[$0]?.shape ?? file.tensors[prefix + $0]?.shape }
        let model = try BertModel(configuration: configuration, head: head, rng: &rng)
        let unused = try model.loadEncoder(file.tensors, source: weightsPath)
        return (model, unused)
    }

    /// `model.safetensors` in `directory`, or an error that says why not.
    static func weightsPath(_ directory: String) throws -> String {
        let weightsPath = directory + "/model.safetensors"
        guard FileManager.default.fileExists(atPath: weightsPath) else {
            let pickle = FileManager.default.fileExists(atPath: directory + "/pytorch_model.bin")
            throw LayerError.invalidFile(
                path: weightsPath,
                reason: pickle
                    ? "missing; Lethe reads safetensors only (convert pytorch_model.bin with transformers' save_pretrained(safe_serialization=True))"
                    : "missing")
        }
        return weightsPath
    }

    /// The head named by `architectures` in a config.json: the first entry ending in
    /// `ForSequenceClassification` or `ForMaskedLM`, else `.base`.
    static func head(configPath: String) throws -> Head {
        guard let data = FileManager.default.contents(atPath: configPath),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { throw LayerError.cannotRead(path: configPath) }
        let names = (object["architectures"] as? [String]) ?? []
        if names.contains(where: { $0.hasSuffix("ForSequenceClassification") }) { return .sequenceClassification }
        if names.contains(where: { $0.hasSuffix("ForMaskedLM") }) { return .maskedLanguageModel }
        return .base
    }

    /// Writes `config.json` (naming the model's class in `architectures`) and
    /// `model.safetensors` (metadata `format: pt`) into `directory`, creating it.
    public func save(huggingFaceDirectory directory: String) throws {
        try ModelFile.writeHuggingFaceFolder(directory, state: huggingFaceState()) { try configuration.save(path: $0, architecture: architecture) }
    }
}

extension BertConfiguration {
    /// Throws unless the stored weights have the sizes this configuration declares (the
    /// embeddings, then the last layer's feed-forward map), checked before a model of that size
    /// is allocated, so a hostile config.json cannot ask for terabytes.
    /// - Throws: `LayerError.stateMismatch` naming `source` and the tensor.
    public func requireStoredSizes(source: String, shape: (String) throws -> [Int]?) throws {
        try validate()
        let expected: [(String, () -> [Int])] = [
            ("embeddings.word_embeddings.weight", { [self.vocabularySize, self.hiddenSize] }),
            ("embeddings.position_embeddings.weight", { [self.maxPositions, self.hiddenSize] }),
            ("embeddings.token_type_embeddings.weight", { [self.tokenTypeCount, self.hiddenSize] }),
            ("encoder.layer.\(layerCount - 1).intermediate.dense.weight", { [self.intermediateSize, self.hiddenSize] }),
        ]
        for (name, dims) in expected {
            guard let found = try shape(name) else {
                throw LayerError.stateMismatch(source: source, missing: [name], unexpected: [], misshapen: [])
            }
            guard found == dims() else {
                throw LayerError.stateMismatch(
                    source: source, missing: [], unexpected: [], misshapen: ["\(name) has \(found), the configuration needs \(dims())"])
            }
        }
    }
}
