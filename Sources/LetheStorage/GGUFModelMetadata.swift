/// The hyper-parameters a decoder model reads from a GGUF file, from the keys
/// `{arch}.…` where `arch` is `general.architecture` (llama.cpp's `LLM_KV_*` names, written by
/// convert_hf_to_gguf.py). Hugging Face names in the comments.
public struct GGUFModelHyperparameters: Equatable, Sendable {
    /// `general.architecture`: `llama` (also SmolLM, Mistral), `qwen2`, ...
    public var architecture: String
    /// `{arch}.block_count` (num_hidden_layers)
    public var blockCount: Int
    /// `{arch}.context_length` (max_position_embeddings)
    public var contextLength: Int
    /// `{arch}.embedding_length` (hidden_size)
    public var embeddingLength: Int
    /// `{arch}.feed_forward_length` (intermediate_size)
    public var feedForwardLength: Int
    /// `{arch}.attention.head_count` (num_attention_heads)
    public var headCount: Int
    /// `{arch}.attention.head_count_kv` (num_key_value_heads); `headCount` when absent.
    public var headCountKV: Int
    /// `{arch}.attention.key_length` (head_dim) when stored, else embeddingLength / headCount.
    public var headDimension: Int
    /// `{arch}.rope.freq_base` (rope_theta); 10,000 when absent, as in llama.cpp.
    public var ropeFrequencyBase: Double
    /// `{arch}.rope.dimension_count`, when stored.
    public var ropeDimensionCount: Int?
    /// `{arch}.rope.scaling.type` (`none`, `linear`, `yarn`, ...), `.factor` and
    /// `.original_context_length`, when stored. (Llama-3 scaling is stored as the tensor
    /// `rope_freqs.weight`, not as keys.)
    public var ropeScalingType: String?
    public var ropeScalingFactor: Double?
    public var ropeScalingOriginalContextLength: Int?
    /// `{arch}.attention.layer_norm_rms_epsilon` (rms_norm_eps)
    public var rmsNormEpsilon: Double
    /// `{arch}.vocab_size` when stored, else the number of `tokenizer.ggml.tokens`.
    public var vocabularySize: Int
    /// Whether the file has `output.weight`; without it the output head is the token embedding
    /// (tie_word_embeddings).
    public var hasOutputWeight: Bool
}

/// The tokenizer embedded in a GGUF file (`tokenizer.ggml.*`, `tokenizer.chat_template`).
public struct GGUFTokenizerMetadata: Equatable, Sendable {
    /// `tokenizer.ggml.model`: `gpt2` (byte-level BPE), `llama` (SentencePiece), ...
    public var model: String
    /// `tokenizer.ggml.pre`: the pre-tokenizer name (`smollm`, `llama-bpe`, `qwen2`, ...).
    public var preTokenizer: String?
    /// `tokenizer.ggml.tokens`, indexed by id.
    public var tokens: [String]
    /// `tokenizer.ggml.token_type` (1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused,
    /// 6 byte), one per token, when stored.
    public var tokenTypes: [Int]?
    /// `tokenizer.ggml.scores`, one per token, when stored (SentencePiece).
    public var scores: [Double]?
    /// `tokenizer.ggml.merges`: `"left right"` pairs, highest priority first.
    public var merges: [String]
    /// `tokenizer.ggml.{bos,eos,unknown,padding,seperator,eot}_token_id` (the file spells
    /// "seperator"), each checked to be a token id.
    public var bosTokenID: Int?
    public var eosTokenID: Int?
    public var unknownTokenID: Int?
    public var paddingTokenID: Int?
    public var separatorTokenID: Int?
    public var endOfTurnTokenID: Int?
    /// `tokenizer.ggml.add_bos_token`, `.add_eos_token`, `.add_space_prefix`, when stored.
    public var addBOS: Bool?
    public var addEOS: Bool?
    public var addSpacePrefix: Bool?
    /// `tokenizer.chat_template` (Jinja), when stored.
    public var chatTemplate: String?
}

extension GGUFFile {
    /// `general.architecture`.
    public func architecture() throws -> String { try string("general.architecture") }

    /// The model hyper-parameters under `general.architecture`'s prefix.
    /// - Throws: `GGUFError` naming the missing or mistyped key, or `.malformed` when the
    ///   heads do not divide the embedding.
    public func modelHyperparameters() throws -> GGUFModelHyperparameters {
        let arch = try architecture()
        let headCount = try integer("\(arch).attention.head_count")
        let embedding = try integer("\(arch).embedding_length")
        let headCountKV = try integerIfPresent("\(arch).attention.head_count_kv") ?? headCount
        guard headCount > 0, headCountKV > 0, headCount % headCountKV == 0 else {
            throw GGUFError.malformed(
                path: path, field: "metadata \(arch).attention.head_count_kv",
                reason: "\(headCountKV) key-value heads do not divide \(headCount) heads")
        }
        let headDimension = try integerIfPresent("\(arch).attention.key_length") ?? embedding / headCount
        let tokenCount = (value("tokenizer.ggml.tokens")?.array?.count)
        guard let vocabulary = try integerIfPresent("\(arch).vocab_size") ?? tokenCount else {
            throw GGUFError.missingKey(path: path, key: "\(arch).vocab_size")
        }
        return GGUFModelHyperparameters(
            architecture: arch,
            blockCount: try integer("\(arch).block_count"),
            contextLength: try integer("\(arch).context_length"),
            embeddingLength: embedding,
            feedForwardLength: try integer("\(arch).feed_forward_length"),
            headCount: headCount, headCountKV: headCountKV, headDimension: headDimension,
            ropeFrequencyBase: try numberIfPresent("\(arch).rope.freq_base") ?? 10_000,
            ropeDimensionCount: try integerIfPresent("\(arch).rope.dimension_count"),
            ropeScalingType: try stringIfPresent("\(arch).rope.scaling.type"),
            ropeScalingFactor: try numberIfPresent("\(arch).rope.scaling.factor"),
            ropeScalingOriginalContextLength: try integerIfPresent("\(arch).rope.scaling.original_context_length"),
            rmsNormEpsilon: try number("\(arch).attention.layer_norm_rms_epsilon"),
            vocabularySize: vocabulary,
            hasOutputWeight: tensorInfo("output.weight") != nil)
    }

    /// The embedded tokenizer.
    /// - Throws: `GGUFError` naming the key when tokens are missing, per-token arrays have the
    ///   wrong length, or a special token id is not a token.
    public func tokenizerMetadata() throws -> GGUFTokenizerMetadata {
        let tokens = try strings("tokenizer.ggml.tokens")
        func perToken<T>(_ key: String, _ values: [T]?) throws -> [T]? {
            guard let values, values.count != tokens.count else { return values }
            throw GGUFError.malformed(path: path, field: "metadata \(key)", reason: "\(values.count) values for \(tokens.count) tokens")
        }
        func tokenID(_ name: String) throws -> Int? {
            let key = "tokenizer.ggml.\(name)_token_id"
            guard let id = try integerIfPresent(key) else { return nil }
            guard tokens.indices.contains(id) else {
                throw GGUFError.malformed(path: path, field: "metadata \(key)", reason: "id \(id) is not one of the \(tokens.count) tokens")
            }
            return id
        }
        return GGUFTokenizerMetadata(
            model: try string("tokenizer.ggml.model"),
            preTokenizer: try stringIfPresent("tokenizer.ggml.pre"),
            tokens: tokens,
            tokenTypes: try perToken("tokenizer.ggml.token_type", try integersIfPresent("tokenizer.ggml.token_type")),
            scores: try perToken("tokenizer.ggml.scores", try numbersIfPresent("tokenizer.ggml.scores")),
            merges: try stringsIfPresent("tokenizer.ggml.merges") ?? [],
            bosTokenID: try tokenID("bos"), eosTokenID: try tokenID("eos"), unknownTokenID: try tokenID("unknown"),
            paddingTokenID: try tokenID("padding"), separatorTokenID: try tokenID("seperator"), endOfTurnTokenID: try tokenID("eot"),
            addBOS: try boolIfPresent("tokenizer.ggml.add_bos_token"),
            addEOS: try boolIfPresent("tokenizer.ggml.add_eos_token"),
            addSpacePrefix: try boolIfPresent("tokenizer.ggml.add_space_prefix"),
            chatTemplate: try stringIfPresent("tokenizer.chat_template"))
    }
}
