import Foundation

/// What the rest of Lethe needs from a tokenizer, whatever its kind: text to ids and back, the
/// vocabulary size, the special tokens, and token <-> id look-ups. `GPT2Tokenizer` and
/// `PipelineTokenizer` (any Hugging Face `tokenizer.json`, or a GGUF-embedded vocabulary) conform.
public protocol TextTokenizer: TokenEncoder, Sendable {
    /// The ids of `text` as Hugging Face's `encode(text)` gives them: special added tokens in the
    /// text recognised, and the post-processor's tokens (a BOS, ...) added.
    func encode(_ text: String) -> [Int]
    /// The ids of `text`, with or without the post-processor's tokens
    /// (`add_special_tokens` in Hugging Face).
    func encode(_ text: String, addingSpecialTokens: Bool) -> [Int]
    /// The text of `ids`; ids outside the vocabulary are skipped.
    func decode(_ ids: [Int], skipSpecialTokens: Bool) -> String
    /// The number of rows an embedding needs: the largest id plus one.
    var vocabularySize: Int { get }
    /// The ids of the beginning/end-of-sequence, padding and unknown tokens, where the tokenizer has them.
    var specialTokenIDs: SpecialTokenIDs { get }
    /// The id of a token (an added token's content, or a vocabulary entry's text), or `nil`.
    func id(for token: String) -> Int?
    /// The text of a token id, or `nil` for ids nothing uses.
    func token(for id: Int) -> String?
    /// Writes the tokenizer into `directory` so that `loadTextTokenizer` reads it back.
    func save(to directory: String) throws
}

/// The ids of a tokenizer's named special tokens (`nil`: it has none).
public struct SpecialTokenIDs: Sendable, Equatable {
    /// Beginning of sequence (`<s>`, `<|begin_of_text|>`).
    public var beginOfSequence: Int?
    /// End of sequence (`</s>`, `<|endoftext|>`, `<|eot_id|>` for a chat model's turn end).
    public var endOfSequence: Int?
    /// Padding.
    public var padding: Int?
    /// Unknown (the model's `unk_token`).
    public var unknown: Int?

    public init(beginOfSequence: Int? = nil, endOfSequence: Int? = nil, padding: Int? = nil, unknown: Int? = nil) {
        self.beginOfSequence = beginOfSequence
        self.endOfSequence = endOfSequence
        self.padding = padding
        self.unknown = unknown
    }
}

/// GPT-2 adds no tokens around a text; `<|endoftext|>` is both its BOS and its EOS.
extension GPT2Tokenizer: TextTokenizer {
    public func encode(_ text: String, addingSpecialTokens: Bool) -> [Int] { encode(text) }

    public var specialTokenIDs: SpecialTokenIDs {
        SpecialTokenIDs(
            beginOfSequence: endOfTextID, endOfSequence: endOfTextID,
            unknown: options.unknownToken.flatMap { id(for: $0) })
    }
}

/// The tokenizer of a model folder or file: a `tokenizer.json` (any BPE pipeline; with the
/// folder's `tokenizer_config.json`) as a `PipelineTokenizer`, or GPT-2's `vocab.json` +
/// `merges.txt` (a folder without `tokenizer.json`, or the path of `vocab.json`) as a `GPT2Tokenizer`,
/// a BERT folder (`vocab.txt`, no `vocab.json`) as a `WordPieceTokenizer`, or a folder without
/// `tokenizer.json` whose `tokenizer_config.json` names `RobertaTokenizer` as a `RobertaTokenizer`.
///
/// - Throws: `TokenizerError`, naming the file and the key at fault.
public func loadTextTokenizer(from path: String) throws -> any TextTokenizer {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw TokenizerError.cannotRead(path: path, reason: "no such file or folder")
    }
    let url = URL(fileURLWithPath: path)
    // A BERT folder (vocab.txt, no vocab.json): WordPiece, whether or not it also has tokenizer.json.
    let manager = FileManager.default
    if isDirectory.boolValue, manager.fileExists(atPath: url.appendingPathComponent("vocab.txt").path),
        !manager.fileExists(atPath: url.appendingPathComponent("vocab.json").path)
    {
        return try WordPieceTokenizer.load(directory: path)
    }
    // A RoBERTa folder Lethe wrote (vocab.json, merges.txt, tokenizer_config.json naming RobertaTokenizer).
    let config = url.appendingPathComponent("tokenizer_config.json").path
    if isDirectory.boolValue, !manager.fileExists(atPath: url.appendingPathComponent("tokenizer.json").path),
        let data = manager.contents(atPath: config),
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
        (object["tokenizer_class"] as? String)?.hasPrefix("Roberta") == true
    {
        return try RobertaTokenizer.load(directory: path)
    }
    let hasJSON = !isDirectory.boolValue || FileManager.default.fileExists(atPath: url.appendingPathComponent("tokenizer.json").path)
    if hasJSON && url.lastPathComponent != "vocab.json" { return try PipelineTokenizer.load(from: path) }
    return try GPT2Tokenizer.load(from: path)
}
