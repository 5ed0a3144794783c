import Foundation
import LetheLayers
import LetheTensor

/// LoRA adapters on disk, alone, in PEFT's layout: `adapter_config.json` and
/// `adapter_model.safetensors` with keys `base_model.model.transformer.<prefix>.lora_A.weight`
/// [r, in] and `...lora_B.weight` [out, r] (nn.Linear layout; Lethe keeps A [in, r] and
/// B [r, out] in memory, so both are transposed on the way in and out).
extension LoRAAdapters {
    static let keyPrefix = "base_model.model.transformer."

    public func save(directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw LayerError.cannotWrite(path: directory, reason: error.localizedDescription)
        }
        let c = configuration
        let config: [String: Any] = [
            "peft_type": "LORA", "task_type": "CAUSAL_LM", "r": c.rank, "lora_alpha": c.alpha,
            "lora_dropout": c.dropout, "target_modules": c.targets, "fan_in_fan_out": true, "bias": "none",
        ]
        let data = try JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted, .sortedKeys])
        do {
            try data.write(to: URL(fileURLWithPath: directory + "/adapter_config.json"), options: .atomic)
        } catch {
            throw LayerError.cannotWrite(path: directory + "/adapter_config.json", reason: error.localizedDescription)
        }
        let tensors = try zip(parameters.names, parameters.tensors).map { name, tensor in
            (Self.keyPrefix + name, try withoutGradients { try tensor.transposed() })
        }
        try SafetensorsFile.write(tensors, metadata: ["format": "pt"], to: directory + "/adapter_model.safetensors")
    }
}

extension GPT2Model {
    /// Applies the adapters saved in `directory` (by `LoRAAdapters.save` or PEFT) to this
    /// model and returns them.
    /// - Throws: a `LayerError` naming the file for a bad config or missing, unexpected or
    ///   mis-shaped adapter tensors; `SafetensorsError` for a damaged weights file.
    public func loadLoRA(directory: String) throws -> LoRAAdapters {
        let configPath = directory + "/adapter_config.json"
        guard let data = FileManager.default.contents(atPath: configPath),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { throw LayerError.invalidFile(path: configPath, reason: "missing or not a JSON object") }
        guard let rank = object["r"] as? Int, let alpha = (object["lora_alpha"] as? NSNumber)?.doubleValue,
            let targets = object["target_modules"] as? [String]
        else { throw LayerError.invalidFile(path: configPath, reason: "needs r, lora_alpha and target_modules") }
        // A rank above the widest adapted map is meaningless; checked before adapters are allocated.
        guard (1...max(3 * self.configuration.embeddingSize, self.configuration.mlpSize)).contains(rank) else {
            throw LayerError.invalidFile(path: configPath, reason: "r = \(rank) does not fit this model")
        }
        let configuration = LoRAConfiguration(
            rank: rank, alpha: alpha, dropout: (object["lora_dropout"] as? NSNumber)?.doubleValue ?? 0, targets: targets)
        var rng = RandomGenerator(seed: 0)  // every value is overwritten below
        let adapters = try applyLoRA(configuration, rng: &rng)
        let weightsPath = directory + "/adapter_model.safetensors"
        let file = try SafetensorsFile.read(path: weightsPath)
        var state: [String: Tensor] = [:]
        var unexpected: [String] = []
        for (key, value) in file.tensors {
            let name = key.hasPrefix(LoRAAdapters.keyPrefix) ? String(key.dropFirst(LoRAAdapters.keyPrefix.count)) : key
            if adapters.parameters[name] == nil { unexpected.append(key) } else { state[name] = value }
        }
        var missing: [String] = []
        var misshapen: [String] = []
        for (name, target) in zip(adapters.parameters.names, adapters.parameters.tensors) {
            guard let value = state[name] else {
                missing.append(name)
                continue
            }
            if value.shape.reversed() != target.shape { misshapen.append("\(name) has \(value.shape), expected \(Array(target.shape.reversed()))") }
        }
        guard missing.isEmpty, unexpected.isEmpty, misshapen.isEmpty else {
            throw LayerError.stateMismatch(source: weightsPath, missing: missing, unexpected: unexpected.sorted(), misshapen: misshapen)
        }
        for (name, target) in zip(adapters.parameters.names, adapters.parameters.tensors) {
            guard let value = state[name] else { continue }
            try target.assign(withoutGradients { try value.converted(to: .float32).transposed() })
        }
        return adapters
    }
}
