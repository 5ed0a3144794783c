/// GPT-2's byte-level BPE tokenizer, compatible with OpenAI's `encoder.py` and with Hugging Face
/// `tokenizers` (`model.type == "BPE"`, `ByteLevel` pre-tokenizer and decoder).
///
/// Encoding, per call:
///
///     text --(added tokens such as <|endoftext|>, AddedToken rules)--> text segments, token ids
///     segment --(GPT2PreTokenizer: 's|'t|...| ?\p{L}+| ?\p{N}+|...)--> pieces
///     piece --(UTF-8 bytes, one byte-level symbol each)--> ids --(BytePairMerge by rank)--> ids
///
/// Decoding maps ids to their bytes (`ByteLevelAlphabet`) and reads them as UTF-8, with U+FFFD
/// for byte sequences that are cut or invalid (the ids of a prefix, of a sampled sequence).
///
/// The value is immutable and `Sendable`: every call keeps its own word cache, and
/// `encode(batch:)` shares one cache across many short texts.
///
/// Load one with `GPT2Tokenizer.load(from:)` (a `tokenizer.json`, or a folder holding it or
/// `vocab.json` + `merges.txt`), or train one with `BPETrainer`.
///
/// References: https://github.com/openai/gpt-2/blob/master/src/encoder.py,
/// https://github.com/huggingface/tokenizers/tree/main/tokenizers/src/models/bpe
public struct GPT2Tokenizer: Sendable {
    /// Settings of the model and pre-tokenizer besides vocabulary, merges and added tokens
    /// (the keys of `tokenizer.json` in parentheses).
    public struct Options: Sendable, Equatable {
        /// Prepend a space to each text segment that does not start with one
        /// (`pre_tokenizer.add_prefix_space`; GPT-2: false).
        public var addPrefixSpace: Bool
        /// Split with the GPT-2 pattern; when false each segment is one piece (`pre_tokenizer.use_regex`).
        public var useRegex: Bool
        /// A piece that is itself in the vocabulary skips the merges (`model.ignore_merges`).
        public var ignoreMerges: Bool
        /// The token for bytes missing from the vocabulary; without one they are dropped, as in
        /// `tokenizers` (`model.unk_token`). Vocabularies with all 256 byte symbols never need it.
        public var unknownToken: String?
        /// Consecutive unknown bytes give one unknown token (`model.fuse_unk`).
        public var fuseUnknown: Bool

        public init(
            addPrefixSpace: Bool = false, useRegex: Bool = true, ignoreMerges: Bool = false,
            unknownToken: String? = nil, fuseUnknown: Bool = false
        ) {
            self.addPrefixSpace = addPrefixSpace
            self.useRegex = useRegex
            self.ignoreMerges = ignoreMerges
            self.unknownToken = unknownToken
            self.fuseUnknown = fuseUnknown
        }
    }

    /// The settings this tokenizer was built with.
    public let options: Options
    /// The model vocabulary: byte-level token text (`"Ġthe"` for `" the"`) to id; added tokens
    /// appear only if the files list them in the model too (as trained ones do).
    public let vocabulary: [String: Int]
    /// The added tokens (special or not), matched before pre-tokenisation.
    public var addedTokens: [AddedToken] { splitter.tokens }
    /// Ids must be below this (2^24; GPT-2 has 50,257), so a corrupt file cannot ask for a huge table.
    public static let idLimit = 1 << 24

    /// Token text by id (byte-level spelling; `""` for ids the files leave unused).
    let tokens: [String]
    /// Decoded bytes of token `i`: `tokenBytes[tokenOffsets[i]..<tokenOffsets[i + 1]]`.
    let tokenBytes: [UInt8]
    let tokenOffsets: [Int32]
    /// `byteIDs[b]`: the id of byte `b`'s symbol, or -1 when the vocabulary lacks it.
    let byteIDs: [Int32]
    let mergeTable: MergeTable
    let splitter: AddedTokenSplitter
    let specialIDs: Set<Int>
    let unknownID: Int32
    /// For `ignoreMerges`: the id of each vocabulary entry, by its bytes.
    let wholePieceIDs: [[UInt8]: Int32]

    /// Builds a tokenizer from its parts.
    ///
    /// - Parameters:
    ///   - vocabulary: byte-level token text to id (`"Ġthe"` is `" the"`); ids need not be dense.
    ///   - merges: the merge rules in rank order, as pairs of byte-level token texts; both
    ///     tokens and their concatenation must be in `vocabulary`.
    ///   - addedTokens: tokens matched in the raw text first; an id may be new or in `vocabulary`.
    ///   - options: see `Options`.
    ///   - path: the file the parts came from, for error messages.
    /// - Throws: `TokenizerError.invalidKey` naming `model.merges[i]` for a rule with unknown
    ///   tokens, or `model.vocab` / `added_tokens[i]` for negative or clashing ids.
    public init(
        vocabulary: [String: Int], merges: [(String, String)], addedTokens: [AddedToken] = [],
        options: Options = Options(), path: String = TokenizerError.inMemory
    ) throws {
        let tokens = try tokenList(
            vocabulary: vocabulary.map { ($0.key, $0.value) }, addedTokens: addedTokens, limit: Self.idLimit, path: path)
        let table = try MergeTable(merges: merges, vocabulary: vocabulary, path: path)

        var unknownID: Int32 = -1
        if let unknown = options.unknownToken {
            guard let id = vocabulary[unknown] ?? addedTokens.first(where: { $0.content == unknown })?.id else {
                throw TokenizerError.invalidKey(
                    path: path, key: "model.unk_token", reason: "token \(quoted(unknown)) is not in the vocabulary")
            }
            unknownID = Int32(id)
        }

        var bytes: [UInt8] = []
        var offsets: [Int32] = [0]
        for token in tokens {
            bytes += ByteLevelAlphabet.decode(token)
            offsets.append(Int32(bytes.count))
        }
        self.options = options
        self.tokens = tokens
        self.vocabulary = vocabulary
        self.tokenBytes = bytes
        self.tokenOffsets = offsets
        self.byteIDs = ByteLevelAlphabet.scalars.map { scalar in
            Unicode.Scalar(scalar).flatMap { vocabulary[String($0)] }.map { Int32($0) } ?? -1
        }
        self.mergeTable = table
        self.splitter = AddedTokenSplitter(addedTokens)
        self.specialIDs = Set(addedTokens.filter(\.special).map(\.id))
        self.unknownID = unknownID
        var whole: [[UInt8]: Int32] = [:]
        if options.ignoreMerges {
            for (token, id) in vocabulary where token.unicodeScalars.allSatisfy({ ByteLevelAlphabet.byte(for: $0.value) != nil }) {
                whole[ByteLevelAlphabet.decode(token)] = Int32(id)
            }
        }
        self.wholePieceIDs = whole
    }

    /// The number of rows an embedding needs: the largest id plus one.
    public var vocabularySize: Int { tokens.count }

    /// The merge rules in rank order, as byte-level token texts.
    public var merges: [(String, String)] {
        mergeTable.rules.map { (tokens[Int($0.left)], tokens[Int($0.right)]) }
    }

    /// The id of a token: an added token's content, or a vocabulary entry's byte-level text.
    public func id(for token: String) -> Int? {
        addedTokens.first { $0.content == token }?.id ?? vocabulary[token]
    }

    /// The text of a token id (byte-level spelling for vocabulary entries), or `nil`.
    public func token(for id: Int) -> String? {
        guard id >= 0, id < tokens.count, !tokens[id].isEmpty else { return nil }
        return tokens[id]
    }

    /// The ids of the special added tokens, by content.
    public var specialTokens: [String: Int] {
        Dictionary(addedTokens.filter(\.special).map { ($0.content, $0.id) }, uniquingKeysWith: { first, _ in first })
    }

    /// The id of `<|endoftext|>`, GPT-2's document separator, if the tokenizer has it.
    public var endOfTextID: Int? { id(for: Self.endOfText) }

    /// GPT-2's document separator.
    public static let endOfText = "<|endoftext|>"
}

/// `"text"` with quotes, for error messages.
func quoted(_ text: String) -> String { "\"\(text)\"" }
