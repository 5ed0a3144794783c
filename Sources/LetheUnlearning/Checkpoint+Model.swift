import Foundation
import LetheLayers
import LetheStorage

extension Checkpoint {
    /// Saves a model alone (after pretraining or fine-tuning) in the checkpoint layout, with
    /// no optimiser state: `loadModel(from:)` reads it, `restore` refuses it (no `/optimizer`).
    /// Written to a temporary file and renamed, like every checkpoint.
    public static func save(model: GPT2Model, recipe: String = "", to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let config = String(decoding: try encoder.encode(model.configuration), as: UTF8.self)
        try HDF5File.writeAtomically(to: path) { file in
            for (name, tensor) in zip(model.parameters.names, model.parameters.tensors) { try file.write(tensor, to: "/model/" + name) }
            try file.setAttribute("format", format)
            try file.setAttribute("format_version", formatVersion)
            try file.setAttribute("config_json", config)
            try file.setAttribute("trainer_json", "")
            try file.setAttribute("lora_json", "")
            try file.setAttribute("recipe_yaml", recipe)
            try file.setAttribute("step", Int64(0))
            try file.setAttribute("optimizer_step", Int64(0))
            try file.setAttribute("seed", Int64(0))
            try file.setAttribute("dropout_rng_state", [UInt64](repeating: 0, count: 4))
        }
    }
}
