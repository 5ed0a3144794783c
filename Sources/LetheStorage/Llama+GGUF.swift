import Foundation
import LetheLayers
import LetheTensor

/// Llama-family GGUF files (`general.architecture` `llama` — Llama, Mistral, SmolLM — or
/// `qwen2`), read as transformers' GGUF loader reads them: the configuration from the
/// `{arch}.*` metadata, the tensors dequantized to float32 under Hugging Face names with
/// llama.cpp's q/k row permutation undone (`GGUFFile.huggingFaceLlamaTensor`), the output head
/// tied when the file has no `output.weight`.
extension LlamaConfiguration {
    /// - Throws: naming the file and the metadata key or tensor for a variant Lethe does not
    ///   implement (partial rotary dimensions, rope scaling other than linear, `rope_freqs.weight`).
    public init(gguf file: GGUFFile) throws {
        let h = try file.modelHyperparameters()
        func refuse(_ field: String, _ reason: String) -> GGUFError { .malformed(path: file.path, field: field, reason: reason) }
        guard GGUFFile.huggingFaceLlamaArchitectures.contains(h.architecture) else {
            throw GGUFError.wrongType(
                path: file.path, key: "general.architecture",
                expected: "one of \(GGUFFile.huggingFaceLlamaArchitectures.joined(separator: ", "))", found: h.architecture)
        }
        if let dimensions = h.ropeDimensionCount, dimensions != h.headDimension {
            throw refuse("metadata \(h.architecture).rope.dimension_count", "rotary over \(dimensions) of \(h.headDimension) head dimensions is not implemented")
        }
        var rope = RotaryConfiguration(theta: h.ropeFrequencyBase)
        switch h.ropeScalingType ?? "none" {
        case "none": break
        case "linear": rope = RotaryConfiguration(type: .linear, theta: h.ropeFrequencyBase, factor: h.ropeScalingFactor)
        default: throw refuse("metadata \(h.architecture).rope.scaling.type", "\(h.ropeScalingType ?? "") scaling is not implemented (none, linear)")
        }
        if file.tensorInfo("rope_freqs.weight") != nil {
            throw refuse("tensor rope_freqs.weight", "per-frequency rope factors (Llama 3.1 scaling in GGUF) are not implemented")
        }
        let tokenizer = try? file.tokenizerMetadata()
        self.init(
            modelType: h.architecture, vocabularySize: h.vocabularySize, embeddingSize: h.embeddingLength, mlpSize: h.feedForwardLength,
            layerCount: h.blockCount, headCount: h.headCount, keyValueHeadCount: h.headCountKV, headSize: h.headDimension,
            contextLength: h.contextLength, rmsNormEpsilon: h.rmsNormEpsilon, rope: rope, tiedEmbeddings: !h.hasOutputWeight,
            attentionBias: h.architecture == "llama" && file.tensorInfo("blk.0.attn_q.bias") != nil,
            mlpBias: file.tensorInfo("blk.0.ffn_gate.bias") != nil, beginningOfTextID: tokenizer?.bosTokenID,
            endOfTextIDs: tokenizer?.eosTokenID.map { [$0] } ?? [], padTokenID: tokenizer?.paddingTokenID)
        do {
            try validate()
        } catch let LayerError.invalidConfiguration(key, reason) {
            throw refuse("metadata", "\(key): \(reason)")
        }
    }
}

extension LlamaModel {
    /// A model from a Llama-family GGUF file, its sizes checked against the stored tensors
    /// before anything is allocated, loaded strictly (every missing, unexpected or mis-shaped
    /// tensor named).
    public static func load(gguf path: String) throws -> LlamaModel {
        let file = try GGUFFile.open(path: path)
        let configuration = try LlamaConfiguration(gguf: file)
        let names = try file.huggingFaceLlamaNames()
        try configuration.requireStoredSizes(source: path, head: .languageModel) { names[$0].flatMap { file.tensorInfo($0)?.shape } }
        var unused = RandomGenerator(seed: 0)  // every value is overwritten below
        let model = try LlamaModel(configuration: configuration, rng: &unused)
        var state: [String: Tensor] = [:]
        for name in names.keys { state[name] = try file.huggingFaceLlamaTensor(name) }
        let unnamed = file.tensorInfos.map(\.name).filter { GGUFFile.huggingFaceName(ofLlamaTensor: $0) == nil }
        guard unnamed.isEmpty else { throw LayerError.stateMismatch(source: path, missing: [], unexpected: unnamed, misshapen: []) }
        try model.loadState(state, source: path)
        return model
    }
}

extension LlamaFamily {
    public static var ggufArchitectures: [String] { GGUFFile.huggingFaceLlamaArchitectures }

    public static func load(gguf path: String) throws -> any CausalLanguageModel { try LlamaModel.load(gguf: path) }
}
