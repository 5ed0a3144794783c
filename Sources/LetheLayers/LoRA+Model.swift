import LetheTensor

/// LoRA settings: which linear maps to adapt (substring patterns of their Hugging Face
/// prefixes, e.g. `attn.c_attn` adapts query, key and value in every block), rank, alpha and
/// dropout (PEFT's `target_modules`, `r`, `lora_alpha`, `lora_dropout`).
public struct LoRAConfiguration: Codable, Equatable, Sendable {
    public var rank: Int
    public var alpha: Double
    public var dropout: Double
    public var targets: [String]

    public init(rank: Int = 8, alpha: Double = 16, dropout: Double = 0, targets: [String] = ["attn.c_attn"]) {
        (self.rank, self.alpha, self.dropout, self.targets) = (rank, alpha, dropout, targets)
    }
}

/// The adapters of one model: their tensors in one flat buffer named as PEFT does
/// (`h.0.attn.c_attn.lora_A.weight`, `...lora_B.weight`), so an adapter file holds only them.
public final class LoRAAdapters {
    public let configuration: LoRAConfiguration
    public let parameters: NamedTensors
    /// Adapted prefixes, sorted.
    public let prefixes: [String]

    init(configuration: LoRAConfiguration, parameters: NamedTensors, prefixes: [String]) {
        self.configuration = configuration
        self.parameters = parameters
        self.prefixes = prefixes
    }
}

/// A model whose linear maps LoRA can adapt: its parameters and its maps by Hugging Face
/// prefix. Causal language models and encoders both are.
public protocol AdaptableModel: AnyObject {
    var parameters: NamedTensors { get }
    var linears: [String: any LinearMap] { get set }
}

extension AdaptableModel {
    /// Wraps every linear map whose prefix contains one of `configuration.targets` with a
    /// LoRA adapter, freezes all base parameters and returns the adapters (their parameters
    /// are the only trainable ones).
    /// - Throws: `LayerError.invalidConfiguration` when no map matches or the rank is not positive.
    public func applyLoRA(_ configuration: LoRAConfiguration, rng: inout RandomGenerator) throws -> LoRAAdapters {
        let prefixes = linears.keys.filter { key in configuration.targets.contains { key.contains($0) } }
        guard !prefixes.isEmpty else {
            throw LayerError.invalidConfiguration(
                key: "lora.targets", reason: "\(configuration.targets) match none of \(linears.keys.sorted())")
        }
        return try applyLoRA(configuration, prefixes: prefixes, rng: &rng)
    }

    /// Adapts exactly the linear maps at `prefixes` (Hugging Face prefixes such as
    /// `h.0.attn.c_attn`), ignoring `configuration.targets`: for adapters whose targets follow
    /// another matching rule (PEFT's, when loading its files).
    /// - Throws: `LayerError.invalidConfiguration` for an empty list, an unknown or already
    ///   adapted prefix, or a rank that is not positive.
    public func applyLoRA(_ configuration: LoRAConfiguration, prefixes unsorted: [String], rng: inout RandomGenerator) throws
        -> LoRAAdapters
    {
        guard configuration.rank > 0 else { throw LayerError.invalidConfiguration(key: "lora.rank", reason: "must be positive") }
        let prefixes = Array(Set(unsorted)).sorted()
        guard !prefixes.isEmpty else { throw LayerError.invalidConfiguration(key: "lora.targets", reason: "no linear map to adapt") }
        var shapes: [(name: String, shape: [Int])] = []
        for prefix in prefixes {
            guard let map = linears[prefix] as? any AdaptableLinear else {
                let reason = linears[prefix] == nil ? "\(prefix) is not one of \(linears.keys.sorted())" : "\(prefix) is already adapted"
                throw LayerError.invalidConfiguration(key: "lora.targets", reason: reason)
            }
            shapes += [(prefix + ".lora_A.weight", [map.inputSize, configuration.rank]), (prefix + ".lora_B.weight", [configuration.rank, map.outputSize])]
        }
        let adapters = try NamedTensors(shapes: shapes)
        for prefix in prefixes {
            guard let base = linears[prefix] as? any AdaptableLinear, let a = adapters[prefix + ".lora_A.weight"],
                let b = adapters[prefix + ".lora_B.weight"]
            else { continue }
            let bound = 1 / Double(base.inputSize).squareRoot()
            a.fill { (2 * rng.nextUniform() - 1) * bound }
            linears[prefix] = try LoRALinear(base: base, a: a, b: b, alpha: configuration.alpha, dropout: configuration.dropout)
        }
        parameters.markTrainable(except: Set(parameters.names))
        adapters.markTrainable()
        return LoRAAdapters(configuration: configuration, parameters: adapters, prefixes: prefixes)
    }

    /// Folds every adapter into its base weight and restores the plain base maps.
    public func fuseLoRA() throws {
        for (prefix, map) in linears {
            guard let adapted = map as? LoRALinear else { continue }
            try adapted.base.weight.assign(adapted.fusedWeight())
            linears[prefix] = adapted.base
        }
    }
}
