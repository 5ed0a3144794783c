/// The tokenizer a GGUF file embeds, as plain values of its `tokenizer.ggml.*` metadata (the
/// GGUF reader in LetheStorage fills it; this module reads no GGUF).
public struct GGUFVocabulary: Sendable {
    /// `tokenizer.ggml.model`: only `"gpt2"` (byte-level BPE) is read.
    public var model: String
    /// `tokenizer.ggml.pre`: llama.cpp's name of the split pattern (see `GGUFTokenizerConvention`).
    public var preTokenizer: String?
    /// `tokenizer.ggml.tokens`: token text by id, byte-level spelled.
    public var tokens: [String]
    /// `tokenizer.ggml.merges`: `"left right"` rules in rank order.
    public var merges: [String]
    /// `tokenizer.ggml.token_type`: 1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte.
    public var tokenTypes: [Int]
    /// `tokenizer.ggml.bos_token_id`, `eos_token_id`, `padding_token_id`, `unknown_token_id`.
    public var beginOfSequenceID: Int?
    public var endOfSequenceID: Int?
    public var paddingID: Int?
    public var unknownID: Int?
    /// `tokenizer.ggml.add_bos_token` / `add_eos_token`: put the BOS before / the EOS after each text.
    public var addsBeginOfSequence: Bool
    public var addsEndOfSequence: Bool
    /// `tokenizer.chat_template`.
    public var chatTemplate: String?

    public init(
        model: String, preTokenizer: String? = nil, tokens: [String], merges: [String], tokenTypes: [Int] = [],
        beginOfSequenceID: Int? = nil, endOfSequenceID: Int? = nil, paddingID: Int? = nil, unknownID: Int? = nil,
        addsBeginOfSequence: Bool = false, addsEndOfSequence: Bool = false, chatTemplate: String? = nil
    ) {
        self.model = model
        self.preTokenizer = preTokenizer
        self.tokens = tokens
        self.merges = merges
        self.tokenTypes = tokenTypes
        self.beginOfSequenceID = beginOfSequenceID
        self.endOfSequenceID = endOfSequenceID
        self.paddingID = paddingID
        self.unknownID = unknownID
        self.addsBeginOfSequence = addsBeginOfSequence
        self.addsEndOfSequence = addsEndOfSequence
        self.chatTemplate = chatTemplate
    }

    /// Token types of `tokenizer.ggml.token_type`.
    public static let controlType = 3, userDefinedType = 4
}

/// Whose reading of a GGUF vocabulary to follow. They differ in the split pattern of some
/// `tokenizer.ggml.pre` names and in tokens spelled outside the byte alphabet.
public enum GGUFTokenizerConvention: Sendable {
    /// llama.cpp (`llama-vocab.cpp`, the `regex_exprs` of each `LLAMA_VOCAB_PRE_TYPE_*`): the
    /// model's own pattern, e.g. SmolLM's digits one by one; an unknown name is refused.
    case llamaCpp
    /// transformers (`integrations/gguf/gguf_tokenizer_mapping.py`, `GGUF_PRE_TOKENIZER_SPLITS`):
    /// the Llama-3 and Qwen2 names get their patterns, every other name (SmolLM's too) GPT-2's
    /// byte-level one; a token outside the byte alphabet is respelled byte by byte, and a control
    /// token outside it is not added.
    case transformers
}

extension PipelineTokenizer {
    static let gpt2Splitting = PreTokenizerStep.byteLevel(addPrefixSpace: false, useRegex: true)
    static let llama3Splitting = PreTokenizerStep.sequence([
        .split(.llama3, .isolated, invert: false), .byteLevel(addPrefixSpace: false, useRegex: false),
    ])
    static let qwen2Splitting = PreTokenizerStep.sequence([
        .split(.qwen2, .isolated, invert: false), .byteLevel(addPrefixSpace: false, useRegex: false),
    ])

    /// llama.cpp's `tokenizer.ggml.pre` names whose patterns Lethe's scanners implement.
    static let llamaCppSplitting: [String: PreTokenizerStep] = {
        let digitsThenGPT2 = PreTokenizerStep.sequence([.split(.scalars(.numeric), .isolated, invert: false), gpt2Splitting])
        var table: [String: PreTokenizerStep] = [:]
        for name in ["gpt2", "gpt-2", "mpt", "olmo", "jais"] { table[name] = gpt2Splitting }
        for name in ["llama3", "llama-v3", "llama-bpe", "falcon3", "pixtral"] { table[name] = llama3Splitting }
        for name in ["qwen2", "stablelm2", "deepseek-r1-qwen"] { table[name] = qwen2Splitting }
        for name in ["smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva-7b"] { table[name] = digitsThenGPT2 }
        return table
    }()

    /// transformers' names with a split pattern (`nil`: one Lethe does not implement); any
    /// other name means GPT-2's.
    static let transformersSplitting: [String: PreTokenizerStep?] = {
        var table: [String: PreTokenizerStep?] = [:]
        for name in ["llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2", "jina-v5-nano", "dbrx", "smaug-bpe"] {
            table[name] = llama3Splitting
        }
        for name in ["qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "megrez"] { table[name] = qwen2Splitting }
        for name in ["tekken", "qwen35", "gpt-4o", "llama4", "kanana2", "talkie", "minimax-m2"] { table[name] = .some(nil) }
        return table
    }()

    /// The pre-tokenizer for `tokenizer.ggml.pre` under `convention`.
    static func ggufSplitting(_ name: String?, _ convention: GGUFTokenizerConvention, path: String) throws -> PreTokenizerStep {
        let unsupported = TokenizerError.unsupported(path: path, key: "tokenizer.ggml.pre", value: quoted(name ?? "(none)"))
        switch convention {
        case .llamaCpp:
            guard let step = llamaCppSplitting[name ?? "gpt2"] else { throw unsupported }
            return step
        case .transformers:
            guard let entry = transformersSplitting[name ?? "gpt2"] else { return gpt2Splitting }
            guard let step = entry else { throw unsupported }
            return step
        }
    }

    /// A byte-level BPE tokenizer from a GGUF file's embedded vocabulary (`tokenizer.ggml.model
    /// == "gpt2"`): every token in the model vocabulary, control tokens (type 3) as special
    /// added tokens and user-defined ones (type 4) as plain added tokens, matched in the raw text
    /// as llama.cpp does; the split pattern from `tokenizer.ggml.pre` (absent: GPT-2's); a
    /// byte-level decoder; the BOS/EOS put around each text as `add_bos_token`/`add_eos_token` say.
    ///
    /// - Parameters:
    ///   - gguf: the metadata values.
    ///   - convention: whose reading to follow (they differ for SmolLM's digits; see
    ///     `GGUFTokenizerConvention`); transformers' by default, the reference of Lethe's parity tests.
    ///   - path: the GGUF file, for error messages.
    /// - Throws: `TokenizerError.unsupported` naming `tokenizer.ggml.model` or `tokenizer.ggml.pre`
    ///   for a kind not implemented; `.invalidKey` naming `tokenizer.ggml.merges[i]`, a special
    ///   token id outside the vocabulary, or a token-type list of the wrong length.
    public init(gguf: GGUFVocabulary, convention: GGUFTokenizerConvention = .transformers, path: String = TokenizerError.inMemory) throws {
        guard gguf.model == "gpt2" else {
            throw TokenizerError.unsupported(path: path, key: "tokenizer.ggml.model", value: quoted(gguf.model))
        }
        let preTokenizer = try Self.ggufSplitting(gguf.preTokenizer, convention, path: path)
        guard gguf.tokenTypes.isEmpty || gguf.tokenTypes.count == gguf.tokens.count else {
            throw TokenizerError.invalidKey(
                path: path, key: "tokenizer.ggml.token_type",
                reason: "has \(gguf.tokenTypes.count) entries for \(gguf.tokens.count) tokens")
        }
        guard gguf.tokens.count <= GPT2Tokenizer.idLimit else {
            throw TokenizerError.invalidKey(path: path, key: "tokenizer.ggml.tokens", reason: "more than \(GPT2Tokenizer.idLimit) tokens")
        }
        func inAlphabet(_ token: String) -> Bool { token.unicodeScalars.allSatisfy { ByteLevelAlphabet.byte(for: $0.value) != nil } }
        let spelled = convention == .transformers
            ? gguf.tokens.map { inAlphabet($0) ? $0 : ByteLevelAlphabet.encode($0.utf8) } : gguf.tokens
        let vocabulary = ExactVocabulary(spelled.enumerated().map { ($0.element, $0.offset) })  // a repeated token keeps its last id
        var merges: [(String, String)] = []
        merges.reserveCapacity(gguf.merges.count)
        for (index, rule) in gguf.merges.enumerated() {
            guard let pair = GPT2Tokenizer.mergePair(rule) else {
                throw TokenizerError.invalidKey(
                    path: path, key: "tokenizer.ggml.merges[\(index)]", reason: "expected \"left right\", found \(quoted(rule))")
            }
            merges.append(pair)
        }
        func name(_ id: Int?, _ key: String) throws -> String? {
            guard let id else { return nil }
            guard id >= 0, id < gguf.tokens.count else {
                throw TokenizerError.invalidKey(path: path, key: key, reason: "id \(id) is outside 0..<\(gguf.tokens.count)")
            }
            return spelled[id]
        }
        let bos = try name(gguf.beginOfSequenceID, "tokenizer.ggml.bos_token_id")
        let eos = try name(gguf.endOfSequenceID, "tokenizer.ggml.eos_token_id")
        let pad = try name(gguf.paddingID, "tokenizer.ggml.padding_token_id")
        let unk = try name(gguf.unknownID, "tokenizer.ggml.unknown_token_id")

        var added: [AddedToken] = []
        for (id, type) in gguf.tokenTypes.enumerated()
        where (type == GGUFVocabulary.controlType || type == GGUFVocabulary.userDefinedType) && !gguf.tokens[id].isEmpty
            && (convention == .llamaCpp || inAlphabet(gguf.tokens[id]))
        {
            added.append(AddedToken(content: gguf.tokens[id], id: id, special: type == GGUFVocabulary.controlType, normalized: false))
        }
        var before: [Int] = []
        var after: [Int] = []
        if gguf.addsBeginOfSequence, let id = gguf.beginOfSequenceID { before = [id] }
        if gguf.addsEndOfSequence, let id = gguf.endOfSequenceID { after = [id] }
        let model = try BPEModel(
            vocabulary: vocabulary, merges: merges, options: BPEModel.Options(), path: path, mergesKey: "tokenizer.ggml.merges")
        let parts = Parts(
            normalizer: nil, preTokenizer: preTokenizer,
            postProcessor: before.isEmpty && after.isEmpty ? nil : .surround(before: before, after: after), decoder: .byteLevel)
        try self.init(
            model: model, addedTokens: added, parts: parts, special: SpecialTokenNames(bos: bos, eos: eos, pad: pad, unk: unk),
            chatTemplate: gguf.chatTemplate, path: path)
    }
}
