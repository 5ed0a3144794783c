import Foundation
import LetheLayers
import LetheTensor

/// The one place model files are read and written: a Hugging Face folder of any registered
/// family (`config.json` + safetensors weights) or a Lethe checkpoint (`.h5`, readable by h5py):
///
///     /model/<name>              float32, every model parameter (base weights)
///     /adapters/<name>           LoRA adapters, when a run trains adapters (lora_json names them)
///     root attributes: format = "lethe.checkpoint", format_version = 1, model_family (absent in
///       early GPT-2 checkpoints: gpt2), config_json (the family's config.json), lora_json (or ""),
///       recipe_yaml, and the trainer state a resumable checkpoint adds
///       (LetheUnlearning's `Checkpoint`: /optimizer/, /reference/, step, seed, RNG state)
///
/// Checkpoints are written to `<path>.tmp` and renamed, so a crash never leaves a
/// half-written file as the latest.
public enum ModelFile {
    public static let format = "lethe.checkpoint"
    public static let formatVersion: Int64 = 1

    /// A model from a Hugging Face folder or a Lethe checkpoint, LoRA adapters fused in.
    /// - Throws: `LayerError` naming the path when it is missing, a folder without
    ///   `config.json`, or a damaged file.
    public static func load(_ path: String, families: ModelFamilies = .builtIn) throws -> any CausalLanguageModel {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw LayerError.invalidFile(path: path, reason: "no such model (give a Hugging Face model folder or a Lethe .h5 checkpoint)")
        }
        if !isFolder.boolValue, path.lowercased().hasSuffix(".gguf") { return try loadGGUF(path, families: families) }
        guard isFolder.boolValue else { return try loadCheckpoint(path, families: families) }
        guard FileManager.default.fileExists(atPath: path + "/config.json") else {
            let checkpoint = path + "/model.h5"
            let hint = FileManager.default.fileExists(atPath: checkpoint) ? "; for the run's checkpoint give \(checkpoint)" : ""
            throw LayerError.invalidFile(path: path, reason: "not a Hugging Face model folder (no config.json)" + hint)
        }
        return try loadHuggingFace(path, families: families)
    }

    /// A model from a GGUF file, by the family registered for its `general.architecture`.
    public static func loadGGUF(_ path: String, families: ModelFamilies = .builtIn) throws -> any CausalLanguageModel {
        let architecture = try GGUFFile.open(path: path).architecture()
        let model = try families.family(ofGGUFArchitecture: architecture, path: path).load(gguf: path)
        if let tensor = model.parameters.firstNonFinite() {
            throw LayerError.invalidFile(path: path, reason: "the weight \(tensor) holds a non-finite value (NaN or infinity)")
        }
        return model
    }

    /// The checkpoint's model, standalone (LoRA adapters fused into it).
    public static func loadCheckpoint(_ path: String, families: ModelFamilies = .builtIn) throws -> any CausalLanguageModel {
        let file = try HDF5File.open(at: path)
        defer { file.close() }
        try checkFormat(file, path: path)
        let family = try families.family(named: familyName(file))
        let model = try family.make(configurationJSON: file.stringAttribute("config_json"), head: .languageModel, source: path) {
            file.exists("/model/" + $0) ? try file.storedShape(of: "/model/" + $0) : nil
        }
        var unused = RandomGenerator(seed: 0)
        try read(model.parameters, group: "/model/", from: file, path: path)
        let lora = try file.stringAttribute("lora_json")
        if !lora.isEmpty {
            let settings = try JSONDecoder().decode(LoRAConfiguration.self, from: Data(lora.utf8))
            guard (1...max(3 * model.dimensions.embeddingSize, model.dimensions.mlpSize)).contains(settings.rank) else {
                throw LayerError.invalidFile(path: path, reason: "LoRA rank \(settings.rank) does not fit the model")
            }
            let adapters = try model.applyLoRA(settings, rng: &unused)
            try read(adapters.parameters, group: "/adapters/", from: file, path: path)
            try model.fuseLoRA()
        }
        model.parameters.markTrainable()
        return model
    }

    /// Writes a Hugging Face model folder, creating `directory`: `writeConfiguration` writes
    /// `config.json` at the path it is given, then `state` goes to `model.safetensors` with the
    /// metadata `format: pt` transformers expects. Every family's `save` writes through here.
    public static func writeHuggingFaceFolder(
        _ directory: String, state: [(name: String, tensor: Tensor)], writeConfiguration: (String) throws -> Void
    ) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw LayerError.cannotWrite(path: directory, reason: error.localizedDescription)
        }
        try writeConfiguration(directory + "/config.json")
        try SafetensorsFile.write(state, metadata: ["format": "pt"], to: directory + "/model.safetensors")
    }

    /// Writes `model` as a Hugging Face folder of its family (`config.json` + `model.safetensors`).
    public static func saveHuggingFace(_ model: any CausalLanguageModel, directory: String, families: ModelFamilies = .builtIn) throws {
        try families.family(named: model.family).save(model, huggingFaceDirectory: directory)
    }

    /// A model from a Hugging Face folder of any registered family, with the given head.
    public static func loadHuggingFace(
        _ directory: String, head: ModelHead = .languageModel, families: ModelFamilies = .builtIn
    ) throws -> any CausalLanguageModel {
        let model = try families.family(ofConfigurationAt: directory + "/config.json").load(huggingFaceDirectory: directory, head: head)
        if let tensor = model.parameters.firstNonFinite() {
            throw LayerError.invalidFile(path: directory, reason: "the weight \(tensor) holds a non-finite value (NaN or infinity)")
        }
        return model
    }

    /// Saves a model alone (after a stage) in the checkpoint layout, with no trainer state.
    /// With `adapters` (applied to `model`, not fused), `/model/` holds the base weights and
    /// `/adapters/` the adapters apart (`lora_json` names exactly the adapted maps);
    /// `loadCheckpoint` fuses them.
    public static func save(_ model: any CausalLanguageModel, adapters: LoRAAdapters? = nil, recipe: String = "", to path: String) throws {
        try HDF5File.writeAtomically(to: path) { file in
            try write(model.parameters, group: "/model/", to: file)
            var lora: LoRAConfiguration?
            if let adapters {
                try write(adapters.parameters, group: "/adapters/", to: file)
                lora = adapters.configuration
                lora?.targets = adapters.prefixes
            }
            try writeAttributes(file, model: model, lora: lora, recipe: recipe)
            try file.setAttribute("trainer_json", "")
            try file.setAttribute("step", Int64(0))
            try file.setAttribute("optimizer_step", Int64(0))
            try file.setAttribute("seed", Int64(0))
            try file.setAttribute("dropout_rng_state", [UInt64](repeating: 0, count: 4))
        }
    }

    /// The attributes every checkpoint has: format, version, the model's family and
    /// `config_json`, the adapters' `lora_json` (or ""), the recipe.
    public static func writeAttributes(_ file: HDF5File, model: any TrainableModel, lora: LoRAConfiguration?, recipe: String) throws {
        try file.setAttribute("format", format)
        try file.setAttribute("format_version", formatVersion)
        try file.setAttribute("model_family", model.family)
        try file.setAttribute("config_json", try model.configurationJSON())
        try file.setAttribute("lora_json", try lora.map(sortedJSONText) ?? "")
        try file.setAttribute("recipe_yaml", recipe)
    }

    /// The checkpoint's `model_family` attribute; GPT-2 for checkpoints written before families.
    public static func familyName(_ file: HDF5File) throws -> String {
        do {
            return try file.stringAttribute("model_family")
        } catch HDF5Error.attributeNotFound {
            return GPT2Family.name
        }
    }

    /// Throws unless `file` is a Lethe checkpoint of this format version.
    public static func checkFormat(_ file: HDF5File, path: String) throws {
        let found = (try? file.stringAttribute("format")) ?? "none"
        guard found == format else {
            throw LayerError.invalidFile(path: path, reason: "not a Lethe checkpoint (format attribute: \(found))")
        }
        let version = try file.int64Attribute("format_version")
        guard version == formatVersion else {
            throw LayerError.invalidFile(
                path: path, reason: "checkpoint format version \(version); this Lethe reads version \(formatVersion) (re-run with a matching Lethe)")
        }
    }

    /// Writes every tensor of `set` under `group`, each with a Fletcher-32 checksum per chunk
    /// (verified by HDF5 on every read: a flipped byte is an error, not another weight).
    public static func write(_ set: NamedTensors, group: String, to file: HDF5File) throws {
        for (name, tensor) in zip(set.names, set.tensors) { try file.write(tensor, to: group + name, checksummed: true) }
    }

    /// Reads every tensor of `set` from `group` (float32, or converted to it).
    /// - Throws: naming the file and tensor when one is missing, mis-shaped, fails its
    ///   checksum, or holds a NaN or infinity (a model with a non-finite weight is never loaded).
    public static func read(_ set: NamedTensors, group: String, from file: HDF5File, path: String) throws {
        for (name, tensor) in zip(set.names, set.tensors) {
            let stored = try file.readTensor(group + name)
            guard stored.shape == tensor.shape else {
                throw LayerError.invalidFile(path: path, reason: "\(group)\(name) has shape \(stored.shape), the run needs \(tensor.shape)")
            }
            if !stored.isAllFinite() {
                throw LayerError.invalidFile(path: path, reason: "\(group)\(name) holds a non-finite value (NaN or infinity)")
            }
            try tensor.assign(stored.dtype == .float32 ? stored : stored.converted(to: .float32))
        }
    }
}
