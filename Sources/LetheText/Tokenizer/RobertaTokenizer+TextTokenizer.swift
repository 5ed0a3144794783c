import Foundation

/// RoBERTa's tokenizer as a `TextTokenizer`, so RoBERTa encoders (a downloaded one, or the one
/// Lethe pretrains on its corpus with masked-LM) score, train and evaluate through the paths
/// decoders use: `encode` adds the template (`<s>` text `</s>`), `<s>` is the "beginning",
/// `</s>` the "end" token. `save(to:)` writes `vocab.json`, `merges.txt` and a
/// `tokenizer_config.json` naming `RobertaTokenizer`, which `loadTextTokenizer` reads back.
extension RobertaTokenizer: TextTokenizer {
    /// A RoBERTa tokenizer on a byte-level BPE whose vocabulary holds `<s>`, `<pad>`, `</s>`,
    /// `<unk>` and `<mask>` (e.g. one `BPETrainer` trained with them as special tokens).
    /// - Throws: `TokenizerError.invalidArgument` naming a missing special token.
    public init(bpe: GPT2Tokenizer) throws {
        func id(_ token: String) throws -> Int {
            guard let id = bpe.id(for: token) else { throw TokenizerError.invalidArgument("RoBERTa's special token \(token) is not in the vocabulary") }
            return id
        }
        self.init(bpe: bpe, beginID: try id("<s>"), endID: try id("</s>"), paddingID: try id("<pad>"), maskID: try id("<mask>"))
    }

    /// The ids of `text` with `<s>` and `</s>`.
    public func encode(_ text: String) -> [Int] { encode(text, addingSpecialTokens: true) }

    public func encode(_ text: String, addingSpecialTokens: Bool) -> [Int] {
        let encoded: EncodedInput = encode(text, pair: nil, maxLength: nil, addSpecialTokens: addingSpecialTokens)
        return encoded.ids
    }

    public func decode(_ ids: [Int], skipSpecialTokens: Bool) -> String {
        let specials: Set<Int> = [beginID, endID, paddingID, maskID]
        return bpe.decode(skipSpecialTokens ? ids.filter { !specials.contains($0) } : ids, skipSpecialTokens: skipSpecialTokens)
    }

    public var vocabularySize: Int { bpe.vocabularySize }

    public var specialTokenIDs: SpecialTokenIDs {
        SpecialTokenIDs(beginOfSequence: beginID, endOfSequence: endID, padding: paddingID, unknown: bpe.id(for: "<unk>"))
    }

    public func id(for token: String) -> Int? { bpe.id(for: token) }

    public func token(for id: Int) -> String? { bpe.token(for: id) }

    /// Writes `vocab.json`, `merges.txt` and `tokenizer_config.json` (`tokenizer_class:
    /// RobertaTokenizer`, the special tokens) into `directory`.
    public func save(to directory: String) throws {
        let folder = URL(fileURLWithPath: directory)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(bpe.vocabularyJSON().utf8).write(to: folder.appendingPathComponent("vocab.json"), options: .atomic)
            try Data(bpe.mergesText().utf8).write(to: folder.appendingPathComponent("merges.txt"), options: .atomic)
            let config: [String: Any] = [
                "tokenizer_class": "RobertaTokenizer", "bos_token": "<s>", "eos_token": "</s>", "pad_token": "<pad>",
                "unk_token": "<unk>", "mask_token": "<mask>", "cls_token": "<s>", "sep_token": "</s>", "add_prefix_space": false,
            ]
            let data = try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys, .prettyPrinted])
            try data.write(to: folder.appendingPathComponent("tokenizer_config.json"), options: .atomic)
        } catch {
            throw TokenizerError.cannotWrite(path: directory, reason: error.localizedDescription)
        }
    }
}
