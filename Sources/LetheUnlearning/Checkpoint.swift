import Foundation
import LetheLayers
import LetheStorage
import LetheTensor

/// Resumable training checkpoints: a model file (`ModelFile`'s layout, readable by h5py with
/// no Lethe code) plus the trainer's state:
///
///     /model/<HF key>                       float32, every model parameter (base weights)
///     /adapters/<name>                      LoRA adapters, when the run trains adapters
///     /reference/<HF key>                   the frozen reference model (DPO, NPO, KL objectives)
///     /optimizer/first_moment/<name>        AdamW m, per trained tensor
///     /optimizer/second_moment/<name>       AdamW v
///     /combiner_state/<key>                 float64, a stateful combiner's state (`StatefulCombiner`)
///     root attributes: ModelFile's (format, format_version, config_json, lora_json,
///       recipe_yaml) and trainer_json, step, optimizer_step, seed, dropout_rng_state (4 × uint64),
///       and with a stateful combiner: combiner, combiner_state_keys (JSON list)
///
/// Written to `<path>.tmp` and renamed, so a crash never leaves a half-written file as the
/// latest checkpoint. `ModelFile.load` reads the model of any checkpoint.
public enum Checkpoint {
    public static func save(_ trainer: Trainer, lora: LoRAConfiguration? = nil, recipe: String = "", to path: String) throws {
        let model = trainer.model
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let trainerJSON = String(decoding: try encoder.encode(trainer.configuration), as: UTF8.self)
        let trainsAdapters = trainer.trainable !== model.parameters
        try HDF5File.writeAtomically(to: path) { file in
            try ModelFile.write(model.parameters, group: "/model/", to: file)
            if trainsAdapters { try ModelFile.write(trainer.trainable, group: "/adapters/", to: file) }
            if let reference = trainer.reference { try ModelFile.write(reference.model.parameters, group: "/reference/", to: file) }
            try ModelFile.write(trainer.optimizer.firstMoment, group: "/optimizer/first_moment/", to: file)
            try ModelFile.write(trainer.optimizer.secondMoment, group: "/optimizer/second_moment/", to: file)
            try ModelFile.writeAttributes(file, model: model, lora: trainsAdapters ? lora : nil, recipe: recipe)
            try file.setAttribute("trainer_json", trainerJSON)
            try file.setAttribute("step", trainer.step)
            try file.setAttribute("optimizer_step", trainer.optimizer.step)
            try file.setAttribute("seed", Int64(bitPattern: trainer.configuration.seed))
            try file.setAttribute("dropout_rng_state", model.dropout?.stateWords ?? [0, 0, 0, 0])
            if let stateful = trainer.combiner as? any StatefulCombiner { try CombinerState.write(stateful, to: file) }
        }
    }

    /// Restores a trainer built for the same model configuration (and adapters) to the
    /// checkpoint's weights, optimiser state, step and dropout stream.
    /// - Throws: naming the file when it is not a Lethe checkpoint, has another format
    ///   version, another model configuration, or a missing or mis-shaped tensor.
    public static func restore(_ trainer: Trainer, from path: String) throws {
        let file = try HDF5File.open(at: path)
        defer { file.close() }
        try ModelFile.checkFormat(file, path: path)
        let family = try ModelFile.familyName(file)
        guard family == trainer.model.family, try file.stringAttribute("config_json") == trainer.model.configurationJSON() else {
            throw UnlearningError.invalidInput("\(path): the checkpoint's model configuration differs from this run's")
        }
        try ModelFile.read(trainer.model.parameters, group: "/model/", from: file, path: path)
        if trainer.trainable !== trainer.model.parameters { try ModelFile.read(trainer.trainable, group: "/adapters/", from: file, path: path) }
        if let reference = trainer.reference { try ModelFile.read(reference.model.parameters, group: "/reference/", from: file, path: path) }
        try ModelFile.read(trainer.optimizer.firstMoment, group: "/optimizer/first_moment/", from: file, path: path)
        try ModelFile.read(trainer.optimizer.secondMoment, group: "/optimizer/second_moment/", from: file, path: path)
        trainer.step = Int(try file.int64Attribute("step"))
        trainer.optimizer.step = Int(try file.int64Attribute("optimizer_step"))
        let words = try file.uint64ArrayAttribute("dropout_rng_state")
        trainer.model.dropout = words.allSatisfy({ $0 == 0 }) ? nil : try RandomGenerator(stateWords: words)
        if let stateful = trainer.combiner as? any StatefulCombiner { try CombinerState.read(into: stateful, from: file, path: path) }
    }
}
