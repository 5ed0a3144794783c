import Foundation

/// The size and hyper-parameters of a Llama-family model (Llama 1–3, SmolLM/SmolLM2, Qwen2,
/// Mistral with full attention), read from and written to Hugging Face's `config.json` names.
/// Unknown keys are ignored; keys selecting a variant Lethe does not implement are refused by
/// name (`hidden_act`, `rope_scaling`, `sliding_window`, `partial_rotary_factor`, ...).
/// Both rotary spellings are read: transformers 4's `rope_theta` + `rope_scaling` and
/// transformers 5's `rope_parameters`; the first is written (both versions read it).
/// Reference: transformers/models/{llama,qwen2,mistral}/configuration_*.py.
public struct LlamaConfiguration: Codable, Equatable, Sendable {
    /// `llama`, `qwen2` or `mistral` (`model_type`; SmolLM and SmolLM2 are `llama`).
    public var modelType: String
    public var vocabularySize: Int
    public var embeddingSize: Int
    public var mlpSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var keyValueHeadCount: Int
    public var headSize: Int
    public var contextLength: Int
    public var rmsNormEpsilon: Double
    public var rope: RotaryConfiguration
    /// The output head shares the token embedding (`tie_word_embeddings`).
    public var tiedEmbeddings: Bool
    /// `attention_bias`: biases on q, k, v and o (Llama); Qwen2 always has q/k/v biases and no o bias.
    public var attentionBias: Bool
    public var mlpBias: Bool
    public var attentionDropout: Double
    public var initializerRange: Double
    public var beginningOfTextID: Int?
    /// `eos_token_id`: one id or a list (Llama 3 Instruct); generation stops at any of them.
    public var endOfTextIDs: [Int]
    public var padTokenID: Int?
    /// Outputs of the sequence-classification head (`*ForSequenceClassification`).
    public var labelCount: Int

    /// The model types this configuration reads.
    public static let modelTypes = ["llama", "qwen2", "mistral"]

    public init(
        modelType: String = "llama", vocabularySize: Int = 32000, embeddingSize: Int = 4096, mlpSize: Int = 11008,
        layerCount: Int = 32, headCount: Int = 32, keyValueHeadCount: Int? = nil, headSize: Int? = nil,
        contextLength: Int = 2048, rmsNormEpsilon: Double = 1e-6, rope: RotaryConfiguration = RotaryConfiguration(),
        tiedEmbeddings: Bool = false, attentionBias: Bool = false, mlpBias: Bool = false, attentionDropout: Double = 0,
        initializerRange: Double = 0.02, beginningOfTextID: Int? = 1, endOfTextIDs: [Int] = [2], padTokenID: Int? = nil,
        labelCount: Int = 2
    ) {
        self.modelType = modelType
        (self.vocabularySize, self.embeddingSize, self.mlpSize, self.layerCount) = (vocabularySize, embeddingSize, mlpSize, layerCount)
        self.headCount = headCount
        self.keyValueHeadCount = keyValueHeadCount ?? headCount
        self.headSize = headSize ?? embeddingSize / max(headCount, 1)
        (self.contextLength, self.rmsNormEpsilon, self.rope) = (contextLength, rmsNormEpsilon, rope)
        (self.tiedEmbeddings, self.attentionBias, self.mlpBias) = (tiedEmbeddings, attentionBias, mlpBias)
        (self.attentionDropout, self.initializerRange) = (attentionDropout, initializerRange)
        (self.beginningOfTextID, self.endOfTextIDs, self.padTokenID, self.labelCount) = (beginningOfTextID, endOfTextIDs, padTokenID, labelCount)
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case modelType = "model_type"
        case vocabularySize = "vocab_size"
        case embeddingSize = "hidden_size"
        case mlpSize = "intermediate_size"
        case layerCount = "num_hidden_layers"
        case headCount = "num_attention_heads"
        case keyValueHeadCount = "num_key_value_heads"
        case headSize = "head_dim"
        case contextLength = "max_position_embeddings"
        case rmsNormEpsilon = "rms_norm_eps"
        case ropeTheta = "rope_theta"
        case ropeScaling = "rope_scaling"
        case tiedEmbeddings = "tie_word_embeddings"
        case attentionBias = "attention_bias"
        case mlpBias = "mlp_bias"
        case attentionDropout = "attention_dropout"
        case initializerRange = "initializer_range"
        case beginningOfTextID = "bos_token_id"
        case endOfTextIDs = "eos_token_id"
        case padTokenID = "pad_token_id"
        case labelCount = "num_labels"
        case activation = "hidden_act"
    }

    /// Hugging Face keys read only to reject variants Lethe does not implement.
    private enum VariantKeys: String, CodingKey {
        case ropeParameters = "rope_parameters"
        case slidingWindow = "sliding_window"
        case useSlidingWindow = "use_sliding_window"
        case maxWindowLayers = "max_window_layers"
        case layerTypes = "layer_types"
        case partialRotary = "partial_rotary_factor"
        case labels = "id2label"
    }

    /// The `config.json` keys Lethe reads (a recipe's `model.config` may use these).
    public static var keys: [String] { CodingKeys.allCases.map(\.rawValue) + ["rope_parameters"] }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let v = try decoder.container(keyedBy: VariantKeys.self)
        func bad(_ key: String, _ reason: String) -> LayerError { .invalidConfiguration(key: key, reason: reason) }
        modelType = try c.decodeIfPresent(String.self, forKey: .modelType) ?? "llama"
        guard Self.modelTypes.contains(modelType) else {
            throw bad("model_type", "\(modelType) is not a Llama-family type (\(Self.modelTypes.joined(separator: ", ")))")
        }
        let d = LlamaConfiguration.defaults(modelType)
        vocabularySize = try c.decodeIfPresent(Int.self, forKey: .vocabularySize) ?? d.vocabularySize
        embeddingSize = try c.decodeIfPresent(Int.self, forKey: .embeddingSize) ?? d.embeddingSize
        mlpSize = try c.decodeIfPresent(Int.self, forKey: .mlpSize) ?? d.mlpSize
        layerCount = try c.decodeIfPresent(Int.self, forKey: .layerCount) ?? d.layerCount
        headCount = try c.decodeIfPresent(Int.self, forKey: .headCount) ?? d.headCount
        keyValueHeadCount = try c.decodeIfPresent(Int.self, forKey: .keyValueHeadCount) ?? headCount
        headSize = try c.decodeIfPresent(Int.self, forKey: .headSize) ?? embeddingSize / max(headCount, 1)
        contextLength = try c.decodeIfPresent(Int.self, forKey: .contextLength) ?? d.contextLength
        rmsNormEpsilon = try c.decodeIfPresent(Double.self, forKey: .rmsNormEpsilon) ?? d.rmsNormEpsilon
        tiedEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .tiedEmbeddings) ?? false
        attentionBias = try c.decodeIfPresent(Bool.self, forKey: .attentionBias) ?? false
        mlpBias = try c.decodeIfPresent(Bool.self, forKey: .mlpBias) ?? false
        attentionDropout = try c.decodeIfPresent(Double.self, forKey: .attentionDropout) ?? 0
        initializerRange = try c.decodeIfPresent(Double.self, forKey: .initializerRange) ?? 0.02
        beginningOfTextID = try c.decodeIfPresent(Int.self, forKey: .beginningOfTextID)
        if let one = try? c.decodeIfPresent(Int.self, forKey: .endOfTextIDs) {
            endOfTextIDs = [one]
        } else {
            endOfTextIDs = try c.decodeIfPresent([Int].self, forKey: .endOfTextIDs) ?? []
        }
        padTokenID = try c.decodeIfPresent(Int.self, forKey: .padTokenID)
        let labelNames = try v.decodeIfPresent([String: String].self, forKey: .labels)
        labelCount = try c.decodeIfPresent(Int.self, forKey: .labelCount) ?? labelNames?.count ?? 2
        let activation = try c.decodeIfPresent(String.self, forKey: .activation) ?? "silu"
        guard activation == "silu" else { throw bad("hidden_act", "Lethe's Llama family uses silu, got \(activation)") }
        // Rotary settings: transformers 5's rope_parameters, else rope_theta + rope_scaling.
        let theta = try c.decodeIfPresent(Double.self, forKey: .ropeTheta)
        if let parameters = try v.decodeIfPresent(RotaryConfiguration.self, forKey: .ropeParameters) {
            rope = parameters
            if parameters.theta == nil { rope.theta = theta ?? d.rope.theta }
        } else {
            rope = try c.decodeIfPresent(RotaryConfiguration.self, forKey: .ropeScaling) ?? RotaryConfiguration()
            rope.theta = theta ?? d.rope.theta
        }
        if let partial = try v.decodeIfPresent(Double.self, forKey: .partialRotary), partial != 1 {
            throw bad("partial_rotary_factor", "Lethe rotates whole heads (1.0), got \(partial)")
        }
        // Sliding-window attention: only a window covering the whole context (plain causal attention).
        // Mistral's default window is 4096 when the key is absent; Qwen2 slides only when
        // use_sliding_window is set, in layers from max_window_layers on (or per layer_types).
        var window = try v.decodeIfPresent(Int.self, forKey: .slidingWindow)
        var windowUsed = false
        if modelType == "mistral" {
            if !v.contains(.slidingWindow) { window = 4096 }
            windowUsed = window != nil
        } else if modelType == "qwen2" {
            let layerTypes = try v.decodeIfPresent([String].self, forKey: .layerTypes) ?? []
            let firstSliding = try v.decodeIfPresent(Int.self, forKey: .maxWindowLayers) ?? 28
            let useWindow = try v.decodeIfPresent(Bool.self, forKey: .useSlidingWindow) ?? false
            windowUsed = layerTypes.contains("sliding_attention") || (useWindow && firstSliding < layerCount)
            if !v.contains(.slidingWindow) { window = 4096 }
        }
        if windowUsed, let window, window < contextLength {
            throw bad(
                "sliding_window",
                "a sliding window of \(window) tokens, shorter than max_position_embeddings \(contextLength), is not implemented (Lethe's attention is full causal attention)")
        }
        try validate()
    }

    /// transformers' defaults of each model type, for keys a config.json leaves out.
    static func defaults(_ modelType: String) -> LlamaConfiguration {
        switch modelType {
        case "qwen2":
            return LlamaConfiguration(
                modelType: modelType, vocabularySize: 151936, mlpSize: 22016, contextLength: 32768,
                rope: RotaryConfiguration(theta: 10000), beginningOfTextID: nil, endOfTextIDs: [])
        case "mistral":
            return LlamaConfiguration(
                modelType: modelType, mlpSize: 14336, keyValueHeadCount: 8, contextLength: 131072)
        default: return LlamaConfiguration()
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(modelType, forKey: .modelType)
        try c.encode(vocabularySize, forKey: .vocabularySize)
        try c.encode(embeddingSize, forKey: .embeddingSize)
        try c.encode(mlpSize, forKey: .mlpSize)
        try c.encode(layerCount, forKey: .layerCount)
        try c.encode(headCount, forKey: .headCount)
        try c.encode(keyValueHeadCount, forKey: .keyValueHeadCount)
        try c.encode(headSize, forKey: .headSize)
        try c.encode(contextLength, forKey: .contextLength)
        try c.encode(rmsNormEpsilon, forKey: .rmsNormEpsilon)
        try c.encode(rope.theta ?? 10000, forKey: .ropeTheta)
        if rope.type == .default { try c.encodeNil(forKey: .ropeScaling) } else { try c.encode(rope, forKey: .ropeScaling) }
        try c.encode(tiedEmbeddings, forKey: .tiedEmbeddings)
        if modelType == "llama" {
            try c.encode(attentionBias, forKey: .attentionBias)
            try c.encode(mlpBias, forKey: .mlpBias)
        }
        try c.encode(attentionDropout, forKey: .attentionDropout)
        try c.encode(initializerRange, forKey: .initializerRange)
        try c.encodeIfPresent(beginningOfTextID, forKey: .beginningOfTextID)
        if endOfTextIDs.count == 1 { try c.encode(endOfTextIDs[0], forKey: .endOfTextIDs) } else { try c.encode(endOfTextIDs, forKey: .endOfTextIDs) }
        try c.encodeIfPresent(padTokenID, forKey: .padTokenID)
        try c.encode(labelCount, forKey: .labelCount)
        try c.encode("silu", forKey: .activation)
        if modelType != "llama" {  // full attention: no sliding window (transformers' default is 4096)
            var v = encoder.container(keyedBy: VariantKeys.self)
            try v.encodeNil(forKey: .slidingWindow)
        }
    }

    /// Checks that the sizes fit together.
    /// - Throws: `LayerError.invalidConfiguration` naming the config.json key.
    public func validate() throws {
        func check(_ ok: Bool, _ key: CodingKeys, _ reason: String) throws {
            if !ok { throw LayerError.invalidConfiguration(key: key.rawValue, reason: reason) }
        }
        for (value, key) in [(vocabularySize, CodingKeys.vocabularySize), (embeddingSize, .embeddingSize), (mlpSize, .mlpSize),
                             (layerCount, .layerCount), (headCount, .headCount), (contextLength, .contextLength), (labelCount, .labelCount)] {
            try check(value > 0, key, "must be positive, got \(value)")
        }
        try check(
            keyValueHeadCount > 0 && headCount % keyValueHeadCount == 0, .keyValueHeadCount,
            "\(keyValueHeadCount) must be positive and divide num_attention_heads \(headCount)")
        try check(headSize > 0 && headSize % 2 == 0, .headSize, "must be positive and even (rotary halves), got \(headSize)")
        try check(rmsNormEpsilon > 0, .rmsNormEpsilon, "must be positive")
        try check(attentionDropout >= 0 && attentionDropout < 1, .attentionDropout, "must lie in [0, 1), got \(attentionDropout)")
        try check(initializerRange >= 0, .initializerRange, "must not be negative")
        for id in endOfTextIDs + [beginningOfTextID, padTokenID].compactMap({ $0 }) {
            try check(id >= 0 && id < vocabularySize, .endOfTextIDs, "token id \(id) is outside the vocabulary of \(vocabularySize)")
        }
        try rope.validate(headSize: headSize)
    }

    /// Qwen2 has q/k/v biases and none on o; Llama has `attention_bias` on all four; Mistral none.
    public var queryKeyValueBias: Bool { modelType == "qwen2" || (modelType == "llama" && attentionBias) }
    public var outputProjectionBias: Bool { modelType == "llama" && attentionBias }
    public var hasMLPBias: Bool { modelType == "llama" && mlpBias }

    /// The `architectures` entry of the causal-LM class.
    public var architecture: String {
        ["qwen2": "Qwen2ForCausalLM", "mistral": "MistralForCausalLM"][modelType] ?? "LlamaForCausalLM"
    }

    /// Reads a Hugging Face `config.json`.
    public static func load(path: String) throws -> LlamaConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else { throw LayerError.cannotRead(path: path) }
        do {
            return try JSONDecoder().decode(LlamaConfiguration.self, from: data)
        } catch let error as LayerError {
            throw LayerError.inFile(path: path, error: error)
        } catch {
            throw LayerError.invalidFile(path: path, reason: "\(error)")
        }
    }

    /// Writes a Hugging Face `config.json` (with `architectures`) that transformers 4 and 5 load.
    public func save(path: String) throws {
        var object = (try JSONSerialization.jsonObject(with: JSONEncoder().encode(self)) as? [String: Any]) ?? [:]
        object["architectures"] = [architecture]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw LayerError.cannotWrite(path: path, reason: error.localizedDescription)
        }
    }
}
