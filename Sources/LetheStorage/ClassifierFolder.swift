import Foundation
import LetheLayers
import LetheTensor

/// Sequence classifiers of any kind as Hugging Face folders: decoders of a registered family
/// (`GPT2ForSequenceClassification`, `LlamaForSequenceClassification`, through `ModelFamilies`)
/// and encoders (`BertForSequenceClassification`, `RobertaForSequenceClassification`). The
/// folder's `config.json` `model_type` decides: `bert` and `roberta` are encoders, anything
/// else is looked up in the families.
public enum ClassifierFolder {
    /// The encoder `model_type`s.
    public static let encoderTypes: Set<String> = ["bert", "roberta"]

    /// Whether the folder's `config.json` names an encoder (`bert`, `roberta`).
    /// - Throws: `LayerError` naming config.json when it is missing or not a JSON object.
    public static func isEncoder(_ directory: String) throws -> Bool {
        let path = directory + "/config.json"
        guard let data = FileManager.default.contents(atPath: path) else { throw LayerError.cannotRead(path: path) }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw LayerError.invalidFile(path: path, reason: "not a JSON object")
        }
        return encoderTypes.contains(object["model_type"] as? String ?? "")
    }

    /// The classifier saved in `directory`, with its classification head.
    /// - Throws: naming the file or key at fault (a config without a classification head, weights
    ///   that do not fit, a non-finite weight).
    public static func load(_ directory: String, families: ModelFamilies = .builtIn) throws -> any TrainableModel {
        let model: any TrainableModel
        if try isEncoder(directory) {
            model = try BertModel.load(huggingFaceDirectory: directory, head: .sequenceClassification)
        } else {
            model = try ModelFile.loadHuggingFace(directory, head: .sequenceClassification, families: families)
        }
        if let tensor = model.parameters.firstNonFinite() {
            throw LayerError.invalidFile(path: directory, reason: "the weight \(tensor) holds a non-finite value (NaN or infinity)")
        }
        return model
    }

    /// Writes `model` as a Hugging Face folder of its kind (`config.json` + `model.safetensors`).
    public static func save(_ model: any TrainableModel, directory: String, families: ModelFamilies = .builtIn) throws {
        if let encoder = model as? BertModel {
            try encoder.save(huggingFaceDirectory: directory)
        } else {
            try ModelFile.saveHuggingFace(try model.languageModel(for: "saving a classifier"), directory: directory, families: families)
        }
    }
}
