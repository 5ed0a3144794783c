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
        var rng = RandomGenerator(seed: 0)  // every value is overwritten below
        let model = try GPT2Model(configuration: configuration, head: head, rng: &rng)
        try model.loadState(file.tensors, source: weightsPath)
        return model
    }

    /// Writes `config.json` and `model.safetensors` (metadata `format: pt`, as
    /// `transformers` expects) into `directory`, creating it.
    public func save(huggingFaceDirectory directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw LayerError.cannotWrite(path: directory, reason: error.localizedDescription)
        }
        try configuration.save(path: directory + "/config.json")
        try SafetensorsFile.write(huggingFaceState(), metadata: ["format": "pt"], to: directory + "/model.safetensors")
    }
}
