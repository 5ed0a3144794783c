import Foundation
import LetheTensor

/// The size and hyper-parameters of a BERT or RoBERTa encoder, read from and written to
/// Hugging Face's `config.json` names (`hidden_size`, `num_hidden_layers`, ...). One type
/// serves both families: `model_type` says which (RoBERTa differs only in its position ids,
/// its classification head and its masked-LM head's names). Unknown keys are ignored; missing
/// optional keys take BERT-base's defaults; decoding validates the values and names the key.
/// Reference: transformers/models/bert/configuration_bert.py, roberta/configuration_roberta.py.
public struct BertConfiguration: Codable, Equatable, Sendable {
    public enum Family: String, Codable, Sendable, CaseIterable {
        case bert, roberta
    }

    /// How `num_labels` outputs become a loss, as `problem_type` in transformers.
    public enum ProblemType: String, Codable, Sendable {
        /// Mean squared error on the raw outputs (Hugging Face's default for one label).
        case regression
        /// Softmax cross-entropy over the labels (the default for more than one label).
        case singleLabelClassification = "single_label_classification"
        /// One sigmoid and binary cross-entropy per label.
        case multiLabelClassification = "multi_label_classification"
    }

    public var family: Family
    public var vocabularySize: Int
    public var hiddenSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var intermediateSize: Int
    /// `gelu` (exact, erf), or `gelu_new` / `gelu_pytorch_tanh` (tanh approximation).
    public var activation: String
    public var hiddenDropout: Double
    public var attentionDropout: Double
    /// Dropout before the classification head; `nil` means `hiddenDropout`.
    public var classifierDropout: Double?
    public var maxPositions: Int
    public var tokenTypeCount: Int
    public var layerNormEpsilon: Double
    /// The padding id; RoBERTa's positions start after it.
    public var padTokenID: Int
    public var labelCount: Int
    /// Label names by id (`id2label`), when the config names them.
    public var labelNames: [String]?
    /// `problem_type`; `nil` lets the label count decide (1: regression, more: single-label).
    public var problemType: ProblemType?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case family = "model_type"
        case vocabularySize = "vocab_size"
        case hiddenSize = "hidden_size"
        case layerCount = "num_hidden_layers"
        case headCount = "num_attention_heads"
        case intermediateSize = "intermediate_size"
        case activation = "hidden_act"
        case hiddenDropout = "hidden_dropout_prob"
        case attentionDropout = "attention_probs_dropout_prob"
        case classifierDropout = "classifier_dropout"
        case maxPositions = "max_position_embeddings"
        case tokenTypeCount = "type_vocab_size"
        case layerNormEpsilon = "layer_norm_eps"
        case padTokenID = "pad_token_id"
        case labelCount = "num_labels"
        case labelNames = "id2label"
        case problemType = "problem_type"
    }

    /// Hugging Face keys read only to reject variants Lethe does not implement.
    private enum VariantKeys: String, CodingKey {
        case positionType = "position_embedding_type"
        case decoder = "is_decoder"
        case crossAttention = "add_cross_attention"
    }

    public init(
        family: Family = .bert, vocabularySize: Int = 30522, hiddenSize: Int = 768, layerCount: Int = 12,
        headCount: Int = 12, intermediateSize: Int = 3072, maxPositions: Int = 512, tokenTypeCount: Int = 2,
        labelCount: Int = 2, problemType: ProblemType? = nil
    ) {
        self.family = family
        self.vocabularySize = vocabularySize
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.intermediateSize = intermediateSize
        activation = "gelu"
        hiddenDropout = 0.1
        attentionDropout = 0.1
        classifierDropout = nil
        self.maxPositions = maxPositions
        self.tokenTypeCount = tokenTypeCount
        layerNormEpsilon = family == .roberta ? 1e-5 : 1e-12
        padTokenID = family == .roberta ? 1 : 0
        self.labelCount = labelCount
        labelNames = nil
        self.problemType = problemType
    }

    /// The `config.json` keys Lethe reads.
    public static var keys: [String] { CodingKeys.allCases.map(\.rawValue) }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let modelType = try c.decodeIfPresent(String.self, forKey: .family) ?? "bert"
        guard let family = Family(rawValue: modelType) else {
            throw LayerError.invalidConfiguration(
                key: "model_type", reason: "\(modelType) is not an encoder Lethe reads (bert, roberta)")
        }
        let d = BertConfiguration(family: family)
        self = d
        vocabularySize = try c.decodeIfPresent(Int.self, forKey: .vocabularySize) ?? d.vocabularySize
        hiddenSize = try c.decodeIfPresent(Int.self, forKey: .hiddenSize) ?? d.hiddenSize
        layerCount = try c.decodeIfPresent(Int.self, forKey: .layerCount) ?? d.layerCount
        headCount = try c.decodeIfPresent(Int.self, forKey: .headCount) ?? d.headCount
        intermediateSize = try c.decodeIfPresent(Int.self, forKey: .intermediateSize) ?? d.intermediateSize
        activation = try c.decodeIfPresent(String.self, forKey: .activation) ?? d.activation
        hiddenDropout = try c.decodeIfPresent(Double.self, forKey: .hiddenDropout) ?? d.hiddenDropout
        attentionDropout = try c.decodeIfPresent(Double.self, forKey: .attentionDropout) ?? d.attentionDropout
        classifierDropout = try c.decodeIfPresent(Double.self, forKey: .classifierDropout)
        maxPositions = try c.decodeIfPresent(Int.self, forKey: .maxPositions) ?? d.maxPositions
        tokenTypeCount = try c.decodeIfPresent(Int.self, forKey: .tokenTypeCount) ?? d.tokenTypeCount
        layerNormEpsilon = try c.decodeIfPresent(Double.self, forKey: .layerNormEpsilon) ?? d.layerNormEpsilon
        padTokenID = try c.decodeIfPresent(Int.self, forKey: .padTokenID) ?? d.padTokenID
        if let names = try c.decodeIfPresent([String: String].self, forKey: .labelNames) {
            labelNames = try (0..<names.count).map { id in
                guard let name = names[String(id)] else {
                    throw LayerError.invalidConfiguration(key: "id2label", reason: "ids must be 0..<\(names.count); \(id) is missing")
                }
                return name
            }
        }
        labelCount = try c.decodeIfPresent(Int.self, forKey: .labelCount) ?? labelNames?.count ?? d.labelCount
        if let problem = try c.decodeIfPresent(String.self, forKey: .problemType) {
            guard let type = ProblemType(rawValue: problem) else {
                throw LayerError.invalidConfiguration(
                    key: "problem_type", reason: "\(problem) is not regression, single_label_classification or multi_label_classification")
            }
            problemType = type
        }
        let variants = try decoder.container(keyedBy: VariantKeys.self)
        if let type = try variants.decodeIfPresent(String.self, forKey: .positionType), type != "absolute" {
            throw LayerError.invalidConfiguration(key: "position_embedding_type", reason: "Lethe's BERT supports only absolute, got \(type)")
        }
        for key in [VariantKeys.decoder, .crossAttention] where try variants.decodeIfPresent(Bool.self, forKey: key) == true {
            throw LayerError.invalidConfiguration(key: key.rawValue, reason: "Lethe's BERT is an encoder only (false)")
        }
        try validate()
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(family.rawValue, forKey: .family)
        try c.encode(vocabularySize, forKey: .vocabularySize)
        try c.encode(hiddenSize, forKey: .hiddenSize)
        try c.encode(layerCount, forKey: .layerCount)
        try c.encode(headCount, forKey: .headCount)
        try c.encode(intermediateSize, forKey: .intermediateSize)
        try c.encode(activation, forKey: .activation)
        try c.encode(hiddenDropout, forKey: .hiddenDropout)
        try c.encode(attentionDropout, forKey: .attentionDropout)
        try c.encodeIfPresent(classifierDropout, forKey: .classifierDropout)
        try c.encode(maxPositions, forKey: .maxPositions)
        try c.encode(tokenTypeCount, forKey: .tokenTypeCount)
        try c.encode(layerNormEpsilon, forKey: .layerNormEpsilon)
        try c.encode(padTokenID, forKey: .padTokenID)
        try c.encode(labelCount, forKey: .labelCount)
        if let labelNames {
            try c.encode(Dictionary(uniqueKeysWithValues: labelNames.enumerated().map { (String($0.offset), $0.element) }), forKey: .labelNames)
        }
        try c.encodeIfPresent(problemType, forKey: .problemType)
    }

    /// Checks that the sizes fit together.
    /// - Throws: `LayerError.invalidConfiguration` naming the config.json key.
    public func validate() throws {
        func check(_ ok: Bool, _ key: CodingKeys, _ reason: String) throws {
            if !ok { throw LayerError.invalidConfiguration(key: key.rawValue, reason: reason) }
        }
        for (value, key) in [
            (vocabularySize, CodingKeys.vocabularySize), (layerCount, .layerCount), (headCount, .headCount),
            (intermediateSize, .intermediateSize), (maxPositions, .maxPositions), (tokenTypeCount, .tokenTypeCount),
            (labelCount, .labelCount),
        ] {
            try check(value > 0, key, "must be positive, got \(value)")
        }
        try check(hiddenSize > 0 && hiddenSize % headCount == 0, .hiddenSize, "\(hiddenSize) must be a positive multiple of num_attention_heads \(headCount)")
        try check(layerNormEpsilon > 0, .layerNormEpsilon, "must be positive")
        for (value, key) in [(hiddenDropout, CodingKeys.hiddenDropout), (attentionDropout, .attentionDropout), (classifierDropout ?? 0, .classifierDropout)] {
            try check(value >= 0 && value < 1, key, "must lie in [0, 1), got \(value)")
        }
        try check(["gelu", "gelu_new", "gelu_pytorch_tanh"].contains(activation), .activation, "Lethe's BERT supports gelu, gelu_new and gelu_pytorch_tanh, got \(activation)")
        try check(padTokenID >= 0 && padTokenID < vocabularySize, .padTokenID, "must lie in 0..<vocab_size")
        try check(labelNames.map { $0.count == labelCount } ?? true, .labelNames, "names \(labelNames?.count ?? 0) labels, num_labels is \(labelCount)")
    }

    /// Width of one attention head.
    public var headSize: Int { hiddenSize / headCount }
    /// The loss the classification head uses: `problem_type`, else regression for one label
    /// and single-label classification for more (as transformers decides for integer labels).
    public var resolvedProblemType: ProblemType { problemType ?? (labelCount == 1 ? .regression : .singleLabelClassification) }
    /// Highest position id a sequence of `length` tokens uses, plus one: RoBERTa's start
    /// after the padding id.
    public func positionsNeeded(length: Int) -> Int { family == .roberta ? length + padTokenID + 1 : length }

    /// Reads a Hugging Face `config.json`.
    public static func load(path: String) throws -> BertConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else { throw LayerError.cannotRead(path: path) }
        do {
            return try JSONDecoder().decode(BertConfiguration.self, from: data)
        } catch let error as LayerError {
            throw LayerError.inFile(path: path, error: error)
        } catch {
            throw LayerError.invalidFile(path: path, reason: "\(error)")
        }
    }

    /// Writes a Hugging Face `config.json` naming `architecture` (e.g. `BertForSequenceClassification`).
    public func save(path: String, architecture: String) throws {
        var object = (try JSONSerialization.jsonObject(with: JSONEncoder().encode(self)) as? [String: Any]) ?? [:]
        object["architectures"] = [architecture]
        if let names = labelNames {
            object["label2id"] = Dictionary(names.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        }
        object["position_embedding_type"] = "absolute"
        object["tie_word_embeddings"] = true
        if family == .roberta { (object["bos_token_id"], object["eos_token_id"]) = (0, 2) }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        do {
            try AtomicFile.write(data, to: path)
        } catch {
            throw LayerError.cannotWrite(path: path, reason: error.localizedDescription)
        }
    }
}
