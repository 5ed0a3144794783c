import Foundation
import LetheTensor

/// The size and hyper-parameters of a GPT-2 model, read from and written to Hugging Face's
/// `config.json` names (`n_embd`, `n_layer`, ...). Unknown keys of a Hugging Face config are
/// ignored; missing optional keys take GPT-2's defaults. Decoding validates the values and
/// names the offending key.
public struct GPT2Configuration: Codable, Equatable, Sendable {
    public var vocabularySize: Int
    public var contextLength: Int
    public var embeddingSize: Int
    public var layerCount: Int
    public var headCount: Int
    /// Width of the MLP's hidden layer; `nil` means 4 × `embeddingSize`.
    public var innerSize: Int?
    public var layerNormEpsilon: Double
    public var residualDropout: Double
    public var embeddingDropout: Double
    public var attentionDropout: Double
    public var activation: String
    public var endOfTextID: Int
    /// Outputs of the sequence-classification head (`GPT2ForSequenceClassification`).
    public var labelCount: Int
    /// Padding token id, used by the classification head to find the last real token.
    public var padTokenID: Int?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case vocabularySize = "vocab_size"
        case contextLength = "n_positions"
        case embeddingSize = "n_embd"
        case layerCount = "n_layer"
        case headCount = "n_head"
        case innerSize = "n_inner"
        case layerNormEpsilon = "layer_norm_epsilon"
        case residualDropout = "resid_pdrop"
        case embeddingDropout = "embd_pdrop"
        case attentionDropout = "attn_pdrop"
        case activation = "activation_function"
        case endOfTextID = "eos_token_id"
        case labelCount = "num_labels"
        case padTokenID = "pad_token_id"
    }

    /// Hugging Face keys read only to reject variants Lethe does not implement.
    private enum VariantKeys: String, CodingKey {
        case labels = "id2label"
        case scaleByLayer = "scale_attn_by_inverse_layer_idx"
        case reorderAndUpcast = "reorder_and_upcast_attn"
        case scaleWeights = "scale_attn_weights"
        case tied = "tie_word_embeddings"
        case crossAttention = "add_cross_attention"
    }

    public init(
        vocabularySize: Int = 50257, contextLength: Int = 1024, embeddingSize: Int = 768,
        layerCount: Int = 12, headCount: Int = 12, innerSize: Int? = nil,
        layerNormEpsilon: Double = 1e-5, residualDropout: Double = 0.1,
        embeddingDropout: Double = 0.1, attentionDropout: Double = 0.1,
        endOfTextID: Int = 50256, labelCount: Int = 2, padTokenID: Int? = nil
    ) {
        self.vocabularySize = vocabularySize
        self.contextLength = contextLength
        self.embeddingSize = embeddingSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.innerSize = innerSize
        self.layerNormEpsilon = layerNormEpsilon
        self.residualDropout = residualDropout
        self.embeddingDropout = embeddingDropout
        self.attentionDropout = attentionDropout
        self.activation = "gelu_new"
        self.endOfTextID = endOfTextID
        self.labelCount = labelCount
        self.padTokenID = padTokenID
    }

    /// The `config.json` keys Lethe reads (a recipe's `model.config` may use only these).
    public static var keys: [String] { CodingKeys.allCases.map(\.rawValue) }

    /// GPT-2 small (124M parameters).
    public static let small = GPT2Configuration()

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = GPT2Configuration()
        vocabularySize = try c.decodeIfPresent(Int.self, forKey: .vocabularySize) ?? d.vocabularySize
        contextLength = try c.decodeIfPresent(Int.self, forKey: .contextLength) ?? d.contextLength
        embeddingSize = try c.decodeIfPresent(Int.self, forKey: .embeddingSize) ?? d.embeddingSize
        layerCount = try c.decodeIfPresent(Int.self, forKey: .layerCount) ?? d.layerCount
        headCount = try c.decodeIfPresent(Int.self, forKey: .headCount) ?? d.headCount
        innerSize = try c.decodeIfPresent(Int.self, forKey: .innerSize)
        layerNormEpsilon = try c.decodeIfPresent(Double.self, forKey: .layerNormEpsilon) ?? d.layerNormEpsilon
        residualDropout = try c.decodeIfPresent(Double.self, forKey: .residualDropout) ?? d.residualDropout
        embeddingDropout = try c.decodeIfPresent(Double.self, forKey: .embeddingDropout) ?? d.embeddingDropout
        attentionDropout = try c.decodeIfPresent(Double.self, forKey: .attentionDropout) ?? d.attentionDropout
        activation = try c.decodeIfPresent(String.self, forKey: .activation) ?? d.activation
        endOfTextID = try c.decodeIfPresent(Int.self, forKey: .endOfTextID) ?? d.endOfTextID
        let variants = try decoder.container(keyedBy: VariantKeys.self)
        let labelNames = try variants.decodeIfPresent([String: String].self, forKey: .labels)
        labelCount = try c.decodeIfPresent(Int.self, forKey: .labelCount) ?? labelNames?.count ?? d.labelCount
        padTokenID = try c.decodeIfPresent(Int.self, forKey: .padTokenID)
        for (key, supported) in [(VariantKeys.scaleByLayer, false), (.reorderAndUpcast, false), (.scaleWeights, true), (.tied, true), (.crossAttention, false)] {
            if let value = try variants.decodeIfPresent(Bool.self, forKey: key), value != supported {
                throw LayerError.invalidConfiguration(key: key.rawValue, reason: "Lethe's GPT-2 supports only \(supported)")
            }
        }
        try validate()
    }

    /// Checks that the sizes fit together.
    /// - Throws: `LayerError.invalidConfiguration` naming the config.json key.
    public func validate() throws {
        func check(_ ok: Bool, _ key: CodingKeys, _ reason: String) throws {
            if !ok { throw LayerError.invalidConfiguration(key: key.rawValue, reason: reason) }
        }
        try check(vocabularySize > 0, .vocabularySize, "must be positive, got \(vocabularySize)")
        try check(contextLength > 0, .contextLength, "must be positive, got \(contextLength)")
        try check(layerCount > 0, .layerCount, "must be positive, got \(layerCount)")
        try check(headCount > 0, .headCount, "must be positive, got \(headCount)")
        try check(
            embeddingSize > 0 && embeddingSize % headCount == 0, .embeddingSize,
            "\(embeddingSize) must be a positive multiple of n_head \(headCount)")
        try check((innerSize ?? 1) > 0, .innerSize, "must be positive")
        try check(layerNormEpsilon > 0, .layerNormEpsilon, "must be positive")
        for (value, key) in [(residualDropout, CodingKeys.residualDropout), (embeddingDropout, .embeddingDropout), (attentionDropout, .attentionDropout)] {
            try check(value >= 0 && value < 1, key, "must lie in [0, 1), got \(value)")
        }
        try check(
            ["gelu_new", "gelu_pytorch_tanh"].contains(activation), .activation,
            "Lethe's GPT-2 uses the tanh GELU (gelu_new), got \(activation)")
        try check(labelCount > 0, .labelCount, "must be positive")
    }

    /// Hidden width of the MLP.
    public var mlpSize: Int { innerSize ?? 4 * embeddingSize }
    /// Width of one attention head.
    public var headSize: Int { embeddingSize / headCount }

    /// Reads a Hugging Face `config.json`.
    public static func load(path: String) throws -> GPT2Configuration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LayerError.cannotRead(path: path)
        }
        do {
            return try JSONDecoder().decode(GPT2Configuration.self, from: data)
        } catch let error as LayerError {
            throw LayerError.inFile(path: path, error: error)
        } catch {
            throw LayerError.invalidFile(path: path, reason: "\(error)")
        }
    }

    /// Writes a Hugging Face `config.json` (with `model_type` and `architectures`).
    public func save(path: String) throws {
        var object = (try JSONSerialization.jsonObject(with: JSONEncoder().encode(self)) as? [String: Any]) ?? [:]
        object["model_type"] = "gpt2"
        object["architectures"] = ["GPT2LMHeadModel"]
        object["bos_token_id"] = endOfTextID
        object["n_ctx"] = contextLength
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        do {
            try AtomicFile.write(data, to: path)
        } catch {
            throw LayerError.cannotWrite(path: path, reason: error.localizedDescription)
        }
    }
}
