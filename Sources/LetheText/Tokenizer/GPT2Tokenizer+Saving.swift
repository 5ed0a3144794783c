import Foundation
import LetheTensor

extension GPT2Tokenizer {
    /// Writes `tokenizer.json`, `vocab.json` and `merges.txt` into `directory` (created if
    /// needed). Python loads them with `tokenizers.Tokenizer.from_file(".../tokenizer.json")`
    /// or `tokenizers.models.BPE.from_file(vocab, merges)`.
    ///
    /// - Throws: `TokenizerError.cannotWrite` naming the file or folder.
    public func save(to directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw TokenizerError.cannotWrite(path: directory, reason: error.localizedDescription)
        }
        let folder = URL(fileURLWithPath: directory)
        try write(tokenizerJSON(), to: folder.appendingPathComponent("tokenizer.json").path)
        try write(vocabularyJSON(), to: folder.appendingPathComponent("vocab.json").path)
        try write(mergesText(), to: folder.appendingPathComponent("merges.txt").path)
    }

    /// The Hugging Face `tokenizer.json` text: added tokens, `ByteLevel` pre-tokenizer and
    /// decoder, and the BPE model with its vocabulary by id and merges as `["a", "b"]` pairs.
    public func tokenizerJSON() -> String {
        let byteLevel = { (prefix: Bool, regex: Bool) in
            JSONWriter.object([
                ("type", "\"ByteLevel\""), ("add_prefix_space", JSONWriter.bool(prefix)),
                ("trim_offsets", "true"), ("use_regex", JSONWriter.bool(regex)),
            ])
        }
        let added = addedTokens.map { token in
            "    " + JSONWriter.object([
                ("id", "\(token.id)"), ("content", JSONWriter.string(token.content)),
                ("single_word", JSONWriter.bool(token.singleWord)), ("lstrip", JSONWriter.bool(token.leftStrip)),
                ("rstrip", JSONWriter.bool(token.rightStrip)), ("normalized", JSONWriter.bool(token.normalized)),
                ("special", JSONWriter.bool(token.special)),
            ])
        }
        let vocab = vocabularyByID().map { "      \(JSONWriter.string($0.token)): \($0.id)" }
        let rules = merges.map { "      [\(JSONWriter.string($0.0)), \(JSONWriter.string($0.1))]" }
        return """
            {
              "version": "1.0",
              "truncation": null,
              "padding": null,
              "added_tokens": [
            \(added.joined(separator: ",\n"))
              ],
              "normalizer": null,
              "pre_tokenizer": \(byteLevel(options.addPrefixSpace, options.useRegex)),
              "post_processor": null,
              "decoder": \(byteLevel(true, true)),
              "model": {
                "type": "BPE",
                "dropout": null,
                "unk_token": \(JSONWriter.optional(options.unknownToken)),
                "continuing_subword_prefix": null,
                "end_of_word_suffix": null,
                "fuse_unk": \(JSONWriter.bool(options.fuseUnknown)),
                "byte_fallback": false,
                "ignore_merges": \(JSONWriter.bool(options.ignoreMerges)),
                "vocab": {
            \(vocab.joined(separator: ",\n"))
                },
                "merges": [
            \(rules.joined(separator: ",\n"))
                ]
              }
            }

            """
    }

    /// GPT-2's `vocab.json`: one object, entries in id order.
    public func vocabularyJSON() -> String {
        "{" + vocabularyByID().map { "\(JSONWriter.string($0.token)):\($0.id)" }.joined(separator: ",") + "}\n"
    }

    /// GPT-2's `merges.txt`: a `#version: 0.2` line, then `left right` per rule in rank order.
    public func mergesText() -> String {
        "#version: 0.2\n" + merges.map { "\($0.0) \($0.1)\n" }.joined()
    }

    private func vocabularyByID() -> [(token: String, id: Int)] {
        vocabulary.map { (token: $0.key, id: $0.value) }.sorted { $0.id < $1.id }
    }

    private func write(_ text: String, to path: String) throws {
        do {
            try AtomicFile.write(Data(text.utf8), to: path)
        } catch {
            throw TokenizerError.cannotWrite(path: path, reason: error.localizedDescription)
        }
    }
}
