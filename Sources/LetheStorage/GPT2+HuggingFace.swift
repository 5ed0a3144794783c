import Foundation
import LetheLayers
import LetheTensor

/// Hugging Face GPT-2 folders: `config.json` + `model.safetensors`, in and out.
extension GPT2Model {
    /// Loads a GPT-2 saved by Hugging Face (`save_pretrained`, or a hub snapshot).
    /// - Throws: `LayerError` for a bad config (naming the key) or weights that do not fit
    ///   (all missing, unexpected and mis-shaped keys at once); `SafetensorsError` for a
    ///   missing, truncated or malformed weights file.
    public static func load(huggingFaceDirectory directory: String, head: Head = .languageModel) throws -> GPT2Model {
        let configuration = try GPT2Configuration.load(path: directory + "/config.json")
        let weightsPath = directory + "/model.safetensors"
        let file = try SafetensorsFile.read(path: weightsPath)
        func stored(_ name: String) -> [Int]? { file.tensors[name]?.shape ?? file.tensors["transformer." + name]?.shape }
        try configuration.requireStoredSizes(source: weightsPath, shape: stored)
        if head == .sequenceClassification, stored("score.weight") != [configuration.labelCount, configuration.embeddingSize] {
            throw LayerError.stateMismatch(source: weightsPath, missing: [], unexpected: [], misshapen: ["score.weight does not match num_labels"])
        }
        var rng = RandomGenerator(seed: 0)  // every value is overwritten below
        let model = try GPT2Model(configuration: configuration, head: head, rng: &rng)
        try model.loadState(file.tensors, source: weightsPath)
        return model
    }

    /// Writes `config.json` and `model.safetensors` (metadata `format: pt`, as
    /// `transformers` expects) into `directory`, creating it.
    public func save(huggingFaceDirectory directory: String) throws {
        try ModelFile.writeHuggingFaceFolder(directory, state: huggingFaceState()) { try configuration.save(path: $0) }
    }
}

extension GPT2Configuration {
    /// Throws unless the stored weights have the sizes this configuration declares (the
    /// embeddings, and the last layer's MLP), checked before a model of that size is allocated:
    /// a hostile config.json or checkpoint cannot ask for terabytes or trap on an overflowing
    /// size. `shape` gives a stored tensor's shape by Hugging Face name, `nil` when absent.
    /// - Throws: `LayerError.stateMismatch` naming `source` and the tensor.
    public func requireStoredSizes(source: String, shape: (String) throws -> [Int]?) throws {
        try validate()
        // The embeddings come first: once they match, n_embd is backed by real bytes, so the
        // products below cannot overflow.
        let expected: [(String, () -> [Int])] = [
            ("wte.weight", { [self.vocabularySize, self.embeddingSize] }),
            ("wpe.weight", { [self.contextLength, self.embeddingSize] }),
            ("h.\(layerCount - 1).mlp.c_fc.weight", { [self.embeddingSize, self.mlpSize] }),
        ]
        for (name, dims) in expected {
            guard let found = try shape(name) else {
                throw LayerError.stateMismatch(source: source, missing: [name], unexpected: [], misshapen: [])
            }
            guard found == dims() else {
                throw LayerError.stateMismatch(
                    source: source, missing: [], unexpected: [],
                    misshapen: ["\(name) has \(found), the configuration needs \(dims())"])
            }
        }
    }
}
