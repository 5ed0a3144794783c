/// A tokenizer that follows the pipeline of a Hugging Face `tokenizer.json`, id for id with the
/// `tokenizers` package, for every BPE tokenizer kind (GPT-2, Llama 2/3, Qwen2, Mistral,
/// SmolLM, OLMo, ...):
///
///     text --added tokens matched in the raw text (normalized == false)--> segments, ids
///     segment --normalizer (TextNormalizer)--> text
///             --added tokens matched in the normalized text (normalized == true)--> segments, ids
///     segment --pre-tokenizer (PreTokenizerStep)--> pieces --BPE model (BPEModel)--> ids
///     ids --post-processor (PostProcessorStep, when adding special tokens)--> ids
///
///     ids --token texts (special ones left out on request)--> decoder (TokenDecoderStep)--> text
///     (no decoder: the token texts joined by spaces)
///
/// Load one with `PipelineTokenizer.load(from:)` (a `tokenizer.json` or a model folder, whose
/// `tokenizer_config.json` names the BOS/EOS/padding tokens and the chat template), or build one
/// from a GGUF file's embedded vocabulary with `init(gguf:path:)`. The value is immutable
/// and `Sendable`.
///
/// Reference: https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/tokenizer/mod.rs
/// (`encode_single_sequence`, `decode`).
public struct PipelineTokenizer: TextTokenizer {
    /// The file this tokenizer was read from (for messages), or `TokenizerError.inMemory`.
    public let path: String
    /// The added tokens (special or not), as in the file.
    public let addedTokens: [AddedToken]
    public let specialTokenIDs: SpecialTokenIDs
    /// The chat template text of `tokenizer_config.json` or the GGUF file, if any (see `ChatFormat`).
    public let chatTemplate: String?

    let normalizer: TextNormalizer?
    let preTokenizer: PreTokenizerStep?
    let model: BPEModel
    let postProcessor: PostProcessorStep?
    let decoder: TokenDecoderStep?
    /// Added tokens matched in the raw text (`normalized == false`), and the others (contents
    /// normalized) in the normalized text.
    let rawSplitter: AddedTokenSplitter
    let normalizedSplitter: AddedTokenSplitter
    /// Token text by id: added tokens' content (normalized if they are matched normalized), else
    /// the model vocabulary's entry (`""`: unused).
    let tokens: [String]
    let specialIDs: Set<Int>
    let addedIDs: ExactVocabulary

    /// The contents of the named special tokens (`tokenizer_config.json`'s `bos_token`, ...).
    struct SpecialTokenNames {
        var bos: String?
        var eos: String?
        var pad: String?
        var unk: String?
    }

    /// The pipeline's parts, as `tokenizer.json` names them.
    struct Parts {
        var normalizer: TextNormalizer?
        var preTokenizer: PreTokenizerStep?
        var postProcessor: PostProcessorStep?
        var decoder: TokenDecoderStep?
    }

    /// Builds a tokenizer from a model, its added tokens and the pipeline's other parts.
    ///
    /// - Parameter special: the named special tokens by content (a name absent from the
    ///   vocabulary throws); `nil` names fall back to the post-processor's first token before
    ///   (BOS) and after (EOS) the text and to the model's `unk_token`.
    init(
        model: BPEModel, addedTokens: [AddedToken], parts: Parts, special: SpecialTokenNames,
        chatTemplate: String?, path: String
    ) throws {
        var tokens = try tokenList(
            vocabulary: model.vocabulary.entries.map { ($0.token, $0.id) }, addedTokens: addedTokens, limit: GPT2Tokenizer.idLimit,
            path: path)
        if let normalizer = parts.normalizer {  // `tokenizers` spells a normalized added token normalized
            for token in addedTokens where token.normalized { tokens[token.id] = normalizer.apply(token.content) }
        }
        self.tokens = tokens
        if let processor = parts.postProcessor {
            for id in processor.addedBefore + processor.addedAfter where id < 0 || id >= tokens.count || tokens[id].isEmpty {
                throw TokenizerError.invalidKey(path: path, key: "post_processor", reason: "adds id \(id), which is no token")
            }
        }
        self.path = path
        self.model = model
        self.addedTokens = addedTokens
        normalizer = parts.normalizer
        preTokenizer = parts.preTokenizer
        postProcessor = parts.postProcessor
        decoder = parts.decoder
        self.chatTemplate = chatTemplate
        rawSplitter = AddedTokenSplitter(addedTokens.filter { !$0.normalized })
        normalizedSplitter = AddedTokenSplitter(addedTokens.filter(\.normalized).map { token in
            var normalized = token
            normalized.content = parts.normalizer?.apply(token.content) ?? token.content
            normalized.normalized = false  // the splitter's first pass: this splitter sees normalized text only
            return normalized
        }.filter { !$0.content.isEmpty })
        specialIDs = Set(addedTokens.filter(\.special).map(\.id))
        let addedIDs = ExactVocabulary(addedTokens.reversed().map { ($0.content, $0.id) })  // the first of a repeated content
        self.addedIDs = addedIDs

        func resolve(_ name: String?, _ key: String) throws -> Int? {
            guard let name else { return nil }
            guard let id = addedIDs[name] ?? model.vocabulary[name] else {
                throw TokenizerError.invalidKey(path: path, key: key, reason: "token \(quoted(name)) is not in the vocabulary")
            }
            return id
        }
        specialTokenIDs = SpecialTokenIDs(
            beginOfSequence: try resolve(special.bos, "bos_token") ?? parts.postProcessor?.addedBefore.first,
            endOfSequence: try resolve(special.eos, "eos_token") ?? parts.postProcessor?.addedAfter.last,
            padding: try resolve(special.pad, "pad_token"),
            unknown: try resolve(special.unk, "unk_token") ?? (model.unknownID >= 0 ? Int(model.unknownID) : nil))
    }

    /// The largest id plus one (`tokenizers`' `get_vocab_size` counts the entries instead; they
    /// differ when ids have gaps).
    public var vocabularySize: Int { tokens.count }

    public func id(for token: String) -> Int? { addedIDs[token] ?? model.vocabulary[token] }

    public func token(for id: Int) -> String? {
        guard id >= 0, id < tokens.count, !tokens[id].isEmpty else { return nil }
        return tokens[id]
    }

    /// The ids of `text` with the post-processor's tokens: `encode(text, addingSpecialTokens: true)`.
    public func encode(_ text: String) -> [Int] { encode(text, addingSpecialTokens: true) }

    public func encode(_ text: String, addingSpecialTokens: Bool) -> [Int] {
        encode(text, addingSpecialTokens: addingSpecialTokens, allowedSpecial: .all)
    }

    /// The ids of `text`.
    ///
    /// - Parameters:
    ///   - addingSpecialTokens: apply the post-processor (a BOS before the text, ...).
    ///   - allowedSpecial: which special added tokens are recognised in the text; `.none` reads
    ///     `"<s>"` in untrusted text as ordinary characters.
    public func encode(_ text: String, addingSpecialTokens: Bool, allowedSpecial: AllowedSpecialTokens) -> [Int] {
        var cache = PieceCache()
        return encode(text, addingSpecialTokens: addingSpecialTokens, allowedSpecial: allowedSpecial, cache: &cache)
    }

    /// The ids of many texts, sharing one word cache (faster than one `encode` call each for
    /// short texts such as data set rows).
    public func encode(batch texts: [String], addingSpecialTokens: Bool = true, allowedSpecial: AllowedSpecialTokens = .all) -> [[Int]] {
        var cache = PieceCache()
        return texts.map { encode($0, addingSpecialTokens: addingSpecialTokens, allowedSpecial: allowedSpecial, cache: &cache) }
    }

    private func encode(
        _ text: String, addingSpecialTokens: Bool, allowedSpecial: AllowedSpecialTokens, cache: inout PieceCache
    ) -> [Int] {
        var ids: [Int] = []
        let bytes = Array(text.utf8)
        ids.reserveCapacity(bytes.count / 3)
        bytes.withUnsafeBufferPointer { buffer in
            guard let p = buffer.baseAddress, !buffer.isEmpty else { return }
            rawSplitter.forEachSegment(p, buffer.count, flags: rawSplitter.flags(allowedSpecial)) { segment in
                switch segment {
                case .token(let id): ids.append(Int(id))
                case .text(let start, let end):
                    encodeSegment(Array(buffer[start..<end]), atStart: start == 0, allowedSpecial, cache: &cache, into: &ids)
                }
            }
        }
        if addingSpecialTokens, let postProcessor { ids = postProcessor.apply(ids) }
        return ids
    }

    /// Normalizes one segment, matches the normalized added tokens, pre-tokenizes and encodes.
    private func encodeSegment(
        _ raw: [UInt8], atStart: Bool, _ allowed: AllowedSpecialTokens, cache: inout PieceCache, into ids: inout [Int]
    ) {
        let normalized = normalizer.map { Array($0.apply(String(decoding: raw, as: UTF8.self)).utf8) } ?? raw
        normalized.withUnsafeBufferPointer { buffer in
            guard let p = buffer.baseAddress, !buffer.isEmpty else { return }
            normalizedSplitter.forEachSegment(p, buffer.count, flags: normalizedSplitter.flags(allowed)) { segment in
                switch segment {
                case .token(let id): ids.append(Int(id))
                case .text(let start, let end):
                    let piece = TextPiece(bytes: Array(buffer[start..<end]), atStart: atStart && start == 0)
                    for word in preTokenizer?.apply([piece]) ?? [piece] where !word.bytes.isEmpty {
                        encodeWord(word.bytes, cache: &cache, into: &ids)
                    }
                }
            }
        }
    }

    /// Appends the ids of one pre-tokenized word: from the cache, or from the model.
    private func encodeWord(_ word: [UInt8], cache: inout PieceCache, into ids: inout [Int]) {
        guard word.count <= PieceCache.maximumKeyLength else {
            model.tokenize(word, into: &ids)
            return
        }
        word.withUnsafeBufferPointer { buffer in
            guard let p = buffer.baseAddress else { return }
            let hash = PieceCache.hash(p, buffer.count)
            if cache.lookup(p, buffer.count, hash: hash, appendingTo: &ids) { return }
            let start = ids.count
            model.tokenize(word, into: &ids)
            let new = ids[start...].map { Int32(truncatingIfNeeded: $0) }
            new.withUnsafeBufferPointer { cache.insert(p, buffer.count, hash: hash, ids: $0) }
        }
    }

    /// The text of `ids`: their token texts (special added tokens left out when
    /// `skipSpecialTokens`) through the decoder, as `tokenizers`' `decode` gives it.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) -> String {
        let texts = ids.compactMap { id -> String? in
            guard let text = token(for: id), !(skipSpecialTokens && specialIDs.contains(id)) else { return nil }
            return text
        }
        guard let decoder else { return texts.joined(separator: " ") }
        return decoder.apply(texts).joined()
    }

    /// The model's merge rules in rank order, as token texts.
    public var merges: [(String, String)] {
        model.mergeTable.rules.map { (tokens[Int($0.left)], tokens[Int($0.right)]) }
    }
}
