import Foundation
import LetheLayers
import LetheTensor

/// LoRA adapters on disk, alone, in PEFT's layout: `adapter_config.json` and
/// `adapter_model.safetensors` with keys `base_model.model.transformer.<prefix>.lora_A.weight`
/// [r, in] and `...lora_B.weight` [out, r] (nn.Linear layout; Lethe keeps A [in, r] and
/// B [r, out] in memory, so both are transposed on the way in and out). `fan_in_fan_out` is
/// true because GPT-2's base maps are Conv1D; it does not change the adapter tensors.
///
/// Targets: Lethe's `targets` are substrings of a map's prefix, PEFT's `target_modules` are
/// suffixes of the module name (`transformer.h.0.attn.c_attn` is adapted by `c_attn`,
/// `attn.c_attn`, `h.0.attn.c_attn` or its full name, not by `attn` or `c_at`), or one regular
/// expression that must match the whole name, or `all-linear`. Files are read with PEFT's rule;
/// targets are written as they are only when PEFT's rule gives the same maps, else as the
/// adapted prefixes themselves, which both rules read alike (see scripts/reference/check_peft_export.py).
extension LoRAAdapters {
    static let keyPrefix = "base_model.model.transformer."

    /// PEFT's rule for one entry of a `target_modules` list: whether it adapts the map at `prefix`.
    public static func peftSelects(_ target: String, prefix: String) -> Bool {
        let name = "transformer." + prefix
        return name == target || name.hasSuffix("." + target)
    }

    /// The `target_modules` written to adapter_config.json: `configuration.targets` when, read
    /// with PEFT's rule, each of them adapts some of `prefixes` and together they adapt all of
    /// them (and so nothing else), otherwise `prefixes`.
    public var peftTargetModules: [String] {
        let targets = configuration.targets
        let covered = prefixes.allSatisfy { prefix in targets.contains { Self.peftSelects($0, prefix: prefix) } }
        let used = targets.allSatisfy { target in prefixes.contains { Self.peftSelects(target, prefix: $0) } }
        return covered && used ? targets : prefixes
    }

    public func save(directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw LayerError.cannotWrite(path: directory, reason: error.localizedDescription)
        }
        let c = configuration
        let config: [String: Any] = [
            "peft_type": "LORA", "task_type": "CAUSAL_LM", "r": c.rank, "lora_alpha": c.alpha,
            "lora_dropout": c.dropout, "target_modules": peftTargetModules, "fan_in_fan_out": true, "bias": "none",
            "use_rslora": false, "use_dora": false, "inference_mode": true,
        ]
        let data = try JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted, .sortedKeys])
        do {
            try AtomicFile.write(data, to: directory + "/adapter_config.json")
        } catch {
            throw LayerError.cannotWrite(path: directory + "/adapter_config.json", reason: error.localizedDescription)
        }
        let tensors = try zip(parameters.names, parameters.tensors).map { name, tensor in
            (Self.keyPrefix + name, try withoutGradients { try tensor.transposed() })
        }
        try SafetensorsFile.write(tensors, metadata: ["format": "pt"], to: directory + "/adapter_model.safetensors")
    }
}

/// What Lethe takes from a PEFT adapter_config.json, and the options it refuses because they
/// change what the adapter computes (a silently ignored one would give other outputs).
struct PEFTLoRAConfig {
    let configuration: LoRAConfiguration
    let prefixes: [String]

    /// Options that must be false or absent.
    static let flags = ["use_rslora", "use_dora", "lora_bias"]
    /// Options that must be null, empty or absent.
    static let unsupported = [
        "rank_pattern", "alpha_pattern", "layers_to_transform", "exclude_modules", "modules_to_save", "target_parameters",
        "layer_replication", "trainable_token_indices", "alora_invocation_tokens", "use_bdlora", "kasa_config",
        "monteclora_config", "arrow_config",
    ]

    init(_ object: [String: Any], path: String, linears: [String]) throws {
        func refuse(_ key: String, _ reason: String) -> LayerError {
            .invalidFile(path: path, reason: "\(key): \(reason); Lethe reads plain LoRA adapters only")
        }
        if let type = object["peft_type"] as? String, type.uppercased() != "LORA" { throw refuse("peft_type", "is \(type)") }
        if let bias = object["bias"] as? String, bias != "none" { throw refuse("bias", "is \(bias)") }
        for key in Self.flags {
            if let value = object[key], !(value is NSNull), (value as? NSNumber)?.boolValue != false { throw refuse(key, "is set") }
        }
        for key in Self.unsupported {
            guard let value = object[key], !(value is NSNull) else { continue }
            if let text = value as? String, text.isEmpty { continue }
            if let list = value as? [Any], list.isEmpty { continue }
            if let table = value as? [String: Any], table.isEmpty { continue }
            throw refuse(key, "is set")
        }
        guard let rank = object["r"] as? Int, let alpha = (object["lora_alpha"] as? NSNumber)?.doubleValue else {
            throw LayerError.invalidFile(path: path, reason: "needs r, lora_alpha and target_modules")
        }
        let dropout = (object["lora_dropout"] as? NSNumber)?.doubleValue ?? 0
        let targets: [String]
        if let list = object["target_modules"] as? [String] {
            targets = list
            prefixes = linears.filter { prefix in list.contains { LoRAAdapters.peftSelects($0, prefix: prefix) } }.sorted()
        } else if let pattern = object["target_modules"] as? String {
            prefixes = try Self.prefixes(matching: pattern, in: linears, path: path)
            targets = prefixes
        } else {
            throw LayerError.invalidFile(path: path, reason: "needs r, lora_alpha and target_modules")
        }
        guard !prefixes.isEmpty else {
            throw LayerError.invalidFile(path: path, reason: "target_modules \(targets) adapt none of \(linears.sorted())")
        }
        configuration = LoRAConfiguration(rank: rank, alpha: alpha, dropout: dropout, targets: targets)
    }

    /// PEFT's rule for a string: `all-linear` (any case) adapts every linear map (a GPT-2's
    /// are all Conv1D; its output layer is excluded by PEFT and absent here); anything else is
    /// a regular expression that must match a map's whole name, `transformer.h.0.attn.c_attn`.
    static func prefixes(matching pattern: String, in linears: [String], path: String) throws -> [String] {
        if pattern.lowercased() == "all-linear" { return linears.sorted() }
        let expression: NSRegularExpression
        do {
            expression = try NSRegularExpression(pattern: "\\A(?:" + pattern + ")\\z")
        } catch {
            throw LayerError.invalidFile(path: path, reason: "target_modules \(pattern) is not a regular expression Lethe reads")
        }
        return linears.filter { prefix in
            let name = "transformer." + prefix
            return expression.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil
        }.sorted()
    }
}

extension CausalLanguageModel {
    /// Applies the adapters saved in `directory` (by `LoRAAdapters.save` or PEFT) to this
    /// model and returns them. The maps adapted are those PEFT adapts for the file's
    /// `target_modules`.
    /// - Throws: a `LayerError` naming the file for a bad config, an option that Lethe does
    ///   not implement (rsLoRA, DoRA, rank or alpha patterns, layer selection, bias, ...), or
    ///   missing, unexpected or mis-shaped adapter tensors; `SafetensorsError` for a damaged
    ///   weights file.
    public func loadLoRA(directory: String) throws -> LoRAAdapters {
        let configPath = directory + "/adapter_config.json"
        guard let data = FileManager.default.contents(atPath: configPath),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { throw LayerError.invalidFile(path: configPath, reason: "missing or not a JSON object") }
        let peft = try PEFTLoRAConfig(object, path: configPath, linears: Array(linears.keys))
        let rank = peft.configuration.rank
        // A rank above the widest adapted map is meaningless; checked before adapters are allocated.
        guard (1...max(3 * dimensions.embeddingSize, dimensions.mlpSize)).contains(rank) else {
            throw LayerError.invalidFile(path: configPath, reason: "r = \(rank) does not fit this model")
        }
        var rng = RandomGenerator(seed: 0)  // every value is overwritten below
        let adapters = try applyLoRA(peft.configuration, prefixes: peft.prefixes, rng: &rng)
        let weightsPath = directory + "/adapter_model.safetensors"
        let file = try SafetensorsFile.read(path: weightsPath)
        var state: [String: Tensor] = [:]
        var unexpected: [String] = []
        for (key, value) in file.tensors {
            let name = key.hasPrefix(LoRAAdapters.keyPrefix) ? String(key.dropFirst(LoRAAdapters.keyPrefix.count)) : key
            if adapters.parameters[name] == nil { unexpected.append(key) } else { state[name] = value }
        }
        unexpected += file.integers.keys
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
