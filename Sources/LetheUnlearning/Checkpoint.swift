import Foundation
import LetheLayers
import LetheStorage
import LetheTensor

/// Run checkpoints in HDF5 (`model.h5`), readable by h5py with no Lethe code:
///
///     /model/<HF key>                       float32, every model parameter (base weights)
///     /adapters/<name>                      LoRA adapters, when the run trains adapters
///     /reference/<HF key>                   the frozen reference model (DPO, NPO, KL objectives)
///     /optimizer/first_moment/<name>        AdamW m, per trained tensor
///     /optimizer/second_moment/<name>       AdamW v
///     root attributes: format = "lethe.checkpoint", format_version = 1, config_json,
///       trainer_json, lora_json (or ""), recipe_yaml, step, optimizer_step, seed,
///       dropout_rng_state (4 × uint64)
///
/// Written to `<path>.tmp` and renamed, so a crash never leaves a half-written file as the
/// latest checkpoint.
public enum Checkpoint {
    public static let format = "lethe.checkpoint"
    public static let formatVersion: Int64 = 1

    public static func save(_ trainer: Trainer, lora: LoRAConfiguration? = nil, recipe: String = "", to path: String) throws {
        let model = trainer.model
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let config = String(decoding: try encoder.encode(model.configuration), as: UTF8.self)
        let trainerJSON = String(decoding: try encoder.encode(trainer.configuration), as: UTF8.self)
        let loraJSON = try lora.map { String(decoding: try encoder.encode($0), as: UTF8.self) } ?? ""
        let trainsAdapters = trainer.trainable !== model.parameters
        try HDF5File.writeAtomically(to: path) { file in
            for (name, tensor) in zip(model.parameters.names, model.parameters.tensors) { try file.write(tensor, to: "/model/" + name) }
            if trainsAdapters {
                for (name, tensor) in zip(trainer.trainable.names, trainer.trainable.tensors) { try file.write(tensor, to: "/adapters/" + name) }
            }
            if let reference = trainer.reference {
                for (name, tensor) in zip(reference.model.parameters.names, reference.model.parameters.tensors) {
                    try file.write(tensor, to: "/reference/" + name)
                }
            }
            let moments = [("first_moment", trainer.optimizer.firstMoment), ("second_moment", trainer.optimizer.secondMoment)]
            for (group, set) in moments {
                for (name, tensor) in zip(set.names, set.tensors) { try file.write(tensor, to: "/optimizer/\(group)/\(name)") }
            }
            try file.setAttribute("format", format)
            try file.setAttribute("format_version", formatVersion)
            try file.setAttribute("config_json", config)
            try file.setAttribute("trainer_json", trainerJSON)
            try file.setAttribute("lora_json", loraJSON)
            try file.setAttribute("recipe_yaml", recipe)
            try file.setAttribute("step", trainer.step)
            try file.setAttribute("optimizer_step", trainer.optimizer.step)
            try file.setAttribute("seed", Int64(bitPattern: trainer.configuration.seed))
            try file.setAttribute("dropout_rng_state", model.dropout?.stateWords ?? [0, 0, 0, 0])
        }
    }

    /// Restores a trainer built for the same model configuration (and adapters) to the
    /// checkpoint's weights, optimiser state, step and dropout stream.
    /// - Throws: naming the file when it is not a Lethe checkpoint, has another format
    ///   version, another model configuration, or a missing or mis-shaped tensor.
    public static func restore(_ trainer: Trainer, from path: String) throws {
        let file = try HDF5File.open(at: path)
        defer { file.close() }
        try checkFormat(file, path: path)
        let stored = try JSONDecoder().decode(GPT2Configuration.self, from: Data(file.stringAttribute("config_json").utf8))
        guard stored == trainer.model.configuration else {
            throw UnlearningError.invalidInput("\(path): the checkpoint's model configuration differs from this run's")
        }
        try read(trainer.model.parameters, group: "/model/", from: file, path: path)
        if trainer.trainable !== trainer.model.parameters { try read(trainer.trainable, group: "/adapters/", from: file, path: path) }
        if let reference = trainer.reference { try read(reference.model.parameters, group: "/reference/", from: file, path: path) }
        try read(trainer.optimizer.firstMoment, group: "/optimizer/first_moment/", from: file, path: path)
        try read(trainer.optimizer.secondMoment, group: "/optimizer/second_moment/", from: file, path: path)
        trainer.step = Int(try file.int64Attribute("step"))
        trainer.optimizer.step = Int(try file.int64Attribute("optimizer_step"))
        let words = try file.uint64ArrayAttribute("dropout_rng_state")
        trainer.model.dropout = words.allSatisfy({ $0 == 0 }) ? nil : try RandomGenerator(stateWords: words)
    }

    /// The checkpoint's model as a standalone GPT-2 (LoRA adapters fused into it), e.g. to
    /// export as Hugging Face safetensors with `save(huggingFaceDirectory:)`.
    public static func loadModel(from path: String) throws -> GPT2Model {
        let file = try HDF5File.open(at: path)
        defer { file.close() }
        try checkFormat(file, path: path)
        let configuration = try JSONDecoder().decode(GPT2Configuration.self, from: Data(file.stringAttribute("config_json").utf8))
        try configuration.requireStoredSizes(source: path) { file.exists("/model/" + $0) ? try file.storedShape(of: "/model/" + $0) : nil }
        var unused = RandomGenerator(seed: 0)
        let model = try GPT2Model(configuration: configuration, rng: &unused)
        try read(model.parameters, group: "/model/", from: file, path: path)
        let lora = try file.stringAttribute("lora_json")
        if !lora.isEmpty {
            let settings = try JSONDecoder().decode(LoRAConfiguration.self, from: Data(lora.utf8))
            guard (1...max(3 * configuration.embeddingSize, configuration.mlpSize)).contains(settings.rank) else {
                throw UnlearningError.invalidInput("\(path): LoRA rank \(settings.rank) does not fit the model")
            }
            let adapters = try model.applyLoRA(settings, rng: &unused)
            try read(adapters.parameters, group: "/adapters/", from: file, path: path)
            try model.fuseLoRA()
        }
        model.parameters.markTrainable()
        return model
    }

    private static func checkFormat(_ file: HDF5File, path: String) throws {
        let format = (try? file.stringAttribute("format")) ?? "none"
        guard format == Self.format else {
            throw UnlearningError.invalidInput("\(path): not a Lethe checkpoint (format attribute: \(format))")
        }
        let version = try file.int64Attribute("format_version")
        guard version == formatVersion else {
            throw UnlearningError.invalidInput(
                "\(path): checkpoint format version \(version); this Lethe reads version \(formatVersion) (re-run with a matching Lethe)")
        }
    }

    private static func read(_ set: NamedTensors, group: String, from file: HDF5File, path: String) throws {
        for (name, tensor) in zip(set.names, set.tensors) {
            let stored = try file.readTensor(group + name)
            guard stored.shape == tensor.shape else {
                throw UnlearningError.invalidInput("\(path): \(group)\(name) has shape \(stored.shape), the run needs \(tensor.shape)")
            }
            try tensor.assign(stored.dtype == .float32 ? stored : stored.converted(to: .float32))
        }
    }
}
