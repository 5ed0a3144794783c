/// WordPiece (Schuster and Nakajima 2012; BERT): each word becomes the greedy longest-match-
/// first pieces of the vocabulary, every piece after the first spelled with the continuation
/// prefix (`##`):
///
///     "unaffable" → un ##aff ##able
///
/// A word with more than `maxInputCharactersPerWord` scalars, or with a stretch no piece
/// matches, becomes the single unknown token. Tokens are compared byte for byte (UTF-8), not
/// by Swift's canonical equivalence: "é" and "e\u{301}" are different tokens, as in Rust.
/// Reference: tokenizers/src/models/wordpiece/mod.rs.
public struct WordPieceModel: Sendable, Equatable {
    /// Ids by the UTF-8 bytes of each token.
    public let vocabulary: [[UInt8]: Int]
    public let unknownToken: String
    public let unknownID: Int
    public let continuingSubwordPrefix: String
    public let maxInputCharactersPerWord: Int

    /// - Throws: `TokenizerError.invalidArgument` when the unknown token is not in the vocabulary.
    public init(
        vocabulary: [[UInt8]: Int], unknownToken: String = "[UNK]", continuingSubwordPrefix: String = "##",
        maxInputCharactersPerWord: Int = 100
    ) throws {
        guard let unknownID = vocabulary[Array(unknownToken.utf8)] else {
            throw TokenizerError.invalidArgument("the unknown token \(unknownToken) is not in the WordPiece vocabulary")
        }
        self.vocabulary = vocabulary
        self.unknownToken = unknownToken
        self.unknownID = unknownID
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.maxInputCharactersPerWord = maxInputCharactersPerWord
    }

    /// The id of `token`, compared byte for byte.
    public func id(for token: String) -> Int? { vocabulary[Array(token.utf8)] }

    private var prefixBytes: [UInt8] { Array(continuingSubwordPrefix.utf8) }

    /// The pieces of one word, as (token, id).
    public func pieces(_ word: [Unicode.Scalar]) -> [(token: String, id: Int)] {
        if word.count > maxInputCharactersPerWord { return [(unknownToken, unknownID)] }
        var result: [(String, Int)] = []
        var start = 0
        while start < word.count {
            var end = word.count
            var found: (String, Int)?
            while start < end {
                var bytes = start > 0 ? prefixBytes : []
                for scalar in word[start..<end] { bytes += UTF8.encode(scalar).map(Array.init) ?? [] }
                if let id = vocabulary[bytes] {
                    found = (String(decoding: bytes, as: UTF8.self), id)
                    break
                }
                end -= 1
            }
            guard let found else { return [(unknownToken, unknownID)] }
            result.append(found)
            start = end
        }
        return result
    }
}
