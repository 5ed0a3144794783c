import Foundation

/// RoBERTa's tokenizer, id for id with transformers' `RobertaTokenizerFast`: GPT-2's
/// byte-level BPE (no prefix space) with RoBERTa's special tokens and template:
///
///     <s> A </s>                 single input
///     <s> A </s> </s> B </s>     pair (token types all 0)
///
/// `<s>`, `<pad>`, `<mask>`, `</s>` and `<unk>` are matched in the raw text. The hub's
/// roberta-base declares `<mask>` with lstrip in its tokenizer.json (it swallows the whitespace
/// before it: "a <mask>" is `a`, `<mask>`); transformers 5 builds it without lstrip from
/// `vocab.json` + `merges.txt` alone ("a <mask>" is `a`, `Ġ`, `<mask>`): `maskStripsLeft` chooses.
/// Reference: transformers/models/roberta/tokenization_roberta.py, tokenizers' RobertaProcessing.
public struct RobertaTokenizer: Sendable {
    public let bpe: GPT2Tokenizer
    public let beginID: Int
    public let endID: Int
    public let paddingID: Int
    public let maskID: Int

    /// Loads `vocab.json` and `merges.txt` from a RoBERTa folder; the five special tokens
    /// must be in `vocab.json`. The default `maskStripsLeft` (false) gives transformers 5's ids
    /// for such a folder.
    /// - Throws: `TokenizerError` naming the file, key or line at fault.
    public static func load(directory: String, maskStripsLeft: Bool = false) throws -> RobertaTokenizer {
        let vocabularyPath = directory + "/vocab.json"
        let mergesPath = directory + "/merges.txt"
        let vocabulary = try JSONFile(path: vocabularyPath).vocabulary(nil)
        var merges: [(String, String)] = []
        let text = try readText(mergesPath)
        for (index, bytes) in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            let line = String(decoding: bytes.last == 0x0D ? bytes.dropLast() : bytes, as: UTF8.self)
            if line.isEmpty || (index == 0 && line.hasPrefix("#version")) { continue }
            guard let pair = GPT2Tokenizer.mergePair(line) else {
                throw TokenizerError.invalidLine(path: mergesPath, line: index + 1, reason: "expected two tokens separated by one space")
            }
            merges.append(pair)
        }
        var added: [AddedToken] = []
        for token in ["<s>", "<pad>", "</s>", "<unk>", "<mask>"] {
            guard let id = vocabulary[token] else {
                throw TokenizerError.invalidKey(path: vocabularyPath, key: token, reason: "RoBERTa's special token is missing")
            }
            added.append(AddedToken(content: token, id: id, leftStrip: maskStripsLeft && token == "<mask>"))
        }
        let bpe = try GPT2Tokenizer(vocabulary: vocabulary, merges: merges, addedTokens: added, path: mergesPath)
        return RobertaTokenizer(bpe: bpe, beginID: added[0].id, endID: added[2].id, paddingID: added[1].id, maskID: added[4].id)
    }

    /// `text` (and `pair`; an empty pair counts as none, as in transformers) with the
    /// template, truncated to `maxLength` tokens in all when given (longest first for pairs).
    public func encode(_ text: String, pair: String? = nil, maxLength: Int? = nil, addSpecialTokens: Bool = true) -> EncodedInput {
        var first = bpe.encode(text)
        var second = pair.flatMap { $0.isEmpty ? nil : bpe.encode($0) }
        if let maxLength { EncodedInput.truncate(&first, &second, to: maxLength - (addSpecialTokens ? (second == nil ? 2 : 4) : 0)) }
        var ids = addSpecialTokens ? [beginID] + first + [endID] : first
        if let second { ids += addSpecialTokens ? [endID] + second + [endID] : second }
        return EncodedInput(ids: ids, tokenTypes: [Int](repeating: 0, count: ids.count))
    }
}
