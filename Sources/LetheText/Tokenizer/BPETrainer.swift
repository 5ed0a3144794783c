/// Trains a GPT-2-style byte-level BPE tokenizer on text.
///
/// Words are the pieces of GPT-2's pre-tokenisation (`GPT2PreTokenizer`), counted over all
/// the text; occurrences of the special tokens are cut out first. The vocabulary starts with
/// the special tokens (ids 0, 1, ...), then the 256 byte symbols in `ByteLevelAlphabet` scalar
/// order (`!` ... `ÿ`, `Ā` ... `Ń`), then one token per merge:
///
///     repeat until the vocabulary has `vocabularySize` tokens:
///         (a, b) = the adjacent pair with the highest count  sum over words w of count(w) * occurrences in w
///                  ties: the smallest (id(a), id(b))
///         stop if count < minimumPairCount
///         add the rule "a b" and the token a+b (reused if some other pair already made it);
///         merge every occurrence in every word, leftmost first
///
/// The rule and tie-break are those of Hugging Face `tokenizers`' `BpeTrainer`, and only the
/// words that contain the pair are touched (an index from pair to words, and a max-heap of pair
/// counts whose stale entries are re-checked when popped).
///
/// Reference: https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/models/bpe/trainer.rs
public struct BPETrainer: Sendable {
    /// The size of the trained vocabulary, special tokens and the 256 byte symbols included.
    public var vocabularySize: Int
    /// Special tokens, first in the vocabulary and matched as added tokens.
    public var specialTokens: [String]
    /// Pairs seen fewer times than this are never merged (training may stop early).
    public var minimumPairCount: Int

    /// Count of each distinct word (its UTF-8 bytes) added so far.
    private var wordCounts: [[UInt8]: Int] = [:]

    public init(vocabularySize: Int, specialTokens: [String] = [GPT2Tokenizer.endOfText], minimumPairCount: Int = 2) {
        self.vocabularySize = vocabularySize
        self.specialTokens = specialTokens
        self.minimumPairCount = minimumPairCount
    }

    /// Counts the words of `text`.
    public mutating func add(_ text: String) {
        let splitter = AddedTokenSplitter(specialTokens.enumerated().map { AddedToken(content: $0.element, id: $0.offset) })
        var text = text
        text.withUTF8 { buffer in
            guard let p = buffer.baseAddress else { return }
            for case .text(let start, let end) in splitter.split(p, buffer.count, allowed: .all) {
                GPT2PreTokenizer.forEachPiece(UnsafeBufferPointer(start: p + start, count: end - start)) { s, e in
                    wordCounts[Array(UnsafeBufferPointer(start: p + start + s, count: e - s)), default: 0] += 1
                }
            }
        }
    }

    /// Counts the words of a text file (invalid UTF-8 is read as U+FFFD).
    ///
    /// - Throws: `TokenizerError.cannotRead` naming the file.
    public mutating func addFile(_ path: String) throws {
        add(String(decoding: try readData(path), as: UTF8.self))
    }

    /// Learns the merges and returns the tokenizer.
    ///
    /// - Throws: `TokenizerError.invalidArgument` when `vocabularySize` cannot hold the special
    ///   tokens and the 256 byte symbols, or the special tokens repeat.
    public func train() throws -> GPT2Tokenizer {
        guard Set(specialTokens).count == specialTokens.count, !specialTokens.contains("") else {
            throw TokenizerError.invalidArgument("special tokens must be distinct and non-empty: \(specialTokens)")
        }
        guard vocabularySize >= specialTokens.count + 256 else {
            throw TokenizerError.invalidArgument(
                "vocabulary size \(vocabularySize) is below \(specialTokens.count + 256) (special tokens + 256 byte symbols)")
        }
        var tokens = specialTokens
        var ids: [String: Int32] = [:]
        for (id, token) in tokens.enumerated() { ids[token] = Int32(id) }
        var byteIDs = [Int32](repeating: 0, count: 256)
        for byte in (0..<256).sorted(by: { ByteLevelAlphabet.scalars[$0] < ByteLevelAlphabet.scalars[$1] }) {
            let token = ByteLevelAlphabet.encode([UInt8(byte)])
            if ids[token] == nil {
                ids[token] = Int32(tokens.count)
                tokens.append(token)
            }
            byteIDs[byte] = ids[token] ?? 0
        }

        var pairs = PairStatistics(words: wordCounts.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map {
            (symbols: $0.key.map { byteIDs[Int($0)] }, count: $0.value)
        })
        var merges: [(String, String)] = []
        while tokens.count < vocabularySize, let (left, right, count) = pairs.best(), count >= minimumPairCount {
            let merged = tokens[Int(left)] + tokens[Int(right)]
            let id = ids[merged] ?? Int32(tokens.count)
            if ids[merged] == nil {
                ids[merged] = id
                tokens.append(merged)
            }
            merges.append((tokens[Int(left)], tokens[Int(right)]))
            pairs.merge(left, right, into: id)
        }

        let vocabulary = Dictionary(tokens.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        let added = specialTokens.enumerated().map { AddedToken(content: $0.element, id: $0.offset) }
        return try GPT2Tokenizer(vocabulary: vocabulary, merges: merges, addedTokens: added)
    }
}
