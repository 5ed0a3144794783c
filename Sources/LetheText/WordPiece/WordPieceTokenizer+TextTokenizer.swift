import Foundation

/// BERT's tokenizer as a `TextTokenizer`, so encoders are scored, trained and evaluated through
/// the same paths as decoders: `encode` adds the template ([CLS] text [SEP]) as Hugging Face's
/// `encode(text)` does; [CLS] is the "beginning", [SEP] the "end" token, [PAD] the padding.
/// `save(to:)` writes `vocab.txt` and `tokenizer_config.json`, which `load(directory:)` and
/// `loadTextTokenizer` read back.
extension WordPieceTokenizer: TextTokenizer {
    /// The ids of `text` with [CLS] and [SEP].
    public func encode(_ text: String) -> [Int] { encode(text, addingSpecialTokens: true) }

    public func encode(_ text: String, addingSpecialTokens: Bool) -> [Int] {
        let encoded: EncodedInput = encode(text, pair: nil, maxLength: nil, addSpecialTokens: addingSpecialTokens)
        return encoded.ids
    }

    public var specialTokenIDs: SpecialTokenIDs {
        SpecialTokenIDs(beginOfSequence: classifierID, endOfSequence: separatorID, padding: paddingID, unknown: model.unknownID)
    }

    /// Writes `vocab.txt` (one token per line) and `tokenizer_config.json` (the options).
    public func save(to directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data((tokens.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: directory + "/vocab.txt"), options: .atomic)
            var config: [String: Any] = [
                "tokenizer_class": "BertTokenizer", "do_lower_case": options.lowercase,
                "tokenize_chinese_chars": options.handleChineseCharacters, "unk_token": options.unknownToken,
                "sep_token": options.separatorToken, "pad_token": options.paddingToken, "cls_token": options.classifierToken,
                "mask_token": options.maskToken,
            ]
            config["strip_accents"] = options.stripAccents ?? NSNull()
            let data = try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys, .prettyPrinted])
            try data.write(to: URL(fileURLWithPath: directory + "/tokenizer_config.json"), options: .atomic)
        } catch {
            throw TokenizerError.cannotWrite(path: directory, reason: error.localizedDescription)
        }
    }
}
