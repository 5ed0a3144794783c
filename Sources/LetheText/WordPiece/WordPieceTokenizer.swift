import Foundation

/// BERT's tokenizer, id for id with Hugging Face `tokenizers`' `BertTokenizerFast`:
///
///     special tokens in the raw text ([CLS], [MASK], ...) → their ids, matched before anything else
///     other text → BertNormalizer → BertPreTokenizer → WordPiece
///     template:  [CLS] A [SEP]            token types 0 … 0
///                [CLS] A [SEP] B [SEP]    token types 0 … 0 1 … 1
///
/// Built from a `vocab.txt` (one token per line, the line number is the id) and the
/// options of `tokenizer_config.json`; see `WordPieceTokenizer+Loading.swift`.
/// Reference: transformers' BertTokenizerFast (models/bert/tokenization_bert_fast.py) and
/// tokenizers' BertProcessing / TemplateProcessing.
public struct WordPieceTokenizer: Sendable {
    /// The settings of `tokenizer_config.json` that change the ids.
    public struct Options: Sendable, Equatable {
        public var lowercase: Bool
        /// nil: strip accents exactly when lowercasing.
        public var stripAccents: Bool?
        public var handleChineseCharacters: Bool
        public var unknownToken: String
        public var classifierToken: String
        public var separatorToken: String
        public var paddingToken: String
        public var maskToken: String
        public var maxInputCharactersPerWord: Int

        public init(
            lowercase: Bool = true, stripAccents: Bool? = nil, handleChineseCharacters: Bool = true,
            unknownToken: String = "[UNK]", classifierToken: String = "[CLS]", separatorToken: String = "[SEP]",
            paddingToken: String = "[PAD]", maskToken: String = "[MASK]", maxInputCharactersPerWord: Int = 100
        ) {
            self.lowercase = lowercase
            self.stripAccents = stripAccents
            self.handleChineseCharacters = handleChineseCharacters
            self.unknownToken = unknownToken
            self.classifierToken = classifierToken
            self.separatorToken = separatorToken
            self.paddingToken = paddingToken
            self.maskToken = maskToken
            self.maxInputCharactersPerWord = maxInputCharactersPerWord
        }

        var specialTokens: [String] { [unknownToken, separatorToken, paddingToken, classifierToken, maskToken] }
    }

    public let options: Options
    public let normalizer: BertNormalizer
    public let model: WordPieceModel
    /// Tokens by id.
    public let tokens: [String]
    public let classifierID: Int
    public let separatorID: Int
    public let paddingID: Int
    public let maskID: Int
    private let splitter: AddedTokenSplitter

    /// - Parameter tokens: the vocabulary, the id of each token its index.
    /// - Throws: `TokenizerError.invalidArgument` when a token repeats or a special token of
    ///   `options` is not in the vocabulary.
    public init(tokens: [String], options: Options = Options()) throws {
        var vocabulary: [[UInt8]: Int] = [:]
        for (id, token) in tokens.enumerated() {
            if let first = vocabulary.updateValue(id, forKey: Array(token.utf8)) {
                throw TokenizerError.invalidArgument("WordPiece token \"\(token)\" has ids \(first) and \(id)")
            }
        }
        func id(_ token: String) throws -> Int {
            guard let id = vocabulary[Array(token.utf8)] else {
                throw TokenizerError.invalidArgument("the special token \(token) is not in the WordPiece vocabulary")
            }
            return id
        }
        self.options = options
        self.tokens = tokens
        normalizer = BertNormalizer(
            handleChineseCharacters: options.handleChineseCharacters, stripAccents: options.stripAccents, lowercase: options.lowercase)
        model = try WordPieceModel(
            vocabulary: vocabulary, unknownToken: options.unknownToken, maxInputCharactersPerWord: options.maxInputCharactersPerWord)
        (classifierID, separatorID, paddingID, maskID) = try (
            id(options.classifierToken), id(options.separatorToken), id(options.paddingToken), id(options.maskToken)
        )
        var seen: Set<String> = []
        splitter = AddedTokenSplitter(
            try options.specialTokens.filter { seen.insert($0).inserted }.map { AddedToken(content: $0, id: try id($0)) })
    }

    public var vocabularySize: Int { tokens.count }

    public func id(for token: String) -> Int? { model.id(for: token) }

    public func token(for id: Int) -> String? { tokens.indices.contains(id) ? tokens[id] : nil }

    /// The ids of `text` without the template (no [CLS] / [SEP]).
    public func tokenIDs(_ text: String) -> [Int] {
        var ids: [Int] = []
        let bytes = Array(text.utf8)
        let segments = bytes.withUnsafeBufferPointer { buffer -> [TextSegment] in
            guard let base = buffer.baseAddress else { return [] }
            return splitter.split(base, buffer.count, allowed: .all)
        }
        for segment in segments {
            switch segment {
            case .token(let id):
                ids.append(Int(id))
            case .text(let start, let end):
                let piece = String(decoding: bytes[start..<end], as: UTF8.self)
                for word in BertPreTokenizer.split(normalizer.normalize(piece)) {
                    ids += model.pieces(word).map(\.id)
                }
            }
        }
        return ids
    }

    /// The tokens of `text` without the template.
    public func tokenize(_ text: String) -> [String] { tokenIDs(text).map { tokens[$0] } }

    /// `text` (and `pair`; an empty pair counts as none, as in transformers) with the template
    /// and token types. With `maxLength`, the inputs are
    /// truncated to fit it, template included: a single text from its end; a pair by
    /// `longest_first` (the longer input loses tokens until both are equally long, then both).
    public func encode(_ text: String, pair: String? = nil, maxLength: Int? = nil, addSpecialTokens: Bool = true) -> EncodedInput {
        var first = tokenIDs(text)
        var second = pair.flatMap { $0.isEmpty ? nil : tokenIDs($0) }
        if let maxLength { EncodedInput.truncate(&first, &second, to: maxLength - (addSpecialTokens ? (second == nil ? 2 : 3) : 0)) }
        var ids = addSpecialTokens ? [classifierID] + first + [separatorID] : first
        var types = [Int](repeating: 0, count: ids.count)
        if let second {
            let tail = addSpecialTokens ? second + [separatorID] : second
            ids += tail
            types += [Int](repeating: 1, count: tail.count)
        }
        return EncodedInput(ids: ids, tokenTypes: types)
    }

    /// Text from ids, as `tokenizers`' WordPiece decoder: each piece after the first gets a
    /// leading space unless it is a `##` continuation (then the prefix is dropped), and each
    /// piece alone is cleaned up (" ." → ".", " ?", " !", " ,", " n't", " 's", ...), so a space
    /// before punctuation goes but "don ' t" stays. Special tokens are skipped by default.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = true) -> String {
        let specials = Set([classifierID, separatorID, paddingID, maskID, model.unknownID])
        let kept = ids.filter { !(skipSpecialTokens && specials.contains($0)) }.compactMap(token(for:))
        var text = ""
        for (index, token) in kept.enumerated() {
            var piece = token
            if index > 0 {
                piece = token.hasPrefix(model.continuingSubwordPrefix) ? String(token.dropFirst(model.continuingSubwordPrefix.count)) : " " + token
            }
            for (from, to) in Self.cleanup { piece = piece.replacingOccurrences(of: from, with: to) }
            text += piece
        }
        return text
    }

    /// tokenizers/src/decoders/wordpiece.rs `cleanup`, applied to each piece.
    private static let cleanup = [
        (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"), (" 'm", "'m"),
        (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"),
    ]
}
